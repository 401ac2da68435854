"""Shared set-up for the survey tests: a whole bot on each database, and sessions seeded the way
the training feature stores them (rows in its tables), so surveys are tested on their own."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import select

from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from core.model import Reply, Request, RequestKind
from storage.models import OutboxMessage
from storage.training import Attendance, Rsvp, SessionAnnouncement, TrainingSession
from tests.harness import text_of

SECRET = "answers-test-key-Hb3Vr8Zn5Qm2Wy7K"


def survey_settings(tmp_path: Path, database_url: str, **extra: object) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path / "data",
        database_url=database_url,
        survey_secret=SECRET,
        trainers="console:trainer",
        admins="console:admin",
        **extra,
    )


@asynccontextmanager
async def survey_runtime(
    database_url: str, tmp_path: Path, clock: FrozenClock, **extra: object
) -> AsyncIterator[Runtime]:
    """The whole bot on the given database (emptied first), with trainer and admin console users."""
    rt = await Runtime.create(survey_settings(tmp_path, database_url, **extra), clock=clock, console_mode=True)
    try:
        if rt.ctx.db.is_postgres:
            from tests.conftest import _clean_postgres

            await _clean_postgres(rt.ctx.db)
        yield rt
    finally:
        await rt.ctx.db.dispose()


async def seed_session(
    rt: Runtime,
    *,
    attendees: list[str] | None = None,
    going: list[str] | None = None,
    absent: list[str] | None = None,
    course: str = "basic-cp",
    title: str = "Basic child protection",
    ended_ago: dt.timedelta = dt.timedelta(minutes=5),
    length: dt.timedelta = dt.timedelta(hours=3),
    announced_in: str | None = "training",
    platform: str = "console",
) -> int:
    """A session that ended `ended_ago` before the clock's now, with RSVPs and attendance."""
    now = rt.ctx.now()
    end = now - ended_ago
    async with rt.ctx.db.transaction() as session:
        row = TrainingSession(
            course_id=course,
            title=title,
            start_at=end - length,
            end_at=end,
            capacity=30,
            created_by="console:trainer",
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        await session.flush()
        for user in going or []:
            session.add(Rsvp(session_id=row.id, platform=platform, user_id=user, status="going", responded_at=now))
        for user in attendees or []:
            session.add(
                Attendance(
                    session_id=row.id,
                    platform=platform,
                    user_id=user,
                    attended=True,
                    source="trainer",
                    recorded_at=now,
                )
            )
        for user in absent or []:
            session.add(
                Attendance(
                    session_id=row.id,
                    platform=platform,
                    user_id=user,
                    attended=False,
                    source="trainer",
                    recorded_at=now,
                )
            )
        if announced_in:
            session.add(
                SessionAnnouncement(
                    session_id=row.id,
                    platform=platform,
                    channel_id=announced_in,
                    message_id=f"m{row.id}",
                    posted_at=now,
                )
            )
        return row.id


def press(value: str, *, user: str, action_id: str = "survey:answer", **extra: object) -> Request:
    return Request(
        kind=RequestKind.ACTION,
        platform="console",
        user_id=user,
        channel_id=f"dm:{user}",
        is_direct=True,
        action_id=action_id,
        value=value,
        **extra,  # type: ignore[arg-type]
    )


def thread_reply(session_id: int, words: str, *, user: str) -> Request:
    """A message in the survey's thread under a session's announcement (seed_session's "m<id>")."""
    return Request(
        kind=RequestKind.MESSAGE,
        platform="console",
        user_id=user,
        channel_id="training",
        thread_id=f"m{session_id}",
        text=words,
    )


async def answer(rt: Runtime, value: str, *, user: str) -> str:
    outcome = await rt.dispatcher.handle(press(value, user=user))
    return text_of(outcome.replies)


async def close_surveys(rt: Runtime) -> None:
    """Close every open survey, as the survey job does when a survey's time is up: the reports
    count a survey's answers only once it has closed (storage/surveys.py)."""
    from handlers import surveys
    from storage import surveys as store

    async with rt.ctx.db.transaction() as tx:
        still_open = [survey.id for survey in await store.open_surveys(tx)]
    for survey_id in still_open:
        await surveys.close_survey(rt.ctx, survey_id)


async def given_answers(rt: Runtime) -> list[tuple[int, str, str, str, str | None, int | None, bool | None, bool]]:
    """(survey id, respondent code, question, value, measure, score, positive, free text) of every
    answer given: opened from the sealed rows of surveys still open (storage/sealed.py), as
    written out for those closed; sorted."""
    from sqlalchemy import select

    from storage.sealed import SealedAnswers, sealer
    from storage.surveys import SurveyAnswer

    opener = sealer(rt.ctx.settings.survey_key())
    async with rt.ctx.db.transaction() as tx:
        held = (await tx.execute(select(SealedAnswers))).scalars().all()
        written = (await tx.execute(select(SurveyAnswer))).scalars().all()
    found = [
        (a.survey_id, a.respondent, a.question, a.value, a.measure, a.score, a.positive, a.free_text) for a in written
    ]
    for row in held:
        for question, given in opener.open(row.survey_id, row.respondent, row.sealed).items():
            found.append(
                (
                    row.survey_id,
                    row.respondent,
                    question,
                    given.value,
                    given.measure,
                    given.score,
                    given.positive,
                    given.free_text,
                )
            )
    return sorted(found, key=lambda r: (r[0], r[1], r[2]))


async def outbox_rows(rt: Runtime, prefix: str = "survey:") -> list[OutboxMessage]:
    async with rt.ctx.db.transaction() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.key.startswith(prefix)).order_by(OutboxMessage.key)
        )
        return list(rows.all())


def buttons(reply: Reply) -> list[tuple[str, str, str]]:
    """(label, action id, value) of every button in a reply, in order."""
    found = []
    for block in reply.blocks:
        for button in getattr(block, "buttons", []):
            found.append((button.label, button.action_id, button.value))
    return found
