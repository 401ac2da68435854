"""Run every benchmark (or those named) and print one table: figure, value, baseline, ratio,
target, pass/miss. `python -m bench threshold slack` runs two of them."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path

from bench import Figure


def discover() -> list[str]:
    folder = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(folder)]) if m.name.startswith("bench_"))


def table(figures: list[Figure]) -> str:
    rows = [("figure", "value", "baseline", "ratio", "target", "result")]
    for f in figures:
        baseline = (
            f"{f.baseline:.3f} {f.unit} ({f.baseline_name})" if f.baseline is not None else f.baseline_name or "-"
        )
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "-"
        rows.append((f.name, f"{f.value:.3f} {f.unit}", baseline, ratio, f.target, "pass" if f.passed else "MISS"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    wanted = [f"bench_{a.removeprefix('bench_')}" for a in argv] or discover()
    figures: list[Figure] = []
    for name in wanted:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        figures.extend(module.run())
        print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
