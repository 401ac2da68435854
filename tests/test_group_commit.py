"""Survey answers that arrive together share one SQLite write transaction (storage/group_commit.py):
all are saved, each caller hears only after the commit, and one failing write costs the others nothing."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database, is_unavailable
from storage.group_commit import GroupCommit


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'group.db'}")
    async with database.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE written (n INTEGER PRIMARY KEY)"))
    yield database
    await database.dispose()


def immediate(db: Database) -> Callable[[], AbstractAsyncContextManager[AsyncConnection]]:
    @asynccontextmanager
    async def begin() -> AsyncIterator[AsyncConnection]:
        async with db.autocommit() as conn:
            await conn.execute(text("BEGIN IMMEDIATE"))
            try:
                yield conn
            except BaseException:
                await conn.execute(text("ROLLBACK"))
                raise
            await conn.execute(text("COMMIT"))

    return begin


async def write_n(conn: AsyncConnection, n: int) -> int:
    if n < 0:
        raise ValueError("this one write is refused")
    await conn.execute(text("INSERT INTO written (n) VALUES (:n)"), {"n": n})
    return n


async def stored(db: Database) -> set[int]:
    async with db.engine.connect() as conn:
        return {n for (n,) in await conn.execute(text("SELECT n FROM written"))}


def count_begins(db: Database) -> list[str]:
    begins: list[str] = []
    event.listen(
        db.engine.sync_engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_a: begins.append(statement) if statement.startswith("BEGIN") else None,
    )
    return begins


async def test_writes_that_arrive_together_share_a_transaction_and_all_are_stored(db: Database) -> None:
    begins = count_begins(db)
    group = GroupCommit(immediate(db), write_n)
    done = await asyncio.gather(*(group.write(n) for n in range(200)))
    assert done == list(range(200))
    assert await stored(db) == set(range(200))
    assert len(begins) < 20  # 200 writes, a handful of transactions


async def test_one_failing_write_costs_the_others_nothing(db: Database) -> None:
    group = GroupCommit(immediate(db), write_n)
    asked = [n if n != 13 else -1 for n in range(30)]
    done = await asyncio.gather(*(group.write(n) for n in asked), return_exceptions=True)
    assert isinstance(done[13], ValueError)
    assert [d for i, d in enumerate(done) if i != 13] == [n for n in range(30) if n != 13]
    assert await stored(db) == set(range(30)) - {13}


async def test_nobody_hears_saved_when_the_commit_fails(db: Database) -> None:
    @asynccontextmanager
    async def commit_fails() -> AsyncIterator[AsyncConnection]:
        async with db.autocommit() as conn:
            await conn.execute(text("BEGIN IMMEDIATE"))
            yield conn
            await conn.execute(text("ROLLBACK"))
            raise OSError("disk I/O error")  # what a commit that cannot write looks like to the caller

    group = GroupCommit(commit_fails, write_n)
    done = await asyncio.gather(*(group.write(n) for n in range(5)), return_exceptions=True)
    assert all(isinstance(d, OSError) for d in done)
    assert await stored(db) == set()


async def test_a_caller_who_stops_waiting_does_not_hold_up_the_rest(db: Database) -> None:
    group = GroupCommit(immediate(db), write_n)
    first = asyncio.ensure_future(group.write(1))
    rest = [asyncio.ensure_future(group.write(n)) for n in range(2, 10)]
    first.cancel()
    assert await asyncio.gather(*rest) == list(range(2, 10))
    assert set(range(2, 10)) <= await stored(db)


# An outside review of the group commit found the two below (and the file check in
# tests/test_group_commit_review.py); each is the reviewer's reproducer.


async def test_no_caller_is_left_waiting_when_the_writer_stops_while_writes_are_made_alone(db: Database) -> None:
    entered = asyncio.Event()

    async def slow_three(conn: AsyncConnection, n: int) -> int:
        if n == 3:
            entered.set()
            await asyncio.sleep(0.2)
        return await write_n(conn, n)

    group = GroupCommit(immediate(db), slow_three)
    calls = [asyncio.ensure_future(group.write(n)) for n in (1, -1, 3, 4, 5)]
    await asyncio.wait_for(entered.wait(), 5)  # the group failed on -1; 3 is being made alone
    assert group._writer is not None
    group._writer.cancel()  # the bot stopping
    _done, pending = await asyncio.wait(calls, timeout=5)
    assert not pending  # 4 and 5 hear that their write stopped, rather than nothing for ever


async def test_once_the_database_is_away_the_rest_of_a_failed_group_hear_at_once(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'group.db'}")
    event.listen(
        database.engine.sync_engine, "connect", lambda conn, _r: conn.cursor().execute("PRAGMA busy_timeout=300")
    )
    async with database.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE written (n INTEGER PRIMARY KEY)"))
    held, release = threading.Event(), threading.Event()

    def another_process_holds_the_lock() -> None:
        other = sqlite3.connect(tmp_path / "group.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        release.wait(30)
        other.execute("COMMIT")
        other.close()

    begins = 0
    plain = immediate(database)

    @asynccontextmanager
    async def begin() -> AsyncIterator[AsyncConnection]:
        nonlocal begins
        begins += 1
        if begins == 2:  # the group has rolled back; now another process takes the write lock
            threading.Thread(target=another_process_holds_the_lock, daemon=True).start()
            await asyncio.to_thread(held.wait, 10)
        async with plain() as conn:
            yield conn

    group = GroupCommit(begin, write_n)
    try:
        done = await asyncio.gather(*(group.write(n) for n in [-1, *range(1, 12)]), return_exceptions=True)
    finally:
        release.set()
        await database.dispose()
    assert begins == 2  # the lock was waited for once, not once for each of the 12 writes
    assert all(isinstance(d, Exception) and is_unavailable(d) for d in done[1:]), done
