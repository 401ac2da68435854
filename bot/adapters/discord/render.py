"""Reply -> Discord messages: embeds, buttons, select menus, files and modals, within Discord's limits.

What each block becomes:
  Header   the title of a new embed          Text     embed description (split past 4,096)
  Fields   embed fields (25 per embed)        Context  the embed's footer (small grey text)
  Buttons  buttons, 5 to a row, 5 rows        Select   a select menu on a row of its own
  Image    the embed's image (local files are uploaded)
  File     an attachment                      Divider  starts a new embed
A reply that does not fit one message (10 embeds, 6,000 characters, 5 rows) continues in the next.

Every piece of text is untrusted: it is read by `core.markup`, markdown and mentions are
escaped, and only the neutral markup (**bold**, _italic_, [label](https://url), "- " bullets)
becomes Discord markdown.

Buttons and select menus carry their action in the custom_id ("action_id|value", or
"action_id#slot" for a select) and are `DynamicItem`s, so a button posted last week still
works after a restart: nothing about it lives in memory.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import discord
from discord.utils import escape_markdown, escape_mentions

from core import markup
from core.model import (
    Button,
    Buttons,
    Context,
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

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBED_TOTAL = 6000  # per embed, and for all the embeds of one message together
EMBEDS_PER_MESSAGE = 10
FILES_PER_MESSAGE = 10
ROWS = 5
BUTTONS_PER_ROW = 5
LABEL = 80
OPTIONS = 25
OPTION_TEXT = 100
PLACEHOLDER = 150
CUSTOM_ID = 100
MODAL_TITLE = 45
MODAL_FIELDS = 5
MODAL_LABEL = 45
MODAL_DESCRIPTION = 100
TEXT_INPUT = 4000

COLOUR = discord.Colour(0x1F6F8B)
BLANK = "\u200b"  # Discord needs some text where we have none, e.g. a field continued
_ACTION = r"(?P<action>[a-z][a-z0-9_]*:[a-z][a-z0-9_]*)"
BUTTON_ID = re.compile(_ACTION + r"\|(?P<value>[^\n]*)")
SELECT_ID = re.compile(_ACTION + r"#(?P<slot>\d{1,2})")
REOPEN_ID = re.compile(r"sgbot\.form\|(?P<token>[0-9a-f]{16})")

# --- text ------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Untrusted text, shown literally: no markdown, no @everyone, no user or role mentions."""
    return escape_mentions(escape_markdown(text))


def markdown(text: str) -> str:
    """Neutral markup -> Discord markdown; everything else escaped."""
    return "".join(_markdown(token) for token in markup.tokens(text))


def _markdown(token: markup.Token) -> str:
    if isinstance(token, markup.Text):
        return escape(token.text)
    if isinstance(token, markup.Code):
        # Shown with its backticks, escaped: untrusted text never gets Discord's formatting.
        return escape(f"`{token.text}`")
    if isinstance(token, markup.Link):
        if token.bare:
            return escape(token.url)  # Discord links a bare address itself
        if markup.is_web(token.url):
            return f"[{escape(token.label)}]({token.url})"
        return f"{escape(token.label)} ({escape(token.url)})"  # Discord masks only web links
    if isinstance(token, markup.Bold):
        return "**" + "".join(_markdown(child) for child in token.children) + "**"
    if isinstance(token, markup.Italic):
        return "_" + "".join(_markdown(child) for child in token.children) + "_"
    if isinstance(token, markup.Bullet):
        return "- "
    return "\n"


def plain(text: str) -> str:
    """Neutral markup -> plain text, for places Discord shows without markdown (labels, footers)."""
    out: list[str] = []
    for token in markup.tokens(text):
        if isinstance(token, markup.Bullet):
            out.append("- ")
        elif isinstance(token, markup.Newline):
            out.append("\n")
        else:
            out.append(_plain(token))
    return "".join(out)


def _plain(token: markup.Inline) -> str:
    if isinstance(token, markup.Link):
        return token.url if token.bare else f"{token.label} ({token.url})"
    if isinstance(token, markup.Bold | markup.Italic):
        return "".join(_plain(child) for child in token.children)
    if isinstance(token, markup.Code):
        return f"`{token.text}`"
    return token.text


