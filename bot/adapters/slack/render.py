"""Replies as Slack Block Kit, within Slack's limits.

Renders: header, text (split into sections of at most 3,000 characters), fields (10 per
section), buttons (25 per row, labels cut to 75), link buttons, selects, images by URL,
context lines, dividers and forms (modals). Local images and files are uploaded by the
adapter; `uploads()` lists them. A post to a conversation that needs more than Slack's 50 blocks
continues in the next message (`messages()`); an answer to one person is shortened (`message()`).

The markup is read by `core.markup`; each token's text is escaped (`&`, `<`, `>` only) and
written in mrkdwn, so untrusted text can never mention @channel or a user, or forge a link.
Sections are sent with `verbatim: true` so Slack does not parse mentions on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from core import markup
from core.model import (
    Buttons,
    Caption,
    Divider,
    Fields,
    File,
    Form,
    Header,
    Image,
    Reply,
    Select,
    Text,
)

MAX_BLOCKS = 50
MAX_MODAL_BLOCKS = 100
SECTION_CHARS = 3000
FIELD_CHARS = 2000
FIELDS_PER_SECTION = 10
HEADER_CHARS = 150
BUTTON_LABEL_CHARS = 75
BUTTONS_PER_ROW = 25
OPTIONS_PER_SELECT = 100
OPTION_VALUE_CHARS = 150
MODAL_TITLE_CHARS = 24
FALLBACK_CHARS = 3000
LINK_ACTION_PREFIX = "sgbot-link-"  # link buttons still send a click; it is only acknowledged
FORM_ELEMENT = "value"  # the action id of every input inside a modal

_BUTTON_SUFFIX = re.compile(r"#\d+$")


def escape(text: str) -> str:
    """Slack's three control characters, in this order; nothing else."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Text Slack sends us (command arguments, messages) arrives escaped; handlers get it plain.
    Mentions such as <#C0123|news> stay as Slack wrote them."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mrkdwn(text: str) -> str:
    """Neutral markup -> Slack mrkdwn: each token's text escaped, then written in Slack's syntax."""
    return "".join(_mrkdwn(token) for token in markup.tokens(text))


def _mrkdwn(token: markup.Token) -> str:
    if isinstance(token, markup.Text):
        return escape(token.text)
    if isinstance(token, markup.Code):
        return f"`{escape(token.text)}`"
    if isinstance(token, markup.Link):
        url = escape(token.url).replace("|", "%7C")  # a "|" would end the address inside <url|label>
        return f"<{url}>" if token.bare else f"<{url}|{escape(token.label)}>"
    if isinstance(token, markup.Bold):
        return "*" + "".join(_mrkdwn(child) for child in token.children) + "*"
    if isinstance(token, markup.Italic):
        return "_" + "".join(_mrkdwn(child) for child in token.children) + "_"
    if isinstance(token, markup.Bullet):
        return "• "
    return "\n"


def plain(text: str) -> str:
    """For plain_text objects and notification text: markup removed (a link as its label), then escaped."""
    return escape(markup.plain_text(text, addresses=False))


def fit(text: str, limit: int, render: Callable[[str], str] = plain) -> str:
    """Render, cutting the source (never an escape or a link) so the result fits `limit`."""
    rendered = render(text)
    if len(rendered) <= limit:
        return rendered
    keep = _longest_prefix(text, limit, lambda part: render(part.rstrip() + "…"))
    return render(text[:keep].rstrip() + "…") if keep else "…"


