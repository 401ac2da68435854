"""Child process for bench_runtime: `sgbot run` (mode "sgbot") or bare SDK clients (mode "bare"),
both pointed at local fakes. Not part of the product."""

from __future__ import annotations

import asyncio
import os
import sys

import discord
import yarl


def point_discord_at_fake() -> None:
    discord.http.Route.BASE = os.environ["BENCH_DISCORD_API"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["BENCH_DISCORD_GATEWAY"])


async def bare() -> None:
    """The same SDKs doing the least they can: a Bolt app serving HTTP, a discord.py client
    connected, and a /readyz that answers once both are up."""
    from aiohttp import web
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])
    runner = web.AppRunner(app.web_app(path="/slack/events"))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
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
