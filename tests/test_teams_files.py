"""Files that open in Teams: in a personal chat a reply's calendar file is offered by a file consent
card; Allow uploads its bytes to the upload session Teams names and shows a file info card;
Decline uploads nothing. Elsewhere the file goes to the asker's personal chat, or the card says
where to ask. Shapes: tests/teams_payloads/invoke_file_consent_*.json and bot/adapters/teams/files.py."""

from __future__ import annotations

from typing import Any

import pytest

from core.model import File, Target, reply
from storage.teams import ConversationRef
from tests.teams_fake import BOT_ID, TENANT_ID, Call, FakeTeams
from tests.teams_wire import TeamsWire

CONSENT = "application/vnd.microsoft.teams.card.file.consent"
INFO = "application/vnd.microsoft.teams.card.file.info"
ICS = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"  # what the test feature's /calendar sends
PERSONAL = "a:1personalAlex"
CHANNEL = "19:safeguarding@thread.tacv2"


def consent_cards(fake: FakeTeams) -> list[tuple[Call, dict[str, Any]]]:
    return [(call, card) for call in fake.posts() for card in call.attachments(CONSENT)]


async def ask_for_the_calendar(wire: TeamsWire, fake: FakeTeams) -> dict[str, Any]:
    status, _ = await wire.send("message_personal", text="calendar")
    assert status == 200
    [(call, consent)] = consent_cards(fake)
    assert call.conversation_id == PERSONAL
    return consent


async def answer(wire: TeamsWire, fixture: str, context: Any, **fields: Any) -> tuple[int, Any]:
    return await wire.send(fixture, **{"value.context": context}, **fields)


