"""The delivery worker: claims due outbox rows and posts them through the right adapter.

Claims and leases run on the database's clock (see storage/outbox.py). An adapter whose `send`
takes `key` and `redelivery` is given the row's outbox key, so the platform itself can refuse a
second copy (Slack: message metadata looked up on redelivery; Discord: an enforced nonce).
The worker also writes the lookup counts this process has gathered, every round and on stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import logging
import os
import socket
from collections import defaultdict
from collections.abc import Mapping

from bot.adapters.base import Adapter, DeliveryError
from core import metrics
from core.clock import Clock, SystemClock
from core.context import Context
from core.model import Reply, Target
from storage import lookups, outbox
from storage.db import is_unavailable
from storage.models import OutboxMessage

log = logging.getLogger("sgbot.delivery")

# A row without a deadline fails for good after this many tries on failures that may pass.
# Every feature's post has a deadline, as nothing queues a failed post again.
MAX_ATTEMPTS = 5
# A post with a deadline (a survey's messages, an announcement before its session, the edits that
# say a survey closed or a session changed, a briefing, a feed's stopped notice) is tried until the
# deadline on failures that may pass (the platform away, a 5xx), however many attempts that takes,
# at most this many seconds apart: a short outage must not lose what nothing will queue again.
LONGEST_RETRY_WAIT = 3600
# A sent row's on_sent hook that failed (the database away just after the record) or whose worker
# died is run again by any worker once its hold runs out: looked for this often, for this long.
FOLLOW_UP_CHECK = dt.timedelta(minutes=1)
# One send (a post with its files) is cut off after this share of the outbox lease, on every
# platform, and tried again later: a platform that takes a connection and never answers must not
# hold the worker, and every other platform's posts, for ever (outside audit, issue #15: a silent
# Teams Bot Connector). Half the lease leaves the rest for recording the outcome before another
# replica may claim the row.
SEND_CAP_OF_LEASE = 0.5
# How often a channel's claimed rows are checked and renewed while they are posted: each check is a
# write, and one per post made a catch-up of 1,000 reminders 3-4 times slower (BENCHMARKS.md)
HOLD_EVERY_SECONDS = 0.25
FOLLOW_UP_RETRY_FOR = dt.timedelta(days=7)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def clock_travel(clock: Clock) -> dt.timedelta:
    """How far the bot's clock is moved on purpose from real time: nothing for the system clock
    (however wrong the host's time is, the database's clock decides), the whole difference for
    a frozen or moved clock (tests, the console's /debug clock)."""
    if isinstance(clock, SystemClock):
        return dt.timedelta(0)
    return clock.now() - outbox.real_now()


def _takes_key(adapter: Adapter) -> bool:
    try:
        parameters = inspect.signature(adapter.send).parameters
    except (TypeError, ValueError):
        return False
    return "key" in parameters and "redelivery" in parameters


class DeliveryWorker:
    def __init__(
        self, ctx: Context, adapters: Mapping[str, Adapter], *, name: str | None = None, batch: int = 50
    ) -> None:
        self.ctx = ctx
        self.adapters = adapters
        self.name = name or worker_name()
        self.batch = batch
        self._in_flight: set[int] = set()  # ids of rows being posted and recorded
        self._idle = asyncio.Event()
        self._idle.set()
        self.accepting = True
        # SQLite has one writer: queueing this worker's records here is much faster than many
        # connections waiting in SQLite's busy handler when a backlog of rows is posted at once.
        self._record_lock: asyncio.Lock | contextlib.nullcontext[None] = (
            asyncio.Lock() if ctx.db.is_sqlite else contextlib.nullcontext()
        )
        self._keyed: dict[str, bool] = {}  # platform -> its adapter's send takes the outbox key
        self._follow_ups_checked: dt.datetime | None = None  # by the bot's clock

    async def _flush_lookup_counts(self) -> None:
        try:
            await lookups.flush(self.ctx.db)
        except Exception as exc:  # noqa: BLE001 - the counts stay in memory for the next round
            log.warning("could not write lookup counts yet (%s); keeping them for the next try", type(exc).__name__)

    async def deliver_due(self) -> int:
        """Claim and post every due row this process can send; returns rows finished."""
        await self._flush_lookup_counts()
        if not self.accepting or not self.adapters:
            return 0
        await self._run_owed_follow_ups()  # first, so what they queue goes out in this round
        finished = 0
        while self.accepting:
            # The lease is counted from before the claim: the database starts it at the UPDATE,
            # and a slow commit after it (an fsync stall, a busy loop) is lease already spent (an
            # outside audit saw a post land after its lease and a second replica post it too).
            claimed_at = asyncio.get_running_loop().time()
            async with self.ctx.db.transaction() as tx:  # committed before anything is posted
                claimed = await outbox.claim(
                    tx,
                    worker=self.name,
                    travel=clock_travel(self.ctx.clock),
                    limit=self.batch,
                    platforms=list(self.adapters),
                    lease=dt.timedelta(seconds=self.ctx.settings.outbox_lease_seconds),
                )
            rows = claimed.rows
            if not rows:
                break
            by_channel: dict[tuple[str, str], list[OutboxMessage]] = defaultdict(list)
            for row in rows:
                by_channel[(row.platform, str(row.target.get("channel_id") or row.target.get("user_id")))].append(row)
            # Different channels in parallel; one channel in order (its adapter paces it).
            results = await asyncio.gather(
                *(self._deliver_in_order(group, claimed.now, claimed_at) for group in by_channel.values())
            )
            finished += sum(results)
            if len(rows) < self.batch:
                break
        return finished

    async def _deliver_in_order(self, rows: list[OutboxMessage], now: dt.datetime, claimed_at: float) -> int:
        """Post one channel's claimed rows in order. The claims still to post are renewed together
        before a row is posted, at most every HOLD_EVERY_SECONDS: a row skipped since (the reminder
        of a session cancelled meanwhile: an outside audit saw one posted after the cancellation)
        or taken over by another replica after a slow batch is not posted here."""
        loop = asyncio.get_running_loop()
        held: set[int] = {row.id for row in rows}
        checked = claimed_at
        done = 0
        for i, row in enumerate(rows):
            if not self.accepting:
                break
            if loop.time() - checked >= HOLD_EVERY_SECONDS:
                checked = loop.time()
                held = await self._still_held(rows[i:])
                if not self.accepting:  # stopping began meanwhile: the rows are handed back
                    break
            if row.id not in held:
                late = loop.time() - claimed_at
                log.info("outbox row %s was skipped or taken over %.1f s after its claim; not posted", row.id, late)
                continue
            await self._deliver(row, now)
            done += 1
        return done

    async def _still_held(self, rows: list[OutboxMessage]) -> set[int]:
        lease = self.ctx.settings.outbox_lease_seconds
        async with self.ctx.db.transaction() as tx:
            return await outbox.hold_many(
                tx,
                [row.id for row in rows],
                worker=self.name,
                lease=dt.timedelta(seconds=lease),
                travel=clock_travel(self.ctx.clock),
            )

    async def _deliver(self, row: OutboxMessage, now: dt.datetime) -> None:
        """Post one claimed row; `now` is the database's time at the claim."""
        if row.expires_at is not None and now > row.expires_at:
            async with self.ctx.db.transaction() as tx:
                await outbox.mark_skipped(
                    tx, row.id, worker=self.name, reason="fell due while the bot was offline and is no longer useful"
                )
            metrics.OUTBOX.labels("skipped").inc()
            return
        adapter = self.adapters[row.platform]
        target = Target.model_validate(row.target)
        # In flight until the outcome is recorded: shutdown must not hand the row back between
        # the platform accepting a post and the database saying so.
        self._in_flight.add(row.id)
        self._idle.clear()
        try:
            cap = self.ctx.settings.outbox_lease_seconds * SEND_CAP_OF_LEASE
            try:
                reply = Reply.model_validate(row.payload)
                if row.platform not in self._keyed:
                    self._keyed[row.platform] = _takes_key(adapter)
                async with asyncio.timeout(cap):
                    if self._keyed[row.platform]:
                        # attempts > 1: an earlier claim may have posted it before its worker died.
                        send = adapter.send(target, reply, key=row.key, redelivery=row.attempts > 1)  # type: ignore[call-arg]
                        message_id = await send
                    else:
                        message_id = await adapter.send(target, reply)
            except TimeoutError:
                # It may have gone out: tried again as a redelivery, which each platform checks for.
                log.warning("outbox row %s: %s did not answer within %.0f s", row.id, row.platform, cap)
                reason = f"{row.platform} did not answer within {cap:.0f} s"
                await self._failed(row, reason, permanent=False, retry_after=None)
                return
            except DeliveryError as exc:
                await self._failed(row, exc.reason, permanent=exc.permanent, retry_after=exc.retry_after)
                return
            except Exception as exc:  # noqa: BLE001 - one bad row must not stop the others
                log.exception("posting outbox row %s failed", row.id)
                await self._failed(row, f"{type(exc).__name__}: {exc}", permanent=False, retry_after=None)
                return
            await self._record_sent(row, message_id)
        finally:
            self._in_flight.discard(row.id)
            if not self._in_flight:
                self._idle.set()
        metrics.OUTBOX.labels("sent").inc()
        if row.on_sent:
            await self._follow_up(row, target, message_id)

    async def _record_sent(self, row: OutboxMessage, message_id: str) -> None:
        """The post went out: keep trying to record that, or the row would be posted again
        when its lease runs out. Gives up only when the lease is nearly over."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.ctx.settings.outbox_lease_seconds * 0.8
        delay = 0.2
        while True:
            try:
                async with self._record_lock, self.ctx.db.transaction() as tx:
                    await outbox.mark_sent(
                        tx,
                        row.id,
                        worker=self.name,
                        message_id=message_id,
                        now=self.ctx.now(),
                        follow_up=self._lease() if row.on_sent else None,
                        travel=clock_travel(self.ctx.clock),
                    )
                return
            except Exception as exc:
                if not is_unavailable(exc) or loop.time() + delay > deadline:
                    raise
                log.warning("posted outbox row %s but the database is away; retrying the record", row.id)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _failed(self, row: OutboxMessage, reason: str, *, permanent: bool, retry_after: float | None) -> None:
        if retry_after is not None and not permanent:
            await self._rate_limited(row, reason, retry_after)
            return
        until_deadline = row.expires_at is not None
        if permanent or (row.attempts >= MAX_ATTEMPTS and not until_deadline):
            async with self.ctx.db.transaction() as tx:
                await outbox.mark_failed(tx, row.id, worker=self.name, reason=reason)
            metrics.OUTBOX.labels("failed").inc()
            log.warning("outbox row %s failed for good: %s", row.id, reason)
            return
        longest = LONGEST_RETRY_WAIT if until_deadline else 300
        delay = retry_after if retry_after is not None else min(longest, 5 * 2 ** min(row.attempts - 1, 12))
        if row.attempts >= MAX_ATTEMPTS:
            log.warning("outbox row %s failed again (%s); trying again until its deadline", row.id, reason)
        async with self.ctx.db.transaction() as tx:
            await outbox.retry_later(
                tx,
                row.id,
                worker=self.name,
                after=dt.timedelta(seconds=delay),
                travel=clock_travel(self.ctx.clock),
                reason=reason,
            )

    async def _rate_limited(self, row: OutboxMessage, reason: str, retry_after: float) -> None:
        """The platform asked for a wait, which says nothing against the post: try again when
        it said, however often it asks, without counting this attempt. The count stays at least
        one, so the next claim still looks for an earlier copy (a post can go out before its
        file is refused)."""
        async with self.ctx.db.transaction() as tx:
            await outbox.retry_later(
                tx,
                row.id,
                worker=self.name,
                after=dt.timedelta(seconds=max(retry_after, 0.0)),
                travel=clock_travel(self.ctx.clock),
                reason=reason,
                attempts=max(row.attempts - 1, 1),
            )
        log.info("outbox row %s is rate limited; trying again in %.0f s", row.id, retry_after)

    def _lease(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.ctx.settings.outbox_lease_seconds)

    async def _follow_up(self, row: OutboxMessage, target: Target, message_id: str) -> None:
        """Run a sent row's on_sent hook and record that it ran. If it fails, the row stays owed
        and any worker runs the hook again later (hooks must be safe to run twice); the post
        itself is never sent again."""
        travel = clock_travel(self.ctx.clock)
        try:
            await self._notify_sent(row, target, message_id)
        except Exception:  # noqa: BLE001 - the post went out; a failed follow-up must not resend it
            log.exception("on_sent hook %s failed for outbox row %s; it will be run again", row.on_sent, row.id)
            # Retries grow with the time since the post (at least a lease apart, at most an hour).
            since = self.ctx.now() - row.sent_at if row.sent_at is not None else dt.timedelta(0)
            wait = min(max(since, self._lease()), dt.timedelta(seconds=LONGEST_RETRY_WAIT))
            with contextlib.suppress(Exception):  # the database may still be away: the hold then runs out
                async with self.ctx.db.transaction() as tx:
                    await outbox.follow_up_later(tx, row.id, worker=self.name, after=wait, travel=travel)
            return
        try:
            async with self.ctx.db.transaction() as tx:
                await outbox.follow_up_done(tx, row.id, worker=self.name)
        except Exception as exc:  # noqa: BLE001 - the hook ran; at worst it runs once more
            log.warning("on_sent hook of outbox row %s ran but could not be recorded (%s)", row.id, type(exc).__name__)

    async def _notify_sent(self, row: OutboxMessage, target: Target, message_id: str) -> None:
        feature, _, ref = (row.on_sent or "").partition(":")
        hook = self.ctx.registry.sent_hooks.get(feature)
        if hook is None:
            log.warning("no on_sent hook for feature %s", feature)
            return
        await hook.fn(self.ctx, ref, row.platform, target, message_id)

    async def _run_owed_follow_ups(self) -> None:
        """Run again the on_sent hooks that failed, or whose worker died, after their post was
        recorded as sent (e.g. the hook that links a training announcement to its post)."""
        now = self.ctx.now()
        last = self._follow_ups_checked
        if not self.accepting or (last is not None and abs(now - last) < FOLLOW_UP_CHECK):
            return
        self._follow_ups_checked = now
        async with self.ctx.db.transaction() as tx:
            owed = await outbox.claim_follow_ups(
                tx,
                worker=self.name,
                lease=self._lease(),
                within=FOLLOW_UP_RETRY_FOR,
                travel=clock_travel(self.ctx.clock),
            )
        for key in owed.abandoned:
            log.error(
                "gave up the on_sent hook of outbox row %s: it still failed %d days after the post",
                key,
                FOLLOW_UP_RETRY_FOR.days,
            )
        for row in owed.rows:
            log.info("running the on_sent hook of outbox row %s again", row.id)
            await self._follow_up(row, Target.model_validate(row.target), row.message_id or "")

    async def shutdown(self, grace_seconds: float = 10.0) -> int:
        """Stop claiming, wait for in-flight posts, hand back anything still claimed, and write
        the lookup counts still in memory. A post still running after the grace may yet reach
        the platform: its row stays claimed, and once the lease runs out it is taken as a
        redelivery (as after a kill), never handed back as untried."""
        self.accepting = False
        if self._in_flight:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), grace_seconds)
        await self._flush_lookup_counts()
        still_posting = set(self._in_flight)
        if still_posting:
            log.warning(
                "%d posts still in flight after %.0f s; their rows stay claimed until the lease runs out",
                len(still_posting),
                grace_seconds,
            )
        try:
            async with self.ctx.db.transaction() as tx:
                return await outbox.release_claims(tx, worker=self.name, keep=still_posting)
        except Exception as exc:  # noqa: BLE001 - the database is away: the leases hand the rows on
            # (an outside audit: SIGTERM while the database was away exited 1 with a traceback and
            # skipped the rest of stopping)
            log.warning(
                "could not hand back claimed posts while stopping (%s); another replica takes them "
                "when their lease runs out",
                type(exc).__name__,
            )
            return 0
