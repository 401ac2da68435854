"""`sgbot discord`: register the slash commands, and print the link that adds the bot to a server."""

from __future__ import annotations

from typing import Annotated

import typer

from core.cli import fail, load_settings, run_async
from core.config import Settings

# The `sgbot` commands this module adds, read by bot/cli.py without importing it (one line, a literal).
CLI_COMMANDS = ("discord",)

discord_app = typer.Typer(name="discord", help="Discord: slash commands and the invite link.", no_args_is_help=True)
sub_app = discord_app  # added to `sgbot` by bot/cli.py


def _discord_settings() -> Settings:
    settings = load_settings()
    if not settings.discord_enabled:
        raise fail('DISCORD_TOKEN is not set. Put the bot\'s token in .env first (see "Connect to Discord").')
    return settings


@discord_app.command("sync")
def sync() -> None:
    """Register the slash commands now: in DISCORD_GUILD_ID at once, or globally (up to an hour)."""
    from bot.adapters.discord.client import sync_app_commands
    from bot.runtime import load_registry

    settings = _discord_settings()
    names = run_async(lambda: sync_app_commands(settings, load_registry()))
    where = f"in server {settings.discord_guild_id}" if settings.discord_guild_id else "globally"
    typer.echo(f"Registered {len(names)} slash commands {where}: {', '.join('/' + n for n in sorted(names))}.")
    if not settings.discord_guild_id:
        typer.echo("Discord can take up to an hour to show global commands everywhere.")


@discord_app.command("invite")
def invite(
    guild: Annotated[
        int | None,
        typer.Option("--guild", metavar="SERVER_ID", help="Preselect this server (default: DISCORD_GUILD_ID)."),
    ] = None,
) -> None:
    """Print the link that adds the bot to a server, with the scopes and the few permissions it needs."""
    from bot.adapters.discord.client import application_id, invite_url

    settings = _discord_settings()
    app_id = run_async(lambda: application_id(settings))
    typer.echo(invite_url(app_id, guild or settings.discord_guild_id))
