"""Shared fixtures: a real SQLite file per test, real PostgreSQL when TEST_DATABASE_URL is set.

Each PostgreSQL test run gets a database of its own (created and dropped here), so several
runs on one server never see each other's rows, and each test starts with its tables emptied.

The migrations run for real once a session, into a template SQLite file; each SQLite test gets
a copy of it in its own temporary folder (Database.upgrade() then finds it at the head).

Runtimes built here share the content pack loaded from the same files (and its /threshold match
index), instead of validating it and building the index again for every test."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import bot.runtime
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from core.contentpack import ContentPack, reusing_loaded_packs
from core.context import Context
from core.registry import Registry
from storage.db import Database

if TYPE_CHECKING:
    from tests.fake_slack import FakeSlack
    from tests.teams_fake import FakeTeams
    from tests.teams_wire import TeamsWire

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True, scope="session")
def runtimes_reuse_loaded_packs() -> Iterator[None]:
    """Every runtime (built by Runtime.create or reloaded) reuses a pack already loaded from
    byte-identical files. Direct load_pack calls in tests still validate afresh."""
    load_content = bot.runtime.load_content

    def reusing(settings: Settings, registry: Registry) -> ContentPack:
        with reusing_loaded_packs():
            return load_content(settings, registry)

    patch = pytest.MonkeyPatch()
    patch.setattr(bot.runtime, "load_content", reusing)
    yield
    patch.undo()


@pytest.fixture(autouse=True, scope="session")
def runtimes_start_from_the_migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A runtime whose SQLite file in the data directory does not exist yet gets a copy of the
    migrated template there first, rather than running every migration again; everything else
    (an existing file, DATABASE_URL, an unwritable data directory) goes the usual way."""
    open_database = bot.runtime.open_database

    async def from_template(settings: Settings) -> Database:
        if not settings.database_url:
            target = settings.data_dir / "sgbot.db"
            if not target.exists():
                settings.ensure_data_dir()  # as open_database does first, with its ConfigError
                template = await asyncio.to_thread(_migrated_template, tmp_path_factory)
                with contextlib.suppress(FileExistsError):
                    copy_migrated_sqlite(template, target)
        return await open_database(settings)

    patch = pytest.MonkeyPatch()
    patch.setattr(bot.runtime, "open_database", from_template)
    yield
    patch.undo()


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


_templates: dict[int, Path] = {}
_templates_lock = threading.Lock()  # runtimes started side by side ask for it from worker threads


def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the head by Database.upgrade(), made once a session, to copy from."""
    with _templates_lock:
        known = _templates.get(id(tmp_path_factory))
        if known is None:
            known = _templates[id(tmp_path_factory)] = _migrate_template(tmp_path_factory)
        return known


def _migrate_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "migrated.db"

    async def migrate() -> None:
        database = Database(f"sqlite:///{path}")
        try:
            await database.upgrade()
        finally:
            await database.dispose()

    # A thread of its own, so this works inside a test's running event loop as well as outside.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, migrate()).result()
    with closing(sqlite3.connect(path)) as conn:  # fold the write-ahead log into the file itself
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "the template's write-ahead log was not checkpointed"
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the head by Database.upgrade(), once a session, to copy from."""
    return _migrated_template(tmp_path_factory)


def copy_migrated_sqlite(template: Path, target: Path) -> None:
    """Put a migrated, empty database at target, created owner-only as Database creates one."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, template.open("rb") as source:
        shutil.copyfileobj(source, out)


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Parametrised: a SQLite file, and PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        copy_migrated_sqlite(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("pg_database_url")


def _empty_postgres_sql() -> str:
    """One round trip that empties every table and restarts their id sequences.

    It leaves what TRUNCATE ... RESTART IDENTITY CASCADE would, but a test's few rows are much
    cheaper to delete than twenty tables are to truncate (TRUNCATE replaces each table's files)."""
    from storage.schema import metadata

    names = [f'"{t.name}"' for t in reversed(metadata.sorted_tables)]  # rows that refer to others first
    deletes = "".join(f"DELETE FROM {name}; " for name in names)
    tables = ", ".join(f"'{name}'::regclass" for name in names)
    sequences = (
        "PERFORM setval(s.seqrelid, s.seqstart, false) FROM pg_sequence s"
        " JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid"
        " AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
        f" WHERE d.refobjid IN ({tables});"
    )
    return f"DO $$ BEGIN {deletes}{sequences} END $$"


async def _clean_postgres(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.exec_driver_sql(_empty_postgres_sql())


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
    return Settings(_env_file=None, data_dir=tmp_path / "data", survey_secret="test-key-Qz8vWm2Lp9Xr4Nf7Hc")  # type: ignore[call-arg]


@pytest.fixture
async def runtime(settings: Settings, clock: FrozenClock, sqlite_template: Path) -> AsyncIterator[Runtime]:
    """The whole bot on a SQLite file, with a frozen clock, in console mode."""
    if not settings.database_url:  # the SQLite file in the data directory
        settings.ensure_data_dir()
        copy_migrated_sqlite(sqlite_template, settings.data_dir / "sgbot.db")
    rt = await Runtime.create(settings, clock=clock, console_mode=True)
    yield rt
    await rt.ctx.db.dispose()


@pytest.fixture
def ctx(runtime: Runtime) -> Context:
    return runtime.ctx


# --- Microsoft Teams: the local fakes and a bot wired to them, for the tests/test_teams_*.py files.
# Imported inside the fixtures, so sessions without Teams tests never load the Teams SDK.


@pytest.fixture
async def teams_fake() -> AsyncIterator[FakeTeams]:
    from tests.teams_fake import FakeTeams

    server = FakeTeams()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def teams_wire(
    teams_fake: FakeTeams, tmp_path: Path, database_url: str, db: Database, clock: FrozenClock
) -> AsyncIterator[TeamsWire]:
    from tests.teams_wire import open_teams, teams_settings

    # `db` empties the shared PostgreSQL test database first (references other tests stored).
    opened = await open_teams(teams_fake, teams_settings(tmp_path, database_url, teams_fake), clock)
    yield opened
    await opened.close()


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeSlack]:
    """A local fake of Slack's Web API, one per test module; a module's `fake` fixture resets it
    (with the user groups that module needs) before each test."""
    from tests.fake_slack import FakeSlack

    with FakeSlack() as server:
        yield server
