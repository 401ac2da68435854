"""The adapter conformance cases (test_conformance.py) run on Microsoft Teams: the same cases,
with a Teams driver in place of the others (tests/conformance/teams_driver.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from core.clock import FrozenClock
from storage.db import Database
from tests.conformance import test_conformance as cases
from tests.conformance.drivers import Driver
from tests.conformance.teams_driver import TeamsDriver
from tests.conftest import START, _clean_postgres
from tests.teams_fake import FakeTeams

pytestmark = pytest.mark.asyncio(loop_scope="module")
module_database_url = cases.module_database_url
forget_effects = cases.forget_effects


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def driver(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Driver]:
    tmp_path = tmp_path_factory.mktemp("conformance-teams")
    database_url = module_database_url
    if database_url == "sqlite":
        database_url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        database = Database(database_url)
        await database.upgrade()
        await _clean_postgres(database)
        await database.dispose()
    fake = FakeTeams()
    await fake.start()
    opened = await TeamsDriver.open(fake, tmp_path, database_url, FrozenClock(START))
    try:
        yield opened
    finally:
        await opened.close()
        await fake.stop()


# Every case of the suite, run here against the Teams driver.
for _name in dir(cases):
    if _name.startswith("test_"):
        globals()[_name] = getattr(cases, _name)
