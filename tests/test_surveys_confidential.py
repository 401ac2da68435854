"""Confidentiality, checked against the real database: no platform user id with answers, a keyed
pseudonym per survey, a ledger that disappears on close, free text stored redacted and purged."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.runtime import Runtime
from core.clock import FrozenClock
from core.model import Request, RequestKind
from handlers import surveys
from storage import surveys as store
from tests.harness import command, text_of
from tests.storage_support import in_tx
from tests.surveys_support import SECRET, answer, seed_session, survey_runtime

# Distinctive ids, so a scan of the database cannot miss them or match them by accident.
PEOPLE = [f"U0PERSON{i:02d}X" for i in range(1, 9)]
COMMENT = (
    "Useful day, I will use the flowchart. "
    "Spoke to mum on 07700 900123 and emailed jo.bloggs@example.org; NHS number 943 476 5919."
)


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    async with survey_runtime(database_url, tmp_path, clock, survey_retention_days=30) as rt:
        yield rt


async def everyone_answers(rt: Runtime) -> int:
    session_id = await seed_session(rt, attendees=PEOPLE)
    await surveys.survey_rounds(rt.ctx)
    survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    for n, person in enumerate(PEOPLE):
        for q, option in ((0, n % 5), (1, (n + 2) % 5), (2, n % 2)):
            await answer(rt, f"{survey.id}.{q}.{option}", user=person)
        submit = Request(
            kind=RequestKind.SUBMIT,
            platform="console",
            user_id=person,
            action_id="survey:comment_save",
            value=f"{survey.id}.3",
            form={"comment": COMMENT},
        )
        assert "Recorded your comment" in text_of((await rt.dispatcher.handle(submit)).replies)
    return survey.id


async def all_cells(rt: Runtime, table: str) -> list[str]:
    async with rt.ctx.db.engine.connect() as conn:
        rows = (await conn.execute(text(f"SELECT * FROM {table}"))).all()  # noqa: S608 - fixed table names
    return [str(cell) for row in rows for cell in row]


async def close(rt: Runtime, survey_id: int) -> None:
    assert await surveys.close_survey(rt.ctx, survey_id)


async def test_the_answers_table_never_holds_a_platform_user_id(srt: Runtime) -> None:
    survey_id = await everyone_answers(srt)
    for table in ("survey_sealed", "survey_answers", "surveys"):
        assert not [c for c in await all_cells(srt, table) if any(p in c for p in PEOPLE)], table
    await close(srt, survey_id)
    cells = await all_cells(srt, "survey_answers")
    assert len(cells) == 8 * 4 * 8  # 8 people, 4 answers each, 8 columns
    for person in PEOPLE:
        assert not [c for c in cells if person in c], person
    assert not [c for c in await all_cells(srt, "surveys") if any(p in c for p in PEOPLE)]


async def test_a_survey_still_open_holds_only_sealed_texts_of_one_length(srt: Runtime) -> None:
    """While it is open, nothing in the database says what anyone answered: one sealed row a
    respondent, all the same length though the answers differ (a yes is shorter than a no...)."""
    await everyone_answers(srt)
    assert await all_cells(srt, "survey_answers") == []
    async with srt.ctx.db.engine.connect() as conn:
        sealed = list((await conn.execute(text("SELECT sealed FROM survey_sealed"))).scalars())
    assert len(sealed) == 8 and len({len(s) for s in sealed}) == 1
    # (long fragments only: a sealed text is random base64, so "yes" turns up in one by chance)
    for fragment in ("Spoke to mum", "removed", "recognise", "confidence"):
        assert not [s for s in sealed if fragment in s], fragment
    if srt.ctx.db.is_postgres:
        return
    # The file and its write-ahead log as a copy of them would hold them: no answer in either.
    raw = b"".join(path.read_bytes() for path in Path(str(srt.ctx.db.url.database)).parent.glob("sgbot.db*"))
    assert b"Spoke to mum" not in raw and b"phone number removed" not in raw and b"confidence_recognising" not in raw


async def test_answers_carry_no_time_that_could_line_them_up_with_the_ledger(srt: Runtime) -> None:
    async with srt.ctx.db.engine.connect() as conn:
        columns = await conn.run_sync(lambda c: inspect(c).get_columns("survey_answers"))
    assert {c["name"] for c in columns} == {
        "survey_id",
        "respondent",
        "question",
        "value",
        "measure",
        "score",
        "positive",
        "free_text",
    }


async def test_the_respondent_is_a_keyed_hash_while_open_and_a_new_random_code_once_closed(srt: Runtime) -> None:
    survey_id = await everyone_answers(srt)
    expected = {
        hmac.new(SECRET.encode(), f"console\x1f{p}\x1f{survey_id}".encode(), hashlib.sha256).hexdigest() for p in PEOPLE
    }
    async with srt.ctx.db.engine.connect() as conn:
        held = set((await conn.execute(text("SELECT respondent FROM survey_sealed"))).scalars())
    assert held == expected
    unkeyed = {hashlib.sha256(f"console\x1f{p}\x1f{survey_id}".encode()).hexdigest() for p in PEOPLE}
    assert not held & unkeyed
    other_survey = surveys.pseudonym(SECRET.encode(), "console", PEOPLE[0], survey_id + 1)
    assert other_survey not in held
    # Closed, the answers are under codes neither the old ones nor the secret lead to.
    await close(srt, survey_id)
    async with srt.ctx.db.engine.connect() as conn:
        written = set((await conn.execute(text("SELECT DISTINCT respondent FROM survey_answers"))).scalars())
        assert (await conn.execute(text("SELECT count(*) FROM survey_sealed"))).scalar() == 0
    assert not written & held and all(len(code) == 64 for code in written)
    # one code for each person's taps, and one for each comment, marked as no respondent
    taps = {code for code in written if not code.startswith(store.THREAD_CODE)}
    assert len(taps) == 8 and len(written - taps) == 8


async def test_the_completion_ledger_is_deleted_when_the_survey_closes(srt: Runtime) -> None:
    survey_id = await everyone_answers(srt)
    assert await in_tx(srt.ctx.db, store.ledger_size, survey_id) == 8
    session_id = (await in_tx(srt.ctx.db, store.get_survey, survey_id)).session_id  # type: ignore[union-attr]
    closed = await srt.dispatcher.handle(command("survey", f"close {session_id}", user="admin", roles={"admin"}))
    assert "Closed" in text_of(closed.replies)
    assert await all_cells(srt, "survey_completion") == []
    assert await in_tx(srt.ctx.db, store.respondents, survey_id) == 8  # the answers themselves stay


async def test_free_text_is_stored_redacted_and_no_identifier_reaches_the_database(srt: Runtime) -> None:
    survey_id = await everyone_answers(srt)
    raw = ["07700 900123", "jo.bloggs@example.org", "943 476 5919"]
    await close(srt, survey_id)
    tables = ("survey_answers", "survey_sealed", "surveys", "survey_completion", "audit_log", "outbox", "bot_state")
    for table in tables:
        cells = await all_cells(srt, table)
        assert not [c for c in cells if any(r in c for r in raw)], table
    async with srt.ctx.db.engine.connect() as conn:
        comments = set((await conn.execute(text("SELECT value FROM survey_answers WHERE free_text"))).scalars())
    # the sentence that held them is taken out whole; the rest is kept
    assert comments == {"Useful day, I will use the flowchart. [details that could identify someone removed]"}


async def test_free_text_is_purged_after_the_retention_period_and_taps_stay(srt: Runtime) -> None:
    survey_id = await everyone_answers(srt)
    assert isinstance(srt.ctx.clock, FrozenClock)
    srt.ctx.clock.advance(dt.timedelta(days=29, hours=23))
    await surveys.survey_rounds(srt.ctx)
    async with srt.ctx.db.engine.connect() as conn:
        count = "SELECT count(*) FROM survey_answers WHERE free_text"
        assert (await conn.execute(text(count))).scalar() == 8
    srt.ctx.clock.advance(dt.timedelta(hours=2))
    await surveys.survey_rounds(srt.ctx)
    async with srt.ctx.db.engine.connect() as conn:
        assert (await conn.execute(text(count))).scalar() == 0
        assert (await conn.execute(text("SELECT count(*) FROM survey_answers"))).scalar() == 8 * 3
    purged = await in_tx(srt.ctx.db, store.get_survey, survey_id)
    assert purged is not None and purged.text_purged_at is not None


async def test_the_audit_trail_records_surveys_but_no_answers(srt: Runtime) -> None:
    await everyone_answers(srt)
    async with srt.ctx.db.engine.connect() as conn:
        rows = (await conn.execute(text("SELECT action, subject, detail FROM audit_log"))).all()
    assert [r[0] for r in rows] == ["survey.opened"]
    assert not [r for r in rows if "Spoke" in r[2] or "[" in r[2]]
