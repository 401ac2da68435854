"""Child process for bench_teams' start-up and memory figures: `sgbot run` with Slack, Discord and
Teams (mode "sgbot"), or the three SDKs doing the least they can (mode "bare"), all pointed at
local fakes. Not part of the product."""

from __future__ import annotations

import asyncio
import os
import sys

from bench._run_probe import point_discord_at_fake


async def bare() -> None:
    """A Bolt app serving HTTP, a discord.py client connected and a Teams SDK app serving its
    messaging endpoint, all in one loop, and a /readyz that answers once all three are up."""
    import discord
    from aiohttp import web
    from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
    from microsoft_teams.apps import App
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.adapters.teams.server import AiohttpServer

    client = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    slack = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])
    runner = web.AppRunner(slack.web_app(path="/slack/events"))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()

    async def no_token(scope: str | list[str], tenant_id: str | None = None) -> str:
        return "unused"  # the bare app posts nothing while idle

    teams_server = AiohttpServer()
    teams = App(
        client_id=os.environ["TEAMS_APP_ID"],
        tenant_id=os.environ["TEAMS_TENANT_ID"],
        token=no_token,
        http_server_adapter=teams_server,
        messaging_endpoint="/api/messages",
        cloud=with_overrides(PUBLIC, openid_metadata_url=os.environ["TEAMS_OPENID_URL"]),
    )
    await teams.initialize()
    await teams_server.start(0, "127.0.0.1")

    bot = discord.Client(intents=discord.Intents.none())
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
    if sys.argv[1] == "bare":
        asyncio.run(bare())
    else:
        from bot.cli import main

        sys.argv = ["sgbot", "run"]
        main()
