"""What trainers type is shown as typed and nothing more (SQLite and PostgreSQL).

A venue, a trainer's name, a course's summary and a cancellation reason go into public
announcements and notices. Rendered for Slack (Block Kit mrkdwn) and for Discord (embeds), none
of it may become a link, a mention or formatting: not Slack's masked link `<https://…|label>`,
not a Markdown link `[label](https://…)`, not a bare address, not `@everyone` or `<!channel>`.
The one field that is a link (the online link) stays a link.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord import render as discord_render
from bot.adapters.slack import render as slack_render
from core.clock import FrozenClock
from core.model import Reply
from handlers import training
from handlers.training.schedule import check_session
from storage import training as store
from tests.storage_support import in_tx
from tests.training_support import Bot, training_bot

WHEN = "2026-03-09 10:00-13:00"
HOSTILE = "<https://evil.example/login|Click to register> [x](https://evil.example) @everyone <!channel> **now**"
ZWSP = "\u200b"
LOOKALIKES = {"\u2217": "*", "\u02cd": "_", "\u223c": "~", "\u02cb": "`"}


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        yield b


async def _course_with_hostile_summary(bot: Bot) -> str:
    outcome = await bot.submit(
        "training:course_add",
        {
            "title": "Online safety",
            "summary": HOSTILE,
            "duration": "90",
            "delivery": "in person",
            "topics": "online",
        },
    )
    assert outcome.form_errors is None, outcome.form_errors
    return "online-safety"


async def _session_from_a_csv_row(bot: Bot, course: str, **values: str) -> store.TrainingSession:
    """As `sgbot training import` adds a row: the venue column is taken as it is."""
    row = {"course": course, "date": "2026-03-10", "start": "10:00", "capacity": "10", **values}
    catalogue = await training.courses(bot.ctx)
    draft = check_session(
        row, courses=catalogue, zone=bot.ctx.settings.timezone, now=bot.ctx.now(), platform="", default_trainer=""
    )
    assert not isinstance(draft, dict), draft
    [session] = await in_tx(
        bot.ctx.db, store.add_sessions, [training.new_session(draft, created_by="cli:import", now=bot.ctx.now())]
    )
    return session


def _slack(reply: Reply) -> str:
    return json.dumps(slack_render.message(reply), ensure_ascii=False)


def _discord(reply: Reply) -> str:
    rendered = [{"content": m.content, "embeds": [e.to_dict() for e in m.embeds]} for m in discord_render.render(reply)]
    return json.dumps(rendered, ensure_ascii=False)


def _assert_inert(rendered: str, platform: str) -> None:
    text = rendered.replace("\\n", "\n")
    # No web address survives whole, so nothing can be linked: masked, Markdown or bare.
    assert "https://" not in text and "http://" not in text, text
    # No mention or Slack special can form: every "<" is followed by a zero-width space.
    assert not re.search("<(?!" + ZWSP + ")", text.replace("&lt;", "<")), text
    assert "@everyone" not in text and "@here" not in text and "@channel" not in text
    # No formatting from the trainer's text: Slack's *bold*, Discord's **bold**.
    assert "*now*" not in text


def _as_read(rendered: str) -> str:
    """What a person reads: zero-width spaces are invisible, look-alikes read as the original."""
    text = rendered.replace(ZWSP, "").replace("\\u200b", "")
    for lookalike, original in LOOKALIKES.items():
        text = text.replace(lookalike, original)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("\\", "")


async def _announcement_payloads(bot: Bot, session_id: int) -> list[Reply]:
    await bot.say(f"/training announce {session_id} training")
    rows = await bot.outbox("training:announce:")
    return [Reply.model_validate(r.payload) for r in rows if r.payload]


async def test_trainer_text_in_an_announcement_is_inert_on_slack_and_discord(bot: Bot) -> None:
    course = await _course_with_hostile_summary(bot)
    from_csv = await _session_from_a_csv_row(bot, course, venue=HOSTILE, trainer=HOSTILE)
    form = {
        "course": course,
        "when": WHEN,
        "capacity": "5",
        "where": "Gun Wharf @everyone <!channel>",
        "trainer": HOSTILE,
    }
    outcome = await bot.submit("training:add", form)
    assert outcome.form_errors is None, outcome.form_errors
    from_form = max(await in_tx(bot.ctx.db, store.list_sessions), key=lambda s: s.id)

    await _announcement_payloads(bot, from_csv.id)
    replies = await _announcement_payloads(bot, from_form.id)
    assert len(replies) == 2
    for reply in replies:
        slack, discord = _slack(reply), _discord(reply)
        _assert_inert(slack, "slack")
        _assert_inert(discord, "discord")
    # ...and still reads as the trainer typed it, in both.
    csv_slack = _as_read(_slack(replies[0]))
    assert csv_slack.count("<https://evil.example/login|Click to register> [x](https://evil.example)") == 3
    csv_discord = _as_read(_discord(replies[0]))
    assert csv_discord.count("@everyone <!channel> **now**") == 3  # venue, trainer, summary


async def test_a_cancellation_reason_is_inert_in_the_notices(bot: Bot) -> None:
    session = await bot.add_session(WHEN)
    announcement = await bot.announce(session.id)
    await bot.reply_to(announcement, "g", user="ali")
    await bot.say(f"/training cancel {session.id} {HOSTILE}")
    notices = [Reply.model_validate(r.payload) for r in await bot.outbox("training:cancelled:")]
    assert len(notices) == 2  # ali, and the announcement's thread
    for notice in notices:
        _assert_inert(_slack(notice), "slack")
        _assert_inert(_discord(notice), "discord")
        assert "Reason: <https://evil.example/login|Click to register>" in _as_read(_slack(notice))


async def test_the_online_link_is_still_a_link(bot: Bot) -> None:
    session = await _session_from_a_csv_row(
        bot, "neglect", venue="Gun Wharf", online_url="https://teams.example/meet(1)"
    )
    [reply] = await _announcement_payloads(bot, session.id)
    assert "<https://teams.example/meet%281%29|Join online>" in _slack(reply)
    assert "[Join online](https://teams.example/meet%281%29)" in _discord(reply)


@pytest.mark.parametrize("url", ["https://evil.example/x|Click here", "https://evil.example/[x]"])
async def test_an_online_link_that_could_break_out_of_its_link_is_refused(bot: Bot, url: str) -> None:
    catalogue = await training.courses(bot.ctx)
    row = {"course": "neglect", "date": "2026-03-10", "start": "10:00", "capacity": "10", "online_url": url}
    checked: Any = check_session(
        row, courses=catalogue, zone=bot.ctx.settings.timezone, now=bot.ctx.now(), platform="", default_trainer=""
    )
    assert isinstance(checked, dict) and re.search("starting with https://", checked["online_url"])