async def test_a_file_in_personal_chat_is_offered_uploaded_on_allow_and_shown_as_a_file_card(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    consent = await ask_for_the_calendar(teams_wire, teams_fake)
    card = teams_fake.posts()[0]
    assert "Here is the session for your calendar." in card.card_text()
    assert not card.attachments("text/calendar")  # no inline copy Teams would not open
    assert consent["name"] == "neglect-awareness.ics"
    assert consent["content"]["sizeInBytes"] == len(ICS.encode())
    assert consent["content"]["description"]
    assert consent["content"]["acceptContext"] == consent["content"]["declineContext"]

    upload_url = teams_fake.upload_url("s1")
    status, body = await answer(
        teams_wire,
        "invoke_file_consent_accept",
        consent["content"]["acceptContext"],
        **{"value.uploadInfo.uploadUrl": upload_url, "value.uploadInfo.name": "neglect-awareness.ics"},
    )
    assert status == 200 and body is None

    [upload] = teams_fake.uploads
    assert upload.session == "s1" and upload.body == ICS.encode()  # byte for byte
    assert upload.content_range == f"bytes 0-{len(ICS.encode()) - 1}/{len(ICS.encode())}"
    assert upload.authorization is None  # the upload session's URL is its own authority

    shown = teams_fake.posts()[-1]
    [info] = shown.attachments(INFO)
    assert shown.conversation_id == PERSONAL
    assert info["name"] == "neglect-awareness.ics"
    assert info["contentUrl"].startswith("https://contoso.sharepoint.com/")
    assert info["content"] == {"uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C", "fileType": "ics"}
    assert "saved in your OneDrive" in shown.text


async def test_decline_uploads_nothing_and_says_so_in_a_sentence(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    consent = await ask_for_the_calendar(teams_wire, teams_fake)
    status, _ = await answer(teams_wire, "invoke_file_consent_decline", consent["content"]["declineContext"])
    assert status == 200
    assert teams_fake.uploads == []
    said = teams_fake.posts()[-1]
    assert said.conversation_id == PERSONAL and "haven't saved neglect-awareness.ics" in said.card_text()

    # The bytes were dropped: a late Allow on the same card finds nothing to upload.
    await answer(
        teams_wire,
        "invoke_file_consent_accept",
        consent["content"]["acceptContext"],
        **{"value.uploadInfo.uploadUrl": teams_fake.upload_url("late")},
    )
    assert teams_fake.uploads == []


@pytest.mark.parametrize(
    "context",
    [{"sgbot_file": "offered-before-a-restart"}, {}, "not even an object"],
)
async def test_a_consent_for_a_file_no_longer_held_gets_a_clear_sentence(
    teams_wire: TeamsWire, teams_fake: FakeTeams, context: Any
) -> None:
    status, _ = await answer(
        teams_wire,
        "invoke_file_consent_accept",
        context,
        **{"value.uploadInfo.uploadUrl": teams_fake.upload_url("s1")},
    )
    assert status == 200
    assert teams_fake.uploads == []
    [said] = teams_fake.posts()
    assert said.conversation_id == PERSONAL and "no longer waiting to be saved" in said.card_text()
    assert "Ask me again" in said.card_text()


async def test_a_file_pushed_out_by_newer_offers_is_no_longer_held(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    teams_wire.adapter.poster.files._held.size = 1  # the bound, made small
    first = await ask_for_the_calendar(teams_wire, teams_fake)
    await teams_wire.send("message_personal", text="calendar")
    await answer(
        teams_wire,
        "invoke_file_consent_accept",
        first["content"]["acceptContext"],
        **{"value.uploadInfo.uploadUrl": teams_fake.upload_url("s1")},
    )
    assert teams_fake.uploads == [] and "no longer waiting" in teams_fake.posts()[-1].card_text()


async def test_someone_elses_consent_for_the_file_takes_nothing(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    consent = await ask_for_the_calendar(teams_wire, teams_fake)
    await answer(
        teams_wire,
        "invoke_file_consent_accept",
        consent["content"]["acceptContext"],
        **{
            "from.id": "29:1practitionerB",
            "conversation.id": "a:1personalBea",
            "value.uploadInfo.uploadUrl": teams_fake.upload_url("stolen"),
        },
    )
    assert teams_fake.uploads == []


async def test_a_failed_upload_is_told_to_the_person(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    consent = await ask_for_the_calendar(teams_wire, teams_fake)
    teams_fake.upload_status = 500
    status, _ = await answer(
        teams_wire,
        "invoke_file_consent_accept",
        consent["content"]["acceptContext"],
        **{"value.uploadInfo.uploadUrl": teams_fake.upload_url("s1")},
    )
    assert status == 200
    said = teams_fake.posts()[-1]
    assert "couldn't save neglect-awareness.ics" in said.card_text() and not said.attachments(INFO)


@pytest.mark.parametrize("token", [None, "forged.not.signed"])
async def test_a_forged_consent_without_a_valid_token_is_refused_with_401(
    teams_wire: TeamsWire, teams_fake: FakeTeams, token: str | None
) -> None:
    consent = await ask_for_the_calendar(teams_wire, teams_fake)
    posted = len(teams_fake.posts())
    activity = teams_wire.activity(
        "invoke_file_consent_accept",
        **{
            "value.context": consent["content"]["acceptContext"],
            "value.uploadInfo.uploadUrl": teams_fake.upload_url("forged"),
        },
    )
    status, _ = await teams_wire.teams.send(activity, token=token)
    assert status == 401
    assert teams_fake.uploads == [] and len(teams_fake.posts()) == posted


async def test_a_public_answer_with_a_file_in_a_channel_offers_it_in_the_askers_personal_chat(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    channel = ConversationRef(CHANNEL, teams_fake.url, BOT_ID, "channel", TENANT_ID)
    answer_with_file = reply(
        "Programme", File(filename="programme.ics", content=ICS, mime="text/calendar"), public=True
    )
    await teams_wire.adapter.poster.post(channel, answer_with_file, asker="29:1practitionerA")
    in_channel, offered = teams_fake.posts()
    assert in_channel.conversation_id == CHANNEL
    assert "I've sent programme.ics to our personal chat" in in_channel.card_text()
    assert not in_channel.attachments(CONSENT)
    assert offered.conversation_id == "a:personal-29:1practitionerA" and offered.attachments(CONSENT)


async def test_a_channel_post_with_a_file_says_where_to_ask_for_it(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    post = reply("Programme", File(filename="programme.ics", content=ICS, mime="text/calendar"), public=True)
    await teams_wire.adapter.send(Target(kind="channel", channel_id=CHANNEL), post)
    [card] = teams_fake.posts()
    assert "programme.ics is not attached: Teams lets me share files only in a personal chat" in card.card_text()
    assert not consent_cards(teams_fake) and not teams_fake.conversations_created()