def _longest_prefix(text: str, limit: int, render: Callable[[str], str]) -> int:
    """The longest n with len(render(text[:n])) <= limit (binary search, then made sure)."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if len(render(text[:middle])) <= limit:
            low = middle
        else:
            high = middle - 1
    while low > 0 and len(render(text[:low])) > limit:
        low -= 1
    return low


def _plain_text(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": fit(text, limit) or " ", "emoji": True}


def _mrkdwn_text(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text or " ", "verbatim": True}


def split_text(text: str, limit: int = SECTION_CHARS) -> list[str]:
    """Rendered mrkdwn chunks of at most `limit` characters, split between lines where possible."""
    whole = mrkdwn(text)
    if len(whole) <= limit:
        return [whole]
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _split_line(line, limit):
            rendered = mrkdwn(piece)
            if current and len(current) + 1 + len(rendered) <= limit:
                current += "\n" + rendered
            else:
                if current:
                    chunks.append(current)
                current = rendered
    if current or not chunks:
        chunks.append(current)
    return chunks


def _split_line(line: str, limit: int) -> list[str]:
    """Cut one source line, at a space where there is one, so each piece renders within `limit`."""
    pieces: list[str] = []
    rest = line
    while len(mrkdwn(rest)) > limit:
        cut = _longest_prefix(rest, limit, mrkdwn)
        space = rest.rfind(" ", 0, cut + 1)
        if space > cut // 2:
            cut = space
        cut = max(cut, 1)
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip()
    pieces.append(rest)
    return pieces


def button_action_id(action_id: str, index: int) -> str:
    """Slack wants action ids unique within a block; the suffix is removed on the way in."""
    return f"{action_id}#{index}"


def feature_action_id(slack_action_id: str) -> str:
    return _BUTTON_SUFFIX.sub("", slack_action_id)


def blocks(reply: Reply) -> list[dict[str, Any]]:
    """The reply's blocks in one message, at most 50 (the last one then says the answer was
    shortened): for answers to one person, who can ask again. Posts use `messages`."""
    rendered = _render_all(reply)
    if len(rendered) > MAX_BLOCKS:
        rendered = rendered[: MAX_BLOCKS - 1]
        rendered.append(
            {
                "type": "context",
                "elements": [
                    _mrkdwn_text("This answer was shortened to fit in Slack. Ask about one part of it to see more.")
                ],
            }
        )
    return rendered


def _render_all(reply: Reply) -> list[dict[str, Any]]:
    return [rendered for block in reply.blocks for rendered in _render(block)]


def split_blocks(rendered: list[dict[str, Any]], limit: int = MAX_BLOCKS) -> list[list[dict[str, Any]]]:
    """Blocks in consecutive groups of at most `limit`; a header at the foot of a group moves
    to the next one, so it stays above what it heads."""
    groups: list[list[dict[str, Any]]] = []
    rest = rendered
    while len(rest) > limit:
        cut = limit
        while cut > limit // 2 and rest[cut - 1]["type"] == "header":
            cut -= 1
        groups.append(rest[:cut])
        rest = rest[cut:]
    groups.append(rest)
    return groups


def _render(block: object) -> list[dict[str, Any]]:
    if isinstance(block, Header):
        return [{"type": "header", "text": _plain_text(block.text, HEADER_CHARS)}]
    if isinstance(block, Text):
        return [{"type": "section", "text": _mrkdwn_text(chunk)} for chunk in split_text(block.text)]
    if isinstance(block, Fields):
        sections = []
        for start in range(0, len(block.fields), FIELDS_PER_SECTION):
            group = block.fields[start : start + FIELDS_PER_SECTION]
            fields = [_mrkdwn_text(fit(f"**{f.label}**\n{f.value}", FIELD_CHARS, mrkdwn)) for f in group]
            sections.append({"type": "section", "fields": fields})
        return sections
    if isinstance(block, Buttons):
        elements = [_button(button, index) for index, button in enumerate(block.buttons)]
        return [
            {"type": "actions", "elements": elements[start : start + BUTTONS_PER_ROW]}
            for start in range(0, len(elements), BUTTONS_PER_ROW)
        ]
    if isinstance(block, Select):
        options = [
            {"text": _plain_text(o.label, BUTTON_LABEL_CHARS), "value": o.value[:OPTION_VALUE_CHARS]}
            for o in block.options[:OPTIONS_PER_SELECT]
        ]
        select = {
            "type": "static_select",
            "action_id": block.action_id,
            "placeholder": _plain_text(block.placeholder, HEADER_CHARS),
            "options": options,
        }
        return [{"type": "actions", "elements": [select]}]
    if isinstance(block, Image):
        if block.url:
            return [{"type": "image", "image_url": block.url, "alt_text": fit(block.alt, 2000)}]
        return []  # a local image is uploaded instead
    if isinstance(block, File):
        return []  # uploaded
    if isinstance(block, Caption):
        return [{"type": "context", "elements": [_mrkdwn_text(fit(block.text, SECTION_CHARS, mrkdwn))]}]
    if isinstance(block, Divider):
        return [{"type": "divider"}]
    return []


def _button(button: Any, index: int) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": _plain_text(button.label, BUTTON_LABEL_CHARS)}
    if button.url:
        element["url"] = button.url
        element["action_id"] = f"{LINK_ACTION_PREFIX}{index}"
    else:
        element["action_id"] = button_action_id(button.action_id, index)
        element["value"] = button.value
    if button.style != "default":
        element["style"] = button.style
    return element


def fallback(reply: Reply) -> str:
    """The plain notification text sent beside the blocks."""
    return fit(reply.fallback_text(), FALLBACK_CHARS)


def message(reply: Reply) -> dict[str, Any]:
    """`text` and `blocks` in one message: chat.postEphemeral, chat.update, response_url, acks."""
    return {"text": fallback(reply), "blocks": blocks(reply)}


def messages(reply: Reply) -> list[dict[str, Any]]:
    """`text` and `blocks` for each chat.postMessage of a post to a conversation: all of the
    reply, in order, in as many messages as Slack's 50 blocks a message need. Nothing is cut,
    as nobody could ask a posted bulletin or digest for the rest."""
    groups = split_blocks(_render_all(reply))
    if len(groups) == 1:
        return [{"text": fallback(reply), "blocks": groups[0]}]
    return [
        {"text": fallback(reply) if n == 1 else _continued(reply, n, len(groups)), "blocks": group}
        for n, group in enumerate(groups, 1)
    ]


def _continued(reply: Reply, n: int, parts: int) -> str:
    """Notification text of a later part, so a notice of it does not read as a new post."""
    suffix = f" (continued, {n} of {parts})"
    return fit(reply.fallback_text(), FALLBACK_CHARS - len(suffix)) + suffix


def uploads(reply: Reply) -> list[Image | File]:
    """Local images and files, which Slack needs uploaded rather than linked."""
    return [b for b in reply.blocks if isinstance(b, File) or (isinstance(b, Image) and not b.url and b.path)]


# --- forms -------------------------------------------------------------------------------


def modal(form: Form, *, metadata: dict[str, str]) -> dict[str, Any]:
    """A modal whose submission comes back with `callback_id` = the form's action id."""
    inputs = [_input(field) for field in form.fields][:MAX_MODAL_BLOCKS]
    return {
        "type": "modal",
        "callback_id": form.action_id,
        "title": _plain_text(form.title, MODAL_TITLE_CHARS),
        "submit": _plain_text(form.submit_label, MODAL_TITLE_CHARS),
        "close": _plain_text("Cancel", MODAL_TITLE_CHARS),
        "private_metadata": json.dumps(metadata, separators=(",", ":")),
        "blocks": inputs,
    }


