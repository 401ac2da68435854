"""/feeds: national and local news feeds (RSS and Atom) relayed into the channels practitioners
read, once each, without floods, and rendered so nothing in them can ping a whole workspace.

How a feed behaves:
- **Routes.** One feed can post to several channels, each with its own filter: keywords (an
  item matches when any keyword starts a word in its title or summary) or a regex. Filters
  run on RE2 (google-re2), whose matching time grows only with the text, so no pattern a
  person writes can hold up the bot; a pattern RE2 cannot run is refused when it is set.
- **Checked when added.** A new address is fetched and read once before it is added: a web
  page, a broken feed or an address that cannot be fetched is explained to the person who
  asked, privately, and nothing is stored. What the feed holds then is recorded, not posted.
- **First check posts nothing old.** The first successful check (made when the feed is added)
  records every item the feed holds and posts none of them; items that appear after that are
  posted. (We chose this over posting the newest item as a confirmation: `/feeds list` shows the
  feed is healthy, and a channel never gets a stale item it did not ask for.)
- **Once only.** Every item has a key (its guid, else its link, else a hash of title and
  date) stored in the database, so a restart or a second replica never posts it again. Items
  sharing a guid but not a link are different items, and their keys add the link. A
  second fingerprint (link and title) catches feeds that give an old item a new guid.
- **Age guard and caps.** Items dated older than the age guard are not posted. Each channel
  takes at most `per_run_cap` items from one check and `per_day_cap` a day; items beyond a
  cap are recorded as seen and counted as "held back" in `/feeds list`.
- **Digests.** A channel can take a daily or weekly digest instead: one post at a set time
  listing the items collected since the last one.
- **Failures.** Temporary failures back off exponentially (capped at six hours). A feed that
  has gone (410), is not a feed, or is too large is stopped at once; a feed failing for a
  week is stopped too. Stopping posts the reason once in its channels and to admins.

Every post goes through the outbox with the key `feed:<feed>:<entry>:<platform>:<channel>`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import logging
import re
import shlex
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from core import metrics
from core.context import Context
from core.model import Caption, Header, Reply, Request, Target, Text, UserError, reply
from core.outbox import outgoing, post_all
from core.registry import command, job, subcommand
from core.sanitise import cut, link_markup, safe_url
from handlers.feeds.fetch import (
    COULD_NOT_FETCH,
    FeedItem,
    FeedProblem,
    FeedSettings,
    FetchResult,
    fetch,
    new_client,
    prepare_tls,
)
from handlers.posting import Channel, describe_when, example_channel, looks_like_channel, parse_channel
from storage import feeds as store
from storage.outbox import NewMessage  # the rows core.outbox.outgoing builds

if TYPE_CHECKING:
    import httpx  # imported by fetch.new_client when a feed is due

log = logging.getLogger("sgbot.feeds")

SETTINGS_SERVICE = FeedSettings  # its key in ctx.services, where tests put their own settings
MAX_BACKOFF = dt.timedelta(hours=6)
GIVE_UP_AFTER = dt.timedelta(days=7)
FORGET_AFTER = dt.timedelta(days=180)  # items gone from a feed this long are forgotten
ITEM_EXPIRES = dt.timedelta(days=2)  # a news item still worth posting after an outage this long
STOPPED_NOTICE_EXPIRY = dt.timedelta(days=7)  # a feed's stopped notice, tried until then through an outage
FETCH_CONCURRENCY = 8
DIGEST_MAX_ITEMS = 40
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DIGEST = re.compile(r"^(?P<kind>daily|weekly)(?:@(?:(?P<day>mon|tue|wed|thu|fri|sat|sun)-)?(?P<time>\d{1,2}:\d{2}))?$")
_EVERY = re.compile(r"^(?P<n>\d{1,4})(?P<unit>[mh])$")
_AGE = re.compile(r"^(?P<n>\d{1,3})d$")

LONG_HELP = (
    "Relay RSS and Atom feeds into channels. Communications leads and admins only. Add the same URL again with "
    "another channel to post there too. Options for add: `regex=PATTERN` instead of keywords, `digest=daily` or "
    "`digest=weekly@fri-16:00` for one digest post instead of item by item, `every=30m` to check more or less "
    "often, `max-age=30d` for the age guard. The first check records what the feed holds and posts nothing old; "
    "new items follow from then on."
)


def feed_settings(ctx: Context) -> FeedSettings:
    return ctx.feature_settings(FeedSettings)


# --- the command ------------------------------------------------------------------------------------


@command(
    "feeds",
    help="Relay news feeds (RSS or Atom) into channels, filtered and without repeats.",
    long_help=LONG_HELP,
    role="comms",
)
async def feeds_command(req: Request, ctx: Context) -> Reply:
    """The bare command lists; a word that is not one of the sub-commands below is answered from them."""
    if not req.text.strip():
        return await _list(ctx, req.platform)
    raise UserError(ctx.registry.unknown_subcommand_text("feeds", req.text.split()[0]))


@subcommand("feeds", "add", usage="URL CHANNEL [keywords…]", help="watch a feed and post new items to a channel.")
async def feeds_add(req: Request, ctx: Context) -> Reply:
    return await _add(req, ctx, req.text)


@subcommand("feeds", "list", help="every feed, where it posts and how healthy it is.")
async def feeds_list(req: Request, ctx: Context) -> Reply:
    return await _list(ctx, req.platform)


@subcommand("feeds", "remove", usage="ID [CHANNEL]", help="stop a feed, or only its posts to one channel.")
async def feeds_remove(req: Request, ctx: Context) -> Reply:
    return await _change(req, ctx, "remove", req.text)


@subcommand("feeds", "pause", usage="ID", help="stop checking a feed for now.")
async def feeds_pause(req: Request, ctx: Context) -> Reply:
    return await _change(req, ctx, "pause", req.text)


@subcommand("feeds", "resume", usage="ID", help="start a paused feed again; this also restarts a stopped one.")
async def feeds_resume(req: Request, ctx: Context) -> Reply:
    return await _change(req, ctx, "resume", req.text)


@dataclass(frozen=True)
class AddRequest:
    url: str
    channel: Channel
    route: store.RouteChoice
    every_seconds: int
    max_age_days: int


def parse_add(req: Request, text: str, settings: FeedSettings) -> AddRequest:
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.escape = ""  # backslashes belong to regexes, not to quoting
    lexer.commenters = ""  # "#news" is a channel
    try:
        words = list(lexer)
    except ValueError:
        raise UserError(
            'A quotation mark is not closed. Put quotes around phrases, e.g. "child exploitation".'
        ) from None
    if len(words) < 2:
        raise UserError(
            "Give the feed's address and a channel, e.g. /feeds add https://example.org/feed.xml "
            f"{example_channel(req.platform)}."
        )
    url = _clean_url(words[0])
    if not looks_like_channel(words[1]) and looks_like_channel(words[0]):
        raise UserError("Give the feed's address first, then the channel.")
    channel = parse_channel(req, words[1])
    keywords: list[str] = []
    regex = ""
    digest, digest_time, weekday = "none", "08:00", 0
    every = settings.poll_minutes * 60
    max_age = settings.max_age_days
    for word in words[2:]:
        name, sep, value = word.partition("=")
        name = name.lower()
        if not sep:
            keywords.append(word.strip().lower())
        elif name == "regex":
            regex = _check_regex(value)
        elif name == "digest":
            digest, digest_time, weekday = _parse_digest(value)
        elif name == "every":
            every = _parse_every(value)
        elif name in ("max-age", "max_age"):
            max_age = _parse_age(value)
        else:
            raise UserError(f"I don't know the option {name[:20]}=. Options are regex=, digest=, every= and max-age=.")
    if regex and keywords:
        raise UserError("Use keywords or regex=, not both.")
    keywords = [k for k in dict.fromkeys(keywords) if k]
    if sum(len(k) + 1 for k in keywords) > 500:
        raise UserError("That is too many keywords; keep the list under 500 characters.")
    kind, match = ("regex", regex) if regex else ("keywords", "\n".join(keywords)) if keywords else ("all", "")
    route = store.RouteChoice(channel.platform, channel.channel_id, kind, match, digest, digest_time, weekday)
    return AddRequest(url, channel, route, every, max_age)


def _clean_url(word: str) -> str:
    # Slack sends links as <https://x> or <https://x|label>.
    if word.startswith("<") and word.endswith(">"):
        word = word[1:-1].split("|", 1)[0]
    try:
        url = safe_url(word)
    except ValueError:  # the URL parser's own refusals, such as an unclosed "[" of an IPv6 address
        url = None
    if url is None or len(url) > 1000:
        raise UserError(f"{word[:60]!r} is not a web address. Give the feed's full address, starting https://")
    return url


def _check_regex(value: str) -> str:
    if not value or len(value) > 200:
        raise UserError("Give a regex of 1 to 200 characters after regex=.")
    problem = regex_problem(value)
    if problem and problem.startswith("too large"):
        raise UserError(f"That regex cannot be used: it is {problem}. Or use keywords instead.")
    if problem:
        raise UserError(
            f"That regex cannot be used ({problem}). Filters run on RE2, which has no look-arounds or "
            "back-references; simplify it, or use keywords instead."
        )
    return value


# --- filters -----------------------------------------------------------------------------------------
#
# Patterns people write run on RE2: its matching time is linear in the text, so a pattern such as
# (a+)+$ against a long "aaaa…!" costs microseconds rather than stalling the bot for minutes.


def _re2_options() -> Any:
    import re2

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # a refused pattern is answered in chat, not printed to stderr
    options.max_mem = 8 << 20  # compiled size; a pattern that needs more is refused
    return options


# Keywords start a word: not preceded by a letter, digit or underscore (Unicode, like re's \w).
_WORD_START = r"(?:^|[^\pL\pN_])"


# RE2's fast matcher keeps a cache of states within max_mem; a pattern of about 5,000 instructions
# (".{0,1000}zz") fills it, and RE2 falls back to a matcher that took 8 s an item on 300 KB of
# text, every poll (an outside audit). Patterns stay under (".{0,250}" after words is about
# 2,300), a filter reads only the title and the start of the summary (more than any post shows),
# and it runs in a thread (`matching`).
MAX_FILTER_PROGRAM = 4000
FILTER_READS_CHARS = 2000


@functools.lru_cache(maxsize=1024)
def compiled_filter(kind: str, match: str) -> Any:
    """The RE2 program for a route's filter; raises re2.error when RE2 cannot run it."""
    import re2  # here: a bot whose feeds have no filter never loads it

    if kind == "regex":
        program = re2.compile(match, _re2_options())
        if program.programsize > MAX_FILTER_PROGRAM:
            raise re2.error("too large to run quickly: use a shorter repeat, such as .{0,100} rather than .{0,1000}")
        return program
    words = "|".join(re2.escape(word) for word in match.split("\n") if word)
    return re2.compile(f"{_WORD_START}(?:{words})", _re2_options())


