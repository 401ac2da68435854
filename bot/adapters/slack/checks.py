"""Is a body one Slack sends this app? Its signature, its encoding and the shape of what the
adapter reads from it, checked before anything else looks at it (see slack.guard for the order)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

MAX_SKEW_SECONDS = 5 * 60  # Slack's own limit for a request's timestamp
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")

# Interactivity this app uses; legacy message buttons and dialogs are never sent by it.
INTERACTIONS = {"block_actions", "view_submission"}
# Events API wrappers acknowledged and ignored (Slack stops sending them when acknowledged).
IGNORED_WRAPPERS = {"app_rate_limited"}


class Malformed(Exception):
    """The body is not something Slack sends this app; the message is for the log only."""


# --- the body -------------------------------------------------------------------------------


def signature_problem(secret: bytes, raw: bytes, timestamp: str | None, signature: str | None, now: float) -> str:
    """Why the signature does not hold ("" when it does). Slack signs `v0:{timestamp}:{body}`."""
    if not timestamp or not _TIMESTAMP.fullmatch(timestamp):
        return "no usable X-Slack-Request-Timestamp"
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        return "a timestamp more than five minutes out"
    if not signature or not _SIGNATURE.fullmatch(signature):
        return "no usable X-Slack-Signature"
    expected = hmac.new(secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest("v0=" + expected, signature):
        return "a wrong signature"
    return ""


def parse(raw: bytes, content_type: str) -> tuple[dict[str, Any], str]:
    """The body as Slack meant it, and as text. Raises Malformed."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("a body that is not UTF-8") from None
    if content_type == "application/json":
        return _json_object(text, "a JSON body"), text
    if content_type != "application/x-www-form-urlencoded":
        raise Malformed(f"content type {content_type[:40] or 'none'}")
    fields = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in fields:  # interactivity: one form field holding JSON
        return _json_object(fields["payload"], "payload="), text
    return fields, text


