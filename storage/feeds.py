"""Feeds: what is watched, where each feed's items go, which items have been seen, and the
items waiting for a channel's digest. The feeds feature (handlers/feeds/) owns the writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import insert, is_postgres
from storage.models import Base

ACTIVE, PAUSED, DISABLED = "active", "paused", "disabled"


class Feed(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE)  # active | paused | disabled
    every_seconds: Mapped[int] = mapped_column(Integer)
    max_age_days: Mapped[int] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    primed_at: Mapped[dt.datetime | None]  # first good poll: what was there then is recorded, not posted
    next_poll_at: Mapped[dt.datetime] = mapped_column(index=True)
    last_polled_at: Mapped[dt.datetime | None]
    last_success_at: Mapped[dt.datetime | None]
    failing_since: Mapped[dt.datetime | None]
    failures: Mapped[int] = mapped_column(Integer, default=0)  # in a row
    # why the last check failed; after a good one, what was mended in reading it (or nothing)
    last_error: Mapped[str | None] = mapped_column(Text)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    generation: Mapped[int] = mapped_column(Integer, default=0)  # bumped on resume; keys the disable notice
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime]


class FeedRoute(Base):
    """One channel a feed posts to, with that channel's filter and digest choice."""

    __tablename__ = "feed_routes"
    __table_args__ = (UniqueConstraint("feed_id", "platform", "channel_id", name="uq_feed_routes_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[str] = mapped_column(String(120))
    match_kind: Mapped[str] = mapped_column(String(10), default="all")  # all | keywords | regex
    match: Mapped[str] = mapped_column(String(500), default="")  # keywords one per line, or a regex
    digest: Mapped[str] = mapped_column(String(10), default="none")  # none | daily | weekly
    digest_time: Mapped[str] = mapped_column(String(5), default="08:00")  # local time
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0)  # Monday = 0
    day: Mapped[str] = mapped_column(String(10), default="")  # the local date the counts below are for
    posted_today: Mapped[int] = mapped_column(Integer, default=0)
    held_back_today: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime]


class FeedEntry(Base):
    """An item already seen in a feed, so it is never posted twice.

    `entry_key` hashes the guid (else the link, else title and date); `fingerprint` hashes the
    link and title, which catches feeds that hand out a new guid for an old item."""

    __tablename__ = "feed_entries"
    __table_args__ = (Index("ix_feed_entries_fingerprint", "feed_id", "fingerprint"),)

    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True)
    entry_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300), default="")
    outcome: Mapped[str] = mapped_column(String(12))  # posted | primed | old | filtered | capped | digest
    first_seen_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime] = mapped_column(index=True)


class FeedDigestItem(Base):
    """An item waiting for its channel's next digest post (`slot`, in UTC)."""

    __tablename__ = "feed_digest_items"
    __table_args__ = (UniqueConstraint("route_id", "entry_key", name="uq_feed_digest_items_entry"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("feed_routes.id", ondelete="CASCADE"))
    entry_key: Mapped[str] = mapped_column(String(64))
    slot: Mapped[dt.datetime] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(1000), default="")
    published_at: Mapped[dt.datetime | None]
    collected_at: Mapped[dt.datetime]


# --- feeds and routes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteChoice:
    platform: str
    channel_id: str
    match_kind: str = "all"
    match: str = ""
    digest: str = "none"
    digest_time: str = "08:00"
    digest_weekday: int = 0


