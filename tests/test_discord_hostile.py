"""Discord input the bot did not make: every interaction gets an answer, and the gateway survives.

The real discord.py client, logged in to the local fake of Discord (tests/discord_fake.py), is fed
interactions shaped as Discord's documentation and discord.py's own examples show them, with ids
and values the bot never issued.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.unrouted import NO_USER
from bot.dispatch import FORGED_VALUE
from bot.health import HealthServer
from bot.runtime import Runtime, load_registry
from core.clock import FrozenClock
from storage.db import Database
from tests import discord_payloads as p
from tests.discord_fake import FakeDiscord
from tests.test_discord_adapter import (  # noqa: F401 - fixtures shared with the adapter tests
    EPHEMERAL,
    _until,
    bot,
    calls,
    custom_ids,
    discord_settings,
    fake,
    interact,
    runtime,
    texts,
)

AUTOCOMPLETE_RESULT = 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT


def our_log(caplog: pytest.LogCaptureFixture) -> str:
    """What the bot itself logged (discord.py's own DEBUG lines quote whole gateway events)."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("sgbot"))


def _posted_with(custom_id: str, component_type: int = 2) -> dict[str, Any]:
    """A message as Discord returns it, carrying one component with this custom_id."""
    component: dict[str, Any] = {"type": component_type, "custom_id": custom_id}
    if component_type == 2:
        component |= {"style": 2, "label": "Green"}
    else:
        component |= {"options": [{"label": "Red", "value": "red"}], "min_values": 1, "max_values": 1}
    body = {"content": "Pick one", "components": [{"type": 1, "components": [component]}]}
    return p.message(body, message_id=p.new_id(), channel_id=p.CHANNEL_ID)


# Component shapes: Discord's "Message Component Data Structure" (custom_id, component_type,
# values for selects) at https://discord.com/developers/docs/interactions/receiving-and-responding
# #interaction-object-message-component-data-structure. The ids are ones other bots use in
# discord.py's examples: "persistent_view:green" (examples/views/persistent.py), and the 32 hex
# digits discord.py gives a select or modal created without a custom_id (examples/views/dropdown.py,
# examples/modals/basic.py). "fake:vote|maybe" looks like ours but is on no message the bot posted.
UNKNOWN = {
    "button from another bot": lambda: p.button_press(_posted_with("persistent_view:green"), "persistent_view:green"),
    "button of ours that is not on its message": lambda: p.button_press(_posted_with("fake:vote|no"), "fake:vote|yes"),
    "select from another bot": lambda: p.select_choice(
        _posted_with("5f1c3e0a9b2d4c6e8f0a1b2c3d4e5f60", 3), "5f1c3e0a9b2d4c6e8f0a1b2c3d4e5f60", "red"
    ),
    # Modal submit: "Modal Submit Data Structure" on the same page; a label wrapping a text input.
    "form from another bot": lambda: p.modal_submit("9a8b7c6d5e4f30211203f4e5d6c7b8a9", {"name": "Sam"}),
    "form of ours with a broken id": lambda: p.modal_submit("fake:signup", {"name": "Sam"}),
}


@pytest.mark.parametrize("what", list(UNKNOWN))
async def test_an_unknown_button_select_or_form_gets_a_polite_private_answer(
    bot: DiscordAdapter,  # noqa: F811
    fake: FakeDiscord,  # noqa: F811
    what: str,
) -> None:
    [callback] = await interact(fake, UNKNOWN[what]())
    assert callback.body["type"] == 4
    assert callback.body["data"]["flags"] & EPHEMERAL
    assert texts(callback.body["data"]).strip() == FORGED_VALUE
    assert calls == []


async def test_autocomplete_is_answered_with_choices_from_the_registry(
    bot: DiscordAdapter,  # noqa: F811
    fake: FakeDiscord,  # noqa: F811
) -> None:
    # /help's usage is [COMMAND]: the registry's command names are the choices.
    [callback] = await interact(fake, p.autocomplete("help", "ec"))
    assert callback.body["type"] == AUTOCOMPLETE_RESULT
    offered = callback.body["data"]["choices"]
    assert offered[0] == {"name": "ec", "value": "ec"}  # what was typed stays choosable
    assert {"name": "echo", "value": "echo"} in offered
    assert len(offered) <= 25 and all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in offered)

    [empty] = await interact(fake, p.autocomplete("help", ""))
    names = [c["name"] for c in empty.body["data"]["choices"]]
    assert "help" in names and "echo" in names and len(names) <= 25

    # Long typing is not offered back (a choice is at most 100 characters).
    [long] = await interact(fake, p.autocomplete("echo", "x" * 150))
    assert long.body == {"type": AUTOCOMPLETE_RESULT, "data": {"choices": []}}


