"""The Teams SDK app, served by aiohttp in the bot's one loop, and its tokens both ways.

In:  `AiohttpServer` is the SDK's `HttpServerAdapter` on aiohttp: the SDK registers its
     messaging route on it and does the Bot Framework JWT check itself (signature against the
     published keys, audience = our app id, issuer, expiry, and the token's serviceurl claim
     against the activity's serviceUrl). The keys are fetched by PyJWT with blocking urllib, so
     `OffLoopValidator` runs the SDK's check in a worker thread instead of on the loop, refuses a
     token with no expiry, and remembers the tokens it passed (Teams sends the same token with
     every activity for up to an hour) until they expire or the key set they were checked against
     does. After that, with TEAMS_TENANT_ID set an activity from another organisation gets 403,
     a sign-in invoke or an app upgrade's remove is answered without the SDK (preflight.py), and
     a body that is not an activity gets 400.
Out: `TenantTokenProvider` gets the bot's own token with the client-credentials grant from the
     configured tenant's token endpoint (TEAMS_TOKEN_URL overrides it, for tests only), proving
     the app with a client secret or a certificate-signed assertion (credentials.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import jwt
from aiohttp import web
from microsoft_teams.api.activities import ActivityTypeAdapter
from microsoft_teams.api.auth.cloud_environment import PUBLIC, CloudEnvironment, with_overrides
from pydantic import ValidationError

with warnings.catch_warnings():  # the SDK announces a preview feature (HTML widgets) we do not use
    warnings.simplefilter("ignore")
    from microsoft_teams.apps import App
from microsoft_teams.apps.http.adapter import HttpMethod, HttpRequest, HttpRouteHandler

from bot.adapters.teams import preflight
from bot.adapters.teams.credentials import SETUP, ClientCertificate, Credential, credential_from
from core.config import ConfigError, Settings
from core.lru import Lru

log = logging.getLogger("sgbot.teams")

BODY_LIMIT = 256 * 1024  # an activity is a few KB; Teams caps a message at about 28 KB
TOKEN_EARLY_SECONDS = 300  # renew the bot's token this long before it runs out
DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams"
TOKENS_REMEMBERED = 1_000  # validated inbound tokens kept, most recently used
# A real activity nests about ten deep; a few hundred deep, the SDK fails with a traceback.
MAX_NESTING = 100
NESTED_TOO_DEEPLY = "The body is nested too deeply."


class AiohttpServer:
    """The SDK's HttpServerAdapter protocol on aiohttp (the SDK's own default is FastAPI and
    uvicorn); `application` is served by the adapter's runner, beside nothing else."""

    def __init__(self, *, tenant_id: str = "") -> None:
        self.application = web.Application(client_max_size=BODY_LIMIT)
        self.tenant_id = tenant_id  # when set, activities from other organisations are refused
        # The token check (OffLoopValidator), run before anything else looks at the activity, so a
        # caller without a valid token learns nothing (every refusal is a 401) and no model is
        # built from a stranger's body. `initialize` sets it; the SDK checks the token again.
        self.token_check: OffLoopValidator | None = None
        self._runner: web.AppRunner | None = None

    def register_route(self, method: HttpMethod, path: str, handler: HttpRouteHandler) -> None:
        if method != "POST":
            raise ValueError(f"unsupported method {method}")

        async def route(request: web.Request) -> web.Response:
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
            if not await self._token_passes(request, body["serviceUrl"]):
                return web.json_response({"error": "Unauthorized"}, status=401)
            if self.tenant_id and tenant_of(body) != self.tenant_id:
                return web.json_response({"error": "This bot serves another organisation."}, status=403)
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

    async def _token_passes(self, request: web.Request, service_url: str) -> bool:
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


