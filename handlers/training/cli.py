"""`sgbot training ...`: bulk work on the training programme from files.

- `import FILE.csv [--skip-invalid]` adds sessions. Columns (header row, any order):
  course, date, start, capacity (required), end, venue, online_url, trainer, channels.
  Courses by id or title; dates as 2026-04-21, 21/04/2026 or 21 April 2026; times as 09:30
  or 9.30am; places as 20 or "20 places". Past sessions are imported too (for reports; they
  get no reminders or posts). All rows or none, unless --skip-invalid; every bad row is
  reported with its line number.
- `ics --from DATE --to DATE [--out FILE]` writes the programme as one calendar file.
- `attendance SESSION FILE.csv [--platform P] [--skip-invalid]` records a register exported
  from the learning platform. Columns: user_id (required), platform, attended (yes/no;
  default yes); other columns, such as name or email, are ignored.
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from core.cli import OpenContext, fail, lent_host, load_settings, local_date, run_async
from core.config import Settings
from handlers.training.courses import courses
from handlers.training.files import COLUMN_ALIASES, REQUIRED_COLUMNS, by_line, read_csv
from handlers.training.schedule import FIELDS, PLATFORMS, SessionDraft, check_session
from handlers.training.sessions import new_session
from handlers.training.views import calendar_text
from storage import audit
from storage import training as store

# The `sgbot` commands this module adds, read by bot/cli.py from this line without importing the
# module (so it stays one line and a literal).
CLI_COMMANDS = ("training",)

# bot/cli.py adds this app as `sgbot training`. Opening the bot's context (database migrated, content
# pack loaded) is the runtime's work, above this floor, so bot/cli.py lends it to the commands
# (core.cli.CliHost, typer's context object). The caller disposes of the context's database.
sub_app = typer.Typer(
    name="training",
    help="Training sessions: import a programme, export a calendar, record a register.",
    no_args_is_help=True,
)

ATTENDANCE_COLUMNS = ("user_id", "platform", "attended")
_YES = {"yes", "y", "true", "1", "attended", "present", "x"}
_NO = {"no", "n", "false", "0", "absent", "did not attend", "dna"}


# A year's programme, or a big course's register, is a few hundred KB: ten times that is room enough,
# and a 50 MB file is refused before it is read rather than after (it took 400 MB to find it wrong).
MAX_CSV_MB = 5


def _read(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_CSV_MB * 1_000_000:
            raise fail(
                f"{path} is {size / 1_000_000:.1f} MB, more than the {MAX_CSV_MB} MB a CSV file may be; "
                "check it is the right file, or split it."
            )
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise fail(f"{path} is not UTF-8 text; save it from your spreadsheet as CSV UTF-8.") from None
    except OSError as exc:
        raise fail(f"Cannot read {path}: {exc.strerror or exc}.") from None


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


# --- import --------------------------------------------------------------------------------------


@sub_app.command("import")
def import_sessions(
    context: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A CSV file with a header row.")],
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", metavar="", help="Import the good rows even if some rows have problems.")
    ] = False,
) -> None:
    """Add sessions from a CSV file: all of them, or none if any row has a problem."""
    settings = load_settings()
    text = _read(file)
    open_context = lent_host(context).open_context
    code = run_async(lambda: _import(open_context, settings, text, file.name, skip_invalid))
    raise typer.Exit(code)


async def _import(open_context: OpenContext, settings: Settings, text: str, name: str, skip_invalid: bool) -> int:
    ctx = await open_context(settings)
    try:
        now = ctx.now()
        rows, problems = read_csv(text, FIELDS, REQUIRED_COLUMNS, aliases=COLUMN_ALIASES)
        catalogue = await courses(ctx)
        good: list[tuple[int, SessionDraft]] = []
        notes: list[str] = []
        seen: dict[tuple[str, dt.datetime], int] = {}
        present = 0  # good rows already imported, by an earlier run of the same file
        for row in rows:
            # Past sessions are welcome: last year's programme can be loaded to report on. They
            # get no reminders (none is still ahead) and cannot be announced (they have started).
            checked = check_session(
                row.values,
                courses=catalogue,
                zone=settings.timezone,
                now=now,
                platform="",
                default_trainer="",
                allow_past=True,
            )
            if isinstance(checked, dict):
                problems.append(f"line {row.line}: {_row_problems(checked)}")
                continue
            key = (checked.course_id, checked.start_at)
            if key in seen:
                notes.append(f"line {row.line}: the same session as line {seen[key]}; left out.")
                continue
            seen[key] = row.line
            async with ctx.db.transaction() as tx:
                existing = await store.find_session(tx, course_id=checked.course_id, start_at=checked.start_at)
            if existing is not None:
                notes.append(f"line {row.line}: already in the programme as session {existing.id}; left as it is.")
                present += 1
                continue
            good.append((row.line, checked))
        for note in notes:
            typer.echo(note)
        problems = by_line(problems)
        if problems and not skip_invalid:
            for problem in problems:
                typer.echo(problem, err=True)
            typer.echo(
                f"Nothing was imported: {len(problems)} problem(s). Fix the lines above, or run again with "
                f"--skip-invalid to import the {len(good)} good row(s).",
                err=True,
            )
            return 1
        for problem in problems:
            typer.echo(f"skipped {problem}", err=True)
        created_by = f"cli:{_who()}"
        async with ctx.db.transaction() as tx:  # the sessions and their audit entry, together
            sessions = await store.add_sessions(tx, [new_session(d, created_by=created_by, now=now) for _, d in good])
            if sessions:
                await audit.record(
                    tx,
                    at=now,
                    platform="cli",
                    actor=_who(),
                    action="training.imported",
                    subject=f"{len(sessions)} sessions",
                    detail=name,
                )
        ids = ", ".join(str(s.id) for s in sessions)
        past = sum(1 for s in sessions if s.start_at <= now)
        earlier = f" {past} of them already took place: they are kept for reports, with no reminders." if past else ""
        typer.echo(f"Imported {len(sessions)} session(s){f': {ids}' if ids else ''}.{earlier}")
        # A failure only when no row was good: a row already in the programme is a good row, so
        # importing the same file again ends as the first import did.
        return 1 if problems and not sessions and not present else 0
    finally:
        await ctx.db.dispose()


def _row_problems(errors: dict[str, str]) -> str:
    """Each field's sentence, with the column it is about."""
    return " ".join(f"{name}: {errors[name]}" for name in FIELDS if name in errors)


