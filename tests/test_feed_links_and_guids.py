"""Links whose label reads as another address, items sharing a guid, and the replies about
them: feeds fetched from a local publisher by real feedparser, bulletins through the
dispatcher, and what the Slack, Discord and Teams renderers would show."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import AsyncIterator

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from core.model import Reply, RequestKind
from handlers.feeds import SETTINGS_SERVICE, item_reply
from handlers.feeds.fetch import fetch
from storage.models import OutboxMessage
from tests.comms_support import as_only_replica, close_runtime, discord, feed_settings, slack, teams
from tests.conftest import _clean_postgres
from tests.feedserver import FakeFeed, Item, feed_server_fixture, feed_server_once_fixture  # noqa: F401
from tests.harness import Console, action, command, text_of

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
POLL = dt.timedelta(minutes=16)
ZONE = zoneinfo.ZoneInfo("Europe/London")
EVIL = "https://evil.example/x"


def shown_for(rendered: str, target: str) -> list[str]:
    """The labels shown for links to `target`, as Slack (<url|label>) or Markdown ([label](url)) writes them."""
    url = re.escape(target)
    return re.findall(rf"<{url}\|([^>]*)>", rendered) + re.findall(rf"\[([^\]]*)\]\({url}\)", rendered)


def assert_not_masked(rendered: str, target: str, *hidden: str) -> None:
    labels = shown_for(rendered, target)
    assert labels, f"no link to {target} in {rendered}"
    for label in labels:
        for address in hidden:
            assert address not in label, f"{target} shown as {label!r}"


# --- F: a link label that reads as another address ------------------------------------------------


DECEPTIVE = (
    '<p>Hello click and <a href="https://evil.example/x">https://good.example/</a>, '
    '<a href="https://evil.example/y">good.example</a>, <a href="https://evil.example/z">www.gov.uk</a> and '
    '<a href="https://evil.example/w">see www.gov.uk for more</a>. '
    '<a href="https://good.example/report">Read the report</a> or '
    '<a href="https://www.gov.uk/guidance">GOV.UK</a>.</p>'
)


async def test_a_feed_link_never_shows_one_address_and_goes_to_another(feed_server: HTTPServer) -> None:
    feed = FakeFeed(
        feed_server,
        items=[
            Item("g1", "Deceptive links", "https://news.example.org/1", DECEPTIVE, START),
            Item("g2", "https://good.example/", EVIL, "", START),  # a title that reads as an address
        ],
    )
    result = await fetch(feed.url, settings=feed_settings())
    assert result.feed is not None
    first, second = result.feed.items
    for reply in (
        item_reply("News", first, summary_chars=2000, zone=ZONE),
        item_reply("News", second, summary_chars=2000, zone=ZONE),
    ):
        for rendered in (slack(reply), discord(reply), teams(reply)):
            for path in ("x", "y", "z", "w"):
                if f"evil.example/{path}" in rendered:
                    assert_not_masked(rendered, f"https://evil.example/{path}", "good.example", "gov.uk")
    post = item_reply("News", first, summary_chars=2000, zone=ZONE)
    rendered = slack(post)
    assert f"<{EVIL}|{EVIL}>" in rendered  # the real address, where the label was another
    assert "<https://good.example/report|Read the report>" in rendered  # a word label stays a link
    assert "<https://www.gov.uk/guidance|GOV.UK>" in rendered  # an address label that is true stays
    assert "see www.gov.uk for more (<https://evil.example/w|https://evil.example/w>)" in rendered
    assert "[Read the report](https://good.example/report)" in discord(post)
    assert "[Read the report](https://good.example/report)" in teams(post)
    assert f"<{EVIL}|{EVIL}>" in slack(item_reply("News", second, summary_chars=2000, zone=ZONE))


# --- bulletins through the dispatcher ---------------------------------------------------------------


async def start(settings: Settings, clock: FrozenClock) -> Runtime:
    rt = await Runtime.create(settings, clock=clock, console_mode=True)
    rt.ctx.services[SETTINGS_SERVICE] = feed_settings()
    Console(rt, roles=frozenset({"comms"}))  # the console adapter receives every post
    as_only_replica(rt)
    return rt


@pytest.fixture(name="rt")
async def rt_fixture(settings: Settings, database_url: str, clock: FrozenClock) -> AsyncIterator[Runtime]:
    runtime = await start(settings.model_copy(update={"database_url": database_url}), clock)
    if runtime.ctx.db.is_postgres:
        await _clean_postgres(runtime.ctx.db)
    yield runtime
    await close_runtime(runtime)


async def bulletin(rt: Runtime, text: str) -> list[Reply]:
    outcome = await rt.dispatcher.handle(command("bulletin", text, user="cara", roles={"comms"}))
    return outcome.replies


async def save(rt: Runtime, value: str, title: str, body: str) -> str:
    request = action("bulletin:save", value, user="cara", roles={"comms"}).model_copy(
        update={"kind": RequestKind.SUBMIT, "form": {"title": title, "body": body}}
    )
    outcome = await rt.dispatcher.handle(request)
    return str(outcome.form_errors) if outcome.form_errors else text_of(outcome.replies)


async def test_a_bulletin_link_never_shows_one_address_and_goes_to_another(rt: Runtime) -> None:
    body = (
        "## Links\n"
        "Go to [https://www.gov.uk](https://evil.example/phish) or [medwayscp.org.uk](https://evil.example/p2).\n"
        "- [The consultation page](https://www.medwayscp.org.uk/neglect)\n"
        "- [www.medwayscp.org.uk](https://www.medwayscp.org.uk/)\n"
    )
    assert "saved as a draft" in await save(rt, "new", "Links bulletin", body)
    preview = Reply(blocks=[b for r in await bulletin(rt, "preview 1") for b in r.blocks])
    for rendered in (slack(preview), discord(preview), teams(preview)):
        assert_not_masked(rendered, "https://evil.example/phish", "gov.uk")
        assert_not_masked(rendered, "https://evil.example/p2", "medwayscp")
    rendered = slack(preview)
    assert "<https://www.medwayscp.org.uk/neglect|The consultation page>" in rendered
    assert "<https://www.medwayscp.org.uk/|www.medwayscp.org.uk>" in rendered


# --- items sharing a guid -----------------------------------------------------------------------


async def feeds(rt: Runtime, text: str) -> str:
    outcome = await rt.dispatcher.handle(command("feeds", text, user="cara", roles={"comms"}))
    return text_of(outcome.replies)


async def poll(rt: Runtime, clock: FrozenClock) -> None:
    clock.advance(POLL)
    await rt.tick()


async def posted(rt: Runtime) -> list[str]:
    """The text of every post sent to #news, in order."""
    async with rt.ctx.db.transaction() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    return [
        Reply.model_validate(r.payload).all_text()
        for r in rows
        if r.status == "sent" and r.target.get("channel_id") == "news"
    ]


