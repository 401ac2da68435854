"""The scheduler and the outbox: how close to their due time reminders are posted, and how fast
the bot catches up after an outage with 1,000 reminders waiting.

Both run the bot as `sgbot run` does: APScheduler in the asyncio loop running every feature's
jobs and the delivery job (every second), a real SQLite file, and the console adapter (writing to
a discarded stream). Reminders are made by the training feature itself (`sync_reminders`), so
their keys, payloads and expiry are the real ones.

- Precision: 200 sessions whose one-hour reminders fall due at random moments over the next
  ~25 s; lateness = posted - due. Baseline, in the same run: a bare asyncio timer
  (`loop.call_at`) firing at the same due times.
- Catch-up: one session with 1,000 delegates going; the bot's clock jumps past their reminder's
  due time (as after an outage), then the scheduler starts; time until all 1,000 are posted.
  Baseline, in the same run: the console adapter rendering the same 1,000 messages with no
  database or scheduler.
- With BENCH_DATABASE_URL or TEST_DATABASE_URL set, the catch-up also runs on PostgreSQL (a
  private database made for the run). Two replicas sharing the work are proven to post each
  reminder once in tests/test_training_reminders.py; timing two replicas inside one benchmark
  process would only measure them sharing one CPU, so that is not a figure here.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import Figure, percentile, private_postgres
from bot.adapters.console.adapter import ConsoleAdapter
from bot.runtime import Runtime
from core.clock import OffsetClock
from core.config import Settings
from core.model import Reply, Target
from handlers import training
from storage import outbox
from storage import training as store
from storage.training import GOING, Rsvp, TrainingSession

PRECISION_REMINDERS = 200
CATCH_UP_REMINDERS = 1000
SEED = 20260302


class _Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


class TimedConsole(ConsoleAdapter):
    """The console adapter, noting when each direct message went out (wall-clock seconds)."""

    def __init__(self, files: Path, arrived: asyncio.Event | None = None) -> None:
        super().__init__(_Discard(), files)  # type: ignore[arg-type]
        self.posted: dict[str, float] = {}
        self.arrived = arrived or asyncio.Event()

    async def send(self, target: Target, reply: Reply) -> str:
        message_id = await super().send(target, reply)
        self.posted[target.user_id or target.channel_id or "?"] = time.time()
        self.arrived.set()
        return message_id


async def _wait_for(adapters: list[TimedConsole], count: int, limit: float) -> None:
    """Until the adapters have posted `count` messages between them (or `limit` seconds pass)."""

    async def enough() -> None:
        arrived = adapters[0].arrived
        while sum(len(a.posted) for a in adapters) < count:
            arrived.clear()
            if sum(len(a.posted) for a in adapters) >= count:
                break
            await arrived.wait()

    with contextlib.suppress(TimeoutError):  # the caller checks how many came
        await asyncio.wait_for(enough(), limit)


async def _bot(
    folder: Path, clock: OffsetClock, url: str = "", arrived: asyncio.Event | None = None
) -> tuple[Runtime, TimedConsole]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=folder,
        database_url=url,
        survey_secret="bench-key-Tq7Mz3Rv8Kw2Yh5N",
        training_reminder_offsets="1h",
        log_level="WARNING",
    )
    runtime = await Runtime.create(settings, clock=clock)
    adapter = TimedConsole(folder / "files", arrived)
    runtime.add_adapter(adapter)
    runtime.prepare_workers()
    return runtime, adapter


async def _seed(runtime: Runtime, starts: list[dt.datetime], people_per_session: int) -> dict[str, float]:
    """Sessions with people going, and their reminders made by the feature; returns user -> due."""
    ctx = runtime.ctx
    now = ctx.now()
    ids = []
    async with ctx.db.transaction() as tx:
        for n, start in enumerate(starts):
            row = TrainingSession(
                course_id="neglect",
                title="Recognising and responding to neglect",
                start_at=start,
                end_at=start + dt.timedelta(hours=3),
                venue="Gun Wharf, Chatham",
                capacity=people_per_session,
                created_by="console:bench",
                created_at=now,
                updated_at=now,
            )
            tx.add(row)
            await tx.flush()
            ids.append(row.id)
            tx.add_all(
                Rsvp(session_id=row.id, platform="console", user_id=f"s{n}p{i}", status=GOING, responded_at=now)
                for i in range(people_per_session)
            )
    for session_id in ids:
        async with ctx.db.transaction() as tx:
            session = await store.lock_session(tx, session_id)
            assert session is not None
            await training.sync_reminders(ctx, tx, session)
    async with ctx.db.transaction() as tx:
        rows = await store.outbox_rows(tx, "reminder:")
    return {m.target["user_id"]: m.due_at.timestamp() for m in rows}


async def _bare_timer(offsets: list[float]) -> list[float]:
    """Lateness of a plain asyncio timer for the same due times (seconds from now)."""
    loop = asyncio.get_running_loop()
    lateness: list[float] = []
    start_wall = time.time()
    done = asyncio.Event()

    def fire(due_wall: float) -> None:
        lateness.append(time.time() - due_wall)
        if len(lateness) == len(offsets):
            done.set()

    base = loop.time()
    for offset in offsets:
        loop.call_at(base + offset, fire, start_wall + offset)
    await done.wait()
    return lateness


async def _precision(folder: Path) -> tuple[list[float], list[float]]:
    rng = random.Random(SEED)
    clock = OffsetClock()
    runtime, adapter = await _bot(folder, clock)
    try:
        now = clock.now()
        spread = [rng.uniform(5.0, 25.0) for _ in range(PRECISION_REMINDERS)]
        starts = [now + dt.timedelta(hours=1, seconds=s) for s in spread]
        due = await _seed(runtime, starts, 1)
        assert len(due) == PRECISION_REMINDERS, f"only {len(due)} reminders were made in time"
        assert runtime.scheduler is not None
        runtime.scheduler.start()
        baseline = await _bare_timer([d - time.time() for d in sorted(due.values())])
        await _wait_for([adapter], PRECISION_REMINDERS, 60)
        lateness = [adapter.posted[user] - when for user, when in due.items() if user in adapter.posted]
        assert len(lateness) == PRECISION_REMINDERS, f"{len(lateness)} of {PRECISION_REMINDERS} were posted"
        return lateness, baseline
    finally:
        await runtime.stop()


async def _catch_up(folder: Path, url: str = "", replicas: int = 1) -> tuple[float, float]:
    clock = OffsetClock()
    arrived = asyncio.Event()
    bots = [await _bot(folder / f"r{i}", clock, url, arrived) for i in range(replicas)]
    runtimes = [rt for rt, _ in bots]
    for i, rt in enumerate(runtimes):
        assert rt.delivery is not None
        rt.delivery.name = f"replica-{i}"
    try:
        first = runtimes[0]
        start = clock.now() + dt.timedelta(hours=1, minutes=1)
        due = await _seed(first, [start], CATCH_UP_REMINDERS)
        assert len(due) == CATCH_UP_REMINDERS
        clock.advance(dt.timedelta(minutes=5))  # the outage: every reminder is now overdue
        async with first.ctx.db.transaction() as tx:
            assert (await outbox.counts(tx))["pending"] == CATCH_UP_REMINDERS
        began = time.perf_counter()
        for rt in runtimes:
            assert rt.scheduler is not None
            rt.scheduler.start()
        await asyncio.gather(*(rt.tick() for rt in runtimes))  # what start-up does at once

        await _wait_for([a for _, a in bots], CATCH_UP_REMINDERS, 120)
        took = time.perf_counter() - began
        posted = [user for _, a in bots for user in a.posted]
        assert len(posted) == len(set(posted)) == CATCH_UP_REMINDERS, "a reminder was posted twice"
        async with first.ctx.db.transaction() as tx:
            assert (await outbox.counts(tx))["sent"] == CATCH_UP_REMINDERS

        async with first.ctx.db.transaction() as tx:
            rows = await store.outbox_rows(tx, "reminder:")
        bare = TimedConsole(folder / "bare")
        began = time.perf_counter()
        for row in rows:
            await bare.send(Target.model_validate(row.target), Reply.model_validate(row.payload))
        return took, time.perf_counter() - began
    finally:
        for rt in runtimes:
            await rt.stop()


async def _postgres_catch_up(folder: Path) -> list[tuple[float, float]]:
    async with private_postgres() as url:
        if url is None:
            print("  PostgreSQL figure skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL", file=sys.stderr)
            return []
        return [await _catch_up(folder / "pg", url)]


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        lateness, timer = asyncio.run(_precision(Path(tmp) / "precision"))
        took, bare = asyncio.run(_catch_up(Path(tmp) / "catch-up"))
        on_postgres = asyncio.run(_postgres_catch_up(Path(tmp)))
    p50, p99 = percentile(lateness, 50), percentile(lateness, 99)
    timer_p50, timer_p99 = percentile(timer, 50), percentile(timer, 99)
    figures: list[dict[str, Any]] = [
        {
            "name": f"reminder due -> posted p50 ({PRECISION_REMINDERS}, console, SQLite)",
            "value": p50,
            "unit": "s",
            "baseline": timer_p50,
            "baseline_name": "bare asyncio timer p50",
            "target": "<= 1 s",
            "passed": p50 <= 1.0,
        },
        {
            "name": f"reminder due -> posted p99 ({PRECISION_REMINDERS}, console, SQLite)",
            "value": p99,
            "unit": "s",
            "baseline": timer_p99,
            "baseline_name": "bare asyncio timer p99",
            "target": "<= 1 s",
            "passed": p99 <= 1.0,
        },
        {
            "name": f"catch-up after an outage, {CATCH_UP_REMINDERS} due reminders (SQLite)",
            "value": took,
            "unit": "s",
            "baseline": bare,
            "baseline_name": "console adapter alone, same 1,000",
            "target": "<= 10 s",
            "passed": took <= 10.0,
        },
    ]
    for pg_took, pg_bare in on_postgres:
        figures.append(
            {
                "name": f"catch-up after an outage, {CATCH_UP_REMINDERS} due reminders (PostgreSQL)",
                "value": pg_took,
                "unit": "s",
                "baseline": pg_bare,
                "baseline_name": "console adapter alone, same 1,000",
                "target": "<= 10 s",
                "passed": pg_took <= 10.0,
            }
        )
    return [Figure(**f) for f in figures]
