"""Tables for training sessions: sessions, where they were announced, RSVPs and attendance,
and courses trainers add on top of the content pack's programme.

Surveys read sessions and attendance from here; the training feature owns the writes.
Changes to one session happen in a transaction that starts with `lock_session(tx, id)`, which
holds the session's row lock until it commits, so two replicas (or two quick button presses)
can never both take the last place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import outbox
from storage.db import insert, is_postgres
from storage.models import Base, OutboxMessage

SCHEDULED, CANCELLED = "scheduled", "cancelled"
GOING, WAITLIST, DECLINED = "going", "waitlist", "declined"
UNFINISHED = (outbox.PENDING, outbox.CLAIMED)  # outbox rows that may still be posted


class TrainingSession(Base):
    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    course_id: Mapped[str] = mapped_column(String(80), index=True)  # a pack course id or an added course
    title: Mapped[str] = mapped_column(String(200))
    start_at: Mapped[dt.datetime] = mapped_column(index=True)  # UTC
    end_at: Mapped[dt.datetime]  # UTC
    zone: Mapped[str] = mapped_column(String(64), default="Europe/London")  # the zone it was entered in
    venue: Mapped[str] = mapped_column(String(255), default="")
    online_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int] = mapped_column(Integer)
    trainer: Mapped[str] = mapped_column(String(120), default="")  # "platform:user"
    status: Mapped[str] = mapped_column(String(12), default="scheduled")  # scheduled | cancelled
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    # Goes up whenever the time, venue or link changes (or the session is cancelled): reminder
    # keys carry it, so reminders for an old time are never mistaken for the new ones, and
    # calendar files carry it as SEQUENCE so calendars take the update.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Where to announce it by default: platform-qualified channels, space separated.
    channels: Mapped[str] = mapped_column(String(500), default="", server_default="")


class SessionAnnouncement(Base):
    """One post of a session in a channel; message_id is filled once the post is delivered."""

    __tablename__ = "training_announcements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[str] = mapped_column(String(120))
    message_id: Mapped[str | None] = mapped_column(String(120))
    posted_at: Mapped[dt.datetime | None]


class Rsvp(Base):
    __tablename__ = "training_rsvps"

    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))  # going | waitlist | declined
    responded_at: Mapped[dt.datetime]  # waitlist order
    # the name the platform gave with the press, for the trainer's list (an id tells them nothing)
    user_name: Mapped[str] = mapped_column(String(120), default="", server_default="")


class Attendance(Base):
    __tablename__ = "training_attendance"

    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    attended: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(12))  # trainer | import
    recorded_at: Mapped[dt.datetime]


class TrainingCourse(Base):
    """A course a trainer added in chat, alongside the content pack's programme."""

    __tablename__ = "training_courses"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(255), default="")
    duration_minutes: Mapped[int] = mapped_column(Integer)
    delivery: Mapped[str] = mapped_column(String(60))  # comma separated: in person, virtual, e-learning
    accreditation: Mapped[str] = mapped_column(String(255), default="")
    topics: Mapped[str] = mapped_column(String(255), default="")  # comma separated tags
    created_by: Mapped[str] = mapped_column(String(120))
    # the name the platform gave whoever added it (their id means nothing on a course card)
    created_by_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    created_at: Mapped[dt.datetime]


@dataclass(frozen=True)
class Places:
    going: int = 0
    waitlist: int = 0


# --- reading ------------------------------------------------------------------------------------


async def get_session(tx: AsyncSession, session_id: int) -> TrainingSession | None:
    return await tx.get(TrainingSession, session_id)


async def sessions_by_id(tx: AsyncSession, session_ids: Iterable[int]) -> dict[int, TrainingSession]:
    """The sessions that still exist among `session_ids`, by id, in one query."""
    ids = list(set(session_ids))
    if not ids:
        return {}
    return {s.id: s for s in (await tx.scalars(select(TrainingSession).where(TrainingSession.id.in_(ids)))).all()}


async def list_sessions(
    tx: AsyncSession,
    *,
    starts_after: dt.datetime | None = None,
    starts_before: dt.datetime | None = None,
    course_ids: Iterable[str] | None = None,
    include_cancelled: bool = False,
    limit: int | None = None,
) -> list[TrainingSession]:
    stmt = select(TrainingSession).order_by(TrainingSession.start_at, TrainingSession.id)
    if starts_after is not None:
        stmt = stmt.where(TrainingSession.start_at > starts_after)
    if starts_before is not None:
        stmt = stmt.where(TrainingSession.start_at < starts_before)
    if course_ids is not None:
        stmt = stmt.where(TrainingSession.course_id.in_(list(course_ids)))
    if not include_cancelled:
        stmt = stmt.where(TrainingSession.status == SCHEDULED)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list((await tx.scalars(stmt)).all())


