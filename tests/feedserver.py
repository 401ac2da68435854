"""A feed publisher on 127.0.0.1 for the feeds tests: real HTTP serving real RSS or Atom bytes,
whose answer a test changes between polls (new items, 304s, 410, redirects, slowness, size).

Use it in a test module with:
    from tests.feedserver import feed_server_fixture, feed_server_once_fixture  # noqa: F401
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import time
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import httpcore
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


@dataclass
class Item:
    guid: str | None
    title: str
    link: str | None = None
    summary: str = ""
    published: dt.datetime | None = None
    summary_type: str = "html"  # atom only: "html" or "text"


def rss(items: list[Item], *, title: str = "Safeguarding news", link: str = "https://news.example.org/") -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>{escape(link)}</link><description>Test feed</description>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title>")
        if item.link:
            parts.append(f"<link>{escape(item.link)}</link>")
        if item.guid:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        if item.summary:
            parts.append(f"<description>{escape(item.summary)}</description>")
        if item.published:
            parts.append(f"<pubDate>{email.utils.format_datetime(item.published)}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def atom(items: list[Item], *, title: str = "Review panel", link: str = "https://panel.example.org/") -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f'<title>{escape(title)}</title><link href="{escape(link)}"/><id>urn:test:feed</id>',
        "<updated>2026-03-01T00:00:00Z</updated>",
    ]
    for item in items:
        parts.append("<entry>")
        parts.append(f"<title>{escape(item.title)}</title>")
        if item.guid:
            parts.append(f"<id>{escape(item.guid)}</id>")
        if item.link:
            parts.append(f'<link href="{escape(item.link)}"/>')
        if item.published:
            parts.append(f"<updated>{item.published.strftime('%Y-%m-%dT%H:%M:%SZ')}</updated>")
        if item.summary:
            parts.append(f'<summary type="{item.summary_type}">{escape(item.summary)}</summary>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "".join(parts).encode()


def big_feed(size: int = 5_000_000, *, at: dt.datetime, prefix: str = "big") -> bytes:
    """A valid RSS feed of about `size` bytes: thousands of items with ordinary HTML summaries,
    the kind of file that takes feedparser seconds of CPU to read."""
    summary = "<p>" + "Partnership news about <b>safeguarding</b> practice and learning. " * 18 + "</p>"
    one = len(rss([Item("x", "x", "https://news.example.org/x", summary, at)])) - len(rss([]))
    count = max(1, size // one)
    items = [
        Item(f"{prefix}{i}", f"News item {prefix}{i}", f"https://news.example.org/{prefix}{i}", summary, at)
        for i in range(count)
    ]
    return rss(items, title="A very long feed")


@dataclass
class FakeFeed:
    """One feed address on the fake server. Honours If-None-Match / If-Modified-Since like a
    real publisher, and records the headers of every request it gets."""

    server: HTTPServer
    path: str = "/feed.xml"
    items: list[Item] = field(default_factory=list)
    title: str = "Safeguarding news"
    kind: str = "rss"
    status: int = 200
    body: bytes | None = None  # served as is instead of the items
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    requests: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.server.expect_request(self.path).respond_with_handler(self._answer)

    @property
    def url(self) -> str:
        return self.server.url_for(self.path)

    @property
    def hits(self) -> int:
        return len(self.requests)

    def _answer(self, request: Request) -> Response:
        self.requests.append(dict(request.headers))
        if self.delay:
            time.sleep(self.delay)
        if self.status != 200:
            return Response(b"", status=self.status)
        if (self.etag and request.headers.get("If-None-Match") == self.etag) or (
            self.last_modified and not self.etag and request.headers.get("If-Modified-Since") == self.last_modified
        ):
            return Response(status=304)
        if self.body is not None:
            body = self.body
        else:
            body = rss(self.items, title=self.title) if self.kind == "rss" else atom(self.items, title=self.title)
        headers = {}
        if self.etag:
            headers["ETag"] = self.etag
        if self.last_modified:
            headers["Last-Modified"] = self.last_modified
        return Response(body, status=200, headers=headers, content_type=self.content_type)


def redirect(server: HTTPServer, path: str, to: str, status: int = 301) -> str:
    server.expect_request(path).respond_with_response(Response(status=status, headers={"Location": to}))
    return server.url_for(path)


@dataclass
class EndlessBody:
    """A huge streamed body that counts how much of it was actually asked for."""

    chunk: bytes = b"<!-- padding -->" * 4096  # 64 KiB
    chunks: int = 800  # 50 MiB in all
    served: int = 0

    def response(self, _request: Request) -> Response:
        def generate() -> Iterator[bytes]:
            yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
            for _ in range(self.chunks):
                self.served += 1
                yield self.chunk
            yield b"</channel></rss>"

        return Response(generate(), content_type="application/rss+xml")


class LoopbackOnlyNetwork(httpcore.AsyncNetworkBackend):
    """Real sockets, but only to loopback: every address a connection is asked for is recorded,
    and anything else is refused here without touching the network, so a test of the address
    guard can never send a packet to a metadata service or a private range, even if the guard
    were broken. Put under the guard with GuardedNetwork(guard, inner=LoopbackOnlyNetwork())."""

    def __init__(self) -> None:
        self.real = httpcore.AnyIOBackend()
        self.asked: list[tuple[str, int]] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.asked.append((host, port))
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False  # a name: the guard should have handed over an address
        if not loopback:
            raise httpcore.ConnectError(f"test network: {host} is not loopback, not connecting")
        return await self.real.connect_tcp(host, port, timeout=timeout, socket_options=socket_options)

    async def sleep(self, seconds: float) -> None:
        await self.real.sleep(seconds)


@pytest.fixture(name="feed_server_once", scope="session")
def feed_server_once_fixture() -> Iterator[HTTPServer]:
    """A threaded server, so a deliberately slow answer does not hold up the next test."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture(name="feed_server")
def feed_server_fixture(feed_server_once: HTTPServer) -> Iterator[HTTPServer]:
    """The shared server with no handlers left over from another test."""
    feed_server_once.clear()
    yield feed_server_once
    feed_server_once.clear()
