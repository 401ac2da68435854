"""Answering one Discord interaction: the first message as its response, the rest as follow-ups.

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
from core.model import Form, Reply, Request, Visibility

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
        for reply in replies:
            if reply.form is not None:
                await self.open_form(reply.form)
            elif reply.target.kind != "respond":
                await self.post_elsewhere(reply)
            else:
                await self.respond(reply)
        if not self.i.response.is_done():
            if self.is_component:
                await self.i.response.defer()
            else:
                await self.i.response.send_message("Done.", ephemeral=True)
        elif self.thinking and not self.original_used:
            await self.i.delete_original_response()

    async def respond(self, reply: Reply) -> None:
        ephemeral = reply.visibility is Visibility.EPHEMERAL
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

    async def post_elsewhere(self, reply: Reply) -> None:
        try:
            await self.adapter.send(reply.target, reply)
        except DeliveryError as exc:
            log.warning("could not post a reply to its target: %s", exc.reason)
            await self.private(
                "I couldn't post that message where it should go (Discord said: "
                f"{escape(exc.reason)}). Check that the bot can see and post in that channel."
            )

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

    async def form_errors(self, request: Request, errors: dict[str, str]) -> None:
        """Discord cannot show errors inside a modal: list them, with a button to reopen it filled in."""
        form = self.adapter.form_for(request.action_id, request.value, request.user_id)
        labels = {f.id: f.label for f in form.fields} if form else {}
        lines = ["Nothing was saved yet. Please check:"]
        lines += [f"- **{escape(plain(labels.get(k, k)))}**: {escape(plain(v))}" for k, v in errors.items()]
        items: list[Any] = []
        if form is not None:
            token = self.adapter.remember_form(request.user_id, form, dict(request.form))
            items.append(ReopenFormButton(token))
        else:
            lines.append("Run the command again to fill in the form.")
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
            await self.private(
                f"Sorry, something went wrong on our side (error id {error_id}). Please try again; if it "
                "keeps happening, give that id to your partnership's business unit."
            )
