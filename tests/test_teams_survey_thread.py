"""A survey's answers in its channel thread on Teams, with no @mention: Teams passes such replies
only with the ChannelMessage.Read.Group permission (the manifest asks for it), and the adapter
reads an un-mentioned message only as a reply in a thread a feature claimed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from core.clock import FrozenClock
from handlers import surveys
from storage.db import Database
from storage.surveys import SurveyAnswer
from tests.surveys_support import seed_session
from tests.teams_fake import FakeTeams
from tests.teams_wire import TeamsWire, open_teams, teams_settings

CHANNEL = "19:safeguarding@thread.tacv2"
DELEGATE = "29:1practitionerA"  # who the recorded thread reply comes from


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
    opened = await open_teams(fake, teams_settings(tmp_path, database_url, fake), clock)
    yield opened
    await opened.close()


async def _answers(wire: TeamsWire) -> list[tuple[str, str]]:
    async with wire.rt.ctx.db.session() as session:
        rows = await session.execute(select(SurveyAnswer.question, SurveyAnswer.value))
        return [(q, v) for q, v in rows.all()]


def _in_thread(root: str, text: str, sender: str = DELEGATE) -> dict[str, object]:
    return {
        "text": text,
        "entities": [],  # no @mention
        "conversation.id": f"{CHANNEL};messageid={root}",
        "replyToId": root,
        "from.id": sender,
    }


async def test_an_unmentioned_reply_in_a_survey_thread_is_recorded_as_that_delegates_answer(
    wire: TeamsWire, fake: FakeTeams
) -> None:
    session_id = await seed_session(wire.rt, attendees=[DELEGATE], announced_in=CHANNEL, platform="teams")
    await surveys.survey_rounds(wire.rt.ctx)  # opens the post-course survey; its thread is the announcement's
    root = f"m{session_id}"
    before = len(fake.posts())
    status, _ = await wire.send("message_thread_reply", **_in_thread(root, "Really useful, I will share it"))
    assert status == 200
    assert await _answers(wire) == [("comment", "Really useful, I will share it")]
    replies = fake.posts()[before:]
    assert replies and "Recorded your comment" in replies[0].card_text()


async def test_unmentioned_chatter_in_a_survey_thread_from_someone_not_on_the_course_is_not_stored(
    wire: TeamsWire, fake: FakeTeams
) -> None:
    session_id = await seed_session(wire.rt, attendees=[DELEGATE], announced_in=CHANNEL, platform="teams")
    await surveys.survey_rounds(wire.rt.ctx)
    before = len(fake.posts())
    status, _ = await wire.send(
        "message_thread_reply", **_in_thread(f"m{session_id}", "Is the room booked?", sender="29:1someoneElse")
    )
    assert status == 200
    assert await _answers(wire) == []
    assert fake.posts()[before:] == []