_UNRUNNABLE: set[tuple[int, str]] = set()  # stored patterns already logged as unrunnable


def regex_problem(pattern: str) -> str | None:
    """Why RE2 cannot run this pattern, in a few words, or None when it can."""
    import re2

    try:
        compiled_filter("regex", pattern)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else "not a valid pattern"
        return (detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail))[:120]
    return None


def _parse_digest(value: str) -> tuple[str, str, int]:
    match = _DIGEST.match(value.lower())
    if not match:
        raise UserError("Give digest=daily, digest=daily@07:30, digest=weekly or digest=weekly@fri-16:00.")
    clock = match.group("time") or "08:00"
    hour, minute = (int(p) for p in clock.split(":"))
    if hour > 23 or minute > 59:
        raise UserError(f"{clock} is not a time of day.")
    weekday = WEEKDAYS.index(match.group("day")) if match.group("day") else 0
    return match.group("kind"), f"{hour:02d}:{minute:02d}", weekday


def _parse_every(value: str) -> int:
    match = _EVERY.match(value.lower())
    seconds = int(match.group("n")) * (60 if match.group("unit") == "m" else 3600) if match else 0
    if not 5 * 60 <= seconds <= 24 * 3600:
        raise UserError("Give every= as minutes or hours between 5m and 24h, e.g. every=30m.")
    return seconds


