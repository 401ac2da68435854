"""Tables for impact surveys: one survey per session and kind, the answers under pseudonyms, and
the completion ledger used for the single reminder.

Confidentiality is built into the shapes:
- While a survey is open, each respondent's answers are one sealed row of `survey_sealed`
  (storage/sealed.py): encrypted under a key from the survey secret, padded to one length, so
  nothing stored, in any file, log or backup, says what anyone answered. The respondent is an
  HMAC of platform, user id and survey, so the same person's post-course and follow-up answers
  cannot be linked.
- `survey_completion` names invited people, and nothing else: it is written when people are
  invited and deleted when the survey closes, never when someone answers. So no row, system
  column (PostgreSQL's xmin, ctid), order or id of the ledger changes with an answer, and
  nothing there can be joined to one. Who has answered (for the single reminder) is worked out
  from the pseudonyms when the reminder goes.
- When it closes, `close` writes every answer to `survey_answers` at once (`_unseal`), under new
  random codes (each comment under one of its own, never beside its writer's taps), in the
  order of those codes, in the closing transaction: the rows the reports
  read have no user id and no timestamp, share one transaction id, and sit in an order that
  says nothing about when each answer was given.
- answers.csv numbers respondents afresh, in a random order, for each export, each comment under
  a number of its own (never beside its writer's taps), and leaves out what the figures leave out.
- The reports count a survey's answers only once it has closed with at least the minimum group
  of respondents (`Selection.released`; `Survey.respondents` is set when it closes). A survey
  still open would let two looks a minute apart show one person's answers, and a smaller
  survey would be the difference between two reports whose periods differ by its session.

Repositories here take the caller's transaction (`tx`, see storage/db.py), except three kinds of
work that take the `Database` and hold a connection of their own, on purpose:
- `save_answer`: an answer is written in a transaction of its own that locks the person's
  sealed row, opens it, and writes it back (so quick taps apply one after another). It is never
  part of a caller's unit of work: any other write in the same transaction would carry the
  answer's transaction id (xmin) and so say when it was given.
- the report's counts (`survey_counts`, `measure_counts`, `baseline_measure_counts`,
  `comments`, `activity`): run at once, each on its own connection, with PostgreSQL's JIT
  turned off for that connection's transaction.
- `export_answers`: one connection for the whole export (sqlite3 in a thread; on PostgreSQL
  asyncpg itself, with planner settings and temporary tables for that transaction), and a
  thread writing one block to the files while the database builds the next.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import random
import re
import secrets
import sqlite3
import weakref
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, ExitStack, asynccontextmanager, suppress
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import permutations
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    case,
    delete,
    distinct,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.schema import CreateTable

from storage import sealed
from storage.db import Database, existing_file_uri, insert, is_postgres
from storage.group_commit import GroupCommit
from storage.models import Base, OutboxMessage, ThreadClaim
from storage.sealed import SealedAnswers
from storage.text import storable
from storage.training import Attendance, Rsvp, TrainingSession

if TYPE_CHECKING:
    from storage.xlsx import SharedStrings

OPEN, CLOSED = "open", "closed"
# How a comment replied in a survey's thread is kept: under a code of its own that starts with
# this (never a hex digit), so it is not linked to the person's button answers and not counted
# as another respondent.
THREAD_CODE = "t"

log = logging.getLogger("sgbot.surveys")


class Survey(Base):
    """One survey sent for one session: its pre-course baseline, post-course or follow-up survey."""

    __tablename__ = "surveys"
    __table_args__ = (UniqueConstraint("session_id", "kind", name="uq_surveys_session_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(Integer, index=True)  # training_sessions.id (no FK: a separate branch)
    kind: Mapped[str] = mapped_column(String(20))  # pre-course | post-course | follow-up
    # The definition as it was when the survey was sent, so later pack edits never change what
    # a button on an old message means.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default=OPEN)  # open | closed
    invited: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[dt.datetime]
    remind_at: Mapped[dt.datetime | None]
    reminded_at: Mapped[dt.datetime | None]
    closes_at: Mapped[dt.datetime]
    closed_at: Mapped[dt.datetime | None]
    text_purged_at: Mapped[dt.datetime | None]
    # How many people answered, counted when the survey closes (no one can answer after): whether
    # the reports may count its answers (Selection.released).
    respondents: Mapped[int | None]


class SurveyAnswer(Base):
    """One answer to one question of a closed survey, under the respondent's code for the reports
    (written once, when the survey closed: see `close`; answers to open surveys are sealed)."""

    __tablename__ = "survey_answers"
    # A closing survey counts its answers per measure from this index alone (write_measure_totals).
    # No rowid on SQLite: a rowid would number the answers in the order they were given.
    __table_args__ = (
        Index("ix_survey_answers_measures", "survey_id", "measure", "positive", "score"),
        # The comments a report quotes are the first in pseudonym order (`comments`): read from
        # here, the report stops after them rather than sorting every comment of the year. The
        # migration (0011) makes it partial, of comments only (WHERE free_text); said here, that
        # condition would load SQLAlchemy's PostgreSQL dialect into every SQLite bot (2.3 MB).
        Index("ix_survey_answers_comments", "respondent", "question"),
        {"sqlite_with_rowid": False},
    )

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    respondent: Mapped[str] = mapped_column(String(64), primary_key=True)  # HMAC, hex
    question: Mapped[str] = mapped_column(String(40), primary_key=True)  # question id
    value: Mapped[str] = mapped_column(Text)  # "4", "yes", an option id, "a,b", or redacted text
    # Copied from the definition when the answer is saved, so reports aggregate in SQL.
    measure: Mapped[str | None] = mapped_column(String(40))
    score: Mapped[int | None] = mapped_column(Integer)  # 1-5 for scale questions
    positive: Mapped[bool | None] = mapped_column(Boolean)  # counts toward `measure`
    free_text: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyMeasureTotal(Base):
    """How a closed survey's answers counted toward each measure, written with the answers when it
    closes (`write_measure_totals`): the reports add these up rather than read every answer, so
    a year's report waits on the number of surveys, not of answers. Counts only, with no code,
    value or time: nothing here is about one person that the answers do not already say."""

    __tablename__ = "survey_measure_totals"
    __table_args__ = ({"sqlite_with_rowid": False},)

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    measure: Mapped[str] = mapped_column(String(40), primary_key=True)
    answers: Mapped[int] = mapped_column(Integer)
    positive: Mapped[int] = mapped_column(Integer)  # answers that count toward the measure
    scored: Mapped[int] = mapped_column(Integer)  # answers on a 1-5 scale
    score_total: Mapped[int] = mapped_column(Integer)


class SurveyCompletion(Base):
    """The ledger of who was invited. Written when people are invited, deleted on close, and
    never touched by an answer (see the module's note)."""

    __tablename__ = "survey_completion"

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(120), primary_key=True)


# --- sessions and invitations -------------------------------------------------------------------


async def delegates(tx: AsyncSession, session_id: int) -> list[tuple[str, str]]:
    """Who to ask about a session: those marked as attended or, when no attendance was recorded
    at all, those who said they were going. (platform, user id) pairs in a stable order."""
    recorded = await tx.scalar(select(func.count()).where(Attendance.session_id == session_id))
    if recorded:
        stmt = select(Attendance.platform, Attendance.user_id).where(
            Attendance.session_id == session_id, Attendance.attended.is_(True)
        )
    else:
        stmt = select(Rsvp.platform, Rsvp.user_id).where(Rsvp.session_id == session_id, Rsvp.status == "going")
    rows = await tx.execute(stmt.order_by("platform", "user_id"))
    return [(p, u) for p, u in rows.all()]


async def sessions_with_delegates(tx: AsyncSession, session_ids: Iterable[int]) -> set[int]:
    """Which of the sessions have someone to ask (as `delegates`), in three queries for them all."""
    ids = list(session_ids)
    if not ids:
        return set()

    async def having(stmt: Any) -> set[int]:
        return set((await tx.scalars(stmt.distinct())).all())

    recorded = await having(select(Attendance.session_id).where(Attendance.session_id.in_(ids)))
    attended = await having(
        select(Attendance.session_id).where(Attendance.session_id.in_(ids), Attendance.attended.is_(True))
    )
    going = await having(select(Rsvp.session_id).where(Rsvp.session_id.in_(ids), Rsvp.status == "going"))
    return attended | (going - recorded)


async def booked(tx: AsyncSession, session_id: int) -> list[tuple[str, str]]:
    """Those who said they were going, for a baseline survey before the session."""
    rows = await tx.execute(
        select(Rsvp.platform, Rsvp.user_id)
        .where(Rsvp.session_id == session_id, Rsvp.status == "going")
        .order_by(Rsvp.platform, Rsvp.user_id)
    )
    return [(p, u) for p, u in rows.all()]


async def open_survey(
    tx: AsyncSession,
    *,
    session_id: int,
    kind: str,
    definition: dict[str, Any],
    now: dt.datetime,
    remind_at: dt.datetime | None,
    closes_at: dt.datetime,
) -> Survey:
    """The survey of this kind for this session, created if there is none yet (safe to race)."""
    stmt = (
        insert(tx, Survey)
        .values(
            session_id=session_id,
            kind=kind,
            definition=definition,
            status=OPEN,
            invited=0,
            opened_at=now,
            remind_at=remind_at,
            closes_at=closes_at,
        )
        .on_conflict_do_nothing(index_elements=["session_id", "kind"])
    )
    await tx.execute(stmt)
    found = await tx.scalar(select(Survey).where(Survey.session_id == session_id, Survey.kind == kind))
    assert found is not None
    return found


