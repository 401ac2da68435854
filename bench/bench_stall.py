"""Stalls: how long `/help` waits while the bot reads a 5 MB feed and while a backtracking
regex filter runs, against an idle `/help` in the same run.

The real runtime (console mode, SQLite in a temporary folder) polls a real local publisher
(tests/feedserver.py, 127.0.0.1 allowed through FEEDS_ALLOW_HOSTS) with real feedparser in its
worker process and real RE2. `/help` goes through the dispatcher as a console command would.

`/help` is sent from a thread of its own into the bot's loop, as a platform's request arrives,
and timed from sending to answer, so time the loop is held counts.

- Idle: 60 `/help` answers (after 10 to warm up), nothing else running.
- 5 MB feed: the poll fetches a ~5 MB valid RSS feed of new items and hands it to a worker;
  `/help` is sent every 20 ms, and the answers sent while the worker was reading are kept.
- The old way, for comparison: the same bytes parsed on the loop while `/help` is sent.
- Hostile filter: a channel's filter is `regex=(a+)+$`; 20 polls each bring 50 items whose
  summary is 50,000 "a"s then "!", while `/help` is sent every 20 ms.
- For scale: Python's own `re` on `(a+)+$` against just 22 "a"s and a "!" (each further "a"
  doubles it; the old filters ran that on the loop).
- Hostile lookups: /threshold with 3,999 characters shaped to make the identifying-details
  guard's patterns walk (blank lines, spaces or tabs beside names; an outside audit's took 22 s
  on Slack, holding every other answer), one after another while `/help` is sent every 20 ms;
  against an ordinary lookup of the same length. Targets: each within 1 s, and `/help` meanwhile
  within 250 ms (a lookup of 400 characters or more is read in a thread, guidance.read_off_loop).

Target: every `/help` during the read and during the hostile filter answered within 250 ms
(Slack wants an acknowledgement within 3 s; the adapter defers after 2 s).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from bench import Figure, median, percentile

TARGET_MS = 250.0
# A lookup as long as Slack's command text allows; the guard runs on the loop, so a slow one
# holds everyone's answers: 1 s leaves Slack's 3 s and the adapter's 2 s deferral room.
LOOKUP_CHARS = 3999
LOOKUP_TARGET_S = 1.0
# Shapes an outside audit and a scan of the guard's patterns found, or might: long runs of blank
# lines, spaces or tabs beside names, cue words and punctuation. The first took 22 s on Slack.
HOSTILE_LOOKUPS = [
    "Worried about" + "\n" * 2654 + "Amy " * 333,
    "Worried about" + " " * 2654 + "Amy " * 333,
    "Worried about" + "\n " * 1327 + "Amy " * 333,
    "Worried about" + ".\n" * 1327 + "Amy " * 333,
    ("Amy" + "\n" * 8) * 440,
    "x" + "\t" * 2600 + " Amy" * 349,
    "born " + " " * 3000 + "x",
    "Amy" + " " * 3000 + "was",
    "dob    on    the    " * 200,
    "Amy Lee Tom Ann " * 250,
    ". . . . Amy " * 330,
    ("\n" * 30 + "Amy ") * 110,
    "my son  " * 500,
    ", " * 2000,
    # a review of the twelfth session: an opening word and an age, each before a long run of spaces
    # (123 s before the rewrite), a name a child plays as, a relative, initials before new lines
    "Hi. storm" + " " * 1300 + "15" + " " * 2680,
    "plays as" + " " * 2600 + "AB" + "\n" * 1390,
    "A mum" + " " * 3995,
    "JT" + "\n" * 3990,
    # a review of the fourteenth session: a repeated word in the test-message pattern's starred group
    # (28 of them never finished), and two searches joined by ".*"
    "child testing " + "that " * 797,
    "it works " * 443 + "testing",
]
ORDINARY_LONG_LOOKUP = (
    "Year 9 girl, attendance down to 60% this term, says she stays up late on her phone talking to older "
    "boys she met online, mum works nights and says she cannot get her to school, dad not in contact. "
) * 25
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class HelpClient:
    """Sends /help into the bot's loop from a thread of its own, as a platform's request would
    arrive, and times each answer from sending to receiving: a held loop shows up here."""

    def __init__(self, loop: asyncio.AbstractEventLoop, handle: Callable[[], Coroutine[Any, Any, object]]) -> None:
        self.loop, self.handle = loop, handle
        self.samples: list[tuple[float, bool]] = []  # (ms, whether a feed was being read when sent)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _send(self, reading: Callable[[], int]) -> None:
        busy = reading() > 0
        started = time.perf_counter()
        asyncio.run_coroutine_threadsafe(self.handle(), self.loop).result(timeout=600)
        self.samples.append(((time.perf_counter() - started) * 1000, busy))

    def start(self, reading: Callable[[], int], every: float = 0.02, count: int | None = None) -> None:
        def loop() -> None:
            sent = 0
            while not self._stop.is_set() and (count is None or sent < count):
                self._send(reading)
                sent += 1
                time.sleep(every)

        self.samples = []
        self._stop.clear()
        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()

    async def stop(self, *, finish: bool = False) -> list[tuple[float, bool]]:
        """Stop sending (or, with finish, let a counted run send them all) and give the timings."""
        if not finish:
            self._stop.set()
        assert self._thread is not None
        await asyncio.to_thread(self._thread.join)
        return self.samples


async def _measure() -> list[Figure]:
    from pytest_httpserver import HTTPServer

    from bot.runtime import Runtime
    from core.clock import FrozenClock
    from core.config import Settings
    from handlers.feeds import SETTINGS_SERVICE
    from handlers.feeds.fetch import FeedSettings, parse, parses_in_progress
    from tests.feedserver import FakeFeed, Item, big_feed
    from tests.harness import Console, command

    logging.getLogger("sgbot").setLevel(logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    folder = tempfile.TemporaryDirectory()
    clock = FrozenClock(START)
    settings = Settings(_env_file=None, data_dir=Path(folder.name), timezone="Europe/London")  # type: ignore[call-arg]
    rt = await Runtime.create(settings, clock=clock, console_mode=True)
    rt.ctx.services[SETTINGS_SERVICE] = FeedSettings(
        _env_file=None,  # type: ignore[call-arg]
        allow_hosts="127.0.0.1",
        max_bytes=6_000_000,
        timeout_seconds=60,
        parse_seconds=300,
    )
    Console(rt, roles=frozenset({"comms"}))

    async def ask(text: str) -> str:
        outcome = await rt.dispatcher.handle(command("feeds", text, roles={"comms"}))
        return "\n".join(r.all_text() for r in outcome.replies)

    async def help_once() -> object:
        outcome = await rt.dispatcher.handle(command("help"))
        assert outcome.replies, "/help gave no answer"
        return outcome

    client = HelpClient(asyncio.get_running_loop(), help_once)
    try:
        client.start(lambda: 0, count=70)
        idle = [ms for ms, _ in (await client.stop(finish=True))[10:]]  # the first ten warm up

        # --- a 5 MB feed, read in the worker --------------------------------------------------
        feed = FakeFeed(server, items=[Item("first", "First", "https://news.example.org/first", "", START)])
        assert "added" in await ask(f"add {feed.url} #news")
        feed.body = big_feed(5_000_000, at=START + dt.timedelta(minutes=1))
        clock.advance(dt.timedelta(minutes=16))
        started = time.perf_counter()
        client.start(parses_in_progress)
        await rt.tick()
        poll_seconds = time.perf_counter() - started
        during_parse = [ms for ms, reading in await client.stop() if reading]
        assert during_parse, "the worker finished before any /help was sent"

        # --- the same feed read on the loop, as it used to be -----------------------------------
        client.start(lambda: 1)
        await asyncio.sleep(0.1)
        on_loop_started = time.perf_counter()
        parse(feed.body, {"content-type": "application/rss+xml"})
        on_loop_seconds = time.perf_counter() - on_loop_started
        await asyncio.sleep(0.1)
        on_loop = [ms for ms, _ in await client.stop()]
        assert "removed" in await ask("remove 1")

        # --- a backtracking regex filter, on RE2 ---------------------------------------------
        hostile = FakeFeed(server, path="/hostile.xml", items=[])
        assert "added" in await ask(f"add {hostile.url} #hostile regex=(a+)+$")
        client.start(lambda: 1)
        for round_ in range(20):
            hostile.items = [
                Item(
                    f"h{round_}-{i}", f"Alert {i}", f"https://news.example.org/h{round_}-{i}", "a" * 50_000 + "!", START
                )
                for i in range(50)
            ]
            clock.advance(dt.timedelta(minutes=16))
            await rt.tick()
        during_regex = [ms for ms, _ in await client.stop()]
        backtrack_started = time.perf_counter()
        re.search(r"(a+)+$", "a" * 22 + "!")
        backtrack_seconds = time.perf_counter() - backtrack_started

        # --- lookups written to make the guard's patterns walk: one at a time, /help beside ------
        lookups: list[float] = []
        # the first lookup builds /threshold's index and compiles the guard's patterns: not timed
        await rt.dispatcher.handle(command("threshold", "neglect, Amy aged 7, born 1/2/2019"))
        client.start(lambda: 1)
        for text in HOSTILE_LOOKUPS:
            started = time.perf_counter()
            await rt.dispatcher.handle(command("threshold", text[:LOOKUP_CHARS]))
            lookups.append(time.perf_counter() - started)
        during_lookups = [ms for ms, _ in await client.stop()]
        started = time.perf_counter()
        await rt.dispatcher.handle(command("threshold", ORDINARY_LONG_LOOKUP[:LOOKUP_CHARS]))
        ordinary_seconds = time.perf_counter() - started
    finally:
        if rt.leader is not None:
            await rt.leader.release()
        await rt.ctx.db.dispose()
        server.stop()
        folder.cleanup()

    idle_p50, idle_p99 = median(idle), percentile(idle, 99)
    lookup_max, lookup_help_max = max(lookups), max(during_lookups, default=0.0)
    parse_max, regex_max = max(during_parse), max(during_regex)
    return [
        Figure("/help idle p50", idle_p50, "ms", None, "", "report", True),
        Figure(
            f"/help while a 5 MB feed is read, p50 ({len(during_parse)} answers)",
            median(during_parse),
            "ms",
            idle_p50,
            "idle /help p50",
            "report",
            True,
        ),
        Figure(
            "/help while a 5 MB feed is read, max",
            parse_max,
            "ms",
            max(on_loop),
            "the same read on the loop, as before",
            f"<= {TARGET_MS:g} ms",
            parse_max <= TARGET_MS,
        ),
        Figure(
            "5 MB feed poll with the worker (fetch, read, record)",
            poll_seconds,
            "s",
            on_loop_seconds,
            "feedparser on the loop alone",
            "report",
            True,
        ),
        Figure(
            f"/help while (a+)+$ runs on 20 x 50 x 50k chars, p50 ({len(during_regex)} answers)",
            median(during_regex),
            "ms",
            idle_p50,
            "idle /help p50",
            "report",
            True,
        ),
        Figure(
            "/help while (a+)+$ runs on 20 x 50 x 50k chars, max",
            regex_max,
            "ms",
            idle_p99,
            "idle /help p99",
            f"<= {TARGET_MS:g} ms",
            regex_max <= TARGET_MS,
        ),
        Figure(
            f"slowest of {len(HOSTILE_LOOKUPS)} hostile {LOOKUP_CHARS:,}-character /threshold lookups",
            lookup_max,
            "s",
            ordinary_seconds,
            f"an ordinary {LOOKUP_CHARS:,}-character lookup",
            f"<= {LOOKUP_TARGET_S:g} s",
            lookup_max <= LOOKUP_TARGET_S,
        ),
        Figure(
            "/help while the hostile lookups run, max",
            lookup_help_max,
            "ms",
            idle_p99,
            "idle /help p99",
            f"<= {TARGET_MS:g} ms",
            lookup_help_max <= TARGET_MS,
        ),
        Figure(
            "Python re, (a+)+$ on 22 a's and '!' (the old engine)",
            backtrack_seconds,
            "s",
            None,
            "doubles with each further a",
            "report",
            True,
        ),
    ]


def run() -> list[Figure]:
    return asyncio.run(_measure())


if __name__ == "__main__":
    for figure in run():
        print(figure)
