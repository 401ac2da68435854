"""A failed statement's error never carries the values it was given: SQLAlchemy writes them into
the error's text ("[parameters: …]"), and the dispatcher and the jobs log errors with their
traceback, so a failed write at a survey's close logged every answer and comment (outside audit
trust5 #2). The engine hides them, on both databases."""

from __future__ import annotations

import logging
import traceback

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage.db import Database

COMMENT = "PRIVATECOMMENT my manager blocks referrals"


async def test_a_failed_statements_error_and_traceback_hold_none_of_its_values(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(DBAPIError) as failed:
        async with db.transaction() as tx:
            await tx.execute(text("INSERT INTO no_such_table (comment) VALUES (:comment)"), {"comment": COMMENT})
    logging.getLogger("sgbot.test").error("closing the survey failed", exc_info=failed.value)
    assert "no_such_table" in str(failed.value)  # the statement is still named, to find the fault
    assert COMMENT not in str(failed.value)
    assert COMMENT not in "".join(traceback.format_exception(failed.value))
    assert COMMENT not in caplog.text
