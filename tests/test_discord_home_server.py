"""Only the partnership's own Discord server counts (outside audit, platforms).

The bot can be in other servers, and anyone can make one with a role called "Trainers". With
DISCORD_GUILD_ID set, an interaction from another server is refused politely, with a "denied"
line in the audit trail, and has no effect; without it, role names grant nothing. The real
discord.py client, logged in to the local fake of Discord (tests/discord_fake.py).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.home import OTHER_SERVER
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.model import Target, reply
from core.registry import build_registry
from storage import audit
from storage.db import Database
from tests import discord_payloads as p
from tests.discord_fake import FakeDiscord
from tests.storage_support import claim_thread
from tests.test_discord_adapter import _feature, calls, discord_settings, fake, interact, texts  # noqa: F401

OTHER_GUILD = 1_300_000_000_000_000_900
OTHER_CHANNEL = 1_300_000_000_000_000_901
FAKE_TRAINERS = 1_300_000_000_000_000_902
MALLORY = 1_300_000_000_000_000_904


def other_server() -> dict[str, Any]:
    """GUILD_CREATE for a server someone else made, with a role named as the partnership's."""
    server = p.guild(channels=[{**p.text_channel(OTHER_CHANNEL, "general"), "guild_id": str(OTHER_GUILD)}])
    roles = [p.role(OTHER_GUILD, "@everyone", 0), p.role(FAKE_TRAINERS, "Trainers", 1)]
    return server | {"id": str(OTHER_GUILD), "name": "Mallory's server", "owner_id": str(MALLORY), "roles": roles}


def from_other_server(payload: dict[str, Any]) -> dict[str, Any]:
    """An interaction as Discord sends it from the other server, by Mallory holding its "Trainers"."""
    channel = {**p.text_channel(OTHER_CHANNEL, "general"), "guild_id": str(OTHER_GUILD)}
    payload |= {
        "guild_id": str(OTHER_GUILD),
        "guild": {"id": str(OTHER_GUILD), "locale": "en-GB", "features": []},
        "channel_id": channel["id"],
        "channel": channel,
        "member": p.member(MALLORY, "mallory", role_ids=[FAKE_TRAINERS]),
        "authorizing_integration_owners": {"0": str(OTHER_GUILD)},
    }
    if "guild_id" in payload["data"]:
        payload["data"]["guild_id"] = str(OTHER_GUILD)
    return payload


async def started(
    tmp_path: Path, database_url: str, clock: FrozenClock, server: FakeDiscord, **settings: Any
) -> tuple[Runtime, DiscordAdapter]:
    calls.clear()
    registry = build_registry([importlib.import_module(m) for m in ("handlers.help", "handlers.whoami")] + [_feature()])
    rt = await Runtime.create(discord_settings(tmp_path, database_url, **settings), clock=clock, registry=registry)
    adapter = DiscordAdapter(rt, ready_timeout=10, guild_ready_timeout=0.05)
    await adapter.start()
    rt.add_adapter(adapter)
    await server.dispatch("GUILD_CREATE", other_server())
    await asyncio.sleep(0.05)  # the other server is in discord.py's cache, its role names known
    return rt, adapter


@pytest.fixture
async def home(
    db: Database,
    database_url: str,
    tmp_path: Path,
    clock: FrozenClock,
    fake: FakeDiscord,  # noqa: F811
) -> AsyncIterator[tuple[Runtime, DiscordAdapter]]:
    rt, adapter = await started(tmp_path, database_url, clock, fake)
    yield rt, adapter
    await adapter.stop()
    await rt.ctx.db.dispose()


async def denials(rt: Runtime) -> list[tuple[str, str, str, str, str]]:
    async with rt.ctx.db.transaction() as tx:
        rows = await audit.entries(tx)
    return [(r.platform, r.actor, r.action, r.subject, r.detail) for r in rows]


async def test_a_command_from_another_server_is_refused_with_a_denied_line_in_the_audit(
    home: tuple[Runtime, DiscordAdapter],
    fake: FakeDiscord,  # noqa: F811
) -> None:
    rt, _ = home
    [refused] = await interact(fake, from_other_server(p.slash_command("publish")))
    assert refused.body["data"]["flags"] & 64  # privately
    assert texts(refused.body["data"]).strip() == OTHER_SERVER
    assert calls == []
    denied = ("discord", str(MALLORY), "denied", "publish", f"from another server {OTHER_GUILD}")
    assert await denials(rt) == [denied]
    # The same person, holding the real Trainers role in the partnership's server, is served.
    [allowed] = await interact(fake, p.slash_command("publish", user_id=MALLORY, role_ids=[p.TRAINERS_ROLE_ID]))
    assert texts(allowed.body["data"]).strip() == "Published." and calls == ["published"]


