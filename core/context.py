"""What a handler may use, passed in explicitly: no hidden globals."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock, SystemClock
from core.config import FeatureSettings, Settings
from core.contentpack import ContentPack
from core.registry import Registry
from storage import audit, outbox
from storage.db import Database

if TYPE_CHECKING:
    from core.model import Reply, Request


State = TypeVar("State")
FeatureKind = TypeVar("FeatureKind", bound=FeatureSettings)


@dataclass
class PackHolder:
    """The live content pack; swapped whole on reload so readers never see half a pack."""

    pack: ContentPack


@dataclass
class Context:
    settings: Settings
    db: Database
    clock: Clock
    registry: Registry
    content: PackHolder
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("sgbot"))
    # The platforms this process is connected to, for features that address people on them.
    platforms: set[str] = field(default_factory=set)
    # Console-only conveniences (e.g. the /debug clock hook) check this.
    console_mode: bool = False
    # State a feature keeps across requests, one object per type (see `feature_state`).
    services: dict[type, object] = field(default_factory=dict)
    # The whole request path (roles, dedupe, routing), set by the dispatcher, for features that
    # pass a request back through it as a platform would.
    redispatch: Callable[[Request], Awaitable[list[Reply]]] | None = None

    def feature_state(self, kind: type[State], make: Callable[[], State]) -> State:
        """The feature's state object of this type, made on first use; typed, so a feature cannot
        read another's state by mistake."""
        found = self.services.get(kind)
        if not isinstance(found, kind):
            found = make()
            self.services[kind] = found
        return found

    def feature_settings(self, kind: type[FeatureKind]) -> FeatureKind:
        """A feature's own settings (core.config.FeatureSettings), read once."""
        return self.feature_state(kind, lambda: self.settings.feature(kind))

    @property
    def pack(self) -> ContentPack:
        return self.content.pack

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def now(self) -> dt.datetime:
        return self.clock.now()

    def local_now(self) -> dt.datetime:
        return self.clock.now().astimezone(self.zone)

    async def agreed_now(self, tx: AsyncSession) -> dt.datetime:
        """Now as every replica agrees on it: the database's clock, which the outbox goes by. A
        replica's own clock may be minutes out: a fast one closed surveys and sent bulletins early,
        a slow one late. A clock moved on purpose (tests, the console's /debug clock) is taken as
        it reads: the database's clock moved by as much would put now a few microseconds either
        side of it, and something due exactly then in or out by chance."""
        if not isinstance(self.clock, SystemClock):
            return self.now()
        return await outbox.database_now(tx)

    async def audit(self, req: Request | None, action: str, subject: str = "", detail: str = "") -> None:
        """Record a state-changing action. Never pass survey answers or lookup text here."""
        async with self.db.transaction() as tx:
            await audit.record(
                tx,
                at=self.now(),
                platform=req.platform if req else "system",
                actor=req.user_id if req else "system",
                action=action,
                subject=subject,
                detail=detail,
            )
