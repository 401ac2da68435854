"""Microsoft Teams through the Teams SDK for Python, in the bot's one asyncio loop.

In:  every activity the SDK has accepted (token checked, see server.py) reaches `on_activity`:
     messages ("threshold neglect", "/threshold neglect", "@sgbot threshold neglect"; a reply in a
     thread a feature owns is that feature's unless slashed), card button presses (Action.Submit
     messages, or `adaptiveCard/action` invokes), dialogs (`task/fetch` opens a form, `task/submit`
     sends it: dialogs.py), and installation and conversation updates, whose conversation
     references are stored for proactive posts. A channel message not @mentioning the bot
     (ChannelMessage.Read.Group) is read only as a reply in a claimed thread or a slash command.
Out: replies are routed by bot.respond to this adapter's primitives (`Answering`, answering.py); private
     answers go to the person's personal chat with the bot (Teams has no ephemeral
     messages in a channel; nothing about a lookup is said in the channel); public ones go back
     where the person was; a pressed card is updated in place (PUT) when the answer is public or
     the chat personal; forms open as dialogs with errors shown inside them: a button whose action
     answers with a form opens the dialog itself (dialogs.py), and only a typed command's form comes
     as a card in the person's personal chat whose button opens it; `send` posts for the
     delivery worker through stored references.
     A transient private answer (what someone answered in confidence) is never kept in a chat:
     a survey answer's button is an Action.Execute whose invoke is answered with it (render.py
     EXECUTE_ACTIONS), and otherwise see answering.py.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from bot import respond
from bot.adapters.base import DeliveryError, edited_message, is_edit, with_reply_hint
from bot.adapters.teams import groups, inbound, render
from bot.adapters.teams.answering import Answering
from bot.adapters.teams.credentials import credential_from
from bot.adapters.teams.dialogs import FORM_REFUSED, Dialogs, said_in_dialog
from bot.adapters.teams.forms import FormSigner
from bot.adapters.teams.inbound import Origin
from bot.adapters.teams.outbound import ANSWER_BUDGET, ANSWER_DEADLINE, Poster
from bot.adapters.teams.references import References
from bot.adapters.teams.sdk import InvokeResponse
from bot.adapters.teams.server import DEFAULT_SERVICE_URL, AiohttpServer, build_app, cloud_for, initialize
from bot.adapters.teams.service_urls import ServiceUrls
from core.addresses import GuardedNetwork, guard_connections
from core.model import FORGED_VALUE, Form, Reply, Request, RequestKind, Target, Text, Visibility
from storage import outbox, teams, threads

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger("sgbot.teams")

MESSAGE_TYPE = "application/vnd.microsoft.activity.message"  # an invoke's answer as a passing message

NO_PERSONAL_CHAT = (
    "I couldn't send you my answer privately. Add sgbot for yourself (Apps, search for sgbot, Add), "
    "then ask me again in our chat."
)
__all__ = ["FORM_REFUSED", "NO_PERSONAL_CHAT", "TeamsAdapter"]


PRESS_ALREADY_ANSWERED = "That press was already answered; nothing more is needed."


class TeamsAdapter:
    platform = "teams"

    def __init__(self, runtime: Runtime, *, host: str | None = None, port: int | None = None) -> None:
        settings = runtime.ctx.settings
        credential = credential_from(settings)  # the app id and one credential: a client secret or a certificate
        self.runtime = runtime
        self.settings = settings
        if not settings.log_payloads:
            # The SDK's info and debug lines carry whole activities, i.e. what people typed.
            sdk_log = logging.getLogger("microsoft_teams")
            sdk_log.setLevel(max(logging.WARNING, logging.getLogger().level))
        self.host = host if host is not None else settings.teams_host
        self.port = port if port is not None else settings.teams_port
        service_urls = ServiceUrls(settings.teams_allow_service_hosts)  # where Bot Connector calls may go
        self.server = AiohttpServer(tenant_id=settings.teams_tenant_id, service_urls=service_urls)
        self.app = build_app(settings, self.on_activity, server=self.server, credential=credential)
        # The SDK's HTTP clients resolve a service URL again when they connect: each connection is
        # checked there too, so a DNS answer that turns private after the check is refused.
        network = GuardedNetwork(service_urls.guard, resolve=service_urls.resolve)
        for sdk_client in (self.app.http_client, self.app.api.http):
            guard_connections(sdk_client.http, network)
        self.groups = groups.group_lookup(settings, cloud_for(settings), credential)  # roles from Entra groups
        self.poster = Poster(
            self.app.api,
            runtime.ctx.db,
            runtime.ctx.clock,
            settings,
            settings.teams_service_url or DEFAULT_SERVICE_URL,
            service_urls,
        )
        self.forms = FormSigner(settings.survey_key())  # a dialog's form, signed for one person
        self.dialogs = Dialogs(self)
        self._running = False
        self.references = References(self.poster, runtime.ctx)

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        await initialize(self.app)
        await self.server.start(self.port, self.host)
        self.port = self.server.port or self.port
        self._running = True
        log.info("Teams listening on %s:%s%s", self.host, self.port, self.settings.teams_path)

    async def stop(self) -> None:
        self._running = False
        await self.server.stop()
        await self.groups.close()
        await self.poster.files.close()

    def is_connected(self) -> bool:
        return self._running

    @property
    def messages_url(self) -> str:
        return f"http://{self.host}:{self.port}{self.settings.teams_path}"

    # --- incoming -------------------------------------------------------------------------------

    async def on_activity(self, ctx: Any) -> Any:
        activity: dict[str, Any] = ctx.activity.model_dump(by_alias=True, exclude_none=True, mode="json")
        if inbound.overheard(activity) and not self._slash_command(activity):
            return await self._on_overheard(activity)
        # an install where the bot is new: not an upgrade (which reaches here as "add" too) or a
        # redelivery, whose chat is stored already
        new_here = inbound.installed_for_a_person(activity) and not await self.references.stored(activity)
        await self.references.keep(activity, write=not inbound.is_press(activity))
        kind = activity.get("type")
        if kind == "message":
            return await self._on_message(activity)
        if new_here:
            return await self._welcome(activity)
        if kind == "invoke":
            name = activity.get("name")
            if name == "task/fetch":
                return await self.dialogs.open(activity)
            if name == "task/submit":
                return await self.dialogs.submit(activity)
            if name == "adaptiveCard/action":
                return await self._on_card_action(activity)
            if name == "fileConsent/invoke":  # Allow or Decline on a file's consent card (files.py)
                return await self.poster.files.on_consent(activity)
            # As Bot Framework's own handlers answer an invoke they have none for (a message
            # extension's search, say: the app declares none), so Teams shows it failed
            log.info("a Teams %s invoke: not one this bot answers", str(name)[:60])
            return InvokeResponse[Any](status=501)
        return None

    async def _on_overheard(self, activity: dict[str, Any]) -> None:
        """A message not @mentioning the bot and not starting with a slash command: only ever a reply
        in a thread a feature claimed (a survey's answers). Other talk is never answered, stored or
        logged."""
        origin = inbound.origin_of(activity)
        if not origin.is_thread_reply or not origin.user_id or origin.user_id == origin.bot_id:
            return
        if not await self._owned_thread(origin):
            return
        await self.references.keep(activity, write=False)
        text = inbound.message_text(activity, names=self._names)
        request = await self._request(origin, RequestKind.MESSAGE, text=text, message_id=origin.activity_id)
        await self._answer(request, origin, typed=True)

    def _slash_command(self, activity: dict[str, Any]) -> bool:
        """ "/threshold neglect" typed in a channel without mentioning the bot (Teams passes it on for
        the ChannelMessage.Read.Group permission; a group chat would need ChatMessage.Read.Chat, which
        the app does not ask for): a command said as one, as on Slack and Discord. Without the slash
        ("threshold is confusing") it is people's talk."""
        known = self._known_commands()
        words = inbound.split_command(inbound.message_text(activity, names=self._names), known)
        return words.slashed and words.command in known  # "/shrug" is nobody's command here

    def _known_commands(self) -> set[str]:
        return {spec.name for spec in self.runtime.ctx.registry.public_commands()}

    async def _owned_thread(self, origin: Origin) -> bool:
        """Whether a feature owns the thread this message replies in (a survey's post, say)."""
        try:
            async with self.runtime.ctx.db.transaction() as tx:
                owner = await threads.thread_owner(
                    tx, platform=self.platform, channel_id=origin.channel_id, thread_id=origin.thread_id or ""
                )
        except Exception as exc:  # noqa: BLE001 - Teams would retry a 500; the person can answer again
            log.warning("could not look up a Teams thread's owner: %s", type(exc).__name__)
            return False
        return owner is not None and owner.feature in self.runtime.ctx.registry.threads

    @property
    def _names(self) -> tuple[str, ...]:
        """The bot's name as `sgbot teams manifest` names the app (bot/cli_teams.py, unless given
        --name), dropped like a mention when typed as text; Teams' own name for it comes in
        every activity (`recipient.name`)."""
        return (f"{self.runtime.ctx.pack.partnership.short_name} safeguarding bot",)

    async def _request(self, origin: Origin, kind: RequestKind, **fields: Any) -> Request:
        member_of = await self.groups.groups_of(origin.aad_id)
        roles = self.runtime.roles.roles_for(self.platform, origin.aad_id or origin.user_id, platform_groups=member_of)
        return Request(
            kind=kind,
            platform=self.platform,
            user_id=origin.user_id,
            user_name=origin.user_name,
            roles=roles,
            channel_id=origin.channel_id,
            thread_id=origin.thread_id,
            is_direct=origin.is_personal,
            # an activity id is unique only within its conversation (a message's is the time in
            # milliseconds): two chats can share one, so the conversation is part of the key
            delivery_id=f"teams:{origin.conversation_id}:{origin.activity_id}" if origin.activity_id else None,
            **fields,
        )

    async def _on_message(self, activity: dict[str, Any]) -> None:
        origin = inbound.origin_of(activity)
        if not origin.user_id or origin.user_id == origin.bot_id:
            return
        press = inbound.card_press(activity, render.ACTION_KEY, render.VALUE_KEY)
        if press is not None:
            action_id, value = press
            request = await self._request(
                origin, RequestKind.ACTION, action_id=action_id, value=value, message_id=origin.reply_to_id
            )
            await self._answer(request, origin)
            return
        text = inbound.message_text(activity, names=self._names)
        known = self._known_commands()
        # A person mentioned in a command is their id, as on Slack and Discord; anywhere else
        # (a survey comment in a thread) their name, so no one's id is kept with what was said.
        words = inbound.split_command(inbound.message_text(activity, people_as_ids=True, names=self._names), known)
        # In a thread a feature owns, a reply is that feature's (a survey comment that starts
        # "Training was..."), as on Slack and Discord; only a slash makes it a command there.
        if words.command and not (origin.is_thread_reply and not words.slashed and await self._owned_thread(origin)):
            request = await self._request(origin, RequestKind.COMMAND, command=words.command, text=words.text)
        elif origin.is_thread_reply and (not inbound.mentions_bot(activity) or await self._owned_thread(origin)):
            # e.g. an answer to a survey posted in the channel; said to the bot in a thread of no
            # post of its own ("@sgbot hello"), it is answered below as at the top of the channel
            request = await self._request(origin, RequestKind.MESSAGE, text=text, message_id=origin.activity_id)
        elif origin.is_personal or not text:
            request = await self._request(origin, RequestKind.COMMAND, command="help", text="")
        else:  # said to the bot in a chat or channel, naming no command: "did you mean", privately
            first = text.split()[0].lstrip("/")
            request = await self._request(origin, RequestKind.COMMAND, command=first, text="")
        await self._answer(request, origin, typed=True)

    async def _welcome(self, activity: dict[str, Any]) -> None:
        """The app just installed in someone's personal chat: answered as the help, what the bot
        does and how to ask, as a typed "help" there is (Microsoft's guidance for a bot: say hello
        on install). Once: a redelivered install is the same delivery, and finds the chat stored."""
        origin = inbound.origin_of(activity)
        if not origin.user_id or origin.user_id == origin.bot_id:
            return
        request = await self._request(origin, RequestKind.COMMAND, command="help", text="")
        await self._answer(request, origin, typed=True)

    async def _on_card_action(self, activity: dict[str, Any]) -> dict[str, Any]:
        """Action.Execute: the answer to the invoke replaces the card, when the reply asks to. What
        the press says privately in text alone (a survey answer's confirmation) is the invoke's
        own message, which Teams shows the presser and keeps in no chat, as a dialog's is."""
        origin = inbound.origin_of(activity)
        press = inbound.card_press(activity, render.ACTION_KEY, render.VALUE_KEY)
        if press is None:  # a card that is not the bot's, as a Submit press of one is answered
            return {"statusCode": 200, "type": MESSAGE_TYPE, "value": FORGED_VALUE}
        request = await self._request(
            origin, RequestKind.ACTION, action_id=press[0], value=press[1], message_id=origin.reply_to_id
        )
        outcome = await self.runtime.dispatcher.handle(request)
        if outcome.duplicate:
            # Teams sent the press again (its first answer was lost): it was done once, and a survey
            # answer's own confirmation is not "Done." (an outside audit); nor is a second press asked for
            return {"statusCode": 200, "type": MESSAGE_TYPE, "value": PRESS_ALREADY_ANSWERED}
        replies = list(outcome.replies)
        if (
            replies
            and replies[0].replace_original
            and self._may_show_here(replies[0], origin)
            and await self.pressed_on_our_card(origin, press[0])
        ):
            first = replies.pop(0)
            await self._deliver(replies, origin)
            return {"statusCode": 200, "type": render.CARD_TYPE, "value": render.card(first)}
        said = [r for r in replies if said_in_dialog(r)]
        await self._deliver([r for r in replies if not said_in_dialog(r)], origin)
        text = "\n\n".join(render.plain(r.all_text()) for r in said).strip()
        return {"statusCode": 200, "type": MESSAGE_TYPE, "value": text or respond.DONE}

    async def _answer(self, request: Request, origin: Origin, *, typed: bool = False) -> None:
        outcome = await self.runtime.dispatcher.handle(request)
        if outcome.duplicate:
            log.info("ignored a repeated Teams activity")
            return
        pressed = request.action_id if request.kind is RequestKind.ACTION else None
        await self._deliver(outcome.replies, origin, typed=typed, pressed=pressed)

    async def pressed_on_our_card(self, origin: Origin, action_id: str | None) -> bool:
        """Whether the message a press names (`replyToId`, which the client composes) may be
        updated in place with the press's answer: in a personal chat, any (only the person and the
        bot are there); elsewhere, only a post of the bot's own that carries the pressed button,
        posted by this process or through the outbox (a card another replica posted directly is
        answered beside it).
        An outside audit: a press naming another message of the bot's in a channel (one giving the
        LADO's number) replaced it with an RSVP count."""
        if origin.is_personal:
            return True
        if not origin.reply_to_id or not action_id:
            return False
        conversation = origin.conversation_id.partition(";messageid=")[0]
        if action_id in (self.poster.cards.recall((conversation, origin.reply_to_id)) or ()):
            return True  # a card this process posted there (a command's public answer, say)
        async with self.runtime.ctx.db.transaction() as tx:
            posted = await outbox.posted_buttons(tx, self.platform, origin.conversation_id, origin.reply_to_id)
        return action_id in posted

    # --- answers ---------------------------------------------------------------------------------

    def _may_show_here(self, reply: Reply, origin: Origin) -> bool:
        return reply.visibility is Visibility.PUBLIC or origin.is_personal

    async def _deliver(
        self, replies: list[Reply], origin: Origin, *, typed: bool = False, pressed: str | None = None
    ) -> None:
        """Each reply routed by bot.respond to this request's primitives (`Answering`, answering.py);
        `typed`: the request was text the person typed, whose form only a card can open."""
        # while the person waits, a call Teams refuses for a moment is made again (outbound.py)
        deadline = ANSWER_DEADLINE.set(time.monotonic() + ANSWER_BUDGET)
        try:
            await respond.deliver(
                replies,
                Answering(self, origin, typed=typed, pressed=pressed),
                remove_prompt=None,  # a bot cannot delete a person's message in Teams: they are told how to
                skip_empty=True,
                failures=(DeliveryError,),
                failed=lambda exc: log.warning("could not answer a Teams activity: %s", getattr(exc, "reason", exc)),
            )
        finally:
            ANSWER_DEADLINE.reset(deadline)

    async def _open_form(self, form: Form, origin: Origin) -> None:
        """A typed command's form: text has no invoke to answer with a dialog, and Teams opens one
        only from a press, so the person gets a card in their personal chat whose button opens it.
        A press's form never comes here (dialogs.py opens it; answering.py `open_form`)."""
        chat = await self._private_chat(origin)
        card = render.form_button(form, self.forms.data(form, origin))
        await self.poster.post_card(chat, card, render.entities(render.plain(form.title)))

    async def _private_chat(self, origin: Origin) -> Any:
        if origin.is_personal:
            return await self.poster.reference(origin.conversation_id)
        hint = await self.poster.reference(origin.conversation_id)
        try:
            return await self.poster.personal_chat(origin.user_id, hint=hint)
        except DeliveryError:
            # Teams refused a personal chat (the app is not installed for this person): say so
            # where they asked, with nothing of the answer itself.
            note = Reply(blocks=[Text(text=NO_PERSONAL_CHAT)], visibility=Visibility.PUBLIC)
            await self.poster.post(hint, note, conversation_id=origin.conversation_id)
            raise

    # --- posts (the delivery worker's way out) ---------------------------------------------------

    async def send(self, target: Target, reply: Reply, *, key: str | None = None, redelivery: bool = False) -> str:
        """Post to a channel, a thread or a person; return the activity id.

        Exactly once rests on the outbox's claim (one replica per row). The Bot Connector has no
        idempotency key, so a replica killed after Teams accepted a post and before the outbox
        recorded it would post it again when its lease runs out: `redelivery` is logged."""
        if reply.form is not None:
            raise DeliveryError("a form can only be opened by someone's press, not posted", permanent=True)
        if redelivery and key:
            log.info("posting outbox row %s again after an earlier claim ran out", key[:80])
        if is_edit(target, reply):
            if target.kind == "direct":
                ref = await self.poster.personal_chat(str(target.user_id))
                conversation = ref.conversation_id
            else:
                ref = await self.poster.reference(str(target.channel_id))
                conversation = str(target.channel_id)
                if target.message_id and ref.kind == teams.CHANNEL:  # a reply in the thread
                    conversation = f"{conversation.partition(';messageid=')[0]};messageid={target.thread_id}"
            reply = with_reply_hint(reply, target.kind == "thread" and ref.kind == teams.CHANNEL)
            return await self.poster.edit(ref, conversation, edited_message(target), reply)
        private = reply.visibility is Visibility.EPHEMERAL and bool(target.user_id)
        if target.kind == "direct" or (private and target.kind != "direct"):
            if not target.user_id:
                raise DeliveryError("a direct message needs a user id", permanent=True)
            return await self.poster.post(await self.poster.personal_chat(target.user_id), reply)
        if not target.channel_id:
            raise DeliveryError(f"a {target.kind} post needs a channel id", permanent=True)
        ref = await self.poster.reference(target.channel_id)
        conversation = target.channel_id.partition(";messageid=")[0]
        # Only a channel has threads: in a group chat (Microsoft: @thread.v2 chats have no
        # threading) a thread's post goes into the chat itself.
        in_thread = target.kind == "thread" and bool(target.thread_id) and ref.kind == teams.CHANNEL
        if in_thread:
            conversation = f"{conversation};messageid={target.thread_id}"
        reply = with_reply_hint(reply, in_thread)
        return await self.poster.post(ref, reply, conversation_id=conversation)
