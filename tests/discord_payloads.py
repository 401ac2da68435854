"""Discord API and gateway payloads, shaped as Discord sends them, for the adapter tests.

The one place that knows these shapes: the fake REST API answers with them and the tests
inject gateway events built here. discord.py 2.7 reads fields such as `attachment_size_limit`
on interactions, and its parsers are private, so this module (and the discord.py pin in
pyproject.toml) is what to revisit on a discord.py upgrade.
"""

from __future__ import annotations

import itertools
from typing import Any

APP_ID = 1_300_000_000_000_000_001
BOT_ID = 1_300_000_000_000_000_002
GUILD_ID = 1_300_000_000_000_000_010
CHANNEL_ID = 1_300_000_000_000_000_020
OTHER_CHANNEL_ID = 1_300_000_000_000_000_021
TRAINERS_ROLE_ID = 1_300_000_000_000_000_030
ANNOUNCE_ROLE_ID = 1_300_000_000_000_000_031
ALICE_ID = 1_300_000_000_000_000_040
BOB_ID = 1_300_000_000_000_000_041
TIMESTAMP = "2026-03-02T09:00:00.000000+00:00"
ATTACHMENT_LIMIT = 10 * 1024 * 1024

_ids = itertools.count(1_400_000_000_000_000_000)


def new_id() -> int:
    """A fresh snowflake, larger than every fixed id above."""
    return next(_ids)


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def bot_user() -> dict[str, Any]:
    return {**user(BOT_ID, "sgbot", bot=True), "verified": True, "mfa_enabled": False, "flags": 0, "locale": "en-GB"}


def application() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "sgbot",
        "description": "",
        "icon": None,
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": user(ALICE_ID, "alice"),
        "verify_key": "0" * 64,
        "flags": 0,
        "team": None,
        "summary": "",
        "interactions_endpoint_url": None,
    }


def role(role_id: int, name: str, position: int = 1) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "position": position,
        "permissions": "0",
        "managed": False,
        "mentionable": True,
        "flags": 0,
    }


def text_channel(channel_id: int = CHANNEL_ID, name: str = "safeguarding") -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def thread_channel(thread_id: int, parent_id: int = CHANNEL_ID, name: str = "thread") -> dict[str, Any]:
    return {
        "id": str(thread_id),
        "type": 11,
        "guild_id": str(GUILD_ID),
        "parent_id": str(parent_id),
        "owner_id": str(BOT_ID),
        "name": name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": TIMESTAMP,
            "locked": False,
        },
    }


def dm_channel(channel_id: int, recipient: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(channel_id), "type": 1, "last_message_id": None, "recipients": [recipient], "flags": 0}


