"""PostgreSQL's statement log would hold, for each survey answer, the person's platform id beside
their code and the time (an outside audit, twenty-second session): the bot says so when it opens a
database whose connection logs statements."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.runtime import open_database
from core.config import Settings
from storage.db import statements_logged


async def test_statement_logging_is_found_and_warned_of(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's own statement logging: SQLite has none (the PostgreSQL case runs in CI)")
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", database_url=database_url)  # type: ignore[call-arg]
    db = await open_database(settings)
    try:
        async with db.engine.connect() as conn:
            assert await statements_logged(conn) == []  # CI's server logs no statements
            await conn.execute(text("SET log_min_duration_statement = 0"))
            await conn.execute(text("SET log_statement = 'mod'"))
            assert await statements_logged(conn) == ["log_statement = mod", "log_min_duration_statement = 0"]
        database = db.url.database
        async with db.engine.connect() as conn:
            await conn.execute(text(f'ALTER DATABASE "{database}" SET log_min_duration_statement = 250'))
            await conn.commit()
        try:
            await db.dispose()
            with caplog.at_level(logging.WARNING, logger="sgbot"):
                db = await open_database(settings)
            warned = [r.getMessage() for r in caplog.records if "PostgreSQL logs sgbot's statements" in r.getMessage()]
            assert warned and "log_min_duration_statement = 250ms" in warned[0]
        finally:
            async with db.engine.connect() as conn:
                await conn.execute(text(f'ALTER DATABASE "{database}" RESET log_min_duration_statement'))
                await conn.commit()
    finally:
        await db.dispose()
