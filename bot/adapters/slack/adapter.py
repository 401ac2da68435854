"""Slack, through slack-bolt's AsyncApp, in the bot's one asyncio loop.

In:  slash commands, button clicks and selects, modal submissions, and replies in threads a
     feature has claimed -> `Request` -> the dispatcher (which drops repeated deliveries,
     checks roles and turns failures into sentences).
Out: replies to the person (in the command's acknowledgement, through response_url, or
     chat.postEphemeral), modals (views.open), posts for the delivery worker
     (chat.postMessage, paced per channel, 429s retried), direct messages
     (conversations.open) and uploads (files_upload_v2). Block Kit is built in slack.render.

Two modes: Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), otherwise HTTP
mode on SLACK_HTTP_HOST:SLACK_HTTP_PORT/slack/events, verified with SLACK_SIGNING_SECRET
and stateless, so replicas can share a load balancer. In both modes slack.guard checks each
request (signature, body, shape, workspace and app) before Bolt sees it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.base import DeliveryError, is_edit, settle_prompt_removal
from bot.adapters.slack import render as render
from bot.adapters.slack.guard import Guard, Workspace, socket_mode_handler
from bot.adapters.slack.web import Pacer, UserGroups, delivery_error
from core.config import ConfigError
from core.model import File, Form, Reply, Request, RequestKind, Target, Text, Visibility

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.runtime import Runtime

log = logging.getLogger("sgbot.slack")

EVENTS_PATH = "/slack/events"
RECENT_EVENTS = 10_000  # event ids remembered in memory to answer Slack's retries at once
THREAD_MESSAGE_SUBTYPES = {None, "thread_broadcast", "file_share"}
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


class SlackAdapter:
    platform = "slack"

    def __init__(
        self,
        runtime: Runtime,
        *,
        client: AsyncWebClient | None = None,
        process_before_response: bool = False,
        http_host: str | None = None,
        http_port: int | None = None,
        channel_interval: float = 1.0,
        workspace_interval: float = 1 / 50,
        group_ttl: float = 300.0,
        ack_budget: float = 2.0,
    ) -> None:
        settings = runtime.ctx.settings
        if settings.slack_bot_token is None:
            raise ConfigError("SLACK_BOT_TOKEN is not set; the Slack adapter needs the app's bot token (xoxb-...).")
        if settings.slack_app_token is not None:
            self.mode = "socket"
            if not settings.slack_app_token.get_secret_value().startswith("xapp-"):
                raise ConfigError(
                    "SLACK_APP_TOKEN should be an app-level token starting with xapp- (Basic Information > "
                    "App-Level Tokens, scope connections:write)."
                )
        elif settings.slack_signing_secret is not None:
            self.mode = "http"
        else:
            raise ConfigError(
                "Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) beside "
                "SLACK_BOT_TOKEN. See 'Connect to Slack' in the README."
            )
        self.runtime = runtime
        self.dispatcher = runtime.dispatcher
        quiet = _quiet_sdk_log()
        self.client = client or AsyncWebClient(
            token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url, logger=quiet
        )
        if not any(isinstance(h, AsyncRateLimitErrorRetryHandler) for h in self.client.retry_handlers):
            self.client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
        self.http_host = http_host if http_host is not None else settings.slack_http_host
        self.http_port = http_port if http_port is not None else settings.slack_http_port
        self.ack_budget = ack_budget
        self.process_before_response = process_before_response
        self._in_flight: set[asyncio.Task[None]] = set()
        self.channel_pacer = Pacer(channel_interval)
        # Across the workspace: the same average, in bursts within a rolling second. Slack does
        # not publish its workspace-wide figure; a 429 beyond this is waited out and retried.
        burst = round(1 / workspace_interval) if workspace_interval > 0 else 1
        self.workspace_pacer = Pacer(workspace_interval, burst=burst)
        groups = settings.mapping(settings.slack_role_groups)
        self.groups = UserGroups(self.client, groups, ttl=group_ttl) if groups else None
        self._dm_channels: dict[str, str] = {}
        self._recent_events: OrderedDict[str, None] = OrderedDict()
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        signing_secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
        self.workspace = Workspace.configured(
            settings.slack_team_ids, settings.slack_enterprise_id, settings.slack_app_id
        )
        self.guard = Guard(runtime.ctx, self.workspace, signing_secret)
        self.app = AsyncApp(
            name="sgbot-slack",  # Bolt configures a logger of this name: keep it out of "sgbot"
            logger=quiet,
            client=self.client,
            signing_secret=signing_secret,
            # Bolt answers when a listener returns; the listeners acknowledge first and hand
            # the rest to `_after_ack`, so no answer waits for Bolt's 10 ms check for the ack.
            process_before_response=True,
            # Workflow steps and assistant threads are not used: skip their per-request work.
            attaching_function_token_enabled=False,
            attaching_conversation_kwargs_enabled=False,
        )
        self.app.middleware(_KnownRetries(self._recent_events))
        self.app.command(re.compile(r"^/"))(self._on_command)
        self.app.action(re.compile(r".*"))(self._on_action)
        self.app.view_submission(re.compile(r".*"))(self._on_submit)
        self.app.event("message")(self._on_message)

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        await self.identify()
        if self.mode == "socket":
            try:
                await asyncio.wait_for(self.socket_handler().connect_async(), timeout=60)
            except TimeoutError:
                raise ConfigError(
                    "Could not open a Socket Mode connection to Slack within a minute. Check SLACK_APP_TOKEN "
                    "and that this machine can reach slack.com."
                ) from None
            log.info("Slack connected in Socket Mode")
            return
        self._runner = web.AppRunner(self.guard.web_app(EVENTS_PATH, self.app.async_dispatch), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.http_host, self.http_port).start()
        self.http_port = self._runner.addresses[0][1]
        log.info("Slack HTTP mode listening on %s:%s%s", self.http_host, self.http_port, EVENTS_PATH)

    async def identify(self) -> None:
        """Check the bot token with auth.test, and learn from it which workspace to serve when
        SLACK_TEAM_IDS and SLACK_ENTERPRISE_ID are not set."""
        try:
            auth = await self.client.auth_test()
        except SlackApiError as exc:
            raise ConfigError(
                f"Slack refused SLACK_BOT_TOKEN ({exc.response.get('error')}). Check the bot token in .env."
            ) from None
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            raise ConfigError(
                f"Could not reach Slack to check SLACK_BOT_TOKEN ({type(exc).__name__}). Check that this machine "
                "can reach slack.com, then start again."
            ) from None
        configured = self.workspace.known
        self.workspace.learn(auth.data if isinstance(auth.data, dict) else {})
        if not self.workspace.known:
            raise ConfigError(
                "Slack's auth.test did not say which workspace SLACK_BOT_TOKEN belongs to. Set SLACK_TEAM_IDS "
                "to the workspace id (T...)."
            )
        if not configured:
            served = ", ".join(sorted(self.workspace.teams)) or f"organisation {self.workspace.enterprise}"
            log.info("Slack: serving workspace %s only (from auth.test; SLACK_TEAM_IDS overrides)", served)

    async def stop(self) -> None:
        await self.drain()
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def drain(self, grace_seconds: float = 10.0) -> None:
        """Wait for work still running after its acknowledgement (replies, uploads)."""
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=grace_seconds)

    def is_connected(self) -> bool:
        if self.mode == "http":
            return self._runner is not None
        session = self._socket.client.current_session if self._socket else None
        return bool(session is not None and not session.closed and not self._socket.client.closed)  # type: ignore[union-attr]

    def socket_handler(self) -> AsyncSocketModeHandler:
        """The Socket Mode connection (made on first use: it needs the running loop)."""
        if self._socket is None:
            app_token = self.runtime.ctx.settings.slack_app_token
            assert app_token is not None
            self._socket = socket_mode_handler(self.guard, self.app, app_token.get_secret_value(), self.client)
        return self._socket

    @property
    def events_url(self) -> str:
        return f"http://{self.http_host}:{self.http_port}{EVENTS_PATH}"

    # --- incoming ------------------------------------------------------------------------------

    async def _on_command(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        origin = Origin(
            user_id=body["user_id"],
            channel_id=body.get("channel_id", ""),
            trigger_id=body.get("trigger_id"),
            respond=respond if body.get("response_url") else None,
        )
        work = asyncio.ensure_future(self._dispatch_command(body))
        done, _ = await asyncio.wait({work}, timeout=self.ack_budget)
        if not done:  # slow: acknowledge now, answer through response_url when ready
            await ack()
            await self._after_ack(self._answer_when_done(work, origin))
            return
        replies = list(work.result().replies)
        first = replies[0] if replies else None
        if first is not None and first.form is None and first.target.kind == "respond" and not render.uploads(first):
            public = first.visibility is Visibility.PUBLIC
            await ack(**render.message(first), response_type="in_channel" if public else "ephemeral")
            replies = replies[1:]
        else:
            await ack()
        if replies:
            await self._after_ack(self._answer(replies, origin))

    async def _answer_when_done(self, work: asyncio.Future[Any], origin: Origin) -> None:
        await self._answer((await work).replies, origin)

    async def _dispatch_command(self, body: dict[str, Any]) -> Any:
        channel = body.get("channel_id", "")
        request = Request(
            kind=RequestKind.COMMAND,
            platform=self.platform,
            user_id=body["user_id"],
            user_name=body.get("user_name", ""),
            roles=await self._roles(body["user_id"]),
            channel_id=channel,
            is_direct=channel.startswith("D"),
            command=body.get("command", "").lstrip("/"),
            text=render.unescape(body.get("text", "")).strip(),
        )
        return await self.dispatcher.handle(request)

    async def _on_action(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        if not body["actions"][0]["action_id"].startswith(render.LINK_ACTION_PREFIX):  # Slack opened a link itself
            await self._after_ack(self._handle_action(body, respond))

    async def _handle_action(self, body: dict[str, Any], respond: Any) -> None:
        action = body["actions"][0]
        user = body["user"]["id"]
        container = body.get("container") or {}
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id", "")
        thread = message.get("thread_ts") or container.get("thread_ts")
        value = action.get("value") or (action.get("selected_option") or {}).get("value", "")
        delivery = body.get("trigger_id") or action.get("action_ts")
        request = Request(
            kind=RequestKind.ACTION,
            platform=self.platform,
            user_id=user,
            user_name=body["user"].get("username", ""),
            roles=await self._roles(user),
            channel_id=channel,
            thread_id=thread,
            message_id=container.get("message_ts") or message.get("ts"),
            is_direct=channel.startswith("D"),
            action_id=render.feature_action_id(action["action_id"]),
            value=value,
            delivery_id=f"slack:action:{delivery}:{action['action_id']}:{user}",
        )
        outcome = await self.dispatcher.handle(request)
        origin = Origin(user, channel, thread, body.get("trigger_id"), respond if body.get("response_url") else None)
        await self._answer(outcome.replies, origin)

    async def _on_submit(self, ack: Any, body: dict[str, Any]) -> None:
        view = body["view"]
        user = body["user"]["id"]
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        if not isinstance(meta, dict):  # the request checks refuse these; never index into one
            meta = {}
        values = (view.get("state") or {}).get("values") or {}
        request = Request(
            kind=RequestKind.SUBMIT,
            platform=self.platform,
            user_id=user,
            user_name=body["user"].get("username", ""),
            roles=await self._roles(user),
            channel_id=str(meta.get("c", "")),
            thread_id=meta.get("t") or None,
            is_direct=str(meta.get("c", "")).startswith("D"),
            action_id=view.get("callback_id", ""),
            value=str(meta.get("v", "")),
            form=render.form_values(values),
            delivery_id=f"slack:view:{view.get('id')}:{body.get('trigger_id')}",
        )
        outcome = await self.dispatcher.handle(request)
        if outcome.form_errors:
            first_block = next(iter(values), "")
            errors: dict[str, str] = {}
            for field_id, error in outcome.form_errors.items():
                block = field_id if field_id in values else first_block
                errors[block] = f"{errors[block]} {error}" if block in errors else error
            await ack(response_action="errors", errors=errors)
            return
        replies = list(outcome.replies)
        next_step = replies.pop(0).form if replies and replies[0].form is not None else None
        if next_step is not None:  # a further step: swap the modal's content
            await ack(response_action="update", view=self._modal(next_step, request.channel_id, request.thread_id))
        else:
            await ack()
        if replies:
            origin = Origin(user, request.channel_id, request.thread_id, body.get("trigger_id"))
            await self._after_ack(self._answer(replies, origin))

    async def _on_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        thread = event.get("thread_ts")
        if event.get("subtype") not in THREAD_MESSAGE_SUBTYPES or event.get("bot_id") or "user" not in event:
            return
        if not thread or thread == event.get("ts"):
            return  # not a reply in a thread: the bot does not read channels
        event_id = str(body.get("event_id") or "")
        self._remember(event_id)
        await self._after_ack(self._handle_thread_message(event, event_id))

    async def _handle_thread_message(self, event: dict[str, Any], event_id: str) -> None:
        thread = event["thread_ts"]
        request = Request(
            kind=RequestKind.MESSAGE,
            platform=self.platform,
            user_id=event["user"],
            roles=await self._roles(event["user"]),
            channel_id=event.get("channel", ""),
            thread_id=thread,
            message_id=event.get("ts"),
            is_direct=event.get("channel_type") == "im",
            text=render.unescape(event.get("text", "")),
            delivery_id=f"slack:event:{event_id}" if event_id else None,
        )
        outcome = await self.dispatcher.handle(request)
        if outcome.error_id:
            self._recent_events.pop(event_id, None)  # it failed: let Slack's retry try again
        await self._answer(outcome.replies, Origin(event["user"], request.channel_id, thread))

    async def _after_ack(self, work: Coroutine[Any, Any, None]) -> None:
        """Run work that needs no answer in the acknowledgement: in the background, or before
        the answer when process_before_response is set (tests; hosts that freeze after it)."""
        if self.process_before_response:
            await work
            return
        task = asyncio.ensure_future(work)
        self._in_flight.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Slack work after an acknowledgement failed", exc_info=task.exception())

    def _remember(self, event_id: str) -> None:
        if event_id:
            self._recent_events[event_id] = None
            while len(self._recent_events) > RECENT_EVENTS:
                self._recent_events.popitem(last=False)

    async def _roles(self, user_id: str) -> frozenset[str]:
        groups = await self.groups.of(user_id) if self.groups else set()
        return self.runtime.roles.roles_for(self.platform, user_id, platform_groups=groups)

    # --- replies to a person --------------------------------------------------------------------

    async def _answer(self, replies: list[Reply], origin: Origin) -> None:
        for reply in replies:
            # A bot token cannot delete a person's message, so the person is told how to.
            reply = await settle_prompt_removal(reply, None)
            try:
                if reply.form is not None:
                    await self._open_form(reply.form, origin)
                elif reply.target.kind != "respond":
                    await self.send(reply.target, reply)
                elif reply.blocks:
                    await self._respond(reply, origin)
            except (SlackClientError, DeliveryError, aiohttp.ClientError, TimeoutError) as exc:
                reason = exc.reason if isinstance(exc, DeliveryError) else _slack_error(exc)
                log.warning("could not answer a Slack request: %s", reason)

    async def _respond(self, reply: Reply, origin: Origin) -> None:
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
            await self._post(origin.channel_id, reply, origin.thread_ts)
        elif origin.channel_id:
            await self.client.chat_postEphemeral(
                channel=origin.channel_id, user=origin.user_id, thread_ts=origin.thread_ts, **payload
            )
        else:
            await self._post(await self._dm_channel(origin.user_id), reply)
        if render.uploads(reply):
            if public and origin.channel_id:
                await self._upload(reply, origin.channel_id, origin.thread_ts)
            else:  # files cannot be ephemeral: they go to the person's direct messages
                await self._upload(reply, await self._dm_channel(origin.user_id), None)

    async def _open_form(self, form: Form, origin: Origin) -> None:
        if not origin.trigger_id:
            await self._respond(Reply(blocks=[Text(text=NO_FORM_HERE)]), origin)
            return
        try:
            await self.client.views_open(
                trigger_id=origin.trigger_id, view=self._modal(form, origin.channel_id, origin.thread_ts)
            )
        except SlackApiError as exc:
            log.warning("could not open a Slack modal: %s", exc.response.get("error"))
            await self._respond(Reply(blocks=[Text(text=FORM_TOO_SLOW)]), origin)

    @staticmethod
    def _modal(form: Form, channel_id: str, thread_ts: str | None) -> dict[str, Any]:
        return render.modal(form, metadata={"v": form.value, "c": channel_id, "t": thread_ts or ""})

    # --- posts (the delivery worker's way out) -----------------------------------------------

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
                channel, thread = await self._dm_channel(target.user_id), None
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
                files_channel, files_thread = await self._dm_channel(target.user_id), None
            else:
                found = await self._posted_before(channel, thread, key) if key and redelivery else None
                if found is not None:
                    return found  # posted by the earlier claim; its files went with it or not at all
                ts = await self._post(channel, reply, thread, key=key)
                files_channel, files_thread = channel, thread
            if render.uploads(reply):
                await self._upload(reply, files_channel, files_thread)
            return ts
        except SlackApiError as exc:
            raise delivery_error(exc) from None
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"Slack could not be reached: {_slack_error(exc)}") from None

    async def _post(self, channel: str, reply: Reply, thread_ts: str | None = None, *, key: str | None = None) -> str:
        metadata = outbox_metadata(key) if key else None  # slack_sdk leaves None arguments out
        async with self.channel_pacer.turn(channel), self.workspace_pacer.turn("workspace"):
            result = await self.client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, metadata=metadata, **render.message(reply)
            )
        return str(result["ts"])

    async def _posted_before(self, channel: str, thread_ts: str | None, key: str) -> str | None:
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

    async def _dm_channel(self, user_id: str) -> str:
        if user_id not in self._dm_channels:
            result = await self.client.conversations_open(users=user_id)
            self._dm_channels[user_id] = str(result["channel"]["id"])
        return self._dm_channels[user_id]

    async def _upload(self, reply: Reply, channel: str, thread_ts: str | None) -> None:
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


class _KnownRetries(AsyncMiddleware):
    """Slack retries events it thinks we missed; answer a retry of one we have at once.
    This is only a shortcut: the dispatcher's record in the database is what counts."""

    def __init__(self, recent_events: OrderedDict[str, None]) -> None:
        self.recent_events = recent_events

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse | None:
        retry = (req.headers.get("x-slack-retry-num") or ["0"])[0]
        if retry not in ("", "0") and req.body.get("event_id") in self.recent_events:
            return BoltResponse(status=200, body="")
        return await next()


def _quiet_sdk_log() -> logging.Logger:
    """The logger for Bolt and the Slack client: warnings and errors only, whatever LOG_LEVEL
    says, because their info and debug lines carry request bodies, i.e. what people typed."""
    quiet = logging.getLogger("sgbot.slack.sdk")
    quiet.setLevel(logging.WARNING)
    if _quiet_token_notice not in quiet.filters:
        quiet.addFilter(_quiet_token_notice)
    return quiet


def _quiet_token_notice(record: logging.LogRecord) -> bool:
    """AsyncApp warns that SLACK_BOT_TOKEN in the environment is unused when it is given a
    client; the client carries that same token, so the warning would only confuse."""
    return "will be unused" not in record.getMessage()


def _slack_error(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
    return type(exc).__name__


# Message metadata naming the outbox row a post came from (https://api.slack.com/metadata/using;
# read back with conversations.history include_all_metadata,
# https://api.slack.com/methods/conversations.history#arg_include_all_metadata).
OUTBOX_EVENT = "sgbot_outbox"
OUTBOX_LOOKBACK = 200  # recent messages searched on a redelivery


def outbox_metadata(key: str) -> dict[str, Any]:
    return {"event_type": OUTBOX_EVENT, "event_payload": {"key": key}}
