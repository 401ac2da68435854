"""The SQLite file deleted under a running bot (an outside audit's finding): the next connection
made an empty file in its place (mode 0644), every query then failed with 'no such table', people
got the generic error and every job logged a traceback each round. Now a connection never creates
the file: the database is away (the one sentence, a job skipped without a traceback) until the
file is restored, and then the bot carries on with the restored file."""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
import stat
from pathlib import Path

import pytest

from bot.dispatch import DB_DOWN
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from storage.db import Database
from tests.harness import Console

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

# The audit's story: a session announced, two people going, attended, and its survey and thread open.
SETUP = """
/training add
basic-cp
2026-03-02 10:00-13:00
20
Gun Wharf, Chatham

/training announce 1 training
@d1 !3.1
@d2 !3.1
/debug clock +2h
/training attended 1 d1 d2
/debug clock +2h5m
"""
# A survey tap, a thread tap and a thread comment, as in the audit.
TAPS = ["@d1 !9.5", "@d2 !11.3", "@d2 >3 Clearer now thanks"]


def replies(out: str) -> list[str]:
    """Each command's answer, in order (the console prints a '> command' line before each)."""
    return re.split(r"^> .*\n", out, flags=re.MULTILINE)[1:]


async def test_a_deleted_file_is_a_database_away_until_it_is_restored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data,
        survey_secret="gone-test-key-Tk6Rw3Yp8Mv1Qd5J",
        admins="console:sam",
        trainers="console:sam",
    )
    rt = await Runtime.create(settings, clock=FrozenClock(START), console_mode=True)
    try:
        con = Console(rt, user="sam")
        assert "[11] #training, thread of [3]" in await con.run(SETUP)
        database = data / "sgbot.db"
        with sqlite3.connect(database) as live, sqlite3.connect(tmp_path / "backup.db") as backup:
            live.backup(backup)
        for path in data.glob("sgbot.db*"):
            path.unlink()

        caplog.clear()
        for shown in replies(await con.run("\n".join(TAPS) + "\n")):
            assert DB_DOWN in shown and "Error id" in shown, shown
            assert "went wrong" not in shown
        assert list(data.glob("sgbot.db*")) == []  # nothing made in its place

        caplog.clear()
        for _ in range(4):
            await rt.tick()
        logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert logged, "the skipped jobs say so"
        assert all(r.getMessage().endswith("skipped: database unavailable") for r in logged), logged
        assert not any(r.exc_info for r in caplog.records)
        assert list(data.glob("sgbot.db*")) == []

        (tmp_path / "backup.db").rename(database)  # the backup restored
        with sqlite3.connect(database) as conn:
            assert conn.execute("SELECT count(*) FROM survey_sealed").fetchone() == (0,)
        after = replies(await con.run("\n".join(TAPS) + "\n"))
        assert all("Recorded" in shown for shown in after), after
        caplog.clear()
        await rt.tick()
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
        with sqlite3.connect(database) as conn:
            assert conn.execute("SELECT count(*) FROM survey_sealed").fetchone()[0] > 0  # in the restored file
    finally:
        await rt.ctx.db.dispose()


async def test_a_first_start_still_creates_the_file_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    db = Database(f"sqlite:///{path}")
    try:
        await db.upgrade()
        await db.ping()
    finally:
        await db.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] > 0


async def test_a_path_that_needs_quoting_in_a_uri_is_the_file_itself(tmp_path: Path) -> None:
    folder = tmp_path / "a #b"  # a '#' would end a URI's path; as_uri() quotes it
    folder.mkdir()
    db = Database(f"sqlite:///{folder / 'sgbot.db'}")
    try:
        await db.upgrade()
        await db.ping()
    finally:
        await db.dispose()
    assert [p.name for p in folder.iterdir() if p.name == "sgbot.db"] == ["sgbot.db"]
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]  # no file named after part of the path
