"""The Teams adapter end to end: the real Teams SDK app on loopback, signed activities in,
the Bot Connector teams_fake recording what the bot posts."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.base import DeliveryError
from bot.adapters.teams.adapter import FORM_REFUSED, PRESS_ALREADY_ANSWERED
from core.clock import FrozenClock
from core.model import Target, reply
from storage import teams
from storage.db import Database
from tests import slack_feature
from tests.storage_support import claim_thread
from tests.teams_fake import TENANT_ID, FakeTeams
from tests.teams_wire import TeamsWire, open_teams, teams_settings

CHANNEL = "19:safeguarding@thread.tacv2"


async def test_threshold_in_personal_chat_is_answered_there(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    status, _ = await teams_wire.send("message_personal", text="threshold neglect")
    assert status == 200
    posts = teams_fake.posts()
    assert [p.conversation_id for p in posts] == ["a:1personalAlex"]
    assert "neglect" in posts[0].card_text().lower()


def slacktest_calls(teams_wire: TeamsWire) -> list[Any]:
    return list(slack_feature.log(teams_wire.rt.ctx)["calls"])


async def test_a_lookup_in_a_channel_is_answered_in_personal_chat_only(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    status, _ = await teams_wire.send("message_channel_mention", text="<at>sgbot</at> threshold neglect")
    assert status == 200
    created = teams_fake.conversations_created()
    assert len(created) == 1 and created[0].body["members"] == [{"id": "29:1practitionerA"}]
    assert created[0].body["channelData"] == {"tenant": {"id": TENANT_ID}}
    posts = teams_fake.posts()
    assert [p.conversation_id for p in posts] == ["a:personal-29:1practitionerA"]
    assert "neglect" in posts[0].card_text().lower()
    assert not [c for c in teams_fake.calls if c.conversation_id.startswith("19:")]  # nothing said in the channel

    # The personal chat is remembered: the next lookup does not open another.
    await teams_wire.send("message_channel_mention", text="<at>sgbot</at> threshold neglect")
    assert len(teams_fake.conversations_created()) == 1 and len(teams_fake.posts()) == 2


@pytest.mark.parametrize(
    ("fixture", "text"),
    [
        ("message_personal", "threshold neglect"),
        ("message_personal", "/threshold neglect"),
        ("message_group_chat", "<at>sgbot</at> threshold neglect"),
        ("message_group_chat", "<at>sgbot</at> /threshold neglect"),
        ("message_channel_mention", "<at>sgbot</at> threshold neglect"),
        # The bot's name typed as text, with no mention entity (outside audit i15 #3): Teams' name
        # for the bot (recipient.name), or the name the app package gives it, in any case.
        ("message_personal", "@sgbot threshold neglect"),
        ("message_personal", "@SGBot: /threshold neglect"),
        ("message_personal", "@mscp safeguarding bot threshold neglect"),
        ("message_group_chat", "<at>sgbot</at> @sgbot threshold neglect"),
    ],
)
async def test_every_way_of_asking_reaches_the_same_command(
    teams_wire: TeamsWire, teams_fake: FakeTeams, fixture: str, text: str
) -> None:
    await teams_wire.send(fixture, text=text)
    posts = teams_fake.posts()
    assert len(posts) == 1
    personal = posts[0].conversation_id.startswith("a:")
    assert personal  # every lookup is private
    reference = (await open_reference_answer(teams_wire, "message_personal", "threshold neglect")).card_text()
    assert posts[0].card_text() == reference


async def open_reference_answer(teams_wire: TeamsWire, fixture: str, text: str) -> Any:
    before = len(teams_wire.fake.posts())
    await teams_wire.send(fixture, text=text)
    return teams_wire.fake.posts()[before]


async def test_unknown_text_in_personal_chat_gets_the_help(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    await teams_wire.send("message_personal", text="hello there")
    text = teams_fake.posts()[0].card_text()
    assert "threshold" in text and "help" in text.lower()


async def test_a_public_reply_in_a_channel_goes_to_the_thread_it_was_asked_in(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    await teams_wire.send("message_channel_mention", text="<at>sgbot</at> echo hello all")
    posts = teams_fake.posts()
    assert [p.conversation_id for p in posts] == [f"{CHANNEL};messageid={posts[0].conversation_id.split('=')[-1]}"]
    assert "hello all" in posts[0].card_text()


async def post_rsvp_card_through_the_outbox(teams_wire: TeamsWire) -> Any:
    """The RSVP card of tests/slack_feature.py, posted to the channel as the bot's channel posts
    are (announcements, survey posts, briefings): through the outbox."""
    import datetime as dt

    from core.outbox import outgoing
    from storage import outbox

    await teams_wire.send("message_channel_mention", text="<at>sgbot</at> echo hello")  # the channel, known
    card = slack_feature.rsvp_card()
    now = teams_wire.rt.ctx.now()
    row = outgoing("test:rsvp-card", card, to=Target(kind="channel", platform="teams", channel_id=CHANNEL), due=now)
    async with teams_wire.rt.ctx.db.transaction() as tx:
        await outbox.enqueue(tx, [row], now=now - dt.timedelta(seconds=1))
    await teams_wire.rt.tick()
    return teams_wire.fake.posts(CHANNEL)[-1]


async def test_a_card_button_is_routed_and_the_card_updated_in_place(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    card_post = await post_rsvp_card_through_the_outbox(teams_wire)
    going = next(b for b in card_post.buttons() if b.get("title") == "Going")
    assert going["type"] == "Action.Submit" and going["data"] == {"sgbot": "slacktest:rsvp", "v": "s1-yes"}
    link = next(b for b in card_post.buttons() if b.get("title") == "Course page")
    assert link == {"type": "Action.OpenUrl", "title": "Course page", "url": "https://example.org/courses/neglect"}
    card_id = card_post.answered_id
    posts_before = len(teams_fake.posts())
    status, _ = await teams_wire.send(
        "card_submit",
        value=going["data"],
        replyToId=card_id,
        **{"conversation.id": f"{CHANNEL};messageid={card_id}"},
    )
    assert status == 200
    assert ("rsvp", "29:1practitionerA", "s1-yes", card_id) in slacktest_calls(teams_wire)
    updates = teams_fake.updates()
    assert len(updates) == 1 and updates[0].activity_id == card_id
    assert "1 going" in updates[0].card_text()
    assert len(teams_fake.posts()) == posts_before  # updated, not posted again


async def test_a_press_naming_another_message_of_the_bots_does_not_replace_it(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    # An outside audit: a press composed with replyToId set to the bot's post of the LADO's number
    # replaced that post with an RSVP count. Only a post carrying the pressed button is replaced.
    await post_rsvp_card_through_the_outbox(teams_wire)
    await teams_wire.send("message_channel_mention", text="<at>sgbot</at> echo IMPORTANT: the LADO number is 01234")
    lado = next(p for p in reversed(teams_fake.posts()) if "LADO" in p.card_text())
    status, _ = await teams_wire.send(
        "card_submit",
        value={"sgbot": "slacktest:rsvp", "v": "s1-yes"},
        replyToId=lado.answered_id,
        **{"conversation.id": f"{CHANNEL};messageid={lado.answered_id}"},
    )
    assert status == 200
    assert not [u for u in teams_fake.updates() if u.activity_id == lado.answered_id]
    assert "1 going" in teams_fake.posts()[-1].card_text()  # said anew, beside the LADO post
    # nor the RSVP card's own id named from another channel (a message id is unique only within
    # its conversation)
    card_id = next(p for p in teams_fake.posts(CHANNEL) if p.buttons()).answered_id
    other = "19:another@thread.tacv2"
    await teams_wire.send(
        "card_submit",
        value={"sgbot": "slacktest:rsvp", "v": "s1-yes"},
        replyToId=card_id,
        **{"conversation.id": f"{other};messageid={card_id}", "channelData.channel.id": other},
    )
    assert not [u for u in teams_fake.updates() if u.conversation_id.startswith(other)]


async def test_a_forged_button_value_is_refused_privately(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    await teams_wire.send("card_submit", value={"sgbot": "slacktest:rsvp", "v": "s1-maybe; drop"})
    assert not [c for c in slacktest_calls(teams_wire) if c[0] == "rsvp"]
    assert not teams_fake.updates()
    posts = teams_fake.posts()
    assert len(posts) == 1 and posts[0].conversation_id.startswith("a:")
    assert "not one I recognise" in posts[0].card_text()


async def test_an_execute_action_answers_with_the_updated_card(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    status, body = await teams_wire.send("invoke_adaptive_card_action")
    assert status == 200
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "1 going" in json.dumps(body["value"])
    assert not teams_fake.posts()


async def test_an_execute_action_sent_again_or_from_a_card_not_ours_says_so(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    """An outside audit: Teams sending a press again (its first answer lost) got "Done.", where a
    survey answer's own confirmation had been; a card that is not the bot's got "Done." too."""
    press = teams_wire.activity("invoke_adaptive_card_action")
    await teams_wire.teams.send(press)
    status, again = await teams_wire.teams.send(press)  # the same activity id
    assert status == 200 and again["value"] == PRESS_ALREADY_ANSWERED
    assert len([c for c in slacktest_calls(teams_wire) if c[0] == "rsvp"]) == 1
    status, foreign = await teams_wire.send(
        "invoke_adaptive_card_action", id="another-press", **{"value.action.data": {"someone": "else"}}
    )
    assert status == 200 and "not one I recognise" in foreign["value"]


async def test_a_dialog_shows_a_field_error_then_is_accepted(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    await teams_wire.send("message_personal", text="feedback")
    opener = teams_fake.posts()[0]
    (button,) = opener.buttons()
    assert button["title"] == "Open the form" and button["data"]["msteams"] == {"type": "task/fetch"}

    status, opened = await teams_wire.send("invoke_task_fetch", **{"value.data": button["data"]})
    assert status == 200 and opened["task"]["type"] == "continue"
    dialog = opened["task"]["value"]
    assert dialog["title"].startswith("Feedback on the neglect")
    inputs = {i["id"]: i for i in dialog["card"]["content"]["body"] if i["type"].startswith("Input.")}
    assert inputs["comment"]["isMultiline"] is True and inputs["rating"]["type"] == "Input.ChoiceSet"
    hidden = dialog["card"]["content"]["actions"][0]["data"]

    status, refused = await teams_wire.send("invoke_task_submit", **{"value.data": {**hidden, "comment": " "}})
    assert status == 200 and refused["task"]["type"] == "continue"
    shown = json.dumps(refused["task"]["value"]["card"])
    assert "Write a sentence about what you will do differently." in shown
    assert not slack_feature.log(teams_wire.rt.ctx)["feedback"]

    hidden = refused["task"]["value"]["card"]["content"]["actions"][0]["data"]
    status, closed = await teams_wire.send(
        "invoke_task_submit", **{"value.data": {**hidden, "comment": "Check the chronology", "rating": "good"}}
    )
    assert status == 200 and closed is None  # an empty answer closes the dialog
    assert slack_feature.log(teams_wire.rt.ctx)["feedback"] == [("s1", "Check the chronology", "good")]
    assert "Thank you" in teams_fake.posts()[-1].card_text()


async def test_a_dialog_whose_form_was_tampered_with_is_refused(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    await teams_wire.send("message_personal", text="feedback")
    data = teams_fake.posts()[0].buttons()[0]["data"]
    data["sgbot_form"]["form"]["action_id"] = "slacktest:rsvp"
    status, body = await teams_wire.send("invoke_task_fetch", **{"value.data": data})
    assert status == 200 and body["task"]["type"] == "message"
    status, body = await teams_wire.send("invoke_task_submit", **{"value.data": {**data, "comment": "x"}})
    assert body["task"]["type"] == "message"
    assert not [c for c in slacktest_calls(teams_wire) if c[0] in ("rsvp", "feedback")]


@pytest.mark.parametrize("name", ["invoke_task_fetch", "invoke_task_submit"])
@pytest.mark.parametrize("sig", ["0" * 64, "é"])
async def test_a_dialog_with_a_forged_signature_is_refused_politely_whatever_its_characters(
    teams_wire: TeamsWire, caplog: pytest.LogCaptureFixture, name: str, sig: str
) -> None:
    """A signature that is not ASCII got 500 and a traceback (outside audit hostile3 #3)."""
    forged = {"sgbot_form": {"sig": sig, "form": {}, "c": "", "k": "", "u": ""}}
    status, body = await teams_wire.send(name, **{"value.data": forged})
    assert status == 200 and body == {"task": {"type": "message", "value": FORM_REFUSED}}
    assert not [r for r in caplog.records if r.exc_info]


async def test_a_form_opened_for_one_person_is_refused_to_anyone_else(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    """Alex's form, its signed data copied to Bea (outside audit i15 #2): Bea can neither open
    it nor send it; nothing is saved under her name and nothing reaches Alex's chat."""
    await teams_wire.send("message_personal", text="feedback")  # Alex, in his personal chat
    data = teams_fake.posts()[0].buttons()[0]["data"]
    bea = {"from.id": "29:1practitionerB", "from.aadObjectId": "aad-bea", "conversation.id": "a:1personalBea"}

    status, opened = await teams_wire.send("invoke_task_fetch", **{"value.data": data}, **bea)
    assert status == 200 and opened == {"task": {"type": "message", "value": FORM_REFUSED}}
    status, sent = await teams_wire.send(
        "invoke_task_submit", **{"value.data": {**data, "comment": "by Bea", "rating": "good"}}, **bea
    )
    assert status == 200 and sent == {"task": {"type": "message", "value": FORM_REFUSED}}
    assert not slack_feature.log(teams_wire.rt.ctx)["feedback"]
    assert len(teams_fake.posts()) == 1  # only the form's card Alex asked for; nothing to him or to Bea

    # Alex himself still sends it.
    status, closed = await teams_wire.send(
        "invoke_task_submit", **{"value.data": {**data, "comment": "by Alex", "rating": "good"}}
    )
    assert status == 200 and closed is None
    assert slack_feature.log(teams_wire.rt.ctx)["feedback"] == [("s1", "by Alex", "good")]


async def test_a_reply_in_a_thread_reaches_the_feature_that_owns_it(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    root = "1700000000001"
    await claim_thread(teams_wire.rt.ctx, "teams", CHANNEL, root, feature="slacktest", ref="s1")
    status, _ = await teams_wire.send("message_thread_reply", text="<at>sgbot</at> It helped me plan a home visit")
    assert status == 200
    assert ("thread", "s1", "It helped me plan a home visit", root) in slacktest_calls(teams_wire)
    posts = teams_fake.posts()
    assert len(posts) == 1 and posts[0].conversation_id.startswith("a:")  # the acknowledgement is private
    assert "Noted your reply for session s1" in posts[0].card_text()


async def test_a_reply_in_an_owned_thread_is_the_features_even_when_it_starts_with_a_command_name(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    """As on Slack and Discord, a reply in a thread a feature owns is that feature's; only a slash
    makes it a command there (outside audit hostile M4)."""
    root = "1700000000001"
    await claim_thread(teams_wire.rt.ctx, "teams", CHANNEL, root, feature="slacktest", ref="s1")
    await teams_wire.send("message_thread_reply", text="<at>sgbot</at> echo was the best part")
    assert slacktest_calls(teams_wire) == [("thread", "s1", "echo was the best part", root)]
    await teams_wire.send("message_thread_reply", text="<at>sgbot</at> /echo hello all")
    assert slacktest_calls(teams_wire)[1:] == [("echo", "hello all")]

    # In a thread nobody owns, a mentioned command name is still the command.
    other = {"conversation.id": f"{CHANNEL};messageid=1700000000002", "replyToId": "1700000000002"}
    await teams_wire.send("message_thread_reply", text="<at>sgbot</at> echo hello again", **other)
    assert slacktest_calls(teams_wire)[2:] == [("echo", "hello again")]


async def test_said_to_the_bot_in_a_thread_nobody_owns_is_answered_privately_as_at_the_top(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    """An outside audit: "@sgbot hello" as a reply in a channel thread got no answer at all, where
    at the top of the channel it gets the "did you mean" privately. Unmentioned talk in such a
    thread is still left alone (the test below)."""
    status, _ = await teams_wire.send("message_thread_reply", text="<at>sgbot</at> just chatting")
    assert status == 200
    assert not slacktest_calls(teams_wire)
    [answer] = teams_fake.posts()
    assert answer.conversation_id.startswith("a:") and ";messageid=" not in answer.conversation_id  # personal chat
    assert "just" in answer.card_text()


async def test_an_unmentioned_reply_in_a_claimed_thread_is_recorded_as_an_answer(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    """With ChannelMessage.Read.Group Teams sends channel messages that name no one; a reply in a
    thread a feature claimed (a survey's post) is that feature's answer, as on Slack."""
    root = "1700000000001"
    await claim_thread(teams_wire.rt.ctx, "teams", CHANNEL, root, feature="slacktest", ref="s1")
    status, _ = await teams_wire.send("message_thread_reply", text="It helped me plan a home visit", entities=[])
    assert status == 200
    assert ("thread", "s1", "It helped me plan a home visit", root) in slacktest_calls(teams_wire)
    assert len(teams_fake.posts()) == 1 and "Noted your reply for session s1" in teams_fake.posts()[0].card_text()


async def test_unmentioned_chatter_in_a_channel_or_an_unclaimed_thread_has_no_reply_and_no_effect(
    teams_wire: TeamsWire, teams_fake: FakeTeams, caplog: pytest.LogCaptureFixture
) -> None:
    db = teams_wire.rt.ctx.db
    async with db.transaction() as tx:
        before = await _row_counts(tx)
    caplog.set_level("DEBUG")
    top_level = {"conversation.id": CHANNEL, "entities": [], "replyToId": None}
    for words in ("threshold neglect", "/shrug", "echo hello", "anyone free for lunch?", "/ threshold neglect"):
        status, _ = await teams_wire.send("message_thread_reply", text=words, **top_level)  # a new post in the channel
        assert status == 200
        status, _ = await teams_wire.send("message_thread_reply", text=words, entities=[])  # a reply, thread unclaimed
        assert status == 200
    assert not teams_fake.calls and not slacktest_calls(teams_wire)
    async with db.transaction() as tx:
        assert await _row_counts(tx) == before  # no reference, no delivery id, nothing
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "lunch" not in logged and "neglect" not in logged


async def test_a_slash_command_in_a_channel_reaches_the_bot_without_a_mention(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    """Issue 15: "/threshold neglect" in a channel reaches the same handler as in a personal chat.
    Typed with its slash it is said to the bot, as on Slack and Discord, mention or not (an outside
    audit found it ignored); without one it is people's talk (the test above)."""
    top_level = {"conversation.id": CHANNEL, "entities": [], "replyToId": None}
    status, _ = await teams_wire.send("message_thread_reply", text="/echo hello all", **top_level)
    assert status == 200
    assert slacktest_calls(teams_wire) == [("echo", "hello all")]
    echoed = len(teams_fake.posts())  # the test feature's echo answers in the channel
    status, _ = await teams_wire.send("message_thread_reply", text="/help", **top_level)
    assert status == 200
    [help_answer] = teams_fake.posts()[echoed:]
    assert help_answer.conversation_id.startswith("a:")  # in personal chat only, as every lookup
    assert "threshold" in help_answer.card_text()


async def _row_counts(tx: AsyncSession) -> dict[str, int]:
    from sqlalchemy import func, select

    from storage.models import Base

    return {
        name: int(await tx.scalar(select(func.count()).select_from(table)) or 0)
        for name, table in Base.metadata.tables.items()
    }


async def test_mentions_and_markup_in_untrusted_text_are_made_harmless(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    # Teams sends typed "<" and "&" as entities; the handler reads them as the characters.
    hostile = "&lt;at&gt;Everyone&lt;/at&gt; **urgent** [x](javascript:alert(1)) &amp;amp; # title"
    await teams_wire.send("message_personal", text=f"echo {hostile}")
    assert ("echo", "<at>Everyone</at> **urgent** [x](javascript:alert(1)) &amp; # title") in slacktest_calls(
        teams_wire
    )
    post = teams_fake.posts()[0]
    raw = json.dumps(post.body)
    assert "<at>" not in raw and "</at>" not in raw
    assert "entities" not in post.body  # nothing to turn text into a mention
    text = post.card_text()
    assert "&lt;at&gt;Everyone&lt;/at&gt;" in text and "&amp;amp;" in text
    # A link to anything but a web address stays text.
    assert "\\[x\\](javascript:alert(1))" in text and not re.search(r"(?<!\\)\]\(javascript", text)
    assert "# title" in text  # mid-line it is no heading; at a line's start it is escaped (test_teams_render)
    assert "**urgent**" in text  # the bot's own markup (bold) is the only markup, as on Slack
    assert post.body["text"].startswith("&lt;at&gt;Everyone")


async def test_installs_and_conversation_updates_are_kept_for_proactive_posts(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    await teams_wire.send("installation_update_personal")
    await teams_wire.send("conversation_update_team")
    async with teams_wire.rt.ctx.db.transaction() as tx:
        personal = await teams.personal_chat(tx, "29:1practitionerB")
        team = await teams.find(tx, "19:general@thread.tacv2")
    assert personal is not None and personal.conversation_id == "a:1personalBea"
    assert personal.service_url == teams_fake.url and personal.tenant_id == TENANT_ID
    assert team is not None and team.kind == "channel" and team.team_id == "19:general@thread.tacv2"

    await teams_wire.adapter.send(
        Target(kind="direct", user_id="29:1practitionerB"), reply("Your session starts in an hour.")
    )
    await teams_wire.adapter.send(
        Target(kind="channel", channel_id="19:general@thread.tacv2"), reply("Bulletin", public=True)
    )
    # the install's welcome, then the two posts
    assert [p.conversation_id for p in teams_fake.posts()] == ["a:1personalBea"] * 2 + ["19:general@thread.tacv2"]
    assert not teams_fake.conversations_created()  # the stored personal chat was used
    assert teams_fake.tokens_issued == 1  # the bot's token is reused until it nears its expiry


async def test_a_removed_install_is_forgotten(teams_wire: TeamsWire) -> None:
    await teams_wire.send("installation_update_personal")
    await teams_wire.send("installation_update_personal", action="remove")
    async with teams_wire.rt.ctx.db.transaction() as tx:
        assert await teams.personal_chat(tx, "29:1practitionerB") is None


async def test_an_app_upgrade_is_accepted_and_keeps_the_conversation_for_posts(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    """Teams' add-upgrade and remove-upgrade were refused with 400 (outside audit hostile L4)."""
    await teams_wire.send("installation_update_personal", serviceUrl="https://smba.trafficmanager.net/old/")
    assert await teams_wire.send("installation_update_add_upgrade") == (200, None)
    async with teams_wire.rt.ctx.db.transaction() as tx:
        personal = await teams.personal_chat(tx, "29:1practitionerB")
    assert personal is not None and personal.service_url == teams_fake.url  # refreshed by the upgrade

    assert await teams_wire.send("installation_update_remove_upgrade") == (200, None)
    async with teams_wire.rt.ctx.db.transaction() as tx:
        assert await teams.personal_chat(tx, "29:1practitionerB") == personal  # an upgrade is no uninstall
    await teams_wire.adapter.send(Target(kind="direct", user_id="29:1practitionerB"), reply("Still here."))
    # the post alone: the upgrade says nothing (the first install's welcome went to the old address)
    assert [p.conversation_id for p in teams_fake.posts()] == ["a:1personalBea"]


async def test_a_post_into_a_thread_uses_the_threads_conversation(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    target = Target(kind="thread", channel_id=CHANNEL, thread_id="1700000000009")
    await teams_wire.adapter.send(target, reply("Survey question", public=True))
    assert teams_fake.posts()[0].conversation_id == f"{CHANNEL};messageid=1700000000009"


async def test_a_thread_post_in_a_group_chat_goes_into_the_chat(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    """An outside audit: a survey for a session announced in a group chat went to
    "19:groupchat@thread.v2;messageid=m1"; group chats have no threads (microsoft/teams.py #389)."""
    status, _ = await teams_wire.send("message_group_chat", text="<at>sgbot</at> help")  # the chat is stored
    assert status == 200
    posted_before = len(teams_fake.posts())
    await teams_wire.adapter.send(
        Target(kind="thread", channel_id="19:groupchat@thread.v2", thread_id="1700000000009"),
        reply("How was the course?", public=True),
    )
    assert teams_fake.posts()[posted_before].conversation_id == "19:groupchat@thread.v2"


async def test_an_edit_goes_through_the_outbox_as_a_put(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    target = Target(kind="thread", channel_id=CHANNEL, thread_id="1700000000009")
    edited = reply("Cancelled", public=True, replace_original=True)
    assert await teams_wire.adapter.send(target, edited) == "1700000000009"
    assert teams_fake.updates()[0].conversation_id == CHANNEL and teams_fake.updates()[0].activity_id == "1700000000009"


async def test_throttling_and_refusals_become_delivery_errors(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    teams_fake.fail_next = [429]
    with pytest.raises(DeliveryError) as throttled:
        await teams_wire.adapter.send(Target(kind="channel", channel_id=CHANNEL), reply("x", public=True))
    assert not throttled.value.permanent
    teams_fake.fail_next = [403]
    with pytest.raises(DeliveryError) as refused:
        await teams_wire.adapter.send(Target(kind="channel", channel_id=CHANNEL), reply("x", public=True))
    assert refused.value.permanent


async def test_when_teams_refuses_a_personal_chat_the_channel_is_told_so_and_nothing_more(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    teams_fake.fail_next = [403]  # POST /v3/conversations refused
    await teams_wire.send("message_channel_mention", text="<at>sgbot</at> threshold neglect")
    [note] = teams_fake.posts()
    assert note.conversation_id.startswith(CHANNEL) and "couldn't send you my answer privately" in note.card_text()
    assert "neglect" not in note.card_text().lower()


async def test_roles_come_from_settings_by_entra_object_id(
    teams_fake: FakeTeams, tmp_path: Path, database_url: str, db: Database, clock: FrozenClock
) -> None:
    settings = teams_settings(tmp_path, database_url, teams_fake, trainers="teams:aad-alex")
    opened = await open_teams(teams_fake, settings, clock)
    try:
        await opened.send("message_personal", text="publish")
        await opened.send("message_personal", text="publish", **{"from.aadObjectId": "aad-someone-else"})
    finally:
        await opened.close()
    assert [c for c in slack_feature.log(opened.rt.ctx)["calls"] if c[0] == "publish"] == [
        ("publish", "29:1practitionerA")
    ]
    assert "Only trainers" in teams_fake.posts()[-1].card_text()


async def test_a_select_sends_the_chosen_option_to_its_action(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    from core.model import Option, Select

    picker = reply(
        Select(
            action_id="slacktest:rsvp",
            placeholder="Are you going?",
            options=[Option(label="Yes", value="s1-yes"), Option(label="No", value="s1-no")],
        ),
        public=True,
    )
    await teams_wire.adapter.send(Target(kind="channel", channel_id=CHANNEL), picker)
    card = teams_fake.posts()[0].card
    assert card is not None
    [choices, actions] = card["body"]
    data = {**actions["actions"][0]["data"], choices["id"]: "s1-yes"}  # Teams merges the input's value in
    await teams_wire.send("card_submit", value=data)
    assert [c[:3] for c in slacktest_calls(teams_wire)] == [("rsvp", "29:1practitionerA", "s1-yes")]


async def test_a_cached_reference_gone_stale_on_another_replica_is_read_again_and_the_post_tried_once_more(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    await teams_wire.send("message_channel_mention", text="<at>sgbot</at> hello")  # stored and cached
    poster = teams_wire.adapter.poster
    stored = await poster.reference(CHANNEL)
    assert stored.service_url == teams_fake.url
    # This replica still holds an older service URL; another replica has stored the new one.
    poster.learned(replace(stored, service_url="http://127.0.0.1:9/"))
    before = len(teams_fake.posts())
    await teams_wire.adapter.send(Target(kind="channel", channel_id=CHANNEL), reply("Bulletin", public=True))
    assert [p.conversation_id for p in teams_fake.posts()[before:]] == [CHANNEL]
    assert (await poster.reference(CHANNEL)).service_url == teams_fake.url


async def test_an_install_after_a_removal_another_replica_saw_is_stored_again(
    teams_fake: FakeTeams, tmp_path: Path, database_url: str, db: Database, clock: FrozenClock
) -> None:
    """Replica A cached Bea's chat; B saw the app removed and deleted the row; A then saw it added
    again and, its cache saying stored, stored nothing (outside audit, issue #15)."""
    a = await open_teams(teams_fake, teams_settings(tmp_path / "a", database_url, teams_fake), clock)
    b = await open_teams(teams_fake, teams_settings(tmp_path / "b", database_url, teams_fake), clock)
    try:
        assert (await a.send("installation_update_personal"))[0] == 200
        assert (await b.send("installation_update_personal", action="remove"))[0] == 200
        assert (await a.send("installation_update_personal"))[0] == 200
        async with a.rt.ctx.db.transaction() as tx:
            assert await teams.personal_chat(tx, "29:1practitionerB") is not None
        await b.adapter.send(Target(kind="direct", user_id="29:1practitionerB"), reply("Welcome back"))
        # a welcome for each install (the second is a new install after the removal), then the post
        assert [p.conversation_id for p in teams_fake.posts()] == ["a:1personalBea"] * 3
    finally:
        await a.close()
        await b.close()


def test_a_bot_name_too_long_to_be_one_is_not_looked_for() -> None:
    # an outside audit: recipient.name of 220,000 characters became one pattern, 1.4 s on the loop
    from bot.adapters.teams import inbound

    huge = {"text": "@" + "a" * 50 + " echo x", "recipient": {"name": "a " * 110_000}}
    assert inbound.message_text(huge) == huge["text"]
    usual = {"text": "@sgbot echo x", "recipient": {"name": "sgbot"}}
    assert inbound.message_text(usual) == "echo x"


async def test_an_install_in_a_personal_chat_is_welcomed_with_the_help_once(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    """Microsoft's guidance for a bot: say hello when installed. The help, in the personal chat,
    once: not again for the same install redelivered, an upgrade, or the team's conversationUpdate."""
    await teams_wire.send("installation_update_personal", id="f:1485983408605")
    await teams_wire.send("installation_update_personal", id="f:1485983408605")  # redelivered
    await teams_wire.send("installation_update_add_upgrade")
    await teams_wire.send("conversation_update_team")
    posts = teams_fake.posts()
    assert [p.conversation_id for p in posts] == ["a:1personalBea"]
    assert "/threshold" in posts[0].card_text()
