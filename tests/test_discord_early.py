"""`sgbot run` begins the Discord connection before the rest of the bot is assembled
(bot/adapters/discord/early.py), so its waiting overlaps the work of loading. What Discord sends
meanwhile is held and handled once the adapter takes the connection over; a refused token still
stops the start with its sentence; a start that fails elsewhere closes the connection."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.early import DiscordConnection
from bot.runtime import Runtime
from core.config import ConfigError
from tests import discord_payloads as p
from tests.discord_fake import FakeDiscord
from tests.test_discord_adapter import discord_settings, texts
from tests.test_discord_adapter import fake as fake  # noqa: F401 - the fixtures
from tests.test_discord_adapter import runtime as runtime  # noqa: F401


async def test_a_command_sent_while_the_bot_is_assembled_is_answered_once_it_is(
    runtime: Runtime,  # noqa: F811 - the fixture imported above
    fake: FakeDiscord,  # noqa: F811
) -> None:
    connection = DiscordConnection(runtime.ctx.settings, guild_ready_timeout=0.05)
    connection.begin()
    adapter = None
    try:
        await asyncio.wait_for(connection.client.wait_until_ready(), 10)
        early = p.slash_command("help")
        await fake.dispatch("INTERACTION_CREATE", early)
        await asyncio.sleep(0.2)
        assert fake.callbacks(early["id"]) == []  # held: nothing could answer it yet
        adapter = DiscordAdapter(runtime, ready_timeout=10, connection=connection)
        await adapter.start()
        [answered] = await fake.wait_for(lambda: fake.callbacks(early["id"]))
        assert "help" in texts(answered.body["data"]).lower()
        assert len(fake.identifies) == 1  # the one connection, handed over: no second IDENTIFY
        later = p.slash_command("help")
        await fake.dispatch("INTERACTION_CREATE", later)
        await fake.wait_for(lambda: fake.callbacks(later["id"]))
    finally:
        await (adapter.stop() if adapter is not None else connection.close())


async def test_a_refused_token_still_stops_the_start_with_its_sentence(
    runtime: Runtime,  # noqa: F811
    fake: FakeDiscord,  # noqa: F811
) -> None:
    fake.fail("GET", r"/users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    connection = DiscordConnection(runtime.ctx.settings)
    connection.begin()
    adapter = DiscordAdapter(runtime, ready_timeout=10, connection=connection)
    with pytest.raises(ConfigError, match="Discord did not accept DISCORD_TOKEN"):
        await adapter.start()
    assert connection.client.is_closed()


async def test_a_start_the_pack_stops_closes_the_discord_connection_begun_for_it(
    tmp_path: Path,
    fake: FakeDiscord,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The connection is begun before the pack is read: a start the pack stops leaves nothing
    connected behind its sentence."""
    from bot import cli
    from core.contentpack import InvalidPack

    broken = tmp_path / "pack"
    broken.mkdir()
    (broken / "partnership.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    settings = discord_settings(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}", content_pack=broken)
    begun: list[DiscordConnection] = []
    real_begin = DiscordConnection.begin

    def begin(self: DiscordConnection) -> None:
        begun.append(self)
        real_begin(self)

    monkeypatch.setattr(DiscordConnection, "begin", begin)
    with pytest.raises(InvalidPack, match="partnership.yaml"):
        await cli._serve(settings)
    [connection] = begun
    assert connection.client.is_closed() and connection.started is None
