"""Answering the person who asked on Slack: in the acknowledgement's follow-up (response_url),
privately (chat.postEphemeral), in the channel, or in their direct messages; and forms as modals
(views.open), which Slack opens only in answer to a command or a click."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.base import DeliveryError
from bot.adapters.slack import render as render
from bot.adapters.slack.outbound import SlackPoster, message_of, slack_error
from bot.respond import FORM_ERRORS_INTRO, deliver, no_form_here
from core.model import Form, Reply, Target, Text, Visibility

log = logging.getLogger("sgbot.slack")

NO_FORM_HERE = no_form_here("Slack")
FORM_TOO_SLOW = "The form took too long to open. Please try again."
# chat.postEphemeral's errors where the answer can still go to the person's direct messages
EPHEMERAL_NOT_HERE = frozenset({"not_in_channel", "channel_not_found", "user_not_in_channel", "is_archived"})


@dataclass(frozen=True)
class Origin:
    """Where an interactive request came from, so its replies can go back there."""

    user_id: str
    channel_id: str = ""
    thread_ts: str | None = None
    trigger_id: str | None = None
    respond: Callable[..., Awaitable[Any]] | None = None  # response_url, when Slack gave one


def modal_for(form: Form, channel_id: str, thread_ts: str | None) -> dict[str, Any]:
    """A form as a modal that remembers where it was opened, for the replies to its submission."""
    return render.modal(form, metadata={"v": form.value, "c": channel_id, "t": thread_ts or ""})


class SlackAnswers:
    """Replies to one person's command, click, submission or thread message."""

    def __init__(self, client: AsyncWebClient, poster: SlackPoster) -> None:
        self.client = client
        self.poster = poster

    async def answer(self, replies: list[Reply], origin: Origin) -> None:
        # A bot token cannot delete a person's message, so the person is told how to (no remover).
        await deliver(
            replies,
            SlackAnswering(self.client, self.poster, origin),
            skip_empty=True,
            failures=(SlackClientError, DeliveryError, aiohttp.ClientError, TimeoutError),
            failed=_could_not_answer,
        )


def _could_not_answer(exc: BaseException) -> None:
    reason = exc.reason if isinstance(exc, DeliveryError) else slack_error(exc)
    log.warning("could not answer a Slack request: %s", reason)


class SlackAnswering:
    """Slack's primitives for answering one request (see `bot.adapters.base.Answering`)."""

    def __init__(self, client: AsyncWebClient, poster: SlackPoster, origin: Origin) -> None:
        self.client = client
        self.poster = poster
        self.origin = origin
        self.asker = origin.user_id
        self.private_here = True  # chat.postEphemeral, in a channel or a thread

    async def answer(self, reply: Reply, *, private: bool) -> None:
        origin = self.origin
        payload = await message_of(reply)
        if origin.respond is not None:
            result = await origin.respond(
                **payload,
                response_type="ephemeral" if private else "in_channel",
                replace_original=False,
                thread_ts=None if private else origin.thread_ts,
            )
            _check(result)
        elif not private and origin.channel_id:
            await self.poster.post(origin.channel_id, reply, origin.thread_ts)
        elif origin.channel_id:
            try:
                await self.client.chat_postEphemeral(
                    channel=origin.channel_id, user=origin.user_id, thread_ts=origin.thread_ts, **payload
                )
            except SlackApiError as exc:
                # A form sent from a channel the bot is not in, or from a direct message between
                # two people: Slack takes the command there but not the bot's private answer.
                if slack_error(exc) not in EPHEMERAL_NOT_HERE:
                    raise
                await self.poster.post(await self.poster.dm_channel(origin.user_id), reply)
        else:
            await self.poster.post(await self.poster.dm_channel(origin.user_id), reply)
        await self._upload(reply, private=private)

    async def edit(self, reply: Reply) -> bool:
        """Through response_url, the only way Slack lets an answer replace the pressed message."""
        if self.origin.respond is None or not reply.blocks:
            return False
        _check(await self.origin.respond(**(await message_of(reply)), replace_original=True))
        await self._upload(reply, private=reply.visibility is not Visibility.PUBLIC)
        return True

    async def _upload(self, reply: Reply, *, private: bool) -> None:
        if not render.uploads(reply):
            return
        if not private and self.origin.channel_id:
            await self.poster.upload(reply, self.origin.channel_id, self.origin.thread_ts)
        else:  # files cannot be ephemeral: they go to the person's direct messages
            await self.poster.upload(reply, await self.poster.dm_channel(self.origin.user_id), None)

    async def defer(self) -> None:
        return None  # the adapter acknowledges within Slack's 3 seconds itself

    async def open_form(self, form: Form) -> None:
        origin = self.origin
        if not origin.trigger_id:
            await self._say(NO_FORM_HERE)
            return
        try:
            await self.client.views_open(
                trigger_id=origin.trigger_id, view=modal_for(form, origin.channel_id, origin.thread_ts)
            )
        except SlackApiError as exc:
            log.warning("could not open a Slack modal: %s", exc.response.get("error"))
            await self._say(FORM_TOO_SLOW)

    async def show_form_errors(self, form: Form | None, errors: dict[str, str], values: dict[str, str]) -> None:
        """Errors outside a modal (inside one, the adapter answers the submission with them)."""
        labels = {f.id: f.label for f in form.fields} if form else {}
        lines = [FORM_ERRORS_INTRO, *(f"- **{labels.get(k, k)}**: {v}" for k, v in errors.items())]
        await self._say("\n".join(lines))

    async def post(self, target: Target, reply: Reply) -> str:
        return await self.poster.send(target, reply)

    async def _say(self, text: str) -> None:
        said = Reply(blocks=[Text(text=text)])
        await self.answer(said, private=said.visibility is Visibility.EPHEMERAL)


def _check(result: Any) -> None:
    if getattr(result, "status_code", 200) != 200:
        log.warning("Slack's response_url refused a reply (HTTP %s)", result.status_code)
