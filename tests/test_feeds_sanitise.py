"""Nothing from a feed can ping a workspace or inject markup: the sanitiser's neutral output, and
what the Slack and Discord renderers make of it."""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo

import pytest

from core.sanitise import ZWSP, cut, html_to_neutral, one_line, plain_to_neutral, safe_url
from handlers.feeds import item_reply
from handlers.feeds.fetch import parse
from tests.feedserver import Item, atom, rss

HOSTILE_HTML = (
    '<p>Hello <b>team</b> <a href="javascript:alert(1)">click</a> <a href="/news/1" onclick="x()">our news</a></p>'
    "<script>steal()</script><style>p{}</style><img src=x onerror=alert(1)>"
    "<ul><li>&lt;!channel&gt; &lt;!here|here&gt; &lt;!everyone&gt; &lt;!subteam^S123&gt;</li>"
    "<li>&lt;@U0123ABC&gt; &lt;@&amp;112233445566778899&gt; &lt;@112233445566778899&gt; &lt;#C0123&gt;</li>"
    "<li>@everyone @here @channel @Everyone</li></ul>"
    "<p>[a fake link](https://evil.example) **not bold** ![img](https://evil.example/i.png)</p>"
)
HOSTILE_TEXT = "<!channel> <@U0123ABC> <@&112233445566778899> @everyone @here [x](https://evil.example) **y**"
ZONE = zoneinfo.ZoneInfo("Europe/London")


def assert_harmless(neutral: str) -> None:
    assert "<!" not in neutral and "<@" not in neutral and "<#" not in neutral
    assert not re.search(r"@(everyone|here|channel)\b", neutral, re.IGNORECASE)
    assert "javascript:" not in neutral and "steal()" not in neutral and "onerror" not in neutral


def test_html_is_reduced_to_safe_neutral_markup() -> None:
    neutral = html_to_neutral(HOSTILE_HTML, base_url="https://news.example.org/feed.xml")
    assert_harmless(neutral)
    assert "Hello **team**" in neutral
    assert "[our news](https://news.example.org/news/1)" in neutral  # relative link made absolute
    assert "click" in neutral and "(javascript" not in neutral  # the text stays, the link goes
    assert "- " in neutral  # list items became bullets
    # markup spelled out in the feed's text is shown, never obeyed
    assert "[a fake link](https://evil.example)" not in neutral
    assert "**not bold**" not in neutral


def test_plain_text_is_escaped_not_interpreted() -> None:
    neutral = plain_to_neutral(HOSTILE_TEXT)
    assert_harmless(neutral)
    assert neutral.replace(ZWSP, "") == HOSTILE_TEXT  # people still read exactly what was written


def test_titles_are_one_harmless_line() -> None:
    title = one_line("Line one\n<@U1> @everyone\x1b[31m " + "x" * 300, 120)
    assert "\n" not in title and "\x1b" not in title and len(title) <= 121
    assert_harmless(title)


def test_only_web_links_survive() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,hi") is None
    assert safe_url("mailto:a@b.c") is None
    assert safe_url("/x", "https://a.example/feed") == "https://a.example/x"
    assert safe_url("https://a.example/a (b)") == "https://a.example/a%20%28b%29"


def test_long_items_are_cut_with_a_link_to_the_source_never_inside_a_link() -> None:
    text = "Intro " * 50 + "[a link that must stay whole](https://news.example.org/a) " + "tail " * 50
    short = cut(text, 310, more_url="https://news.example.org/item")
    assert short.endswith("[Read the rest](https://news.example.org/item)")
    assert "[a link that must stay whole" not in short or "](https://news.example.org/a)" in short
    assert len(short) < 400


def test_feed_items_from_rss_and_atom_are_harmless() -> None:
    when = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    for body in (
        rss([Item("1", "Title <@U1> @everyone", "https://n.example.org/1", HOSTILE_HTML, when)]),
        atom([Item("urn:1", "Title <!here>", "https://n.example.org/1", HOSTILE_TEXT, when, summary_type="text")]),
        atom([Item("urn:2", "Title", "https://n.example.org/2", HOSTILE_HTML, when, summary_type="html")]),
    ):
        feed = parse(body, {"content-type": "application/xml"})
        post = item_reply(feed.title, feed.items[0], summary_chars=2000, zone=ZONE)
        assert_harmless(post.all_text())
        assert_harmless(post.summary)


def hostile_post() -> object:
    feed = parse(
        rss([Item("1", "Alert <!channel> @everyone", "https://n.example.org/1", HOSTILE_HTML)], title="@here news"),
        {"content-type": "application/rss+xml"},
    )
    return item_reply(feed.title, feed.items[0], summary_chars=2000, zone=ZONE)


def test_the_slack_rendering_cannot_mention_anyone() -> None:
    slack_render = pytest.importorskip("bot.adapters.slack.render", reason="the Slack renderer is not in this build")
    payload = json.dumps(slack_render.message(hostile_post()))
    for mention in ("<!channel", "<!here", "<!everyone", "<!subteam", "<@U", "<#C"):
        assert mention not in payload, mention
    assert not re.search(r"(?<![\w\\])@(everyone|here|channel)\b", payload.replace("\\u200b", ZWSP))
    assert "&lt;" in payload  # angle brackets from the feed arrive escaped


def test_the_discord_rendering_cannot_mention_anyone() -> None:
    discord_render = pytest.importorskip(
        "bot.adapters.discord.render", reason="the Discord renderer is not in this build"
    )
    messages = discord_render.render(hostile_post())
    texts = []
    for message in messages:
        texts.append(message.content or "")
        for embed in message.embeds:
            data = embed.to_dict()
            texts.append(json.dumps(data, ensure_ascii=False))
        assert message.allowed_mentions() is None  # the client's default, which mentions nobody
    rendered = "\n".join(texts)
    assert not re.search(r"@(everyone|here)\b", rendered)
    assert not re.search(r"<@[!&]?\d+>", rendered)
    assert "](https://evil.example)" not in rendered
