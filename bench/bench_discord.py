"""Discord: how long from an interaction arriving to the bot's answer, against Discord's 3 seconds.

The real discord.py client runs against the local fake of Discord's REST API and gateway
(tests/discord_fake.py). One interaction at a time arrives as a gateway event; the time is
taken until the fake records the answer (POST /interactions/{id}/{token}/callback).

- `/help` (the product's registry; the dispatcher records the delivery id in SQLite, renders
  the answer into embeds) and a button press on a persistent button after it was posted.
- Baseline, same run, same fake: a bare discord.py client whose `on_interaction` answers at
  once with a fixed message (no dispatcher, no database, no rendering).

The adapter defers when a handler takes longer than 2 seconds, so the target is that the
ordinary path stays far below that: p99 under 250 ms on the loopback.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import discord
import yarl

from bench import Figure, median, percentile
from bot.adapters.discord.adapter import DiscordAdapter
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from core.model import Button, Buttons, Target, reply
from tests import discord_payloads as p
from tests.discord_fake import FakeDiscord

ROUNDS = 300
WARM_UP = 20
TARGET_P99_MS = 250.0


class _Bare(discord.Client):
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok", ephemeral=True)


async def _time(fake: FakeDiscord, make: Callable[[], dict[str, Any]]) -> list[float]:
    samples = []
    for n in range(WARM_UP + ROUNDS):
        payload = make()
        started = time.perf_counter()
        await fake.dispatch("INTERACTION_CREATE", payload)
        await fake.wait_for(lambda payload=payload: fake.callbacks(payload["id"]))  # type: ignore[misc]
        if n >= WARM_UP:
            samples.append((time.perf_counter() - started) * 1000)
    return samples


async def _measure() -> dict[str, list[float]]:
    fake = FakeDiscord()
    await fake.start()
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    results: dict[str, list[float]] = {}
    try:
        bare = _Bare(intents=discord.Intents.none(), guild_ready_timeout=0.05)
        await bare.login("bench-token-0123456789")
        connection = asyncio.create_task(bare.connect())
        await bare.wait_until_ready()
        results["bare"] = await _time(fake, lambda: p.slash_command("help"))
        await bare.close()
        await connection

        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(  # type: ignore[call-arg]
                _env_file=None,
                data_dir=Path(folder),
                survey_secret="bench-key-Lw6Ra9Fj3Xt5Nk2Qp",
                discord_token="bench-token-0123456789",
                discord_guild_id=p.GUILD_ID,
            )
            runtime = await Runtime.create(settings, clock=FrozenClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)))
            adapter = DiscordAdapter(runtime, ready_timeout=10, guild_ready_timeout=0.05)
            await adapter.start()
            try:
                results["help"] = await _time(fake, lambda: p.slash_command("help"))
                posted = await _post_button(adapter, fake)
                results["button"] = await _time(fake, lambda: p.button_press(posted, "bench:noop|x"))
            finally:
                await adapter.stop()
                await runtime.ctx.db.dispose()
    finally:
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved
        await fake.close()
    return results


async def _post_button(adapter: DiscordAdapter, fake: FakeDiscord) -> dict[str, Any]:
    """A message with one persistent button whose action is unknown: the dispatcher refuses it
    with a sentence, which is still the whole path (parse, dedupe, route, render, answer)."""
    message_id = await adapter.send(
        Target(kind="channel", channel_id=str(p.CHANNEL_ID)),
        reply("Bench", Buttons(buttons=[Button(label="Press", action_id="bench:noop", value="x")]), public=True),
    )
    return fake.messages[message_id]


def run() -> list[Figure]:
    logging.getLogger("discord").setLevel(logging.WARNING)
    results = asyncio.run(_measure())
    bare_p50, bare_p99 = median(results["bare"]), percentile(results["bare"], 99)
    figures = []
    for key, label in (("help", "/help"), ("button", "button press")):
        p50, p99 = median(results[key]), percentile(results[key], 99)
        figures.append(
            Figure(f"Discord {label} answer p50", p50, "ms", bare_p50, "bare discord.py answer", "report", True)
        )
        figures.append(
            Figure(
                f"Discord {label} answer p99",
                p99,
                "ms",
                bare_p99,
                "bare discord.py answer",
                f"<= {TARGET_P99_MS:.0f} ms (Discord allows 3 s)",
                p99 <= TARGET_P99_MS,
            )
        )
    return figures
