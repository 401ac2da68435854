"""Discord through discord.py 2.x, in the bot's one asyncio loop.

In:  slash commands (generated from the registry), button and select presses (`DynamicItem`s
     registered in `setup_hook`, so buttons work after a restart), modal submits (routed by
     the modal's custom_id, so a form opened before a restart still submits), and plain
     messages in threads when DISCORD_THREAD_REPLIES is on. Each becomes a `Request`.
Out: replies to interactions (ephemeral when the handler asks for privacy), and `send()` to a
     channel, a thread (created under its message when missing) or a direct message.
The client and slash commands live in `discord.client`; answering one interaction in
`discord.interactions`; posting in `discord.outbound`; rendering in `discord.render`; keeping
the gateway connected (and /readyz honest) in `discord.gateway`; answers for interactions
nothing routes, and autocomplete, in `discord.unrouted`.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from bot.adapters.base import DeliveryError, PlatformDescription, with_reply_hint
from bot.adapters.discord.client import (
    AdapterCommandTree,
    app_commands_for,
    command_signature,
    guild_of,
)
from bot.adapters.discord.components import parse_form_id
from bot.adapters.discord.early import DiscordConnection
from bot.adapters.discord.forms import build_modal, modal_values
from bot.adapters.discord.gateway import FIRST_PAUSE_SECONDS
from bot.adapters.discord.home import HomeServer
from bot.adapters.discord.interactions import Responder, ThreadAnswering
from bot.adapters.discord.outbound import DiscordPoster
from bot.adapters.discord.text import BUTTONS_PER_ROW, DESCRIPTION, EMBED_TOTAL, FIELDS, ROWS
from bot.adapters.discord.unrouted import Claims, accept, answer, choices
from bot.respond import FORM_EXPIRED, deliver, within
from bot.runtime import Runtime
from core.config import ConfigError
from core.logs import new_error_id
from core.model import Form, Reply, Request, RequestKind, Target

log = logging.getLogger("sgbot.discord")

DEFER_AFTER_SECONDS = 2.0  # Discord wants a first answer within 3 seconds
READY_TIMEOUT_SECONDS = 60.0
REMEMBERED_FORMS = 1000
FORM_MEMORY_SECONDS = 30 * 60  # what someone typed into a form is not kept longer than this


@dataclass(frozen=True)
class _OpenForm:
    user_id: str
    form: Form
    values: dict[str, str]
    expires: float  # time.monotonic()

    def expired(self) -> bool:
        return time.monotonic() > self.expires


class DiscordAdapter:
    """The Discord side of the bot: see the module docstring."""

    platform = "discord"
    description = PlatformDescription(
        name="discord",
        channel="<#{id}>",
        user="<@{id}>",
        roles_from="the settings, and the person's roles in DISCORD_GUILD_ID (by name or id)",
        private_answers=True,  # ephemeral answers to interactions; thread replies go to direct messages
        limits={
            "embed_description": DESCRIPTION,
            "embed_fields": FIELDS,
            "embed_total": EMBED_TOTAL,
            "rows": ROWS,
            "buttons_per_row": BUTTONS_PER_ROW,
        },
    )

    def __init__(
        self,
        runtime: Runtime,
        *,
        defer_after: float = DEFER_AFTER_SECONDS,
        ready_timeout: float = READY_TIMEOUT_SECONDS,
        sync_on_start: bool = True,
        reconnect_pause: float = FIRST_PAUSE_SECONDS,
        connection: DiscordConnection | None = None,
        **client_options: Any,
    ) -> None:
        """`connection`: one begun before the bot was assembled (`sgbot run`, see discord.early);
        without one, the adapter makes its own and connects in `start`."""
        self.runtime = runtime
        self.settings = runtime.ctx.settings
        if self.settings.discord_token is None:
            raise ConfigError("DISCORD_TOKEN is not set.")
        self.defer_after = defer_after
        self.ready_timeout = ready_timeout
        self.sync_on_start = sync_on_start
        if connection is None:
            connection = DiscordConnection(self.settings, reconnect_pause=reconnect_pause, **client_options)
        self.connection = connection
        self.client = connection.client
        self.gateway = connection.keeper
        self.tree = AdapterCommandTree(self.client)
        self.guild = guild_of(self.settings)
        self.home = HomeServer(runtime.ctx)
        for command in app_commands_for(runtime.ctx.registry):
            self.tree.add_command(command, guild=self.guild)
        self.claims = Claims()
        self._forms: OrderedDict[str, _OpenForm] = OrderedDict()
        self._thread_parents: OrderedDict[int, int | None] = OrderedDict()
        self.poster = DiscordPoster(self.client, self.settings)
        connection.attach(self)  # what arrived while the bot was assembled is handled now

    # --- lifecycle --------------------------------------------------------------------------

    async def login(self) -> None:
        """Log in over HTTP (runs `setup_hook`); enough to send and to sync commands."""
        await self.connection.login()

    async def start(self) -> None:
        self.home.warn_if_names_grant_nothing()
        try:
            self.connection.begin()  # already under way when `sgbot run` began it early
            assert self.connection.started is not None
            await self.connection.started  # logged in (or the sentence why not), the gateway task running
            gateway = self.connection.gateway
            assert gateway is not None
            if self.sync_on_start:
                await self._sync_if_changed()
            ready = asyncio.create_task(self.client.wait_until_ready())
            done, _ = await asyncio.wait(
                {ready, gateway}, timeout=self.ready_timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if ready not in done:
                ready.cancel()
            if gateway in done:
                gateway.result()  # the gateway stopped: raise why
                raise ConfigError("The Discord connection closed while starting. Check DISCORD_TOKEN and try again.")
            if ready not in done:
                log.warning("still connecting to the Discord gateway after %.0f s; carrying on", self.ready_timeout)
        except BaseException:
            await self.stop()
            raise

    async def _sync_if_changed(self) -> None:
        try:
            synced = await self.sync_commands(only_if_changed=True)
        except discord.HTTPException as exc:
            log.warning("could not sync the Discord commands (%s); run `sgbot discord sync` later", exc.status)
            return
        if synced is not None:
            log.info("registered %d Discord slash commands", len(synced))

    async def stop(self) -> None:
        await self.connection.close()

    def is_connected(self) -> bool:
        return self.client.is_ready() and not self.client.is_closed() and self.gateway.up

    async def sync_commands(self, *, only_if_changed: bool = False) -> list[str] | None:
        """Register the slash commands (see `sync_app_commands`); None when Discord already had them."""
        if only_if_changed:
            current = await self.tree.fetch_commands(guild=self.guild)
            if command_signature(current) == command_signature(self.tree.get_commands(guild=self.guild)):
                return None
        synced = await self.tree.sync(guild=self.guild)
        return [command.name for command in synced]

    # --- incoming ---------------------------------------------------------------------------

    def _who(self, user: discord.User | discord.Member) -> dict[str, Any]:
        """The person, with bot roles from settings and from their home server roles (see discord.home)."""
        groups = self.home.role_groups(user)
        roles = self.runtime.roles.roles_for(self.platform, str(user.id), platform_groups=groups)
        return {"platform": self.platform, "user_id": str(user.id), "user_name": user.display_name, "roles": roles}

    def _request(self, interaction: discord.Interaction, kind: RequestKind, **fields: Any) -> Request:
        channel = interaction.channel
        channel_id, thread_id = str(interaction.channel_id or ""), None
        if isinstance(channel, discord.Thread):
            channel_id, thread_id = str(channel.parent_id), str(channel.id)
        return Request(
            kind=kind,
            channel_id=channel_id,
            thread_id=thread_id,
            is_direct=interaction.guild_id is None,
            delivery_id=f"discord:{interaction.id}",
            **self._who(interaction.user),
            **fields,
        )

    def suggest(self, interaction: discord.Interaction, command: str, typed: str) -> list[app_commands.Choice[str]]:
        """Autocomplete for a command's text, from the registry (see discord.unrouted.choices)."""
        self.claims.add(interaction)
        return choices(self.runtime.ctx.registry, command, typed, self.runtime.ctx.pack)

    async def _accept(self, interaction: discord.Interaction) -> bool:
        """Claim the interaction; False (and it is answered) when it is from another server or
        Discord did not say who sent it."""
        self.claims.add(interaction)
        if not self.home.serves(interaction):
            await self.home.refuse(interaction)
            return False
        return await accept(interaction, self.claims)

    async def on_command(self, interaction: discord.Interaction, name: str, text: str) -> None:
        if not await self._accept(interaction):
            return
        await self._answer(interaction, self._request(interaction, RequestKind.COMMAND, command=name, text=text))

    async def on_stale_command(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.autocomplete:
            self.claims.add(interaction)
            await answer(interaction)  # no choices for a command we no longer have
            return
        if not await self._accept(interaction):
            return
        data: dict[str, Any] = dict(interaction.data or {})
        text = next((str(o.get("value", "")) for o in data.get("options", []) if o.get("name") == "text"), "")
        request = self._request(interaction, RequestKind.COMMAND, command=str(data.get("name", "")), text=text)
        await self._answer(interaction, request)

    async def on_component(self, interaction: discord.Interaction, action_id: str, value: Any) -> None:
        if not await self._accept(interaction):
            return
        message_id = str(interaction.message.id) if interaction.message else None
        request = self._request(
            interaction, RequestKind.ACTION, action_id=action_id, value=value, message_id=message_id
        )
        await self._answer(interaction, request)

    async def on_form_submit(self, interaction: discord.Interaction) -> None:
        if not await self._accept(interaction):
            return
        data: dict[str, Any] = dict(interaction.data or {})
        parsed = parse_form_id(str(data.get("custom_id", "")))
        if parsed is None:
            log.info("answered a Discord form the bot did not make")
            await answer(interaction)
            return
        action_id, value = parsed
        message_id = str(interaction.message.id) if interaction.message else None
        form = modal_values(data)
        request = self._request(
            interaction, RequestKind.SUBMIT, action_id=action_id, value=value, form=form, message_id=message_id
        )
        await self._answer(interaction, request)

    async def on_reopen_form(self, interaction: discord.Interaction, token: str) -> None:
        if not await self._accept(interaction):
            return
        remembered = self._forms.get(token)
        if remembered is None or remembered.user_id != str(interaction.user.id) or remembered.expired():
            await interaction.response.send_message(FORM_EXPIRED, ephemeral=True)
            return
        await interaction.response.send_modal(build_modal(remembered.form, remembered.values))

    async def on_message(self, message: discord.Message) -> None:
        if not self.settings.discord_thread_replies or message.author.bot or message.guild is None:
            return
        if self.home.guild_id is not None and message.guild.id != self.home.guild_id:
            return  # another server: nothing there is the bot's
        parent = await self._thread_parent(message.channel)
        if parent is None:
            return  # not in a thread: the bot only listens in threads that a feature owns
        request = Request(
            kind=RequestKind.MESSAGE,
            channel_id=str(parent),
            thread_id=str(message.channel.id),
            message_id=str(message.id),
            text=message.content,
            delivery_id=f"discord:{message.id}",
            **self._who(message.author),
        )
        outcome = await self.runtime.dispatcher.handle(request)
        await deliver(
            outcome.replies,
            ThreadAnswering(self, message),
            remove_prompt=lambda: self._remove(message),
            failures=(discord.HTTPException, DeliveryError),
            failed=_could_not_answer_in_thread,
        )

    async def _remove(self, message: discord.Message) -> bool:
        """Delete a person's message, where the bot has been given Manage Messages in that channel."""
        me = message.guild.me if message.guild else None
        if me is None or not message.channel.permissions_for(me).manage_messages:
            return False
        await message.delete()
        return True

    async def _thread_parent(self, channel: Any) -> int | None:
        """The parent channel of a thread, or None when `channel` is not a thread."""
        if isinstance(channel, discord.Thread):
            return channel.parent_id
        if not isinstance(channel, discord.PartialMessageable):
            return None
        # Not in the cache (e.g. just after a reconnect): ask Discord once, remember the answer.
        if channel.id not in self._thread_parents:
            try:
                fetched = await self.client.fetch_channel(channel.id)
            except discord.HTTPException:
                return None
            self._remember(self._thread_parents, channel.id, getattr(fetched, "parent_id", None))
        return self._thread_parents[channel.id]

    # --- answering interactions -------------------------------------------------------------

    async def _answer(self, interaction: discord.Interaction, request: Request) -> None:
        responder = Responder(self, interaction)
        outcome = await within(self.runtime.dispatcher.handle(request), self.defer_after, responder.defer)
        if outcome.duplicate:
            log.info("ignored a repeated Discord interaction %s", interaction.id)
            return
        try:
            if outcome.form_errors is not None:
                form = self.form_for(request.action_id, request.value, request.user_id)
                await responder.show_form_errors(form, outcome.form_errors, dict(request.form))
            else:
                await responder.deliver(outcome.replies)
        except Exception:  # noqa: BLE001 - tell the person, keep the bot running
            error_id = new_error_id()
            log.exception("answering a Discord interaction failed (error %s)", error_id)
            await responder.apologise(error_id)

    def remember_form(self, user_id: str, form: Form, values: dict[str, str]) -> str:
        """Keep a form (and what was typed in it) in memory for a while, for "Open the form again"."""
        token = secrets.token_hex(8)
        self._remember(self._forms, token, _OpenForm(user_id, form, values, time.monotonic() + FORM_MEMORY_SECONDS))
        return token

    def form_for(self, action_id: str, value: str, user_id: str) -> Form | None:
        for open_form in reversed(self._forms.values()):
            if open_form.user_id == user_id and (open_form.form.action_id, open_form.form.value) == (action_id, value):
                return open_form.form
        return None

    @staticmethod
    def _remember(table: OrderedDict[Any, Any], key: Any, value: Any) -> None:
        table[key] = value
        table.move_to_end(key)
        while len(table) > REMEMBERED_FORMS:
            table.popitem(last=False)

    # --- outgoing ---------------------------------------------------------------------------

    async def send(self, target: Target, reply: Reply, *, key: str | None = None, redelivery: bool = False) -> str:
        """Post to a channel, a thread or a user, or edit the bot's own post: see `DiscordPoster.send`."""
        # Thread replies reach the bot only with the message content intent it asks for then.
        reply = with_reply_hint(reply, target.kind == "thread" and self.settings.discord_thread_replies)
        return await self.poster.send(target, reply, key=key, redelivery=redelivery)


def _could_not_answer_in_thread(exc: BaseException) -> None:
    log.warning("could not answer a thread message: %s", getattr(exc, "reason", None) or exc)
