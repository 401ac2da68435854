"""Discord through discord.py 2.x, in the bot's one asyncio loop.

In:  slash commands (generated from the registry), button and select presses (`DynamicItem`s
     registered in `setup_hook`, so buttons work after a restart), modal submits (routed by
     the modal's custom_id, so a form opened before a restart still submits), and plain
     messages in threads when DISCORD_THREAD_REPLIES is on. Each becomes a `Request`.
Out: replies to interactions (ephemeral when the handler asks for privacy), and `send()` to a
     channel, a thread (created under its message when missing) or a direct message.
Rendering lives in `discord.render`; keeping the gateway connected (and /readyz honest) in
`discord.gateway`; answers for interactions nothing routes, and autocomplete, in `discord.unrouted`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, TypedDict

import aiohttp
import discord
from discord import app_commands

from bot.adapters.base import DeliveryError, is_edit, settle_prompt_removal
from bot.adapters.discord.gateway import FIRST_PAUSE_SECONDS, GatewayHooks, GatewayKeeper
from bot.adapters.discord.render import (
    DYNAMIC_ITEMS,
    DiscordMessage,
    ReopenFormButton,
    build_modal,
    clip,
    escape,
    modal_values,
    parse_form_id,
    plain,
    render,
)
from bot.adapters.discord.unrouted import Claims, accept, answer, answer_if_unclaimed, choices
from core.logs import new_error_id
from bot.runtime import Runtime
from core.config import ConfigError, Settings
from core.model import Form, Reply, Request, RequestKind, Target, Visibility
from core.registry import Registry

log = logging.getLogger("sgbot.discord")

DEFER_AFTER_SECONDS = 2.0  # Discord wants a first answer within 3 seconds
READY_TIMEOUT_SECONDS = 60.0
MAX_RATE_LIMIT_WAIT = 30.0  # longer waits go back to the outbox instead of holding a worker
THREAD_NAME = 100
REMEMBERED_FORMS = 1000
FORM_MEMORY_SECONDS = 30 * 60  # what someone typed into a form is not kept longer than this
THREAD_ALREADY_EXISTS = 160004

# The least the bot needs in a channel: read it, post, embed, attach, thread, reply in threads.
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
)
SCOPES = ("bot", "applications.commands")


def invite_url(application_id: int, guild_id: int | None = None) -> str:
    guild = discord.Object(guild_id) if guild_id else discord.utils.MISSING
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=SCOPES, guild=guild)


def make_intents(*, thread_replies: bool) -> discord.Intents:
    """Guilds (roles, channels, threads); guild messages and their content only for thread replies."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = thread_replies
    intents.message_content = thread_replies  # privileged: switch it on in the Developer Portal
    return intents


class _Hooks(GatewayHooks):
    adapter: DiscordAdapter

    async def setup_hook(self) -> None:
        self.add_dynamic_items(*DYNAMIC_ITEMS)  # type: ignore[attr-defined]

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.modal_submit:
            await self.adapter.on_form_submit(interaction)
        else:
            await answer_if_unclaimed(interaction, self.adapter.claims)

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.on_message(message)


class _Client(_Hooks, discord.Client):
    pass


class _ShardedClient(_Hooks, discord.AutoShardedClient):
    pass


GUILD_READY_SECONDS = 0.5


def build_client(settings: Settings, **options: Any) -> discord.Client:
    """`AutoShardedClient` when DISCORD_SHARDS is "auto" or a number, else one connection."""
    options = {
        "intents": make_intents(thread_replies=settings.discord_thread_replies),
        "allowed_mentions": discord.AllowedMentions.none(),  # nothing the bot posts can ping
        "max_ratelimit_timeout": MAX_RATE_LIMIT_WAIT,
        "chunk_guilds_at_startup": False,
        "member_cache_flags": discord.MemberCacheFlags.none(),
        # discord.py waits this long after the last server arrives before it calls itself ready
        # (default 2 s). Commands work before then; servers arriving later still fill the cache.
        "guild_ready_timeout": GUILD_READY_SECONDS,
        **options,
    }
    # The bot never joins voice, so discord.py's warnings about missing voice libraries are noise.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    shards = settings.discord_shards.strip().lower()
    if not shards:
        return _Client(**options)
    if shards == "auto":
        return _ShardedClient(**options)
    if shards.isdigit() and int(shards) > 0:
        return _ShardedClient(shard_count=int(shards), **options)
    raise ConfigError(f"DISCORD_SHARDS is {shards!r}: leave it empty, or set it to auto or a number of shards.")


