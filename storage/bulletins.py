"""Bulletins written by the business unit: drafts, their schedule and the channels they go to.

A bulletin is editable until the moment it is handed to the outbox; that hand-over is a
compare-and-set on its status, so an edit and the send can never both win."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import JSON, Integer, String, Text, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Database
from storage.models import Base, OutboxMessage

DRAFT, SCHEDULED, SENDING, SENT, CANCELLED = "draft", "scheduled", "sending", "sent", "cancelled"
EDITABLE = (DRAFT, SCHEDULED)


class Bulletin(Base):
    __tablename__ = "bulletins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # Markdown as written
    status: Mapped[str] = mapped_column(String(12), default=DRAFT, index=True)
    send_at: Mapped[dt.datetime | None]  # UTC
    zone: Mapped[str] = mapped_column(String(64), default="Europe/London")  # the zone send_at was given in
    channels: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)  # [{"platform", "channel_id"}]
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None]


async def create(db: Database, *, title: str, body: str, by: str, now: dt.datetime) -> Bulletin:
    bulletin = Bulletin(
        title=title, body=body, status=DRAFT, channels=[], created_by=by, created_at=now, updated_at=now
    )
    async with db.session() as session:
        session.add(bulletin)
        await session.flush()
    return bulletin


async def get(db: Database, bulletin_id: int) -> Bulletin | None:
    async with db.session() as session:
        return await session.get(Bulletin, bulletin_id)


async def recent(db: Database, limit: int = 20) -> list[Bulletin]:
    async with db.session() as session:
        rows = await session.scalars(select(Bulletin).order_by(Bulletin.id.desc()).limit(limit))
        return list(rows.all())


async def _change(db: Database, bulletin_id: int, **values: Any) -> bool:
    stmt = update(Bulletin).where(Bulletin.id == bulletin_id, Bulletin.status.in_(EDITABLE)).values(**values)
    async with db.session() as session:
        result = cast(CursorResult[Any], await session.execute(stmt))
    return bool(result.rowcount)


async def edit(db: Database, bulletin_id: int, *, title: str, body: str, now: dt.datetime) -> bool:
    """Change the words; False once it has gone (or was cancelled)."""
    return await _change(db, bulletin_id, title=title, body=body, updated_at=now)


async def schedule(
    db: Database,
    bulletin_id: int,
    *,
    send_at: dt.datetime,
    zone: str,
    channels: list[dict[str, str]],
    now: dt.datetime,
) -> bool:
    return await _change(
        db, bulletin_id, status=SCHEDULED, send_at=send_at, zone=zone, channels=channels, updated_at=now
    )


async def cancel(db: Database, bulletin_id: int, *, now: dt.datetime) -> bool:
    return await _change(db, bulletin_id, status=CANCELLED, updated_at=now)


async def start_sending(db: Database, *, now: dt.datetime) -> list[Bulletin]:
    """Take every scheduled bulletin whose time has come (and any left half-sent by a crash).

    The status moves scheduled -> sending in one statement per bulletin, so an edit that
    arrives at the same moment either lands before it goes or is refused."""
    async with db.session() as session:
        due = list(
            (
                await session.scalars(select(Bulletin.id).where(Bulletin.status == SCHEDULED, Bulletin.send_at <= now))
            ).all()
        )
    for bulletin_id in due:
        async with db.session() as session:
            await session.execute(
                update(Bulletin)
                .where(Bulletin.id == bulletin_id, Bulletin.status == SCHEDULED)
                .values(status=SENDING, updated_at=now)
            )
    async with db.session() as session:
        rows = await session.scalars(select(Bulletin).where(Bulletin.status == SENDING).order_by(Bulletin.id))
        return list(rows.all())


async def mark_sent(db: Database, bulletin_id: int, *, now: dt.datetime) -> None:
    stmt = update(Bulletin).where(Bulletin.id == bulletin_id, Bulletin.status == SENDING)
    async with db.session() as session:
        await session.execute(stmt.values(status=SENT, sent_at=now, updated_at=now))


async def delivery_counts(db: Database, bulletin_id: int) -> dict[str, int]:
    """How the bulletin's outbox rows stand: {"sent": 3, "pending": 1, ...}."""
    prefix = f"bulletin:{bulletin_id}:"
    stmt = (
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.key.startswith(prefix, autoescape=True))
        .group_by(OutboxMessage.status)
    )
    async with db.session() as session:
        return {status: count for status, count in (await session.execute(stmt)).all()}
