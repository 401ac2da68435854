"""Compressed feeds (handlers/feeds/fetch.py) against a local publisher sending real compressed
bytes: gzip and deflate feeds still read, while a small body that inflates to hundreds of
megabytes is stopped at the size cap with memory to match, and encodings the bot did not offer
are refused. Also the address guard's IPv6 site-local rule (core/addresses.py)."""

from __future__ import annotations

import functools
import ipaddress
import tracemalloc
import zlib
from collections.abc import Awaitable, Iterator

import httpx  # noqa: F401 - imported up front, so its import is not counted as the fetch's memory
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from core.addresses import AddressGuard, GuardedNetwork, refusal
from handlers.feeds.fetch import COULD_NOT_FETCH, FeedProblem, FeedSettings, fetch, new_client, prepare_tls
from tests.feedserver import (  # noqa: F401
    Item,
    LoopbackOnlyNetwork,
    feed_server_fixture,
    feed_server_once_fixture,
    rss,
)

MB = 1_000_000
ZEROS = 200 * 1024 * 1024  # what the bomb inflates to
PEAK_LIMIT = 32 * MB  # a 5 MB cap needs the body twice over (pieces, then joined), plus change
SIZE_SENTENCE = "the feed is larger than the 5 MB limit, so it was not read"
FEED = rss([Item(f"g-{n}", f"Partnership news {n}", f"https://news.example.org/{n}", "<p>News</p>") for n in range(40)])


def settings(**changes: object) -> FeedSettings:
    """The local publisher is on 127.0.0.1, which the address guard refuses unless allowed."""
    return FeedSettings(_env_file=None, **{"allow_hosts": "127.0.0.1", **changes})  # type: ignore[call-arg, arg-type]


