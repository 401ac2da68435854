"""The platform-neutral conversation model: what a handler receives and returns.

Adapters translate raw platform events into a `Request` and render `Reply` objects
back into their platform's format. Nothing here knows about Slack, Discord or a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from storage.text import storable

# Every chat the bot speaks, by the name its adapter and its user ids ("teams:<id>") carry.
PLATFORMS = ("console", "slack", "discord", "teams")
# A Teams channel or group chat as the Bot Connector names it, e.g. 19:a1b2c3@thread.tacv2: how the
# Teams adapter writes a picked channel and how the posting commands read one.
TEAMS_CONVERSATION = re.compile(r"19:[\w.\-=]{1,96}@thread\.[a-z0-9]{1,12}", re.ASCII)


class Visibility(StrEnum):
    EPHEMERAL = "ephemeral"  # only the person who asked sees it
    PUBLIC = "public"


class RequestKind(StrEnum):
    COMMAND = "command"  # a slash command
    ACTION = "action"  # a button press or a select choice
    SUBMIT = "submit"  # a form (modal) submission
    MESSAGE = "message"  # a plain message, e.g. a reply in a thread the bot owns


class Request(BaseModel):
    """One thing a user did, in platform-neutral terms."""

    model_config = ConfigDict(frozen=True)

    kind: RequestKind
    platform: str  # one of PLATFORMS
    user_id: str
    user_name: str = ""
    roles: frozenset[str] = frozenset({"practitioner"})
    channel_id: str = ""
    thread_id: str | None = None
    message_id: str | None = None  # the message a button was pressed on
    is_direct: bool = False  # a direct message to the bot
    command: str = ""  # without the leading slash
    text: str = ""  # command arguments, or the message text
    action_id: str = ""  # "feature:verb" for actions and form submissions
    value: str = ""  # compact button value or form metadata
    form: dict[str, str] = Field(default_factory=dict)  # form field id -> entered value
    delivery_id: str | None = None  # platform's id for this delivery, for de-duplication
    # Set when the platform sent text, a value or form values of the wrong type (a number, a
    # list...). They are replaced by empty ones and the dispatcher refuses the request; this says
    # what was wrong in words that never include what was sent.
    forged: str = ""

    @model_validator(mode="before")
    @classmethod
    def _set_aside_wrong_types(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        problems: list[str] = []
        cleaned = dict(data)
        for name in ("text", "value"):
            if name in cleaned and not isinstance(cleaned[name], str):
                problems.append(f"{name} was {_kind(cleaned[name])}")
                cleaned[name] = ""
        form = cleaned.get("form")
        if form is not None:
            if not isinstance(form, dict):
                problems.append(f"form was {_kind(form)}")
                cleaned["form"] = {}
            else:
                kinds = sorted({_kind(v) for k, v in form.items() if not (isinstance(k, str) and isinstance(v, str))})
                if kinds:
                    problems.append("a form value was " + " or ".join(kinds))
                    cleaned["form"] = {}
        if problems:
            cleaned["forged"] = "; ".join(problems)
        for name in ("text", "value", "user_name"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = storable(cleaned[name])
        if isinstance(cleaned.get("form"), dict):
            cleaned["form"] = {k: storable(v) if isinstance(v, str) else v for k, v in cleaned["form"].items()}
        return cleaned

    @property
    def words(self) -> list[str]:
        return self.text.split()

    def has_role(self, role: str) -> bool:
        return role == "practitioner" or role in self.roles or "admin" in self.roles


_KINDS = {bool: "a true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}


def _kind(value: Any) -> str:
    """What sort of thing a value is, for logs that must not repeat the value itself."""
    return "empty (null)" if value is None else _KINDS.get(type(value), "something other than text")


# The answer to a button or form the bot did not make: an unknown action, a value that does not
# match what the action expects, or a value of the wrong type (the dispatcher's, and an adapter's
# for a press nothing routed).
FORGED_VALUE = "That button or form is not one I recognise any more. Run the command again to get a fresh one."

# --- blocks -----------------------------------------------------------------------------
# Text uses a small neutral markup: **bold**, _italic_, [label](https://url), "- " bullets.
# Adapters translate it and escape everything else, so untrusted text can never mention
# a channel or inject markup.


class Header(BaseModel):
    type: Literal["header"] = "header"
    text: str


class Text(BaseModel):
    type: Literal["text"] = "text"
    text: str


class Field_(BaseModel):
    label: str
    value: str


class Fields(BaseModel):
    type: Literal["fields"] = "fields"
    fields: list[Field_]


class Button(BaseModel):
    label: str
    action_id: str = ""  # empty for link buttons
    value: str = ""
    url: str | None = None  # a link button opens a page instead of calling the bot
    style: Literal["default", "primary", "danger"] = "default"


class Buttons(BaseModel):
    type: Literal["buttons"] = "buttons"
    buttons: list[Button]


class Option(BaseModel):
    label: str
    value: str


class Select(BaseModel):
    type: Literal["select"] = "select"
    action_id: str
    placeholder: str
    options: list[Option]


class Image(BaseModel):
    type: Literal["image"] = "image"
    url: str | None = None
    path: str | None = None  # a local file (charts) that adapters upload
    alt: str


class File(BaseModel):
    type: Literal["file"] = "file"
    filename: str
    content: str  # text content, e.g. an .ics calendar
    mime: str = "text/plain"


class Caption(BaseModel):
    """A small grey line: sources, banners, hints."""

    # "context" is what messages queued before this block was named Caption carry in the outbox
    type: Literal["caption", "context"] = "caption"
    text: str


class Divider(BaseModel):
    type: Literal["divider"] = "divider"


Block = Annotated[
    Header | Text | Fields | Buttons | Select | Image | File | Caption | Divider,
    Field(discriminator="type"),
]


class FormField(BaseModel):
    id: str
    label: str
    kind: Literal["text", "multiline", "select"] = "text"
    required: bool = True
    placeholder: str = ""
    initial: str = ""
    options: list[Option] = Field(default_factory=list)
    max_length: int = 3000


class Form(BaseModel):
    """A modal on Slack and Discord; step-by-step prompts in the console."""

    action_id: str  # the submit is routed to this action
    title: str
    fields: list[FormField]
    value: str = ""  # carried back on submit (Slack private_metadata)
    submit_label: str = "Submit"

    def out_of_bounds(self, values: Mapping[str, Any], *, choices: bool = True) -> dict[str, str]:
        """Field errors for answers the form itself rules out: longer than a field takes, or (with
        `choices`) not one of a select's options. Slack and Discord hold their modals to these; a
        Teams dialog's answer and a console's are composed by the client, so those adapters check
        them here (the console takes a select's answer typed in words, as the handlers read it)."""
        errors: dict[str, str] = {}
        for field in self.fields:
            value = values.get(field.id)
            if not isinstance(value, str) or not value:
                continue
            if len(value) > field.max_length:
                errors[field.id] = f"At most {field.max_length:,} characters; this is {len(value):,}."
            elif choices and field.kind == "select" and field.options and value not in {o.value for o in field.options}:
                errors[field.id] = "Choose one of the options."
        return errors


class Target(BaseModel):
    """Where a reply goes. The default is back to where the request came from."""

    kind: Literal["respond", "channel", "thread", "direct"] = "respond"
    platform: str | None = None
    channel_id: str | None = None
    thread_id: str | None = None
    user_id: str | None = None
    # With Reply.replace_original: the bot's own message to replace where it is not the thread's
    # first message: a reply in a thread, or a direct message to `user_id`.
    message_id: str | None = None


class PromptRemoval(BaseModel):
    """The message that prompted a reply held identifying details: the adapter removes it where
    the platform lets the bot, and adds the sentence for what happened."""

    removed: str  # said when the message was removed
    not_removed: str  # said when it could not be, e.g. how to delete it yourself


class Reply(BaseModel):
    blocks: list[Block] = Field(default_factory=list)
    remove_prompt: PromptRemoval | None = None
    visibility: Visibility = Visibility.EPHEMERAL
    target: Target = Field(default_factory=Target)
    replace_original: bool = False  # update the message whose button was pressed
    form: Form | None = None  # open a form instead of posting
    summary: str = ""  # plain-text fallback for notifications
    # Says what the person answered in confidence (a survey answer or comment), for the moment
    # only. Where a private answer can only be a lasting message (Teams' personal chat), the
    # adapter shows `summary` instead, so the summary must state none of it.
    transient: bool = False
    # Announcements only: ping the platform's configured announcement role (Discord:
    # DISCORD_ANNOUNCE_ROLE_ID). Nothing else the bot posts can ping anyone.
    ping_announce_role: bool = False
    # An invitation to reply in the thread this is posted in. The adapter shows it (as a last
    # caption) only in a thread whose replies the bot reads, so nobody is asked to reply where
    # nothing would read it (a Teams group chat has no threads; Discord reads thread replies only
    # with DISCORD_THREAD_REPLIES). See bot.adapters.base.with_reply_hint.
    reply_hint: str = ""

    def fallback_text(self) -> str:
        if self.summary:
            return self.summary
        for block in self.blocks:
            if isinstance(block, Header | Text):
                return block.text[:150]
        return "sgbot"

    def all_text(self) -> str:
        """Every piece of human-readable text, in order; used by tests and the console."""
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Header | Text | Caption):
                parts.append(block.text)
            elif isinstance(block, Fields):
                parts.extend(f"{f.label}: {f.value}" for f in block.fields)
            elif isinstance(block, Buttons):
                parts.extend(b.label for b in block.buttons)
            elif isinstance(block, Select):
                parts.append(block.placeholder)
                parts.extend(o.label for o in block.options)
            elif isinstance(block, Image):
                parts.append(block.alt)
            elif isinstance(block, File):
                parts.append(block.filename)
        return "\n".join(parts)


