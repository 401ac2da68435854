"""One tokenizer of the bot's markup, and what the console, Slack and Discord make of the same text.

The three renderers used to parse the markup each their own way and disagreed: italics were
kept by Slack's plain text but dropped elsewhere, a bare address was a link only on Slack, and
"HTTPS://" was a link nowhere. Now `core.markup` reads it once and each renderer only writes
tokens in its format.
"""

from __future__ import annotations

import pytest

from bot.adapters.console.render import plain as console
from bot.adapters.discord.render import markdown as discord
from bot.adapters.discord.render import plain as discord_plain
from bot.adapters.slack.render import mrkdwn as slack
from bot.adapters.slack.render import plain as slack_plain
from core.markup import Bold, Bullet, Code, Italic, Link, Newline, Text, flatten, inline, tokens

ZWSP = "\u200b"


# --- the token stream --------------------------------------------------------------------------


def test_the_token_stream_of_every_kind_of_markup() -> None:
    assert tokens("**Call 999** or see [the guide](https://example.org/a)\n- _one_ `/help`") == [
        Bold((Text("Call 999"),)),
        Text(" or see "),
        Link("the guide", "https://example.org/a"),
        Newline(),
        Bullet(),
        Italic((Text("one"),)),
        Text(" "),
        Code("/help"),
    ]


def test_italics_need_a_word_edge_and_no_space_just_inside() -> None:
    assert inline("_it_") == [Italic((Text("it"),))]
    assert inline("snake_case_name") == [Text("snake_case_name")]
    assert inline("a _ b _ c") == [Text("a _ b _ c")]
    assert inline("(_aside_)") == [Text("("), Italic((Text("aside"),)), Text(")")]


def test_a_bare_address_is_a_link_without_its_trailing_punctuation() -> None:
    assert inline("see https://example.org/worried.") == [
        Text("see "),
        Link("https://example.org/worried", "https://example.org/worried", bare=True),
        Text("."),
    ]


def test_an_upper_case_scheme_is_a_link_written_lower_case() -> None:
    assert inline("[Guide](HTTPS://Example.org/A)") == [Link("Guide", "https://Example.org/A")]
    assert inline("HTTP://Example.org") == [Link("http://Example.org", "http://Example.org", bare=True)]
    assert inline("[Mail us](MAILTO:help@example.org) [Ring](tel:+441634)") == [
        Link("Mail us", "mailto:help@example.org"),
        Text(" "),
        Link("Ring", "tel:+441634"),
    ]


@pytest.mark.parametrize("text", ["[x](javascript:alert(1))", "[x](data:text/html,hi)", "[x](ftp://example.org)"])
def test_only_web_mail_and_phone_links_are_links(text: str) -> None:
    assert tokens(text) == [Text(text)]


def test_markup_inside_a_link_label_is_dropped_and_a_link_inside_bold_stays_a_link() -> None:
    assert inline("[**Contact** _us_](https://example.org)") == [Link("Contact us", "https://example.org")]
    assert inline("**[Contact](https://example.org)**") == [Bold((Link("Contact", "https://example.org"),))]


@pytest.mark.parametrize("text", ["**open", "half_", "_half", "`tick", "[label](tel:1", "closing**"])
def test_unbalanced_markers_stay_text(text: str) -> None:
    assert flatten(inline(text)) == text
    assert not any(isinstance(t, Bold | Italic | Code | Link) for t in inline(text))


def test_an_unclosed_link_leaves_its_address_a_bare_link() -> None:
    assert inline("[label](https://example.org") == [
        Text("[label]("),
        Link("https://example.org", "https://example.org", bare=True),
    ]


def test_code_holds_no_markup() -> None:
    assert inline("`**not bold** _x_`") == [Code("**not bold** _x_")]


def test_markup_never_spans_lines() -> None:
    assert tokens("**a\nb**") == [Text("**a"), Newline(), Text("b**")]


# --- each renderer on the same inputs ----------------------------------------------------------