# --- calendar export -------------------------------------------------------------------------------


@sub_app.command("ics")
def export_ics(
    context: typer.Context,
    start: Annotated[str, typer.Option("--from", metavar="DAY", help="First day (2026-04-01 or 01/04/2026).")],
    end: Annotated[str, typer.Option("--to", metavar="DAY", help="Last day, inclusive (2026-04-30 or 30/04/2026).")],
    out: Annotated[
        Path | None, typer.Option("--out", metavar="FILE", help="Write to this file instead of the screen.")
    ] = None,
) -> None:
    """The programme between two dates as one calendar (.ics) file."""
    first, last = local_date(start, "--from"), local_date(end, "--to")
    if last < first:
        raise fail("--to is before --from; give the first day, then the last.")
    settings = load_settings()
    open_context = lent_host(context).open_context
    text, count, cancelled = run_async(lambda: _calendar(open_context, settings, first, last))
    if out is None:
        typer.echo(text, nl=False)
    else:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise fail(f"Cannot write {out}: {exc.strerror or exc}.") from None
    marked = f" {cancelled} of them cancelled, marked so in the file." if cancelled else ""
    typer.echo(f"{count} session(s) from {first.day} {first:%B %Y} to {last.day} {last:%B %Y}.{marked}", err=True)


async def _calendar(
    open_context: OpenContext, settings: Settings, first: dt.date, last: dt.date
) -> tuple[str, int, int]:
    ctx = await open_context(settings)
    try:
        zone = ZoneInfo(settings.timezone)
        after = dt.datetime.combine(first, dt.time(), zone).astimezone(dt.UTC) - dt.timedelta(microseconds=1)
        before = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.UTC)
        async with ctx.db.transaction() as tx:
            # cancelled ones too, marked so: a calendar that took an earlier file learns of the cancel
            sessions = await store.list_sessions(tx, starts_after=after, starts_before=before, include_cancelled=True)
        cancelled = sum(s.status == store.CANCELLED for s in sessions)
        return calendar_text(ctx, sessions), len(sessions), cancelled
    finally:
        await ctx.db.dispose()


