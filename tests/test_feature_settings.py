"""A feature's own settings live beside it, are found by the registry and checked at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime import Runtime, load_registry
from core.config import ConfigError, Settings
from handlers.feeds.fetch import FeedSettings
from handlers.surveys import SurveySettings
from handlers.training.reminders import TrainingSettings


def test_the_registry_finds_each_features_own_settings() -> None:
    assert {SurveySettings, TrainingSettings, FeedSettings} <= set(load_registry().settings)


def test_a_features_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SURVEY_OPEN_DAYS", "21")
    monkeypatch.setenv("TRAINING_REMINDER_OFFSETS", "2d,1h")
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert settings.feature(SurveySettings).survey_open_days == 21
    assert settings.feature(TrainingSettings).training_reminder_offsets == "2d,1h"


def test_a_features_settings_come_from_the_same_env_file(tmp_path: Path) -> None:
    env = tmp_path / "bot.env"
    env.write_text("REPORT_MIN_GROUP=7\nFEEDS_MAX_BYTES=1000\n", encoding="utf-8")
    settings = Settings(_env_file=env, data_dir=tmp_path)  # type: ignore[call-arg]
    assert settings.feature(SurveySettings).report_min_group == 7
    assert settings.feature(FeedSettings).max_bytes == 1000


def test_values_given_to_the_runtimes_settings_reach_the_feature(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, survey_follow_up_days=120)  # type: ignore[call-arg]
    assert settings.feature(SurveySettings).survey_follow_up_days == 120


async def test_a_bad_feature_setting_stops_start_up_with_a_sentence_naming_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SURVEY_OPEN_DAYS", "0")
    monkeypatch.setenv("FEEDS_MAX_BYTES", "lots")
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    with pytest.raises(ConfigError) as stopped:
        await Runtime.create(settings, console_mode=True)
    message = str(stopped.value)
    assert ("SURVEY_OPEN_DAYS" in message or "FEEDS_MAX_BYTES" in message) and ".env" in message


def test_bad_reminder_offsets_are_named_with_how_to_write_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An outside audit: the refusal named TRAINING_REMINDER_OFFSETS with no example of the form."""
    monkeypatch.setenv("TRAINING_REMINDER_OFFSETS", "7 days")
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    with pytest.raises(ConfigError) as stopped:
        settings.feature(TrainingSettings)
    assert "TRAINING_REMINDER_OFFSETS (write it like 7d,1d,1h" in str(stopped.value)
    assert "7 days" not in str(stopped.value)  # a setting's value is never said back