async def add_route(
    tx: AsyncSession,
    *,
    url: str,
    route: RouteChoice,
    every_seconds: int,
    max_age_days: int,
    by: str,
    now: dt.datetime,
) -> tuple[Feed, FeedRoute, bool, bool]:
    """Watch `url` (adding the feed if new) and post it to a channel. Returns the feed, the
    route, whether the feed was new and whether the route was new (else its choices changed)."""
    feed = await tx.scalar(select(Feed).where(Feed.url == url))
    new_feed = feed is None
    if feed is None:
        feed = Feed(
            url=url,
            title="",
            status=ACTIVE,
            every_seconds=every_seconds,
            max_age_days=max_age_days,
            next_poll_at=now,
            failures=0,
            generation=0,
            created_by=by,
            created_at=now,
        )
        tx.add(feed)
        await tx.flush()
    existing = await tx.scalar(
        select(FeedRoute).where(
            FeedRoute.feed_id == feed.id,
            FeedRoute.platform == route.platform,
            FeedRoute.channel_id == route.channel_id,
        )
    )
    choices = {
        "match_kind": route.match_kind,
        "match": route.match,
        "digest": route.digest,
        "digest_time": route.digest_time,
        "digest_weekday": route.digest_weekday,
    }
    if existing is None:
        existing = FeedRoute(
            feed_id=feed.id,
            platform=route.platform,
            channel_id=route.channel_id,
            day="",
            posted_today=0,
            held_back_today=0,
            created_by=by,
            created_at=now,
            **choices,
        )
        tx.add(existing)
        new_route = True
    else:
        for name, value in choices.items():
            setattr(existing, name, value)
        new_route = False
    await tx.flush()
    return feed, existing, new_feed, new_route


async def get_feed(tx: AsyncSession, feed_id: int) -> Feed | None:
    return await tx.get(Feed, feed_id)


async def feed_by_url(tx: AsyncSession, url: str) -> Feed | None:
    return await tx.scalar(select(Feed).where(Feed.url == url))


