"""Weekly lookup counts: per command and topic, no user ids, no typed text (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from bot.runtime import Runtime
from storage import lookups
from storage.db import Database
from tests.harness import command
from tests.tcp_proxy import TcpProxy


def test_weeks_start_on_monday() -> None:
    assert lookups.week_start(dt.date(2026, 3, 2)) == dt.date(2026, 3, 2)  # a Monday
    assert lookups.week_start(dt.date(2026, 3, 8)) == dt.date(2026, 3, 2)  # the Sunday after
    assert lookups.week_start(dt.date(2026, 3, 9)) == dt.date(2026, 3, 9)


async def test_counts_add_up_per_week_command_and_topic(db: Database) -> None:
    week1, week2 = dt.date(2026, 3, 2), dt.date(2026, 3, 9)
    for _ in range(3):
        async with db.transaction() as tx:
            await lookups.record(tx, week=week1, command="threshold", topic="neglect")
    async with db.transaction() as tx:
        await lookups.record(tx, week=week1, command="glossary", topic="LADO")
        await lookups.record(tx, week=week2, command="threshold", topic="neglect")
    async with db.transaction() as tx:
        counts = await lookups.weekly_counts(tx)
    assert [(c.week_start, c.command, c.topic, c.count) for c in counts] == [
        (week2, "threshold", "neglect", 1),
        (week1, "threshold", "neglect", 3),
        (week1, "glossary", "LADO", 1),
    ]
    async with db.transaction() as tx:
        recent = await lookups.weekly_counts(tx, since=dt.date(2026, 3, 11))
    assert [(c.week_start, c.count) for c in recent] == [(week2, 1)]


async def test_the_table_has_no_place_for_a_user_or_typed_text(db: Database) -> None:
    def columns(sync_conn: object) -> list[str]:
        return [c["name"] for c in inspect(sync_conn).get_columns("lookup_counts")]  # type: ignore[arg-type]

    async with db.engine.connect() as conn:
        names = await conn.run_sync(columns)
    assert sorted(names) == ["command", "count", "topic", "week_start"]


def test_report_lookups_lists_this_weeks_counts_without_users_or_text(tmp_path: Path) -> None:
    from tests.test_cli import sgbot, sgbot_in_process

    script = "/threshold neglect\n/threshold negelct\n/glossary LADO\n/threshold a child called Jane Smith is hungry\n"
    # a real process: the counts it gathered are written when it stops
    ran = sgbot(["console", "--as", "sam", "--script", "-"], tmp_path, stdin=script)
    assert ran.returncode == 0, ran.stderr
    result = sgbot_in_process(["report", "lookups", "--format", "csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "week starting,command,topic,lookups"
    rows = {tuple(line.split(",")[1:]) for line in lines[1:]}
    assert rows == {("threshold", "neglect", "3"), ("glossary", "LADO", "1"), ("threshold-concern", "neglect", "3")}
    assert "sam" not in result.stdout and "Jane" not in result.stdout
    table = sgbot_in_process(["report", "lookups"], tmp_path)
    assert "Lookups in the last 12 week(s): 4" in table.stdout
    # a period for the annual report: the weeks of a reporting year, or between two days
    today = dt.date.today()
    this_year = today.year if today.month >= 4 else today.year - 1
    year = sgbot_in_process(["report", "lookups", "--year", f"{this_year}-{(this_year + 1) % 100:02d}"], tmp_path)
    said = " ".join(year.stdout.split())  # the table's title may wrap in a narrow terminal
    assert f"Lookups in the weeks from 1 April {this_year} to 31 March {this_year + 1}: 4" in said
    earlier = sgbot_in_process(["report", "lookups", "--year", f"{this_year - 1}-{this_year % 100:02d}"], tmp_path)
    assert "No lookups recorded in the weeks from 1 April" in earlier.stdout
    wrong = sgbot_in_process(["report", "lookups", "--from", "2026-05-01"], tmp_path)
    assert wrong.returncode == 2 and "--year 2025-26, or --from" in wrong.stderr


def test_report_lookups_with_nothing_recorded_says_so(tmp_path: Path) -> None:
    from tests.test_cli import sgbot_in_process

    result = sgbot_in_process(["report", "lookups", "--weeks", "2"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No lookups recorded in the last 2 week(s)." in result.stdout


# --- batching: no lookup is ever lost -----------------------------------------------------------


async def _lookup_runtime(database_url: str, tmp_path: Path) -> Runtime:
    from core.clock import FrozenClock
    from core.config import Settings
    from tests.conftest import START

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=database_url,
        survey_secret="test-key-Qz8vWm2Lp9Xr4Nf7Hc",
    )
    runtime = await Runtime.create(settings, clock=FrozenClock(START))
    if runtime.ctx.db.is_postgres:
        from tests.conftest import _clean_postgres

        await _clean_postgres(runtime.ctx.db)
    runtime.prepare_workers()
    return runtime


async def _ask_many(runtime: Runtime, count: int) -> None:
    outcomes = await asyncio.gather(
        *(runtime.dispatcher.handle(command("threshold", "neglect", user=f"u{i}")) for i in range(count))
    )
    assert all(o.error_id is None and o.replies for o in outcomes)


def _pending_threshold(db: Database) -> int:
    counts = lookups.pending_for(db).counts
    return sum(n for (_, cmd, topic), n in counts.items() if (cmd, topic) == ("threshold", "neglect"))


async def _threshold_count(db: Database) -> int:
    await lookups.flush(db)  # this process's pending counts too
    async with db.transaction() as tx:
        counts = await lookups.weekly_counts(tx)
    return sum(c.count for c in counts if (c.command, c.topic) == ("threshold", "neglect"))


async def test_200_concurrent_lookups_are_counted_exactly_200(database_url: str, tmp_path: Path) -> None:
    runtime = await _lookup_runtime(database_url, tmp_path)
    try:
        await _ask_many(runtime, 200)
        assert runtime.delivery is not None
        await runtime.delivery.deliver_due()  # the worker's round writes the batch
        assert _pending_threshold(runtime.ctx.db) == 0
        assert await _threshold_count(runtime.ctx.db) == 200
    finally:
        await runtime.ctx.db.dispose()


async def test_counts_still_in_memory_are_written_when_the_bot_stops(database_url: str, tmp_path: Path) -> None:
    runtime = await _lookup_runtime(database_url, tmp_path)
    await _ask_many(runtime, 30)
    await runtime.stop()  # a graceful stop, which also disposes of the database
    db = Database(database_url)
    try:
        assert await _threshold_count(db) == 30
    finally:
        await db.dispose()


async def test_200_lookups_while_postgresql_is_away_are_all_counted_when_it_is_back(
    pg_database_url: str, tmp_path: Path
) -> None:
    url = make_url(pg_database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    runtime = await _lookup_runtime(proxied, tmp_path)
    assert runtime.delivery is not None
    try:
        await _ask_many(runtime, 100)
        await proxy.cut()
        await _ask_many(runtime, 100)  # answered, though nothing can be written now
        await runtime.delivery.deliver_due()  # this round's write fails: the counts are kept
        assert _pending_threshold(runtime.ctx.db) == 200
        await proxy.restore()
        for _ in range(50):  # the pool notices the dead connections within a round or two
            await runtime.delivery.deliver_due()
            if not _pending_threshold(runtime.ctx.db):
                break
        assert await _threshold_count(runtime.ctx.db) == 200
    finally:
        if proxy._server is None:
            await proxy.restore()
        await runtime.ctx.db.dispose()
        await proxy.cut()


async def test_200_lookups_while_sqlite_is_locked_are_all_counted(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    runtime = await _lookup_runtime(url, tmp_path)
    assert runtime.delivery is not None
    locker = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    try:
        locker.execute("BEGIN EXCLUSIVE")  # another process holds the only write lock
        await _ask_many(runtime, 200)  # none of them waits for the lock
        assert _pending_threshold(runtime.ctx.db) == 200
        locker.execute("COMMIT")
        await runtime.delivery.deliver_due()
        assert await _threshold_count(runtime.ctx.db) == 200
    finally:
        locker.close()
        await runtime.ctx.db.dispose()


async def test_a_failed_write_keeps_every_count_for_the_next_try(database_url: str) -> None:
    db = Database(database_url)
    await db.upgrade()
    week = dt.date(2026, 3, 2)
    try:
        for _ in range(3):
            lookups.count(db, week=week, command="glossary", topic="LADO")
        await db.dispose()
        broken = Database("postgresql://nobody@127.0.0.1:1/none")  # nothing listens on port 1
        pending = lookups.pending_for(db)
        with pytest.raises(Exception):  # noqa: B017, PT011 - any failure to connect will do
            await pending.flush(broken)
        await broken.dispose()
        assert pending.total() == 3
        lookups.count(db, week=week, command="glossary", topic="LADO")
        assert await lookups.flush(db) == 4
        assert await lookups.flush(db) == 0
        async with db.transaction() as tx:
            counts = await lookups.weekly_counts(tx)
        assert [(c.command, c.topic, c.count) for c in counts if c.command == "glossary"] == [("glossary", "LADO", 4)]
    finally:
        await db.dispose()


def test_report_lookups_counts_concerns_and_questions_with_nothing_close_never_the_text(tmp_path: Path) -> None:
    from tests.test_cli import sgbot_in_process

    script = (
        "/threshold mum drinking and the house is filthy\n"
        "/threshold how do I claim my parking expenses\n"
        "/threshold xyzzy plugh\n"
        "/threshold neglect\n"
    )
    ran = sgbot_in_process(["console", "--as", "sam", "--script", "-"], tmp_path, stdin=script)
    assert ran.returncode == 0, ran.stderr
    result = sgbot_in_process(["report", "lookups", "--format", "csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {tuple(line.split(",")[1:]) for line in result.stdout.strip().splitlines()[1:]}
    assert ("threshold-concern", "neglect", "2") in rows
    assert ("threshold-concern", "substance-misuse", "1") in rows
    assert ("threshold-outcome", "off-topic", "1") in rows
    assert ("threshold-outcome", "nothing-close", "1") in rows
    for typed in ("drinking", "filthy", "parking", "expenses", "xyzzy", "sam"):
        assert typed not in result.stdout
    table = sgbot_in_process(["report", "lookups"], tmp_path).stdout
    assert "Lookups in the last 12 week(s): 4" in table  # the concern rows are not lookups
    assert "Questions that found nothing close" in table and "nothing-close" in table and "off-topic" in table
    assert "Concerns recognised in questions" in table and "substance-misuse" in table
