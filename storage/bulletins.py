"""Bulletins written by the business unit: drafts, their schedule and the channels they go to.

A bulletin is editable until the moment it is handed to the outbox; that hand-over is a
compare-and-set on its status, so an edit and the send can never both win."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import JSON, Integer, String, Text, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

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


async def create(tx: AsyncSession, *, title: str, body: str, by: str, now: dt.datetime) -> Bulletin:
    bulletin = Bulletin(
        title=title, body=body, status=DRAFT, channels=[], created_by=by, created_at=now, updated_at=now
    )
    tx.add(bulletin)
    await tx.flush()
    return bulletin


async def get(tx: AsyncSession, bulletin_id: int) -> Bulletin | None:
    return await tx.get(Bulletin, bulletin_id)


async def recent(tx: AsyncSession, limit: int = 20) -> list[Bulletin]:
    rows = await tx.scalars(select(Bulletin).order_by(Bulletin.id.desc()).limit(limit))
    return list(rows.all())


async def _change(tx: AsyncSession, bulletin_id: int, **values: Any) -> bool:
    stmt = update(Bulletin).where(Bulletin.id == bulletin_id, Bulletin.status.in_(EDITABLE)).values(**values)
    result = cast(CursorResult[Any], await tx.execute(stmt))
    return bool(result.rowcount)


async def edit(tx: AsyncSession, bulletin_id: int, *, title: str, body: str, now: dt.datetime) -> bool:
    """Change the words; False once it has gone (or was cancelled)."""
    return await _change(tx, bulletin_id, title=title, body=body, updated_at=now)


async def schedule(
    tx: AsyncSession,
    bulletin_id: int,
    *,
    send_at: dt.datetime,
    zone: str,
    channels: list[dict[str, str]],
    now: dt.datetime,
) -> bool:
    return await _change(
        tx, bulletin_id, status=SCHEDULED, send_at=send_at, zone=zone, channels=channels, updated_at=now
    )


async def cancel(tx: AsyncSession, bulletin_id: int, *, now: dt.datetime) -> bool:
    return await _change(tx, bulletin_id, status=CANCELLED, updated_at=now)


async def start_sending(tx: AsyncSession, *, now: dt.datetime) -> list[Bulletin]:
    """Take every scheduled bulletin whose time has come (and any left half-sent by a crash).

    The status moves scheduled -> sending by a compare-and-set on it, written before anything
    is read, so an edit that arrives at the same moment either lands before it goes or is
    refused. Commit before handing the bulletins to the outbox."""
    await tx.execute(
        update(Bulletin)
        .where(Bulletin.status == SCHEDULED, Bulletin.send_at <= now)
        .values(status=SENDING, updated_at=now)
    )
    rows = await tx.scalars(select(Bulletin).where(Bulletin.status == SENDING).order_by(Bulletin.id))
    return list(rows.all())


async def mark_sent(tx: AsyncSession, bulletin_id: int, *, now: dt.datetime) -> None:
    stmt = update(Bulletin).where(Bulletin.id == bulletin_id, Bulletin.status == SENDING)
    await tx.execute(stmt.values(status=SENT, sent_at=now, updated_at=now))


async def delivery_counts(tx: AsyncSession, bulletin_id: int) -> dict[str, int]:
    """How the bulletin's outbox rows stand: {"sent": 3, "pending": 1, ...}."""
    prefix = f"bulletin:{bulletin_id}:"
    stmt = (
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.key.startswith(prefix, autoescape=True))
        .group_by(OutboxMessage.status)
    )
    return {status: count for status, count in (await tx.execute(stmt)).all()}
