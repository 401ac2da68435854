"""A local fake of what Microsoft runs for a Teams bot, on one aiohttp server on 127.0.0.1:

- the Bot Connector service (every activity's `serviceUrl` points here): records
  POST /v3/conversations/{id}/activities, replies (POST .../activities/{activityId}), updates
  (PUT .../activities/{activityId}) and POST /v3/conversations (a new personal chat);
- Bot Framework's OpenID metadata and signing keys (a test RSA key made per fake), which the
  SDK's own validator reads: /v1/.well-known/openidconfiguration and /v1/.well-known/keys;
- the tenant's token endpoint (client credentials, with the client secret or an assertion signed
  by a certificate in `certificates`), which signs the bot's outbound tokens;
- a OneDrive upload session (PUT /upload/{session}) for files a person allowed, recording the bytes;
- Microsoft Graph's checkMemberGroups, answering from `memberships` (Entra object id -> group
  ids) for a token issued for Graph only.

`TeamsSender` plays Teams itself: it signs activities (from tests/teams_payloads/) with the test
key, or with a wrong one, and posts them to the bot's messaging endpoint.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import datetime as dt
import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import jwt
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"  # Bot Framework's issuer for channel tokens
GRAPH = "https://graph.microsoft.com"
APP_ID = "00000000-0000-4000-8000-00000000b07a"
APP_PASSWORD = "test-teams-app-password"
TENANT_ID = "72f988bf-0000-4000-8000-000000000001"
BOT_ID = f"28:{APP_ID}"
KEY_ID = "sgbot-test-key"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
PAYLOADS = Path(__file__).parent / "teams_payloads"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def new_certificate(key: rsa.RSAPrivateKey) -> x509.Certificate:
    """A self-signed certificate for the app, as one made for an app registration would be."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sgbot test app")])
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )


def certificate_file(
    folder: Path, key: rsa.RSAPrivateKey, certificate: x509.Certificate, passphrase: str | None = None
) -> Path:
    """One PEM file holding the private key (encrypted when a passphrase is given) and the certificate."""
    protection = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, protection)
    path = folder / "sgbot-teams.pem"
    path.write_bytes(pem + certificate.public_bytes(serialization.Encoding.PEM))
    path.chmod(0o600)
    return path


def thumbprint_s256(certificate: x509.Certificate) -> str:
    return base64.urlsafe_b64encode(certificate.fingerprint(hashes.SHA256())).rstrip(b"=").decode()


