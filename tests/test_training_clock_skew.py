"""Replies close, and posts close, when the session starts by the database's clock, whatever a
replica's own clock says (an outside audit, twentieth session): a replica ten minutes slow took
Going three minutes after the start, one ten minutes fast refused it five minutes before, and a
fast leader dropped the edit that closes a posted copy, leaving Going offered after the start."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.clock import FrozenClock, SystemClock
from handlers.training import posts
from storage import training as store
from tests.harness import action, text_of
from tests.storage_support import in_tx
from tests.surveys_support import seed_session, survey_runtime

SKEW = dt.timedelta(minutes=10)
LENGTH = dt.timedelta(hours=3)


class FastClock(SystemClock):
    def now(self) -> dt.datetime:
        return super().now() + SKEW


class SlowClock(SystemClock):
    def now(self) -> dt.datetime:
        return super().now() - SKEW


def starting_in(rt_clock_offset: dt.timedelta, start_from_now: dt.timedelta) -> dt.timedelta:
    """seed_session's `ended_ago` for a session that starts `start_from_now` from the right time,
    on a replica whose clock reads `rt_clock_offset` from it."""
    return -(LENGTH + start_from_now - rt_clock_offset)


async def test_a_slow_replica_refuses_going_after_the_start(
    database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    async with survey_runtime(database_url, tmp_path, SlowClock()) as slow:
        started = await seed_session(slow, going=[], ended_ago=starting_in(-SKEW, -dt.timedelta(minutes=3)))
        outcome = await slow.dispatcher.handle(action("training:rsvp", f"{started}:g", user="late"))
        assert "has already started, so replies are closed" in text_of(list(outcome.replies))
        assert await in_tx(slow.ctx.db, store.rsvps, started, [store.GOING]) == []


async def test_a_fast_replica_takes_going_before_the_start(
    database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    async with survey_runtime(database_url, tmp_path, FastClock()) as fast:
        soon = await seed_session(fast, going=[], ended_ago=starting_in(SKEW, dt.timedelta(minutes=5)))
        outcome = await fast.dispatcher.handle(action("training:rsvp", f"{soon}:g", user="early"))
        assert "already started" not in text_of(list(outcome.replies))
        assert [r.user_id for r in await in_tx(fast.ctx.db, store.rsvps, soon, [store.GOING])] == ["early"]


async def test_a_fast_leader_keeps_the_edit_that_closes_a_posted_copy(
    database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    async with survey_runtime(database_url, tmp_path, FastClock()) as fast:
        soon = await seed_session(fast, going=["u1"], ended_ago=starting_in(SKEW, dt.timedelta(minutes=3)))
        catalogue = await posts.courses(fast.ctx)
        async with fast.ctx.db.transaction() as tx:
            session = await store.lock_session(tx, soon)
            assert session is not None
            posted = [a for a in await store.announcements(tx, soon) if a.message_id]
            assert posted, "seed_session announces the session"
            await posts.schedule_closing(fast.ctx, tx, session, catalogue, posted)
            await posts.schedule_closing(fast.ctx, tx, session, catalogue, posted)  # the hourly job, again
            closing = await store.outbox_states(tx, f"announce-close:{soon}:")
        assert [e.status for e in closing] == ["pending"]  # one, still waiting for the start
