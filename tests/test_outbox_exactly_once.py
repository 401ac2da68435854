"""Exactly once across replicas, on SQLite and PostgreSQL:

- two delivery workers share one database and one of them runs on a host whose clock is ten
  minutes ahead: every row is posted once, and a row due in five minutes is not posted early;
- a worker claims a row, posts it and is "killed" before recording it: once its lease has run
  out by the database's clock, the row is delivered again without a second post, on Slack
  (message metadata found in the channel's history) and on Discord (an enforced nonce).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.slack.adapter import SlackAdapter
from bot.delivery import DeliveryWorker
from bot.runtime import Runtime
from core.clock import SystemClock
from core.config import Settings
from core.model import Reply, Target, reply
from storage import outbox
from storage.db import Database
from storage.models import OutboxMessage
from storage.outbox import NewMessage
from tests import discord_payloads as p
from tests.discord_fake import FakeDiscord
from tests.slack_api_fake import FakeSlackApi
from tests.storage_support import in_tx
from tests.test_discord_adapter import connect, discord_settings
from tests.test_discord_adapter import fake as fake  # noqa: PLC0414 - the fixture, used by name


class HostClock(SystemClock):
    """The system clock of a host whose time is wrong by `error` (not a deliberate move)."""

    def __init__(self, error: dt.timedelta) -> None:
        self.error = error

    def now(self) -> dt.datetime:
        return super().now() + self.error


class Recorder:
    """A platform that takes a moment to accept each post and remembers every one."""

    def __init__(self, hold: float = 0.02) -> None:
        self.hold = hold
        self.posts: list[tuple[str, str]] = []  # (worker, text)


class _Named:
    """One shared Recorder, seen by each worker under its own name."""

    platform = "console"

    def __init__(self, recorder: Recorder, worker: str) -> None:
        self.recorder = recorder
        self.worker = worker

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def is_connected(self) -> bool:
        return True

    async def send(self, target: Target, message: Reply) -> str:
        await asyncio.sleep(self.recorder.hold)
        self.recorder.posts.append((self.worker, message.all_text()))
        return f"{self.worker}-{len(self.recorder.posts)}"


async def _fresh(database_url: str) -> Database:
    db = Database(database_url)
    await db.upgrade()
    if db.is_postgres:
        from tests.conftest import _clean_postgres

        await _clean_postgres(db)
    return db


def _settings(tmp_path: Path, database_url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "survey_secret": "test-key-Qz8vWm2Lp9Xr4Nf7Hc",
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def _message(key: str, text: str, platform: str, channel: str, due: dt.datetime) -> NewMessage:
    return NewMessage(
        key=key,
        platform=platform,
        target=Target(kind="channel", channel_id=channel).model_dump(),
        payload=reply(text, public=True).model_dump(mode="json"),
        due_at=due,
    )


@pytest.fixture
async def rt(database_url: str, tmp_path: Path) -> AsyncIterator[Runtime]:
    await (await _fresh(database_url)).dispose()
    runtime = await Runtime.create(_settings(tmp_path, database_url), clock=SystemClock())
    yield runtime
    await runtime.ctx.db.dispose()


async def test_two_workers_one_clock_ten_minutes_ahead_post_every_row_once_and_nothing_early(
    rt: Runtime, database_url: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    rows = [_message(f"skew:{i}", f"message {i}", "console", f"C{i % 8}", now) for i in range(60)]
    later = [
        _message(f"skew:later:{i}", f"later {i}", "console", "C9", now + dt.timedelta(minutes=5)) for i in range(2)
    ]
    await in_tx(rt.ctx.db, outbox.enqueue, rows + later, now=now)

    recorder = Recorder()
    fast_db = Database(database_url)  # the second replica: its own connections, its own clock
    fast_ctx = dataclasses.replace(rt.ctx, db=fast_db, clock=HostClock(dt.timedelta(minutes=10)))
    right = DeliveryWorker(rt.ctx, {"console": _Named(recorder, "right")}, name="right", batch=5)  # type: ignore[dict-item]
    fast = DeliveryWorker(fast_ctx, {"console": _Named(recorder, "fast")}, name="fast", batch=5)  # type: ignore[dict-item]
    try:
        # Interleave rounds so each worker claims while the other holds rows in flight.
        for _ in range(20):
            await asyncio.gather(right.deliver_due(), fast.deliver_due())
            if len(recorder.posts) >= 60:
                break
    finally:
        await fast_db.dispose()
    texts = sorted(text for _, text in recorder.posts)
    assert texts == sorted(f"message {i}" for i in range(60))  # each once, and nothing due later
    assert {worker for worker, _ in recorder.posts} == {"right", "fast"}  # both really took part
    counts = await in_tx(rt.ctx.db, outbox.counts)
    assert (counts["sent"], counts["pending"], counts["claimed"]) == (60, 2, 0)


async def test_a_batch_slower_than_its_lease_is_still_posted_once_by_two_workers(
    database_url: str, tmp_path: Path
) -> None:
    # One channel, so a batch posts in order: the slow worker's five posts of 0.3 s take longer
    # than the 1 s lease, while a fast worker keeps claiming. Without renewing its claims the slow
    # worker would see the fast one take over its last rows, and both would post them.
    await (await _fresh(database_url)).dispose()
    rt = await Runtime.create(_settings(tmp_path, database_url, outbox_lease_seconds=1), clock=SystemClock())
    other_db = Database(database_url)
    try:
        now = dt.datetime.now(dt.UTC)
        rows = [_message(f"slow:{i}", f"slow {i}", "console", "C1", now) for i in range(10)]
        await in_tx(rt.ctx.db, outbox.enqueue, rows, now=now)
        slow, quick = Recorder(hold=0.3), Recorder(hold=0.0)
        quick.posts = slow.posts  # one platform, two replicas posting to it
        first = DeliveryWorker(rt.ctx, {"console": _Named(slow, "slow")}, name="slow", batch=5)  # type: ignore[dict-item]
        other_ctx = dataclasses.replace(rt.ctx, db=other_db)
        second = DeliveryWorker(other_ctx, {"console": _Named(quick, "quick")}, name="quick", batch=5)  # type: ignore[dict-item]

        async def keep_polling(seconds: float) -> None:
            end = asyncio.get_running_loop().time() + seconds
            while asyncio.get_running_loop().time() < end:
                await second.deliver_due()
                await asyncio.sleep(0.05)

        await asyncio.gather(first.deliver_due(), keep_polling(2.5))
        texts = sorted(text for _, text in slow.posts)
        assert texts == sorted(f"slow {i}" for i in range(10))  # every row once, none twice
        assert {worker for worker, _ in slow.posts} == {"slow", "quick"}
    finally:
        await other_db.dispose()
        await rt.ctx.db.dispose()


async def test_a_lease_is_judged_by_the_database_clock_not_the_claimants(db: Database) -> None:
    now = dt.datetime.now(dt.UTC)
    await in_tx(db, outbox.enqueue, [_message("lease:1", "x", "console", "C1", now)], now=now)
    [row] = await in_tx(db, outbox.claim_due, worker="slow-host", travel=dt.timedelta(0), lease=dt.timedelta(minutes=2))
    # A replica ten minutes ahead uses no travel: its clock's error does not reach the database.
    assert await in_tx(db, outbox.claim_due, worker="fast-host", travel=dt.timedelta(0)) == []
    stored = await in_tx(db, outbox.get, "lease:1")
    assert stored is not None and stored.claimed_until is not None
    # The lease was computed from the database's time (this host's, within a few seconds).
    assert abs(stored.claimed_until - (now + dt.timedelta(minutes=2))) < dt.timedelta(seconds=30)
    # Only a deliberate move of the bot's clock (tests, /debug clock) reaches past it.
    [again] = await in_tx(db, outbox.claim_due, worker="moved", travel=dt.timedelta(minutes=3))
    assert again.id == row.id and again.attempts == 2


# --- a killed worker: Slack ------------------------------------------------------------------


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi(hold_seconds=0)
    await api.start()
    yield api
    await api.stop()


async def _kill_after_posting(rt: Runtime, adapter: Any, key: str, *, lease: dt.timedelta) -> str:
    """What a worker killed with -9 leaves: a claimed row, posted with its key, never recorded."""
    [row] = await in_tx(rt.ctx.db, outbox.claim_due, worker="killed", travel=dt.timedelta(0), lease=lease)
    assert row.key == key and row.attempts == 1
    target = Target.model_validate(row.target)
    return str(await adapter.send(target, Reply.model_validate(row.payload), key=row.key, redelivery=False))


async def _wait_for_lease_to_run_out(db: Database, key: str) -> None:
    """Wait by the database's clock (the claim's own test), never by this process's."""
    for _ in range(200):
        async with db.transaction() as tx:
            expired = select(OutboxMessage.claimed_until < outbox.db_time(tx)).where(OutboxMessage.key == key)
            if await tx.scalar(expired):
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the lease never ran out")


