"""Retries that must not post twice or give up: a post whose answer is lost on the way back, a
platform that keeps asking the bot to wait, and a stop while a post is still on its way. Each
runs the real delivery worker, the real Slack adapter and slack_sdk's client against a local
fake of Slack's Web API, and counts what the fake received."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.retries import MAX_RATE_LIMIT_WAIT
from bot.delivery import MAX_ATTEMPTS, DeliveryWorker
from bot.runtime import Runtime
from core.clock import Clock, FrozenClock, SystemClock
from core.config import Settings
from core.model import Target, reply
from storage import outbox
from storage.db import Database
from storage.models import OutboxMessage
from tests.conftest import START, _clean_postgres
from tests.fake_slack import FakeSlack
from tests.slack_api_fake import FakeSlackApi, Post
from tests.storage_support import in_tx

KEY = "bulletin:42:slack:C0NEWS"


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi(hold_seconds=0)
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
def limited_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


async def bot(tmp_path: Path, database_url: str, clock: Clock, **settings: Any) -> Runtime:
    db = Database(database_url)
    await db.upgrade()
    if db.is_postgres:
        await _clean_postgres(db)
    await db.dispose()
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "survey_secret": "test-key-Qz8vWm2Lp9Xr4Nf7Hc",
        "slack_bot_token": "xoxb-test-token",
        "slack_signing_secret": "s" * 32,
        **settings,
    }
    return await Runtime.create(Settings(_env_file=None, **values), clock=clock)  # type: ignore[call-arg]


def slack(rt: Runtime, base_url: str) -> SlackAdapter:
    client = AsyncWebClient(token="xoxb-test-token", base_url=base_url)  # slack_sdk's own defaults
    return SlackAdapter(rt, client=client, channel_interval=0.0, http_host="127.0.0.1", http_port=0)


async def queue_bulletin(rt: Runtime) -> None:
    now = rt.ctx.now()
    message = outbox.NewMessage(
        key=KEY,
        platform="slack",
        target=Target(kind="channel", channel_id="C0NEWS").model_dump(),
        payload=reply("Bulletin: new neglect toolkit", public=True).model_dump(mode="json"),
        due_at=now,
    )
    await in_tx(rt.ctx.db, outbox.enqueue, [message], now=now)


async def stored(rt: Runtime) -> OutboxMessage:
    row = await in_tx(rt.ctx.db, outbox.get, KEY)
    assert row is not None
    return row


async def lease_runs_out(db: Database) -> None:
    """Wait by the database's clock, as a claim judges it."""
    for _ in range(200):
        async with db.transaction() as tx:
            expired = select(OutboxMessage.claimed_until < outbox.db_time(tx)).where(OutboxMessage.key == KEY)
            if await tx.scalar(expired):
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the lease never ran out")


# --- an answer lost after Slack took the post -------------------------------------------------


