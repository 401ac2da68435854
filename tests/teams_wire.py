"""The Teams adapter running for real on loopback: a runtime with the test feature, the real
Teams SDK app serving HTTP on 127.0.0.1, posting to a FakeTeams Bot Connector."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.adapters.teams import TeamsAdapter
from bot.runtime import Runtime
from core.addresses import AddressGuard, GuardedNetwork
from core.clock import Clock
from core.config import Settings
from tests.slack_wire import runtime_with_test_feature
from tests.teams_fake import FakeTeams, TeamsSender, payload


def teams_settings(tmp_path: Path, database_url: str, fake: FakeTeams, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "survey_secret": "test-key-Qz8vWm2Lp9Xr4Nf7Hc",
        **fake.settings(),
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class TeamsWire:
    rt: Runtime
    adapter: TeamsAdapter
    teams: TeamsSender  # Teams' side: signed activities to the bot
    fake: FakeTeams  # the Bot Connector, recording the bot's calls

    def activity(self, name: str, **fields: Any) -> dict[str, Any]:
        return payload(name, self.fake.url, **fields)

    async def send(self, name: str, **fields: Any) -> tuple[int, Any]:
        return await self.teams.send(self.activity(name, **fields))

    async def close(self) -> None:
        await self.teams.close()
        await self.adapter.stop()
        await self.rt.ctx.db.dispose()


async def open_teams(fake: FakeTeams, settings: Settings, clock: Clock, *, runtime: Runtime | None = None) -> TeamsWire:
    rt = runtime or await runtime_with_test_feature(settings, clock)
    adapter = TeamsAdapter(rt, host="127.0.0.1", port=0)
    rt.add_adapter(adapter)
    # The fake's OneDrive is plain http on loopback: allowed here as an operator's exception, on its port only.
    adapter.poster.files.upload_schemes = ("https", "http")
    adapter.poster.files.network = GuardedNetwork(AddressGuard(fake.url.removeprefix("http://")))
    await adapter.start()
    return TeamsWire(rt, adapter, TeamsSender(adapter.messages_url, fake), fake)
