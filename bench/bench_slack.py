"""A signed slash command's round trip through the Slack adapter's HTTP endpoint, against a
bare slack-bolt AsyncApp that acknowledges the same request with a fixed text.

- Both apps are real AsyncApps served by aiohttp on 127.0.0.1 and both verify the signature;
  both use a real AsyncWebClient pointed at a local fake Web API (it answers auth.test once).
- The adapter runs as `sgbot run` builds it (work after the acknowledgement in the background)
  and answers for real: /help rendered to Block Kit in the acknowledgement, from the full
  registry, the default pack and a SQLite database.
- The baseline is the fastest acknowledgement Bolt gives: the bare app with
  process_before_response, so nothing waits for Bolt's 10 ms check for the ack. The bare app in
  Bolt's default mode is measured too, for context.
- /threshold neglect does real work (guidance matching, and a usage count written to the
  database, whose time on a busy disk swamps everything else). Its handling is timed inside
  each request, so the adapter's own share of the round trip (the round trip minus that
  request's handling) can be set against the bare acknowledgement too.
- The client is aiohttp with keep-alive, one request at a time. Each comparison alternates its
  two sides, request by request, so both see the same machine; comparisons run one after
  another, so neither side pays for the other comparisons' work. Signatures are computed before
  the clock starts.

Targets: ratio <= 1.5 and p99 <= 20 ms for /help; ratio <= 1.5 for the adapter's share of /threshold.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import logging
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from bench import Figure, latency_pair, percentile
from bot.adapters.slack.adapter import EVENTS_PATH, SlackAdapter
from bot.runtime import Runtime
from core.config import Settings
from tests.fake_slack import FakeSlack, payload

SECRET = "bench-signing-secret-0123456789ab"
WARMUP = 50
ROUNDS = 1000
TARGET_RATIO = 1.5
TARGET_P99_MS = 20.0


async def _serve_bare(fake: FakeSlack, *, process_before_response: bool) -> web.AppRunner:
    bare = AsyncApp(client=fake.client(), signing_secret=SECRET, process_before_response=process_before_response)

    @bare.command("/help")
    async def fixed(ack):  # type: ignore[no-untyped-def]
        await ack("Fixed text.")

    runner = web.AppRunner(bare.web_app(path=EVENTS_PATH), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner


def _url(runner: web.AppRunner) -> str:
    return f"http://127.0.0.1:{runner.addresses[0][1]}{EVENTS_PATH}"


Measure = Callable[[aiohttp.ClientSession], Awaitable[float]]


def _signed(body: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body) or "",
    }


_TRIGGERS = itertools.count(1)


def _command(command: str, text: str) -> str:
    """A slash command's body with its own trigger_id, as each use has on Slack (the adapter refuses
    one received twice byte for byte as a replay)."""
    return urlencode(payload("slash_command", command=command, text=text, trigger_id=f"1.2.{next(_TRIGGERS)}"))


async def _round_trip(session: aiohttp.ClientSession, url: str, body: str) -> float:
    headers = _signed(body)
    started = time.perf_counter()
    async with session.post(url, data=body.encode(), headers=headers) as response:
        text = await response.text()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200 or not text:
        raise RuntimeError(f"unexpected answer {response.status}: {text[:200]}")
    return elapsed


class TimedDispatcher:
    """Wraps the dispatcher to note how long the last request's handling took."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.last_ms = 0.0

    async def handle(self, request: Any) -> Any:
        started = time.perf_counter()
        try:
            return await self.inner.handle(request)
        finally:
            self.last_ms = (time.perf_counter() - started) * 1000


async def _measure(folder: Path) -> dict[str, list[float]]:
    with FakeSlack() as fake:
        values: dict[str, Any] = {
            "data_dir": folder,
            "slack_bot_token": "xoxb-bench-token",
            "slack_signing_secret": SECRET,
            "survey_secret": "bench-key-Lw6Ra9Fj3Xt5Nk2Qp",
        }
        settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
        runtime = await Runtime.create(settings)
        adapter = SlackAdapter(runtime, client=fake.client(), http_host="127.0.0.1", http_port=0)
        timed_dispatcher = TimedDispatcher(runtime.dispatcher)
        adapter.dispatcher = timed_dispatcher  # type: ignore[assignment]
        await adapter.start()
        bare_fast = await _serve_bare(fake, process_before_response=True)
        bare_default = await _serve_bare(fake, process_before_response=False)

        async def threshold_share(session: aiohttp.ClientSession) -> float:
            round_trip = await _round_trip(session, adapter.events_url, _command("/threshold", "neglect"))
            samples["threshold handling"].append(timed_dispatcher.last_ms)
            return round_trip - timed_dispatcher.last_ms

        bare = lambda session: _round_trip(session, _url(bare_fast), _command("/help", ""))  # noqa: E731
        # Each comparison alternates its two sides only, so neither pays for the other's work.
        phases: dict[str, dict[str, Measure]] = {
            "help": {
                "bare": bare,
                "help": lambda session: _round_trip(session, adapter.events_url, _command("/help", "")),
            },
            "threshold": {"bare for threshold": bare, "threshold share": threshold_share},
            "default": {
                "bare for default": bare,
                "bare default": lambda session: _round_trip(session, _url(bare_default), _command("/help", "")),
            },
        }
        samples: dict[str, list[float]] = {"threshold handling": []}
        try:
            async with aiohttp.ClientSession() as session:
                for timed in phases.values():
                    for _ in range(WARMUP):
                        for measure in timed.values():
                            await measure(session)
                    if "threshold share" in timed:
                        samples["threshold handling"].clear()  # keep only the timed rounds
                    gc.collect()
                    for name in timed:
                        samples[name] = []
                    for _ in range(ROUNDS):
                        for name, measure in timed.items():
                            samples[name].append(await measure(session))
        finally:
            await bare_fast.cleanup()
            await bare_default.cleanup()
            await adapter.stop()
            await runtime.ctx.db.dispose()
        return samples


def _pair(name: str, samples: list[float], base: list[float], base_name: str, p99_limit: float | None) -> list[Figure]:
    return latency_pair(name, samples, base, base_name, ratio=TARGET_RATIO, p99_limit=p99_limit)


def run() -> list[Figure]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        samples = asyncio.run(_measure(Path(folder)))
    bare = "bare AsyncApp ack"
    figures = _pair("Slack /help round trip", samples["help"], samples["bare"], bare, TARGET_P99_MS)
    figures += _pair(
        "Slack /threshold neglect, adapter's share",
        samples["threshold share"],
        samples["bare for threshold"],
        bare,
        None,
    )
    handling = samples["threshold handling"]
    round_trips = [share + own for share, own in zip(samples["threshold share"], handling, strict=True)]
    figures.append(
        Figure(
            "Slack /threshold neglect round trip p50",
            percentile(round_trips, 50),
            "ms",
            percentile(handling, 50),
            "its handling alone",
            "none (context)",
            True,
        )
    )
    figures.append(
        Figure(
            "bare AsyncApp ack p50, Bolt's default mode",
            percentile(samples["bare default"], 50),
            "ms",
            percentile(samples["bare for default"], 50),
            bare,
            "none (context)",
            True,
        )
    )
    return figures
