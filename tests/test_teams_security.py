"""Only Teams, signed for this app, gets in; a redelivered activity has no second effect; every
recorded activity shape gets an answer or a clean 4xx, never a traceback."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from core.clock import FrozenClock
from storage import teams
from storage.db import Database
from tests import slack_feature
from tests.teams_fake import APP_ID, PAYLOADS, FakeTeams, new_key, sign
from tests.teams_wire import TeamsWire, open_teams, teams_settings


@pytest.fixture
async def fake() -> AsyncIterator[FakeTeams]:
    server = FakeTeams()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def wire(
    fake: FakeTeams, tmp_path: Path, database_url: str, db: Database, clock: FrozenClock
) -> AsyncIterator[TeamsWire]:
    # `db` empties the shared PostgreSQL test database first (references other tests stored).
    opened = await open_teams(fake, teams_settings(tmp_path, database_url, fake), clock)
    yield opened
    await opened.close()


async def no_effect(wire: TeamsWire) -> None:
    assert not wire.fake.calls  # nothing posted, no conversation opened
    assert not slack_feature.log(wire.rt.ctx)["calls"]  # no handler ran
    async with wire.rt.ctx.db.session() as session:  # no conversation reference kept
        assert await teams.personal_chat(session, "29:1practitionerA") is None


def bad_tokens(fake: FakeTeams) -> dict[str, str | None]:
    now = int(time.time())
    return {
        "unsigned": None,
        "not a bearer token": "",
        "signed with another key": sign(new_key(), fake.url),
        "expired": sign(fake.key, fake.url, exp=now - 3600, iat=now - 7200, nbf=now - 7200),
        "for another app": sign(fake.key, fake.url, aud="11111111-2222-4333-8444-555555555555"),
        "from another issuer": sign(fake.key, fake.url, iss="https://evil.example"),
        "for another service url": sign(fake.key, "https://elsewhere.example/"),
        "without a service url claim": sign(fake.key, fake.url, serviceurl=None),
        "with no signature": _unsigned_jwt(fake),
    }


def _unsigned_jwt(fake: FakeTeams) -> str:
    import jwt

    now = int(time.time())
    claims = {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": fake.url, "exp": now + 600}
    return jwt.encode(claims, None, algorithm="none")


@pytest.mark.parametrize(
    "case",
    [
        "unsigned",
        "not a bearer token",
        "signed with another key",
        "expired",
        "for another app",
        "from another issuer",
        "for another service url",
        "without a service url claim",
        "with no signature",
    ],
)
async def test_a_request_without_a_valid_token_for_this_app_gets_401_and_has_no_effect(
    wire: TeamsWire, fake: FakeTeams, case: str
) -> None:
    token = bad_tokens(fake)[case]
    activity = wire.activity("message_personal", text="echo should not run")
    if case == "not a bearer token":
        status, _ = await wire.teams.send(activity, token=None, raw_headers={"Authorization": "Basic abc"})
    else:
        status, _ = await wire.teams.send(activity, token=token)
    assert status == 401
    await no_effect(wire)


async def test_an_activity_without_a_service_url_is_refused(wire: TeamsWire) -> None:
    activity = wire.activity("message_personal", text="echo should not run")
    token = sign(wire.fake.key, activity.pop("serviceUrl"))
    status, _ = await wire.teams.send(activity, token=token)
    assert status == 401
    await no_effect(wire)


async def test_a_body_that_is_not_json_is_refused(wire: TeamsWire) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.post(wire.adapter.messages_url, data=b"{not json") as r:
        assert r.status == 400
    await no_effect(wire)


async def test_a_redelivered_activity_has_no_second_effect(wire: TeamsWire, fake: FakeTeams) -> None:
    activity = wire.activity("message_personal", text="echo once only")
    assert (await wire.teams.send(activity))[0] == 200
    assert (await wire.teams.send(activity))[0] == 200  # Teams retries: same activity id
    assert [c for c in slack_feature.log(wire.rt.ctx)["calls"] if c[0] == "echo"] == [("echo", "once only")]
    assert len(fake.posts()) == 1


async def test_a_redelivered_button_press_counts_once(wire: TeamsWire, fake: FakeTeams) -> None:
    press = wire.activity("card_submit", value={"sgbot": "slacktest:rsvp", "v": "s1-yes"})
    await wire.teams.send(press)
    await wire.teams.send(press)
    assert len([c for c in slack_feature.log(wire.rt.ctx)["calls"] if c[0] == "rsvp"]) == 1
    assert len(fake.updates()) == 1


@pytest.mark.parametrize("name", sorted(p.stem for p in PAYLOADS.glob("*.json")))
async def test_every_recorded_activity_gets_an_answer_not_a_traceback(
    wire: TeamsWire, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    status, _ = await wire.send(name)
    assert status in (200, 201)
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.levelname == "ERROR"]


@pytest.mark.parametrize(
    "fields",
    [
        {"text": None},
        {"text": 42},
        {"value": "not an object"},
        {"value": {"sgbot": 7, "v": ["x"]}},
        {"value": {"sgbot": "slacktest:rsvp", "v": {"nested": True}}},
        {"entities": "nope"},
        {"from": {"id": "29:x"}},
        {"conversation": {"id": "a:1personalAlex"}},
    ],
)
async def test_odd_fields_get_an_answer_or_a_clean_refusal(
    wire: TeamsWire, fields: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    activity = wire.activity("message_personal", **fields)
    status, _ = await wire.teams.send(activity)
    assert status in (200, 400)
    assert "Traceback" not in caplog.text


async def test_an_activity_from_another_organisation_is_refused(wire: TeamsWire) -> None:
    other = "99999999-0000-4000-8000-000000000009"
    activity = wire.activity(
        "message_personal",
        text="echo should not run",
        **{"conversation.tenantId": other, "channelData.tenant.id": other},
    )
    status, _ = await wire.teams.send(activity)
    assert status == 403
    await no_effect(wire)


async def test_a_token_signed_by_a_key_not_endorsed_for_teams_is_refused(
    fake: FakeTeams, tmp_path: Path, database_url: str, db: Database, clock: FrozenClock
) -> None:
    fake.endorsements = ["skype", "webchat"]  # a real Bot Framework key, but not one for Teams
    opened = await open_teams(fake, teams_settings(tmp_path, database_url, fake), clock)
    try:
        status, _ = await opened.send("message_personal", text="echo should not run")
        assert status == 401
        await no_effect(opened)
    finally:
        await opened.close()
