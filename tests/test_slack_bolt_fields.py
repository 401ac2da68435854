"""A signed Slack body with a wrongly typed field that Bolt itself reads gets the same 400 as any
other malformed body, never a 500 with a traceback (outside audit, platforms).

Bolt reads some fields before any listener runs (slack_bolt.request.internals.build_context): the
ids in team, enterprise, user and channel, the first of "authorizations", the first of
"response_urls", and the same ids again inside event, message and the like. The real AsyncApp
on 127.0.0.1 behind the request checks, as in test_slack_hostile.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from bot.adapters.slack.guard import MALFORMED
from tests.fake_slack import button_click, payload, thread_reply
from tests.slack_wire import Wire
from tests.test_slack_hostile import Quiet, fake, interaction_body, quiet, wire  # noqa: F401

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def click() -> dict[str, Any]:
    return button_click("slacktest:rsvp#0", "s1-yes", response_url="https://hooks.slack.com/x", trigger_id="n1")


def reply() -> dict[str, Any]:
    return thread_reply("It helped me plan a visit", event_id="Ev0BOLT")


def command() -> dict[str, Any]:
    return payload("slash_command", command="/echo", text="hi")


def submission() -> dict[str, Any]:
    return copy.deepcopy(payload("view_submission"))


def changed(make: Callable[[], dict[str, Any]], path: str, value: Any) -> dict[str, Any]:
    body = make()
    *parents, last = path.split(".")
    part = body
    for name in parents:
        part = part.setdefault(name, {}) if not name.isdigit() else part[int(name)]
    part[last] = value
    return body


BODIES: dict[str, tuple[Callable[[], dict[str, Any]], bool]] = {  # name -> (body, sent as a form payload)
    "command": (command, False),
    "click": (click, True),
    "submission": (submission, True),
    "reply": (reply, False),
}
# (path, wrong value): each field Bolt reads, given a type Slack never sends there
WRONG = [
    ("type", []),
    ("type", {"a": 1}),
    ("team", 5),
    ("enterprise", 5),
    ("user", [1]),
    ("channel", True),
    ("authorizations", 1),
    ("authorizations", "x"),
    ("authorizations", [1]),
    ("authorizations", {"team_id": "T0TEST"}),
    ("response_urls", 1),
    ("response_urls", [1]),
    ("event.team", 5),
    ("event.message.user", 5),
]
CASES = {
    f"{name} {path}={value!r}": (name, path, value)
    for name in BODIES
    for path, value in WRONG
    if not (name in ("click", "command") and path == "response_urls")  # read only without a response_url
}
# The three the audit found, as it sent them.
CASES |= {
    "submission view.state a string": ("submission", "view.state", "x"),
    "reply authorizations a number": ("reply", "authorizations", 1),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_a_field_bolt_reads_of_the_wrong_type_gets_400(wire: Wire, quiet: Quiet, case: str) -> None:  # noqa: F811
    name, path, value = CASES[case]
    make, as_form = BODIES[name]
    body = changed(make, path, value)
    status, _, text = await wire.slack.post(
        interaction_body(body) if as_form else json.dumps(body), FORM if as_form else JSON
    )
    await wire.adapter.drain()
    assert (status, text) == (400, MALFORMED)
    await quiet.assert_nothing_happened()


async def test_a_body_whose_type_is_a_list_gets_400(wire: Wire, quiet: Quiet) -> None:  # noqa: F811
    status, _, text = await wire.slack.post(json.dumps({"type": [], "team_id": "T0TEST"}), JSON)
    assert (status, text) == (400, MALFORMED)
    await quiet.assert_nothing_happened()


@pytest.mark.parametrize("name", list(BODIES))
async def test_the_same_bodies_with_fields_of_the_right_type_are_served(wire: Wire, name: str) -> None:  # noqa: F811
    make, as_form = BODIES[name]
    body = make()
    body["authorizations"] = [{"team_id": "T0TEST", "is_enterprise_install": False}]
    status, _, _ = await wire.slack.post(
        interaction_body(body) if as_form else json.dumps(body), FORM if as_form else JSON
    )
    await wire.adapter.drain()
    assert status == 200
