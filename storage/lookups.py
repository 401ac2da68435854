"""Weekly counts of safeguarding lookups, per command and topic.

This is all the partnership learns about what practitioners look up: a week, a command, a
topic from the content pack's own vocabulary ("neglect", "level-3", "LADO") and a count. No
user ids and no typed text are ever stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Date, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Database
from storage.models import Base

TOPIC_MAX = 60


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


async def record(db: Database, *, week: dt.date, command: str, topic: str) -> None:
    """Add one to the week's count for this command and topic (an upsert, safe across replicas)."""
    values = {"week_start": week, "command": command[:20], "topic": topic[:TOPIC_MAX], "count": 1}
    stmt = db.insert(LookupCount).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["week_start", "command", "topic"], set_={"count": LookupCount.count + 1}
    )
    async with db.session() as session:
        await session.execute(stmt)


async def weekly_counts(db: Database, *, since: dt.date | None = None) -> list[WeeklyCount]:
    """Newest week first; within a week, the most looked-up first."""
    query = select(LookupCount)
    if since is not None:
        query = query.where(LookupCount.week_start >= week_start(since))
    query = query.order_by(
        LookupCount.week_start.desc(), LookupCount.count.desc(), LookupCount.command, LookupCount.topic
    )
    async with db.session() as session:
        rows = (await session.scalars(query)).all()
    return [WeeklyCount(r.week_start, r.command, r.topic, r.count) for r in rows]
