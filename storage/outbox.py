"""The outbox: every scheduled or fanned-out post becomes a row with an idempotency key.

Enqueueing the same key twice has no effect, and claiming is safe with several workers:
on PostgreSQL the claim uses FOR UPDATE SKIP LOCKED, on SQLite one statement is atomic.
A claim is a lease: if the worker dies, the row becomes claimable again when it expires. A sent
row whose on_sent hook has not run yet keeps a lease too (`claimed_until` set), so a hook lost to a
database blip or a kill just after the record is run again by any worker (`claim_follow_ups`).

Whether a row is due and whether a lease has run out are decided by the database's clock, in
the statement itself, never by the clock of the replica asking: with one replica's clock ten
minutes ahead, that replica would otherwise see every other replica's leases as long expired
and post their rows a second time. Stored times stay UTC. A bot whose clock is deliberately
moved (the console's `/debug clock`, tests' frozen clocks) passes that move as `travel`, and
the database's clock is read moved by the same amount; a host's own clock error never is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Interval, and_, delete, func, literal, literal_column, or_, select, type_coerce, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.db import insert, is_postgres
from storage.models import OutboxMessage, UTCDateTime

PENDING, CLAIMED, SENT, FAILED, SKIPPED = "pending", "claimed", "sent", "failed", "skipped"


@dataclass(frozen=True)
class NewMessage:
    key: str
    platform: str
    target: dict[str, Any]
    payload: dict[str, Any]
    due_at: dt.datetime
    expires_at: dt.datetime | None = None
    on_sent: str | None = None


async def enqueue(tx: AsyncSession, messages: list[NewMessage], *, now: dt.datetime) -> int:
    """Add messages; keys already present are left alone. Returns how many were new. They are
    added if and only if the caller's transaction commits (e.g. with the RSVP that schedules
    its reminders)."""
    if not messages:
        return 0
    rows = [
        {
            "key": m.key,
            "platform": m.platform,
            "target": m.target,
            "payload": m.payload,
            "due_at": m.due_at,
            "expires_at": m.expires_at,
            "status": PENDING,
            "attempts": 0,
            "on_sent": m.on_sent,
            "created_at": now,
        }
        for m in messages
    ]
    added = 0
    for start in range(0, len(rows), 500):
        stmt = insert(tx, OutboxMessage).values(rows[start : start + 500])
        result = await tx.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))
        added += max(cast(CursorResult[Any], result).rowcount or 0, 0)
    return added


def real_now() -> dt.datetime:
    """This host's time, only ever used to measure how far a bot's clock was moved on purpose."""
    return dt.datetime.now(dt.UTC)


async def database_now(tx: AsyncSession) -> dt.datetime:
    """The database's clock, read: what the outbox decides by."""
    now = await tx.scalar(select(db_time(tx)))
    assert now is not None
    return now


def db_time(tx: AsyncSession, travel: dt.timedelta = dt.timedelta(0)) -> ColumnElement[dt.datetime]:
    """The database's current time (moved by `travel`), as SQL evaluated by the database.

    SQLite: strftime gives milliseconds; three zeros make the microseconds SQLAlchemy stores,
    so the text compares correctly with stored values. PostgreSQL: statement_timestamp(), a
    timestamptz read as each statement starts; not now(), the transaction's start, which is before
    any wait for a lock in it (a review: a Going press that had waited behind a Can't go took a
    reminder that fell due in that wait for one still ahead, and would have sent it again)."""
    seconds = travel.total_seconds()
    if not is_postgres(tx):
        modifier = f"{seconds:+.6f} seconds"
        return literal_column(f"(strftime('%Y-%m-%d %H:%M:%f', 'now', '{modifier}') || '000')", type_=UTCDateTime())
    now: ColumnElement[dt.datetime] = func.statement_timestamp()
    if seconds:
        now = now + literal(travel, Interval())
    return type_coerce(now, UTCDateTime())


def _travel(now: dt.datetime | None, travel: dt.timedelta | None) -> dt.timedelta:
    if travel is not None:
        return travel
    # A caller giving only its clock's reading: whatever separates it from this host's time
    # is taken as a deliberate move (a frozen clock), not as an error of the host's clock.
    return dt.timedelta(0) if now is None else now - real_now()


@dataclass
class Claimed:
    rows: list[OutboxMessage]
    now: dt.datetime  # the database's time (moved by `travel`) when the rows were claimed


