"""Delivery ids already handled. Slack and Discord may deliver the same event twice; the
record lives in the database so it holds across restarts and across replicas.

What is stored must not say who pressed what, or when: a Slack button's delivery id names the
person and the button (`slack:action:{trigger}:survey:answer#3:U123`), so only a keyed hash of
the id is kept, and its expiry is rounded up to a whole UTC day. The key is the survey secret
when the runtime gives one (`Database.secret`), otherwise a random salt kept in the database.

Sightings that arrive together are written together, one statement for the lot: a button
press pays for a share of one commit instead of a commit of its own, and the rows of many
people share one transaction id.

Every chat message waits for its record before it is handled, so the record is kept cheap: one
`INSERT ... ON CONFLICT DO NOTHING RETURNING` (atomic on its own, so replicas sharing the table
still see each id once), built once, on a connection the writer keeps in autocommit outside the
pool. A pooled connection paid for its isolation level being set and reset around every record,
and on PostgreSQL for a ping before it: several round trips (on SQLite, hops to aiosqlite's
thread) where one will do. The kept connection is pinged only after it has been idle a while,
and dropped after any error, so the next record opens a fresh one.

So the record is a deliberate exception to the repository style (storage/db.py), like a lookup
batch's flush and a survey answer: `first_sighting` takes the `Database` and commits as it runs,
never as part of a caller's unit of work. The key it hashes with (`stored_key`) takes the
`Database` too, since the secret is the runtime's and a salt is made once in a transaction of its
own: it may be kept in memory only once every replica can read the same one. Undoing a sighting
(`forget`) and the hourly purge take the caller's transaction like every repository.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import secrets
import sqlite3
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from storage.db import Database
from storage.models import SeenDelivery, StateValue

DEFAULT_TTL = dt.timedelta(days=2)
_SALT_NAME = "deliveries.salt"
_BATCH = 500  # rows per statement; SQLite allows 32,766 bound values
_IDLE_PING_SECONDS = 30.0  # a kept connection unused this long is checked before a record
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
        async with db.transaction() as tx:
            stmt = db.insert(StateValue).values(name=_SALT_NAME, value=fresh, updated_at=dt.datetime.now(dt.UTC))
            await tx.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))
            stored = await tx.scalar(select(StateValue.value).where(StateValue.name == _SALT_NAME))
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
    conn: AsyncConnection | None = None  # kept between records, in autocommit (see the docstring)
    used: float = 0.0  # time.monotonic() of the kept connection's last statement
    statement: Any = None  # the insert, built once per database
    sqlite_one: tuple[str, tuple[str, ...], Any] | None = None  # its SQL for one row on SQLite (see below)


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
                fresh = await _insert(db, writer, {k: e for k, e, _f in batch})
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


async def _insert(db: Database, writer: _Writer, rows: dict[str, dt.datetime]) -> set[str]:
    """The keys of `rows` that were not there yet, written in one statement that commits as it runs."""
    if writer.statement is None:
        insert = db.insert(SeenDelivery).values(key=bindparam("key"), expires_at=bindparam("expires_at"))
        writer.statement = insert.on_conflict_do_nothing(index_elements=["key"]).returning(SeenDelivery.key)
    conn = await _connection(db, writer)
    params = [{"key": k, "expires_at": e} for k, e in rows.items()]
    try:
        if db.is_sqlite and len(params) == 1:
            fresh = await _insert_one_sqlite(conn, writer, params[0])
        else:
            result = await conn.execute(writer.statement, params[0] if len(params) == 1 else params)
            fresh = set(result.scalars().all())
    except BaseException:
        # Whatever went wrong, the next record starts on a fresh connection.
        writer.conn = None
        await db.release_connection(conn, broken=True)
        raise
    writer.used = time.monotonic()
    return fresh


async def _insert_one_sqlite(conn: AsyncConnection, writer: _Writer, row: dict[str, Any]) -> set[str]:
    """One row on SQLite, through aiosqlite itself: SQLAlchemy's cursor makes four calls to
    aiosqlite's thread (open, execute, fetch, close), and on a busy machine each call waits for
    the scheduler twice; this is one call. The SQL and the stored form of the date are still
    SQLAlchemy's, and a failure is raised as SQLAlchemy would raise it."""
    if writer.sqlite_one is None:
        compiled = writer.statement.compile(dialect=conn.dialect)
        stamp = SeenDelivery.__table__.c.expires_at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        writer.sqlite_one = (str(compiled), tuple(compiled.positiontup or ()), stamp)
    sql, order, stamp = writer.sqlite_one
    values = {**row, "expires_at": stamp(row["expires_at"]) if stamp else row["expires_at"]}
    params = tuple(values[name] for name in order)
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None  # a live connection: _connection() checked it
    try:
        found = await driver.execute_fetchall(sql, params)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, params, exc, sqlite3.Error, hide_parameters=True, dialect=conn.dialect) from exc
    return {key for (key,) in found}


async def _connection(db: Database, writer: _Writer) -> AsyncConnection:
    """The writer's kept connection: opened when missing, checked when it has been idle."""
    conn = writer.conn
    if conn is not None and (conn.closed or conn.invalidated):
        conn = writer.conn = None
    if conn is not None and time.monotonic() - writer.used > _IDLE_PING_SECONDS:
        try:
            await conn.execute(text("SELECT 1"))  # as pool_pre_ping does, but only after a quiet spell
        except Exception:  # noqa: BLE001 - dropped; a fresh one is opened below
            await db.release_connection(conn, broken=True)
            conn = writer.conn = None
    if conn is None:
        held = await db.hold_connection()
        try:
            conn = await held.execution_options(isolation_level="AUTOCOMMIT")
        except BaseException:
            await db.release_connection(held, broken=True)
            raise
        writer.conn = conn
    return conn


async def forget(tx: AsyncSession, hashed: str) -> None:
    """Undo a sighting when handling failed, so the platform's retry can succeed. `hashed` is the
    id's stored form, from `stored_key`."""
    await tx.execute(delete(SeenDelivery).where(SeenDelivery.key == hashed))


async def purge_expired(tx: AsyncSession, *, now: dt.datetime) -> int:
    result = await tx.execute(delete(SeenDelivery).where(SeenDelivery.expires_at < now))
    return cast(CursorResult[Any], result).rowcount or 0
