"""Time, injected. Handlers and workers ask the clock, never datetime.now(), so tests and
the console's `/debug clock` can move time without sleeping."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class OffsetClock:
    """Real time (or a fixed start) plus an offset the console can move forward.

    A fixed start makes console transcripts repeatable; the offset is the demo hook."""

    def __init__(self, offset: dt.timedelta = dt.timedelta(0), *, base: dt.datetime | None = None) -> None:
        self.offset = offset
        # Kept in UTC: adding hours to a zoned time would add wall-clock hours across a clock change.
        self.base = base.astimezone(dt.UTC) if base is not None else None

    def now(self) -> dt.datetime:
        return (self.base or dt.datetime.now(dt.UTC)) + self.offset

    def advance(self, delta: dt.timedelta) -> None:
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
        self.current += delta
