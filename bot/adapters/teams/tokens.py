"""The check of a Teams request's token, around the Teams SDK's own (server.py runs it first).

The SDK's validator checks the Bot Framework JWT (signature against the published keys, audience,
issuer, expiry, and the token's serviceurl claim against the activity's serviceUrl). `OffLoopValidator`
runs it off the loop when keys must be fetched, and adds what it leaves out (below).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from typing import Any

import jwt

from core.lru import Lru

TEAMS_CHANNEL = "msteams"  # the only channelId served; its key must be endorsed for it
# The SDK's validator logs each token it refuses at ERROR (microsoft_teams/apps/auth/token_validator.py,
# with the token's own claims in the line), so anyone on the internet could write ERROR lines an
# operator is alerted on (outside audit, issue #15). Those refusals are dropped: server.py logs each
# refused request at INFO, by the error's type only. Any other line of that logger is kept.
SDK_VALIDATOR_LOG = "microsoft_teams.apps.auth.token_validator"
_SDK_REFUSALS = (
    "Token validation failed",
    "No token provided",
    "Token missing serviceurl claim",
    "Service URL mismatch",
    "Token missing required scope",
)


class QuietRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(_SDK_REFUSALS))


QUIET_REFUSALS = QuietRefusals()


def quiet_sdk_refusals() -> None:
    """Keep the SDK's token refusals out of the log (once, however many apps start)."""
    sdk = logging.getLogger(SDK_VALIDATOR_LOG)
    if QUIET_REFUSALS not in sdk.filters:
        sdk.addFilter(QUIET_REFUSALS)


TOKENS_REMEMBERED = 1_000  # validated inbound tokens kept, most recently used


class OffLoopValidator:
    """Runs the SDK's inbound token validator in a worker thread whenever it may fetch keys: its
    key client (PyJWT's PyJWKClient) fetches them with blocking urllib, which must not stall the
    bot's loop. The validator awaits nothing of its own, so a fresh loop in the thread runs it
    whole. With the token's key already cached (the usual case), it runs on the loop.

    It adds two checks the SDK leaves out: a token must say when it expires (PyJWT checks `exp`
    only when a token has one), and, since a Bot Framework signing key lists the channels it is
    endorsed for, a token for a Teams activity must be signed by a key endorsed for msteams
    (https://learn.microsoft.com/en-us/azure/bot-service/rest-api/
    bot-framework-rest-connector-authentication, "Connector to bot", step 5). Microsoft's rule is
    that the key is endorsed for the activity's channelId; server.py serves only activities whose
    channelId is msteams (TEAMS_CHANNEL), so checking that one is checking the activity's."""

    def __init__(self, validator: Any, issuer: str, channel: str = TEAMS_CHANNEL) -> None:
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
        if not isinstance(endorsements, list) or self.channel not in endorsements:  # none listed: none endorsed
            raise jwt.InvalidTokenError(f"the signing key is not endorsed for {self.channel}")
        return claims


def _expiring(claims: dict[str, Any]) -> dict[str, Any]:
    """The claims of a token that says when it expires; a token that would never expire is refused."""
    if "exp" not in claims:
        raise jwt.MissingRequiredClaimError("exp")
    return claims
