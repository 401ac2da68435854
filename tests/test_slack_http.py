"""The Slack adapter end to end over HTTP: the real AsyncApp on 127.0.0.1 receiving signed
requests, the real AsyncWebClient posting to a local fake of Slack's Web API."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.base import DeliveryError
from bot.adapters.slack.web import Pacer
from core.clock import FrozenClock
from core.model import Reply, Target, Text, reply
from storage import outbox
from storage.db import Database
from storage.models import OutboxMessage
from tests import slack_feature
from tests.fake_slack import FakeSlack, ManualClock, button_click, modal_submission, payload, thread_reply
from tests.slack_wire import Wire, open_wire, slack_settings
from tests.storage_support import claim_thread, in_tx


@pytest.fixture
def fake(fake_server: FakeSlack) -> FakeSlack:
    fake_server.reset(groups={"safeguarding-trainers": ["U0TRAINER"], "everyone-else": ["U0OTHER"]})
    return fake_server


@pytest.fixture
async def wire(
    fake: FakeSlack, tmp_path: Path, db: Database, database_url: str, clock: FrozenClock
) -> AsyncIterator[Wire]:
    settings = slack_settings(tmp_path, database_url, slack_role_groups="safeguarding-trainers=trainer")
    opened = await open_wire(fake, settings, clock)
    yield opened
    await opened.close()


def all_text(data: object) -> str:
    return json.dumps(data)


# --- slash commands ----------------------------------------------------------------------------


async def test_help_is_answered_privately_in_the_acknowledgement(wire: Wire) -> None:
    status, content_type, body = await wire.slack.command("/help")
    assert status == 200 and content_type == "application/json"
    answer = json.loads(body)
    assert answer["response_type"] == "ephemeral"
    shown = all_text(answer["blocks"])
    assert "/help" in shown and "/echo" in shown and "/rsvp" in shown
    assert answer["blocks"][0]["type"] == "header"
    assert answer["text"]  # a plain fallback for notifications
    assert wire.fake.calls_to("chat.postMessage") == []  # nothing public


async def test_threshold_is_answered_privately_with_the_emergency_route(wire: Wire) -> None:
    status, _, body = await wire.slack.command("/threshold", "neglect")
    assert status == 200
    answer = json.loads(body)
    assert answer["response_type"] == "ephemeral"  # lookups are private
    shown = all_text(answer["blocks"])
    assert "Neglect" in shown and "Level" in shown
    assert "999" in shown  # the emergency route is always in sight
    assert answer["text"] == "Levels of need"
    assert len(answer["blocks"]) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in answer["blocks"] if b["type"] == "section" and "text" in b)
    assert wire.fake.calls_to("chat.postMessage") == []


async def test_help_for_one_command_gives_its_usage(wire: Wire) -> None:
    _, _, body = await wire.slack.command("/help", "echo")
    assert "*Usage:* /echo TEXT" in all_text(json.loads(body)["blocks"])


async def test_an_unknown_command_suggests_the_closest(wire: Wire) -> None:
    _, _, body = await wire.slack.command("/ecko")
    assert "Did you mean /echo" in all_text(json.loads(body))


async def test_a_public_reply_goes_to_the_channel(wire: Wire) -> None:
    _, _, body = await wire.slack.command("/echo", "Training is full")
    answer = json.loads(body)
    assert answer["response_type"] == "in_channel"
    assert answer["blocks"][0]["text"]["text"] == "Training is full"
    assert wire.calls == [("echo", "Training is full")]


async def test_untrusted_text_cannot_ping_anyone_or_forge_links(wire: Wire) -> None:
    hostile = "<!channel> <!everyone> <!here> @channel @everyone <@U0BOSS> <https://evil.example|click> & co"
    _, _, body = await wire.slack.command("/echo", hostile)
    answer = json.loads(body)
    section = answer["blocks"][0]["text"]
    assert section["type"] == "mrkdwn" and section["verbatim"] is True  # Slack parses no mentions itself
    shown = section["text"]
    assert shown.startswith("&lt;!channel&gt; &lt;!everyone&gt; &lt;!here&gt; @channel @everyone &lt;@U0BOSS&gt;")
    assert "|click&gt; &amp; co" in shown  # a bare URL may become a link, never one with a made-up label
    assert "<!" not in body and "<@" not in body and "|click>" not in body
    assert "<!" not in answer["text"]  # the notification text too
    assert "link_names" not in body


async def test_command_text_arrives_as_typed_with_channel_mentions_kept(wire: Wire) -> None:
    # Slack escapes &, < and > in what people type, and sends a picked channel as <#C…|name>.
    await wire.slack.command("/echo", "Tom &amp; Jerry &lt;3 in <#C0NEWS|news>")
    assert wire.calls == [("echo", "Tom & Jerry <3 in <#C0NEWS|news>")]


async def test_a_slow_command_is_acknowledged_at_once_and_answered_after(
    fake: FakeSlack, tmp_path: Path, db: Database, database_url: str, clock: FrozenClock
) -> None:
    # The production set-up: work after the acknowledgement runs in the background.
    wire = await open_wire(
        fake, slack_settings(tmp_path, database_url), clock, process_before_response=False, ack_budget=0.05
    )
    try:
        status, _, body = await wire.slack.command("/slow", response_url=fake.response_url("slow"))
        assert status == 200 and body == ""  # acknowledged empty while the handler is still waiting
        assert wire.calls == [] and fake.calls_to("response_url") == []
        slack_feature.gate(wire.rt.ctx).set()
        await wire.adapter.drain()
        [answer] = fake.calls_to("response_url")
        assert answer["response_type"] == "ephemeral" and "Done, after a while." in all_text(answer["blocks"])
        assert wire.calls == [("slow", "")]
    finally:
        await wire.close()


async def test_in_production_a_click_is_acknowledged_before_its_handler_runs(
    fake: FakeSlack, tmp_path: Path, db: Database, database_url: str, clock: FrozenClock
) -> None:
    wire = await open_wire(fake, slack_settings(tmp_path, database_url), clock, process_before_response=False)
    try:
        click = button_click("slacktest:rsvp#0", "s1-yes", response_url=fake.response_url("bg"), trigger_id="bg1")
        status, _, body = await wire.slack.interaction(click)
        assert status == 200 and body == ""
        await wire.adapter.drain()
        assert wire.calls == [("rsvp", "U0PRACT01", "s1-yes", "1772442000.000100")]
        [update] = fake.calls_to("response_url")
        assert update["replace_original"] is True and "1 going" in all_text(update["blocks"])
    finally:
        await wire.close()


async def test_a_handler_failure_gives_the_person_an_error_id(wire: Wire) -> None:
    _, _, body = await wire.slack.command("/fail")
    assert "something went wrong on our side (error id " in all_text(json.loads(body))


async def test_a_file_is_uploaded_to_the_persons_direct_messages(wire: Wire) -> None:
    status, _, body = await wire.slack.command("/calendar", response_url=wire.fake.response_url("cal"))
    assert status == 200 and body == ""
    [answer] = wire.fake.calls_to("response_url")
    assert "Here is the session for your calendar." in all_text(answer["blocks"])
    assert wire.fake.calls_to("conversations.open") == [{"users": "U0PRACT01"}]
    [complete] = wire.fake.calls_to("files.completeUploadExternal")
    assert complete["channel_id"] == "DU0PRACT01"
    assert json.loads(complete["files"])[0]["title"] == "neglect-awareness.ics"
    [upload] = wire.fake.calls_to("upload")
    assert upload["bytes"] == len("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")


async def test_a_local_image_is_uploaded_into_the_channel_it_answers(wire: Wire) -> None:
    status, _, body = await wire.slack.command("/chart", response_url=wire.fake.response_url("chart"))
    assert status == 200 and body == ""
    [answer] = wire.fake.calls_to("response_url")
    assert answer["response_type"] == "in_channel" and "Confidence before and after" in all_text(answer["blocks"])
    [url] = wire.fake.calls_to("files.getUploadURLExternal")
    assert url["filename"] == "chart.png" and url["alt_txt"] == "Confidence chart"
    [complete] = wire.fake.calls_to("files.completeUploadExternal")
    assert complete["channel_id"] == "C0GENERAL"
    assert wire.fake.calls_to("upload")[0]["bytes"] == 208
    assert wire.fake.calls_to("conversations.open") == []  # public: no direct message needed


# --- buttons --------------------------------------------------------------------------------------


async def test_a_button_click_reaches_its_handler_and_updates_the_original_message(wire: Wire) -> None:
    _, _, body = await wire.slack.command("/rsvp")
    buttons = json.loads(body)["blocks"][1]["elements"]
    going = buttons[0]
    assert (going["action_id"], going["value"], going["style"]) == ("slacktest:rsvp#0", "s1-yes", "primary")
    assert buttons[2]["url"] == "https://example.org/courses/neglect"

    click = button_click(going["action_id"], going["value"], response_url=wire.fake.response_url("b1"), trigger_id="t1")
    status, _, _ = await wire.slack.interaction(click)
    assert status == 200
    assert wire.calls == [("rsvp", "U0PRACT01", "s1-yes", "1772442000.000100")]
    [update] = wire.fake.calls_to("response_url")
    assert update["replace_original"] is True
    assert "1 going" in all_text(update["blocks"])


async def test_a_double_delivered_click_has_no_second_effect(wire: Wire) -> None:
    click = button_click("slacktest:rsvp#0", "s1-yes", response_url=wire.fake.response_url("b2"), trigger_id="t2")
    await wire.slack.interaction(click)
    await wire.slack.interaction(click)
    assert [c[0] for c in wire.calls] == ["rsvp"]
    assert len(wire.fake.calls_to("response_url")) == 1


async def test_a_forged_button_value_is_refused_with_a_sentence(wire: Wire) -> None:
    click = button_click("slacktest:rsvp#0", "s2-yes;drop", response_url=wire.fake.response_url("b3"), trigger_id="t3")
    await wire.slack.interaction(click)
    assert wire.calls == []
    [answer] = wire.fake.calls_to("response_url")
    assert answer["response_type"] == "ephemeral" and "not one I recognise" in all_text(answer)


async def test_a_link_button_click_is_only_acknowledged(wire: Wire) -> None:
    click = button_click("sgbot-link-2", "", response_url=wire.fake.response_url("b4"), trigger_id="t4")
    status, _, _ = await wire.slack.interaction(click)
    assert status == 200 and wire.calls == [] and wire.fake.calls_to("response_url") == []


# --- modals ---------------------------------------------------------------------------------------


async def test_a_modal_shows_field_errors_then_accepts_a_good_submission(wire: Wire) -> None:
    status, _, body = await wire.slack.command("/feedback", trigger_id="trig-feedback")
    assert status == 200 and body == ""
    [opened] = wire.fake.calls_to("views.open")
    assert opened["trigger_id"] == "trig-feedback"
    view = opened["view"]
    assert view["callback_id"] == "slacktest:feedback"
    assert len(view["title"]["text"]) <= 24
    assert json.loads(view["private_metadata"]) == {"v": "s1", "c": "C0GENERAL", "t": ""}

    empty = modal_submission(view, {"comment": "  ", "rating": "good"}, trigger_id="sub-1")
    status, _, body = await wire.slack.interaction(empty)
    assert status == 200
    assert json.loads(body) == {
        "response_action": "errors",
        "errors": {"comment": "Write a sentence about what you will do differently."},
    }
    assert wire.fake.calls_to("chat.postEphemeral") == []

    good = modal_submission(view, {"comment": "Check the chronology first", "rating": "good"}, trigger_id="sub-2")
    status, _, body = await wire.slack.interaction(good)
    assert status == 200 and body == ""  # the modal closes
    assert wire.rt.ctx.services["slacktest"]["feedback"] == [("s1", "Check the chronology first", "good")]
    [thanks] = wire.fake.calls_to("chat.postEphemeral")
    assert (thanks["channel"], thanks["user"]) == ("C0GENERAL", "U0PRACT01")
    assert "your feedback was saved" in all_text(thanks["blocks"])


# --- thread replies and events ---------------------------------------------------------------


async def claim(wire: Wire, thread_ts: str = "1772442000.000100") -> None:
    await claim_thread(wire.rt.ctx, "slack", "C0TRAIN", thread_ts, feature="slacktest", ref="s1")


async def test_a_thread_reply_reaches_the_feature_that_claimed_the_thread(wire: Wire) -> None:
    await claim(wire)
    status, _, _ = await wire.slack.event(thread_reply("It helped me plan a visit", event_id="Ev1"))
    assert status == 200
    assert wire.calls == [("thread", "s1", "It helped me plan a visit", "1772442000.000100")]
    [answer] = wire.fake.calls_to("chat.postEphemeral")
    assert (answer["channel"], answer["user"], answer["thread_ts"]) == ("C0TRAIN", "U0PRACT01", "1772442000.000100")
    assert "Noted your reply for session s1." in all_text(answer["blocks"])


async def test_messages_outside_claimed_threads_are_left_alone(wire: Wire) -> None:
    await claim(wire)
    await wire.slack.event(thread_reply("another thread", event_id="Ev2", thread_ts="1772440000.000001"))
    top_level = thread_reply("just chatting", event_id="Ev3")
    del top_level["event"]["thread_ts"]
    await wire.slack.event(top_level)
    edited = thread_reply("edited", event_id="Ev4", subtype="message_changed")
    await wire.slack.event(edited)
    from_a_bot = thread_reply("a bot", event_id="Ev5", bot_id="B0OTHER")
    await wire.slack.event(from_a_bot)
    assert wire.calls == []
    assert wire.fake.calls_to("chat.postEphemeral") == [] and wire.fake.calls_to("chat.postMessage") == []


async def test_a_retried_event_is_processed_once_even_by_another_process(
    wire: Wire, fake: FakeSlack, tmp_path: Path, database_url: str, clock: FrozenClock
) -> None:
    await claim(wire)
    event = thread_reply("once only", event_id="Ev0RETRY")
    assert (await wire.slack.event(event))[0] == 200
    assert (await wire.slack.event(event, retry=1))[0] == 200  # answered from memory
    assert len(wire.calls) == 1

    # A second replica (or this one after a restart) knows nothing in memory: the database decides.
    other = await open_wire(fake, slack_settings(tmp_path, database_url), clock)
    try:
        assert (await other.slack.event(event, retry=2))[0] == 200
        assert other.calls == [] and len(wire.calls) == 1
        assert len(fake.calls_to("chat.postEphemeral")) == 1
    finally:
        await other.close()


async def test_url_verification_echoes_the_challenge(wire: Wire) -> None:
    challenge = payload("url_verification")
    status, _, body = await wire.slack.event(challenge)
    assert status == 200 and json.loads(body) == {"challenge": challenge["challenge"]}


# --- signatures -----------------------------------------------------------------------------------


async def test_a_bad_signature_and_a_stale_timestamp_are_refused_with_no_effect(wire: Wire) -> None:
    await claim(wire)
    event = json.dumps(thread_reply("forged", event_id="Ev0FORGED"))
    wire.fake.forget_calls()
    bad = await wire.slack.post(event, "application/json", signature="v0=" + "0" * 64)
    stale_time = int(time.time()) - 6 * 60
    stale = await wire.slack.post(event, "application/json", timestamp=stale_time)
    forged_command = await wire.slack.post(
        "command=%2Fecho&text=hi&user_id=U1", "application/x-www-form-urlencoded", signature="v0=deadbeef"
    )
    assert [bad[0], stale[0], forged_command[0]] == [401, 401, 401]
    assert wire.calls == [] and wire.fake.calls == []
    # The same event, properly signed, still goes through: nothing was recorded as seen.
    assert (await wire.slack.event(json.loads(event)))[0] == 200
    assert [c[0] for c in wire.calls] == ["thread"]


# --- roles from Slack user groups --------------------------------------------------------------


async def test_roles_come_from_slack_user_groups_looked_up_lazily_and_cached(wire: Wire) -> None:
    assert "usergroups.list" not in wire.fake.methods()  # nothing loaded at start
    _, _, denied = await wire.slack.command("/publish", user_id="U0PRACT01")
    assert "Only trainers (role `trainer`)" in all_text(json.loads(denied))
    _, _, allowed = await wire.slack.command("/publish", user_id="U0TRAINER")
    assert "Published." in all_text(json.loads(allowed))
    assert wire.calls == [("publish", "U0TRAINER")]
    methods = wire.fake.methods()
    assert methods.count("usergroups.list") == 1  # cached for the second command
    # only the group named in settings was read, never the other one
    assert [c["usergroup"] for c in wire.fake.calls_to("usergroups.users.list")] == ["S0000"]


# --- posts for the delivery worker ---------------------------------------------------------------


async def test_a_rate_limited_post_is_retried_after_retry_after_and_delivered(wire: Wire) -> None:
    wire.fake.fail("chat.postMessage", status=429, retry_after="0")
    ts = await wire.adapter.send(Target(kind="channel", channel_id="C0TRAIN"), reply("Reminder: session tomorrow"))
    posts = wire.fake.calls_to("chat.postMessage")
    assert len(posts) == 2 and posts[0] == posts[1]
    assert ts.startswith("1772443000.")
    assert "link_names" not in posts[1]


async def enqueue(wire: Wire, key: str, target: Target, message: Reply) -> None:
    now = wire.rt.ctx.now()
    new = outbox.NewMessage(key, "slack", target.model_dump(), message.model_dump(mode="json"), now)
    await in_tx(wire.rt.ctx.db, outbox.enqueue, [new], now=now)


async def test_outbox_rows_are_delivered_threaded_and_their_ts_recorded(wire: Wire) -> None:
    await enqueue(wire, "test:announce", Target(kind="channel", channel_id="C0TRAIN"), reply("Session announced"))
    await deliver_due(wire)
    sent = await row(wire, "test:announce")
    [post] = wire.fake.calls_to("chat.postMessage")
    assert post["channel"] == "C0TRAIN" and "Session announced" in all_text(post["blocks"])
    assert sent.status == "sent" and sent.message_id and sent.message_id.startswith("1772443000.")

    in_thread = Target(kind="thread", channel_id="C0TRAIN", thread_id=sent.message_id)
    await enqueue(wire, "test:thread", in_thread, reply("How was it?"))
    await deliver_due(wire)
    assert wire.fake.calls_to("chat.postMessage")[1]["thread_ts"] == sent.message_id


async def deliver_due(wire: Wire) -> None:
    """What the delivery worker does every second in production, once."""
    wire.rt.prepare_workers()
    assert wire.rt.delivery is not None
    await wire.rt.delivery.deliver_due()


async def row(wire: Wire, key: str) -> OutboxMessage:
    from sqlalchemy import select

    async with wire.rt.ctx.db.transaction() as tx:
        found = await tx.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    assert found is not None
    return found


async def test_a_post_to_a_missing_channel_fails_for_good_with_the_reason(wire: Wire) -> None:
    wire.fake.fail("chat.postMessage", error="channel_not_found")
    with pytest.raises(DeliveryError) as raised:
        await wire.adapter.send(Target(kind="channel", channel_id="C0GONE"), reply("hello"))
    assert raised.value.permanent and "channel_not_found" in raised.value.reason

    wire.fake.fail("chat.postMessage", error="is_archived")
    await enqueue(wire, "test:archived", Target(kind="channel", channel_id="C0OLD"), reply("x"))
    await deliver_due(wire)
    failed = await row(wire, "test:archived")
    assert failed.status == "failed" and "is_archived" in (failed.error or "")


async def test_a_post_still_rate_limited_after_retries_is_tried_again_later(wire: Wire) -> None:
    for _ in range(3):
        wire.fake.fail("chat.postMessage", status=429, retry_after="0")
    with pytest.raises(DeliveryError) as raised:
        await wire.adapter.send(Target(kind="channel", channel_id="C0BUSY"), reply("hello"))
    assert not raised.value.permanent and raised.value.retry_after == 0.0


async def test_a_direct_message_opens_the_conversation_then_posts(wire: Wire) -> None:
    ts = await wire.adapter.send(Target(kind="direct", user_id="U0PRACT01"), reply("Your survey is ready"))
    await wire.adapter.send(Target(kind="direct", user_id="U0PRACT01"), reply("A reminder"))
    assert wire.fake.calls_to("conversations.open") == [{"users": "U0PRACT01"}]  # remembered
    posts = wire.fake.calls_to("chat.postMessage")
    assert [p["channel"] for p in posts] == ["DU0PRACT01", "DU0PRACT01"] and ts


async def test_a_form_or_a_target_without_a_channel_cannot_be_posted(wire: Wire) -> None:
    from core.model import Form, FormField

    form = Reply(form=Form(action_id="slacktest:feedback", title="x", fields=[FormField(id="a", label="A")]))
    with pytest.raises(DeliveryError) as raised:
        await wire.adapter.send(Target(kind="channel", channel_id="C1"), form)
    assert raised.value.permanent
    with pytest.raises(DeliveryError):
        await wire.adapter.send(Target(kind="channel"), Reply(blocks=[Text(text="x")]))


async def test_posts_to_one_channel_are_paced_and_other_channels_do_not_wait(wire: Wire) -> None:
    clock = ManualClock()
    wire.adapter.channel_pacer = Pacer(1.0, clock=clock, sleep=clock.sleep)  # count the waits instead of sleeping
    target = Target(kind="channel", channel_id="C0TRAIN")
    await asyncio.gather(*(wire.adapter.send(target, reply(f"post {i}")) for i in range(3)))
    await wire.adapter.send(Target(kind="channel", channel_id="C0OTHER"), reply("elsewhere"))
    assert clock.slept == [1.0, 1.0]
    assert [p["channel"] for p in wire.fake.calls_to("chat.postMessage")] == ["C0TRAIN"] * 3 + ["C0OTHER"]