def _input(field: Any) -> dict[str, Any]:
    element: dict[str, Any]
    if field.kind == "select":
        element = {
            "type": "static_select",
            "action_id": FORM_ELEMENT,
            "options": [
                {"text": _plain_text(o.label, BUTTON_LABEL_CHARS), "value": o.value[:OPTION_VALUE_CHARS]}
                for o in field.options[:OPTIONS_PER_SELECT]
            ],
        }
        initial = next((o for o in element["options"] if o["value"] == field.initial), None)
        if initial:
            element["initial_option"] = initial
    else:
        element = {
            "type": "plain_text_input",
            "action_id": FORM_ELEMENT,
            "multiline": field.kind == "multiline",
            "max_length": min(field.max_length, 3000),
        }
        if field.initial:
            element["initial_value"] = field.initial[: element["max_length"]]
    if field.placeholder:
        element["placeholder"] = _plain_text(field.placeholder, HEADER_CHARS)
    return {
        "type": "input",
        "block_id": field.id,
        "label": _plain_text(field.label, 2000),
        "optional": not field.required,
        "element": element,
    }


def form_values(state_values: dict[str, Any]) -> dict[str, str]:
    """view.state.values -> {field id: entered text or chosen option value}."""
    values: dict[str, str] = {}
    for block_id, actions in state_values.items():
        entry = actions.get(FORM_ELEMENT) or {}
        if entry.get("type") == "static_select":
            values[block_id] = (entry.get("selected_option") or {}).get("value") or ""
        else:
            values[block_id] = entry.get("value") or ""
    return values
