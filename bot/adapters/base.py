"""What every adapter offers the rest of the bot."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from core.model import Caption, Form, Reply, Target, Text

log = logging.getLogger("sgbot.adapters")


class DeliveryError(Exception):
    """A post failed. `permanent` means retrying cannot help (e.g. the channel is gone)."""

    def __init__(self, reason: str, *, permanent: bool = False, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class Adapter(Protocol):
    platform: str

    async def start(self) -> None:
        """Connect; return once the adapter is ready to receive and send."""

    async def stop(self) -> None:
        """Disconnect, finishing in-flight work."""

    def is_connected(self) -> bool: ...

    async def send(self, target: Target, reply: Reply) -> str:
        """Post a reply to a channel, thread or user; return the platform message id.
        A reply that `is_edit` replaces the bot's own earlier post instead (see below)."""
        ...


@dataclass(frozen=True)
class PlatformDescription:
    """What the rest of the bot may know about a platform, without importing its adapter."""

    name: str  # as in Request.platform and the settings' prefixes: "slack", "discord", "console"
    channel: str  # how a channel is written so people can follow it, "{id}" replaced: "<#{id}>"
    user: str  # how a person is written, likewise: "<@{id}>"
    roles_from: str  # where a person's bot roles come from, besides the settings, in words
    private_answers: bool  # can show an answer to one person inside a channel (ephemeral)
    limits: Mapping[str, int] = field(default_factory=dict)  # the platform's own limits, by name

    def channel_ref(self, channel_id: str) -> str:
        return self.channel.format(id=channel_id)

    def user_ref(self, user_id: str) -> str:
        return self.user.format(id=user_id)


class Answering(Protocol):
    """The primitives an adapter offers for answering one request; `bot.respond` decides which
    to call for each reply (routing, fallbacks and wording live there, not in adapters)."""

    asker: str  # the platform's id of the person who asked
    private_here: bool  # whether an answer where they asked can be shown to them alone

    async def answer(self, reply: Reply, *, private: bool) -> None:
        """Answer the person who asked, shown to them only when `private`."""

    async def defer(self) -> None:
        """Tell the platform an answer is coming, when it will not wait for a slow one."""

    async def open_form(self, form: Form) -> None:
        """Open a form for the person (or say why it cannot open here)."""

    async def show_form_errors(self, form: Form | None, errors: dict[str, str], values: dict[str, str]) -> None:
        """Show what is wrong with a submitted form, keeping what was typed where the platform can."""

    async def post(self, target: Target, reply: Reply) -> str:
        """Post to a channel, a thread or a person; the platform's message id."""
        ...

    async def edit(self, reply: Reply) -> bool:
        """Replace the message whose button was pressed; False when there is none to replace (or
        the platform replaces it as part of `answer`), so the reply is answered instead."""
        ...


def is_edit(target: Target, reply: Reply) -> bool:
    """A posted reply with `replace_original` edits the bot's own earlier message in place of
    posting, so an edit can go through the outbox like any post, once across replicas. The
    message is `edited_message(target)`: a thread's first message (a training announcement), a
    reply in that thread (`message_id`), or a direct message to `user_id` (`message_id`)."""
    if not reply.replace_original:
        return False
    if target.kind == "thread":
        return bool(target.channel_id and target.thread_id)
    return target.kind == "direct" and bool(target.user_id and target.message_id)


def with_reply_hint(reply: Reply, read_here: bool) -> Reply:
    """The reply as posted: its `reply_hint` as a last caption where the bot reads replies to
    it (`read_here`: a thread, where this platform and conversation deliver its replies to the
    bot), and nothing of it anywhere else."""
    if not reply.reply_hint:
        return reply
    blocks = [*reply.blocks, Caption(text=reply.reply_hint)] if read_here else reply.blocks
    return reply.model_copy(update={"blocks": blocks, "reply_hint": ""})


def edited_message(target: Target) -> str:
    """The id of the message an edit (`is_edit`) replaces."""
    return str(target.message_id or target.thread_id)


async def settle_prompt_removal(reply: Reply, remove: Callable[[], Awaitable[bool]] | None) -> Reply:
    """For a reply asking to remove the message that prompted it: try `remove` (None where the
    platform never lets the bot delete a person's message), then add the sentence that is true."""
    if reply.remove_prompt is None:
        return reply
    removed = False
    if remove is not None:
        try:
            removed = await remove()
        except Exception as exc:  # noqa: BLE001 - a failed removal is reported to the person, not raised
            log.warning("could not remove a message that held identifying details: %s", type(exc).__name__)
    note = reply.remove_prompt.removed if removed else reply.remove_prompt.not_removed
    return reply.model_copy(update={"blocks": [*reply.blocks, Text(text=note)], "remove_prompt": None})
