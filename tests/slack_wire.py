"""The Slack adapter running for real on loopback: a runtime with the test feature, the real
AsyncApp serving HTTP on 127.0.0.1, and a real AsyncWebClient talking to a FakeSlack."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.adapters.slack.adapter import SlackAdapter
from bot.runtime import Runtime, load_registry
from core.clock import Clock
from core.config import Settings
from core.registry import build_registry
from tests import slack_feature
from tests.fake_slack import FakeSlack, SlackSender

SIGNING_SECRET = "5c0a3f2e8d1b4a7c9e6f0b2d4a8c1e3f"


def slack_settings(tmp_path: Path, database_url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "survey_secret": "test-key-Qz8vWm2Lp9Xr4Nf7Hc",
        "slack_bot_token": "xoxb-test-token",
        "slack_signing_secret": SIGNING_SECRET,
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def runtime_with_test_feature(settings: Settings, clock: Clock) -> Runtime:
    registry = load_registry()
    extra = build_registry([slack_feature])
    for table in (extra.commands, extra.actions, extra.threads):
        for spec in table.values():
            registry.add(spec)
    return await Runtime.create(settings, clock=clock, registry=registry)


@dataclass
class Wire:
    rt: Runtime
    adapter: SlackAdapter
    slack: SlackSender  # Slack's side: signed requests to the bot
    fake: FakeSlack  # Slack's Web API, recording the bot's calls

    @property
    def calls(self) -> list[Any]:
        return slack_feature.log(self.rt.ctx)["calls"]

    async def close(self) -> None:
        await self.slack.close()
        await self.adapter.stop()
        await self.rt.ctx.db.dispose()


async def open_wire(fake: FakeSlack, settings: Settings, clock: Clock, **adapter_options: Any) -> Wire:
    rt = await runtime_with_test_feature(settings, clock)
    options: dict[str, Any] = {
        "process_before_response": True,
        "http_host": "127.0.0.1",
        "http_port": 0,
        "channel_interval": 0.0,
    }
    adapter = SlackAdapter(rt, client=fake.client(), **(options | adapter_options))
    rt.add_adapter(adapter)
    await adapter.start()
    return Wire(rt, adapter, SlackSender(adapter.events_url, SIGNING_SECRET), fake)
