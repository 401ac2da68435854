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

from bot.adapters.base import DeliveryError, settle_prompt_removal
from bot.adapters.slack import render as render
from bot.adapters.slack.outbound import SlackPoster, slack_error
from core.model import Form, Reply, Text, Visibility

log = logging.getLogger("sgbot.slack")

NO_FORM_HERE = "That step needs a form, which Slack can only open from a command or a button. Run the command again."
FORM_TOO_SLOW = "The form took too long to open. Please try again."


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
        for reply in replies:
            # A bot token cannot delete a person's message, so the person is told how to.
            reply = await settle_prompt_removal(reply, None)
            try:
                if reply.form is not None:
                    await self.open_form(reply.form, origin)
                elif reply.target.kind != "respond":
                    await self.poster.send(reply.target, reply)
                elif reply.blocks:
                    await self.respond(reply, origin)
            except (SlackClientError, DeliveryError, aiohttp.ClientError, TimeoutError) as exc:
                reason = exc.reason if isinstance(exc, DeliveryError) else slack_error(exc)
                log.warning("could not answer a Slack request: %s", reason)

    async def respond(self, reply: Reply, origin: Origin) -> None:
        public = reply.visibility is Visibility.PUBLIC
        payload = render.message(reply)
        if origin.respond is not None:
            if reply.replace_original:
                result = await origin.respond(**payload, replace_original=True)
            else:
                result = await origin.respond(
                    **payload,
                    response_type="in_channel" if public else "ephemeral",
                    replace_original=False,
                    thread_ts=origin.thread_ts if public else None,
                )
            if getattr(result, "status_code", 200) != 200:
                log.warning("Slack's response_url refused a reply (HTTP %s)", result.status_code)
        elif public and origin.channel_id:
            await self.poster.post(origin.channel_id, reply, origin.thread_ts)
        elif origin.channel_id:
            await self.client.chat_postEphemeral(
                channel=origin.channel_id, user=origin.user_id, thread_ts=origin.thread_ts, **payload
            )
        else:
            await self.poster.post(await self.poster.dm_channel(origin.user_id), reply)
        if render.uploads(reply):
            if public and origin.channel_id:
                await self.poster.upload(reply, origin.channel_id, origin.thread_ts)
            else:  # files cannot be ephemeral: they go to the person's direct messages
                await self.poster.upload(reply, await self.poster.dm_channel(origin.user_id), None)

    async def open_form(self, form: Form, origin: Origin) -> None:
        if not origin.trigger_id:
            await self.respond(Reply(blocks=[Text(text=NO_FORM_HERE)]), origin)
            return
        try:
            await self.client.views_open(
                trigger_id=origin.trigger_id, view=modal_for(form, origin.channel_id, origin.thread_ts)
            )
        except SlackApiError as exc:
            log.warning("could not open a Slack modal: %s", exc.response.get("error"))
            await self.respond(Reply(blocks=[Text(text=FORM_TOO_SLOW)]), origin)
