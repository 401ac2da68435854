"""An outside audit: a comment given through a survey's comment button was written, when the
survey closed, under the same code as its writer's button answers, so a comment that says who
wrote it ("as the only school nurse on this course...") told anyone reading survey_answers, or a
backup of it, how that person scored, with no key needed. Now each comment has a code of its
own, for surveys closing from now on and (by the migration) for those closed before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.runtime import Runtime
from core.clock import FrozenClock
from handlers import surveys
from storage import surveys as store
from tests.storage_support import down_and_up, in_tx
from tests.surveys_support import answer, seed_session, survey_runtime
from tests.test_surveys_impact import comment

PEOPLE = [f"d{n}" for n in range(1, 7)]
NURSE = "As the only school nurse on this course, I will ask my lead about supervision"


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    async with survey_runtime(database_url, tmp_path, clock) as rt:
        yield rt


async def survey_with_a_telling_comment(rt: Runtime) -> int:
    """Six delegates tap; the first also leaves a comment that says who they are; the last only
    comments."""
    session_id = await seed_session(rt, attendees=PEOPLE)
    await surveys.survey_rounds(rt.ctx)
    survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    for n, person in enumerate(PEOPLE[:-1]):
        assert "Recorded" in await answer(rt, f"{survey.id}.0.{n % 5}", user=person)
        assert "Recorded" in await answer(rt, f"{survey.id}.1.{(n + 1) % 5}", user=person)
    await comment(rt, survey.id, PEOPLE[0], NURSE)
    await comment(rt, survey.id, PEOPLE[-1], "Useful day")
    return survey.id


async def codes(rt: Runtime) -> tuple[dict[str, set[bool]], int | None]:
    """Each respondent code with whether its rows are comments; and the survey's respondents."""
    async with rt.ctx.db.engine.connect() as conn:
        found: dict[str, set[bool]] = {}
        for code, free_text in await conn.execute(text("SELECT respondent, free_text FROM survey_answers")):
            found.setdefault(code, set()).add(bool(free_text))
        respondents = (await conn.execute(text("SELECT respondents FROM surveys"))).scalar()
    return found, respondents


async def test_a_reader_of_the_closed_answers_cannot_put_a_comment_beside_its_writers_taps(srt: Runtime) -> None:
    survey_id = await survey_with_a_telling_comment(srt)
    assert await surveys.close_survey(srt.ctx, survey_id)
    found, respondents = await codes(srt)
    # The attack: find the code of the comment that names its writer, then read that code's taps.
    async with srt.ctx.db.engine.connect() as conn:
        (nurse_code,) = (
            await conn.execute(text("SELECT respondent FROM survey_answers WHERE value = :v"), {"v": NURSE})
        ).one()
        beside = (
            await conn.execute(
                text("SELECT count(*) FROM survey_answers WHERE respondent = :c AND NOT free_text"), {"c": nurse_code}
            )
        ).scalar()
    assert beside == 0
    assert all(kinds == {True} or kinds == {False} for kinds in found.values())  # no code holds both
    assert all(code.startswith(store.THREAD_CODE) for code, kinds in found.items() if kinds == {True})
    # Still six respondents: the delegate who only commented answered the survey.
    assert respondents == len(PEOPLE)
    assert sum(1 for kinds in found.values() if kinds == {False}) == len(PEOPLE) - 1


async def test_the_upgrade_moves_the_comments_of_surveys_closed_before_it_apart(srt: Runtime) -> None:
    survey_id = await survey_with_a_telling_comment(srt)
    assert await surveys.close_survey(srt.ctx, survey_id)
    async with srt.ctx.db.engine.begin() as conn:
        # As an earlier version closed it: the nurse's comment under the code of the nurse's taps.
        tap_code = (await conn.execute(text("SELECT min(respondent) FROM survey_answers WHERE NOT free_text"))).scalar()
        await conn.execute(
            text("UPDATE survey_answers SET respondent = :c WHERE value = :v"), {"c": tap_code, "v": NURSE}
        )
    before, respondents_before = await codes(srt)
    assert {True, False} in before.values()

    await down_and_up(srt.ctx.db, "0011_survey_measure_totals")
    after, respondents_after = await codes(srt)
    assert {True, False} not in after.values()
    assert sum(len(kinds) for kinds in after.values()) == len(after)
    assert respondents_after == respondents_before == len(PEOPLE)
    async with srt.ctx.db.engine.connect() as conn:
        still = await conn.execute(text("SELECT count(*) FROM survey_answers WHERE respondent = :c"), {"c": tap_code})
        assert still.scalar() == 2  # the taps stay under their code; only the comment moved
