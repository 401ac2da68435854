"""A link's real address, shown where its label named another site, must not itself pass for
that site: no user name before the host (`https://www.gov.uk@evil.example/`), no host in
look-alike letters (`www.gоv.uk` with a Cyrillic о), and no look-alike word as the clickable part.
Feeds fetched from a local publisher by real feedparser, bulletins through the dispatcher,
briefings from a pack, and what the Slack, Discord and Teams renderers would show."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from bot.runtime import Runtime, load_registry
from core.clock import FrozenClock
from core.config import Settings
from core.contentpack import ContentPack, InvalidPack, load_pack
from core.model import Reply, RequestKind
from core.sanitise import html_to_neutral, link_markup, link_url, plain_to_neutral
from handlers.briefings import BriefingPack, briefing_reply
from handlers.feeds import SETTINGS_SERVICE, item_reply
from handlers.feeds.fetch import fetch
from tests.comms_support import as_comms_console, close_runtime, discord, feed_settings, slack, teams
from tests.feedserver import FakeFeed, Item, feed_server_fixture, feed_server_once_fixture  # noqa: F401
from tests.harness import action, command, text_of
from tests.test_briefings_reach import broken_pack

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ZONE = zoneinfo.ZoneInfo("Europe/London")
CYRILLIC_O = "\u043e"
KCSIE = "/government/publications/keeping-children-safe-in-education--2"
# The audit's inputs: GOV.UK's address as the title, the link going elsewhere.
USERINFO = f"https://www.gov.uk@evil.example{KCSIE}"
SLASHED_USERINFO = "https://www.gov.uk%2f@evil.example/"
LOOKALIKE = f"https://www.g{CYRILLIC_O}v.uk/kcsie"
LOOKALIKE_PUNYCODE = "https://www.xn--gv-fmc.uk/kcsie"
RIVERSIDE = Path(__file__).parent / "packs" / "riverside"


def links(rendered: str) -> list[tuple[str, str]]:
    """(label, address) of every link, as Slack (<url|label>, <url>) or Markdown ([label](url)) writes it."""
    slack_links = re.findall(r"<(https?://[^|>]*)(?:\|([^>]*))?>", rendered)
    markdown = re.findall(r"\[([^\]]*)\]\((https?://[^)\s]*)\)", rendered)
    return [(label or url, url) for url, label in slack_links] + markdown


def assert_reads_as_where_it_goes(rendered: str) -> None:
    """No link, by its label or its address, carries a user name before its host or a letter
    that is not plain ASCII where it names a site."""
    found = links(rendered)
    assert found, rendered
    for label, url in found:
        for shown in (label, url):
            assert "gov.uk@" not in shown and "%2f@" not in shown.lower(), (label, url)
            assert CYRILLIC_O not in shown, (label, url)
        assert url.isascii(), url


def rendered_everywhere(reply: Reply) -> list[str]:
    return [slack(reply), discord(reply), teams(reply)]


# --- the shared rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "honest"),
    [
        (USERINFO, f"https://evil.example{KCSIE}"),
        (SLASHED_USERINFO, "https://evil.example/"),
        ("https://user:secret@news.example.org:8443/a", "https://news.example.org:8443/a"),
        (LOOKALIKE, LOOKALIKE_PUNYCODE),
        (f"https://WWW.G{CYRILLIC_O.upper()}V.UK/kcsie", LOOKALIKE_PUNYCODE),
        ("https://www.g%D0%BEv.uk/kcsie", LOOKALIKE_PUNYCODE),  # the same letter, percent-escaped
        ("https://www.gov.uk/guidance", "https://www.gov.uk/guidance"),  # a true address is left alone
        ("https://www.gov.uk\\@evil.example/", None),  # browsers and this parser disagree on its host
        ("https://www.gov.uk%2f.evil.example/", None),  # "/" cannot be part of a host
    ],
)
def test_a_link_is_written_as_where_it_goes(url: str, honest: str | None) -> None:
    assert link_url(url) == honest


def test_a_look_alike_is_never_the_clickable_part_of_a_link() -> None:
    # the label names the same look-alike host the link goes to: still not shown as a link
    assert link_markup(f"www.g{CYRILLIC_O}v.uk/kcsie", LOOKALIKE) == f"[{LOOKALIKE_PUNYCODE}]({LOOKALIKE_PUNYCODE})"
    # a word mixing Latin and Cyrillic letters, address or not, is kept as text with the real address after it
    shown = link_markup(f"Read the G{CYRILLIC_O.upper()}V.UK guidance", "https://evil.example/g")
    assert shown == f"Read the G{CYRILLIC_O.upper()}V.UK guidance ([https://evil.example/g](https://evil.example/g))"
    assert link_markup(f"G{CYRILLIC_O}{CYRILLIC_O}gle", "https://evil.example/") == (
        "[https://evil.example/](https://evil.example/)"
    )
    # a label that is the link's own address with a user name in it shows the address it goes to
    assert link_markup(USERINFO, USERINFO) == f"[https://evil.example{KCSIE}](https://evil.example{KCSIE})"
    assert link_markup("www.gov.uk@evil.example/x", "https://evil.example/x") == (
        "[https://evil.example/x](https://evil.example/x)"
    )
    # words in one script, and true addresses, stay as they were
    assert link_markup("Інструкція для батьків", "https://evil.example/uk") == (
        "[Інструкція для батьків](https://evil.example/uk)"
    )
    assert link_markup("GOV.UK", "https://www.gov.uk/guidance") == "[GOV.UK](https://www.gov.uk/guidance)"
    assert link_markup("A naïve café guide", "https://a.example/") == "[A naïve café guide](https://a.example/)"


def test_bare_addresses_in_feed_text_read_as_where_they_go() -> None:
    html = f'<p>See {USERINFO} or {LOOKALIKE}, and <a href="{USERINFO}">the guidance</a>.</p>'
    neutral = html_to_neutral(html)
    assert neutral == (
        f"See https://evil.example{KCSIE} or {LOOKALIKE_PUNYCODE}, and [the guidance](https://evil.example{KCSIE})."
    )
    assert plain_to_neutral(f"See {USERINFO}") == f"See https://evil.example{KCSIE}"


# --- feeds: the audit's items, end to end ----------------------------------------------------------------


async def test_a_feed_item_whose_real_address_could_pass_for_gov_uk(feed_server: HTTPServer) -> None:
    feed = FakeFeed(
        feed_server,
        items=[
            Item("g1", f"www.gov.uk{KCSIE}", USERINFO, "Updated statutory guidance.", START),
            Item("g2", "www.gov.uk/kcsie", LOOKALIKE, "", START),
            Item("g3", "www.gov.uk", SLASHED_USERINFO, "", START),
            Item("g4", f"www.g{CYRILLIC_O}v.uk/kcsie", LOOKALIKE, f"<p>Also at {USERINFO}</p>", START),
        ],
    )
    result = await fetch(feed.url, settings=feed_settings())
    assert result.feed is not None
    first, second, third, fourth = result.feed.items
    assert first.link == f"https://evil.example{KCSIE}" and second.link == LOOKALIKE_PUNYCODE
    for item in result.feed.items:
        for rendered in rendered_everywhere(item_reply("DfE news", item, summary_chars=600, zone=ZONE)):
            assert_reads_as_where_it_goes(rendered)
    posts = [item_reply("DfE news", item, summary_chars=600, zone=ZONE) for item in (first, second, third, fourth)]
    assert f"<https://evil.example{KCSIE}|https://evil.example{KCSIE}>" in slack(posts[0])
    assert f"<{LOOKALIKE_PUNYCODE}|{LOOKALIKE_PUNYCODE}>" in slack(posts[1])
    assert "<https://evil.example/|https://evil.example/>" in slack(posts[2])
    discord_post = discord(posts[3])
    assert f"[{LOOKALIKE_PUNYCODE}]({LOOKALIKE_PUNYCODE})" in discord_post
    assert f"Also at https://evil.example{KCSIE}" in discord_post


def test_a_digest_of_links_stored_before_reads_as_where_they_go() -> None:
    from handlers.feeds import digest_reply
    from storage.feeds import FeedDigestItem

    stored = [
        FeedDigestItem(title="www.gov.uk/kcsie", link=USERINFO, published_at=START),
        FeedDigestItem(title="KCSIE", link=LOOKALIKE, published_at=START),
    ]
    for rendered in rendered_everywhere(digest_reply("daily", [("DfE news", stored)], ZONE)):
        assert_reads_as_where_it_goes(rendered)


# --- bulletins through the dispatcher ---------------------------------------------------------------


@pytest.fixture(name="rt")
async def rt_fixture(settings: Settings, database_url: str, clock: FrozenClock) -> AsyncIterator[Runtime]:
    runtime = await Runtime.create(
        settings.model_copy(update={"database_url": database_url}), clock=clock, console_mode=True
    )
    runtime.ctx.services[SETTINGS_SERVICE] = feed_settings()
    await as_comms_console(runtime)
    yield runtime
    await close_runtime(runtime)


async def test_a_bulletin_link_whose_real_address_could_pass_for_gov_uk(rt: Runtime) -> None:
    body = (
        "## Guidance\n"
        f"Read [www.gov.uk]({USERINFO}) and [KCSIE on GOV.UK]({LOOKALIKE}).\n"
        f"- Also <{USERINFO}> and {LOOKALIKE}\n"
        f"- [G{CYRILLIC_O.upper()}V.UK](https://evil.example/g) and [the guidance]({LOOKALIKE})\n"
    )
    save = action("bulletin:save", "new", user="cara", roles={"comms"}).model_copy(
        update={"kind": RequestKind.SUBMIT, "form": {"title": "Guidance bulletin", "body": body}}
    )
    assert "saved as a draft" in text_of((await rt.dispatcher.handle(save)).replies)
    outcome = await rt.dispatcher.handle(command("bulletin", "preview 1", user="cara", roles={"comms"}))
    preview = Reply(blocks=[b for r in outcome.replies for b in r.blocks])
    for rendered in rendered_everywhere(preview):
        assert_reads_as_where_it_goes(rendered)
    rendered = slack(preview)
    assert f"Read <https://evil.example{KCSIE}|https://evil.example{KCSIE}>" in rendered
    assert f"KCSIE on GOV.UK (<{LOOKALIKE_PUNYCODE}|{LOOKALIKE_PUNYCODE}>)" in rendered
    assert f"<{LOOKALIKE_PUNYCODE}|the guidance>" in rendered  # a word label stays, the address is punycode
    assert "<https://evil.example/g|https://evil.example/g>" in rendered


# --- briefings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (USERINFO, f"must read as where it goes; write it as https://evil.example{KCSIE}"),
        (LOOKALIKE, f"must read as where it goes; write it as {LOOKALIKE_PUNYCODE}"),
    ],
)
def test_a_briefing_link_that_could_pass_for_another_site_is_refused(tmp_path: Path, url: str, message: str) -> None:
    old = 'url: "https://riverside.example.org/reviews"'
    with pytest.raises(InvalidPack) as caught:
        load_pack(broken_pack(tmp_path, old, f'url: "{url}"'), load_registry().sections)
    problems = [str(p) for p in caught.value.problems]
    assert any("briefings.yaml:" in p and message in p for p in problems), problems


def test_a_briefing_link_label_naming_another_site_shows_the_real_address(tmp_path: Path) -> None:
    old = 'label: "Riverside reviews (fictional)"'
    content: ContentPack = load_pack(broken_pack(tmp_path, old, 'label: "www.gov.uk"'), load_registry().sections)
    pack = content.get(BriefingPack)
    [heron] = [b for b in pack.briefings if b.id == "heron"]
    shown = briefing_reply(heron, pack, content, public=False)
    for rendered in rendered_everywhere(shown):
        assert ("www.gov.uk", "https://riverside.example.org/reviews") not in links(rendered)
    assert "<https://riverside.example.org/reviews|https://riverside.example.org/reviews>" in slack(shown)


def test_a_sessions_online_link_reads_as_where_it_goes() -> None:
    from handlers.training.schedule import link_field

    assert (
        link_field("Join online", "https://teams.microsoft.com@evil.example/x")
        == "[Join online](https://evil.example/x)"
    )
    assert link_field("Join online", "https://www.gоv.uk/meet") == "[Join online](https://www.xn--gv-fmc.uk/meet)"
