"""Rendering replies for Discord: limits, splitting, escaping, custom ids and forms (no network)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord import render as r
from core.model import (
    Button,
    Buttons,
    Caption,
    Divider,
    Field_,
    Fields,
    File,
    Form,
    FormField,
    Header,
    Image,
    Option,
    Reply,
    Select,
    reply,
)


def embed_size(embed: dict[str, Any]) -> int:
    parts = [embed.get("title", ""), embed.get("description", ""), embed.get("footer", {}).get("text", "")]
    parts += [f["name"] + f["value"] for f in embed.get("fields", [])]
    return sum(r.size(p) for p in parts)


def within_limits(message: r.DiscordMessage) -> None:
    embeds = [e.to_dict() for e in message.embeds]
    assert len(embeds) <= r.EMBEDS_PER_MESSAGE
    assert sum(embed_size(e) for e in embeds) <= r.EMBED_TOTAL
    for embed in embeds:
        assert r.size(embed.get("title", "")) <= r.TITLE
        assert r.size(embed.get("description", "")) <= r.DESCRIPTION
        assert len(embed.get("fields", [])) <= r.FIELDS
        assert r.size(embed.get("footer", {}).get("text", "")) <= r.FOOTER
        for f in embed.get("fields", []):
            assert r.size(f["name"]) <= r.FIELD_NAME and r.size(f["value"]) <= r.FIELD_VALUE
    view = message.view()
    if view is not None:
        rows = view.to_components()
        assert len(rows) <= r.ROWS
        for row in rows:
            assert len(row["components"]) <= r.BUTTONS_PER_ROW
            for item in row["components"]:
                assert r.size(item.get("label", "")) <= r.LABEL
                assert r.size(item.get("custom_id", "")) <= r.CUSTOM_ID


def all_text(messages: list[r.DiscordMessage]) -> str:
    out = []
    for m in messages:
        out.append(m.content or "")
        for e in m.embeds:
            d = e.to_dict()
            out += [d.get("title", ""), d.get("description", ""), d.get("footer", {}).get("text", "")]
            out += [f["name"] + "\n" + f["value"] for f in d.get("fields", [])]
    return "\n".join(out)


def test_a_long_answer_is_split_across_embeds_and_messages_without_losing_a_line() -> None:
    lines = [f"Line {i:03d}: " + "words " * 20 for i in range(400)]
    big = reply(
        Header(text="Everything about neglect"),
        "\n".join(lines),
        Fields(fields=[Field_(label=f"Indicator {i}", value="x" * 900) for i in range(60)]),
        Buttons(buttons=[Button(label=f"Choice {i}", action_id="survey:answer", value=str(i)) for i in range(40)]),
    )
    messages = r.render(big)
    assert len(messages) > 3
    for message in messages:
        within_limits(message)
    text = all_text(messages)
    assert all(f"Line {i:03d}:" in text for i in range(400))
    assert text.count("Indicator") == 60
    presses = [i.custom_id for m in messages for i in m.items]
    assert presses == [f"survey:answer|{i}" for i in range(40)]  # every button, in order, over two messages


def test_text_after_buttons_is_posted_below_them() -> None:
    messages = r.render(
        reply("Question one", Buttons(buttons=[Button(label="A", action_id="q:one", value="a")]), "Question two")
    )
    assert [bool(m.items) for m in messages] == [True, False]
    assert "Question two" in all_text(messages[1:])


def test_context_lines_are_footers_and_dividers_start_new_embeds() -> None:
    [message] = r.render(reply(Header(text="Level 2"), "Some needs.", Caption(text="Source: MSCP"), Divider(), "Next"))
    first, second = (e.to_dict() for e in message.embeds)
    assert first["title"] == "Level 2" and first["footer"]["text"] == "Source: MSCP"
    assert second["description"] == "Next"


def test_untrusted_text_is_escaped_and_only_our_markup_becomes_markdown() -> None:
    text = r.markdown(
        "**Bold** and _it_ and [the guide](https://example.org/a_b) but not @everyone, @here, "
        "<@123456789012345678>, <@&123456789012345678>, `code`, ~~strike~~, ||spoiler||, snake_case\n"
        "- a bullet\n# not a heading\n> not a quote\n[fake](javascript:alert)"
    )
    assert "**Bold**" in text and "_it_" in text and "[the guide](https://example.org/a_b)" in text
    for ping in ("@everyone", "@here", "<@123456789012345678>", "<@&123456789012345678>"):
        assert ping not in text
    assert "\\`code\\`" in text and "\\~\\~strike" in text and "\\|\\|spoiler" in text and "snake\\_case" in text
    assert "\n- a bullet" in text and "\n\\# not a heading" in text and "\n\\> not a quote" in text
    assert "\\[fake\\](javascript:alert)" in text  # not a link: both brackets escaped


def test_labels_and_footers_are_plain_text() -> None:
    [message] = r.render(
        reply(
            Buttons(buttons=[Button(label="**Yes** " + "x" * 100, action_id="q:one", value="a")]),
            Caption(text="From [the policy](https://example.org)"),
        )
    )
    [button] = message.items
    assert button.item.label.startswith("Yes x") and len(button.item.label) == r.LABEL  # type: ignore[attr-defined]
    assert message.embeds[0].footer.text == "From the policy (https://example.org)"


def test_a_reply_with_only_buttons_still_says_something() -> None:
    [message] = r.render(
        Reply(summary="Choose one", blocks=[Buttons(buttons=[Button(label="A", action_id="q:one", value="a")])])
    )
    assert message.content == "Choose one" and message.items


def test_a_value_too_long_for_discord_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="too long for Discord"):
        r.render(reply(Buttons(buttons=[Button(label="A", action_id="survey:answer", value="v" * 90)])))


def test_a_repeated_button_is_shown_once() -> None:
    same = Button(label="Yes", action_id="q:one", value="yes")
    [message] = r.render(reply("Sure?", Buttons(buttons=[same, same])))
    assert [i.custom_id for i in message.items] == ["q:one|yes"]


def test_select_menus_get_one_row_each_and_long_lists_are_split() -> None:
    options = [Option(label=f"Day {i}", value=f"d{i}") for i in range(30)]
    [message] = r.render(reply("When?", Select(action_id="q:day", placeholder="Pick a day", options=options)))
    ids = [i.custom_id for i in message.items]
    assert ids == ["q:day#0", "q:day#1"]
    assert [len(i.item.options) for i in message.items] == [25, 5]  # type: ignore[attr-defined]


def test_files_and_local_images_are_attached(tmp_path: Path) -> None:
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"\x89PNG\r\n\x1a\n")
    [message] = r.render(
        reply(Image(path=str(chart), alt="Responses by week"), File(filename="session.ics", content="BEGIN:VCALENDAR"))
    )
    assert [f.filename for f in message.files] == ["chart.png", "session.ics"]
    assert message.embeds[0].image.url == "attachment://chart.png"


def test_the_announcement_role_is_pinged_only_when_asked_and_configured() -> None:
    plain_post = r.render(reply("News", public=True), announce_role_id=555)
    assert plain_post[0].content is None and plain_post[0].allowed_mentions() is None
    asked = Reply(blocks=reply("News").blocks, ping_announce_role=True)
    assert r.render(asked)[0].content is None  # no role configured: no ping
    [message] = r.render(asked, announce_role_id=555)
    mentions = message.allowed_mentions()
    assert message.content == "<@&555>"
    assert mentions is not None and mentions.to_dict() == {"parse": [], "roles": [555]}


def test_a_form_becomes_a_modal_whose_custom_id_carries_the_action() -> None:
    form = Form(
        action_id="training:add",
        title="Add a training session with a very long title indeed",
        value="c12",
        fields=[
            FormField(id="title", label="Title"),
            FormField(id="notes", label="Notes " + "n" * 60, kind="multiline", required=False, initial="Bring ID"),
            FormField(id="mode", label="Mode", kind="select", options=[Option(label="Online", value="online")]),
        ],
    )
    data = r.build_modal(form, {"title": "Neglect basics"}).to_dict()
    assert data["custom_id"] == "training:add|c12" and len(data["title"]) <= r.MODAL_TITLE
    labels = {c["component"]["custom_id"]: c for c in data["components"]}
    assert labels["title"]["component"]["value"] == "Neglect basics"
    assert labels["notes"]["component"]["style"] == 2 and labels["notes"]["component"]["value"] == "Bring ID"
    assert len(labels["notes"]["label"]) <= r.MODAL_LABEL and labels["notes"]["description"].startswith("Notes n")
    assert labels["mode"]["component"]["type"] == 3
    assert r.parse_form_id(data["custom_id"]) == ("training:add", "c12")
    assert r.parse_form_id("not ours") is None


def test_a_form_with_too_many_fields_for_discord_is_refused() -> None:
    form = Form(action_id="a:b", title="Big", fields=[FormField(id=f"f{i}", label=str(i)) for i in range(6)])
    with pytest.raises(ValueError, match="at most 5 fields"):
        r.build_modal(form)


def test_modal_values_are_read_from_labels_and_action_rows() -> None:
    data = {
        "components": [
            {"type": 18, "component": {"type": 4, "custom_id": "name", "value": "Sam"}},
            {"type": 18, "component": {"type": 3, "custom_id": "mode", "values": ["online"]}},
            {"type": 1, "components": [{"type": 4, "custom_id": "notes", "value": ""}]},
        ]
    }
    assert r.modal_values(data) == {"name": "Sam", "mode": "online", "notes": ""}


def test_discords_other_angle_codes_in_untrusted_text_stay_literal() -> None:
    """A feed title may carry Discord's <t:…> timestamps, </command:id> links, <:emoji:id> and
    <id:…> menu links: shown literally, none of them may open."""
    from bot.adapters.discord.text import escape

    shown = escape("Deadline <t:1700000000:R> </help:123> <:badge:1> <id:customize>")
    assert "<t:" not in shown and "</help" not in shown and "<:badge" not in shown and "<id:" not in shown
    assert shown.replace("\u200b", "") == "Deadline <t:1700000000:R> </help:123> <:badge:1> <id:customize>"
