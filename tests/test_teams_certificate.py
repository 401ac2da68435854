"""Teams with a certificate instead of a client secret: the bot signs a client assertion with the
certificate's private key, the fake token endpoint checks it as Entra does (signature with the
registered certificate's public key, audience, issuer and subject, expiry, thumbprint), and a
proactive post goes out with the token it gave. A certificate Entra does not know is refused and
the bot says what to check; both credentials or neither stop start-up with one sentence."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.adapters.base import DeliveryError
from bot.adapters.teams.credentials import credential_from
from core.clock import FrozenClock
from core.config import ConfigError, Settings
from core.logs import SecretMasker
from core.model import Target, reply
from storage.db import Database
from tests.teams_fake import (
    APP_ID,
    APP_PASSWORD,
    ASSERTION_TYPE,
    FakeTeams,
    certificate_file,
    new_certificate,
    new_key,
    thumbprint_s256,
)
from tests.teams_wire import TeamsWire, open_teams, teams_settings

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "pem-passphrase-never-shown-0123"
SURVEY_SECRET = "never-shown-key-Gm4Ys7Pe1Uc8Hv3Z"
CHANNEL = "19:safeguarding@thread.tacv2"


@pytest.fixture(scope="module")
def app_key() -> rsa.RSAPrivateKey:
    return new_key()


@pytest.fixture(scope="module")
def app_certificate(app_key: rsa.RSAPrivateKey) -> x509.Certificate:
    return new_certificate(app_key)


async def certificate_wire(
    fake: FakeTeams,
    tmp_path: Path,
    database_url: str,
    clock: FrozenClock,
    key: rsa.RSAPrivateKey,
    certificate: x509.Certificate,
) -> TeamsWire:
    """The bot with TEAMS_CERTIFICATE_PATH (a passphrase-protected key) and no client secret."""
    path = certificate_file(tmp_path, key, certificate, PASSPHRASE)
    settings = teams_settings(
        tmp_path,
        database_url,
        fake,
        teams_app_password=None,
        teams_certificate_path=path,
        teams_certificate_password=PASSPHRASE,
    )
    return await open_teams(fake, settings, clock)


@pytest.fixture
async def registered(
    teams_fake: FakeTeams,
    tmp_path: Path,
    database_url: str,
    db: Database,
    clock: FrozenClock,
    app_key: rsa.RSAPrivateKey,
    app_certificate: x509.Certificate,
) -> AsyncIterator[TeamsWire]:
    """The certificate in the bot's PEM file is the one uploaded to the app registration."""
    wire = await certificate_wire(teams_fake, tmp_path, database_url, clock, app_key, app_certificate)
    teams_fake.certificates.append(app_certificate)
    yield wire
    await wire.close()


@pytest.fixture
async def unregistered(
    teams_fake: FakeTeams,
    tmp_path: Path,
    database_url: str,
    db: Database,
    clock: FrozenClock,
    app_key: rsa.RSAPrivateKey,
    app_certificate: x509.Certificate,
) -> AsyncIterator[TeamsWire]:
    """The app registration holds another certificate than the one the bot signs with."""
    stranger = new_key()
    wire = await certificate_wire(teams_fake, tmp_path, database_url, clock, stranger, new_certificate(stranger))
    teams_fake.certificates.append(app_certificate)
    yield wire
    await wire.close()


async def test_a_certificate_gets_the_bots_token_and_a_proactive_post_is_delivered_with_it(
    registered: TeamsWire, teams_fake: FakeTeams
) -> None:
    await registered.adapter.send(Target(kind="channel", channel_id=CHANNEL), reply("Training reminder", public=True))
    [post] = teams_fake.posts()
    assert "Training reminder" in post.card_text()
    assert teams_fake.tokens_issued == 1 and len(teams_fake.assertion_ids) == 1
    # The post carried the token the fake issued for the certificate's assertion.
    claims = jwt.decode(
        post.token, teams_fake.key.public_key(), algorithms=["RS256"], audience="https://api.botframework.com"
    )
    assert claims["appid"] == APP_ID


