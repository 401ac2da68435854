"""Announcement edits reach the real platform SDKs: with the Slack adapter attached (slack_sdk
against the local fake Web API in tests/fake_slack.py), a reply on the console copy, an edit and a
cancellation each edit the Slack copy with chat.update, once, and post nothing new there; with
the Discord adapter (discord.py against tests/discord_fake.py), the Discord copy is edited in place."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.slack.adapter import SlackAdapter
from core.clock import FrozenClock
from storage import training as store
from tests import discord_payloads as dp
from tests.discord_fake import Call, FakeDiscord
from tests.fake_slack import BOT_TOKEN, FakeSlack
from tests.slack_wire import SIGNING_SECRET
from tests.storage_support import in_tx
from tests.training_support import Bot, training_bot

WHEN = "2026-03-09 10:00-13:00"


@pytest.fixture
def fake(fake_server: FakeSlack) -> FakeSlack:
    fake_server.reset()
    return fake_server


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str, fake: FakeSlack) -> AsyncIterator[Bot]:
    async with training_bot(
        tmp_path, clock, database_url, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET
    ) as b:
        b.rt.add_adapter(SlackAdapter(b.rt, client=fake.client(), channel_interval=0.0, workspace_interval=0.0))
        yield b


def words(args: dict[str, Any]) -> str:
    """The text of a chat.postMessage or chat.update call, blocks included."""
    blocks = args.get("blocks")
    return str(args.get("text", "")) + json.dumps(json.loads(blocks) if isinstance(blocks, str) else blocks)


async def test_the_slack_copy_is_edited_with_chat_update_after_a_reply_an_edit_and_a_cancel(
    bot: Bot, fake: FakeSlack
) -> None:
    session = await bot.add_session(WHEN)
    await bot.say(f"/training announce {session.id} console:training slack:C0TRAIN")
    await bot.rt.tick()
    console_copy, slack_copy = await in_tx(bot.ctx.db, store.announcements, session.id)
    [posted] = [c for c in fake.calls_to("chat.postMessage") if c.get("channel") == "C0TRAIN"]
    assert slack_copy.message_id and "2 of 2 places left" in words(posted)

    await bot.reply_to(console_copy, "g", "amy")
    await bot.rt.tick()
    form = {"when": "2026-03-09 14:00-17:00", "capacity": "2", "where": "Gun Wharf, Chatham", "trainer": ""}
    await bot.submit("training:edit", form, value=str(session.id))
    await bot.rt.tick()
    await bot.say(f"/training cancel {session.id}")
    await bot.rt.tick()

    updates = fake.calls_to("chat.update")
    assert [(u["channel"], u["ts"]) for u in updates] == [("C0TRAIN", slack_copy.message_id)] * 3
    assert "1 of 2 places left" in words(updates[0])
    assert "14:00" in words(updates[1])
    assert "This session has been cancelled." in words(updates[2]) and "Going" not in words(updates[2])
    # Nothing new was posted in the channel itself: only thread notices hang off the post.
    channel_posts = [c for c in fake.calls_to("chat.postMessage") if c.get("channel") == "C0TRAIN"]
    assert [bool(c.get("thread_ts")) for c in channel_posts] == [False, True, True]


# --- Discord ----------------------------------------------------------------------------------------


class EditingDiscord(FakeDiscord):
    """The local Discord fake, also answering Edit Message like Discord does: the message as it
    now is (https://discord.com/developers/docs/resources/message#edit-message)."""

    def __init__(self) -> None:
        super().__init__()
        self.edits: list[tuple[str, str, dict[str, Any]]] = []

    async def _answer(self, call: Call) -> web.StreamResponse:
        match = re.fullmatch(r"/channels/(\d+)/messages/(\d+)", call.path)
        if call.method == "PATCH" and match:
            body = call.body or {}
            self.edits.append((match[1], match[2], body))
            data = dp.message(body, message_id=int(match[2]), channel_id=int(match[1]))
            self.messages[match[2]] = data
            return web.json_response(data)
        return await super()._answer(call)


@pytest.fixture
async def discord_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[EditingDiscord]:
    server = EditingDiscord()
    await server.start()
    server.point_discord_py_here(monkeypatch)
    yield server
    await server.close()


def discord_words(body: dict[str, Any]) -> str:
    parts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    parts += [c.get("label", "") for row in body.get("components") or [] for c in row["components"]]
    return "\n".join(parts)


async def test_the_discord_copy_is_edited_in_place_after_a_reply_and_a_cancel(
    tmp_path: Path, clock: FrozenClock, database_url: str, discord_fake: EditingDiscord
) -> None:
    async with training_bot(
        tmp_path,
        clock,
        database_url,
        discord_token="test-discord-token-0123456789",
        discord_guild_id=dp.GUILD_ID,
    ) as bot:
        adapter = DiscordAdapter(bot.rt, ready_timeout=10, guild_ready_timeout=0.05)
        await adapter.start()
        bot.rt.add_adapter(adapter)
        try:
            session = await bot.add_session(WHEN)
            await bot.say(f"/training announce {session.id} console:training discord:{dp.CHANNEL_ID}")
            await bot.rt.tick()
            console_copy, discord_copy = await in_tx(bot.ctx.db, store.announcements, session.id)
            assert discord_copy.message_id

            await bot.reply_to(console_copy, "g", "amy")
            await bot.rt.tick()
            await bot.say(f"/training cancel {session.id}")
            await bot.rt.tick()

            edits = discord_fake.edits
            assert [(c, m) for c, m, _ in edits] == [(str(dp.CHANNEL_ID), discord_copy.message_id)] * 2
            assert "1 of 2 places left" in discord_words(edits[0][2])
            assert "This session has been cancelled." in discord_words(edits[1][2])
            assert "Going" not in discord_words(edits[1][2]) and not edits[1][2].get("components")
        finally:
            await adapter.stop()
