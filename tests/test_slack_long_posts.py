"""A post longer than one Slack message (50 blocks) goes out whole, as consecutive messages.

A 60-section bulletin, as `sgbot bulletin import` accepts it, is rendered and then posted through
the delivery worker, the real Slack adapter and slack_sdk's client against a local fake of
Slack's Web API: every section arrives, in order, each message within Slack's limits, once; a
redelivery after the first message was taken posts only the rest. Answers to one person are
still shortened to one message, with the note that they can ask about one part.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack import render
from bot.adapters.slack.outbound import OUTBOX_EVENT
from bot.delivery import DeliveryWorker
from core.clock import FrozenClock
from core.model import Reply, Target
from handlers.bulletins import bulletin_reply, read_markdown_file
from storage import outbox
from tests.conftest import START
from tests.slack_api_fake import FakeSlackApi, Post
from tests.storage_support import in_tx
from tests.test_delivery_retries import bot, slack

SECTIONS = 60
POINTS = 3
KEY = "bulletin:7:slack:C0NEWS"
SHORTENED = "shortened to fit in Slack"


def big_bulletin(tmp_path: Path) -> Reply:
    """60 sections of 3 points, 17 KB: well inside the import's 100 KB."""
    lines = ["# Big bulletin"]
    for section in range(SECTIONS):
        lines.append(f"## Section {section}")
        lines.extend(
            f"- S{section} point {point}: record the voice of the child and share concerns early with the DSL today."
            for point in range(POINTS)
        )
    path = tmp_path / "big.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    title, body = read_markdown_file(path)
    return bulletin_reply(title, body, "Medway Safeguarding Children Partnership")


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    out = []
    for block in blocks:
        if block["type"] in ("section", "header"):
            out.append(block["text"]["text"])
        elif block["type"] == "context":
            out.extend(element["text"] for element in block["elements"])
    return out


def assert_whole(messages: list[list[dict[str, Any]]]) -> None:
    """Every section and point once, in order, in messages within Slack's limits."""
    assert len(messages) > 1
    for blocks in messages:
        assert 0 < len(blocks) <= render.MAX_BLOCKS
        assert all(len(text) <= render.SECTION_CHARS for text in texts(blocks))
    joined = "\n".join(text for blocks in messages for text in texts(blocks))
    assert SHORTENED not in joined
    assert [int(n) for n in re.findall(r"\*Section (\d+)\*", joined)] == list(range(SECTIONS))
    points = re.findall(r"S(\d+) point (\d+):", joined)
    assert points == [(str(s), str(p)) for s in range(SECTIONS) for p in range(POINTS)]
    assert texts(messages[0])[0] == "Big bulletin"
    assert texts(messages[-1])[-1] == "A bulletin from Medway Safeguarding Children Partnership."


# --- rendering ----------------------------------------------------------------------------------


def test_a_sixty_section_bulletin_is_rendered_whole_in_messages_of_at_most_fifty_blocks(tmp_path: Path) -> None:
    reply = big_bulletin(tmp_path)
    messages = render.messages(reply)
    assert_whole([m["blocks"] for m in messages])
    assert messages[0]["text"] == "Big bulletin"
    assert [m["text"] for m in messages[1:]] == [
        f"Big bulletin (continued, {n} of {len(messages)})" for n in range(2, len(messages) + 1)
    ]


def test_a_header_is_kept_with_what_it_heads() -> None:
    rendered = [{"type": "section"}] * 49 + [{"type": "header"}] + [{"type": "section"}] * 5
    first, second = render.split_blocks(rendered)
    assert len(first) == 49 and second[0]["type"] == "header"


def test_a_post_that_fits_is_one_message_as_before(tmp_path: Path) -> None:
    reply = big_bulletin(tmp_path)
    short = reply.model_copy(update={"blocks": reply.blocks[:5]})
    assert render.messages(short) == [render.message(short)]


def test_an_answer_to_one_person_is_still_one_message_saying_it_was_shortened(tmp_path: Path) -> None:
    blocks = render.message(big_bulletin(tmp_path))["blocks"]
    assert len(blocks) == render.MAX_BLOCKS
    assert SHORTENED in texts(blocks)[-1]


# --- posting through the outbox -------------------------------------------------------------------


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi(hold_seconds=0)
    await api.start()
    yield api
    await api.stop()


async def queue(rt: Any, reply: Reply, target: Target) -> None:
    now = rt.ctx.now()
    message = outbox.NewMessage(
        key=KEY, platform="slack", target=target.model_dump(), payload=reply.model_dump(mode="json"), due_at=now
    )
    await in_tx(rt.ctx.db, outbox.enqueue, [message], now=now)


def parts(posts: list[Post]) -> list[dict[str, Any]]:
    return [(post.metadata or {}).get("event_payload") or {} for post in posts]


