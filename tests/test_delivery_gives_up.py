"""Posts that nothing queues again outlive a short outage, on SQLite and PostgreSQL. An outside
audit (deliv3 #2): Slack answering 503 for about 75 seconds made a briefing post and an
announcement's edit fail for good after five tries, and /briefing then said the lost briefing
was "already in" the channel. A feed's stopped notice had the same gap."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from bot.adapters.base import DeliveryError
from bot.delivery import MAX_ATTEMPTS, DeliveryWorker
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.model import Reply, Target
from storage import feeds as feeds_store
from storage import outbox
from storage.models import OutboxMessage
from tests.conftest import START
from tests.fake_slack import FakeSlack
from tests.feedserver import FakeFeed, feed_server_fixture, feed_server_once_fixture  # noqa: F401
from tests.harness import command, text_of
from tests.storage_support import in_tx
from tests.test_delivery_retries import bot, slack
from tests.test_feeds_poll import add, bot_settings_fixture, news, only_feed, poll, posts, rt_fixture  # noqa: F401
from tests.test_training_posts import post_of
from tests.training_support import Bot, training_bot

KEY = "briefing:laura:slack:C0PRACTICE"


async def schedule_laura(rt: Runtime) -> str:
    request = command("briefing", "schedule laura now C0PRACTICE", platform="slack", roles={"comms"}, user="U0COMMS")
    return text_of((await rt.dispatcher.handle(request)).replies)


async def briefing_row(rt: Runtime) -> OutboxMessage:
    row = await in_tx(rt.ctx.db, outbox.get, KEY)
    assert row is not None
    return row


async def deliver_until_settled(rt: Runtime, worker: DeliveryWorker, clock: FrozenClock, rounds: int = 12) -> None:
    """Deliver, then move the clock to the row's next try, until it is no longer waiting."""
    for _ in range(rounds):
        await worker.deliver_due()
        row = await briefing_row(rt)
        if row.status != outbox.PENDING:
            return
        clock.advance(max(row.due_at - clock.now(), dt.timedelta(0)) + dt.timedelta(seconds=0.5))


@pytest.fixture
def fake_slack() -> AsyncIterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
async def briefing_bot(
    database_url: str, tmp_path: Path, fake_slack: FakeSlack
) -> AsyncIterator[tuple[Runtime, DeliveryWorker, FrozenClock]]:
    """A bot with its clock, and a delivery worker posting to the fake Slack."""
    clock = FrozenClock(START)
    rt = await bot(tmp_path, database_url, clock)
    try:
        worker = DeliveryWorker(rt.ctx, {"slack": slack(rt, fake_slack.base_url)}, name="w")
        rt.add_adapter(worker.adapters["slack"])
        yield rt, worker, clock
    finally:
        await rt.ctx.db.dispose()


async def test_a_briefing_posted_during_a_short_slack_outage_goes_out_once_slack_is_back(
    briefing_bot: tuple[Runtime, DeliveryWorker, FrozenClock], fake_slack: FakeSlack
) -> None:
    rt, worker, clock = briefing_bot
    assert "will be posted to #C0PRACTICE within a minute" in await schedule_laura(rt)
    fake_slack.fail("chat.postMessage", status=503, text="Service Unavailable", times=MAX_ATTEMPTS)
    await deliver_until_settled(rt, worker, clock)
    row = await briefing_row(rt)
    assert row.status == outbox.SENT and row.attempts == MAX_ATTEMPTS + 1
    assert len(fake_slack.calls_to("chat.postMessage")) == MAX_ATTEMPTS + 1  # five refused, one posted
    again = await schedule_laura(rt)
    assert "is already in #C0PRACTICE (posted " in again


