"""The audit trail of state-changing actions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


async def record(
    tx: AsyncSession, *, at: dt.datetime, platform: str, actor: str, action: str, subject: str = "", detail: str = ""
) -> None:
    tx.add(AuditEntry(at=at, platform=platform, actor=actor, action=action, subject=subject[:255], detail=detail))


async def entries(tx: AsyncSession, *, since: dt.datetime | None = None, actor: str | None = None) -> list[AuditEntry]:
    """`actor` is a user id, or platform:id as people and the role settings write it (console:sam).
    Either way an actor recorded as exactly that text counts too: a command-line import records
    who it was written for (slack:U123) as its actor."""
    stmt = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if actor:
        matches = AuditEntry.actor == actor
        platform, sep, user_id = actor.partition(":")
        if sep and user_id:
            matches = or_(matches, and_(AuditEntry.platform == platform.lower(), AuditEntry.actor == user_id))
        stmt = stmt.where(matches)
    return list((await tx.scalars(stmt)).all())
