"""Only Teams, signed for this app, gets in; a redelivered activity has no second effect; every
recorded activity shape gets an answer or a clean 4xx, never a traceback."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.teams import server
from core.clock import FrozenClock
from storage import teams
from storage.db import Database
from tests import slack_feature
from tests.teams_fake import APP_ID, PAYLOADS, FakeTeams, new_key, sign
from tests.teams_wire import TeamsWire, open_teams, teams_settings


async def no_effect(teams_wire: TeamsWire) -> None:
    assert not teams_wire.fake.calls  # nothing posted, no conversation opened
    assert not slack_feature.log(teams_wire.rt.ctx)["calls"]  # no handler ran
    async with teams_wire.rt.ctx.db.transaction() as tx:  # no conversation reference kept
        assert await teams.personal_chat(tx, "29:1practitionerA") is None


def bad_tokens(teams_fake: FakeTeams) -> dict[str, str | None]:
    now = int(time.time())
    return {
        "unsigned": None,
        "not a bearer token": "",
        "signed with another key": sign(new_key(), teams_fake.url),
        "expired": sign(teams_fake.key, teams_fake.url, exp=now - 3600, iat=now - 7200, nbf=now - 7200),
        "for another app": sign(teams_fake.key, teams_fake.url, aud="11111111-2222-4333-8444-555555555555"),
        "from another issuer": sign(teams_fake.key, teams_fake.url, iss="https://evil.example"),
        "for another service url": sign(teams_fake.key, "https://elsewhere.example/"),
        "without a service url claim": sign(teams_fake.key, teams_fake.url, serviceurl=None),
        "with no signature": _unsigned_jwt(teams_fake),
    }


def _unsigned_jwt(teams_fake: FakeTeams) -> str:
    import jwt

    now = int(time.time())
    claims = {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": teams_fake.url, "exp": now + 600}
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
    teams_wire: TeamsWire, teams_fake: FakeTeams, case: str
) -> None:
    token = bad_tokens(teams_fake)[case]
    activity = teams_wire.activity("message_personal", text="echo should not run")
    if case == "not a bearer token":
        status, _ = await teams_wire.teams.send(activity, token=None, raw_headers={"Authorization": "Basic abc"})
    else:
        status, _ = await teams_wire.teams.send(activity, token=token)
    assert status == 401
    await no_effect(teams_wire)


async def test_an_activity_without_a_service_url_is_refused(teams_wire: TeamsWire) -> None:
    activity = teams_wire.activity("message_personal", text="echo should not run")
    token = sign(teams_wire.fake.key, activity.pop("serviceUrl"))
    status, _ = await teams_wire.teams.send(activity, token=token)
    assert status == 401
    await no_effect(teams_wire)


async def test_a_body_that_is_not_json_is_refused(teams_wire: TeamsWire) -> None:
    import aiohttp

    signed = {"Authorization": f"Bearer {sign(teams_wire.fake.key, teams_wire.fake.url)}"}
    async with aiohttp.ClientSession() as session:
        async with session.post(teams_wire.adapter.messages_url, data=b"{not json", headers=signed) as r:
            assert r.status == 400
        async with session.post(teams_wire.adapter.messages_url, data=b"{not json") as r:
            assert r.status == 401  # without a token, nothing about the body is said
    await no_effect(teams_wire)


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic abc"])
async def test_a_body_from_a_caller_without_a_token_is_never_read(
    teams_wire: TeamsWire, monkeypatch: pytest.MonkeyPatch, authorization: str | None
) -> None:
    """An outside audit: a 261 KB list of 87,000 empty lists, sent with no token, was parsed and
    walked for nesting before the token was looked at, holding the bot's one loop 0.35-0.5 s a
    request (20 at once: /healthz took 5.6 s, a real message 6-10 s)."""
    import aiohttp

    walked: list[Any] = []
    monkeypatch.setattr(server, "nested_deeper_than", lambda body, limit: walked.append(body) or False)
    wide = b"[" + b",".join([b"[]"] * 87_000) + b"]"
    headers = {} if authorization is None else {"Authorization": authorization}
    async with (
        aiohttp.ClientSession() as session,
        session.post(teams_wire.adapter.messages_url, data=wide, headers=headers) as r,
    ):
        assert r.status == 401
    assert walked == []
    await no_effect(teams_wire)


async def test_a_redelivered_activity_has_no_second_effect(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    activity = teams_wire.activity("message_personal", text="echo once only")
    assert (await teams_wire.teams.send(activity))[0] == 200
    assert (await teams_wire.teams.send(activity))[0] == 200  # Teams retries: same activity id
    assert [c for c in slack_feature.log(teams_wire.rt.ctx)["calls"] if c[0] == "echo"] == [("echo", "once only")]
    assert len(teams_fake.posts()) == 1


async def test_a_redelivered_button_press_counts_once(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    from tests.test_teams_adapter import CHANNEL, post_rsvp_card_through_the_outbox

    card_id = (await post_rsvp_card_through_the_outbox(teams_wire)).answered_id
    press = teams_wire.activity(
        "card_submit",
        value={"sgbot": "slacktest:rsvp", "v": "s1-yes"},
        replyToId=card_id,
        **{"conversation.id": f"{CHANNEL};messageid={card_id}"},
    )
    await teams_wire.teams.send(press)
    await teams_wire.teams.send(press)
    assert len([c for c in slack_feature.log(teams_wire.rt.ctx)["calls"] if c[0] == "rsvp"]) == 1
    assert len(teams_fake.updates()) == 1


# The answers Microsoft documents for sign-in invokes a bot cannot complete (bot/adapters/teams/preflight.py),
# and a refusal of the recorded task/fetch, whose data names no dialog (bot/adapters/teams/dialogs.py).
# An invoke the bot has no handler for (a message extension's search) gets Bot Framework's 501.
NOT_200_ANSWERS = {
    "invoke_signin_token_exchange": 412,
    "invoke_signin_verify_state": 404,
    "invoke_task_fetch": 400,
    "invoke_compose_extension_query": 501,
}


@pytest.mark.parametrize("name", sorted(p.stem for p in PAYLOADS.glob("*.json")))
async def test_every_recorded_activity_gets_an_answer_not_a_traceback(
    teams_wire: TeamsWire, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    status, _ = await teams_wire.send(name)
    assert status in ((NOT_200_ANSWERS[name],) if name in NOT_200_ANSWERS else (200, 201))
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_sign_in_invokes_get_microsofts_answer_for_a_bot_that_signs_nobody_in(
    teams_wire: TeamsWire, caplog: pytest.LogCaptureFixture
) -> None:
    """The SDK's own sign-in handlers called the user token service and answered 500 with a
    traceback (outside audit hostile L3); the bot has no sign-in, so it answers them itself."""
    status, body = await teams_wire.send("invoke_signin_token_exchange")
    assert status == 412  # Teams would fall back to a sign-in card; the bot never sent one
    assert body == {
        "id": "8a2c7d0e-0000-4000-8000-000000000011",
        "connectionName": "graph",
        "failureDetail": "This bot does not sign anyone in.",
    }
    assert await teams_wire.send("invoke_signin_verify_state") == (404, None)
    assert await teams_wire.send("invoke_signin_failure") == (200, None)
    status, _ = await teams_wire.send("invoke_signin_token_exchange", value="not an object")
    assert status == 412
    await no_effect(teams_wire)
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]


async def test_an_invoke_the_bot_has_no_handler_for_gets_501_and_has_no_effect(
    teams_wire: TeamsWire, caplog: pytest.LogCaptureFixture
) -> None:
    """It was answered 200 with nothing, which Teams reads as a handled invoke; a message extension
    search (the app declares none) now gets 501, as Bot Framework's own handlers answer an invoke
    they do not implement, and runs nothing. A name no Teams client sends is not an activity the
    SDK's model reads: 400 before the bot sees it."""
    assert await teams_wire.send("invoke_compose_extension_query") == (501, None)
    made_up = {**teams_wire.activity("invoke_compose_extension_query"), "name": "made/up"}
    status, _ = await teams_wire.teams.send(made_up)
    assert status == 400
    await no_effect(teams_wire)
    assert "Traceback" not in caplog.text


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
    teams_wire: TeamsWire, fields: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    activity = teams_wire.activity("message_personal", **fields)
    status, _ = await teams_wire.teams.send(activity)
    assert status in (200, 400)
    assert "Traceback" not in caplog.text


