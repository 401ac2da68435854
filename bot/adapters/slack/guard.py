"""What the Slack adapter lets in: every request is checked here before Bolt or a feature sees it.

Over HTTP, in this order, so nobody without the signing secret can make the bot parse anything
(the first three checks are in slack.checks):
1. the signature, on the raw bytes (401);
2. the body: UTF-8, JSON or a form, with `payload=` holding a JSON object (400);
3. the shape of what the adapter reads from it (400), and a slash command already received
   byte for byte, a replay (409);
4. the workspace, organisation and app it came from: another one gets a polite refusal and a
   line in the audit trail, and nothing happens.

Socket Mode envelopes arrive over a connection the app token opened, so only steps 3 and 4 apply;
there every envelope is acknowledged (a refusal in words for a command), or Slack sends it again.

Each refusal is one log line without a traceback, and the same reason is logged at most once a
minute (with a count of the others), so someone who can reach the port cannot fill the log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.adapters.slack.checks import IGNORED_WRAPPERS, Malformed, parse, shape_problem, signature_problem
from core.lru import Lru
from storage import audit

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    from core.context import Context

log = logging.getLogger("sgbot.slack")

LOG_EVERY_SECONDS = 60.0

UNSIGNED = "This request is not signed with the app's signing secret, so it was ignored."
MALFORMED = "This request is not one Slack sends to this app, so it was ignored."
REPLAYED = "This signed request was already received, so it was ignored."
# Slash commands' signatures seen lately: Slack never sends a command twice, and each use has its
# own trigger_id, so one received again byte for byte is a replay. Kept per process: a replay sent
# to another replica within the five minutes is not caught.
_RECENT_SIGNATURES = 8192
OTHER_WORKSPACE = (
    "This bot only serves its own partnership's Slack workspace, so it cannot help here. "
    "If you think it should, ask your partnership's business unit."
)


@dataclass(frozen=True)
class Verdict:
    """A request stopped here: what to answer, and why."""

    status: int  # over HTTP
    text: str = ""  # one sentence for whoever sent it
    ack: dict[str, Any] | None = None  # a reply Slack shows the person (a command's refusal)


# --- who sent it -----------------------------------------------------------------------------


def _ids(body: Mapping[str, Any]) -> tuple[str, str, str]:
    """(team, enterprise, app) a request says it belongs to; "" where it says nothing."""
    team = body.get("team")
    enterprise = body.get("enterprise")
    view: dict[str, Any] = body["view"] if isinstance(body.get("view"), dict) else {}
    user: dict[str, Any] = body["user"] if isinstance(body.get("user"), dict) else {}
    team_id = (
        view.get("app_installed_team_id")  # a modal opened from another workspace of a Slack Connect channel
        or (team.get("id") if isinstance(team, dict) else team)
        or body.get("team_id")
        or user.get("team_id")
    )
    enterprise_id = (
        (enterprise.get("id") if isinstance(enterprise, dict) else enterprise)
        or body.get("enterprise_id")
        or (team.get("enterprise_id") if isinstance(team, dict) else None)
    )
    return str(team_id or ""), str(enterprise_id or ""), str(body.get("api_app_id") or "")


@dataclass
class Workspace:
    """The workspace(s), organisation and app this bot serves. Empty means "not checked";
    with nothing configured, `learn` fills them from auth.test when the adapter starts."""

    teams: frozenset[str] = frozenset()
    enterprise: str = ""
    app_id: str = ""
    known: bool = False  # until configured or learned, nothing is served

    @classmethod
    def configured(cls, teams: str, enterprise: str, app_id: str) -> Workspace:
        ids = frozenset(t.strip() for t in teams.split(",") if t.strip())
        return cls(ids, enterprise.strip(), app_id.strip(), known=bool(ids or enterprise.strip()))

    def learn(self, auth: Mapping[str, Any]) -> None:
        if not self.known:
            if auth.get("is_enterprise_install"):  # an organisation-wide install: any of its workspaces
                self.enterprise = self.enterprise or str(auth.get("enterprise_id") or "")
            elif auth.get("team_id"):
                self.teams = frozenset({str(auth["team_id"])})
                self.enterprise = self.enterprise or str(auth.get("enterprise_id") or "")
        self.app_id = self.app_id or str(auth.get("app_id") or "")
        self.known = bool(self.teams or self.enterprise)

    def problem(self, body: Mapping[str, Any]) -> str:
        if body.get("type") == "url_verification":  # carries no ids; Slack checks the URL while it is set up
            return ""
        if not self.known:
            return "a request before the workspace was known"
        team, enterprise, app = _ids(body)
        if self.app_id and app != self.app_id:
            return f"app {app[:20] or 'none'}"
        if self.enterprise and enterprise != self.enterprise:
            return f"organisation {enterprise[:20] or 'none'}"
        if self.teams and team not in self.teams:
            return f"workspace {team[:20] or 'none'}"
        return ""


# --- the guard --------------------------------------------------------------------------------


class _Throttle:
    """Logs one line per kind of refusal, then at most one a minute with a count of those not
    logged. Kinds are a handful of fixed strings; what a request said only goes in the detail."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def warn(self, kind: str, detail: str) -> None:
        now = self._clock()
        if now - self._last.get(kind, -LOG_EVERY_SECONDS) < LOG_EVERY_SECONDS:
            self._held[kind] = self._held.get(kind, 0) + 1
            return
        self._last[kind] = now
        held = self._held.pop(kind, 0)
        more = f" ({held} more like it in the last minute)" if held else ""
        log.warning("%s: %s%s", kind, detail, more)