def size(text: str) -> int:
    """Length as Discord counts it (UTF-16 code units), so an emoji never tips us over a limit."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    if size(text) <= limit:
        return text
    while size(text) > limit - 1:
        text = text[: max(0, min(len(text) - 1, limit - 1))]
    return text + "…"


def split_markdown(text: str, limit: int) -> list[str]:
    """Neutral text -> Discord markdown chunks of at most `limit`, split between lines where possible."""
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for line in text.split("\n"):
        converted = markdown(line)  # markup never spans lines, so each line converts on its own
        length = size(converted)
        if current and used + 1 + length <= limit:
            current.append(converted)
            used += 1 + length
            continue
        if current:
            chunks.append("\n".join(current))
        current, used = [], 0
        if length <= limit:
            current, used = [converted], length
        else:
            chunks.extend(_hard_split(line, limit))  # one enormous line: cut it, markup may fall apart
    if current:
        chunks.append("\n".join(current))
    return [c for c in chunks if c.strip()]


def _hard_split(line: str, limit: int) -> Iterator[str]:
    start = 0
    while start < len(line):
        end = min(len(line), start + limit)
        while end > start + 1 and size(markdown(line[start:end])) > limit:
            end = start + (end - start) * 3 // 4
        yield markdown(line[start:end])
        start = end


# --- custom ids ------------------------------------------------------------------------------


def button_id(action_id: str, value: str) -> str:
    custom_id = f"{action_id}|{value}"
    if size(custom_id) > CUSTOM_ID:
        raise ValueError(
            f"The value of a {action_id} button is too long for Discord: the action id and value "
            f"must fit in {CUSTOM_ID - 1} characters."
        )
    return custom_id


def parse_form_id(custom_id: str) -> tuple[str, str] | None:
    """A modal's custom_id -> (action_id, value); None when it is not one of ours."""
    match = BUTTON_ID.fullmatch(custom_id)
    return (match["action"], match["value"]) if match else None


# --- persistent components -------------------------------------------------------------------


class ComponentHandler(Protocol):
    async def on_component(self, interaction: discord.Interaction, action_id: str, value: str) -> None: ...

    async def on_reopen_form(self, interaction: discord.Interaction, token: str) -> None: ...


def _handler(interaction: discord.Interaction) -> ComponentHandler:
    # The adapter's client carries the adapter; dynamic items are classes, shared by every client.
    return interaction.client.adapter  # type: ignore[attr-defined, no-any-return]


_STYLES = {
    "default": discord.ButtonStyle.secondary,
    "primary": discord.ButtonStyle.primary,
    "danger": discord.ButtonStyle.danger,
}


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_ID):
    """A button whose custom_id is "action_id|value"."""

    def __init__(
        self,
        action_id: str,
        value: str,
        *,
        label: str = "",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
    ) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label or None, style=style, custom_id=button_id(action_id, value)
        )
        super().__init__(button, row=row)
        self.action_id = action_id
        self.value = value

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ActionButton:
        label = getattr(item, "label", None) or ""
        style = getattr(item, "style", discord.ButtonStyle.secondary)
        return cls(match["action"], match["value"], label=label, style=style)

    async def callback(self, interaction: discord.Interaction) -> None:
        await _handler(interaction).on_component(interaction, self.action_id, self.value)


class ActionSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=SELECT_ID):
    """A select menu whose custom_id is "action_id#slot"; the chosen option is the value."""

    def __init__(
        self,
        action_id: str,
        slot: int,
        *,
        placeholder: str = "",
        options: list[discord.SelectOption] | None = None,
        row: int | None = None,
    ) -> None:
        menu: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=f"{action_id}#{slot}",
            placeholder=placeholder or None,
            options=options or [discord.SelectOption(label="-")],
        )
        super().__init__(menu, row=row)
        self.action_id = action_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ActionSelect:
        options = list(getattr(item, "options", []) or [])
        return cls(
            match["action"], int(match["slot"]), placeholder=getattr(item, "placeholder", "") or "", options=options
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        # Passed on as sent: a value that is not text (a number, a list) is refused by the dispatcher.
        data: dict[str, Any] = dict(interaction.data or {})
        values = data.get("values", [])
        chosen = (values[0] if values else "") if isinstance(values, list) else values
        await _handler(interaction).on_component(interaction, self.action_id, chosen)


class ReopenFormButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=REOPEN_ID):
    """Opens a form again, filled in as the user left it (Discord cannot show errors inside a modal)."""

    def __init__(self, token: str, *, label: str = "Open the form again") -> None:
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.primary, custom_id=f"sgbot.form|{token}")
        )
        self.token = token

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReopenFormButton:
        return cls(match["token"], label=getattr(item, "label", None) or "Open the form again")

    async def callback(self, interaction: discord.Interaction) -> None:
        await _handler(interaction).on_reopen_form(interaction, self.token)


