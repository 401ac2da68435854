"""How one Teams request's replies reach people (the primitives bot.respond routes them to).

Teams has no message shown to one person for a moment: a private answer goes to the person's
personal chat with the bot, where the tenant keeps it as long as it keeps messages and eDiscovery
can read it. So a transient private answer (`Reply.transient`: what someone answered in
confidence) is never posted whole (outside audit conf3 #1): after a dialog it is the dialog's own
closing message (task/submit's "message" response, which Teams does not keep, see
dialogs.py); anywhere else only its summary, which states none of it.

A form opens as a dialog in the answer to the press that asked for it (dialogs.py). Only a typed
command's form, which has no invoke to answer, comes as a card in the person's personal chat whose
button opens it. A form asked for by a press that is no dialog's (a plain button on a card posted
before its action opened dialogs) gets no such card either: it would tell the tenant who pressed
what (a survey's "Add a comment"). Nothing is posted, and the log names only the form's action.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot import respond
from bot.adapters.teams.inbound import Origin
from core.model import Form, Reply, Target, Text, Visibility

if TYPE_CHECKING:
    from bot.adapters.teams.adapter import TeamsAdapter

log = logging.getLogger("sgbot.teams")


def transient_answer(reply: Reply) -> bool:
    """A private answer to the person that must not outlast the moment (`Reply.transient`)."""
    return (
        reply.transient
        and reply.visibility is Visibility.EPHEMERAL
        and reply.target.kind == "respond"
        and reply.form is None
        and not reply.replace_original
    )


def _kept(reply: Reply) -> Reply:
    """What a chat may keep of a transient answer: its summary, which states none of it."""
    return Reply(blocks=[Text(text=reply.summary or respond.DONE)], summary=reply.summary)


class Answering:
    """The primitives bot.respond routes one request's replies to. Teams has no message shown to
    one person in a chat or channel, so a private answer goes to the person's personal chat with
    the bot (`private_here` is true: the adapter keeps it private itself, and never falls back to
    answering in the channel)."""

    private_here = True

    def __init__(
        self, adapter: TeamsAdapter, origin: Origin, *, typed: bool = False, pressed: str | None = None
    ) -> None:
        self.adapter = adapter
        self.origin = origin
        self.asker = origin.user_id
        self.typed = typed  # the request is text the person typed (a command), not a press
        self.pressed = pressed  # the action id of the button pressed, for a press

    async def answer(self, reply: Reply, *, private: bool) -> None:
        poster, origin = self.adapter.poster, self.origin
        if private and transient_answer(reply):
            reply = _kept(reply)  # every private answer here is a lasting chat message
        if private and not origin.is_personal:
            await poster.post(await self.adapter._private_chat(origin), reply)
            return
        ref = await poster.reference(origin.conversation_id)
        await poster.post(ref, reply, conversation_id=origin.conversation_id, asker=origin.user_id)

    async def defer(self) -> None:
        """Teams waits for the whole answer to an activity (up to 15 s): nothing to say early."""

    async def open_form(self, form: Form) -> None:
        if self.typed:
            await self.adapter._open_form(form, self.origin)
            return
        # The action id only: who pressed is exactly what must not be kept.
        log.info("a press of a card not rendered for a dialog asked for form %s: nothing posted", form.action_id)

    async def show_form_errors(self, form: Form | None, errors: dict[str, str], values: dict[str, str]) -> None:
        """Dialogs show their errors in the dialog (dialogs.py); anywhere else, privately."""
        lines = [respond.FORM_ERRORS_INTRO, *(f"- {field}: {error}" for field, error in errors.items())]
        await self.answer(Reply(blocks=[Text(text="\n".join(lines))]), private=True)

    async def post(self, target: Target, reply: Reply) -> str:
        return await self.adapter.send(target, reply)

    async def edit(self, reply: Reply) -> bool:
        """Update the pressed card in place, unless that would show a private answer to the chat."""
        origin = self.origin
        if not origin.reply_to_id or not self.adapter._may_show_here(reply, origin):
            return False
        if not await self.adapter.pressed_on_our_card(origin, self.pressed):
            return False
        ref = await self.adapter.poster.reference(origin.conversation_id)
        await self.adapter.poster.edit(ref, origin.conversation_id, origin.reply_to_id, reply)
        return True
