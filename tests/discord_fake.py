"""A local stand-in for Discord: the REST API and the gateway websocket, on 127.0.0.1.

The real discord.py client talks to it after two monkeypatches (the REST base URL and the
gateway URL). It records every REST call, answers with payloads from `discord_payloads`, can be
told to fail the next matching calls (429 with or without `Via`, 403, 404...), and pushes
gateway events (READY, GUILD_CREATE, THREAD_CREATE, INTERACTION_CREATE, MESSAGE_CREATE) to
the connected client like Discord does.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import discord
import pytest
import yarl
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

from tests import discord_payloads as p


@dataclass
class Call:
    method: str
    path: str  # without /api/v10
    body: Any
    files: list[str] = field(default_factory=list)
    query: dict[str, str] = field(default_factory=dict)


@dataclass
class Failure:
    method: str
    path: re.Pattern[str]
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int


def _json(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Exactly "application/json": discord.py reads a body as JSON only for that content type.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={**(headers or {}), "Content-Type": "application/json"}
    )


NONCE_WINDOW_SECONDS = 120.0  # Discord says "the past few minutes"; the fake keeps two


class FakeDiscord:
    def __init__(self, *, shards: int = 1) -> None:
        self.calls: list[Call] = []
        self.messages: dict[str, dict[str, Any]] = {}  # message id -> message as Discord holds it
        self.threads: dict[str, dict[str, Any]] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.identifies: list[dict[str, Any]] = []
        self.shards = shards
        # nonce -> (message, loop time): a repeat with enforce_nonce gets the same message back
        self.nonces: dict[str, tuple[dict[str, Any], float]] = {}
        # Cleared, the gateway takes IDENTIFY but holds READY back: a connection that is not up yet.
        self.ready_gate = asyncio.Event()
        self.ready_gate.set()
        self._failures: list[Failure] = []
        self._sockets: list[web.WebSocketResponse] = []
        self._seq = 0
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self.server = TestServer(app, host="127.0.0.1")

    # --- setup -----------------------------------------------------------------------------

    async def start(self) -> None:
        await self.server.start_server()

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        await self.server.close()

    @property
    def api_base(self) -> str:
        return str(self.server.make_url("/api/v10"))

    @property
    def gateway_url(self) -> str:
        return str(self.server.make_url("/gateway")).replace("http://", "ws://")

    def point_discord_py_here(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(discord.http.Route, "BASE", self.api_base)
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(self.gateway_url))

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        body: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls matching METHOD and the path regex with this error."""
        error = body if body is not None else {"message": "error", "code": 0}
        self._failures.append(Failure(method, re.compile(path), status, error, headers or {}, times))

    # --- what happened ---------------------------------------------------------------------

    def calls_to(self, method: str, pattern: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and re.fullmatch(pattern, c.path)]

    def callbacks(self, interaction_id: str) -> list[Call]:
        return self.calls_to("POST", rf"/interactions/{interaction_id}/[^/]+/callback")

    async def wait_for(self, check: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until `check()` is truthy (re-checked on every call and event); fail after `timeout`."""

        async def until() -> Any:
            async with self._changed:
                while not (result := check()):
                    await self._changed.wait()
                return result

        try:
            return await asyncio.wait_for(until(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"timed out waiting; calls so far: {[(c.method, c.path) for c in self.calls]}"
            ) from None

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def poke(self) -> None:
        """Re-run waiting checks (for checks on things other than REST calls, e.g. logs)."""
        await self._notify()

    # --- gateway ---------------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event to every connected client."""
        for ws in list(self._sockets):
            self._seq += 1
            await ws.send_json({"op": 0, "t": event, "s": self._seq, "d": data})

    async def wait_connected(self, count: int = 1) -> None:
        await self.wait_for(lambda: len(self._sockets) >= count and len(self.identifies) >= count)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45000}})
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                if frame["op"] == 1:
                    await ws.send_json({"op": 11})
                elif frame["op"] == 2:
                    await self._identify(ws, frame["d"])
        finally:
            if ws in self._sockets:
                self._sockets.remove(ws)
            await self._notify()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, identify: dict[str, Any]) -> None:
        self.identifies.append(identify)
        self._sockets.append(ws)
        await self._notify()
        await self.ready_gate.wait()
        self._seq += 1
        ready = p.ready(
            session_id=f"session-{len(self.identifies)}", resume_url=self.gateway_url, shard=identify.get("shard")
        )
        await ws.send_json({"op": 0, "t": "READY", "s": self._seq, "d": ready})
        self._seq += 1
        await ws.send_json({"op": 0, "t": "GUILD_CREATE", "s": self._seq, "d": p.guild()})
        await self._notify()

    # --- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await self._read_body(request)
        call = Call(request.method, path, body, files, dict(request.query))
        self.calls.append(call)
        try:
            for failure in self._failures:
                if failure.times > 0 and failure.method == request.method and failure.path.fullmatch(path):
                    failure.times -= 1
                    return _json(failure.body, status=failure.status, headers=failure.headers)
            return await self._answer(call)
        finally:
            await self._notify()

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[Any, list[str]]:
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            body: Any = None
            files: list[str] = []
            async for part in reader:
                if part.name == "payload_json":
                    body = json.loads(await part.text())
                elif part.filename:  # type: ignore[union-attr]
                    files.append(part.filename)  # type: ignore[union-attr]
                    await part.read()  # type: ignore[union-attr]
            return body, files
        raw = await request.read()
        return (json.loads(raw) if raw else None), []

    async def _answer(self, call: Call) -> web.StreamResponse:
        m, path, body = call.method, call.path, call.body or {}
        if (m, path) == ("GET", "/users/@me"):
            return _json(p.bot_user())
        if (m, path) == ("GET", "/oauth2/applications/@me"):
            return _json(p.application())
        if (m, path) == ("GET", "/gateway/bot"):
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            return _json({"url": self.gateway_url, "shards": self.shards, "session_start_limit": limit})
        if match := re.fullmatch(r"/applications/\d+(?:/guilds/(\d+))?/commands", path):
            guild = int(match[1]) if match[1] else None
            if m == "PUT":
                self.commands[guild] = p.app_commands(call.body or [], guild_id=guild)
            return _json(self.commands.get(guild, []))
        if match := re.fullmatch(r"/interactions/(\d+)/[^/]+/callback", path):
            posted = None
            if body.get("type") in (4, 5, 7):
                posted = self._store(body.get("data") or {}, p.CHANNEL_ID)
            return _json(p.interaction_callback(match[1], body, posted))
        if re.fullmatch(r"/webhooks/\d+/[^/]+/messages/@original", path):
            if m == "DELETE":
                return web.Response(status=204)
            return _json(self._store(body, p.CHANNEL_ID))
        if re.fullmatch(r"/webhooks/\d+/[^/]+", path) and m == "POST":
            return _json(self._store(body, p.CHANNEL_ID))
        if match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path):
            thread = p.thread_channel(int(match[2]), int(match[1]), body.get("name", "thread"))
            self.threads[match[2]] = thread
            await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
            return _json(thread, status=201)
        if match := re.fullmatch(r"/channels/(\d+)/messages", path):
            return _json(self._store(body, int(match[1])))
        if match := re.fullmatch(r"/channels/(\d+)", path):
            channel = self.threads.get(match[1]) or p.text_channel(int(match[1]))
            return _json(channel)
        if (m, path) == ("POST", "/users/@me/channels"):
            recipient = int(body["recipient_id"])
            return _json(p.dm_channel(recipient + 1, p.user(recipient, "someone")))
        return _json({"message": f"the fake has no route for {m} {path}", "code": 0}, status=404)

    def _store(self, body: dict[str, Any], channel_id: int) -> dict[str, Any]:
        # Like Discord's create message: with enforce_nonce, a nonce the same author used in the
        # past few minutes returns that message and posts nothing
        # (https://discord.com/developers/docs/resources/message#create-message).
        nonce = str(body.get("nonce")) if body.get("enforce_nonce") and body.get("nonce") else None
        now = asyncio.get_running_loop().time()
        if nonce is not None and nonce in self.nonces and now - self.nonces[nonce][1] < NONCE_WINDOW_SECONDS:
            return self.nonces[nonce][0]
        message_id = p.new_id()
        data = p.message(body, message_id=message_id, channel_id=channel_id)
        self.messages[str(message_id)] = data
        if nonce is not None:
            self.nonces[nonce] = (data, now)
        return data