async def test_an_activity_from_another_organisation_is_refused(teams_wire: TeamsWire) -> None:
    other = "99999999-0000-4000-8000-000000000009"
    activity = teams_wire.activity(
        "message_personal",
        text="echo should not run",
        **{"conversation.tenantId": other, "channelData.tenant.id": other},
    )
    status, _ = await teams_wire.teams.send(activity)
    assert status == 403
    await no_effect(teams_wire)


@pytest.mark.parametrize("token", [None, "not-a-token"])
@pytest.mark.parametrize(
    "fields",
    [
        {"conversation.tenantId": "99999999-0000-4000-8000-000000000009"},  # another organisation
        {"type": "notanactivity"},
        {"type": None, "conversation": None},
    ],
)
async def test_without_a_valid_token_every_request_gets_401_before_anything_else_is_judged(
    teams_wire: TeamsWire, fields: dict[str, Any], token: str | None
) -> None:
    # A 403 for another organisation, or a 400 for a malformed activity, would tell a caller
    # without a token which organisation the bot serves, and build models from a stranger's body.
    activity = teams_wire.activity("message_personal", text="echo should not run", **fields)
    status, _ = await teams_wire.teams.send(activity, token=token)
    assert status == 401
    await no_effect(teams_wire)


async def test_a_token_signed_by_a_key_not_endorsed_for_teams_is_refused(
    teams_fake: FakeTeams, tmp_path: Path, database_url: str, db: Database, clock: FrozenClock
) -> None:
    teams_fake.endorsements = ["skype", "webchat"]  # a real Bot Framework key, but not one for Teams
    opened = await open_teams(teams_fake, teams_settings(tmp_path, database_url, teams_fake), clock)
    try:
        status, _ = await opened.send("message_personal", text="echo should not run")
        assert status == 401
        await no_effect(opened)
    finally:
        await opened.close()


