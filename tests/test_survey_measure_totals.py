"""A closed survey's per-measure counts (survey_measure_totals), which the reports add up instead
of reading every answer, say exactly what the answers say: when a survey closes, and for surveys
closed before the table existed (the migration)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.runtime import Runtime
from core.clock import FrozenClock
from handlers import surveys
from storage import surveys as store
from tests.storage_support import down_and_up, in_tx
from tests.surveys_support import answer, seed_session, survey_runtime, thread_reply

PEOPLE = [f"d{n:02d}" for n in range(23)]

# Counted again from the answers, the way nothing in the product counts them any more.
FROM_ANSWERS = (
    "SELECT survey_id, measure, count(*), sum(CASE WHEN positive THEN 1 ELSE 0 END), count(score), "
    "coalesce(sum(score), 0) FROM survey_answers WHERE measure IS NOT NULL GROUP BY survey_id, measure"
)
STORED = "SELECT survey_id, measure, answers, positive, scored, score_total FROM survey_measure_totals"


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    async with survey_runtime(database_url, tmp_path, clock) as rt:
        yield rt


async def rows(rt: Runtime, sql: str) -> list[tuple[object, ...]]:
    async with rt.ctx.db.engine.connect() as conn:
        return sorted(tuple(int(c) if isinstance(c, bool) else c for c in r) for r in (await conn.execute(text(sql))))


async def closed_survey_with_answers(rt: Runtime, seed: int) -> int:
    """A post-course survey that some delegates answered, some changing an answer, one replying
    in the thread, and that then closed."""
    session_id = await seed_session(rt, attendees=PEOPLE)
    await surveys.survey_rounds(rt.ctx)
    survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    rng = random.Random(seed)
    for person in rng.sample(PEOPLE, 17):
        for question, choices in ((0, 5), (1, 5), (2, 2)):
            if rng.random() < 0.85:
                assert "Recorded" in await answer(rt, f"{survey.id}.{question}.{rng.randrange(choices)}", user=person)
        if rng.random() < 0.3:  # changed their mind
            await answer(rt, f"{survey.id}.0.{rng.randrange(5)}", user=person)
    await rt.dispatcher.handle(thread_reply(session_id, "The case study made it real", user=PEOPLE[0]))
    assert await surveys.close_survey(rt.ctx, survey.id)
    return survey.id


async def test_a_closing_survey_counts_each_measure_as_its_answers_do(srt: Runtime) -> None:
    first = await closed_survey_with_answers(srt, 1)
    second = await closed_survey_with_answers(srt, 2)
    stored = await rows(srt, STORED)
    assert {r[0] for r in stored} == {first, second}
    assert stored == await rows(srt, FROM_ANSWERS)
    # and the figures the reports show are those of the answers
    counts = await store.measure_counts(srt.ctx.db, store.Selection(min_group=1))
    assert sum(n for *_k, n, _p, _sn, _st, _w in counts) == sum(int(str(r[2])) for r in stored)


async def test_the_upgrade_counts_the_surveys_closed_before_it(srt: Runtime) -> None:
    await closed_survey_with_answers(srt, 3)
    expected = await rows(srt, STORED)

    await down_and_up(srt.ctx.db, "0010_survey_sealed")
    assert expected and await rows(srt, STORED) == expected


async def test_a_survey_an_older_version_closed_after_the_upgrade_is_counted_from_its_answers(srt: Runtime) -> None:
    """An outside review: during a rolling upgrade an old replica closes surveys and writes no
    counts; the reports left those surveys out, and the answers export, finding no small unit
    in them, exported a question only two people answered."""
    session_id = await seed_session(srt, attendees=PEOPLE[:8])
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    for n, person in enumerate(PEOPLE[:8]):
        assert "Recorded" in await answer(srt, f"{survey.id}.0.{n % 5}", user=person)
        if n < 2:  # the barriers question: two people, too few to count
            assert "Recorded" in await answer(srt, f"{survey.id}.2.1", user=person)
    assert await surveys.close_survey(srt.ctx, survey.id)
    sel = store.Selection(min_group=5)
    counted = await store.measure_counts(srt.ctx.db, sel)
    baseline = await store.baseline_measure_counts(srt.ctx.db, sel)
    assert [withheld for *_rest, withheld in counted if withheld] == [2]
    async with srt.ctx.db.engine.begin() as conn:
        await conn.execute(text("DELETE FROM survey_measure_totals"))  # as the older version closed it
    assert await store.measure_counts(srt.ctx.db, sel) == counted
    assert await store.baseline_measure_counts(srt.ctx.db, sel) == baseline


async def test_a_respondent_whose_answers_could_not_be_opened_is_no_response(srt: Runtime) -> None:
    """An outside review: answers sealed under another SURVEY_SECRET are lost at close, yet the
    person was still counted as a response, and towards the minimum group that releases the rest."""
    from storage.sealed import Answer, SealedAnswers, Sealer

    session_id = await seed_session(srt, attendees=PEOPLE[:6])
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    for person in PEOPLE[:4]:
        assert "Recorded" in await answer(srt, f"{survey.id}.0.4", user=person)
    old = b"an-old-secret-0123456789"
    code = surveys.pseudonym(old, "console", PEOPLE[5], survey.id)
    async with srt.ctx.db.transaction() as tx:
        lost = Sealer(old).seal(survey.id, code, {"recognise": Answer("1")})
        await tx.execute(SealedAnswers.__table__.insert(), {"survey_id": survey.id, "respondent": code, "sealed": lost})
    closed = await surveys.close_survey(srt.ctx, survey.id)
    assert closed is not None and closed.unreadable == 1
    async with srt.ctx.db.transaction() as tx:
        assert (await store.get_survey(tx, survey.id)).respondents == 4  # type: ignore[union-attr]
    [(_course, _kind, _surveys, _invited, responded, released, _open)] = await store.survey_counts(
        srt.ctx.db, store.Selection(min_group=5)
    )
    assert (responded, released) == (4, 0)  # four people: fewer than the minimum, nothing released


async def test_a_close_during_the_reordering_of_clear_answers_waits_for_it(srt: Runtime) -> None:
    """An outside review (PostgreSQL): a survey open across the upgrade to sealing had its clear
    answers rewritten in pseudonym order by the leader's job while an admin closed it; the close
    missed the rewritten rows, left three people's answers under their own pseudonyms, and
    counted them twice."""
    import asyncio

    from storage.surveys import SurveyAnswer

    if not srt.ctx.db.is_postgres:
        pytest.skip("PostgreSQL only: SQLite answers are never reordered (storage.surveys.reorder_answers)")
    key = srt.ctx.settings.survey_key()
    session_id = await seed_session(srt, attendees=PEOPLE[:8])
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    clear = {surveys.pseudonym(key, "console", person, survey.id) for person in PEOPLE[:3]}
    for code in clear:  # as answers were written before sealing, each in a transaction of its own
        async with srt.ctx.db.transaction() as tx:
            row = {"survey_id": survey.id, "respondent": code, "question": "recognise", "value": "5",
                   "measure": "confidence_recognising", "score": 5, "positive": True, "free_text": False}  # fmt: skip
            await tx.execute(SurveyAnswer.__table__.insert(), row)
    for person in PEOPLE[3:8]:
        assert "Recorded" in await answer(srt, f"{survey.id}.0.0", user=person)
    async with srt.ctx.db.transaction() as job:  # the survey job's reorder, not yet committed
        await store.reorder_answers(job, survey.id)
        closing = asyncio.create_task(surveys.close_survey(srt.ctx, survey.id))
        await asyncio.sleep(0.5)  # the close has begun, and waits
    assert await closing
    written = await rows(srt, f"SELECT respondent FROM survey_answers WHERE survey_id = {survey.id}")
    assert len(written) == 8 and not clear & {str(r[0]) for r in written}
    assert await rows(srt, STORED) == await rows(srt, FROM_ANSWERS)


async def test_the_comments_index_holds_comments_only_on_both_databases(srt: Runtime) -> None:
    """The migration makes ix_survey_answers_comments partial; the model cannot say so without
    loading SQLAlchemy's PostgreSQL dialect into every SQLite bot (the next test)."""
    if srt.ctx.db.is_postgres:
        found = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_survey_answers_comments'"
        [(definition,)] = await rows(srt, found)
        assert str(definition).endswith("WHERE free_text")
    else:
        [(definition,)] = await rows(srt, "SELECT sql FROM sqlite_master WHERE name = 'ix_survey_answers_comments'")
        assert str(definition).endswith("WHERE free_text = 1")


def test_the_tables_load_no_postgresql_dialect() -> None:
    """An index declared with postgresql_where made every bot, SQLite ones too, load SQLAlchemy's
    PostgreSQL dialect: 2.3 MB of idle memory (bench runtime)."""
    import subprocess
    import sys

    program = "import sys, storage.schema; print('sqlalchemy.dialects.postgresql' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "False"
