"""A bulletin longer than one Teams card goes out whole, as cards in order. An outside audit
(twenty-second session) imported a 27.7 KB bulletin, one section of 14 paragraphs and then a short
"What to do", within the import's limits: the Teams card held only the title and "This answer was
shortened", and the outbox counted it sent. Delivered here through the outbox, the real Teams
adapter and SDK client, to the local fake Bot Connector."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.teams import render
from core.model import Target
from handlers.bulletins import bulletin_reply, read_markdown_file
from storage import outbox
from storage.outbox import NewMessage
from tests.storage_support import in_tx
from tests.teams_fake import FakeTeams
from tests.test_teams_outbox import GENERAL, fresh, known_conversations, replica


@pytest.fixture
async def fake() -> AsyncIterator[FakeTeams]:
    server = FakeTeams()
    await server.start()
    yield server
    await server.stop()


def long_bulletin(tmp_path: Path):  # type: ignore[no-untyped-def]
    paragraph = "Agencies shared what they knew late, and the plan did not say who would act. " * 25
    lines = ["# Learning from a review", "## What the review found"]
    for n in range(14):
        lines += [f"Finding {n}: {paragraph}", ""]
    lines += ["## What to do", "Talk to your DSL and read the seven-minute briefing this week."]
    path = tmp_path / "review.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    title, body = read_markdown_file(path)
    return bulletin_reply(title, body, "Medway Safeguarding Children Partnership")


def card_text(card: dict[str, object]) -> str:
    return json.dumps(card, ensure_ascii=False)


def test_every_section_is_in_the_cards_each_within_the_limit(tmp_path: Path) -> None:
    bulletin = long_bulletin(tmp_path)
    cards = render.cards(bulletin)
    assert len(cards) >= 2
    assert all(len(json.dumps(c, separators=(",", ":")).encode()) <= render.CARD_BYTES for c in cards)
    joined = "".join(card_text(c) for c in cards)
    assert render.SHORTENED not in joined
    spots = [joined.index(f"Finding {n}:") for n in range(14)]
    assert spots == sorted(spots) and joined.index("What to do") > spots[-1]
    assert "seven-minute briefing" in joined


async def test_the_long_bulletin_reaches_a_teams_channel_whole_and_once(
    database_url: str, fake: FakeTeams, tmp_path: Path
) -> None:
    db = await fresh(database_url)
    try:
        await known_conversations(db, fake)
        bulletin = long_bulletin(tmp_path)
        message = NewMessage(
            key="bulletin:1:teams:general",
            platform="teams",
            target=Target(kind="channel", channel_id=GENERAL).model_dump(),
            payload=bulletin.model_dump(mode="json"),
            due_at=dt.datetime.now(dt.UTC),
        )
        assert await in_tx(db, outbox.enqueue, [message], now=dt.datetime.now(dt.UTC)) == 1
        rt, worker = await replica(tmp_path, "one", database_url, fake)
        try:
            assert await worker.deliver_due() == 1
            assert await worker.deliver_due() == 0
        finally:
            await rt.ctx.db.dispose()
        posted = fake.posts(GENERAL)
        assert len(posted) >= 2
        shown = "".join(p.card_text() for p in posted)
        assert render.SHORTENED not in shown
        assert all(f"Finding {n}:" in shown for n in range(14)) and "seven-minute briefing" in shown
        assert shown.index("Finding 13:") < shown.index("What to do")
    finally:
        await db.dispose()
