"""The Teams SDK app, served by aiohttp in the bot's one loop, and its tokens both ways.

In:  `AiohttpServer` is the SDK's `HttpServerAdapter` on aiohttp: the SDK registers its
     messaging route on it and does the Bot Framework JWT check itself (signature against the
     published keys, audience = our app id, issuer, expiry, and the token's serviceurl claim
     against the activity's serviceUrl). The keys are fetched by PyJWT with blocking urllib, so
     `OffLoopValidator` (tokens.py) runs the SDK's check in a worker thread instead of on the loop, refuses a
     token with no expiry, and remembers the tokens it passed (Teams sends the same token with
     every activity for up to an hour) until they expire or the key set they were checked against
     does. After that, with TEAMS_TENANT_ID set an activity from another organisation gets 403,
     a sign-in invoke or an app upgrade's remove is answered without the SDK (preflight.py), and
     a body that is not an activity gets 400, and one naming a service URL the bot
     may not call (service_urls.py) 403.
Out: `TenantTokenProvider` gets the bot's own token with the client-credentials grant from the
     configured tenant's token endpoint (TEAMS_TOKEN_URL overrides it, for tests only), proving
     the app with a client secret or a certificate-signed assertion (credentials.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from pydantic import ValidationError

from bot.adapters.teams import inbound, preflight
from bot.adapters.teams.credentials import SETUP, ClientCertificate, Credential, credential_from
from bot.adapters.teams.sdk import (
    PUBLIC,
    ActivityTypeAdapter,
    App,
    ClientOptions,
    CloudEnvironment,
    HttpMethod,
    HttpRequest,
    HttpRouteHandler,
    with_overrides,
)
from bot.adapters.teams.service_urls import ServiceUrls
from bot.adapters.teams.tokens import TEAMS_CHANNEL, OffLoopValidator, quiet_sdk_refusals
from core.config import ConfigError, Settings

log = logging.getLogger("sgbot.teams")

BODY_LIMIT = 256 * 1024  # an activity is a few KB; Teams caps a message at about 28 KB
TOKEN_EARLY_SECONDS = 300  # renew the bot's token this long before it runs out
DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams"
# Each Bot Connector call gives up after this long (the SDK's HTTP client, and outbound.py's
# `Poster._call` around each call with the token fetch): the SDK's own default is no timeout, so a
# Bot Connector that takes the connection and never answers held the person's request (Teams stops
# waiting at 15 s) and the delivery worker for ever (outside audit, issue #15).
BOT_CONNECTOR_TIMEOUT = 10.0
# A real activity nests about ten deep; a few hundred deep, the SDK fails with a traceback.
MAX_NESTING = 100
NESTED_TOO_DEEPLY = "The body is nested too deeply."


class AiohttpServer:
    """The SDK's HttpServerAdapter protocol on aiohttp (the SDK's own default is FastAPI and
    uvicorn); `application` is served by the adapter's runner, beside nothing else."""

    def __init__(self, *, tenant_id: str = "", service_urls: ServiceUrls | None = None) -> None:
        self.application = web.Application(client_max_size=BODY_LIMIT)
        self.tenant_id = tenant_id  # when set, activities from other organisations are refused
        # an activity naming a service URL the bot may not call is refused (service_urls.py)
        self.service_urls = service_urls or ServiceUrls()
        # The token check (OffLoopValidator), run before anything else looks at the activity, so a
        # caller without a valid token learns nothing (every refusal is a 401) and no model is
        # built from a stranger's body. `initialize` sets it; the SDK checks the token again.
        self.token_check: OffLoopValidator | None = None
        self._runner: web.AppRunner | None = None

    def register_route(self, method: HttpMethod, path: str, handler: HttpRouteHandler) -> None:
        if method != "POST":
            raise ValueError(f"unsupported method {method}")

        async def route(request: web.Request) -> web.Response:
            # The token first, all but the service URL it names: a caller without one must not make
            # the loop read and walk a body (an outside audit held it 0.35-0.5 s a request with a
            # deep list, 20 at once 5-10 s); its serviceurl claim is matched once the body is read.
            if not await self._token_passes(request, None):
                return web.json_response({"error": "Unauthorized"}, status=401)
            try:
                body = json.loads(await request.read())
            except (ValueError, UnicodeDecodeError):
                return web.json_response({"error": "The body is not JSON."}, status=400)
            except RecursionError:  # deeper than the parser goes
                return web.json_response({"error": NESTED_TOO_DEEPLY}, status=400)
            if nested_deeper_than(body, MAX_NESTING):
                return web.json_response({"error": NESTED_TOO_DEEPLY}, status=400)
            if not isinstance(body, dict) or not isinstance(body.get("serviceUrl"), str):
                # The token's serviceurl claim is checked against this: without it, nothing to check.
                return web.json_response({"error": "Unauthorized"}, status=401)
            if body.get("channelId") != TEAMS_CHANNEL:
                # Only Teams: a Bot Framework key signs for several channels (Web Chat, Direct Line),
                # whose clients choose `from` and channelData. The key must also be endorsed for the
                # activity's channel (tokens.py `_endorsed`, which checks TEAMS_CHANNEL: this one).
                return web.json_response({"error": "Unauthorized"}, status=401)
            if not await self._token_passes(request, body["serviceUrl"]):
                return web.json_response({"error": "Unauthorized"}, status=401)
            if self.tenant_id and tenant_of(body) != self.tenant_id:
                return web.json_response({"error": "This bot serves another organisation."}, status=403)
            refused = self.service_urls.refusal(body["serviceUrl"])
            if refused is not None:  # before anything is answered, called or stored
                log.info("refused a Teams activity: %s", refused)
                return web.json_response({"error": "This bot does not answer through that service URL."}, status=403)
            unfit = inbound.unfit_id(body)
            if unfit is not None:  # before anything is looked up or stored with it
                return web.json_response({"error": f"{unfit} is not an id Teams gives."}, status=400)
            early = preflight.answer(body)  # sign-in invokes (no sign-in here), an app's upgrade
            if early is not None:
                status, answer = early
                return web.Response(status=status) if answer is None else web.json_response(answer, status=status)
            body = preflight.for_sdk(body)  # an upgrade's add-upgrade, as the add the SDK knows
            try:  # the SDK would answer a malformed activity with a 500 and a traceback in the log
                ActivityTypeAdapter.validate_python(body)
            except ValidationError:
                return web.json_response({"error": "That is not an activity this bot understands."}, status=400)
            headers = {name.lower(): value for name, value in request.headers.items()}
            result = await handler(HttpRequest(body=body, headers=headers))
            if result.get("body") is None:
                return web.Response(status=result["status"])
            return web.json_response(result["body"], status=result["status"])

        self.application.router.add_post(path, route)

    async def _token_passes(self, request: web.Request, service_url: str | None) -> bool:
        if self.token_check is None:
            return True  # not initialised yet: the SDK's own check still runs
        authorization = request.headers.get("Authorization", "")
        if not authorization.startswith("Bearer "):
            return False
        try:
            await self.token_check.validate_token(authorization.removeprefix("Bearer "), service_url)
        except Exception as exc:  # noqa: BLE001 - any failure of the check is a refusal
            log.info("refused a Teams request: %s", type(exc).__name__)
            return False
        return True

    def serve_static(self, path: str, directory: str) -> None:
        """Not used: the bot serves no tabs."""

    async def start(self, port: int, host: str = "0.0.0.0") -> None:  # noqa: S104 - behind a proxy, like Slack's
        self._runner = web.AppRunner(self.application, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()

    @property
    def port(self) -> int | None:
        if self._runner is None or not self._runner.addresses:
            return None
        return int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects inside one another go more than `limit` deep (without recursing)."""
    pending = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        inside = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if inside is None:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in inside)
    return False


def tenant_of(activity: dict[str, Any]) -> str:
    """The Entra tenant an activity comes from: conversation.tenantId, else channelData.tenant.id."""
    conversation = activity.get("conversation")
    channel_data = activity.get("channelData")
    found = conversation.get("tenantId") if isinstance(conversation, dict) else None
    if not found and isinstance(channel_data, dict) and isinstance(channel_data.get("tenant"), dict):
        found = channel_data["tenant"].get("id")
    return found if isinstance(found, str) else ""


class TenantTokenProvider:
    """The bot's outbound token (client credentials), cached until shortly before it expires."""

    def __init__(
        self,
        settings: Settings,
        cloud: CloudEnvironment,
        scope: str | None = None,
        credential: Credential | None = None,
    ) -> None:
        if not settings.teams_app_id:
            raise ConfigError(
                f"Microsoft Teams needs TEAMS_APP_ID, the app registration's Application (client) ID. {SETUP}"
            )
        if not settings.teams_tenant_id:
            # Without it the Teams library takes the bot for a multi-tenant app and would take
            # activities from any organisation; a partnership's bot serves its own.
            raise ConfigError(
                "Microsoft Teams needs TEAMS_TENANT_ID, the Directory (tenant) ID on the app registration's "
                f"Overview: the bot serves that organisation only. {SETUP}"
            )
        self.app_id = settings.teams_app_id
        self.credential = credential or credential_from(settings)  # a client secret or a certificate
        tenant = settings.teams_tenant_id or cloud.login_tenant
        self.url = settings.teams_token_url or f"{cloud.login_endpoint}/{tenant}/oauth2/v2.0/token"
        self.scope = scope or cloud.bot_scope  # the Bot Connector's, unless asked for another (Graph's)
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def __call__(self, scope: str | list[str], tenant_id: str | None = None) -> str:
        async with self._lock:
            if self._token is None or time.monotonic() >= self._expires:
                await self._fetch()
            assert self._token is not None
            return self._token

    async def _fetch(self) -> None:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.app_id,
            **self.credential.form(self.app_id, self.url),
            "scope": self.scope,
        }
        timeout = aiohttp.ClientTimeout(total=20)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(self.url, data=form) as response,
            ):
                answer = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise TokenUnavailable(f"could not reach the token endpoint ({type(exc).__name__})") from None
        if status != 200 or not isinstance(answer, dict) or not answer.get("access_token"):
            # The error code only: the answer may echo what was sent.
            code = answer.get("error", "") if isinstance(answer, dict) else ""
            if code == "invalid_client":  # Entra's answer to a wrong secret or certificate
                raise TokenUnavailable(
                    f"the token endpoint refused the bot's credential ({status} invalid_client): {self._check}"
                )
            raise TokenUnavailable(f"the token endpoint answered {status} {code}".strip())
        self._token = str(answer["access_token"])
        lifetime = float(answer.get("expires_in") or 3600)
        self._expires = time.monotonic() + max(lifetime - TOKEN_EARLY_SECONDS, lifetime / 2)

    @property
    def _check(self) -> str:
        if isinstance(self.credential, ClientCertificate):
            return (
                f"check that the certificate in TEAMS_CERTIFICATE_PATH (x5t#S256 {self.credential.thumbprint}) "
                "is the one uploaded to the app registration, and not expired"
            )
        return "check that TEAMS_APP_PASSWORD is a current client secret of the app registration"


