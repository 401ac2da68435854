"""The Slack adapter refuses malformed and foreign input cleanly: the real AsyncApp on 127.0.0.1
behind the request checks, signed requests from Slack's side, and the real AsyncWebClient
talking to a local fake of the Web API.

Every attack asserts the HTTP status (never 500), that nothing happened (no handler call, no
call out to Slack, no row added in the database), and that the log has at most one line and no
traceback."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.guard import MALFORMED, OTHER_WORKSPACE, REPLAYED, UNSIGNED
from bot.adapters.slack.web import UserGroups
from core.clock import FrozenClock
from storage import audit
from storage.db import Database
from storage.schema import metadata
from tests import slack_feature, slack_fixtures
from tests.fake_slack import FakeSlack, ManualClock, button_click, payload, thread_reply
from tests.slack_wire import Wire, open_wire, runtime_with_test_feature, slack_settings
from tests.storage_support import claim_thread
from tests.test_slack_socket import WebsocketSide

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def fake(fake_server: FakeSlack) -> FakeSlack:
    fake_server.reset(groups={"safeguarding-trainers": ["U0TRAINER"]})
    return fake_server


wire = slack_fixtures.wire  # the shared wire, on this module's fake (with the trainers' group)


async def row_counts(db: Database) -> dict[str, int]:
    counts = {}
    async with db.transaction() as tx:
        for table in metadata.sorted_tables:
            counts[table.name] = int(await tx.scalar(select(func.count()).select_from(table)) or 0)
    return counts


class Quiet:
    """What the attack left behind: the log lines and whether anything happened."""

    def __init__(self, wire: Wire, caplog: pytest.LogCaptureFixture, before: dict[str, int]) -> None:
        self.wire, self.caplog, self.before = wire, caplog, before

    async def assert_nothing_happened(self, *, log_lines: int = 1) -> None:
        assert self.wire.calls == []  # no handler ran
        assert self.wire.fake.calls == []  # no reply or call out to Slack
        assert await row_counts(self.wire.rt.ctx.db) == self.before  # nothing in the database
        lines = [r for r in self.caplog.records if r.levelno >= logging.INFO]
        assert len(lines) <= log_lines, [r.getMessage() for r in lines]
        assert all(r.exc_info is None for r in self.caplog.records)
        assert "Traceback" not in self.caplog.text


@pytest.fixture
async def quiet(wire: Wire, caplog: pytest.LogCaptureFixture) -> Quiet:
    before = await row_counts(wire.rt.ctx.db)
    caplog.set_level(logging.INFO)
    caplog.clear()
    return Quiet(wire, caplog, before)


def interaction_body(data: Any) -> str:
    return urlencode({"payload": json.dumps(data)})


# --- the signature comes first -------------------------------------------------------------------


async def test_a_non_numeric_timestamp_is_refused_as_unsigned(wire: Wire, quiet: Quiet) -> None:
    body = urlencode(payload("slash_command", command="/echo", text="hi"))
    status, _, text = await wire.slack.post(body, FORM, timestamp="soon")  # signed with "soon" as the timestamp
    assert (status, text) == (401, UNSIGNED)
    await quiet.assert_nothing_happened()


async def test_a_malformed_body_without_a_signature_is_never_parsed(wire: Wire, quiet: Quiet) -> None:
    # Unsigned garbage gets 401, not 400: nobody without the secret learns how bodies are read.
    for _ in range(5):
        status, _, _ = await wire.slack.post("payload={not json", FORM, signature="v0=" + "0" * 64)
        assert status == 401
    await quiet.assert_nothing_happened()  # five refusals, one log line


async def test_a_signed_request_sent_again_byte_for_byte_is_refused_as_a_replay(wire: Wire) -> None:
    # an outside audit: a slash command carries no delivery id, so a captured request replayed
    # within the five minutes the timestamp allows ran a second time
    body = urlencode(payload("slash_command", command="/echo", text="once"))
    stamp = int(time.time())
    first = await wire.slack.post(body, FORM, timestamp=stamp)
    again = await wire.slack.post(body, FORM, timestamp=stamp)
    await wire.adapter.drain()
    assert (first[0], again[0], again[2]) == (200, 409, REPLAYED)
    assert len(wire.calls) == 1
    status, _, _ = await wire.slack.post(body, FORM, timestamp=stamp + 1)  # signed anew, as Slack would
    assert status == 200


# --- malformed bodies, properly signed --------------------------------------------------------------


async def test_malformed_json_in_payload_gets_400(wire: Wire, quiet: Quiet) -> None:
    status, _, text = await wire.slack.post("payload=%7B%22type%22%3A", FORM)  # payload={"type":
    assert (status, text) == (400, MALFORMED)
    await quiet.assert_nothing_happened()


async def test_a_form_body_sent_as_json_gets_400(wire: Wire, quiet: Quiet) -> None:
    body = urlencode(payload("slash_command", command="/echo", text="hi"))
    status, _, _ = await wire.slack.post(body, "application/json")
    assert status == 400
    await quiet.assert_nothing_happened()


async def test_non_utf8_bytes_get_400(wire: Wire, quiet: Quiet) -> None:
    status, _, _ = await wire.slack.post(b"command=%2Fecho&text=\xff\xfe\xfd&user_id=U0PRACT01", FORM)
    assert status == 400
    await quiet.assert_nothing_happened()


async def test_a_payload_that_is_a_json_list_gets_400(wire: Wire, quiet: Quiet) -> None:
    status, _, _ = await wire.slack.post("payload=%5B1%2C2%5D", FORM)  # payload=[1,2]
    assert status == 400
    await quiet.assert_nothing_happened()


async def test_a_legacy_interactive_message_gets_400(wire: Wire, quiet: Quiet) -> None:
    # Shape: api.slack.com/legacy/interactive-messages, as in slackapi/bolt-python
    # tests/scenario_tests_async/test_attachment_actions.py (see tests/slack_payloads/SOURCES.md).
    status, _, _ = await wire.slack.post(interaction_body(payload("interactive_message")), FORM)
    assert status == 400
    await quiet.assert_nothing_happened()


async def test_a_legacy_dialog_submission_gets_400(wire: Wire, quiet: Quiet) -> None:
    # Shape: api.slack.com/dialogs, as in slackapi/bolt-python tests/scenario_tests_async/test_dialogs.py.
    status, _, _ = await wire.slack.post(interaction_body(payload("dialog_submission")), FORM)
    assert status == 400
    await quiet.assert_nothing_happened()


async def test_a_block_actions_with_no_actions_gets_400(wire: Wire, quiet: Quiet) -> None:
    # Shape: docs.slack.dev/reference/interaction-payloads/block_actions-payload, with actions emptied.
    click = button_click("slacktest:rsvp#0", "s1-yes", response_url=wire.fake.response_url("x"), trigger_id="t")
    click["actions"] = []
    status, _, _ = await wire.slack.post(interaction_body(click), FORM)
    assert status == 400
    await quiet.assert_nothing_happened()


async def test_a_command_without_user_id_gets_400(wire: Wire, quiet: Quiet) -> None:
    fields = payload("slash_command", command="/echo", text="hi")
    del fields["user_id"]
    status, _, _ = await wire.slack.post(urlencode(fields), FORM)
    assert status == 400
    await quiet.assert_nothing_happened()


@pytest.mark.parametrize("metadata_text", ["[1, 2]", "5", '"s1"', "not json", '{"c": ["C0GENERAL"]}'])
async def test_private_metadata_that_is_not_the_bots_object_gets_400(
    wire: Wire, quiet: Quiet, metadata_text: str
) -> None:
    # Shape: docs.slack.dev view_submission payload, as in slackapi/bolt-python
    # tests/scenario_tests_async/test_view_submission.py; private_metadata replaced.
    submission = payload("view_submission")
    submission["view"] = {**submission["view"], "private_metadata": metadata_text}
    status, _, _ = await wire.slack.post(interaction_body(submission), FORM)
    assert status == 400
    assert slack_feature.log(wire.rt.ctx)["feedback"] == []
    await quiet.assert_nothing_happened()


async def test_a_command_whose_text_says_payload_is_still_answered(wire: Wire) -> None:
    # Bolt's own body parser reads any form mentioning "payload" as an interaction; the adapter
    # parses the body once itself, so the person's words cannot change what kind of request it is.
    status, _, body = await wire.slack.command("/echo", "payload arrives Monday")
    assert status == 200 and json.loads(body)["response_type"] == "in_channel"
    assert wire.calls == [("echo", "payload arrives Monday")]


async def test_an_oversized_body_is_refused_quietly(wire: Wire, quiet: Quiet) -> None:
    status, _, _ = await wire.slack.post(b"payload=" + b"x" * (2 * 1024 * 1024), FORM)
    assert status == 413  # aiohttp's limit (1 MiB); Slack's payloads are a few kilobytes
    await quiet.assert_nothing_happened(log_lines=0)


async def test_slacks_unsigned_certificate_check_is_answered_with_no_effect(wire: Wire, quiet: Quiet) -> None:
    # Slack's ssl_check for slash command URLs carries no signature and needs only a 200.
    status, _, _ = await wire.slack.post("ssl_check=1&token=legacy-verification-token", FORM, signature="none")
    assert status == 200
    await quiet.assert_nothing_happened(log_lines=0)


async def test_an_event_the_bot_does_not_use_is_acknowledged_with_no_effect(wire: Wire, quiet: Quiet) -> None:
    mention = thread_reply("hello", event_id="Ev0MENTION", type="app_mention")
    status, _, body = await wire.slack.event(mention)
    assert (status, body) == (200, "")  # acknowledged, so Slack does not send it again
    await quiet.assert_nothing_happened(log_lines=0)


# --- roles when user groups cannot be read ------------------------------------------------------


async def test_unreadable_user_groups_fall_back_to_settings_and_retry_with_back_off(
    fake: FakeSlack,
    tmp_path: Path,
    db: Database,
    database_url: str,
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = slack_settings(
        tmp_path, database_url, slack_role_groups="safeguarding-trainers=trainer", trainers="slack:U0SETTINGS"
    )
    wire = await open_wire(fake, settings, clock)
    try:
        monotonic = ManualClock()
        assert wire.adapter.groups is not None
        wire.adapter.groups = UserGroups(wire.adapter.client, wire.adapter.groups.handles, clock=monotonic)
        fake.fail("usergroups.list", status=503, text="Service Unavailable", times=2)
        caplog.set_level(logging.INFO)
        caplog.clear()

        status, _, by_settings = await wire.slack.command("/publish", user_id="U0SETTINGS")
        assert status == 200 and "Published." in by_settings  # the settings' roles still count
        status, _, by_group = await wire.slack.command("/publish", user_id="U0TRAINER")
        assert status == 200 and "Only trainers" in by_group  # fewer roles, never more
        status, _, _ = await wire.slack.command("/help")
        assert status == 200
        assert fake.methods().count("usergroups.list") == 1  # not tried again on every command

        monotonic.now += 29
        await wire.slack.command("/help")
        assert fake.methods().count("usergroups.list") == 1  # still waiting
        monotonic.now += 1
        await wire.slack.command("/help")
        assert fake.methods().count("usergroups.list") == 2  # tried after 30 s, failed again
        monotonic.now += 59
        await wire.slack.command("/help")
        assert fake.methods().count("usergroups.list") == 2  # the wait doubled
        monotonic.now += 1
        _, _, recovered = await wire.slack.command("/publish", user_id="U0TRAINER")
        assert "Published." in recovered and fake.methods().count("usergroups.list") == 3

        warnings = [r for r in caplog.records if r.name.startswith("sgbot") and r.levelno >= logging.WARNING]
        assert len(warnings) == 1 and "settings only" in warnings[0].getMessage()
        assert all(r.exc_info is None for r in caplog.records) and "Traceback" not in caplog.text
    finally:
        await wire.close()


# --- other workspaces, organisations and apps -------------------------------------------------


async def denials(wire: Wire) -> list[tuple[str, str, str, str]]:
    async with wire.rt.ctx.db.transaction() as tx:
        rows = await audit.entries(tx)
    return [(r.actor, r.action, r.subject, r.detail) for r in rows]


async def test_an_rsvp_press_from_another_workspace_is_refused_with_no_effect(wire: Wire, quiet: Quiet) -> None:
    click = button_click("slacktest:rsvp#0", "s1-yes", response_url=wire.fake.response_url("o"), trigger_id="o1")
    click["team"] = {"id": "T0OTHER", "domain": "elsewhere"}
    click["user"] = {**click["user"], "team_id": "T0OTHER"}
    status, _, _ = await wire.slack.post(interaction_body(click), FORM)
    assert status == 200  # acknowledged, so Slack does not send it again
    assert slack_feature.log(wire.rt.ctx)["going"] == set()
    assert await denials(wire) == [("U0PRACT01", "denied", "slacktest:rsvp#0", "from another workspace T0OTHER")]
    quiet.before["audit_log"] += 1  # the audit row is the only change
    await quiet.assert_nothing_happened()


async def test_a_command_from_another_organisation_gets_a_polite_refusal(
    fake: FakeSlack, tmp_path: Path, db: Database, database_url: str, clock: FrozenClock
) -> None:
    settings = slack_settings(tmp_path, database_url, slack_enterprise_id="E0PARTNER")
    wire = await open_wire(fake, settings, clock)
    try:
        status, _, body = await wire.slack.command("/echo", "hello", enterprise_id="E0OTHER")
        assert status == 200 and json.loads(body) == {"response_type": "ephemeral", "text": OTHER_WORKSPACE}
        assert wire.calls == []
        assert await denials(wire) == [("U0PRACT01", "denied", "echo", "from another organisation E0OTHER")]
        # The partnership's own organisation is served.
        status, _, _ = await wire.slack.command("/echo", "hello", enterprise_id="E0PARTNER")
        assert status == 200 and wire.calls == [("echo", "hello")]
    finally:
        await wire.close()


async def test_an_event_for_another_app_is_acknowledged_with_no_effect(
    fake: FakeSlack, tmp_path: Path, db: Database, database_url: str, clock: FrozenClock
) -> None:
    wire = await open_wire(fake, slack_settings(tmp_path, database_url, slack_app_id="A0SGBOT"), clock)
    try:
        await claim_thread(wire.rt.ctx, "slack", "C0TRAIN", "1772442000.000100", feature="slacktest", ref="s1")
        event = thread_reply("from a look-alike app", event_id="Ev0OTHERAPP", api_app_id="A0OTHER")
        event["api_app_id"] = "A0OTHER"
        status, _, body = await wire.slack.event(event)
        assert (status, body) == (200, "")
        assert wire.calls == [] and fake.calls_to("chat.postEphemeral") == []
        assert await denials(wire) == [("U0PRACT01", "denied", "thread-message", "from another app A0OTHER")]
    finally:
        await wire.close()


async def test_the_workspace_learned_at_start_is_the_only_one_served(wire: Wire) -> None:
    assert wire.adapter.workspace.teams == {"T0TEST"}  # from the fake's auth.test
    status, _, body = await wire.slack.command("/echo", "hi", team_id="T0OTHER")
    assert status == 200 and OTHER_WORKSPACE in body and wire.calls == []
    status, _, _ = await wire.slack.command("/echo", "hi")
    assert status == 200 and wire.calls == [("echo", "hi")]


async def test_configured_workspaces_replace_the_learned_one(
    fake: FakeSlack, tmp_path: Path, db: Database, database_url: str, clock: FrozenClock
) -> None:
    settings = slack_settings(tmp_path, database_url, slack_team_ids="T0NORTH, T0SOUTH")
    wire = await open_wire(fake, settings, clock)
    try:
        _, _, body = await wire.slack.command("/echo", "hi")  # T0TEST, the token's own workspace
        assert OTHER_WORKSPACE in body
        await wire.slack.command("/echo", "north", team_id="T0NORTH")
        await wire.slack.command("/echo", "south", team_id="T0SOUTH")
        assert wire.calls == [("echo", "north"), ("echo", "south")]
    finally:
        await wire.close()


# --- Socket Mode envelopes go through the same checks --------------------------------------------


@pytest.fixture
async def socket_adapter(
    fake: FakeSlack, tmp_path: Path, db: Database, database_url: str, clock: FrozenClock
) -> AsyncIterator[SlackAdapter]:
    settings = slack_settings(tmp_path, database_url, slack_app_token="xapp-1-A0SGBOT-test", slack_signing_secret=None)
    rt = await runtime_with_test_feature(settings, clock)
    adapter = SlackAdapter(rt, client=fake.client(), process_before_response=True, channel_interval=0.0)
    await adapter.identify()
    fake.forget_calls()
    yield adapter
    await adapter.stop()
    await rt.ctx.db.dispose()


async def envelope(adapter: SlackAdapter, body: Any, kind: str = "slash_commands") -> WebsocketSide:
    """An envelope as it comes off the websocket, through the Socket Mode client's own listeners;
    only sending the answer back is recorded instead."""
    message = {**payload("socket_mode_envelope"), "type": kind, "payload": body}
    websocket = WebsocketSide()
    client = adapter.socket_handler().client
    client.send_socket_mode_response = websocket.send_socket_mode_response  # type: ignore[method-assign]
    await client.run_message_listeners(message, json.dumps(message))
    return websocket


async def test_a_socket_mode_command_from_another_workspace_is_refused_in_the_envelope(
    socket_adapter: SlackAdapter, fake: FakeSlack
) -> None:
    body = {**payload("socket_mode_envelope")["payload"], "team_id": "T0OTHER", "command": "/echo", "text": "hi"}
    websocket = await envelope(socket_adapter, body)
    [answer] = websocket.responses
    assert answer.payload == {"response_type": "ephemeral", "text": OTHER_WORKSPACE}
    assert slack_feature.log(socket_adapter.runtime.ctx)["calls"] == [] and fake.calls == []
    async with socket_adapter.runtime.ctx.db.transaction() as tx:
        rows = await audit.entries(tx)
    assert [(r.actor, r.detail) for r in rows] == [("U0PRACT01", "from another workspace T0OTHER")]


@pytest.mark.parametrize("shape", ["no user_id", "a list", "no actions"])
async def test_a_malformed_socket_mode_envelope_is_acknowledged_with_no_effect(
    socket_adapter: SlackAdapter, fake: FakeSlack, caplog: pytest.LogCaptureFixture, shape: str
) -> None:
    caplog.set_level(logging.INFO)
    before = await row_counts(socket_adapter.runtime.ctx.db)
    if shape == "no user_id":
        body: Any = {k: v for k, v in payload("socket_mode_envelope")["payload"].items() if k != "user_id"}
        websocket = await envelope(socket_adapter, body)
    elif shape == "a list":
        websocket = await envelope(socket_adapter, [1, 2], kind="interactive")
    else:
        click = button_click("slacktest:rsvp#0", "s1-yes", response_url=fake.response_url("s"), trigger_id="s1")
        websocket = await envelope(socket_adapter, {**click, "actions": []}, kind="interactive")
    [answer] = websocket.responses  # acknowledged, or Slack would send it again
    assert answer.payload is None
    assert slack_feature.log(socket_adapter.runtime.ctx)["calls"] == [] and fake.calls == []
    assert await row_counts(socket_adapter.runtime.ctx.db) == before
    lines = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert len(lines) <= 1 and all(r.exc_info is None for r in caplog.records)