@dataclass
class Call:
    method: str
    path: str
    conversation_id: str
    activity_id: str | None
    body: dict[str, Any]
    token: str
    answered_id: str | None = None  # the activity id the fake answered a post with

    @property
    def text(self) -> str:
        return str(self.body.get("text", ""))

    def attachments(self, content_type: str) -> list[dict[str, Any]]:
        return [a for a in self.body.get("attachments") or [] if a.get("contentType") == content_type]

    @property
    def card(self) -> dict[str, Any] | None:
        for attachment in self.body.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return attachment["content"]  # type: ignore[no-any-return]
        return None

    def card_text(self) -> str:
        """Every TextBlock and fact in the card, in order."""
        found: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if node.get("type") == "TextBlock":
                    found.append(str(node.get("text", "")))
                if node.get("type") == "FactSet":
                    found.extend(f"{f['title']}: {f['value']}" for f in node.get("facts", []))
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(self.card)
        return "\n".join(found)

    def buttons(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if str(node.get("type", "")).startswith("Action."):
                    found.append(node)
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(self.card)
        return found


@dataclass
class Upload:
    """A PUT to an upload session URL, as OneDrive would receive it."""

    session: str
    body: bytes
    content_range: str | None
    authorization: str | None


@dataclass
class FakeTeams:
    key: rsa.RSAPrivateKey = field(default_factory=new_key)
    calls: list[Call] = field(default_factory=list)
    tokens_issued: int = 0
    fail_next: list[int] = field(default_factory=list)  # statuses to answer the next posts with
    endorsements: list[str] = field(default_factory=lambda: ["msteams"])  # channels the key signs for
    memberships: dict[str, set[str]] = field(default_factory=dict)  # Graph: Entra object id -> group ids
    graph_down: bool = False  # Graph answers 503
    graph_calls: list[tuple[str, list[str]]] = field(default_factory=list)  # (object id, group ids asked)
    uploads: list[Upload] = field(default_factory=list)  # PUTs to upload_url()
    upload_status: int = 201  # OneDrive's answer to the last byte range of an upload session
    certificates: list[x509.Certificate] = field(default_factory=list)  # uploaded to the app registration
    assertion_ids: set[str] = field(default_factory=set)  # jti of every certificate assertion accepted
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1_700_000_000_001))
    silent: bool = False  # the Bot Connector takes each call and never answers (until stopped)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._openid)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        app.router.add_post("/tenant/oauth2/v2.0/token", self._token)
        app.router.add_post("/v1.0/users/{user}/checkMemberGroups", self._check_member_groups)
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._post)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._put)
        app.router.add_put("/upload/{session}", self._upload)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        self._stopping.set()  # a silent call ends, so the server stops at once
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what the bot's settings point at ------------------------------------------------------

    @property
    def openid_url(self) -> str:
        return f"{self.url}/v1/.well-known/openidconfiguration"

    @property
    def token_url(self) -> str:
        return f"{self.url}/tenant/oauth2/v2.0/token"

    def settings(self) -> dict[str, Any]:
        return {
            "teams_app_id": APP_ID,
            "teams_app_password": APP_PASSWORD,
            "teams_tenant_id": TENANT_ID,
            "teams_openid_url": self.openid_url,
            "teams_token_url": self.token_url,
            "teams_service_url": self.url,
            # the fake Bot Connector is plain http on loopback: allowed as an operator's exception, its port only
            "teams_allow_service_hosts": self.url.removeprefix("http://"),
            "teams_graph_url": self.url,
        }

    def upload_url(self, session: str) -> str:
        """Where Teams' uploadInfo.uploadUrl points: an upload session in the person's OneDrive."""
        return f"{self.url}/upload/{session}"

    def env(self) -> dict[str, str]:
        return {k.upper(): str(v) for k, v in self.settings().items()}

    # --- reading what the bot did ------------------------------------------------------------------

    def posts(self, conversation_id: str | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == "POST" and c.path.endswith("/activities") and conversation_id in (None, c.conversation_id)
        ]

    def updates(self) -> list[Call]:
        return [c for c in self.calls if c.method == "PUT"]

    def conversations_created(self) -> list[Call]:
        return [c for c in self.calls if c.path == "/v3/conversations"]

    # --- handlers ---------------------------------------------------------------------------------

    async def _openid(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": ISSUER,
                "authorization_endpoint": f"{self.url}/v1/.well-known/authorize",
                "jwks_uri": f"{self.url}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        public.update(kid=KEY_ID, use="sig", endorsements=self.endorsements)
        return web.json_response({"keys": [public]})

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if "client_assertion" in form:
            proven = "client_secret" not in form and self._assertion_holds(str(form["client_assertion"]), form)
        else:
            proven = form.get("client_secret") == APP_PASSWORD
        if form.get("client_id") != APP_ID or not proven:
            # Entra's answer to an invalid certificate assertion (AADSTS700027) or a wrong secret (AADSTS7000215)
            code = 700027 if "client_assertion" in form else 7000215
            return web.json_response({"error": "invalid_client", "error_codes": [code]}, status=401)
        self.tokens_issued += 1
        now = int(time.time())
        audience = GRAPH if str(form.get("scope", "")).startswith(GRAPH) else "https://api.botframework.com"
        claims = {"aud": audience, "iss": "https://sts.windows.net/x/", "appid": APP_ID}
        token = jwt.encode({**claims, "iat": now, "nbf": now, "exp": now + 3600}, self.key, algorithm="RS256")
        return web.json_response({"token_type": "Bearer", "expires_in": 3600, "access_token": token})

    def _assertion_holds(self, assertion: str, form: Any) -> bool:
        """A certificate credential as Entra checks it (https://learn.microsoft.com/en-us/entra/
        identity-platform/certificate-credentials): the assertion type, a certificate registered
        for the app named by x5t#S256, a PS256 signature by that certificate's key, aud = this token
        endpoint, iss = sub = the app id, a unique jti, and nbf/exp around now, at most 10 minutes."""
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            return False
        try:
            header = jwt.get_unverified_header(assertion)
            registered = {thumbprint_s256(c): c for c in self.certificates}
            certificate = registered.get(str(header.get("x5t#S256")))
            if certificate is None or header.get("alg") != "PS256":
                return False
            claims = jwt.decode(
                assertion,
                certificate.public_key(),  # type: ignore[arg-type]
                algorithms=["PS256"],
                audience=self.token_url,
                issuer=APP_ID,
                options={"require": ["aud", "iss", "sub", "jti", "nbf", "exp"]},
            )
        except jwt.PyJWTError:
            return False
        if claims["sub"] != APP_ID or claims["jti"] in self.assertion_ids or claims["exp"] - claims["nbf"] > 600:
            return False
        self.assertion_ids.add(claims["jti"])
        return True

    async def _check_member_groups(self, request: web.Request) -> web.Response:
        """Graph's transitive membership check: which of the asked groups the user is in."""
        token = self._authorised(request)
        try:
            jwt.decode(token or "", self.key.public_key(), algorithms=["RS256"], audience=GRAPH)
        except jwt.PyJWTError:
            return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        body = await request.json()
        user, asked = request.match_info["user"], list(body.get("groupIds") or [])
        self.graph_calls.append((user, asked))
        if self.graph_down:
            return web.json_response({"error": {"code": "serviceNotAvailable"}}, status=503)
        if len(asked) > 20:
            return web.json_response({"error": {"code": "Request_BadRequest"}}, status=400)
        member = self.memberships.get(user, set())
        return web.json_response({"value": [group for group in asked if group in member]})

    def _authorised(self, request: web.Request) -> str | None:
        header = request.headers.get("Authorization", "")
        return header.removeprefix("Bearer ") if header.startswith("Bearer ") else None

    async def _record(self, request: web.Request, method: str) -> Call | web.Response:
        token = self._authorised(request)
        if token is None:
            return web.json_response({"error": {"code": "Unauthorized"}}, status=401)
        if self.silent:
            await self._stopping.wait()
            return web.json_response({"error": {"code": "ServiceUnavailable"}}, status=503)
        body = await request.json()
        call = Call(
            method,
            request.path,
            request.match_info.get("conversation", ""),
            request.match_info.get("activity"),
            body,
            token,
        )
        if self.fail_next:
            return web.json_response({"error": {"code": "Throttled"}}, status=self.fail_next.pop(0))
        self.calls.append(call)
        return call

    async def _post(self, request: web.Request) -> web.Response:
        call = await self._record(request, "POST")
        if isinstance(call, web.Response):
            return call
        call.answered_id = str(next(self._ids))
        return web.json_response({"id": call.answered_id}, status=201)

    async def _put(self, request: web.Request) -> web.Response:
        call = await self._record(request, "PUT")
        if isinstance(call, web.Response):
            return call
        return web.json_response({"id": call.activity_id})

    async def _upload(self, request: web.Request) -> web.Response:
        """OneDrive's upload session: the bytes are recorded; the last range answers 201 and the
        drive item (https://learn.microsoft.com/en-us/onedrive/developer/rest-api/api/
        driveitem_createuploadsession, "Upload bytes to the upload session")."""
        body = await request.read()
        upload = Upload(
            request.match_info["session"],
            body,
            request.headers.get("Content-Range"),
            request.headers.get("Authorization"),
        )
        self.uploads.append(upload)
        if self.upload_status >= 400:
            return web.json_response({"error": {"code": "generalException"}}, status=self.upload_status)
        return web.json_response({"id": f"item-{upload.session}", "size": len(body)}, status=self.upload_status)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        call = await self._record(request, "POST")
        if isinstance(call, web.Response):
            return call
        member = (call.body.get("members") or [{}])[0].get("id", "")
        return web.json_response({"id": f"a:personal-{member}"}, status=201)


# --- Teams' side: signed activities ----------------------------------------------------------


def sign(key: rsa.RSAPrivateKey, service_url: str, **overrides: Any) -> str:
    """A Bot Framework channel token for our app (claims as Microsoft documents them:
    https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication)."""
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "nbf": now - 5, "iat": now - 5, "exp": now + 600}
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})


