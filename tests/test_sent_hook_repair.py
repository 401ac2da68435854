"""A post's on_sent hook is not lost after the post is recorded as sent. An outside audit (deliv3
#3): PostgreSQL cut for a second just after an announcement's row was recorded as sent made the
training hook fail once and never run again, so the announcement never learnt its message id, its
thread was not claimed, its thread reminders never queued and Going presses never updated it.
The hook is now owed until it has run, and any worker runs it again once its hold runs out."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bot.delivery import FOLLOW_UP_RETRY_FOR, DeliveryWorker
from core.clock import FrozenClock
from core.model import Target
from core.registry import SentSpec
from storage import outbox, threads
from storage import training as store
from storage.models import OutboxMessage
from tests.harness import text_of
from tests.storage_support import in_tx
from tests.tcp_proxy import TcpProxy
from tests.test_training_posts import post_of
from tests.training_support import Bot, training_bot

WHEN = "2026-03-05 10:00-13:00"  # Thursday; the test clock starts Monday 2 March 09:00
PAST_THE_HOLD = dt.timedelta(minutes=3)  # the outbox lease is 2 minutes


async def announcement_row(bot: Bot, session_id: int) -> store.SessionAnnouncement:
    [a] = await in_tx(bot.ctx.db, store.announcements, session_id)
    return a


async def sent_row(bot: Bot, announcement_id: int) -> OutboxMessage:
    row = await in_tx(bot.ctx.db, outbox.get, f"training:announce:{announcement_id}")
    assert row is not None and row.status == "sent" and row.message_id
    return row


async def thread_reminders(bot: Bot, session_id: int) -> list[OutboxMessage]:
    return [r for r in await bot.outbox(f"reminder:{session_id}:") if r.target.get("kind") == "thread"]


async def assert_linked(bot: Bot, session_id: int) -> store.SessionAnnouncement:
    """What the hook does: the message id kept, the thread owned, the thread's reminders queued."""
    a = await announcement_row(bot, session_id)
    row = await sent_row(bot, a.id)
    assert a.message_id == row.message_id
    owner = await in_tx(
        bot.ctx.db, threads.thread_owner, platform="console", channel_id="training", thread_id=row.message_id
    )
    assert owner is not None and (owner.feature, owner.ref) == ("training", str(session_id))
    assert {r.target.get("thread_id") for r in await thread_reminders(bot, session_id)} == {row.message_id}
    assert row.claimed_until is None  # nothing more is owed
    return a


async def going(bot: Bot, session_id: int, message_id: str, *people: str) -> None:
    """People press Going on the post itself."""
    for person in people:
        replies = await bot.press("training:rsvp", f"{session_id}:g", user=person, message_id=message_id)
        assert "going" in text_of(replies).lower(), text_of(replies)


# --- the audit's case: PostgreSQL cut just after the record ---------------------------------------


