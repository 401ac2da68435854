"""Alembic environment: run by storage.db.Database.upgrade() with a live connection, or by
the alembic command line with SGBOT_MIGRATION_URL set (a synchronous URL)."""

import os

from alembic import context
from sqlalchemy import Connection, create_engine

from storage.schema import metadata

config = context.config


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    engine = create_engine(os.environ["SGBOT_MIGRATION_URL"], hide_parameters=True)  # as storage/db.py
    with engine.begin() as conn:
        run_with(conn)
