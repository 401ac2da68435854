"""A SQLite file deleted or replaced under a running bot: a pooled connection would keep writing
to the file it opened, so an answer would be thanked and lost. Now a missing file is a database
that is unavailable (nothing is thanked), and a replaced one (a backup restored over it) is
written to where it now is. A full disk is the same sentence as any unavailable database."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from bot.runtime import Runtime
from core.clock import FrozenClock
from storage.db import is_unavailable
from tests.surveys_support import answer, seed_session, survey_runtime

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
async def rt(tmp_path: Path) -> AsyncIterator[Runtime]:
    (tmp_path / "data").mkdir()
    async with survey_runtime(f"sqlite:///{tmp_path / 'data' / 'sgbot.db'}", tmp_path, FrozenClock(START)) as runtime:
        yield runtime


async def open_survey(rt: Runtime) -> int:
    from handlers import surveys
    from storage import surveys as store
    from tests.storage_support import in_tx

    session_id = await seed_session(rt, attendees=["alice", "bob"])
    await surveys.survey_rounds(rt.ctx)
    survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    assert "Recorded" in await answer(rt, f"{survey.id}.0.4", user="alice")  # the pool holds a connection
    return survey.id


def stored(rt: Runtime, database: Path) -> list[tuple[str, str]]:
    """The answers in that file: sealed while the survey is open (storage/sealed.py)."""
    from storage.sealed import sealer

    opener = sealer(rt.ctx.settings.survey_key())
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT survey_id, respondent, sealed FROM survey_sealed").fetchall()
    return sorted((q, a.value) for s, r, text in rows for q, a in opener.open(s, r, text).items())


async def test_an_answer_after_the_file_was_deleted_is_not_thanked(rt: Runtime, tmp_path: Path) -> None:
    survey_id = await open_survey(rt)
    for path in (tmp_path / "data").glob("sgbot.db*"):
        path.unlink()
    shown = await answer(rt, f"{survey_id}.1.3", user="bob")
    assert "nothing was saved" in shown and "Recorded" not in shown


async def test_an_answer_after_a_backup_was_restored_over_the_file_is_in_the_restored_file(
    rt: Runtime, tmp_path: Path
) -> None:
    survey_id = await open_survey(rt)
    database = tmp_path / "data" / "sgbot.db"
    with sqlite3.connect(database) as live, sqlite3.connect(tmp_path / "backup.db") as backup:
        live.backup(backup)
    for path in (tmp_path / "data").glob("sgbot.db*"):
        path.unlink()
    shutil.copy(tmp_path / "backup.db", database)
    assert "Recorded" in await answer(rt, f"{survey_id}.1.3", user="bob")
    assert stored(rt, database) == [("evidence", "4"), ("recognise", "5")]


def test_a_full_disk_is_an_unavailable_database() -> None:
    full = OperationalError("INSERT INTO survey_answers ...", {}, sqlite3.OperationalError("database or disk is full"))
    assert is_unavailable(full)
