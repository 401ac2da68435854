"""`sgbot discord sync` and `sgbot discord invite`, run as a user would, against the local fake Discord."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests import discord_payloads as p
from tests.discord_fake import FakeDiscord


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeDiscord]:
    """The fake runs on a loop of its own: the command line starts its own loop with asyncio.run."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    async def make() -> FakeDiscord:
        server = FakeDiscord()
        await server.start()
        return server

    server = asyncio.run_coroutine_threadsafe(make(), loop).result(10)
    server.point_discord_py_here(monkeypatch)
    monkeypatch.setattr("bot.cli.setup_logging", lambda *args, **kwargs: None)  # keep pytest's log capture
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("DISCORD_GUILD_ID", "DISCORD_SHARDS", "DATABASE_URL", "CONTENT_PACK"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DISCORD_TOKEN", "test-discord-token-0123456789")
    yield server
    asyncio.run_coroutine_threadsafe(server.close(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def test_sync_registers_every_public_command_in_the_configured_server(
    fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_GUILD_ID", str(p.GUILD_ID))
    result = CliRunner().invoke(app, ["discord", "sync"])
    assert result.exit_code == 0, result.output
    [put] = fake.calls_to("PUT", rf"/applications/{p.APP_ID}/guilds/{p.GUILD_ID}/commands")
    names = sorted(c["name"] for c in put.body)
    assert "help" in names and "debug" not in names
    assert f"Registered {len(names)} slash commands in server {p.GUILD_ID}" in result.output
    assert "/help" in result.output


def test_sync_without_a_server_registers_globally_and_says_it_takes_time(fake: FakeDiscord) -> None:
    result = CliRunner().invoke(app, ["discord", "sync"])
    assert result.exit_code == 0, result.output
    assert fake.calls_to("PUT", rf"/applications/{p.APP_ID}/commands")
    assert "globally" in result.output and "up to an hour" in result.output


def test_a_rejected_token_is_one_sentence(fake: FakeDiscord) -> None:
    fake.fail("GET", "/users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    result = CliRunner().invoke(app, ["discord", "sync"])
    assert result.exit_code == 2
    assert "Discord did not accept DISCORD_TOKEN" in result.output
    assert "test-discord-token" not in result.output and "Traceback" not in result.output


def test_sync_without_a_token_says_what_to_do(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN")
    result = CliRunner().invoke(app, ["discord", "sync"])
    assert result.exit_code == 2 and "DISCORD_TOKEN is not set" in result.output
    assert fake.calls == []


def test_invite_prints_the_link_with_the_scopes_and_only_the_permissions_needed(fake: FakeDiscord) -> None:
    import discord

    result = CliRunner().invoke(app, ["discord", "invite", "--guild", str(p.GUILD_ID)])
    assert result.exit_code == 0, result.output
    url = urlsplit(result.output.strip())
    query = parse_qs(url.query)
    assert url.netloc == "discord.com" and query["client_id"] == [str(p.APP_ID)]
    assert query["scope"] == ["bot applications.commands"] and query["guild_id"] == [str(p.GUILD_ID)]
    granted = discord.Permissions(int(query["permissions"][0]))
    assert granted.send_messages and granted.create_public_threads and granted.embed_links
    assert not (granted.administrator or granted.mention_everyone or granted.manage_messages or granted.manage_roles)
