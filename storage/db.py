"""The database: an async SQLAlchemy engine, transactions and migrations.

SQLite (via aiosqlite) is the zero-set-up default; PostgreSQL (via asyncpg) is for production
and for several replicas sharing the work.

One style for repositories: every function in a storage module takes the caller's transaction,
`tx: AsyncSession`, as its first argument and never opens, commits or rolls back one itself.
The caller decides what one unit of work is and opens it once:

    async with db.transaction() as tx:      # committed on success, rolled back on error
        await training.rsvp(tx, ...)
        await outbox.enqueue(tx, reminders, now=now)

so writes that belong together land together, and work that must be committed before something
slow (a network call, a post) is given a transaction of its own by the caller. `insert(tx, ...)`
and `is_postgres(tx)` read the dialect from the transaction, so repositories need no `Database`.
Deliberate exceptions, each named in its module's docstring: a batch of lookup counts
(storage/lookups.py) owns its commit, since the counts may leave memory only once it succeeded;
a survey answer is written alone on a connection of its own, and the impact report's counts and
answers export hold their own connections (storage/surveys.py says why); the delivery record
(storage/deliveries.py's `first_sighting`) is one prepared statement on a connection it keeps in
autocommit, since every chat message waits for it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK = 0x5C_B07  # advisory lock id so replicas starting together migrate once


class DatabaseConfigError(Exception):
    """DATABASE_URL is malformed or names a driver we do not support."""


class DatabaseUnavailable(Exception):
    """The database cannot be reached right now."""


def async_url(raw: str) -> URL:
    """Accept the URLs people write (sqlite:///x.db, postgresql://...) and pick async drivers."""
    try:
        url = make_url(raw)
    except ArgumentError:
        raise DatabaseConfigError(
            "DATABASE_URL is not a database URL; use e.g. sqlite:///data/sgbot.db or postgresql://user@host:5432/dbname"
        ) from None
    except ValueError:  # the port is not a number; its text is not repeated, it may be part of a password
        raise DatabaseConfigError(_BAD_PORT) from None
    if url.port is not None and not 1 <= url.port <= 65535:
        raise DatabaseConfigError(_BAD_PORT)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return url.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+asyncpg")
    raise DatabaseConfigError(f"DATABASE_URL uses {backend!r}; sgbot supports sqlite and postgresql")


STATEMENT_WAIT_SECONDS = 60
_BAD_PORT = "DATABASE_URL has a port that is not a number from 1 to 65535; use e.g. postgresql://user@host:5432/dbname"


def is_unavailable(exc: BaseException) -> bool:
    """True when an error means 'cannot reach the database', not 'bad query'."""
    if isinstance(exc, DatabaseUnavailable | ConnectionError | OSError | asyncio.TimeoutError):
        return True
    if isinstance(exc, InterfaceError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError):
        message = str(exc.orig).lower() if exc.orig else str(exc).lower()
        return any(
            marker in message
            for marker in (
                "unable to open",
                "connection",
                "disk i/o",
                "disk is full",
                "readonly",
                "read-only",
                "locked",
                "terminat",
            )
        )
    return False


KEEPALIVE_IDLE_SECONDS = 30


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = async_url(url)
        connect_args: dict[str, Any] = {}
        # An error's text never carries the statement's values: a failed write at a survey's close
        # would otherwise log every answer and comment in its traceback (outside audit trust5 #2).
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if self.is_sqlite:
            connect_args["timeout"] = 15
            database = self.url.database
            if database and database != ":memory:":
                folder = Path(database).parent
                if not folder.exists():
                    raise DatabaseUnavailable(f"the folder for the database file, {folder}, does not exist")
                _private_files(Path(database))
        else:
            kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=10)
            connect_args["timeout"] = 10
            # A server that stops answering without closing the connection ends a statement here,
            # as an outage, rather than when the kernel gives up on the socket minutes later.
            connect_args["command_timeout"] = STATEMENT_WAIT_SECONDS
        self.engine: AsyncEngine = create_async_engine(self.url, connect_args=connect_args, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            if self.url.database not in (None, "", ":memory:"):
                _follow_the_file(self.engine, Path(str(self.url.database)))
        else:
            event.listen(self.engine.sync_engine, "connect", _server_keepalives)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._held: set[AsyncConnection] = set()
        # A key for hashing what must not be readable in the database (delivery ids); the
        # runtime sets it to the survey secret. storage.deliveries explains.
        self.secret: bytes | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    def describe(self) -> str:
        """The URL with any password hidden, for messages and logs."""
        shown = self.url.render_as_string(hide_password=True)
        if "password" in self.url.query:  # asyncpg takes one there too
            hidden = self.url.update_query_dict({"password": "***"}).render_as_string(hide_password=True)
            shown = hidden.replace("password=%2A%2A%2A", "password=***")
        return shown

    def _unavailable(self, exc: BaseException) -> DatabaseUnavailable:
        reason = _reason(exc)
        for secret in (self.url.password, self.url.query.get("password")):
            if isinstance(secret, str) and secret:
                reason = reason.replace(secret, "***")
        return DatabaseUnavailable(f"cannot reach the database at {self.describe()}: {reason}")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        async with self.sessions() as tx, tx.begin():
            yield tx

    @asynccontextmanager
    async def autocommit(self) -> AsyncIterator[AsyncConnection]:
        """A connection whose every statement commits on its own: for work that is one statement,
        which is atomic by itself, this saves the BEGIN and COMMIT round trips."""
        async with self.engine.connect() as conn:
            yield await conn.execution_options(isolation_level="AUTOCOMMIT")

    async def still_the_file(self, conn: AsyncConnection) -> None:
        """SQLite: DatabaseUnavailable when the file `conn` writes to has been deleted or replaced
        since it was opened (see _follow_the_file, which checks it when a connection is handed out;
        a transaction that stays open for a while checks again before it commits)."""
        database = self.url.database
        if not self.is_sqlite or database in (None, "", ":memory:"):
            return
        raw = await conn.get_raw_connection()
        opened = raw.info.get("file")
        try:
            found = await asyncio.to_thread(Path(str(database)).stat)
        except FileNotFoundError:
            raise DatabaseUnavailable(f"the database file {database} is no longer there") from None
        if opened is not None and opened != (found.st_dev, found.st_ino):
            raise DatabaseUnavailable(f"the database file {database} was replaced")

    def insert(self, model: Any) -> Any:
        """A dialect insert with on_conflict_do_nothing / on_conflict_do_update."""
        return _dialect_insert(self.is_postgres)(model)

    async def ping(self) -> None:
        try:
            if self.is_sqlite and self.url.database not in (None, "", ":memory:"):
                # A pooled connection keeps working on a file that was moved away; check the path.
                await asyncio.to_thread(_open_existing_sqlite, str(self.url.database))
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            raise self._unavailable(exc) from None

    async def upgrade(self) -> None:
        """Apply every pending migration; a no-op on an up-to-date database."""
        opened = False
        try:
            async with self.engine.begin() as conn:
                opened = True
                if self.is_postgres:
                    await conn.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
                await conn.run_sync(_run_upgrade)
        except Exception as exc:
            # Whatever stops the connection opening (a database or role that does not exist, an
            # option the driver does not take, a file that is not a database) is for the person
            # setting DATABASE_URL to fix; after that, only a lost connection is.
            if not opened or is_unavailable(exc):
                raise self._unavailable(exc) from None
            raise

    async def current_revisions(self) -> set[str]:
        async with self.engine.connect() as conn:
            exists = await conn.run_sync(lambda c: c.dialect.has_table(c, "alembic_version"))
            if not exists:
                return set()
            rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
            return {r[0] for r in rows}

    async def hold_connection(self) -> AsyncConnection:
        """A connection kept outside the pool (e.g. for a session-level lock); closed by dispose()."""
        conn = await self.engine.connect()
        self._held.add(conn)
        return conn

    async def release_connection(self, conn: AsyncConnection, *, broken: bool = False) -> None:
        self._held.discard(conn)
        try:
            await (conn.invalidate() if broken else conn.close())
        except Exception:  # noqa: BLE001 - it is going away either way
            logging.getLogger("sgbot.db").debug("closing a held connection failed")

    async def dispose(self) -> None:
        for conn in list(self._held):
            await self.release_connection(conn, broken=True)
        await self.engine.dispose()


# PostgreSQL settings that write statements with their parameters to the server's log: there, an
# answer's statement would put a person's platform id beside their survey code and the time (an
# outside audit, twenty-second session).
_STATEMENT_LOGGING = {
    "log_statement": lambda v: v in ("mod", "all"),
    "log_min_duration_statement": lambda v: v != "-1",
    "log_min_duration_sample": lambda v: v != "-1",
    "log_transaction_sample_rate": lambda v: v not in ("0", "0.0"),  # every statement of a sampled transaction
}


async def statements_logged(conn: AsyncConnection) -> list[str]:
    """The settings, as "name = value" (as SHOW writes them), under which PostgreSQL logs sgbot's
    statements; read in one query, a setting this server does not have read as none."""
    names = list(_STATEMENT_LOGGING)
    rows = await conn.execute(
        text("SELECT name, current_setting(name, true) FROM unnest(CAST(:names AS text[])) AS name"),
        {"names": names},
    )
    values = {name: value for name, value in rows.all() if value is not None}
    return [f"{name} = {values[name]}" for name in names if name in values and _STATEMENT_LOGGING[name](values[name])]


def is_postgres(tx: AsyncSession) -> bool:
    return tx.get_bind().dialect.name == "postgresql"


def insert(tx: AsyncSession, model: Any) -> Any:
    """`Database.insert` for a repository that holds only the transaction."""
    return _dialect_insert(is_postgres(tx))(model)


def _dialect_insert(postgres: bool) -> Any:
    """The dialect's INSERT (with ON CONFLICT). Only the database in use is imported: PostgreSQL's
    dialect is 2.3 MB that a bot on SQLite never needs, and SQLAlchemy loads it for a PostgreSQL URL."""
    if postgres:
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


def alembic_config() -> Config:
    from alembic.config import Config  # imported when migrating, not at every start

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


# The head revisions of the migrations shipped with this code (one branch per feature). An
# up-to-date database is recognised from them without importing Alembic (about 8 MB and 0.1 s at
# every start); tests/test_migrations.py fails when a migration is added and this is not moved on.
SHIPPED_HEADS = frozenset({"0002_lookups", "0015_outbox_message_index", "0005_feeds", "0012_survey_comments_apart"})


def script_heads() -> frozenset[str]:
    """The head revisions as Alembic reads them from the migration scripts."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def _current_heads(sync_conn: Any) -> frozenset[str]:
    if not sync_conn.dialect.has_table(sync_conn, "alembic_version"):
        return frozenset()
    return frozenset(r[0] for r in sync_conn.execute(text("SELECT version_num FROM alembic_version")))


def _run_upgrade(sync_conn: Any) -> None:
    # Already at the heads: there is nothing to apply, so Alembic need not even load. Any other
    # state (a new database, an older one, a revision these scripts do not know) takes the full
    # path, which migrates or says what is wrong.
    if _current_heads(sync_conn) == SHIPPED_HEADS:
        return
    from alembic import command
    from alembic.util import CommandError

    cfg = alembic_config()
    cfg.attributes["connection"] = sync_conn
    try:
        command.upgrade(cfg, "heads")
    except CommandError as exc:
        if "Can't locate revision" not in str(exc):
            raise
        # Typically an older sgbot started on a database a newer one has already upgraded.
        found = ", ".join(sorted(_current_heads(sync_conn))) or "unknown"
        raise DatabaseConfigError(
            f"The database was set up by a newer version of sgbot (its schema is at {found}, which this "
            "version does not know). Run the newer version, or restore a backup taken before it upgraded."
        ) from None


def existing_file_uri(path: str) -> str:
    """An SQLite URI that opens the file only if it exists (as_uri() quotes a '#' or '?' in it)."""
    return f"{Path(path).absolute().as_uri()}?mode=rw"


def _open_existing_sqlite(path: str) -> None:
    conn = sqlite3.connect(existing_file_uri(path), uri=True, timeout=5)
    try:
        conn.execute("SELECT 1")
    finally:
        conn.close()


# SQLite gives the -wal and -shm files the main file's permissions, so making the main file
# owner-only before SQLite first opens it keeps all three from other local users.
_SQLITE_FILES = ("", "-wal", "-shm", "-journal")


def _private_files(database: Path) -> None:
    """Create the database file owner-only (0600) if it is missing, and take group and other
    permissions away from an existing one and its companions (installs made before this rule)."""
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError:
        return  # SQLite will say what is wrong when it opens the file
    for suffix in _SQLITE_FILES:
        path = Path(f"{database}{suffix}")
        try:
            mode = path.stat().st_mode & 0o777
            if mode & 0o077:
                path.chmod(mode & 0o700)
        except OSError:
            continue  # absent, or not ours to change


def _follow_the_file(engine: AsyncEngine, path: Path) -> None:
    """A pooled SQLite connection keeps writing to the file it opened, even after that file was
    deleted or replaced (a backup restored over it): every write would be thanked and lost. Each
    connection notes which file it opened; when it is handed out, a file replaced since means a
    new connection to the new file, and a missing file means the database is unavailable.

    A connection never creates the file: SQLite would make an empty one in its place (readable by
    all, every query 'no such table') and the bot would answer as broken rather than as away.
    `Database` creates the file owner-only before the first connection, so first starts and
    `sgbot db upgrade` still work; a file deleted later stays missing until it is restored."""

    def only_existing(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        if cparams.get("uri") or not cargs:  # the URL gave its own SQLite URI; leave it as written
            return
        cargs[0] = existing_file_uri(cargs[0])
        cparams["uri"] = True

    def opened(_dbapi_conn: Any, record: Any) -> None:
        try:
            found = path.stat()
        except OSError:
            return
        record.info["file"] = (found.st_dev, found.st_ino)

    def handed_out(_dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        try:
            found = path.stat()
        except FileNotFoundError:
            raise DatabaseUnavailable(f"the database file {path} is no longer there") from None
        if record.info.get("file", (found.st_dev, found.st_ino)) != (found.st_dev, found.st_ino):
            raise DisconnectionError(f"the database file {path} was replaced")

    event.listen(engine.sync_engine, "do_connect", only_existing)
    event.listen(engine.sync_engine, "connect", opened)
    event.listen(engine.sync_engine, "checkout", handed_out)


def _server_keepalives(dbapi_conn: Any, _record: Any) -> None:
    """The server's side of each connection probes a silent peer after KEEPALIVE_IDLE_SECONDS: a
    replica whose machine is lost (no FIN ever arrives) has its session, its leader lock and any
    row it locked dropped within about a minute, not after the kernel's two hours (an outside
    audit saw a reminder lost to that wait). Set once connected rather than as startup
    parameters, which PgBouncer refuses; a server or pooler that will not take them is left as
    it is (over a Unix socket they do nothing anyway)."""
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute(f"SET tcp_keepalives_idle = {KEEPALIVE_IDLE_SECONDS}")
        cursor.execute("SET tcp_keepalives_interval = 10")
        cursor.execute("SET tcp_keepalives_count = 3")
        dbapi_conn.commit()  # a SET in a transaction rolled back later would be undone with it
    except Exception as exc:  # noqa: BLE001 - the bot runs without them, as before
        logging.getLogger("sgbot.db").info(
            "the database did not take keepalive settings (%s); a lost replica is noticed later", type(exc).__name__
        )
    finally:
        cursor.close()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    # Deleted rows are overwritten with zeros, not left in free space (a survey's sealed rows,
    # a closed survey's reminders): some builds of SQLite do this by default, not all.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    first_line = str(orig or exc).strip().splitlines()[0] if str(orig or exc).strip() else type(exc).__name__
    unknown = _UNKNOWN_OPTION.search(first_line) if isinstance(exc, TypeError) else None
    if unknown is None:
        return first_line
    option = unknown.group(1)
    hint = " (for TLS to PostgreSQL, use ssl=require)" if option == "sslmode" else ""
    return f"DATABASE_URL has an option the database driver does not take, {option}{hint}"


# How the drivers' connect() refuses a query option of DATABASE_URL it does not know.
_UNKNOWN_OPTION = re.compile(r"unexpected keyword argument '(\w+)'")