async def claim(
    tx: AsyncSession,
    *,
    worker: str,
    now: dt.datetime | None = None,
    travel: dt.timedelta | None = None,
    limit: int = 50,
    lease: dt.timedelta = dt.timedelta(minutes=2),
    platforms: list[str] | None = None,
) -> Claimed:
    """Claim up to `limit` due rows for this worker, oldest first, by the database's clock.
    The claim holds only once the caller's transaction commits: commit before posting."""
    moved = _travel(now, travel)
    current = db_time(tx, moved)
    claimable = or_(
        OutboxMessage.status == PENDING,
        and_(OutboxMessage.status == CLAIMED, OutboxMessage.claimed_until < current),
    )
    wanted = select(OutboxMessage.id).where(claimable, OutboxMessage.due_at <= current)
    if platforms is not None:
        wanted = wanted.where(OutboxMessage.platform.in_(platforms))
    wanted = wanted.order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit)
    if is_postgres(tx):
        wanted = wanted.with_for_update(skip_locked=True)
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(wanted.scalar_subquery()))
        .values(
            status=CLAIMED,
            claimed_by=worker,
            claimed_until=db_time(tx, moved + lease),
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False)
    )
    rows = list((await tx.scalars(stmt)).all())
    # Read just after the claim's statement (on SQLite the same millisecond, as a rule).
    at = await tx.scalar(select(db_time(tx, moved)))
    assert at is not None
    return Claimed(sorted(rows, key=lambda r: (r.due_at, r.id)), at)


async def claim_due(
    tx: AsyncSession,
    *,
    worker: str,
    now: dt.datetime | None = None,
    travel: dt.timedelta | None = None,
    limit: int = 50,
    lease: dt.timedelta = dt.timedelta(minutes=2),
    platforms: list[str] | None = None,
) -> list[OutboxMessage]:
    """`claim`, returning only the rows."""
    claimed = await claim(tx, worker=worker, now=now, travel=travel, limit=limit, lease=lease, platforms=platforms)
    return claimed.rows


async def hold_many(
    tx: AsyncSession, row_ids: list[int], *, worker: str, lease: dt.timedelta, travel: dt.timedelta = dt.timedelta(0)
) -> set[int]:
    """Renew this worker's claims on rows it is about to post, for another `lease` by the
    database's clock, in one statement; the ids of those still this worker's. A row missing from
    the answer was skipped meanwhile or taken by another worker once its lease ran out: it must
    not be posted here, or it could go out twice."""
    if not row_ids:
        return set()
    mine = (OutboxMessage.id.in_(row_ids), OutboxMessage.status == CLAIMED, OutboxMessage.claimed_by == worker)
    await tx.execute(update(OutboxMessage).where(*mine).values(claimed_until=db_time(tx, travel + lease)))
    return set((await tx.execute(select(OutboxMessage.id).where(*mine))).scalars())


async def _finish(tx: AsyncSession, row_id: int, worker: str, **values: Any) -> bool:
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.status == CLAIMED, OutboxMessage.claimed_by == worker)
        .values(**{"claimed_until": None, **values})
    )
    result = await tx.execute(stmt)
    return bool(cast(CursorResult[Any], result).rowcount)


async def mark_sent(
    tx: AsyncSession,
    row_id: int,
    *,
    worker: str,
    message_id: str | None,
    now: dt.datetime,
    follow_up: dt.timedelta | None = None,
    travel: dt.timedelta = dt.timedelta(0),
) -> bool:
    """Record a post as sent. A row with an on_sent hook passes `follow_up`: the hook is then owed
    until `follow_up_done`, and this worker holds it that long (by the database's clock); once the
    hold runs out, any worker runs it again (`claim_follow_ups`), so a database blip or a kill
    between this record and the hook never loses what the hook does."""
    held = None if follow_up is None else db_time(tx, travel + follow_up)
    return await _finish(
        tx, row_id, worker, status=SENT, message_id=message_id, sent_at=now, error=None, claimed_until=held
    )


# A sent row's hook is owed while its claimed_until is set; this says who holds it.
def _owed_by(row_id: int, worker: str) -> ColumnElement[bool]:
    return and_(
        OutboxMessage.id == row_id,
        OutboxMessage.status == SENT,
        OutboxMessage.claimed_by == worker,
        OutboxMessage.claimed_until.is_not(None),
    )


