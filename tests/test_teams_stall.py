"""A Bot Connector that takes the bot's call and never answers: each call gives up after
BOT_CONNECTOR_TIMEOUT (the Teams SDK's HTTP client has no timeout of its own), so the person's
request is still answered and an outbox post fails in a way that is tried again. Outside audit
(issue #15): the inbound request, and the delivery worker with every platform's posts, waited for ever."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.adapters.base import DeliveryError
from bot.adapters.teams import outbound, server
from core.model import Target, reply
from tests.teams_fake import FakeTeams
from tests.teams_wire import TeamsWire


@pytest.fixture(autouse=True)
def quick_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbound, "BOT_CONNECTOR_TIMEOUT", 0.5)


async def test_a_silent_bot_connector_does_not_hold_the_persons_request(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    teams_fake.silent = True
    started = time.monotonic()
    status, _ = await asyncio.wait_for(teams_wire.send("message_personal", text="threshold neglect"), 20)
    assert status == 200
    assert time.monotonic() - started < 5


async def test_a_post_through_a_silent_bot_connector_fails_to_be_tried_again(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    assert (await teams_wire.send("installation_update_personal"))[0] == 200
    teams_fake.silent = True
    started = time.monotonic()
    with pytest.raises(DeliveryError) as failed:
        await asyncio.wait_for(
            teams_wire.adapter.send(Target(kind="direct", user_id="29:1practitionerB"), reply("x")), 20
        )
    assert not failed.value.permanent
    assert time.monotonic() - started < 5


async def test_the_sdks_client_has_a_timeout(teams_wire: TeamsWire) -> None:
    assert teams_wire.adapter.app.api.http.http.timeout.read == server.BOT_CONNECTOR_TIMEOUT
