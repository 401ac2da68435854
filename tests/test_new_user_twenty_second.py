"""What a new user following the README met (an outside audit, 2026-12-07): `/threshold level -1`
showed level 1 in full; `/impact` with a number too long for a session looked for a course of that
name; a session imported from last year's programme said it "has started" and listed "nobody yet"."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.contentpack import ContentPack
from tests.pack_support import answer_text, medway_pack
from tests.test_training_reminders import step_to
from tests.training_support import Bot, london, training_bot


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize("asked", ["level -1", "level - 2", "lvl -3", "level: -4", "level--1"])
def test_a_negative_level_is_not_read_as_that_level(pack: ContentPack, asked: str) -> None:
    shown = answer_text(pack, asked)
    assert "The levels of need are 1 to 4" in shown
    assert "== Level" not in shown and "Level 1 — Universal ==" not in shown


@pytest.mark.parametrize("asked", ["level-1", "level 1", "lvl-3"])
def test_a_hyphen_is_still_the_level_it_names(pack: ContentPack, asked: str) -> None:
    shown = answer_text(pack, asked)
    assert "The levels of need are 1 to 4" not in shown and "What to do" in shown


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        yield b


@pytest.mark.parametrize("typed", ["99999999999999999999", "#1234567890", "session 12345678901234"])
async def test_a_number_too_long_for_a_session_is_no_session_not_a_course(bot: Bot, typed: str) -> None:
    said = await bot.text(f"/impact {typed}")
    assert "There is no session" in said and "check the number on the announcement" in said
    assert "course" not in said


async def test_a_session_long_over_says_it_finished_and_nobody_came_not_nobody_yet(
    bot: Bot, clock: FrozenClock
) -> None:
    session = await bot.add_session("2026-03-09 10:00-13:00")
    await step_to(bot, clock, london(2026, 3, 9, 11, 0))
    during = await bot.text(f"/training {session.id}")
    assert "This session has started, so replies are closed." in during
    clock.advance(dt.timedelta(days=120))
    after = await bot.text(f"/training {session.id}")
    assert "This session has finished, so replies are closed." in after
    assert "Going (0): nobody" in after.replace("**", "") and "nobody yet" not in after


@pytest.mark.parametrize("asked", ["Level -1.", "level -1?", "level - 1"])
def test_a_negative_level_with_a_full_stop_is_no_level_either(pack: ContentPack, asked: str) -> None:
    """A review: "Level -1." and "level -1?" still showed level 1 in full."""
    shown = answer_text(pack, asked)
    assert "The levels of need are 1 to 4" in shown and "Level 1 — Universal ==" not in shown


async def test_a_session_number_with_leading_zeros_is_that_session(bot: Bot) -> None:
    session = await bot.add_session("2026-03-09 10:00-13:00")
    said = await bot.text(f"/impact #00000000000{session.id}")
    assert "There is no session" not in said
