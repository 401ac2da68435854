"""Slack, through slack-bolt's AsyncApp, in the bot's one asyncio loop.

In:  slash commands, button clicks and selects, modal submissions, and replies in threads a
     feature has claimed -> `Request` -> the dispatcher (which drops repeated deliveries,
     checks roles and turns failures into sentences).
Out: replies to the person (in the command's acknowledgement, through response_url, or
     chat.postEphemeral), modals (views.open), posts for the delivery worker
     (chat.postMessage, paced per channel, 429s retried), direct messages
     (conversations.open) and uploads (files_upload_v2). Block Kit is built in slack.render;
     answers to a person are sent by slack.answers, posts by slack.outbound.

Two modes: Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), otherwise HTTP
mode on SLACK_HTTP_HOST:SLACK_HTTP_PORT/slack/events, verified with SLACK_SIGNING_SECRET
and stateless, so replicas can share a load balancer. In both modes slack.guard checks each
request (signature, body, shape, workspace and app) before Bolt sees it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Coroutine
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.base import PlatformDescription, with_reply_hint
from bot.adapters.slack import render as render
from bot.adapters.slack.answers import Origin, SlackAnswers, modal_for
from bot.adapters.slack.guard import Guard, Workspace, socket_mode_handler
from bot.adapters.slack.inbound import (
    KnownRetries,
    action_request,
    command_request,
    form_blocks,
    modal_errors,
    submit_request,
    thread_message_request,
)
from bot.adapters.slack.outbound import SlackPoster
from bot.adapters.slack.retries import retry_handlers
from bot.adapters.slack.web import AppIdentity, Pacer, UserGroups, quiet_sdk_log
from bot.respond import settled_within
from core.config import ConfigError
from core.model import Reply, Target, Visibility

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.runtime import Runtime

log = logging.getLogger("sgbot.slack")

EVENTS_PATH = "/slack/events"
RECENT_EVENTS = 10_000  # event ids remembered in memory to answer Slack's retries at once
THREAD_MESSAGE_SUBTYPES = {None, "thread_broadcast", "file_share"}


class SlackAdapter:
    platform = "slack"
    description = PlatformDescription(
        name="slack",
        channel="<#{id}>",
        user="<@{id}>",
        roles_from="the settings, and Slack user groups named in SLACK_ROLE_GROUPS",
        private_answers=True,
        limits={
            "blocks": render.MAX_BLOCKS,
            "section_chars": render.SECTION_CHARS,
            "button_label_chars": render.BUTTON_LABEL_CHARS,
        },
    )

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
        quiet = quiet_sdk_log()
        self.client = client or AsyncWebClient(
            token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url, logger=quiet
        )
        self.client.retry_handlers = retry_handlers(self.client.retry_handlers)
        self.identity = AppIdentity(self.client)
        self.http_host = http_host if http_host is not None else settings.slack_http_host
        self.http_port = http_port if http_port is not None else settings.slack_http_port
        self.ack_budget = ack_budget
        self.process_before_response = process_before_response
        self._in_flight: set[asyncio.Task[None]] = set()
        # Across the workspace: the same average, in bursts within a rolling second. Slack does
        # not publish its workspace-wide figure; a 429 beyond this is waited out and retried.
        burst = round(1 / workspace_interval) if workspace_interval > 0 else 1
        self.poster = SlackPoster(
            self.client,
            channel_pacer=Pacer(channel_interval),
            workspace_pacer=Pacer(workspace_interval, burst=burst),
        )
        self.answers = SlackAnswers(self.client, self.poster)
        groups = settings.mapping(settings.slack_role_groups)
        self.groups = UserGroups(self.client, groups, ttl=group_ttl) if groups else None
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
            # Who the app is comes from the start-up auth.test (identify), not a check of Bolt's
            # own on the first requests: a refused one would answer people "please reinstall
            # this app" and drop their taps and replies (an outside audit).
            authorize=self.identity.for_bolt(),
            # Bolt answers when a listener returns; the listeners acknowledge first and hand
            # the rest to `_after_ack`, so no answer waits for Bolt's 10 ms check for the ack.
            process_before_response=True,
            # Workflow steps and assistant threads are not used: skip their per-request work.
            attaching_function_token_enabled=False,
            attaching_conversation_kwargs_enabled=False,
        )
        self.app.middleware(KnownRetries(self._recent_events))
        self.app.command(re.compile(r"^/"))(self._on_command)
        self.app.action(re.compile(r".*"))(self._on_action)
        self.app.view_submission(re.compile(r".*"))(self._on_submit)
        self.app.event("message")(self._on_message)

    @property
    def channel_pacer(self) -> Pacer:
        """Paces posts per channel (the poster's; replaceable, e.g. by a test counting waits)."""
        return self.poster.channel_pacer

    @channel_pacer.setter
    def channel_pacer(self, pacer: Pacer) -> None:
        self.poster.channel_pacer = pacer

    @property
    def workspace_pacer(self) -> Pacer:
        return self.poster.workspace_pacer

    @workspace_pacer.setter
    def workspace_pacer(self, pacer: Pacer) -> None:
        self.poster.workspace_pacer = pacer

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        await self.identify()
        if self.mode == "socket":
            await self._check_app_token()
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

    async def _check_app_token(self) -> None:
        """One apps.connections.open with the app token before the SDK's own loop, which on a refused
        token retries for a minute with a traceback each time."""
        app_token = self.runtime.ctx.settings.slack_app_token
        assert app_token is not None
        advice = "Check the app-level token (xapp-...) in .env: it needs the connections:write scope."
        opened = self.client.apps_connections_open(app_token=app_token.get_secret_value())
        await _checked(opened, "SLACK_APP_TOKEN", advice)

    async def identify(self) -> None:
        """Check the bot token with auth.test, and learn from it which workspace to serve when
        SLACK_TEAM_IDS and SLACK_ENTERPRISE_ID are not set."""
        auth = await _checked(self.client.auth_test(), "SLACK_BOT_TOKEN", "Check the bot token in .env.")
        self.identity.learned(auth)
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
        done, work = await settled_within(self._dispatch_command(body), self.ack_budget)
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
            await self._after_ack(self.answers.answer(replies, origin))

    async def _answer_when_done(self, work: asyncio.Future[Any], origin: Origin) -> None:
        await self.answers.answer((await work).replies, origin)

    async def _dispatch_command(self, body: dict[str, Any]) -> Any:
        request = command_request(body, await self._roles(body["user_id"]))
        return await self.dispatcher.handle(request)

    async def _on_action(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        if not body["actions"][0]["action_id"].startswith(render.LINK_ACTION_PREFIX):  # Slack opened a link itself
            await self._after_ack(self._handle_action(body, respond))

    async def _handle_action(self, body: dict[str, Any], respond: Any) -> None:
        request = action_request(body, await self._roles(body["user"]["id"]))
        outcome = await self.dispatcher.handle(request)
        respond_url = respond if body.get("response_url") else None
        origin = Origin(request.user_id, request.channel_id, request.thread_id, body.get("trigger_id"), respond_url)
        await self.answers.answer(outcome.replies, origin)

    async def _on_submit(self, ack: Any, body: dict[str, Any]) -> None:
        user = body["user"]["id"]
        request = submit_request(body, await self._roles(user))
        outcome = await self.dispatcher.handle(request)
        if outcome.form_errors:
            await ack(response_action="errors", errors=modal_errors(form_blocks(body), outcome.form_errors))
            return
        replies = list(outcome.replies)
        next_step = replies.pop(0).form if replies and replies[0].form is not None else None
        if next_step is not None:  # a further step: swap the modal's content
            await ack(response_action="update", view=modal_for(next_step, request.channel_id, request.thread_id))
        else:
            await ack()
        if replies:
            origin = Origin(user, request.channel_id, request.thread_id, body.get("trigger_id"))
            await self._after_ack(self.answers.answer(replies, origin))

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
        request = thread_message_request(event, await self._roles(event["user"]), event_id)
        outcome = await self.dispatcher.handle(request)
        if outcome.error_id:
            self._recent_events.pop(event_id, None)  # it failed: let Slack's retry try again
        await self.answers.answer(outcome.replies, Origin(request.user_id, request.channel_id, request.thread_id))

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

    # --- posts (the delivery worker's way out) -----------------------------------------------

    async def send(self, target: Target, reply: Reply, *, key: str | None = None, redelivery: bool = False) -> str:
        """Post to a channel, a thread or a person, or edit the bot's own post: see `SlackPoster.send`."""
        reply = with_reply_hint(reply, target.kind == "thread")  # the Events API delivers thread replies
        return await self.poster.send(target, reply, key=key, redelivery=redelivery)


async def _checked(call: Awaitable[Any], setting: str, advice: str) -> Any:
    """A Slack call made at start-up to check a token: a refusal or no answer is one sentence."""
    try:
        return await call
    except SlackApiError as exc:
        raise ConfigError(f"Slack refused {setting} ({exc.response.get('error')}). {advice}") from None
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
        raise ConfigError(
            f"Could not reach Slack to check {setting} ({type(exc).__name__}). Check that this machine "
            "can reach slack.com, then start again."
        ) from None
