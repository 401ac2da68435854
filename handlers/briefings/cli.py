"""`sgbot report briefings`: the reach of each learning briefing. Opening the database as the
running bot does is lent by bot/cli.py (core.cli.CliHost)."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from core.cli import lent_host, load_settings, run_async

# The `sgbot` commands this module adds, read by bot/cli.py from this line without importing the
# module (so it stays one line and a literal). bot/cli.py adds report_app's commands to `report`.
CLI_COMMANDS = ("report briefings",)

report_app = typer.Typer()


FromOption = Annotated[
    str | None, typer.Option("--from", metavar="DAY", help="First day of posts and presses to count (2025-04-01).")
]
ToOption = Annotated[
    str | None, typer.Option("--to", metavar="DAY", help="Last day of posts and presses to count, inclusive.")
]
YearOption = Annotated[
    str | None, typer.Option("--year", metavar="YEAR", help="A reporting year, April to March, like 2025-26.")
]


@report_app.command("briefings")
def report_briefings(
    context: typer.Context, start: FromOption = None, end: ToOption = None, year: YearOption = None
) -> None:
    """Reach of each learning briefing: where it was posted, and how many said they read or will use it
    (over all time, or in --year or --from/--to)."""
    settings = load_settings()
    host = lent_host(context)
    days = None
    if start is not None or end is not None or year is not None:
        from handlers.surveys.cli import report_period

        days = report_period(start, end, year)

    async def gather() -> list[Any]:
        from core.contentpack import load_pack
        from handlers import feature_registry
        from handlers.briefings import reach_rows

        pack = load_pack(settings.content_pack, feature_registry().sections)
        db = await host.open_database(settings)
        try:
            async with db.transaction() as tx:
                return await reach_rows(tx, pack, days=days, zone=ZoneInfo(settings.timezone))
        finally:
            await db.dispose()

    rows = run_async(gather)
    if not rows:
        typer.echo("The content pack has no learning briefings.")
        return
    headers = ("briefing", "type", "published", "channels posted", "read it", "will use it")
    table = [headers, *[tuple(str(v) for v in row) for row in rows]]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    for n, row in enumerate(table):
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            typer.echo("  ".join("-" * width for width in widths))
    if days is not None:
        typer.echo(f"\nPosts and presses from {days[0]:%-d %B %Y} to {days[1]:%-d %B %Y}.", nl=False)
    typer.echo("\nCounts are of people, each counted once per button, and hold no user ids.")
