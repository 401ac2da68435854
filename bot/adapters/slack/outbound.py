"""Posting to Slack: the delivery worker's way out, and the adapter's for anything not an answer.

chat.postMessage (paced per channel and across the workspace, 429s retried by the client),
chat.postEphemeral, chat.update for an edit of the bot's own post, conversations.open for
direct messages and files_upload_v2 for files and local images. A post from the outbox carries
its key in message metadata, so a redelivery finds the earlier post instead of posting twice.
A post longer than one message (50 blocks) goes out as consecutive messages, each carrying the
key and its part number, so a redelivery posts only the parts not already there.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from typing import Any, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.base import DeliveryError, edited_message, is_edit
from bot.adapters.slack import render as render
from bot.adapters.slack.web import Pacer, delivery_error
from core.model import File, Reply, Target, Visibility

log = logging.getLogger("sgbot.slack")
T = TypeVar("T")

# Message metadata naming the outbox row a post came from (https://api.slack.com/metadata/using;
# read back with conversations.history include_all_metadata,
# https://api.slack.com/methods/conversations.history#arg_include_all_metadata).
OUTBOX_EVENT = "sgbot_outbox"
OUTBOX_LOOKBACK = 200  # recent messages searched on a redelivery


def outbox_metadata(key: str, part: int = 1, parts: int = 1) -> dict[str, Any]:
    """A post in one message carries its key alone, as before posts were split; part numbers
    count from 1."""
    payload: dict[str, Any] = {"key": key} if parts == 1 else {"key": key, "part": part, "parts": parts}
    return {"event_type": OUTBOX_EVENT, "event_payload": payload}


def _part(payload: dict[str, Any]) -> int | None:
    """The part number in a found post's metadata: 1 without one (a post in one message)."""
    try:
        return int(payload.get("part", 1))
    except (TypeError, ValueError):
        return None


def slack_error(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
    return type(exc).__name__


# A post this long is rendered in a thread: an outside audit's 96 KB bulletin of link-like text
# took 1.2-1.9 s to split into messages, on the loop, for every channel it went to. The thread
# shares the GIL, but the loop gets its turn every few milliseconds.
RENDER_ASIDE_CHARS = 20_000


async def _rendered(how: Callable[[Reply], T], reply: Reply) -> T:
    if len(reply.all_text()) < RENDER_ASIDE_CHARS:
        return how(reply)
    return await asyncio.to_thread(how, reply)


async def messages_of(reply: Reply) -> list[dict[str, Any]]:
    """A post in as many messages as it needs."""
    return await _rendered(render.messages, reply)


async def message_of(reply: Reply) -> dict[str, Any]:
    """One message (an edit, or one person's shortened answer)."""
    return await _rendered(render.message, reply)


class SlackPoster:
    """Posts, edits, direct messages and uploads through one Web API client."""

    def __init__(self, client: AsyncWebClient, *, channel_pacer: Pacer, workspace_pacer: Pacer) -> None:
        self.client = client
        self.channel_pacer = channel_pacer
        self.workspace_pacer = workspace_pacer
        self._dm_channels: dict[str, str] = {}

    async def send(self, target: Target, reply: Reply, *, key: str | None = None, redelivery: bool = False) -> str:
        """Post to a channel, a thread or a person; return the message's ts (the first one's,
        for a post in several messages).

        An ephemeral reply with both a channel and a user is shown to that user only. With an
        outbox `key` each message of the post carries it in its metadata; on a `redelivery` (an
        earlier claim ran out, perhaps after posting) the conversation is searched for it
        first, and only the messages not found there are posted."""
        if reply.form is not None:
            raise DeliveryError("a form can only be opened by someone's click, not posted", permanent=True)
        try:
            if is_edit(target, reply):  # https://api.slack.com/methods/chat.update
                edited = edited_message(target)
                direct = target.kind == "direct"
                where = await self.dm_channel(str(target.user_id)) if direct else str(target.channel_id)
                async with self.channel_pacer.turn(where), self.workspace_pacer.turn("workspace"):
                    await self.client.chat_update(channel=where, ts=edited, **(await message_of(reply)))
                return edited
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
                    channel=channel, user=target.user_id, thread_ts=thread, **(await message_of(reply))
                )
                ts = str(result["message_ts"])
                files_channel, files_thread = await self.dm_channel(target.user_id), None
            else:
                payloads = await messages_of(reply)
                found = await self.posted_before(channel, thread, key) if key and redelivery else {}
                if all(part in found for part in range(1, len(payloads) + 1)):
                    return found[1]  # posted by the earlier claim; its files went with it or not at all
                if found:
                    log.info("an earlier claim posted %d of %d parts; posting the rest", len(found), len(payloads))
                ts = await self._post_parts(channel, payloads, thread, key=key, found=found)
                files_channel, files_thread = channel, thread
            if render.uploads(reply):
                await self.upload(reply, files_channel, files_thread)
            return ts
        except SlackApiError as exc:
            raise delivery_error(exc) from None
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"Slack could not be reached: {slack_error(exc)}") from None

    async def post(self, channel: str, reply: Reply, thread_ts: str | None = None, *, key: str | None = None) -> str:
        """Post all of the reply, in as many messages as it needs; the first one's ts."""
        return await self._post_parts(channel, await messages_of(reply), thread_ts, key=key, found={})

    async def _post_parts(
        self,
        channel: str,
        payloads: list[dict[str, Any]],
        thread_ts: str | None,
        *,
        key: str | None,
        found: dict[int, str],
    ) -> str:
        """Post each part not in `found`, in order, each after the one before was accepted (so
        the parts an interrupted claim left in the conversation are always the first ones)."""
        posted = dict(found)
        for part, payload in enumerate(payloads, 1):
            if part in posted:
                continue
            # slack_sdk leaves None arguments out
            metadata = outbox_metadata(key, part, len(payloads)) if key else None
            async with self.channel_pacer.turn(channel), self.workspace_pacer.turn("workspace"):
                result = await self.client.chat_postMessage(
                    channel=channel, thread_ts=thread_ts, metadata=metadata, **payload
                )
            posted[part] = str(result["ts"])
        return posted[1]

    async def posted_before(self, channel: str, thread_ts: str | None, key: str) -> dict[int, str]:
        """Part number -> ts of the recent messages in this conversation carrying this outbox
        key (part 1 alone for a post in one message); empty when none is found."""
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
            return {}
        found: dict[int, str] = {}
        for message in result.get("messages") or []:
            meta = message.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if meta.get("event_type") == OUTBOX_EVENT and payload.get("key") == key:
                part = _part(payload)
                if part is not None:
                    found.setdefault(part, str(message["ts"]))
        return found

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
