"""Posting to Teams through the Bot Connector, with the SDK's API client and stored references.

- post:   POST /v3/conversations/{id}/activities (a thread: the id with ";messageid=<root>");
- edit:   PUT  /v3/conversations/{id}/activities/{activityId} (a pressed card, updated in place);
- a person's personal chat: the stored reference, else POST /v3/conversations to open one
  (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages),
  which is then stored for every replica.
References are read through a bounded in-process cache, written through whenever this process
learns one. Another replica may learn a newer service URL first: a post that fails through a
cached reference reads it again from the database and, when it changed, tries once more.
Failures become `DeliveryError`s: a 4xx other than 429 is permanent, anything else is retried.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import mimetypes
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import httpcore
import httpx

from bot.adapters.base import DeliveryError
from bot.adapters.teams import render
from bot.adapters.teams.files import NOT_HERE, SENT_TO_PERSONAL, FileOffers
from bot.adapters.teams.inbound import ID_LIMITS, fits
from bot.adapters.teams.sdk import ApiClient, CreateConversationParams, MessageActivityInput
from bot.adapters.teams.server import BOT_CONNECTOR_TIMEOUT, TokenUnavailable
from bot.adapters.teams.service_urls import AddressRefused, ServiceUrls
from core.clock import Clock
from core.config import Settings
from core.lru import Lru
from core.model import Buttons, File, Image, Reply
from storage import teams
from storage.db import Database
from storage.teams import PERSONAL, ConversationRef

log = logging.getLogger("sgbot.teams")

INLINE_FILE_BYTES = 1024 * 1024  # an inline (base64) attachment beyond this is refused by Teams
SERVICE_URL_REFUSED = "the conversation's Teams service URL is not one the bot calls"
CACHED_REFERENCES = 5_000  # conversations (and people's personal chats) kept in memory, most recent

T = TypeVar("T")


class Poster:
    def __init__(
        self,
        api: ApiClient,
        db: Database,
        clock: Clock,
        settings: Settings,
        default_service_url: str,
        service_urls: ServiceUrls | None = None,
    ) -> None:
        self.api = api
        self.db = db
        self.clock = clock
        self.app_id = settings.teams_app_id or ""
        self.tenant_id = settings.teams_tenant_id or None
        self.default_service_url = default_service_url
        self.service_urls = service_urls or ServiceUrls(settings.teams_allow_service_hosts)
        self._clients: dict[str, ApiClient] = {}
        self._refs = Lru[str, ConversationRef](CACHED_REFERENCES)  # conversation id (no ";messageid=") -> reference
        self._personal = Lru[str, ConversationRef](CACHED_REFERENCES)  # person's Teams id -> their personal chat
        self.files = FileOffers(self)  # files waiting for a person's consent (files.py)
        # (conversation, message id) -> the action ids of the buttons on a card this process posted
        # or edited there: which message a press may update in place (adapter.pressed_on_our_card)
        self.cards = Lru[tuple[str, str], frozenset[str]](CACHED_REFERENCES)

    async def client(self, service_url: str) -> ApiClient:
        """The API client for a service URL, once the URL has passed the address rule (service_urls.py):
        the bot's token goes only to public https hosts, whatever an activity or a stored row says."""
        try:
            await self.service_urls.check(service_url)
        except AddressRefused as refused:
            log.warning("refused to call a Teams service URL: %s", refused)
            raise DeliveryError(SERVICE_URL_REFUSED, permanent=True) from None
        except httpcore.ConnectError as exc:  # the host could not be resolved just now
            raise DeliveryError(f"could not reach Teams ({type(exc).__name__})") from None
        if service_url not in self._clients:
            self._clients[service_url] = self.api.from_service_url(service_url)
        return self._clients[service_url]

    # --- references ---------------------------------------------------------------------------

    def learned(self, ref: ConversationRef) -> None:
        """Write-through: this process stored `ref` (it is the newest there is). Fields the
        activity left out keep what was known, as the stored row does (storage.teams.remember)."""
        known = self._refs.get(ref.conversation_id)
        if known is not None:
            ref = replace(ref, **{k: v for k, v in known.__dict__.items() if getattr(ref, k) is None})
        self._refs.keep(ref.conversation_id, ref)
        if ref.kind == PERSONAL and ref.user_id:
            self._personal.keep(ref.user_id, ref)

    def cached(self, conversation_id: str) -> ConversationRef | None:
        return self._refs.recall(conversation_id)

    def forgot(self, conversation_id: str) -> None:
        gone = self._refs.pop(conversation_id, None)
        if gone is not None and gone.user_id:
            self._personal.pop(gone.user_id, None)

    async def reference(self, conversation_id: str) -> ConversationRef:
        """The stored reference for a conversation (a thread's channel), or one made from any
        reference in the tenant: a bot in a team may post to any of its channels."""
        base = conversation_id.partition(";messageid=")[0]
        cached = self._refs.recall(base)
        if cached is not None:
            return cached
        async with self.db.transaction() as tx:
            found = await teams.find(tx, base)
            if found is not None:
                self.learned(found)
                return found
            found = await teams.any_in_tenant(tx, self.tenant_id)
        if found is not None:
            # Only the way in is borrowed (service URL, bot, tenant): the conversation is this one,
            # a channel of the team, not the other reference's chat or person.
            return ConversationRef(base, found.service_url, found.bot_id, teams.CHANNEL, found.tenant_id)
        return ConversationRef(base, self.default_service_url, f"28:{self.app_id}", teams.CHANNEL, self.tenant_id)

    async def _reread(self, ref: ConversationRef) -> ConversationRef | None:
        """The stored reference again, when it differs from the one a failed post used."""
        async with self.db.transaction() as tx:
            found = await teams.find(tx, ref.conversation_id)
        if found is None:
            self.forgot(ref.conversation_id)
            return None
        self.learned(found)
        return found if (found.service_url, found.bot_id) != (ref.service_url, ref.bot_id) else None

    async def _through(self, ref: ConversationRef, attempt: Callable[[ConversationRef], Awaitable[T]]) -> T:
        """Run `attempt` with the reference; if it fails and another replica has since stored a
        newer one (Teams moved the conversation to another service URL), once more with that."""
        try:
            return await attempt(ref)
        except DeliveryError:
            fresh = await self._reread(ref)
            if fresh is None:
                raise
            log.info("a Teams conversation moved to another service URL; posting through the new one")
            return await attempt(fresh)

    async def personal_chat(self, user_id: str, *, hint: ConversationRef | None = None) -> ConversationRef:
        """The person's personal chat with the bot, opened (and stored) if the bot has none yet."""
        if not fits(user_id, ID_LIMITS[("from", "id")]):  # not a Teams id: nothing to look up or open
            raise DeliveryError("that is not a Teams user id", permanent=True)
        cached = self._personal.recall(user_id)
        if cached is not None:
            return cached
        async with self.db.transaction() as tx:
            found = await teams.personal_chat(tx, user_id)
            if found is None and hint is None:
                hint = await teams.any_in_tenant(tx, self.tenant_id)
        if found is not None:
            self.learned(found)
            return found
        service_url = hint.service_url if hint else self.default_service_url
        bot_id = hint.bot_id if hint else f"28:{self.app_id}"
        tenant = (hint.tenant_id if hint else None) or self.tenant_id
        params = CreateConversationParams.model_validate(
            {
                "bot": {"id": bot_id},
                "members": [{"id": user_id}],
                "isGroup": False,
                "tenantId": tenant,
                "channelData": {"tenant": {"id": tenant}} if tenant else None,
            }
        )
        client = await self.client(service_url)
        created = await self._call(lambda: client.conversations.create(params))
        ref = ConversationRef(created.id, service_url, bot_id, PERSONAL, tenant, user_id)
        async with self.db.transaction() as tx:
            await teams.remember(tx, ref, now=self.clock.now())
        self.learned(ref)
        return ref

    # --- posting -------------------------------------------------------------------------------

    async def post(
        self, ref: ConversationRef, reply: Reply, *, conversation_id: str | None = None, asker: str | None = None
    ) -> str:
        """Post the reply's card, its charts beside it, and its files by file consent (files.py);
        the card message's activity id. Teams has file consent only in a personal chat: elsewhere
        the files are offered in the asker's personal chat, and the card says so."""
        conversation = conversation_id or ref.conversation_id
        documents = [b for b in reply.blocks if isinstance(b, File)]
        offer_in, file_line = (ref if ref.kind == PERSONAL else None), render.ATTACHED
        if documents and offer_in is None:
            offer_in = await self._personal_chat_of(asker, ref)
            file_line = SENT_TO_PERSONAL if offer_in is not None else NOT_HERE
        # a post nobody asked for (the outbox: a bulletin, a feed item) goes out whole, in as many
        # cards as it needs; an answer to someone is one card, shortened with a note
        contents = render.cards(reply, file_line=file_line) if asker is None else [None]
        first, *rest = (
            MessageActivityInput.model_validate(render.activity(reply, file_line=file_line, content=content))
            for content in contents
        )

        async def card(through: ConversationRef) -> tuple[Any, ConversationRef]:
            conversations = (await self.client(through.service_url)).conversations
            sent = await self._call(lambda: conversations.create_activity(conversation, first))
            return sent, through

        sent, through = await self._through(ref, card)
        if rest:
            conversations = (await self.client(through.service_url)).conversations
        for more in rest:
            # in order, each after the one before was taken; a failure here fails the delivery, and
            # its retry posts every card again (a bot cannot read a channel's history to skip those
            # that landed, as the Slack adapter does)
            later = await self._call(partial(conversations.create_activity, conversation, more))
            self._keep_card(conversation, str(later.id), reply)  # a button may be on any of the cards
        charts = [b for b in render.attachments(reply) if isinstance(b, Image)]
        if charts:  # Teams shows an inline image in the chat
            extra = MessageActivityInput.model_validate(
                {"type": "message", "text": "", "attachments": [_attachment(f) for f in charts]}
            )
            conversations = (await self.client(through.service_url)).conversations
            await self._call(lambda: conversations.create_activity(conversation, extra))
        if offer_in is not None:
            for document in documents:
                await self.files.offer(through if offer_in is ref else offer_in, document)
        self._keep_card(conversation, str(sent.id), reply)
        return str(sent.id)

    def _keep_card(self, conversation_id: str, activity_id: str, reply: Reply) -> None:
        actions = frozenset(b.action_id for block in reply.blocks if isinstance(block, Buttons) for b in block.buttons)
        if actions:
            self.cards.keep((conversation_id.partition(";messageid=")[0], activity_id), actions)

    async def _personal_chat_of(self, asker: str | None, hint: ConversationRef) -> ConversationRef | None:
        if not asker:
            return None  # a post with nobody asking (the outbox): the card says where to ask
        try:
            return await self.personal_chat(asker, hint=hint)
        except DeliveryError:
            return None  # the app is not installed for the person: the card says so

    async def edit(self, ref: ConversationRef, conversation_id: str, activity_id: str, reply: Reply) -> str:
        activity = MessageActivityInput.model_validate(render.activity(reply))

        async def update(through: ConversationRef) -> None:
            conversations = (await self.client(through.service_url)).conversations
            await self._call(lambda: conversations.update_activity(conversation_id, activity_id, activity))

        await self._through(ref, update)
        self._keep_card(conversation_id, activity_id, reply)
        return activity_id

    async def post_card(self, ref: ConversationRef, card: dict[str, Any], text: str) -> str:
        return await self.post_attachment(ref, {"contentType": render.CARD_TYPE, "content": card}, text=text)

    async def post_attachment(self, ref: ConversationRef, attachment: dict[str, Any], *, text: str = "") -> str:
        """One message carrying one attachment (a card, a file consent or file info card)."""
        activity = MessageActivityInput.model_validate({"type": "message", "text": text, "attachments": [attachment]})

        async def post(through: ConversationRef) -> Any:
            conversations = (await self.client(through.service_url)).conversations
            return await self._call(lambda: conversations.create_activity(ref.conversation_id, activity))

        sent = await self._through(ref, post)
        return str(sent.id)

    @staticmethod
    async def _call(make: Callable[[], Awaitable[Any]]) -> Any:
        """One Bot Connector call, made again while an answer is being given (ANSWER_DEADLINE set)
        and Teams refuses it for a moment; a call that timed out or lost its connection may have
        landed, so it is never made again here."""
        tries = 1
        while True:
            try:
                return await Poster._once(make())
            except RefusedForAMoment as exc:
                pause = pause_before_calling_again(exc, tries)
                if pause is None:
                    raise
                await asyncio.sleep(pause)
                tries += 1

    @staticmethod
    async def _once(work: Awaitable[Any]) -> Any:
        try:
            async with asyncio.timeout(BOT_CONNECTOR_TIMEOUT):  # the bot's token fetch included
                return await work
        except httpx.HTTPStatusError as exc:
            raise delivery_error(exc.response) from None
        except TokenUnavailable as exc:
            raise DeliveryError(f"the bot could not get its Teams token: {exc}") from None
        except (httpx.TransportError, TimeoutError) as exc:
            raise DeliveryError(f"could not reach Teams ({type(exc).__name__})") from None
        except AddressRefused as refused:  # the host resolved to a private address when connecting
            log.warning("refused to connect to a Teams service URL: %s", refused)
            raise DeliveryError(SERVICE_URL_REFUSED, permanent=True) from None
        except httpx.InvalidURL:
            # an id with a character no address may hold (a control character): no retry mends it
            raise DeliveryError("a Teams conversation id could not be made into an address", permanent=True) from None