@pytest.mark.parametrize("channel", ["webchat", "directline", "emulator", "", None, 5])
async def test_an_activity_from_another_channel_is_refused_though_the_key_signs_for_it(
    teams_fake: FakeTeams, tmp_path: Path, database_url: str, db: Database, clock: FrozenClock, channel: Any
) -> None:
    """One Bot Framework key signs for several channels; the activity's channelId must be one the
    key is endorsed for (Microsoft's EndorsementsValidator: "the activity's ChannelId MUST be found
    in the endorsement list", https://learn.microsoft.com/en-us/azure/bot-service/rest-api/
    bot-framework-rest-connector-authentication, step 5), and this endpoint serves Teams only.
    Outside audit (issue #15): a Web Chat activity, whose `from` the client chooses, was served as
    Teams, its claimed Entra object id granting roles."""
    teams_fake.endorsements = ["msteams", "webchat", "directline", "emulator"]
    opened = await open_teams(teams_fake, teams_settings(tmp_path, database_url, teams_fake), clock)
    try:
        activity = opened.activity("message_personal", text="echo should not run", channelId=channel)
        status, _ = await opened.teams.send(activity)
        assert status == 401
        await no_effect(opened)
        assert (await opened.send("message_personal", text="echo from teams"))[0] == 200  # msteams still is
    finally:
        await opened.close()


# --- tokens Teams sends again: remembered once they passed, never beyond what they passed for ---


def _echo_calls(teams_wire: TeamsWire) -> list[Any]:
    return [c for c in slack_feature.log(teams_wire.rt.ctx)["calls"] if c[0] == "echo"]


async def test_a_token_sent_again_is_taken_from_memory_not_checked_again(teams_wire: TeamsWire) -> None:
    validator = teams_wire.adapter.app.server._token_validator
    assert validator is not None
    checks: list[str] = []
    sdk_check = validator.validator.validate_token  # type: ignore[attr-defined]

    async def counted(raw_token: str, service_url: str | None = None) -> dict[str, Any]:
        checks.append(raw_token)
        return await sdk_check(raw_token, service_url)  # type: ignore[no-any-return]

    validator.validator.validate_token = counted  # type: ignore[attr-defined]
    token = sign(teams_wire.fake.key, teams_wire.fake.url)
    for text in ("echo one", "echo two", "echo three"):
        status, _ = await teams_wire.teams.send(teams_wire.activity("message_personal", text=text), token=token)
        assert status == 200
    # checked by the SDK twice on the first request (before the body is read, then against its
    # service URL), never again
    assert len(checks) == 2
    assert len(_echo_calls(teams_wire)) == 3


async def test_a_remembered_token_is_refused_for_another_service_url(teams_wire: TeamsWire) -> None:
    token = sign(teams_wire.fake.key, teams_wire.fake.url)
    first = teams_wire.activity("message_personal", text="echo one")
    assert (await teams_wire.teams.send(first, token=token))[0] == 200
    elsewhere = teams_wire.activity("message_personal", text="echo two")
    elsewhere["serviceUrl"] = "https://elsewhere.example/"
    assert (await teams_wire.teams.send(elsewhere, token=token))[0] == 401
    assert _echo_calls(teams_wire) == [("echo", "one")]