def test_italics_everywhere() -> None:
    text = "_it_ and snake_case"
    assert slack(text) == "_it_ and snake_case"
    assert discord(text) == "_it_ and snake\\_case"
    assert console(text) == "it and snake_case"
    assert slack_plain(text) == discord_plain(text) == "it and snake_case"


def test_a_bare_address_everywhere() -> None:
    text = "see https://example.org/a_b."
    assert slack(text) == "see <https://example.org/a_b>."
    assert discord(text) == "see https://example.org/a_b."  # Discord links an address itself
    assert console(text) == text
    assert discord_plain(text) == text


def test_an_upper_case_scheme_everywhere() -> None:
    text = "[Guide](HTTPS://example.org/g)"
    assert slack(text) == "<https://example.org/g|Guide>"
    assert discord(text) == "[Guide](https://example.org/g)"
    assert console(text) == "Guide (https://example.org/g)"
    assert slack_plain(text) == "Guide"


def test_a_mail_link_is_masked_on_slack_and_spelled_out_on_discord() -> None:
    text = "[Write to us](mailto:help@example.org)"
    assert slack(text) == "<mailto:help@example.org|Write to us>"
    assert discord(text) == "Write to us (mailto:help@example.org)"
    assert console(text) == "Write to us (mailto:help@example.org)"


ATTEMPTS = "<!channel> <!here|here> <@U123> @everyone @here <@123456789012345678> <at>Jo</at>"


def test_a_mention_attempt_stays_text_everywhere() -> None:
    assert tokens(ATTEMPTS) == [Text(ATTEMPTS)]
    rendered = slack(ATTEMPTS)
    assert "<" not in rendered and ">" not in rendered and "&lt;!channel&gt;" in rendered
    rendered = discord(ATTEMPTS)
    for ping in ("@everyone", "@here", "<@123456789012345678>"):
        assert ping not in rendered
    assert f"@{ZWSP}everyone" in rendered
    assert console(ATTEMPTS) == ATTEMPTS  # a terminal pings nobody


def test_a_mention_attempt_inside_markup_stays_text() -> None:
    text = "**<!channel>** [<@U1> @everyone](https://example.org)"
    assert slack(text) == "*&lt;!channel&gt;* <https://example.org|&lt;@U1&gt; @everyone>"
    rendered = discord(text)
    # no "<" opens anything on Discord either (a user mention, a timestamp, a command link)
    assert "@everyone" not in rendered and f"[<{ZWSP}@U1> @{ZWSP}everyone](https://example.org)" in rendered


def test_markup_inside_a_link_label_everywhere() -> None:
    text = "[**Contact** _us_](https://example.org/c)"
    assert slack(text) == "<https://example.org/c|Contact us>"
    assert discord(text) == "[Contact us](https://example.org/c)"
    assert console(text) == "Contact us (https://example.org/c)"


def test_a_pipe_cannot_cut_a_slack_link_short() -> None:
    assert slack("[x](https://example.org/a|b)") == "<https://example.org/a%7Cb|x>"


def test_unbalanced_markers_everywhere() -> None:
    text = "**open _half `tick"
    assert slack(text) == text
    assert discord(text) == "\\*\\*open \\_half \\`tick"
    assert console(text) == text


def test_bullets_and_line_breaks_everywhere() -> None:
    text = "Steps:\n- **one**\n- two\n-not a bullet"
    assert slack(text) == "Steps:\n• *one*\n• two\n-not a bullet"
    assert discord(text) == "Steps:\n- **one**\n- two\n\\-not a bullet"
    assert console(text) == "Steps:\n- one\n- two\n-not a bullet"


def test_code_everywhere() -> None:
    text = "Type `/glossary LADO` to look it up"
    assert slack(text) == text
    assert discord(text) == "Type \\`/glossary LADO\\` to look it up"  # as before: never Discord formatting
    assert console(text) == text
    assert slack("`<!channel>`") == "`&lt;!channel&gt;`"
