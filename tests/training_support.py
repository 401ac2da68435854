"""Shared set-up for the training tests: the whole bot on a database, with the console adapter
attached (so posts really go out through an adapter), and short ways to act as a trainer or a
delegate."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.dispatch import Outcome
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from core.model import Reply, Request, RequestKind
from storage import training as store
from storage.models import OutboxMessage
from tests.harness import Console, text_of
from tests.storage_support import in_tx

TRAINER = "sam"


def training_settings(tmp_path: Path, database_url: str = "", **extra: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path / "data",
        database_url=database_url,
        survey_secret="training-test-key-Pf6Dk9Sw2Ln4Xc8J",
        trainers=f"console:{TRAINER}",
        **extra,
    )


class Bot:
    """A runtime with a console adapter whose output is kept, and helpers to drive it."""

    def __init__(self, runtime: Runtime, *, worker: str | None = None) -> None:
        self.rt = runtime
        self.console = Console(runtime, user=TRAINER)
        if worker is not None:
            assert runtime.delivery is not None
            runtime.delivery.name = worker

    @property
    def ctx(self):  # type: ignore[no-untyped-def]
        return self.rt.ctx

    def posts(self) -> str:
        """Everything the console adapter has shown so far."""
        return self.console.out.getvalue()

    def _request(self, user: str, **fields: Any) -> Request:
        roles = self.rt.roles.roles_for("console", user)
        base: dict[str, Any] = {"platform": "console", "user_id": user, "user_name": user, "roles": roles}
        base.setdefault("channel_id", "general")
        return Request(**{**base, **fields})

    async def handle(self, req: Request) -> Outcome:
        return await self.rt.dispatcher.handle(req)

    async def say(self, text: str, *, user: str = TRAINER) -> list[Reply]:
        name, _, args = text.lstrip("/").partition(" ")
        outcome = await self.handle(self._request(user, kind=RequestKind.COMMAND, command=name, text=args))
        return outcome.replies

    async def text(self, text: str, *, user: str = TRAINER) -> str:
        return text_of(await self.say(text, user=user))

    async def submit(self, action_id: str, form: dict[str, str], *, value: str = "", user: str = TRAINER) -> Outcome:
        return await self.handle(
            self._request(user, kind=RequestKind.SUBMIT, action_id=action_id, value=value, form=form)
        )

    async def press(
        self, action_id: str, value: str, *, user: str, message_id: str | None = None, channel: str = "training"
    ) -> list[Reply]:
        outcome = await self.handle(
            self._request(
                user,
                kind=RequestKind.ACTION,
                action_id=action_id,
                value=value,
                message_id=message_id,
                channel_id=channel,
            )
        )
        return outcome.replies

    async def add_session(
        self,
        when: str,
        *,
        course: str = "neglect",
        capacity: int = 2,
        where: str = "Gun Wharf, Chatham",
    ) -> store.TrainingSession:
        form = {"course": course, "when": when, "capacity": str(capacity), "where": where, "trainer": ""}
        outcome = await self.submit("training:add", form)
        assert outcome.form_errors is None, outcome.form_errors
        sessions = await in_tx(self.ctx.db, store.list_sessions, include_cancelled=True)
        return max(sessions, key=lambda s: s.id)

    async def announce(self, session_id: int, channels: str = "training") -> store.SessionAnnouncement:
        """Announce and deliver; returns the posted announcement."""
        await self.say(f"/training announce {session_id} {channels}")
        await self.rt.tick()
        posted = await in_tx(self.ctx.db, store.announcements, session_id, posted_only=True)
        assert posted, "the announcement was not posted"
        return posted[-1]

    async def reply_to(self, announcement: store.SessionAnnouncement, choice: str, user: str) -> list[Reply]:
        return await self.press(
            "training:rsvp",
            f"{announcement.session_id}:{choice}",
            user=user,
            message_id=announcement.message_id,
            channel=announcement.channel_id,
        )

    async def outbox(self, prefix: str = "") -> list[OutboxMessage]:
        async with self.ctx.db.transaction() as s:
            stmt = select(OutboxMessage).order_by(OutboxMessage.due_at, OutboxMessage.id)
            if prefix:
                stmt = stmt.where(OutboxMessage.key.startswith(prefix, autoescape=True))
            return list((await s.scalars(stmt)).all())


@asynccontextmanager
async def training_bot(
    tmp_path: Path, clock: FrozenClock, database_url: str = "", *, clean: bool = True, worker: str | None = None,
    **extra: Any,
) -> AsyncIterator[Bot]:  # fmt: skip
    """The whole bot on the given database (SQLite in tmp_path by default), emptied first on PostgreSQL."""
    rt = await Runtime.create(training_settings(tmp_path, database_url, **extra), clock=clock, console_mode=True)
    try:
        if clean and rt.ctx.db.is_postgres:
            from tests.conftest import _clean_postgres

            await _clean_postgres(rt.ctx.db)
        yield Bot(rt, worker=worker)
    finally:
        if rt.leader is not None:
            await rt.leader.release()
        await rt.ctx.db.dispose()


def london(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/London"))


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)
