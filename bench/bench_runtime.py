"""Idle memory and start-up time of `sgbot run` with the Slack and Discord adapters loaded,
against local fakes of both platforms; the baseline is a bare process with the same two SDKs
connected (a Bolt app serving HTTP and a discord.py client), measured the same way.

Both run with Python's bytecode cache, as an installed sgbot has it (pip compiles it on install):
this machine's environment sets PYTHONDONTWRITEBYTECODE, so the children write to a private cache
that one uncounted start of each fills first.

To compare changes, `python -m bench.bench_runtime TREE...` starts `sgbot run` from each source tree
(a checkout or `git archive` of one, run with this virtualenv) and the bare SDKs in turn, round
after round, and prints each one's medians: on a shared machine, interleaving is what makes a
difference of a megabyte or a tenth of a second mean something."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from bench import Figure

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
IDLE_SECONDS = 3.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


PROBE = "bench._run_probe"  # the child process: `sgbot run` or bare SDKs, by mode


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(mode: str, env: dict[str, str], *, probe: str = PROBE) -> tuple[float, float]:
    """Seconds from spawn to /readyz answering 200, and resident memory after idling; `probe` is
    the module run as the child process."""
    ready, rss, _cpu = await measure_with_cpu(mode, env, probe=probe)
    return ready, rss


async def measure_with_cpu(
    mode: str, env: dict[str, str], *, probe: str = PROBE, root: Path = ROOT
) -> tuple[float, float, float]:
    """As measure, and the CPU seconds the child had used when it was ready: on a machine other
    work keeps busy, the wall time to ready swings with the load, its CPU time much less. `root`
    is the source tree the child runs from."""
    port = free_port()
    child_env = {**env, "METRICS_PORT": str(port), "METRICS_HOST": "127.0.0.1"}
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: ASYNC220 - starting a process does not block
        [sys.executable, "-m", probe, mode],
        cwd=root,
        env=child_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        async with httpx.AsyncClient(timeout=1) as client:
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"{mode} exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.perf_counter() - started > 60:
                    raise RuntimeError(f"{mode} was not ready within 60 s")
                await asyncio.sleep(0.01)
        ready = time.perf_counter() - started
        cpu = cpu_seconds(process.pid)
        await asyncio.sleep(IDLE_SECONDS)
        return ready, rss_mb(process.pid), cpu
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(process.wait, 30)
        except subprocess.TimeoutExpired:
            process.kill()


@asynccontextmanager
async def platform_fakes() -> AsyncIterator[dict[str, str]]:
    """Local fakes of Slack's Web API and Discord, and the environment a child needs to use them
    (with its own data folder and bytecode cache)."""
    from tests.discord_fake import FakeDiscord
    from tests.slack_api_fake import FakeSlackApi

    discord_fake, slack_fake = FakeDiscord(), FakeSlackApi()
    await discord_fake.start()
    await slack_fake.start()
    try:
        with tempfile.TemporaryDirectory() as data:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "DATABASE_URL"))}
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
                SURVEY_SECRET="bench-key-Lw6Ra9Fj3Xt5Nk2Qp",
                LOG_LEVEL="WARNING",
            )
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(data) / "pycache")
            yield env
    finally:
        await slack_fake.stop()
        await discord_fake.close()


async def measure_all() -> dict[str, list[tuple[float, float, float]]]:
    results: dict[str, list[tuple[float, float, float]]] = {"sgbot": [], "bare": []}
    async with platform_fakes() as env:
        await measure("sgbot", env)  # first start migrates the database and fills the cache; not counted
        await measure("bare", env)  # fills the cache for the bare SDKs; not counted
        for _ in range(RUNS):
            for mode in ("sgbot", "bare"):
                results[mode].append(await measure_with_cpu(mode, env))
    return results


async def compare_trees(roots: list[Path], rounds: int) -> dict[str, list[tuple[float, float, float]]]:
    """`sgbot run` from each source tree and the bare SDKs, one start each per round, in turn."""
    results: dict[str, list[tuple[float, float, float]]] = {str(root): [] for root in roots}
    results["bare"] = []
    async with platform_fakes() as env:
        # A database of its own for each tree: an older tree cannot start on one a newer tree has
        # migrated further.
        envs = {}
        for n, root in enumerate(roots):
            own = Path(env["DATA_DIR"]) / f"tree-{n}"
            own.mkdir()
            envs[root] = {**env, "DATA_DIR": str(own)}
            await measure_with_cpu("sgbot", envs[root], root=root)  # migrates, fills the cache; not counted
        await measure("bare", env)
        for n in range(rounds):
            for root in roots:
                results[str(root)].append(await measure_with_cpu("sgbot", envs[root], root=root))
            results["bare"].append(await measure_with_cpu("bare", env))
            print(f"round {n + 1} of {rounds} done", file=sys.stderr, flush=True)
    return results


def run() -> list[Figure]:
    from bench._run_probe import BARE_GUILD_READY_SECONDS
    from bot.adapters.discord.client import GUILD_READY_SECONDS

    # the bare client waits for guilds as long as sgbot's, or the baseline is slow by the difference
    assert BARE_GUILD_READY_SECONDS == GUILD_READY_SECONDS, "bench/_run_probe.py: match sgbot's guild wait"
    results = asyncio.run(measure_all())
    ready = {m: statistics.median(r[0] for r in rows) for m, rows in results.items()}
    rss = {m: statistics.median(r[1] for r in rows) for m, rows in results.items()}
    cpu = {m: statistics.median(r[2] for r in rows) for m, rows in results.items()}
    return [
        Figure(
            "idle memory (RSS), sgbot run with Slack and Discord",
            rss["sgbot"],
            "MB",
            rss["bare"],
            "bare Bolt app + discord.py client",
            "<= 120 MB",
            rss["sgbot"] <= 120,
        ),
        Figure(
            "start-up to ready (/readyz 200), sgbot run with Slack and Discord",
            ready["sgbot"],
            "s",
            ready["bare"],
            "bare Bolt app + discord.py client",
            "<= 2 s",
            ready["sgbot"] <= 2,
        ),
        Figure(
            "CPU time to ready, sgbot run with Slack and Discord",
            cpu["sgbot"],
            "s",
            cpu["bare"],
            "bare Bolt app + discord.py client",
            "none (context)",
            True,
        ),
    ]


def _compare(argv: list[str]) -> None:
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    results = asyncio.run(compare_trees([Path(a).resolve() for a in argv], rounds))
    print(f"medians of {rounds} rounds; load average {os.getloadavg()[0]:.2f} at the end")
    print("| tree | start-up to ready | CPU time to ready | idle RSS | idle RSS, every round |")
    print("|---|---|---|---|---|")
    for name, rows in results.items():
        ready, rss, cpu = (statistics.median(r[k] for r in rows) for k in range(3))
        every = ", ".join(f"{r[1]:.1f}" for r in rows)
        print(f"| {name} | {ready:.2f} s | {cpu:.2f} s | {rss:.1f} MB | {every} |")


if __name__ == "__main__":
    _compare(sys.argv[1:] or [str(ROOT)])
