"""The console: a chat in the terminal, and the whole stack with no network.

This module shows replies and remembers numbered messages; console.session reads the lines.

Renders: header, text, fields, buttons (numbered choices), link buttons, select options
(numbered choices), images and files (saved under the data directory), context lines and
forms (asked field by field, by console.session).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bot.adapters.base import PlatformDescription, edited_message, is_edit, with_reply_hint
from bot.adapters.console.render import plain
from bot.adapters.console.terminal import PrintableOnly
from core.model import (
    Buttons,
    Caption,
    Divider,
    Fields,
    File,
    Header,
    Image,
    Reply,
    Select,
    Target,
    Text,
    Visibility,
)

DEFAULT_CHANNEL = "general"
KEPT_MESSAGES = 300  # an earlier run's newest messages whose buttons a later run can still press


@dataclass
class ConsoleMessage:
    number: int
    channel_id: str
    thread_id: str | None
    audience: str | None = None  # the one user who can see it (a private answer or a DM); None: the channel
    choices: list[tuple[str, str]] = field(default_factory=list)  # (action_id, value)

    def visible_to(self, user: str) -> bool:
        return self.audience is None or self.audience == user


class ConsoleAdapter:
    """Prints replies and posts; remembers numbered messages so their buttons can be pressed."""

    platform = "console"
    description = PlatformDescription(
        name="console",
        channel="#{id}",
        user="{id}",
        roles_from="the settings, and --role for the person at the keyboard",
        private_answers=True,  # shown with "(only you can see this)"
    )

    def __init__(self, out: TextIO, files_dir: Path) -> None:
        self.out: TextIO = PrintableOnly(out)  # type: ignore[assignment] # written to as a TextIO
        self.files_dir = files_dir
        self.messages: dict[int, ConsoleMessage] = {}
        self._next = 1
        self.changes = 0  # messages shown or replaced, so the session knows when to keep them

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def is_connected(self) -> bool:
        return True

    async def send(self, target: Target, reply: Reply) -> str:
        reply = with_reply_hint(reply, target.kind == "thread")  # ">M text" replies in a thread
        if is_edit(target, reply) and edited_message(target).isdigit():
            number = int(edited_message(target))  # shown as updated even if posted before a restart
            edited = self.messages.get(number)
            if edited is None and target.kind == "direct":
                edited = ConsoleMessage(number, f"dm:{target.user_id}", None, target.user_id)
            elif edited is None:
                edited = ConsoleMessage(number, str(target.channel_id), None)
            where = f"#{edited.channel_id}" + (f", thread of [{edited.thread_id}]" if edited.thread_id else "")
            if edited.channel_id.startswith("dm:"):
                where = f"direct message to {edited.channel_id.removeprefix('dm:')}"
            self.show(reply, where=where, channel_id=edited.channel_id, thread_id=edited.thread_id,
                      replace=number, audience=edited.audience)  # fmt: skip
            return str(number)
        if target.kind == "direct":
            where, channel, thread = f"direct message to {target.user_id}", f"dm:{target.user_id}", None
        else:
            channel = target.channel_id or DEFAULT_CHANNEL
            thread = target.thread_id if target.kind == "thread" else None
            where = f"#{channel}" + (f", thread of [{thread}]" if thread else "")
        audience = target.user_id if target.kind == "direct" else None
        return str(self.show(reply, where=where, channel_id=channel, thread_id=thread, audience=audience).number)

    def show(
        self,
        reply: Reply,
        *,
        where: str,
        channel_id: str,
        thread_id: str | None,
        replace: int | None = None,
        audience: str | None = None,
    ) -> ConsoleMessage:
        number = replace if replace is not None else self._take_number()
        message = ConsoleMessage(number, channel_id, thread_id, audience)
        label = "updated " if replace is not None else ""
        private = (
            " (only you can see this)" if reply.visibility is Visibility.EPHEMERAL and "direct" not in where else ""
        )
        lines = [f"[{label}{number}] {where}{private}"]
        for block in reply.blocks:
            lines.extend(self._render(block, message))
        self.out.write("\n".join(lines) + "\n\n")
        self.out.flush()
        self.messages[number] = message
        self.changes += 1
        return message

    def remembered(self, most: int = KEPT_MESSAGES) -> str:
        """The newest channel posts' places and choices (never their text), as JSON: a later run on
        the same data can then press an earlier run's buttons and reply in its threads. Nothing shown
        to one person is kept: who got which private message (a survey's invitations, its replies)
        would say who answered a survey."""
        posts = [m for m in self.messages.values() if m.audience is None]  # a direct message has one too
        newest = sorted(posts, key=lambda m: -m.number)[:most]
        return json.dumps([[m.number, m.channel_id, m.thread_id, [list(c) for c in m.choices]] for m in newest])

    def recall(self, saved: str) -> None:
        """Take back an earlier run's channel posts (remembered); what cannot be read is left out."""
        try:
            for number, channel_id, thread_id, choices in json.loads(saved):
                if int(number) not in self.messages:
                    pairs = [(str(a), str(v)) for a, v in choices]
                    self.messages[int(number)] = ConsoleMessage(int(number), str(channel_id), thread_id, None, pairs)
        except (ValueError, TypeError):
            return

    def _take_number(self) -> int:
        number = self._next
        self._next += 1
        return number

    @property
    def last_number(self) -> int:
        """The highest message number given so far (0: none)."""
        return self._next - 1

    def number_after(self, last: int) -> None:
        """Number new messages after `last`, an earlier run's highest on the same data: its
        posts are stored with their numbers (an announcement, the thread its reminders go to),
        so a number is never given twice, or an edit of the old post would show as an edit of
        the new message."""
        self._next = max(self._next, last + 1)

    def _render(self, block: object, message: ConsoleMessage) -> list[str]:
        if isinstance(block, Header):
            return [f"  == {plain(block.text)} =="]
        if isinstance(block, Text):
            return [f"  {line}" for line in plain(block.text).splitlines()] or ["  "]
        if isinstance(block, Fields):
            return [f"  {plain(f.label)}: {plain(f.value)}" for f in block.fields]
        if isinstance(block, Buttons):
            parts = []
            for button in block.buttons:
                if button.url:
                    parts.append(f"<{plain(button.label)}: {button.url}>")
                else:
                    message.choices.append((button.action_id, button.value))
                    parts.append(f"[{len(message.choices)}] {plain(button.label)}")
            return ["  " + "   ".join(parts)]
        if isinstance(block, Select):
            lines = [f"  {plain(block.placeholder)}:"]
            for option in block.options:
                message.choices.append((block.action_id, option.value))
                lines.append(f"    [{len(message.choices)}] {plain(option.label)}")
            return lines
        if isinstance(block, Image):
            return [f"  (image: {plain(block.alt)} — {block.path or block.url})"]
        if isinstance(block, File):
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path = self.files_dir / Path(block.filename).name
            path.write_text(block.content, encoding="utf-8")
            return [f"  (file: {path.name}, saved to {path})"]
        if isinstance(block, Caption):
            return [f"  -- {plain(block.text)}"]
        if isinstance(block, Divider):
            return ["  ----"]
        return []
