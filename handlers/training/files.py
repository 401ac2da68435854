"""The training programme's files: CSV rows trainers import (`sgbot training import` and
`attendance`) and the iCalendar files people download (a session's button, `sgbot training ics`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from handlers.training.schedule import local

# --- CSV imports ---------------------------------------------------------------------------------

REQUIRED_COLUMNS = ("course", "date", "start", "capacity")


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]


# Headers a spreadsheet's own column names give, read as the columns they mean.
COLUMN_ALIASES = {"places": "capacity", "start_time": "start", "end_time": "end", "online_link": "online_url"}


def _separator(text: str) -> str:
    """The character between columns: a comma, or the semicolon or tab that spreadsheets set to
    some languages save 'CSV' with, told from the header line."""
    header = text.lstrip("\ufeff").partition("\n")[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def read_csv(
    text: str,
    columns: Iterable[str],
    required: Iterable[str],
    *,
    ignore_unknown: bool = False,
    aliases: dict[str, str] | None = None,
) -> tuple[list[CsvRow], list[str]]:
    """Rows keyed by column name, and one sentence per problem (file-level or per line). Columns
    may be separated by commas, semicolons or tabs; `aliases` are other names for columns."""
    allowed = list(columns)
    problems: list[str] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=_separator(text))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [f"line 1: the header row cannot be read ({exc})."]
    if not header or not any(h.strip() for h in header):
        return [], [f"The file is empty; its first line should name the columns: {', '.join(allowed)}."]
    names = [h.strip().lower().replace(" ", "_") for h in header]
    names = [(aliases or {}).get(n, n) for n in names]
    unknown = [] if ignore_unknown else [n for n in names if n not in allowed]
    missing = [n for n in required if n not in names]
    if unknown:
        # named as typed, the first few of them: a header of 200,000 empty columns made one line of 400 KB
        shown = list(dict.fromkeys(n or "(no name)" for n in unknown))[:5]
        more = len(unknown) - len(shown)
        listed = ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")
        problems.append(f"line 1: unknown column {listed}; the columns are {', '.join(allowed)}.")
    if missing:
        named = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        plural = "s" if len(missing) > 1 else ""
        problems.append(f"line 1: the required column{plural} {named} {'are' if plural else 'is'} missing.")
    if problems:
        return [], problems
    rows: list[CsvRow] = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"line {reader.line_num}: this row cannot be read ({exc}); check its quotes.")
            break
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(names):
            problems.append(
                f"line {reader.line_num}: has {len(values)} values but the header has {len(names)} columns; "
                "check for a missing comma, or a comma that needs quotes around its value."
            )
            continue
        row = dict(zip(names, values, strict=True))
        # A NUL cannot be stored (PostgreSQL refuses it): the row is refused like any other bad cell.
        nul = [name for name in allowed if "\x00" in row.get(name, "")]
        if nul:
            problems.append(
                f"line {reader.line_num}: "
                + " ".join(f"{name}: has a NUL character, which cannot be saved; remove it." for name in nul)
            )
            continue
        rows.append(CsvRow(reader.line_num, row))
    return rows, problems


def by_line(problems: Iterable[str]) -> list[str]:
    """Problems in file order ('line 7: ...' after 'line 4: ...'; file-level ones first)."""

    def line(problem: str) -> int:
        match = re.match(r"(?:skipped )?line (\d+):", problem)
        return int(match.group(1)) if match else 0

    return sorted(problems, key=line)


# --- calendar files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    title: str
    start_at: dt.datetime
    end_at: dt.datetime
    zone: str
    venue: str
    online_url: str | None
    description: str
    version: int
    cancelled: bool


def calendar(entries: Iterable[CalendarEntry], *, stamp: dt.datetime, name: str) -> str:
    """An iCalendar file (RFC 5545) with the zone's rules included, so calendars show the
    local time correctly on both sides of a clock change."""
    # Imported here: icalendar is slow to import and only calendar exports need it.
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//sgbot//training sessions//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", local(entry.start_at, entry.zone))
        event.add("dtend", local(entry.end_at, entry.zone))
        event.add("summary", entry.title)
        if entry.venue or entry.online_url:
            event.add("location", entry.venue or entry.online_url)
        if entry.online_url:
            event.add("url", entry.online_url)
        event.add("description", entry.description)
        event.add("sequence", entry.version)
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")
