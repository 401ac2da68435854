"""Teams dialogs (forms): opened by a card button's `task/fetch` invoke, answered by `task/submit`.

Teams opens a dialog only in the answer to an invoke from a press ("Use dialogs with bots",
https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/task-modules/task-modules-bots:
an Adaptive Card's `Action.Submit` whose data holds `"msteams": {"type": "task/fetch"}` sends the
bot a `task/fetch` invoke carrying the rest of the button's data, and the invoke's HTTP answer is
the dialog). A task/fetch carries one of two things:

- a button's own action (render.DIALOG_ACTIONS, a survey post's "Add a comment"): the action runs
  for whoever pressed it, and the form it answers with is the dialog. Nothing is posted in anybody's
  chat, so no chat keeps a record of who opened which form (outside audit: a per-person "Your
  comment" card linked a named person to a private comment). What the action says privately instead
  of a form (the survey has closed) is the dialog's own message, which Teams does not keep either,
  and so is what the dialog's answer says privately;
- a signed form (forms.py) from the card a typed command was answered with: a command typed as text
  has no invoke to answer, so its form can only open from a card's button (adapter.py `_open_form`).

Anything else is not a press Teams makes: 400, and nothing runs.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot import respond
from bot.adapters.teams import inbound, render
from bot.adapters.teams.answering import transient_answer
from bot.adapters.teams.inbound import Origin
from bot.adapters.teams.sdk import InvokeResponse
from core.model import Buttons, File, Image, Reply, RequestKind, Select, Visibility

if TYPE_CHECKING:
    from bot.adapters.teams.adapter import TeamsAdapter

log = logging.getLogger("sgbot.teams")

FORM_REFUSED = "That form is not one I recognise any more. Run the command again to get a fresh one."
NOT_A_DIALOG = "That is not a dialog this bot opens."
ALREADY_ANSWERED = "That press was already answered. Close this and press the button again."


def said_in_dialog(reply: Reply) -> bool:
    """A private answer to the person that a dialog's own message shows instead of a chat: a
    transient one (answering.py), or any in text only (no buttons to press, no file) for the
    person who pressed, replacing nothing."""
    return transient_answer(reply) or (
        reply.visibility is Visibility.EPHEMERAL
        and reply.target.kind == "respond"
        and reply.form is None
        and not reply.replace_original
        and not any(isinstance(block, Buttons | Select | File | Image) for block in reply.blocks)
    )


def _message(replies: list[Reply]) -> dict[str, Any]:
    text = "\n\n".join(render.plain(r.all_text()) for r in replies).strip()
    return {"task": {"type": "message", "value": text or respond.DONE}}


def _data(activity: dict[str, Any]) -> dict[str, Any] | None:
    value = activity.get("value")
    data = value.get("data") if isinstance(value, dict) else None
    return data if isinstance(data, dict) else None


def _button_press(data: dict[str, Any]) -> tuple[str, str] | None:
    """(action id, value) of a button rendered to open its action's dialog, or None."""
    action_id, value = data.get(render.ACTION_KEY), data.get(render.VALUE_KEY, "")
    if not isinstance(action_id, str) or not isinstance(value, str) or action_id not in render.DIALOG_ACTIONS:
        return None
    return action_id, value


class Dialogs:
    """The adapter's task/fetch and task/submit invokes."""

    def __init__(self, adapter: TeamsAdapter) -> None:
        self.adapter = adapter

    async def open(self, activity: dict[str, Any]) -> dict[str, Any] | InvokeResponse[Any]:
        """task/fetch: the dialog for a pressed button, or for a signed form's card."""
        data = _data(activity)
        origin = inbound.origin_of(activity)
        if data is not None and render.FORM_KEY in data:
            found = self.adapter.forms.read(data, origin.user_id)
            if found is None:
                return {"task": {"type": "message", "value": FORM_REFUSED}}
            return render.dialog(found.form, hidden=data[render.FORM_KEY])
        press = _button_press(data) if data is not None else None
        if press is None or not origin.user_id:
            log.info("refused a Teams task/fetch that names no dialog")
            return InvokeResponse[Any](status=400, body={"error": NOT_A_DIALOG})
        return await self._pressed(origin, *press)

    async def _pressed(self, origin: Origin, action_id: str, value: str) -> dict[str, Any]:
        adapter = self.adapter
        request = await adapter._request(
            origin, RequestKind.ACTION, action_id=action_id, value=value, message_id=origin.reply_to_id
        )
        outcome = await adapter.runtime.dispatcher.handle(request)
        if outcome.duplicate:
            return {"task": {"type": "message", "value": ALREADY_ANSWERED}}
        replies = list(outcome.replies)
        form = next((r.form for r in replies if r.form is not None), None)
        if form is not None:
            await adapter._deliver([r for r in replies if r.form is None], origin)
            return render.dialog(form, hidden=adapter.forms.data(form, origin, pressed=True))
        said = [r for r in replies if said_in_dialog(r)]
        await adapter._deliver([r for r in replies if not said_in_dialog(r)], origin)
        return _message(said)

    async def submit(self, activity: dict[str, Any]) -> dict[str, Any] | None:
        """task/submit: the form's answer, with its errors shown in the dialog again."""
        adapter = self.adapter
        data = _data(activity)
        here = inbound.origin_of(activity)
        found = adapter.forms.read(data, here.user_id)  # only the person it was opened for may answer
        if found is None or data is None:
            return {"task": {"type": "message", "value": FORM_REFUSED}}
        form = found.form
        # Public answers go where the form was asked for; private ones to the person.
        origin = inbound.with_channel(
            Origin(**{**here.__dict__, "conversation_id": found.conversation_id, "kind": found.kind})
        )
        values = render.form_values(data, form)
        if bounds := form.out_of_bounds(values):  # the client composed the answer: held to the form here
            shown = {k: v[:200] if isinstance(v, str) else "" for k, v in values.items()}
            return render.dialog(form, shown, bounds, hidden=data[render.FORM_KEY])
        request = await adapter._request(
            origin, RequestKind.SUBMIT, action_id=form.action_id, value=form.value, form=values
        )
        outcome = await adapter.runtime.dispatcher.handle(request)
        if outcome.duplicate:
            return None
        if outcome.form_errors:
            shown = {k: v for k, v in values.items() if isinstance(v, str)}
            return render.dialog(form, shown, outcome.form_errors, hidden=data[render.FORM_KEY])
        replies = list(outcome.replies)
        if replies and replies[0].form is not None:  # a further step: the dialog shows it
            next_form = replies.pop(0).form
            assert next_form is not None
            await adapter._deliver(replies, origin)
            return render.dialog(next_form, hidden=adapter.forms.data(next_form, origin, pressed=found.pressed))
        # A dialog opened from a press left nothing in any chat, and its answer leaves nothing
        # either; one opened from a typed command's card says only transient answers here.
        in_dialog = said_in_dialog if found.pressed else transient_answer
        said = [r for r in replies if in_dialog(r)]
        await adapter._deliver([r for r in replies if not in_dialog(r)], origin)
        if said:  # in the closing dialog, never posted
            return _message(said)
        return None
