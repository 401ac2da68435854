"""Links whose label reads as another address, items sharing a guid, and the replies about
them: feeds fetched from a local publisher by real feedparser, bulletins through the
dispatcher, and what the Slack, Discord and Teams renderers would show."""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from collections.abc import AsyncIterator

import pytest
from pytest_httpserver import HTTPServer

from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from core.model import Reply, RequestKind
from handlers.feeds import SETTINGS_SERVICE, item_reply
from handlers.feeds.fetch import FeedSettings, fetch
from tests.comms_support import as_only_replica, close_runtime
from tests.conftest import _clean_postgres
from tests.feedserver import FakeFeed, Item, feed_server_fixture, feed_server_once_fixture  # noqa: F401
from tests.harness import Console, action, command, text_of

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
POLL = dt.timedelta(minutes=16)
ZONE = zoneinfo.ZoneInfo("Europe/London")
EVIL = "https://evil.example/x"


def feed_settings() -> FeedSettings:
    # The local publisher is on 127.0.0.1, which the address guard refuses unless it is allowed.
    return FeedSettings(_env_file=None, timeout_seconds=5.0, allow_hosts="127.0.0.1")  # type: ignore[call-arg]


def slack(reply: Reply) -> str:
    render = pytest.importorskip("bot.adapters.slack.render", reason="the Slack renderer is not in this build")
    return json.dumps(render.message(reply), ensure_ascii=False)


def discord(reply: Reply) -> str:
    render = pytest.importorskip("bot.adapters.discord.render", reason="the Discord renderer is not in this build")
    messages = render.render(reply)
    return json.dumps([[e.to_dict() for e in m.embeds] + [m.content] for m in messages], ensure_ascii=False)


def teams(reply: Reply) -> str:
    render = pytest.importorskip("bot.adapters.teams.render", reason="the Teams renderer is not in this build")
    return json.dumps(render.card(reply), ensure_ascii=False)


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