class _Tree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
            # Discord still shows a command we no longer have in this form: let the dispatcher answer.
            await self.client.adapter.on_stale_command(interaction)  # type: ignore[attr-defined]
            return
        log.error("a Discord app command failed", exc_info=error)
        await answer(interaction, "Sorry, that command could not run just now. Please try again in a moment.")


def app_commands_for(registry: Registry) -> list[app_commands.Command[Any, ..., Any]]:
    """One slash command per public command; an optional "text" option when it takes arguments."""
    return [_app_command(spec.name, spec.help, spec.usage) for spec in registry.public_commands()]


def _app_command(name: str, help_line: str, usage: str) -> app_commands.Command[Any, ..., Any]:
    if usage:

        async def with_text(interaction: discord.Interaction, text: str | None = None) -> None:
            await interaction.client.adapter.on_command(interaction, name, text or "")  # type: ignore[attr-defined]

        async def suggest(interaction: discord.Interaction, typed: str) -> list[app_commands.Choice[str]]:
            return interaction.client.adapter.suggest(interaction, name, typed)  # type: ignore[attr-defined, no-any-return]

        callback: Any = app_commands.autocomplete(text=suggest)(
            app_commands.describe(text=clip(plain(usage), 100))(with_text)
        )
    else:

        async def without_text(interaction: discord.Interaction) -> None:
            await interaction.client.adapter.on_command(interaction, name, "")  # type: ignore[attr-defined]

        callback = without_text
    return app_commands.Command(
        name=name,
        description=clip(plain(help_line), 100),
        callback=callback,
        allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=False),
        allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
    )


def _signature(commands: list[Any]) -> list[tuple[Any, ...]]:
    """What matters of a command list, comparable between ours and Discord's."""
    rows = []
    for command in commands:
        params = getattr(command, "parameters", None)
        if params is None:
            params = getattr(command, "options", [])
        options = tuple((p.name, p.description, p.required, bool(p.autocomplete)) for p in params)
        rows.append((command.name, command.description, options))
    return sorted(rows)


async def login(client: discord.Client, settings: Settings) -> None:
    """Log in over HTTP only: enough to post and to register commands; runs `setup_hook`."""
    token = settings.discord_token
    if token is None:
        raise ConfigError('DISCORD_TOKEN is not set. Add the bot\'s token to .env (see "Connect to Discord").')
    try:
        await client.login(token.get_secret_value())
    except discord.LoginFailure:
        raise ConfigError(
            "Discord did not accept DISCORD_TOKEN. Copy the bot's token again from the Developer "
            "Portal (Bot, Reset Token) into .env."
        ) from None
    except (aiohttp.ClientError, OSError) as exc:
        raise ConfigError(
            f"Could not reach Discord ({type(exc).__name__}). Check the network, then try again."
        ) from None


def guild_of(settings: Settings) -> discord.Object | None:
    return discord.Object(settings.discord_guild_id) if settings.discord_guild_id else None


async def sync_app_commands(settings: Settings, registry: Registry) -> list[str]:
    """Register the registry's slash commands with Discord, replacing what was there: in
    DISCORD_GUILD_ID when set (instant), otherwise globally (Discord may take up to an hour)."""
    client = build_client(settings)
    tree = app_commands.CommandTree(client)
    guild = guild_of(settings)
    for command in app_commands_for(registry):
        tree.add_command(command, guild=guild)
    try:
        await login(client, settings)
        synced = await tree.sync(guild=guild)
    except discord.HTTPException as exc:
        raise ConfigError(f"Discord refused the commands ({exc.status}: {exc.text}).") from None
    finally:
        await client.close()
    return [command.name for command in synced]


