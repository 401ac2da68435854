"""Reach of learning briefings: how many people said they read one, or will use it.

No user id is stored. A press is kept as a keyed hash of (platform, user, briefing, kind), which
only stops one person being counted twice: without the key it cannot be turned back into a
person, and the same person's hashes for two briefings do not match."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import String, func, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import insert
from storage.models import Base, OutboxMessage

READ, WILL_USE = "read", "use"


class BriefingResponse(Base):
    __tablename__ = "briefing_responses"

    briefing_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # read | use
    person: Mapped[str] = mapped_column(String(64), primary_key=True)  # keyed hash, never a user id
    on_day: Mapped[dt.date]  # the day only: no timestamps that could line up with a chat log


async def record(tx: AsyncSession, *, briefing_id: str, kind: str, person: str, today: dt.date) -> bool:
    """Count one press; False when this person had already pressed this button for this briefing."""
    stmt = insert(tx, BriefingResponse).values(briefing_id=briefing_id, kind=kind, person=person, on_day=today)
    result = cast(
        CursorResult[Any],
        await tx.execute(stmt.on_conflict_do_nothing(index_elements=["briefing_id", "kind", "person"])),
    )
    return bool(result.rowcount)


async def counts(
    tx: AsyncSession, briefing_id: str | None = None, *, days: tuple[dt.date, dt.date] | None = None
) -> dict[str, dict[str, int]]:
    """briefing -> {"read": n, "use": m}; with `days` (first, last, inclusive), the presses made then."""
    stmt = select(BriefingResponse.briefing_id, BriefingResponse.kind, func.count()).group_by(
        BriefingResponse.briefing_id, BriefingResponse.kind
    )
    if briefing_id is not None:
        stmt = stmt.where(BriefingResponse.briefing_id == briefing_id)
    if days is not None:
        stmt = stmt.where(BriefingResponse.on_day.between(*days))
    rows = (await tx.execute(stmt)).all()
    found: dict[str, dict[str, int]] = {}
    for bid, kind, count in rows:
        found.setdefault(bid, {READ: 0, WILL_USE: 0})[kind] = count
    return found


async def posted_channels(
    tx: AsyncSession, *, between: tuple[dt.datetime, dt.datetime] | None = None
) -> dict[str, int]:
    """briefing -> how many distinct channels it has been posted in (from its sent outbox rows);
    with `between` (a UTC [start, end) range), posted then."""
    stmt = select(OutboxMessage.key).where(OutboxMessage.key.startswith("briefing:"), OutboxMessage.status == "sent")
    if between is not None:
        stmt = stmt.where(OutboxMessage.sent_at >= between[0], OutboxMessage.sent_at < between[1])
    rows = await tx.execute(stmt)
    channels: dict[str, set[str]] = {}
    for (key,) in rows.all():
        parts = key.split(":")  # briefing:<id>:<platform>:<channel>[:<time of a repeat>]
        if len(parts) >= 4:
            channels.setdefault(parts[1], set()).add(f"{parts[2]}:{parts[3]}")
    return {briefing: len(found) for briefing, found in channels.items()}
