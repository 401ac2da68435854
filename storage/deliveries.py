"""Delivery ids already handled. Slack and Discord may deliver the same event twice; the
record lives in the database so it holds across restarts and across replicas."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete

from storage.db import Database
from storage.models import SeenDelivery

DEFAULT_TTL = dt.timedelta(days=2)


async def first_sighting(db: Database, key: str, *, now: dt.datetime, ttl: dt.timedelta = DEFAULT_TTL) -> bool:
    """Record a delivery id; True the first time it is seen, False for a repeat."""
    stmt = db.insert(SeenDelivery).values(key=key[:255], expires_at=now + ttl)
    async with db.session() as session:
        result = await session.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))
    return bool(result.rowcount)


async def forget(db: Database, key: str) -> None:
    """Undo a sighting when handling failed, so the platform's retry can succeed."""
    async with db.session() as session:
        await session.execute(delete(SeenDelivery).where(SeenDelivery.key == key[:255]))


async def purge_expired(db: Database, *, now: dt.datetime) -> int:
    async with db.session() as session:
        result = await session.execute(delete(SeenDelivery).where(SeenDelivery.expires_at < now))
    return result.rowcount or 0
