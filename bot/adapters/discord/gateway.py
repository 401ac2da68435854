"""Keeps the Discord gateway connected, and knows when it is not.

discord.py reconnects by itself after network errors, but an event it cannot read (one of its
parsers raising on a malformed payload) ends `Client.connect()` for good, while `is_ready()`
stays true. `drop_unreadable_events` makes such an event cost only itself: it is dropped with one
log line and the connection kept. For what still ends a connection (READY or RESUMED unreadable,
or the gateway's own frames), `GatewayKeeper` runs it again, after a pause that grows while
failures repeat, and counts the gateway as down from any disconnect or failure until Discord says
READY or RESUMED again, so /readyz tells the truth meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import discord

from core.config import ConfigError

log = logging.getLogger("sgbot.discord")

FIRST_PAUSE_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 60.0
STEADY_SECONDS = 300.0  # a connection that lasted this long starts the pauses again from the first
# Failures that another attempt cannot cure: the token, the intents, or Discord closing us for good.
FATAL = (ConfigError, discord.LoginFailure, discord.PrivilegedIntentsRequired, discord.ConnectionClosed)
WHOLE = "whole"  # the key for "every connection", used while restarting


class GatewayHooks:
    """Client events that tell the adapter's keeper whether the gateway is up (mixed into the client)."""

    adapter: Any  # the DiscordAdapter, with its `gateway` keeper

    async def on_ready(self) -> None:
        self.adapter.gateway.ready()

    async def on_resumed(self) -> None:
        self.adapter.gateway.connected(None)

    async def on_disconnect(self) -> None:
        if not isinstance(self, discord.AutoShardedClient):  # shards report on their own below
            self.adapter.gateway.disconnected(None)

    async def on_shard_ready(self, shard_id: int) -> None:
        self.adapter.gateway.connected(shard_id)

    async def on_shard_resumed(self, shard_id: int) -> None:
        self.adapter.gateway.connected(shard_id)

    async def on_shard_disconnect(self, shard_id: int) -> None:
        self.adapter.gateway.disconnected(shard_id)


# Without these the connection is of no use: let it end, and the keeper start a new one.
NEEDED_EVENTS = frozenset({"READY", "RESUMED"})


def drop_unreadable_events(client: discord.Client) -> None:
    """Wrap discord.py's event parsers so one raising on a malformed event drops that event,
    with one log line, instead of ending the connection."""
    parsers: dict[str, Callable[[Any], None]] = client._connection.parsers
    for event, parse in list(parsers.items()):
        if event not in NEEDED_EVENTS:
            parsers[event] = _dropping(event, parse)


def _dropping(event: str, parse: Callable[[Any], None]) -> Callable[[Any], None]:
    def parse_or_drop(data: Any) -> None:
        try:
            parse(data)
        except Exception as exc:  # noqa: BLE001 - one event Discord sent malformed, not the connection
            log.warning("dropped a Discord %s event it could not read (%s)", event, _where(exc))

    return parse_or_drop


class GatewayKeeper:
    def __init__(
        self,
        client: discord.Client,
        connect: Callable[[], Awaitable[None]],
        log_in: Callable[[], Awaitable[None]],
        *,
        first_pause: float = FIRST_PAUSE_SECONDS,
        longest_pause: float = LONGEST_PAUSE_SECONDS,
    ) -> None:
        self.client = client
        drop_unreadable_events(client)
        self._connect = connect
        self._log_in = log_in
        self.first_pause = first_pause
        self.longest_pause = longest_pause
        self.restarts = 0
        self.stopping = False
        self._down: set[int | str | None] = set()  # shard ids (None: the single connection) not up

    # --- what the gateway tells us ----------------------------------------------------------

    @property
    def up(self) -> bool:
        return not self._down

    def disconnected(self, shard_id: int | None = None) -> None:
        self._down.add(shard_id)

    def connected(self, shard_id: int | None = None) -> None:
        self._down.discard(shard_id)

    def ready(self) -> None:
        """READY for the whole client: every connection is up again."""
        self._down.clear()

    # --- keeping it running -----------------------------------------------------------------

    async def run(self) -> None:
        """Connect, and connect again whenever discord.py gives up on an event it could not read.
        Returns when the client is closed; raises what no new attempt can cure."""
        pause = self.first_pause
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            try:
                await self._connect()
            except FATAL:
                raise
            except Exception as exc:  # noqa: BLE001 - any other failure ends only this connection
                if self.stopping:
                    return
                failure: BaseException | None = exc
            else:
                if self.stopping or self.client.is_closed():
                    return
                failure = None
            if loop.time() - started > STEADY_SECONDS:
                pause = self.first_pause
            self._down.add(WHOLE)
            self.restarts += 1
            log.error("the Discord connection stopped (%s); connecting again in %.0f s", _describe(failure), pause)
            try:
                await self._reset()
            except FATAL:
                raise
            except Exception as exc:  # noqa: BLE001 - e.g. Discord unreachable: the next round tries again
                log.warning("could not prepare a new Discord connection (%s)", type(exc).__name__)
            await asyncio.sleep(pause)
            pause = min(pause * 2, self.longest_pause)

    async def _reset(self) -> None:
        """Drop what is left of the old connection so `connect()` starts from a fresh IDENTIFY."""
        ws = getattr(self.client, "ws", None)
        if ws is not None and getattr(ws, "open", False):
            try:
                await ws.close(code=1000)
            except Exception:  # noqa: BLE001 - it is being thrown away
                log.debug("could not close the old Discord websocket", exc_info=True)
        if self.client.is_closed():
            # A sharded client closes itself when a shard fails: open it again and log in. Closing
            # also closed its HTTP connector, which discord.py only replaces when there is none.
            http = self.client.http
            if getattr(http.connector, "closed", False):
                http.connector = discord.utils.MISSING
            self.client.clear()
            await self._log_in()


def _describe(failure: BaseException | None) -> str:
    """The kind of failure and where discord.py raised it; never its message, which may quote the event."""
    if failure is None:
        return "the connection ended without an error"
    return f"an event it could not read: {_where(failure)}"


def _where(failure: BaseException) -> str:
    """The exception's kind and the line that raised it, never its message (which may quote the event)."""
    frames = traceback.extract_tb(failure.__traceback__)
    where = f" in {Path(frames[-1].filename).name}:{frames[-1].lineno} {frames[-1].name}" if frames else ""
    return f"{type(failure).__name__}{where}"
