"""An outside review of the SQLite group commit (storage/group_commit.py) found three ways an
answer could be left waiting, wait out a lock once per answer, or be thanked into a deleted file.
The first two are in tests/test_group_commit.py; this is the third, through the real runtime."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.runtime import Runtime
from core.clock import FrozenClock
from storage import sealed
from storage import surveys as store
from tests.harness import command, text_of
from tests.storage_support import in_tx
from tests.surveys_support import answer, seed_session, survey_runtime


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    async with survey_runtime(database_url, tmp_path, clock) as rt:
        yield rt


async def test_answers_written_after_the_database_file_is_removed_are_not_thanked(
    srt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not srt.ctx.db.is_sqlite:
        pytest.skip("a database file: SQLite only")
    people = [f"p{i}" for i in range(30)]
    session_id = await seed_session(srt, attendees=people)
    sent = await srt.dispatcher.handle(command("survey", f"send {session_id} post-course", user="t", roles={"trainer"}))
    assert "Sending the" in text_of(sent.replies)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    path = Path(str(srt.ctx.db.url.database))
    sealing, original = 0, sealed.Sealer.seal

    def seal_and_remove_the_file_at_the_third(self: sealed.Sealer, *args: Any) -> str:
        nonlocal sealing
        sealing += 1
        if sealing == 3:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{path}{suffix}")
        return original(self, *args)

    monkeypatch.setattr(sealed.Sealer, "seal", seal_and_remove_the_file_at_the_third)
    said = await asyncio.gather(*(answer(srt, f"{survey.id}.0.2", user=p) for p in people))
    thanked = [s for s in said if "Recorded" in s]
    # at most the answers committed before the file went; none written into the removed file
    assert len(thanked) <= 2, f"{len(thanked)} of 30 thanked"
    assert all("Recorded" in s or "couldn't reach" in s for s in said), said
