"""Replies as Adaptive Cards for Microsoft Teams, within Teams' limits.

Renders: header, text, fields (a FactSet), buttons (Action.Submit carrying the registry's
action id and value; for an action that answers with a form, DIALOG_ACTIONS, a task/fetch button
that opens the dialog, see dialogs.py; for an action whose answer must not be kept,
EXECUTE_ACTIONS, an Action.Execute), link buttons (Action.OpenUrl), selects (Input.ChoiceSet with a Submit
button), images by URL, context lines, dividers, files (a file cannot be put in a card, so it
becomes a short line naming it; outbound.py sends it by file consent), and
forms (a dialog's card with one input per field, shown again with each field's error).

Untrusted text never becomes markup: `&`, `<` and `>` are written as entities (so `<at>` can
never become a mention, Teams only makes one from an `<at>` tag with a matching entity) and
every Markdown character Teams reads is escaped with a backslash. Only the bot's own neutral
markup (**bold**, _italic_, [label](https://url), "- " bullets) is turned into Markdown.

Limits (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference):
a card message is at most about 28 KB, and Teams shows at most 6 actions in one action set.
"""

from __future__ import annotations

import json
import re
from typing import Any

from core.markup import BARE_ADDRESS
from core.model import Buttons, Caption, Divider, Fields, File, Form, FormField, Header, Image, Reply, Select, Text

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
CARD_BYTES = 26_000  # below Teams' ~28 KB for the whole activity, leaving room for the envelope
ACTIONS_PER_SET = 6
TITLE_CHARS = 200
LABEL_CHARS = 80  # a longer button title is cut by Teams anyway
DIALOG_TITLE_CHARS = 60
FALLBACK_CHARS = 1000
# What every card button carries back: which registry action, and its compact value.
ACTION_KEY = "sgbot"
VALUE_KEY = "v"
FORM_KEY = "sgbot_form"  # a button that opens a dialog carries the form itself
# The actions that answer a press with a form. Their buttons send `task/fetch` (an invoke) instead
# of a message, so the dialog opens in the invoke's answer and nothing is posted for it in anybody's
# chat (dialogs.py). tests/test_teams_comment_dialog.py checks that every registered action whose
# handler answers with a form is here.
DIALOG_ACTIONS = frozenset({"survey:comment"})
TASK_FETCH = {"msteams": {"type": "task/fetch"}}  # Action.Submit's data asking Teams for a dialog
# The actions whose answer is for the presser's eyes only and must not outlast the moment (a survey
# answer's confirmation states the answer). Their buttons are Action.Execute: the press comes as an
# `adaptiveCard/action` invoke, and what it says back is the invoke's answer, shown to the presser
# and kept in no chat (adapter.py `_on_card_action`). A Teams client too old for Action.Execute
# takes the Action.Submit fallback, whose press is confirmed by a post stating no answer (answering.py).
EXECUTE_ACTIONS = frozenset({"survey:answer"})
ATTACHED = "Attached: {name}"  # a file's line in a personal chat, where a consent card for it follows
SHORTENED = "This answer was shortened to fit in Teams. Ask about one part of it to see more."

# What Teams' card Markdown reads anywhere in a line, and what it reads only at a line's start
# (a heading, a quote, a list item); escaping only these keeps ordinary text readable. (Chained
# str.replace is several times quicker here than a regex or str.translate.)
_INLINE_MARKS = "`*_[]~"  # and the backslash itself, escaped first
_LINE_MARK = re.compile(r"([ \t]*)([#>+\-]|\d+\.)")  # matched at each line's start only
_TOKENS = re.compile(
    r"\[(?P<label>[^\[\]\n]+)\]\((?P<url>https?://[^)\s]+)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![\w*])_(?P<italic>[^_\n]+)_(?![\w*])"
    # a bare address ends where core/markup.py ends it, so the text linked is the text checked
    # (an outside audit: "https://www.gov.uk|@evil.example/" linked whole opened evil.example)
    r"|(?P<bare>" + BARE_ADDRESS + ")",
    re.IGNORECASE,  # as core/markup.py reads "HTTPS://…" (a review)
)