async def invite(tx: AsyncSession, survey_id: int, people: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Add people to the ledger (again is harmless) and return the whole ledger, in order."""
    if people:
        rows = [{"survey_id": survey_id, "platform": p, "user_id": u} for p, u in people]
        stmt = insert(tx, SurveyCompletion).values(rows)
        await tx.execute(stmt.on_conflict_do_nothing(index_elements=["survey_id", "platform", "user_id"]))
    ledger = [
        (p, u)
        for p, u in (
            await tx.execute(
                select(SurveyCompletion.platform, SurveyCompletion.user_id)
                .where(SurveyCompletion.survey_id == survey_id)
                .order_by(SurveyCompletion.platform, SurveyCompletion.user_id)
            )
        ).all()
    ]
    await tx.execute(update(Survey).where(Survey.id == survey_id).values(invited=len(ledger)))
    return ledger


async def settle_ledger(db: Database, survey_id: int | None = None) -> None:
    """Read every ledger row of a survey (None: of every open survey) once, and the Teams personal
    chat rows of those invited on Teams. PostgreSQL marks a row committed on its data page (a hint
    bit) the first time anyone reads it; were a person's own answer the first to read their ledger
    row, or their chat's row on a replica that had not cached it, the pages would say who had
    answered (an outside audit and a review, seventeenth session, read them with pageinspect).
    Done just after a survey is sent and again in every survey round, for rows written since.
    `ctid` is in no index, so each row is read from the table itself. SQLite keeps no such marks."""
    if not db.is_postgres:
        return
    which = "c.survey_id = :id" if survey_id is not None else "s.status = 'open'"
    ledger = f"FROM survey_completion c JOIN surveys s ON s.id = c.survey_id WHERE {which}"
    async with db.transaction() as tx:
        await tx.execute(text(f"SELECT count(c.ctid) {ledger}"), {"id": survey_id})  # noqa: S608 - no input in it
        await tx.execute(
            text(
                "SELECT count(t.ctid) FROM teams_conversations t WHERE t.kind = 'personal' AND t.user_id IN "  # noqa: S608
                f"(SELECT c.user_id {ledger} AND c.platform = 'teams')"
            ),
            {"id": survey_id},
        )


async def claim_thread(
    tx: AsyncSession, *, platform: str, channel_id: str, thread_id: str, survey_id: int, now: dt.datetime
) -> None:
    """Plain replies in this thread now reach the survey (as comments); same rule as storage.threads."""
    stmt = insert(tx, ThreadClaim).values(
        platform=platform,
        channel_id=channel_id,
        thread_id=thread_id,
        feature="surveys",
        ref=str(survey_id),
        created_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["platform", "channel_id", "thread_id"], set_={"feature": "surveys", "ref": str(survey_id)}
    )
    await tx.execute(stmt)


async def get_survey(tx: AsyncSession, survey_id: int) -> Survey | None:
    return await tx.get(Survey, survey_id)


async def survey_for(tx: AsyncSession, session_id: int, kind: str) -> Survey | None:
    return await tx.scalar(select(Survey).where(Survey.session_id == session_id, Survey.kind == kind))


async def surveys_of_session(tx: AsyncSession, session_id: int) -> list[Survey]:
    return list((await tx.scalars(select(Survey).where(Survey.session_id == session_id))).all())


async def follow_session_start(tx: AsyncSession, session_id: int, starts_at: dt.datetime) -> int:
    """A session moved: its open pre-course (baseline) survey closes when it now starts, as it
    was sent to ("before the course" answers taken after the start would skew the confidence
    change), its reminder is dropped if that comes after, and its unsent posts expire with it.
    Returns how many surveys moved."""
    moved = 0
    for survey in await surveys_of_session(tx, session_id):
        if survey.kind != "pre-course" or survey.status != OPEN or survey.closes_at == starts_at:
            continue
        survey.closes_at = starts_at
        if survey.remind_at is not None and survey.remind_at >= starts_at:
            survey.remind_at = None
        await tx.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == "pending",
                OutboxMessage.key.startswith(f"survey:{survey.id}:", autoescape=True),
            )
            .values(expires_at=starts_at)
        )
        moved += 1
    return moved


async def open_surveys(tx: AsyncSession) -> list[Survey]:
    return list((await tx.scalars(select(Survey).where(Survey.status == OPEN).order_by(Survey.id))).all())


async def is_invited(tx: AsyncSession, survey_id: int, platform: str, user_id: str) -> bool:
    found = await tx.scalar(
        select(SurveyCompletion.survey_id).where(
            SurveyCompletion.survey_id == survey_id,
            SurveyCompletion.platform == platform,
            SurveyCompletion.user_id == user_id,
        )
    )
    return found is not None


# --- answering ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewAnswer:
    question: str
    value: str
    measure: str | None = None
    score: int | None = None
    positive: bool | None = None
    free_text: bool = False
    # Multiple choice only: the option ids that count toward `measure`, and the exclusive ones
    # ("none of these"): choosing one clears the others, choosing another clears it.
    counting: tuple[str, ...] = ()
    exclusive: tuple[str, ...] = ()


@dataclass(frozen=True)
class Saved:
    """What happened to an answer: stored (and how many questions this person has answered), or why not."""

    stored: bool
    reason: str = ""  # "closed" | "not_invited" | "too_long" (a comment added to another) when not stored
    answered: int = 0  # questions this person has now answered in this survey
    previous: str | None = None  # the answer it replaced
    value: str = ""  # what is stored now (for multiple choice, the whole set)


def _answer_statements(db: Database) -> dict[str, Any]:
    """The statements an answer runs, built once per dialect with bound parameters: building
    and cache-keying them per press costs more than running them."""
    dialect = "postgresql" if db.is_postgres else "sqlite"
    if dialect in _ANSWER_STATEMENTS:
        return _ANSWER_STATEMENTS[dialect]
    # Parameter names differ from column names, which insert and update reserve for themselves.
    sid, who = bindparam("p_sid", type_=Integer), bindparam("p_who", type_=String)
    platform, user = bindparam("p_platform", type_=String), bindparam("p_user", type_=String)
    invited = exists().where(
        SurveyCompletion.survey_id == sid, SurveyCompletion.platform == platform, SurveyCompletion.user_id == user
    )
    key = (SealedAnswers.survey_id == sid, SealedAnswers.respondent == who)
    still_open = exists().where(Survey.id == sid, Survey.status == OPEN)
    sealed_text = bindparam("p_sealed", type_=Text)
    read = select(SealedAnswers.sealed).where(*key)
    # Answers in the clear from before sealing (see "earlier" below): whether there are any is read
    # with the state, so a first answer costs no round trip of its own to find there are none.
    in_the_clear = exists().where(SurveyAnswer.survey_id == sid, SurveyAnswer.respondent == who)
    # The ledger is only read here, never written: see the module's note.
    state = select(Survey.status, invited, in_the_clear).where(Survey.id == sid)
    if dialect == "postgresql":
        read = read.with_for_update()  # quick taps apply one after another
        # Closing a survey updates its row, so it waits for answers already under way, and an
        # answer that comes meanwhile waits for the close, then reads "closed": no answer is
        # confirmed that the close did not write out. (SQLite: BEGIN IMMEDIATE does the same.)
        state = state.with_for_update(read=True, of=Survey)
        # One round trip, the locks in the same order as two statements took them: the survey's
        # row (the CTE, read first), then the person's sealed row.
        ahead = state.cte("state")
        state_and_read = select(*ahead.c, read.scalar_subquery())
    else:
        state_and_read = state.add_columns(read.scalar_subquery())
    statements = {
        "state_and_read": state_and_read,
        # Each write repeats the open-and-invited check itself, so an answer racing a close is
        # refused, not stored.
        "insert": db.insert(SealedAnswers)
        .from_select(["survey_id", "respondent", "sealed"], select(sid, who, sealed_text).where(still_open, invited))
        .on_conflict_do_nothing(index_elements=["survey_id", "respondent"]),
        "update": update(SealedAnswers).where(*key, still_open).values(sealed=sealed_text),
        "delete": delete(SealedAnswers).where(*key, still_open),
        # Answers given in the clear before answers were sealed (a survey open across that
        # upgrade): taken into the person's sealed row at their next answer.
        "earlier": select(
            SurveyAnswer.question,
            SurveyAnswer.value,
            SurveyAnswer.measure,
            SurveyAnswer.score,
            SurveyAnswer.positive,
            SurveyAnswer.free_text,
        ).where(SurveyAnswer.survey_id == sid, SurveyAnswer.respondent == who),
        "forget_earlier": delete(SurveyAnswer).where(SurveyAnswer.survey_id == sid, SurveyAnswer.respondent == who),
    }
    _ANSWER_STATEMENTS[dialect] = statements
    return statements


_ANSWER_STATEMENTS: dict[str, dict[str, Any]] = {}


@asynccontextmanager
async def _locked(db: Database) -> AsyncIterator[AsyncConnection]:
    """A transaction of its own in which this person's sealed answers are read and written back
    by nobody else: quick taps each apply to what the one before left. SQLite takes the write
    lock before reading (BEGIN IMMEDIATE); PostgreSQL locks the sealed row as it reads it (a
    first answer is settled by the insert's ON CONFLICT, then read again)."""
    if db.is_postgres:
        async with db.engine.begin() as conn:  # Core statements only: no ORM session to set up
            yield conn
        return
    async with db.autocommit() as conn:
        await conn.execute(text("BEGIN IMMEDIATE"))
        try:
            yield conn
            # a file deleted or replaced since the connection was handed out takes the writes
            # and loses them: the answers are not confirmed (an outside review of the group commit)
            await db.still_the_file(conn)
        except BaseException:
            with suppress(Exception):  # a connection that failed is discarded anyway
                await conn.execute(text("ROLLBACK"))
            raise
        await conn.execute(text("COMMIT"))


def _toggled(stored: str | None, answer: NewAnswer) -> str:
    """The set after one tap: the option added or, if it was there, taken away. An option that
    is exclusive clears the others, and any other option clears it."""
    chosen = [v for v in (stored or "").split(",") if v]
    value = answer.value
    if value in chosen:
        chosen.remove(value)
    elif value in answer.exclusive:
        chosen = [value]
    else:
        chosen = [v for v in chosen if v not in answer.exclusive] + [value]
    return ",".join(chosen)


COMMENT_BREAK = "\n\n"


def _next_value(previous: str | None, answer: NewAnswer, *, toggle: bool, add_within: int | None) -> str | Saved:
    """What the answer becomes after this one, or, for a comment sent again or one that would not
    fit beside the earlier one, what to say instead (nothing changes)."""
    if toggle:
        return _toggled(previous, answer)
    if add_within is None or previous is None:
        return answer.value
    if previous == answer.value or previous.endswith(COMMENT_BREAK + answer.value):
        return Saved(True, previous=previous, value=previous)  # sent again
    value = previous + COMMENT_BREAK + answer.value
    if len(value) > add_within:
        return Saved(False, "too_long", previous=previous, value=previous)
    return value


async def save_answer(
    db: Database,
    *,
    survey_id: int,
    respondent: str,
    platform: str,
    user_id: str,
    answer: NewAnswer,
    key: bytes,
    toggle: bool = False,
    add_within: int | None = None,
) -> Saved:
    """Store one answer, only while the survey is open and for an invited person, sealed with
    the person's other answers (storage/sealed.py), in a transaction of its own that is never
    part of a caller's unit of work (see the module's note): committed when this returns.

    A plain tap replaces the answer; a multiple-choice `toggle` adds one option to the set or
    takes it away; a comment given with `add_within` is added after the earlier comment, a
    blank line between, if the two fit in that many characters (else "too_long", and the earlier
    one stays). `key` is the survey secret, which seals and opens the row."""
    work = _AnswerWork(
        _answer_statements(db),
        sealed.sealer(key),
        {"p_sid": survey_id, "p_who": respondent, "p_platform": platform, "p_user": user_id},
        answer,
        toggle,
        add_within,
    )
    if db.is_postgres:  # rows are locked one by one, so answers run side by side on the pool's
        # connections; answering them in turn would wait for each round trip to a remote server
        async with _locked(db) as conn:
            return await _apply_answer(conn, work)
    return await _answer_turns(db).write(work)


@dataclass(frozen=True)
class _AnswerWork:
    statements: dict[str, Any]
    seal: sealed.Sealer
    params: dict[str, Any]
    answer: NewAnswer
    toggle: bool
    add_within: int | None


def _answer_turns(db: Database) -> GroupCommit[_AnswerWork, Saved]:
    """SQLite: answers that arrive together are saved in one write transaction (storage/group_commit.py)."""
    turns = _ANSWER_TURNS.get(db)
    if turns is None:
        held = weakref.ref(db)  # the turns must not keep their database alive

        def begin() -> AbstractAsyncContextManager[AsyncConnection]:
            database = held()
            assert database is not None  # a caller holds it while it writes
            return _locked(database)

        turns = _ANSWER_TURNS[db] = GroupCommit(begin, _apply_answer)
    return turns


_ANSWER_TURNS: weakref.WeakKeyDictionary[Database, GroupCommit[_AnswerWork, Saved]] = weakref.WeakKeyDictionary()


async def _apply_answer(conn: AsyncConnection, work: _AnswerWork) -> Saved:
    """One answer, inside the transaction `_locked` opened."""
    statements, seal, params, answer = work.statements, work.seal, work.params, work.answer
    survey_id, respondent = params["p_sid"], params["p_who"]
    # Again only on PostgreSQL, when the person's first answer was stored meanwhile.
    for _attempt in range(10):
        found = (await conn.execute(statements["state_and_read"], params)).first()
        state, stored = (None, None) if found is None else (found[:3], found[3])
        if state is None or state[0] != OPEN:
            return Saved(False, "closed")
        if not state[1]:
            return Saved(False, "not_invited")
        has_earlier = stored is None and state[2]
        earlier = await _earlier_answers(conn, statements, params) if has_earlier else {}
        answers = (_opened(seal, survey_id, respondent, stored) or {}) if stored is not None else dict(earlier)
        before = answers.get(answer.question)
        previous = before.value if before is not None else None
        outcome = _next_value(previous, answer, toggle=work.toggle, add_within=work.add_within)
        if isinstance(outcome, Saved):
            return replace(outcome, answered=len(answers))
        positive = answer.positive
        if work.toggle and answer.measure:
            positive = any(v in answer.counting for v in outcome.split(","))
        if outcome:
            answers[answer.question] = sealed.Answer(outcome, answer.measure, answer.score, positive, answer.free_text)
        else:
            answers.pop(answer.question, None)
        row = {**params, "p_sealed": seal.seal(survey_id, respondent, answers)}
        if stored is None:
            if not answers:
                if earlier:
                    await conn.execute(statements["forget_earlier"], params)
                return Saved(True, answered=0, previous=previous, value="")
            if not (await conn.execute(statements["insert"], row)).rowcount:
                continue  # closed meanwhile, or their first answer came first: read again
            if earlier:  # now in the sealed row
                await conn.execute(statements["forget_earlier"], params)
        elif answers:
            if not (await conn.execute(statements["update"], row)).rowcount:
                return Saved(False, "closed")
        elif not (await conn.execute(statements["delete"], params)).rowcount:
            return Saved(False, "closed")
        return Saved(True, answered=len(answers), previous=previous, value=outcome)
    raise RuntimeError("a survey answer kept changing while it was saved")


async def _earlier_answers(
    conn: AsyncConnection, statements: dict[str, Any], params: dict[str, Any]
) -> dict[str, sealed.Answer]:
    rows = await conn.execute(statements["earlier"], params)
    return {q: sealed.Answer(v, m, sc, p, bool(f)) for q, v, m, sc, p, f in rows.all()}


def _opened(seal: sealed.Sealer, survey_id: int, respondent: str, text: str) -> dict[str, sealed.Answer] | None:
    """A sealed row's answers; None if it cannot be opened (sealed under another SURVEY_SECRET:
    the earlier answers are lost either way, and the person's new ones are kept)."""
    try:
        return seal.open(survey_id, respondent, text)
    except sealed.Unreadable:
        log.warning(
            "a sealed survey answer row of survey %s could not be opened (was SURVEY_SECRET changed?)", survey_id
        )
        return None


# --- reminders, closing and retention -----------------------------------------------------------


async def claim_reminder(tx: AsyncSession, survey_id: int, *, now: dt.datetime) -> list[tuple[str, str]] | None:
    """Mark the survey reminded (once, even with two workers) and return everyone invited.

    Everyone, not only those who have not answered: a reminder left in some people's chats (or
    an outbox row naming them) would tell a workspace admin, or a reader of the database, who had
    not answered by then, and with a result everyone who answered shares, what the others said.
    None when another worker, or an earlier run, already sent the reminder. The caller queues the
    reminders in the same transaction, so marking and queueing commit together."""
    won = await tx.execute(
        update(Survey)
        .where(Survey.id == survey_id, Survey.reminded_at.is_(None), Survey.status == OPEN)
        .values(reminded_at=now)
    )
    if not cast(CursorResult[Any], won).rowcount:
        return None
    rows = await tx.execute(
        select(SurveyCompletion.platform, SurveyCompletion.user_id)
        .where(SurveyCompletion.survey_id == survey_id)
        .order_by(SurveyCompletion.platform, SurveyCompletion.user_id)
    )
    return [(p, u) for p, u in rows.all()]


async def _codes_answering(tx: AsyncSession, survey_id: int) -> set[str]:
    """Every code with an answer to this survey: sealed (open) or written out (closed, or given
    before answers were sealed)."""
    held = await tx.scalars(select(SealedAnswers.respondent).where(SealedAnswers.survey_id == survey_id))
    written = await tx.scalars(select(SurveyAnswer.respondent).where(SurveyAnswer.survey_id == survey_id).distinct())
    return set(held.all()) | set(written.all())


def _own_code() -> Any:
    """Answers under a person's own code: a thread reply's code (THREAD_CODE) is no respondent."""
    return SurveyAnswer.respondent.not_like(f"{THREAD_CODE}%")


@dataclass(frozen=True)
class Closed:
    """A survey this call closed. `unreadable`: respondents whose sealed answers could not be
    opened (sealed under another SURVEY_SECRET), and so are lost; 0 unless the key changed."""

    unreadable: int = 0


async def close(tx: AsyncSession, survey_id: int, *, now: dt.datetime, key: bytes, min_group: int = 1) -> Closed | None:
    """Close a survey: write its answers out for the reports (unseal), delete its completion
    ledger and drop its unsent posts, all in the caller's transaction, so they commit together.
    `key` is the survey secret the answers were sealed with. A survey that closes with fewer
    respondents than `min_group` keeps only how many answered: no report shows it, and one or two
    people's answers beside the session's list of who went would be theirs to any reader of the
    database (an outside audit). None if it was already closed."""
    # Closed on its day even when closed later (the bot was down, or behind): every message said
    # that day, and a late answer is told it, not the day the bot caught up.
    due = await tx.scalar(select(Survey.closes_at).where(Survey.id == survey_id))
    closed_at = min(now, due) if due is not None else now
    # The update first: it waits for answers under way (save_answer), and they for it.
    changed = await tx.execute(
        update(Survey).where(Survey.id == survey_id, Survey.status == OPEN).values(status=CLOSED, closed_at=closed_at)
    )
    await tx.execute(delete(SurveyCompletion).where(SurveyCompletion.survey_id == survey_id))
    if not cast(CursorResult[Any], changed).rowcount:
        # Closed already (two closes at once): the first did all of it, including queueing the
        # edits that say so, which skipping "pending" rows here would throw away.
        return None
    unreadable, answered = await _unseal(tx, survey_id, key, min_group=min_group)
    await tx.execute(update(Survey).where(Survey.id == survey_id).values(respondents=answered))
    await tx.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == "pending",
            OutboxMessage.key.startswith(f"survey:{survey_id}:", autoescape=True),
        )
        .values(status="skipped", error="the survey closed")
    )
    # A reminder's key names the person reminded, that is someone who had not answered by then:
    # beside when each answer was written, that would narrow late answers to a few people.
    await tx.execute(
        delete(OutboxMessage).where(OutboxMessage.key.startswith(f"survey:{survey_id}:reminder:", autoescape=True))
    )
    return Closed(unreadable)


