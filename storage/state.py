"""Small named values kept between runs (e.g. when a job last ran)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import insert
from storage.models import StateValue


async def put(tx: AsyncSession, name: str, value: str, *, now: dt.datetime) -> None:
    stmt = insert(tx, StateValue).values(name=name, value=value, updated_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=["name"], set_={"value": value, "updated_at": now})
    await tx.execute(stmt)


async def get(tx: AsyncSession, name: str) -> str | None:
    return await tx.scalar(select(StateValue.value).where(StateValue.name == name))
