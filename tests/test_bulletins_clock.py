"""A bulletin is due by the database's clock, not the leader's own (an outside audit's finding): a
leader whose clock was 2 minutes slow sent a bulletin 122 s late, since it handed bulletins to
the outbox only once its own clock reached their time. Training reminders already went by the
database's clock; on SQLite that is this host's time, which the test leaves right."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import core.clock
from bot.runtime import Runtime
from core.clock import SystemClock
from core.config import Settings
from storage import bulletins as store
from storage.models import OutboxMessage
from tests.comms_support import as_comms_console, close_runtime
from tests.storage_support import in_tx

CHANNEL = {"platform": "console", "channel_id": "news"}


class HostClockError:
    """How far this replica's own clock is from the true time (the database's, on SQLite this host's)."""

    by = dt.timedelta(0)


@pytest.fixture
def host_clock(monkeypatch: pytest.MonkeyPatch) -> HostClockError:
    error = HostClockError()
    real = SystemClock.now
    monkeypatch.setattr(core.clock.SystemClock, "now", lambda self: real(self) + error.by)
    return error


@pytest.fixture
async def rt(database_url: str, tmp_path: Path, host_clock: HostClockError) -> AsyncIterator[Runtime]:
    """The only replica, so the leader, on the system clock."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path / "data",
        database_url=database_url,
        survey_secret="clock-key-Wf3Nq8Lr5Tb2Xz7H",
    )
    runtime = await Runtime.create(settings)
    assert isinstance(runtime.ctx.clock, SystemClock)
    await as_comms_console(runtime)
    yield runtime
    await close_runtime(runtime)


async def scheduled(rt: Runtime, send_at: dt.datetime) -> int:
    async with rt.ctx.db.transaction() as tx:
        now = dt.datetime.now(dt.UTC)
        bulletin = await store.create(tx, title="Slow leader bulletin", body="Body", by="console:cara", now=now)
        await store.schedule(tx, bulletin.id, send_at=send_at, zone="Europe/London", channels=[CHANNEL], now=now)
        return bulletin.id


async def status(rt: Runtime, bulletin_id: int) -> tuple[str | None, list[str]]:
    """The bulletin's status and its outbox rows'."""

    async def read(tx: AsyncSession) -> tuple[str | None, list[str]]:
        found = await store.get(tx, bulletin_id)
        prefix = f"bulletin:{bulletin_id}:"
        rows = await tx.scalars(select(OutboxMessage.status).where(OutboxMessage.key.startswith(prefix)))
        return (found.status if found else None), list(rows.all())

    return await in_tx(rt.ctx.db, read)


async def test_a_slow_leader_sends_a_due_bulletin_on_time(rt: Runtime, host_clock: HostClockError) -> None:
    host_clock.by = dt.timedelta(minutes=-2)
    bulletin_id = await scheduled(rt, dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))  # due by the database
    for _ in range(2):  # the bulletin job queues it, the delivery job posts it
        await rt.tick()
    assert await status(rt, bulletin_id) == (store.SENT, ["sent"])


async def test_a_fast_leader_leaves_a_bulletin_editable_until_its_time(rt: Runtime, host_clock: HostClockError) -> None:
    host_clock.by = dt.timedelta(minutes=2)
    bulletin_id = await scheduled(rt, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60))
    await rt.tick()
    assert await status(rt, bulletin_id) == (store.SCHEDULED, [])