async def test_slack_a_row_whose_worker_was_killed_after_posting_is_not_posted_again(
    database_url: str, tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    await (await _fresh(database_url)).dispose()
    settings = _settings(
        tmp_path, database_url, slack_bot_token="xoxb-test-token", slack_signing_secret="s" * 32, outbox_lease_seconds=1
    )
    rt = await Runtime.create(settings, clock=SystemClock())
    try:
        client = AsyncWebClient(token="xoxb-test-token", base_url=slack_api.url)
        adapter = SlackAdapter(rt, client=client, channel_interval=0.0, http_host="127.0.0.1", http_port=0)
        now = dt.datetime.now(dt.UTC)
        await in_tx(
            rt.ctx.db, outbox.enqueue, [_message("kill:slack", "Training tomorrow", "slack", "C0TRAIN", now)], now=now
        )
        first_ts = await _kill_after_posting(rt, adapter, "kill:slack", lease=dt.timedelta(seconds=1))
        assert [p.metadata for p in slack_api.posts] == [
            {"event_type": "sgbot_outbox", "event_payload": {"key": "kill:slack"}}
        ]
        # Someone else talks in the channel meanwhile: the search must find the bot's own post.
        slack_api.posts.append(type(slack_api.posts[0])("xoxb-other", "C0TRAIN", "chat", "1700000001.000000"))

        await _wait_for_lease_to_run_out(rt.ctx.db, "kill:slack")
        survivor = DeliveryWorker(rt.ctx, {"slack": adapter}, name="survivor")
        assert await survivor.deliver_due() == 1

        assert [p.text for p in slack_api.posts if p.token == "xoxb-test-token"] == ["Training tomorrow"]
        assert slack_api.reads == ["C0TRAIN"]  # looked before posting
        stored = await in_tx(rt.ctx.db, outbox.get, "kill:slack")
        assert stored is not None and (stored.status, stored.message_id, stored.attempts) == ("sent", first_ts, 2)
    finally:
        await rt.ctx.db.dispose()


async def test_slack_a_first_delivery_does_not_read_history_and_a_missing_post_is_made(
    database_url: str, tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    await (await _fresh(database_url)).dispose()
    settings = _settings(
        tmp_path, database_url, slack_bot_token="xoxb-test-token", slack_signing_secret="s" * 32, outbox_lease_seconds=1
    )
    rt = await Runtime.create(settings, clock=SystemClock())
    try:
        client = AsyncWebClient(token="xoxb-test-token", base_url=slack_api.url)
        adapter = SlackAdapter(rt, client=client, channel_interval=0.0, http_host="127.0.0.1", http_port=0)
        now = dt.datetime.now(dt.UTC)
        messages = [
            _message("first:a", "first time", "slack", "C0A", now),
            _message("first:b", "claimed, never posted", "slack", "C0B", now + dt.timedelta(seconds=1)),
        ]
        await in_tx(rt.ctx.db, outbox.enqueue, messages, now=now)
        worker = DeliveryWorker(rt.ctx, {"slack": adapter}, name="w")
        assert await worker.deliver_due() == 1
        assert slack_api.reads == []  # a first attempt costs no extra call

        # A worker claims b and dies before posting: the redelivery looks, finds nothing, posts.
        for _ in range(100):
            if await in_tx(
                rt.ctx.db, outbox.claim_due, worker="killed", travel=dt.timedelta(0), lease=dt.timedelta(seconds=1)
            ):
                break
            await asyncio.sleep(0.05)
        await _wait_for_lease_to_run_out(rt.ctx.db, "first:b")
        assert await worker.deliver_due() == 1
        assert slack_api.reads == ["C0B"]
        assert sorted(p.text for p in slack_api.posts) == ["claimed, never posted", "first time"]
    finally:
        await rt.ctx.db.dispose()


# --- a killed worker: Discord ----------------------------------------------------------------


async def test_discord_a_row_whose_worker_was_killed_after_posting_is_not_posted_again(
    database_url: str, tmp_path: Path, fake: FakeDiscord
) -> None:
    await (await _fresh(database_url)).dispose()
    rt = await Runtime.create(discord_settings(tmp_path, database_url, outbox_lease_seconds=1), clock=SystemClock())
    adapter: DiscordAdapter | None = None
    try:
        adapter = await connect(rt, fake)
        now = dt.datetime.now(dt.UTC)
        channel = str(p.CHANNEL_ID)
        await in_tx(
            rt.ctx.db, outbox.enqueue, [_message("kill:discord", "Training tomorrow", "discord", channel, now)], now=now
        )
        first_id = await _kill_after_posting(rt, adapter, "kill:discord", lease=dt.timedelta(seconds=1))

        await _wait_for_lease_to_run_out(rt.ctx.db, "kill:discord")
        survivor = DeliveryWorker(rt.ctx, {"discord": adapter}, name="survivor")
        assert await survivor.deliver_due() == 1

        posts = fake.calls_to("POST", rf"/channels/{channel}/messages")
        assert len(posts) == 2  # the platform was asked twice...
        assert posts[0].body["nonce"] == posts[1].body["nonce"] and posts[1].body["enforce_nonce"] is True
        assert len(fake.messages) == 1  # ...and posted once
        assert "Training tomorrow" in str(next(iter(fake.messages.values())))
        stored = await in_tx(rt.ctx.db, outbox.get, "kill:discord")
        assert stored is not None and (stored.status, stored.message_id, stored.attempts) == ("sent", first_id, 2)
    finally:
        if adapter is not None:
            await adapter.stop()
        await rt.ctx.db.dispose()


async def test_discord_different_rows_get_different_nonces(
    database_url: str, tmp_path: Path, fake: FakeDiscord
) -> None:
    await (await _fresh(database_url)).dispose()
    rt = await Runtime.create(discord_settings(tmp_path, database_url), clock=SystemClock())
    adapter = await connect(rt, fake)
    try:
        target = Target(kind="channel", channel_id=str(p.CHANNEL_ID))
        await adapter.send(target, reply("one", public=True), key="row:1", redelivery=False)
        await adapter.send(target, reply("two", public=True), key="row:2", redelivery=False)
        await adapter.send(target, reply("three", public=True))
        assert len(fake.messages) == 3
        nonces = [c.body["nonce"] for c in fake.calls_to("POST", rf"/channels/{p.CHANNEL_ID}/messages")]
        assert len(set(nonces)) == 3 and all(len(n) <= 25 for n in nonces)
    finally:
        await adapter.stop()
        await rt.ctx.db.dispose()


async def test_the_database_clock_is_read_when_asked_not_when_the_transaction_began(db: Database) -> None:
    # A review: on PostgreSQL now() is the transaction's start, so a Going press that waited for the
    # session's lock behind a Can't go judged a reminder that fell due meanwhile as still ahead
    from sqlalchemy import text

    async with db.transaction() as tx:
        first = await outbox.database_now(tx)
        if db.is_postgres:
            await tx.execute(text("SELECT pg_sleep(0.05)"))
        else:
            await asyncio.sleep(0.05)
        later = await outbox.database_now(tx)
    assert later - first >= dt.timedelta(milliseconds=40)