def item(guid: str, title: str, link: str) -> Item:
    return Item(guid, title, link, f"About {title}", START)


async def test_items_sharing_a_guid_with_different_links_are_each_posted_once(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=[item("old", "Old news", "https://news.example.org/old")])
    assert "will post to #news" in await feeds(rt, f"add {feed.url} #news")
    a = item("dup", "Dup guid A", "https://news.example.org/a")
    b = item("dup", "Dup guid B", "https://news.example.org/b")
    feed.items = [a, b, *feed.items]
    await poll(rt, clock)
    sent = await posted(rt)
    assert len(sent) == 2
    assert any("Dup guid A" in t for t in sent) and any("Dup guid B" in t for t in sent)
    assert "today 2 posted" in await feeds(rt, "list")
    # Neither again on the next checks: in another order, with a title changed, or alone.
    feed.items = [b, a, feed.items[-1]]
    await poll(rt, clock)
    feed.items = [item("dup", "Dup guid A (updated)", a.link or ""), b]
    await poll(rt, clock)
    feed.items = [item("dup", "Dup guid B, corrected", b.link or "")]
    await poll(rt, clock)
    assert len(await posted(rt)) == 2


async def test_a_real_repeat_and_a_changed_title_are_still_posted_once(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=[])
    assert "will post to #news" in await feeds(rt, f"add {feed.url} #news")
    first = item("same", "Same item", "https://news.example.org/same")
    feed.items = [first, item("same", "Same item, listed twice", "https://news.example.org/same")]
    await poll(rt, clock)
    sent = await posted(rt)
    assert len(sent) == 1 and "Same item" in sent[0] and "listed twice" not in sent[0]  # the first stands
    feed.items = [item("same", "Same item, retitled", "https://news.example.org/same")]
    await poll(rt, clock)
    assert len(await posted(rt)) == 1


async def test_an_item_that_later_shares_its_guid_is_not_posted_again(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=[])
    assert "will post to #news" in await feeds(rt, f"add {feed.url} #news")
    a = item("dup", "Dup guid A", "https://news.example.org/a")
    feed.items = [a]
    await poll(rt, clock)
    assert len(await posted(rt)) == 1
    b = item("dup", "Dup guid B", "https://news.example.org/b")
    feed.items = [b, a]  # the newer one first, as feeds list them
    await poll(rt, clock)
    feed.items = [b, a]
    await poll(rt, clock)
    sent = await posted(rt)
    assert len(sent) == 2 and "Dup guid B" in sent[1]