async def test_a_remembered_token_is_refused_once_it_has_expired(teams_wire: TeamsWire) -> None:
    import time_machine

    now = int(time.time())
    token = sign(teams_wire.fake.key, teams_wire.fake.url, exp=now + 60)
    first = teams_wire.activity("message_personal", text="echo one")
    assert (await teams_wire.teams.send(first, token=token))[0] == 200
    # Past its expiry and the validator's five minutes' leeway for clock skew.
    with time_machine.travel(now + 60 + 301, tick=True):
        late = teams_wire.activity("message_personal", text="echo two")
        assert (await teams_wire.teams.send(late, token=token))[0] == 401
    assert _echo_calls(teams_wire) == [("echo", "one")]


async def test_a_remembered_token_is_checked_again_when_the_published_keys_change(teams_wire: TeamsWire) -> None:
    token = sign(teams_wire.fake.key, teams_wire.fake.url)
    first = teams_wire.activity("message_personal", text="echo one")
    assert (await teams_wire.teams.send(first, token=token))[0] == 200
    teams_wire.fake.key = new_key()  # Microsoft replaced the signing key: the old one is no longer published
    validator = teams_wire.adapter.app.server._token_validator
    validator._keys.jwk_set_cache.put(None)  # type: ignore[union-attr] # PyJWT's key cache ran out (five minutes)
    late = teams_wire.activity("message_personal", text="echo two")
    assert (await teams_wire.teams.send(late, token=token))[0] == 401
    assert _echo_calls(teams_wire) == [("echo", "one")]