async def _unseal(tx: AsyncSession, survey_id: int, key: bytes, *, min_group: int = 1) -> tuple[int, int]:
    """Every answer of a closing survey written to survey_answers at once, under a new random code
    per respondent, in the order of those codes (storage/sealed.py); the sealed rows deleted.
    Each comment is written under a code of its own, marked as a thread reply's is (no
    respondent): a comment that says who wrote it ("as the only school nurse...") must not sit
    beside that person's taps, as answers.csv never puts it. Answers written in the clear before
    sealing existed (a survey open across the upgrade) get new codes too (a person who answered
    again since has them in their sealed row already). A sealed row that cannot be opened
    (another SURVEY_SECRET) is dropped with a warning, so the survey still closes. Returns how
    many rows could not be opened, and how many respondents answered: people with at least one
    answer written, a comment included (a lost row is no response, and not one of the minimum
    group that releases the rest)."""
    opener = sealed.sealer(key)
    held = (
        await tx.execute(
            select(SealedAnswers.respondent, SealedAnswers.sealed).where(SealedAnswers.survey_id == survey_id)
        )
    ).all()
    answers: dict[str, dict[str, sealed.Answer]] = defaultdict(dict)
    earlier = await tx.execute(select(SurveyAnswer).where(SurveyAnswer.survey_id == survey_id))
    for row in earlier.scalars().all():
        answers[row.respondent][row.question] = sealed.Answer(
            row.value, row.measure, row.score, row.positive, row.free_text
        )
    unreadable = 0
    for code, sealed_text in held:
        opened = _opened(opener, survey_id, code, sealed_text)
        unreadable += opened is None
        answers[code] |= opened or {}
    rows: list[dict[str, Any]] = []
    respondents = 0
    comment_code = THREAD_CODE  # new_code of a thread reply's code: a fresh one, marked as no respondent's
    for code, given in answers.items():
        person = sealed.new_code(code, THREAD_CODE)
        respondents += bool(given) and not code.startswith(THREAD_CODE)
        for question, a in given.items():
            rows.append(
                {
                    "survey_id": survey_id,
                    "respondent": sealed.new_code(comment_code, THREAD_CODE) if a.free_text else person,
                    "question": question,
                    # as every request's text is cleaned (storage.text.storable): one that was not must
                    # not stop the survey closing, on every try, on PostgreSQL
                    "value": storable(a.value),
                    "measure": a.measure,
                    "score": a.score,
                    "positive": a.positive,
                    "free_text": a.free_text,
                }
            )
    rows.sort(key=lambda r: (r["respondent"], r["question"]))
    if respondents < min_group:
        rows = []  # too few to report, and few enough to name: only the count is kept
    await tx.execute(delete(SurveyAnswer).where(SurveyAnswer.survey_id == survey_id))
    await tx.execute(delete(SealedAnswers).where(SealedAnswers.survey_id == survey_id))
    for start in range(0, len(rows), 500):
        await tx.execute(insert(tx, SurveyAnswer).values(rows[start : start + 500]))
    await write_measure_totals(tx, [survey_id])
    return unreadable, respondents


