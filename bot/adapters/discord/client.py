"""The Discord client, its slash commands and logging in: what the adapter and `sgbot discord` share.

`build_client` makes one connection or an `AutoShardedClient`; `app_commands_for` turns the
registry's public commands into slash commands; `sync_app_commands`, `application_id` and
`invite_url` serve the `sgbot discord` commands without connecting to the gateway.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from discord import app_commands

from bot.adapters.discord.components import DYNAMIC_ITEMS
from bot.adapters.discord.gateway import GatewayHooks
from bot.adapters.discord.text import clip, plain
from bot.adapters.discord.unrouted import answer, answer_if_unclaimed
from core.config import ConfigError, Settings
from core.registry import Registry

if TYPE_CHECKING:
    from bot.adapters.discord.adapter import DiscordAdapter

log = logging.getLogger("sgbot.discord")

MAX_RATE_LIMIT_WAIT = 30.0  # longer waits go back to the outbox instead of holding a worker
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


class AdapterCommandTree(app_commands.CommandTree):
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
            # An older registration of the command, still held by Discord, may send a number or
            # true/false: it is what the person typed all the same.
            typed = "" if text is None else text if isinstance(text, str) else str(text).lower()
            await interaction.client.adapter.on_command(interaction, name, typed)  # type: ignore[attr-defined]

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


def command_signature(commands: list[Any]) -> list[tuple[Any, ...]]:
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
