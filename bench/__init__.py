"""Benchmarks. Each module here exposes `run() -> list[Figure]`; `python -m bench` runs them
all and prints one table. Every figure is measured against a baseline taken in the same run,
so the ratio means something on any machine. Timings are never asserted in tests."""

from __future__ import annotations

import os
import statistics
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str  # what was measured, e.g. "/threshold p99 (default pack)"
    value: float
    unit: str  # "ms", "s", "MB", "msg/s", ...
    baseline: float | None  # the same-run baseline, in the same unit
    baseline_name: str  # what the baseline is, e.g. "bare AsyncApp ack"
    target: str  # e.g. "<= 2 ms", "ratio <= 1.5"
    passed: bool

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline  # type: ignore[operator]


def latency_pair(
    name: str, samples: list[float], base: list[float], base_name: str, *, ratio: float, p99_limit: float | None
) -> list[Figure]:
    """A round trip's p50 and p99 against the same-run baseline's: each within `ratio` of it, and
    the p99 also under `p99_limit` ms when one is given."""
    p50, p99 = percentile(samples, 50), percentile(samples, 99)
    b50, b99 = percentile(base, 50), percentile(base, 99)
    limit = f"<= {p99_limit:.0f} ms, " if p99_limit is not None else ""
    return [
        Figure(f"{name} p50", p50, "ms", b50, base_name, f"ratio <= {ratio}", p50 / b50 <= ratio),
        Figure(
            f"{name} p99",
            p99,
            "ms",
            b99,
            base_name,
            f"{limit}ratio <= {ratio}",
            p99 / b99 <= ratio and (p99_limit is None or p99 <= p99_limit),
        ),
    ]


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


@asynccontextmanager
async def private_postgres() -> AsyncIterator[str | None]:
    """A PostgreSQL database of this run's own (dropped afterwards), or None when
    BENCH_DATABASE_URL / TEST_DATABASE_URL is not set."""
    base_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not base_url:
        yield None
        return
    import asyncpg
    from sqlalchemy.engine import make_url

    base = make_url(base_url)
    name = f"sgbot_bench_{uuid.uuid4().hex[:10]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(admin)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()
