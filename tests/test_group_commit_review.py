"""An outside review of the SQLite group commit (storage/group_commit.py) found three ways an
answer could be left waiting, wait out a lock once per answer, or be thanked into a deleted file.
Each test is the reviewer's reproducer, on a real SQLite file."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.runtime import Runtime
from core.clock import FrozenClock
from storage import sealed
from storage import surveys as store
from storage.db import Database, is_unavailable
from storage.group_commit import GroupCommit
from tests.harness import command, text_of
from tests.storage_support import in_tx
from tests.surveys_support import answer, seed_session, survey_runtime
from tests.test_group_commit import immediate, write_n


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'group.db'}")
    async with database.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE written (n INTEGER PRIMARY KEY)"))
    yield database
    await database.dispose()


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


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    async with survey_runtime(database_url, tmp_path, clock) as rt:
        yield rt


async def test_answers_written_after_the_database_file_is_removed_are_not_thanked(
    srt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not srt.ctx.db.is_sqlite:
        pytest.skip("a database file: SQLite only")
    people = [f"p{i}" for i in range(30)]
    session_id = await seed_session(srt, attendees=people)
    sent = await srt.dispatcher.handle(command("survey", f"send {session_id} post-course", user="t", roles={"trainer"}))
    assert "Sending the" in text_of(sent.replies)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    path = Path(str(srt.ctx.db.url.database))
    sealing, original = 0, sealed.Sealer.seal

    def seal_and_remove_the_file_at_the_third(self: sealed.Sealer, *args: Any) -> str:
        nonlocal sealing
        sealing += 1
        if sealing == 3:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{path}{suffix}")
        return original(self, *args)

    monkeypatch.setattr(sealed.Sealer, "seal", seal_and_remove_the_file_at_the_third)
    said = await asyncio.gather(*(answer(srt, f"{survey.id}.0.2", user=p) for p in people))
    thanked = [s for s in said if "Recorded" in s]
    # at most the answers committed before the file went; none written into the removed file
    assert len(thanked) <= 2, f"{len(thanked)} of 30 thanked"
    assert all("Recorded" in s or "couldn't reach" in s for s in said), said
