"""A signed Slack request with JSON null where the adapter reads text is refused before anything
runs: 400 over HTTP (also when the bot answers Slack before doing the work), an acknowledgement
with no effect over Socket Mode, one log line without a traceback, and nothing posted.

A null where the adapter reads it as "none" (an interaction's channel, given its container's, or
a command's trigger_id) is still served."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.guard import MALFORMED
from core.clock import FrozenClock
from storage.db import Database
from tests import slack_feature
from tests.fake_slack import FakeSlack, button_click, payload, thread_reply
from tests.slack_wire import Wire, open_wire, runtime_with_test_feature, slack_settings
from tests.storage_support import claim_thread
from tests.test_slack_hostile import Quiet, envelope, interaction_body, row_counts

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def fake(fake_server: FakeSlack) -> FakeSlack:
    fake_server.reset(groups={"safeguarding-trainers": ["U0TRAINER"]})
    return fake_server


@pytest.fixture(params=[True, False], ids=["work-before-answer", "work-after-answer"])
async def wire(
    request: pytest.FixtureRequest,
    fake: FakeSlack,
    tmp_path: Path,
    db: Database,
    database_url: str,
    clock: FrozenClock,
) -> AsyncIterator[Wire]:
    settings = slack_settings(tmp_path, database_url)
    opened = await open_wire(fake, settings, clock, process_before_response=request.param)
    fake.forget_calls()  # auth.test at start
    # the thread the replies below are in belongs to the test feature, so a reply would be read
    await claim_thread(opened.rt.ctx, "slack", "C0TRAIN", "1772442000.000100", feature="slacktest", ref="s1")
    yield opened
    await opened.close()


@pytest.fixture
async def quiet(wire: Wire, caplog: pytest.LogCaptureFixture) -> Quiet:
    before = await row_counts(wire.rt.ctx.db)
    caplog.set_level(logging.INFO)
    caplog.clear()
    return Quiet(wire, caplog, before)


def click() -> dict[str, Any]:
    return button_click("slacktest:rsvp#0", "s1-yes", response_url="https://hooks.slack.com/x", trigger_id="n1")


def reply() -> dict[str, Any]:
    return thread_reply("It helped me plan a visit", event_id="Ev0NULL")


def nulled(body: dict[str, Any], *paths: str) -> dict[str, Any]:
    """A copy of body with each dotted path set to null."""
    body = copy.deepcopy(body)
    for path in paths:
        *parents, last = path.split(".")
        part = body
        for name in parents:
            part = part[name]
        part[last] = None
    return body


def command() -> dict[str, Any]:
    return payload("slash_command", command="/echo", text="hi")


# (what is sent, content type) for each field the adapter reads as text
NULLS: dict[str, Callable[[], tuple[str, str]]] = {
    "command channel_id": lambda: (json.dumps(nulled(command(), "channel_id")), JSON),
    "command text": lambda: (json.dumps(nulled(command(), "text")), JSON),
    "command user_name": lambda: (json.dumps(nulled(command(), "user_name")), JSON),
    "click channel": lambda: (interaction_body(nulled(click(), "channel", "container.channel_id")), FORM),
    "click container channel_id": lambda: (interaction_body(nulled(click(), "container.channel_id")), FORM),
    "click username": lambda: (interaction_body(nulled(click(), "user.username")), FORM),
    "submission username": lambda: (interaction_body(nulled(payload("view_submission"), "user.username")), FORM),
    "submission callback_id": lambda: (interaction_body(nulled(payload("view_submission"), "view.callback_id")), FORM),
    "reply user": lambda: (json.dumps(nulled(reply(), "event.user")), JSON),
    "reply channel": lambda: (json.dumps(nulled(reply(), "event.channel")), JSON),
    "reply text": lambda: (json.dumps(nulled(reply(), "event.text")), JSON),
}


@pytest.mark.parametrize("case", list(NULLS))
async def test_a_null_where_text_is_read_gets_400(wire: Wire, quiet: Quiet, case: str) -> None:
    body, content_type = NULLS[case]()
    status, _, text = await wire.slack.post(body, content_type)
    await wire.adapter.drain()
    assert (status, text) == (400, MALFORMED)
    await quiet.assert_nothing_happened()
    [line] = [r.getMessage() for r in quiet.caplog.records if r.levelno >= logging.INFO]
    assert "wrong type" in line or "without a user" in line or "without a view" in line


async def test_a_submission_with_null_response_urls_gets_400_not_bolts_traceback(wire: Wire, quiet: Quiet) -> None:
    # an outside audit: Bolt read len(None) building its context, and aiohttp answered 500
    status, _, text = await wire.slack.post(interaction_body(nulled(payload("view_submission"), "response_urls")), FORM)
    assert (status, text) == (400, MALFORMED)
    await quiet.assert_nothing_happened()


@pytest.mark.parametrize("field", ["c", "v"])
async def test_a_null_in_the_bots_own_modal_metadata_gets_400(wire: Wire, quiet: Quiet, field: str) -> None:
    submission = payload("view_submission")
    submission["view"]["private_metadata"] = json.dumps({"c": "C0GENERAL", "t": "", "v": "s1", field: None})
    status, _, _ = await wire.slack.post(interaction_body(submission), FORM)
    assert status == 400
    await quiet.assert_nothing_happened()


# --- nulls the adapter reads as "none" are still served ------------------------------------------


async def test_a_click_with_a_null_channel_uses_its_containers(wire: Wire) -> None:
    status, _, _ = await wire.slack.post(interaction_body(nulled(click(), "channel")), FORM)
    await wire.adapter.drain()
    assert status == 200
    assert wire.calls == [("rsvp", "U0PRACT01", "s1-yes", "1772442000.000100")]


async def test_a_thread_reply_with_a_null_subtype_is_a_plain_reply(wire: Wire) -> None:
    status, _, _ = await wire.slack.post(json.dumps(nulled(reply(), "event.subtype")), JSON)
    await wire.adapter.drain()
    assert status == 200
    assert wire.calls == [("thread", "s1", "It helped me plan a visit", "1772442000.000100")]


# --- Socket Mode: the same refusal, acknowledged so Slack does not send it again --------------------


@pytest.fixture
async def socket_adapter(
    fake: FakeSlack, tmp_path: Path, db: Database, database_url: str, clock: FrozenClock
) -> AsyncIterator[SlackAdapter]:
    settings = slack_settings(tmp_path, database_url, slack_app_token="xapp-1-A0SGBOT-test", slack_signing_secret=None)
    rt = await runtime_with_test_feature(settings, clock)
    adapter = SlackAdapter(rt, client=fake.client(), process_before_response=False, channel_interval=0.0)
    await adapter.identify()
    fake.forget_calls()
    yield adapter
    await adapter.stop()
    await rt.ctx.db.dispose()


@pytest.mark.parametrize("field", ["user", "channel", "text"])
async def test_a_socket_mode_thread_reply_with_a_null_is_dropped_quietly(
    socket_adapter: SlackAdapter, fake: FakeSlack, caplog: pytest.LogCaptureFixture, field: str
) -> None:
    caplog.set_level(logging.INFO)
    before = await row_counts(socket_adapter.runtime.ctx.db)
    websocket = await envelope(socket_adapter, nulled(reply(), f"event.{field}"), kind="events_api")
    await socket_adapter.drain()
    [answer] = websocket.responses
    assert answer.payload is None
    assert slack_feature.log(socket_adapter.runtime.ctx)["calls"] == [] and fake.calls == []
    assert await row_counts(socket_adapter.runtime.ctx.db) == before
    lines = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert len(lines) == 1 and all(r.exc_info is None for r in caplog.records)
    assert "Traceback" not in caplog.text
