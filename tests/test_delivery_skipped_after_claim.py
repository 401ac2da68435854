"""A row skipped after a worker claimed it is not posted by that worker: the reminder of a session
cancelled while its batch was being delivered went out after the cancellation (an outside audit of
delivery, twentieth session), and its row said "skipped"."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from bot.adapters.console.adapter import ConsoleAdapter
from bot.runtime import Runtime
from core.model import Target, reply
from storage import outbox
from storage import training as store
from tests.storage_support import in_tx


async def test_a_claimed_row_skipped_before_its_turn_is_not_posted(runtime: Runtime, tmp_path: Path) -> None:
    out = io.StringIO()
    runtime.add_adapter(ConsoleAdapter(out, tmp_path / "files"))
    runtime.prepare_workers()
    worker = runtime.delivery
    assert worker is not None
    now = runtime.ctx.now()
    target = Target(kind="channel", channel_id="training").model_dump()
    messages = [
        outbox.NewMessage(
            key=f"reminder:{n}",
            platform="console",
            target=target,
            payload=reply(f"Reminder {n}: neglect training tomorrow", public=True).model_dump(mode="json"),
            due_at=now,
        )
        for n in (1, 2)
    ]
    await in_tx(runtime.ctx.db, outbox.enqueue, messages, now=now)
    async with runtime.ctx.db.transaction() as tx:
        claimed = await outbox.claim(tx, worker=worker.name, now=now)
    assert [r.key for r in claimed.rows] == ["reminder:1", "reminder:2"]
    # the session is cancelled while the batch is out: its reminder is skipped, claimed as it is
    await in_tx(runtime.ctx.db, store.skip_outbox_keys, ["reminder:2"], reason="the session was cancelled")
    # the batch has been out for a second when the skip lands (claims are checked every 0.25 s)
    await worker._deliver_in_order(claimed.rows, claimed.now, asyncio.get_running_loop().time() - 1.0)
    assert "Reminder 1" in out.getvalue() and "Reminder 2" not in out.getvalue()
    assert (await in_tx(runtime.ctx.db, outbox.get, "reminder:2")).status == "skipped"  # type: ignore[union-attr]