async def test_items_added_when_the_feed_is_checked_first_are_not_posted(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    a = item("dup", "Dup guid A", "https://news.example.org/a")
    b = item("dup", "Dup guid B", "https://news.example.org/b")
    feed = FakeFeed(feed_server, items=[a, b])
    assert "It holds 2 items now" in await feeds(rt, f"add {feed.url} #news")
    await poll(rt, clock)
    await poll(rt, clock)
    assert await posted(rt) == []


# --- bulletins: an unsafe link -------------------------------------------------------------------


async def test_an_unsafe_bulletin_link_comes_out_as_its_label_only(rt: Runtime) -> None:
    body = "## Links\nA [hidden link](javascript:alert(1)) and [the guide](https://en.example.org/Guide_(2026)) here."
    assert "saved as a draft" in await save(rt, "new", "Unsafe links", body)
    preview = Reply(blocks=[b for r in await bulletin(rt, "preview 1") for b in r.blocks])
    text = preview.all_text()
    assert "A hidden link and" in text and "hidden link)" not in text and "javascript" not in text
    for rendered in (slack(preview), discord(preview), teams(preview)):
        assert "javascript" not in rendered and "hidden link)" not in rendered
        assert "https://en.example.org/Guide_%282026%29" in rendered


# --- replies to the communications lead ---------------------------------------------------------


async def test_a_failing_feed_counts_its_tries_in_words(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=[item("a", "A", "https://news.example.org/a")])
    assert "will post to #news" in await feeds(rt, f"add {feed.url} #news")
    feed.status = 503
    await poll(rt, clock)
    listed = await feeds(rt, "list")
    assert "(1 try)" in listed and "tries)" not in listed
    clock.advance(dt.timedelta(hours=1))
    await rt.tick()
    assert "(2 tries)" in await feeds(rt, "list")


async def test_a_time_not_understood_is_named_without_the_channel(rt: Runtime) -> None:
    assert "saved as a draft" in await save(rt, "new", "Dates", "Body")
    answer = text_of(await bulletin(rt, "schedule 1 31/02/2026 #practice"))
    assert answer.strip() == "There is no 31 February 2026: February has 28 days." and "#practice" not in answer
    answer = text_of(await bulletin(rt, "schedule 1 13/03/2025 #practice"))
    assert "has already passed" in answer and "#practice" not in answer
    answer = text_of(await bulletin(rt, "schedule 1 someday soon #practice"))
    assert "'someday soon' is not a time I understand" in answer and "day first" not in answer
    # A channel named without '#' after a misspelt time is not quoted as part of the time.
    for typed, meant in [
        ("tomorow 9am practice schools", "tomorow 9am"),
        ("next frday practice", "next frday"),
        ("Febuary 3 practice", "Febuary 3"),
        ("nextweek practice", "nextweek"),
    ]:
        answer = text_of(await bulletin(rt, f"schedule 1 {typed}"))
        assert f"'{meant}' is not a time I understand" in answer, answer
    # after a time that reads, a slip of a day's name is not taken as a channel called #tomorow
    answer = text_of(await bulletin(rt, "schedule 1 9am tomorow practice"))
    assert "but not 'tomorow'" in answer and "will go to" not in answer
    # a review: a channel whose name is an English word near a day's or month's is no slip
    for n, channel in enumerate(("fridays", "monarch", "augusta"), start=2):
        assert "saved as a draft" in await save(rt, "new", f"Again {n}", "Body")
        answer = text_of(await bulletin(rt, f"schedule {n} tomorrow 9am {channel}"))
        assert f"will go to #{channel}" in answer, answer


async def test_a_bulletin_that_went_or_was_cancelled_says_which(rt: Runtime, clock: FrozenClock) -> None:
    assert "saved as a draft" in await save(rt, "new", "Sent one", "Body")
    assert "saved as a draft" in await save(rt, "new", "Cancelled one", "Body")
    text_of(await bulletin(rt, "schedule 1 now #news"))
    await rt.tick()
    text_of(await bulletin(rt, "cancel 2"))
    assert "Bulletin 1 has already been sent, so it can't be changed now." in text_of(await bulletin(rt, "edit 1"))
    assert "Bulletin 1 has already been sent, so it can't be changed now." in await save(rt, "1", "New", "Body")
    assert "Bulletin 1 has already been sent, so there is nothing to cancel." in text_of(await bulletin(rt, "cancel 1"))
    assert "Bulletin 2 was cancelled, so it can't be changed now." in text_of(await bulletin(rt, "edit 2"))
    assert "Bulletin 2 was cancelled already" in text_of(await bulletin(rt, "cancel 2"))
    assert "Bulletin 2 was cancelled, so it can't be scheduled." in text_of(
        await bulletin(rt, "schedule 2 tomorrow #news")
    )