DYNAMIC_ITEMS = (ActionButton, ActionSelect, ReopenFormButton)


# --- messages --------------------------------------------------------------------------------


@dataclass
class _EmbedDraft:
    title: str = ""
    description: str = ""
    fields: list[tuple[str, str, bool]] = field(default_factory=list)
    footer: str = ""
    image_url: str | None = None

    @property
    def size(self) -> int:
        return (
            size(self.title)
            + size(self.description)
            + sum(size(n) + size(v) for n, v, _ in self.fields)
            + size(self.footer)
        )

    @property
    def empty(self) -> bool:
        return not (self.title or self.description or self.fields or self.footer or self.image_url)

    def build(self) -> discord.Embed:
        embed = discord.Embed(title=self.title or None, description=self.description or None, colour=COLOUR)
        for name, value, inline in self.fields:
            embed.add_field(name=name, value=value, inline=inline)
        if self.footer:
            embed.set_footer(text=self.footer)
        if self.image_url:
            embed.set_image(url=self.image_url)
        return embed


@dataclass
class DiscordMessage:
    """One Discord message: the arguments for `send`, `send_message` or `edit_message`."""

    embeds: list[discord.Embed] = field(default_factory=list)
    items: list[discord.ui.Item[Any]] = field(default_factory=list)
    files: list[discord.File] = field(default_factory=list)
    content: str | None = None
    ping_role_id: int | None = None

    def view(self) -> discord.ui.View | None:
        if not self.items:
            return None
        view = discord.ui.View(timeout=None)
        for item in self.items:
            view.add_item(item)
        return view

    def allowed_mentions(self) -> discord.AllowedMentions | None:
        if self.ping_role_id is None:
            return None  # the client's default: nobody
        return discord.AllowedMentions(
            everyone=False, users=False, replied_user=False, roles=[discord.Object(self.ping_role_id)]
        )

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"content": self.content, "embeds": self.embeds}
        if (view := self.view()) is not None:
            kwargs["view"] = view
        if self.files:
            kwargs["files"] = self.files
        if (mentions := self.allowed_mentions()) is not None:
            kwargs["allowed_mentions"] = mentions
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        return {"content": self.content, "embeds": self.embeds, "view": self.view(), "attachments": self.files}


@dataclass
class _Draft:
    embeds: list[_EmbedDraft] = field(default_factory=list)
    rows: list[list[discord.ui.Item[Any]]] = field(default_factory=list)
    files: list[discord.File] = field(default_factory=list)
    custom_ids: set[str] = field(default_factory=set)

    @property
    def size(self) -> int:
        return sum(e.size for e in self.embeds)


