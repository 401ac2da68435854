"""Files that open in Teams: the file consent flow of a personal chat.

Teams shows an inline (data URL) attachment when it is an image, but not a calendar or a CSV. A bot
sends such a file the way Microsoft's "Send and receive files using bot" page describes
(https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/bots-filesv4, "Upload
files to personal chat"; the manifest must say `supportsFiles: true`), which works in a personal
chat only:
1. a message with a `application/vnd.microsoft.teams.card.file.consent` attachment: `name`, and
   `content` with `description`, `sizeInBytes`, `acceptContext` and `declineContext`;
2. the person presses Allow or Decline: an invoke `fileConsent/invoke` whose `value` holds
   `action` (accept | decline), `context` (the accept or decline context) and, on accept,
   `uploadInfo` (`uploadUrl`, `contentUrl`, `name`, `uniqueId`, `fileType`);
3. on accept, the bytes are PUT to `uploadUrl` (an upload session in the person's OneDrive; one
   request with `Content-Range: bytes 0-{n-1}/{n}`, as Microsoft's Python sample
   BotBuilder-Samples/samples/python/56.teams-file-upload does), then a message with a
   `application/vnd.microsoft.teams.card.file.info` attachment (`contentUrl`, `name`, `content`
   with `uniqueId` and `fileType`) lets the person open it in Teams;
4. the invoke is answered 200 with no body (the Teams SDK's `InvokeResponse` for fileConsent/invoke
   carries none).
`uploadUrl` arrives in the answer, so it is treated as forgeable, like any card data: the bytes go
only over https to a host that resolves to public addresses, through the feeds' address guard
(core/addresses.py), without following redirects; anything else is refused before a request
is made, and every failure reads the same to the person, so the answers cannot map which
addresses answer on the bot's network (outside audit hostile3 #2).
The bytes wait in the database (storage/file_offers.py) until the person answers, so the answer may
reach any replica, after a restart too; the answer claims the offer once, so an Allow that two
replicas both receive uploads once, and one Teams sends again is ignored. An offer expires after an
hour (`OFFER_TTL`), and a chat keeps its 20 newest unanswered offers: an answer to an older one, or
to one unknown, is told to ask again. A decline drops the bytes. A file's contents are never logged.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import httpcore
import httpx

from bot.adapters.base import DeliveryError
from core.addresses import AddressGuard, AddressRefused, GuardedNetwork, guard_connections
from core.model import File, Reply, Text, Visibility
from storage import file_offers
from storage.file_offers import KEPT_PER_CHAT, OFFER_TTL
from storage.teams import ConversationRef

if TYPE_CHECKING:
    from bot.adapters.teams.outbound import Poster

log = logging.getLogger("sgbot.teams")

CONSENT_TYPE = "application/vnd.microsoft.teams.card.file.consent"
INFO_TYPE = "application/vnd.microsoft.teams.card.file.info"
CONTEXT_KEY = "sgbot_file"  # in acceptContext and declineContext: which offered file
OFFERED_BYTES = 1024 * 1024  # the largest file offered (a calendar file is a few KB)
UPLOAD_TIMEOUT = 30.0

GONE = (
    "That file is no longer waiting to be saved (I keep each file for an hour after offering it, "
    f"and only the last {KEPT_PER_CHAT} offered in a chat). "
    "Ask me again and I'll offer it afresh."
)
TOO_LARGE = "{name} is too large for me to share in Teams. Ask your partnership's team for a copy."
DECLINED = "OK, I haven't saved {name}. Ask me again whenever you want it."
SAVED = "{name} is saved in your OneDrive. Open it here."
# One sentence whatever went wrong; the reason goes to the log only.
UPLOAD_FAILED = "I couldn't save {name} to your OneDrive. Ask me again to try once more."
SENT_TO_PERSONAL = "I've sent {name} to our personal chat, where Teams lets me share files."
NOT_HERE = "{name} is not attached: Teams lets me share files only in a personal chat, so ask me for it there."


def consent_attachment(name: str, size: int, token: str) -> dict[str, Any]:
    context = {CONTEXT_KEY: token}
    content = {
        "description": f"{name}, from sgbot. Allow saves it in your OneDrive, where Teams can open it.",
        "sizeInBytes": size,
        "acceptContext": context,
        "declineContext": context,
    }
    return {"contentType": CONSENT_TYPE, "name": name, "content": content}


def info_attachment(upload: dict[str, Any], name: str) -> dict[str, Any]:
    content = {"uniqueId": str(upload.get("uniqueId", "")), "fileType": str(upload.get("fileType", ""))}
    return {"contentType": INFO_TYPE, "contentUrl": str(upload.get("contentUrl", "")), "name": name, "content": content}


def sentence(text: str) -> Reply:
    return Reply(blocks=[Text(text=text)], visibility=Visibility.PUBLIC)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class FileOffers:
    """Offers files by consent card in personal chats, and uploads them when the person allows."""

    def __init__(self, poster: Poster) -> None:
        self.poster = poster
        self.kept_per_chat = KEPT_PER_CHAT
        # OneDrive's upload sessions are https on public hosts; tests put their local fake here.
        self.upload_schemes: tuple[str, ...] = ("https",)
        self.network: httpcore.AsyncNetworkBackend = GuardedNetwork(AddressGuard())
        self._http: httpx.AsyncClient | None = None

    async def offer(self, ref: ConversationRef, document: File) -> None:
        """A consent card for `document` in the personal chat `ref`; the bytes wait in the database."""
        data = document.content.encode()
        if len(data) > OFFERED_BYTES:
            await self._say(ref, TOO_LARGE.format(name=document.filename))
            return
        token = secrets.token_urlsafe(18)
        async with self.poster.db.transaction() as tx:
            await file_offers.offer(
                tx,
                token,
                name=document.filename,
                data=data,
                conversation_id=ref.conversation_id,
                user_id=ref.user_id,
                now=self.poster.clock.now(),
                ttl=OFFER_TTL,
                kept_per_chat=self.kept_per_chat,
            )
        await self.poster.post_attachment(ref, consent_attachment(document.filename, len(data), token))

    async def on_consent(self, activity: dict[str, Any]) -> None:
        """The person's answer to a consent card (fileConsent/invoke), in their personal chat."""
        ref = await self.poster.reference(str(_dict(activity.get("conversation")).get("id", "")))
        value = _dict(activity.get("value"))
        token = str(_dict(value.get("context")).get(CONTEXT_KEY, ""))
        person = str(_dict(activity.get("from")).get("id", ""))
        held, repeated = None, False
        if token:
            # Committed before the upload: another replica given the same answer finds it taken.
            async with self.poster.db.transaction() as tx:
                held = await file_offers.claim(
                    tx, token, conversation_id=ref.conversation_id, user_id=person, now=self.poster.clock.now()
                )
                repeated = held is None and await file_offers.was_answered(tx, token)
        if held is None:
            if not repeated:  # else Teams sent the same answer again, or another replica took it
                await self._say(ref, GONE)
            return
        if value.get("action") != "accept":
            await self._say(ref, DECLINED.format(name=held.name))
            return
        upload = _dict(value.get("uploadInfo"))
        reason = await self._upload(str(upload.get("uploadUrl", "")), held.data)
        if reason is not None:
            log.warning("could not upload a file to a person's OneDrive: %s", reason)
            await self._say(ref, UPLOAD_FAILED.format(name=held.name))
            return
        name = PurePath(str(upload.get("name") or held.name)).name
        await self.poster.post_attachment(ref, info_attachment(upload, name), text=SAVED.format(name=name))

    async def _upload(self, url: str, data: bytes) -> str | None:
        """PUT the whole file to the upload session; the reason it failed (for the log), or None."""
        try:
            scheme = httpx.URL(url).scheme
        except httpx.InvalidURL:
            scheme = ""
        if scheme not in self.upload_schemes:
            return "the upload address Teams gave is not a valid https address"  # never the address: it is a credential
        headers = {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"} if data else {}
        try:
            async with asyncio.timeout(UPLOAD_TIMEOUT):
                response = await (await self._client()).put(url, content=data, headers=headers)
        except AddressRefused as refused:
            return str(refused)
        except (httpx.HTTPError, httpx.InvalidURL, TimeoutError) as exc:
            return f"OneDrive could not be reached: {type(exc).__name__}"
        if response.status_code not in (200, 201):
            return f"OneDrive answered {response.status_code}"
        return None

    async def _client(self) -> httpx.AsyncClient:
        """A client whose every connection passes the address guard, as the feeds' does
        (handlers/feeds/fetch.py new_client): no proxy from the environment, so the guard sees
        the address connected to, and no redirects."""
        if self._http is None:
            tls = await asyncio.to_thread(httpx.create_ssl_context, trust_env=False)  # reads the CA bundle
            if self._http is None:  # not made by another upload meanwhile
                transport = httpx.AsyncHTTPTransport(verify=tls, trust_env=False)
                guard_connections(transport, self.network)
                self._http = httpx.AsyncClient(
                    transport=transport, trust_env=False, timeout=UPLOAD_TIMEOUT, follow_redirects=False
                )
        return self._http

    async def _say(self, ref: ConversationRef, text: str) -> None:
        try:
            await self.poster.post(ref, sentence(text))
        except DeliveryError as exc:
            log.warning("could not answer a Teams file consent: %s", exc.reason)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None
