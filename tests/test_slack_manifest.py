"""`sgbot slack manifest`: valid, complete from the registry, and asking for no scope the
adapter does not use (proved by running the adapter and seeing which Web API methods and
events it really needs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli_slack import build_manifest
from bot.runtime import load_registry
from core.clock import FrozenClock
from core.model import Target, reply
from storage.db import Database
from tests.fake_slack import FakeSlack, thread_reply
from tests.slack_wire import Wire, open_wire, slack_settings
from tests.storage_support import claim_thread
from tests.test_cli import sgbot_in_process

# What each Web API method and event needs, from Slack's method and event reference.
METHOD_SCOPES = {
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "conversations.open": "im:write",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "usergroups.list": "usergroups:read",
    "usergroups.users.list": "usergroups:read",
}
NO_SCOPE = {"auth.test", "views.open", "views.update", "response_url", "upload"}
EVENT_SCOPES = {"message.channels": "channels:history", "message.groups": "groups:history", "message.im": "im:history"}


def sgbot(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**clean, "DATA_DIR": str(tmp_path / "data"), **env},
        timeout=120,
        check=False,
    )


def test_the_manifest_lists_every_command_with_its_usage_for_socket_mode(tmp_path: Path) -> None:
    # A real process here; the other manifest tests run the same typer app in this process.
    result = sgbot(["slack", "manifest"], tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = yaml.safe_load(result.stdout)
    registry = load_registry()
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(commands) == {f"/{c.name}" for c in registry.public_commands()}
    assert "/threshold" in commands and "/help" in commands and "/debug" not in commands  # console-only left out
    for spec in registry.public_commands():
        entry = commands[f"/{spec.name}"]
        assert entry["description"] == spec.help and entry.get("usage_hint", "") == spec.usage
        assert entry["should_escape"] is True and "url" not in entry  # channels arrive as <#C…|name>
        assert len(entry["command"]) <= 32
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"] == {"is_enabled": True}
    assert "request_url" not in manifest["settings"].get("event_subscriptions", {})
    assert len(manifest["display_information"]["name"]) <= 35
    assert "usergroups:read" not in manifest["oauth_config"]["scopes"]["bot"]  # no role groups configured


def test_http_mode_points_every_request_at_the_events_url(tmp_path: Path) -> None:
    result = sgbot_in_process(
        ["slack", "manifest", "--http", "https://sgbot.example.org/", "--format", "json"], tmp_path
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads(result.stdout)
    url = "https://sgbot.example.org/slack/events"
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is False
    assert settings["interactivity"]["request_url"] == url
    assert settings["event_subscriptions"]["request_url"] == url
    assert {c["url"] for c in manifest["features"]["slash_commands"]} == {url}


def test_role_groups_in_settings_add_the_user_group_scope(tmp_path: Path) -> None:
    result = sgbot_in_process(
        ["slack", "manifest"], tmp_path, env={"SLACK_ROLE_GROUPS": "safeguarding-trainers=trainer"}
    )
    assert result.returncode == 0, result.stderr
    assert "usergroups:read" in yaml.safe_load(result.stdout)["oauth_config"]["scopes"]["bot"]


def test_bad_options_get_a_sentence(tmp_path: Path) -> None:
    result = sgbot_in_process(["slack", "manifest", "--http", "http://insecure.example.org"], tmp_path)
    assert result.returncode == 2 and "--http takes the public https:// address" in result.stderr
    result = sgbot_in_process(["slack", "manifest", "--format", "xml"], tmp_path)
    assert result.returncode == 2 and "yaml or json" in result.stderr
    result = sgbot_in_process(["slack", "manifest", "--name", "x" * 36], tmp_path)
    assert result.returncode == 2 and "35 characters" in result.stderr


@pytest.fixture
async def wire(
    fake_server: FakeSlack, tmp_path: Path, db: Database, database_url: str, clock: FrozenClock
) -> AsyncIterator[Wire]:
    fake_server.reset(groups={"safeguarding-trainers": ["U0TRAINER"]})
    settings = slack_settings(tmp_path, database_url, slack_role_groups="safeguarding-trainers=trainer")
    opened = await open_wire(fake_server, settings, clock)
    yield opened
    await opened.close()


async def test_every_scope_in_the_manifest_is_one_the_adapter_really_uses(wire: Wire) -> None:
    ctx = wire.rt.ctx
    # Commands, a role from a user group, a file for one person, a post, a direct message.
    assert (await wire.slack.command("/publish", user_id="U0TRAINER"))[0] == 200
    await wire.slack.command("/calendar", response_url=wire.fake.response_url("c"))
    await wire.adapter.send(Target(kind="channel", channel_id="C0TRAIN"), reply("Announcement"))
    await wire.adapter.send(Target(kind="direct", user_id="U0PRACT01"), reply("Your survey"))
    # Thread replies in a channel, a private channel and a direct message.
    routed_events = set()
    for event, channel, channel_type in (
        ("message.channels", "C0TRAIN", "channel"),
        ("message.groups", "G0PRIVATE", "group"),
        ("message.im", "D0PRACT01", "im"),
    ):
        thread_ts = "1772442000.000100"
        await claim_thread(ctx, "slack", channel, thread_ts, feature="slacktest", ref="s1")
        before = len(wire.calls)
        data = thread_reply("noted", event_id=f"Ev{channel}", channel=channel, channel_type=channel_type)
        assert (await wire.slack.event(data))[0] == 200
        if len(wire.calls) == before + 1:
            routed_events.add(event)

    observed = set(wire.fake.methods())
    assert observed - set(METHOD_SCOPES) - NO_SCOPE == set(), "a method this test does not know the scope of"
    needed = {METHOD_SCOPES[m] for m in observed if m in METHOD_SCOPES} | {EVENT_SCOPES[e] for e in routed_events}
    needed.add("commands")  # slash commands were answered above

    manifest: dict[str, Any] = build_manifest(ctx.registry, ctx.settings, name="t", description="t")
    assert sorted(needed) == manifest["oauth_config"]["scopes"]["bot"]
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == routed_events
