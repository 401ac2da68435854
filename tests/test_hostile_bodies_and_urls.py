"""Hostile input at the edges: bodies nested too deeply for the JSON parser (Teams and Slack),
Teams tokens that never expire, and database URLs that cannot be opened. Each gets a short
refusal, never a 500, a traceback or an effect."""

from __future__ import annotations

import json
import logging
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes, urlencode

import aiohttp
import jwt
import pytest
from sqlalchemy.engine import make_url

from bot.adapters.slack.guard import MALFORMED
from bot.adapters.teams.server import MAX_NESTING, OffLoopValidator
from core.clock import FrozenClock
from storage.db import Database
from tests import slack_feature
from tests.conftest import PG_URL
from tests.fake_slack import FakeSlack
from tests.fake_slack import payload as slack_payload
from tests.slack_wire import Wire, open_wire, slack_settings
from tests.teams_fake import TENANT_ID as TENANT
from tests.teams_fake import FakeTeams, sign
from tests.teams_wire import TeamsWire
from tests.test_cli import sgbot
from tests.test_teams_security import no_effect

DEPTH = 100_000  # 200 KB of brackets: under both adapters' body limits
DEEP_LIST = b"[" * DEPTH + b"]" * DEPTH
FORM = "application/x-www-form-urlencoded"
DEEP_IN_ACTIVITY = b'{"serviceUrl":"x","a":' + DEEP_LIST + b"}"


def assert_quiet(caplog: pytest.LogCaptureFixture) -> None:
    lines = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert len(lines) <= 1, [r.getMessage() for r in lines]
    assert all(r.exc_info is None for r in caplog.records)
    assert "Traceback" not in caplog.text


