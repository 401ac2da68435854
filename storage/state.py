"""Small named values kept between runs (e.g. when a job last ran)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from storage.db import Database
from storage.models import StateValue


async def put(db: Database, name: str, value: str, *, now: dt.datetime) -> None:
    stmt = db.insert(StateValue).values(name=name, value=value, updated_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=["name"], set_={"value": value, "updated_at": now})
    async with db.session() as session:
        await session.execute(stmt)


async def get(db: Database, name: str) -> str | None:
    async with db.session() as session:
        return await session.scalar(select(StateValue.value).where(StateValue.name == name))
