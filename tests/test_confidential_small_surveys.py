"""A survey that closes with fewer respondents than REPORT_MIN_GROUP keeps only how many answered.
An outside reader of the database (twenty-second session) joined a closed survey with one invited
and one respondent to the session's list of who went, and read that person's answers; with two, a
delegate who knows their own answers reads the other's. No report ever shows such a survey."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from sqlalchemy import text

from core.clock import FrozenClock
from handlers import surveys
from storage import surveys as store
from tests.storage_support import in_tx
from tests.surveys_support import answer, close_surveys, seed_session, survey_runtime, thread_reply

# The auditor's query: the answers of a closed survey, beside the people the session says went.
READER = """
select s.id, r.platform || ':' || r.user_id, a.question, a.value
from surveys s join survey_answers a on a.survey_id = s.id
join training_rsvps r on r.session_id = s.session_id and r.status = 'going'
where s.status = 'closed' and s.respondents = :n
"""


async def test_one_or_four_respondents_leave_a_count_and_no_answer_to_read(
    database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    async with survey_runtime(database_url, tmp_path, clock) as rt:  # the default minimum, 5
        solo = await seed_session(rt, attendees=["solo"])
        four = await seed_session(rt, attendees=["a1", "a2", "a3", "a4", "a5", "a6"])
        five = await seed_session(rt, attendees=["b1", "b2", "b3", "b4", "b5"])
        await surveys.survey_rounds(rt.ctx)
        ids = {}
        for session_id, people in (
            (solo, ["solo"]),
            (four, ["a1", "a2", "a3", "a4"]),
            (five, ["b1", "b2", "b3", "b4", "b5"]),
        ):
            survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
            assert survey is not None
            ids[session_id] = survey.id
            for person in people:
                await answer(rt, f"{survey.id}.0.4", user=person)
                await answer(rt, f"{survey.id}.2.0", user=person)
        await rt.dispatcher.handle(thread_reply(solo, "useful, thanks", user="solo"))
        await close_surveys(rt)
        async with rt.ctx.db.engine.connect() as conn:
            for n in (1, 4):
                assert (await conn.execute(text(READER), {"n": n})).all() == []
            answers = dict(
                (await conn.execute(text("select survey_id, count(*) from survey_answers group by survey_id"))).all()
            )
            totals = set((await conn.execute(text("select distinct survey_id from survey_measure_totals"))).scalars())
            counted = dict((await conn.execute(text("select id, respondents from surveys"))).all())
        # the small surveys keep how many answered (the response rate), nothing of what they said
        assert counted[ids[solo]] == 1 and counted[ids[four]] == 4 and counted[ids[five]] == 5
        assert set(answers) == {ids[five]} and answers[ids[five]] == 10
        assert totals == {ids[five]}


async def test_a_lower_minimum_keeps_the_answers_it_would_report(
    database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    async with survey_runtime(database_url, tmp_path, clock, report_min_group=2) as rt:
        session_id = await seed_session(rt, attendees=["c1", "c2"])
        await surveys.survey_rounds(rt.ctx)
        survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
        assert survey is not None
        for person in ("c1", "c2"):
            await answer(rt, f"{survey.id}.0.4", user=person)
        await close_surveys(rt)
        async with rt.ctx.db.engine.connect() as conn:
            assert (await conn.execute(text("select count(*) from survey_answers"))).scalar() == 2


async def test_answers_an_earlier_version_wrote_out_for_a_small_survey_are_deleted(
    database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    async with survey_runtime(database_url, tmp_path, clock, report_min_group=1) as rt:
        session_id = await seed_session(rt, attendees=["solo"])
        await surveys.survey_rounds(rt.ctx)
        survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
        assert survey is not None
        await answer(rt, f"{survey.id}.0.4", user="solo")
        await close_surveys(rt)  # written out under a minimum of 1, as every close did before
        async with rt.ctx.db.engine.connect() as conn:
            assert (await conn.execute(text("select count(*) from survey_answers"))).scalar() == 1
        # as a database an earlier version wrote: the once-only clearing has not run on it
        async with rt.ctx.db.engine.begin() as conn:
            await conn.execute(text("delete from bot_state where name = 'surveys.small_answers_dropped'"))
        # the survey round's housekeeping, under the default minimum
        assert await in_tx(rt.ctx.db, partial(store.drop_small_surveys_answers, now=clock.now()), 5) == 1
        async with rt.ctx.db.engine.connect() as conn:
            assert (await conn.execute(text("select count(*) from survey_answers"))).scalar() == 0
            assert (await conn.execute(text("select count(*) from survey_measure_totals"))).scalar() == 0
            assert (await conn.execute(text("select respondents from surveys"))).scalar() == 1


async def test_a_minimum_raised_later_deletes_no_answers_closed_under_a_lower_one(
    database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    """A review: the survey round applied the minimum in force to every closed survey, so raising
    REPORT_MIN_GROUP to 10 deleted the answers of a survey closed with 7 under the default 5."""
    async with survey_runtime(database_url, tmp_path, clock) as rt:
        session_id = await seed_session(rt, attendees=[f"p{i}" for i in range(7)])
        await surveys.survey_rounds(rt.ctx)  # the one clearing after the upgrade runs here, with nothing to clear
        survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
        assert survey is not None
        for i in range(7):
            await answer(rt, f"{survey.id}.0.4", user=f"p{i}")
        await close_surveys(rt)
        assert await in_tx(rt.ctx.db, partial(store.drop_small_surveys_answers, now=clock.now()), 10) == 0
        async with rt.ctx.db.engine.connect() as conn:
            assert (await conn.execute(text("select count(*) from survey_answers"))).scalar() == 7