async def write_measure_totals(tx: AsyncSession, survey_ids: list[int]) -> None:
    """Count these closed surveys' answers per measure into survey_measure_totals (replacing any
    earlier count), from the answers as written. Called by `close`; a migration and the report
    bench, which write answers by other means, count the same way."""
    await tx.execute(delete(SurveyMeasureTotal).where(SurveyMeasureTotal.survey_id.in_(survey_ids)))
    counted = _measure_counts_of(survey_ids)
    columns = ["survey_id", "measure", "answers", "positive", "scored", "score_total"]
    await tx.execute(cast(Table, SurveyMeasureTotal.__table__).insert().from_select(columns, counted))


def _measure_counts_of(surveys: Any) -> Any:
    """(survey id, measure, answers, positive answers, scored answers, score total) counted from
    the answers of `surveys` (ids, or a select of them)."""
    return (
        select(
            SurveyAnswer.survey_id,
            SurveyAnswer.measure,
            func.count(),
            func.sum(case((SurveyAnswer.positive.is_(True), 1), else_=0)),
            func.count(SurveyAnswer.score),
            func.coalesce(func.sum(SurveyAnswer.score), 0),
        )
        .where(SurveyAnswer.survey_id.in_(surveys), SurveyAnswer.measure.is_not(None))
        .group_by(SurveyAnswer.survey_id, SurveyAnswer.measure)
    )


@dataclass(frozen=True)
class PostedMessage:
    """A survey message that reached a platform: a person's direct message or a thread post."""

    key: str
    platform: str
    target: dict[str, Any]
    message_id: str


async def posted_messages(tx: AsyncSession, survey_id: int) -> list[PostedMessage]:
    """The survey's direct messages and thread posts that were posted, so that closing can
    edit each to say so. Reminders are not among them: their rows are deleted at close (see
    `close`), and the reminded are the people who had not answered."""
    rows = await tx.execute(
        select(OutboxMessage.key, OutboxMessage.platform, OutboxMessage.target, OutboxMessage.message_id).where(
            OutboxMessage.key.startswith(f"survey:{survey_id}:", autoescape=True),
            OutboxMessage.status == "sent",
            OutboxMessage.message_id.is_not(None),
        )
    )
    return [
        PostedMessage(key, platform, target, str(message_id))
        for key, platform, target, message_id in rows
        if key.split(":")[2] in ("dm", "thread")
    ]


# Every answer of a survey deleted and inserted again, in pseudonym order, by one statement: the
# new rows share one transaction id (xmin) and sit in pseudonym order (ctid), so neither says
# in which order, or with which other writes, the answers were given.
_REORDER = text(
    "WITH gone AS (DELETE FROM survey_answers WHERE survey_id = :sid RETURNING *) "
    "INSERT INTO survey_answers SELECT * FROM gone ORDER BY respondent, question"
)


async def surveys_to_reorder(tx: AsyncSession) -> list[int]:
    """PostgreSQL: open surveys with answers written in the clear (given before answers were
    sealed, in a survey open across that upgrade) that have more than one transaction id. The
    survey job rewrites each (reorder_answers) every minute. Always empty on SQLite, and once no
    survey open across the upgrade is left."""
    if not is_postgres(tx):
        return []
    stale = (
        select(SurveyAnswer.survey_id)
        .join(Survey, Survey.id == SurveyAnswer.survey_id)
        .where(Survey.status == OPEN)
        .group_by(SurveyAnswer.survey_id)
        .having(func.count(distinct(literal_column("survey_answers.xmin::text"))) > 1)
    )
    return list((await tx.scalars(stale)).all())