class FormErrors(BaseModel):
    """Returned by a form handler to show errors inside the still-open form."""

    errors: dict[str, str]


HandlerResult = Reply | list[Reply] | FormErrors | None


def reply(
    *blocks: Any,
    public: bool = False,
    target: Target | None = None,
    summary: str = "",
    replace_original: bool = False,
) -> Reply:
    """Build a reply from blocks; bare strings become text blocks."""
    built = [Text(text=b) if isinstance(b, str) else b for b in blocks]
    return Reply(
        blocks=built,
        visibility=Visibility.PUBLIC if public else Visibility.EPHEMERAL,
        target=target or Target(),
        summary=summary,
        replace_original=replace_original,
    )


class UserError(Exception):
    """A problem the user can fix; its message is shown to them as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Denied(UserError):
    """The user lacks the role an operation needs."""


ROLE_NAMES = {
    "practitioner": "practitioners",
    "trainer": "trainers",
    "comms": "communications leads",
    "admin": "admins",
}


def require_role(req: Request, role: str, doing: str) -> None:
    """Raise Denied, naming the role needed, unless the user has it (admins have every role)."""
    if not req.has_role(role):
        who = ROLE_NAMES.get(role, role)
        hint = (
            " A role that comes from a server role cannot be seen in a direct message: try it in one of "
            "the server's channels, where the answer is private too."
            if req.is_direct
            else ""
        )
        raise Denied(
            f"Only {who} (role `{role}`) can {doing}. If you need to, ask your partnership's "
            f"business unit to give you that role.{hint}"
        )
