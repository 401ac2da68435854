"""What a handler may use, passed in explicitly: no hidden globals."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import Settings
from bot.contentpack import ContentPack
from bot.registry import Registry
from storage import audit
from storage.db import Database

if TYPE_CHECKING:
    from bot.model import Request


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
    # Adapters by platform name, for features that need to know what is connected.
    platforms: dict[str, Any] = field(default_factory=dict)
    # Console-only conveniences (e.g. the /debug clock hook) check this.
    console_mode: bool = False
    # Feature services that need state across requests, keyed by feature name.
    services: dict[str, Any] = field(default_factory=dict)

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

    async def audit(self, req: Request | None, action: str, subject: str = "", detail: str = "") -> None:
        """Record a state-changing action. Never pass survey answers or lookup text here."""
        await audit.record(
            self.db,
            at=self.now(),
            platform=req.platform if req else "system",
            actor=req.user_id if req else "system",
            action=action,
            subject=subject,
            detail=detail,
        )