async def empty_write_ahead_log(db: Database) -> bool:
    """SQLite: copy the write-ahead log into the database file and empty it. Its frames hold a
    page for every answer in the order the answers were written, which the table itself (no
    rowid) does not. The survey job does this every minute, as it rewrites answers on
    PostgreSQL. False when a reader kept the log from being emptied (tried again next round)."""
    if db.is_postgres:
        return True
    async with db.engine.connect() as conn:
        outcome = (await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
    return not outcome[0]  # (busy, frames in the log, frames copied)


async def reorder_answers(tx: AsyncSession, survey_id: int) -> None:
    """PostgreSQL: rewrite a survey's answers in pseudonym order (_REORDER); nothing on SQLite."""
    if is_postgres(tx):
        # As an answer does: hold the survey's row, so a close waits for this rewrite and then
        # reads the rewritten rows, and a rewrite that comes during a close finds it closed.
        still_open = await tx.scalar(
            select(Survey.id).where(Survey.id == survey_id, Survey.status == OPEN).with_for_update(read=True)
        )
        if still_open is not None:
            await tx.execute(_REORDER, {"sid": survey_id})


async def ledger_size(tx: AsyncSession, survey_id: int | None = None) -> int:
    stmt = select(func.count()).select_from(SurveyCompletion)
    if survey_id is not None:
        stmt = stmt.where(SurveyCompletion.survey_id == survey_id)
    return await tx.scalar(stmt) or 0


async def respondents(tx: AsyncSession, survey_id: int) -> int:
    """How many people have answered (a thread reply's code is no respondent)."""
    return sum(1 for code in await _codes_answering(tx, survey_id) if not code.startswith(THREAD_CODE))


async def purge_free_text(tx: AsyncSession, *, older_than: dt.datetime, now: dt.datetime) -> int:
    """Delete free-text answers of surveys opened before `older_than`; returns answers deleted."""
    due = select(Survey.id).where(Survey.opened_at < older_than, Survey.text_purged_at.is_(None))
    ids = list((await tx.scalars(due)).all())
    if not ids:
        return 0
    result = await tx.execute(
        delete(SurveyAnswer).where(SurveyAnswer.survey_id.in_(ids), SurveyAnswer.free_text.is_(True))
    )
    await tx.execute(update(Survey).where(Survey.id.in_(ids)).values(text_purged_at=now))
    return cast(CursorResult[Any], result).rowcount or 0


_SMALL_DROPPED = "surveys.small_answers_dropped"


async def drop_small_surveys_answers(tx: AsyncSession, min_group: int, *, now: dt.datetime) -> int:
    """Once, after the upgrade that made `close` keep no answers below the minimum: delete the
    answers and counts that earlier versions wrote out for closed surveys with fewer respondents
    than `min_group` (the minimum then in force). Never again: a minimum raised later must not
    delete answers closed under a lower one (a review). Returns how many surveys had any."""
    from storage import state

    if await state.get(tx, _SMALL_DROPPED) is not None:
        return 0
    await state.put(tx, _SMALL_DROPPED, str(min_group), now=now)
    small = select(Survey.id).where(Survey.status == CLOSED, Survey.respondents < min_group)
    held = select(SurveyAnswer.survey_id).where(SurveyAnswer.survey_id.in_(small)).distinct()
    ids = list((await tx.scalars(held)).all())
    if ids:
        await tx.execute(delete(SurveyAnswer).where(SurveyAnswer.survey_id.in_(ids)))
        await tx.execute(delete(SurveyMeasureTotal).where(SurveyMeasureTotal.survey_id.in_(ids)))
    return len(ids)


# --- reports: aggregates computed in SQL ---------------------------------------------------------


# PostgreSQL compiles expressions to machine code (JIT) for queries it expects to be large; on
# the report's one-off scans compiling costs more than it saves (about 0.1 s a query here).
_REPORT_SETTINGS = "SELECT set_config('jit', 'off', true)"


async def _report_rows(db: Database, stmt: Any) -> list[Any]:
    """A report count on a connection of its own, so the counts run at once (the module's note);
    the setting lasts for that connection's transaction, which ends with it."""
    async with db.engine.connect() as conn:
        if db.is_postgres:
            await conn.execute(text(_REPORT_SETTINGS))
        return list((await conn.execute(stmt)).all())


@dataclass(frozen=True)
class Selection:
    """Which sessions a report covers: a period of session start times, optionally one course or session."""

    start: dt.datetime | None = None  # inclusive, UTC
    end: dt.datetime | None = None  # exclusive, UTC
    courses: tuple[str, ...] = ()  # course ids; empty means every course
    session_id: int | None = None
    # Answers are counted only from surveys that closed with at least this many respondents
    # (the module's note); response counts and activity cover every survey.
    min_group: int = 5

    def conditions(self) -> list[Any]:
        found: list[Any] = [TrainingSession.status != "cancelled"]
        if self.start is not None:
            found.append(TrainingSession.start_at >= self.start)
        if self.end is not None:
            found.append(TrainingSession.start_at < self.end)
        if self.courses:
            found.append(TrainingSession.course_id.in_(self.courses))
        if self.session_id is not None:
            found.append(TrainingSession.id == self.session_id)
        return found

    def released(self) -> list[Any]:
        """conditions() and only surveys whose answers the reports may count."""
        return [*self.conditions(), *released_surveys(self.min_group)]


def released_surveys(min_group: int) -> list[Any]:
    """Surveys closed with at least `min_group` respondents."""
    return [Survey.status == CLOSED, Survey.respondents >= min_group]


async def survey_counts(db: Database, sel: Selection) -> list[tuple[str, str, int, int, int, int, int]]:
    """(course id, survey kind, surveys, invited, respondents, respondents the reports may count
    the answers of, respondents of surveys still open) per course and kind. A closed survey's
    respondents are those it closed with."""
    # A closed survey counted its respondents when it closed; the others are counted here, as
    # distinct (survey, respondent) pairs: both columns lead the primary key, so the database
    # reads them from it alone. A survey still open has its answers sealed, one row a
    # respondent (storage/sealed.py); answers written in the clear are those of a survey open
    # across the upgrade to sealing.
    uncounted = select(Survey.id).where(Survey.respondents.is_(None))
    written = (
        select(SurveyAnswer.survey_id, SurveyAnswer.respondent)
        .where(SurveyAnswer.survey_id.in_(uncounted), _own_code())
        .distinct()
    )
    held = select(SealedAnswers.survey_id, SealedAnswers.respondent).where(
        SealedAnswers.respondent.not_like(f"{THREAD_CODE}%"),
        ~exists().where(
            SurveyAnswer.survey_id == SealedAnswers.survey_id, SurveyAnswer.respondent == SealedAnswers.respondent
        ),  # counted among the written already (a survey open across the upgrade)
    )
    respondents = union_all(written, held).subquery()
    answered = select(respondents.c.survey_id, func.count().label("n")).group_by(respondents.c.survey_id).subquery()
    stmt = (
        select(
            TrainingSession.course_id,
            Survey.kind,
            func.count(Survey.id),
            func.coalesce(func.sum(Survey.invited), 0),
            func.coalesce(func.sum(func.coalesce(Survey.respondents, answered.c.n)), 0),
            func.coalesce(func.sum(case((and_(*released_surveys(sel.min_group)), Survey.respondents), else_=0)), 0),
            func.coalesce(func.sum(case((Survey.status == OPEN, answered.c.n), else_=0)), 0),
        )
        .join(TrainingSession, TrainingSession.id == Survey.session_id)
        .outerjoin(answered, answered.c.survey_id == Survey.id)
        .where(*sel.conditions())
        .group_by(TrainingSession.course_id, Survey.kind)
    )
    return [(c, k, int(s), int(i), int(r), int(x), int(o)) for c, k, s, i, r, x, o in await _report_rows(db, stmt)]


def _measure_units(sel: Selection, surveys: Any = None, *, small_too: bool = False) -> Any:
    """Answers counted per survey and measure: (survey id, measure, answers, positive answers,
    scored answers, score total), as counted when each survey closed (SurveyMeasureTotal), or
    from the answers of a closed survey with no counts.

    Only units of at least `sel.min_group` answers: a survey's answers to one question are the
    smallest piece any report can be narrowed to (two periods, or two lists of courses, differ
    by whole surveys), so a question fewer than the minimum answered in a survey is never
    counted, in any report, rather than hidden in one report and recoverable from another.
    `surveys`, a select of survey ids, narrows the units to those surveys; with `small_too` the
    small units are there as well, for the caller to count apart (measure_counts)."""
    total = SurveyMeasureTotal
    stored = select(
        total.survey_id,
        total.measure,
        total.answers.label("n"),
        total.positive.label("p"),
        total.scored.label("sn"),
        total.score_total.label("st"),
    )
    # A closed survey with no counts (closed by an older version still running after the
    # upgrade): counted from its answers here, never left out of the figures or, worse, taken
    # for a survey with no small unit by the export.
    uncounted = select(Survey.id).where(Survey.status == CLOSED, ~exists().where(total.survey_id == Survey.id))
    recounted = _measure_counts_of(uncounted)
    units_all = union_all(stored, recounted).subquery()
    units = select(units_all)
    if not small_too:
        units = units.where(units_all.c.n >= sel.min_group)
    if surveys is not None:
        units = units.where(units_all.c.survey_id.in_(surveys))
    return units.subquery()


async def measure_counts(db: Database, sel: Selection) -> list[tuple[str, str, str, int, int, int, int, int]]:
    """(course id, survey kind, measure, answers, positive answers, scored answers, score total,
    answers withheld): the first four count only units of at least the minimum (_measure_units),
    the last how many answers were in smaller units, so a report can say a figure is not shown
    rather than leave the measure out.

    The counts each survey made of its answers when it closed are joined to their sessions."""
    per_survey = _measure_units(sel, small_too=True)
    kept = per_survey.c.n >= sel.min_group

    def counted(column: Any) -> Any:
        return func.sum(case((kept, column), else_=0))

    stmt = (
        select(
            TrainingSession.course_id,
            Survey.kind,
            per_survey.c.measure,
            counted(per_survey.c.n),
            counted(per_survey.c.p),
            counted(per_survey.c.sn),
            counted(per_survey.c.st),
            func.sum(case((kept, 0), else_=per_survey.c.n)),
        )
        .select_from(per_survey)
        .join(Survey, Survey.id == per_survey.c.survey_id)
        .join(TrainingSession, TrainingSession.id == Survey.session_id)
        .where(*sel.released())
        .group_by(TrainingSession.course_id, Survey.kind, per_survey.c.measure)
    )
    return [
        (c, k, m, int(n or 0), int(p or 0), int(sn or 0), int(st or 0), int(w or 0))
        for c, k, m, n, p, sn, st, w in await _report_rows(db, stmt)
    ]


async def baseline_measure_counts(db: Database, sel: Selection) -> list[tuple[str, str, int, int, int]]:
    """(survey kind, measure, answers, scored answers, score total) for pre- and post-course
    answers of sessions that had a baseline survey, for the confidence change."""
    baseline = select(Survey.session_id).where(Survey.kind == "pre-course", *released_surveys(sel.min_group))
    paired = select(Survey.id).where(Survey.kind.in_(["pre-course", "post-course"]), Survey.session_id.in_(baseline))
    per_survey = _measure_units(sel, paired)
    stmt = (
        select(
            Survey.kind,
            per_survey.c.measure,
            func.sum(per_survey.c.n),
            func.sum(per_survey.c.sn),
            func.sum(per_survey.c.st),
        )
        .select_from(per_survey)
        .join(Survey, Survey.id == per_survey.c.survey_id)
        .join(TrainingSession, TrainingSession.id == Survey.session_id)
        .where(Survey.kind.in_(["pre-course", "post-course"]), Survey.session_id.in_(baseline), *sel.released())
        .group_by(Survey.kind, per_survey.c.measure)
    )
    return [(k, m, int(n), int(sn), int(st)) for k, m, n, sn, st in await _report_rows(db, stmt)]


async def comments(db: Database, sel: Selection, *, limit: int) -> list[tuple[str, str]]:
    """(course id, redacted text) of free-text answers, in pseudonym order (not time order)."""
    stmt = (
        select(TrainingSession.course_id, SurveyAnswer.value)
        .select_from(SurveyAnswer)
        .join(Survey, Survey.id == SurveyAnswer.survey_id)
        .join(TrainingSession, TrainingSession.id == Survey.session_id)
        .where(SurveyAnswer.free_text, *sel.released())  # as ix_survey_answers_comments says it
        .order_by(SurveyAnswer.respondent, SurveyAnswer.question)
        .limit(limit)
    )
    return [(c, v) for c, v in await _report_rows(db, stmt)]


async def activity(db: Database, sel: Selection) -> list[tuple[str, str, int, int, int, int]]:
    """(course id, a course title, sessions, delegates, attended, sessions with attendance recorded).

    A delegate said Going or has attendance recorded, from any source: an imported register
    names people who never answered in chat, and each person counts once. So delegates are the
    attendance rows plus the Going replies with no attendance row: one pass over each table in
    primary-key order, where a UNION of the two would sort every person (three times slower)."""
    recorded = (
        select(
            Attendance.session_id,
            func.count().label("n"),
            func.sum(case((Attendance.attended.is_(True), 1), else_=0)).label("present"),
        )
        .group_by(Attendance.session_id)
        .subquery()
    )
    unrecorded = (
        select(Rsvp.session_id, func.count().label("n"))
        .where(
            Rsvp.status == "going",
            ~exists().where(
                Attendance.session_id == Rsvp.session_id,
                Attendance.platform == Rsvp.platform,
                Attendance.user_id == Rsvp.user_id,
            ),
        )
        .group_by(Rsvp.session_id)
        .subquery()
    )
    stmt = (
        select(
            TrainingSession.course_id,
            func.min(TrainingSession.title),
            func.count(TrainingSession.id),
            func.coalesce(func.sum(recorded.c.n), 0) + func.coalesce(func.sum(unrecorded.c.n), 0),
            func.coalesce(func.sum(recorded.c.present), 0),
            func.count(recorded.c.session_id),
        )
        .outerjoin(recorded, recorded.c.session_id == TrainingSession.id)
        .outerjoin(unrecorded, unrecorded.c.session_id == TrainingSession.id)
        .where(*sel.conditions())
        .group_by(TrainingSession.course_id)
        .order_by(TrainingSession.course_id)
    )
    return [(c, t, int(s), int(g), int(a), int(r)) for c, t, s, g, a, r in await _report_rows(db, stmt)]


EXPORT_COLUMNS = ["course_id", "survey", "respondent", "question", "value", "answer"]
_FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
# Excel set to a semicolon list separator (much of Europe) splits a comma file at semicolons too, and
# a quote mid-line does not hold a cell together, nor a line break inside a quoted one: "fine;=1+2",
# 'good;"=1+2' and "good\n=1+2" would each give a cell starting with the formula. Where a formula
# start follows a semicolon or a line break (a quote between, or not), a space goes after every
# semicolon and line break of that text, and no spreadsheet runs a cell that starts with a space.
# In the CSVs only: an XLSX cell is one cell whatever it holds.
_BREAK_THEN_FORMULA = re.compile('[;\r\n]"?[=+@\t-]')
_BREAK_THEN_FORMULA_GLOB = ("*[;\r\n][=+@\t-]*", '*[;\r\n]"[=+@\t-]*')  # SQLite's GLOB for the same
_BREAKS = (";", "\n", "\r")


def inert_cell(value: str) -> str:
    """The same rules in Python, for every other CSV the bot writes: a cell a spreadsheet would
    run as a formula gets a leading apostrophe, and a formula after a break a space before it."""
    if _BREAK_THEN_FORMULA.search(value):
        for mark in _BREAKS:
            value = value.replace(mark, mark + " ")
    return "'" + value if value[:1] in _FORMULA_STARTS else value


def _inert(value: Any) -> Any:
    """Free text is untrusted: a leading =, +, -, @ would make a spreadsheet run it as a formula."""
    return case((func.substr(value, 1, 1).in_(_FORMULA_STARTS), literal("'").concat(value)), else_=value)


def _inert_csv(value: Any, *, postgres: bool) -> Any:
    """`_inert`, and in a CSV a formula after a semicolon or a line break too (_BREAK_THEN_FORMULA)."""
    spaced = value
    for mark in _BREAKS:
        spaced = func.replace(spaced, mark, mark + " ")
    if postgres:
        risky = value.op("~")(literal(_BREAK_THEN_FORMULA.pattern))
    else:
        risky = or_(*(value.op("GLOB")(literal(pattern)) for pattern in _BREAK_THEN_FORMULA_GLOB))
    return _inert(case((risky, spaced), else_=value))


REPORTED_KINDS = ("post-course", "follow-up")  # baseline answers are not responses to the training

# Filled by each export and dropped after it: the respondent numbers of that export only. A
# number stands for a respondent's tap answers (part '') or for one comment (part: its question
# id), so no comment sits beside its writer's taps: a comment that gives away who wrote it ("as
# the only school nurse on this course...") would otherwise give away their answers too.
_CODES = Table(
    "export_codes",
    MetaData(),
    Column("code", Integer, primary_key=True),
    Column("survey_id", Integer, nullable=False),
    Column("respondent", String(64), nullable=False),
    Column("part", String(40), nullable=False),
    prefixes=["TEMPORARY"],
)
_CODES_DDL = (
    "CREATE TEMPORARY TABLE export_codes "
    "(code INTEGER PRIMARY KEY, survey_id INTEGER NOT NULL, respondent VARCHAR(64) NOT NULL, "
    "part VARCHAR(40) NOT NULL)"
)
# The export's surveys' answers to a measure that fewer than the minimum answered in that survey:
# counted in no figure of any report (_measure_units), so left out of the export as well.
_SMALL_UNITS = Table(
    "export_small_units",
    MetaData(),
    Column("survey_id", Integer, primary_key=True),
    Column("measure", String(40), primary_key=True),
    prefixes=["TEMPORARY"],
)
# SQLite: what each row of a survey starts with (course and survey kind, as CSV and as sheet
# cells), and every labelled tap answer's last three columns made ready, so most rows need
# no string work in SQL beyond joining the pieces.
_SURVEY_PARTS = Table(
    "export_surveys",
    MetaData(),
    Column("survey_id", Integer, primary_key=True),
    Column("place", Integer, nullable=False),  # the survey's place in this export's random order
    Column("kind", String(20), nullable=False),
    Column("csv_start", Text, nullable=False),
    Column("xml_start", Text, nullable=False),
    # Whether the survey has a small unit (export_small_units): most have none, and their answers
    # then need no look-up there.
    Column("small", Boolean, nullable=False),
    prefixes=["TEMPORARY"],
)
_ANSWER_PARTS = Table(
    "export_answer_parts",
    MetaData(),
    Column("kind", String(20), primary_key=True),
    Column("question", String(40), primary_key=True),
    Column("value", Text, primary_key=True),
    Column("csv_end", Text, nullable=False),
    Column("xml_end", Text, nullable=False),
    prefixes=["TEMPORARY"],
)


def _survey_parts_in_random_order(
    surveys: list[Any], export: AnswerExport, shared: SharedStrings, *, postgres: bool = False
) -> list[tuple[Any, ...]]:
    """export_surveys' rows: each survey's place in a random order new for each export, then its
    kind and ready-made start. The respondents are numbered by that place, and within a survey
    in a random order (see _NUMBER_RESPONDENTS), so one survey's numbers run together and the
    export reads each survey's answers from one stretch of the table."""
    rng = random.Random(secrets.randbits(256))  # seeded afresh from the OS for every export
    order = list(surveys)
    rng.shuffle(order)
    return [
        (survey_id, place, kind, *export.survey_start(course, kind, shared, postgres=postgres), False)
        for place, (survey_id, kind, course) in enumerate(order)
    ]


# The database numbers the respondents itself: surveys by their random place, respondents' taps
# and each comment within a survey by random() (SQLite's generator is seeded from the operating
# system in each process, PostgreSQL's in each connection), so a comment's number says nothing of
# its writer's. Answers in a small unit (export_small_units) get none: someone who gave only those
# has no number. Taps are grouped per respondent in primary-key order, and comments need no
# grouping (one row each), so neither half sorts the answers. Each survey's answers are then read
# in primary-key order.
_NUMBER_RESPONDENTS = (
    "INSERT INTO export_codes (code, survey_id, respondent, part) "
    "SELECT row_number() OVER (ORDER BY a.place, random()), a.survey_id, a.respondent, a.part FROM ("
    "SELECT min(s.place) AS place, a.survey_id, a.respondent, '' AS part "
    "FROM export_surveys AS s JOIN survey_answers AS a ON a.survey_id = s.survey_id "
    "WHERE NOT a.free_text AND (NOT s.small OR NOT EXISTS "
    "(SELECT 1 FROM export_small_units AS u WHERE u.survey_id = a.survey_id AND u.measure = a.measure)) "
    "GROUP BY a.survey_id, a.respondent "
    "UNION ALL "
    "SELECT s.place, a.survey_id, a.respondent, a.question "
    "FROM export_surveys AS s JOIN survey_answers AS a ON a.survey_id = s.survey_id WHERE a.free_text"
    ") AS a"
)


def _part(answer: Any) -> Any:
    """Which number of its respondent an answer goes under (export_codes.part)."""
    return case((answer.free_text.is_(True), answer.question), else_=literal(""))


def _counted(answer: Any) -> Any:
    """The answer is in a unit the figures count: no measure, or a measure at least the minimum
    answered in its survey (export_small_units holds the others)."""
    small = _SMALL_UNITS.c
    return ~exists().where(small.survey_id == answer.survey_id, small.measure == answer.measure)


_CSV_SPECIAL = '*[,"\r\n]*'  # GLOB: a comma, a quote or a line break


def _csv_quoted(text: str) -> str:
    """`text` as Python's csv writer writes it: quoted only when it holds a comma, a quote or a
    line break, with quotes doubled."""
    if not any(c in text for c in ',"\r\n'):
        return text
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class AnswerExport:
    """Every answer of the given courses as finished CSV rows, built by the database: course,
    survey, respondent code, question id, value and the answer's label. (The summary lists what
    each question id asks, rather than repeating it on a million rows.)

    The respondent code is a number given afresh in each export, in a random order (so it says
    nothing about the stored pseudonym, nor about when or in which order anyone answered), and
    the rows come in that order: `export_codes`, a temporary table the export fills first, maps
    each (survey, pseudonym) to its number, and each comment to a number of its own.

    The export leaves out what the figures leave out: surveys not released (Selection.released),
    and a survey's answers to a measure fewer than the minimum answered (`small_units`), which no
    report counts; with them, the export minus a report would give those answers."""

    sel: Selection
    courses: tuple[str, ...]
    labels: dict[str, dict[str, dict[str, str]]]  # survey kind -> question id -> value -> label
    # survey kind -> multiple-choice question id -> its option ids
    multiple: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def survey_parts(self, *, every_course: bool = False) -> Any:
        """(survey id, survey kind, course id) of every survey with answers to number, by id (the
        random order starts from a fixed one); with `every_course`, of every course in the
        selection, not only the export's."""
        conditions = self.sel.released()
        if not every_course:
            conditions.append(TrainingSession.course_id.in_(self.courses))
        return (
            select(Survey.id, Survey.kind, TrainingSession.course_id)
            .join(TrainingSession, TrainingSession.id == Survey.session_id)
            .where(*conditions)
            .order_by(Survey.id)
        )

    def small_units(self) -> list[Any]:
        """Fill export_small_units from export_surveys, and mark their surveys: the units
        _measure_units counts in no figure, found the same way (from the counts each survey made when it closed)."""
        units = _measure_units(self.sel, select(_SURVEY_PARTS.c.survey_id), small_too=True)
        found = select(units.c.survey_id, units.c.measure).where(units.c.n < self.sel.min_group)
        marked = _SURVEY_PARTS.c.survey_id.in_(select(_SMALL_UNITS.c.survey_id))
        return [
            _SMALL_UNITS.insert().from_select(["survey_id", "measure"], found),
            update(_SURVEY_PARTS).where(marked).values(small=True),
        ]

    @staticmethod
    def survey_start(course_id: str, kind: str, shared: SharedStrings, *, postgres: bool = False) -> tuple[str, str]:
        """A survey's first two columns as CSV and as sheet cells (the number comes next); the
        sheet's text cells are entries of `shared`."""
        xml = "<row>" + shared.cell(course_id) + shared.cell(kind)
        if postgres:  # with the number cell's opening, so each row takes fewer joins (copy_lines)
            return f"{_csv_quoted(course_id)},{_csv_quoted(kind)},", xml + "<c><v>"
        return f"{_csv_quoted(course_id)},{kind},", xml

    def answer_parts(self, shared: SharedStrings, *, postgres: bool = False) -> list[tuple[str, str, str, str, str]]:
        """(kind, question, value, CSV end, sheet end) for every labelled tap answer, its last
        three columns made ready, and for every choice of two or more options of a multiple-choice
        question (in any order, as pressed), its options' labels joined by ", ": most rows then
        need no string work in the database. The sheet's text cells are entries of `shared`."""

        def part(kind: str, question: str, value: str, shown: str, answer: str) -> tuple[str, str, str, str, str]:
            sheet_end = shared.cell(question) + shared.cell(value) + shared.cell(answer) + "</row>"
            if postgres:  # with what follows the number (copy_lines)
                csv_end = f",{_csv_quoted(question)},{_csv_quoted(shown)},{_csv_quoted(answer)}\r\n"
                sheet_end = "</v></c>" + sheet_end + "\n"
            else:
                csv_end = f"{question},{_csv_quoted(shown)},{_csv_quoted(answer)}\r\n"
            return kind, question, value, csv_end, sheet_end

        found = {}
        for kind, by_question in self.labels.items():
            for question, by_value in by_question.items():
                for value, label in by_value.items():
                    found[kind, question, value] = part(kind, question, value, inert_cell(value), label)
        for kind, options_of in self.multiple.items():
            for question, options in options_of.items():
                label_of = self.labels.get(kind, {}).get(question, {})
                for size in range(2, len(options) + 1):
                    for chosen in permutations(options, size):
                        value = ",".join(chosen)
                        # Labels, as a single choice has: "Put the learning into practice, Used the course materials"
                        labels = inert_cell(", ".join(label_of.get(option, option) for option in chosen))
                        found.setdefault(
                            (kind, question, value), part(kind, question, value, inert_cell(value), labels)
                        )
        return list(found.values())

    def csv_lines(self, first_code: Any, end_code: Any) -> Any:
        """SQLite: the finished CSV lines of the respondents numbered [first, end), joined into
        one text, the same rows as answers.xlsx's sheet rows, and how many there are (the texts
        as UTF-8 bytes, ready for the files). SQLite walks the numbers in order and finds each
        one's answers and survey by primary key, so the lines come in number order, then
        question order. The course and kind come ready made per survey, and a labelled tap
        answer's columns per answer (export_surveys, export_answer_parts); only other answers
        are worked out here."""
        answer, parts, start = SurveyAnswer, _ANSWER_PARTS.c, _SURVEY_PARTS.c
        special = answer.value.op("GLOB")(literal(_CSV_SPECIAL))

        def field(value: Any) -> Any:
            return case((special, literal('"').concat(func.replace(value, '"', '""')).concat('"')), else_=value)

        spaced = _spaced(answer)
        csv_end = func.printf(
            "%s,%s,%s\r\n",
            answer.question,
            field(_inert_csv(answer.value, postgres=False)),
            field(_inert_csv(spaced, postgres=False)),
        )
        cell = _xml_cell_maker(postgres=False)
        xml_end = func.printf("%s%s%s</row>", cell(answer.question), cell(answer.value), cell(spaced))
        line = func.printf("%s%d,%s", start.csv_start, _CODES.c.code, func.coalesce(parts.csv_end, csv_end))
        sheet_row = func.printf(
            "%s<c><v>%d</v></c>%s", start.xml_start, _CODES.c.code, func.coalesce(parts.xml_end, xml_end)
        )
        texts = [func.cast(func.group_concat(column, ""), LargeBinary) for column in (line, sheet_row)]
        return (
            select(*texts, func.count())
            .select_from(_CODES)
            .join(
                answer,
                and_(
                    answer.survey_id == _CODES.c.survey_id,
                    answer.respondent == _CODES.c.respondent,
                    _part(answer) == _CODES.c.part,
                ),
            )
            .join(_SURVEY_PARTS, start.survey_id == _CODES.c.survey_id)
            .outerjoin(
                _ANSWER_PARTS,
                and_(parts.kind == start.kind, parts.question == answer.question, parts.value == answer.value),
            )
            .where(_CODES.c.code >= first_code, _CODES.c.code < end_code, or_(~start.small, _counted(answer)))
        )

    def copy_lines(self, first_code: Any, end_code: Any) -> Any:
        """PostgreSQL: the same as csv_lines, byte for byte (lines end CRLF, an empty text is an
        empty field, as Python's csv writer and the SQLite path write them). Each respondent's answers are read in
        primary-key order (LATERAL, which the planner serves from the key), so the year is
        never sorted as a whole: only each block, inside its aggregates."""
        table = SurveyAnswer.__table__
        answers = (
            select(table.c.question, table.c.value, table.c.free_text)
            .where(
                table.c.survey_id == _CODES.c.survey_id,
                table.c.respondent == _CODES.c.respondent,
                _part(table.c) == _CODES.c.part,
                or_(~_SURVEY_PARTS.c.small, _counted(table.c)),
            )
            .order_by(table.c.survey_id, table.c.respondent, table.c.question)
            .lateral("answer")
        )
        answer = answers.c
        parts, start = _ANSWER_PARTS.c, _SURVEY_PARTS.c

        def field(value: Any) -> Any:
            special = value.op("~")(literal('[,"\r\n]'))
            return case((special, literal('"').concat(func.replace(value, '"', '""')).concat('"')), else_=value)

        spaced = _spaced(answer)
        csv_end = (
            literal(",")
            .concat(field(answer.question))
            .concat(",")
            .concat(field(_inert_csv(answer.value, postgres=True)))
            .concat(",")
            .concat(field(_inert_csv(spaced, postgres=True)))
            .concat("\r\n")
        )
        cell = _xml_cell_maker(postgres=True)
        # Each sheet row on a line of its own, as COPY wrote them before.
        xml_end = (
            literal("</v></c>").concat(cell(answer.question)).concat(cell(answer.value)).concat(cell(spaced))
        ).concat("</row>\n")
        # The ready-made parts already hold the separators around the number (survey_start,
        # answer_parts): two joins a text per row.
        code = func.cast(_CODES.c.code, String)
        line = start.csv_start.concat(code).concat(func.coalesce(parts.csv_end, csv_end))
        sheet_row = start.xml_start.concat(code).concat(func.coalesce(parts.xml_end, xml_end))
        ordered = (
            select(line.label("line"), sheet_row.label("sheet_row"))
            .select_from(_CODES)
            .join(_SURVEY_PARTS, start.survey_id == _CODES.c.survey_id)
            .join(answers, true())
            .outerjoin(
                _ANSWER_PARTS,
                and_(parts.kind == start.kind, parts.question == answer.question, parts.value == answer.value),
            )
            .where(_CODES.c.code >= first_code, _CODES.c.code < end_code)
            .order_by(_CODES.c.code, answer.question.collate("C"))
            .subquery()
        )
        # An aggregate over a sorted subquery takes the rows in its order (as group_concat does
        # on SQLite): one sort of the block, where ORDER BY in each aggregate would be two.
        return select(
            *(func.convert_to(func.string_agg(column, literal("")), "UTF8") for column in ordered.c), func.count()
        )


def _spaced(answer: Any) -> Any:
    # Multiple choice (ids joined by commas) reads "a, b"; free text is left as written, so
    # "x, y" keeps its one space.
    return case((answer.free_text.is_(True), answer.value), else_=func.replace(answer.value, ",", ", "))


def _xml_cell_maker(*, postgres: bool) -> Callable[[Any], Any]:
    """A function from a text column to its sheet cell, in SQL: a number as a number, anything
    else as inert text with markup escaped (and, for COPY, no backslash, tab or line break)."""

    def is_number(value: Any) -> Any:
        if postgres:
            return value.op("~")(literal("^(0|[1-9][0-9]{0,13})$"))
        return or_(
            value == "0",
            and_(
                value.op("GLOB")(literal("[1-9]*")),
                value.op("NOT GLOB")(literal("*[^0-9]*")),
                func.length(value) < 15,
            ),
        )

    needs_escaping = "*[" + "".join(plain for plain, _ in _XML_REFERENCES) + "]*"

    def escaped(value: Any) -> Any:
        done = value
        for plain, reference in _XML_REFERENCES:
            done = func.replace(done, plain, reference)
        if postgres:
            return done
        # Most answers hold none of these: one GLOB instead of seven replace() calls.
        return case((value.op("GLOB")(literal(needs_escaping)), done), else_=value)

    def cell(value: Any) -> Any:
        inert = _inert(value)
        text = literal('<c t="inlineStr"><is><t xml:space="preserve">').concat(escaped(inert)).concat("</t></is></c>")
        return case((is_number(value), literal("<c><v>").concat(value).concat("</v></c>")), else_=text)

    return cell


# Markup characters, then what COPY's text format would escape (and a CSV line break): as
# character references, which mean the same in XML.
_XML_REFERENCES = [
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ("\\", "&#92;"),
    ("\t", "&#9;"),
    ("\n", "&#10;"),
    ("\r", "&#13;"),
]


def export_query(
    sel: Selection,
    *,
    courses: list[str],
    answer_labels: dict[tuple[str, str, str], str],
    multiple_choice: dict[tuple[str, str], tuple[str, ...]] | None = None,
) -> AnswerExport:
    """What goes into answers.csv: see AnswerExport; `answer_labels` maps (survey kind, question
    id, value) to the label shown for a tap answer, `multiple_choice` (survey kind, question id)
    to a multiple-choice question's option ids."""
    labels: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for (k, q, v), label in answer_labels.items():
        labels[k][q][v] = label
    multiple: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for (k, q), options in (multiple_choice or {}).items():
        multiple[k][q] = tuple(options)
    return AnswerExport(sel, tuple(courses), labels, multiple)


# The answers are written a block of respondent numbers at a time: each block is one statement
# that builds the block's CSV lines and sheet rows as two texts, with no Python object per row,
# and a thread of the export's own writes (and compresses) one block while the database builds
# the next. On SQLite the statement runs with the GIL released, so the export also goes on while
# the figures are counted and the charts drawn.
_EXPORT_BLOCK = 25_000


class _BlockWriter:
    """Writes the blocks into answers.csv and the sheet, in order, in a thread of its own; `add`
    hands back the previous block's write, for the producer to wait on before building the next
    (so at most two blocks are held)."""

    def __init__(self, csv_file: IO[bytes], sheet: Any, sheet_rows: int) -> None:
        self._csv, self._sheet, self._room = csv_file, sheet, sheet_rows if sheet is not None else 0
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="answers-export")
        self._last: Future[None] | None = None
        self.answers = 0

    def add(self, lines: bytes, rows_xml: bytes, count: int) -> Future[None] | None:
        keep = max(0, min(count, self._room - self.answers))
        if keep < count:
            rows_xml = _first_rows(rows_xml, keep)
        self.answers += count
        previous, self._last = self._last, self._pool.submit(self._write, lines, rows_xml)
        return previous

    def _write(self, lines: bytes, rows_xml: bytes) -> None:
        self._csv.write(lines)
        if rows_xml:
            self._sheet.write_xml(rows_xml)

    def last(self) -> Future[None] | None:
        return self._last

    def close(self) -> None:
        # Also on failure: nothing may still write once the files are closed.
        self._pool.shutdown(wait=True, cancel_futures=True)


