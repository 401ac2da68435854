"""A survey's copy in a thread invites replies there only where the bot reads them: a channel
thread on Slack, Teams and in the console, and on Discord with DISCORD_THREAD_REPLIES; never in a
Teams group chat (it has no threads, so its copy goes into the chat itself) nor on Discord without
that setting, where a delegate's reply would have been read by nobody."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.adapters.base import with_reply_hint
from bot.adapters.console.adapter import ConsoleAdapter
from bot.adapters.discord.adapter import DiscordAdapter
from core.model import Caption, Reply, Target, reply
from handlers import surveys
from tests import discord_payloads as p
from tests.discord_fake import FakeDiscord
from tests.surveys_support import seed_session
from tests.teams_fake import FakeTeams
from tests.teams_wire import TeamsWire
from tests.test_discord_adapter import bot as bot  # noqa: F401 - the fixtures
from tests.test_discord_adapter import fake as fake  # noqa: F401
from tests.test_discord_adapter import runtime as runtime  # noqa: F401
from tests.test_discord_adapter import texts

HINT = "You can also add a comment by replying in this thread."


def survey_copy() -> Reply:
    posted = reply("How was the course? Use the button to add a comment.", public=True)
    posted.reply_hint = HINT
    return posted


async def test_a_survey_posted_in_a_teams_channel_thread_asks_for_replies_there(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    channel = "19:safeguarding@thread.tacv2"
    await seed_session(teams_wire.rt, attendees=["29:1practitionerA"], announced_in=channel, platform="teams")
    await surveys.survey_rounds(teams_wire.rt.ctx)
    await teams_wire.rt.tick()  # the delivery worker posts the survey's copies
    in_thread = [post for post in teams_fake.posts() if post.conversation_id.startswith(f"{channel};messageid=")]
    assert in_thread and HINT in in_thread[0].card_text()
    direct = [post for post in teams_fake.posts() if not post.conversation_id.startswith(channel)]
    assert direct and all("replying" not in post.card_text() for post in direct)


def test_the_hint_is_a_last_caption_where_replies_are_read_and_nothing_elsewhere() -> None:
    shown = with_reply_hint(survey_copy(), True)
    assert shown.blocks[-1] == Caption(text=HINT) and not shown.reply_hint
    hidden = with_reply_hint(survey_copy(), False)
    assert hidden.blocks == survey_copy().blocks and not hidden.reply_hint


async def test_teams_a_channel_threads_copy_invites_replies_and_a_group_chats_does_not(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    status, _ = await teams_wire.send("message_group_chat", text="<at>sgbot</at> help")  # the chat is stored
    assert status == 200
    before = len(teams_fake.posts())
    channel = "19:safeguarding@thread.tacv2"
    await teams_wire.adapter.send(Target(kind="thread", channel_id=channel, thread_id="1700000000009"), survey_copy())
    group = Target(kind="thread", channel_id="19:groupchat@thread.v2", thread_id="1700000000010")
    await teams_wire.adapter.send(group, survey_copy())
    in_channel, in_group = teams_fake.posts()[before:]
    assert HINT in in_channel.card_text()
    assert in_group.conversation_id == "19:groupchat@thread.v2"
    assert "replying" not in in_group.card_text() and "Use the button" in in_group.card_text()


@pytest.mark.parametrize("reads_thread_replies", [True, False])
async def test_discord_a_threads_copy_invites_replies_only_with_thread_replies_on(
    bot: DiscordAdapter,  # noqa: F811 - the fixture imported above
    fake: FakeDiscord,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    reads_thread_replies: bool,
) -> None:
    monkeypatch.setattr(bot.settings, "discord_thread_replies", reads_thread_replies)
    announcement = await bot.send(Target(kind="channel", channel_id=str(p.CHANNEL_ID)), reply("Course", public=True))
    await bot.send(Target(kind="thread", channel_id=str(p.CHANNEL_ID), thread_id=announcement), survey_copy())
    posted = fake.calls_to("POST", rf"/channels/{announcement}/messages")[-1]
    assert (HINT in texts(posted.body)) is reads_thread_replies
    assert "Use the button" in texts(posted.body)


async def test_the_console_shows_the_hint_in_a_thread_and_not_in_a_channel(tmp_path: Path) -> None:
    screen = io.StringIO()
    console = ConsoleAdapter(screen, tmp_path / "console-files")
    await console.send(Target(kind="channel", channel_id="training"), survey_copy())
    assert HINT not in screen.getvalue()
    await console.send(Target(kind="thread", channel_id="training", thread_id="1"), survey_copy())
    assert HINT in screen.getvalue()