async def test_a_post_whose_answer_was_lost_is_looked_up_on_the_next_attempt_not_sent_again(
    database_url: str, tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    clock = FrozenClock(START)
    rt = await bot(tmp_path, database_url, clock)
    try:
        worker = DeliveryWorker(rt.ctx, {"slack": slack(rt, slack_api.url)}, name="w")
        await queue_bulletin(rt)
        slack_api.lose_answers = 1  # Slack records the post, then the connection is reset

        assert await worker.deliver_due() == 1
        assert len(slack_api.posts) == 1  # not sent again inside the client
        row = await stored(rt)
        assert (row.status, row.attempts) == ("pending", 1)
        assert "could not be reached" in (row.error or "")

        clock.advance(dt.timedelta(seconds=6))  # the retry's wait after a first failure
        assert await worker.deliver_due() == 1
        assert slack_api.reads == ["C0NEWS"]  # looked for the key before posting
        [post] = slack_api.posts
        assert post.metadata == {"event_type": "sgbot_outbox", "event_payload": {"key": KEY}}
        row = await stored(rt)
        assert (row.status, row.message_id, row.attempts) == ("sent", post.ts, 2)
    finally:
        await rt.ctx.db.dispose()


# --- rate limits ---------------------------------------------------------------------------


async def test_a_post_rate_limited_more_times_than_the_attempts_allowed_goes_out_once_the_wait_is_over(
    database_url: str, tmp_path: Path, limited_slack: FakeSlack
) -> None:
    clock = FrozenClock(START)
    rt = await bot(tmp_path, database_url, clock)
    wait = MAX_RATE_LIMIT_WAIT + 40  # longer than the client waits itself: the outbox waits it out
    refusals = MAX_ATTEMPTS + 3
    limited_slack.fail("chat.postMessage", status=429, retry_after=str(wait), times=refusals)
    try:
        worker = DeliveryWorker(rt.ctx, {"slack": slack(rt, limited_slack.base_url)}, name="w")
        await queue_bulletin(rt)
        for asked in range(1, refusals + 1):
            assert await worker.deliver_due() == 1
            assert len(limited_slack.calls_to("chat.postMessage")) == asked  # one call an attempt
            row = await stored(rt)
            assert row.status == "pending" and "ratelimited" in (row.error or "")
            assert row.attempts <= 2  # a wait is not a failed attempt
            clock.advance(dt.timedelta(seconds=wait - 5))
            assert await worker.deliver_due() == 0  # not before Slack said
            clock.advance(dt.timedelta(seconds=6))

        assert await worker.deliver_due() == 1
        posts = limited_slack.calls_to("chat.postMessage")
        assert len(posts) == refusals + 1  # every refusal, then the one post Slack took
        row = await stored(rt)
        assert row.status == "sent" and row.message_id and row.message_id.startswith("1772443000.")
        assert await worker.deliver_due() == 0
        assert len(limited_slack.calls_to("chat.postMessage")) == refusals + 1
    finally:
        await rt.ctx.db.dispose()


async def test_a_short_rate_limit_is_still_waited_out_inside_the_client(
    database_url: str, tmp_path: Path, limited_slack: FakeSlack
) -> None:
    rt = await bot(tmp_path, database_url, FrozenClock(START))
    limited_slack.fail("chat.postMessage", status=429, retry_after="0")
    try:
        worker = DeliveryWorker(rt.ctx, {"slack": slack(rt, limited_slack.base_url)}, name="w")
        await queue_bulletin(rt)
        assert await worker.deliver_due() == 1
        assert len(limited_slack.calls_to("chat.postMessage")) == 2
        row = await stored(rt)
        assert (row.status, row.attempts) == ("sent", 1)
    finally:
        await rt.ctx.db.dispose()


# --- stopping while a post is on its way ---------------------------------------------------------


async def test_a_post_slower_than_the_grace_keeps_its_claim_and_is_recorded_when_it_lands(
    database_url: str, tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    slack_api.hold_seconds = 1.0
    rt = await bot(tmp_path, database_url, SystemClock(), outbox_lease_seconds=30)
    try:
        adapter = slack(rt, slack_api.url)
        stopping = DeliveryWorker(rt.ctx, {"slack": adapter}, name="stopping")
        other = DeliveryWorker(rt.ctx, {"slack": adapter}, name="other")
        await queue_bulletin(rt)
        delivering = asyncio.create_task(stopping.deliver_due())
        while not slack_api.pending.get("xoxb-test-token"):
            await asyncio.sleep(0.01)

        assert await stopping.shutdown(grace_seconds=0.2) == 0  # nothing handed back
        assert await other.deliver_due() == 0  # the claim still holds
        assert await delivering == 1

        assert len(slack_api.posts) == 1
        row = await stored(rt)
        assert (row.status, row.message_id, row.attempts) == ("sent", slack_api.posts[0].ts, 1)
        assert await other.deliver_due() == 0
        assert len(slack_api.posts) == 1
    finally:
        await rt.ctx.db.dispose()


async def test_a_post_that_lands_after_its_replica_stopped_is_looked_up_by_the_next_one(
    database_url: str, tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    slack_api.hold_seconds = 0.5
    rt = await bot(tmp_path, database_url, SystemClock(), outbox_lease_seconds=2)
    try:
        adapter = slack(rt, slack_api.url)
        stopping = DeliveryWorker(rt.ctx, {"slack": adapter}, name="stopping")
        other = DeliveryWorker(rt.ctx, {"slack": adapter}, name="other")
        await queue_bulletin(rt)
        delivering = asyncio.create_task(stopping.deliver_due())

        def process_exits(_: Post) -> None:  # Slack has the post; the stopping process never hears
            delivering.cancel()

        slack_api.on_accept = process_exits
        while not slack_api.pending.get("xoxb-test-token"):
            await asyncio.sleep(0.01)
        assert await stopping.shutdown(grace_seconds=0.1) == 0
        assert await other.deliver_due() == 0  # not handed back as untried
        with pytest.raises(asyncio.CancelledError):
            await delivering
        row = await stored(rt)
        assert (row.status, row.claimed_by, row.attempts) == ("claimed", "stopping", 1)

        await lease_runs_out(rt.ctx.db)
        assert await other.deliver_due() == 1
        assert slack_api.reads == ["C0NEWS"]  # a redelivery: looked for the key first
        [post] = slack_api.posts
        row = await stored(rt)
        assert (row.status, row.message_id, row.attempts) == ("sent", post.ts, 2)
    finally:
        await rt.ctx.db.dispose()


# --- a post with a deadline outlives a short outage ---------------------------------------------------


@pytest.mark.parametrize("deadline", [True, False])
async def test_a_post_with_a_deadline_is_tried_until_then_through_an_outage_and_one_without_gives_up(
    database_url: str, tmp_path: Path, limited_slack: FakeSlack, deadline: bool
) -> None:
    """An outside audit: Slack away for about a minute and a half made every edit saying a survey
    had closed fail for good after five tries, and nothing queues them again."""
    clock = FrozenClock(START)
    rt = await bot(tmp_path, database_url, clock)
    outage = MAX_ATTEMPTS + 3
    limited_slack.fail("chat.postMessage", status=503, text="Service Unavailable", times=outage)
    try:
        worker = DeliveryWorker(rt.ctx, {"slack": slack(rt, limited_slack.base_url)}, name="w")
        now = rt.ctx.now()
        message = outbox.NewMessage(
            key=KEY,
            platform="slack",
            target=Target(kind="channel", channel_id="C0NEWS").model_dump(),
            payload=reply("This survey closed on Monday 2 March", public=True).model_dump(mode="json"),
            due_at=now,
            expires_at=now + dt.timedelta(days=7) if deadline else None,
        )
        await in_tx(rt.ctx.db, outbox.enqueue, [message], now=now)
        for _ in range(outage + 1):
            await worker.deliver_due()
            clock.advance(dt.timedelta(hours=1, seconds=1))  # past any wait the worker set
        row = await stored(rt)
        if deadline:
            assert row.status == "sent" and row.attempts == outage + 1
        else:
            assert row.status == "failed" and row.attempts == MAX_ATTEMPTS
            # A proxy's plain-text 503 is said as such, not as the AttributeError it once raised.
            assert row.error == "Slack refused the post: HTTP 503"
    finally:
        await rt.ctx.db.dispose()


@pytest.mark.parametrize("error", ["message_not_found", "cant_update_message", "edit_window_closed"])
def test_an_edit_of_a_slack_message_that_is_gone_fails_at_once(error: str) -> None:
    # Errors chat.update lists (https://api.slack.com/methods/chat.update): trying again cannot help.
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.slack_response import SlackResponse

    from bot.adapters.slack.web import delivery_error

    answer = SlackResponse(
        client=None, http_verb="POST", api_url="https://slack.com/api/chat.update", req_args={},
        data={"ok": False, "error": error}, headers={}, status_code=200,
    )  # fmt: skip
    assert delivery_error(SlackApiError(error, answer)).permanent
