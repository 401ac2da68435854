"""Dates and times as people type them into a command: ISO (2026-03-01) or day first with
slashes (01/03/2026), the British way. Every command-line date and the reports' periods are read
here, so a date one command takes is taken by all of them."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{2}|\d{4})")
_CLOCK = re.compile(r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?")
# A date, then a time after a space, a T or an @ (as chat's send times take them).
_DATE_AND_TIME = re.compile(r"(?P<date>\S+?)(?:\s+|[tT@])(?P<time>\d{1,2}:\d{2}(?::\d{2})?)")


class NonexistentTime(ValueError):
    """A local time the clocks skip when they go forward."""


def day_first(text: str) -> dt.date | None:
    """01/03/2026, 1.3.26 or 01-03-2026, day first; a two-digit year is this century."""
    match = _DAY_FIRST.fullmatch(text.strip())
    if match is None:
        return None
    year = int(match.group("y"))
    year += 2000 if year < 100 else 0
    try:
        return dt.date(year, int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None


def read_date(text: str) -> dt.date | None:
    """2026-03-01 or 01/03/2026 (1/3/26 too); None for anything else, words included."""
    text = text.strip()
    if _ISO_DAY.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    if "/" in text:  # dots and dashes are chat's, not the command line's
        return day_first(text)
    return None


def read_moment(text: str, zone: ZoneInfo) -> dt.datetime | None:
    """A date, or a date and time, in `zone` unless it names its own offset: ISO
    (2026-03-01T09:00, 2026-03-01 09:00+00:00) or day first (01/03/2026 09:00, 01/03/2026T09:00).
    A date alone is its midnight. None when it is not one; NonexistentTime for a local time the
    clocks skip."""
    text = text.strip()
    moment: dt.datetime | None = None
    if day := read_date(text):
        moment = dt.datetime.combine(day, dt.time())
    elif (found := _DATE_AND_TIME.fullmatch(text)) and (day := read_date(found.group("date"))):
        clock = _CLOCK.fullmatch(found.group("time"))
        assert clock is not None
        try:
            time = dt.time(int(clock.group("h")), int(clock.group("m")), int(clock.group("s") or 0))
        except ValueError:
            return None
        moment = dt.datetime.combine(day, time)
    elif _ISO_DAY.match(text):
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    if moment is None:
        return None
    if moment.tzinfo is not None:
        return moment
    return local(moment, zone)


def local(naive: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A wall-clock time in `zone`. One that happens twice (clocks going back) is the first of the
    two; one that never happens is refused, rather than quietly becoming the hour after."""
    aware = naive.replace(tzinfo=zone, fold=0)
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise NonexistentTime(
            f"{naive:%H:%M} does not exist on {naive.day} {naive:%B %Y} in {zone.key}, "
            "because the clocks go forward that night"
        )
    return aware