@pytest.mark.parametrize(
    "payload",
    [
        lambda: p.autocomplete("dropped-long-ago", "ne"),  # a command Discord still shows
        lambda: p.autocomplete("echo", "ne", option="colour"),  # an option we never declared
        lambda: p.autocomplete("echo", 12345),  # a number typed into a text option
    ],
    ids=["unknown command", "unknown option", "value of the wrong type"],
)
async def test_autocomplete_discord_py_cannot_route_still_gets_a_choices_answer(
    bot: DiscordAdapter,  # noqa: F811
    fake: FakeDiscord,  # noqa: F811
    payload: Any,
) -> None:
    [callback] = await interact(fake, payload())
    assert callback.body["type"] == AUTOCOMPLETE_RESULT
    assert isinstance(callback.body["data"]["choices"], list)


async def test_the_text_option_is_registered_with_autocomplete(
    bot: DiscordAdapter,  # noqa: F811
    fake: FakeDiscord,  # noqa: F811
) -> None:
    [synced] = fake.calls_to("PUT", rf"/applications/{p.APP_ID}/guilds/{p.GUILD_ID}/commands")
    [option] = next(c for c in synced.body if c["name"] == "echo")["options"]
    assert option["autocomplete"] is True


@pytest.mark.parametrize("kind", ["command", "button", "form"])
async def test_a_server_interaction_without_its_member_gets_an_answer_not_a_traceback(
    bot: DiscordAdapter,  # noqa: F811
    fake: FakeDiscord,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    kind: str,
) -> None:
    caplog.set_level(logging.INFO)
    if kind == "command":
        payload = p.slash_command("echo", "hello", with_member=False)
    elif kind == "button":
        [voted] = await interact(fake, p.slash_command("vote"))
        posted = next(m for m in fake.messages.values() if m["components"])
        payload = p.button_press(posted, "fake:vote|yes", with_member=False)
    else:
        payload = p.modal_submit("fake:signup|s1", {"name": "Sam Jones"}, with_member=False)
    [callback] = await interact(fake, payload)
    assert callback.body["type"] == 4 and callback.body["data"]["flags"] & EPHEMERAL
    assert texts(callback.body["data"]).strip() == NO_USER
    assert not [c for c in calls if c.startswith(("echo", "vote", "signup"))]
    assert not [r for r in caplog.records if r.exc_info]


# --- values of the wrong type, through Discord ------------------------------------------------