class TokenUnavailable(Exception):
    """The bot could not get its own token, so it cannot post to Teams just now."""


def cloud_for(settings: Settings) -> CloudEnvironment:
    """Microsoft's public cloud; the OpenID metadata (whose keys check inbound tokens) may be
    pointed elsewhere only by TEAMS_OPENID_URL, which exists for tests."""
    return with_overrides(PUBLIC, openid_metadata_url=settings.teams_openid_url or None)


ActivityHandler = Callable[[Any], Awaitable[Any]]


def build_app(
    settings: Settings,
    on_activity: ActivityHandler,
    *,
    server: AiohttpServer | None = None,
    credential: Credential | None = None,
) -> App:
    """The Teams SDK app: our aiohttp server, our token provider, every activity to `on_activity`.
    Call `await app.initialize()` before serving (it registers the route and the validator)."""
    cloud = cloud_for(settings)
    service_urls = ServiceUrls(settings.teams_allow_service_hosts)
    app = App(
        client_id=settings.teams_app_id,
        tenant_id=settings.teams_tenant_id or None,
        token=TenantTokenProvider(settings, cloud, credential=credential),
        http_server_adapter=server or AiohttpServer(tenant_id=settings.teams_tenant_id, service_urls=service_urls),
        messaging_endpoint=settings.teams_path,
        cloud=cloud,
        service_url=settings.teams_service_url or DEFAULT_SERVICE_URL,
        dangerously_allow_unauthenticated_requests=False,
        telemetry={"agent365": False},
        client=ClientOptions(timeout=BOT_CONNECTOR_TIMEOUT),
    )
    app.on_activity(on_activity)
    return app


async def initialize(app: App) -> None:
    """Register the messaging route and move token validation off the loop (see above)."""
    quiet_sdk_refusals()
    await app.initialize()
    validator = getattr(app.server, "_token_validator", None)
    if validator is None:
        raise ConfigError("The Teams SDK did not set up token validation; check TEAMS_APP_ID.")
    checker = OffLoopValidator(validator, app.cloud.token_issuer)
    app.server._token_validator = checker  # type: ignore[assignment]
    adapter = getattr(app.server, "_adapter", None) or getattr(app, "http_server_adapter", None)
    if isinstance(adapter, AiohttpServer):
        adapter.token_check = checker
