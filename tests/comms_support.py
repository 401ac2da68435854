"""Helpers shared by the feeds, bulletins and briefings tests."""

from __future__ import annotations

from bot.runtime import DELIVERY_EVERY_SECONDS, Runtime
from bot.scheduler import JobScheduler


def as_only_replica(rt: Runtime) -> None:
    """Run jobs on every tick without asking for the PostgreSQL leader lock.

    The tests share one PostgreSQL database, and a bot left over from another test may still
    hold the lock for a moment; these tests are about posting, not about electing a leader."""
    assert rt.delivery is not None
    rt.scheduler = JobScheduler(rt.ctx, extra={"delivery": (DELIVERY_EVERY_SECONDS, rt.delivery.deliver_due)})


async def close_runtime(rt: Runtime) -> None:
    """Give up the leader lock too, so the next test's bot is not kept waiting for it."""
    if rt.leader is not None:
        await rt.leader.release()
    await rt.ctx.db.dispose()
