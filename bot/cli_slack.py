"""`sgbot slack manifest`: the Slack app manifest, generated from the command registry.

Paste it into api.slack.com/apps > Create New App > From a manifest, and the app exists with
every slash command, interactivity, the events the bot listens to, and only the scopes it uses.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
import yaml

from core.cli import fail, load_settings
from core.config import Settings
from core.registry import Registry

# The `sgbot` commands this module adds, read by bot/cli.py without importing it (one line, a literal).
CLI_COMMANDS = ("slack",)

slack_app = typer.Typer(name="slack", help="Slack: the app manifest.", no_args_is_help=True)
sub_app = slack_app  # added to `sgbot` by bot/cli.py

EVENTS_PATH = "/slack/events"
APP_NAME_CHARS = 35
DESCRIPTION_CHARS = 140

# Each scope, and what the adapter does with it. A scope not needed is left out.
ALWAYS = {
    "chat:write": "replies, posts and private notes (chat.postMessage, chat.postEphemeral)",
    "im:write": "direct messages: survey invitations, files for one person (conversations.open)",
    "files:write": "calendar files and charts (files.getUploadURLExternal, files.completeUploadExternal)",
}
COMMANDS = "commands"  # slash commands
GROUPS = "usergroups:read"  # roles from user groups (SLACK_ROLE_GROUPS)
# Replies in threads a feature owns arrive as message events, one scope per kind of conversation.
THREAD_EVENTS = {"message.channels": "channels:history", "message.groups": "groups:history", "message.im": "im:history"}


def bot_scopes(registry: Registry, settings: Settings) -> list[str]:
    scopes = set(ALWAYS)
    if registry.public_commands():
        scopes.add(COMMANDS)
    if settings.mapping(settings.slack_role_groups):
        scopes.add(GROUPS)
    if registry.threads:
        scopes.update(THREAD_EVENTS.values())
    return sorted(scopes)


def build_manifest(
    registry: Registry, settings: Settings, *, name: str, description: str, http_url: str | None = None
) -> dict[str, Any]:
    """The manifest as a dict. `http_url` is the public https address for HTTP mode;
    without it the app uses Socket Mode."""
    request_url = None
    if http_url:
        base = http_url.rstrip("/")
        request_url = base if base.endswith(EVENTS_PATH) else base + EVENTS_PATH
    commands = []
    for spec in registry.public_commands():
        # Escaped, Slack sends a picked channel as <#C0123|news> and a person as <@U0123>.
        entry: dict[str, Any] = {"command": f"/{spec.name}", "description": spec.help[:2000], "should_escape": True}
        if spec.usage:
            entry["usage_hint"] = spec.usage[:1000]
        if request_url:
            entry["url"] = request_url
        commands.append(entry)
    features: dict[str, Any] = {"bot_user": {"display_name": "sgbot", "always_online": True}}
    if commands:
        features["slash_commands"] = commands
    settings_block: dict[str, Any] = {}
    if registry.threads:
        features["app_home"] = {
            "home_tab_enabled": False,
            "messages_tab_enabled": True,  # so people can reply in a survey's direct-message thread
            "messages_tab_read_only_enabled": False,
        }
        events: dict[str, Any] = {"bot_events": sorted(THREAD_EVENTS)}
        if request_url:
            events["request_url"] = request_url
        settings_block["event_subscriptions"] = events
    interactivity: dict[str, Any] = {"is_enabled": True}
    if request_url:
        interactivity["request_url"] = request_url
    settings_block.update(
        {
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": request_url is None,
            "token_rotation_enabled": False,
        }
    )
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {"name": name[:APP_NAME_CHARS], "description": description[:DESCRIPTION_CHARS]},
        "features": features,
        "oauth_config": {"scopes": {"bot": bot_scopes(registry, settings)}},
        "settings": settings_block,
    }


@slack_app.command("manifest")
def manifest(
    http: Annotated[
        str | None,
        typer.Option(
            "--http", metavar="URL", help="Use HTTP mode at this public https address (default: Socket Mode)."
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", metavar="NAME", help="The app's name in Slack (35 characters at most).")
    ] = None,
    output: Annotated[str, typer.Option("--format", metavar="yaml|json", help="yaml or json.")] = "yaml",
) -> None:
    """Print the Slack app manifest: every command, interactivity, events and the scopes used."""
    from bot.runtime import load_content, load_registry
    from core.contentpack import InvalidPack

    if output not in ("yaml", "json"):
        raise fail("--format takes yaml or json.")
    if http is not None and not http.startswith("https://"):
        raise fail("--http takes the public https:// address Slack will post to, e.g. https://sgbot.example.org.")
    if name is not None and not 0 < len(name) <= APP_NAME_CHARS:
        raise fail(f"--name takes 1 to {APP_NAME_CHARS} characters.")
    settings = load_settings()
    registry = load_registry()
    try:
        partnership = load_content(settings, registry).partnership
        default_name, who = f"{partnership.short_name} safeguarding bot", partnership.name
    except InvalidPack:
        default_name, who = "Safeguarding bot", "your safeguarding partnership"
    data = build_manifest(
        registry,
        settings,
        name=name or default_name,
        description=f"Guidance, training and surveys for {who}.",
        http_url=http,
    )
    if output == "json":
        typer.echo(json.dumps(data, indent=2))
    else:
        typer.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000).rstrip())