class Guard:
    def __init__(self, ctx: Context, workspace: Workspace, signing_secret: str) -> None:
        self.ctx = ctx
        self.workspace = workspace
        self.secret = signing_secret.encode()
        self.throttle = _Throttle()
        self.seen: Lru[str, bool] = Lru(_RECENT_SIGNATURES)

    async def judge(self, body: Mapping[str, Any]) -> Verdict | None:
        """Steps 3 and 4, for both modes: None when the request may go on to Bolt."""
        problem = shape_problem(body)
        if problem:
            self.throttle.warn("refused a malformed Slack request", problem)
            return Verdict(400, MALFORMED)
        if body.get("type") in IGNORED_WRAPPERS or (
            body.get("type") == "event_callback" and body["event"]["type"] != "message"
        ):
            return Verdict(200)  # events the bot does not use: acknowledged, so Slack does not resend them
        foreign = self.workspace.problem(body)
        if not foreign:
            return None
        self.throttle.warn("refused a Slack request from outside this partnership's workspace", foreign)
        await self._audit(body, foreign)
        if "command" in body:
            return Verdict(200, OTHER_WORKSPACE, ack={"response_type": "ephemeral", "text": OTHER_WORKSPACE})
        return Verdict(200)

    async def _audit(self, body: Mapping[str, Any], foreign: str) -> None:
        user = body.get("user_id") or (body.get("user") or {}).get("id") or (body.get("event") or {}).get("user")
        if "command" in body:
            subject = str(body["command"]).lstrip("/")[:30]
        elif body.get("type") == "block_actions":
            subject = str(body["actions"][0]["action_id"])[:40]
        elif body.get("type") == "view_submission":
            subject = str(body["view"].get("callback_id") or "")[:40]
        else:
            subject = "thread-message"
        try:
            async with self.ctx.db.transaction() as tx:
                await audit.record(
                    tx,
                    at=self.ctx.now(),
                    platform="slack",
                    actor=str(user or "unknown")[:40],
                    action="denied",
                    subject=subject,
                    detail=f"from another {foreign}",
                )
        except Exception:  # noqa: BLE001 - a failed audit must not turn a refusal into an error
            log.warning("could not audit a refused Slack request")

    # --- HTTP ---------------------------------------------------------------------------------

    def web_app(self, path: str, dispatch: Callable[[AsyncBoltRequest], Awaitable[BoltResponse]]) -> web.Application:
        """The HTTP endpoint: every POST to `path` is checked, then handed to Bolt."""

        async def endpoint(request: web.Request) -> web.StreamResponse:
            raw = await request.read()
            stamp = request.headers.get("X-Slack-Request-Timestamp")
            if _is_ssl_check(raw):
                # Slack's certificate check, signed or not, asks only for a 200 and does nothing
                return web.Response(status=200)
            unsigned = signature_problem(self.secret, raw, stamp, request.headers.get("X-Slack-Signature"), time.time())
            if unsigned:
                self.throttle.warn("refused an unsigned Slack request", unsigned)
                return web.Response(status=401, text=UNSIGNED)
            try:
                body, text = parse(raw, request.content_type)
            except Malformed as exc:
                self.throttle.warn("refused a malformed Slack request", str(exc))
                return web.Response(status=400, text=MALFORMED)
            if "command" in body:  # events and interactions carry ids of their own, de-duplicated later
                signature = request.headers.get("X-Slack-Signature", "")
                if self.seen.recall(signature):
                    self.throttle.warn("refused a replayed Slack command", "a signature already received")
                    return web.Response(status=409, text=REPLAYED)
                self.seen.keep(signature, True)
            verdict = await self.judge(body)
            if verdict is not None:
                if verdict.ack is not None:
                    return web.json_response(verdict.ack, status=verdict.status)
                return web.Response(status=verdict.status, text=verdict.text)
            # Bolt is given the body parsed once, here: its own parser takes any form whose text
            # mentions "payload" for an interaction. The socket-mode constructor is the one that
            # accepts a dict; the request is marked as HTTP again so Bolt checks the signature too.
            try:
                bolt_request = AsyncBoltRequest(
                    body=body,
                    query=request.query_string,
                    headers=request.headers,  # type: ignore[arg-type]
                    mode="socket_mode",
                )
            except (TypeError, AttributeError, KeyError, IndexError, ValueError) as exc:
                # Bolt reads its context from fields of a shape it assumes ("response_urls": null)
                self.throttle.warn("refused a Slack request Bolt could not read", type(exc).__name__)
                return web.Response(status=400, text=MALFORMED)
            bolt_request.mode, bolt_request.raw_body = "http", text
            return await to_aiohttp_response(await dispatch(bolt_request))

        app = web.Application()
        app.router.add_post(path, endpoint)
        return app


