"""How the Slack client may try a Web API call again by itself. slack_sdk's defaults would send a
post a second time after a dropped connection, when Slack may already have it; here only calls
that do nothing more when repeated are sent again, and a 429 is waited out inside the client only
when the wait is short. Everything else goes back to the outbox, whose next attempt looks the
post up first (bot/delivery.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

# Web API methods that do nothing more when repeated: reads, opening a direct-message
# conversation (Slack gives back the same one) and setting the same content again. Any other
# call (chat.postMessage, chat.postEphemeral, file uploads, views.open) may already have been
# done when its answer is lost, so it is never sent again inside the client.
REPEATABLE_METHODS = frozenset(
    {
        "apps.connections.open",
        "auth.test",
        "chat.update",
        "conversations.history",
        "conversations.info",
        "conversations.open",
        "conversations.replies",
        "usergroups.list",
        "usergroups.users.list",
        "users.info",
        "views.update",
    }
)
# A 429 is waited out inside the client only this long (twice at most), well within half the
# outbox lease; a longer wait goes back to the delivery worker, which sleeps it out unclaimed.
MAX_RATE_LIMIT_WAIT = 20


class RepeatableConnectionErrorRetry(AsyncConnectionErrorRetryHandler):
    """slack_sdk's retry after a dropped connection, for repeatable calls only: a post whose
    answer was lost fails instead, and the outbox's next attempt looks its key up first."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        method = urlsplit(request.url).path.rsplit("/", 1)[-1]
        if method not in REPEATABLE_METHODS:
            return False
        return await super()._can_retry_async(state=state, request=request, response=response, error=error)


class ShortRateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's wait after a 429 (Slack took nothing, so any call may be sent again), only
    for short waits: a long one held inside a post could outlast the row's claim."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        asked = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), None)
        try:
            wait = float(asked[0] if isinstance(asked, list) else asked) if asked else 0.0
        except ValueError:
            return False
        return wait <= MAX_RATE_LIMIT_WAIT


def retry_handlers(current: list[AsyncRetryHandler]) -> list[AsyncRetryHandler]:
    """A client's retry handlers with slack_sdk's connection-error and rate-limit retries
    replaced by the ones above (the client's defaults would send a post twice)."""
    builtin = (AsyncConnectionErrorRetryHandler, AsyncRateLimitErrorRetryHandler)
    kept = [h for h in current if not isinstance(h, builtin)]
    return [*kept, RepeatableConnectionErrorRetry(), ShortRateLimitRetry(max_retry_count=2)]
