"""Assembles the bot: settings -> database -> content pack -> registry -> dispatcher,
then adapters, the scheduler and the delivery worker in one asyncio loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.adapters.base import Adapter
from bot.delivery import DeliveryWorker
from bot.dispatch import Dispatcher
from bot.health import HealthServer
from bot.leader import LeaderLock
from bot.roles import RoleResolver
from bot.scheduler import JobScheduler
from core.clock import Clock, SystemClock
from core.config import Settings
from core.contentpack import ContentPack, load_pack, warm_pack
from core.context import Context, PackHolder
from core.memory import release_free_memory
from core.registry import Registry
from handlers import feature_registry
from storage.db import Database, statements_logged

log = logging.getLogger("sgbot")

# How often each replica looks for due outbox rows: a reminder is posted at most this late (plus
# the time to post it), which keeps scheduler precision well inside a second (BENCHMARKS.md).
DELIVERY_EVERY_SECONDS = 0.5


def load_registry() -> Registry:
    return feature_registry()


def load_content(settings: Settings, registry: Registry) -> ContentPack:
    return load_pack(settings.content_pack, registry.sections, parsed_cache=settings.pack_cache_dir())


def _warm(pack: ContentPack, registry: Registry) -> None:
    try:
        warm_pack(pack, registry.sections)
    except Exception:  # noqa: BLE001 - each question can still build what it needs
        log.exception("building the content pack's indexes after start-up failed")
    release_free_memory()  # what parsing and building left behind, and a replaced pack


async def open_database(settings: Settings) -> Database:
    """Open the database and apply migrations. Raises ConfigError/DatabaseUnavailable with a sentence."""
    if not settings.database_url:
        settings.ensure_data_dir()
    db = Database(settings.resolved_database_url())
    if settings.survey_secret is not None:  # delivery ids are kept hashed with it (storage/deliveries.py)
        db.secret = settings.survey_secret.get_secret_value().encode()
    await db.upgrade()
    if db.is_postgres:
        await _warn_of_statement_logging(db)
    return db


async def _warn_of_statement_logging(db: Database) -> None:
    async with db.engine.connect() as conn:
        found = await statements_logged(conn)
    if found:
        log.warning(
            "PostgreSQL logs sgbot's statements (%s): its log would show who answered a survey and when, "
            "beside their code. Turn it off for this database, e.g. ALTER DATABASE name SET "
            "log_min_duration_statement = -1 (README, Confidentiality).",
            "; ".join(found),
        )


@dataclass
class Runtime:
    ctx: Context
    dispatcher: Dispatcher
    roles: RoleResolver
    adapters: dict[str, Adapter] = field(default_factory=dict)
    delivery: DeliveryWorker | None = None
    scheduler: JobScheduler | None = None
    leader: LeaderLock | None = None
    health: HealthServer | None = None
    warming: asyncio.Task[None] | None = None

    @classmethod
    async def create(
        cls,
        settings: Settings,
        *,
        clock: Clock | None = None,
        console_mode: bool = False,
        registry: Registry | None = None,
    ) -> Runtime:
        # in threads: the loop stays free meanwhile (for a Discord connection begun early)
        if registry is None:
            registry = await asyncio.to_thread(load_registry)
        pack = await asyncio.to_thread(load_content, settings, registry)  # validate before touching the database
        # and every feature's own settings (ConfigError names any that are not valid)
        features: dict[type, object] = {kind: settings.feature(kind) for kind in registry.settings}
        db = await open_database(settings)
        ctx = Context(
            settings=settings,
            db=db,
            clock=clock or SystemClock(),
            registry=registry,
            content=PackHolder(pack),
            console_mode=console_mode,
        )
        ctx.services.update(features)  # what ctx.feature_settings would read again
        return cls(ctx=ctx, dispatcher=Dispatcher(ctx), roles=RoleResolver(settings))

    def add_adapter(self, adapter: Adapter) -> None:
        self.adapters[adapter.platform] = adapter
        self.ctx.platforms.add(adapter.platform)

    def prepare_workers(self, *, extra: dict[str, tuple[float, Callable[[], Any]]] | None = None) -> None:
        self.delivery = DeliveryWorker(self.ctx, self.adapters)
        self.leader = LeaderLock(self.ctx.db)
        jobs = {"delivery": (DELIVERY_EVERY_SECONDS, self.delivery.deliver_due), **(extra or {})}
        self.scheduler = JobScheduler(self.ctx, extra=jobs, is_leader=self.leader.is_leader)

    async def tick(self) -> None:
        """Run every job and deliver what is due, now (the console does this after each line)."""
        if self.scheduler is None:
            self.prepare_workers()
        assert self.scheduler is not None
        await self.scheduler.run_once()

    async def tick_due(self) -> None:
        """Run the jobs that are due by the bot's clock, and deliver what is due."""
        if self.scheduler is None:
            self.prepare_workers()
        assert self.scheduler is not None
        await self.scheduler.run_due()

    async def start(self) -> None:
        if self.scheduler is None:
            self.prepare_workers()
        assert self.scheduler is not None
        settings = self.ctx.settings
        if settings.metrics_port is not None:
            self.health = HealthServer(self, settings.metrics_host, settings.metrics_port)
            await self.health.start()
        # The pack's indexes are built in a thread while the platforms connect, which is mostly
        # waiting on the network; ready does not wait for them, and a question that comes first
        # waits for that build in a thread of its own (guidance.cached_async), not on the loop.
        self.warming = asyncio.create_task(asyncio.to_thread(_warm, self.ctx.pack, self.ctx.registry))
        # Platforms connect side by side: start-up takes as long as the slowest, not the sum.
        await asyncio.gather(*(adapter.start() for adapter in self.adapters.values()))
        self.scheduler.start()
        log.info("sgbot is running: %s", ", ".join(self.adapters) or "no chat platform")

    async def stop(self) -> None:
        """Stop taking work, finish posts in flight, hand back claimed rows, disconnect."""
        grace = self.ctx.settings.shutdown_grace_seconds
        if self.scheduler is not None:
            self.scheduler.pause()
        if self.delivery is not None:
            released = await self.delivery.shutdown(grace)
            if released:
                log.info("handed back %d claimed messages for another worker", released)
        if self.scheduler is not None:
            await self.scheduler.wait_idle(grace)
            self.scheduler.stop()
        if self.leader is not None:
            await self.leader.release()
        for adapter in self.adapters.values():
            try:
                await asyncio.wait_for(adapter.stop(), timeout=10)
            except Exception:  # noqa: BLE001 - keep shutting the others down
                log.exception("stopping the %s adapter failed", adapter.platform)
        if self.health is not None:
            await self.health.stop()
        if self.warming is not None:
            await asyncio.gather(self.warming, return_exceptions=True)  # a thread cannot be cancelled
        await self.ctx.db.dispose()

    async def reload_content(self, actor: str = "system") -> ContentPack:
        """Validate the pack again and swap it in whole; an invalid pack leaves the old one."""
        pack = await asyncio.to_thread(load_content, self.ctx.settings, self.ctx.registry)
        await asyncio.to_thread(_warm, pack, self.ctx.registry)  # before it answers anyone
        self.ctx.content.pack = pack
        try:
            await self.ctx.audit(None, "content.reloaded", subject=str(pack.path), detail=f"by {actor}")
        except Exception:  # noqa: BLE001 - the reload itself succeeded
            log.warning("could not audit the content reload")
        log.info("content pack reloaded from %s", pack.path)
        return pack

    async def run_forever(self, stop: asyncio.Event) -> None:
        # A stop asked for while the platforms are still connecting (a SIGTERM while Slack's
        # first call waits out a slow network) ends the start there, not when the SDK gives up.
        starting = asyncio.create_task(self.start())
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            log.info("asked to stop while starting; stopping now")
            starting.cancel()
            await asyncio.gather(starting, return_exceptions=True)
        elif starting.exception() is not None:
            stopping.cancel()
            await starting  # a start that failed ends here, as before, with its own error
        try:
            await stopping
        finally:
            await self.stop()
