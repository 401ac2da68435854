"""Writes that arrive together share one write transaction: a group commit.

SQLite lets one connection write at a time, and each write transaction costs its BEGIN and COMMIT
round trips to the driver's thread besides its own statements. When 200 delegates answer a survey
in the same minute, each answer waiting for the lock and then paying for its own transaction is
most of the time spent. Here the writes that are waiting when the lock comes free are applied
one after another, in the order they came, inside one transaction, and each caller is answered
only after that transaction commits: nobody is told an answer was saved before it is.

If one write in a group fails for a reason of its own, the group is rolled back and each write is
made again alone, so one bad write never costs the others theirs. If the database itself is gone,
every write in the group gets that error (each caller says its answer was not saved).
A caller that stops waiting (its request timed out) may still have its write committed: saved and
not confirmed, never the other way round.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import is_unavailable

Work = TypeVar("Work")
Done = TypeVar("Done")

GROUP_MOST = 100  # writes in one transaction at most, so a writer in another process waits little


@dataclass
class _Waiting(Generic[Work, Done]):
    work: Work
    answered: asyncio.Future[Done] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class GroupCommit(Generic[Work, Done]):
    """One per database and kind of write. `begin` opens the write transaction (and commits it on
    leaving); `apply` makes one write inside it and says what happened."""

    def __init__(
        self,
        begin: Callable[[], AbstractAsyncContextManager[AsyncConnection]],
        apply: Callable[[AsyncConnection, Work], Awaitable[Done]],
    ) -> None:
        self._begin, self._apply = begin, apply
        self._waiting: list[_Waiting[Work, Done]] = []
        self._writer: asyncio.Task[None] | None = None

    async def write(self, work: Work) -> Done:
        waiting: _Waiting[Work, Done] = _Waiting(work)
        self._waiting.append(waiting)
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._write_all())
        return await waiting.answered

    async def _write_all(self) -> None:
        try:
            while self._waiting:
                group = [w for w in self._waiting[:GROUP_MOST] if not w.answered.done()]
                del self._waiting[:GROUP_MOST]
                if group:
                    await self._write_group(group)
        except BaseException as exc:  # the bot is stopping: nobody is left waiting for ever
            for w in self._waiting:
                _fail(w, exc)
            self._waiting.clear()
            raise
        finally:
            self._writer = None

    async def _write_group(self, group: list[_Waiting[Work, Done]]) -> None:
        try:
            async with self._begin() as conn:
                done = [await self._apply(conn, w.work) for w in group]
        except Exception as exc:  # noqa: BLE001 - each caller gets the error, or its own write's
            if len(group) == 1 or is_unavailable(exc):
                for w in group:
                    _fail(w, exc)
                return
            await self._write_alone(group)
            return
        except BaseException as exc:
            for w in group:
                _fail(w, exc)
            raise
        for w, outcome in zip(group, done, strict=True):
            if not w.answered.done():
                w.answered.set_result(outcome)

    async def _write_alone(self, group: list[_Waiting[Work, Done]]) -> None:
        """A group failed for one write's own reason: each is made again alone. If the database
        goes away meanwhile (or another process holds its lock past the wait), the rest hear it at
        once rather than each waiting it out in turn; if the bot stops, none is left waiting."""
        for k, w in enumerate(group):
            try:
                await self._write_group([w])
            except BaseException as exc:
                for rest in group[k + 1 :]:
                    _fail(rest, exc)
                raise
            failure = None if w.answered.cancelled() else w.answered.exception()
            if failure is not None and is_unavailable(failure):
                for rest in group[k + 1 :]:
                    _fail(rest, failure)
                return


def _fail(waiting: _Waiting[Work, Done], exc: BaseException) -> None:
    if waiting.answered.done():
        return
    if isinstance(exc, Exception):
        waiting.answered.set_exception(exc)
    else:
        waiting.answered.cancel()