def _parse_age(value: str) -> int:
    match = _AGE.match(value.lower())
    if not match or not 1 <= int(match.group("n")) <= 365:
        raise UserError("Give max-age= as days from 1d to 365d, e.g. max-age=30d.")
    return int(match.group("n"))


async def _add(req: Request, ctx: Context, text: str) -> Reply:
    settings = feed_settings(ctx)
    wanted = parse_add(req, text, settings)
    first: FetchResult | None = None
    async with ctx.db.transaction() as tx:
        known = await store.feed_by_url(tx, wanted.url)
    if known is None:
        # Fetch and read it once now: a page that is not a feed is told to the person who asked,
        # privately, instead of being added and then failing in public.
        try:
            first = await fetch(wanted.url, settings=settings)
        except FeedProblem as problem:
            if problem.detail:
                log.info("feed %s not added: %s (%s)", wanted.url, problem.message, problem.detail)
            # Which addresses are refused is not said (chat would learn the network from it): the
            # hint is the same for every fetch that failed.
            own_network = (
                " A feed on the partnership's own network is fetched only once an admin lists its host in "
                "FEEDS_ALLOW_HOSTS."
                if problem.message == COULD_NOT_FETCH
                else ""
            )
            raise UserError(
                f"Feed not added: {problem.message}. Check that the address opens the RSS or Atom feed "
                f"itself in a browser, then try again.{own_network}"
            ) from None
    async with ctx.db.transaction() as tx:
        feed, route, new_feed, new_route = await store.add_route(
            tx,
            url=wanted.url,
            route=wanted.route,
            every_seconds=wanted.every_seconds,
            max_age_days=wanted.max_age_days,
            by=f"{req.platform}:{req.user_id}",
            now=ctx.now(),
        )
    await ctx.audit(req, "feeds.added" if new_route else "feeds.route_changed", subject=str(feed.id))
    where = wanted.channel.label
    if new_feed and first is not None and first.feed is not None:
        await _first_check(ctx, feed, first, ctx.now())
        held = len(first.feed.items)
        # a permanent redirect on the first check moved the feed to its new address: name that one,
        # as /feeds list will
        address = first.moved_to or feed.url
        opening = f"Feed **{feed.id}** added: {address} will post to {where} ({route_text(route)})."
        follow = (
            f"It holds {held} {'item' if held == 1 else 'items'} now; none of those are posted. New items follow, "
            f"checked every {_minutes(feed.every_seconds)}. See how it is doing with /feeds list."
        )
        if first.feed.repaired:
            follow += f" While reading it, {first.feed.repaired}."
    elif new_feed:  # added by someone else at the same moment: their check records it
        opening = f"Feed **{feed.id}** added: {feed.url} will post to {where} ({route_text(route)})."
        follow = "Its first check records what the feed holds now and posts nothing old. See /feeds list."
    elif new_route:
        opening = f"Feed **{feed.id}** ({feed.title or feed.url}) will also post to {where} ({route_text(route)})."
        follow = "Items it has already seen are not posted again; new ones go to every matching channel."
    else:
        opening = f"Feed **{feed.id}** already posted to {where}; its choices there are now: {route_text(route)}."
        follow = ""
    return reply(opening, *([follow] if follow else []))


