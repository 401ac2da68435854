"""The console numbers its messages on from an earlier run on the same data, so a stored post keeps
a number of its own (an outside audit of issue 14, F6: after a restart, `/training cancel 1`
showed the #training announcement [3] as an edit of someone's private reply [3] in #general)."""

from __future__ import annotations

import asyncio
import io
import threading
from pathlib import Path
from typing import Any

import pytest

from core.clock import FrozenClock
from storage import state
from storage.db import DatabaseUnavailable
from tests.storage_support import in_tx
from tests.training_support import training_bot

ADD_AND_ANNOUNCE = (
    "/training add neglect 2026-03-09 09:30-12:30 20 places Gun Wharf\n\n\n\n\n\n/training announce 1 training"
)


async def test_after_a_restart_an_edit_of_an_earlier_post_lands_on_that_post(
    tmp_path: Path, clock: FrozenClock, database_url: str
) -> None:
    async with training_bot(tmp_path, clock, database_url) as first:
        out = await first.console.run(ADD_AND_ANNOUNCE)
        assert out.count("\n[3] #training\n") == 1  # [1] and [2] answered Sam
    async with training_bot(tmp_path, clock, database_url, clean=False) as second:
        again = await second.console.run("/whoami\n/training cancel 1 trainer ill")
    assert again.startswith("> /whoami\n[4] #general to sam")
    assert "[updated 3] #training\n  == Recognising and responding to neglect ==\n" in again
    assert "[updated 3] #general" not in again and "[3] " not in again


async def test_an_interactive_run_numbers_on_too_and_is_continued_in_turn(
    tmp_path: Path, clock: FrozenClock, database_url: str
) -> None:
    async with training_bot(tmp_path, clock, database_url) as first:
        await first.console.run(ADD_AND_ANNOUNCE)
    async with training_bot(tmp_path, clock, database_url, clean=False) as second:
        await second.console.session.run_interactive(io.StringIO("/whoami\n"))
        assert "[4] #general to sam" in second.posts()
    async with training_bot(tmp_path, clock, database_url, clean=False) as third:
        assert (await third.console.run("/whoami")).startswith("> /whoami\n[5] #general to sam")


async def test_a_number_that_cannot_be_saved_yet_is_saved_after_the_next_line(
    tmp_path: Path, clock: FrozenClock, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_put = state.put

    async def unreachable(*args: Any, **kwargs: Any) -> None:
        raise DatabaseUnavailable("cannot reach the database")

    async with training_bot(tmp_path, clock, database_url) as first:
        monkeypatch.setattr(state, "put", unreachable)
        out = await first.console.run("/whoami")  # the console carries on
        assert out.startswith("> /whoami\n[1] #general to sam")
        monkeypatch.setattr(state, "put", real_put)
        await first.console.run("/whoami")
        assert await in_tx(first.ctx.db, state.get, "console_last_message") == "2"


async def test_after_a_restart_an_earlier_posts_buttons_can_still_be_pressed(
    tmp_path: Path, clock: FrozenClock, database_url: str
) -> None:
    # An outside audit: in a second run on the same data "@ben !3.1" said "There is no message [3]"
    # and "@ben !1" "There are no choices to press yet", though the README says the posts are there
    async with training_bot(tmp_path, clock, database_url) as first:
        await first.console.run(ADD_AND_ANNOUNCE)
    async with training_bot(tmp_path, clock, database_url, clean=False) as second:
        pressed = await second.console.run("@ben !3.1\n@amy !1")
        assert "There is no message" not in pressed and "no choices to press" not in pressed
        assert "[updated 3] #training" in pressed and "18 of 20 places left" in pressed
        refused = await second.console.run("@cat !4.1")  # a private answer stays its reader's
        # and nothing shown to one person is kept between runs: which private messages went to
        # whom would say who answered a survey (a review of the change)
        kept = await in_tx(second.ctx.db, state.get, "console_messages")
    assert "was shown only to ben, so only they can press its choices" in refused
    assert kept is not None and "ben" not in kept and "amy" not in kept and "dm:" not in kept


async def test_the_end_of_input_waits_for_a_tick_caught_inside_a_transaction(
    tmp_path: Path, clock: FrozenClock, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outside audit (seventeenth session): `printf '/threshold ...' | sgbot run` did not exit
    1 time in 12, when the end of input came while the once-a-second tick was inside a transaction:
    the tick was cancelled but not awaited, and the database closed under it."""
    async with training_bot(tmp_path, clock, database_url) as bot:
        runtime = bot.console.session.runtime
        in_transaction = threading.Event()
        finished: list[str] = []

        async def slow_tick() -> None:
            async with runtime.ctx.db.transaction() as tx:
                await state.get(tx, "console.probe")
                in_transaction.set()
                try:
                    await asyncio.sleep(30)
                finally:
                    finished.append("rolled back")

        monkeypatch.setattr(runtime, "tick_due", slow_tick)

        class EndsDuringTheTick(io.StringIO):
            def readline(self, size: int = -1) -> str:
                in_transaction.wait(10)
                return ""

        await bot.console.session.run_interactive(EndsDuringTheTick())
        assert finished == ["rolled back"]
        assert [t for t in asyncio.all_tasks() if t is not asyncio.current_task()] == []
