"""Weekly counts of safeguarding lookups, per command and topic.

This is all the partnership learns about what practitioners look up: a week, a command, a
topic from the content pack's own vocabulary ("neglect", "level-3", "LADO") and a count. No
user ids and no typed text are ever stored.

A lookup is counted in memory at once (it cannot wait for, or fail with, the database) and the
counts are written in batches: by the delivery worker every round and when the bot stops, and
before counts are read in the same process. A write that fails puts its counts back for the
next try, so a database that is slow or away loses no lookup. What a hard kill (-9) or a crash
takes with it is at most the counts since the last write, about half a second's worth.

Writing a batch is the one place here that opens its own transaction (`PendingCounts.flush`):
the counts may only leave memory once their commit has succeeded, so the batch owns it. The
reads and single writes take the caller's transaction like every repository; a reader that
wants this process's pending counts included calls `flush(db)` first."""

from __future__ import annotations

import asyncio
import datetime as dt
import weakref
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Date, Integer, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Database, insert
from storage.models import Base

TOPIC_MAX = 60
# Besides the lookups themselves, /threshold counts what questions were about, under these
# commands: "<command>-concern" per concern recognised (a topic id), "<command>-outcome" for a
# question that found nothing close or was not about safeguarding. Still no text, no user.
CONCERN_SUFFIX = "-concern"
OUTCOME_SUFFIX = "-outcome"
MAX_CONCERNS = 6  # per question


def concern_command(command: str) -> str:
    return command + CONCERN_SUFFIX


def outcome_command(command: str) -> str:
    return command + OUTCOME_SUFFIX


def is_insight(command: str) -> bool:
    """A row about what questions were about, rather than a lookup."""
    return command.endswith((CONCERN_SUFFIX, OUTCOME_SUFFIX))


class LookupCount(Base):
    __tablename__ = "lookup_counts"

    week_start: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # the Monday, in the bot's zone
    command: Mapped[str] = mapped_column(String(20), primary_key=True)
    topic: Mapped[str] = mapped_column(String(TOPIC_MAX), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


@dataclass(frozen=True)
class WeeklyCount:
    week_start: dt.date
    command: str
    topic: str
    count: int


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


Key = tuple[dt.date, str, str]  # week start, command, topic


class PendingCounts:
    """Lookups counted in memory for one database and not yet written to it."""

    def __init__(self) -> None:
        self.counts: Counter[Key] = Counter()
        self._writing = asyncio.Lock()

    def add(self, week: dt.date, command: str, topic: str) -> None:
        self.counts[(week, command[:20], topic[:TOPIC_MAX])] += 1

    def total(self) -> int:
        return sum(self.counts.values())

    async def flush(self, db: Database) -> int:
        """Write every pending count in one transaction; on any failure (or cancellation) keep
        them all for the next try. Returns how many lookups were written."""
        async with self._writing:  # one write at a time, so none is counted twice
            if not self.counts:
                return 0
            taken, self.counts = self.counts, Counter()
            try:
                async with db.transaction() as tx:
                    await _add_counts(tx, taken)
            except BaseException:
                self.counts.update(taken)
                raise
            return sum(taken.values())


_pending: weakref.WeakKeyDictionary[Database, PendingCounts] = weakref.WeakKeyDictionary()


def pending_for(db: Database) -> PendingCounts:
    found = _pending.get(db)
    if found is None:
        found = _pending[db] = PendingCounts()
    return found


def count(db: Database, *, week: dt.date, command: str, topic: str) -> None:
    """Count one lookup in memory; it is written with the next batch."""
    pending_for(db).add(week, command, topic)


async def flush(db: Database) -> int:
    """Write this process's pending counts for `db`; raises if the database cannot take them
    (they are kept). Returns how many lookups were written."""
    found = _pending.get(db)
    return await found.flush(db) if found is not None else 0


async def _add_counts(tx: AsyncSession, counts: Counter[Key]) -> None:
    rows = [
        {"week_start": week, "command": command, "topic": topic, "count": n}
        for (week, command, topic), n in sorted(counts.items())  # one order: no deadlocks between replicas
    ]
    for start in range(0, len(rows), 500):
        stmt = insert(tx, LookupCount).values(rows[start : start + 500])
        stmt = stmt.on_conflict_do_update(
            index_elements=["week_start", "command", "topic"],
            set_={"count": LookupCount.count + stmt.excluded["count"]},
        )
        await tx.execute(stmt)


async def record(tx: AsyncSession, *, week: dt.date, command: str, topic: str) -> None:
    """Add one to the week's count for this command and topic (an upsert, safe across replicas)."""
    values = {"week_start": week, "command": command[:20], "topic": topic[:TOPIC_MAX], "count": 1}
    stmt = insert(tx, LookupCount).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["week_start", "command", "topic"], set_={"count": LookupCount.count + 1}
    )
    await tx.execute(stmt)


async def weekly_counts(
    tx: AsyncSession, *, since: dt.date | None = None, until: dt.date | None = None
) -> list[WeeklyCount]:
    """Newest week first; within a week, the most looked-up first; the weeks from the one holding
    `since` to the one holding `until`. Only what is written: call `flush(db)` before the
    transaction to include this process's pending counts."""
    query = select(LookupCount)
    if since is not None:
        query = query.where(LookupCount.week_start >= week_start(since))
    if until is not None:
        query = query.where(LookupCount.week_start <= week_start(until))
    query = query.order_by(
        LookupCount.week_start.desc(), LookupCount.count.desc(), LookupCount.command, LookupCount.topic
    )
    rows = (await tx.scalars(query)).all()
    return [WeeklyCount(r.week_start, r.command, r.topic, r.count) for r in rows]
