"""A survey closes whatever its sealed answers hold: a NUL that reached one (a console form built
without the request's cleaning, outside audit trust5 #3) made every close fail on PostgreSQL, so
the survey never closed, its invitation list was never deleted and no report counted it."""

from __future__ import annotations

from pathlib import Path

from core.clock import FrozenClock
from handlers import surveys
from storage import surveys as store
from tests.surveys_support import answer, close_surveys, given_answers, seed_session, survey_runtime, thread_reply


async def test_a_comment_holding_a_nul_is_written_out_without_it_and_the_survey_closes(
    database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    # a minimum group of 1: these tests read what a close writes out for a few delegates
    async with survey_runtime(database_url, tmp_path, clock, report_min_group=1) as rt:
        session_id = await seed_session(rt, attendees=["d1", "d2"])
        await surveys.survey_rounds(rt.ctx)
        uncleaned = thread_reply(session_id, "ok", user="d1").model_copy(
            update={"text": "clearer now\x00 on the front door"}
        )
        await rt.dispatcher.handle(uncleaned)
        survey = (await given_answers(rt))[0][0]
        await answer(rt, f"{survey}.0.4", user="d2")  # one respondent: a thread reply is nobody's
        await close_surveys(rt)
        async with rt.ctx.db.transaction() as tx:
            assert not await store.open_surveys(tx)
        assert [a[3] for a in await given_answers(rt) if a[2] == "comment"] == ["clearer now on the front door"]
