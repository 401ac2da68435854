"""Survey answers that arrive together share one SQLite write transaction (storage/group_commit.py):
all are saved, each caller hears only after the commit, and one failing write costs the others nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database
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
