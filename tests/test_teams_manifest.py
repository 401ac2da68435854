"""`sgbot teams manifest`: a Teams app package holding a manifest that has every key schema v1.29
requires, a command menu taken from the registry (at most ten, lookups first), the two icons at
the sizes Teams asks for, and no secret."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.cli_teams import (
    MOST_MENU_COMMANDS,
    Publisher,
    build_manifest,
    build_package,
    color_icon,
    menu_commands,
    outline_icon,
)
from bot.runtime import load_registry
from core import __version__
from core.registry import CommandSpec, Registry

APP_ID = "0b6b6f8e-1f2a-4c3d-9e8f-123456789abc"
PASSWORD = "teams-client-secret-never-shown-0123"
SURVEY_SECRET = "never-shown-key-Gm4Ys7Pe1Uc8Hv3Z"
LOOKUPS = ["threshold", "escalation", "glossary", "contacts"]
# From https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json.
REQUIRED = ["manifestVersion", "version", "id", "developer", "name", "description", "icons", "accentColor"]
REQUIRED_DEVELOPER = ["name", "websiteUrl", "privacyUrl", "termsOfUseUrl"]
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
PUBLISHER = Publisher(
    short_name="Test safeguarding bot",
    full_name="Test Safeguarding Partnership bot",
    short_description="Guidance for a test partnership.",
    full_description="Guidance, training and surveys for a test partnership.",
    developer="Test business unit",
    website="https://example.org",
    privacy_url="https://example.org/privacy",
    terms_url="https://example.org/terms",
)


def sgbot(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "TEAMS_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**clean, "DATA_DIR": str(tmp_path / "data"), **env},
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One real run of the command, with a password and survey secret in its environment."""
    folder = tmp_path_factory.mktemp("teams-manifest")
    out = folder / "package" / "sgbot.zip"
    result = sgbot(
        ["teams", "manifest", "--out", str(out)],
        folder,
        TEAMS_APP_ID=APP_ID,
        TEAMS_APP_PASSWORD=PASSWORD,
        TEAMS_TENANT_ID="72f988bf-0000-4000-8000-000000000001",
        SURVEY_SECRET=SURVEY_SECRET,
    )
    assert result.returncode == 0, result.stderr
    return result, out


def read(out: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(out) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_the_package_holds_the_manifest_and_both_icons_at_its_top_level(written: Any) -> None:
    result, out = written
    assert sorted(read(out)) == ["color.png", "manifest.json", "outline.png"]
    assert str(out.resolve()) in result.stdout


def test_the_manifest_has_every_key_the_schema_requires(written: Any) -> None:
    _, out = written
    manifest = json.loads(read(out)["manifest.json"])
    for key in REQUIRED:
        assert manifest.get(key), key
    assert manifest["$schema"].endswith(f"/v{manifest['manifestVersion']}/MicrosoftTeams.schema.json")
    assert manifest["version"] == __version__
    assert GUID.match(manifest["id"])
    assert all(manifest["developer"].get(key) for key in REQUIRED_DEVELOPER)
    assert all(manifest["developer"][key].startswith("https://") for key in REQUIRED_DEVELOPER[1:])
    assert len(manifest["developer"]["name"]) <= 32
    assert 0 < len(manifest["name"]["short"]) <= 30
    assert 0 < len(manifest["description"]["short"]) <= 80 and manifest["description"]["full"]
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", manifest["accentColor"])
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}


def test_the_bot_is_the_configured_app_in_personal_team_and_group_chat_scopes(written: Any) -> None:
    _, out = written
    manifest = json.loads(read(out)["manifest.json"])
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID == manifest["id"]
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    assert bot["isNotificationOnly"] is False
    assert bot["supportsFiles"] is True  # files go by file consent in personal chat (files.py)
    # The least the adapter uses: opening personal chats, and nothing for tabs or SSO.
    assert manifest["permissions"] == ["messageTeamMembers"]
    assert manifest["validDomains"] == []


def test_replies_in_channel_threads_need_no_mention_through_one_resource_specific_permission(written: Any) -> None:
    """ChannelMessage.Read.Group (Application) lets Teams deliver un-mentioned channel messages, so
    a survey's in-thread answers arrive; webApplicationInfo names the app, as RSC requires."""
    _, out = written
    manifest = json.loads(read(out)["manifest.json"])
    assert manifest["authorization"] == {
        "permissions": {"resourceSpecific": [{"name": "ChannelMessage.Read.Group", "type": "Application"}]}
    }
    assert manifest["webApplicationInfo"]["id"] == APP_ID
    assert manifest["webApplicationInfo"]["resource"]  # required, and any non-empty string serves


