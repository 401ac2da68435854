"""A small HTTP server for operators: /healthz, /readyz and /metrics (Prometheus)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from core import metrics
from storage import outbox
from storage.db import DatabaseUnavailable

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger("sgbot.health")


async def readiness(runtime: Runtime) -> list[str]:
    """Reasons the bot is not ready; empty when it is."""
    problems: list[str] = []
    try:
        await runtime.ctx.db.ping()
    except DatabaseUnavailable as exc:
        problems.append(f"database: {exc}")
    for name, adapter in runtime.adapters.items():
        if not adapter.is_connected():
            problems.append(f"{name}: not connected")
    if runtime.scheduler is None or not runtime.scheduler.running:
        problems.append("scheduler: not running")
    return problems


class HealthServer:
    def __init__(self, runtime: Runtime, host: str, port: int) -> None:
        self.runtime = runtime
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)
        return app

    async def healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def readyz(self, _request: web.Request) -> web.Response:
        problems = await readiness(self.runtime)
        if problems:
            return web.json_response({"status": "not ready", "reasons": problems}, status=503)
        return web.json_response({"status": "ready"})

    async def metrics(self, _request: web.Request) -> web.Response:
        try:
            async with self.runtime.ctx.db.transaction() as tx:
                counts = await outbox.counts(tx)
            for status, count in counts.items():
                metrics.OUTBOX_STATE.labels(status).set(count)
        except Exception:  # noqa: BLE001 - metrics still answer while the database is away
            log.warning("could not count outbox rows for /metrics")
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def start(self) -> int:
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets = getattr(site._server, "sockets", None) or []  # noqa: SLF001 - to learn an ephemeral port
        if sockets:
            self.port = sockets[0].getsockname()[1]
        log.info("health and metrics on http://%s:%d", self.host, self.port)
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
