"""Outbox, delivery de-duplication, thread claims, audit and state on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from storage import audit, deliveries, outbox, state, threads
from storage.db import Database
from storage.outbox import NewMessage
from tests.storage_support import in_tx

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def message(key: str, due: dt.datetime = T0, **extra: object) -> NewMessage:
    return NewMessage(
        key=key,
        platform="console",
        target={"kind": "channel", "channel_id": "general"},
        payload={"blocks": [{"type": "text", "text": key}]},
        due_at=due,
        **extra,  # type: ignore[arg-type]
    )


async def test_enqueue_is_idempotent_by_key(db: Database) -> None:
    assert await in_tx(db, outbox.enqueue, [message("a"), message("b")], now=T0) == 2
    assert await in_tx(db, outbox.enqueue, [message("a"), message("c")], now=T0) == 1
    assert (await in_tx(db, outbox.counts))["pending"] == 3


async def test_claim_takes_only_due_rows_oldest_first(db: Database) -> None:
    await in_tx(
        db,
        outbox.enqueue,
        [
            message("late", T0 + dt.timedelta(hours=1)),
            message("second", T0),
            message("first", T0 - dt.timedelta(minutes=5)),
        ],
        now=T0,
    )
    rows = await in_tx(db, outbox.claim_due, worker="w1", now=T0)
    assert [r.key for r in rows] == ["first", "second"]
    assert all(r.status == "claimed" and r.claimed_by == "w1" for r in rows)
    assert await in_tx(db, outbox.claim_due, worker="w2", now=T0) == []


async def test_sent_rows_keep_the_message_id_and_are_not_claimed_again(db: Database) -> None:
    await in_tx(db, outbox.enqueue, [message("a")], now=T0)
    [row] = await in_tx(db, outbox.claim_due, worker="w1", now=T0)
    assert await in_tx(db, outbox.mark_sent, row.id, worker="w1", message_id="1700000000.0001", now=T0)
    stored = await in_tx(db, outbox.get, "a")
    assert stored is not None and stored.status == "sent" and stored.message_id == "1700000000.0001"
    assert await in_tx(db, outbox.claim_due, worker="w1", now=T0 + dt.timedelta(days=1)) == []


async def test_a_dead_workers_lease_expires_and_the_row_is_claimed_once_more(db: Database) -> None:
    await in_tx(db, outbox.enqueue, [message("a")], now=T0)
    [row] = await in_tx(db, outbox.claim_due, worker="dead", now=T0, lease=dt.timedelta(minutes=2))
    assert await in_tx(db, outbox.claim_due, worker="alive", now=T0 + dt.timedelta(minutes=1)) == []
    [again] = await in_tx(db, outbox.claim_due, worker="alive", now=T0 + dt.timedelta(minutes=3))
    assert again.id == row.id and again.attempts == 2
    # The dead worker can no longer finish a row it lost.
    assert not await in_tx(db, outbox.mark_sent, row.id, worker="dead", message_id="x", now=T0)


async def test_release_hands_claimed_rows_back(db: Database) -> None:
    await in_tx(db, outbox.enqueue, [message("a"), message("b")], now=T0)
    await in_tx(db, outbox.claim_due, worker="w1", now=T0)
    assert await in_tx(db, outbox.release_claims, worker="w1") == 2
    assert len(await in_tx(db, outbox.claim_due, worker="w2", now=T0)) == 2


async def test_failed_and_skipped_rows_keep_their_reason(db: Database) -> None:
    await in_tx(db, outbox.enqueue, [message("a"), message("b")], now=T0)
    a, b = await in_tx(db, outbox.claim_due, worker="w", now=T0)
    await in_tx(db, outbox.mark_failed, a.id, worker="w", reason="channel_not_found")
    await in_tx(db, outbox.mark_skipped, b.id, worker="w", reason="session already started")
    stored_a, stored_b = await in_tx(db, outbox.get, "a"), await in_tx(db, outbox.get, "b")
    assert stored_a is not None and (stored_a.status, stored_a.error) == ("failed", "channel_not_found")
    assert stored_b is not None and (stored_b.status, stored_b.error) == ("skipped", "session already started")


async def test_cancel_pending_skips_rows_by_key_prefix(db: Database) -> None:
    await in_tx(
        db, outbox.enqueue, [message("reminder:1:a"), message("reminder:1:b"), message("reminder:10:a")], now=T0
    )
    assert await in_tx(db, outbox.cancel_pending, "reminder:1:", reason="session cancelled") == 2
    assert [r.key for r in await in_tx(db, outbox.claim_due, worker="w", now=T0)] == ["reminder:10:a"]


async def test_two_concurrent_claimers_never_take_the_same_row(database_url: str) -> None:
    """Two engines (as two replicas would have) claim in parallel; every row goes to one."""
    first, second = Database(database_url), Database(database_url)
    try:
        await first.upgrade()
        if first.is_sqlite:
            pytest.skip("row locking is only meaningful on PostgreSQL; SQLite has one writer")
        from tests.conftest import _clean_postgres

        await _clean_postgres(first)
        await in_tx(first, outbox.enqueue, [message(f"m{i}") for i in range(300)], now=T0)

        async def drain(db: Database, name: str) -> list[int]:
            taken: list[int] = []
            while rows := await in_tx(db, outbox.claim_due, worker=name, now=T0, limit=7):
                taken.extend(r.id for r in rows)
                await asyncio.sleep(0)
            return taken

        a, b = await asyncio.gather(drain(first, "a"), drain(second, "b"))
        assert set(a).isdisjoint(b)
        assert len(a) + len(b) == 300
        assert a and b  # both really took part
    finally:
        await first.dispose()
        await second.dispose()


async def test_a_delivery_id_is_only_new_once(db: Database) -> None:
    assert await deliveries.first_sighting(db, "slack:Ev1", now=T0)
    assert not await deliveries.first_sighting(db, "slack:Ev1", now=T0)
    await in_tx(db, deliveries.forget, await deliveries.stored_key(db, "slack:Ev1"))
    assert await deliveries.first_sighting(db, "slack:Ev1", now=T0)


async def test_expired_delivery_ids_are_purged(db: Database) -> None:
    await deliveries.first_sighting(db, "old", now=T0, ttl=dt.timedelta(hours=1))
    await deliveries.first_sighting(db, "new", now=T0, ttl=dt.timedelta(days=3))
    assert await in_tx(db, deliveries.purge_expired, now=T0 + dt.timedelta(days=1)) == 1
    assert await deliveries.first_sighting(db, "old", now=T0)
    assert not await deliveries.first_sighting(db, "new", now=T0)


async def test_finished_outbox_rows_are_purged_after_ninety_days_and_pending_ones_never(db: Database) -> None:
    old = T0 - dt.timedelta(days=120)
    await in_tx(db, outbox.enqueue, [message("sent-long-ago", due=old), message("waiting-long-ago", due=old)], now=old)
    await in_tx(db, outbox.enqueue, [message("sent-recently", due=T0 - dt.timedelta(days=2))], now=T0)
    for row in await in_tx(db, outbox.claim_due, worker="w1", now=T0):
        if row.key != "waiting-long-ago":
            await in_tx(db, outbox.mark_sent, row.id, worker="w1", message_id="1", now=T0)
    await in_tx(db, outbox.release_claims, worker="w1")

    assert await in_tx(db, outbox.purge_finished, now=T0) == 1
    assert await in_tx(db, outbox.get, "sent-long-ago") is None
    assert (await in_tx(db, outbox.get, "sent-recently")) is not None
    waiting = await in_tx(db, outbox.get, "waiting-long-ago")
    assert waiting is not None and waiting.status == outbox.PENDING


async def test_thread_claims_route_to_the_latest_owner(db: Database) -> None:
    async with db.transaction() as tx:
        await threads.claim_thread(
            tx, platform="slack", channel_id="C1", thread_id="1.2", feature="training", ref="7", now=T0
        )
    async with db.transaction() as tx:
        await threads.claim_thread(
            tx, platform="slack", channel_id="C1", thread_id="1.2", feature="surveys", ref="s9", now=T0
        )
    async with db.transaction() as tx:
        owner = await threads.thread_owner(tx, platform="slack", channel_id="C1", thread_id="1.2")
        assert owner is not None and (owner.feature, owner.ref) == ("surveys", "s9")
        assert await threads.thread_owner(tx, platform="slack", channel_id="C1", thread_id="9.9") is None


async def test_audit_entries_filter_by_time_and_actor(db: Database) -> None:
    async with db.transaction() as tx:
        await audit.record(tx, at=T0, platform="console", actor="sam", action="session.created", subject="12")
        await audit.record(tx, at=T0 + dt.timedelta(days=2), platform="slack", actor="U1", action="feed.added")
    async with db.transaction() as tx:
        assert [e.action for e in await audit.entries(tx)] == ["session.created", "feed.added"]
        assert [e.actor for e in await audit.entries(tx, since=T0 + dt.timedelta(days=1))] == ["U1"]
        assert [e.action for e in await audit.entries(tx, actor="sam")] == ["session.created"]


async def test_timestamps_come_back_in_utc(db: Database) -> None:
    from zoneinfo import ZoneInfo

    london_summer = dt.datetime(2026, 7, 1, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    await in_tx(db, outbox.enqueue, [message("tz", london_summer)], now=T0)
    stored = await in_tx(db, outbox.get, "tz")
    assert stored is not None
    assert stored.due_at == london_summer and stored.due_at.utcoffset() == dt.timedelta(0)


async def test_state_values_survive_a_new_connection(database_url: str) -> None:
    first = Database(database_url)
    await first.upgrade()
    async with first.transaction() as tx:
        await state.put(tx, "answer", "42", now=T0)
    async with first.transaction() as tx:
        await state.put(tx, "answer", "43", now=T0)
    await first.dispose()
    second = Database(database_url)
    try:
        await second.upgrade()  # a no-op on an up-to-date database
        async with second.transaction() as tx:
            assert await state.get(tx, "answer") == "43"
    finally:
        await second.dispose()


async def test_upgrade_twice_leaves_the_same_revisions(db: Database) -> None:
    before = await db.current_revisions()
    await db.upgrade()
    assert await db.current_revisions() == before
    assert before  # at least the core revision
