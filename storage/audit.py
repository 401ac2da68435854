"""The audit trail of state-changing actions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


async def record(
    tx: AsyncSession, *, at: dt.datetime, platform: str, actor: str, action: str, subject: str = "", detail: str = ""
) -> None:
    tx.add(AuditEntry(at=at, platform=platform, actor=actor, action=action, subject=subject[:255], detail=detail))


async def entries(tx: AsyncSession, *, since: dt.datetime | None = None, actor: str | None = None) -> list[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if actor:
        stmt = stmt.where(AuditEntry.actor == actor)
    return list((await tx.scalars(stmt)).all())
