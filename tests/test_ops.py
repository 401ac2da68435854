"""Running it for real: roles, health and metrics, leader election, content reload."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import httpx
import pytest

from bot.health import HealthServer
from bot.leader import LeaderLock
from bot.roles import RoleResolver
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from core.contentpack import DEFAULT_PACK, InvalidPack
from storage import audit
from storage.db import Database
from tests.harness import Console, command


async def test_whoami_in_the_console_lists_roles(runtime: Runtime) -> None:
    console = Console(runtime, user="sam", roles=frozenset({"trainer"}))
    out = await console.run("/whoami\n@pat /whoami")
    sam, pat = out.split("> @pat /whoami")
    assert "You are sam on console" in sam and "trainer:" in sam and "practitioner:" in sam
    assert "You are pat on console" in pat and "trainer:" not in pat


def test_roles_come_from_settings_and_platform_groups(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path,
        trainers="slack:U1",
        admins="discord:42",
        slack_role_groups="mscp-comms=comms",
        discord_role_map="Trainers=trainer",
    )
    roles = RoleResolver(settings)
    assert roles.roles_for("slack", "U1") == {"practitioner", "trainer"}
    assert roles.roles_for("slack", "U2", platform_groups=["mscp-comms"]) == {"practitioner", "comms"}
    assert roles.roles_for("discord", "42") == {"practitioner", "admin"}
    assert roles.roles_for("discord", "7", platform_groups=["Trainers"]) == {"practitioner", "trainer"}
    # A Slack group name means nothing on Discord.
    assert roles.roles_for("discord", "7", platform_groups=["mscp-comms"]) == {"practitioner"}


def test_roles_list_says_a_discord_role_name_grants_nothing_without_the_home_server(tmp_path: Path) -> None:
    """bot/adapters/discord/home.py: without DISCORD_GUILD_ID a role name would be any server's."""
    mapping = {"discord_role_map": "Trainers=trainer,123456789012345678=comms"}
    homeless = RoleResolver(Settings(_env_file=None, data_dir=tmp_path, **mapping))  # type: ignore[call-arg]
    assert homeless.configured() == [
        ("comms", "discord role 123456789012345678"),
        ("trainer", "discord role Trainers (grants nothing until DISCORD_GUILD_ID is set)"),
    ]
    home = Settings(_env_file=None, data_dir=tmp_path, discord_guild_id=42, **mapping)  # type: ignore[call-arg]
    assert ("trainer", "discord role Trainers") in RoleResolver(home).configured()


def test_an_unknown_role_in_a_mapping_is_refused(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, discord_role_map="Mods=moderator")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="unknown role 'moderator'"):
        RoleResolver(settings)


async def test_health_ready_then_not_ready_when_the_database_file_goes(runtime: Runtime, tmp_path: Path) -> None:
    runtime.prepare_workers()
    assert runtime.scheduler is not None
    runtime.scheduler.start()
    server = HealthServer(runtime, "127.0.0.1", 0)
    port = await server.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.get("/healthz")).json() == {"status": "alive"}
            ready = await client.get("/readyz")
            assert ready.status_code == 200 and ready.json() == {"status": "ready"}
            db_file = runtime.ctx.settings.data_dir / "sgbot.db"
            db_file.rename(tmp_path / "moved.db")
            not_ready = await client.get("/readyz")
            assert not_ready.status_code == 503
            assert any(r.startswith("database:") for r in not_ready.json()["reasons"])
            (tmp_path / "moved.db").rename(db_file)
            assert (await client.get("/readyz")).status_code == 200
            await runtime.dispatcher.handle(command("help"))
            metrics = (await client.get("/metrics")).text
            assert 'sgbot_commands_total{command="help",outcome="ok"}' in metrics
            assert 'sgbot_outbox_rows{status="pending"}' in metrics
            assert "sgbot_handler_seconds_bucket" in metrics
    finally:
        await server.stop()
        runtime.scheduler.stop()


async def test_readyz_names_a_stopped_scheduler(runtime: Runtime) -> None:
    server = HealthServer(runtime, "127.0.0.1", 0)
    port = await server.start()
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"http://127.0.0.1:{port}/readyz")
        assert response.status_code == 503
        assert "scheduler: not running" in response.json()["reasons"]
    finally:
        await server.stop()


async def test_reload_swaps_a_valid_pack_and_keeps_the_old_one_when_invalid(
    settings: Settings, clock: FrozenClock, tmp_path: Path
) -> None:
    pack_dir = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, pack_dir)
    settings = settings.model_copy(update={"content_pack": pack_dir})
    rt = await Runtime.create(settings, clock=clock, console_mode=True)
    try:
        original = rt.ctx.pack
        partnership = pack_dir / "partnership.yaml"
        partnership.write_text(partnership.read_text().replace("short_name: MSCP", "short_name: MSCP2"))
        reloaded = await rt.reload_content(actor="test")
        assert rt.ctx.pack is reloaded and reloaded.partnership.short_name == "MSCP2"
        partnership.write_text(partnership.read_text() + "\nnot_a_key: 1\n")
        with pytest.raises(InvalidPack):
            await rt.reload_content(actor="test")
        assert rt.ctx.pack is reloaded and rt.ctx.pack is not original
        async with rt.ctx.db.transaction() as tx:
            actions = [e.action for e in await audit.entries(tx)]
        assert actions == ["content.reloaded"]
    finally:
        await rt.ctx.db.dispose()


async def test_only_one_replica_leads_and_another_takes_over_when_it_dies(pg_database_url: str) -> None:
    first_db, second_db = Database(pg_database_url), Database(pg_database_url)
    first = LeaderLock(first_db, key=4242, retry_seconds=0)
    second = LeaderLock(second_db, key=4242, retry_seconds=0)
    try:
        assert await first.is_leader()
        assert not await second.is_leader()
        assert await first.is_leader()  # still held
        # The leader's connection dies (as it would with its process): the lock goes with it.
        assert first._conn is not None
        raw = await first._conn.get_raw_connection()
        await raw.driver_connection.close()  # type: ignore[union-attr]
        assert not await first.is_leader()
        for _ in range(50):
            if await second.is_leader():
                break
            await asyncio.sleep(0.05)
        assert await second.is_leader()
        assert not await first.is_leader()
    finally:
        await first.release()
        await second.release()
        await first_db.dispose()
        await second_db.dispose()


async def test_sqlite_always_leads(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'one.db'}")
    try:
        assert await LeaderLock(db).is_leader()
    finally:
        await db.dispose()
