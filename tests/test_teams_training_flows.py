"""A trainer runs a session from Teams chat alone: adds it in a dialog, announces it in a Teams
channel, and records who attended, in the dialog or by @mentioning people. The real Teams SDK app
on loopback, signed activities in, the fake Bot Connector recording every post.

Activities are the recorded ones in tests/teams_payloads/ (each names the Microsoft page its shape
comes from), with fields replaced. A person's mention is written as Microsoft documents it: `<at>Name</at>`
in the text and a `mention` entity naming who, https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations
(its part on mentions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.delivery import DeliveryWorker
from core.clock import FrozenClock
from storage import training as store
from storage.db import Database
from storage.training import TrainingSession
from tests.storage_support import in_tx
from tests.teams_fake import BOT_ID, FakeTeams
from tests.teams_wire import TeamsWire, open_teams, teams_settings

CHANNEL = "19:safeguarding@thread.tacv2"  # the channel of message_channel_mention.json
TRAINER_ID, TRAINER_NAME = "29:1practitionerA", "Alex Practitioner"  # `from` in every recorded activity
DANA = {"id": "29:1delegateDana", "name": "Dana Delegate", "aadObjectId": "aad-dana"}
WHEN = "2026-03-09 14:00-17:00"  # a week after the test clock's start
BOT_MENTION = {"type": "mention", "text": "<at>sgbot</at>", "mentioned": {"id": BOT_ID, "name": "sgbot"}}


@pytest.fixture
async def wire(
    teams_fake: FakeTeams, tmp_path: Path, database_url: str, db: Database, clock: FrozenClock
) -> AsyncIterator[TeamsWire]:
    # Roles on Teams are keyed by the Entra object id (from.aadObjectId "aad-alex" in the payloads).
    settings = teams_settings(tmp_path, database_url, teams_fake, trainers="teams:aad-alex")
    opened = await open_teams(teams_fake, settings, clock)
    yield opened
    await opened.close()


def in_channel(text: str, *entities: dict[str, Any]) -> dict[str, Any]:
    """A channel message @mentioning the bot (and anyone else in `entities`)."""
    return {"text": f"<at>sgbot</at> {text}", "entities": [BOT_MENTION, *entities]}


async def deliver(wire: TeamsWire) -> None:
    await DeliveryWorker(wire.rt.ctx, wire.rt.adapters, name="teams-test").deliver_due()


async def open_dialog(wire: TeamsWire, fake: FakeTeams) -> dict[str, Any]:
    """Press the button of the form card just sent (task/fetch); the dialog Teams would show."""
    (button,) = fake.posts()[-1].buttons()
    status, opened = await wire.send("invoke_task_fetch", **{"value.data": button["data"]})
    assert status == 200 and opened["task"]["type"] == "continue", opened
    return opened["task"]["value"]["card"]["content"]  # type: ignore[no-any-return]


def inputs(dialog: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for i in dialog["body"] if str(i.get("type", "")).startswith("Input.")}


async def submit(wire: TeamsWire, dialog: dict[str, Any], values: dict[str, str]) -> Any:
    hidden = dialog["actions"][0]["data"]
    status, body = await wire.send("invoke_task_submit", **{"value.data": {**hidden, **values}})
    assert status == 200
    return body


async def add_session(wire: TeamsWire, fake: FakeTeams) -> int:
    """`training add` in the personal chat, filled in the dialog with the trainer left empty."""
    await wire.send("message_personal", text="training add")
    dialog = await open_dialog(wire, fake)
    course = inputs(dialog)["course"]["choices"][0]["value"]
    closed = await submit(
        wire, dialog, {"course": course, "when": WHEN, "capacity": "20", "where": "Gun Wharf, Chatham", "trainer": ""}
    )
    assert closed is None  # accepted: the dialog closes
    async with wire.rt.ctx.db.transaction() as tx:
        return int(await tx.scalar(select(func.max(TrainingSession.id))))


async def announced_in(wire: TeamsWire, fake: FakeTeams, session_id: int, how: str) -> list[Any]:
    """`training announce N <how>` typed in the channel; the posts the Bot Connector then got there."""
    before = len(fake.posts(CHANNEL))
    status, _ = await wire.send("message_channel_mention", **in_channel(f"training announce {session_id} {how}"))
    assert status == 200
    await deliver(wire)
    return fake.posts(CHANNEL)[before:]


async def attendance(wire: TeamsWire, session_id: int) -> dict[tuple[str, str], bool]:
    return {(a.platform, a.user_id): a.attended for a in await in_tx(wire.rt.ctx.db, store.attendance, session_id)}


async def dana_is_going(wire: TeamsWire, post: Any) -> None:
    """Dana presses Going on the channel's announcement (Action.Submit: a message whose value is
    the button's data and replyToId the card, card_submit.json)."""
    going = next(b for b in post.buttons() if b.get("title") == "Going")
    status, _ = await wire.send(
        "card_submit",
        value=going["data"],
        replyToId=post.answered_id,
        **{"from": dict(DANA), "conversation.id": f"{CHANNEL};messageid={post.answered_id}"},
    )
    assert status == 200


# --- announcing in a Teams channel ------------------------------------------------------------------