async def test_a_certificate_the_app_registration_does_not_hold_is_refused_and_the_bot_says_what_to_check(
    unregistered: TeamsWire, teams_fake: FakeTeams, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(DeliveryError) as refused:
        await unregistered.adapter.send(Target(kind="channel", channel_id=CHANNEL), reply("x", public=True))
    assert "refused the bot's credential" in refused.value.reason
    assert (
        "TEAMS_CERTIFICATE_PATH" in refused.value.reason and "uploaded to the app registration" in refused.value.reason
    )
    assert teams_fake.tokens_issued == 0 and not teams_fake.posts()

    # A person asking in personal chat gets nothing (the bot cannot post), and the log says why.
    with caplog.at_level(logging.WARNING, logger="sgbot.teams"):
        status, _ = await unregistered.send("message_personal", text="threshold neglect")
    assert status == 200 and not teams_fake.posts()
    assert "could not answer a Teams activity" in caplog.text and "TEAMS_CERTIFICATE_PATH" in caplog.text


@pytest.mark.parametrize(
    "forged",
    ["signed by another key", "expired", "for another audience", "for another app", "an hour long", "replayed"],
)
async def test_the_fake_token_endpoint_refuses_an_assertion_entra_would_refuse(
    teams_fake: FakeTeams, app_key: rsa.RSAPrivateKey, app_certificate: x509.Certificate, forged: str
) -> None:
    teams_fake.certificates.append(app_certificate)
    now = int(time.time())
    claims = {"aud": teams_fake.token_url, "iss": APP_ID, "sub": APP_ID, "jti": forged, "nbf": now, "exp": now + 300}
    key = new_key() if forged == "signed by another key" else app_key
    claims |= {
        "expired": {"nbf": now - 900, "exp": now - 600},
        "for another audience": {"aud": "https://login.microsoftonline.com/other/oauth2/v2.0/token"},
        "for another app": {"iss": "someone-else", "sub": "someone-else"},
        "an hour long": {"exp": now + 3600},
    }.get(forged, {})
    header = {"typ": "JWT", "x5t#S256": thumbprint_s256(app_certificate)}  # the registered certificate's
    assertion = jwt.encode(claims, key, algorithm="PS256", headers=header)
    form = {"grant_type": "client_credentials", "client_id": APP_ID, "scope": "https://api.botframework.com/.default"}
    form |= {"client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}
    async with aiohttp.ClientSession() as session:
        if forged == "replayed":
            async with session.post(teams_fake.token_url, data=form) as first:
                assert first.status == 200  # the genuine assertion, once
        async with session.post(teams_fake.token_url, data=form) as response:
            assert response.status == 401 and (await response.json())["error"] == "invalid_client"


def test_the_assertion_is_signed_as_microsofts_page_asks(tmp_path: Path, app_key: rsa.RSAPrivateKey) -> None:
    certificate = new_certificate(app_key)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        teams_app_id=APP_ID,
        teams_certificate_path=certificate_file(tmp_path, app_key, certificate),
    )
    credential = credential_from(settings)
    form = credential.form(APP_ID, "https://login.example/tenant/oauth2/v2.0/token")
    assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    header = jwt.get_unverified_header(form["client_assertion"])
    assert header["alg"] == "PS256" and header["typ"] == "JWT" and "x5t#S256" in header
    claims = jwt.decode(
        form["client_assertion"],
        certificate.public_key(),  # type: ignore[arg-type]
        algorithms=["PS256"],
        audience="https://login.example/tenant/oauth2/v2.0/token",
        issuer=APP_ID,
    )
    assert claims["sub"] == APP_ID and claims["jti"] and 0 < claims["exp"] - claims["nbf"] <= 600


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"teams_certificate_password": "wrong-passphrase"}, "could not be opened with TEAMS_CERTIFICATE_PASSWORD"),
        ({}, "is protected by a passphrase: set TEAMS_CERTIFICATE_PASSWORD"),
    ],
)
def test_a_certificate_file_that_cannot_be_opened_is_named_with_what_to_do(
    tmp_path: Path, app_key: rsa.RSAPrivateKey, given: dict[str, str], expected: str
) -> None:
    path = certificate_file(tmp_path, app_key, new_certificate(app_key), PASSPHRASE)
    settings = Settings(_env_file=None, teams_app_id=APP_ID, teams_certificate_path=path, **given)  # type: ignore[call-arg]
    with pytest.raises(ConfigError) as failed:
        credential_from(settings)
    assert expected in str(failed.value) and str(path) in str(failed.value)