# --- Teams: nesting too deep for the parser ------------------------------------------------------


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_IN_ACTIVITY], ids=["a bare list", "inside an activity"])
async def test_teams_refuses_a_body_nested_too_deeply_with_400(
    teams_wire: TeamsWire, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()
    signed = f"Bearer {sign(teams_wire.fake.key, teams_wire.fake.url)}"
    async with aiohttp.ClientSession() as session:
        headers = {"content-type": "application/json", "Authorization": signed}
        async with session.post(teams_wire.adapter.messages_url, data=body, headers=headers) as r:
            assert r.status == 400
            assert await r.json() == {"error": "The body is nested too deeply."}
        # without a token the body is not read at all: 401, whatever it holds
        async with session.post(
            teams_wire.adapter.messages_url, data=body, headers=headers | {"Authorization": ""}
        ) as r:
            assert r.status == 401
    assert_quiet(caplog)
    await no_effect(teams_wire)


def with_nested_field(activity: dict[str, Any], depth: int) -> bytes:
    """The activity as JSON, with a field of lists `depth` deep."""
    return json.dumps({**activity, "extra": nested_list(depth)}).encode()


def nested_list(depth: int) -> list[Any]:
    outer: list[Any] = []
    inner = outer
    for _ in range(depth - 1):
        inner.append([])
        inner = inner[0]
    return outer


async def test_teams_refuses_a_signed_activity_nested_deeper_than_any_teams_sends(
    teams_wire: TeamsWire, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()
    activity = teams_wire.activity("message_personal", text="echo should not run")
    headers = {
        "content-type": "application/json",
        "Authorization": f"Bearer {sign(teams_wire.fake.key, activity['serviceUrl'])}",
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(teams_wire.adapter.messages_url, data=with_nested_field(activity, 300), headers=headers) as r,
    ):
        assert r.status == 400
        assert await r.json() == {"error": "The body is nested too deeply."}
    assert_quiet(caplog)
    await no_effect(teams_wire)


async def test_teams_still_answers_an_activity_nested_within_the_limit(teams_wire: TeamsWire) -> None:
    activity = teams_wire.activity("message_personal", text="echo nested")
    activity["extra"] = nested_list(MAX_NESTING - 1)  # with the activity itself, exactly the limit
    status, _ = await teams_wire.teams.send(activity)
    assert status == 200
    assert ("echo", "nested") in slack_feature.log(teams_wire.rt.ctx)["calls"]


# --- Teams: a token must say when it expires ----------------------------------------------------


async def test_teams_refuses_a_token_without_an_expiry(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    token = sign(teams_fake.key, teams_fake.url, exp=None)  # otherwise good: signed, ours, this service URL
    status, _ = await teams_wire.teams.send(teams_wire.activity("message_personal", text="echo never"), token=token)
    assert status == 401
    await no_effect(teams_wire)


async def test_teams_refuses_a_token_without_an_expiry_once_the_keys_are_known(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    # A token whose key is already cached is checked on the loop, not in a worker thread.
    assert (await teams_wire.teams.send(teams_wire.activity("message_personal", text="echo first")))[0] == 200
    token = sign(teams_fake.key, teams_fake.url, exp=None)
    for _ in range(2):  # and a refused token is not remembered as one that passed
        activity = teams_wire.activity("message_personal", text="echo never")
        assert (await teams_wire.teams.send(activity, token=token))[0] == 401
    assert [c for c in slack_feature.log(teams_wire.rt.ctx)["calls"] if c[0] == "echo"] == [("echo", "first")]


@pytest.mark.parametrize(
    "issuer",
    [
        "https://sts.windows.net/another-organisation/",
        "https://login.microsoftonline.com/other/v2.0",
        # An Entra token from the bot's own tenant, as the SDK's Agent 365 path accepts: it carries
        # no service URL claim, so the activity could send the bot's answer (and token) anywhere.
        f"https://sts.windows.net/{TENANT}/",
        f"https://login.microsoftonline.com/{TENANT}/v2.0",
    ],
)
async def test_teams_refuses_any_token_not_issued_by_the_bot_framework_before_fetching_any_keys(
    teams_wire: TeamsWire, teams_fake: FakeTeams, issuer: str
) -> None:
    # The SDK would fetch that tenant's keys from Microsoft in a worker thread before saying no.
    token = sign(teams_fake.key, teams_fake.url, iss=issuer)
    status, _ = await teams_wire.teams.send(teams_wire.activity("message_personal", text="echo never"), token=token)
    assert status == 401
    await no_effect(teams_wire)

    class Recording:  # stands in for the SDK's validator, to see whether it was asked at all
        asked = 0

        async def validate_token(self, raw_token: str, service_url: str | None = None) -> dict[str, Any]:
            Recording.asked += 1
            raise AssertionError("not to be reached")

    checker = OffLoopValidator(Recording(), "https://api.botframework.com")
    with pytest.raises(jwt.InvalidIssuerError):
        await checker.validate_token(token, teams_fake.url)
    assert Recording.asked == 0


# --- Slack: the same bodies, signed -------------------------------------------------------------


@pytest.fixture(scope="module")
def slack_server() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
async def slack_wire(
    slack_server: FakeSlack, tmp_path: Path, db: Database, database_url: str, clock: FrozenClock
) -> AsyncIterator[Wire]:
    slack_server.reset()
    opened = await open_wire(slack_server, slack_settings(tmp_path, database_url), clock)
    slack_server.forget_calls()  # auth.test at start
    yield opened
    await opened.close()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (DEEP_LIST, "application/json"),
        (b"payload=" + DEEP_LIST, FORM),
        (b"payload=" + quote_from_bytes(b'{"type":"block_actions","a":' + DEEP_LIST + b"}").encode(), FORM),
    ],
    ids=["a JSON body", "an interaction payload", "inside an interaction"],
)
async def test_slack_refuses_a_signed_body_nested_too_deeply_with_400(
    slack_wire: Wire, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()
    status, _, text = await slack_wire.slack.post(body, content_type)
    assert (status, text) == (400, MALFORMED)
    assert slack_wire.calls == []
    assert slack_wire.fake.calls == []
    assert_quiet(caplog)


async def test_slack_refuses_private_metadata_nested_too_deeply_with_400(
    slack_wire: Wire, caplog: pytest.LogCaptureFixture
) -> None:
    submission = slack_payload("view_submission")
    submission["view"] = {**submission["view"], "private_metadata": DEEP_LIST.decode()}
    caplog.set_level(logging.INFO)
    caplog.clear()
    status, _, _ = await slack_wire.slack.post(urlencode({"payload": json.dumps(submission)}), FORM)
    assert status == 400
    assert slack_feature.log(slack_wire.rt.ctx)["feedback"] == []
    assert slack_wire.calls == []
    assert_quiet(caplog)


# --- database URLs that cannot be opened -------------------------------------------------------

SECRET = "never-shown-Pa55"  # noqa: S105 - a made-up password that must not appear in any message


def assert_one_sentence(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert SECRET not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) <= 2, result.stderr  # `run` first says it is starting the console chat
    for part in expected:
        assert part in lines[-1]


@pytest.mark.parametrize("port", ["abc", "99999", "0"])
def test_a_database_url_with_an_impossible_port_is_one_sentence(tmp_path: Path, port: str) -> None:
    url = f"postgresql://sgbot:{SECRET}@127.0.0.1:{port}/sgbot"
    result = sgbot(["console", "--script", "-"], tmp_path, stdin="/help\n", env={"DATABASE_URL": url})
    assert_one_sentence(result, "DATABASE_URL has a port that is not a number from 1 to 65535")


@pytest.mark.parametrize(("option", "named"), [("sslmode=require", "sslmode"), ("colour=blue", "colour")])
def test_a_database_url_with_an_option_the_driver_does_not_take_is_one_sentence(
    tmp_path: Path, option: str, named: str
) -> None:
    url = f"postgresql://sgbot:{SECRET}@127.0.0.1:1/sgbot?{option}"  # refused before any connection is tried
    result = sgbot(["console", "--script", "-"], tmp_path, stdin="/help\n", env={"DATABASE_URL": url})
    assert_one_sentence(result, "Cannot open the database", f"an option the database driver does not take, {named}")
    assert "sgbot:***@127.0.0.1" in result.stderr


def test_a_file_that_is_not_a_database_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("not a database\n")
    result = sgbot(["run"], tmp_path, env={"DATABASE_URL": "sqlite:///notes.db"})
    assert_one_sentence(result, "Cannot open the database", "file is not a database")


def test_a_password_given_as_an_option_is_hidden(tmp_path: Path) -> None:
    url = f"postgresql://sgbot@127.0.0.1:1/sgbot?password={SECRET}&colour=blue"
    result = sgbot(["console", "--script", "-"], tmp_path, stdin="/help\n", env={"DATABASE_URL": url})
    assert_one_sentence(result, "Cannot open the database", "password=***")


def existing_postgres(**parts: str) -> str:
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped (CI sets it)")
    return make_url(PG_URL).set(**parts).render_as_string(hide_password=False)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("parts", "reason"),
    [
        ({"database": "sgbot_no_such_database"}, 'database "sgbot_no_such_database" does not exist'),
        ({"username": "sgbot_no_such_role", "password": SECRET}, 'role "sgbot_no_such_role" does not exist'),
    ],
    ids=["no such database", "no such role"],
)
@pytest.mark.parametrize("command", [["console", "--script", "-"], ["run"]])
def test_a_postgresql_database_or_role_that_does_not_exist_is_one_sentence(
    tmp_path: Path, parts: dict[str, str], reason: str, command: list[str]
) -> None:
    result = sgbot(command, tmp_path, stdin="/help\n", env={"DATABASE_URL": existing_postgres(**parts)})
    assert_one_sentence(result, "Cannot open the database", reason, "Check DATABASE_URL")
