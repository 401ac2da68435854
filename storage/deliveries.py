"""Delivery ids already handled. Slack and Discord may deliver the same event twice; the
record lives in the database so it holds across restarts and across replicas.

What is stored must not say who pressed what, or when: a Slack button's delivery id names the
person and the button (`slack:action:{trigger}:survey:answer#3:U123`), so only a keyed hash of
the id is kept, and its expiry is rounded up to a whole UTC day. The key is the survey secret
when the runtime gives one (`Database.secret`), otherwise a random salt kept in the database.

Sightings that arrive together are written together, one transaction for the lot: a button
press pays for a share of one commit instead of a commit of its own, and the rows of many
people share one transaction id.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import secrets
import weakref
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import delete, select
from sqlalchemy.engine import CursorResult

from storage.db import Database
from storage.models import SeenDelivery, StateValue

DEFAULT_TTL = dt.timedelta(days=2)
_SALT_NAME = "deliveries.salt"
_BATCH = 500  # rows per statement; SQLite allows 32,766 bound values
_keys: weakref.WeakKeyDictionary[Database, bytes] = weakref.WeakKeyDictionary()
_writers: weakref.WeakKeyDictionary[Database, _Writer] = weakref.WeakKeyDictionary()


def expiry(now: dt.datetime, ttl: dt.timedelta = DEFAULT_TTL) -> dt.datetime:
    """now + ttl, rounded up to the next UTC midnight: the row says on which day it may go, not
    when the button was pressed."""
    due = (now + ttl).astimezone(dt.UTC)
    midnight = due.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight if midnight == due else midnight + dt.timedelta(days=1)


async def _key(db: Database) -> bytes:
    if db.secret:
        return db.secret
    found = _keys.get(db)
    if found is None:
        # No secret given (a console-only install): a random salt, made once and shared by replicas.
        fresh = secrets.token_hex(32)
        async with db.session() as session:
            stmt = db.insert(StateValue).values(name=_SALT_NAME, value=fresh, updated_at=dt.datetime.now(dt.UTC))
            await session.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))
            stored = await session.scalar(select(StateValue.value).where(StateValue.name == _SALT_NAME))
        found = (stored or fresh).encode()
        _keys[db] = found
    return found


async def stored_key(db: Database, key: str) -> str:
    """The form in which a delivery id is kept: a keyed hash that cannot be turned back into it."""
    return hmac.new(await _key(db), key.encode(), hashlib.sha256).hexdigest()


@dataclass
class _Writer:
    """Queues sightings and writes whatever has queued up in one statement, then the next lot."""

    loop: asyncio.AbstractEventLoop
    queue: list[tuple[str, dt.datetime, asyncio.Future[bool]]] = field(default_factory=list)
    busy: bool = False
    task: asyncio.Task[None] | None = None  # held here: the loop keeps only a weak reference


async def first_sighting(db: Database, key: str, *, now: dt.datetime, ttl: dt.timedelta = DEFAULT_TTL) -> bool:
    """Record a delivery id; True the first time it is seen, False for a repeat."""
    hashed = await stored_key(db, key)
    loop = asyncio.get_running_loop()
    writer = _writers.get(db)
    if writer is None or writer.loop is not loop:
        writer = _writers[db] = _Writer(loop)
    result: asyncio.Future[bool] = loop.create_future()
    writer.queue.append((hashed, expiry(now, ttl), result))
    if not writer.busy:
        writer.busy = True
        writer.task = loop.create_task(_drain(db, writer))
    return await result


async def _drain(db: Database, writer: _Writer) -> None:
    try:
        while writer.queue:
            batch, writer.queue = writer.queue[:_BATCH], writer.queue[_BATCH:]
            try:
                fresh = await _insert(db, {k: e for k, e, _f in batch})
            except Exception as exc:  # noqa: BLE001 - each waiting press gets the error to handle
                for _k, _e, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            except BaseException:
                for _k, _e, future in [*batch, *writer.queue]:
                    future.cancel()
                writer.queue = []
                raise
            for hashed, _e, future in batch:
                # The same id twice in one lot: the first is new, the second a repeat.
                if not future.done():
                    future.set_result(hashed in fresh)
                fresh.discard(hashed)
    finally:
        writer.busy = False


async def _insert(db: Database, rows: dict[str, dt.datetime]) -> set[str]:
    stmt = db.insert(SeenDelivery).values([{"key": k, "expires_at": e} for k, e in rows.items()])
    stmt = stmt.on_conflict_do_nothing(index_elements=["key"]).returning(SeenDelivery.key)
    async with db.autocommit() as conn:  # one statement: it commits as it runs
        return set((await conn.execute(stmt)).scalars().all())


async def forget(db: Database, key: str) -> None:
    """Undo a sighting when handling failed, so the platform's retry can succeed."""
    hashed = await stored_key(db, key)
    async with db.session() as session:
        await session.execute(delete(SeenDelivery).where(SeenDelivery.key == hashed))


async def purge_expired(db: Database, *, now: dt.datetime) -> int:
    async with db.session() as session:
        result = await session.execute(delete(SeenDelivery).where(SeenDelivery.expires_at < now))
    return cast(CursorResult[Any], result).rowcount or 0
