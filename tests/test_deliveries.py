"""The delivery record (storage.deliveries) on its kept connection: each id is new exactly once,
across replicas and within one lot, and a connection that broke or went quiet is replaced
without losing a record (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url

from storage import deliveries
from storage.db import Database, is_unavailable
from tests.tcp_proxy import TcpProxy

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SECRET = b"test-deliveries-secret-0123456789"


async def test_two_replicas_racing_for_the_same_ids_see_each_one_new_exactly_once(database_url: str) -> None:
    first, second = Database(database_url), Database(database_url)
    first.secret = second.secret = SECRET  # replicas share the survey secret, so the same hash
    try:
        await first.upgrade()
        if first.is_postgres:
            from tests.conftest import _clean_postgres

            await _clean_postgres(first)
        keys = [f"teams:race-{i}" for i in range(40)]
        seen = await asyncio.gather(
            *(deliveries.first_sighting(db, key, now=T0) for key in keys for db in (first, second))
        )
        for i, key in enumerate(keys):
            assert sorted(seen[2 * i : 2 * i + 2]) == [False, True], key
    finally:
        await first.dispose()
        await second.dispose()


async def test_sightings_that_arrive_together_are_told_apart(db: Database) -> None:
    assert await deliveries.first_sighting(db, "slack:old", now=T0)
    new_a, repeat_in_lot, new_b, old, new_a_again = await asyncio.gather(
        deliveries.first_sighting(db, "slack:a", now=T0),
        deliveries.first_sighting(db, "slack:a", now=T0),
        deliveries.first_sighting(db, "slack:b", now=T0),
        deliveries.first_sighting(db, "slack:old", now=T0),
        deliveries.first_sighting(db, "slack:a", now=T0),
    )
    assert (new_a, repeat_in_lot, new_b, old, new_a_again) == (True, False, True, False, False)


async def test_records_go_on_after_the_database_is_disposed_and_used_again(db: Database) -> None:
    assert await deliveries.first_sighting(db, "discord:1", now=T0)
    await db.dispose()  # closes the writer's kept connection, as a runtime's shutdown does
    assert not await deliveries.first_sighting(db, "discord:1", now=T0)
    assert await deliveries.first_sighting(db, "discord:2", now=T0)


@pytest.fixture
async def proxied_db(pg_database_url: str) -> AsyncIterator[tuple[Database, TcpProxy]]:
    url = make_url(pg_database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    db = Database(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
    db.secret = SECRET
    await db.upgrade()
    from tests.conftest import _clean_postgres

    await _clean_postgres(db)
    yield db, proxy
    await db.dispose()
    await proxy.cut()


async def test_a_record_during_an_outage_is_reported_unavailable_and_the_next_one_reconnects(
    proxied_db: tuple[Database, TcpProxy],
) -> None:
    db, proxy = proxied_db
    assert await deliveries.first_sighting(db, "teams:before", now=T0)
    await proxy.cut()
    with pytest.raises(Exception) as failed:  # noqa: PT011 - whatever the driver raises, it must read as "away"
        await deliveries.first_sighting(db, "teams:during", now=T0)
    assert is_unavailable(failed.value)
    await proxy.restore()
    assert await deliveries.first_sighting(db, "teams:after", now=T0)
    assert not await deliveries.first_sighting(db, "teams:before", now=T0)


async def test_a_kept_connection_that_died_while_quiet_is_replaced_before_the_record(
    proxied_db: tuple[Database, TcpProxy], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, proxy = proxied_db
    assert await deliveries.first_sighting(db, "teams:one", now=T0)
    await proxy.cut()  # the kept connection dies while nothing is being recorded
    await proxy.restore()
    monkeypatch.setattr(deliveries, "_IDLE_PING_SECONDS", 0.0)  # it counts as having been quiet a while
    assert await deliveries.first_sighting(db, "teams:two", now=T0)  # no error: checked, then replaced
    assert not await deliveries.first_sighting(db, "teams:one", now=T0)


async def test_a_failed_record_is_raised_as_a_database_error_and_the_next_one_starts_afresh(db: Database) -> None:
    from sqlalchemy.exc import DBAPIError

    from storage.models import SeenDelivery

    assert await deliveries.first_sighting(db, "teams:kept", now=T0)
    async with db.engine.begin() as conn:
        await conn.run_sync(SeenDelivery.__table__.drop)
    with pytest.raises(DBAPIError):  # as SQLAlchemy raises it, so the dispatcher can tell "away" from a bug
        await deliveries.first_sighting(db, "teams:lost", now=T0)
    async with db.engine.begin() as conn:
        await conn.run_sync(SeenDelivery.__table__.create)
    assert await deliveries.first_sighting(db, "teams:kept", now=T0)  # the table is new and empty
    assert not await deliveries.first_sighting(db, "teams:kept", now=T0)
