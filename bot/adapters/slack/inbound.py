"""Slack payloads -> `Request`s: slash commands, clicks, modal submissions and thread replies.

Slack sends text escaped (`&amp;`, `&lt;`, `&gt;`); handlers get it plain. Shapes were checked
by slack.guard before any of this runs, so a missing key here is a bug, not an attack.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.adapters.slack import render as render
from core.model import Request, RequestKind

PLATFORM = "slack"


def command_request(body: Mapping[str, Any], roles: frozenset[str]) -> Request:
    channel = body.get("channel_id", "")
    return Request(
        kind=RequestKind.COMMAND,
        platform=PLATFORM,
        user_id=body["user_id"],
        user_name=body.get("user_name", ""),
        roles=roles,
        channel_id=channel,
        is_direct=channel.startswith("D"),
        command=body.get("command", "").lstrip("/"),
        text=render.unescape(body.get("text", "")).strip(),
    )


def action_request(body: Mapping[str, Any], roles: frozenset[str]) -> Request:
    """A button click or a select choice (block_actions)."""
    action = body["actions"][0]
    user = body["user"]["id"]
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id", "")
    value = action.get("value") or (action.get("selected_option") or {}).get("value", "")
    delivery = body.get("trigger_id") or action.get("action_ts")
    return Request(
        kind=RequestKind.ACTION,
        platform=PLATFORM,
        user_id=user,
        user_name=body["user"].get("username", ""),
        roles=roles,
        channel_id=channel,
        thread_id=message.get("thread_ts") or container.get("thread_ts"),
        message_id=container.get("message_ts") or message.get("ts"),
        is_direct=channel.startswith("D"),
        action_id=render.feature_action_id(action["action_id"]),
        value=value,
        delivery_id=f"slack:action:{delivery}:{action['action_id']}:{user}",
    )


def submit_request(body: Mapping[str, Any], roles: frozenset[str]) -> Request:
    """A modal submission (view_submission); where it was opened comes back in private_metadata."""
    view = body["view"]
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    if not isinstance(meta, dict):  # the request checks refuse these; never index into one
        meta = {}
    return Request(
        kind=RequestKind.SUBMIT,
        platform=PLATFORM,
        user_id=body["user"]["id"],
        user_name=body["user"].get("username", ""),
        roles=roles,
        channel_id=str(meta.get("c", "")),
        thread_id=meta.get("t") or None,
        is_direct=str(meta.get("c", "")).startswith("D"),
        action_id=view.get("callback_id", ""),
        value=str(meta.get("v", "")),
        form=render.form_values(form_blocks(body)),
        delivery_id=f"slack:view:{view.get('id')}:{body.get('trigger_id')}",
    )


def form_blocks(body: Mapping[str, Any]) -> dict[str, Any]:
    """view.state.values: what was entered, by block id."""
    return (body["view"].get("state") or {}).get("values") or {}


def modal_errors(blocks: Mapping[str, Any], form_errors: Mapping[str, str]) -> dict[str, str]:
    """Errors by block id for response_action="errors"; one for a field the modal lacks goes on
    the first block, so it is still shown."""
    first_block = next(iter(blocks), "")
    errors: dict[str, str] = {}
    for field_id, error in form_errors.items():
        block = field_id if field_id in blocks else first_block
        errors[block] = f"{errors[block]} {error}" if block in errors else error
    return errors


def thread_message_request(event: Mapping[str, Any], roles: frozenset[str], event_id: str) -> Request:
    return Request(
        kind=RequestKind.MESSAGE,
        platform=PLATFORM,
        user_id=event["user"],
        roles=roles,
        channel_id=event.get("channel", ""),
        thread_id=event["thread_ts"],
        message_id=event.get("ts"),
        is_direct=event.get("channel_type") == "im",
        text=render.unescape(event.get("text", "")),
        delivery_id=f"slack:event:{event_id}" if event_id else None,
    )


class KnownRetries(AsyncMiddleware):
    """Slack retries events it thinks we missed; answer a retry of one we have at once.
    This is only a shortcut: the dispatcher's record in the database is what counts."""

    def __init__(self, recent_events: OrderedDict[str, None]) -> None:
        self.recent_events = recent_events

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse | None:
        retry = (req.headers.get("x-slack-retry-num") or ["0"])[0]
        if retry not in ("", "0") and req.body.get("event_id") in self.recent_events:
            return BoltResponse(status=200, body="")
        return await next()