def test_a_certificate_that_does_not_belong_to_the_key_is_refused(tmp_path: Path, app_key: rsa.RSAPrivateKey) -> None:
    path = certificate_file(tmp_path, app_key, new_certificate(new_key()))
    settings = Settings(_env_file=None, teams_app_id=APP_ID, teams_certificate_path=path)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="does not belong to the private key"):
        credential_from(settings)


def test_settings_treat_teams_as_configured_with_either_credential(tmp_path: Path) -> None:
    by_secret = Settings(_env_file=None, teams_app_id=APP_ID, teams_app_password=APP_PASSWORD)  # type: ignore[call-arg]
    by_certificate = Settings(_env_file=None, teams_app_id=APP_ID, teams_certificate_path=tmp_path / "x.pem")  # type: ignore[call-arg]
    assert by_secret.teams_enabled and by_certificate.teams_enabled
    assert by_certificate.chat_configured


def test_the_passphrase_is_masked_in_logs(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, teams_certificate_password=PASSPHRASE)  # type: ignore[call-arg]
    assert PASSPHRASE not in repr(settings)
    record = logging.LogRecord("sgbot.teams", logging.WARNING, __file__, 1, "opened with %s", (PASSPHRASE,), None)
    SecretMasker(settings.secret_values()).filter(record)
    assert PASSPHRASE not in record.getMessage()


def sgbot_run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "TEAMS_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**clean, "DATA_DIR": str(tmp_path / "data"), "SURVEY_SECRET": SURVEY_SECRET, **env},
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("credentials", "expected"),
    [
        ("both", "takes one credential, TEAMS_APP_PASSWORD or TEAMS_CERTIFICATE_PATH, not both"),
        ("neither", "needs a credential: set TEAMS_APP_PASSWORD (a client secret) or TEAMS_CERTIFICATE_PATH"),
    ],
)
def test_both_credentials_or_neither_stop_start_up_with_one_sentence(
    tmp_path: Path, app_key: rsa.RSAPrivateKey, credentials: str, expected: str
) -> None:
    env = {"TEAMS_APP_ID": APP_ID, "TEAMS_TENANT_ID": "72f988bf-0000-4000-8000-000000000001"}
    if credentials == "both":
        path = certificate_file(tmp_path, app_key, new_certificate(app_key), PASSPHRASE)
        env |= {"TEAMS_APP_PASSWORD": APP_PASSWORD, "TEAMS_CERTIFICATE_PATH": str(path)}
        env |= {"TEAMS_CERTIFICATE_PASSWORD": PASSPHRASE}
    result = sgbot_run(tmp_path, **env)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for secret in (APP_PASSWORD, PASSPHRASE, SURVEY_SECRET):
        assert secret not in result.stderr + result.stdout


def test_teams_without_a_tenant_stops_start_up_with_one_sentence(tmp_path: Path) -> None:
    """An outside walk-through: without TEAMS_TENANT_ID the Teams library took the bot for a
    multi-tenant app, said it would accept tokens from any tenant, and the bot started."""
    from microsoft_teams.api.auth.cloud_environment import PUBLIC

    from bot.adapters.teams.server import TenantTokenProvider

    settings = Settings(
        _env_file=None, data_dir=tmp_path, teams_app_id="11111111-2222-4333-8444-555555555555", teams_app_password="x"
    )  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="needs TEAMS_TENANT_ID, the Directory \\(tenant\\) ID"):
        TenantTokenProvider(settings, PUBLIC)
