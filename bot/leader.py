"""One replica at a time runs the scheduler's jobs and the feed poller.

On PostgreSQL the leader holds a session-level advisory lock on a connection of its own. If
that replica dies, its connection closes, the lock is released, and the next replica to ask
takes over. Delivery is not leader-only: every replica claims outbox rows safely.

No clock is involved: the lock lasts exactly as long as the leader's connection, so a replica
whose clock is wrong can neither take the lock early nor keep it too long (outbox leases, which
do expire, are timed by the database's clock; see storage/outbox.py)."""

from __future__ import annotations

import logging
import time

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database

log = logging.getLogger("sgbot.leader")

LEADER_LOCK = 0x5CB0_1EAD
RETRY_SECONDS = 5.0


class LeaderLock:
    def __init__(self, db: Database, *, key: int = LEADER_LOCK, retry_seconds: float = RETRY_SECONDS) -> None:
        self.db = db
        self.key = key
        self.retry_seconds = retry_seconds
        self._conn: AsyncConnection | None = None
        self._next_try = 0.0

    @property
    def held(self) -> bool:
        return self._conn is not None or not self.db.is_postgres

    async def is_leader(self) -> bool:
        if not self.db.is_postgres:
            return True  # SQLite serves one process
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT 1"))
                return True
            except Exception:  # noqa: BLE001 - a lost connection means a lost lock
                log.warning("lost the leader lock's connection; another replica may take over")
                await self._drop()
                return False
        if time.monotonic() < self._next_try:
            return False
        self._next_try = time.monotonic() + self.retry_seconds
        try:
            conn = await self.db.hold_connection()
        except Exception:  # noqa: BLE001 - try again later
            log.warning("could not connect to ask for the leader lock")
            return False
        try:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            got = await conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key})
        except Exception:  # noqa: BLE001 - try again later
            log.warning("could not ask for the leader lock")
            await self.db.release_connection(conn, broken=True)
            return False
        if got:
            self._conn = conn
            log.info("this replica now runs the scheduled jobs")
            return True
        await self.db.release_connection(conn)
        return False

    async def release(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            except Exception:  # noqa: BLE001
                log.warning("could not release the leader lock cleanly")
            await self._drop()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await self.db.release_connection(conn, broken=True)