def entities(text: str) -> str:
    """The three characters Teams reads as HTML, written so they show as themselves."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape(text: str) -> str:
    """Plain text for a TextBlock: no HTML, no mention, no Markdown, no text function."""
    text = entities(text.replace("\\", "\\\\"))
    # Teams fills in {{DATE(…)}} and {{TIME(…)}} in a TextBlock (Adaptive Cards' text features);
    # a zero-width space between the braces leaves them as typed.
    text = text.replace("{{", "{\u200b{")
    for mark in _INLINE_MARKS:
        if mark in text:
            text = text.replace(mark, f"\\{mark}")
    if "\n" not in text:
        return _escape_line_mark(text)
    return "\n".join(_escape_line_mark(line) for line in text.split("\n"))


def _escape_line_mark(line: str) -> str:
    found = _LINE_MARK.match(line)
    if found is None:
        return line
    indent, mark = found.groups()
    marked = f"{indent}{mark[:-1]}\\." if mark.endswith(".") else f"{indent}\\{mark}"
    return marked + line[found.end() :]


def markdown(text: str) -> str:
    """Neutral markup -> Teams Markdown; everything else escaped (see the module docstring)."""
    lines = []
    for line in text.split("\n"):
        bullet = line.startswith("- ")
        body = _inline(line[2:] if bullet else line)
        lines.append(f"- {body}" if bullet else body)
    return "\n".join(lines)


def _inline(text: str) -> str:
    out: list[str] = []
    position = 0
    for match in _TOKENS.finditer(text):
        out.append(escape(text[position : match.start()]))
        if match.group("url"):
            out.append(f"[{escape(match.group('label'))}]({_url(match.group('url'))})")
        elif match.group("bold"):
            out.append(f"**{escape(match.group('bold'))}**")
        elif match.group("italic"):
            out.append(f"_{escape(match.group('italic'))}_")
        else:
            url = match.group("bare")
            out.append(f"[{escape(url)}]({_url(url)})")
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def _url(url: str) -> str:
    """A link target that cannot close the Markdown link or carry markup."""
    return url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def plain(text: str) -> str:
    """Neutral markup removed, for button titles, fallback text and dialog titles."""
    text = re.sub(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)", r"\1", text)
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text or " ", "wrap": True, **style}


def button_data(action_id: str, value: str) -> dict[str, Any]:
    return {ACTION_KEY: action_id, VALUE_KEY: value}


def _button(button: Any) -> dict[str, Any]:
    title = clip(plain(button.label), LABEL_CHARS)
    if button.url:
        return {"type": "Action.OpenUrl", "title": title, "url": button.url}
    data = button_data(button.action_id, button.value)
    if button.action_id in DIALOG_ACTIONS:
        data = {**TASK_FETCH, **data}
    action: dict[str, Any] = {"type": "Action.Submit", "title": title, "data": data}
    if button.style != "default":
        action["style"] = "positive" if button.style == "primary" else "destructive"
    if button.action_id in EXECUTE_ACTIONS:
        return {**action, "type": "Action.Execute", "verb": button.action_id, "fallback": action}
    return action


def _render(block: object) -> list[dict[str, Any]]:
    if isinstance(block, Header):
        return [_text_block(escape(clip(plain(block.text), TITLE_CHARS)), size="Large", weight="Bolder")]
    if isinstance(block, Text):
        return [_text_block(markdown(block.text))]
    if isinstance(block, Fields):
        facts = [{"title": escape(plain(f.label)), "value": markdown(f.value)} for f in block.fields]
        return [{"type": "FactSet", "facts": facts}]
    if isinstance(block, Buttons):
        actions = [_button(b) for b in block.buttons]
        return [
            {"type": "ActionSet", "actions": actions[start : start + ACTIONS_PER_SET]}
            for start in range(0, len(actions), ACTIONS_PER_SET)
        ]
    if isinstance(block, Select):
        choices = [{"title": clip(plain(o.label), LABEL_CHARS), "value": o.value} for o in block.options]
        input_id = f"{ACTION_KEY}_choice_{block.action_id}"  # one per select, so two in a card do not mix
        choice_set = {
            "type": "Input.ChoiceSet",
            "id": input_id,
            "placeholder": clip(plain(block.placeholder), LABEL_CHARS),
            "choices": choices,
        }
        submit = {"type": "Action.Submit", "title": "Choose", "data": {ACTION_KEY: block.action_id, "choice": input_id}}
        return [choice_set, {"type": "ActionSet", "actions": [submit]}]
    if isinstance(block, Image):
        if block.url:
            return [{"type": "Image", "url": block.url, "altText": clip(block.alt, 1000)}]
        return [_text_block(escape(block.alt), isSubtle=True)]  # a local chart is attached instead
    if isinstance(block, Caption):
        return [_text_block(markdown(block.text), isSubtle=True, size="Small")]
    if isinstance(block, Divider):
        return [{"type": "Container", "separator": True, "items": []}]
    return []


def _body(reply: Reply, file_line: str) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = []
    for block in reply.blocks:
        if isinstance(block, File):
            body.append(_text_block(escape(file_line.format(name=block.filename)), isSubtle=True))
            continue
        body.extend(_render(block))
    return body


def cards(reply: Reply, *, file_line: str = ATTACHED) -> list[dict[str, Any]]:
    """A post as one card, or as several in order when it is over Teams' size limit: an outside
    audit's 27.7 KB bulletin kept only its title, as one section over the limit took every section
    after it with it. A text block too big for a card is split between paragraphs (then lines,
    then words); what no split can fit is cut as `card` cuts it."""
    body = _body(reply, file_line)
    if len(_size(_card(body))) <= CARD_BYTES:
        return [_card(body)]
    room = CARD_BYTES - len(_size(_card([])))
    built: list[dict[str, Any]] = []
    current: list[dict[str, Any]] = []
    used = 0
    for element in (piece for whole in body for piece in _fitted(whole, room)):
        size = len(_size(element)) + 1  # and its comma
        if current and used + size > room:
            built.append(_card(current))
            current, used = [], 0
        current.append(element)
        used += size
    if current:
        built.append(_card(current))
    return [piece if len(_size(piece)) <= CARD_BYTES else _cut(piece["body"]) for piece in built]


def _fitted(element: dict[str, Any], room: int) -> list[dict[str, Any]]:
    """The element, or a text block split into blocks that each fit in `room` bytes."""
    if len(_size(element)) <= room or element.get("type") != "TextBlock":
        return [element]
    text: str = element["text"]
    for joint in ("\n\n", "\n", " "):
        parts = text.split(joint)
        if len(parts) == 1:
            continue
        pieces: list[str] = []
        for part in parts:
            joined = f"{pieces[-1]}{joint}{part}" if pieces else part
            if pieces and len(_size({**element, "text": joined})) <= room:
                pieces[-1] = joined
            else:
                pieces.append(part)
        if all(len(_size({**element, "text": p})) <= room for p in pieces):
            return [{**element, "text": piece} for piece in pieces]
    return [element]


def card(reply: Reply, *, file_line: str = ATTACHED) -> dict[str, Any]:
    """The reply as one Adaptive Card, cut to fit Teams' size limit. A file's line in the card is
    `file_line` with its name: where the file itself went is the poster's choice (outbound.py)."""
    return _cut(_body(reply, file_line))