# --- attendance register -----------------------------------------------------------------------------


@sub_app.command("attendance")
def import_attendance(
    context: typer.Context,
    session: Annotated[int, typer.Argument(metavar="SESSION", help="The session number, as in /training.")],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The register as CSV: user_id, platform, attended.")],
    platform: Annotated[
        str,
        typer.Option(
            "--platform",
            metavar="PLATFORM",
            help="The platform of rows with no platform column: slack, discord, teams or console.",
        ),
    ] = "slack",
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", metavar="", help="Record the good rows even if some rows have problems.")
    ] = False,
) -> None:
    """Record who attended a session from the learning platform's register."""
    if platform not in PLATFORMS:
        raise fail(f"--platform must be one of {', '.join(PLATFORMS)}.")
    settings = load_settings()
    text = _read(file)
    open_context = lent_host(context).open_context
    code = run_async(lambda: _attendance(open_context, settings, session, text, platform, skip_invalid))
    raise typer.Exit(code)


async def _attendance(
    open_context: OpenContext, settings: Settings, session_id: int, text: str, default_platform: str, skip: bool
) -> int:
    ctx = await open_context(settings)
    try:
        async with ctx.db.transaction() as tx:
            session = await store.get_session(tx, session_id)
        if session is None:
            typer.echo(f"There is no session {session_id}; `/training` in chat lists the sessions.", err=True)
            return 2
        if session.status == store.CANCELLED:
            typer.echo(f"Session {session_id} was cancelled, so it has no register.", err=True)
            return 2
        if session.start_at > ctx.now():
            starts = session.start_at.astimezone(ZoneInfo(session.zone))
            typer.echo(
                f"Session {session_id} has not started yet (it starts {starts:%d/%m/%Y %H:%M}); "
                "record attendance once it has.",
                err=True,
            )
            return 2
        rows, problems = read_csv(text, ATTENDANCE_COLUMNS, ("user_id",), ignore_unknown=True)
        marks: dict[tuple[str, str], bool] = {}
        for row in rows:
            row_platform = (row.values.get("platform") or default_platform).strip().lower()
            user = row.values["user_id"].strip().lstrip("@")
            said = (row.values.get("attended") or "yes").strip().lower()
            issues = []
            if row_platform not in PLATFORMS:
                issues.append(f"platform must be one of {', '.join(PLATFORMS)}.")
            if not re.fullmatch(r"[\w.:\-]{1,120}", user):  # Teams ids have a colon: 29:1aBcD
                issues.append("user_id must be the person's chat user id, e.g. U0123ABC or 29:1aBcD.")
            if said not in _YES | _NO:
                issues.append(f'attended must be yes or no, not "{said[:20]}".')
            if issues:
                problems.append(f"line {row.line}: {' '.join(issues)}")
                continue
            marks[(row_platform, user)] = said in _YES
        problems = by_line(problems)
        if problems and not skip:
            for problem in problems:
                typer.echo(problem, err=True)
            typer.echo(
                f"Nothing was recorded: {len(problems)} problem(s). Fix the lines above, or run again with "
                "--skip-invalid to record the good rows.",
                err=True,
            )
            return 1
        for problem in problems:
            typer.echo(f"skipped {problem}", err=True)
        present = sum(marks.values())
        async with ctx.db.transaction() as tx:  # the register and its audit entry, together
            await store.record_attendance(tx, session.id, marks, source="import", now=ctx.now())
            await audit.record(
                tx,
                at=ctx.now(),
                platform="cli",
                actor=_who(),
                action="training.attendance_imported",
                subject=str(session.id),
                detail=f"{present} attended, {len(marks) - present} absent",
            )
        typer.echo(f"Recorded {present} attended and {len(marks) - present} absent for session {session.id}.")
        return 1 if problems and not marks else 0
    finally:
        await ctx.db.dispose()