async def find_session(tx: AsyncSession, *, course_id: str, start_at: dt.datetime) -> TrainingSession | None:
    """A scheduled session of this course at this time (imports use it to skip repeats)."""
    return await tx.scalar(
        select(TrainingSession).where(
            TrainingSession.course_id == course_id,
            TrainingSession.start_at == start_at,
            TrainingSession.status == SCHEDULED,
        )
    )


async def places(tx: AsyncSession, session_ids: Iterable[int]) -> dict[int, Places]:
    ids = list(session_ids)
    found: dict[int, Places] = {sid: Places() for sid in ids}
    if not ids:
        return found
    rows = await tx.execute(
        select(Rsvp.session_id, Rsvp.status, func.count())
        .where(Rsvp.session_id.in_(ids), Rsvp.status.in_([GOING, WAITLIST]))
        .group_by(Rsvp.session_id, Rsvp.status)
    )
    for sid, status, count in rows.all():
        current = found[sid]
        found[sid] = Places(count, current.waitlist) if status == GOING else Places(current.going, count)
    return found


async def rsvps_of_user(tx: AsyncSession, platform: str, user_id: str) -> list[tuple[Rsvp, TrainingSession]]:
    stmt = (
        select(Rsvp, TrainingSession)
        .join(TrainingSession, TrainingSession.id == Rsvp.session_id)
        .where(Rsvp.platform == platform, Rsvp.user_id == user_id)
        .order_by(TrainingSession.start_at)
    )
    return [(r, t) for r, t in (await tx.execute(stmt)).all()]


async def rsvps(tx: AsyncSession, session_id: int, statuses: Iterable[str] | None = None) -> list[Rsvp]:
    """RSVPs of a session, in the order people responded (the waitlist order)."""
    stmt = select(Rsvp).where(Rsvp.session_id == session_id)
    if statuses is not None:
        stmt = stmt.where(Rsvp.status.in_(list(statuses)))
    stmt = stmt.order_by(Rsvp.responded_at, Rsvp.platform, Rsvp.user_id)
    return list((await tx.scalars(stmt)).all())


async def announcements(tx: AsyncSession, session_id: int, *, posted_only: bool = False) -> list[SessionAnnouncement]:
    stmt = select(SessionAnnouncement).where(SessionAnnouncement.session_id == session_id)
    if posted_only:
        stmt = stmt.where(SessionAnnouncement.message_id.is_not(None))
    return list((await tx.scalars(stmt.order_by(SessionAnnouncement.id))).all())


async def attendance(tx: AsyncSession, session_id: int) -> list[Attendance]:
    stmt = select(Attendance).where(Attendance.session_id == session_id)
    return list((await tx.scalars(stmt.order_by(Attendance.platform, Attendance.user_id))).all())


async def added_courses(tx: AsyncSession) -> list[TrainingCourse]:
    return list((await tx.scalars(select(TrainingCourse).order_by(TrainingCourse.title))).all())


# --- writing ------------------------------------------------------------------------------------


async def lock_session(tx: AsyncSession, session_id: int) -> TrainingSession | None:
    """Take the session's row lock for the rest of the caller's transaction and return the
    session (None when it is gone). Call it first in the transaction, before reading anything."""
    if is_postgres(tx):
        return await tx.scalar(select(TrainingSession).where(TrainingSession.id == session_id).with_for_update())
    # SQLite locks the whole file for writing: take that lock before reading anything.
    await tx.execute(
        update(TrainingSession).where(TrainingSession.id == session_id).values(version=TrainingSession.version)
    )
    return await tx.get(TrainingSession, session_id)


async def add_session(tx: AsyncSession, session: TrainingSession) -> TrainingSession:
    tx.add(session)
    await tx.flush()
    return session


async def add_sessions(tx: AsyncSession, sessions: list[TrainingSession]) -> list[TrainingSession]:
    """Add several sessions: all of them or none, with the caller's transaction."""
    tx.add_all(sessions)
    await tx.flush()
    return sessions


async def delete_session(tx: AsyncSession, session_id: int) -> bool:
    result = await tx.execute(delete(TrainingSession).where(TrainingSession.id == session_id))
    return bool(cast(CursorResult[Any], result).rowcount)


async def add_announcement(tx: AsyncSession, session_id: int, platform: str, channel_id: str) -> SessionAnnouncement:
    row = SessionAnnouncement(session_id=session_id, platform=platform, channel_id=channel_id)
    tx.add(row)
    await tx.flush()
    return row


async def mark_announced(tx: AsyncSession, announcement_id: int, *, message_id: str, now: dt.datetime) -> int | None:
    """Record the posted message's id; returns the session id (None if the row is gone)."""
    row = await tx.get(SessionAnnouncement, announcement_id)
    if row is None:
        return None
    row.message_id = message_id
    row.posted_at = now
    return row.session_id


async def announcement_at(
    tx: AsyncSession, *, platform: str, channel_id: str, message_id: str
) -> SessionAnnouncement | None:
    return await tx.scalar(
        select(SessionAnnouncement).where(
            SessionAnnouncement.platform == platform,
            SessionAnnouncement.channel_id == channel_id,
            SessionAnnouncement.message_id == message_id,
        )
    )


