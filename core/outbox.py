"""The one way a feature queues a post for the delivery worker: a Reply, where it goes, when it
is due and until when it is still worth sending. The key makes it exactly-once: a key already in
the outbox is left alone, so a retried command or a second replica cannot post twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from core.model import Reply, Target
from storage import outbox


def outgoing(
    key: str,
    reply: Reply,
    *,
    to: Target,
    due: dt.datetime,
    expires: dt.datetime | None = None,
    on_sent: str | None = None,
) -> outbox.NewMessage:
    """An outbox row for `reply`, addressed to a channel, thread or person on one platform."""
    if to.platform is None or to.kind == "respond":
        raise ValueError(f"an outbox post needs a platform and a channel, thread or person, not {to!r}")
    return outbox.NewMessage(
        key=key,
        platform=to.platform,
        target=to.model_dump(),
        payload=reply.model_dump(mode="json"),
        due_at=due,
        expires_at=expires,
        on_sent=on_sent,
    )


async def post_all(tx: AsyncSession, messages: Iterable[outbox.NewMessage], *, now: dt.datetime) -> int:
    """Queue several posts built with `outgoing` in the caller's transaction: they are queued if
    and only if it commits. Returns how many were new."""
    return await outbox.enqueue(tx, list(messages), now=now)