async def test_an_entra_token_from_our_own_tenant_is_refused_and_nothing_reaches_the_address_it_names(
    teams_fake: FakeTeams,
    tmp_path: Path,
    database_url: str,
    db: Database,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The Teams SDK also accepts tokens Entra issued in the bot's tenant to Microsoft's Agent 365
    platform (its second validation path), and checks no service URL claim for them: an activity
    carrying one could send the bot's answer, with the bot's own Bot Connector token, anywhere.
    Here a stand-in for Entra publishes the key such a token is signed with, so the SDK would
    accept it; sgbot refuses it before the SDK sees it."""
    import json

    import jwt
    from aiohttp import web
    from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides

    import bot.adapters.teams.adapter as teams_adapter
    import bot.adapters.teams.server as teams_server
    from tests.teams_fake import TENANT_ID

    reached: list[str] = []

    async def entra_keys(request: web.Request) -> web.Response:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(teams_fake.key.public_key()))
        return web.json_response({"keys": [{**public, "kid": "entra", "use": "sig"}]})

    async def elsewhere(request: web.Request) -> web.Response:
        reached.append(request.path)
        return web.json_response({"id": "a:1"}, status=201)

    stand_in = web.Application()
    stand_in.router.add_get(f"/{TENANT_ID}/discovery/v2.0/keys", entra_keys)
    stand_in.router.add_route("*", "/{rest:.*}", elsewhere)
    runner = web.AppRunner(stand_in)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    address = f"http://127.0.0.1:{runner.addresses[0][1]}"

    def cloud(settings: Any) -> Any:
        return with_overrides(PUBLIC, openid_metadata_url=settings.teams_openid_url or None, login_endpoint=address)

    monkeypatch.setattr(teams_server, "cloud_for", cloud)
    monkeypatch.setattr(teams_adapter, "cloud_for", cloud)
    wire = await open_teams(teams_fake, teams_settings(tmp_path, database_url, teams_fake), clock)
    try:
        now = int(time.time())
        claims = {
            "iss": f"https://sts.windows.net/{TENANT_ID}/",
            "tid": TENANT_ID,
            "aud": APP_ID,
            "appid": "5a807f24-c9de-44ee-a3a7-329e88a00ffc",  # the Agent 365 platform's app id
            "iat": now,
            "nbf": now,
            "exp": now + 600,
        }
        token = jwt.encode(claims, teams_fake.key, algorithm="RS256", headers={"kid": "entra"})
        activity = wire.activity("message_personal", text="threshold neglect")
        activity["serviceUrl"] = address
        status, _ = await wire.teams.send(activity, token=token)
        assert status == 401
        assert reached == []
        await no_effect(wire)
    finally:
        await wire.close()
        await runner.cleanup()


UNFIT_IDS = [
    ("message_personal", "conversation.id", "a:" + "x" * 5000),
    ("message_personal", "conversation.id", "a:1personal\x00Alex"),
    ("message_personal", "recipient.id", "28:" + "x" * 300),
    ("message_personal", "recipient.id", "28:bot\x00"),
    ("message_personal", "from.id", "29:" + "x" * 300),
    ("message_personal", "from.id", "29:1practitioner\x00A"),
    ("message_personal", "from.aadObjectId", "\x00"),
    ("message_channel_mention", "conversation.conversationType", "channel" * 10),
    ("message_channel_mention", "conversation.conversationType", "chan\x00nel"),
    ("message_thread_reply", "channelData.channel.id", "19:nul\x00byte@thread.tacv2"),
    ("installation_update_personal", "conversation.id", "a:" + "x" * 5000),
    ("installation_update_personal", "conversation.id", "a:\ud800"),  # a lone surrogate, as JSON can spell it
    ("conversation_update_team", "channelData.team.id", "19:" + "x" * 500),
    ("card_submit", "replyToId", "1\x00"),
]


@pytest.mark.parametrize(("name", "field", "value"), UNFIT_IDS)
async def test_an_id_teams_could_not_have_given_is_refused_with_400_and_no_effect(
    teams_wire: TeamsWire, name: str, field: str, value: str
) -> None:
    """Too long for the column it is kept or looked up in, or holding a control character:
    PostgreSQL answered "value too long for type character varying(400)" or "invalid byte
    sequence for encoding UTF8: 0x00", a 500 and a traceback (outside audit, issue #15)."""
    activity = teams_wire.activity(name, text="<at>sgbot</at> echo should not run", **{field: value})
    status, _ = await teams_wire.teams.send(activity)
    assert status == 400
    await no_effect(teams_wire)
    async with teams_wire.rt.ctx.db.transaction() as tx:
        assert await teams.any_in_tenant(tx, None) is None  # nothing stored at all


async def test_a_post_to_a_person_id_teams_could_not_have_given_is_refused_for_good(teams_wire: TeamsWire) -> None:
    from bot.adapters.base import DeliveryError
    from core.model import Target, reply

    for odd in ("29:" + "x" * 5000, "29:nul\x00byte"):
        with pytest.raises(DeliveryError) as refused:
            await teams_wire.adapter.send(Target(kind="direct", user_id=odd), reply("Reminder"))
        assert refused.value.permanent
    assert not teams_wire.fake.calls


async def test_strangers_write_no_error_lines_and_real_errors_still_show(
    teams_wire: TeamsWire, teams_fake: FakeTeams, caplog: pytest.LogCaptureFixture
) -> None:
    """The SDK's validator logged every refused token at ERROR, with the token's claims in the line
    (outside audit, issue #15); a refusal is one INFO line of sgbot's, by the error's type only."""
    caplog.set_level(logging.INFO)
    tokens = [*bad_tokens(teams_fake).values(), sign(teams_fake.key, teams_fake.url, aud="someone\nFAKE LOG LINE")]
    for token in tokens:
        activity = teams_wire.activity("message_personal", text="echo should not run")
        assert (await teams_wire.teams.send(activity, token=token))[0] == 401
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "FAKE LOG LINE" not in caplog.text
    assert [r.getMessage() for r in caplog.records if r.name == "sgbot.teams"]  # refusals at INFO
    logging.getLogger("microsoft_teams.apps.auth.token_validator").error("something else went wrong")
    assert "something else went wrong" in caplog.text


async def test_a_personal_chat_stays_its_owners_whoever_an_activity_in_it_names(
    db: Database, clock: FrozenClock
) -> None:
    # an outside audit: a (signed) conversationUpdate in Alex's personal chat from Mallory made the
    # chat Mallory's, so her private answers would have gone to Alex
    from storage.teams import PERSONAL, ConversationRef

    url = "https://smba.trafficmanager.net/teams/"
    async with db.transaction() as tx:
        await teams.remember(
            tx, ConversationRef("a:1personalAlex", url, "28:bot", PERSONAL, "t", "29:1alex"), now=clock.now()
        )
    moved = "https://smba.trafficmanager.net/emea/"  # Teams may still move the chat to another service URL
    async with db.transaction() as tx:
        await teams.remember(
            tx, ConversationRef("a:1personalAlex", moved, "28:bot", PERSONAL, "t", "29:1mallory"), now=clock.now()
        )
    async with db.transaction() as tx:
        kept = await teams.find(tx, "a:1personalAlex")
        assert kept is not None and kept.user_id == "29:1alex" and kept.service_url == moved
        assert await teams.personal_chat(tx, "29:1mallory") is None