async def test_a_briefing_whose_post_failed_is_never_said_to_be_in_the_channel_and_can_be_posted_again(
    briefing_bot: tuple[Runtime, DeliveryWorker, FrozenClock], fake_slack: FakeSlack
) -> None:
    rt, worker, clock = briefing_bot
    await schedule_laura(rt)
    fake_slack.fail("chat.postMessage", error="not_in_channel")  # fails for good at once
    await worker.deliver_due()
    assert (await briefing_row(rt)).status == outbox.FAILED

    clock.advance(dt.timedelta(minutes=5))  # the bot was invited; the post is asked for again
    answer = await schedule_laura(rt)
    assert "already" not in answer
    assert "will be posted to #C0PRACTICE within a minute" in answer
    assert "The earlier post to #C0PRACTICE never went out" in answer
    await deliver_until_settled(rt, worker, clock)
    row = await briefing_row(rt)
    assert row.status == outbox.SENT and row.message_id
    assert len(fake_slack.calls_to("chat.postMessage")) == 2
    assert "is already in #C0PRACTICE (posted " in await schedule_laura(rt)


async def test_a_briefing_still_being_tried_is_said_to_be_on_its_way_not_in_the_channel(
    briefing_bot: tuple[Runtime, DeliveryWorker, FrozenClock], fake_slack: FakeSlack
) -> None:
    rt, worker, clock = briefing_bot
    await schedule_laura(rt)
    fake_slack.fail("chat.postMessage", status=503, text="Service Unavailable")
    await worker.deliver_due()
    refused = await schedule_laura(rt)
    assert "is already on its way to #C0PRACTICE (due " in refused and "already in" not in refused


class RefusingFirst:
    """Wraps an adapter's send: the first `times` posts it is given that `match` refuses the way a
    503 does (a failure that may pass), then everything goes through."""

    def __init__(self, adapter: Any, times: int, match: Any) -> None:
        self.real = adapter.send
        self.left = times
        self.match = match
        self.refused = 0
        adapter.send = self.send

    async def send(self, target: Target, reply: Reply) -> str:
        if self.left and self.match(target, reply):
            self.left -= 1
            self.refused += 1
            raise DeliveryError("HTTP 503 Service Unavailable")
        result: str = await self.real(target, reply)
        return result


@pytest.fixture
async def training(tmp_path: Path, clock: FrozenClock, database_url: str) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        yield b


async def test_an_announcement_edit_during_a_short_outage_reaches_the_post(training: Bot, clock: FrozenClock) -> None:
    session = await training.add_session("2026-03-20 10:00-13:00", where="Gun Wharf, Chatham")
    announcement = await training.announce(session.id)
    refusing = RefusingFirst(training.console.adapter, MAX_ATTEMPTS, lambda _t, r: r.replace_original)
    form = {"when": "2026-03-20 10:00-13:00", "capacity": "2", "where": "Civic Centre, Strood", "trainer": ""}
    outcome = await training.submit("training:edit", form, value=str(session.id))
    assert outcome.form_errors is None
    for _ in range(MAX_ATTEMPTS + 3):
        await training.rt.tick()
        clock.advance(dt.timedelta(minutes=2))  # past each wait the worker sets
    assert refusing.refused == MAX_ATTEMPTS
    [edit] = await training.outbox(f"announce-edit:{session.id}:")
    assert (edit.status, edit.attempts) == ("sent", MAX_ATTEMPTS + 1)
    first, *updates = post_of(training.posts(), str(announcement.message_id))
    assert "Gun Wharf, Chatham" in first
    assert len(updates) == 1 and "Civic Centre, Strood" in updates[0]


async def test_a_feeds_stopped_notice_during_a_short_outage_still_goes_out(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=news(1))
    await add(rt, f"{feed.url} #news")
    await rt.tick()

    def in_news(target: Target, reply: Reply) -> bool:
        return target.channel_id == "news" and "has been stopped" in reply.all_text()

    refusing = RefusingFirst(rt.adapters["console"], MAX_ATTEMPTS, in_news)
    feed.status = 410
    await poll(rt, clock, dt.timedelta(hours=1))
    assert (await only_feed(rt)).status == feeds_store.DISABLED
    for _ in range(MAX_ATTEMPTS + 1):
        await poll(rt, clock, dt.timedelta(minutes=2))  # past each wait the worker sets
    assert refusing.refused == MAX_ATTEMPTS
    for where in ("news", "dm-boss"):
        assert len(await posts(rt, where)) == 1, where
