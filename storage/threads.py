"""Which feature owns a thread (e.g. a session announcement's thread belongs to surveys)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import insert
from storage.models import ThreadClaim


async def claim_thread(
    tx: AsyncSession, *, platform: str, channel_id: str, thread_id: str, feature: str, ref: str, now: dt.datetime
) -> None:
    stmt = insert(tx, ThreadClaim).values(
        platform=platform, channel_id=channel_id, thread_id=thread_id, feature=feature, ref=ref, created_at=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["platform", "channel_id", "thread_id"], set_={"feature": feature, "ref": ref}
    )
    await tx.execute(stmt)


async def thread_owner(tx: AsyncSession, *, platform: str, channel_id: str, thread_id: str) -> ThreadClaim | None:
    return await tx.scalar(
        select(ThreadClaim).where(
            ThreadClaim.platform == platform,
            ThreadClaim.channel_id == channel_id,
            ThreadClaim.thread_id == thread_id,
        )
    )
