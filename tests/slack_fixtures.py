"""The Slack wire's fixtures for a test module to import: one local fake of the Web API per module,
reset before each test, and the real Bolt app on signed HTTP in front of the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import FrozenClock
from storage.db import Database
from tests.fake_slack import FakeSlack
from tests.slack_wire import Wire, open_wire, slack_settings


@pytest.fixture
def fake(fake_server: FakeSlack) -> FakeSlack:
    fake_server.reset()
    return fake_server


@pytest.fixture
async def wire(
    fake: FakeSlack, tmp_path: Path, db: Database, database_url: str, clock: FrozenClock
) -> AsyncIterator[Wire]:
    opened = await open_wire(fake, slack_settings(tmp_path, database_url), clock)
    fake.forget_calls()  # auth.test at start
    yield opened
    await opened.close()
