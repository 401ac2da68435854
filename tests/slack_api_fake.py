"""A small fake of Slack's Web API on 127.0.0.1 for whole-process tests and benchmarks:
answers auth.test and records chat.postMessage, taking a moment to accept each post."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiohttp import web

HOLD_SECONDS = 0.25  # how long the fake takes to accept a post


@dataclass
class Post:
    token: str
    channel: str
    text: str
    ts: str


@dataclass
class FakeSlackApi:
    """Accepts a post only if the poster is still connected when it finishes, like a request that
    never reached Slack when the process died first."""

    hold_seconds: float = HOLD_SECONDS
    posts: list[Post] = field(default_factory=list)
    pending: dict[str, int] = field(default_factory=dict)  # token -> posts being accepted
    port: int = 0
    _runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._method)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    async def _method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"})
        if method != "chat.postMessage":
            return web.json_response({"ok": True})
        body = await request.post() if request.content_type != "application/json" else await request.json()
        self.pending[token] = self.pending.get(token, 0) + 1
        try:
            await asyncio.sleep(self.hold_seconds)
        finally:
            self.pending[token] -= 1
        if request.transport is None or request.transport.is_closing():
            return web.json_response({"ok": False, "error": "gone"})
        ts = f"1700000000.{len(self.posts):06d}"
        self.posts.append(Post(token, str(body.get("channel")), str(body.get("text")), ts))
        return web.json_response({"ok": True, "channel": body.get("channel"), "ts": ts})
