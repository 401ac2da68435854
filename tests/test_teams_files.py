"""Files that open in Teams: in a personal chat a reply's calendar file is offered by a file consent
card; Allow uploads its bytes to the upload session Teams names and shows a file info card;
Decline uploads nothing. Elsewhere the file goes to the asker's personal chat, or the card says
where to ask. The offered file waits in the database, so the answer may reach another replica or a
restarted one, and is taken once. Shapes: tests/teams_payloads/invoke_file_consent_*.json and
bot/adapters/teams/files.py."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import select

from bot.scheduler import JobScheduler
from core.addresses import AddressGuard, GuardedNetwork
from core.clock import FrozenClock
from core.model import File, Target, reply
from storage.db import Database
from storage.file_offers import OFFER_TTL, TeamsFileOffer
from storage.teams import ConversationRef
from tests.feedserver import LoopbackOnlyNetwork
from tests.teams_fake import BOT_ID, TENANT_ID, Call, FakeTeams
from tests.teams_wire import TeamsWire, open_teams, teams_settings

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
    assert [row.data for row in await offers_in(teams_wire.rt.ctx.db)] == [b""]  # the bytes left the database

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
    teams_wire.adapter.poster.files.kept_per_chat = 1  # the bound, made small
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
    assert said.card_text() == "I couldn't save neglect-awareness.ics to your OneDrive. Ask me again to try once more."
    assert not said.attachments(INFO)  # and no status code: every failure reads the same


async def ask_again(wire: TeamsWire, fake: FakeTeams) -> dict[str, Any]:
    before = len(consent_cards(fake))
    await wire.send("message_personal", text="calendar")
    cards = consent_cards(fake)
    assert len(cards) == before + 1
    return cards[-1][1]


async def test_an_upload_address_that_is_not_https_on_a_public_host_gets_no_request_and_the_same_sentence(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    """A forged uploadInfo.uploadUrl made the bot PUT the file to loopback services, and the
    differing sentences ('saved', 'OneDrive answered 405', 'could not be reached: ConnectError')
    mapped what answered where (outside audit hostile3 #2). Under the rule a real bot runs with:
    https to public addresses only, checked by the feeds' guard; everything else refused unasked."""
    hits: list[str] = []

    async def internal(request: web.Request) -> web.Response:  # an internal service on this machine
        hits.append(f"{request.method} {request.path_qs}")
        return web.Response(status=int(request.query.get("status", "200")))

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", internal)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    names = {"intranet.example.org": ["10.0.0.7"], "contoso-my.sharepoint.example": ["93.184.215.14"]}

    async def resolve(host: str, port: int) -> list[str]:
        return names.get(host, [host])

    network = LoopbackOnlyNetwork()  # connects to loopback only, whatever the guard lets through
    files = teams_wire.adapter.poster.files
    files.upload_schemes = ("https",)
    files.network = GuardedNetwork(AddressGuard(), resolve=resolve, inner=network)
    said: list[str] = []
    try:
        for url in (
            f"http://127.0.0.1:{port}/admin/reset?status=200",
            f"http://127.0.0.1:{port}/admin/users?status=405",
            f"https://127.0.0.1:{port}/admin/reset?status=200",
            "http://[::1]:1/",
            "https://[::1]:1/",
            "https://intranet.example.org/upload",
            "ftp://contoso-my.sharepoint.example/upload",
            "not an address",
            "https://contoso-my.sharepoint.example/upload/s1",  # public: let through, then unreachable here
        ):
            consent = await ask_again(teams_wire, teams_fake)
            status, _ = await answer(
                teams_wire,
                "invoke_file_consent_accept",
                consent["content"]["acceptContext"],
                **{"value.uploadInfo.uploadUrl": url, "value.uploadInfo.name": "x.ics"},
            )
            assert status == 200
            said.append(teams_fake.posts()[-1].card_text())
    finally:
        await runner.cleanup()
    assert hits == [] and teams_fake.uploads == []
    assert network.asked == [("93.184.215.14", 443)]  # only the public address was ever connected to
    assert set(said) == {"I couldn't save neglect-awareness.ics to your OneDrive. Ask me again to try once more."}


async def test_the_test_fakes_upload_exception_covers_its_own_port_only(
    teams_wire: TeamsWire, teams_fake: FakeTeams, caplog: pytest.LogCaptureFixture
) -> None:
    """The wire allows the fake's OneDrive (http, loopback, its port) as an operator's exception
    would; another port on loopback stays refused by the guard."""
    consent = await ask_for_the_calendar(teams_wire, teams_fake)
    other = teams_fake.url.rsplit(":", 1)[0] + ":1"
    await answer(
        teams_wire,
        "invoke_file_consent_accept",
        consent["content"]["acceptContext"],
        **{"value.uploadInfo.uploadUrl": f"{other}/upload/s1"},
    )
    assert teams_fake.uploads == [] and "couldn't save" in teams_fake.posts()[-1].card_text()
    assert "127.0.0.1:1 refused: 127.0.0.1 is a loopback address" in caplog.text  # the reason, in the log only


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


# --- several replicas, restarts and expiry: the offer waits in the database ------------------------


async def offers_in(db: Database) -> list[TeamsFileOffer]:
    async with db.transaction() as tx:
        return list((await tx.scalars(select(TeamsFileOffer))).all())


def allow(wire: TeamsWire, consent: dict[str, Any], session: str) -> Awaitable[tuple[int, Any]]:
    return answer(
        wire,
        "invoke_file_consent_accept",
        consent["content"]["acceptContext"],
        **{
            "value.uploadInfo.uploadUrl": wire.fake.upload_url(session),
            "value.uploadInfo.name": "neglect-awareness.ics",
        },
    )


def assert_saved_once(fake: FakeTeams) -> None:
    [upload] = fake.uploads
    assert upload.body == ICS.encode()
    assert [p.conversation_id for p in fake.posts() if p.attachments(INFO)] == [PERSONAL]
    assert not [p for p in fake.posts() if "no longer waiting" in p.card_text()]


@pytest.fixture
async def replica(
    teams_fake: FakeTeams, tmp_path: Path, database_url: str, db: Database, clock: FrozenClock
) -> AsyncIterator[Callable[[str], Awaitable[TeamsWire]]]:
    """Opens Teams bots on the test's database, each with a runtime, a port and a data folder of its own."""
    opened: list[TeamsWire] = []

    async def open_replica(name: str) -> TeamsWire:
        wire = await open_teams(teams_fake, teams_settings(tmp_path / name, database_url, teams_fake), clock)
        opened.append(wire)
        return wire

    yield open_replica
    for wire in opened:
        if wire.adapter.is_connected():  # not closed by the test (a restart)
            await wire.close()


async def test_an_allow_reaching_another_replica_uploads_the_file(
    teams_wire: TeamsWire,
    teams_fake: FakeTeams,
    replica: Callable[[str], Awaitable[TeamsWire]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    consent = await ask_for_the_calendar(teams_wire, teams_fake)
    other = await replica("other")
    status, _ = await allow(other, consent, "s1")
    assert status == 200
    assert_saved_once(teams_fake)
    assert "VCALENDAR" not in caplog.text  # the file's contents are never logged


async def test_an_allow_after_a_restart_uploads_the_file(
    teams_fake: FakeTeams, replica: Callable[[str], Awaitable[TeamsWire]]
) -> None:
    before = await replica("before")
    consent = await ask_for_the_calendar(before, teams_fake)
    await before.close()
    after = await replica("before")  # the same settings, a new process's state
    status, _ = await allow(after, consent, "s1")
    assert status == 200
    assert_saved_once(teams_fake)


async def test_the_same_allow_at_two_replicas_at_once_uploads_once(
    teams_wire: TeamsWire, teams_fake: FakeTeams, replica: Callable[[str], Awaitable[TeamsWire]]
) -> None:
    consent = await ask_for_the_calendar(teams_wire, teams_fake)
    other = await replica("other")
    answers = await asyncio.gather(allow(teams_wire, consent, "s1"), allow(other, consent, "s2"))
    assert [status for status, _ in answers] == [200, 200]
    assert_saved_once(teams_fake)
    await allow(other, consent, "s3")  # and once more, later: a repeat, ignored
    assert_saved_once(teams_fake)


async def test_an_allow_after_the_offer_expired_is_told_to_ask_again_and_housekeeping_purges_it(
    teams_wire: TeamsWire, teams_fake: FakeTeams, clock: FrozenClock
) -> None:
    consent = await ask_for_the_calendar(teams_wire, teams_fake)
    clock.advance(OFFER_TTL)
    await allow(teams_wire, consent, "s1")
    assert teams_fake.uploads == []
    said = teams_fake.posts()[-1].card_text()
    assert "no longer waiting to be saved" in said and "Ask me again" in said
    await JobScheduler(teams_wire.rt.ctx).housekeeping()
    assert await offers_in(teams_wire.rt.ctx.db) == []


async def test_a_file_too_large_to_keep_is_not_offered_and_the_person_is_told(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    from bot.adapters.teams.files import OFFERED_BYTES

    personal = ConversationRef(PERSONAL, teams_fake.url, BOT_ID, "personal", TENANT_ID, "29:1practitionerA")
    huge = File(filename="huge.ics", content="x" * (OFFERED_BYTES + 1), mime="text/calendar")
    await teams_wire.adapter.poster.post(personal, reply("Programme", huge, public=True))
    assert not consent_cards(teams_fake) and await offers_in(teams_wire.rt.ctx.db) == []
    assert "huge.ics is too large for me to share in Teams" in teams_fake.posts()[-1].card_text()