def test_the_command_menu_comes_from_the_registry_lookups_first_and_ten_at_most(written: Any) -> None:
    result, out = written
    manifest = json.loads(read(out)["manifest.json"])
    [menu] = manifest["bots"][0]["commandLists"]
    assert sorted(menu["scopes"]) == ["groupChat", "personal", "team"]
    registry = load_registry()
    public = {c.name: c for c in registry.public_commands()}
    titles = [c["title"] for c in menu["commands"]]
    assert len(titles) == min(len(public), MOST_MENU_COMMANDS) == len(set(titles))
    assert titles[: len(LOOKUPS)] == LOOKUPS
    for command in menu["commands"]:
        assert public[command["title"]].help in command["description"]
    offered, left_out = menu_commands(registry)
    assert [c.name for c in offered] == titles
    assert sorted(c.name for c in offered + left_out) == sorted(public)
    assert left_out == []  # the issue: the menu offers every command (12 fit in the schema's limit)
    # The summary lists the menu and names what was left out of it.
    for title in titles:
        assert re.search(rf"^  {title} ", result.stdout, re.MULTILINE), title
    for spec in left_out:
        assert spec.name in result.stdout.split("Left out of the menu")[1]


def test_a_registry_of_ten_or_fewer_commands_is_offered_whole_and_an_unranked_one_comes_last() -> None:
    registry = Registry()
    for name in ["zeta-report", "help", "glossary", "threshold"]:
        registry.add(CommandSpec(name=name, usage="", help=f"{name} help"))
    offered, left_out = menu_commands(registry)
    assert [c.name for c in offered] == ["threshold", "glossary", "help", "zeta-report"]
    assert left_out == []
    manifest = build_manifest(registry, APP_ID, PUBLISHER)
    assert [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]] == [c.name for c in offered]


def test_the_icons_are_192_pixels_in_colour_and_32_pixels_white_on_transparent(written: Any) -> None:
    _, out = written
    files = read(out)
    color = Image.open(io.BytesIO(files["color.png"]))
    assert color.format == "PNG" and color.size == (192, 192)
    outline = Image.open(io.BytesIO(files["outline.png"])).convert("RGBA")
    assert outline.size == (32, 32)
    pixels = [outline.getpixel((x, y)) for x in range(32) for y in range(32)]
    visible = [p for p in pixels if p[3] > 0]
    assert visible and len(visible) < len(pixels)  # a shape, with transparency around it
    assert all(p[:3] == (255, 255, 255) for p in visible)
    assert outline.getpixel((0, 0))[3] == 0  # type: ignore[index]


def test_the_package_and_the_summary_hold_no_secret(written: Any) -> None:
    result, out = written
    for name, data in read(out).items():
        for secret in (PASSWORD, SURVEY_SECRET):
            assert secret.encode() not in data, name
    assert PASSWORD not in result.stdout + result.stderr
    assert SURVEY_SECRET not in result.stdout + result.stderr


def test_the_same_input_gives_the_same_bytes() -> None:
    manifest = build_manifest(load_registry(), APP_ID, PUBLISHER)
    assert build_package(manifest) == build_package(manifest)
    assert color_icon() == color_icon() and outline_icon() == outline_icon()


def test_without_teams_app_id_it_says_what_to_set_and_exits_2(tmp_path: Path) -> None:
    result = sgbot(["teams", "manifest", "--out", str(tmp_path / "app.zip")], tmp_path, TEAMS_APP_PASSWORD=PASSWORD)
    assert result.returncode == 2
    assert "TEAMS_APP_ID is not set" in result.stderr and "Application (client) ID" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert PASSWORD not in result.stderr + result.stdout
    assert not (tmp_path / "app.zip").exists()


def test_an_app_id_that_is_not_a_guid_is_refused_with_a_sentence(tmp_path: Path) -> None:
    result = sgbot(["teams", "manifest", "--out", str(tmp_path / "app.zip")], tmp_path, TEAMS_APP_ID="my-bot")
    assert result.returncode == 2
    assert "TEAMS_APP_ID is not an app registration's id" in result.stderr
    assert "Traceback" not in result.stderr