def _is_ssl_check(raw: bytes) -> bool:
    if len(raw) > 200:
        return False
    fields = dict(parse_qsl(raw.decode("latin-1"), keep_blank_values=True))
    return fields.get("ssl_check") == "1" and set(fields) <= {"ssl_check", "token"}


def socket_mode_handler(guard: Guard, app: AsyncApp, app_token: str, web_client: AsyncWebClient) -> Any:
    """Bolt's Socket Mode handler, with each envelope checked before Bolt sees it (steps 3 and 4:
    the connection itself was opened with the app token). A stopped envelope is still
    acknowledged, with the refusal as its reply for a command, or Slack would send it again."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
    from slack_sdk.socket_mode.response import SocketModeResponse

    class CheckedSocketModeHandler(AsyncSocketModeHandler):
        async def handle(self, client: Any, req: Any) -> None:
            verdict = await guard.judge(req.payload if isinstance(req.payload, dict) else {})
            if verdict is None:
                await super().handle(client, req)
                return
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id, payload=verdict.ack))

    async def object_payloads(client: Any, message: dict[Any, Any], raw: str | None) -> None:
        # The SDK cannot make a request of an envelope whose payload is a list or a number (it
        # logs a traceback and never acknowledges it); an empty payload is refused by the checks.
        if "envelope_id" in message and not isinstance(message.get("payload", {}), dict | str):
            message["payload"] = {}

    handler = CheckedSocketModeHandler(app, app_token, web_client=web_client)
    handler.client.message_listeners.insert(0, object_payloads)
    return handler
