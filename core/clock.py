"""Time, injected. Handlers and workers ask the clock, never datetime.now(), so tests and
the console's `/debug clock` can move time without sleeping."""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol

# The furthest a clock can be moved. Everything that runs on it adds days or a year to the time
# and formats dates, which must still fit in a datetime (it ends with the year 9999); a century
# ahead is far past any demo and leaves plenty of room.
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


class ClockOutOfRange(ValueError):
    """A move that would take the clock past LATEST; the clock is left where it was."""


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


def moved(now: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """now + delta, or ClockOutOfRange when that is past LATEST or past what a datetime can hold."""
    try:
        later = now + delta
    except OverflowError:
        raise ClockOutOfRange(f"{delta} from {now:%Y-%m-%d} is past the year 9999") from None
    if later > LATEST:
        raise ClockOutOfRange(f"{later:%Y-%m-%d} is past {LATEST:%Y-%m-%d}")
    return later


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class OffsetClock:
    """Real time (or a given start) plus an offset the console can move forward.

    A start that stays put makes console transcripts repeatable; one that `runs` goes on in real
    time from there, as a chat started `--at` a time should. The offset is the demo hook."""

    def __init__(
        self, offset: dt.timedelta = dt.timedelta(0), *, base: dt.datetime | None = None, runs: bool = False
    ) -> None:
        self.offset = offset
        # Kept in UTC: adding hours to a zoned time would add wall-clock hours across a clock change.
        self.base = base.astimezone(dt.UTC) if base is not None else None
        self._started = time.monotonic() if runs else None

    def now(self) -> dt.datetime:
        if self.base is None:
            return dt.datetime.now(dt.UTC) + self.offset
        ran = dt.timedelta(seconds=time.monotonic() - self._started) if self._started is not None else dt.timedelta(0)
        return self.base + ran + self.offset

    def advance(self, delta: dt.timedelta) -> None:
        moved(self.now(), delta)  # checked first, so a refused move leaves the clock alone
        self.offset += delta


class FrozenClock:
    """A clock that moves only when told to."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self.current = start.astimezone(dt.UTC)

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, delta: dt.timedelta) -> None:
        self.current = moved(self.current, delta)
