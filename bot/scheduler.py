"""Periodic work in the shared asyncio loop (APScheduler 3.x).

Jobs never post directly: they turn due work into outbox rows, and the delivery worker
posts them. `run_once` runs every job now, which the console uses after each line so a
script sees reminders the moment its clock makes them due."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.context import Context
from storage import deliveries, file_offers, outbox
from storage.db import is_unavailable

log = logging.getLogger("sgbot.scheduler")

# Housekeeping that every bot needs whatever its features: expired delivery ids are deleted, so
# the de-duplication table holds no more than the last few days (storage/deliveries.py), and
# finished outbox rows after 90 days (storage/outbox.py), and Teams files offered by consent card
# once their offer expires (storage/file_offers.py), so no table grows for ever.
HOUSEKEEPING = "housekeeping"
HOUSEKEEPING_EVERY_SECONDS = 3600.0


class JobScheduler:
    def __init__(
        self,
        ctx: Context,
        *,
        extra: dict[str, tuple[float, Callable[[], Awaitable[object]]]] | None = None,
        is_leader: Callable[[], Awaitable[bool]] | None = None,
    ) -> None:
        self.ctx = ctx
        self._extra = extra or {}
        # Any replica may run it: deleting expired rows twice is harmless.
        self._housekeeping: dict[str, tuple[float, Callable[[], Awaitable[object]]]] = {
            HOUSEKEEPING: (HOUSEKEEPING_EVERY_SECONDS, self.housekeeping)
        }
        self._is_leader = is_leader
        self._scheduler: AsyncIOScheduler | None = None
        # One lock per job: a job never overlaps itself, and a slow feed poll never holds up delivery.
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_run: dict[str, float] = {}

    # The interactive console runs jobs itself (run_due) instead of starting APScheduler.
    driven_by_console: bool = False

    @property
    def running(self) -> bool:
        return self.driven_by_console or (self._scheduler is not None and self._scheduler.running)

    def start(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        for spec in self.ctx.registry.jobs.values():
            self._scheduler.add_job(
                self._guarded,
                "interval",
                seconds=spec.every_seconds,
                args=[spec.name],
                id=spec.name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
            )
        for name, (every, _fn) in {**self._housekeeping, **self._extra}.items():
            self._scheduler.add_job(
                self._guarded,
                "interval",
                seconds=every,
                args=[name],
                id=name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
            )
        self._scheduler.start()

    def pause(self) -> None:
        """Start no new job runs; runs already going carry on."""
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.pause()

    async def wait_idle(self, grace_seconds: float) -> None:
        """Wait (bounded) for job runs in progress to finish, so stopping cancels none of them."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace_seconds
        while any(lock.locked() for lock in self._locks.values()) and loop.time() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)

    def stop(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    async def run_once(self) -> None:
        """Run every feature job, then the extra jobs (delivery), in a fixed order."""
        for name in sorted(self.ctx.registry.jobs):
            await self._guarded(name)
        await self._guarded(HOUSEKEEPING)
        for name in self._extra:
            await self._guarded(name)

    async def run_due(self) -> None:
        """Run the jobs whose interval has passed by the bot's clock, then the extra jobs.

        The interactive console uses this instead of APScheduler so `/debug clock` moves
        jobs along with everything else."""
        now = self.ctx.now().timestamp()
        for name in sorted(self.ctx.registry.jobs):
            every = self.ctx.registry.jobs[name].every_seconds
            last = self._last_run.get(name)
            if last is None or now - last >= every:
                self._last_run[name] = now
                await self._guarded(name)
        last = self._last_run.get(HOUSEKEEPING)
        if last is None or now - last >= HOUSEKEEPING_EVERY_SECONDS:
            self._last_run[HOUSEKEEPING] = now
            await self._guarded(HOUSEKEEPING)
        for name in self._extra:
            await self._guarded(name)

    async def housekeeping(self) -> None:
        async with self.ctx.db.transaction() as tx:
            purged = await deliveries.purge_expired(tx, now=self.ctx.now())
        if purged:
            log.info("deleted %d expired delivery ids", purged)
        async with self.ctx.db.transaction() as tx:
            finished = await outbox.purge_finished(tx, now=self.ctx.now())
        if finished:
            log.info("deleted %d finished outbox rows older than %d days", finished, outbox.KEEP_FINISHED.days)
        async with self.ctx.db.transaction() as tx:
            offers = await file_offers.purge_expired(tx, now=self.ctx.now())
        if offers:
            log.info("deleted %d expired Teams file offers", offers)

    async def _guarded(self, name: str) -> None:
        async with self._locks.setdefault(name, asyncio.Lock()):
            try:
                if name in self._extra:
                    await self._extra[name][1]()
                    return
                if name in self._housekeeping:
                    await self._housekeeping[name][1]()
                    return
                if self._is_leader is not None and not await self._is_leader():
                    return
                await self.ctx.registry.jobs[name].fn(self.ctx)
            except Exception as exc:  # noqa: BLE001 - a failing job must not stop the others
                if is_unavailable(exc):
                    log.warning("job %s skipped: database unavailable", name)
                else:
                    log.exception("job %s failed", name)