async def export_answers(
    db: Database,
    export: AnswerExport,
    path: Path,
    xlsx_path: Path | None = None,
    *,
    shown_courses: Awaitable[Iterable[str]] | None = None,
) -> int:
    """Write answers.csv, and answers.xlsx beside it when `xlsx_path` is given (as many rows as a
    worksheet holds); returns the number of answers in the CSV. The database builds both files'
    rows, a block of respondents at a time (AnswerExport.csv_lines, AnswerExport.copy_lines).

    With `shown_courses` (the report's figures decide which courses go in), the export takes its
    courses from that instead of `export.courses`, and numbers the respondents of every course in
    the selection while it waits: when no other course had a survey, that numbering is the one it
    would have made, and the wait cost nothing; otherwise it numbers again with the courses given.
    Either way no answer is written before the courses are known."""
    from storage import xlsx

    decided: Future[tuple[str, ...]] | None = None
    if shown_courses is not None:
        decided = Future()
        waiting = asyncio.ensure_future(shown_courses)
        waiting.add_done_callback(partial(_settle, decided))
    shared = xlsx.SharedStrings()
    with ExitStack() as files:
        csv_file = files.enter_context(private_file(path, "wb"))
        csv_file.write((",".join(EXPORT_COLUMNS) + "\r\n").encode())
        sheet = None
        if xlsx_path is not None:
            sheet = files.enter_context(
                xlsx.SheetWriter(files.enter_context(private_file(xlsx_path, "wb")), "Answers", shared)
            )
            sheet.write_xml(xlsx.row(EXPORT_COLUMNS))
        writer = _BlockWriter(csv_file, sheet, xlsx.EXCEL_MAX_ROWS - 1)
        files.callback(writer.close)
        if decided is not None:  # a thread waiting for the courses stops when the export does
            files.callback(partial(decided.cancel))
        if db.is_postgres:
            await _export_postgres(db, export, writer, shared, decided)
        else:
            await asyncio.to_thread(_export_sqlite, db, export, writer, shared, decided)
        return writer.answers