async def test_a_form_or_button_from_another_server_is_refused_with_no_effect(
    home: tuple[Runtime, DiscordAdapter],
    fake: FakeDiscord,  # noqa: F811
) -> None:
    rt, _ = home
    [refused] = await interact(fake, from_other_server(p.modal_submit("fake:signup|s1", {"name": "Sam Jones"})))
    assert texts(refused.body["data"]).strip() == OTHER_SERVER
    [opened] = await interact(fake, p.slash_command("vote"))
    posted = next(m for m in fake.messages.values() if m["components"])
    [pressed] = await interact(fake, from_other_server(p.button_press(posted, "fake:vote|yes")))
    assert texts(pressed.body["data"]).strip() == OTHER_SERVER
    assert calls == []
    assert [(action, subject) for _, _, action, subject, _ in await denials(rt)] == [
        ("denied", "fake:signup|s1"),
        ("denied", "fake:vote|yes"),
    ]


async def test_a_thread_message_from_another_server_reaches_no_feature_and_gets_no_answer(
    home: tuple[Runtime, DiscordAdapter],
    fake: FakeDiscord,  # noqa: F811
) -> None:
    """A survey's thread takes replies (DISCORD_THREAD_REPLIES); a message event that says it
    comes from another server is not routed, even to a thread the bot has claimed."""
    rt, adapter = home
    target = Target(kind="channel", channel_id=str(p.CHANNEL_ID))
    announcement = await adapter.send(target, reply("Course", public=True))
    await adapter.send(target.model_copy(update={"kind": "thread", "thread_id": announcement}), reply("Tell us"))
    await fake.wait_for(lambda: adapter.client.get_channel(int(announcement)))
    await claim_thread(rt.ctx, "discord", str(p.CHANNEL_ID), announcement, feature="fake", ref="s9")
    posted = len(fake.calls_to("POST", r"/channels/\d+/messages"))
    elsewhere = p.user_message("Mallory's words", channel_id=int(announcement), author_id=MALLORY, name="mallory")
    await fake.dispatch("MESSAGE_CREATE", elsewhere | {"guild_id": str(OTHER_GUILD)})
    # the same reply from the partnership's own server is routed: once it is, the other has been seen
    await fake.dispatch("MESSAGE_CREATE", p.user_message("It helped", channel_id=int(announcement)))
    await fake.wait_for(lambda: calls)
    assert calls == ["thread:s9:It helped"]
    assert len(fake.calls_to("POST", r"/channels/\d+/messages")) == posted + 1  # the answer to the home reply


async def test_in_a_direct_message_only_user_ids_in_the_settings_grant_roles(
    db: Database,
    database_url: str,
    tmp_path: Path,
    clock: FrozenClock,
    fake: FakeDiscord,  # noqa: F811
) -> None:
    rt, adapter = await started(tmp_path, database_url, clock, fake, trainers=f"discord:{p.BOB_ID}")
    try:
        for user_id, expected in [(p.ALICE_ID, "Only trainers"), (p.BOB_ID, "Published.")]:
            dm = p.dm_channel(p.new_id(), p.user(user_id, "someone"))
            [answered] = await interact(fake, p.slash_command("publish", in_guild=False, channel=dm, user_id=user_id))
            assert expected in texts(answered.body["data"])
        assert calls == ["published"]
    finally:
        await adapter.stop()
        await rt.ctx.db.dispose()


async def test_without_a_home_server_role_names_grant_nothing_and_the_start_says_why(
    db: Database,
    database_url: str,
    tmp_path: Path,
    clock: FrozenClock,
    fake: FakeDiscord,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="sgbot.discord")
    role_map = f"Trainers=trainer,{p.ANNOUNCE_ROLE_ID}=comms"
    rt, adapter = await started(tmp_path, database_url, clock, fake, discord_guild_id=None, discord_role_map=role_map)
    try:
        [warning] = [r.getMessage() for r in caplog.records if "DISCORD_GUILD_ID" in r.getMessage()]
        assert "DISCORD_GUILD_ID is not set, so the role names in DISCORD_ROLE_MAP (Trainers) grant nothing" in warning
        # A role called Trainers, in the partnership's server or in Mallory's, grants nothing.
        for payload in (
            p.slash_command("publish", role_ids=[p.TRAINERS_ROLE_ID]),
            from_other_server(p.slash_command("publish")),
        ):
            [answered] = await interact(fake, payload)
            assert "Only trainers" in texts(answered.body["data"])
        assert calls == []
        # A role id names one role in one server: it still counts.
        [whoami] = await interact(fake, p.slash_command("whoami", role_ids=[p.ANNOUNCE_ROLE_ID]))
        assert "comms" in texts(whoami.body["data"])
    finally:
        await adapter.stop()
        await rt.ctx.db.dispose()


async def test_whoami_on_discord_names_discords_server_roles(
    home: tuple[Runtime, DiscordAdapter],
    fake: FakeDiscord,  # noqa: F811
) -> None:
    [answered] = await interact(fake, p.slash_command("whoami"))
    shown = texts(answered.body["data"])
    assert "Roles come from the bot's settings and from your Discord server roles." in shown
    assert "Slack" not in shown and "Entra" not in shown
