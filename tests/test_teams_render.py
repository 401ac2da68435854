"""Replies as Adaptive Cards: Teams' limits kept, untrusted text inert, the bot's markup kept."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from bot.adapters.teams import render
from core.model import Button, Buttons, Field_, Fields, Header, Text, reply


def size(card: dict[str, object]) -> int:
    return len(json.dumps(card, separators=(",", ":")).encode())


def test_a_long_answer_is_cut_to_fit_a_teams_card_and_says_so() -> None:
    long = reply(*[Text(text=f"Paragraph {i}: " + "word " * 400) for i in range(40)])
    card = render.card(long)
    assert size(card) <= render.CARD_BYTES
    assert card["body"][-1]["text"] == render.escape(render.SHORTENED)


def test_buttons_go_six_to_an_action_set() -> None:
    buttons = Buttons(buttons=[Button(label=f"Option {i}", action_id="feature:pick", value=str(i)) for i in range(8)])
    card = render.card(reply(buttons))
    sets = [b for b in card["body"] if b["type"] == "ActionSet"]
    assert [len(s["actions"]) for s in sets] == [6, 2]
    assert sets[1]["actions"][1]["data"] == {"sgbot": "feature:pick", "v": "7"}


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("<at>Everyone</at>", "&lt;at&gt;Everyone&lt;/at&gt;"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("`code` ~strike~ >quote", "\\`code\\` \\~strike\\~ &gt;quote"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("Dr. Smith, 3.5 days, a_b", "Dr. Smith, 3.5 days, a\\_b"),
        ("**bold** and _italic_", "**bold** and _italic_"),
        ("[MSCP](https://www.medwayscp.org.uk)", "[MSCP](https://www.medwayscp.org.uk)"),
        ("- a bullet", "- a bullet"),
        # Teams would fill in an Adaptive Card text function typed into a venue or a feed item
        ("{{DATE(2030-01-01T00:00:00Z, LONG)}}", "{\u200b{DATE(2030-01-01T00:00:00Z, LONG)}}"),
        ("**{{TIME(2030-01-01T00:00:00Z)}}**", "**{\u200b{TIME(2030-01-01T00:00:00Z)}}**"),
    ],
)
def test_text_is_escaped_and_only_the_bots_markup_becomes_markdown(typed: str, shown: str) -> None:
    assert render.markdown(typed) == shown


def test_headers_fields_and_fallback_text_carry_no_markup() -> None:
    card = render.card(reply(Header(text="<at>x</at> **Head**"), Fields(fields=[Field_(label="<b>", value="v")])))
    assert card["body"][0]["text"] == "&lt;at&gt;x&lt;/at&gt; Head"
    assert card["body"][1]["facts"] == [{"title": "&lt;b&gt;", "value": "v"}]
    assert render.fallback(reply("<at>x</at> hi")) == "&lt;at&gt;x&lt;/at&gt; hi"


def test_the_text_beside_the_card_is_sent_in_the_format_that_reads_its_entities() -> None:
    """An outside audit: the entities went out as textFormat "plain", which Microsoft documents as
    raw text, so "fish & chips" could show as "fish &amp; chips" above every card."""
    sent = render.activity(reply("fish & chips <b>"))
    assert sent["text"] == "fish &amp; chips &lt;b&gt;"
    assert sent["textFormat"] == "xml"


@pytest.mark.parametrize(
    "text",
    [
        "Read it at https://www.gov.uk|@evil.example/keeping-children-safe before Friday.",
        "https://mscp.org.uk|@evil.example/login",
        "HTTPS://www.gov.uk|@evil.example/x",  # a review: core reads the scheme in any case
    ],
)
def test_a_bare_address_is_linked_no_further_than_the_bot_checked_it(text: str) -> None:
    """An outside audit (seventeenth session): Teams linked "https://www.gov.uk|@evil.example/…"
    whole, where core/markup.py had checked "https://www.gov.uk" only; the user name before the
    "@" made the link open evil.example."""
    targets = re.findall(r"\]\(([^)]*)\)", render.markdown(text))
    assert targets
    assert all(httpx.URL(t).host in ("www.gov.uk", "mscp.org.uk") and not httpx.URL(t).userinfo for t in targets)
