"""What every adapter offers the rest of the bot."""

from __future__ import annotations

from typing import Protocol

from bot.model import Reply, Target


class DeliveryError(Exception):
    """A post failed. `permanent` means retrying cannot help (e.g. the channel is gone)."""

    def __init__(self, reason: str, *, permanent: bool = False, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class Adapter(Protocol):
    platform: str

    async def start(self) -> None:
        """Connect; return once the adapter is ready to receive and send."""

    async def stop(self) -> None:
        """Disconnect, finishing in-flight work."""

    def is_connected(self) -> bool: ...

    async def send(self, target: Target, reply: Reply) -> str:
        """Post a reply to a channel, thread or user; return the platform message id.
        A reply that `is_edit` replaces the bot's own earlier post instead (see below)."""
        ...


def is_edit(target: Target, reply: Reply) -> bool:
    """A posted reply with `replace_original` and a thread target edits the message the thread
    hangs off (the bot's own post, e.g. a training announcement) in place of posting: so an
    edit can go through the outbox like any post, once across replicas."""
    return reply.replace_original and target.kind == "thread" and bool(target.channel_id and target.thread_id)