class _Builder:
    def __init__(self) -> None:
        self.drafts: list[_Draft] = [_Draft()]
        self.embed: _EmbedDraft | None = None
        self.sealed = False  # the current embed takes no more text (after a footer, image or divider)

    @property
    def draft(self) -> _Draft:
        return self.drafts[-1]

    def _new_message(self) -> None:
        self.drafts.append(_Draft())
        self.embed = None

    def _new_embed(self, need: int, *, above_buttons: bool = False) -> _EmbedDraft:
        d = self.draft
        if (d.rows and not above_buttons) or len(d.embeds) >= EMBEDS_PER_MESSAGE or d.size + need > EMBED_TOTAL:
            self._new_message()
        self.embed = _EmbedDraft()
        self.draft.embeds.append(self.embed)
        self.sealed = False
        return self.embed

    def _room(self, need: int) -> bool:
        return (
            self.embed is not None
            and not self.sealed
            and not self.draft.rows  # text after buttons goes below them, in a new message
            and self.embed.size + need <= EMBED_TOTAL
            and self.draft.size + need <= EMBED_TOTAL
        )

    # blocks

    def header(self, text: str) -> None:
        title = clip(escape(plain(text)), TITLE)
        embed = self.embed
        if embed is None or not embed.empty or not self._room(size(title)):
            embed = self._new_embed(size(title))
        embed.title = title

    def text(self, text: str) -> None:
        for chunk in split_markdown(text, DESCRIPTION):
            embed = self.embed
            sep = "\n\n" if embed is not None and embed.description else ""
            if (
                embed is None
                or embed.fields
                or embed.image_url
                or size(embed.description + sep + chunk) > DESCRIPTION
                or not self._room(size(sep + chunk))
            ):
                embed, sep = self._new_embed(size(chunk)), ""
            embed.description += sep + chunk

    def fields(self, block: Fields) -> None:
        for item in block.fields:
            name = clip(escape(plain(item.label)), FIELD_NAME) or BLANK
            for n, piece in enumerate(split_markdown(item.value, FIELD_VALUE) or [BLANK]):
                label = name if n == 0 else BLANK
                need = size(label) + size(piece)
                embed = self.embed
                if embed is None or embed.image_url or len(embed.fields) >= FIELDS or not self._room(need):
                    embed = self._new_embed(need)
                embed.fields.append((label, piece, size(piece) <= 40 and size(label) <= 40))

    def context(self, text: str) -> None:
        line = plain(text)
        embed = self.embed
        fits = False
        if embed is not None:
            joined = f"{embed.footer}\n{line}" if embed.footer else line
            grows = size(joined) - size(embed.footer)
            fits = (
                size(joined) <= FOOTER and embed.size + grows <= EMBED_TOTAL and self.draft.size + grows <= EMBED_TOTAL
            )
        if embed is None or not fits:
            joined = clip(line, FOOTER)
            # A note after buttons still belongs to the message they are on (embeds show above them).
            embed = self._new_embed(size(joined), above_buttons=True)
        embed.footer = joined
        self.sealed = True

    def divider(self) -> None:
        self.sealed = True

    def image(self, block: Image) -> None:
        if block.path:
            path = Path(block.path)
            self._attach(discord.File(path, filename=path.name, description=clip(plain(block.alt), 1024)))
            url = f"attachment://{path.name}"
        elif block.url:
            url = block.url
        else:
            return
        embed = self.embed
        alt = clip(escape(plain(block.alt)), DESCRIPTION)
        if embed is None or embed.image_url or not self._room(0):
            embed = self._new_embed(size(alt))
            embed.description = alt
        embed.image_url = url
        self.sealed = True

    def file(self, block: File) -> None:
        data = io.BytesIO(block.content.encode("utf-8"))
        self._attach(discord.File(data, filename=Path(block.filename).name))

    def _attach(self, attachment: discord.File) -> None:
        if len(self.draft.files) >= FILES_PER_MESSAGE:
            self._new_message()
        self.draft.files.append(attachment)

    def buttons(self, block: Buttons) -> None:
        row: list[discord.ui.Item[Any]] = []
        for button in block.buttons:
            item = self._button(button)
            if item is None:
                continue
            row.append(item)
            if len(row) == BUTTONS_PER_ROW:
                self._row(row)
                row = []
        if row:
            self._row(row)

    def _button(self, button: Button) -> discord.ui.Item[Any] | None:
        label = clip(plain(button.label), LABEL) or "…"
        if button.url:
            return discord.ui.Button(label=label, url=button.url, style=discord.ButtonStyle.link)
        custom_id = button_id(button.action_id, button.value)
        if custom_id in self.draft.custom_ids:
            return None  # Discord refuses two identical custom_ids in one message; the first does the job
        self.draft.custom_ids.add(custom_id)
        return ActionButton(button.action_id, button.value, label=label, style=_STYLES[button.style])

    def select(self, block: Select) -> None:
        options = [
            discord.SelectOption(label=clip(plain(o.label), OPTION_TEXT) or "…", value=o.value[:OPTION_TEXT])
            for o in block.options
        ]
        placeholder = clip(plain(block.placeholder), PLACEHOLDER)
        for start in range(0, len(options), OPTIONS):
            if len(self.draft.rows) >= ROWS:
                self._new_message()
            slot = sum(1 for i in self.draft.custom_ids if i.startswith(f"{block.action_id}#"))
            self.draft.custom_ids.add(f"{block.action_id}#{slot}")
            menu = ActionSelect(
                block.action_id, slot, placeholder=placeholder, options=options[start : start + OPTIONS]
            )
            self._row([menu])

    def _row(self, items: list[discord.ui.Item[Any]]) -> None:
        if len(self.draft.rows) >= ROWS:
            self._new_message()
        self.draft.rows.append(items)

    # result

    def messages(self, fallback: str) -> list[DiscordMessage]:
        out: list[DiscordMessage] = []
        for draft in self.drafts:
            embeds = [e.build() for e in draft.embeds if not e.empty]
            if not (embeds or draft.rows or draft.files):
                continue
            items = []
            for row_number, row in enumerate(draft.rows):
                for item in row:
                    item.row = row_number
                    items.append(item)
            content = None if embeds or draft.files else (escape(fallback) if not out else BLANK)
            out.append(DiscordMessage(embeds=embeds, items=items, files=draft.files, content=content))
        return out or [DiscordMessage(content=escape(fallback))]


