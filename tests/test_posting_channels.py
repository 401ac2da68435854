"""Every posting command (training announce, bulletin, briefing, feeds) reads a channel the same
way, on each platform (handlers/posting.py). Outside audits found a bare name taken on Slack as the
channel `training` (posted once by chat.postMessage, then every edit refused: chat.update takes
channel ids only, slackapi/python-slack-sdk#696) and on Discord as a channel Discord was asked for
with int("training"), retried for ever; and Teams ids refused by bulletins, briefings and feeds.
The audit's inputs go through the real adapters: Slack's over HTTP to a fake Web API, Discord's
over the gateway to a fake Discord, Teams' as signed activities to a fake Bot Connector."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.slack.adapter import SlackAdapter
from bot.delivery import DeliveryWorker
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.model import Reply, Request, RequestKind, Target, UserError, reply
from handlers.posting import Channel, channel_examples, read_channel
from storage import bulletins as bulletin_store
from storage import outbox
from storage import training as store
from storage.models import OutboxMessage
from storage.outbox import NewMessage
from tests import discord_payloads as dp
from tests.fake_slack import BOT_TOKEN, FakeSlack, SlackSender
from tests.slack_wire import SIGNING_SECRET
from tests.storage_support import in_tx
from tests.teams_fake import BOT_ID, FakeTeams
from tests.teams_wire import TeamsWire, open_teams, teams_settings
from tests.test_discord_adapter import interact, texts
from tests.test_training_adapters import EditingDiscord, discord_fake  # noqa: F401 - the fixture
from tests.training_support import Bot, training_settings

WHEN = "2026-03-09 10:00-13:00"
SLACK_TRAINER = "U0PRACT01"  # user_id of tests/slack_payloads/slash_command.json
PICK_FROM_THE_LIST = "pick the channel from the list that opens as you type #"
TEAMS_CHANNEL = "19:announce@thread.tacv2"


def one_sentence(text: str) -> bool:
    return text.endswith(".") and text.replace("e.g. ", "").count(". ") == 0


def refusal(word: str, platform: str, *, here: Channel | None = None) -> str:
    with pytest.raises(UserError) as caught:
        read_channel(word, platform, here=here)
    assert one_sentence(caught.value.message), caught.value.message
    return caught.value.message


# --- one reader, every platform ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "word", "channel"),
    [
        ("slack", "<#C0123ABC|training>", Channel("slack", "C0123ABC")),
        ("slack", "<#C0123ABC|>", Channel("slack", "C0123ABC")),
        ("slack", "slack:C0123ABC", Channel("slack", "C0123ABC")),
        ("slack", "C0123ABC", Channel("slack", "C0123ABC")),
        ("discord", "<#123456789012345678>", Channel("discord", "123456789012345678")),
        ("discord", "discord:123456", Channel("discord", "123456")),
        ("discord", "123456789012345678", Channel("discord", "123456789012345678")),
        ("teams", f"teams:{TEAMS_CHANNEL}", Channel("teams", TEAMS_CHANNEL)),
        ("teams", TEAMS_CHANNEL, Channel("teams", TEAMS_CHANNEL)),
        ("teams", "teams:19%3aannounce%40thread.tacv2", Channel("teams", TEAMS_CHANNEL)),
        ("teams", f"<#{TEAMS_CHANNEL}>", Channel("teams", TEAMS_CHANNEL)),  # if the adapter writes a mention so
        ("slack", f"teams:{TEAMS_CHANNEL}", Channel("teams", TEAMS_CHANNEL)),
        ("console", "Training", Channel("console", "training")),
        ("console", "#Training", Channel("console", "training")),
        ("console", "console:practice", Channel("console", "practice")),
        ("slack", "console:practice", Channel("console", "practice")),
    ],
)
def test_a_channel_is_read_the_same_way_by_every_command(platform: str, word: str, channel: Channel) -> None:
    assert read_channel(word, platform, here=None) == channel


@pytest.mark.parametrize("platform", ["slack", "discord"])
@pytest.mark.parametrize("word", ["training", "#training", "slack:training", "discord:training"])
def test_a_name_on_slack_or_discord_is_not_guessed_and_the_list_is_offered(platform: str, word: str) -> None:
    said = refusal(word, platform)
    named = word.partition(":")[0] if ":" in word else platform
    assert PICK_FROM_THE_LIST in said and f"{named}:" in said.split("like ")[-1]


@pytest.mark.parametrize("word", ["Announcements", "#news", "teams:news", "here"])
def test_on_teams_a_name_gets_the_teams_way_and_not_slacks_list(word: str) -> None:
    said = refusal(word, "teams")  # `here` with no channel: typed in a personal chat
    assert "teams:19:" in said and "Get link to channel" in said
    assert "list" not in said and "slack" not in said.lower()


def test_an_unknown_platform_or_a_bad_console_name_gets_one_sentence() -> None:
    assert "is not a channel I can post in" in refusal("myspace:x", "slack")
    assert "is not a channel" in refusal("no/such", "console")
    # a Slack or Discord channel pasted into the console is no console name (it became "c0123abc")
    assert "write its name, like #news" in refusal("<#C0123ABC|news>", "console")
    assert "write its name, like #news" in refusal("<#1234567890>", "console")
    assert "is not a channel I can post in" in refusal("training", "")  # a file imported from the command line


def test_the_example_after_training_add_works_on_the_platform_typed_on() -> None:
    for platform in ("slack", "discord", "teams", "console"):
        for example in channel_examples(platform).replace(", the id in the channel's link", "").split(", or "):
            if example.startswith("a channel picked"):
                continue
            assert read_channel(example, platform, here=None).platform == platform, example


# --- Slack, through the Slack adapter over HTTP ---------------------------------------------------------


@pytest.fixture(scope="module")
def slack_api() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


async def _runtime(tmp_path: Path, clock: FrozenClock, database_url: str, trainers: str, **extra: Any) -> Runtime:
    settings = training_settings(tmp_path, database_url, **extra)
    settings = settings.model_copy(update={"trainers": f"console:sam,{trainers}"})
    rt = await Runtime.create(settings, clock=clock, console_mode=True)
    if rt.ctx.db.is_postgres:
        from tests.conftest import _clean_postgres

        await _clean_postgres(rt.ctx.db)
    return rt


async def _added_on(bot: Bot, platform: str, user: str, channel: str) -> Reply:
    """`/training add` submitted on `platform`; the confirmation."""
    form = {"course": "neglect", "when": WHEN, "capacity": "2", "where": "Gun Wharf, Chatham", "trainer": ""}
    roles = bot.rt.roles.roles_for(platform, user)
    outcome = await bot.handle(
        Request(
            kind=RequestKind.SUBMIT,
            platform=platform,
            user_id=user,
            roles=roles,
            channel_id=channel,
            action_id="training:add",
            form=form,
        )
    )
    assert outcome.form_errors is None, outcome.form_errors
    [confirmation] = outcome.replies
    return confirmation


async def test_on_slack_a_name_is_refused_and_a_picked_channel_is_posted_and_edited_by_its_id(
    tmp_path: Path, clock: FrozenClock, database_url: str, slack_api: FakeSlack
) -> None:
    slack_api.reset()
    rt = await _runtime(
        tmp_path,
        clock,
        database_url,
        f"slack:{SLACK_TRAINER}",
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
    )
    bot = Bot(rt)
    adapter = SlackAdapter(
        rt, client=slack_api.client(), process_before_response=True, http_host="127.0.0.1", http_port=0,
        channel_interval=0.0, workspace_interval=0.0,
    )  # fmt: skip
    rt.add_adapter(adapter)
    await adapter.start()
    slack = SlackSender(adapter.events_url, SIGNING_SECRET)

    async def say(text: str) -> str:
        status, _, body = await slack.command("/training", text)
        assert status == 200
        return json.dumps(json.loads(body)) if body else ""

    try:
        added = (await _added_on(bot, "slack", SLACK_TRAINER, "C0GENERAL")).all_text()
        assert "e.g. a channel picked from the list as you type #, or slack:C0123ABC" in added
        assert "e.g. training" not in added
        session = max(await in_tx(rt.ctx.db, store.list_sessions), key=lambda s: s.id)

        for word in ("training", "#training"):
            said = await say(f"announce {session.id} {word}")
            assert PICK_FROM_THE_LIST in said and "Announcing" not in said
        assert await in_tx(rt.ctx.db, store.announcements, session.id) == []

        assert "Announcing session" in await say(f"announce {session.id} <#C0TRAIN|training>")
        await rt.tick()
        # The same channel by its id is the same channel: no second post.
        assert "already announced" in await say(f"announce {session.id} slack:C0TRAIN")
        [announcement] = await in_tx(rt.ctx.db, store.announcements, session.id)
        assert (announcement.platform, announcement.channel_id) == ("slack", "C0TRAIN") and announcement.message_id
        assert [c["channel"] for c in slack_api.calls_to("chat.postMessage") if not c.get("thread_ts")] == ["C0TRAIN"]

        await say(f"cancel {session.id} trainer unwell")
        await rt.tick()
        [update] = slack_api.calls_to("chat.update")
        assert (update["channel"], update["ts"]) == ("C0TRAIN", announcement.message_id)
        assert "This session has been cancelled." in json.dumps(update)
    finally:
        await slack.close()
        await adapter.stop()
        await rt.ctx.db.dispose()


# --- Discord, through the Discord adapter over the gateway -------------------------------------------


async def test_on_discord_a_name_is_refused_a_picked_channel_is_posted_and_a_bad_id_is_never_retried(
    tmp_path: Path,
    clock: FrozenClock,
    database_url: str,
    discord_fake: EditingDiscord,  # noqa: F811 - the imported fixture
    caplog: pytest.LogCaptureFixture,
) -> None:
    rt = await _runtime(
        tmp_path,
        clock,
        database_url,
        f"discord:{dp.ALICE_ID}",
        discord_token="test-discord-token-0123456789",
        discord_guild_id=dp.GUILD_ID,
    )
    bot = Bot(rt)
    adapter = DiscordAdapter(rt, ready_timeout=10, guild_ready_timeout=0.05)
    await adapter.start()
    rt.add_adapter(adapter)

    async def say(text: str) -> str:
        [callback] = await interact(discord_fake, dp.slash_command("training", text))
        return texts(callback.body["data"])

    try:
        added = (await _added_on(bot, "discord", str(dp.ALICE_ID), str(dp.CHANNEL_ID))).all_text()
        assert "e.g. a channel picked from the list as you type #, or discord:123456789012345678" in added
        session = max(await in_tx(rt.ctx.db, store.list_sessions), key=lambda s: s.id)

        said = await say(f"announce {session.id} training")
        assert PICK_FROM_THE_LIST in said and "discord:training" not in said
        assert await in_tx(rt.ctx.db, store.announcements, session.id) == []

        assert "Announcing session" in await say(f"announce {session.id} <#{dp.CHANNEL_ID}>")
        await rt.tick()
        [announcement] = await in_tx(rt.ctx.db, store.announcements, session.id)
        assert announcement.channel_id == str(dp.CHANNEL_ID) and announcement.message_id
        assert "already announced" in await say(f"announce {session.id} discord:{dp.CHANNEL_ID}")

        # A post to a channel kept by name (by an older version) fails for good, once, with a log line.
        now = clock.now()
        target = Target(kind="channel", channel_id="training").model_dump()
        payload = reply("Old post", public=True).model_dump(mode="json")
        row = NewMessage(key="old:named-channel", platform="discord", target=target, payload=payload, due_at=now)
        await in_tx(rt.ctx.db, outbox.enqueue, [row], now=now)
        worker = DeliveryWorker(rt.ctx, rt.adapters, name="posting-channels")
        with caplog.at_level(logging.WARNING):
            await worker.deliver_due()
        clock.advance(dt.timedelta(hours=1))
        await worker.deliver_due()
        async with rt.ctx.db.transaction() as tx:
            [old] = (await tx.scalars(select(OutboxMessage).where(OutboxMessage.key == "old:named-channel"))).all()
        assert (old.status, old.attempts) == ("failed", 1)
        assert "is not a number" in (old.error or "")
        assert any("Discord channel id 'training' is not a number" in r.getMessage() for r in caplog.records)
        assert not [c for c in discord_fake.calls if "training" in c.path]  # Discord was never asked
    finally:
        await adapter.stop()
        await rt.ctx.db.dispose()


# --- Teams, through the Teams adapter -------------------------------------------------------------------


@pytest.fixture
async def comms_wire(
    teams_fake: FakeTeams, tmp_path: Path, database_url: str, clock: FrozenClock
) -> AsyncIterator[TeamsWire]:
    settings = teams_settings(tmp_path, database_url, teams_fake, comms="teams:aad-alex")
    opened = await open_teams(teams_fake, settings, clock)
    if opened.rt.ctx.db.is_postgres:
        from tests.conftest import _clean_postgres

        await _clean_postgres(opened.rt.ctx.db)
    yield opened
    await opened.close()


def in_channel(text: str, *entities: dict[str, Any]) -> dict[str, Any]:
    bot = {"type": "mention", "text": "<at>sgbot</at>", "mentioned": {"id": BOT_ID, "name": "sgbot"}}
    return {"text": f"<at>sgbot</at> {text}", "entities": [bot, *entities]}


async def test_on_teams_bulletins_briefings_and_feeds_take_a_teams_channel_id(
    comms_wire: TeamsWire, teams_fake: FakeTeams, clock: FrozenClock
) -> None:
    async def said(text: str, *entities: dict[str, Any]) -> str:
        before = len(teams_fake.posts())
        status, _ = await comms_wire.send("message_channel_mention", **in_channel(text, *entities))
        assert status == 200
        return "\n".join(p.card_text() for p in teams_fake.posts()[before:])

    async with comms_wire.rt.ctx.db.transaction() as tx:
        bulletin = await bulletin_store.create(tx, title="March", body="News", by="teams:aad-alex", now=clock.now())

    scheduled = await said(f"bulletin schedule {bulletin.id} tomorrow 9am teams:{TEAMS_CHANNEL}")
    assert "will go to" in scheduled or "scheduled" in scheduled.lower(), scheduled
    kept = await in_tx(comms_wire.rt.ctx.db, bulletin_store.get, bulletin.id)
    assert kept is not None and kept.channels == [{"platform": "teams", "channel_id": TEAMS_CHANNEL}]

    # A channel picked as Teams offers it: the adapter writes its id, so it is the same channel.
    mention = {"type": "mention", "text": "<at>Announcements</at>",
               "mentioned": {"id": TEAMS_CHANNEL, "name": "Announcements", "type": "channel"}}  # fmt: skip
    again = await said(f"bulletin schedule {bulletin.id} tomorrow 9am <at>Announcements</at>", mention)
    assert "already going to" in again and "nothing changed" in again, again
    refused = await said(f"bulletin schedule {bulletin.id} tomorrow 9am #news")
    assert "Get link to channel" in refused and "list" not in refused

    briefed = await said(f"briefing schedule laura tomorrow 9am teams:{TEAMS_CHANNEL}")
    assert "is not a channel" not in briefed and "Get link" not in briefed, briefed


# --- the console ---------------------------------------------------------------------------------------


async def test_on_the_console_names_are_channels_in_any_case(
    tmp_path: Path, clock: FrozenClock, database_url: str
) -> None:
    rt = await _runtime(tmp_path, clock, database_url, "console:sam", comms="console:sam")
    bot = Bot(rt)
    try:
        session = await bot.add_session(WHEN)
        assert "Announcing session" in await bot.text(f"/training announce {session.id} Training")
        assert "already announced" in await bot.text(f"/training announce {session.id} training")
        for word in ("practice", "console:practice"):
            said = await bot.text(f"/briefing schedule laura tomorrow 9am {word} again")
            assert "is not a channel" not in said and "#practice" in said, said
    finally:
        await rt.ctx.db.dispose()
