"""`sgbot teams manifest`: the Teams app package (manifest.json and two icons, zipped), generated
from the command registry, the content pack's partnership section and TEAMS_APP_ID.

Upload the zip in the Teams admin centre (Manage apps > Upload new app) or, where custom apps are
allowed, in Teams itself (Apps > Manage your apps > Upload an app > Upload a custom app).

The manifest follows schema v1.29, the newest generally available one when this was written
(https://learn.microsoft.com/en-us/microsoft-365/extensibility/schema/ lists the versions; the
schema itself is https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json).
Its required top-level keys are manifestVersion, version, id, developer, name, description,
icons and accentColor; `bots[].botId` and `bots[].scopes` are required inside a bot.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from core import __version__
from core.cli import fail, load_settings
from core.registry import CommandSpec, Registry

# The `sgbot` commands this module adds, read by bot/cli.py without importing it (one line, a literal).
CLI_COMMANDS = ("teams",)

teams_app = typer.Typer(name="teams", help="Microsoft Teams: the app package.", no_args_is_help=True)
sub_app = teams_app  # added to `sgbot` by bot/cli.py

MANIFEST_VERSION = "1.29"
SCHEMA_URL = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
SCOPES = ["personal", "team", "groupChat"]
# Commands per menu in the schema this manifest declares: 12
# (https://learn.microsoft.com/en-us/microsoft-365/extensibility/schema/root-bots-command-lists,
# "commands", maximum array items). Teams' older "Create a commands menu" page still says 10; the
# issue asks for every command in the menu, and all of sgbot's fit in 12.
MOST_MENU_COMMANDS = 12
# The order the menu offers commands in, most used first: the safeguarding lookups, then what any
# practitioner uses, then the staff commands. A command missing here comes last, by name.
MENU_ORDER = (
    "threshold",
    "escalation",
    "glossary",
    "contacts",
    "training",
    "briefing",
    "help",
    "whoami",
    "survey",
    "impact",
    "bulletin",
    "feeds",
)
DEFAULT_PACKAGE = "sgbot-teams-app.zip"
ACCENT_COLOR = "#1F5C99"
COLOR_ICON, OUTLINE_ICON = "color.png", "outline.png"
COLOR_SIZE, OUTLINE_SIZE = 192, 32  # pixels, as the schema's icons.color and icons.outline require
# Field lengths from the schema.
SHORT_NAME_CHARS, FULL_NAME_CHARS = 30, 100
SHORT_DESCRIPTION_CHARS, FULL_DESCRIPTION_CHARS = 80, 4000
DEVELOPER_NAME_CHARS = 32
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # the same input gives the same bytes
# supportsFiles turns on Teams' file-consent flow in personal chat, which the adapter uses to send
# calendar and other files (bot/adapters/teams/files.py); charts still go inline.
SUPPORTS_FILES = True
# Resource-specific consent (schema: root.authorization.permissions.resourceSpecific, name + type).
RSC_PERMISSIONS = ({"name": "ChannelMessage.Read.Group", "type": "Application"},)
RSC_RESOURCE = "https://sgbot/rsc"  # webApplicationInfo.resource: required by Teams, read by nothing


@dataclass(frozen=True)
class Publisher:
    """What Teams shows about the app and who publishes it."""

    short_name: str
    full_name: str
    short_description: str
    full_description: str
    developer: str
    website: str
    privacy_url: str
    terms_url: str


def menu_commands(registry: Registry) -> tuple[list[CommandSpec], list[CommandSpec]]:
    """The commands the Teams menu offers (at most MOST_MENU_COMMANDS, most used first) and those
    left out, which still work when typed."""
    rank = {name: n for n, name in enumerate(MENU_ORDER)}
    ordered = sorted(registry.public_commands(), key=lambda c: (rank.get(c.name, len(rank)), c.name))
    return ordered[:MOST_MENU_COMMANDS], ordered[MOST_MENU_COMMANDS:]


def _command_entry(spec: CommandSpec) -> dict[str, str]:
    usage = f" Usage: {spec.name} {spec.usage}" if spec.usage else ""
    return {"title": spec.name, "description": f"{spec.help}{usage}"[:FULL_DESCRIPTION_CHARS]}


def build_manifest(registry: Registry, app_id: str, publisher: Publisher) -> dict[str, Any]:
    """The manifest as a dict. The app's own id is the bot's app id, so uploading a newer package
    updates the same app; the bot asks for no tab or SSO, and for one resource-specific permission:
    reading its team's channel messages, so replies in a survey's thread need no @mention."""
    offered, _ = menu_commands(registry)
    bot: dict[str, Any] = {
        "botId": app_id,
        "scopes": list(SCOPES),
        "isNotificationOnly": False,  # people talk to it
        "supportsFiles": SUPPORTS_FILES,
        "supportsCalling": False,
        "supportsVideo": False,
    }
    if offered:
        # One menu for every scope; Teams inserts the title, and the adapter reads "threshold neglect",
        # "/threshold neglect" and "@bot threshold neglect" alike.
        bot["commandLists"] = [{"scopes": list(SCOPES), "commands": [_command_entry(c) for c in offered]}]
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": __version__,
        "id": app_id,
        "developer": {
            "name": publisher.developer[:DEVELOPER_NAME_CHARS],
            "websiteUrl": publisher.website,
            "privacyUrl": publisher.privacy_url,
            "termsOfUseUrl": publisher.terms_url,
        },
        "name": {"short": publisher.short_name[:SHORT_NAME_CHARS], "full": publisher.full_name[:FULL_NAME_CHARS]},
        "description": {
            "short": publisher.short_description[:SHORT_DESCRIPTION_CHARS],
            "full": publisher.full_description[:FULL_DESCRIPTION_CHARS],
        },
        "icons": {"color": COLOR_ICON, "outline": OUTLINE_ICON},
        "accentColor": ACCENT_COLOR,
        "bots": [bot],
        # Private answers and reminders go to people's personal chats with the bot, opened by the
        # bot when needed: Teams shows this permission to people adding the app.
        "permissions": ["messageTeamMembers"],
        # Replies in a channel thread (a survey's answers) reach a bot without an @mention only with
        # this resource-specific consent, which a team owner grants at install; the adapter ignores
        # every un-mentioned message except a reply in a thread a feature claimed
        # (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-messages-with-rsc;
        # manifest v1.12+ also needs webApplicationInfo, whose `resource` is unused but must be set:
        # https://learn.microsoft.com/en-us/microsoftteams/platform/graph-api/rsc/test-resource-specific-consent).
        "webApplicationInfo": {"id": app_id, "resource": RSC_RESOURCE},
        "authorization": {"permissions": {"resourceSpecific": [dict(p) for p in RSC_PERMISSIONS]}},
        "validDomains": [],  # no tab or web page is shown inside Teams
        "defaultInstallScope": "personal",  # where private answers arrive
    }


# --- icons ----------------------------------------------------------------------------------------


def _bubble(size: int, scale: int) -> tuple[tuple[int, int, int, int], tuple[int, int, int]]:
    """A speech bubble's box and its tail's tip, for an icon `size` pixels wide drawn `scale` times
    larger (drawn large, then scaled down, for smooth edges)."""
    s = size * scale
    box = (round(s * 0.16), round(s * 0.2), round(s * 0.84), round(s * 0.7))
    return box, (round(s * 0.3), round(s * 0.86), round(s * 0.45))


def color_icon() -> bytes:
    """192 x 192, full colour: a white speech bubble on the accent colour, inside Teams' safe area."""
    from PIL import Image, ImageColor, ImageDraw

    scale = 4
    accent = ImageColor.getrgb(ACCENT_COLOR)
    image = Image.new("RGB", (COLOR_SIZE * scale, COLOR_SIZE * scale), accent)
    draw = ImageDraw.Draw(image)
    (x0, y0, x1, y1), (tail_x, tail_y, tail_top) = _bubble(COLOR_SIZE, scale)
    draw.rounded_rectangle((x0, y0, x1, y1), radius=(y1 - y0) // 4, fill="white")
    draw.polygon([(tail_x, y1 - 4), (tail_x, tail_y), (tail_top + tail_x // 3, y1 - 4)], fill="white")
    dot = (y1 - y0) // 9
    for n in range(3):
        cx, cy = x0 + (x1 - x0) * (n + 1) // 4, (y0 + y1) // 2
        draw.ellipse((cx - dot, cy - dot, cx + dot, cy + dot), fill=accent)
    return _png(image.resize((COLOR_SIZE, COLOR_SIZE), Image.Resampling.LANCZOS))


def outline_icon() -> bytes:
    """32 x 32, white on transparent (the schema asks for a white outline): the same bubble."""
    from PIL import Image, ImageDraw

    scale = 8
    # Transparent white, so scaling down leaves every visible pixel pure white.
    image = Image.new("RGBA", (OUTLINE_SIZE * scale, OUTLINE_SIZE * scale), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    (x0, y0, x1, y1), (tail_x, tail_y, tail_top) = _bubble(OUTLINE_SIZE, scale)
    stroke = 2 * scale
    draw.rounded_rectangle((x0, y0, x1, y1), radius=(y1 - y0) // 4, outline=(255, 255, 255, 255), width=stroke)
    draw.polygon(
        [(tail_x, y1 - stroke // 2), (tail_x, tail_y), (tail_top + tail_x // 3, y1 - stroke // 2)],
        fill=(255, 255, 255, 255),
    )
    return _png(image.resize((OUTLINE_SIZE, OUTLINE_SIZE), Image.Resampling.LANCZOS))


def _png(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def build_package(manifest: dict[str, Any]) -> bytes:
    """The zip Teams takes: manifest.json and the two icons at its top level, nothing else."""
    files = {
        "manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n",
        COLOR_ICON: color_icon(),
        OUTLINE_ICON: outline_icon(),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, data)
    return out.getvalue()


# --- the command ---------------------------------------------------------------------------------


def _https(value: str, option: str) -> str:
    if not value.lower().startswith("https://"):
        raise fail(f"{option} takes an https:// address, e.g. https://www.example.org/privacy.")
    return value


def _names(items: Iterable[CommandSpec]) -> str:
    return ", ".join(c.name for c in items)


@teams_app.command("manifest")
def manifest(
    out: Annotated[Path, typer.Option("--out", metavar="PATH", help="Where to write the app package (a .zip).")] = Path(
        DEFAULT_PACKAGE
    ),
    name: Annotated[
        str | None,
        typer.Option(
            "--name", metavar="NAME", help=f"The app's name in Teams ({SHORT_NAME_CHARS} characters at most)."
        ),
    ] = None,
    website: Annotated[
        str | None,
        typer.Option(
            "--website", metavar="URL", help="The publisher's https:// website (default: the content pack's)."
        ),
    ] = None,
    privacy_url: Annotated[
        str | None,
        typer.Option(
            "--privacy-url", metavar="URL", help="The privacy notice's https:// address (default: the website)."
        ),
    ] = None,
    terms_url: Annotated[
        str | None,
        typer.Option("--terms-url", metavar="URL", help="The terms of use's https:// address (default: the website)."),
    ] = None,
) -> None:
    """Write the Teams app package: manifest.json with the command menu, and the two icons."""
    from bot.runtime import load_content, load_registry
    from core.contentpack import InvalidPack

    settings = load_settings()
    app_id = settings.teams_app_id.strip()
    if not app_id:
        raise fail(
            "TEAMS_APP_ID is not set. Set it (in .env or the environment) to the Application (client) ID "
            "of the bot's Microsoft Entra app registration, e.g. TEAMS_APP_ID=00000000-0000-0000-0000-000000000000, "
            "then run `sgbot teams manifest` again. See 'Connect to Microsoft Teams' in the README."
        )
    if not GUID.match(app_id):
        raise fail(
            "TEAMS_APP_ID is not an app registration's id: it should look like "
            "00000000-0000-0000-0000-000000000000 (Application (client) ID in the Entra admin centre)."
        )
    if name is not None and not 0 < len(name) <= SHORT_NAME_CHARS:
        raise fail(f"--name takes 1 to {SHORT_NAME_CHARS} characters.")
    registry = load_registry()
    try:
        partnership = load_content(settings, registry).partnership
    except InvalidPack:
        raise fail("The content pack is not valid; run `sgbot content validate` to see why.") from None
    site = website or partnership.website
    if not site:
        raise fail(
            "Teams needs the publisher's website: add `website: https://...` to the content pack's "
            "partnership.yaml, or give --website https://..."
        )
    site = _https(site, "--website" if website else "The content pack's website")
    offered, left_out = menu_commands(registry)
    who = partnership.name
    publisher = Publisher(
        short_name=name or f"{partnership.short_name} safeguarding bot",
        full_name=f"{who} bot",
        short_description=f"Guidance, training and surveys for {partnership.short_name}.",
        full_description=(
            f"Safeguarding guidance, training and impact surveys for {who}, in Teams. "
            "Type a command in a personal chat with the bot, or mention it in a channel or group chat: "
            f"{_names(registry.public_commands())}. Lookups are answered in your personal chat with the bot."
        ),
        developer=partnership.owner if len(partnership.owner) <= DEVELOPER_NAME_CHARS else partnership.short_name,
        website=site,
        privacy_url=_https(privacy_url, "--privacy-url") if privacy_url else site,
        terms_url=_https(terms_url, "--terms-url") if terms_url else site,
    )
    package = build_package(build_manifest(registry, app_id, publisher))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(package)
    except OSError as exc:
        raise fail(f"Cannot write {out}: {exc.strerror or exc}.") from None
    typer.echo(f"Wrote the Teams app package to {out.resolve()} ({len(package):,} bytes).")
    typer.echo(f"App: {publisher.short_name[:SHORT_NAME_CHARS]}, version {__version__}, bot {app_id}.")
    typer.echo(f"Command menu (personal, team and group chat; {len(offered)} of {len(offered) + len(left_out)}):")
    for spec in offered:
        typer.echo(f"  {spec.name:<11} {spec.help}")
    if left_out:
        typer.echo(
            f"Left out of the menu (Teams shows at most {MOST_MENU_COMMANDS}; they still work when typed): "
            f"{_names(left_out)}."
        )
    if not (privacy_url and terms_url):
        typer.echo("Privacy or terms links not given point at the website (--privacy-url, --terms-url).")
    typer.echo("Upload it in the Teams admin centre (Manage apps > Upload new app), or Apps > Upload a custom app.")