@pytest.fixture
async def proxied(pg_database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[tuple[Bot, TcpProxy]]:
    url = make_url(pg_database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        async with training_bot(tmp_path, clock, through) as bot:
            yield bot, proxy
    finally:
        await proxy.cut()


async def test_an_announcement_recorded_just_before_the_database_went_away_is_linked_to_its_post_after(
    proxied: tuple[Bot, TcpProxy], clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot, proxy = proxied
    session = await bot.add_session(WHEN, capacity=20)
    record = DeliveryWorker._record_sent
    restored: list[asyncio.Task[None]] = []

    async def record_then_outage(self: DeliveryWorker, row: OutboxMessage, message_id: str) -> None:
        await record(self, row, message_id)
        if row.key.startswith("training:announce:"):
            await proxy.cut()  # the database goes away just after the record, before the hook

            async def back_in_a_second() -> None:
                await asyncio.sleep(1.0)
                await proxy.restore()

            restored.append(asyncio.create_task(back_in_a_second()))

    monkeypatch.setattr(DeliveryWorker, "_record_sent", record_then_outage)
    await bot.say(f"/training announce {session.id} training")
    await bot.rt.tick()
    await asyncio.gather(*restored)
    monkeypatch.setattr(DeliveryWorker, "_record_sent", record)
    a = await announcement_row(bot, session.id)
    assert a.message_id is None  # the hook met the outage
    posted = (await sent_row(bot, a.id)).message_id
    await going(bot, session.id, str(posted), "d1", "d2")

    clock.advance(PAST_THE_HOLD)
    await bot.rt.tick()
    await assert_linked(bot, session.id)
    # The presses made while it was unlinked now show on the post.
    first, *updates = post_of(bot.posts(), str(posted))
    assert "20 of 20 places left" in first
    assert len(updates) == 1 and "18 of 20 places left" in updates[0]


# --- any database: a hook that failed, or a worker that died between record and hook --------------


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        yield b


def hook_failing(bot: Bot, monkeypatch: pytest.MonkeyPatch, times: int) -> list[str]:
    """Make the training hook raise (as a database blip does) the first `times` runs; returns
    the refs of every run."""
    real = bot.ctx.registry.sent_hooks["training"].fn
    runs: list[str] = []

    async def flaky(ctx: Any, ref: str, platform: str, target: Target, message_id: str) -> None:
        runs.append(ref)
        if len(runs) <= times:
            raise ConnectionResetError("the database went away")
        await real(ctx, ref, platform, target, message_id)

    monkeypatch.setitem(bot.ctx.registry.sent_hooks, "training", SentSpec("training", flaky))
    return runs


async def test_a_hook_that_failed_once_is_run_again_after_its_hold_and_then_not_again(
    bot: Bot, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = hook_failing(bot, monkeypatch, times=1)
    session = await bot.add_session(WHEN)
    await bot.say(f"/training announce {session.id} training")
    await bot.rt.tick()
    assert len(runs) == 1 and (await announcement_row(bot, session.id)).message_id is None
    await bot.rt.tick()
    assert len(runs) == 1  # held: not run again at once
    clock.advance(PAST_THE_HOLD)
    await bot.rt.tick()
    assert len(runs) == 2
    await assert_linked(bot, session.id)
    for _ in range(3):
        clock.advance(dt.timedelta(hours=1))
        await bot.rt.tick()
    assert len(runs) == 2


async def test_a_hook_lost_with_a_worker_that_died_after_the_record_is_run_by_another(
    bot: Bot, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def killed(self: DeliveryWorker, *_args: object) -> None:
        return None  # the process ended between the record and the hook

    session = await bot.add_session(WHEN)
    with monkeypatch.context() as patch:
        patch.setattr(DeliveryWorker, "_follow_up", killed)
        await bot.say(f"/training announce {session.id} training")
        await bot.rt.tick()
    assert (await announcement_row(bot, session.id)).message_id is None
    other = DeliveryWorker(bot.ctx, bot.rt.adapters, name="another replica")
    clock.advance(PAST_THE_HOLD)
    await other.deliver_due()
    await assert_linked(bot, session.id)


async def test_a_normal_post_runs_its_hook_once(bot: Bot, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = hook_failing(bot, monkeypatch, times=0)
    session = await bot.add_session(WHEN)
    await bot.announce(session.id)
    for _ in range(3):
        clock.advance(dt.timedelta(hours=1))
        await bot.rt.tick()
    assert len(runs) == 1
    await assert_linked(bot, session.id)


async def test_a_hook_that_keeps_failing_is_tried_at_most_hourly_and_given_up_after_a_week(
    bot: Bot, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    runs = hook_failing(bot, monkeypatch, times=10_000)
    session = await bot.add_session("2026-03-20 10:00-13:00")
    await bot.say(f"/training announce {session.id} training")
    await bot.rt.tick()
    with caplog.at_level(logging.ERROR, logger="sgbot.delivery"):
        for _ in range(4 * 24 * FOLLOW_UP_RETRY_FOR.days + 8):  # a week and two hours, 15 minutes at a time
            clock.advance(dt.timedelta(minutes=15))
            await bot.rt.tick()
        in_a_week = len(runs)
        for _ in range(4 * 24):
            clock.advance(dt.timedelta(minutes=15))
            await bot.rt.tick()
    # About hourly (a retry waits as long as the post is old, at least the hold, at most an hour).
    assert 24 * (FOLLOW_UP_RETRY_FOR.days - 2) < in_a_week <= 3 + 24 * FOLLOW_UP_RETRY_FOR.days
    assert len(runs) == in_a_week
    assert "gave up the on_sent hook of outbox row training:announce:" in caplog.text
    row = await sent_row(bot, (await announcement_row(bot, session.id)).id)
    assert row.claimed_until is None