def _settle(decided: Future[tuple[str, ...]], waiting: asyncio.Future[Iterable[str]]) -> None:
    if decided.done():
        return
    if waiting.cancelled():
        decided.cancel()
    elif (problem := waiting.exception()) is not None:
        decided.set_exception(problem)
    else:
        decided.set_result(tuple(waiting.result()))


def _numbered_as_decided(
    export: AnswerExport, numbered_courses: set[str], decided: Future[tuple[str, ...]] | None
) -> AnswerExport | None:
    """None when the numbering made while the courses were decided stands (it covered no course
    left out); else the export with the decided courses, to number again. Blocks until decided."""
    if decided is None:
        return None
    courses = decided.result()
    if numbered_courses <= set(courses):
        return None
    return replace(export, courses=courses)


async def _export_postgres(
    db: Database,
    export: AnswerExport,
    writer: _BlockWriter,
    shared: SharedStrings,
    decided: Future[tuple[str, ...]] | None = None,
) -> None:
    def compiled(stmt: Any, **given: Any) -> tuple[str, Callable[..., list[Any]]]:
        done = stmt.compile(dialect=db.engine.dialect, compile_kwargs={"render_postcompile": True})
        names = list(done.positiontup or [])
        return done.string, lambda **bounds: [bounds.get(name, done.params.get(name)) for name in names]

    async with db.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        async with driver.transaction():
            await driver.execute(_REPORT_SETTINGS)
            # The numbering's sort (300,000 respondents a year) stays in memory.
            # and each block is planned for its own numbers (a generic plan, which a prepared
            # statement would get after five runs, scans the whole table instead).
            await driver.execute(
                "SELECT set_config('work_mem', '64MB', true), set_config('plan_cache_mode', 'force_custom_plan', true)"
            )
            # Numbered in the database, as on SQLite: surveys in this export's random
            # order, each survey's respondents in a random order within it.
            await driver.execute(_CODES_DDL + " ON COMMIT DROP")
            for table in (_SURVEY_PARTS, _ANSWER_PARTS, _SMALL_UNITS):
                ddl = str(CreateTable(table).compile(dialect=db.engine.dialect))
                await driver.execute(ddl + " ON COMMIT DROP")

            async def number(export: AnswerExport, *, every_course: bool) -> tuple[int, set[str]]:
                surveys_sql, surveys_args = compiled(export.survey_parts(every_course=every_course))
                surveys = [tuple(r) for r in await driver.fetch(surveys_sql, *surveys_args())]
                await driver.copy_records_to_table(
                    "export_surveys", records=_survey_parts_in_random_order(surveys, export, shared, postgres=True)
                )
                await driver.copy_records_to_table(
                    "export_answer_parts", records=export.answer_parts(shared, postgres=True)
                )
                for statement in export.small_units():
                    small_sql, small_args = compiled(statement)
                    await driver.execute(small_sql, *small_args())
                await driver.execute("ANALYZE export_surveys; ANALYZE export_answer_parts; ANALYZE export_small_units")
                numbered = int((await driver.execute(_NUMBER_RESPONDENTS)).split()[-1])
                await driver.execute("ANALYZE export_codes")
                return numbered, {course for _id, _kind, course in surveys}

            numbered, courses = await number(export, every_course=decided is not None)
            if decided is not None:
                await asyncio.wrap_future(decided)
                again = _numbered_as_decided(export, courses, decided)
                if again is not None:
                    await driver.execute(
                        "TRUNCATE export_codes, export_surveys, export_answer_parts, export_small_units"
                    )
                    shared.clear()
                    numbered, _courses = await number(again, every_course=False)
            blocks_sql, block_args = compiled(
                export.copy_lines(bindparam("first_code", 0, type_=Integer), bindparam("end_code", 0, type_=Integer))
            )
            blocks = await driver.prepare(blocks_sql)
            for first in range(1, numbered + 1, _EXPORT_BLOCK):
                lines, rows_xml, count = await blocks.fetchrow(
                    *block_args(first_code=first, end_code=first + _EXPORT_BLOCK)
                )
                if count:
                    previous = writer.add(lines, rows_xml, count)
                    if previous is not None:
                        await asyncio.wrap_future(previous)
            last = writer.last()
            if last is not None:
                await asyncio.wrap_future(last)


