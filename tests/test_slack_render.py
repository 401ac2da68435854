"""Block Kit rendering: Slack's limits, escaping before markup, and forms as modals."""

from __future__ import annotations

import json

from bot.adapters.slack import render as render
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
    Text,
    reply,
)


def test_only_the_three_control_characters_are_escaped_ampersand_first() -> None:
    assert render.escape("Tom & Jerry <b> 'quoted' \"x\"") == "Tom &amp; Jerry &lt;b&gt; 'quoted' \"x\""
    assert render.escape("&lt;!channel&gt;") == "&amp;lt;!channel&amp;gt;"  # stays literal on screen


def test_text_from_slack_is_unescaped_once_for_handlers() -> None:
    assert render.unescape("a &amp;lt; b &lt;#C1|news&gt; &amp; c") == "a &lt; b <#C1|news> & c"


def test_markup_is_translated_after_escaping() -> None:
    text = "**Call 999** if a child is in danger. See [the <procedures>](https://example.org/a?b=1&c=2)\n- one\n- _two_"
    assert render.mrkdwn(text) == (
        "*Call 999* if a child is in danger. See <https://example.org/a?b=1&amp;c=2|the &lt;procedures&gt;>\n"
        "• one\n• _two_"
    )


def test_a_link_inside_bold_is_still_a_link() -> None:
    assert (
        render.mrkdwn("**[Contact First Response](https://example.org/fr)**")
        == "*<https://example.org/fr|Contact First Response>*"
    )


def test_only_web_links_become_links() -> None:
    assert render.mrkdwn("[x](javascript:alert(1))") == "[x](javascript:alert(1))"
    assert render.mrkdwn("see https://www.medwayscp.org.uk/worried.") == "see <https://www.medwayscp.org.uk/worried>."


def test_mentions_in_untrusted_text_stay_text() -> None:
    rendered = render.mrkdwn("<!channel> <!here|here> <@U123> <#C123> <!subteam^S1>")
    assert "<" not in rendered and ">" not in rendered


def test_long_text_is_split_into_sections_of_at_most_3000_characters() -> None:
    paragraph = "Neglect is the persistent failure to meet a child's basic needs & it harms development. "
    text = "\n".join(paragraph * 3 for _ in range(40))
    blocks = render.blocks(reply(text))
    assert len(blocks) > 1 and all(b["type"] == "section" for b in blocks)
    assert all(len(b["text"]["text"]) <= render.SECTION_CHARS for b in blocks)
    joined = "\n".join(b["text"]["text"] for b in blocks)
    assert joined.replace("\n", " ").split() == render.mrkdwn(text).replace("\n", " ").split()  # nothing lost


def test_one_enormous_word_is_still_cut_to_fit_without_breaking_an_escape() -> None:
    blocks = render.blocks(reply("&" * 4000))
    texts = [b["text"]["text"] for b in blocks]
    assert all(len(t) <= 3000 for t in texts)
    assert "".join(texts) == "&amp;" * 4000


def test_no_more_than_50_blocks_and_the_last_says_it_was_shortened() -> None:
    many = reply(*[Header(text=f"Part {i}") for i in range(80)])
    blocks = render.blocks(many)
    assert len(blocks) == 50
    assert blocks[-1]["type"] == "context" and "shortened" in blocks[-1]["elements"][0]["text"]


def test_buttons_fit_slacks_limits_and_their_ids_are_unique_in_a_row() -> None:
    buttons = [Button(label="x" * 100, action_id="survey:answer", value=str(i)) for i in range(30)]
    blocks = render.blocks(reply(Buttons(buttons=buttons)))
    assert [len(b["elements"]) for b in blocks] == [25, 5]
    first = blocks[0]["elements"]
    assert len(first[0]["text"]["text"]) <= 75 and first[0]["text"]["text"].endswith("…")
    ids = [e["action_id"] for e in first]
    assert len(set(ids)) == len(ids)
    assert {render.feature_action_id(i) for i in ids} == {"survey:answer"}
    assert "style" not in first[0]


def test_link_buttons_carry_the_url_and_a_link_action_id() -> None:
    [block] = render.blocks(reply(Buttons(buttons=[Button(label="Open", url="https://example.org")])))
    element = block["elements"][0]
    assert element["url"] == "https://example.org" and element["action_id"].startswith(render.LINK_ACTION_PREFIX)
    assert "value" not in element


def test_fields_go_ten_to_a_section() -> None:
    fields = Fields(fields=[Field_(label=f"L{i}", value="<v>") for i in range(12)])
    blocks = render.blocks(reply(fields))
    assert [len(b["fields"]) for b in blocks] == [10, 2]
    assert blocks[0]["fields"][0]["text"] == "*L0*\n&lt;v&gt;"