def route_text(route: store.FeedRoute) -> str:
    if route.match_kind == "keywords":
        what = "items mentioning " + ", ".join(route.match.split("\n"))
    elif route.match_kind == "regex":
        what = f"items matching the regex {route.match}"
        problem = regex_problem(route.match)
        if problem:  # stored before filters ran on RE2
            what += f" (which RE2 cannot run: {problem}, so nothing is posted here until it is set again)"
    else:
        what = "every item"
    if route.digest == "daily":
        what += f", as a daily digest at {route.digest_time}"
    elif route.digest == "weekly":
        what += f", as a weekly digest on {WEEKDAYS[route.digest_weekday].title()} at {route.digest_time}"
    return what


def _minutes(seconds: int) -> str:
    return f"{seconds // 3600} hours" if seconds % 3600 == 0 and seconds >= 7200 else f"{seconds // 60} minutes"


async def _list(ctx: Context, platform: str) -> Reply:
    async with ctx.db.transaction() as tx:
        rows = await store.list_feeds(tx)
        waiting = await store.pending_digest_counts(tx) if rows else {}
    if not rows:
        return reply(
            "No feeds yet. Add one with /feeds add URL CHANNEL, e.g. /feeds add https://example.org/feed.xml "
            f"{example_channel(platform)}"
        )
    today = ctx.local_now().date().isoformat()
    blocks: list[object] = [Header(text="Feeds")]
    for feed, routes in rows:
        lines = [f"**{feed.id}. {feed.title or 'Untitled feed'}** — {health(feed, ctx)}", feed.url]
        for route in routes:
            counts = ""
            if route.day == today and (route.posted_today or route.held_back_today):
                counts = f"; today {route.posted_today} posted"
                if route.held_back_today:
                    counts += f", {route.held_back_today} held back by the caps"
            if waiting.get(route.id):
                counts += f"; {waiting[route.id]} waiting for the digest"
            lines.append(f"- #{route.channel_id} ({route.platform}): {route_text(route)}{counts}")
        if not routes:
            lines.append("- posts nowhere yet")
        blocks.append(Text(text="\n".join(lines)))
    blocks.append(Caption(text="Change one with /feeds add (same URL and channel), pause, resume or remove."))
    return reply(*blocks)


def health(feed: store.Feed, ctx: Context) -> str:
    zone = ctx.zone
    if feed.status == store.PAUSED:
        return "paused"
    if feed.status == store.DISABLED:
        return f"stopped: {feed.disabled_reason or 'unknown reason'}. /feeds resume {feed.id} tries again"
    if feed.failures:
        since = describe_when(feed.failing_since, zone) if feed.failing_since else "recently"
        return (
            f"failing since {since} ({feed.failures} {'try' if feed.failures == 1 else 'tries'}): {feed.last_error}. "
            f"Next try {describe_when(feed.next_poll_at, zone)}"
        )
    if feed.primed_at is None:
        return "waiting for its first check"
    checked = describe_when(feed.last_polled_at, zone) if feed.last_polled_at else "never"
    mended = f". When it was last read, {feed.last_error}" if feed.last_error else ""
    return f"healthy, last checked {checked}{mended}"