async def application_id(settings: Settings) -> int:
    client = build_client(settings)
    try:
        await login(client, settings)
        assert client.application_id is not None
        return client.application_id
    finally:
        await client.close()


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

    def __init__(
        self,
        runtime: Runtime,
        *,
        defer_after: float = DEFER_AFTER_SECONDS,
        ready_timeout: float = READY_TIMEOUT_SECONDS,
        sync_on_start: bool = True,
        reconnect_pause: float = FIRST_PAUSE_SECONDS,
        **client_options: Any,
    ) -> None:
        self.runtime = runtime
        self.settings = runtime.ctx.settings
        if self.settings.discord_token is None:
            raise ConfigError("DISCORD_TOKEN is not set.")
        self.defer_after = defer_after
        self.ready_timeout = ready_timeout
        self.sync_on_start = sync_on_start
        self.client = build_client(self.settings, **client_options)
        self.client.adapter = self  # type: ignore[attr-defined]
        self.tree = _Tree(self.client)
        self.guild = guild_of(self.settings)
        for command in app_commands_for(runtime.ctx.registry):
            self.tree.add_command(command, guild=self.guild)
        self._gateway: asyncio.Task[None] | None = None
        self.gateway = GatewayKeeper(self.client, self._connect, self.login, first_pause=reconnect_pause)
        self.claims = Claims()
        self._forms: OrderedDict[str, _OpenForm] = OrderedDict()
        self._thread_parents: OrderedDict[int, int | None] = OrderedDict()

    # --- lifecycle --------------------------------------------------------------------------

    async def login(self) -> None:
        """Log in over HTTP (runs `setup_hook`); enough to send and to sync commands."""
        await login(self.client, self.settings)

    async def start(self) -> None:
        try:
            await self.login()
            if self.sync_on_start:
                await self._sync_if_changed()
            self._gateway = asyncio.create_task(self.gateway.run(), name="discord-gateway")
            ready = asyncio.create_task(self.client.wait_until_ready())
            done, _ = await asyncio.wait(
                {ready, self._gateway}, timeout=self.ready_timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if ready not in done:
                ready.cancel()
            if self._gateway in done:
                self._gateway.result()  # the gateway stopped: raise why
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

    async def _connect(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired:
            raise ConfigError(
                'Discord refused the message content intent. Switch on "Message Content Intent" for the '
                "bot in the Developer Portal, or unset DISCORD_THREAD_REPLIES."
            ) from None

    async def stop(self) -> None:
        self.gateway.stopping = True
        await self.client.close()
        if self._gateway is not None:
            self._gateway.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._gateway
            self._gateway = None

    def is_connected(self) -> bool:
        return self.client.is_ready() and not self.client.is_closed() and self.gateway.up

    async def sync_commands(self, *, only_if_changed: bool = False) -> list[str] | None:
        """Register the slash commands (see `sync_app_commands`); None when Discord already had them."""
        if only_if_changed:
            current = await self.tree.fetch_commands(guild=self.guild)
            if _signature(current) == _signature(self.tree.get_commands(guild=self.guild)):
                return None
        synced = await self.tree.sync(guild=self.guild)
        return [command.name for command in synced]

    # --- incoming ---------------------------------------------------------------------------

    def _who(self, user: discord.User | discord.Member) -> dict[str, Any]:
        """The person, with bot roles from settings and from their server roles (by name or id)."""
        groups: list[str] = []
        if isinstance(user, discord.Member):
            for role in user.roles:
                groups += [role.name, str(role.id)]
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

    async def on_command(self, interaction: discord.Interaction, name: str, text: str) -> None:
        if not await accept(interaction, self.claims):
            return
        await self._answer(interaction, self._request(interaction, RequestKind.COMMAND, command=name, text=text))

    async def on_stale_command(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.autocomplete:
            self.claims.add(interaction)
            await answer(interaction)  # no choices for a command we no longer have
            return
        if not await accept(interaction, self.claims):
            return
        data: dict[str, Any] = dict(interaction.data or {})
        text = next((str(o.get("value", "")) for o in data.get("options", []) if o.get("name") == "text"), "")
        request = self._request(interaction, RequestKind.COMMAND, command=str(data.get("name", "")), text=text)
        await self._answer(interaction, request)

    async def on_component(self, interaction: discord.Interaction, action_id: str, value: Any) -> None:
        if not await accept(interaction, self.claims):
            return
        message_id = str(interaction.message.id) if interaction.message else None
        request = self._request(
            interaction, RequestKind.ACTION, action_id=action_id, value=value, message_id=message_id
        )
        await self._answer(interaction, request)

    async def on_form_submit(self, interaction: discord.Interaction) -> None:
        if not await accept(interaction, self.claims):
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
        if not await accept(interaction, self.claims):
            return
        remembered = self._forms.get(token)
        if remembered is None or remembered.user_id != str(interaction.user.id) or remembered.expired():
            await interaction.response.send_message(
                "That form has expired. Run the command again to start a new one.", ephemeral=True
            )
            return
        await interaction.response.send_modal(build_modal(remembered.form, remembered.values))

    async def on_message(self, message: discord.Message) -> None:
        if not self.settings.discord_thread_replies or message.author.bot or message.guild is None:
            return
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
        for reply in outcome.replies:
            try:
                reply = await settle_prompt_removal(reply, lambda: self._remove(message))
                await self._reply_to_message(message, reply)
            except (discord.HTTPException, DeliveryError) as exc:
                log.warning("could not answer a thread message: %s", getattr(exc, "reason", None) or exc)

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

    async def _reply_to_message(self, message: discord.Message, reply: Reply) -> None:
        if reply.target.kind != "respond":
            await self.send(reply.target, reply)
            return
        if reply.visibility is Visibility.EPHEMERAL:
            # A thread has no private replies: tell the person directly, in the thread only if they block DMs.
            try:
                await self.send(Target(kind="direct", user_id=str(message.author.id)), reply)
                return
            except DeliveryError:
                pass
        for part in render(reply, announce_role_id=self.settings.discord_announce_role_id):
            await message.channel.send(**part.send_kwargs())

    # --- answering interactions -------------------------------------------------------------

    async def _answer(self, interaction: discord.Interaction, request: Request) -> None:
        responder = _Responder(self, interaction)
        work = asyncio.ensure_future(self.runtime.dispatcher.handle(request))
        try:
            outcome = await asyncio.wait_for(asyncio.shield(work), self.defer_after)
        except TimeoutError:
            await responder.defer()
            outcome = await work
        if outcome.duplicate:
            log.info("ignored a repeated Discord interaction %s", interaction.id)
            return
        try:
            if outcome.form_errors is not None:
                await responder.form_errors(request, outcome.form_errors)
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
        """Post to a channel, a thread (created under its message if need be) or a user; the
        first message's id. 429s are retried by discord.py; a final failure is a DeliveryError.

        With an outbox `key` each message carries a nonce made from it, which discord.py 2.7
        sends with enforce_nonce: Discord answers a repeat within a few minutes with the
        message it already has instead of posting again (so `redelivery` needs nothing more)."""
        messages = render(reply, announce_role_id=self.settings.discord_announce_role_id)
        try:
            if is_edit(target, reply):  # https://discord.com/developers/docs/resources/message#edit-message
                channel = self.client.get_partial_messageable(int(str(target.channel_id)))
                await channel.get_partial_message(int(str(target.thread_id))).edit(**messages[0].edit_kwargs())
                return str(target.thread_id)
            destination = await self._destination(target, reply)
            ids = [
                str((await destination.send(**m.send_kwargs(), **_nonce(key, n))).id) for n, m in enumerate(messages)
            ]
        except discord.RateLimited as exc:
            raise DeliveryError("Discord asked us to slow down", retry_after=exc.retry_after) from None
        except discord.HTTPException as exc:
            raise _delivery_error(exc) from None
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise DeliveryError(f"could not reach Discord ({type(exc).__name__})") from None
        return ids[0]

    async def _destination(self, target: Target, reply: Reply) -> discord.abc.Messageable:
        if target.kind == "direct":
            if not target.user_id:
                raise DeliveryError("a direct message needs a user id", permanent=True)
            return await self.client.create_dm(discord.Object(int(target.user_id)))
        if target.kind == "thread" and target.thread_id:
            return await self._thread(target, reply)
        if not target.channel_id:
            raise DeliveryError("no channel to post to", permanent=True)
        return self.client.get_partial_messageable(int(target.channel_id))

    async def _thread(self, target: Target, reply: Reply) -> discord.abc.Messageable:
        """On Discord a thread started from a message has that message's id as its channel id."""
        assert target.thread_id is not None
        thread_id = int(target.thread_id)
        cached = self.client.get_channel(thread_id)
        if cached is not None:
            return cached  # type: ignore[return-value]
        if not target.channel_id:
            return self.client.get_partial_messageable(thread_id)
        parent = self.client.get_channel(int(target.channel_id)) or await self.client.fetch_channel(
            int(target.channel_id)
        )
        if not isinstance(parent, discord.TextChannel):
            raise DeliveryError("threads can only be started in text or announcement channels", permanent=True)
        name = clip(plain(reply.fallback_text()), THREAD_NAME)
        try:
            return await parent.get_partial_message(thread_id).create_thread(name=name)
        except discord.HTTPException as exc:
            if exc.code != THREAD_ALREADY_EXISTS:
                raise
            return self.client.get_partial_messageable(thread_id)


class _Nonce(TypedDict, total=False):
    nonce: str


def _nonce(key: str | None, part: int) -> _Nonce:
    """A nonce from an outbox key and the message's place in the reply: Discord allows 25
    characters (https://discord.com/developers/docs/resources/message#create-message)."""
    if key is None:
        return {}
    return {"nonce": hashlib.sha256(f"{key}\n{part}".encode()).hexdigest()[:25]}


def _delivery_error(exc: discord.HTTPException) -> DeliveryError:
    reason = f"Discord answered {exc.status}" + (f" ({exc.code}: {exc.text})" if exc.text else "")
    if isinstance(exc, discord.Forbidden | discord.NotFound) or (400 <= exc.status < 500 and exc.status != 429):
        return DeliveryError(reason, permanent=True)  # missing access, gone, or a payload Discord refuses
    retry_after = None
    if exc.status == 429 and exc.response is not None:
        with contextlib.suppress(TypeError, ValueError):
            retry_after = float(exc.response.headers.get("Retry-After", ""))
    return DeliveryError(reason, retry_after=retry_after)


class _Responder:
    """Answers one interaction: the first message as the response, the rest as follow-ups."""

    def __init__(self, adapter: DiscordAdapter, interaction: discord.Interaction) -> None:
        self.adapter = adapter
        self.i = interaction
        self.is_component = interaction.type is discord.InteractionType.component
        self.thinking = False  # deferred with "thinking…", which the first private message replaces
        self.original_used = False

    async def defer(self) -> None:
        try:
            if self.is_component:
                await self.i.response.defer()  # acknowledged, nothing shown
            else:
                await self.i.response.defer(ephemeral=True, thinking=True)
                self.thinking = True
        except discord.HTTPException as exc:
            log.warning("could not defer a Discord interaction: %s", exc.status)

    async def deliver(self, replies: list[Reply]) -> None:
        for reply in replies:
            if reply.form is not None:
                await self.open_form(reply.form)
            elif reply.target.kind != "respond":
                await self.post_elsewhere(reply)
            else:
                await self.respond(reply)
        if not self.i.response.is_done():
            if self.is_component:
                await self.i.response.defer()
            else:
                await self.i.response.send_message("Done.", ephemeral=True)
        elif self.thinking and not self.original_used:
            await self.i.delete_original_response()

    async def respond(self, reply: Reply) -> None:
        ephemeral = reply.visibility is Visibility.EPHEMERAL
        messages = render(reply, announce_role_id=self.adapter.settings.discord_announce_role_id)
        for n, message in enumerate(messages):
            if n == 0 and reply.replace_original and self.is_component:
                if not self.i.response.is_done():
                    await self.i.response.edit_message(**message.edit_kwargs())
                else:
                    await self.i.edit_original_response(**message.edit_kwargs())
            elif not self.i.response.is_done():
                await self.i.response.send_message(**message.send_kwargs(), ephemeral=ephemeral)
            elif self.thinking and not self.original_used and ephemeral:
                await self.i.edit_original_response(**message.edit_kwargs())
                self.original_used = True
            elif self.thinking and not ephemeral:
                # After a private "thinking…" every follow-up would be private too: post in the channel.
                await self._channel().send(**message.send_kwargs())
            else:
                await self.i.followup.send(**message.send_kwargs(), ephemeral=ephemeral, wait=True)

    def _channel(self) -> discord.abc.Messageable:
        return self.adapter.client.get_partial_messageable(self.i.channel_id or 0)

    async def post_elsewhere(self, reply: Reply) -> None:
        try:
            await self.adapter.send(reply.target, reply)
        except DeliveryError as exc:
            log.warning("could not post a reply to its target: %s", exc.reason)
            await self.private(
                "I couldn't post that message where it should go (Discord said: "
                f"{escape(exc.reason)}). Check that the bot can see and post in that channel."
            )

    async def open_form(self, form: Form) -> None:
        user_id = str(self.i.user.id)
        if not self.i.response.is_done() and self.i.type is not discord.InteractionType.modal_submit:
            self.adapter.remember_form(user_id, form, {})
            await self.i.response.send_modal(build_modal(form))
            return
        # Discord opens a form only as the first answer to a command or a button: offer a button.
        token = self.adapter.remember_form(user_id, form, {})
        message = DiscordMessage(
            content=f"**{escape(plain(form.title))}**: press the button to fill in the form.",
            items=[ReopenFormButton(token, label="Open the form")],
        )
        await self._send_private(message)

    async def form_errors(self, request: Request, errors: dict[str, str]) -> None:
        """Discord cannot show errors inside a modal: list them, with a button to reopen it filled in."""
        form = self.adapter.form_for(request.action_id, request.value, request.user_id)
        labels = {f.id: f.label for f in form.fields} if form else {}
        lines = ["Nothing was saved yet. Please check:"]
        lines += [f"- **{escape(plain(labels.get(k, k)))}**: {escape(plain(v))}" for k, v in errors.items()]
        items: list[Any] = []
        if form is not None:
            token = self.adapter.remember_form(request.user_id, form, dict(request.form))
            items.append(ReopenFormButton(token))
        else:
            lines.append("Run the command again to fill in the form.")
        await self._send_private(DiscordMessage(content="\n".join(lines), items=items))

    async def private(self, text: str) -> None:
        await self._send_private(DiscordMessage(content=text))

    async def _send_private(self, message: DiscordMessage) -> None:
        if not self.i.response.is_done():
            await self.i.response.send_message(**message.send_kwargs(), ephemeral=True)
        elif self.thinking and not self.original_used:
            await self.i.edit_original_response(**message.edit_kwargs())
            self.original_used = True
        else:
            await self.i.followup.send(**message.send_kwargs(), ephemeral=True, wait=True)

    async def apologise(self, error_id: str) -> None:
        with contextlib.suppress(Exception):
            await self.private(
                f"Sorry, something went wrong on our side (error id {error_id}). Please try again; if it "
                "keeps happening, give that id to your partnership's business unit."
            )