async def test_a_long_bulletin_reaches_a_channel_whole_and_once(
    database_url: str, tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    rt = await bot(tmp_path, database_url, FrozenClock(START))
    try:
        worker = DeliveryWorker(rt.ctx, {"slack": slack(rt, slack_api.url)}, name="w")
        await queue(rt, big_bulletin(tmp_path), Target(kind="channel", channel_id="C0NEWS"))
        assert await worker.deliver_due() == 1
        assert await worker.deliver_due() == 0

        posts = slack_api.posts
        assert_whole([post.blocks or [] for post in posts])
        assert {post.channel for post in posts} == {"C0NEWS"}
        assert all((post.metadata or {}).get("event_type") == OUTBOX_EVENT for post in posts)
        assert parts(posts) == [{"key": KEY, "part": n, "parts": len(posts)} for n in range(1, len(posts) + 1)]
        assert slack_api.reads == []  # a first attempt does not look
        row = await in_tx(rt.ctx.db, outbox.get, KEY)
        assert row is not None and (row.status, row.message_id) == ("sent", posts[0].ts)
    finally:
        await rt.ctx.db.dispose()


async def test_a_redelivery_after_the_first_part_was_taken_posts_only_the_rest(
    database_url: str, tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    clock = FrozenClock(START)
    rt = await bot(tmp_path, database_url, clock)
    try:
        worker = DeliveryWorker(rt.ctx, {"slack": slack(rt, slack_api.url)}, name="w")
        await queue(rt, big_bulletin(tmp_path), Target(kind="channel", channel_id="C0NEWS"))
        slack_api.lose_answers = 1  # Slack takes the first part, then the connection is reset
        assert await worker.deliver_due() == 1
        assert len(slack_api.posts) == 1
        row = await in_tx(rt.ctx.db, outbox.get, KEY)
        assert row is not None and (row.status, row.attempts) == ("pending", 1)

        clock.advance(dt.timedelta(seconds=6))  # the retry's wait after a first failure
        assert await worker.deliver_due() == 1
        assert slack_api.reads == ["C0NEWS"]  # looked for the parts already there
        posts = slack_api.posts
        assert_whole([post.blocks or [] for post in posts])
        assert [p["part"] for p in parts(posts)] == list(range(1, len(posts) + 1))  # each part once
        row = await in_tx(rt.ctx.db, outbox.get, KEY)
        assert row is not None and (row.status, row.message_id, row.attempts) == ("sent", posts[0].ts, 2)
    finally:
        await rt.ctx.db.dispose()


async def test_a_redelivery_finding_every_part_posts_nothing_and_a_thread_keeps_them_all(
    database_url: str, tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    rt = await bot(tmp_path, database_url, FrozenClock(START))
    try:
        adapter = slack(rt, slack_api.url)
        reply = big_bulletin(tmp_path)
        target = Target(kind="thread", channel_id="C0NEWS", thread_id="1690000000.000001")
        first = await adapter.send(target, reply, key=KEY, redelivery=False)
        posted = list(slack_api.posts)
        assert len(posted) > 1 and first == posted[0].ts
        assert {post.thread_ts for post in posted} == {"1690000000.000001"}

        assert await adapter.send(target, reply, key=KEY, redelivery=True) == first
        assert slack_api.posts == posted  # nothing posted again
        assert slack_api.reads == ["C0NEWS"]
    finally:
        await rt.ctx.db.dispose()


async def test_a_long_post_is_split_into_messages_off_the_event_loops_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outside audit: a 96 KB bulletin of link-like text took 1.2-1.9 s to split, on the loop,
    for every channel it went to. A short answer is still rendered where it is (no thread hop)."""
    import threading

    from bot.adapters.slack import outbound
    from core.model import reply

    seen: list[int] = []
    real = render.messages

    def recorded(r: Reply) -> list[dict[str, Any]]:
        seen.append(threading.get_ident())
        return real(r)

    monkeypatch.setattr(render, "messages", recorded)
    loop_thread = threading.get_ident()
    paragraph = ("[x](https://a.example/(" * 200)[:2900]
    long = reply(*[paragraph] * 33)
    parts = await outbound.messages_of(long)
    assert parts == real(long) and seen[-1] != loop_thread
    await outbound.messages_of(big_bulletin(tmp_path))  # 17 KB: under the line
    assert seen[-1] == loop_thread


async def test_a_long_edit_or_private_answer_is_rendered_off_the_event_loops_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A review: the edit and the private-answer paths still rendered on the loop (1.2 s on the
    audit's 96 KB text)."""
    import threading

    from bot.adapters.slack import outbound
    from core.model import reply

    seen: list[int] = []
    real = render.message

    def recorded(r: Reply) -> dict[str, Any]:
        seen.append(threading.get_ident())
        return real(r)

    monkeypatch.setattr(render, "message", recorded)
    paragraph = ("[x](https://a.example/(" * 200)[:2900]
    assert await outbound.message_of(reply(*[paragraph] * 33)) == real(reply(*[paragraph] * 33))
    assert seen[-1] != threading.get_ident()
    await outbound.message_of(reply("short"))
    assert seen[-1] == threading.get_ident()