async def _change(req: Request, ctx: Context, verb: str, text: str) -> Reply:
    words = text.split()
    if not words or not words[0].isascii() or not words[0].isdigit():  # isdigit alone lets "²" through
        raise UserError(f"Give the feed's number, e.g. /feeds {verb} 3. /feeds list shows the numbers.")
    number = words[0]
    feed = None
    # Numbers count up from 1 and never reach ten digits; a longer one could not even be looked
    # up (PostgreSQL's integer column stops at 2,147,483,647), so it simply names no feed.
    if len(number.lstrip("0")) <= 9:
        async with ctx.db.transaction() as tx:
            feed = await store.get_feed(tx, int(number))
    if feed is None:
        shown = number if len(number) <= 20 else number[:19] + "…"
        raise UserError(f"There is no feed {shown}. /feeds list shows the feeds there are.")
    feed_id = feed.id
    name = feed.title or feed.url
    if verb == "remove":
        if len(words) > 1:
            channel = parse_channel(req, words[1])
            async with ctx.db.transaction() as tx:
                removed = await store.remove_route(tx, feed_id, channel.platform, channel.channel_id)
            if not removed:
                raise UserError(f"Feed {feed_id} does not post to {channel.label}.")
            await ctx.audit(req, "feeds.route_removed", subject=str(feed_id))
            return reply(f"Feed {feed_id} ({name}) no longer posts to {channel.label}.")
        async with ctx.db.transaction() as tx:
            await store.remove_feed(tx, feed_id)
        await ctx.audit(req, "feeds.removed", subject=str(feed_id))
        return reply(f"Feed {feed_id} ({name}) removed. Nothing more will be posted from it.")
    if verb == "pause":
        async with ctx.db.transaction() as tx:
            paused = await store.pause(tx, feed_id)
        if not paused:
            raise UserError(f"Feed {feed_id} is {feed.status}, so there is nothing to pause.")
        await ctx.audit(req, "feeds.paused", subject=str(feed_id))
        return reply(f"Feed {feed_id} ({name}) paused. /feeds resume {feed_id} starts it again.")
    async with ctx.db.transaction() as tx:
        resumed = await store.resume(tx, feed_id, now=ctx.now())
    if not resumed:
        raise UserError(f"Feed {feed_id} is already running.")
    await ctx.audit(req, "feeds.resumed", subject=str(feed_id))
    return reply(
        f"Feed {feed_id} ({name}) resumed; it will be checked within a minute or two. "
        "Items it already saw are not posted again."
    )


# --- rendering ---------------------------------------------------------------------------------------


def item_reply(feed_title: str, item: FeedItem, *, summary_chars: int, zone: ZoneInfo) -> Reply:
    """One feed item as a post: linked title, a cut summary, and where it came from."""
    # A linked title stands out on every platform already; bold around a link is not rendered everywhere.
    title = link_markup(item.title, item.link) if item.link else f"**{item.title}**"
    body = cut(item.summary, summary_chars, more_url=item.link) if item.summary else ""
    source = f"From {feed_title or 'a news feed'}"
    if item.published:
        source += f" · {item.published.astimezone(zone):%d %b %Y}"
    return reply(
        Text(text=f"{title}\n{body}" if body else title),
        Caption(text=source),
        public=True,
        summary=f"{feed_title}: {item.title}" if feed_title else item.title,
    )


def digest_reply(kind: str, sections: list[tuple[str, list[store.FeedDigestItem]]], zone: ZoneInfo) -> Reply:
    total = sum(len(items) for _, items in sections)
    blocks: list[object] = [Header(text="Daily news digest" if kind == "daily" else "Weekly news digest")]
    shown = 0
    for feed_title, items in sections:
        lines = [f"**{feed_title or 'News feed'}**"]
        for item in items:
            if shown >= DIGEST_MAX_ITEMS:
                break
            shown += 1
            when = f" ({item.published_at.astimezone(zone):%d %b})" if item.published_at else ""
            lines.append(f"- {link_markup(item.title, item.link)}{when}" if item.link else f"- {item.title}{when}")
        blocks.append(Text(text="\n".join(lines)))
    if total > shown:
        blocks.append(Caption(text=f"And {total - shown} more; see each feed's site for the full list."))
    noun = "item" if total == 1 else "items"
    return reply(*blocks, public=True, summary=f"News digest: {total} new {noun}")


def stopped_notice(feed: store.Feed, reason: str) -> Reply:
    name = feed.title or feed.url
    return reply(
        f"The news feed **{name}** ({feed.url}) has been stopped: {reason}. Nothing more will be posted from it.",
        Caption(
            text=f"A communications lead can check the address, then /feeds resume {feed.id} to try again "
            f"or /feeds remove {feed.id}."
        ),
        public=True,
        summary=f"News feed stopped: {name}",
    )


# --- polling -----------------------------------------------------------------------------------------