def render(reply: Reply, *, announce_role_id: int | None = None) -> list[DiscordMessage]:
    """A reply as one or more Discord messages, each within Discord's limits."""
    builder = _Builder()
    for block in reply.blocks:
        if isinstance(block, Header):
            builder.header(block.text)
        elif isinstance(block, Text):
            builder.text(block.text)
        elif isinstance(block, Fields):
            builder.fields(block)
        elif isinstance(block, Context):
            builder.context(block.text)
        elif isinstance(block, Divider):
            builder.divider()
        elif isinstance(block, Image):
            builder.image(block)
        elif isinstance(block, File):
            builder.file(block)
        elif isinstance(block, Buttons):
            builder.buttons(block)
        elif isinstance(block, Select):
            builder.select(block)
    messages = builder.messages(plain(reply.fallback_text()))
    if reply.ping_announce_role and announce_role_id:
        first = messages[0]
        first.content = f"<@&{announce_role_id}>" + (f"\n{first.content}" if first.content else "")
        first.ping_role_id = announce_role_id
    return messages


# --- forms -----------------------------------------------------------------------------------


def build_modal(form: Form, values: dict[str, str] | None = None) -> discord.ui.Modal:
    """A form as a modal; its custom_id carries the action id and value back on submit."""
    if len(form.fields) > MODAL_FIELDS:
        raise ValueError(
            f"A Discord form holds at most {MODAL_FIELDS} fields; {form.action_id} has {len(form.fields)}."
        )
    modal = discord.ui.Modal(
        title=clip(plain(form.title), MODAL_TITLE) or "Form",
        custom_id=button_id(form.action_id, form.value),
        timeout=15 * 60,  # what Discord allows for answering an interaction
    )
    values = values or {}
    for spec in form.fields:
        initial = values.get(spec.id, spec.initial)
        component: discord.ui.Item[Any]
        if spec.kind == "select":
            component = discord.ui.Select(
                custom_id=spec.id,
                required=spec.required,
                min_values=1 if spec.required else 0,
                max_values=1,
                placeholder=clip(plain(spec.placeholder), PLACEHOLDER) or None,
                options=[
                    discord.SelectOption(
                        label=clip(plain(o.label), OPTION_TEXT) or "…",
                        value=o.value[:OPTION_TEXT],
                        default=o.value == initial,
                    )
                    for o in spec.options[:OPTIONS]
                ],
            )
        else:
            component = discord.ui.TextInput(
                custom_id=spec.id,
                style=discord.TextStyle.paragraph if spec.kind == "multiline" else discord.TextStyle.short,
                required=spec.required,
                placeholder=clip(plain(spec.placeholder), OPTION_TEXT) or None,
                default=initial[:TEXT_INPUT] or None,
                max_length=min(spec.max_length, TEXT_INPUT),
            )
        label = plain(spec.label)
        modal.add_item(
            discord.ui.Label(
                text=clip(label, MODAL_LABEL),
                description=clip(label, MODAL_DESCRIPTION) if size(label) > MODAL_LABEL else None,
                component=component,
            )
        )
    return modal


def modal_values(data: dict[str, Any]) -> dict[str, Any]:
    """The values of a modal submit payload, by field id (text inputs and select menus).

    Values are passed on as sent, so one that is not text (a number, a list) reaches the
    dispatcher, which refuses the whole form; parts of the payload of the wrong shape are skipped."""
    values: dict[str, Any] = {}

    def walk(components: Any) -> None:
        for component in components if isinstance(components, list) else []:
            if not isinstance(component, dict):
                continue
            if "components" in component:  # an action row
                walk(component["components"])
            elif "component" in component:  # a label
                walk([component["component"]])
            elif isinstance(component.get("custom_id"), str):
                if "values" in component:
                    chosen = component["values"]
                    values[component["custom_id"]] = (
                        (chosen[0] if chosen else "") if isinstance(chosen, list) else chosen
                    )
                else:
                    value = component.get("value")
                    values[component["custom_id"]] = "" if value is None else value

    walk(data.get("components", []))
    return values