def gzipped(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def deflated(data: bytes, *, raw: bool = False) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@functools.cache
def gzip_bomb() -> bytes:
    """200 MiB of zeros in about 200 KB of gzip, made a megabyte at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    return b"".join(packer.compress(block) for _ in range(ZEROS >> 20)) + packer.flush()


def serve(
    server: HTTPServer, path: str, body: bytes, encoding: str | None, *, chunked: bool = False, tail: int = 0
) -> str:
    """Answer `path` with `body` as given, labelled with `encoding`; `chunked` sends it in 4 KB
    pieces with no length, and `tail` more zero bytes after it in 64 KB pieces."""

    def pieces() -> Iterator[bytes]:
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]
        for _ in range(tail // 65536):
            yield bytes(65536)

    def answer(_request: Request) -> Response:
        headers = {"Content-Encoding": encoding} if encoding else {}
        content = pieces() if chunked or tail else body
        return Response(content, headers=headers, content_type="application/rss+xml")

    server.expect_request(path).respond_with_handler(answer)
    return server.url_for(path)


async def peak_of(work: Awaitable[object]) -> tuple[int, FeedProblem | None]:
    """The most memory Python held above its starting point while `work` ran, and its problem."""
    await prepare_tls()  # the CA bundle is loaded once per process: not this fetch's memory
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    start = tracemalloc.get_traced_memory()[0]
    problem = None
    try:
        await work
    except FeedProblem as caught:
        problem = caught
    finally:
        peak = tracemalloc.get_traced_memory()[1] - start
        if not tracing:
            tracemalloc.stop()
    return peak, problem


# --- compressed bodies ------------------------------------------------------------------------------


async def test_a_gzip_bomb_stops_at_the_size_cap_without_inflating_the_rest(feed_server: HTTPServer) -> None:
    url = serve(feed_server, "/bomb.xml", gzip_bomb(), "gzip")
    peak, problem = await peak_of(fetch(url, settings=settings()))
    assert problem is not None and problem.permanent
    assert problem.message == SIZE_SENTENCE
    assert peak < PEAK_LIMIT, f"{peak / MB:.1f} MB"


async def test_a_gzip_bomb_sent_in_chunks_stops_at_the_size_cap_too(feed_server: HTTPServer) -> None:
    url = serve(feed_server, "/bomb.xml", gzip_bomb(), "gzip", chunked=True)
    peak, problem = await peak_of(fetch(url, settings=settings()))
    assert problem is not None and problem.message == SIZE_SENTENCE
    assert peak < PEAK_LIMIT, f"{peak / MB:.1f} MB"


async def test_a_body_compressed_twice_is_refused_before_any_of_it_is_inflated(feed_server: HTTPServer) -> None:
    twice = gzipped(gzip_bomb())  # under 1 KB on the wire
    url = serve(feed_server, "/double.xml", twice, "gzip, gzip")
    peak, problem = await peak_of(fetch(url, settings=settings()))
    assert problem is not None
    assert problem.message == "the feed's server compressed it more than once, so it was not read"
    assert problem.detail == "Content-Encoding: gzip, gzip"
    assert peak < PEAK_LIMIT, f"{peak / MB:.1f} MB"


async def test_two_encoding_headers_count_as_two_layers(feed_server: HTTPServer) -> None:
    def answer(_request: Request) -> Response:
        response = Response(gzipped(gzipped(FEED)), content_type="application/rss+xml")
        response.headers.add("Content-Encoding", "gzip")
        response.headers.add("Content-Encoding", "deflate")
        return response

    feed_server.expect_request("/two.xml").respond_with_handler(answer)
    with pytest.raises(FeedProblem, match="compressed it more than once"):
        await fetch(feed_server.url_for("/two.xml"), settings=settings())


async def test_bytes_after_the_compressed_feed_still_count_towards_the_cap(feed_server: HTTPServer) -> None:
    """Inflating stops at the end of the gzip stream; whatever follows is still read off the wire
    and counted, so an endless tail is cut off at the cap like any other large body."""
    url = serve(feed_server, "/tail.xml", gzipped(FEED), "gzip", tail=6 * MB)
    peak, problem = await peak_of(fetch(url, settings=settings()))
    assert problem is not None and problem.message == SIZE_SENTENCE
    assert peak < PEAK_LIMIT, f"{peak / MB:.1f} MB"


@pytest.mark.parametrize(
    ("encoding", "body", "chunked"),
    [
        ("gzip", gzipped(FEED), False),
        ("gzip", gzipped(FEED), True),
        ("x-gzip", gzipped(FEED), False),
        ("deflate", deflated(FEED), False),
        ("deflate", deflated(FEED), True),
        ("deflate", deflated(FEED, raw=True), False),  # some servers send deflate without its wrapper
        ("identity", FEED, False),
        (None, FEED, True),
    ],
    ids=["gzip", "gzip-chunked", "x-gzip", "deflate", "deflate-chunked", "raw-deflate", "identity", "plain-chunked"],
)
async def test_compressed_and_plain_feeds_still_read(
    feed_server: HTTPServer, encoding: str | None, body: bytes, chunked: bool
) -> None:
    url = serve(feed_server, "/feed.xml", body, encoding, chunked=chunked)
    result = await fetch(url, settings=settings())
    assert result.status == 200 and result.feed is not None
    assert [i.title for i in result.feed.items] == [f"Partnership news {n}" for n in range(40)]


async def test_the_request_offers_only_what_the_bot_can_inflate(feed_server: HTTPServer) -> None:
    url = serve(feed_server, "/feed.xml", gzipped(FEED), "gzip")
    await fetch(url, settings=settings())
    request, _response = feed_server.log[-1]
    assert request.headers["Accept-Encoding"] == "gzip, deflate"


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "x-made-up"])
async def test_an_encoding_that_was_not_offered_is_refused(feed_server: HTTPServer, encoding: str) -> None:
    url = serve(feed_server, "/odd.xml", FEED, encoding)
    with pytest.raises(FeedProblem) as caught:
        await fetch(url, settings=settings())
    assert caught.value.message == "the feed's server compressed it in a way the bot cannot read, so it was not read"
    assert caught.value.detail == f"Content-Encoding: {encoding}"
    assert not caught.value.permanent  # the publisher may put it right


async def test_a_damaged_gzip_body_reads_like_any_other_broken_download(feed_server: HTTPServer) -> None:
    broken = bytearray(gzipped(FEED))
    broken[len(broken) // 2 :] = bytes(len(broken) - len(broken) // 2)
    url = serve(feed_server, "/broken.xml", bytes(broken), "gzip")
    with pytest.raises(FeedProblem) as caught:
        await fetch(url, settings=settings())
    assert caught.value.message == COULD_NOT_FETCH and not caught.value.permanent
    assert caught.value.detail.startswith("the gzip body is damaged")


# --- IPv6 site-local addresses ----------------------------------------------------------------------


@pytest.mark.parametrize("address", ["fec0::1", "fed0:1234::5", "feff:ffff::1"])
def test_site_local_ipv6_is_refused_like_unique_local(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is not None


async def test_a_name_resolving_to_a_site_local_address_is_refused_without_connecting() -> None:
    network = LoopbackOnlyNetwork()

    async def resolve(host: str, port: int) -> list[str]:
        return ["fec0::5"]

    client_settings = FeedSettings(_env_file=None, timeout_seconds=2.0)  # type: ignore[call-arg]
    client = new_client(client_settings, GuardedNetwork(AddressGuard(), resolve=resolve, inner=network))
    try:
        with pytest.raises(FeedProblem) as caught:
            await fetch("http://intranet.example.org/feed.xml", settings=client_settings, client=client)
    finally:
        await client.aclose()
    assert caught.value.message == COULD_NOT_FETCH
    assert "fec0::5 is a private or reserved address" in caught.value.detail
    assert network.asked == []