class RefusedForAMoment(DeliveryError):
    """Teams said no to this call for now, before doing anything with it: it can be made again."""


# Microsoft asks bots to retry 429 (after its Retry-After), 412, 502 and 504
# (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit); 503 says the same.
REFUSED_FOR_NOW = frozenset({412, 429, 502, 503, 504})


def delivery_error(response: httpx.Response) -> DeliveryError:
    """What Teams' answer means for the post: to be tried again (by the outbox, or at once while
    someone waits for their answer), or not, for any other 4xx, which trying again does not mend."""
    code = response.status_code
    reason = f"Teams answered {code}"
    if code == 429:
        retry = response.headers.get("Retry-After", "")
        return RefusedForAMoment(reason, retry_after=float(retry) if retry.replace(".", "", 1).isdigit() else None)
    if code in REFUSED_FOR_NOW:
        return RefusedForAMoment(reason)
    return DeliveryError(reason, permanent=400 <= code < 500)


# While a person waits for an answer, a call Teams refuses for a moment is made again: at most
# three tries, and only while the answer can still arrive within the 15 seconds Teams gives an
# activity (ANSWER_DEADLINE, set by the adapter for the time it answers).
ANSWER_TRIES = 3
ANSWER_PAUSES = (1.0, 2.0)
ANSWER_BUDGET = 6.0  # seconds from the start of an answer within which calls are made again
ANSWER_DEADLINE: ContextVar[float | None] = ContextVar("teams_answer_deadline", default=None)


def pause_before_calling_again(error: DeliveryError, tries: int) -> float | None:
    """Seconds to wait before making a refused call again, or None to give up."""
    deadline = ANSWER_DEADLINE.get()
    if deadline is None or not isinstance(error, RefusedForAMoment) or tries >= ANSWER_TRIES:
        return None
    pause = error.retry_after if error.retry_after is not None else ANSWER_PAUSES[tries - 1]
    return pause if time.monotonic() + pause < deadline else None


def _attachment(item: Image) -> dict[str, Any]:
    """A chart as an inline attachment (a data URL), which Teams shows in chats."""
    assert item.path is not None
    path = Path(item.path)
    data, name = path.read_bytes(), path.name
    mime = mimetypes.guess_type(name)[0] or "image/png"
    if len(data) > INLINE_FILE_BYTES:
        raise DeliveryError(f"{name} is too large to send inline in Teams", permanent=True)
    url = f"data:{mime};base64,{base64.b64encode(data).decode()}"
    return {"contentType": mime, "contentUrl": url, "name": name}