async def record_attendance(
    tx: AsyncSession,
    session_id: int,
    marks: dict[tuple[str, str], bool],
    *,
    source: str,
    now: dt.datetime,
) -> int:
    """Upsert attended yes/no for (platform, user) pairs; returns how many were recorded."""
    if not marks:
        return 0
    for (platform, user_id), attended in marks.items():
        stmt = insert(tx, Attendance).values(
            session_id=session_id,
            platform=platform,
            user_id=user_id,
            attended=attended,
            source=source,
            recorded_at=now,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["session_id", "platform", "user_id"],
            set_={"attended": attended, "source": source, "recorded_at": now},
        )
        await tx.execute(stmt)
    return len(marks)


async def add_course(tx: AsyncSession, course: TrainingCourse) -> bool:
    """Add a course; False if the id is taken."""
    values = {c.name: getattr(course, c.name) for c in TrainingCourse.__table__.columns}
    result = await tx.execute(insert(tx, TrainingCourse).values(values).on_conflict_do_nothing(index_elements=["id"]))
    return bool(cast(CursorResult[Any], result).rowcount)


# --- the session's rows in the outbox ------------------------------------------------------------


@dataclass(frozen=True)
class OutboxState:
    key: str
    status: str
    # Set while a worker holds the row; kept when the row is skipped under a claim, as the post
    # may still be on its way to the platform until then.
    claimed_until: dt.datetime | None
    due_at: dt.datetime


async def outbox_states(tx: AsyncSession, prefix: str) -> list[OutboxState]:
    """Key, status, claim and due time of every outbox row whose key starts with a prefix."""
    stmt = select(OutboxMessage.key, OutboxMessage.status, OutboxMessage.claimed_until, OutboxMessage.due_at).where(
        OutboxMessage.key.startswith(prefix, autoescape=True)
    )
    return [OutboxState(*row) for row in (await tx.execute(stmt)).all()]


async def skip_outbox_keys(tx: AsyncSession, keys: Iterable[str], *, reason: str) -> int:
    """Skip rows not yet finished, by exact key (a prefix would also catch e.g. user `amy2` for
    `amy`). A claimed row is skipped too: its worker can then no longer put it back to wait
    after a failed try, nor can another take it over when the lease runs out, so content that
    stopped being true is never posted later."""
    wanted = list(keys)
    if not wanted:
        return 0
    result = await tx.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status.in_(UNFINISHED), OutboxMessage.key.in_(wanted))
        .values(status="skipped", error=reason[:2000])
    )
    return cast(CursorResult[Any], result).rowcount or 0


async def delete_skipped_outbox_keys(tx: AsyncSession, keys: Iterable[str]) -> int:
    """Delete skipped rows by exact key, except one skipped under a claim, whose post may still be
    on its way: that one stays until the purge of finished rows."""
    wanted = list(keys)
    if not wanted:
        return 0
    result = await tx.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status == "skipped", OutboxMessage.claimed_until.is_(None), OutboxMessage.key.in_(wanted)
        )
    )
    return cast(CursorResult[Any], result).rowcount or 0


async def outbox_rows(tx: AsyncSession, prefix: str) -> list[OutboxMessage]:
    """Every outbox row whose key starts with a prefix, oldest due first (for the trainer's view)."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.key.startswith(prefix, autoescape=True))
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
    )
    return list((await tx.scalars(stmt)).all())


async def outbox_slots(tx: AsyncSession, prefix: str) -> list[tuple[str, str, dt.datetime]]:
    """(key, status, due_at) of every outbox row whose key starts with a prefix."""
    return [(row.key, row.status, row.due_at) for row in await outbox_states(tx, prefix)]


async def outbox_payload(tx: AsyncSession, key: str) -> tuple[str, dict[str, object]] | None:
    """(status, payload) of one outbox row, or None."""
    stmt = select(OutboxMessage.status, OutboxMessage.payload).where(OutboxMessage.key == key)
    row = (await tx.execute(stmt)).first()
    return None if row is None else (row[0], row[1])


async def replace_pending_payload(tx: AsyncSession, key: str, payload: dict[str, object]) -> bool:
    """Give a post not yet claimed for sending new content (an announcement still waiting to
    go out when its session changes); False if it is already on its way or sent."""
    result = await tx.execute(
        update(OutboxMessage).where(OutboxMessage.key == key, OutboxMessage.status == "pending").values(payload=payload)
    )
    return bool(cast(CursorResult[Any], result).rowcount)


async def post_again(tx: AsyncSession, key: str, payload: dict[str, object], *, now: dt.datetime) -> bool:
    """Put a post that failed or was skipped back in the queue, with new content, due now."""
    result = await tx.execute(
        update(OutboxMessage)
        .where(OutboxMessage.key == key, OutboxMessage.status.in_(["failed", "skipped"]))
        .values(status="pending", payload=payload, attempts=0, error=None, due_at=now)
    )
    return bool(cast(CursorResult[Any], result).rowcount)
