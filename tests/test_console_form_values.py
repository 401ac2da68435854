"""Console forms send their values the way every platform does, cleaned by core.model's
`storable()` (an outside audit: a NUL typed into a console form reached the database, and
PostgreSQL refused it with "invalid byte sequence")."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

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


async def test_a_refused_value_typed_after_the_command_is_not_offered_back_to_keep(
    tmp_path: Path, clock: FrozenClock, database_url: str
) -> None:
    # an outside walkthrough: the re-ask said "[now: next friday 9.30-12.30; an empty line keeps it]",
    # the very value just refused; the clock is Monday 2 March, so "next friday" is two weeks at once
    script = "/training add domestic abuse next friday 9.30-12.30 12 places Gun Wharf\n\n\n\n\n\nthis friday 9.30-12.30"
    async with training_bot(tmp_path, clock, database_url) as bot:
        out = await bot.console.run(script)
        [session] = await in_tx(bot.ctx.db, store.list_sessions)
    retry = out.split("write 'this friday 9.30-12.30'", 1)[1]
    assert "[now: next friday" not in retry and "Added session 1" in retry
    assert session.start_at.astimezone(ZoneInfo(session.zone)).strftime("%d %H:%M") == "06 09:30"