@job("feeds:poll", every_seconds=60)
async def poll_feeds(ctx: Context) -> None:
    """Check every feed that is due, then post any digest whose time has come."""
    settings = feed_settings(ctx)
    now = ctx.now()
    lease = dt.timedelta(seconds=settings.timeout_seconds * 3 + 60)
    due = await _claim_due(ctx, now=now, lease=lease)
    if due:
        limit = asyncio.Semaphore(FETCH_CONCURRENCY)
        await prepare_tls()
        async with new_client(settings) as client:

            async def one(feed: store.Feed) -> None:
                async with limit:
                    try:
                        await poll_one(ctx, feed, settings, client)
                    except Exception:  # noqa: BLE001 - one feed's bug must not stop the others
                        log.exception("polling feed %s failed", feed.id)

            await asyncio.gather(*(one(feed) for feed in due))
        async with ctx.db.transaction() as tx:
            await store.prune_entries(tx, not_seen_since=now - FORGET_AFTER)
    await post_due_digests(ctx)


async def _claim_due(ctx: Context, *, now: dt.datetime, lease: dt.timedelta) -> list[store.Feed]:
    """The due feeds this replica leased: each lease a compare-and-set committed on its own."""
    async with ctx.db.transaction() as tx:
        candidates = await store.due_feeds(tx, now=now)
    claimed = []
    for feed in candidates:
        async with ctx.db.transaction() as tx:
            if await store.lease_feed(tx, feed, now=now, lease=lease):
                claimed.append(feed)
    return claimed


async def poll_one(
    ctx: Context, feed: store.Feed, settings: FeedSettings, client: httpx.AsyncClient | None = None
) -> None:
    now = ctx.now()
    try:
        result = await fetch(
            feed.url,
            settings=settings,
            etag=feed.etag,
            last_modified=feed.last_modified,
            client=client,
        )
    except FeedProblem as problem:
        metrics.FEED_POLLS.labels("failed").inc()
        await _failed(ctx, feed, problem, now)
        return
    metrics.FEED_POLLS.labels("not_modified" if result.feed is None else "ok").inc()
    next_poll = now + dt.timedelta(seconds=feed.every_seconds)
    parsed = result.feed
    if parsed is None:  # 304 Not Modified
        async with ctx.db.transaction() as tx:
            await store.poll_succeeded(
                tx,
                feed.id,
                now=now,
                next_poll_at=next_poll,
                etag=result.etag or feed.etag,
                last_modified=result.last_modified or feed.last_modified,
                title=None,
                new_url=result.moved_to,
                primed=False,
                repaired=None if feed.failures else feed.last_error,  # the same bytes as last time
            )
        return
    if feed.primed_at is None:
        await _first_check(ctx, feed, result, now)
        return
    entries = await _relay(ctx, feed, parsed.title or feed.title, parsed.items, settings, now)
    async with ctx.db.transaction() as tx:  # the items seen and the poll's outcome, together
        await store.record_entries(tx, feed.id, entries, now=now)
        await store.poll_succeeded(
            tx,
            feed.id,
            now=now,
            next_poll_at=next_poll,
            etag=result.etag,
            last_modified=result.last_modified,
            title=parsed.title,
            new_url=result.moved_to,
            primed=False,
            repaired=parsed.repaired,
        )


async def _first_check(ctx: Context, feed: store.Feed, result: FetchResult, now: dt.datetime) -> None:
    """Record everything the feed holds now without posting it; new items follow from the next check."""
    assert result.feed is not None
    entries = [_entry(item, "primed") for item in distinct_items(result.feed.items)]
    async with ctx.db.transaction() as tx:
        await store.record_entries(tx, feed.id, entries, now=now)
        await store.poll_succeeded(
            tx,
            feed.id,
            now=now,
            next_poll_at=now + dt.timedelta(seconds=feed.every_seconds),
            etag=result.etag,
            last_modified=result.last_modified,
            title=result.feed.title,
            new_url=result.moved_to,
            primed=True,
            repaired=result.feed.repaired,
        )


def _told_apart(key: str, item: FeedItem) -> str:
    """The key of an item whose guid another item of the feed also carries: the guid and its link
    (its title when it has none), so each keeps its own key from one check to the next."""
    return hashlib.sha256(f"{key}|{item.link or item.title}".encode("utf-8", "surrogatepass")).hexdigest()


def distinct_items(items: list[FeedItem]) -> list[FeedItem]:
    """Each item once, in the feed's order. Items sharing a guid but not a link (or, without
    links, a title) are different items, some feeds reuse a guid, so each gets a key of its own;
    a real repeat (same guid and link) is one item, and the first, normally the newest, stands."""
    groups: dict[str, dict[str, FeedItem]] = {}
    for item in items:
        groups.setdefault(item.entry_key, {}).setdefault(item.link or item.title, item)
    unique: list[FeedItem] = []
    for key, members in groups.items():
        if len(members) == 1:
            unique.extend(members.values())
        else:
            unique.extend(replace(item, entry_key=_told_apart(key, item)) for item in members.values())
    return unique


def _entry(item: FeedItem, outcome: str) -> dict[str, str]:
    return {"entry_key": item.entry_key, "fingerprint": item.fingerprint, "title": item.title, "outcome": outcome}


