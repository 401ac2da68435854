"""Editing the bot's own post in a Discord thread that Discord has archived meanwhile (as the edit
that says a survey has closed, two weeks after the post, may find it): Discord edits nothing in
an archived thread, so the bot unarchives it first (https://discord.com/developers/docs/topics/threads,
"Active & Archived Threads"). The fake answers as Discord's docs say: 400, code 50083."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.discord.adapter import DiscordAdapter
from bot.runtime import Runtime
from core.model import Target, reply
from tests import discord_payloads as p
from tests.conformance.drivers import EditingFakeDiscord
from tests.test_discord_adapter import connect
from tests.test_discord_adapter import runtime as runtime  # noqa: F401 - the fixture


@pytest.fixture
async def editing_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[EditingFakeDiscord]:
    server = EditingFakeDiscord()
    await server.start()
    server.point_discord_py_here(monkeypatch)
    yield server
    await server.close()


async def test_an_edit_in_an_archived_thread_unarchives_the_thread_then_edits(
    runtime: Runtime,  # noqa: F811 - the fixture imported above
    editing_fake: EditingFakeDiscord,
) -> None:
    adapter: DiscordAdapter = await connect(runtime, editing_fake)
    try:
        root = str(p.new_id())  # the announcement the thread hangs off (its id is the thread's)
        thread = Target(kind="thread", channel_id=str(p.CHANNEL_ID), thread_id=root)
        posted = await adapter.send(thread, reply("Survey: how did the course go?", public=True))
        editing_fake.fail("PATCH", rf"/channels/{root}/messages/{posted}", 400,
                          {"message": "Thread is archived", "code": 50083})  # fmt: skip
        closed = reply("This survey closed on Monday 16 March.", public=True)
        edit = closed.model_copy(update={"replace_original": True})
        assert await adapter.send(thread.model_copy(update={"message_id": posted}), edit) == posted
        unarchived = [c for c in editing_fake.calls if c.method == "PATCH" and c.path == f"/channels/{root}"]
        assert [c.body for c in unarchived] == [{"archived": False}]
        assert "closed on Monday 16 March" in str(editing_fake.messages[posted])
    finally:
        await adapter.stop()
