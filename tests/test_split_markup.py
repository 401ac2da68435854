"""Feed HTML whose markup is split by a tag that adds none (an empty `<b></b>`, a link with no
usable address) reads exactly as the same text without that tag: no link labelled as one site
going to another, no user name before a host, no look-alike host, no bold, no mention. Before,
each piece between tags was checked alone and the pieces joined up afterwards (an outside
audit's finding). Also: where markup the bot made meets the feed's text, the two form nothing."""

from __future__ import annotations

import datetime as dt
import html
from urllib.parse import urlsplit

import pytest
from pytest_httpserver import HTTPServer

from bot.runtime import Runtime
from core import markup
from core.clock import FrozenClock
from core.model import Reply
from core.sanitise import neutralise_text, to_neutral
from tests.comms_support import discord, slack, teams
from tests.feedserver import FakeFeed, Item, feed_server_fixture, feed_server_once_fixture  # noqa: F401
from tests.test_feeds_poll import POLL, START, add, bot_settings_fixture, posts, rt_fixture  # noqa: F401

CYRILLIC_O = "\u043e"
EVIL = "https://gov-uk.example-login.net/returns"
# The audit's item, and the same text written plainly.
SPLIT = (
    "<p>Log in at [www.gov.uk/safeguarding-returns]<b></b>(https://gov-uk.example-login.net/returns) by Friday.</p>"
    "<p>*<b></b>*Action required*<b></b>*</p>"
    "<p>Portal: https://www.gov.uk<b></b>@gov-uk.example-login.net/returns and "
    f"https://www.g<b></b>{CYRILLIC_O}v.uk/returns</p>"
    "<p>@<b></b>everyone &lt;<b></b>!channel&gt;</p>"
)
WHOLE = SPLIT.replace("<b></b>", "")

# Text that must never become a link, bold or a mention, written once per empty tag at every
# place between its characters.
TOKENS = [
    f"[www.gov.uk/safeguarding-returns]({EVIL})",
    f"https://www.gov.uk@{EVIL.removeprefix('https://')}",
    f"https://www.g{CYRILLIC_O}v.uk/returns",
    "**Action required**",
    "***Action required***",
    "@everyone",
    "@here",
    "<!here>",
    "<!channel>",
    "<@U123>",
    "<#C123>",
]
EMPTY_TAGS = [
    "<b></b>",
    "<strong></strong>",
    "<i></i>",
    "<em></em>",
    "<a></a>",
    '<a href="javascript:alert(1)"></a>',
    "<b><i></i></b>",
    "<span></span>",
    "<!-- a comment -->",
]


def split_everywhere(text: str, tag: str) -> list[str]:
    chars = [html.escape(ch, quote=False) for ch in text]
    return ["".join(chars[:at]) + tag + "".join(chars[at:]) for at in range(1, len(chars))]


def links(neutral: str) -> list[markup.Link]:
    return [t for t in markup.tokens(neutral) if isinstance(t, markup.Link)]


def assert_honest(neutral: str, *, bold: bool = False) -> None:
    """Every link reads as where it goes, no mention any platform acts on, no bold unless `bold`."""
    for link in links(neutral):
        parts = urlsplit(link.url)
        assert parts.username is None and link.url.isascii(), link
        assert "gov.uk" not in link.label or parts.hostname in ("www.gov.uk", "gov.uk"), link
    assert bold or not any(isinstance(t, markup.Bold) for t in markup.tokens(neutral)), neutral
    for mention in ("@everyone", "@here", "<!", "<@", "<#"):
        assert mention not in neutral, neutral


@pytest.mark.parametrize("tag", EMPTY_TAGS)
@pytest.mark.parametrize("text", TOKENS)
def test_an_empty_tag_anywhere_in_a_token_changes_nothing(text: str, tag: str) -> None:
    whole = to_neutral(f"<p>Before {html.escape(text, quote=False)} after</p>")
    assert_honest(whole)
    for split in split_everywhere(text, tag):
        assert to_neutral(f"<p>Before {split} after</p>") == whole, split


@pytest.mark.parametrize(
    "item",
    [
        # a link the bot makes, whose label starts where the feed's "[www.gov.uk]" ends
        f'[www.gov.uk]<a href="https://real.example/">({EVIL}) now</a>',
        # bold or italics the bot makes, inside a bare address
        "https://www.gov.uk<b>@gov-uk.example-login.net/returns</b>",
        "https://www.gov.uk<i>@gov-uk.example-login.net/returns</i>",
        f"https://www.g<b>{CYRILLIC_O}v</b>.uk/returns",
        # stars around the bot's own bold, an @ before the bot's own italics
        "*<b>Action required</b>*",
        "@<i>everyone</i> &lt;<b>!channel</b>&gt;",
    ],
)
def test_markup_the_bot_makes_does_not_join_the_feeds_text(item: str) -> None:
    assert_honest(to_neutral(item), bold="<b>" in item)


def test_runs_of_stars_in_plain_text_are_not_bold() -> None:
    for text in ("***Action required***", "****x****", "**x**"):
        assert not any(isinstance(t, markup.Bold) for t in markup.tokens(neutralise_text(text)))


async def test_the_audits_feed_item_posts_as_the_same_text_without_empty_tags(
    rt: Runtime, clock: FrozenClock, feed_server: HTTPServer
) -> None:
    feed = FakeFeed(feed_server, items=[])
    await add(rt, f"{feed.url} #news")
    at = START + dt.timedelta(minutes=1)
    feed.items = [
        Item("split", "Returns due", "https://news.example.org/a", SPLIT, at),
        Item("whole", "Returns due", "https://news.example.org/a", WHOLE, at),
    ]
    clock.advance(POLL)
    await rt.tick()
    split, whole = (Reply.model_validate(row.payload) for row in await posts(rt, "news"))
    assert split.all_text() == whole.all_text()
    for render in (slack, discord, teams):
        shown = render(split)
        assert f"[www.gov.uk/safeguarding-returns]({EVIL})" not in shown
        assert shown == render(whole)
        assert "|www.gov.uk" not in shown and "**Action" not in shown
        assert "www.gov.uk@" not in shown and f"g{CYRILLIC_O}v" not in shown
    neutral = "\n".join(b.text for b in split.blocks if hasattr(b, "text"))
    assert_honest(neutral)
    assert any(link.url == EVIL for link in links(neutral))  # shown as its real address
