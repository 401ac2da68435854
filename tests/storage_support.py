"""Calling a repository function the way the bot does when it is a unit of work by itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from core.context import Context
from storage import threads
from storage.db import Database

P = ParamSpec("P")
T = TypeVar("T")


async def in_tx(
    db: Database, call: Callable[Concatenate[AsyncSession, P], Awaitable[T]], *args: P.args, **kwargs: P.kwargs
) -> T:
    """`call(tx, ...)` in a transaction of its own, committed before this returns."""
    async with db.transaction() as tx:
        return await call(tx, *args, **kwargs)


async def down_and_up(db: Database, revision: str) -> None:
    """Migrate the database down to `revision` and back up to the heads, as a database an earlier
    version kept is upgraded: for tests of what a migration does to rows already there."""

    def back_and_forward(sync_conn: object) -> None:
        from alembic import command

        from storage.db import alembic_config

        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        command.downgrade(cfg, revision)
        command.upgrade(cfg, "heads")

    async with db.engine.begin() as conn:
        await conn.run_sync(back_and_forward)


async def claim_thread(ctx: Context, platform: str, channel_id: str, thread_id: str, *, feature: str, ref: str) -> None:
    """A feature's claim on a thread, committed, as an announcement or a survey post makes it."""
    async with ctx.db.transaction() as tx:
        await threads.claim_thread(
            tx, platform=platform, channel_id=channel_id, thread_id=thread_id, feature=feature, ref=ref, now=ctx.now()
        )
