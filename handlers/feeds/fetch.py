"""Fetching and reading RSS and Atom feeds for the feeds feature (handlers/feeds/).

Fetching is careful with other people's servers and with our own memory: one timeout for the
whole request, a size cap enforced while streaming, a User-Agent that names the bot, and
conditional requests (ETag / Last-Modified) so an unchanged feed costs a 304. Every connection
goes through the address guard (core/addresses.py), so a feed address cannot reach our own
network. The bytes and the response headers go to feedparser in a worker process with a time
budget, so a huge or hostile feed never holds up the bot's event loop; every item comes out as
neutral markup.

Compressed feeds are inflated here rather than by httpx, which inflates a whole network read at
once, and a few hundred bytes can stand for gigabytes. Only gzip and deflate are offered, and a
body is inflated a bounded piece at a time, so the size cap holds both for the bytes the server
sent and for what they inflate to. An encoding that was not offered, or more than one layer of
compression (which no feed needs), is refused rather than read.

Failures are `FeedProblem`s with a sentence for people and a `permanent` flag: a feed that has
gone (410), is not a feed, or is too large will not get better by asking again. Failures to
connect all read the same, so the messages say nothing about which ports answer where."""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
import functools
import hashlib
import html
import logging
import os
import pickle
import re
import ssl
import struct
import subprocess
import sys
import threading
import weakref
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pydantic_settings import SettingsConfigDict

from core import __version__
from core.config import FeatureSettings
from core.sanitise import link_url, one_line, safe_url, to_neutral

# httpx (with the guard's httpcore) and feedparser are imported where a feed is fetched or read:
# together they are about 30 MB and a tenth of a second that a bot with no feed due need not pay.
if TYPE_CHECKING:
    import httpcore
    import httpx

log = logging.getLogger("sgbot.feeds")

USER_AGENT = f"sgbot/{__version__} (safeguarding partnership chat bot; feed reader)"
_PERMANENT_REDIRECTS = {301, 308}


class FeedSettings(FeatureSettings):
    """FEEDS_* settings from the environment or .env; the defaults suit most partnerships."""

    model_config = SettingsConfigDict(env_prefix="FEEDS_", env_file=".env", extra="ignore", env_ignore_empty=True)

    timeout_seconds: float = 20.0  # for the whole request, not per read
    max_bytes: int = 5_000_000
    poll_minutes: int = 15  # default per feed; `/feeds add ... every=30m` overrides
    max_age_days: int = 14  # "new" items older than this are not posted
    per_run_cap: int = 5  # items one poll may post to one channel
    per_day_cap: int = 20  # items one channel may get from one feed in a day
    summary_chars: int = 600  # longer items are cut, with a link to the source
    contact: str = ""  # a URL or email address added to the User-Agent, for feed publishers
    parse_seconds: float = 30.0  # time budget for reading one feed, in a worker process
    # Hosts feeds may come from although they are not public addresses (see core/addresses.py),
    # comma separated: names, addresses or networks, each optionally with :port.
    allow_hosts: str = ""


