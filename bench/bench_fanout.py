"""Fan-out: one bulletin to 300 Slack channels, through the real outbox, delivery worker, Slack
adapter and slack-sdk client, against a local fake of Slack's Web API that enforces rate limits.

The fake accepts at most 1 chat.postMessage per channel and at most 50 across the workspace in
any rolling second; beyond that it answers 429 with a whole-second Retry-After, as Slack does.
It records every accepted post.

- Measured: from the moment the bulletin is handed to the outbox (the bulletins job) until the
  fake has accepted a post in every channel. The delivery worker runs as in production: a pass
  every second, each pass posting what is due.
- Bound, same limits: posts divided by the rate that binds them — 300 posts at 50 a second
  across the workspace is 6 seconds (one post per channel, so the per-channel limit allows 1 s).
- Checks: every channel got exactly one post (zero dropped, zero duplicated).
- Two runs: the adapter as `sgbot run` builds it today (no workspace-wide pacing: 429s are
  retried by slack-sdk), and the adapter with its own workspace pacing set to 50 a second.

Target: total / bound <= 1.1.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import math
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web

from bench import Figure

CHANNELS = 300
WORKSPACE_PER_SECOND = 50
CHANNEL_PER_SECOND = 1
WINDOW = 1.0
TARGET_RATIO = 1.1
TIMEOUT = 120.0


class RateLimitedSlack:
    """chat.postMessage and auth.test on 127.0.0.1, in a thread of its own, enforcing limits."""

    def __init__(self) -> None:
        self.accepted: list[tuple[float, str]] = []  # (monotonic time, channel)
        self.rejected = 0
        self._workspace: collections.deque[float] = collections.deque()
        self._channels: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.port = 0

    def start(self) -> None:
        threading.Thread(target=self._serve, daemon=True).start()
        self._ready.wait(10)

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def _serve(self) -> None:
        self._loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle)
        runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "UBOT", "team_id": "T1", "bot_id": "B1"})
        if method != "chat.postMessage":
            return web.json_response({"ok": False, "error": "unknown_method"})
        raw = await request.read()
        if request.content_type == "application/json":
            args: dict[str, Any] = json.loads(raw or b"{}")
        else:
            args = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        channel = str(args.get("channel", ""))
        wait = self._admit(channel)
        if wait is not None:
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(wait)}
            )
        return web.json_response({"ok": True, "channel": channel, "ts": f"{time.time():.6f}"})

    def _admit(self, channel: str) -> int | None:
        """None when the post is accepted, else whole seconds until it could be."""
        now = time.monotonic()
        with self._lock:
            per_channel = self._channels[channel]
            for window in (self._workspace, per_channel):
                while window and window[0] <= now - WINDOW:
                    window.popleft()
            waits = []
            if len(self._workspace) >= WORKSPACE_PER_SECOND:
                waits.append(self._workspace[0] + WINDOW - now)
            if len(per_channel) >= CHANNEL_PER_SECOND:
                waits.append(per_channel[0] + WINDOW - now)
            if waits:
                self.rejected += 1
                return max(1, math.ceil(max(waits)))
            self._workspace.append(now)
            per_channel.append(now)
            self.accepted.append((now, channel))
            return None


def bound_seconds(channels: int, posts_per_channel: int = 1) -> float:
    """The time the limits alone require: posts over the rate that binds them."""
    return max(channels * posts_per_channel / WORKSPACE_PER_SECOND, posts_per_channel / CHANNEL_PER_SECOND)


async def _fan_out(
    fake: RateLimitedSlack, folder: Path, *, workspace_interval: float | None = None, database_url: str = ""
) -> tuple[float, collections.Counter[str]]:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.adapters.slack.adapter import SlackAdapter
    from bot.runtime import DELIVERY_EVERY_SECONDS, Runtime
    from core.config import Settings
    from handlers.bulletins import send_due_bulletins
    from storage import bulletins as store

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=folder,
        slack_bot_token="xoxb-bench-token",
        slack_signing_secret="bench-signing-secret",
        survey_secret="bench-key-Lw6Ra9Fj3Xt5Nk2Qp",
        database_url=database_url,
    )
    runtime = await Runtime.create(settings)
    client = AsyncWebClient(token="xoxb-bench-token", base_url=fake.base_url)
    pacing = {} if workspace_interval is None else {"workspace_interval": workspace_interval}
    runtime.add_adapter(SlackAdapter(runtime, client=client, **pacing))
    runtime.prepare_workers()
    assert runtime.delivery is not None
    ctx = runtime.ctx
    try:
        now = ctx.now()
        async with ctx.db.transaction() as tx:
            bulletin = await store.create(
                tx, title="MSCP bulletin", body="## News\nThe annual report is out.", by="bench", now=now
            )
        channels = [{"platform": "slack", "channel_id": f"C{n:08d}"} for n in range(CHANNELS)]
        async with ctx.db.transaction() as tx:
            await store.schedule(tx, bulletin.id, send_at=now, zone="Europe/London", channels=channels, now=now)
        started = time.monotonic()
        await send_due_bulletins(ctx)  # the hand-over to the outbox
        deadline = started + TIMEOUT
        while len({c for _, c in fake.accepted}) < CHANNELS and time.monotonic() < deadline:
            await runtime.delivery.deliver_due()
            if len({c for _, c in fake.accepted}) < CHANNELS:
                await asyncio.sleep(DELIVERY_EVERY_SECONDS)
        last = max((t for t, _ in fake.accepted), default=time.monotonic())
        return last - started, collections.Counter(c for _, c in fake.accepted)
    finally:
        await ctx.db.dispose()


def _one_run(workspace_interval: float | None) -> tuple[float, int, int, int]:
    """(seconds, 429s answered, posts dropped, posts duplicated)."""
    fake = RateLimitedSlack()
    fake.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            total, per_channel = asyncio.run(_fan_out(fake, Path(folder), workspace_interval=workspace_interval))
    finally:
        fake.stop()
    dropped = CHANNELS - len(per_channel)
    duplicated = sum(n - 1 for n in per_channel.values() if n > 1)
    return total, fake.rejected, dropped, duplicated


def run() -> list[Figure]:
    try:
        import bot.adapters.slack.adapter  # noqa: F401
    except ImportError:
        print("bench_fanout: the Slack adapter is not in this build; skipped.", file=sys.stderr)
        return []
    logging.getLogger("slack_sdk").setLevel(logging.ERROR)
    bound = bound_seconds(CHANNELS)
    figures = []
    dropped_total = duplicated_total = 0
    for label, interval, judged in (
        ("as `sgbot run` builds the adapter", None, True),
        ("for comparison, workspace pacing off (429s retried)", 0.0, False),
    ):
        total, rejected, dropped, duplicated = _one_run(interval)
        dropped_total += dropped
        duplicated_total += duplicated
        complete = dropped == 0 and duplicated == 0
        figures.append(
            Figure(
                name=f"bulletin to {CHANNELS} Slack channels, {label} ({rejected} 429s)",
                value=total,
                unit="s",
                baseline=bound,
                baseline_name=f"bound: {CHANNELS} posts at {WORKSPACE_PER_SECOND}/s",
                target=f"ratio <= {TARGET_RATIO}" if judged else "not judged",
                passed=(total / bound <= TARGET_RATIO and complete) if judged else complete,
            )
        )
    figures += [
        Figure("fan-out posts dropped (both runs)", float(dropped_total), "posts", None, "-", "0", dropped_total == 0),
        Figure(
            "fan-out posts duplicated (both runs)",
            float(duplicated_total),
            "posts",
            None,
            "-",
            "0",
            duplicated_total == 0,
        ),
    ]
    return figures
