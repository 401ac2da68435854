"""Shared fixtures: a real SQLite file per test, real PostgreSQL when TEST_DATABASE_URL is set.

Each PostgreSQL test run gets a database of its own (created and dropped here), so several
runs on one server never see each other's rows."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from bot.config import Settings
from bot.context import Context
from bot.runtime import Runtime
from storage.db import Database

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _pg_admin_url() -> str:
    return PG_URL


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped (CI sets it)")
    import asyncpg
    from sqlalchemy.engine import make_url

    base = make_url(PG_URL)
    name = f"sgbot_test_{uuid.uuid4().hex[:10]}"
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)

    async def create() -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    async def drop() -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    try:
        asyncio.run(create())
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.skip(f"TEST_DATABASE_URL is set but PostgreSQL cannot be reached: {exc}")
    yield base.set(database=name).render_as_string(hide_password=False)
    asyncio.run(drop())


def _backends() -> list[str]:
    return ["sqlite", "postgresql"]


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Parametrised: a SQLite file, and PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("pg_database_url")


async def _clean_postgres(db: Database) -> None:
    from sqlalchemy import text

    from storage.schema import metadata

    async with db.engine.begin() as conn:
        tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        if tables:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A migrated, empty database on each backend."""
    database = Database(database_url)
    await database.upgrade()
    if database.is_postgres:
        await _clean_postgres(database)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a console-only bot in a temporary data directory, ignoring any .env."""
    return Settings(_env_file=None, data_dir=tmp_path / "data", survey_secret="test-survey-secret-0123456789")  # type: ignore[call-arg]


@pytest.fixture
async def runtime(settings: Settings, clock: FrozenClock) -> AsyncIterator[Runtime]:
    """The whole bot on a SQLite file, with a frozen clock, in console mode."""
    rt = await Runtime.create(settings, clock=clock, console_mode=True)
    yield rt
    await rt.ctx.db.dispose()


@pytest.fixture
def ctx(runtime: Runtime) -> Context:
    return runtime.ctx
