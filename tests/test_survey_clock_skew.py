"""Surveys open, remind and close by the database's clock, as the outbox, bulletins and training
reminders do: a leader whose own clock ran 10 minutes fast closed a baseline survey before its
session began, refusing the last answers, and opened a post-course survey before the session
ended (outside audit, platforms #2). Here one replica's clock is 10 minutes fast and the other's
right, on one database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.clock import FrozenClock, SystemClock
from handlers import surveys
from storage import surveys as store
from storage.training import get_session
from tests.storage_support import in_tx
from tests.surveys_support import seed_session, survey_runtime

FAST = dt.timedelta(minutes=10)


class FastClock(SystemClock):
    """A host whose clock runs 10 minutes ahead, as the bot sees it."""

    def now(self) -> dt.datetime:
        return super().now() + FAST


async def test_a_fast_leader_neither_closes_a_baseline_early_nor_opens_a_post_course_survey_early(
    database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    async with survey_runtime(database_url, tmp_path, FastClock()) as fast:
        # A session starting in 5 minutes by the right clock (5 minutes ago by the fast one): its
        # baseline closes as it starts.
        starts_soon = await seed_session(fast, going=["u1", "u2"], ended_ago=-(dt.timedelta(hours=3) - FAST / 2))
        session = await in_tx(fast.ctx.db, get_session, starts_soon)
        assert session is not None
        baseline = (await surveys.send_survey(fast.ctx, session, "pre-course")).survey
        # A session ending in 5 minutes by the right clock (it ended 5 minutes ago by the fast
        # one), with its delegates recorded already.
        ends_soon = await seed_session(fast, attendees=["d1", "d2"], ended_ago=FAST / 2)

        await surveys.survey_rounds(fast.ctx)  # the fast replica leads this round

        assert (await in_tx(fast.ctx.db, store.get_survey, baseline.id)).status == store.OPEN  # type: ignore[union-attr]
        assert await in_tx(fast.ctx.db, store.survey_for, ends_soon, "post-course") is None