async def follow_up_done(tx: AsyncSession, row_id: int, *, worker: str) -> bool:
    """The on_sent hook of a sent row has run; False if another worker holds it now."""
    result = await tx.execute(update(OutboxMessage).where(_owed_by(row_id, worker)).values(claimed_until=None))
    return bool(cast(CursorResult[Any], result).rowcount)


async def follow_up_later(
    tx: AsyncSession, row_id: int, *, worker: str, after: dt.timedelta, travel: dt.timedelta = dt.timedelta(0)
) -> bool:
    """The hook failed: any worker may run it again after `after`, by the database's clock."""
    stmt = update(OutboxMessage).where(_owed_by(row_id, worker)).values(claimed_until=db_time(tx, travel + after))
    result = await tx.execute(stmt)
    return bool(cast(CursorResult[Any], result).rowcount)


@dataclass
class FollowUps:
    rows: list[OutboxMessage]  # sent rows whose hook this worker now holds, to run again
    abandoned: list[str]  # keys of rows whose hook was still owed after `within`; no longer tried


async def claim_follow_ups(
    tx: AsyncSession,
    *,
    worker: str,
    lease: dt.timedelta,
    within: dt.timedelta,
    travel: dt.timedelta = dt.timedelta(0),
    limit: int = 50,
) -> FollowUps:
    """Take the sent rows whose on_sent hook is still owed and no longer held (its worker failed
    or died after the record), sent less than `within` ago; older ones are given up."""
    current = db_time(tx, travel)
    owed = and_(
        OutboxMessage.status == SENT,
        OutboxMessage.on_sent.is_not(None),
        OutboxMessage.claimed_until.is_not(None),
        OutboxMessage.claimed_until < current,
    )
    too_old = OutboxMessage.sent_at < db_time(tx, travel - within)
    abandoned = await tx.scalars(
        update(OutboxMessage)
        .where(owed, too_old)
        .values(claimed_until=None)
        .returning(OutboxMessage.key)
        .execution_options(synchronize_session=False)
    )
    gave_up = list(abandoned.all())
    # Not too old either: on SQLite each statement reads the clock afresh.
    wanted = select(OutboxMessage.id).where(owed, ~too_old).order_by(OutboxMessage.id).limit(limit)
    if is_postgres(tx):
        wanted = wanted.with_for_update(skip_locked=True)
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(wanted.scalar_subquery()))
        .values(claimed_by=worker, claimed_until=db_time(tx, travel + lease))
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False)
    )
    rows = list((await tx.scalars(stmt)).all())
    return FollowUps(sorted(rows, key=lambda r: r.id), gave_up)


async def mark_failed(tx: AsyncSession, row_id: int, *, worker: str, reason: str) -> bool:
    return await _finish(tx, row_id, worker, status=FAILED, error=reason[:2000])


async def mark_skipped(tx: AsyncSession, row_id: int, *, worker: str, reason: str) -> bool:
    return await _finish(tx, row_id, worker, status=SKIPPED, error=reason[:2000])


async def retry_later(
    tx: AsyncSession,
    row_id: int,
    *,
    worker: str,
    reason: str,
    due_at: dt.datetime | None = None,
    after: dt.timedelta | None = None,
    travel: dt.timedelta = dt.timedelta(0),
    attempts: int | None = None,
) -> bool:
    """Put a row back to pending after a temporary failure: due again at `due_at`, or `after`
    a delay counted on the database's clock (so a fast replica does not hold it back).
    `attempts` replaces the row's count, e.g. to take back one the platform only deferred."""
    if (due_at is None) == (after is None):
        raise ValueError("give either due_at or after")
    due: Any = due_at if due_at is not None else db_time(tx, travel + (after or dt.timedelta(0)))
    counted = {} if attempts is None else {"attempts": attempts}
    return await _finish(
        tx, row_id, worker, status=PENDING, claimed_by=None, due_at=due, error=reason[:2000], **counted
    )


async def post_failed_again(
    tx: AsyncSession, key: str, *, payload: dict[str, Any], due_at: dt.datetime, expires_at: dt.datetime | None
) -> bool:
    """Put a post that failed for good back in the queue under its own key, with new content and
    times; False if the row is not (or no longer) failed. Its count stays at one, so the first
    claim still looks for a copy a failed try may have left on the platform."""
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.key == key, OutboxMessage.status == FAILED)
        .values(
            status=PENDING,
            payload=payload,
            due_at=due_at,
            expires_at=expires_at,
            attempts=1,
            claimed_by=None,
            claimed_until=None,
            error=None,
        )
    )
    result = await tx.execute(stmt)
    return bool(cast(CursorResult[Any], result).rowcount)


