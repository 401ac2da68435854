"""Posting to Slack: the delivery worker's way out, and the adapter's for anything not an answer.

chat.postMessage (paced per channel and across the workspace, 429s retried by the client),
chat.postEphemeral, chat.update for an edit of the bot's own post, conversations.open for
direct messages and files_upload_v2 for files and local images. A post from the outbox carries
its key in message metadata, so a redelivery finds the earlier post instead of posting twice.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.base import DeliveryError, is_edit
from bot.adapters.slack import render as render
from bot.adapters.slack.web import Pacer, delivery_error
from core.model import File, Reply, Target, Visibility

log = logging.getLogger("sgbot.slack")

# Message metadata naming the outbox row a post came from (https://api.slack.com/metadata/using;
# read back with conversations.history include_all_metadata,
# https://api.slack.com/methods/conversations.history#arg_include_all_metadata).
OUTBOX_EVENT = "sgbot_outbox"
OUTBOX_LOOKBACK = 200  # recent messages searched on a redelivery


def outbox_metadata(key: str) -> dict[str, Any]:
    return {"event_type": OUTBOX_EVENT, "event_payload": {"key": key}}


def slack_error(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
    return type(exc).__name__


class SlackPoster:
    """Posts, edits, direct messages and uploads through one Web API client."""

    def __init__(self, client: AsyncWebClient, *, channel_pacer: Pacer, workspace_pacer: Pacer) -> None:
        self.client = client
        self.channel_pacer = channel_pacer
        self.workspace_pacer = workspace_pacer
        self._dm_channels: dict[str, str] = {}

    async def send(self, target: Target, reply: Reply, *, key: str | None = None, redelivery: bool = False) -> str:
        """Post to a channel, a thread or a person; return the message's ts.

        An ephemeral reply with both a channel and a user is shown to that user only. With an
        outbox `key` the post carries it in its metadata; on a `redelivery` (an earlier claim
        ran out, perhaps after posting) the conversation is searched for it first, and a
        message found there is the answer instead of a second post."""
        if reply.form is not None:
            raise DeliveryError("a form can only be opened by someone's click, not posted", permanent=True)
        try:
            if is_edit(target, reply):  # https://api.slack.com/methods/chat.update
                async with self.channel_pacer.turn(str(target.channel_id)), self.workspace_pacer.turn("workspace"):
                    await self.client.chat_update(
                        channel=str(target.channel_id), ts=str(target.thread_id), **render.message(reply)
                    )
                return str(target.thread_id)
            if target.kind == "direct":
                if not target.user_id:
                    raise DeliveryError("a direct message needs a user id", permanent=True)
                channel, thread = await self.dm_channel(target.user_id), None
            elif target.kind in ("channel", "thread") and target.channel_id:
                channel = target.channel_id
                thread = target.thread_id if target.kind == "thread" else None
            else:
                raise DeliveryError(f"a {target.kind} post needs a channel id", permanent=True)
            if reply.visibility is Visibility.EPHEMERAL and target.user_id and target.kind != "direct":
                result = await self.client.chat_postEphemeral(
                    channel=channel, user=target.user_id, thread_ts=thread, **render.message(reply)
                )
                ts = str(result["message_ts"])
                files_channel, files_thread = await self.dm_channel(target.user_id), None
            else:
                found = await self.posted_before(channel, thread, key) if key and redelivery else None
                if found is not None:
                    return found  # posted by the earlier claim; its files went with it or not at all
                ts = await self.post(channel, reply, thread, key=key)
                files_channel, files_thread = channel, thread
            if render.uploads(reply):
                await self.upload(reply, files_channel, files_thread)
            return ts
        except SlackApiError as exc:
            raise delivery_error(exc) from None
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"Slack could not be reached: {slack_error(exc)}") from None

    async def post(self, channel: str, reply: Reply, thread_ts: str | None = None, *, key: str | None = None) -> str:
        metadata = outbox_metadata(key) if key else None  # slack_sdk leaves None arguments out
        async with self.channel_pacer.turn(channel), self.workspace_pacer.turn("workspace"):
            result = await self.client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, metadata=metadata, **render.message(reply)
            )
        return str(result["ts"])

    async def posted_before(self, channel: str, thread_ts: str | None, key: str) -> str | None:
        """The ts of a recent message in this conversation carrying this outbox key, if any."""
        try:
            if thread_ts:
                result = await self.client.conversations_replies(
                    channel=channel, ts=thread_ts, include_all_metadata=True, limit=OUTBOX_LOOKBACK
                )
            else:
                result = await self.client.conversations_history(
                    channel=channel, include_all_metadata=True, limit=OUTBOX_LOOKBACK
                )
        except SlackApiError as exc:
            if exc.response.status_code == 429:
                raise
            # Without the history scope we cannot look: posting again is better than never.
            log.warning("could not read recent messages to avoid a repeat: %s", exc.response.get("error"))
            return None
        for message in result.get("messages") or []:
            meta = message.get("metadata") or {}
            if meta.get("event_type") == OUTBOX_EVENT and (meta.get("event_payload") or {}).get("key") == key:
                return str(message["ts"])
        return None

    async def dm_channel(self, user_id: str) -> str:
        if user_id not in self._dm_channels:
            result = await self.client.conversations_open(users=user_id)
            self._dm_channels[user_id] = str(result["channel"]["id"])
        return self._dm_channels[user_id]

    async def upload(self, reply: Reply, channel: str, thread_ts: str | None) -> None:
        for item in render.uploads(reply):
            if isinstance(item, File):
                await self.client.files_upload_v2(
                    channel=channel,
                    thread_ts=thread_ts,
                    content=item.content,
                    filename=item.filename,
                    title=item.filename,
                )
            else:
                assert item.path is not None
                await self.client.files_upload_v2(
                    channel=channel,
                    thread_ts=thread_ts,
                    file=item.path,
                    filename=os.path.basename(item.path),
                    title=item.alt,
                    alt_txt=item.alt,
                )
