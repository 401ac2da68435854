"""One process serving Slack (HTTP mode), Discord and Microsoft Teams at once: the same runtime,
content pack and database answer a lookup on each, and one delivery worker posts to all three."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.teams import TeamsAdapter
from bot.delivery import DeliveryWorker
from bot.runtime import Runtime, load_registry
from core.clock import FrozenClock
from core.config import Settings
from core.model import Target, reply
from storage import outbox, teams
from storage.db import Database
from storage.outbox import NewMessage
from storage.teams import ConversationRef
from tests import discord_payloads as p
from tests.discord_fake import FakeDiscord
from tests.fake_slack import FakeSlack, SlackSender
from tests.slack_wire import SIGNING_SECRET
from tests.storage_support import in_tx
from tests.teams_fake import BOT_ID, TENANT_ID, FakeTeams, TeamsSender, payload
from tests.test_discord_adapter import connect, interact, texts
from tests.test_discord_adapter import fake as fake  # noqa: PLC0414 - the Discord fixture, used by name


@pytest.fixture
async def teams_fake() -> AsyncIterator[FakeTeams]:
    server = FakeTeams()
    await server.start()
    yield server
    await server.stop()


def three_platform_settings(tmp_path: Path, database_url: str, teams_fake: FakeTeams) -> Settings:
    values = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "survey_secret": "test-key-Qz8vWm2Lp9Xr4Nf7Hc",
        "slack_bot_token": "xoxb-test-token",
        "slack_signing_secret": SIGNING_SECRET,
        "discord_token": "test-discord-token-0123456789",
        "discord_guild_id": p.GUILD_ID,
        **teams_fake.settings(),
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def test_one_process_serves_slack_discord_and_teams_at_once(
    database_url: str, db: Database, tmp_path: Path, clock: FrozenClock, fake: FakeDiscord, teams_fake: FakeTeams
) -> None:
    settings = three_platform_settings(tmp_path, database_url, teams_fake)
    assert settings.slack_enabled and settings.discord_enabled and settings.teams_enabled
    rt = await Runtime.create(settings, clock=clock, registry=load_registry())
    with FakeSlack() as slack_api:
        slack = SlackAdapter(
            rt, client=slack_api.client(), process_before_response=True, http_host="127.0.0.1", http_port=0
        )
        team = TeamsAdapter(rt, host="127.0.0.1", port=0)
        for adapter in (slack, team):
            rt.add_adapter(adapter)
            await adapter.start()
        discord = await connect(rt, fake)
        rt.add_adapter(discord)
        slack_sender = SlackSender(slack.events_url, SIGNING_SECRET)
        teams_sender = TeamsSender(team.messages_url, teams_fake)
        try:
            # The same lookup on each platform, answered by the same handler and content pack.
            status, _, body = await slack_sender.command("/threshold", "neglect")
            assert status == 200
            slack_answer = json.loads(body)
            assert slack_answer["response_type"] == "ephemeral" and "999" in json.dumps(slack_answer["blocks"])

            [callback] = await interact(fake, p.slash_command("threshold", "neglect"))
            assert "999" in texts(callback.body["data"])

            status, _ = await teams_sender.send(payload("message_personal", teams_fake.url, text="threshold neglect"))
            assert status == 200
            [teams_answer] = teams_fake.posts()
            assert teams_answer.conversation_id == "a:1personalAlex" and "999" in teams_answer.card_text()

            # One delivery worker, one outbox, three platforms.
            async with rt.ctx.db.transaction() as tx:
                ref = ConversationRef("19:general@thread.tacv2", teams_fake.url, BOT_ID, "channel", TENANT_ID)
                await teams.remember(tx, ref, now=clock.now())
            now = clock.now()  # the bot's (frozen) clock decides what is due
            targets = {
                "slack": Target(kind="channel", channel_id="C0SAFE"),
                "discord": Target(kind="channel", channel_id=str(p.CHANNEL_ID)),
                "teams": Target(kind="channel", channel_id="19:general@thread.tacv2"),
            }
            rows = [
                NewMessage(
                    key=f"bulletin:three:{platform}",
                    platform=platform,
                    target=target.model_dump(),
                    payload=reply(f"Bulletin for {platform}", public=True).model_dump(mode="json"),
                    due_at=now,
                )
                for platform, target in targets.items()
            ]
            await in_tx(rt.ctx.db, outbox.enqueue, rows, now=now)
            assert await DeliveryWorker(rt.ctx, rt.adapters, name="one").deliver_due() == 3
            assert any(c["text"] == "Bulletin for slack" for c in slack_api.calls_to("chat.postMessage"))
            assert fake.calls_to("POST", rf"/channels/{p.CHANNEL_ID}/messages")
            assert any(t.text == "Bulletin for teams" for t in teams_fake.posts("19:general@thread.tacv2"))
        finally:
            await slack_sender.close()
            await teams_sender.close()
            for adapter in (slack, team, discord):
                await adapter.stop()
            await rt.ctx.db.dispose()
