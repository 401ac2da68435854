"""The outbox: every scheduled or fanned-out post becomes a row with an idempotency key.

Enqueueing the same key twice has no effect, and claiming is safe with several workers:
on PostgreSQL the claim uses FOR UPDATE SKIP LOCKED, on SQLite one statement is atomic.
A claim is a lease: if the worker dies, the row becomes claimable again when it expires.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import OutboxMessage

PENDING, CLAIMED, SENT, FAILED, SKIPPED = "pending", "claimed", "sent", "failed", "skipped"


@dataclass(frozen=True)
class NewMessage:
    key: str
    platform: str
    target: dict[str, Any]
    payload: dict[str, Any]
    due_at: dt.datetime
    expires_at: dt.datetime | None = None
    on_sent: str | None = None


async def enqueue(db: Database, messages: list[NewMessage], *, now: dt.datetime) -> int:
    """Add messages; keys already present are left alone. Returns how many were new."""
    if not messages:
        return 0
    async with db.session() as session:
        return await enqueue_in(session, db, messages, now=now)


async def enqueue_in(session: AsyncSession, db: Database, messages: list[NewMessage], *, now: dt.datetime) -> int:
    """`enqueue` inside a transaction the caller holds, so the messages are added if and only
    if the caller's own change commits (e.g. an RSVP and the reminders it schedules)."""
    if not messages:
        return 0
    rows = [
        {
            "key": m.key,
            "platform": m.platform,
            "target": m.target,
            "payload": m.payload,
            "due_at": m.due_at,
            "expires_at": m.expires_at,
            "status": PENDING,
            "attempts": 0,
            "on_sent": m.on_sent,
            "created_at": now,
        }
        for m in messages
    ]
    added = 0
    for start in range(0, len(rows), 500):
        stmt = db.insert(OutboxMessage).values(rows[start : start + 500])
        result = await session.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))
        added += max(result.rowcount or 0, 0)
    return added


async def claim_due(
    db: Database,
    *,
    worker: str,
    now: dt.datetime,
    limit: int = 50,
    lease: dt.timedelta = dt.timedelta(minutes=2),
    platforms: list[str] | None = None,
) -> list[OutboxMessage]:
    """Claim up to `limit` due rows for this worker, oldest first."""
    claimable = or_(
        OutboxMessage.status == PENDING,
        and_(OutboxMessage.status == CLAIMED, OutboxMessage.claimed_until < now),
    )
    wanted = select(OutboxMessage.id).where(claimable, OutboxMessage.due_at <= now)
    if platforms is not None:
        wanted = wanted.where(OutboxMessage.platform.in_(platforms))
    wanted = wanted.order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit)
    if db.is_postgres:
        wanted = wanted.with_for_update(skip_locked=True)
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(wanted.scalar_subquery()))
        .values(
            status=CLAIMED,
            claimed_by=worker,
            claimed_until=now + lease,
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False)
    )
    async with db.session() as session:
        rows = list((await session.scalars(stmt)).all())
    return sorted(rows, key=lambda r: (r.due_at, r.id))


async def _finish(db: Database, row_id: int, worker: str, **values: Any) -> bool:
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.status == CLAIMED, OutboxMessage.claimed_by == worker)
        .values(claimed_until=None, **values)
    )
    async with db.session() as session:
        result = await session.execute(stmt)
    return bool(result.rowcount)


async def mark_sent(db: Database, row_id: int, *, worker: str, message_id: str | None, now: dt.datetime) -> bool:
    return await _finish(db, row_id, worker, status=SENT, message_id=message_id, sent_at=now, error=None)


async def mark_failed(db: Database, row_id: int, *, worker: str, reason: str) -> bool:
    return await _finish(db, row_id, worker, status=FAILED, error=reason[:2000])


async def mark_skipped(db: Database, row_id: int, *, worker: str, reason: str) -> bool:
    return await _finish(db, row_id, worker, status=SKIPPED, error=reason[:2000])


async def retry_later(db: Database, row_id: int, *, worker: str, due_at: dt.datetime, reason: str) -> bool:
    """Put a row back to pending after a temporary failure."""
    return await _finish(db, row_id, worker, status=PENDING, claimed_by=None, due_at=due_at, error=reason[:2000])


async def release_claims(db: Database, *, worker: str) -> int:
    """Hand back every row this worker holds, e.g. on shutdown, so another can take them."""
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.status == CLAIMED, OutboxMessage.claimed_by == worker)
        .values(status=PENDING, claimed_by=None, claimed_until=None, attempts=OutboxMessage.attempts - 1)
    )
    async with db.session() as session:
        result = await session.execute(stmt)
    return result.rowcount or 0


async def cancel_pending(db: Database, key_prefix: str, *, reason: str) -> int:
    """Skip every pending row whose key starts with a prefix, e.g. a cancelled session's reminders."""
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.status == PENDING, OutboxMessage.key.startswith(key_prefix, autoescape=True))
        .values(status=SKIPPED, error=reason)
    )
    async with db.session() as session:
        result = await session.execute(stmt)
    return result.rowcount or 0


async def get(db: Database, key: str) -> OutboxMessage | None:
    async with db.session() as session:
        return await session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))


async def counts(db: Database) -> dict[str, int]:
    async with db.session() as session:
        rows = await session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    found = {status: 0 for status in (PENDING, CLAIMED, SENT, FAILED, SKIPPED)}
    found.update({status: count for status, count in rows.all()})
    return found


async def next_due(db: Database) -> dt.datetime | None:
    async with db.session() as session:
        return await session.scalar(select(func.min(OutboxMessage.due_at)).where(OutboxMessage.status == PENDING))
