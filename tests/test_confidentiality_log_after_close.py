"""SQLite: a survey's sealed rows leave the database file after its close even when a reader held
the write-ahead log open at that moment. A confidentiality audit (round four) held a read
snapshot across the close (a backup, a long report): the close's one attempt to empty the log
failed, no later round tried again once no survey was open, and a copy of the database file
alone kept every sealed row, which SURVEY_SECRET opens."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.runtime import Runtime
from handlers import surveys
from tests.test_confidentiality import run_survey, srt  # noqa: F401 - the fixture


async def test_a_close_a_reader_held_up_is_emptied_by_a_later_round(srt: Runtime, tmp_path: Path) -> None:  # noqa: F811
    if srt.ctx.db.is_postgres:
        pytest.skip("SQLite only: PostgreSQL has no write-ahead log file beside the database")
    run = await run_survey(srt)
    await surveys.survey_rounds(srt.ctx)  # while it is open, as every minute
    database = Path(str(srt.ctx.db.url.database))

    reader = sqlite3.connect(database)  # a backup or a report reading at the moment of the close
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM surveys").fetchone()
    assert await surveys.close_survey(srt.ctx, run.survey_id)
    reader.rollback()
    reader.close()

    await surveys.survey_rounds(srt.ctx)  # the next round: no survey is open any more
    copy = tmp_path / "copy-of-the-file-alone.db"
    shutil.copy(database, copy)
    with sqlite3.connect(copy) as held:
        assert held.execute("SELECT count(*) FROM survey_sealed").fetchone() == (0,)
        assert held.execute("SELECT status FROM surveys").fetchall() == [("closed",)]
    assert Path(f"{database}-wal").stat().st_size == 0
