"""Commands for the people who run the bot: the audit trail and roles."""

from __future__ import annotations

import csv
import re
import sys
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bot.roles import RoleResolver
from core.cli import fail, lent_host, load_settings, local_datetime, run_async

# The `sgbot` commands this module adds, read by bot/cli.py without importing it (one line, a literal).
CLI_COMMANDS = ("audit", "roles")

# No name: bot/cli.py adds `audit` and `roles` to `sgbot` itself.
sub_app = typer.Typer()
roles_app = typer.Typer(help="Who holds which role.", no_args_is_help=True)
sub_app.add_typer(roles_app, name="roles")


@sub_app.command()
def audit(
    since: Annotated[
        str, typer.Option(metavar="DAY", help="Show actions from this local date (2026-03-01 or 01/03/2026).")
    ] = "",
    actor: Annotated[
        str,
        typer.Option(
            metavar="PERSON", help="Only this person: their user id, or platform:id as the list shows it (console:sam)."
        ),
    ] = "",
    output: Annotated[str, typer.Option("--format", metavar="table|csv", help="table or csv.")] = "table",
) -> None:
    """List state-changing actions: who, what, when (in the partnership's time zone), from which platform."""
    settings = load_settings()
    start = None
    if since:
        start = local_datetime(since, "--since", settings, what="a date", example="2026-03-01 or 01/03/2026")
    if output not in ("table", "csv"):
        raise fail("--format is table or csv.")
    zone = ZoneInfo(settings.timezone)

    async def fetch() -> list[tuple[str, str, str, str, str, str]]:
        from bot.runtime import open_database
        from storage import audit as audit_store

        db = await open_database(settings)
        try:
            async with db.transaction() as tx:
                entries = await audit_store.entries(tx, since=start, actor=actor or None)
        finally:
            await db.dispose()
        # Shown in the zone every chat reply uses, so a time here matches what people were told.
        return [
            (e.at.astimezone(zone).isoformat(timespec="seconds"), e.platform, e.actor, e.action, e.subject, e.detail)
            for e in entries
        ]

    rows = run_async(fetch)
    header = (f"when ({settings.timezone})", "platform", "actor", "action", "subject", "detail")
    if output == "csv":
        from storage.surveys import inert_cell

        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        # Subjects and details hold what people typed: no cell may run as a spreadsheet formula.
        writer.writerows([[inert_cell(str(cell)) for cell in row] for row in rows])
        return
    from rich.console import Console  # rich is imported by the commands that draw tables, not by every `sgbot content`
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    # Subjects and details hold what people typed (a cancellation's reason): shown as plain Text,
    # never read as rich markup, where "[/bold]" stopped the command with a traceback; and with
    # control and direction characters written out, so none moves the cursor or turns text round.
    shown = [tuple(_visible(cell) for cell in row) for row in rows]
    console = Console()
    if console.width < 120:
        # Six columns cannot share a narrow terminal without cutting ids short: one entry per
        # paragraph instead, with long text wrapping under its label.
        console.print(f"Audit trail ({_actions(len(rows))}), times in {settings.timezone}", style="bold")
        for when, platform, who, action, subject, detail in shown:
            console.print(Text(f"\n{when[:16].replace('T', ' ')}  {platform}:{who}  {action}"))
            for label, extra in (("subject", subject), ("detail", detail)):
                if extra:
                    console.print(Padding(Text(f"{label}: {extra}", overflow="fold"), (0, 0, 0, 4), expand=False))
        return
    table = Table(*header, title=f"Audit trail ({_actions(len(rows))})")
    for row in shown:
        table.add_row(*map(Text, row))
    console.print(table)


@roles_app.command("list")
def roles_list(context: typer.Context) -> None:
    """Show the roles granted by settings (user ids, Slack user groups, Discord roles, Teams groups)."""
    settings = load_settings()
    try:
        rows = RoleResolver(settings).configured()
    except ValueError as exc:
        raise fail(str(exc)) from None
    if not rows:
        typer.echo("No roles are configured, so everyone is a practitioner. Set ADMINS, TRAINERS or COMMS.")
        return
    lent_host(context).show_table("Roles (everyone is also a practitioner)", ("role", "granted to"), rows)


_UNSHOWABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(text: str) -> str:
    """What was typed, with each terminal control or text-direction character written as its code."""
    return _UNSHOWABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _actions(count: int) -> str:
    return f"{count} action" if count == 1 else f"{count} actions"
