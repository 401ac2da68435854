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
from storage.db import alembic_config
from tests.storage_support import in_tx
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

    def back_and_forward(sync_conn: object) -> None:
        from alembic import command

        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        command.downgrade(cfg, "0010_survey_sealed")
        command.upgrade(cfg, "heads")

    async with srt.ctx.db.engine.begin() as conn:
        await conn.run_sync(back_and_forward)
    assert expected and await rows(srt, STORED) == expected
