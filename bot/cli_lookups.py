"""`sgbot report lookups`: what practitioners looked up, week by week (counts only)."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.cli import fail, load_settings, report_app, run_async


@report_app.command("lookups")
def report_lookups(
    weeks: Annotated[int, typer.Option(min=1, help="How many weeks back to show, this week included.")] = 12,
    output: Annotated[str, typer.Option("--format", help="table or csv.")] = "table",
) -> None:
    """Lookups per week, command and topic. Nobody's identity and nothing typed is ever recorded."""
    if output not in ("table", "csv"):
        raise fail("--format is table or csv.")
    settings = load_settings()

    async def fetch() -> list[tuple[str, str, str, int]]:
        from zoneinfo import ZoneInfo

        from bot.runtime import open_database
        from storage import lookups

        today = dt.datetime.now(ZoneInfo(settings.timezone)).date()
        since = lookups.week_start(today) - dt.timedelta(weeks=weeks - 1)
        db = await open_database(settings)
        try:
            counts = await lookups.weekly_counts(db, since=since)
        finally:
            await db.dispose()
        return [(c.week_start.isoformat(), c.command, c.topic, c.count) for c in counts]

    rows = run_async(fetch)
    header = ("week starting", "command", "topic", "lookups")
    if output == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(rows)
        return
    if not rows:
        typer.echo(f"No lookups recorded in the last {weeks} week(s).")
        return
    total = sum(r[3] for r in rows)
    table = Table(*header, title=f"Lookups in the last {weeks} week(s): {total}")
    for week, name, topic, count in rows:
        table.add_row(week, f"/{name}", topic, str(count))
    Console().print(table)
