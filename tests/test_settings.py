"""Secrets come from the environment and never show in reprs, errors or logs."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from core.config import ConfigError, Settings
from core.logs import SecretMasker, setup_logging

TOKEN = "xoxb-test-not-a-real-token-000000"


def test_secrets_do_not_appear_in_repr_or_str(tmp_path: Path) -> None:
    secret = "settings-key-Ck8Vp3Jm6Xw1Rt4D"
    settings = Settings(_env_file=None, data_dir=tmp_path, slack_bot_token=TOKEN, survey_secret=secret)  # type: ignore[call-arg]
    assert TOKEN not in repr(settings) and TOKEN not in str(settings)
    assert secret not in repr(settings) and secret not in str(settings)
    assert settings.slack_bot_token is not None and settings.slack_bot_token.get_secret_value() == TOKEN


def test_secrets_are_masked_in_log_lines_and_tracebacks(tmp_path: Path) -> None:
    stream = io.StringIO()
    setup_logging("INFO", [TOKEN], stream=stream)
    log = logging.getLogger("sgbot.test")
    log.info("connecting with %s", TOKEN)
    try:
        raise RuntimeError(f"bad token {TOKEN}")
    except RuntimeError:
        log.exception("failed")
    output = stream.getvalue()
    assert TOKEN not in output
    assert output.count("[secret]") == 2  # the message, and the exception text in the traceback


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc" * 10)
    monkeypatch.setenv("TRAINERS", "slack:U1, console:sam")
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert settings.discord_enabled and settings.chat_configured
    assert settings.role_members()["trainer"] == {"slack:U1", "console:sam"}


def test_survey_key_needs_an_explicit_secret_once_a_platform_is_configured(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, discord_token="t" * 30)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="SURVEY_SECRET must be set"):
        settings.survey_key()


def test_a_short_survey_secret_is_refused(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, survey_secret="short")  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="too short"):
        settings.survey_key()


@pytest.mark.parametrize(
    "secret",
    # an outside audit opened every sealed answer offline from the database alone with the first
    [
        "password12345678",
        "Summerholidays2026!",
        "medway-survey-key-2026",
        "aaaaaaaaaaaaaaaaaaaaaaaa",
        "qwertyuiopasdfghjkl",
        "1234567890123456",
        "abababababababababab",
        # a later audit recovered these offline from the invited names and the sealed rows alone
        "qwertyuiopasdfghjklzxcvbnm123456",
        "abcdefghijklmnopqrstuvwxyz123456",
        "passwordpasswordpassword12345678",
        "1234567890abcdefghijklmnopqrstuv",
        "medway safeguarding partnership survey key",
        "Chatham.Gun.Wharf.2026",
        "Rochester1605Cathedral",
        "correct horse battery staple",
        # random, but too short for zxcvbn to tell it from a guessable one
        "xi_yqUrzfmFrp7xJaWPBuw",
    ],
)
def test_a_guessable_survey_secret_is_refused_with_how_to_make_one(tmp_path: Path, secret: str) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, survey_secret=secret)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="looks guessable.*secrets.token_urlsafe.*SURVEY_SECRET_WEAK_OK"):
        settings.survey_key()


def test_a_long_secret_is_accepted_whatever_it_is_made_of(tmp_path: Path) -> None:
    # a review of the session: app-prefixed tokens were refused for holding "sgbot" or "survey"
    for secret in ("sgbot_live_9f86d081884c7d659a2feaa0c55ad015", "survey-key-3a7bd3e2360a3d29eea436fcfb7e44c7"):
        settings = Settings(_env_file=None, data_dir=tmp_path, survey_secret=secret)  # type: ignore[call-arg]
        assert settings.survey_key() == secret.encode()


def test_a_guessable_secret_can_be_kept_for_a_while_to_close_open_surveys(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # an upgrade must not strand the answers sealed under the old secret
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=tmp_path, survey_secret="password12345678", survey_secret_weak_ok=True
    )
    with caplog.at_level(logging.WARNING):
        assert settings.survey_key() == b"password12345678"
    assert "looks guessable" in caplog.text and "password12345678" not in caplog.text


def test_random_survey_secrets_are_accepted(tmp_path: Path) -> None:
    # secrets.token_urlsafe and token_hex shapes, drawn from a seeded generator so the run repeats
    # (at 24 characters, the fewest accepted, zxcvbn rates a random one at 10**21 guesses or more)
    import random
    import string

    draw = random.Random(20261205)
    urlsafe, hexdigits = string.ascii_letters + string.digits + "-_", "0123456789abcdef"
    for _ in range(40):  # each check reads zxcvbn's lists afresh (about 0.04 s)
        shapes = ((urlsafe, 43), (hexdigits, 32), (urlsafe, 24))
        for secret in ("".join(draw.choice(alphabet) for _ in range(n)) for alphabet, n in shapes):
            settings = Settings(_env_file=None, data_dir=tmp_path, survey_secret=secret)  # type: ignore[call-arg]
            assert settings.survey_key() == secret.encode()


def test_a_secret_that_passed_is_not_judged_again_at_each_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # zxcvbn's word lists cost about 0.1 s of every start; what passed is remembered in DATA_DIR
    import core.config

    strong = "gOH9acnLibOvil6bz4iWNs3FbtNb1Rr8D51iS_bcZNk"
    assert Settings(_env_file=None, data_dir=tmp_path, survey_secret=strong).survey_key() == strong.encode()  # type: ignore[call-arg]
    assert strong not in (tmp_path / "survey-secret.checked").read_text()

    def judged(secret: str) -> bool:
        raise AssertionError("judged again")

    monkeypatch.setattr(core.config, "_guessable", judged)
    assert Settings(_env_file=None, data_dir=tmp_path, survey_secret=strong).survey_key() == strong.encode()  # type: ignore[call-arg]
    monkeypatch.undo()
    # another secret is judged afresh, whatever the file holds
    weak = Settings(_env_file=None, data_dir=tmp_path, survey_secret="correct horse battery staple")  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="looks guessable"):
        weak.survey_key()


def test_masker_leaves_ordinary_messages_alone() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "posted %d reminders", (3,), None)
    assert SecretMasker([TOKEN]).filter(record)
    assert record.getMessage() == "posted 3 reminders"


def test_bad_role_mapping_is_a_clear_error(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, slack_role_groups="trainers")  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="NAME=role"):
        settings.mapping(settings.slack_role_groups)


@pytest.mark.parametrize(
    ("setting", "value", "sentence"),
    [
        ("LOG_LEVEL", "verbose", "LOG_LEVEL (use one of NOTSET, DEBUG, INFO, WARNING, ERROR, CRITICAL)"),
        # a folder of zones and a name too long for a file each raised an error of its own (a review)
        ("TIMEZONE", "Europe", "TIMEZONE (use a time zone name such as Europe/London)"),
        ("TIMEZONE", "Europe/" + "x" * 300, "TIMEZONE (use a time zone name such as Europe/London)"),
        ("TIMEZONE", "London", "TIMEZONE (use a time zone name such as Europe/London)"),
        ("TIMEZONE", "../../etc/passwd", "TIMEZONE (use a time zone name such as Europe/London)"),
        ("METRICS_PORT", "nine thousand", "METRICS_PORT."),
    ],
)
def test_a_mistyped_setting_is_one_sentence_for_every_command_not_a_traceback(
    tmp_path: Path, setting: str, value: str, sentence: str
) -> None:
    # An outside audit: LOG_LEVEL=verbose and TIMEZONE=London each ended every command in a traceback.
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATA_DIR": str(tmp_path), setting: value}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "audit"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 2
    assert f"Some settings are not valid: {sentence}" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_log_level_in_any_case_and_by_logging_s_other_names_is_read(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path, log_level=" debug ").log_level == "DEBUG"
    assert Settings(data_dir=tmp_path, log_level="warn").log_level == "WARNING"
    assert Settings(data_dir=tmp_path, log_level="FATAL").log_level == "CRITICAL"
