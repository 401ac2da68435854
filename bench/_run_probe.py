"""Child process for bench_runtime and bench_teams: `sgbot run` (mode "sgbot"), or the bare SDKs
doing the least they can: Slack and Discord (mode "bare"), or those and Teams (mode "bare-teams"),
all pointed at local fakes. Not part of the product."""

from __future__ import annotations

import asyncio
import os
import sys

import discord
import yarl

BARE_GUILD_READY_SECONDS = 0.5  # bench_runtime checks it is sgbot's GUILD_READY_SECONDS


def point_discord_at_fake() -> None:
    discord.http.Route.BASE = os.environ["BENCH_DISCORD_API"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["BENCH_DISCORD_GATEWAY"])


async def start_bare_teams() -> None:
    """A Teams SDK app serving its messaging endpoint on the same aiohttp stack sgbot uses.
    Only `bot/adapters/teams/server.py` is loaded (with `core.config` and `core.lru`, about 1 MB):
    the package no longer imports its adapter, so the bare side holds none of sgbot's storage
    (SQLAlchemy) or handlers, which until 2026-12-04 put 23 MB and 0.5 s into this baseline."""
    from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
    from microsoft_teams.apps import App

    from bot.adapters.teams.server import AiohttpServer

    async def no_token(scope: str | list[str], tenant_id: str | None = None) -> str:
        return "unused"  # the bare app posts nothing while idle

    server = AiohttpServer()
    teams = App(
        client_id=os.environ["TEAMS_APP_ID"],
        tenant_id=os.environ["TEAMS_TENANT_ID"],
        token=no_token,
        http_server_adapter=server,
        messaging_endpoint="/api/messages",
        cloud=with_overrides(PUBLIC, openid_metadata_url=os.environ["TEAMS_OPENID_URL"]),
    )
    await teams.initialize()
    await server.start(0, "127.0.0.1")


async def bare(*, with_teams: bool = False) -> None:
    """A Bolt app serving HTTP, a discord.py client connected (and a Teams SDK app, if asked),
    and a /readyz that answers once all are up."""
    from aiohttp import web
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])
    runner = web.AppRunner(app.web_app(path="/slack/events"))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    if with_teams:
        await start_bare_teams()
    # sgbot's own client waits this long for guilds after READY (bot/adapters/discord/client.py);
    # discord.py's default is 2 s, which made the bare side 1.5 s slower than it need be
    bot = discord.Client(intents=discord.Intents.none(), guild_ready_timeout=BARE_GUILD_READY_SECONDS)
    await bot.login(os.environ["DISCORD_TOKEN"])
    connection = asyncio.get_running_loop().create_task(bot.connect())
    await bot.wait_until_ready()

    async def ready(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ready"})

    health = web.Application()
    health.router.add_get("/readyz", ready)
    health_runner = web.AppRunner(health)
    await health_runner.setup()
    await web.TCPSite(health_runner, "127.0.0.1", int(os.environ["METRICS_PORT"])).start()
    await connection


if __name__ == "__main__":
    point_discord_at_fake()
    if sys.argv[1] in ("bare", "bare-teams"):
        asyncio.run(bare(with_teams=sys.argv[1] == "bare-teams"))
    else:
        from bot.cli import main

        sys.argv = ["sgbot", "run"]
        main()