def _json_object(text: str, where: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        raise Malformed(f"{where} that is not JSON") from None
    except RecursionError:
        raise Malformed(f"{where} nested too deeply to read") from None
    if not isinstance(data, dict):
        raise Malformed(f"{where} that is JSON but not an object")
    return data


def _str(value: object, *, required: bool = False) -> bool:
    return isinstance(value, str) and bool(value) if required else value is None or isinstance(value, str)


def _text(part: object, key: str) -> bool:
    """Absent, or a string. For fields the adapter reads with `.get(key, "")` and uses as text,
    where a null would arrive as None rather than the default."""
    return not isinstance(part, dict) or key not in part or isinstance(part[key], str)


def _dict(value: object) -> bool:
    return value is None or isinstance(value, dict)


# Bolt reads these from every body before any listener runs (slack_bolt.request.internals:
# build_context): each of _ID_HOLDERS holds an id as text or an object with an "id", looked for
# again in _NESTED objects and in the first of "authorizations"; "response_urls" is a list of
# objects. Any other type raises inside Bolt.
_ID_HOLDERS = ("enterprise", "team", "user", "channel")
_NESTED = ("event", "message", "previous_message", "item", "assistant_thread")
_NESTING = 4  # deeper than Slack ever sends these


def _bolt_problem(part: Mapping[str, Any], depth: int = 0) -> bool:
    if depth > _NESTING:
        return True
    if not all(isinstance(part.get(f), str | dict | None) for f in _ID_HOLDERS):
        return True
    for listed in ("authorizations", "response_urls"):
        items = part.get(listed)
        if listed == "response_urls" and "response_url" in part:
            continue  # Bolt reads response_urls only without a response_url
        if items is not None and (not isinstance(items, list) or (items and not isinstance(items[0], dict))):
            return True
    first = (part.get("authorizations") or [None])[0]
    nested = [part[f] for f in _NESTED if isinstance(part.get(f), dict)] + ([first] if first else [])
    return any(_bolt_problem(inner, depth + 1) for inner in nested)


def shape_problem(body: Mapping[str, Any]) -> str:
    """What the adapter (or Bolt) reads but is missing or of the wrong type ("" when all is well)."""
    if not isinstance(body.get("type"), str | None):
        return "a body whose type is not text"
    if _bolt_problem(body):
        return "a body with a field Bolt reads of the wrong type"
    if "command" in body and "type" not in body:  # a slash command
        if not (_str(body.get("command"), required=True) and str(body["command"]).startswith("/")):
            return "a command without a command name"
        if not _str(body.get("user_id"), required=True):
            return "a command without user_id"
        texts = ("channel_id", "text", "user_name")
        others = ("trigger_id", "response_url", "team_id", "api_app_id")  # a null here is read as none
        if not all(_text(body, f) for f in texts) or not all(_str(body.get(f)) for f in others):
            return "a command with a field of the wrong type"
        return ""
    kind = body.get("type")
    if kind == "url_verification":
        return "" if _str(body.get("challenge"), required=True) else "a url_verification without a challenge"
    if kind == "event_callback":
        return _event_problem(body)
    if kind in IGNORED_WRAPPERS:
        return ""
    if kind not in INTERACTIONS:
        return f"a {str(kind)[:40]} request, which this app does not use" if kind else "a body with no type"
    user = body.get("user")
    if not isinstance(user, dict) or not _str(user.get("id"), required=True) or not _text(user, "username"):
        return f"a {kind} without a user"
    if not all(_dict(body.get(f)) for f in ("team", "enterprise", "container", "channel", "message")):
        return f"a {kind} with a field of the wrong type"
    if not all(_str(body.get(f)) for f in ("trigger_id", "response_url", "api_app_id")):
        return f"a {kind} with a field of the wrong type"
    if kind == "block_actions":
        return _action_problem(body)
    return _view_problem(body)


def _action_problem(body: Mapping[str, Any]) -> str:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        return "a block_actions without actions"
    action = actions[0]
    if not _str(action.get("action_id"), required=True):
        return "a block_actions without an action_id"
    chosen = action.get("selected_option")
    if not _str(action.get("value")) or not _dict(chosen) or (chosen and not _str(chosen.get("value"))):
        return "a block_actions with a value of the wrong type"
    for part, fields in (("container", ("channel_id", "thread_ts", "message_ts")), ("message", ("ts", "thread_ts"))):
        if not all(_str((body.get(part) or {}).get(f)) for f in fields):
            return "a block_actions with a field of the wrong type"
    # channel.id may be null (the container's is used then), but the container's is the last resort
    if not _str((body.get("channel") or {}).get("id")) or not _text(body.get("container"), "channel_id"):
        return "a block_actions with a field of the wrong type"
    return ""


def _view_problem(body: Mapping[str, Any]) -> str:
    view = body.get("view")
    if not isinstance(view, dict) or not _text(view, "callback_id") or not _str(view.get("id")):
        return "a view_submission without a view"
    metadata = view.get("private_metadata") or "{}"
    try:
        meta = json.loads(metadata) if isinstance(metadata, str) else None
    except (ValueError, RecursionError):
        meta = None
    # The bot writes all three as strings; a null c or v would be read as the text "None".
    if not isinstance(meta, dict) or not (_text(meta, "c") and _text(meta, "v") and _str(meta.get("t"))):
        return "a view_submission whose private_metadata is not the bot's"
    if not _dict(view.get("state")):
        return "a view_submission whose state is of the wrong type"
    values = (view.get("state") or {}).get("values")
    if values is None:
        return ""
    if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
        return "a view_submission whose state is of the wrong type"
    for actions in values.values():
        for entry in actions.values():
            chosen = entry.get("selected_option") if isinstance(entry, dict) else None
            if not isinstance(entry, dict) or not _str(entry.get("value")) or not _dict(chosen):
                return "a view_submission whose state is of the wrong type"
            if chosen and not _str(chosen.get("value")):
                return "a view_submission whose state is of the wrong type"
    return ""


def _event_problem(body: Mapping[str, Any]) -> str:
    event = body.get("event")
    if not isinstance(event, dict) or not _str(event.get("type"), required=True):
        return "an event_callback without an event"
    if not _str(body.get("event_id")) or not _str(body.get("team_id")) or not _str(body.get("api_app_id")):
        return "an event_callback with a field of the wrong type"
    fields = ("user", "text", "ts", "thread_ts", "channel", "channel_type", "subtype", "bot_id")
    if event["type"] != "message":
        return ""
    # A null in the others is read as none: they are only compared or tested for truth.
    if not all(_str(event.get(f)) for f in fields) or not all(_text(event, f) for f in ("user", "text", "channel")):
        return "a message event with a field of the wrong type"
    return ""
