"""Console forms send their values the way every platform does, cleaned by core.model's
`storable()` (an outside audit: a NUL typed into a console form reached the database, and
PostgreSQL refused it with "invalid byte sequence")."""

from __future__ import annotations

from pathlib import Path

from core.clock import FrozenClock
from storage import training as store
from tests.storage_support import in_tx
from tests.training_support import training_bot


async def test_a_nul_typed_into_a_console_form_is_dropped_before_it_is_saved(
    tmp_path: Path, clock: FrozenClock, database_url: str
) -> None:
    script = "/training add\nneglect\n2026-03-09 09:30-12:30\n20\nGun\x00Wharf, Chatham\n\n/training 1"
    async with training_bot(tmp_path, clock, database_url) as bot:
        out = await bot.console.run(script)
        assert "Added session 1" in out and "went wrong" not in out
        [session] = await in_tx(bot.ctx.db, store.list_sessions)
    assert session.venue == "GunWharf, Chatham"