def _export_sqlite(
    db: Database,
    export: AnswerExport,
    writer: _BlockWriter,
    shared: SharedStrings,
    decided: Future[tuple[str, ...]] | None = None,
) -> None:
    # `?` are the number range; every other value in the statement is ours (dates, course ids,
    # the pack's labels), rendered and quoted by SQLAlchemy.
    def literal(stmt: Any) -> str:
        return str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))

    sql = literal(export.csv_lines(literal_column("?"), literal_column("?")))
    database = db.url.database
    assert database is not None
    connection = sqlite3.connect(existing_file_uri(database), uri=True, timeout=15)  # never creates the file
    try:
        connection.execute(_CODES_DDL)
        for table in (_SURVEY_PARTS, _ANSWER_PARTS, _SMALL_UNITS):
            connection.execute(str(CreateTable(table).compile(dialect=db.engine.dialect)))

        def number(export: AnswerExport, *, every_course: bool) -> tuple[int, set[str]]:
            surveys = connection.execute(literal(export.survey_parts(every_course=every_course))).fetchall()
            connection.executemany(
                "INSERT INTO export_surveys VALUES (?, ?, ?, ?, ?, ?)",
                _survey_parts_in_random_order(surveys, export, shared),
            )
            connection.executemany(
                "INSERT INTO export_answer_parts VALUES (?, ?, ?, ?, ?)", export.answer_parts(shared)
            )
            for statement in export.small_units():
                connection.execute(literal(statement))
            return connection.execute(_NUMBER_RESPONDENTS).rowcount, {course for _id, _kind, course in surveys}

        numbered, courses = number(export, every_course=decided is not None)
        again = _numbered_as_decided(export, courses, decided)
        if again is not None:
            for name in ("export_codes", "export_surveys", "export_answer_parts", "export_small_units"):
                connection.execute(f"DELETE FROM {name}")  # noqa: S608 (our own table names)
            shared.clear()
            numbered, _courses = number(again, every_course=False)
        for first in range(1, numbered + 1, _EXPORT_BLOCK):
            lines, rows_xml, count = connection.execute(sql, (first, first + _EXPORT_BLOCK)).fetchone()
            if count:
                previous = writer.add(lines, rows_xml, count)
                if previous is not None:
                    previous.result()
        last = writer.last()
        if last is not None:
            last.result()
    finally:
        connection.close()  # the temporary tables go with the connection


def _first_rows(rows_xml: bytes, n: int) -> bytes:
    """The first n of a run of <row>...</row> elements, with what follows each (a line break on
    PostgreSQL). Markup in a cell is escaped, so "<row>" only ever starts a row."""
    end = 0
    for _ in range(n):
        end = rows_xml.find(b"<row>", end + 1)
        if end < 0:
            return rows_xml
    return rows_xml[:end]


def private_file(path: Path, mode: str) -> Any:
    """Open a report file for writing, readable by its owner only (0600), whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its old mode through O_CREAT
    if "b" in mode:
        return os.fdopen(fd, mode)
    return os.fdopen(fd, mode, newline="", encoding="utf-8")


async def resolve_course(tx: AsyncSession, text: str) -> list[tuple[str, str]]:
    """Courses whose id or session title matches `text` (case-insensitive): (course id, title)."""
    wanted = text.strip().lower()
    rows = (
        await tx.execute(
            select(TrainingSession.course_id, func.min(TrainingSession.title)).group_by(TrainingSession.course_id)
        )
    ).all()
    exact = [(c, t) for c, t in rows if c.lower() == wanted]
    return exact or [(c, t) for c, t in rows if wanted in c.lower() or wanted in t.lower()]


async def sessions_ended_between(tx: AsyncSession, start: dt.datetime, end: dt.datetime) -> list[TrainingSession]:
    stmt = (
        select(TrainingSession)
        .where(TrainingSession.end_at > start, TrainingSession.end_at <= end, TrainingSession.status != "cancelled")
        .order_by(TrainingSession.end_at)
    )
    return list((await tx.scalars(stmt)).all())


async def session_ids_with(tx: AsyncSession, kind: str, session_ids: list[int]) -> set[int]:
    if not session_ids:
        return set()
    stmt = select(Survey.session_id).where(Survey.kind == kind, Survey.session_id.in_(session_ids))
    return set((await tx.scalars(stmt)).all())


async def surveys_to_follow_up(
    tx: AsyncSession, *, ended_before: dt.datetime, ended_after: dt.datetime
) -> list[Survey]:
    """Post-course surveys of sessions that ended in the window and have no follow-up yet."""
    followed = select(Survey.session_id).where(Survey.kind == "follow-up")
    stmt = (
        select(Survey)
        .join(TrainingSession, TrainingSession.id == Survey.session_id)
        .where(
            Survey.kind == "post-course",
            TrainingSession.end_at <= ended_before,
            TrainingSession.end_at > ended_after,
            TrainingSession.status != "cancelled",
            Survey.session_id.not_in(followed),
        )
        .order_by(Survey.id)
    )
    return list((await tx.scalars(stmt)).all())