def matches(route: store.FeedRoute, item: FeedItem) -> bool:
    import re2

    if route.match_kind == "all":
        return True
    # No trailing newline: RE2's $ is the end of the text (re's also matched before a final newline).
    # a cut summary ends in "…", so "$" does not match where it was cut
    summary = item.summary if len(item.summary) <= FILTER_READS_CHARS else item.summary[:FILTER_READS_CHARS] + "…"
    parts = (item.title, summary)
    text = "\n".join(part for part in parts if part).replace("\u200b", "").rstrip("\n")
    try:
        program = compiled_filter(route.match_kind, route.match)
    except re2.error:
        # A pattern stored before filters ran on RE2; /feeds list says so, and nothing is posted.
        if (route.id, route.match) not in _UNRUNNABLE:
            _UNRUNNABLE.add((route.id, route.match))
            log.warning("feed route %s: its regex cannot run on RE2, so it matches nothing", route.id)
        return False
    return program.search(text) is not None


async def matching(route: store.FeedRoute, items: list[FeedItem]) -> list[FeedItem]:
    """The items a route's filter lets through. RE2 lets go of the GIL while it matches, so a
    filter is run in a thread: however slow a pattern is on some text, the loop goes on answering."""
    if route.match_kind == "all" or not items:
        return list(items)
    return await asyncio.to_thread(lambda: [item for item in items if matches(route, item)])


