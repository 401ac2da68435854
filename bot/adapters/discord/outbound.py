"""Posting to Discord: a channel, a thread (started under its message when missing), a person's
direct messages, or an edit of the bot's own earlier post. Failures become `DeliveryError`s
that say whether retrying can help."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from typing import Any, TypedDict

import aiohttp
import discord

from bot.adapters.base import DeliveryError, edited_message, is_edit
from bot.adapters.discord.render import render
from bot.adapters.discord.text import clip, plain
from core.config import Settings
from core.model import Reply, Target

log = logging.getLogger("sgbot.discord")

THREAD_NAME = 100
THREAD_ALREADY_EXISTS = 160004
THREAD_ARCHIVED = 50083  # https://discord.com/developers/docs/topics/opcodes-and-status-codes#json


class DiscordPoster:
    """Sends rendered replies with a logged-in client."""

    def __init__(self, client: discord.Client, settings: Settings) -> None:
        self.client = client
        self.settings = settings

    async def send(self, target: Target, reply: Reply, *, key: str | None = None, redelivery: bool = False) -> str:
        """Post to a channel, a thread (created under its message if need be) or a user; the
        first message's id. 429s are retried by discord.py; a final failure is a DeliveryError.

        With an outbox `key` each message carries a nonce made from it, which discord.py 2.7
        sends with enforce_nonce: Discord answers a repeat within a few minutes with the
        message it already has instead of posting again (so `redelivery` needs nothing more)."""
        messages = render(reply, announce_role_id=self.settings.discord_announce_role_id)
        try:
            if is_edit(target, reply):  # https://discord.com/developers/docs/resources/message#edit-message
                return await self._edit(target, messages[0].edit_kwargs())
            destination = await self._destination(target, reply)
            ids = [
                str((await destination.send(**m.send_kwargs(), **_nonce(key, n))).id) for n, m in enumerate(messages)
            ]
        except discord.RateLimited as exc:
            raise DeliveryError("Discord asked us to slow down", retry_after=exc.retry_after) from None
        except discord.HTTPException as exc:
            raise _delivery_error(exc) from None
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise DeliveryError(f"could not reach Discord ({type(exc).__name__})") from None
        return ids[0]

    async def _edit(self, target: Target, changes: dict[str, Any]) -> str:
        edited = edited_message(target)
        channel = await self._edited_channel(target)
        try:
            await channel.get_partial_message(_snowflake(edited, "message")).edit(**changes)
        except discord.HTTPException as exc:
            if exc.code != THREAD_ARCHIVED or target.kind != "thread" or not target.message_id:
                raise
            # Nothing in an archived thread can be edited; a member, as the bot that started it
            # is, may unarchive it (https://discord.com/developers/docs/topics/threads, "Active &
            # Archived Threads"). It archives itself again once quiet.
            await self.client.http.edit_channel(_snowflake(target.thread_id, "thread"), archived=False)
            await channel.get_partial_message(_snowflake(edited, "message")).edit(**changes)
        return edited

    async def _edited_channel(self, target: Target) -> discord.PartialMessageable | discord.DMChannel:
        """Where the message an edit replaces lives: the person's direct messages; a thread,
        whose channel id is the id of the message it was started from; or the channel."""
        if target.kind == "direct":
            return await self.client.create_dm(discord.Object(_snowflake(target.user_id, "user")))
        if target.message_id:
            return self.client.get_partial_messageable(_snowflake(target.thread_id, "thread"))
        return self.client.get_partial_messageable(_snowflake(target.channel_id, "channel"))

    async def _destination(self, target: Target, reply: Reply) -> discord.abc.Messageable:
        if target.kind == "direct":
            if not target.user_id:
                raise DeliveryError("a direct message needs a user id", permanent=True)
            return await self.client.create_dm(discord.Object(_snowflake(target.user_id, "user")))
        if target.kind == "thread" and target.thread_id:
            return await self._thread(target, reply)
        if not target.channel_id:
            raise DeliveryError("no channel to post to", permanent=True)
        return self.client.get_partial_messageable(_snowflake(target.channel_id, "channel"))

    async def _thread(self, target: Target, reply: Reply) -> discord.abc.Messageable:
        """On Discord a thread started from a message has that message's id as its channel id."""
        assert target.thread_id is not None
        thread_id = _snowflake(target.thread_id, "thread")
        cached = self.client.get_channel(thread_id)
        if cached is not None:
            return cached  # type: ignore[return-value]
        if not target.channel_id:
            return self.client.get_partial_messageable(thread_id)
        parent_id = _snowflake(target.channel_id, "channel")
        parent = self.client.get_channel(parent_id) or await self.client.fetch_channel(parent_id)
        if not isinstance(parent, discord.TextChannel):
            raise DeliveryError("threads can only be started in text or announcement channels", permanent=True)
        name = clip(plain(reply.fallback_text()), THREAD_NAME)
        try:
            return await parent.get_partial_message(thread_id).create_thread(name=name)
        except discord.HTTPException as exc:
            if exc.code != THREAD_ALREADY_EXISTS:
                raise
            return self.client.get_partial_messageable(thread_id)


def _snowflake(value: str | None, what: str) -> int:
    """A Discord id as the number Discord wants. Anything else (a channel name such as `training`,
    kept by a version that read names) can never be posted to, so it fails for good, said once in
    the log, instead of being tried again for ever."""
    text = str(value or "")
    if text.isascii() and text.isdigit():
        return int(text)
    shown = clip(plain(text), 40)
    log.warning(
        "Discord %s id %r is not a number, so this post can never go out; name Discord channels by id "
        "(discord:123456789012345678) or pick them from the list as you type #",
        what,
        shown,
    )
    raise DeliveryError(f"the Discord {what} id {shown!r} is not a number", permanent=True)


class _Nonce(TypedDict, total=False):
    nonce: str


def _nonce(key: str | None, part: int) -> _Nonce:
    """A nonce from an outbox key and the message's place in the reply: Discord allows 25
    characters (https://discord.com/developers/docs/resources/message#create-message)."""
    if key is None:
        return {}
    return {"nonce": hashlib.sha256(f"{key}\n{part}".encode()).hexdigest()[:25]}


def _delivery_error(exc: discord.HTTPException) -> DeliveryError:
    reason = f"Discord answered {exc.status}" + (f" ({exc.code}: {exc.text})" if exc.text else "")
    if isinstance(exc, discord.Forbidden | discord.NotFound) or (400 <= exc.status < 500 and exc.status != 429):
        return DeliveryError(reason, permanent=True)  # missing access, gone, or a payload Discord refuses
    retry_after = None
    if exc.status == 429 and exc.response is not None:
        with contextlib.suppress(TypeError, ValueError):
            retry_after = float(exc.response.headers.get("Retry-After", ""))
    return DeliveryError(reason, retry_after=retry_after)
