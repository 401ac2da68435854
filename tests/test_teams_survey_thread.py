"""A survey's answers in its channel thread on Teams, with no @mention: Teams passes such replies
only with the ChannelMessage.Read.Group permission (the manifest asks for it), and the adapter
reads an un-mentioned message only as a reply in a thread a feature claimed."""

from __future__ import annotations

import pytest

from handlers import surveys
from tests.surveys_support import given_answers, seed_session
from tests.teams_fake import BOT_ID, FakeTeams
from tests.teams_wire import TeamsWire

CHANNEL = "19:safeguarding@thread.tacv2"
DELEGATE = "29:1practitionerA"  # who the recorded thread reply comes from
MENTION = {"type": "mention", "mentioned": {"id": BOT_ID, "name": "sgbot"}, "text": "<at>sgbot</at>"}


async def _answers(teams_wire: TeamsWire) -> list[tuple[str, str]]:
    return [(q, v) for _s, _r, q, v, *_rest in await given_answers(teams_wire.rt)]


def _in_thread(root: str, text: str, sender: str = DELEGATE) -> dict[str, object]:
    return {
        "text": text,
        "entities": [],  # no @mention
        "conversation.id": f"{CHANNEL};messageid={root}",
        "replyToId": root,
        "from.id": sender,
    }


async def test_an_unmentioned_reply_in_a_survey_thread_is_recorded_as_that_delegates_answer(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    session_id = await seed_session(teams_wire.rt, attendees=[DELEGATE], announced_in=CHANNEL, platform="teams")
    await surveys.survey_rounds(teams_wire.rt.ctx)  # opens the post-course survey; its thread is the announcement's
    root = f"m{session_id}"
    before = len(teams_fake.posts())
    status, _ = await teams_wire.send("message_thread_reply", **_in_thread(root, "Really useful, I will share it"))
    assert status == 200
    assert await _answers(teams_wire) == [("comment", "Really useful, I will share it")]
    replies = teams_fake.posts()[before:]
    assert replies and "Recorded your comment" in replies[0].card_text()


async def test_unmentioned_chatter_in_a_survey_thread_from_someone_not_on_the_course_is_not_stored(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    session_id = await seed_session(teams_wire.rt, attendees=[DELEGATE], announced_in=CHANNEL, platform="teams")
    await surveys.survey_rounds(teams_wire.rt.ctx)
    before = len(teams_fake.posts())
    status, _ = await teams_wire.send(
        "message_thread_reply", **_in_thread(f"m{session_id}", "Is the room booked?", sender="29:1someoneElse")
    )
    assert status == 200
    assert await _answers(teams_wire) == []
    assert teams_fake.posts()[before:] == []


@pytest.mark.parametrize(
    "comment",
    ["Training was brilliant, I now use the neglect toolkit", "Contacts section was the most useful part"],
)
async def test_a_mentioned_reply_in_a_survey_thread_starting_with_a_command_name_is_recorded_as_a_comment(
    teams_wire: TeamsWire, teams_fake: FakeTeams, comment: str
) -> None:
    """The outside audit's replies (hostile M4): "Training ..." and "Contacts ..." were run as the
    commands and the comment lost; in the survey's thread they are the delegate's comment."""
    session_id = await seed_session(teams_wire.rt, attendees=[DELEGATE], announced_in=CHANNEL, platform="teams")
    await surveys.survey_rounds(teams_wire.rt.ctx)
    before = len(teams_fake.posts())
    reply = {**_in_thread(f"m{session_id}", f"<at>sgbot</at> {comment}"), "entities": [MENTION]}
    status, _ = await teams_wire.send("message_thread_reply", **reply)
    assert status == 200
    assert await _answers(teams_wire) == [("comment", comment)]
    replies = teams_fake.posts()[before:]
    assert len(replies) == 1 and "Recorded your comment" in replies[0].card_text()


async def test_a_slashed_command_in_a_survey_thread_is_still_the_command(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    session_id = await seed_session(teams_wire.rt, attendees=[DELEGATE], announced_in=CHANNEL, platform="teams")
    await surveys.survey_rounds(teams_wire.rt.ctx)
    before = len(teams_fake.posts())
    reply = {**_in_thread(f"m{session_id}", "<at>sgbot</at> /contacts"), "entities": [MENTION]}
    await teams_wire.send("message_thread_reply", **reply)
    assert await _answers(teams_wire) == []
    replies = teams_fake.posts()[before:]
    assert len(replies) == 1 and "Recorded your comment" not in replies[0].card_text()