def next_slot(route: store.FeedRoute, now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The next digest time for a route after `now`, in UTC (right across clock changes)."""
    hour, minute = (int(p) for p in route.digest_time.split(":"))
    local = now.astimezone(zone)
    day = local.date()
    if route.digest == "weekly":
        day += dt.timedelta(days=(route.digest_weekday - day.weekday()) % 7)
    step = dt.timedelta(days=7 if route.digest == "weekly" else 1)
    while True:
        slot = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone).astimezone(dt.UTC)
        if slot > now:
            return slot
        day += step


async def _relay(
    ctx: Context, feed: store.Feed, title: str, items: list[FeedItem], settings: FeedSettings, now: dt.datetime
) -> list[dict[str, str]]:
    """Turn a feed's new items into outbox rows and digest entries; return every item's outcome."""
    unique = distinct_items(items)
    # An item that shared its guid with another when last seen was stored under the key that
    # told them apart; seen alone now, it is known by that key too.
    earlier = {item.entry_key: _told_apart(item.entry_key, item) for item in unique}
    async with ctx.db.transaction() as tx:
        seen_keys, seen_prints = await store.seen(
            tx, feed.id, [*earlier, *earlier.values()], [i.fingerprint for i in unique]
        )
        routes = (await store.routes_of(tx, [feed.id]))[feed.id]
    outcomes: dict[str, str] = {}
    fresh: list[FeedItem] = []
    cutoff = now - dt.timedelta(days=feed.max_age_days)
    for item in unique:
        if item.entry_key in seen_keys or earlier[item.entry_key] in seen_keys:
            outcomes[item.entry_key] = "seen"
        elif item.fingerprint in seen_prints:
            outcomes[item.entry_key] = "repeat"  # an old item under a new guid
        elif item.published is not None and item.published < cutoff:
            outcomes[item.entry_key] = "old"
        else:
            fresh.append(item)
    fresh.sort(key=lambda i: i.published or now)
    zone = ctx.zone
    today = now.astimezone(zone).date().isoformat()
    messages: list[NewMessage] = []
    digest_rows: list[dict[str, object]] = []
    counted: dict[int, tuple[int, int]] = {}
    posted: set[str] = set()
    collected: set[str] = set()
    held: set[str] = set()
    for route in routes:
        matched = await matching(route, fresh)
        if not matched:
            continue
        if route.digest != "none":
            slot = next_slot(route, now, zone)
            for item in matched:
                digest_rows.append(
                    {
                        "route_id": route.id,
                        "entry_key": item.entry_key,
                        "slot": slot,
                        "title": item.title[:300],
                        "link": item.link or "",
                        "published_at": item.published,
                        "collected_at": now,
                    }
                )
                collected.add(item.entry_key)
            continue
        already = route.posted_today if route.day == today else 0
        room = max(0, min(settings.per_run_cap, settings.per_day_cap - already))
        split = max(0, len(matched) - room)
        send, kept_back = matched[split:], matched[:split]  # the newest go, oldest first
        target = Target(kind="channel", platform=route.platform, channel_id=route.channel_id)
        for item in send:
            messages.append(
                outgoing(
                    f"feed:{feed.id}:{item.entry_key[:20]}:{route.platform}:{route.channel_id}",
                    item_reply(title, item, summary_chars=settings.summary_chars, zone=zone),
                    to=target,
                    due=now,
                    expires=now + ITEM_EXPIRES,
                )
            )
            posted.add(item.entry_key)
        held.update(i.entry_key for i in kept_back)
        counted[route.id] = (len(send), len(kept_back))
    # Outbox first: its keys make a retry after a crash harmless; only then (the caller's next
    # transaction) mark items seen.
    async with ctx.db.transaction() as tx:
        await post_all(tx, messages, now=now)
        await store.add_digest_items(tx, digest_rows)
        for route_id, (sent, kept) in counted.items():
            await store.count_for_day(tx, route_id, today, posted=sent, held_back=kept)
    for item in fresh:
        key = item.entry_key
        outcomes[key] = (
            "posted" if key in posted else "digest" if key in collected else "capped" if key in held else "filtered"
        )
    if held:
        log.info("feed %s: %d items held back by the caps", feed.id, len(held - posted))
    return [_entry(item, outcomes[item.entry_key]) for item in unique]


async def _failed(ctx: Context, feed: store.Feed, problem: FeedProblem, now: dt.datetime) -> None:
    if problem.permanent:
        await stop_feed(ctx, feed, problem.message, now)
        return
    failures = feed.failures + 1
    delay = min(dt.timedelta(seconds=feed.every_seconds * 2**failures), MAX_BACKOFF)
    async with ctx.db.transaction() as tx:
        updated = await store.poll_failed(tx, feed.id, now=now, error=problem.message, next_poll_at=now + delay)
    log.info(
        "feed %s failed (%d in a row): %s%s",
        feed.id,
        updated.failures,
        problem.message,
        f" ({problem.detail})" if problem.detail else "",
    )
    if updated.failing_since is not None and now - updated.failing_since >= GIVE_UP_AFTER:
        await stop_feed(ctx, updated, f"it has failed for a week; the last problem was that {problem.message}", now)


async def stop_feed(ctx: Context, feed: store.Feed, reason: str, now: dt.datetime) -> None:
    """Disable a feed and say why, once, in each of its channels and to each admin."""
    async with ctx.db.transaction() as tx:
        routes = (await store.routes_of(tx, [feed.id]))[feed.id]
    notice = stopped_notice(feed, reason)
    stem = f"feed:{feed.id}:stopped-{feed.generation}"
    # Nothing queues the notice again: it is tried through an outage for as long as it is news.
    expires = now + STOPPED_NOTICE_EXPIRY
    messages = [
        outgoing(
            f"{stem}:{r.platform}:{r.channel_id}",
            notice,
            to=Target(kind="channel", platform=r.platform, channel_id=r.channel_id),
            due=now,
            expires=expires,
        )
        for r in routes
    ]
    platforms = {r.platform for r in routes} | set(ctx.platforms)
    for member in sorted(ctx.settings.role_members()["admin"]):
        platform, _, user = member.partition(":")
        if platform in platforms and user:
            messages.append(
                outgoing(
                    f"{stem}:{platform}:dm-{user}",
                    notice,
                    to=Target(kind="direct", platform=platform, user_id=user),
                    due=now,
                    expires=expires,
                )
            )
    # The notice keys depend only on the feed and its generation, so a second try (after a
    # failure, or by another replica) cannot send it twice; notice and status commit together.
    async with ctx.db.transaction() as tx:
        await post_all(tx, messages, now=now)
        disabled = await store.disable(tx, feed.id, reason=reason, now=now)
    if disabled:
        log.warning("feed %s stopped: %s", feed.id, reason)


async def post_due_digests(ctx: Context) -> None:
    now = ctx.now()
    async with ctx.db.transaction() as tx:
        due = await store.due_digests(tx, now=now)
        groups: dict[tuple[str, str, dt.datetime], list[store.FeedRoute]] = defaultdict(list)
        for route_id, slot in due:
            route = await store.get_route(tx, route_id)
            if route is not None:
                groups[(route.platform, route.channel_id, slot)].append(route)
    for (platform, channel_id, slot), routes in groups.items():
        sections = []
        async with ctx.db.transaction() as tx:
            for route in routes:
                feed = await store.get_feed(tx, route.feed_id)
                items = await store.digest_items(tx, route.id, slot)
                if feed is not None and items:
                    sections.append((feed.title or feed.url, items))
        posts = []
        if sections:
            kind = "weekly" if any(r.digest == "weekly" for r in routes) else "daily"
            posts.append(
                outgoing(
                    f"feed:digest:{slot:%Y%m%dT%H%M}:{platform}:{channel_id}",
                    digest_reply(kind, sections, ctx.zone),
                    to=Target(kind="channel", platform=platform, channel_id=channel_id),
                    due=now,
                    expires=now + ITEM_EXPIRES,
                )
            )
        async with ctx.db.transaction() as tx:  # the digest is queued and its items cleared together
            await post_all(tx, posts, now=now)
            for route in routes:
                await store.clear_digest(tx, route.id, slot)
