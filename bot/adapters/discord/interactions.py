"""Answering one Discord interaction: the first message as its response, the rest as follow-ups.
Discord's primitives for `bot.respond` (see `bot.adapters.base.Answering`).

Private answers stay private, a slow answer's "thinking…" is replaced or removed, forms open as
modals (or behind a button when Discord no longer allows a modal), and form errors are listed
with a button that opens the form again filled in.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.base import DeliveryError
from bot.adapters.discord.components import ReopenFormButton
from bot.adapters.discord.forms import build_modal
from bot.adapters.discord.render import DiscordMessage, render
from bot.adapters.discord.text import escape, plain
from bot.respond import (
    DONE,
    FORM_AGAIN,
    FORM_ERRORS_INTRO,
    could_not_post,
    deliver,
    no_form_here,
    something_went_wrong,
)
from core.model import Form, Reply, Target, Text

if TYPE_CHECKING:
    from bot.adapters.discord.adapter import DiscordAdapter

log = logging.getLogger("sgbot.discord")


class Responder:
    """Answers one interaction: the first message as the response, the rest as follow-ups."""

    def __init__(self, adapter: DiscordAdapter, interaction: discord.Interaction) -> None:
        self.adapter = adapter
        self.i = interaction
        self.is_component = interaction.type is discord.InteractionType.component
        self.thinking = False  # deferred with "thinking…", which the first private message replaces
        self.original_used = False
        self.asker = str(interaction.user.id)
        self.private_here = True  # an interaction's answer can be ephemeral

    async def defer(self) -> None:
        try:
            if self.is_component:
                await self.i.response.defer()  # acknowledged, nothing shown
            else:
                await self.i.response.defer(ephemeral=True, thinking=True)
                self.thinking = True
        except discord.HTTPException as exc:
            log.warning("could not defer a Discord interaction: %s", exc.status)

    async def deliver(self, replies: list[Reply]) -> None:
        # A slash command is never shown to others, so there is no prompt to remove or mention.
        await deliver(replies, self, prompt_shown=False)
        if not self.i.response.is_done():
            if self.is_component:
                await self.i.response.defer()
            else:
                await self.i.response.send_message(DONE, ephemeral=True)
        elif self.thinking and not self.original_used:
            await self.i.delete_original_response()

    async def answer(self, reply: Reply, *, private: bool) -> None:
        """Answer the person; a reply that replaces the pressed message does so here (as the
        interaction's response or an edit of it), so `edit` never does it on its own."""
        ephemeral = private
        messages = render(reply, announce_role_id=self.adapter.settings.discord_announce_role_id)
        for n, message in enumerate(messages):
            if n == 0 and reply.replace_original and self.is_component:
                if not self.i.response.is_done():
                    await self.i.response.edit_message(**message.edit_kwargs())
                else:
                    await self.i.edit_original_response(**message.edit_kwargs())
            elif not self.i.response.is_done():
                await self.i.response.send_message(**message.send_kwargs(), ephemeral=ephemeral)
            elif self.thinking and not self.original_used and ephemeral:
                await self.i.edit_original_response(**message.edit_kwargs())
                self.original_used = True
            elif self.thinking and not ephemeral:
                # After a private "thinking…" every follow-up would be private too: post in the channel.
                await self._channel().send(**message.send_kwargs())
            else:
                await self.i.followup.send(**message.send_kwargs(), ephemeral=ephemeral, wait=True)

    def _channel(self) -> discord.abc.Messageable:
        return self.adapter.client.get_partial_messageable(self.i.channel_id or 0)

    async def edit(self, reply: Reply) -> bool:
        return False  # done by `answer`, which knows whether the interaction was answered yet

    async def post(self, target: Target, reply: Reply) -> str:
        """Post where the reply is aimed; when that fails, tell the person why (privately)."""
        try:
            return await self.adapter.send(target, reply)
        except DeliveryError as exc:
            log.warning("could not post a reply to its target: %s", exc.reason)
            await self.private(could_not_post(f"Discord said: {escape(exc.reason)}"))
            return ""

    async def open_form(self, form: Form) -> None:
        user_id = str(self.i.user.id)
        if not self.i.response.is_done() and self.i.type is not discord.InteractionType.modal_submit:
            self.adapter.remember_form(user_id, form, {})
            await self.i.response.send_modal(build_modal(form))
            return
        # Discord opens a form only as the first answer to a command or a button: offer a button.
        token = self.adapter.remember_form(user_id, form, {})
        message = DiscordMessage(
            content=f"**{escape(plain(form.title))}**: press the button to fill in the form.",
            items=[ReopenFormButton(token, label="Open the form")],
        )
        await self._send_private(message)

    async def show_form_errors(self, form: Form | None, errors: dict[str, str], values: dict[str, str]) -> None:
        """Discord cannot show errors inside a modal: list them, with a button to reopen it filled in."""
        labels = {f.id: f.label for f in form.fields} if form else {}
        lines = [FORM_ERRORS_INTRO]
        lines += [f"- **{escape(plain(labels.get(k, k)))}**: {escape(plain(v))}" for k, v in errors.items()]
        items: list[Any] = []
        if form is not None:
            token = self.adapter.remember_form(str(self.i.user.id), form, values)
            items.append(ReopenFormButton(token))
        else:
            lines.append(FORM_AGAIN)
        await self._send_private(DiscordMessage(content="\n".join(lines), items=items))

    async def private(self, text: str) -> None:
        await self._send_private(DiscordMessage(content=text))

    async def _send_private(self, message: DiscordMessage) -> None:
        if not self.i.response.is_done():
            await self.i.response.send_message(**message.send_kwargs(), ephemeral=True)
        elif self.thinking and not self.original_used:
            await self.i.edit_original_response(**message.edit_kwargs())
            self.original_used = True
        else:
            await self.i.followup.send(**message.send_kwargs(), ephemeral=True, wait=True)

    async def apologise(self, error_id: str) -> None:
        with contextlib.suppress(Exception):
            await self.private(something_went_wrong(error_id))


class ThreadAnswering:
    """Discord's primitives for answering a person's message in a thread a feature owns. A
    thread has no private answers, so `bot.respond` sends private ones to direct messages."""

    def __init__(self, adapter: DiscordAdapter, message: discord.Message) -> None:
        self.adapter = adapter
        self.message = message
        self.asker = str(message.author.id)
        self.private_here = False

    async def answer(self, reply: Reply, *, private: bool) -> None:
        for part in render(reply, announce_role_id=self.adapter.settings.discord_announce_role_id):
            await self.message.channel.send(**part.send_kwargs())

    async def defer(self) -> None:
        return None  # nobody is waiting on an interaction

    async def open_form(self, form: Form) -> None:
        await self.answer(Reply(blocks=[Text(text=no_form_here("Discord"))]), private=False)

    async def show_form_errors(self, form: Form | None, errors: dict[str, str], values: dict[str, str]) -> None:
        lines = [FORM_ERRORS_INTRO, *(f"- {error}" for error in errors.values()), FORM_AGAIN]
        await self.answer(Reply(blocks=[Text(text="\n".join(lines))]), private=False)

    async def post(self, target: Target, reply: Reply) -> str:
        return await self.adapter.send(target, reply)

    async def edit(self, reply: Reply) -> bool:
        return False  # the bot does not edit a person's message
