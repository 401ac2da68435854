"""One post that never gets an answer cannot stop the delivery worker: each send is capped (half
the outbox lease, for every platform), and a send cut off there is tried again later, never said
to be sent. Outside audit (issue #15): a Teams Bot Connector that accepted the connection and never
answered held `deliver_due()` forever, and with it every Slack and Discord post."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.delivery import DeliveryWorker
from bot.runtime import Runtime
from core.clock import SystemClock
from core.model import Reply, Target
from storage import outbox
from storage.models import OutboxMessage
from tests.storage_support import in_tx
from tests.test_outbox_exactly_once import _fresh, _message, _settings


class Silent:
    """A platform that accepts a post for one channel and never answers."""

    platform = "console"

    def __init__(self) -> None:
        self.posted: list[str] = []

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def is_connected(self) -> bool:
        return True

    async def send(self, target: Target, message: Reply) -> str:
        if target.channel_id == "C-silent":
            await asyncio.sleep(3600)
        self.posted.append(message.all_text())
        return f"m{len(self.posted)}"


@pytest.fixture
async def rt(database_url: str, tmp_path: Path) -> AsyncIterator[Runtime]:
    await (await _fresh(database_url)).dispose()
    runtime = await Runtime.create(_settings(tmp_path, database_url, outbox_lease_seconds=2), clock=SystemClock())
    yield runtime
    await runtime.ctx.db.dispose()


async def test_a_send_that_never_answers_is_cut_off_and_tried_again_later(rt: Runtime) -> None:
    now = rt.ctx.now()
    rows = [
        _message("stall:1", "never answered", "console", "C-silent", now),
        _message("stall:2", "answered", "console", "C-fine", now),
    ]
    await in_tx(rt.ctx.db, outbox.enqueue, rows, now=now)
    platform = Silent()
    worker = DeliveryWorker(rt.ctx, {"console": platform}, name="w")  # type: ignore[dict-item]
    started = time.monotonic()
    await asyncio.wait_for(worker.deliver_due(), timeout=20)
    assert time.monotonic() - started < 5  # the cap is half the 2 s lease
    assert platform.posted == ["answered"]
    async with rt.ctx.db.transaction() as tx:
        stored = {r.key: r for r in (await tx.scalars(select(OutboxMessage))).all()}
    assert stored["stall:2"].status == "sent"
    silent = stored["stall:1"]
    assert silent.status == "pending" and silent.message_id is None  # to be tried again, not sent
    assert "did not answer" in (silent.error or "")
