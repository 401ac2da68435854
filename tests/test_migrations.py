"""The migrations build exactly the tables the models describe."""

from __future__ import annotations

import os
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.db import Database
from storage.schema import metadata


async def test_migrations_match_the_models(db: Database) -> None:
    def diff(sync_conn: object) -> list[object]:
        context = MigrationContext.configure(sync_conn, opts={"compare_type": False})  # type: ignore[arg-type]
        return [d for d in compare_metadata(context, metadata) if not _ignorable(d)]

    async with db.engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []


def _ignorable(diff: object) -> bool:
    # alembic's own bookkeeping table is not a model
    return isinstance(diff, tuple) and diff[0] == "remove_table" and getattr(diff[1], "name", "") == "alembic_version"


def test_the_shipped_head_is_the_migration_scripts_head() -> None:
    # Start-up recognises an up-to-date database by SHIPPED_HEADS without loading Alembic:
    # a new migration must move it on, or start-up would skip the new migration.
    from storage.db import SHIPPED_HEADS, script_heads

    assert script_heads() == SHIPPED_HEADS, "a migration was added: set storage.db.SHIPPED_HEADS to the heads"


def test_starting_on_an_up_to_date_database_does_not_load_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    program = (
        "import asyncio, sys\n"
        "from storage.db import Database\n"
        "async def main():\n"
        f"    db = Database('sqlite+aiosqlite:///{tmp_path}/bot.db')\n"
        "    await db.upgrade()\n"
        "    await db.dispose()\n"
        "asyncio.run(main())\n"
        "print('alembic' in sys.modules)\n"
    )
    first = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "True"  # a new database is migrated by Alembic
    assert again.stdout.strip() == "False"  # an up-to-date one is recognised without it


def test_an_older_sgbot_on_a_database_a_newer_one_upgraded_says_so_in_one_sentence(tmp_path: Path) -> None:
    import sqlite3
    import subprocess
    import sys

    database = tmp_path / "data" / "sgbot.db"
    database.parent.mkdir()
    env = {**os.environ, "DATA_DIR": str(database.parent), "DATABASE_URL": f"sqlite:///{database}"}
    made = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(database) as conn:  # as a later version would leave it
        conn.execute("DELETE FROM alembic_version")
        conn.execute("INSERT INTO alembic_version VALUES ('0099_from_a_later_version')")
    again = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, capture_output=True, text=True)
    assert again.returncode != 0
    assert "The database was set up by a newer version of sgbot" in again.stderr
    assert "0099_from_a_later_version" in again.stderr and "Traceback" not in again.stderr
