"""The feed poller end to end: /feeds add, the poll job, the outbox and the console adapter, on
SQLite and PostgreSQL, against a local publisher serving real RSS bytes to real feedparser."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from handlers.feeds import SETTINGS_SERVICE
from handlers.feeds.fetch import FeedSettings
from storage import feeds as store
from storage.models import OutboxMessage
from tests.comms_support import as_only_replica, close_runtime
from tests.conftest import _clean_postgres
from tests.feedserver import (  # noqa: F401
    EndlessBody,
    FakeFeed,
    Item,
    feed_server_fixture,
    feed_server_once_fixture,
    redirect,
    rss,
)
from tests.harness import Console, command, text_of
from tests.storage_support import in_tx

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
POLL = dt.timedelta(minutes=16)


def feed_settings(**changes: object) -> FeedSettings:
    # The local publisher is on 127.0.0.1, which the address guard refuses unless it is allowed.
    base: dict[str, object] = {"timeout_seconds": 5.0, "max_bytes": 256_000, "allow_hosts": "127.0.0.1"}
    return FeedSettings(_env_file=None, **{**base, **changes})  # type: ignore[call-arg, arg-type]


async def start_runtime(settings: Settings, clock: FrozenClock, **feed_changes: object) -> Runtime:
    rt = await Runtime.create(settings, clock=clock, console_mode=True)
    rt.ctx.services[SETTINGS_SERVICE] = feed_settings(**feed_changes)
    Console(rt, roles=frozenset({"comms"}))  # the console adapter receives every post
    as_only_replica(rt)
    return rt


@pytest.fixture(name="bot_settings")
def bot_settings_fixture(settings: Settings, database_url: str) -> Settings:
    return settings.model_copy(update={"database_url": database_url, "admins": "console:boss"})


@pytest.fixture(name="rt")
async def rt_fixture(bot_settings: Settings, clock: FrozenClock) -> AsyncIterator[Runtime]:
    runtime = await start_runtime(bot_settings, clock)
    if runtime.ctx.db.is_postgres:
        await _clean_postgres(runtime.ctx.db)
    yield runtime
    await close_runtime(runtime)


async def posts(rt: Runtime, channel: str | None = None) -> list[OutboxMessage]:
    """Everything the bot has posted (to one channel, or a direct message as 'dm-USER')."""
    async with rt.ctx.db.transaction() as session:
        rows = list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())
    sent = [r for r in rows if r.status == "sent"]
    if channel is None:
        return sent
    if channel.startswith("dm-"):
        return [r for r in sent if r.target.get("user_id") == channel[3:]]
    return [r for r in sent if r.target.get("channel_id") == channel]


def texts(rows: list[OutboxMessage]) -> str:
    from core.model import Reply

    return "\n".join(Reply.model_validate(r.payload).all_text() for r in rows)


async def add(rt: Runtime, text: str) -> str:
    outcome = await rt.dispatcher.handle(command("feeds", f"add {text}", user="cara", roles={"comms"}))
    return text_of(outcome.replies)


async def poll(rt: Runtime, clock: FrozenClock, after: dt.timedelta = POLL) -> None:
    clock.advance(after)
    await rt.tick()


def news(n: int, *, at: dt.datetime = START, prefix: str = "n") -> list[Item]:
    return [
        Item(f"{prefix}{i}", f"News item {prefix}{i}", f"https://news.example.org/{prefix}{i}", f"Story {i}", at)
        for i in range(n)
    ]


async def only_feed(rt: Runtime) -> store.Feed:
    rows = await in_tx(rt.ctx.db, store.list_feeds)
    assert len(rows) == 1
    return rows[0][0]


# --- new items, once --------------------------------------------------------------------------------


async def test_first_check_posts_nothing_old_then_new_items_are_posted_once(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=news(3, prefix="old"))
    assert "will post to #news" in await add(rt, f"{feed.url} #news")
    await rt.tick()
    assert await posts(rt, "news") == []
    assert (await only_feed(rt)).primed_at is not None

    feed.items = news(2, at=START + dt.timedelta(minutes=5), prefix="new") + feed.items
    polls_before = REGISTRY.get_sample_value("sgbot_feed_polls_total", {"outcome": "ok"}) or 0.0
    await poll(rt, clock)
    assert REGISTRY.get_sample_value("sgbot_feed_polls_total", {"outcome": "ok"}) == polls_before + 1
    sent = await posts(rt, "news")
    assert len(sent) == 2
    assert "News item new0" in texts(sent) and "News item new1" in texts(sent)
    assert "old" not in texts(sent)
    assert all(r.key.startswith("feed:") and r.key.endswith(":console:news") for r in sent)

    await poll(rt, clock)  # the same items on the next poll
    await poll(rt, clock)
    assert len(await posts(rt, "news")) == 2
    assert len(feed.requests) == 4


async def test_an_item_posted_in_the_console_reads_as_a_linked_title_and_source(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=[])
    await add(rt, f"{feed.url} #news")
    await rt.tick()
    long_story = "<p>" + "A long story about practice. " * 60 + "</p>"
    feed.items = [Item("x", "Panel publishes <b>review</b>", "https://news.example.org/x", long_story, START)]
    await poll(rt, clock)
    [row] = await posts(rt, "news")
    text = texts([row])
    assert text.startswith("[Panel publishes review](https://news.example.org/x)\n")  # tags in titles dropped
    assert "[Read the rest](https://news.example.org/x)" in text  # cut, pointing to the source
    assert "From Safeguarding news · 02 Mar 2026" in text
    assert len(text) < 900


async def test_304_keeps_the_feed_healthy_and_sends_validators(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=news(1), etag='"v7"', last_modified="Mon, 02 Mar 2026 08:00:00 GMT")
    await add(rt, f"{feed.url} #news")
    await rt.tick()
    await poll(rt, clock)
    assert feed.requests[1]["If-None-Match"] == '"v7"'
    assert feed.requests[1]["If-Modified-Since"] == "Mon, 02 Mar 2026 08:00:00 GMT"
    state = await only_feed(rt)
    assert state.failures == 0 and state.last_success_at == clock.now() and state.etag == '"v7"'
    assert await posts(rt) == []


async def test_empty_validators_are_not_sent(rt: Runtime, clock: FrozenClock, feed_server: HTTPServer) -> None:
    feed = FakeFeed(feed_server, items=news(1), last_modified="Mon, 02 Mar 2026 08:00:00 GMT")
    await add(rt, f"{feed.url} #news")
    await rt.tick()
    await poll(rt, clock)
    assert "If-None-Match" not in feed.requests[1]
    assert feed.requests[1]["If-Modified-Since"] == "Mon, 02 Mar 2026 08:00:00 GMT"
    assert (await only_feed(rt)).etag is None


# --- failures ----------------------------------------------------------------------------------------


async def test_410_stops_the_feed_with_one_notice_in_its_channels_and_to_admins(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=news(1))
    await add(rt, f"{feed.url} #news")
    await add(rt, f"{feed.url} #practice")
    await rt.tick()
    feed.status = 410
    for _ in range(4):
        await poll(rt, clock, dt.timedelta(hours=1))
    state = await only_feed(rt)
    assert state.status == store.DISABLED and "410" in (state.disabled_reason or "")
    for where in ("news", "practice", "dm-boss"):
        notices = await posts(rt, where)
        assert len(notices) == 1, where
        assert "has been stopped" in texts(notices) and "410" in texts(notices)
    assert len(feed.requests) == 2  # nothing asked of the server once it said Gone
    listing = text_of((await rt.dispatcher.handle(command("feeds", "list", roles={"comms"}))).replies)
    assert "stopped: the feed has been removed by its publisher (HTTP 410 Gone)" in listing


async def test_resuming_a_stopped_feed_polls_again_without_reposting(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=news(2))
    await add(rt, f"{feed.url} #news")
    await rt.tick()
    feed.status = 410
    await poll(rt, clock)
    feed.status = 200
    reply = await rt.dispatcher.handle(command("feeds", "resume 1", roles={"comms"}))
    assert "resumed" in text_of(reply.replies)
    await poll(rt, clock, dt.timedelta(minutes=1))
    state = await only_feed(rt)
    assert state.status == store.ACTIVE and state.failures == 0
    assert len(await posts(rt, "news")) == 1  # only the stop notice; the old items stay unposted


async def test_a_redirect_is_followed_and_a_permanent_one_updates_the_address(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, path="/moved.xml", items=news(1))
    old = redirect(feed_server, "/original.xml", feed.url, status=301)
    said = await add(rt, f"{old} #news")
    assert f"added: {feed.url} will post" in said  # the address /feeds list will show (an outside audit)
    await rt.tick()
    state = await only_feed(rt)
    assert state.primed_at is not None and state.url == feed.url
    feed.items = [*news(1, prefix="later", at=START + dt.timedelta(minutes=1)), *feed.items]
    await poll(rt, clock)
    assert "News item later0" in texts(await posts(rt, "news"))


async def test_a_slow_server_is_timed_out_and_backed_off(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=news(1))
    await add(rt, f"{feed.url} #news")
    rt.ctx.services[SETTINGS_SERVICE] = feed_settings(timeout_seconds=0.5)
    feed.delay = 1.5
    await poll(rt, clock)
    state = await only_feed(rt)
    assert state.status == store.ACTIVE and state.failures == 1
    assert state.last_error == "the feed could not be fetched from that address"
    first_wait = state.next_poll_at - clock.now()
    await poll(rt, clock, first_wait)
    second_wait = (await only_feed(rt)).next_poll_at - clock.now()
    assert second_wait == 2 * first_wait  # exponential back-off


async def test_a_huge_body_is_refused_and_the_feed_stopped(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    FakeFeed(feed_server, path="/huge.xml", items=news(1))
    await add(rt, f"{feed_server.url_for('/huge.xml')} #news")
    feed_server.clear()  # the publisher's feed grows past the cap
    endless = EndlessBody()
    feed_server.expect_request("/huge.xml").respond_with_handler(endless.response)
    await poll(rt, clock)
    state = await only_feed(rt)
    assert state.status == store.DISABLED and "larger than" in (state.disabled_reason or "")
    assert endless.served < endless.chunks // 4
    assert "larger than" in texts(await posts(rt, "news"))


async def test_malformed_xml_is_reported_in_the_list_and_nothing_is_posted(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=news(1))
    await add(rt, f"{feed.url} #news")
    await rt.tick()
    broken = rss(news(3, prefix="b", at=START + dt.timedelta(minutes=1)))
    feed.body = broken[:-30]
    await poll(rt, clock)
    state = await only_feed(rt)
    assert state.status == store.ACTIVE and state.failures == 1
    listing = text_of((await rt.dispatcher.handle(command("feeds", "list", roles={"comms"}))).replies)
    assert "failing since" in listing and "not well-formed XML" in listing
    assert await posts(rt) == []
    feed.body = None  # the publisher fixes it: the items held up are posted, not lost
    feed.items = news(3, prefix="b", at=START + dt.timedelta(minutes=1))
    await poll(rt, clock, dt.timedelta(hours=1))
    assert len(await posts(rt, "news")) == 3


async def test_a_week_of_failures_stops_the_feed_once(rt: Runtime, clock: FrozenClock, feed_server: HTTPServer) -> None:
    feed = FakeFeed(feed_server, items=news(1))
    await add(rt, f"{feed.url} #news")
    await rt.tick()
    feed.status = 500
    for _ in range(8 * 4):  # eight days, every six hours
        await poll(rt, clock, dt.timedelta(hours=6))
    state = await only_feed(rt)
    assert state.status == store.DISABLED
    assert "failed for a week" in (state.disabled_reason or "")
    assert len(await posts(rt, "news")) == 1 and len(await posts(rt, "dm-boss")) == 1


# --- dedupe ------------------------------------------------------------------------------------------


async def test_guid_churn_within_the_age_guard_is_not_reposted(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=news(2, at=START - dt.timedelta(days=1)))
    await add(rt, f"{feed.url} #news")
    await rt.tick()
    fresh = news(1, prefix="fresh", at=START + dt.timedelta(minutes=3))
    feed.items = fresh + news(2, at=START - dt.timedelta(days=1))
    await poll(rt, clock)
    assert len(await posts(rt, "news")) == 1
    # The publisher regenerates every guid; titles, links and dates stay the same.
    for item in feed.items:
        item.guid = f"churned-{item.guid}"
    await poll(rt, clock)
    await poll(rt, clock)
    assert len(await posts(rt, "news")) == 1


async def test_items_older_than_the_age_guard_are_not_posted(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=[])
    await add(rt, f"{feed.url} #news max-age=7d")
    await rt.tick()
    feed.items = news(1, prefix="ancient", at=START - dt.timedelta(days=30)) + news(1, prefix="recent")
    await poll(rt, clock)
    sent = texts(await posts(rt, "news"))
    assert "recent0" in sent and "ancient0" not in sent


async def test_a_restart_between_polls_does_not_repost(
    bot_settings: Settings, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    first = await start_runtime(bot_settings, clock)
    if first.ctx.db.is_postgres:
        await _clean_postgres(first.ctx.db)
    feed = FakeFeed(feed_server, items=news(2, prefix="old"))
    await add(first, f"{feed.url} #news")
    await first.tick()
    feed.items = news(1, prefix="new", at=START + dt.timedelta(minutes=2)) + feed.items
    await poll(first, clock)
    assert len(await posts(first, "news")) == 1
    await first.stop()

    second = await start_runtime(bot_settings, clock)  # a new process on the same database
    try:
        await poll(second, clock)
        await poll(second, clock)
        sent = await posts(second, "news")
        assert len(sent) == 1 and "new0" in texts(sent)
        assert len(feed.requests) == 4
    finally:
        await close_runtime(second)


# --- routing, caps and digests -----------------------------------------------------------------------


async def test_a_keyword_filter_routes_an_item_to_one_channel_and_not_another(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=[])
    assert "items mentioning exploitation" in await add(rt, f"{feed.url} #exploitation exploitation")
    assert "items mentioning neglect" in await add(rt, f"{feed.url} #neglect neglect")
    await add(rt, f"{feed.url} #everything")
    await rt.tick()
    feed.items = [
        Item("e1", "Child exploitation awareness day", "https://news.example.org/e1", "", START),
        Item("n1", "Updated neglect toolkit", "https://news.example.org/n1", "GCP2 refresher", START),
    ]
    await poll(rt, clock)
    assert "exploitation awareness" in texts(await posts(rt, "exploitation"))
    assert "neglect" not in texts(await posts(rt, "exploitation"))
    assert "neglect toolkit" in texts(await posts(rt, "neglect"))
    assert "exploitation" not in texts(await posts(rt, "neglect"))
    assert len(await posts(rt, "everything")) == 2


async def test_a_regex_filter_matches_titles_and_summaries(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=[])
    await add(rt, f"{feed.url} #reviews regex=LCSPR|practice\\s+review")
    await rt.tick()
    feed.items = [
        Item("r1", "National panel annual report", "https://n.example.org/1", "Themes from practice  review", START),
        Item("r2", "Conference booking open", "https://n.example.org/2", "Book now", START),
    ]
    await poll(rt, clock)
    sent = texts(await posts(rt, "reviews"))
    assert "annual report" in sent and "Conference" not in sent


async def test_caps_hold_back_a_flood_and_say_so(rt: Runtime, clock: FrozenClock, feed_server: HTTPServer) -> None:
    rt.ctx.services[SETTINGS_SERVICE] = feed_settings(per_run_cap=3, per_day_cap=5)
    feed = FakeFeed(feed_server, items=[])
    await add(rt, f"{feed.url} #news")
    await rt.tick()
    feed.items = [
        Item(f"f{i}", f"Flood {i}", f"https://n.example.org/{i}", "", START - dt.timedelta(minutes=10 - i))
        for i in range(10)
    ]
    await poll(rt, clock)
    first = await posts(rt, "news")
    assert [r.payload["summary"].split(": ")[1] for r in first] == ["Flood 7", "Flood 8", "Flood 9"]
    feed.items = [Item(f"g{i}", f"Later {i}", f"https://n.example.org/g{i}", "", START) for i in range(4)] + feed.items
    await poll(rt, clock)
    assert len(await posts(rt, "news")) == 5  # the daily cap
    listing = text_of((await rt.dispatcher.handle(command("feeds", "list", roles={"comms"}))).replies)
    assert "today 5 posted, 9 held back by the caps" in listing


async def test_a_daily_digest_collects_the_days_items_into_one_post(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=[])
    reply = await add(rt, f"{feed.url} #digest digest=daily@08:00")
    assert "daily digest at 08:00" in reply
    await rt.tick()
    for hour in range(1, 6):  # five items over the day, one per hourly poll
        feed.items = [
            Item(f"d{hour}", f"Daily item {hour}", f"https://n.example.org/d{hour}", "", clock.now()),
            *feed.items,
        ]
        await poll(rt, clock, dt.timedelta(hours=1))
    assert await posts(rt, "digest") == []
    listing = text_of((await rt.dispatcher.handle(command("feeds", "list", roles={"comms"}))).replies)
    assert "5 waiting for the digest" in listing
    await poll(rt, clock, dt.timedelta(hours=18))  # past 08:00 the next morning
    [digest] = await posts(rt, "digest")
    text = texts([digest])
    assert "Daily news digest" in text
    assert all(f"Daily item {h}" in text for h in range(1, 6))
    await poll(rt, clock, dt.timedelta(hours=1))
    assert len(await posts(rt, "digest")) == 1


async def test_a_weekly_digest_waits_for_its_day(rt: Runtime, clock: FrozenClock, feed_server: HTTPServer) -> None:
    feed = FakeFeed(feed_server, items=[])
    await add(rt, f"{feed.url} #weekly digest=weekly@fri-16:00")
    await rt.tick()
    feed.items = news(2, at=START + dt.timedelta(minutes=5))
    await poll(rt, clock)  # Monday
    await poll(rt, clock, dt.timedelta(days=3))  # Thursday
    assert await posts(rt, "weekly") == []
    await poll(rt, clock, dt.timedelta(days=1, hours=7))  # Friday 16:xx
    [digest] = await posts(rt, "weekly")
    assert "Weekly news digest" in texts([digest])


# --- commands ----------------------------------------------------------------------------------------


async def test_practitioners_cannot_manage_feeds(runtime: Runtime) -> None:
    outcome = await runtime.dispatcher.handle(command("feeds", "list"))
    assert "Only communications leads" in text_of(outcome.replies)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add", "Give the feed's address and a channel"),
        ("add ftp://example.org/feed #news", "is not a web address"),
        ("add https://example.org/feed no/such", "is not a channel"),
        ("add https://example.org/feed #news regex=(", "That regex cannot be used (missing ): ()"),
        ("add https://example.org/feed #news regex=(?<!x)abuse", "no look-arounds or back-references"),
        ("add https://example.org/feed #news digest=hourly", "Give digest=daily"),
        ("add https://example.org/feed #news every=1m", "between 5m and 24h"),
        ("add https://example.org/feed #news colour=red", "I don't know the option colour="),
        ('add https://example.org/feed #news "unclosed', "A quotation mark is not closed"),
        ("remove", "Give the feed's number"),
        ("pause 99", "There is no feed 99"),
        ("shout", "I don't know /feeds shout"),
    ],
)
async def test_bad_commands_get_a_sentence(runtime: Runtime, text: str, expected: str) -> None:
    outcome = await runtime.dispatcher.handle(command("feeds", text, roles={"comms"}))
    assert expected in text_of(outcome.replies)


async def test_pause_resume_and_remove(rt: Runtime, clock: FrozenClock, feed_server: HTTPServer) -> None:
    feed = FakeFeed(feed_server, items=news(1))
    await add(rt, f"{feed.url} #news")
    await add(rt, f"{feed.url} #other")
    await rt.tick()

    async def run(text: str) -> str:
        return text_of((await rt.dispatcher.handle(command("feeds", text, roles={"comms"}))).replies)

    assert "paused" in await run("pause 1")
    await poll(rt, clock)
    assert len(feed.requests) == 1  # a paused feed is not fetched
    assert "is paused, so there is nothing to pause" in await run("pause 1")
    assert "resumed" in await run("resume 1")
    assert "no longer posts to #other" in await run("remove 1 #other")
    assert "#other" not in await run("list")
    assert "removed" in await run("remove 1")
    assert "No feeds yet" in await run("list")


async def test_a_slack_link_and_channel_mention_are_understood(rt: Runtime, feed_server: HTTPServer) -> None:
    published = FakeFeed(feed_server, items=news(1))
    outcome = await rt.dispatcher.handle(
        command("feeds", f"add <{published.url}> <#C0123ABCD|news>", roles={"comms"}, platform="slack")
    )
    assert "will post to #C0123ABCD" in text_of(outcome.replies)
    [(feed, [route])] = await in_tx(rt.ctx.db, store.list_feeds)
    assert feed.url == published.url and (route.platform, route.channel_id) == ("slack", "C0123ABCD")


async def test_a_feed_is_checked_when_added_and_what_it_holds_is_recorded(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=news(3, prefix="old"))
    reply = await add(rt, f"{feed.url} #news")
    assert "Feed **1** added" in reply and "It holds 3 items now; none of those are posted." in reply
    assert feed.hits == 1
    state = await only_feed(rt)
    assert state.primed_at == clock.now() and state.title == "Safeguarding news"
    await add(rt, f"{feed.url} #practice")  # a known feed is not fetched again
    assert feed.hits == 1


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (
            b"<!doctype html><html><head><title>Our page</title></head><body>Hello</body></html>",
            "text/html; charset=utf-8",
            "Feed not added: the address gives a web page, not an RSS or Atom feed. Check that the address opens "
            "the RSS or Atom feed itself in a browser, then try again.",
        ),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x',
            "application/rss+xml",
            "Feed not added: the feed is not well-formed XML",
        ),
    ],
)
async def test_an_address_that_is_not_a_feed_is_told_privately_and_not_added(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer, body: bytes, content_type: str, expected: str
) -> None:
    page = FakeFeed(feed_server, path="/page.html", body=body, content_type=content_type)
    outcome = await rt.dispatcher.handle(command("feeds", f"add {page.url} #news", user="cara", roles={"comms"}))
    [answer] = outcome.replies
    assert answer.visibility == "ephemeral"
    assert text_of([answer]).startswith(expected)
    assert await in_tx(rt.ctx.db, store.list_feeds) == []
    await poll(rt, clock)
    assert await posts(rt) == []  # nothing was said in the channel, then or later
    assert page.hits == 1


async def test_an_address_the_bot_does_not_fetch_from_says_how_an_admin_allows_one(rt: Runtime) -> None:
    # An outside audit: a feed on an internal address was told "check that it opens in a browser",
    # which it did. The hint names FEEDS_ALLOW_HOSTS, without saying which addresses are refused.
    outcome = await rt.dispatcher.handle(
        command("feeds", "add http://10.20.30.40/feed.xml #news", user="cara", roles={"comms"})
    )
    said = text_of(list(outcome.replies))
    assert said.startswith("Feed not added: the feed could not be fetched from that address.")
    assert "an admin lists its host in FEEDS_ALLOW_HOSTS" in said
    assert "private" not in said and "10.20.30.40" not in said
    assert await in_tx(rt.ctx.db, store.list_feeds) == []


async def test_the_feeds_are_driven_from_the_console(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer, tmp_path: Path
) -> None:
    feed = FakeFeed(feed_server, items=news(1))
    console = Console(rt, user="cara", roles=frozenset({"comms"}))
    as_only_replica(rt)
    transcript = await console.run(
        f"""
        /feeds add {feed.url} #news
        /feeds list
        """
    )
    assert "Feed **1** added" not in transcript  # the console shows bold as plain text
    assert "Feed 1 added" in transcript and "will post to #news" in transcript
    assert "healthy, last checked" in transcript
    feed.items = news(1, prefix="fresh", at=START + dt.timedelta(minutes=1)) + feed.items
    clock.advance(POLL)
    transcript = await console.run("/feeds list")
    assert "#news" in transcript and "News item fresh0 (https://news.example.org/fresh0)" in transcript
