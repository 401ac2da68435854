"""A Teams message's round trip through sgbot's Teams adapter (message in, card out), against a
bare Teams SDK app answering the same message with a fixed text.

- Both are real `microsoft_teams.apps.App`s served over HTTP on 127.0.0.1, both check every
  request's Bot Framework token (signed with the fake's test key, whose OpenID metadata and keys
  the fake serves), and both post their answer to the fake Bot Connector (tests/teams_fake.py)
  with a token from the fake's token endpoint. The fake runs in a thread of its own, as Microsoft's
  services would be elsewhere; it is the same for both sides.
- The round trip runs from sending the activity until the fake Bot Connector has recorded the
  answer and the bot has answered the HTTP request, whichever is later.
- sgbot runs as `sgbot run` builds it: the full registry, the default pack, a SQLite database,
  `help` in a personal chat answered with its Adaptive Card. The bare app is the SDK's smallest
  bot on the same aiohttp server sgbot uses (bot/adapters/teams/server.py), so the ratio is
  sgbot's own work: token check off the loop, delivery de-duplication, dispatch, rendering and
  the stored conversation reference. The bare app on the SDK's default FastAPI + uvicorn server
  is measured too, for context.
- `threshold neglect` does real work (guidance matching and a usage count); its handling is
  timed inside each request so the adapter's share can be set against the bare answer.
- One client with keep-alive, one request at a time; each comparison alternates its two sides
  request by request, so both see the same machine. Tokens and activities are made before the
  clock starts. Tokens signed in the same second are the same bytes, so sgbot finds most of them
  among the tokens it remembers (as with Teams, which sends one token with many activities); the
  bare app checks every one.

Start-up and idle memory: `sgbot run` with Slack, Discord and Teams against local fakes of all
three, measured as bench_runtime measures two platforms, against the three bare SDKs in one
process (bench/_run_probe.py, mode "bare-teams").

Targets: ratio <= 1.5 and p99 <= 20 ms for `help`; <= 2 s to ready and <= 120 MB idle with three
platforms.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp

from bench import Figure, latency_pair, percentile
from bench.bench_runtime import RUNS, free_port, measure
from bench.bench_slack import TimedDispatcher
from tests.teams_fake import APP_ID, APP_PASSWORD, TENANT_ID, FakeTeams, payload, sign

WARMUP = 50
ROUNDS = 1000
TARGET_RATIO = 1.5
TARGET_P99_MS = 20.0
FIXED_TEXT = "Fixed text."
PATH = "/api/messages"


class FakeInItsOwnThread:
    """The fake Bot Connector, token and OpenID endpoints on a loop and thread of their own."""

    def __init__(self) -> None:
        self.fake = FakeTeams()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-teams", daemon=True)

    def __enter__(self) -> FakeTeams:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.fake.start(), self._loop).result(30)
        return self.fake

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.stop(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)
        self._loop.close()


class FakeToken:
    """The bare app's outbound token: client credentials at the fake's token endpoint, kept."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.token: str | None = None

    async def __call__(self, scope: str | list[str], tenant_id: str | None = None) -> str:
        if self.token is None:
            form = {"grant_type": "client_credentials", "client_id": APP_ID, "client_secret": APP_PASSWORD}
            async with aiohttp.ClientSession() as session, session.post(self.url, data=form) as response:
                self.token = str((await response.json())["access_token"])
        return self.token


def _bare_app(fake: FakeTeams, server: Any) -> Any:
    from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
    from microsoft_teams.apps import App

    app = App(
        client_id=APP_ID,
        tenant_id=TENANT_ID,
        token=FakeToken(fake.token_url),
        http_server_adapter=server,
        messaging_endpoint=PATH,
        cloud=with_overrides(PUBLIC, openid_metadata_url=fake.openid_url),
        service_url=fake.url,
    )

    @app.on_message
    async def fixed(ctx: Any) -> None:
        await ctx.send(FIXED_TEXT)

    return app


async def _serve_bare_aiohttp(fake: FakeTeams) -> tuple[Any, str]:
    from bot.adapters.teams.server import AiohttpServer
    from bot.adapters.teams.service_urls import ServiceUrls

    # the fake Bot Connector is plain http on loopback, which the server refuses unless allowed
    server = AiohttpServer(service_urls=ServiceUrls(fake.settings()["teams_allow_service_hosts"]))
    app = _bare_app(fake, server)
    await app.initialize()
    await server.start(0, "127.0.0.1")
    return server, f"http://127.0.0.1:{server.port}{PATH}"