def guild(*, channels: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """GUILD_CREATE: the server with its roles and channels (the @everyone role has the guild's id)."""
    return {
        "id": str(GUILD_ID),
        "name": "Riverside partnership",
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(ALICE_ID),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": [
            role(GUILD_ID, "@everyone", 0),
            role(TRAINERS_ROLE_ID, "Trainers", 1),
            role(ANNOUNCE_ROLE_ID, "Safeguarding news", 2),
        ],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-GB",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "joined_at": TIMESTAMP,
        "large": False,
        "unavailable": False,
        "member_count": 3,
        "members": [],
        "channels": channels if channels is not None else [text_channel(), text_channel(OTHER_CHANNEL_ID, "news")],
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def member(user_id: int = ALICE_ID, name: str = "alice", *, role_ids: list[int] | None = None) -> dict[str, Any]:
    return {
        "user": user(user_id, name),
        "roles": [str(r) for r in role_ids or []],
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "nick": None,
        "avatar": None,
        "permissions": "2248473465835073",
    }


def ready(*, session_id: str, resume_url: str, shard: list[int] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "v": 10,
        "user": bot_user(),
        "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
        "session_id": session_id,
        "resume_gateway_url": resume_url,
        "application": {"id": str(APP_ID), "flags": 0},
        "private_channels": [],
        "relationships": [],
    }
    if shard is not None:
        data["shard"] = shard
    return data


def message(
    body: dict[str, Any],
    *,
    message_id: int,
    channel_id: int,
    author: dict[str, Any] | None = None,
    guild_id: int | None = GUILD_ID,
) -> dict[str, Any]:
    """A message object as Discord returns it, from the body that created it."""
    data: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author or bot_user(),
        "content": body.get("content") or "",
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "pinned": False,
        "type": 0,
        "flags": body.get("flags") or 0,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data


def user_message(
    text: str, *, channel_id: int, author_id: int = ALICE_ID, name: str = "alice", role_ids: list[int] | None = None
) -> dict[str, Any]:
    """MESSAGE_CREATE for a person writing in a channel or thread."""
    data = message({"content": text}, message_id=new_id(), channel_id=channel_id, author=user(author_id, name))
    data["member"] = {k: v for k, v in member(author_id, name, role_ids=role_ids).items() if k != "user"}
    return data


# --- interactions ----------------------------------------------------------------------------


def _interaction(
    kind: int,
    data: dict[str, Any],
    *,
    channel: dict[str, Any] | None = None,
    user_id: int = ALICE_ID,
    user_name: str = "alice",
    role_ids: list[int] | None = None,
    interaction_id: int | None = None,
    in_guild: bool = True,
    with_member: bool = True,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(interaction_id or new_id()),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"interaction-token-{new_id()}",
        "version": 1,
        "data": data,
        "locale": "en-GB",
        "app_permissions": "2248473465835073",
        "entitlements": [],
        "attachment_size_limit": ATTACHMENT_LIMIT,
    }
    if in_guild:
        chosen = channel or text_channel()
        payload.update(
            guild_id=str(GUILD_ID),
            guild_locale="en-GB",
            guild={"id": str(GUILD_ID), "locale": "en-GB", "features": []},
            channel_id=chosen["id"],
            channel=chosen,
            member=member(user_id, user_name, role_ids=role_ids),
            authorizing_integration_owners={"0": str(GUILD_ID)},
            context=0,
        )
        if not with_member:
            # Discord's docs promise `member` in a server and `user` in a DM; a server interaction
            # carrying only `user` is the shape they do not promise.
            del payload["member"]
            payload["user"] = user(user_id, user_name)
    else:
        chosen = channel or dm_channel(new_id(), user(user_id, user_name))
        payload.update(
            channel_id=chosen["id"],
            channel=chosen,
            user=user(user_id, user_name),
            authorizing_integration_owners={"0": str(GUILD_ID)},
            context=1,
        )
    return payload


def slash_command(name: str, text: str | None = None, **who: Any) -> dict[str, Any]:
    """INTERACTION_CREATE type 2: /name with the optional "text" option."""
    data: dict[str, Any] = {"id": str(new_id()), "name": name, "type": 1}
    if who.get("in_guild", True):
        data["guild_id"] = str(GUILD_ID)
    if text is not None:
        data["options"] = [{"name": "text", "type": 3, "value": text}]
    return _interaction(2, data, **who)


def autocomplete(name: str, typed: Any, *, option: str = "text", **who: Any) -> dict[str, Any]:
    """INTERACTION_CREATE type 4 (APPLICATION_COMMAND_AUTOCOMPLETE) while someone types in an option.

    Shape from Discord's docs, Interactions > Receiving and Responding: "Application Command Data
    Structure" (sent for types 2 and 4; options may be partial) and "Application Command
    Interaction Data Option Structure" (name, type, value, focused)
    (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-application-command-data-structure).
    """
    data: dict[str, Any] = {
        "id": str(new_id()),
        "name": name,
        "type": 1,
        "options": [{"name": option, "type": 3, "value": typed, "focused": True}],
    }
    if who.get("in_guild", True):
        data["guild_id"] = str(GUILD_ID)
    return _interaction(4, data, **who)


def button_press(posted: dict[str, Any], custom_id: str, **who: Any) -> dict[str, Any]:
    """INTERACTION_CREATE type 3: a press on a button of a message the bot posted."""
    return _interaction(3, {"custom_id": custom_id, "component_type": 2}, **who) | {"message": posted}


def select_choice(posted: dict[str, Any], custom_id: str, value: str, **who: Any) -> dict[str, Any]:
    data = {"custom_id": custom_id, "component_type": 3, "values": [value]}
    return _interaction(3, data, **who) | {"message": posted}


def modal_submit(custom_id: str, values: dict[str, str], **who: Any) -> dict[str, Any]:
    """INTERACTION_CREATE type 5: each field as a label wrapping a text input, as Discord sends them."""
    components = [
        {"type": 18, "id": n * 2 + 1, "component": {"type": 4, "id": n * 2 + 2, "custom_id": key, "value": value}}
        for n, (key, value) in enumerate(values.items())
    ]
    return _interaction(5, {"custom_id": custom_id, "components": components}, **who)


def interaction_callback(
    interaction_id: str, body: dict[str, Any], message_data: dict[str, Any] | None
) -> dict[str, Any]:
    """The answer to POST /interactions/{id}/{token}/callback?with_response=1."""
    flags = (body.get("data") or {}).get("flags") or 0
    answer: dict[str, Any] = {
        "interaction": {
            "id": interaction_id,
            "type": 2,
            "response_message_id": message_data["id"] if message_data else None,
            "response_message_loading": body["type"] == 5,
            "response_message_ephemeral": bool(flags & 64),
        }
    }
    if message_data is not None:
        answer["resource"] = {"type": body["type"], "message": message_data}
    return answer


def app_commands(body: list[dict[str, Any]], *, guild_id: int | None) -> list[dict[str, Any]]:
    """What Discord returns after a bulk overwrite of application commands."""
    out = []
    for command in body:
        saved = {
            "id": str(new_id()),
            "application_id": str(APP_ID),
            "version": str(new_id()),
            "type": 1,
            "default_member_permissions": None,
            "nsfw": False,
            "options": [],
            **command,
        }
        if guild_id is not None:
            saved["guild_id"] = str(guild_id)
        out.append(saved)
    return out
