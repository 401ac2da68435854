"""A small fake of Slack's Web API on 127.0.0.1 for whole-process tests and benchmarks:
answers auth.test and records chat.postMessage (text, blocks, metadata), taking a moment to accept each post.

Like Slack, it keeps a post's message metadata and gives it back from conversations.history
and conversations.replies only when asked with include_all_metadata
(https://api.slack.com/metadata/using, https://api.slack.com/methods/conversations.history)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

HOLD_SECONDS = 0.25  # how long the fake takes to accept a post


@dataclass
class Post:
    token: str
    channel: str
    text: str
    ts: str
    metadata: dict[str, Any] | None = None
    thread_ts: str | None = None
    blocks: list[dict[str, Any]] | None = None


@dataclass
class FakeSlackApi:
    """Accepts a post only if the poster is still connected when it finishes, like a request that
    never reached Slack when the process died first."""

    hold_seconds: float = HOLD_SECONDS
    posts: list[Post] = field(default_factory=list)
    pending: dict[str, int] = field(default_factory=dict)  # token -> posts being accepted
    port: int = 0
    reads: list[str] = field(default_factory=list)  # channels whose history was read
    on_accept: Callable[[Post], None] | None = None  # told of each post the moment it is accepted
    lose_answers: int = 0  # posts accepted whose answer is then lost (the connection is reset)
    _runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._method)
        app.router.add_get("/api/{method}", self._method)
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
        if method in ("conversations.history", "conversations.replies"):
            return web.json_response(await self._history(method, request))
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
        metadata = body.get("metadata")
        if isinstance(metadata, str):  # a form-encoded post sends it as JSON text
            metadata = json.loads(metadata)
        thread = str(body["thread_ts"]) if body.get("thread_ts") else None
        blocks = body.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        self.posts.append(Post(token, str(body.get("channel")), str(body.get("text")), ts, metadata, thread, blocks))
        if self.on_accept is not None:
            self.on_accept(self.posts[-1])
        if self.lose_answers > 0 and request.transport is not None:
            self.lose_answers -= 1
            request.transport.close()
        return web.json_response({"ok": True, "channel": body.get("channel"), "ts": ts})

    async def _history(self, method: str, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.method == "POST":
            args.update(await request.json() if request.content_type == "application/json" else await request.post())
        channel = str(args.get("channel"))
        self.reads.append(channel)
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        limit = int(args.get("limit") or 100)
        if method == "conversations.replies":
            parent = str(args.get("ts"))
            found = [p for p in self.posts if p.channel == channel and parent in (p.ts, p.thread_ts)]
            found = sorted(found, key=lambda p: p.ts)[:limit]  # oldest first, parent included
        else:
            found = [p for p in self.posts if p.channel == channel and p.thread_ts is None]
            found = sorted(found, key=lambda p: p.ts, reverse=True)[:limit]  # newest first
        messages = []
        for post in found:
            message: dict[str, Any] = {"type": "message", "ts": post.ts, "text": post.text, "bot_id": "BBOT"}
            if with_metadata and post.metadata:
                message["metadata"] = post.metadata
            messages.append(message)
        return {"ok": True, "messages": messages, "has_more": False}
