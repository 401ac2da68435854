"""Answers that name back what someone typed ("I don't know X", "X is not a time") show it as text.

Each command path is given fragments that would be a link, a mention or formatting on Slack,
Discord or Teams; the answer is rendered with each platform's real renderer. Nothing typed may
keep its power on any of them, and the person must still read what they typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord import render as discord_render
from bot.adapters.slack import render as slack_render
from bot.adapters.teams import render as teams_render
from core.clock import FrozenClock
from core.model import Reply, RequestKind, Text, reply
from core.sanitise import echoed
from tests.training_support import TRAINER, Bot, training_bot

ZWSP = "\u200b"
WARNED = "Please don't share details that could identify a child"
LOOKALIKES = {"\u2217": "*", "\u02cd": "_", "\u223c": "~", "\u02cb": "`"}
ROLES = frozenset({"practitioner", "trainer", "comms", "admin"})

# One word each (some answers name only the word they stopped at), short enough to be shown whole.
HOSTILE = [
    "[go](https://e.vil)",
    "<https://e.vil|go>",
    "https://e.vil/a",
    "<!channel>@everyone",
    "<at>x</at>@here",
    "<@U123><#C1><@&1>",
    "**b**_i_~t~`c`*s*",
]
# The example in the README of the rule: several of the above at once, cut where the answer cuts it.
SENTENCE = "zq [click](https://evil.example/a) <https://evil.example/x|here> <!channel> @everyone <at>x</at>"

# (command, what follows it) for every answer that names what was typed; {x} is the fragment,
# {soon} and {started} session numbers.
PATHS = {
    "training topic": ("training", "topic {x}"),
    "training course": ("training", "course {x}"),
    "training courses": ("training", "courses {x}"),
    "training month": ("training", "month {x}"),
    "training unknown verb": ("training", "{x} 1"),
    "training session number": ("training", "edit {x}"),
    "training announce channel": ("training", "announce {soon} {x}"),
    "training attended person": ("training", "attended {started} {x}"),
    "briefing name": ("briefing", "{x}"),
    "briefing theme": ("briefing", "theme {x}"),
    "briefing schedule time": ("briefing", "schedule laura {x} #practice"),
    "briefing schedule channel": ("briefing", "schedule laura tomorrow {x}"),
    "bulletin unknown verb": ("bulletin", "{x}"),
    "unknown command": ("{x}", ""),
    "glossary": ("glossary", "{x}"),
}


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        yield b


async def _sessions(bot: Bot, clock: FrozenClock) -> dict[str, int]:
    """One session still to come and one that has started (attendance can be recorded)."""
    started = await bot.add_session("2026-03-03 10:00-13:00")
    soon = await bot.add_session("2026-03-20 10:00-13:00")
    clock.advance(dt.timedelta(days=1, hours=2))
    return {"soon": soon.id, "started": started.id}


async def _answers(bot: Bot, command: str, text: str) -> list[Reply]:
    request = bot._request(TRAINER, kind=RequestKind.COMMAND, command=command, text=text, roles=ROLES)
    outcome = await bot.handle(request)
    assert outcome.replies, (command, text)
    return outcome.replies


def _strings(payload: Any) -> Iterator[str]:
    if isinstance(payload, str):
        yield payload
    elif isinstance(payload, dict):
        for key, value in payload.items():
            if key != "$schema":  # the Adaptive Card schema's own address
                yield from _strings(value)
    elif isinstance(payload, list):
        for value in payload:
            yield from _strings(value)


def _rendered(answer: Reply) -> dict[str, str]:
    discord = [{"content": m.content, "embeds": [e.to_dict() for e in m.embeds]} for m in discord_render.render(answer)]
    payloads = {
        "slack": [slack_render.message(answer)],
        "discord": discord,
        "teams": [teams_render.activity(answer)],
    }
    return {platform: "\n".join(_strings(payload)) for platform, payload in payloads.items()}


def _assert_powerless(shown: str, platform: str) -> None:
    # No address is whole, so none is linked: masked, Slack's <url|label>, or bare.
    assert "://" not in shown, (platform, shown)
    assert not re.search(r"\]\s*\(", shown), (platform, shown)
    # No mention or special sequence can start: Slack and Teams show "<" as &lt;, Discord
    # follows it with a zero-width space; @everyone and @here are broken the same way.
    assert not re.search("<(?!" + ZWSP + ")", shown), (platform, shown)
    assert not re.search(r"@(everyone|here|channel)", shown), (platform, shown)
    # No formatting from what was typed, in any platform's syntax.
    for marked in ("**b**", "*b*", "_i_", "~t~", "`c`", "*s*"):
        assert marked not in shown, (platform, marked, shown)


def _as_read(shown: str) -> str:
    """What a person reads: zero-width spaces are invisible, look-alikes read as the original."""
    text = shown.replace(ZWSP, "")
    for lookalike, original in LOOKALIKES.items():
        text = text.replace(lookalike, original)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("\\", "")
    return text.lower()


def _check(answers: list[Reply], typed: str) -> None:
    for answer in answers:
        for platform, shown in _rendered(answer).items():
            _assert_powerless(shown, platform)
            if WARNED in shown:  # what the guard thinks may name someone is not named back at all
                assert typed.lower() not in _as_read(shown), (platform, typed, shown)
            else:
                assert typed.lower() in _as_read(shown), (platform, typed, shown)


@pytest.mark.parametrize("path", PATHS)
async def test_what_was_typed_is_named_back_as_plain_text_on_every_platform(
    bot: Bot, clock: FrozenClock, path: str
) -> None:
    command, after = PATHS[path]
    numbers = await _sessions(bot, clock)
    for typed in HOSTILE:
        answers = await _answers(bot, command.format(x=typed), after.format(x=typed, **numbers))
        _check(answers, typed)


@pytest.mark.parametrize("path", ["training topic", "briefing theme", "unknown command"])
async def test_a_long_hostile_sentence_is_shortened_and_powerless(bot: Bot, clock: FrozenClock, path: str) -> None:
    command, after = PATHS[path]
    answers = await _answers(bot, command.format(x=SENTENCE), after.format(x=SENTENCE))
    for answer in answers:
        for platform, shown in _rendered(answer).items():
            _assert_powerless(shown, platform)
            assert "zq [click](https://evil.example/a)" in _as_read(shown), (platform, shown)
            assert "…" in shown  # cut: the answer names the start of what was typed, not all of it


async def test_a_question_after_help_is_never_named_back_and_is_powerless(bot: Bot) -> None:
    # /help screens a question as every lookup does and shows nothing typed back (tests/test_help_free_text.py);
    # one word alone is read as a command's name and named back as the other answers above are
    for typed in [*(f"what do I do about {x} now" for x in HOSTILE), SENTENCE]:
        for answer in await _answers(bot, "help", typed):
            for platform, shown in _rendered(answer).items():
                _assert_powerless(shown, platform)
                assert typed.lower() not in _as_read(shown), (platform, typed, shown)


async def test_a_course_the_add_form_cannot_find_is_named_as_plain_text(bot: Bot) -> None:
    for typed in HOSTILE:
        form = {"course": typed, "when": "2026-03-09 10:00-13:00", "capacity": "5", "where": "Gun Wharf"}
        outcome = await bot.submit("training:add", form)
        assert outcome.form_errors and "course" in outcome.form_errors, outcome
        _check([reply(Text(text=outcome.form_errors["course"]))], typed)


def test_an_echo_is_one_short_line_that_reads_as_typed() -> None:
    assert echoed("neglect training") == "neglect training"
    assert echoed("two\nlines\there") == "two lines here"
    assert echoed("x" * 50) == "x" * 39 + "…"
    shown = echoed("[go](https://e.vil) *now*")
    assert shown != "[go](https://e.vil) *now*"
    assert _as_read(shown) == "[go](https://e.vil) *now*"
