"""Fetching and reading feeds (handlers/feeds/fetch.py) against a local publisher serving real bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from handlers.feeds.fetch import (
    COULD_NOT_FETCH,
    USER_AGENT,
    FeedProblem,
    FeedSettings,
    conditional_headers,
    fetch,
    parse,
    read_file,
)
from tests.feedserver import (  # noqa: F401
    EndlessBody,
    FakeFeed,
    Item,
    atom,
    feed_server_fixture,
    feed_server_once_fixture,
    redirect,
    rss,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def settings(**changes: object) -> FeedSettings:
    """The local publisher is on 127.0.0.1, which the address guard refuses unless allowed."""
    return FeedSettings(_env_file=None, **{"allow_hosts": "127.0.0.1", **changes})  # type: ignore[call-arg, arg-type]


async def test_items_come_back_with_keys_links_dates_and_neutral_summaries(feed_server: HTTPServer) -> None:
    feed = FakeFeed(
        feed_server,
        items=[
            Item("g-1", "Neglect strategy <update>", "/news/1", "<p>Read <b>this</b> @everyone</p>", NOW),
            Item(None, "No guid here", "https://news.example.org/2", "Plain", NOW),
        ],
    )
    result = await fetch(feed.url, settings=settings())
    assert result.status == 200 and result.feed is not None
    first, second = result.feed.items
    assert result.feed.title == "Safeguarding news"
    assert first.title == "Neglect strategy <update>"
    assert first.link == feed_server.url_for("/news/1")  # relative links resolved against the feed
    assert first.published == NOW
    assert "**this**" in first.summary and "@everyone" not in first.summary
    assert second.entry_key != first.entry_key and len(second.entry_key) == 64


async def test_the_request_names_the_bot_in_its_user_agent(feed_server: HTTPServer) -> None:
    feed = FakeFeed(feed_server, items=[])
    await fetch(feed.url, settings=settings(contact="comms@example.org"))
    agent = feed.requests[0]["User-Agent"]
    assert agent.startswith("sgbot/") and "comms@example.org" in agent
    assert USER_AGENT.startswith("sgbot/")


def test_empty_validators_are_left_out_of_the_conditional_request() -> None:
    assert conditional_headers(None, None) == {}
    assert conditional_headers("", "  ") == {}
    assert conditional_headers('"v1"', "") == {"If-None-Match": '"v1"'}
    assert conditional_headers(None, "Mon, 02 Mar 2026 08:00:00 GMT") == {
        "If-Modified-Since": "Mon, 02 Mar 2026 08:00:00 GMT"
    }


async def test_a_304_is_a_success_without_a_body(feed_server: HTTPServer) -> None:
    feed = FakeFeed(feed_server, items=[Item("a", "A")], etag='"v1"', last_modified="Mon, 02 Mar 2026 08:00:00 GMT")
    first = await fetch(feed.url, settings=settings())
    assert first.etag == '"v1"' and first.last_modified == "Mon, 02 Mar 2026 08:00:00 GMT"
    second = await fetch(feed.url, settings=settings(), etag=first.etag, last_modified=first.last_modified)
    assert second.status == 304 and second.feed is None
    assert feed.requests[1]["If-None-Match"] == '"v1"'
    assert feed.requests[1]["If-Modified-Since"] == "Mon, 02 Mar 2026 08:00:00 GMT"


async def test_410_is_a_permanent_failure(feed_server: HTTPServer) -> None:
    feed = FakeFeed(feed_server, status=410)
    with pytest.raises(FeedProblem) as caught:
        await fetch(feed.url, settings=settings())
    assert caught.value.permanent and "410" in caught.value.message


async def test_server_errors_are_temporary(feed_server: HTTPServer) -> None:
    feed = FakeFeed(feed_server, status=503)
    with pytest.raises(FeedProblem) as caught:
        await fetch(feed.url, settings=settings())
    assert not caught.value.permanent and "503" in caught.value.message


async def test_redirects_are_followed_and_a_permanent_move_is_reported(feed_server: HTTPServer) -> None:
    feed = FakeFeed(feed_server, path="/new.xml", items=[Item("a", "Moved item")])
    old = redirect(feed_server, "/old.xml", feed.url, status=301)
    temporary = redirect(feed_server, "/temp.xml", feed.url, status=302)
    moved = await fetch(old, settings=settings())
    assert moved.feed is not None and moved.feed.items[0].title == "Moved item"
    assert moved.moved_to == feed.url
    visiting = await fetch(temporary, settings=settings())
    assert visiting.feed is not None and visiting.moved_to is None


async def test_a_slow_server_is_timed_out(feed_server: HTTPServer) -> None:
    feed = FakeFeed(feed_server, items=[Item("a", "A")], delay=1.5)
    with pytest.raises(FeedProblem) as caught:
        await fetch(feed.url, settings=settings(timeout_seconds=0.3))
    assert not caught.value.permanent
    assert caught.value.message == COULD_NOT_FETCH  # chat gets the neutral sentence
    assert caught.value.detail == "no answer within 0.3 seconds"  # operators' logs get the reason


async def test_a_huge_body_is_refused_without_reading_it_all(feed_server: HTTPServer) -> None:
    endless = EndlessBody()
    feed_server.expect_request("/huge.xml").respond_with_handler(endless.response)
    with pytest.raises(FeedProblem) as caught:
        await fetch(feed_server.url_for("/huge.xml"), settings=settings(max_bytes=256_000))
    assert caught.value.permanent and "larger than the 0.256 MB limit" in caught.value.message
    assert endless.served < endless.chunks // 4  # streaming stopped long before the end


async def test_a_declared_length_over_the_cap_is_refused_before_reading(feed_server: HTTPServer) -> None:
    feed = FakeFeed(feed_server, body=b"<rss>" + b" " * 300_000 + b"</rss>")
    with pytest.raises(FeedProblem) as caught:
        await fetch(feed.url, settings=settings(max_bytes=100_000))
    assert caught.value.permanent


async def test_malformed_xml_is_reported_and_not_half_read(feed_server: HTTPServer) -> None:
    good = rss([Item("a", "First"), Item("b", "Second")])
    feed = FakeFeed(feed_server, body=good[: len(good) - 40])  # cut off mid-item
    with pytest.raises(FeedProblem) as caught:
        await fetch(feed.url, settings=settings())
    assert not caught.value.permanent
    assert caught.value.message.startswith("the feed is not well-formed XML")


async def test_a_web_page_is_not_a_feed(feed_server: HTTPServer) -> None:
    feed = FakeFeed(
        feed_server, body=b"<!doctype html><html><body>Hello</body></html>", content_type="text/html; charset=utf-8"
    )
    with pytest.raises(FeedProblem) as caught:
        await fetch(feed.url, settings=settings())
    assert caught.value.permanent and "web page" in caught.value.message


async def test_an_unreachable_server_is_a_temporary_failure() -> None:
    with pytest.raises(FeedProblem) as caught:
        await fetch("http://127.0.0.1:9/feed.xml", settings=settings(timeout_seconds=2))
    assert not caught.value.permanent and caught.value.message == COULD_NOT_FETCH


def test_atom_is_read_too_and_text_summaries_are_escaped() -> None:
    body = atom(
        [
            Item(
                "urn:1",
                "Panel review",
                "https://panel.example.org/1",
                "<!channel> look [x](https://e.xample)",
                NOW,
                summary_type="text",
            ),
        ]
    )
    parsed = parse(body, {"content-type": "application/atom+xml"})
    item = parsed.items[0]
    assert parsed.title == "Review panel" and item.link == "https://panel.example.org/1"
    assert "<!" not in item.summary and "](" not in item.summary
    assert "channel" in item.summary and "look" in item.summary


def test_a_feed_file_can_be_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(rss([Item("a", "From a file", "https://news.example.org/a")]))
    assert read_file(path).items[0].title == "From a file"
    with pytest.raises(FeedProblem, match="cannot be read"):
        read_file(tmp_path / "missing.xml")