async def test_a_select_value_of_the_wrong_type_gets_the_forged_value_sentence(
    bot: DiscordAdapter,  # noqa: F811
    fake: FakeDiscord,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await interact(fake, p.slash_command("vote"))
    posted = next(m for m in fake.messages.values() if m["components"])
    for forged in (987654321987654321, [7, 8], {"day": "mon"}):
        payload = p.select_choice(posted, "fake:pick#0", "mon")
        payload["data"]["values"] = [forged]
        [callback] = await interact(fake, payload)
        assert texts(callback.body["data"]).strip() == FORGED_VALUE
    assert calls == []
    assert not [r for r in caplog.records if r.exc_info]
    assert "987654321987654321" not in our_log(caplog) and "'day'" not in our_log(caplog)


@pytest.mark.parametrize("forged", [31337, ["Sam", "Jones"], {"first": "Sam"}, True])
async def test_a_form_value_of_the_wrong_type_gets_the_forged_value_sentence(
    bot: DiscordAdapter,  # noqa: F811
    fake: FakeDiscord,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    forged: Any,
) -> None:
    caplog.set_level(logging.DEBUG)
    payload = p.modal_submit("fake:signup|s1", {"name": "placeholder"})
    payload["data"]["components"][0]["component"]["value"] = forged
    [callback] = await interact(fake, payload)
    assert callback.body["type"] == 4 and texts(callback.body["data"]).strip() == FORGED_VALUE
    assert calls == []
    assert not [r for r in caplog.records if r.exc_info]
    assert "31337" not in our_log(caplog) and "Jones" not in our_log(caplog)


async def test_command_text_over_discords_own_limit_gets_one_sentence(
    bot: DiscordAdapter,  # noqa: F811
    fake: FakeDiscord,  # noqa: F811
) -> None:
    [callback] = await interact(fake, p.slash_command("echo", "x" * 6001))
    assert "more text than a command takes here (6,000 characters at most)" in texts(callback.body["data"])
    assert calls == []


# --- the gateway ------------------------------------------------------------------------------


async def _readyz(port: int) -> tuple[int, list[str]]:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/readyz") as response:
        body = await response.json()
        return response.status, body.get("reasons", [])


def _unreadable() -> dict[str, dict[str, Any]]:
    """Interactions discord.py's parser raises on, inside the gateway's event loop."""
    no_components = p.modal_submit("fake:signup|s1", {"name": "Sam Jones"})
    del no_components["data"]["components"]  # KeyError in parse_interaction_create (outside audit)
    number_id = p.button_press(_posted_with("fake:vote|yes"), "fake:vote|yes")
    number_id["data"]["custom_id"] = 123456  # TypeError in discord.py's view store
    return {"a form without components": no_components, "a button whose custom_id is a number": number_id}


async def test_an_event_discord_py_cannot_read_is_dropped_with_one_log_line_and_the_connection_kept(
    runtime: Runtime,  # noqa: F811
    fake: FakeDiscord,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="sgbot.discord")
    adapter = DiscordAdapter(runtime, ready_timeout=10, guild_ready_timeout=0.05, reconnect_pause=0.05)
    await adapter.start()
    runtime.add_adapter(adapter)
    try:
        caplog.clear()
        for _ in range(3):  # each used to end the connection, and double the pause before the next
            for malformed in _unreadable().values():
                await fake.dispatch("INTERACTION_CREATE", malformed)
        # The bot answers the next interaction on the same connection.
        [callback] = await interact(fake, p.slash_command("echo", "back"))
        assert texts(callback.body["data"]).strip() == "back"
        assert len(fake.identifies) == 1 and adapter.gateway.restarts == 0 and adapter.is_connected()
        lines = [r.getMessage() for r in caplog.records if r.name.startswith("sgbot")]
        assert len(lines) == 6 and all(line.startswith("dropped a Discord INTERACTION_CREATE event") for line in lines)
        assert "(KeyError in state.py:" in lines[0] and "parse_interaction_create" in lines[0]
        assert "(TypeError in " in lines[1]
        shown = our_log(caplog)
        assert "components" not in shown and "Sam Jones" not in shown and "123456" not in shown
        assert "fake:signup" not in shown and "fake:vote" not in shown
    finally:
        await adapter.stop()


async def test_a_connection_that_ends_all_the_same_is_run_again_and_readyz_says_so_meanwhile(
    runtime: Runtime,  # noqa: F811
    fake: FakeDiscord,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="sgbot.discord")
    adapter = DiscordAdapter(runtime, ready_timeout=10, guild_ready_timeout=0.05, reconnect_pause=0.05)
    await adapter.start()
    runtime.add_adapter(adapter)
    health = HealthServer(runtime, "127.0.0.1", 0)
    port = await health.start()
    try:
        assert "discord: not connected" not in (await _readyz(port))[1]

        # A READY without its session: discord.py reads it in the gateway itself, not in a parser,
        # and the KeyError ends Client.connect().
        fake.ready_gate.clear()  # the next connection is taken but held before READY
        await fake.dispatch("READY", {"v": 10})

        await fake.wait_for(lambda: len(fake.identifies) == 2)  # it connected again, with a fresh IDENTIFY
        status, reasons = await _readyz(port)
        assert status == 503 and "discord: not connected" in reasons
        assert not adapter.is_connected()

        fake.ready_gate.set()
        await _until(fake, adapter.is_connected)
        assert "discord: not connected" not in (await _readyz(port))[1]
        assert "the Discord connection stopped (an event it could not read: KeyError" in caplog.text

        # And it answers again.
        [callback] = await interact(fake, p.slash_command("echo", "back"))
        assert texts(callback.body["data"]).strip() == "back"
    finally:
        await health.stop()
        await adapter.stop()


async def test_a_sharded_bot_also_drops_an_unreadable_event_and_connects_again_when_one_ends_it(
    db: Database,
    database_url: str,
    tmp_path: Path,
    clock: FrozenClock,
    fake: FakeDiscord,  # noqa: F811
) -> None:
    # A sharded client closes itself when a shard fails: the keeper opens it again and logs in.
    rt = await Runtime.create(discord_settings(tmp_path, database_url, discord_shards="auto"), clock=clock)
    adapter = DiscordAdapter(rt, ready_timeout=10, guild_ready_timeout=0.05, reconnect_pause=0.05)
    await adapter.start()
    try:
        for malformed in _unreadable().values():
            await fake.dispatch("INTERACTION_CREATE", malformed)
        [callback] = await interact(fake, p.slash_command("help"))
        assert callback.body["type"] == 4 and len(fake.identifies) == 1

        await fake.dispatch("READY", {"v": 10})
        await fake.wait_for(lambda: len(fake.identifies) == 2)
        await _until(fake, adapter.is_connected)
        assert adapter.gateway.restarts >= 1  # a stale close left in the sharded queue can cost one more round
        [callback] = await interact(fake, p.slash_command("help"))
        assert callback.body["type"] == 4
    finally:
        await adapter.stop()
        await rt.ctx.db.dispose()


def test_the_registry_offers_each_commands_keywords_for_autocomplete() -> None:
    registry = load_registry()  # the product's own commands and usage lines
    assert registry.suggestions("training", "")[:3] == ["mine", "courses", "course"]
    assert registry.suggestions("training", "co") == ["courses", "course"]
    assert registry.suggestions("threshold", "") == ["level"]  # a description is not offered as words to type
    assert registry.suggestions("survey", "") == ["send", "close", "status"]
    assert registry.suggestions("training", "course 12") == []  # past the first word: nothing to add
    assert registry.suggestions("glossary", "LA") == [] and registry.suggestions("no-such-command", "") == []
