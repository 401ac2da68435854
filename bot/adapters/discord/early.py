"""The Discord connection, which `sgbot run` begins before the rest of the bot is assembled.

Connecting is mostly waiting: logging in, the gateway's READY, then discord.py's wait for the
servers that follow it (GUILD_READY_SECONDS). Assembling the bot (its handlers, the content pack,
the database) is mostly work for the CPU. Begun first, the connection's waiting overlaps that
work instead of following it. Until the DiscordAdapter takes the connection over, the
interactions and messages Discord sends are held, not answered wrongly or lost, and are handled
the moment it does (well inside the 3 seconds Discord gives an interaction).

Only discord.py and the adapter's own small modules are imported here, so beginning costs no
more than a bare discord.py client does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import discord

from bot.adapters.discord.client import build_client, login
from bot.adapters.discord.gateway import FIRST_PAUSE_SECONDS, GatewayKeeper
from core.config import ConfigError, Settings

log = logging.getLogger("sgbot.discord")

# What a person sent; everything else (READY, servers, roles) discord.py applies at once.
HELD_EVENTS = ("INTERACTION_CREATE", "MESSAGE_CREATE")
MOST_HELD = 1000  # a bound on what waits, should assembling the bot take unusually long


class _Assembling:
    """The client's `adapter` until the DiscordAdapter takes over: the gateway hooks (on_ready,
    on_disconnect...) find the keeper here; what a person sent is held, never routed here."""

    def __init__(self, keeper: GatewayKeeper) -> None:
        self.gateway = keeper


class DiscordConnection:
    """A discord.py client, its gateway keeper, and the task that logs in and connects."""

    def __init__(
        self, settings: Settings, *, reconnect_pause: float = FIRST_PAUSE_SECONDS, **client_options: Any
    ) -> None:
        self.settings = settings
        self.client = build_client(settings, **client_options)
        self.keeper = GatewayKeeper(self.client, self.connect, self.login, first_pause=reconnect_pause)
        self.client.adapter = _Assembling(self.keeper)  # type: ignore[attr-defined]
        self._held: list[tuple[Callable[[Any], None], Any]] | None = []
        self._hold_until_attached()
        self.started: asyncio.Task[None] | None = None  # logged in, and the gateway task running
        self.gateway: asyncio.Task[None] | None = None

    # --- connecting ---------------------------------------------------------------------------

    def begin(self) -> None:
        """Log in and start connecting, in tasks of the running loop; `started` says how it went."""
        if self.started is None:
            self.started = asyncio.get_running_loop().create_task(self._log_in_and_connect())

    async def _log_in_and_connect(self) -> None:
        await self.login()
        self.gateway = asyncio.get_running_loop().create_task(self.keeper.run(), name="discord-gateway")

    async def login(self) -> None:
        """Log in over HTTP (runs `setup_hook`); enough to send and to sync commands."""
        await login(self.client, self.settings)

    async def connect(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired:
            raise ConfigError(
                'Discord refused the message content intent. Switch on "Message Content Intent" for the '
                "bot in the Developer Portal, or unset DISCORD_THREAD_REPLIES."
            ) from None

    async def close(self) -> None:
        self.keeper.stopping = True
        await self.client.close()
        for task in (self.started, self.gateway):
            if task is not None and not task.done():
                task.cancel()
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self.started = self.gateway = None

    # --- what arrives before the adapter --------------------------------------------------------

    def _hold_until_attached(self) -> None:
        parsers: dict[str, Callable[[Any], None]] = self.client._connection.parsers
        for event in HELD_EVENTS:
            parsers[event] = self._holding(parsers[event])

    def _holding(self, parse: Callable[[Any], None]) -> Callable[[Any], None]:
        def parse_or_hold(data: Any) -> None:
            if self._held is None:
                parse(data)
            elif len(self._held) < MOST_HELD:
                self._held.append((parse, data))
            else:
                log.warning("dropped a Discord event that came while the bot was starting: too many waiting")

        return parse_or_hold

    def attach(self, adapter: Any) -> None:
        """Hand the client to `adapter`, and handle what was held for it, in the order it came."""
        self.client.adapter = adapter  # type: ignore[attr-defined]
        held, self._held = self._held or [], None
        for parse, data in held:
            parse(data)