@pytest.mark.parametrize(
    "how",
    [
        CHANNEL,
        f"teams:{CHANNEL}",
        "https://teams.microsoft.com/l/channel/19%3asafeguarding%40thread.tacv2/Safeguarding?groupId=x&tenantId=y",
    ],
)
async def test_an_announcement_named_by_the_channels_id_is_posted_in_that_channel_with_the_trainers_name(
    wire: TeamsWire, teams_fake: FakeTeams, how: str
) -> None:
    session_id = await add_session(wire, teams_fake)
    [post] = await announced_in(wire, teams_fake, session_id, how)
    assert post.conversation_id == CHANNEL and "Going" in [b.get("title") for b in post.buttons()]
    shown = post.card_text()
    assert f"Trainer: {TRAINER_NAME}" in shown and TRAINER_ID not in shown
    [row] = await in_tx(wire.rt.ctx.db, store.announcements, session_id)
    assert (row.platform, row.channel_id, row.message_id) == ("teams", CHANNEL, post.answered_id)


async def test_here_announces_in_the_channel_the_command_was_typed_in(wire: TeamsWire, teams_fake: FakeTeams) -> None:
    session_id = await add_session(wire, teams_fake)
    [post] = await announced_in(wire, teams_fake, session_id, "here")
    assert post.conversation_id == CHANNEL


@pytest.mark.parametrize("how", ["General", "teams:General", "#General"])
async def test_a_channels_name_is_refused_with_what_to_write_on_teams(
    wire: TeamsWire, teams_fake: FakeTeams, how: str
) -> None:
    session_id = await add_session(wire, teams_fake)
    assert await announced_in(wire, teams_fake, session_id, how) == []
    told = teams_fake.posts()[-1]  # privately, in the trainer's personal chat
    assert told.conversation_id.startswith("a:") and "is not a Teams channel I can post in" in told.card_text()
    assert "teams:19:" in told.card_text()
    assert await in_tx(wire.rt.ctx.db, store.announcements, session_id) == []
    assert not [c for c in teams_fake.calls if c.conversation_id in ("General", "here")]


async def test_here_in_a_personal_chat_names_no_channel_and_posts_nothing(
    wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    session_id = await add_session(wire, teams_fake)
    await wire.send("message_personal", text=f"training announce {session_id} here")
    await deliver(wire)
    assert "name the channel" in teams_fake.posts()[-1].card_text()
    assert await in_tx(wire.rt.ctx.db, store.announcements, session_id) == []
    assert not [c for c in teams_fake.calls if c.conversation_id == "here"]


# --- attendance ---------------------------------------------------------------------------------------


async def started_session_with_dana_going(wire: TeamsWire, fake: FakeTeams, clock: FrozenClock) -> int:
    session_id = await add_session(wire, fake)
    [post] = await announced_in(wire, fake, session_id, CHANNEL)
    await dana_is_going(wire, post)
    clock.advance(dt.timedelta(days=7, hours=6))  # the session has started
    return session_id


async def test_the_prefilled_attendance_dialog_saves_as_it_is(
    wire: TeamsWire, teams_fake: FakeTeams, clock: FrozenClock
) -> None:
    session_id = await started_session_with_dana_going(wire, teams_fake, clock)
    await wire.send("message_personal", text=f"training attended {session_id}")
    dialog = await open_dialog(wire, teams_fake)
    people = inputs(dialog)["people"]
    assert people["value"] == DANA["id"]  # listed as a Teams person is: the bare id
    closed = await submit(wire, dialog, {"people": people["value"]})
    assert closed is None
    assert await attendance(wire, session_id) == {("teams", DANA["id"]): True}
    assert "Recorded 1 attendee(s)" in teams_fake.posts()[-1].card_text()


async def test_a_name_that_is_nobody_is_shown_in_the_dialog_and_nothing_is_recorded(
    wire: TeamsWire, teams_fake: FakeTeams, clock: FrozenClock
) -> None:
    session_id = await started_session_with_dana_going(wire, teams_fake, clock)
    await wire.send("message_personal", text=f"training attended {session_id}")
    dialog = await open_dialog(wire, teams_fake)
    posts_before = len(teams_fake.posts())
    shown = await submit(wire, dialog, {"people": f"{DANA['id']}\nmyspace:tom"})
    assert shown["task"]["type"] == "continue"  # the dialog stays open, with the error beside the list
    card = shown["task"]["value"]["card"]["content"]
    errors = [b["text"] for b in card["body"] if b.get("type") == "TextBlock" and b.get("color") == "Attention"]
    assert errors[-1].startswith('"myspace:tom" is not a person I can record')
    assert inputs(card)["people"]["value"] == f"{DANA['id']}\nmyspace:tom"  # what was typed is kept
    assert len(teams_fake.posts()) == posts_before  # no separate message
    assert await attendance(wire, session_id) == {}


async def test_a_person_mentioned_in_the_command_is_recorded_by_their_teams_id(
    wire: TeamsWire, teams_fake: FakeTeams, clock: FrozenClock
) -> None:
    session_id = await started_session_with_dana_going(wire, teams_fake, clock)
    dana = {"type": "mention", "text": "<at>Dana Delegate</at>", "mentioned": {"id": DANA["id"], "name": DANA["name"]}}
    status, _ = await wire.send(
        "message_channel_mention", **in_channel(f"training attended {session_id} <at>Dana Delegate</at>", dana)
    )
    assert status == 200
    assert await attendance(wire, session_id) == {("teams", DANA["id"]): True}
    assert "Recorded 1 attendee(s)" in teams_fake.posts()[-1].card_text()
