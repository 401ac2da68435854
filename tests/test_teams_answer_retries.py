"""An answer to a person is tried again when the Bot Connector asks for it. Microsoft asks bots to
retry 429 (after its Retry-After), 412, 502 and 504
(https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit). An outside
audit found an answer lost on any of these (Teams had already been told 200, so nothing tried
again) and a queued post given up for good on a 412."""

from __future__ import annotations

import pytest

from bot.adapters.base import DeliveryError
from bot.adapters.teams.outbound import ANSWER_TRIES, pause_before_answering_again
from core.model import Target, reply
from tests.teams_fake import FakeTeams
from tests.teams_wire import TeamsWire

CHANNEL = "19:safeguarding@thread.tacv2"


@pytest.mark.parametrize("status", [429, 412, 502, 504])
async def test_an_answer_refused_once_for_a_moment_still_reaches_the_person(
    teams_wire: TeamsWire, teams_fake: FakeTeams, status: int
) -> None:
    teams_fake.fail_next = [status]
    code, _ = await teams_wire.send("message_personal", text="glossary LADO")
    assert code == 200
    [answer] = teams_fake.posts()
    assert answer.conversation_id == "a:1personalAlex" and "LADO" in answer.card_text()


async def test_an_answer_refused_every_time_is_given_up_after_a_few_tries(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    teams_fake.fail_next = [502] * (ANSWER_TRIES + 1)
    code, _ = await teams_wire.send("message_personal", text="glossary LADO")
    assert code == 200
    assert teams_fake.posts() == []
    assert teams_fake.fail_next == [502]  # tried exactly ANSWER_TRIES times


async def test_a_refusal_that_will_not_mend_is_not_tried_again(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    teams_fake.fail_next = [403, 403]
    await teams_wire.send("message_personal", text="glossary LADO")
    assert teams_fake.fail_next == [403]


def test_a_412_is_worth_trying_again_and_a_long_retry_after_is_not_waited_for() -> None:
    assert pause_before_answering_again(DeliveryError("Teams answered 412"), 1) == 1.0
    assert pause_before_answering_again(DeliveryError("Teams answered 429", retry_after=0.5), 2) == 0.5
    assert pause_before_answering_again(DeliveryError("Teams answered 429", retry_after=30), 1) is None
    assert pause_before_answering_again(DeliveryError("Teams answered 403", permanent=True), 1) is None


async def test_a_queued_post_answered_412_stays_worth_retrying(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    teams_fake.fail_next = [412]
    with pytest.raises(DeliveryError) as precondition:
        await teams_wire.adapter.send(Target(kind="channel", channel_id=CHANNEL), reply("x", public=True))
    assert not precondition.value.permanent