def _cut(body: list[dict[str, Any]]) -> dict[str, Any]:
    body = list(body)
    built = _card(body)
    while len(_size(built)) > CARD_BYTES and body:
        body.pop()
        built = _card([*body, _text_block(escape(SHORTENED), isSubtle=True)])
    return built


def _card(body: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }


def _size(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def fallback(reply: Reply) -> str:
    """The activity's `text`, shown in notifications and beside the card: the words with the three
    HTML characters written as entities, nothing to mention. Sent as textFormat "xml" (Teams' HTML),
    the format that reads the entities back, so "fish &amp; chips" shows as "fish & chips"; under
    "plain", which Microsoft documents as raw text, it would show the entities themselves (an
    outside audit)."""
    return entities(clip(plain(reply.fallback_text()), FALLBACK_CHARS))


def activity(reply: Reply, *, file_line: str = ATTACHED, content: dict[str, Any] | None = None) -> dict[str, Any]:
    """A message activity carrying the card (or `content`, one of `cards`), ready for the Bot
    Connector."""
    return {
        "type": "message",
        "text": fallback(reply),
        "textFormat": "xml",
        "attachments": [{"contentType": CARD_TYPE, "content": content or card(reply, file_line=file_line)}],
    }


def attachments(reply: Reply) -> list[File | Image]:
    """Files and local images, which go beside the card (see outbound.py)."""
    return [b for b in reply.blocks if isinstance(b, File) or (isinstance(b, Image) and not b.url and b.path)]


# --- dialogs (forms) ----------------------------------------------------------------------


def form_button(form: Form, carried: dict[str, Any]) -> dict[str, Any]:
    """A card whose one button opens the form as a dialog, for a typed command's form only (Teams
    opens dialogs only from a press: https://learn.microsoft.com/en-us/microsoftteams/platform/
    task-modules-and-cards/task-modules/task-modules-bots). The form travels in the button
    (`carried`, signed by the adapter), so any replica can open it."""
    data = {**TASK_FETCH, FORM_KEY: carried}
    body = [_text_block(f"**{escape(clip(plain(form.title), TITLE_CHARS))}**: press the button to fill in the form.")]
    action = {"type": "Action.Submit", "title": "Open the form", "data": data}
    return {**_card(body), "actions": [action]}


def dialog(
    form: Form,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    *,
    hidden: dict[str, Any],
) -> dict[str, Any]:
    """The `task/fetch` (or `task/submit` continue) answer showing the form, with errors if any;
    `hidden` (the signed form) comes back with the submit."""
    values = values or {}
    errors = errors or {}
    body: list[dict[str, Any]] = []
    if errors:
        body.append(_text_block("Nothing was saved yet. Please check the fields marked below.", color="Attention"))
    for field in form.fields:
        body.extend(_input(field, values.get(field.id, field.initial), errors.get(field.id)))
    for key, error in errors.items():
        if key not in {f.id for f in form.fields}:
            body.append(_text_block(escape(error), color="Attention"))
    submit = {"type": "Action.Submit", "title": clip(plain(form.submit_label), LABEL_CHARS), "data": {FORM_KEY: hidden}}
    content = {**_card(body), "actions": [submit]}
    return {
        "task": {
            "type": "continue",
            "value": {
                "title": clip(plain(form.title), DIALOG_TITLE_CHARS),
                "card": {"contentType": CARD_TYPE, "content": content},
            },
        }
    }


def _input(field: FormField, value: str, error: str | None) -> list[dict[str, Any]]:
    element: dict[str, Any] = {
        "id": field.id,
        "label": clip(plain(field.label), TITLE_CHARS),
        "isRequired": field.required,
    }
    if field.kind == "select":
        element.update(
            type="Input.ChoiceSet",
            choices=[{"title": clip(plain(o.label), LABEL_CHARS), "value": o.value} for o in field.options],
        )
    else:
        element.update(type="Input.Text", isMultiline=field.kind == "multiline", maxLength=field.max_length)
    if field.placeholder:
        element["placeholder"] = clip(plain(field.placeholder), LABEL_CHARS)
    if value:
        element["value"] = value
    if error:
        element["errorMessage"] = clip(plain(error), 500)
    shown = [element]
    if error:  # errorMessage shows only after Teams' own check fails: say it beside the field too
        shown.append(_text_block(escape(error), color="Attention", size="Small", spacing="None"))
    return shown


def form_values(data: dict[str, Any], form: Form) -> dict[str, Any]:
    """The values a dialog sent back, for the form's fields only. A value of the wrong type is
    passed on as it came: `Request` sets it aside and the dispatcher refuses the submit."""
    return {field.id: data.get(field.id, "") for field in form.fields}