async def release_claims(tx: AsyncSession, *, worker: str, keep: Collection[int] = ()) -> int:
    """Hand back every row this worker holds, e.g. on shutdown, so another can take them, as
    never tried. Rows in `keep` (posts that may still go out) stay claimed until their lease
    runs out, and are then taken as a redelivery, which looks for the earlier post first."""
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.status == CLAIMED, OutboxMessage.claimed_by == worker, OutboxMessage.id.not_in(list(keep)))
        .values(status=PENDING, claimed_by=None, claimed_until=None, attempts=OutboxMessage.attempts - 1)
    )
    result = await tx.execute(stmt)
    return cast(CursorResult[Any], result).rowcount or 0


async def cancel_pending(tx: AsyncSession, key_prefix: str, *, reason: str) -> int:
    """Skip every pending row whose key starts with a prefix, e.g. a cancelled session's reminders."""
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.status == PENDING, OutboxMessage.key.startswith(key_prefix, autoescape=True))
        .values(status=SKIPPED, error=reason)
    )
    result = await tx.execute(stmt)
    return cast(CursorResult[Any], result).rowcount or 0


async def get(tx: AsyncSession, key: str) -> OutboxMessage | None:
    return await tx.scalar(select(OutboxMessage).where(OutboxMessage.key == key))


async def posted_buttons(tx: AsyncSession, platform: str, channel_id: str, message_id: str) -> set[str]:
    """The action ids of the buttons on a post the bot made through the outbox on `platform`, in
    `channel_id`, as `message_id` (an edit of it kept its buttons' actions, so the original row
    answers). A message id is unique only within its conversation; a thread's suffix
    (";messageid=...") is not part of the channel."""
    rows = await tx.execute(
        select(OutboxMessage.target, OutboxMessage.payload).where(
            OutboxMessage.message_id == message_id, OutboxMessage.platform == platform, OutboxMessage.status == SENT
        )
    )
    channel = channel_id.partition(";messageid=")[0]
    payloads = [
        payload
        for target, payload in rows.all()
        if str((target or {}).get("channel_id") or "").partition(";messageid=")[0] == channel
    ]
    return {
        str(button.get("action_id"))
        for payload in payloads
        for block in (payload or {}).get("blocks", ())
        if isinstance(block, dict) and block.get("type") == "buttons"
        for button in block.get("buttons", ())
        if isinstance(button, dict)
    }


async def counts(tx: AsyncSession) -> dict[str, int]:
    rows = await tx.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    found = {status: 0 for status in (PENDING, CLAIMED, SENT, FAILED, SKIPPED)}
    found.update({status: count for status, count in rows.all()})
    return found


async def next_due(tx: AsyncSession) -> dt.datetime | None:
    return await tx.scalar(select(func.min(OutboxMessage.due_at)).where(OutboxMessage.status == PENDING))


# Finished rows are kept this long: long enough that a retried or repeated command for the same
# post still finds its key, short enough that the table holds months, not years, of rows.
KEEP_FINISHED = dt.timedelta(days=90)


# Rows that are the partnership's record of what it posted where, kept for good: `/bulletin list`,
# `/briefing NAME stats`, `sgbot report briefings` and the once-per-channel rule read them. A few
# rows a week; reminders, feeds and survey messages are not kept.
KEPT_AS_RECORD = ("bulletin:", "briefing:")


async def purge_finished(tx: AsyncSession, *, now: dt.datetime, keep: dt.timedelta = KEEP_FINISHED) -> int:
    """Delete sent, failed and skipped rows whose due time is older than `keep`, except the
    record (KEPT_AS_RECORD); pending and claimed rows are never touched."""
    stmt = delete(OutboxMessage).where(
        OutboxMessage.status.in_((SENT, FAILED, SKIPPED)),
        OutboxMessage.due_at < now - keep,
        *(~OutboxMessage.key.startswith(prefix, autoescape=True) for prefix in KEPT_AS_RECORD),
    )
    result = await tx.execute(stmt)
    return cast(CursorResult[Any], result).rowcount or 0
