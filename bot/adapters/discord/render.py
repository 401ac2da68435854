"""Reply -> Discord messages: embeds, buttons, select menus and files, within Discord's limits.

What each block becomes:
  Header   the title of a new embed          Text     embed description (split past 4,096)
  Fields   embed fields (25 per embed)        Caption  the embed's footer (small grey text)
  Buttons  buttons, 5 to a row, 5 rows        Select   a select menu on a row of its own
  Image    the embed's image (local files are uploaded)
  File     an attachment                      Divider  starts a new embed
A reply that does not fit one message (10 embeds, 6,000 characters, 5 rows) continues in the next.

The text itself (escaping, markdown, Discord's limits) is in `discord.text`; buttons and select
menus that survive a restart in `discord.components`; forms as modals in `discord.forms`. The
names tests and callers reach through this module are re-exported below.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord

from bot.adapters.discord.components import ActionButton, ActionSelect, button_id
from bot.adapters.discord.components import parse_form_id as parse_form_id
from bot.adapters.discord.forms import build_modal as build_modal
from bot.adapters.discord.forms import modal_values as modal_values
from bot.adapters.discord.text import (
    BUTTONS_PER_ROW,
    DESCRIPTION,
    EMBED_TOTAL,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME,
    FIELD_VALUE,
    FIELDS,
    FILES_PER_MESSAGE,
    FOOTER,
    LABEL,
    OPTION_TEXT,
    OPTIONS,
    PLACEHOLDER,
    ROWS,
    TITLE,
    clip,
    escape,
    plain,
    size,
    split_markdown,
)
from bot.adapters.discord.text import CUSTOM_ID as CUSTOM_ID
from bot.adapters.discord.text import MODAL_LABEL as MODAL_LABEL
from bot.adapters.discord.text import MODAL_TITLE as MODAL_TITLE
from bot.adapters.discord.text import markdown as markdown
from core.model import (
    Button,
    Buttons,
    Caption,
    Divider,
    Fields,
    File,
    Header,
    Image,
    Reply,
    Select,
    Text,
)

COLOUR = discord.Colour(0x1F6F8B)
BLANK = "\u200b"  # Discord needs some text where we have none, e.g. a field continued

_STYLES = {
    "default": discord.ButtonStyle.secondary,
    "primary": discord.ButtonStyle.primary,
    "danger": discord.ButtonStyle.danger,
}

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
        elif isinstance(block, Caption):
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
