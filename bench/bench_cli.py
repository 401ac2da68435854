"""How long `sgbot --version` and `sgbot content validate` take as whole commands, against
`python -c pass` run the same way in the same run. The business unit waits for these at a prompt,
and a command should import only what it uses (each command module declares its commands in
CLI_COMMANDS, which bot/cli.py reads without importing it).

Each command runs several times, interleaved with the baseline so load on the machine falls on
both alike; the median of each is compared. Commands run with Python's bytecode cache, as an
installed sgbot has it: this machine's environment sets PYTHONDONTWRITEBYTECODE, so they write
to a private cache that the uncounted first run of each fills."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import Figure

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 7


def _seconds(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, capture_output=True, check=True)
    return time.perf_counter() - started


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "DATA_DIR": data, "PYTHONPYCACHEPREFIX": str(Path(data) / "pycache")}
        env.pop("CONTENT_PACK", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        commands = {
            "sgbot --version": [sys.executable, "-m", "bot", "--version"],
            "sgbot content validate": [sys.executable, "-m", "bot", "content", "validate"],
        }
        bare = [sys.executable, "-c", "pass"]
        _seconds(bare, env)  # warm the file cache and the bytecode cache for both
        for args in commands.values():
            _seconds(args, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        baseline: list[float] = []
        for _ in range(ROUNDS):
            baseline.append(_seconds(bare, env))
            for name, args in commands.items():
                times[name].append(_seconds(args, env))
    base = statistics.median(baseline) * 1000
    figures = []
    for name, samples in times.items():
        value = statistics.median(samples) * 1000
        figures.append(
            Figure(
                name=f"{name} (whole command, median of {ROUNDS})",
                value=value,
                unit="ms",
                baseline=base,
                baseline_name="python -c pass",
                target="information",
                passed=True,
            )
        )
    return figures