async def routes_of(tx: AsyncSession, feed_ids: Iterable[int]) -> dict[int, list[FeedRoute]]:
    ids = list(feed_ids)
    found: dict[int, list[FeedRoute]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = await tx.scalars(select(FeedRoute).where(FeedRoute.feed_id.in_(ids)).order_by(FeedRoute.id))
    for row in rows:
        found[row.feed_id].append(row)
    return found


async def list_feeds(tx: AsyncSession) -> list[tuple[Feed, list[FeedRoute]]]:
    feeds = list((await tx.scalars(select(Feed).order_by(Feed.id))).all())
    routes = await routes_of(tx, [f.id for f in feeds])
    return [(f, routes[f.id]) for f in feeds]


async def remove_feed(tx: AsyncSession, feed_id: int) -> bool:
    # Children first: SQLite only cascades when foreign keys are switched on for the connection.
    route_ids = select(FeedRoute.id).where(FeedRoute.feed_id == feed_id)
    await tx.execute(delete(FeedDigestItem).where(FeedDigestItem.route_id.in_(route_ids)))
    await tx.execute(delete(FeedRoute).where(FeedRoute.feed_id == feed_id))
    await tx.execute(delete(FeedEntry).where(FeedEntry.feed_id == feed_id))
    result = cast(CursorResult[Any], await tx.execute(delete(Feed).where(Feed.id == feed_id)))
    return bool(result.rowcount)


async def remove_route(tx: AsyncSession, feed_id: int, platform: str, channel_id: str) -> bool:
    route_id = await tx.scalar(
        select(FeedRoute.id).where(
            FeedRoute.feed_id == feed_id, FeedRoute.platform == platform, FeedRoute.channel_id == channel_id
        )
    )
    if route_id is None:
        return False
    await tx.execute(delete(FeedDigestItem).where(FeedDigestItem.route_id == route_id))
    await tx.execute(delete(FeedRoute).where(FeedRoute.id == route_id))
    return True


async def pause(tx: AsyncSession, feed_id: int) -> bool:
    stmt = update(Feed).where(Feed.id == feed_id, Feed.status == ACTIVE).values(status=PAUSED)
    result = cast(CursorResult[Any], await tx.execute(stmt))
    return bool(result.rowcount)


async def resume(tx: AsyncSession, feed_id: int, *, now: dt.datetime) -> bool:
    """Active again, with a clean record: polled at once, failures forgotten."""
    stmt = (
        update(Feed)
        .where(Feed.id == feed_id, Feed.status.in_([PAUSED, DISABLED]))
        .values(
            status=ACTIVE,
            next_poll_at=now,
            failures=0,
            failing_since=None,
            last_error=None,
            disabled_reason=None,
            generation=Feed.generation + 1,
        )
    )
    result = cast(CursorResult[Any], await tx.execute(stmt))
    return bool(result.rowcount)


# --- polling ---------------------------------------------------------------------------------------


async def due_feeds(tx: AsyncSession, *, now: dt.datetime, limit: int = 50) -> list[Feed]:
    """Active feeds due a poll, the longest waiting first; `lease_feed` each before fetching it."""
    stmt = select(Feed).where(Feed.status == ACTIVE, Feed.next_poll_at <= now).order_by(Feed.next_poll_at).limit(limit)
    return list((await tx.scalars(stmt)).all())


async def lease_feed(tx: AsyncSession, feed: Feed, *, now: dt.datetime, lease: dt.timedelta) -> bool:
    """Lease a due feed by moving its next poll forward with a compare-and-set on the time read,
    so two replicas never fetch the same feed at once. Commit each lease on its own, before
    fetching (one feed's lease must not wait for, or hold up, another's)."""
    stmt = (
        update(Feed)
        .where(Feed.id == feed.id, Feed.status == ACTIVE, Feed.next_poll_at == feed.next_poll_at)
        .values(next_poll_at=now + lease)
    )
    result = cast(CursorResult[Any], await tx.execute(stmt))
    return bool(result.rowcount)


async def seen(tx: AsyncSession, feed_id: int, keys: list[str], fingerprints: list[str]) -> tuple[set[str], set[str]]:
    """Which of these entry keys, and which of these fingerprints, this feed has seen before."""
    if not keys:
        return set(), set()
    rows = await tx.execute(
        select(FeedEntry.entry_key, FeedEntry.fingerprint).where(
            FeedEntry.feed_id == feed_id,
            (FeedEntry.entry_key.in_(keys)) | (FeedEntry.fingerprint.in_(fingerprints)),
        )
    )
    pairs = rows.all()
    return {k for k, _ in pairs}, {f for _, f in pairs}


async def record_entries(tx: AsyncSession, feed_id: int, entries: list[dict[str, Any]], *, now: dt.datetime) -> None:
    """Remember entries (entry_key, fingerprint, title, outcome); a known one just gets last_seen_at."""
    if not entries:
        return
    rows = [
        {
            "feed_id": feed_id,
            "entry_key": e["entry_key"],
            "fingerprint": e["fingerprint"],
            "title": e["title"][:300],
            "outcome": e["outcome"],
            "first_seen_at": now,
            "last_seen_at": now,
        }
        for e in entries
    ]
    for start in range(0, len(rows), 200):
        stmt = insert(tx, FeedEntry).values(rows[start : start + 200])
        stmt = stmt.on_conflict_do_update(
            index_elements=["feed_id", "entry_key"], set_={"last_seen_at": stmt.excluded.last_seen_at}
        )
        await tx.execute(stmt)


async def poll_succeeded(
    tx: AsyncSession,
    feed_id: int,
    *,
    now: dt.datetime,
    next_poll_at: dt.datetime,
    etag: str | None,
    last_modified: str | None,
    title: str | None,
    new_url: str | None,
    primed: bool,
    repaired: str | None = None,
) -> None:
    """A good check; `repaired` says what was mended in the feed's bytes to read them, if anything."""
    values: dict[str, Any] = {
        "last_polled_at": now,
        "last_success_at": now,
        "next_poll_at": next_poll_at,
        "failures": 0,
        "failing_since": None,
        "last_error": repaired,
        "etag": etag,
        "last_modified": last_modified,
    }
    if title:
        values["title"] = title[:300]
    if primed:
        values["primed_at"] = now
    if new_url and not await tx.scalar(select(Feed.id).where(Feed.url == new_url)):
        values["url"] = new_url
    await tx.execute(update(Feed).where(Feed.id == feed_id).values(**values))


async def poll_failed(
    tx: AsyncSession, feed_id: int, *, now: dt.datetime, error: str, next_poll_at: dt.datetime
) -> Feed:
    stmt = (
        update(Feed)
        .where(Feed.id == feed_id)
        .values(
            last_polled_at=now,
            next_poll_at=next_poll_at,
            failures=Feed.failures + 1,
            failing_since=func.coalesce(Feed.failing_since, now),
            last_error=error[:2000],
        )
    )
    await tx.execute(stmt)
    feed = await tx.get(Feed, feed_id)
    assert feed is not None
    return feed


async def disable(tx: AsyncSession, feed_id: int, *, reason: str, now: dt.datetime) -> bool:
    """Stop polling for good (until resumed). True only for the call that actually disabled it."""
    stmt = (
        update(Feed)
        .where(Feed.id == feed_id, Feed.status == ACTIVE)
        .values(status=DISABLED, disabled_reason=reason[:2000], last_error=reason[:2000], last_polled_at=now)
    )
    result = cast(CursorResult[Any], await tx.execute(stmt))
    return bool(result.rowcount)


async def count_for_day(tx: AsyncSession, route_id: int, day: str, *, posted: int, held_back: int) -> None:
    """Add to a route's counts for the local day, starting afresh on a new day."""
    route = await tx.get(FeedRoute, route_id, with_for_update=is_postgres(tx))
    if route is None:
        return
    if route.day != day:
        route.day, route.posted_today, route.held_back_today = day, 0, 0
    route.posted_today += posted
    route.held_back_today += held_back


async def prune_entries(tx: AsyncSession, *, not_seen_since: dt.datetime) -> int:
    """Forget items that left their feed long ago; anything still in a feed stays remembered."""
    result = cast(CursorResult[Any], await tx.execute(delete(FeedEntry).where(FeedEntry.last_seen_at < not_seen_since)))
    return result.rowcount or 0


# --- digests ---------------------------------------------------------------------------------------


async def add_digest_items(tx: AsyncSession, items: list[dict[str, Any]]) -> None:
    if not items:
        return
    stmt = insert(tx, FeedDigestItem).values(items)
    await tx.execute(stmt.on_conflict_do_nothing(index_elements=["route_id", "entry_key"]))


async def due_digests(tx: AsyncSession, *, now: dt.datetime) -> list[tuple[int, dt.datetime]]:
    """(route, slot) pairs whose digest time has come."""
    rows = await tx.execute(
        select(FeedDigestItem.route_id, FeedDigestItem.slot)
        .where(FeedDigestItem.slot <= now)
        .group_by(FeedDigestItem.route_id, FeedDigestItem.slot)
        .order_by(FeedDigestItem.slot)
    )
    return [(r, s) for r, s in rows.all()]


async def digest_items(tx: AsyncSession, route_id: int, slot: dt.datetime) -> list[FeedDigestItem]:
    rows = await tx.scalars(
        select(FeedDigestItem)
        .where(FeedDigestItem.route_id == route_id, FeedDigestItem.slot == slot)
        .order_by(FeedDigestItem.published_at, FeedDigestItem.id)
    )
    return list(rows.all())


async def clear_digest(tx: AsyncSession, route_id: int, slot: dt.datetime) -> None:
    await tx.execute(delete(FeedDigestItem).where(FeedDigestItem.route_id == route_id, FeedDigestItem.slot == slot))


async def get_route(tx: AsyncSession, route_id: int) -> FeedRoute | None:
    return await tx.get(FeedRoute, route_id)


async def pending_digest_counts(tx: AsyncSession) -> dict[int, int]:
    rows = await tx.execute(select(FeedDigestItem.route_id, func.count()).group_by(FeedDigestItem.route_id))
    return {r: c for r, c in rows.all()}