class OffLoopValidator:
    """Runs the SDK's inbound token validator in a worker thread whenever it may fetch keys: its
    key client (PyJWT's PyJWKClient) fetches them with blocking urllib, which must not stall the
    bot's loop. The validator awaits nothing of its own, so a fresh loop in the thread runs it
    whole. With the token's key already cached (the usual case), it runs on the loop.

    It adds two checks the SDK leaves out: a token must say when it expires (PyJWT checks `exp`
    only when a token has one), and, since a Bot Framework signing key lists the channels it is
    endorsed for, a token for a Teams activity must be signed by a key endorsed for msteams
    (https://learn.microsoft.com/en-us/azure/bot-service/rest-api/
    bot-framework-rest-connector-authentication, "Connector to bot", step 5)."""

    def __init__(self, validator: Any, issuer: str, channel: str = "msteams") -> None:
        self.validator = validator
        self.issuer = issuer
        self.channel = channel
        # sha256(service URL, token) -> (its claims, the key set it was checked against)
        self._passed: Lru[bytes, tuple[dict[str, Any], Any]] = Lru(TOKENS_REMEMBERED)

    async def validate_token(self, raw_token: str, service_url: str | None = None) -> dict[str, Any]:
        self._refuse_other_issuers(raw_token)
        remembered = self._recall(raw_token, service_url)
        if remembered is not None:
            return remembered
        if self._key_cached(raw_token):  # nothing to fetch: checking is quicker than a thread hop
            claims: dict[str, Any] = await self.validator.validate_token(raw_token, service_url)
            return self._remember(raw_token, service_url, self._endorsed(raw_token, _expiring(claims)))

        def check() -> dict[str, Any]:
            fetched: dict[str, Any] = asyncio.run(self.validator.validate_token(raw_token, service_url))
            return self._endorsed(raw_token, _expiring(fetched))

        return self._remember(raw_token, service_url, await asyncio.to_thread(check))

    # A token that passed every check passes them again while it is unexpired, for the same
    # service URL, checked against the same published keys: those are all the checks depend on
    # (signature, audience, issuer and endorsement are fixed by the token's bytes and the keys).
    # When PyJWT's five-minute key cache runs out, or the keys change, every token is checked afresh.

    @staticmethod
    def _digest(raw_token: str, service_url: str | None) -> bytes:
        return hashlib.sha256(f"{service_url or ''}\n{raw_token}".encode()).digest()

    def _key_set(self) -> Any:
        cache = getattr(self._keys, "jwk_set_cache", None)
        return cache.get() if cache is not None else None

    def _recall(self, raw_token: str, service_url: str | None) -> dict[str, Any] | None:
        if not self._passed:
            return None
        digest = self._digest(raw_token, service_url)
        found = self._passed.recall(digest)
        if found is None:
            return None
        claims, keys = found
        if keys is not self._key_set() or time.time() >= claims["exp"]:
            del self._passed[digest]
            return None
        return dict(claims)

    def _remember(self, raw_token: str, service_url: str | None, claims: dict[str, Any]) -> dict[str, Any]:
        keys = self._key_set()
        expires = claims.get("exp")
        if claims.get("iss") == self.issuer and keys is not None and isinstance(expires, int | float):
            self._passed.keep(self._digest(raw_token, service_url), (dict(claims), keys))
        return claims

    @property
    def _keys(self) -> Any:
        return getattr(getattr(self.validator, "_service_validator", None), "_jwks_client", None)

    def _key_cached(self, raw_token: str) -> bool:
        known = self._key_set()
        if known is None:
            return False
        try:
            kid = jwt.get_unverified_header(raw_token).get("kid")
            issuer = jwt.decode(raw_token, options={"verify_signature": False}).get("iss")
        except jwt.PyJWTError:
            return False  # the validator will say what is wrong, in the thread
        return issuer == self.issuer and any(key.key_id == kid for key in known.keys)

    def _refuse_other_issuers(self, raw_token: str) -> None:
        """Only the Bot Framework issues the tokens Teams sends activities with. The SDK also takes
        Entra tokens from the bot's own tenant (its path for Agent 365), and checks no service URL
        for them, so an activity could name any address for the bot's answer and its outbound
        token; sgbot serves no Agent 365, so any other issuer is refused, before anything is
        fetched (strangers cannot keep worker threads waiting on key fetches either)."""
        try:
            issuer = str(jwt.decode(raw_token, options={"verify_signature": False}).get("iss") or "")
        except jwt.PyJWTError:
            return  # the validator says what is wrong
        if issuer != self.issuer:
            raise jwt.InvalidIssuerError("the token was not issued by the Bot Framework")

    def _endorsed(self, raw_token: str, claims: dict[str, Any]) -> dict[str, Any]:
        if claims.get("iss") != self.issuer or self._keys is None:
            return claims
        key = self._keys.get_signing_key_from_jwt(raw_token)  # already fetched and cached by the check
        endorsements = getattr(key, "_jwk_data", {}).get("endorsements")
        if isinstance(endorsements, list) and self.channel not in endorsements:
            raise jwt.InvalidTokenError(f"the signing key is not endorsed for {self.channel}")
        return claims


def _expiring(claims: dict[str, Any]) -> dict[str, Any]:
    """The claims of a token that says when it expires; a token that would never expire is refused."""
    if "exp" not in claims:
        raise jwt.MissingRequiredClaimError("exp")
    return claims


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
    app = App(
        client_id=settings.teams_app_id,
        tenant_id=settings.teams_tenant_id or None,
        token=TenantTokenProvider(settings, cloud, credential=credential),
        http_server_adapter=server or AiohttpServer(tenant_id=settings.teams_tenant_id),
        messaging_endpoint=settings.teams_path,
        cloud=cloud,
        service_url=settings.teams_service_url or DEFAULT_SERVICE_URL,
        dangerously_allow_unauthenticated_requests=False,
        telemetry={"agent365": False},
    )
    app.on_activity(on_activity)
    return app


async def initialize(app: App) -> None:
    """Register the messaging route and move token validation off the loop (see above)."""
    await app.initialize()
    validator = getattr(app.server, "_token_validator", None)
    if validator is None:
        raise ConfigError("The Teams SDK did not set up token validation; check TEAMS_APP_ID.")
    checker = OffLoopValidator(validator, app.cloud.token_issuer)
    app.server._token_validator = checker  # type: ignore[assignment]
    adapter = getattr(app.server, "_adapter", None) or getattr(app, "http_server_adapter", None)
    if isinstance(adapter, AiohttpServer):
        adapter.token_check = checker
