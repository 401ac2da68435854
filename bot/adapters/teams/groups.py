"""Roles from Entra security groups (TEAMS_ROLE_GROUPS: "<group object id>=role,..."), read from
Microsoft Graph.

An activity names the person's Entra object id (`from.aadObjectId`) but not their groups, so the
bot asks Graph which of the configured groups they are in:
`POST /v1.0/users/{id}/checkMemberGroups` with the group ids (transitive, at most 20 a call;
https://learn.microsoft.com/en-us/graph/api/user-checkmembergroups). The answer is kept for five
minutes per person. When Graph cannot be reached or answers anything but 200, the person holds no
group's role (fail closed: roles from ADMINS, TRAINERS and COMMS still count) and Graph is asked
again after half a minute. The bot's token for Graph comes from the same client-credentials grant
as its Bot Framework token, for Graph's scope.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

import httpx

from bot.adapters.teams.credentials import Credential
from bot.adapters.teams.sdk import CloudEnvironment
from bot.adapters.teams.server import TenantTokenProvider, TokenUnavailable
from core.config import Settings
from core.lru import Lru

log = logging.getLogger("sgbot.teams")

MEMBERSHIP_SECONDS = 300.0  # how long a person's groups are kept
RETRY_SECONDS = 30.0  # after Graph failed: no group roles, and no new question, for this long
GROUPS_PER_CALL = 20  # Graph's limit for checkMemberGroups
PEOPLE_KEPT = 5_000
TIMEOUT_SECONDS = 5.0  # Teams waits about 15 s for the answer to an activity
_OBJECT_ID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


class GraphUnavailable(Exception):
    """Graph could not say which groups a person is in."""


class GroupLookup:
    def __init__(
        self,
        groups: Iterable[str],
        graph_url: str,
        token: TenantTokenProvider,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.groups = sorted(set(groups))
        self.graph_url = graph_url.rstrip("/")
        self.token = token
        self.clock = clock
        self._known: Lru[str, tuple[frozenset[str], float]] = Lru(PEOPLE_KEPT)
        self._client: httpx.AsyncClient | None = None

    async def groups_of(self, aad_id: str) -> frozenset[str]:
        """Which of the configured groups the person is in (none when Graph cannot say)."""
        if not self.groups or not _OBJECT_ID.fullmatch(aad_id):
            return frozenset()
        now = self.clock()
        known = self._known.recall(aad_id)
        if known is not None and known[1] > now:
            return known[0]
        try:
            found, keep = await self._ask(aad_id), MEMBERSHIP_SECONDS
        except GraphUnavailable as exc:
            log.warning("could not read Entra group membership from Microsoft Graph (%s): no group roles for now", exc)
            found, keep = frozenset(), RETRY_SECONDS
        self._known.keep(aad_id, (found, now + keep))
        return found

    async def _ask(self, aad_id: str) -> frozenset[str]:
        try:
            token = await self.token(self.token.scope)
        except TokenUnavailable as exc:
            raise GraphUnavailable(f"no token for Graph: {exc}") from None
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=TIMEOUT_SECONDS)
        found: set[str] = set()
        for start in range(0, len(self.groups), GROUPS_PER_CALL):
            asked = self.groups[start : start + GROUPS_PER_CALL]
            try:
                response = await self._client.post(
                    f"{self.graph_url}/v1.0/users/{aad_id}/checkMemberGroups",
                    json={"groupIds": asked},
                    headers={"Authorization": f"Bearer {token}"},
                )
                answer: Any = response.json() if response.status_code == 200 else None
            except (httpx.HTTPError, ValueError) as exc:
                raise GraphUnavailable(type(exc).__name__) from None
            if not isinstance(answer, dict) or not isinstance(answer.get("value"), list):
                raise GraphUnavailable(f"Graph answered {response.status_code}")
            # Only ids that were asked about count, whatever else an answer might hold.
            found.update(
                group.lower() for group in answer["value"] if isinstance(group, str) and group.lower() in asked
            )
        return frozenset(found)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def group_lookup(settings: Settings, cloud: CloudEnvironment, credential: Credential | None = None) -> GroupLookup:
    """The lookup for TEAMS_ROLE_GROUPS (which asks Graph nothing when no group grants a role)."""
    groups = settings.teams_groups()
    graph = settings.teams_graph_url or cloud.graph_scope.removesuffix("/.default")
    return GroupLookup(
        groups, graph, TenantTokenProvider(settings, cloud, scope=cloud.graph_scope, credential=credential)
    )
