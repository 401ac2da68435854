"""The migrations build exactly the tables the models describe."""

from __future__ import annotations

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
