"""Weekly lookup counts: per command and topic, no user ids, no typed text (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

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
