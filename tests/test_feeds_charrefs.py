"""An emoji written as the two halves of its UTF-16 form (`&#xD83D;&#xDE00;`), or half of one
alone: feedparser cannot read such a feed at all, so the bytes are mended first, every item
posts, and /feeds list says what was mended. Real feedparser on real bytes from a local publisher."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from pytest_httpserver import HTTPServer

from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from core.model import Reply
from handlers.feeds import SETTINGS_SERVICE
from handlers.feeds.fetch import FeedSettings, fetch, repair_references
from storage import feeds as store
from tests.comms_support import as_only_replica, close_runtime
from tests.conftest import _clean_postgres
from tests.feedserver import FakeFeed, Item, feed_server_fixture, feed_server_once_fixture, rss  # noqa: F401
from tests.harness import Console, command, text_of
from tests.storage_support import in_tx

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
POLL = dt.timedelta(minutes=16)
# The audit's inputs: 😀 as two character references of its surrogate pair, in hex and decimal,
# and half a pair alone.
PAIR_HEX = b"&#xD83D;&#xDE00;"
PAIR_DECIMAL = b"&#55357;&#56832;"
LONE = b"&#xD800;"
JOINED = "1 emoji or other character the feed wrote in two halves was put back together"


def feed_settings() -> FeedSettings:
    # The local publisher is on 127.0.0.1, which the address guard refuses unless it is allowed.
    return FeedSettings(_env_file=None, timeout_seconds=5.0, allow_hosts="127.0.0.1")  # type: ignore[call-arg]


def with_references(items: list[Item], **references: bytes) -> bytes:
    """RSS for `items`, each placeholder word in their titles replaced by raw reference bytes
    (the feed server's own writer would escape the "&")."""
    body = rss(items)
    for placeholder, reference in references.items():
        body = body.replace(placeholder.encode(), reference)
    return body


def item(guid: str, title: str, at: dt.datetime = START) -> Item:
    return Item(guid, title, f"https://news.example.org/{guid}", f"About {guid}", at)


# --- reading ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "title", "repaired"),
    [
        (PAIR_HEX, "Emoji 😀 news", JOINED),
        (PAIR_DECIMAL, "Emoji 😀 news", JOINED),
        (
            LONE,
            "Emoji \ufffd news",
            "1 character a feed cannot hold (half an emoji, a control character) was shown as \ufffd",
        ),
        (b"&#x1F600;", "Emoji 😀 news", None),  # written as one reference, nothing to mend
    ],
)
async def test_every_item_is_read_and_the_feed_says_what_was_mended(
    feed_server: HTTPServer, reference: bytes, title: str, repaired: str | None
) -> None:
    body = with_references([item("a", "Emoji EMOJI news"), item("b", "Other news")], EMOJI=reference)
    feed = FakeFeed(feed_server, body=body)
    result = await fetch(feed.url, settings=feed_settings())
    assert result.feed is not None
    assert [i.title for i in result.feed.items] == [title, "Other news"]
    assert result.feed.repaired == repaired


def test_only_references_xml_cannot_hold_are_changed() -> None:
    body = (
        b"<t>&#xD83D;&#xDE00; &#xd83d;&#xde00;&#xD83D; &#xDE00;&#xD83D; &#0; &#x110000; &#"
        + b"9" * 5000
        + b"; &#8217; &#x1F600; &amp;#xD83D; &#x9;</t>"
    )
    mended, joined, replaced = repair_references(body)
    assert mended == (
        b"<t>&#x1F600; &#x1F600;&#xFFFD; &#xFFFD;&#xFFFD; &#xFFFD; &#xFFFD; &#xFFFD;"
        b" &#8217; &#x1F600; &amp;#xD83D; &#x9;</t>"
    )
    assert (joined, replaced) == (2, 6)
    plain = b"<t>nothing to mend &#8217;</t>"
    assert repair_references(plain) == (plain, 0, 0)


# --- polling ------------------------------------------------------------------------------------------


@pytest.fixture(name="rt")
async def rt_fixture(settings: Settings, database_url: str, clock: FrozenClock) -> AsyncIterator[Runtime]:
    runtime = await Runtime.create(
        settings.model_copy(update={"database_url": database_url, "admins": "console:boss"}),
        clock=clock,
        console_mode=True,
    )
    runtime.ctx.services[SETTINGS_SERVICE] = feed_settings()
    if runtime.ctx.db.is_postgres:
        await _clean_postgres(runtime.ctx.db)
    Console(runtime, roles=frozenset({"comms"}))  # the console adapter receives every post
    as_only_replica(runtime)
    yield runtime
    await close_runtime(runtime)


async def feeds(rt: Runtime, text: str) -> str:
    outcome = await rt.dispatcher.handle(command("feeds", text, user="cara", roles={"comms"}))
    return text_of(outcome.replies)


async def posted(rt: Runtime) -> list[str]:
    from sqlalchemy import select

    from storage.models import OutboxMessage

    async with rt.ctx.db.transaction() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    return [Reply.model_validate(r.payload).all_text() for r in rows if r.status == "sent"]


async def test_an_emoji_in_two_halves_no_longer_stops_the_feed(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=[item("old", "Older news")])
    assert "will post to #news" in await feeds(rt, f"add {feed.url} #news")
    later = START + dt.timedelta(minutes=5)
    feed.body = with_references(
        [item("a", "Emoji EMOJI news", later), item("b", "Half HALF here", later), item("old", "Older news")],
        EMOJI=PAIR_HEX,
        HALF=LONE,
    )
    clock.advance(POLL)
    await rt.tick()
    sent = "\n".join(await posted(rt))
    assert "Emoji 😀 news" in sent and "Half \ufffd here" in sent and "Older news" not in sent
    [(state, _routes)] = await in_tx(rt.ctx.db, store.list_feeds)
    assert state.status == store.ACTIVE and state.failures == 0
    listing = await feeds(rt, "list")
    assert "healthy, last checked" in listing
    assert (
        "When it was last read, 1 emoji or other character the feed wrote in two halves was put back together "
        "and 1 character a feed cannot hold (half an emoji, a control character) was shown as \ufffd"
    ) in listing
    assert "could not be read" not in listing

    feed.body, feed.etag = None, '"v2"'  # the publisher writes it properly: the sentence goes
    feed.items = [item("old", "Older news")]
    clock.advance(POLL)
    await rt.tick()
    assert "When it was last read" not in await feeds(rt, "list")
    clock.advance(POLL)
    await rt.tick()  # a 304 keeps what the last reading said (nothing, here)
    assert "When it was last read" not in await feeds(rt, "list")


async def test_a_feed_added_with_an_emoji_in_two_halves_is_added_and_says_so(
    rt: Runtime, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, body=with_references([item("a", "Emoji EMOJI news")], EMOJI=PAIR_DECIMAL))
    answer = await feeds(rt, f"add {feed.url} #news")
    assert "will post to #news" in answer and "It holds 1 item now" in answer
    assert "While reading it, 1 emoji or other character the feed wrote in two halves was put back together." in answer
    assert "When it was last read, 1 emoji" in await feeds(rt, "list")