def test_headers_are_plain_text_cut_to_150() -> None:
    [block] = render.blocks(reply(Header(text="A & B " * 40)))
    assert block["text"]["type"] == "plain_text" and len(block["text"]["text"]) <= 150
    assert "&amp;" in block["text"]["text"]


def test_select_context_divider_and_images() -> None:
    select = Select(action_id="feeds:pick", placeholder="Choose", options=[Option(label="A", value="a")])
    blocks = render.blocks(
        reply(select, Caption(text="Source: **MSCP**"), Divider(), Image(url="https://example.org/c.png", alt="chart"))
    )
    assert [b["type"] for b in blocks] == ["actions", "context", "divider", "image"]
    assert blocks[0]["elements"][0]["options"] == [
        {"text": {"type": "plain_text", "text": "A", "emoji": True}, "value": "a"}
    ]
    assert blocks[1]["elements"][0]["text"] == "Source: *MSCP*"
    assert blocks[3]["image_url"] == "https://example.org/c.png"


def test_local_images_and_files_are_uploads_not_blocks() -> None:
    chart = Image(path="/tmp/chart.png", alt="Confidence before and after")
    ics = File(filename="session.ics", content="BEGIN:VCALENDAR")
    answer = reply("Here you are", chart, ics)
    assert [b["type"] for b in render.blocks(answer)] == ["section"]
    assert render.uploads(answer) == [chart, ics]


def test_the_notification_text_is_plain_escaped_and_short() -> None:
    assert render.fallback(reply("**Reminder** <!channel> [link](https://x.org)")) == "Reminder &lt;!channel&gt; link"
    assert render.fallback(reply("x", summary="Summary & more")) == "Summary &amp; more"
    assert render.fallback(Reply()) == "sgbot"
    assert len(render.fallback(reply(Header(text="y" * 5000), summary="z" * 5000))) <= 3000


def test_a_form_becomes_a_modal_within_limits() -> None:
    form = Form(
        action_id="training:add",
        title="Add a training session for the partnership",
        value="course-7",
        submit_label="Save",
        fields=[
            FormField(id="title", label="Title", placeholder="e.g. Neglect awareness", initial="Neglect"),
            FormField(id="notes", label="Notes", kind="multiline", required=False, max_length=5000),
            FormField(
                id="mode",
                label="Delivery",
                kind="select",
                options=[Option(label="In person", value="in-person"), Option(label="Online", value="online")],
                initial="online",
            ),
        ],
    )
    view = render.modal(form, metadata={"v": form.value, "c": "C1", "t": ""})
    assert view["type"] == "modal" and view["callback_id"] == "training:add"
    assert len(view["title"]["text"]) <= 24 and view["submit"]["text"] == "Save"
    assert json.loads(view["private_metadata"]) == {"v": "course-7", "c": "C1", "t": ""}
    title, notes, mode = view["blocks"]
    assert title["block_id"] == "title" and title["optional"] is False
    assert title["element"]["initial_value"] == "Neglect" and title["element"]["placeholder"]["text"].startswith("e.g.")
    assert (
        notes["optional"] is True and notes["element"]["multiline"] is True and notes["element"]["max_length"] == 3000
    )
    assert mode["element"]["initial_option"]["value"] == "online"


def test_submitted_values_are_read_back_by_field_id() -> None:
    state = {
        "title": {"value": {"type": "plain_text_input", "value": "Neglect awareness"}},
        "notes": {"value": {"type": "plain_text_input", "value": None}},
        "mode": {"value": {"type": "static_select", "selected_option": {"value": "online"}}},
        "other": {"value": {"type": "static_select", "selected_option": None}},
    }
    assert render.form_values(state) == {"title": "Neglect awareness", "notes": "", "mode": "online", "other": ""}


def test_every_block_type_renders() -> None:
    everything = Reply(
        blocks=[
            Header(text="h"),
            Text(text="t"),
            Fields(fields=[Field_(label="l", value="v")]),
            Buttons(buttons=[Button(label="b", action_id="a:b", value="1")]),
            Select(action_id="a:c", placeholder="p", options=[Option(label="o", value="o")]),
            Image(url="https://example.org/i.png", alt="i"),
            Caption(text="c"),
            Divider(),
        ]
    )
    assert len(render.blocks(everything)) == 8


def test_a_caption_queued_under_its_old_name_still_renders_as_grey_text() -> None:
    # outbox rows written before the grey-text block was called Caption carry "type": "context"
    stored = '{"blocks": [{"type": "context", "text": "Source: **MSCP**"}]}'
    queued = Reply.model_validate_json(stored)
    [caption] = queued.blocks
    assert isinstance(caption, Caption) and caption.text == "Source: **MSCP**"
    assert render.blocks(queued)[0]["type"] == "context"
