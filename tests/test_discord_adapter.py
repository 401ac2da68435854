"""The Discord adapter end to end: the real discord.py client, logged in to a local fake of
Discord's REST API and gateway, with interactions arriving as gateway events."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import logging
import types
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.adapters.base import DeliveryError
from bot.adapters.discord.adapter import DiscordAdapter
from bot.runtime import Runtime, load_registry
from core.clock import FrozenClock
from core.config import ConfigError, Settings
from core.model import (
    Button,
    Buttons,
    Form,
    FormErrors,
    FormField,
    Header,
    Option,
    Reply,
    Request,
    Select,
    Target,
    reply,
)
from core.registry import Registry, action, build_registry, command, thread_replies
from storage import outbox
from storage.db import Database
from tests import discord_payloads as p
from tests.discord_fake import Call, FakeDiscord
from tests.storage_support import claim_thread, in_tx

EPHEMERAL = 64
calls: list[str] = []
slow_gate: asyncio.Event | None = None


def _feature() -> types.ModuleType:
    """A small feature that exercises every kind of interaction."""
    module = types.ModuleType("tests.discord_feature")

    @command("echo", usage="TEXT", help="Say the text back, in public.")
    async def echo(req: Request, ctx: object) -> Reply:
        calls.append(f"echo:{req.text}")
        return reply(req.text, public=True)

    @command("vote", help="Ask a question with buttons and a menu.")
    async def vote(req: Request, ctx: object) -> Reply:
        return reply(
            Header(text="Was the session useful?"),
            Buttons(
                buttons=[
                    Button(label="Yes", action_id="fake:vote", value="yes", style="primary"),
                    Button(label="No", action_id="fake:vote", value="no"),
                    Button(label="Read more", url="https://example.org/guide"),
                ]
            ),
            Select(action_id="fake:pick", placeholder="Pick a day", options=[Option(label="Mon", value="mon")]),
            public=True,
        )

    @action("fake:vote", pattern=r"^(yes|no)$")
    async def vote_pressed(req: Request, ctx: object) -> Reply:
        calls.append(f"vote:{req.value}:{req.user_id}:{req.message_id}")
        return reply(f"Thanks, you said {req.value}.")

    @action("fake:pick")
    async def pick(req: Request, ctx: object) -> Reply:
        calls.append(f"pick:{req.value}")
        return reply(f"You picked {req.value}.", replace_original=True)

    @command("signup", help="Open a form.")
    async def signup(req: Request, ctx: object) -> Reply:
        form = Form(
            action_id="fake:signup",
            title="Sign up",
            value="s1",
            fields=[FormField(id="name", label="Your name"), FormField(id="team", label="Team", required=False)],
        )
        return Reply(form=form)

    @action("fake:signup")
    async def signup_sent(req: Request, ctx: object) -> Reply | FormErrors:
        if req.form.get("name", "").strip().lower() in ("", "x"):
            return FormErrors(errors={"name": "Give your full name."})
        calls.append(f"signup:{req.value}:{req.form['name']}:{req.form.get('team', '')}")
        return reply(f"Saved, {req.form['name']}.")

    @command("publish", help="Trainers only.", role="trainer")
    async def publish(req: Request, ctx: object) -> Reply:
        calls.append("published")
        return reply("Published.")

    @command("slow", help="Takes its time.")
    async def slow(req: Request, ctx: object) -> list[Reply]:
        assert slow_gate is not None
        await slow_gate.wait()
        return [reply("Private result."), reply("Public result.", public=True)]

    @command("where", help="Say where you asked from.")
    async def where(req: Request, ctx: object) -> Reply:
        calls.append(f"where:{req.channel_id}:{req.thread_id}:{req.is_direct}")
        return reply("Here.")

    @thread_replies("fake")
    async def in_thread(req: Request, ctx: object) -> Reply:
        calls.append(f"thread:{req.value}:{req.text}")
        return reply(f"Noted: {req.text}", public=not req.text.startswith("privately"))

    for fn in (echo, vote, vote_pressed, pick, signup, signup_sent, publish, slow, where, in_thread):
        setattr(module, fn.__name__, fn)
    return module


def _registry() -> Registry:
    return build_registry([importlib.import_module("handlers.help"), _feature()])


def discord_settings(tmp_path: Path, database_url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "survey_secret": "test-key-Qz8vWm2Lp9Xr4Nf7Hc",
        "discord_token": "test-discord-token-0123456789",
        "discord_guild_id": p.GUILD_ID,
        "discord_role_map": "Trainers=trainer",
        "discord_announce_role_id": p.ANNOUNCE_ROLE_ID,
        "discord_thread_replies": True,
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    server.point_discord_py_here(monkeypatch)
    yield server
    await server.close()


@pytest.fixture
async def runtime(db: Database, database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    """The bot on SQLite (and PostgreSQL when TEST_DATABASE_URL is set), outside console mode."""
    global slow_gate
    calls.clear()
    slow_gate = asyncio.Event()
    rt = await Runtime.create(discord_settings(tmp_path, database_url), clock=clock, registry=_registry())
    yield rt
    await rt.ctx.db.dispose()


async def connect(runtime: Runtime, fake: FakeDiscord) -> DiscordAdapter:
    adapter = DiscordAdapter(runtime, ready_timeout=10, guild_ready_timeout=0.05)
    await adapter.start()
    return adapter


@pytest.fixture
async def bot(runtime: Runtime, fake: FakeDiscord) -> AsyncIterator[DiscordAdapter]:
    adapter = await connect(runtime, fake)
    runtime.add_adapter(adapter)
    yield adapter
    await adapter.stop()


async def interact(fake: FakeDiscord, payload: dict[str, Any], count: int = 1) -> list[Call]:
    """Deliver an interaction over the gateway; wait for its first `count` callback calls."""
    await fake.dispatch("INTERACTION_CREATE", payload)
    return await fake.wait_for(lambda: len(fake.callbacks(payload["id"])) >= count and fake.callbacks(payload["id"]))


def texts(body: dict[str, Any]) -> str:
    """Everything a person would read in a message body."""
    parts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or "", (embed.get("footer") or {}).get("text", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def custom_ids(body: dict[str, Any]) -> list[str]:
    return [c.get("custom_id", c.get("url")) for row in body.get("components") or [] for c in row["components"]]


# --- start-up -------------------------------------------------------------------------------


async def test_start_logs_in_connects_and_registers_the_commands_in_the_guild(
    runtime: Runtime, fake: FakeDiscord
) -> None:
    adapter = await connect(runtime, fake)
    try:
        assert adapter.is_connected()
        [synced] = fake.calls_to("PUT", rf"/applications/{p.APP_ID}/guilds/{p.GUILD_ID}/commands")
        by_name = {c["name"]: c for c in synced.body}
        assert {"help", "echo", "vote", "signup", "publish"} <= set(by_name)
        assert by_name["echo"]["description"] == "Say the text back, in public."
        [option] = by_name["echo"]["options"]
        assert (option["type"], option["name"], option["description"], option["required"]) == (3, "text", "TEXT", False)
        assert not by_name["vote"].get("options")
        assert "debug" not in by_name  # console-only commands stay in the console
        # Intents: guilds, guild messages and (privileged) message content for thread replies.
        intents = discord.Intents._from_value(fake.identifies[0]["intents"])
        assert intents.guilds and intents.guild_messages and intents.message_content and not intents.members
    finally:
        await adapter.stop()
    assert not adapter.is_connected()
    # A second start finds the commands unchanged and does not sync again.
    again = await connect(runtime, fake)
    await again.stop()
    assert len(fake.calls_to("PUT", rf"/applications/{p.APP_ID}/guilds/{p.GUILD_ID}/commands")) == 1


async def test_without_thread_replies_the_bot_asks_for_no_privileged_intent(
    db: Database, database_url: str, tmp_path: Path, clock: FrozenClock, fake: FakeDiscord
) -> None:
    settings = discord_settings(tmp_path, database_url, discord_thread_replies=False)
    rt = await Runtime.create(settings, clock=clock, registry=_registry())
    adapter = await connect(rt, fake)
    await adapter.stop()
    await rt.ctx.db.dispose()
    intents = discord.Intents._from_value(fake.identifies[0]["intents"])
    assert intents.guilds and not intents.message_content and not intents.guild_messages


async def test_auto_sharding_uses_the_shard_count_discord_recommends(
    db: Database, database_url: str, tmp_path: Path, clock: FrozenClock, fake: FakeDiscord
) -> None:
    rt = await Runtime.create(discord_settings(tmp_path, database_url, discord_shards="auto"), clock=clock)
    adapter = await connect(rt, fake)
    try:
        assert isinstance(adapter.client, discord.AutoShardedClient)
        assert fake.calls_to("GET", "/gateway/bot")
        assert fake.identifies[0]["shard"] == [0, 1]
        assert adapter.is_connected()
    finally:
        await adapter.stop()
        await rt.ctx.db.dispose()


async def test_a_token_discord_rejects_stops_the_start_with_a_sentence(runtime: Runtime, fake: FakeDiscord) -> None:
    fake.fail("GET", "/users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    adapter = DiscordAdapter(runtime, ready_timeout=10)
    with pytest.raises(ConfigError, match="Discord did not accept DISCORD_TOKEN"):
        await adapter.start()
    assert adapter.client.is_closed() and not adapter.is_connected()


# --- app commands ---------------------------------------------------------------------------


async def test_help_is_answered_privately_with_embeds(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    [callback] = await interact(fake, p.slash_command("help"))
    assert callback.body["type"] == 4
    data = callback.body["data"]
    assert data["flags"] & EPHEMERAL
    assert data["embeds"] and "/echo" in texts(data) and "999" in texts(data)
    assert data["allowed_mentions"]["parse"] == []


async def test_threshold_neglect_is_answered_privately_with_the_emergency_route(
    db: Database, database_url: str, tmp_path: Path, clock: FrozenClock, fake: FakeDiscord
) -> None:
    registry = load_registry()  # the product's own features
    if "threshold" not in registry.commands:
        pytest.skip("the threshold feature is not registered in handlers/__init__.py yet")
    rt = await Runtime.create(discord_settings(tmp_path, database_url), clock=clock, registry=registry)
    adapter = await connect(rt, fake)
    try:
        [callback] = await interact(fake, p.slash_command("threshold", "neglect"))
    finally:
        await adapter.stop()
        await rt.ctx.db.dispose()
    data = callback.body["data"]
    assert callback.body["type"] == 4 and data["flags"] & EPHEMERAL and data["embeds"]
    shown = texts(data)
    # The first screen names the emergency route and whom to tell; the judgement reminder is in its help.
    assert "999" in shown and "DSL" in shown
    assert data["allowed_mentions"]["parse"] == []


async def test_a_public_reply_of_untrusted_text_cannot_ping_anyone(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    hostile = "@everyone @here <@&1300000000000000031> look **now** [click](https://example.org) `code`"
    [callback] = await interact(fake, p.slash_command("echo", hostile))
    data = callback.body["data"]
    assert callback.body["type"] == 4 and not (data.get("flags") or 0) & EPHEMERAL
    assert data["allowed_mentions"]["parse"] == []
    shown = texts(data)
    assert "@everyone" not in shown and "@here" not in shown and "<@&1300000000000000031>" not in shown
    assert "**now**" in shown and "[click](https://example.org)" in shown  # our own markup survives
    assert "\\`code\\`" in shown  # everything else is shown literally


async def test_server_roles_grant_bot_roles(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    [denied] = await interact(fake, p.slash_command("publish"))
    assert "Only trainers" in texts(denied.body["data"]) and calls == []
    [allowed] = await interact(fake, p.slash_command("publish", role_ids=[p.TRAINERS_ROLE_ID]))
    assert texts(allowed.body["data"]).strip() == "Published." and calls == ["published"]


async def test_a_command_discord_still_shows_but_we_dropped_gets_a_suggestion(
    bot: DiscordAdapter, fake: FakeDiscord
) -> None:
    [callback] = await interact(fake, p.slash_command("hlep"))
    assert "Did you mean /help" in texts(callback.body["data"])


async def test_a_slow_answer_is_deferred_then_delivered(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    bot.defer_after = 0.01
    payload = p.slash_command("slow")
    [deferred] = await interact(fake, payload)
    assert deferred.body == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert slow_gate is not None
    slow_gate.set()
    edit = await fake.wait_for(lambda: fake.calls_to("PATCH", r"/webhooks/\d+/[^/]+/messages/@original"))
    assert texts(edit[0].body).strip() == "Private result."
    # The public part cannot follow a private "thinking…": it is posted in the channel.
    posted = await fake.wait_for(lambda: fake.calls_to("POST", rf"/channels/{p.CHANNEL_ID}/messages"))
    assert texts(posted[0].body).strip() == "Public result."


async def test_commands_in_threads_and_direct_messages_know_where_they_came_from(
    bot: DiscordAdapter, fake: FakeDiscord
) -> None:
    thread_id = p.new_id()
    await interact(fake, p.slash_command("where", channel=p.thread_channel(thread_id)))
    dm_channel = p.dm_channel(p.new_id(), p.user(p.BOB_ID, "bob"))
    [dm] = await interact(fake, p.slash_command("where", in_guild=False, channel=dm_channel, user_id=p.BOB_ID))
    assert calls == [f"where:{p.CHANNEL_ID}:{thread_id}:False", f"where:{dm_channel['id']}:None:True"]
    assert texts(dm.body["data"]).strip() == "Here."


# --- idempotency ----------------------------------------------------------------------------


async def test_a_repeated_interaction_is_processed_once(
    bot: DiscordAdapter, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sgbot.discord")
    payload = p.slash_command("echo", "once")
    await interact(fake, payload)
    await fake.dispatch("INTERACTION_CREATE", payload)
    await _until(fake, lambda: "ignored a repeated Discord interaction" in caplog.text)
    assert calls == ["echo:once"]
    assert len(fake.callbacks(payload["id"])) == 1


async def _until(fake: FakeDiscord, check: Callable[[], bool]) -> None:
    async def poke() -> None:
        while True:
            await asyncio.sleep(0.02)
            await fake.poke()

    poker = asyncio.create_task(poke())
    try:
        await fake.wait_for(check)
    finally:
        poker.cancel()


# --- buttons and menus ----------------------------------------------------------------------


async def test_a_button_posted_before_a_restart_reaches_its_handler(
    runtime: Runtime, fake: FakeDiscord, bot: DiscordAdapter
) -> None:
    [callback] = await interact(fake, p.slash_command("vote"))
    data = callback.body["data"]
    assert custom_ids(data) == ["fake:vote|yes", "fake:vote|no", "https://example.org/guide", "fake:pick#0"]
    posted = next(m for m in fake.messages.values() if m["components"])

    await bot.stop()  # the bot restarts: a new client, nothing in memory
    restarted = await connect(runtime, fake)
    try:
        assert restarted.client is not bot.client
        [pressed] = await interact(fake, p.button_press(posted, "fake:vote|yes", user_id=p.BOB_ID, user_name="bob"))
        assert calls == [f"vote:yes:{p.BOB_ID}:{posted['id']}"]
        assert pressed.body["type"] == 4 and pressed.body["data"]["flags"] & EPHEMERAL
        assert texts(pressed.body["data"]).strip() == "Thanks, you said yes."

        [picked] = await interact(fake, p.select_choice(posted, "fake:pick#0", "mon"))
        assert calls[-1] == "pick:mon"
        assert picked.body["type"] == 7  # the message with the menu is updated in place
    finally:
        await restarted.stop()


async def test_a_forged_button_value_is_refused(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    [callback] = await interact(fake, p.slash_command("vote"))
    posted = next(m for m in fake.messages.values() if m["components"])
    forged = dict(
        posted,
        components=[{"type": 1, "components": [{"type": 2, "style": 2, "label": "x", "custom_id": "fake:vote|maybe"}]}],
    )
    [refused] = await interact(fake, p.button_press(forged, "fake:vote|maybe"))
    assert "not one I recognise" in texts(refused.body["data"]) and calls == []


# --- forms ----------------------------------------------------------------------------------


async def test_a_form_opens_as_a_modal_and_its_submission_reaches_the_handler(
    bot: DiscordAdapter, fake: FakeDiscord
) -> None:
    [opened] = await interact(fake, p.slash_command("signup"))
    assert opened.body["type"] == 9
    modal = opened.body["data"]
    assert modal["custom_id"] == "fake:signup|s1" and modal["title"] == "Sign up"
    inputs = {c["component"]["custom_id"]: c for c in modal["components"]}
    assert inputs["name"]["label"] == "Your name" and inputs["team"]["component"]["required"] is False

    [saved] = await interact(fake, p.modal_submit("fake:signup|s1", {"name": "Sam Jones", "team": "Early help"}))
    assert calls == ["signup:s1:Sam Jones:Early help"]
    assert saved.body["type"] == 4 and texts(saved.body["data"]).strip() == "Saved, Sam Jones."


async def test_form_errors_are_listed_with_a_button_that_reopens_the_form_as_it_was_left(
    bot: DiscordAdapter, fake: FakeDiscord
) -> None:
    await interact(fake, p.slash_command("signup"))
    [errors] = await interact(fake, p.modal_submit("fake:signup|s1", {"name": "x", "team": "MASH"}))
    data = errors.body["data"]
    assert data["flags"] & EPHEMERAL and "Your name" in texts(data) and "Give your full name." in texts(data)
    [reopen_id] = custom_ids(data)
    assert calls == []

    message = p.message(data, message_id=p.new_id(), channel_id=p.CHANNEL_ID) | {"flags": EPHEMERAL}
    [reopened] = await interact(fake, p.button_press(message, reopen_id))
    assert reopened.body["type"] == 9
    fields = {c["component"]["custom_id"]: c["component"] for c in reopened.body["data"]["components"]}
    assert fields["name"]["value"] == "x" and fields["team"]["value"] == "MASH"

    # Someone else cannot open another person's half-filled form.
    [stranger] = await interact(fake, p.button_press(message, reopen_id, user_id=p.BOB_ID, user_name="bob"))
    assert stranger.body["type"] == 4 and "expired" in texts(stranger.body["data"])


async def test_a_form_submitted_after_a_restart_still_reaches_its_handler(
    runtime: Runtime, fake: FakeDiscord, bot: DiscordAdapter
) -> None:
    await interact(fake, p.slash_command("signup"))
    await bot.stop()
    restarted = await connect(runtime, fake)
    try:
        [saved] = await interact(fake, p.modal_submit("fake:signup|s1", {"name": "Sam Jones"}))
        assert texts(saved.body["data"]).strip() == "Saved, Sam Jones."
    finally:
        await restarted.stop()


# --- threads --------------------------------------------------------------------------------


async def test_a_thread_is_created_under_its_message_then_posted_into(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    announcement = await bot.send(
        Target(kind="channel", channel_id=str(p.CHANNEL_ID)), reply(Header(text="Course on 9 March"), public=True)
    )
    assert announcement in fake.messages

    survey = reply("How useful was it?", public=True, summary="Course feedback")
    where = Target(kind="thread", channel_id=str(p.CHANNEL_ID), thread_id=announcement)
    first = await bot.send(where, survey)
    [created] = fake.calls_to("POST", rf"/channels/{p.CHANNEL_ID}/messages/{announcement}/threads")
    assert created.body["name"] == "Course feedback"
    assert fake.messages[first]["channel_id"] == announcement  # the thread has the message's id

    await fake.wait_for(lambda: bot.client.get_channel(int(announcement)))  # THREAD_CREATE arrived
    await bot.send(where, reply("A second post in the same thread.", public=True))
    assert len(fake.calls_to("POST", r"/channels/\d+/messages/\d+/threads")) == 1
    assert len(fake.calls_to("POST", rf"/channels/{announcement}/messages")) == 2


async def test_a_reply_in_an_owned_thread_reaches_its_feature(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    announcement = await bot.send(Target(kind="channel", channel_id=str(p.CHANNEL_ID)), reply("Course", public=True))
    await bot.send(
        Target(kind="thread", channel_id=str(p.CHANNEL_ID), thread_id=announcement), reply("Tell us", public=True)
    )
    await fake.wait_for(lambda: bot.client.get_channel(int(announcement)))
    ctx = bot.runtime.ctx
    await claim_thread(ctx, "discord", str(p.CHANNEL_ID), announcement, feature="fake", ref="s7")
    await fake.dispatch("MESSAGE_CREATE", p.user_message("It helped a lot", channel_id=int(announcement)))
    await fake.wait_for(lambda: len(fake.calls_to("POST", rf"/channels/{announcement}/messages")) == 2)
    assert calls == ["thread:s7:It helped a lot"]
    answer = fake.calls_to("POST", rf"/channels/{announcement}/messages")[-1]
    assert texts(answer.body).strip() == "Noted: It helped a lot"
    # Messages outside threads are not the bot's business.
    await fake.dispatch("MESSAGE_CREATE", p.user_message("hello", channel_id=p.CHANNEL_ID))
    await fake.dispatch("MESSAGE_CREATE", p.user_message("more", channel_id=int(announcement)))
    await fake.wait_for(lambda: len(calls) == 2)
    assert calls[-1] == "thread:s7:more"


async def test_a_private_answer_to_a_thread_message_goes_by_direct_message(
    bot: DiscordAdapter, fake: FakeDiscord
) -> None:
    announcement = await bot.send(Target(kind="channel", channel_id=str(p.CHANNEL_ID)), reply("Course", public=True))
    where = Target(kind="thread", channel_id=str(p.CHANNEL_ID), thread_id=announcement)
    await bot.send(where, reply("Tell us", public=True))
    await fake.wait_for(lambda: bot.client.get_channel(int(announcement)))
    ctx = bot.runtime.ctx
    await claim_thread(ctx, "discord", str(p.CHANNEL_ID), announcement, feature="fake", ref="s8")
    await fake.dispatch("MESSAGE_CREATE", p.user_message("privately: it was hard", channel_id=int(announcement)))
    [dm] = await fake.wait_for(lambda: fake.calls_to("POST", rf"/channels/{p.ALICE_ID + 1}/messages"))
    assert texts(dm.body).strip() == "Noted: privately: it was hard"
    assert len(fake.calls_to("POST", rf"/channels/{announcement}/messages")) == 1  # nothing more in the thread


def test_discord_shards_setting_chooses_the_client(tmp_path: Path) -> None:
    from bot.adapters.discord.client import build_client

    def client(shards: str) -> discord.Client:
        return build_client(discord_settings(tmp_path, "", discord_shards=shards))

    assert isinstance(client(""), discord.Client) and not isinstance(client(""), discord.AutoShardedClient)
    assert isinstance(client("auto"), discord.AutoShardedClient) and client("auto").shard_count is None
    assert client("2").shard_count == 2
    with pytest.raises(ConfigError, match="DISCORD_SHARDS"):
        client("several")


# --- outgoing posts -------------------------------------------------------------------------


async def test_untrusted_text_sent_by_the_outbox_carries_no_mentions(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    await bot.send(
        Target(kind="channel", channel_id=str(p.CHANNEL_ID)), reply("Feed item: @everyone free pizza", public=True)
    )
    [post] = fake.calls_to("POST", rf"/channels/{p.CHANNEL_ID}/messages")
    assert post.body["allowed_mentions"]["parse"] == []
    assert "@everyone" not in texts(post.body)


async def test_an_announcement_pings_only_the_configured_role(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    announcement = Reply.model_validate(
        reply("New course: @everyone welcome", public=True).model_dump() | {"ping_announce_role": True}
    )
    await bot.send(Target(kind="channel", channel_id=str(p.CHANNEL_ID)), announcement)
    [post] = fake.calls_to("POST", rf"/channels/{p.CHANNEL_ID}/messages")
    assert post.body["content"] == f"<@&{p.ANNOUNCE_ROLE_ID}>"
    assert post.body["allowed_mentions"] == {"parse": [], "roles": [p.ANNOUNCE_ROLE_ID]}
    assert "@everyone" not in texts(post.body)


async def test_a_direct_message_opens_a_dm_channel(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    await bot.send(Target(kind="direct", user_id=str(p.BOB_ID)), reply("Your reminder", public=True))
    [dm] = fake.calls_to("POST", "/users/@me/channels")
    assert int(dm.body["recipient_id"]) == p.BOB_ID
    assert fake.calls_to("POST", rf"/channels/{p.BOB_ID + 1}/messages")


async def test_a_429_is_retried_by_discord_py_then_delivered(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    fake.fail(
        "POST",
        rf"/channels/{p.CHANNEL_ID}/messages",
        429,
        {"message": "You are being rate limited.", "retry_after": 0.01, "global": False},
        headers={"Via": "1.1 google", "Retry-After": "1"},
    )
    message_id = await bot.send(Target(kind="channel", channel_id=str(p.CHANNEL_ID)), reply("Reminder", public=True))
    assert len(fake.calls_to("POST", rf"/channels/{p.CHANNEL_ID}/messages")) == 2
    assert message_id in fake.messages


async def test_a_long_rate_limit_goes_back_to_the_outbox_with_its_wait(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    fake.fail(
        "POST",
        rf"/channels/{p.CHANNEL_ID}/messages",
        429,
        {"message": "You are being rate limited.", "retry_after": 45.0, "global": True},
        headers={"Via": "1.1 google"},
    )
    with pytest.raises(DeliveryError) as raised:
        await bot.send(Target(kind="channel", channel_id=str(p.CHANNEL_ID)), reply("Reminder", public=True))
    assert not raised.value.permanent and raised.value.retry_after == 45.0


async def test_outbox_rows_are_posted_and_a_final_failure_is_marked_with_its_reason(
    runtime: Runtime, bot: DiscordAdapter, fake: FakeDiscord
) -> None:
    ctx = runtime.ctx
    fake.fail(
        "POST", rf"/channels/{p.OTHER_CHANNEL_ID}/messages", 403, {"message": "Missing Access", "code": 50001}, times=5
    )
    rows = [
        outbox.NewMessage(
            key=f"test:discord:{name}",
            platform="discord",
            target=Target(kind="channel", channel_id=str(channel)).model_dump(),
            payload=reply(f"Post {name}", public=True).model_dump(mode="json"),
            due_at=ctx.now() - dt.timedelta(minutes=1),
        )
        for name, channel in (("ok", p.CHANNEL_ID), ("refused", p.OTHER_CHANNEL_ID))
    ]
    await in_tx(ctx.db, outbox.enqueue, rows, now=ctx.now())
    await runtime.tick()
    sent = await in_tx(ctx.db, outbox.get, "test:discord:ok")
    refused = await in_tx(ctx.db, outbox.get, "test:discord:refused")
    assert sent is not None and sent.status == "sent" and sent.message_id in fake.messages
    assert refused is not None and refused.status == "failed"
    assert refused.error is not None and "403" in refused.error and "Missing Access" in refused.error
    assert len(fake.calls_to("POST", rf"/channels/{p.OTHER_CHANNEL_ID}/messages")) == 1  # not retried


async def test_a_missing_channel_is_a_permanent_failure(bot: DiscordAdapter, fake: FakeDiscord) -> None:
    fake.fail("POST", r"/channels/42/messages", 404, {"message": "Unknown Channel", "code": 10003})
    with pytest.raises(DeliveryError) as raised:
        await bot.send(Target(kind="channel", channel_id="42"), reply("Hello", public=True))
    assert raised.value.permanent and "Unknown Channel" in raised.value.reason
