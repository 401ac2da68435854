"""While a person waits for an answer, a Bot Connector call Teams refuses for a moment is made again.
Microsoft asks bots to retry 429 (after its Retry-After), 412, 502 and 504
(https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit). An outside audit
found an answer lost on any of these (Teams had been told 200, so nothing tried again) and a queued
post given up for good on a 412. A review of the first fix found it made a whole reply again, so a
card went twice when only its chart was refused, a timed-out post (which may have landed) was sent
again, and the answer could wait past Teams' 15 seconds: each call is now made again on its own, only
when Teams refused it, and only within a few seconds of the answer's start."""

from __future__ import annotations

import time

import pytest

from bot.adapters.base import DeliveryError
from bot.adapters.teams.outbound import (
    ANSWER_DEADLINE,
    ANSWER_TRIES,
    RefusedForAMoment,
    pause_before_calling_again,
)
from core.model import Target, reply
from tests.teams_fake import FakeTeams
from tests.teams_wire import TeamsWire

CHANNEL = "19:safeguarding@thread.tacv2"


@pytest.mark.parametrize("status", [429, 412, 502, 504])
async def test_an_answer_refused_once_for_a_moment_reaches_the_person_once(
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
    assert teams_fake.fail_next == [502]  # made exactly ANSWER_TRIES times


async def test_a_refusal_that_will_not_mend_is_not_tried_again(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    teams_fake.fail_next = [403, 403]
    await teams_wire.send("message_personal", text="glossary LADO")
    assert teams_fake.fail_next == [403]


def test_only_a_refusal_is_made_again_and_only_within_the_answers_time() -> None:
    refused, lost = RefusedForAMoment("Teams answered 412"), DeliveryError("could not reach Teams (TimeoutError)")
    assert pause_before_calling_again(refused, 1) is None  # no answer being given: the outbox retries
    token = ANSWER_DEADLINE.set(time.monotonic() + 6.0)
    try:
        assert pause_before_calling_again(refused, 1) == 1.0
        assert pause_before_calling_again(refused, ANSWER_TRIES) is None
        assert pause_before_calling_again(lost, 1) is None  # it may have landed: never sent twice
        assert pause_before_calling_again(RefusedForAMoment("429", retry_after=0.5), 2) == 0.5
        assert (
            pause_before_calling_again(RefusedForAMoment("429", retry_after=30.0), 1) is None
        )  # past the answer's time
    finally:
        ANSWER_DEADLINE.reset(token)


async def test_a_queued_post_answered_412_stays_worth_retrying(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    teams_fake.fail_next = [412]
    with pytest.raises(DeliveryError) as precondition:
        await teams_wire.adapter.send(Target(kind="channel", channel_id=CHANNEL), reply("x", public=True))
    assert not precondition.value.permanent
    assert teams_fake.posts() == []  # the outbox, not the call, tries again


async def test_a_refused_personal_chat_made_again_tells_the_channel_nothing(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    """The review: two refusals of the personal chat put "I couldn't send you my answer privately"
    in the channel twice, and then the answer arrived anyway."""
    teams_fake.fail_next = [502]  # POST /v3/conversations refused once, then made again
    await teams_wire.send("message_channel_mention", text="<at>sgbot</at> threshold neglect")
    posts = teams_fake.posts()
    assert all("couldn't send you my answer privately" not in p.card_text() for p in posts)
    assert [p.conversation_id.startswith("a:") for p in posts] == [True]
