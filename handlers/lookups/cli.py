"""`sgbot report lookups`: what practitioners looked up, week by week (counts only). Opening the
database as the running bot does is lent by bot/cli.py (core.cli.CliHost)."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from typing import Annotated

import typer

from core.cli import fail, lent_host, load_settings, run_async

# The `sgbot` commands this module adds, read by bot/cli.py from this line without importing the
# module (so it stays one line and a literal). bot/cli.py adds report_app's commands to `report`.
CLI_COMMANDS = ("report lookups",)

report_app = typer.Typer()


@report_app.command("lookups")
def report_lookups(
    context: typer.Context,
    weeks: Annotated[
        int, typer.Option(metavar="WEEKS", min=1, help="How many weeks back to show, this week included.")
    ] = 12,
    output: Annotated[str, typer.Option("--format", metavar="table|csv", help="table or csv.")] = "table",
    year: Annotated[
        str | None, typer.Option("--year", metavar="YEAR", help="A reporting year, April to March, like 2025-26.")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", metavar="DAY", help="The first day's week (2025-04-01).")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", metavar="DAY", help="The last day's week, included.")] = None,
) -> None:
    """Lookups per week, command and topic; for /threshold also the concerns recognised and the
    questions that found nothing close (the last --weeks, or the weeks of --year or --from/--to).
    Nobody's identity and nothing typed is ever recorded."""
    if output not in ("table", "csv"):
        raise fail("--format is table or csv.")
    settings = load_settings()
    host = lent_host(context)
    period = None
    if year is not None or start is not None or end is not None:
        from handlers.surveys.cli import report_period

        period = report_period(start, end, year)

    async def fetch() -> list[tuple[str, str, str, int]]:
        from zoneinfo import ZoneInfo

        from storage import lookups

        today = dt.datetime.now(ZoneInfo(settings.timezone)).date()
        since = lookups.week_start(today) - dt.timedelta(weeks=weeks - 1)
        until = None
        if period is not None:
            since, until = period
        db = await host.open_database(settings)
        try:
            await lookups.flush(db)  # nothing pending in a new process, but the read promises none is left out
            async with db.transaction() as tx:
                counts = await lookups.weekly_counts(tx, since=since, until=until)
        finally:
            await db.dispose()
        return [(c.week_start.isoformat(), c.command, c.topic, c.count) for c in counts]

    rows = run_async(fetch)
    header = ("week starting", "command", "topic", "lookups")
    if output == "csv":
        # every row: lookups, and what /threshold questions were about ("threshold-concern",
        # "threshold-outcome"), told apart by the command column
        from storage.surveys import inert_cell

        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows([[inert_cell(str(cell)) for cell in row] for row in rows])
        return
    span = (
        f"in the weeks from {period[0]:%-d %B %Y} to {period[1]:%-d %B %Y}"
        if period is not None
        else f"in the last {weeks} week(s)"
    )
    if not rows:
        typer.echo(f"No lookups recorded {span}.")
        return
    from storage import lookups

    looked_up = [r for r in rows if not lookups.is_insight(r[1])]
    total = sum(r[3] for r in looked_up)
    title = f"Lookups {span}: {total}"
    host.show_table(title, header, [(week, f"/{name}", topic, str(count)) for week, name, topic, count in looked_up])
    kinds = (
        (lookups.OUTCOME_SUFFIX, "answer", "Questions that found nothing close, or were not about safeguarding"),
        (lookups.CONCERN_SUFFIX, "concern (topic)", "Concerns recognised in questions (a question may name several)"),
    )
    for suffix, column, title in kinds:
        found = [(week, f"/{name.removesuffix(suffix)}", topic, str(count)) for week, name, topic, count in rows
                 if name.endswith(suffix)]  # fmt: skip
        if found:
            host.show_table(title, ("week starting", "command", column, "questions"), found)