class FeedProblem(Exception):
    """Fetching or reading a feed failed; `message` is a sentence for people. `detail` says more
    for operators (logs, the command line) where chat must not, e.g. why an address was refused."""

    def __init__(self, message: str, *, permanent: bool = False, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.detail = detail


@dataclass(frozen=True)
class FeedItem:
    entry_key: str  # sha256 of the guid, else the link, else title and date
    fingerprint: str  # sha256 of link and title: the same item under a new guid
    title: str  # one line, neutralised
    link: str | None  # http(s) only
    published: dt.datetime | None
    summary: str  # neutral markup, not yet cut


@dataclass
class ParsedFeed:
    title: str
    link: str | None
    items: list[FeedItem] = field(default_factory=list)
    repaired: str | None = None  # a sentence on what was mended in the bytes before reading them


@dataclass
class FetchResult:
    status: int  # 200 or 304
    url: str  # where the bytes finally came from
    moved_to: str | None = None  # set when every redirect on the way was permanent
    etag: str | None = None
    last_modified: str | None = None
    feed: ParsedFeed | None = None  # None on 304


def user_agent(settings: FeedSettings) -> str:
    return f"{USER_AGENT[:-1]}; {settings.contact})" if settings.contact else USER_AGENT


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since, leaving out empty values (some servers choke on them) and
    any a header cannot carry (a server's non-ASCII ETag, sent back, failed the request)."""
    headers = {}
    if etag and etag.strip() and etag.isascii():
        headers["If-None-Match"] = etag.strip()
    if last_modified and last_modified.strip() and last_modified.isascii():
        headers["If-Modified-Since"] = last_modified.strip()
    return headers


def new_client(settings: FeedSettings, network: httpcore.AsyncNetworkBackend | None = None) -> httpx.AsyncClient:
    """The feeds' HTTP client: every connection, redirects included, passes the address guard.

    Proxy settings from the environment are not used: the guard must see the address the bot
    itself connects to."""
    import httpx

    from core.addresses import AddressGuard, GuardedNetwork, guard_connections

    transport = httpx.AsyncHTTPTransport(verify=_tls_context(), trust_env=False)
    guard_connections(transport, network or GuardedNetwork(AddressGuard(settings.allow_hosts)))
    return httpx.AsyncClient(
        transport=transport,
        trust_env=False,
        timeout=httpx.Timeout(settings.timeout_seconds),
        follow_redirects=True,
        max_redirects=5,
        headers={"User-Agent": user_agent(settings), "Accept": _ACCEPT},
    )


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes a tenth of a second; once per process is enough.
    import httpx

    return httpx.create_ssl_context(trust_env=False)


async def prepare_tls() -> None:
    """Load the CA bundle in a thread the first time, so new_client never does it on the loop."""
    if _tls_context.cache_info().currsize == 0:
        await asyncio.to_thread(_tls_context)


_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


# One sentence for every way of not getting an answer (refused, timed out, blocked, broken
# connection), so the bot's messages cannot be used to map which ports answer where.
COULD_NOT_FETCH = "the feed could not be fetched from that address"


@dataclass
class _Download:
    status: int
    url: str
    moved_to: str | None
    etag: str | None
    last_modified: str | None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


async def fetch(
    url: str,
    *,
    settings: FeedSettings,
    etag: str | None = None,
    last_modified: str | None = None,
    client: httpx.AsyncClient | None = None,
) -> FetchResult:
    """Fetch and read one feed. Raises FeedProblem with a sentence and whether it is permanent."""
    import httpx
    import idna

    from core.addresses import AddressRefused

    own = client is None
    if own:
        await prepare_tls()
    client = client or new_client(settings)
    try:
        async with asyncio.timeout(settings.timeout_seconds):
            got = await _download(client, url, settings, conditional_headers(etag, last_modified))
    except AddressRefused as refused:
        raise FeedProblem(COULD_NOT_FETCH, detail=f"{refused}; FEEDS_ALLOW_HOSTS can allow it") from None
    except httpx.TooManyRedirects:
        raise FeedProblem("the feed's address redirects too many times") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, idna.IDNAError):
        # IDNAError: a host httpx takes but idna refuses when the request is built ("xn--ls8h.la")
        raise FeedProblem("the feed's address is not a valid web address", permanent=True) from None
    except TimeoutError:
        raise FeedProblem(COULD_NOT_FETCH, detail=f"no answer within {settings.timeout_seconds:g} seconds") from None
    except httpx.HTTPError as exc:
        raise FeedProblem(COULD_NOT_FETCH, detail=_describe(exc)) from None
    finally:
        if own:
            await client.aclose()
    result = FetchResult(got.status, got.url, got.moved_to, got.etag, got.last_modified)
    if got.status == 200:
        result.feed = await parse_elsewhere(got.body, got.headers, budget=settings.parse_seconds)
    return result


async def _download(client: httpx.AsyncClient, url: str, settings: FeedSettings, headers: dict[str, str]) -> _Download:
    headers = {"Accept-Encoding": _ACCEPT_ENCODING, **headers}
    async with client.stream("GET", url, headers=headers) as response:
        final = str(response.url)
        moved = (
            final if response.history and all(r.status_code in _PERMANENT_REDIRECTS for r in response.history) else None
        )
        got = _Download(
            response.status_code, final, moved, _header(response, "etag"), _header(response, "last-modified")
        )
        if response.status_code == 304:
            return got
        _check_status(response.status_code)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > settings.max_bytes:
            raise _too_large(settings)
        inflater = _inflater_for(response.headers.get("content-encoding", ""))
        chunks: list[bytes] = []
        size = raw_size = 0
        async for raw in response.aiter_raw():
            raw_size += len(raw)
            if raw_size > settings.max_bytes:
                raise _too_large(settings)  # leaving the block closes the connection: no more is read
            for chunk in inflater.pieces(raw) if inflater else (raw,):
                size += len(chunk)
                if size > settings.max_bytes:
                    raise _too_large(settings)
                chunks.append(chunk)
        got.headers = {k.lower(): v for k, v in response.headers.items()}
    got.status = 200
    got.headers.setdefault("content-location", final)
    got.body = b"".join(chunks)
    return got


# What the bot can inflate itself; httpx would also offer brotli or zstd if they were installed.
_ACCEPT_ENCODING = "gzip, deflate"
_GZIP_NAMES = {"gzip", "x-gzip"}
_PIECE_BYTES = 64 * 1024  # the most one step of inflating may produce


class _Inflater:
    """Undoes one layer of gzip or deflate a piece of at most _PIECE_BYTES at a time, so what a
    body inflates to is counted against the cap before more of it is made."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.start = b""  # deflate: the first bytes, until they show whether the zlib wrapper is there
        self.zlib = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else None

    def pieces(self, data: bytes) -> Iterator[bytes]:
        if self.zlib is None:
            self.start += data
            if len(self.start) < 2:
                return
            data, self.start = self.start, b""
            # Some servers send "deflate" as a bare deflate stream, without the zlib header.
            wrapped = (data[0] & 0x0F) == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self.zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        inflating = self.zlib
        # After the end of the stream zlib would only keep appending to unused_data; the bytes
        # are still counted against the cap by the caller.
        while not inflating.eof:
            try:
                piece = inflating.decompress(data, _PIECE_BYTES)
            except zlib.error as exc:
                raise FeedProblem(COULD_NOT_FETCH, detail=f"the {self.encoding} body is damaged: {exc}") from None
            data = inflating.unconsumed_tail
            if piece:
                yield piece
            if not data and len(piece) < _PIECE_BYTES:
                return  # all the input is used and nothing more is waiting inside zlib


def _inflater_for(content_encoding: str) -> _Inflater | None:
    """How to undo the body's encoding: None for a plain body, or FeedProblem when it is an
    encoding that was not offered, or several layers of one."""
    layers = [e.strip().lower() for e in content_encoding.split(",")]
    layers = [e for e in layers if e and e != "identity"]
    if not layers:
        return None
    detail = "Content-Encoding: " + " ".join(content_encoding.split())[:100]
    if len(layers) > 1:
        raise FeedProblem("the feed's server compressed it more than once, so it was not read", detail=detail)
    if layers[0] in _GZIP_NAMES:
        return _Inflater("gzip")
    if layers[0] == "deflate":
        return _Inflater("deflate")
    raise FeedProblem("the feed's server compressed it in a way the bot cannot read, so it was not read", detail=detail)


def _header(response: httpx.Response, name: str) -> str | None:
    value = response.headers.get(name, "").strip()
    return value or None


def _too_large(settings: FeedSettings) -> FeedProblem:
    limit = settings.max_bytes / 1_000_000
    return FeedProblem(f"the feed is larger than the {limit:g} MB limit, so it was not read", permanent=True)


def _check_status(status: int) -> None:
    if 200 <= status < 300:
        return
    if status == 410:
        raise FeedProblem("the feed has been removed by its publisher (HTTP 410 Gone)", permanent=True)
    if status == 404:
        raise FeedProblem("the feed's address was not found (HTTP 404)")
    if status in (401, 403):
        raise FeedProblem(f"the feed's server refused access (HTTP {status})")
    if status == 429:
        raise FeedProblem("the feed's server asked us to slow down (HTTP 429)")
    raise FeedProblem(f"the feed's server answered with an error (HTTP {status})")


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


# --- reading off the event loop ---------------------------------------------------------------------
#
# feedparser is pure Python: a 5 MB feed takes seconds of CPU. Feeds are read in worker processes
# (`python -c "…serve_reader()"`), each reading one feed at a time, sent over its stdin and
# answered over its stdout, at most one per CPU at once. A worker that runs past the time budget is
# killed; idle workers are kept for the next poll. (Not multiprocessing: its fork server runs the
# program's main script again in every worker, and `sgbot`'s imports the whole command line.)

_READER = [sys.executable, "-c", "from handlers.feeds.fetch import serve_reader; serve_reader()"]
_RECYCLE_AFTER_BYTES = 1_000_000  # a worker that read a feed this large is ended, giving its memory back
_idle: list[_Reader] = []
_idle_lock = threading.Lock()
_running: set[_Reader] = set()  # workers reading a feed right now
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def parses_in_progress() -> int:
    """How many feeds are being read in worker processes at this moment."""
    return len(_running)


def _slot() -> asyncio.Semaphore:
    # One worker per CPU: more would only make each slower, and the budget is per feed.
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(max(1, os.cpu_count() or 1))
    return _slots[loop]


def _send(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(data)))
    stream.write(data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("the worker has gone")
    size = struct.unpack(">Q", head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the worker has gone")
    return pickle.loads(data)  # noqa: S301 - our own worker process, over a pipe only we hold


class _Reader:
    """One worker process. Starting waits until it has imported feedparser, so the time budget
    covers reading only. Its methods block: call them in a thread."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(_READER, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdout is not None and self.process.stdin is not None
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout
        if self.stdout.read(1) != b"+":
            self.end()
            raise FeedProblem("the feed could not be read", detail="the feed reader process did not start")

    def read(self, body: bytes, headers: dict[str, str]) -> tuple[Any, ...]:
        _send(self.stdin, (body, headers))
        answer: tuple[Any, ...] = _receive(self.stdout)
        return answer

    def end(self) -> None:
        self.process.kill()
        self.process.wait()
        for stream in (self.stdin, self.stdout):
            stream.close()


def serve_reader() -> None:
    """The worker's main loop: read feeds sent on stdin, answer each on stdout, until stdin closes."""
    import feedparser  # noqa: F401 - loaded before the "+" below, so the time budget covers reading only

    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing a library prints may get into the answers
    answers.write(b"+")
    answers.flush()
    while True:
        try:
            body, headers = _receive(requests)
        except EOFError:
            return
        try:
            answer: tuple[Any, ...] = ("feed", parse(body, headers))
        except FeedProblem as problem:
            answer = ("problem", problem.message, problem.permanent)
        except Exception as exc:  # noqa: BLE001 - reported to the bot, not raised in the worker
            answer = ("error", f"{type(exc).__name__}: {exc}"[:300])
        _send(answers, answer)


def _take_idle() -> _Reader | None:
    with _idle_lock:
        while _idle:
            reader = _idle.pop()
            if reader.process.poll() is None:
                return reader
    return None


async def parse_elsewhere(body: bytes, headers: dict[str, str], *, budget: float) -> ParsedFeed:
    """`parse` in a worker process, so the event loop stays free; the worker is killed after `budget` seconds."""
    async with _slot():
        reader = _take_idle()
        if reader is None:
            reader = await asyncio.to_thread(_Reader)
        _running.add(reader)
        keep = False
        try:
            answer: tuple[Any, ...] | None = await asyncio.wait_for(
                asyncio.to_thread(reader.read, body, headers), budget
            )
            keep = len(body) <= _RECYCLE_AFTER_BYTES
        except TimeoutError:
            answer = None
        except EOFError:
            answer = ("error", "the feed reader process ended without an answer")
        finally:
            _running.discard(reader)
            if keep:
                with _idle_lock:
                    _idle.append(reader)
            else:  # killing it also ends the read still waiting in its thread
                await asyncio.to_thread(reader.end)
    if answer is None:
        raise FeedProblem(f"the feed took longer than {budget:g} seconds to read, so it was not read")
    if answer[0] == "feed":
        feed: ParsedFeed = answer[1]
        return feed
    if answer[0] == "problem":
        raise FeedProblem(answer[1], permanent=answer[2])
    log.warning("reading a feed failed in its worker: %s", answer[1])
    raise FeedProblem("the feed could not be read", detail=answer[1])


# --- reading ---------------------------------------------------------------------------------------


# A numeric character reference, such as &#x1F600; or &#128512;.
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def _code_point(ref: re.Match[bytes]) -> int:
    digits = (ref[1] if ref[1] is not None else ref[2]).lstrip(b"0") or b"0"
    if len(digits) > 8:  # past U+10FFFF whatever the base, and too long for int() to be asked
        return 0x110000
    return int(digits, 16) if ref[1] is not None else int(digits)


def _xml_allows(code: int) -> bool:
    """Whether XML 1.0 lets a document hold this character (its `Char` production)."""
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def repair_references(body: bytes) -> tuple[bytes, int, int]:
    """Mend numeric character references to characters XML does not allow, which feedparser
    cannot read (its loose parser raises, so no item of the feed could be read): an emoji written
    as the two UTF-16 halves of it (`&#xD83D;&#xDE00;`) becomes the one character it stands for
    (`&#x1F600;`), and any other (half a pair alone, a control character, a number past U+10FFFF)
    becomes U+FFFD, �. Returns the bytes and how many pairs were joined and references replaced.
    References are ASCII in every encoding a feed may use but UTF-16 and UTF-32, whose bytes are
    left as they are."""
    if b"&#" not in body:
        return body, 0, 0
    refs = list(_CHAR_REF.finditer(body))
    out: list[bytes] = []
    position = joined = replaced = 0
    index = 0
    while index < len(refs):
        ref = refs[index]
        code = _code_point(ref)
        index += 1
        if _xml_allows(code):
            continue
        out.append(body[position : ref.start()])
        position = ref.end()
        after = refs[index] if index < len(refs) else None
        if 0xD800 <= code <= 0xDBFF and after is not None and after.start() == ref.end():
            low = _code_point(after)
            if 0xDC00 <= low <= 0xDFFF:
                out.append(b"&#x%X;" % (0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)))
                position = after.end()
                index += 1
                joined += 1
                continue
        out.append(b"&#xFFFD;")
        replaced += 1
    if not out:
        return body, 0, 0
    out.append(body[position:])
    return b"".join(out), joined, replaced