async def _serve_bare_fastapi(fake: FakeTeams) -> tuple[Any, asyncio.Task[None], str]:
    """The SDK's own default server (FastAPI on uvicorn), quiet and on loopback."""
    import uvicorn
    from microsoft_teams.apps.http.fastapi_adapter import FastAPIAdapter

    port = free_port()

    def quiet_server(fastapi: Any) -> uvicorn.Server:
        return uvicorn.Server(
            uvicorn.Config(app=fastapi, host="127.0.0.1", port=port, log_level="warning", access_log=False)
        )

    adapter = FastAPIAdapter(server_factory=quiet_server)
    app = _bare_app(fake, adapter)
    await app.initialize()
    task = asyncio.get_running_loop().create_task(adapter.start(port))
    url = f"http://127.0.0.1:{port}{PATH}"
    async with aiohttp.ClientSession() as session:
        for _ in range(500):
            try:
                async with session.post(url, json={}) as response:
                    if response.status:
                        break
            except aiohttp.ClientError:
                await asyncio.sleep(0.01)
    return adapter, task, url


Prepared = tuple[dict[str, Any], dict[str, str]]


def _prepare(fake: FakeTeams, text: str) -> Prepared:
    """A personal-chat message with a fresh id and its signed token, made before timing."""
    activity = payload("message_personal", fake.url, text=text)
    return activity, {"Authorization": f"Bearer {sign(fake.key, fake.url)}"}


async def _round_trip(session: aiohttp.ClientSession, fake: FakeTeams, url: str, prepared: Prepared) -> float:
    activity, headers = prepared
    answered = len(fake.calls)
    started = time.perf_counter()
    async with session.post(url, json=activity, headers=headers) as response:
        await response.read()
    deadline = started + 5
    while len(fake.calls) <= answered:  # the answer may still be on its way to the Bot Connector
        if time.perf_counter() > deadline:
            raise RuntimeError(f"no answer reached the Bot Connector (HTTP {response.status})")
        await asyncio.sleep(0)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200:
        raise RuntimeError(f"unexpected answer {response.status}")
    return elapsed


Measure = Callable[[aiohttp.ClientSession], Awaitable[float]]


async def _measure(folder: Path, fake: FakeTeams) -> dict[str, list[float]]:
    from bot.adapters.teams import TeamsAdapter
    from bot.runtime import Runtime
    from core.config import Settings

    values: dict[str, Any] = {
        "data_dir": folder,
        "survey_secret": "bench-key-Lw6Ra9Fj3Xt5Nk2Qp",
        **fake.settings(),
    }
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    runtime = await Runtime.create(settings)
    adapter = TeamsAdapter(runtime, host="127.0.0.1", port=0)
    runtime.add_adapter(adapter)
    timed = TimedDispatcher(runtime.dispatcher)
    runtime.dispatcher = timed  # type: ignore[assignment]
    await adapter.start()
    bare_server, bare_url = await _serve_bare_aiohttp(fake)
    fastapi_server, fastapi_task, fastapi_url = await _serve_bare_fastapi(fake)
    sgbot_url = adapter.messages_url
    samples: dict[str, list[float]] = {"threshold handling": [], "help dispatch": []}

    def side(url: str, text: str) -> Measure:
        async def measure(session: aiohttp.ClientSession) -> float:
            return await _round_trip(session, fake, url, _prepare(fake, text))

        return measure

    async def threshold_share(session: aiohttp.ClientSession) -> float:
        round_trip = await _round_trip(session, fake, sgbot_url, _prepare(fake, "threshold neglect"))
        samples["threshold handling"].append(timed.last_ms)
        return round_trip - timed.last_ms

    async def help_round_trip(session: aiohttp.ClientSession) -> float:
        round_trip = await _round_trip(session, fake, sgbot_url, _prepare(fake, "help"))
        samples["help dispatch"].append(timed.last_ms)  # the delivery record, then the handler
        return round_trip

    bare = side(bare_url, "help")
    phases: dict[str, dict[str, Measure]] = {
        "help": {"bare": bare, "help": help_round_trip},
        "threshold": {"bare for threshold": bare, "threshold share": threshold_share},
        "fastapi": {"bare for fastapi": bare, "bare fastapi": side(fastapi_url, "help")},
    }
    try:
        async with aiohttp.ClientSession() as session:
            for phase in phases.values():
                for _ in range(WARMUP):
                    for measure in phase.values():
                        await measure(session)
                if "threshold share" in phase:
                    samples["threshold handling"].clear()  # keep only the timed rounds
                if "help" in phase:
                    samples["help dispatch"].clear()
                gc.collect()
                for name in phase:
                    samples[name] = []
                for _ in range(ROUNDS):
                    for name, measure in phase.items():
                        samples[name].append(await measure(session))
    finally:
        await fastapi_server.stop()  # asks uvicorn to finish; cancelling it would print a traceback
        await asyncio.wait_for(fastapi_task, 10)
        await bare_server.stop()
        await adapter.stop()
        await runtime.ctx.db.dispose()
    return samples


