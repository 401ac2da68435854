"""Weekly lookup counts: per command and topic, no user ids, no typed text (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import inspect

from storage import lookups
from storage.db import Database


def test_weeks_start_on_monday() -> None:
    assert lookups.week_start(dt.date(2026, 3, 2)) == dt.date(2026, 3, 2)  # a Monday
    assert lookups.week_start(dt.date(2026, 3, 8)) == dt.date(2026, 3, 2)  # the Sunday after
    assert lookups.week_start(dt.date(2026, 3, 9)) == dt.date(2026, 3, 9)


async def test_counts_add_up_per_week_command_and_topic(db: Database) -> None:
    week1, week2 = dt.date(2026, 3, 2), dt.date(2026, 3, 9)
    for _ in range(3):
        await lookups.record(db, week=week1, command="threshold", topic="neglect")
    await lookups.record(db, week=week1, command="glossary", topic="LADO")
    await lookups.record(db, week=week2, command="threshold", topic="neglect")
    counts = await lookups.weekly_counts(db)
    assert [(c.week_start, c.command, c.topic, c.count) for c in counts] == [
        (week2, "threshold", "neglect", 1),
        (week1, "threshold", "neglect", 3),
        (week1, "glossary", "LADO", 1),
    ]
    recent = await lookups.weekly_counts(db, since=dt.date(2026, 3, 11))
    assert [(c.week_start, c.count) for c in recent] == [(week2, 1)]


async def test_the_table_has_no_place_for_a_user_or_typed_text(db: Database) -> None:
    def columns(sync_conn: object) -> list[str]:
        return [c["name"] for c in inspect(sync_conn).get_columns("lookup_counts")]  # type: ignore[arg-type]

    async with db.engine.connect() as conn:
        names = await conn.run_sync(columns)
    assert sorted(names) == ["command", "count", "topic", "week_start"]


def test_report_lookups_lists_this_weeks_counts_without_users_or_text(tmp_path: Path) -> None:
    from tests.test_cli import sgbot

    script = "/threshold neglect\n/threshold negelct\n/glossary LADO\n/threshold a child called Jane Smith is hungry\n"
    ran = sgbot(["console", "--as", "sam", "--script", "-"], tmp_path, stdin=script)
    assert ran.returncode == 0, ran.stderr
    result = sgbot(["report", "lookups", "--format", "csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "week starting,command,topic,lookups"
    rows = {tuple(line.split(",")[1:]) for line in lines[1:]}
    assert rows == {("threshold", "neglect", "3"), ("glossary", "LADO", "1")}
    assert "sam" not in result.stdout and "Jane" not in result.stdout
    table = sgbot(["report", "lookups"], tmp_path)
    assert "Lookups in the last 12 week(s): 4" in table.stdout


def test_report_lookups_with_nothing_recorded_says_so(tmp_path: Path) -> None:
    from tests.test_cli import sgbot

    result = sgbot(["report", "lookups", "--weeks", "2"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No lookups recorded in the last 2 week(s)." in result.stdout