def _repair_note(joined: int, replaced: int) -> str | None:
    """The sentence `/feeds list` shows for what `repair_references` mended."""
    parts = []
    if joined:
        what = "emoji or other character" if joined == 1 else "emoji or other characters"
        verb = "was" if joined == 1 else "were"
        parts.append(f"{joined} {what} the feed wrote in two halves {verb} put back together")
    if replaced:
        what = "character" if replaced == 1 else "characters"
        parts.append(
            f"{replaced} {what} a feed cannot hold (half an emoji, a control character) "
            f"{'was' if replaced == 1 else 'were'} shown as �"
        )
    return " and ".join(parts) if parts else None


def parse(body: bytes, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Read feed bytes with feedparser. Raises FeedProblem when they are not a usable feed.

    Badly formed XML is refused rather than half-read: items are not marked as seen, so once
    the publisher fixes the feed nothing is lost. Character references feedparser cannot read
    are mended first (`repair_references`), and the feed says so in `repaired`."""
    import feedparser  # a worker has it already (serve_reader); `sgbot feeds try` reads in-process

    headers = headers or {}
    if _looks_like_html(body, headers.get("content-type", "")):
        raise FeedProblem("the address gives a web page, not an RSS or Atom feed", permanent=True)
    body, joined, replaced = repair_references(body)
    parsed = feedparser.parse(body, response_headers=headers)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    harmless = feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType
    if problem is not None and not isinstance(problem, harmless):
        where = ""
        line = getattr(problem, "getLineNumber", None)
        if callable(line):
            where = f" at line {line()}"
        message = getattr(problem, "getMessage", None)
        detail = message() if callable(message) else str(problem)
        raise FeedProblem(f"the feed is not well-formed XML ({detail}{where})")
    if not parsed.get("version"):
        raise FeedProblem("the address does not give an RSS or Atom feed", permanent=True)
    base = headers.get("content-location", "")
    channel = parsed.get("feed", {})
    title = _title(channel.get("title", ""), channel.get("title_detail", {}).get("type", "text/plain"))
    link = link_url(channel.get("link", ""), base)
    items = [_item(entry, base) for entry in newest(parsed.get("entries", []))]
    return ParsedFeed(title=title, link=link, items=items, repaired=_repair_note(joined, replaced))


# Items read from one feed: a news feed holds tens. An outside audit's 4.7 MB feed of 150,000
# items took 40 s to add, held the loop 0.5 s and SQLite's write lock long enough for another
# person's bulletin to fail. The newest are read, in the feed's own order.
MAX_FEED_ITEMS = 500


def newest(entries: list[Any]) -> list[Any]:
    if len(entries) <= MAX_FEED_ITEMS:
        return entries
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    order = sorted(range(len(entries)), key=lambda i: _when(entries[i]) or oldest, reverse=True)
    return [entries[i] for i in sorted(order[:MAX_FEED_ITEMS])]


def _looks_like_html(body: bytes, content_type: str) -> bool:
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    return "text/html" in content_type.lower() and not any(
        tag in body[:4096] for tag in (b"<rss", b"<feed", b"<rdf:RDF")
    )


def read_file(path: Path) -> ParsedFeed:
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise FeedProblem(f"the file {path} cannot be read ({exc.strerror or exc})") from None
    return parse(body, {"content-location": path.resolve().as_uri()})


def _title(value: str, content_type: str) -> str:
    if "html" in (content_type or ""):
        import nh3  # with feedparser: a feed is being read

        value = html.unescape(nh3.clean(value, tags=set()))
    return one_line(value, 200)


def _when(entry: Any) -> dt.datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC)
            except (OverflowError, ValueError):
                continue
    return None


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _item(entry: Any, base: str) -> FeedItem:
    written = safe_url(entry.get("link", ""), base)  # as the publisher wrote it, for the fingerprint
    link = link_url(entry.get("link", ""), base)  # as it reads: the host it goes to, in ASCII
    title_detail = entry.get("title_detail", {})
    title = _title(entry.get("title", ""), title_detail.get("type", "text/plain")) or "(untitled)"
    published = _when(entry)
    guid = (entry.get("id") or "").strip()
    date_text = published.isoformat() if published else entry.get("published", entry.get("updated", ""))
    key_source = guid or (entry.get("link") or "").strip() or f"{entry.get('title', '')}|{date_text}"
    detail = entry.get("summary_detail") or {}
    if not detail.get("value") and entry.get("content"):
        detail = entry["content"][0]
    summary = to_neutral(detail.get("value", ""), detail.get("type", "text/html"), base_url=link or base)
    return FeedItem(
        entry_key=_digest(key_source),
        fingerprint=_digest(f"{written or ''}|{' '.join(title.lower().split())}"),
        title=title,
        link=link,
        published=published,
        summary=summary,
    )
