"""What every `sgbot` sub-app shares, whichever floor adds it: one-sentence failures with an exit
code, settings read once with logging set up, command-line dates in the partnership's zone, and
running a coroutine with known start-up failures turned into sentences, and `CliHost`: what only
the runtime can do, which bot/cli.py lends every command as typer's context object. bot/cli.py
assembles the sub-apps; a feature's own (handlers/<feature>/cli.py) uses these without importing bot."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

import typer

from core.logs import setup_logging

if TYPE_CHECKING:
    from core.config import Settings
    from core.context import Context
    from core.model import Reply
    from storage.db import Database

T = TypeVar("T")

OpenContext = Callable[["Settings"], Awaitable["Context"]]
# Shows one reply as a platform would send it; the int is the item's number in a preview.
ShowReply = Callable[["Reply", int], None]
# Prints a table to the terminal: title, column headings, rows of text.
ShowTable = Callable[[str, Sequence[str], Sequence[Sequence[str]]], None]


@dataclass(frozen=True)
class CliHost:
    """What only the runtime can do, lent to every `sgbot` command by bot/cli.py as typer's context
    object (a feature's sub-app sits below bot/ and may not import it). The caller disposes of the
    database it opens, or of the context's."""

    open_context: OpenContext  # the bot's context as the running bot has it: database, content pack
    open_database: Callable[[Settings], Awaitable[Database]]  # migrated, keyed as the running bot keys it
    renderer: Callable[[str], ShowReply | None]  # a platform's own rendering, None if not installed
    show_table: ShowTable  # a terminal table, drawn by the runtime's terminal library


def lent_host(context: typer.Context) -> CliHost:
    """The host bot/cli.py lent the command being run."""
    host = context.obj
    if not isinstance(host, CliHost):
        raise TypeError("an sgbot command was run without the host bot/cli.py lends it")
    return host


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def load_settings() -> Settings:
    from pydantic import ValidationError

    from core.config import Settings, env_names

    try:
        settings = Settings()
    except ValidationError as exc:
        raise fail(f"Some settings are not valid: {env_names(exc)}. Check them in .env or the environment.") from None
    setup_logging(settings.log_level, settings.secret_values(), payloads=settings.log_payloads)
    return settings


def local_datetime(value: str, option: str, settings: Settings, *, what: str, example: str) -> dt.datetime:
    """A date or date-time from the command line (core.dates.read_moment); without an offset it
    is in the partnership's zone. A refusal says it is not `what`; write it like `example`."""
    from core.clock import LATEST
    from core.dates import EARLIEST_YEAR, DateProblem, NonexistentTime, read_moment

    try:
        moment = read_moment(value, ZoneInfo(settings.timezone))
    except NonexistentTime as exc:
        raise fail(f"{option} {_said(value)}: {exc}; give another time.") from None
    except DateProblem as exc:
        raise fail(f"{option} {_said(value)}: {exc}") from None
    if moment is None:
        raise fail(f"{option} {_said(value)} is not {what}; write it like {example}.")
    if moment.year < EARLIEST_YEAR or moment >= LATEST:
        raise fail(f"{option} {_said(value)}: the bot's dates run from {EARLIEST_YEAR} to {LATEST.year - 1}.")
    return moment


def _said(value: str) -> str:
    """What was typed, quoted back on one short line (an outside audit saw 6,000 characters echoed)."""
    return repr(value if len(value) <= 60 else value[:59] + "…")


def local_date(value: str, option: str) -> dt.date:
    """A day from the command line: 2026-04-01 or 01/04/2026, as the reports take it, from 2000
    up to ten years ahead."""
    from core.dates import DateProblem, report_day

    try:
        day = report_day(value, dt.date.today())
    except DateProblem as exc:
        raise fail(f"{option} {_said(value)}: {exc}") from None
    if day is None:
        raise fail(f"{option} {_said(value)} is not a date; write it like 2026-04-01 or 01/04/2026.")
    return day


def run_async(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine, turning known start-up failures into one sentence and a non-zero exit."""
    try:
        return asyncio.run(make())  # type: ignore[arg-type]
    except Exception as exc:
        # The failures' modules are imported only now: storage.db brings SQLAlchemy, and before
        # `sgbot run` begins connecting to Discord every import is on start-up's longest path.
        _say_start_failure(exc)
        raise


def _say_start_failure(exc: Exception) -> None:
    """Raise typer.Exit with a sentence when `exc` is a start-up failure sgbot knows; else return."""
    from core.config import ConfigError
    from core.contentpack import InvalidPack
    from storage.db import DatabaseConfigError, DatabaseUnavailable

    if isinstance(exc, InvalidPack):
        typer.echo("The content pack is not valid:", err=True)
        for problem in exc.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1) from None
    if isinstance(exc, (ConfigError, DatabaseConfigError)):
        raise fail(str(exc)) from None
    if isinstance(exc, DatabaseUnavailable):
        raise fail(f"Cannot open the database: {exc}. Check DATABASE_URL, or that DATA_DIR can be written.") from None