def _pair(name: str, samples: list[float], base: list[float], base_name: str, p99_limit: float | None) -> list[Figure]:
    return latency_pair(name, samples, base, base_name, ratio=TARGET_RATIO, p99_limit=p99_limit)


# --- start-up and idle memory with three platforms ---------------------------------------------


async def _start_and_idle(mode: str, env: dict[str, str]) -> tuple[float, float]:
    return await measure("bare-teams" if mode == "bare" else mode, env)


async def _three_platforms(teams: FakeTeams) -> dict[str, list[tuple[float, float]]]:
    from tests.discord_fake import FakeDiscord
    from tests.slack_api_fake import FakeSlackApi

    discord_fake, slack_fake = FakeDiscord(), FakeSlackApi()
    await discord_fake.start()
    await slack_fake.start()
    results: dict[str, list[tuple[float, float]]] = {"sgbot": [], "bare": []}
    try:
        with tempfile.TemporaryDirectory() as data:
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("SLACK_", "DISCORD_", "TEAMS_", "DATABASE_URL"))
            }
            env.update(
                BENCH_DISCORD_API=discord_fake.api_base,
                BENCH_DISCORD_GATEWAY=discord_fake.gateway_url,
                DATA_DIR=data,
                SLACK_BOT_TOKEN="xoxb-bench",
                SLACK_SIGNING_SECRET="bench-signing-secret",
                SLACK_HTTP_HOST="127.0.0.1",
                SLACK_HTTP_PORT="0",
                SLACK_API_URL=slack_fake.url,
                DISCORD_TOKEN="bench.discord.token",
                TEAMS_HOST="127.0.0.1",
                TEAMS_PORT="0",
                SURVEY_SECRET="bench-key-Lw6Ra9Fj3Xt5Nk2Qp",
                LOG_LEVEL="WARNING",
                **teams.env(),
            )
            await _start_and_idle("sgbot", env)  # the first start migrates the database; not counted
            for _ in range(RUNS):
                for mode in ("sgbot", "bare"):
                    results[mode].append(await _start_and_idle(mode, env))
    finally:
        await slack_fake.stop()
        await discord_fake.close()
    return results


def _runtime_figures(results: dict[str, list[tuple[float, float]]]) -> list[Figure]:
    ready = {m: statistics.median(r[0] for r in rows) for m, rows in results.items()}
    rss = {m: statistics.median(r[1] for r in rows) for m, rows in results.items()}
    bare = "bare Bolt app + discord.py client + Teams SDK app"
    return [
        Figure(
            "idle memory (RSS), sgbot run with Slack, Discord and Teams",
            rss["sgbot"],
            "MB",
            rss["bare"],
            bare,
            "<= 120 MB",
            rss["sgbot"] <= 120,
        ),
        Figure(
            "start-up to ready (/readyz 200), sgbot run with Slack, Discord and Teams",
            ready["sgbot"],
            "s",
            ready["bare"],
            bare,
            "<= 2 s",
            ready["sgbot"] <= 2,
        ),
    ]


def run() -> list[Figure]:
    for noisy in ("microsoft_teams", "sgbot", "uvicorn", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder, FakeInItsOwnThread() as fake:
        samples = asyncio.run(_measure(Path(folder), fake))
        processes = asyncio.run(_three_platforms(fake))
    bare = "bare Teams SDK app, fixed text"
    figures = _pair("Teams help round trip (message in, card out)", samples["help"], samples["bare"], bare, 20.0)
    figures += _pair(
        "Teams threshold neglect, adapter's share",
        samples["threshold share"],
        samples["bare for threshold"],
        bare,
        None,
    )
    figures.append(
        Figure(
            "Teams help: dispatch p50 (delivery de-duplication record, then the handler)",
            percentile(samples["help dispatch"], 50),
            "ms",
            percentile(samples["help"], 50),
            "the whole help round trip",
            "none (context)",
            True,
        )
    )
    handling = samples["threshold handling"]
    round_trips = [share + own for share, own in zip(samples["threshold share"], handling, strict=True)]
    figures.append(
        Figure(
            "Teams threshold neglect round trip p50",
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
            "bare Teams SDK app p50 on its default FastAPI + uvicorn",
            percentile(samples["bare fastapi"], 50),
            "ms",
            percentile(samples["bare for fastapi"], 50),
            "the bare app on aiohttp",
            "none (context)",
            True,
        )
    )
    return figures + _runtime_figures(processes)