_activity_ids = itertools.count(1)


def payload(name: str, service_url: str, **fields: Any) -> dict[str, Any]:
    """A recorded activity from tests/teams_payloads/, pointed at the fake, with fields replaced
    (dotted names reach inside, e.g. `**{"from.id": "29:x"}`), and a fresh activity id."""
    activity: dict[str, Any] = copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text()))
    activity.pop("_source", None)
    activity["serviceUrl"] = service_url
    recorded, activity["id"] = activity["id"], f"1{next(_activity_ids):012d}"
    conversation = activity.get("conversation", {})
    if conversation.get("id", "").endswith(f";messageid={recorded}"):  # a thread's own first message
        conversation["id"] = conversation["id"].replace(f";messageid={recorded}", f";messageid={activity['id']}")
    for dotted, value in fields.items():
        node = activity
        *parents, last = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return activity


@dataclass
class TeamsSender:
    """Posts activities to the bot's messaging endpoint as Teams would."""

    endpoint: str
    fake: FakeTeams
    session: aiohttp.ClientSession | None = None

    async def send(
        self,
        activity: dict[str, Any],
        *,
        token: str | None = "valid",  # noqa: S107 - "valid" means: sign it with the test key
        raw_headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        if self.session is None:
            self.session = aiohttp.ClientSession()
        headers = dict(raw_headers or {})
        if token == "valid":
            token = sign(self.fake.key, activity.get("serviceUrl", self.fake.url))
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        async with self.session.post(self.endpoint, json=activity, headers=headers) as response:
            text = await response.text()
            return response.status, json.loads(text) if text else None

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
