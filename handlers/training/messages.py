"""Where this feature's outbox rows go (a person's direct messages, an announcement's thread),
and the row itself: posted when due, skipped with a reason if still unsent when it expires."""

from __future__ import annotations

import datetime as dt

from core.model import Reply, Target
from core.outbox import outgoing
from storage.outbox import NewMessage
from storage.training import SessionAnnouncement


def outbox_message(
    where: tuple[str, Target],
    payload: Reply,
    *,
    due: dt.datetime,
    expires: dt.datetime | None,
    on_sent: str | None = None,
) -> NewMessage:
    """An outbox row: posted at `due`, skipped with a reason if still unsent at `expires`."""
    key, target = where
    reply = payload.model_copy(update={"target": target})
    return outgoing(key, reply, to=target, due=due, expires=expires, on_sent=on_sent)


def to_person(key: str, platform: str, user_id: str) -> tuple[str, Target]:
    """A direct message to one person; the key gains the person, so each has a row of their own."""
    return f"{key}:{platform}:{user_id}", Target(kind="direct", platform=platform, user_id=user_id)


def to_thread(key: str, a: SessionAnnouncement) -> tuple[str, Target]:
    """A reply in the thread under a posted announcement."""
    return key, Target(kind="thread", platform=a.platform, channel_id=a.channel_id, thread_id=a.message_id)
