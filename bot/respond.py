"""The one place that turns a handler's replies into platform calls.

An adapter translates: it reads a platform's payload into a `Request` and offers a few
primitives for the person who asked (`bot.adapters.base.Answering`: answer, defer, open a form,
show form errors, post, edit the pressed message). What to do with each reply lives here:

- **Routing.** A reply with a form opens it; one aimed at a channel, thread or person is posted
  there; one that replaces the original edits the message that was pressed (where there is
  one); everything else answers the person, privately when the handler asked for privacy.
- **Fallbacks.** Where an answer cannot be private (a Discord thread), a private one goes to the
  person's direct messages, and only if they accept none is it answered where they asked.
- **Prompt removal.** A reply asking to remove the message that prompted it gets the sentence
  that is true once removal was tried (see `settle_prompt_removal`).
- **Slow answers.** `within` acknowledges a request that is taking longer than the platform
  waits (Discord: 3 s), then keeps waiting for the answer; `settled_within` is the same timer for
  a platform whose acknowledgement must be sent before a slow answer is ready (Slack's slash
  commands, which then answer through response_url).
- **Words.** The sentences people read when something needs explaining, said once.

Converted so far: the console, Slack's answers to a person, and Discord's interaction replies and
thread replies route through `deliver`; Discord's slow-answer timer is `within`, Slack's
slash commands' is `settled_within`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.adapters.base import Answering, DeliveryError, settle_prompt_removal
from core.model import Reply, Target, Visibility

log = logging.getLogger("sgbot.respond")

T = TypeVar("T")

# --- words people read ---------------------------------------------------------------------------

FORM_ERRORS_INTRO = "Nothing was saved yet. Please check:"
FORM_AGAIN = "Run the command again to fill in the form."
FORM_EXPIRED = "That form has expired. Run the command again to start a new one."
FORM_STILL_WRONG = "The form still has problems, so nothing was submitted. Run the command again to start over."
FORM_UNFINISHED = "The form was left unfinished, so nothing was submitted."
DONE = "Done."


def no_form_here(platform: str) -> str:
    """A form was asked for where the platform cannot open one (it needs a command or a button)."""
    return f"That step needs a form, which {platform} can only open from a command or a button. Run the command again."


def something_went_wrong(error_id: str) -> str:
    """What a person is told when the bot failed them: the same error id is in the log."""
    return (
        f"Sorry, something went wrong on our side (error id {error_id}). Please try again; if it "
        "keeps happening, give that id to your partnership's business unit."
    )


def could_not_post(reason: str) -> str:
    """A reply meant for a channel could not be posted there (the reason as the platform gave it)."""
    return (
        f"I couldn't post that message where it should go ({reason}). "
        "Check that the bot can see and post in that channel."
    )


# --- routing -------------------------------------------------------------------------------------


async def deliver(
    replies: list[Reply],
    answering: Answering,
    *,
    remove_prompt: Callable[[], Awaitable[bool]] | None = None,
    prompt_shown: bool = True,
    skip_empty: bool = False,
    failures: tuple[type[BaseException], ...] = (),
    failed: Callable[[BaseException], None] | None = None,
) -> None:
    """Send each reply the way it asks to be sent.

    `remove_prompt` tries to delete the person's message (None where the platform never lets the
    bot); `prompt_shown=False` where the prompt was never shown to others (a Discord slash command),
    so no sentence about it is added. With `skip_empty`, a reply to the person with no blocks is
    not sent. A reply that fails with one of `failures` is passed to `failed` and the rest still go.
    """
    for reply in replies:
        try:
            if prompt_shown:
                reply = await settle_prompt_removal(reply, remove_prompt)
            await _route(reply, answering, skip_empty=skip_empty)
        except failures as exc:
            if failed is None:
                raise
            failed(exc)


async def _route(reply: Reply, answering: Answering, *, skip_empty: bool) -> None:
    if reply.form is not None:
        await answering.open_form(reply.form)
    elif reply.target.kind != "respond":
        await answering.post(reply.target, reply)
    elif reply.replace_original and await answering.edit(reply):
        return
    elif reply.blocks or not skip_empty:
        private = reply.visibility is Visibility.EPHEMERAL
        if private and not answering.private_here:
            await _privately_elsewhere(reply, answering)
        else:
            await answering.answer(reply, private=private)


async def _privately_elsewhere(reply: Reply, answering: Answering) -> None:
    """Where nothing can be shown to one person alone (a Discord thread), a private answer goes to
    their direct messages; only when they accept none is it answered where they asked."""
    try:
        await answering.post(Target(kind="direct", user_id=answering.asker), reply)
        return
    except DeliveryError:
        pass
    await answering.answer(reply, private=False)


# --- slow answers --------------------------------------------------------------------------------


async def within(work: Awaitable[T], seconds: float, on_slow: Callable[[], Awaitable[None]]) -> T:
    """The result of `work`; when it takes longer than `seconds`, `on_slow` (a platform's
    acknowledgement, e.g. Discord's defer) runs first, and the work is never cancelled."""
    finished, task = await settled_within(work, seconds)
    if not finished:
        await on_slow()
    return await task


async def settled_within(work: Awaitable[T], seconds: float) -> tuple[bool, asyncio.Future[T]]:
    """Whether `work` finished within `seconds`, and the work itself, never cancelled. For a
    platform that must answer its request before the work ends when it is slow (Slack's slash
    command: the HTTP response is the acknowledgement), so the rest follows up later."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    return bool(done), task
