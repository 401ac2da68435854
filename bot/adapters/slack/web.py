"""Calls out to Slack's Web API: pacing posts, looking up user groups, and what an error means."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.base import DeliveryError

log = logging.getLogger("sgbot.slack")

# Errors that retrying the same post can never fix.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "msg_too_long",
        "no_text",
        "invalid_blocks",
        "invalid_blocks_format",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "restricted_action_non_threadable_channel",
        # editing a message that is gone or may no longer be edited (https://api.slack.com/methods/chat.update)
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
        "cannot_dm_bot",
        "user_not_found",
        "user_disabled",
        "users_not_found",
        "missing_scope",
        "not_authed",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "ekm_access_denied",
        "team_access_not_granted",
        "thread_not_found",
    }
)


def delivery_error(exc: SlackApiError) -> DeliveryError:
    """A SlackApiError as the delivery worker understands it."""
    # A proxy's 503 comes as plain text, which the SDK keeps as a string, not a dict.
    data = exc.response.data
    error = str((data.get("error") if isinstance(data, dict) else None) or f"HTTP {exc.response.status_code}")
    retry_after = None
    if exc.response.status_code == 429:
        header = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
        retry_after = float(header) if header and str(header).isdigit() else 30.0
    return DeliveryError(
        f"Slack refused the post: {error}", permanent=error in PERMANENT_ERRORS, retry_after=retry_after
    )


class Pacer:
    """At most `burst` posts per key in any rolling window of `interval * burst` seconds.

    With burst 1, posts are spaced `interval` apart (Slack's ~1 post a second per channel); a
    larger burst lets a quiet key send at once, as Slack's own rolling window does. A post
    counts from when it finished, so one still travelling to Slack never frees a place early.
    Callers for one key go in order; different keys do not wait for each other."""

    def __init__(
        self,
        interval: float,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self.burst = max(1, burst)
        self.window = interval * self.burst
        self._clock = clock
        self._sleep = sleep
        self._posts: dict[str, list[list[float]]] = {}  # key -> [started or finished time]
        self._locks: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        """Wait for a place, then hold it while the post is made."""
        if self.interval <= 0:
            yield
            return
        mark = await self._take(key)
        try:
            yield
        finally:
            mark[0] = self._clock()

    async def wait(self, key: str) -> None:
        """Take a place for a post made at once."""
        if self.interval > 0:
            await self._take(key)

    async def _take(self, key: str) -> list[float]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            posts = self._posts.setdefault(key, [])
            while True:
                cutoff = self._clock() - self.window
                posts[:] = [p for p in posts if p[0] > cutoff]
                if len(posts) < self.burst:
                    break
                await self._sleep(min(p[0] for p in posts) - cutoff)
            mark = [self._clock()]
            posts.append(mark)
        if len(self._posts) > 10_000:  # forget channels not posted to for a while
            cutoff = self._clock() - self.window
            for stale in [k for k, v in self._posts.items() if all(p[0] <= cutoff for p in v)]:
                if not self._locks[stale].locked():
                    del self._posts[stale], self._locks[stale]
        return mark


class UserGroups:
    """Which of the role-granting user groups a user belongs to.

    Looked up lazily, only for the handles named in settings, and cached for `ttl` seconds:
    the workspace is never loaded as a whole. When Slack cannot say (an error, an outage, an
    answer that is not JSON), everyone has the roles from settings only, the failure is
    logged once, and the next try waits: RETRY_FIRST seconds, doubling up to RETRY_MOST."""

    RETRY_FIRST = 30.0
    RETRY_MOST = 600.0

    def __init__(
        self,
        client: AsyncWebClient,
        handles: Iterable[str],
        *,
        ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.handles = frozenset(h.lstrip("@") for h in handles)
        self.ttl = ttl
        self._clock = clock
        self._members: dict[str, frozenset[str]] = {}  # handle -> user ids
        self._expires = 0.0
        self._failures = 0  # failed reads in a row
        self._lock = asyncio.Lock()

    async def of(self, user_id: str) -> set[str]:
        if not self.handles:
            return set()
        async with self._lock:
            if self._clock() >= self._expires:
                await self._refresh()
        return {handle for handle, members in self._members.items() if user_id in members}

    async def _refresh(self) -> None:
        try:
            listing = await self.client.usergroups_list()
            groups: list[dict[str, str]] = listing.get("usergroups", [])
            ids = {g["handle"]: g["id"] for g in groups if g.get("handle") in self.handles}
            members: dict[str, frozenset[str]] = {}
            for handle, group_id in ids.items():
                users = await self.client.usergroups_users_list(usergroup=group_id)
                members[handle] = frozenset(users.get("users", []))
        except Exception as exc:  # noqa: BLE001 - whatever Slack answered, commands must still work
            self._failed(exc)
            return
        if self._failures:
            log.info("read Slack user groups again after %d failed tries", self._failures)
            self._failures = 0
        missing = self.handles - set(ids)
        if missing:
            log.warning("Slack user groups not found: %s", ", ".join(sorted(missing)))
        self._members = members
        self._expires = self._clock() + self.ttl

    def _failed(self, exc: Exception) -> None:
        # Fewer roles, never more: what Slack said before has expired, so only settings count.
        self._members = {}
        wait = min(self.RETRY_MOST, self.RETRY_FIRST * 2**self._failures)
        self._failures += 1
        self._expires = self._clock() + wait
        if self._failures == 1:
            data = exc.response.data if isinstance(exc, SlackApiError) else None
            if isinstance(exc, SlackApiError):
                reason = str(data.get("error") if isinstance(data, dict) else f"HTTP {exc.response.status_code}")
            else:
                reason = type(exc).__name__
            log.warning(
                "could not read Slack user groups (%s): roles come from settings only until they can be "
                "read; trying again in %.0f seconds, then less and less often",
                reason,
                wait,
            )


class AppIdentity:
    """Who the app is and its token, from the auth.test made at start (SlackAdapter.identify).
    Bolt asks on every request; answering from here means a request never waits for, or is
    refused by, an auth.test of Bolt's own (while Slack refused one, people were told "please
    reinstall this app" and their taps were dropped: an outside audit)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._auth_test: Any = None

    def learned(self, auth_test: Any) -> None:
        self._auth_test = auth_test

    def for_bolt(self) -> Callable[[], Awaitable[AuthorizeResult]]:
        """Bolt's `authorize`: a function of no arguments, as Bolt passes what a function names.
        Only an adapter started without identify() asks Slack (until it answers)."""

        async def authorize() -> AuthorizeResult:
            if self._auth_test is None:
                self._auth_test = await self.client.auth_test()
            return AuthorizeResult.from_auth_test_response(
                auth_test_response=self._auth_test, bot_token=self.client.token
            )

        return authorize


def quiet_sdk_log() -> logging.Logger:
    """The logger for Bolt and the Slack client: warnings and errors only, whatever LOG_LEVEL
    says, because their info and debug lines carry request bodies, i.e. what people typed."""
    quiet = logging.getLogger("sgbot.slack.sdk")
    quiet.setLevel(logging.WARNING)
    if _quiet_token_notice not in quiet.filters:
        quiet.addFilter(_quiet_token_notice)
    return quiet


def _quiet_token_notice(record: logging.LogRecord) -> bool:
    """AsyncApp warns that SLACK_BOT_TOKEN in the environment is unused when it is given a
    client, and that the client's token is ignored when it is given `authorize`; the client
    carries that same token and `authorize` answers with it, so the warnings would only confuse."""
    said = record.getMessage()
    return "will be unused" not in said and "will be ignored" not in said
