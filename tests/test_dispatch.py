"""The dispatcher: routing, roles, duplicate deliveries and failures turned into sentences."""

from __future__ import annotations

import logging
import re
import types

import pytest

from bot.runtime import Runtime, load_registry
from core.clock import FrozenClock
from core.config import Settings
from core.model import FormErrors, Request, RequestKind, UserError, reply
from core.registry import action, build_registry, command
from tests.harness import action as press
from tests.harness import command as cmd
from tests.harness import text_of

calls: list[str] = []


def _feature_module() -> types.ModuleType:
    module = types.ModuleType("tests.fake_feature")

    @command("ping", help="Say pong.")
    async def ping(req: Request, ctx: object) -> object:
        calls.append(f"ping:{req.text}")
        return reply("pong")

    @command("boom", help="Fails.")
    async def boom(req: Request, ctx: object) -> object:
        raise RuntimeError("the secret detail stays in the log")

    @command("publish", help="Trainers only.", role="trainer")
    async def publish(req: Request, ctx: object) -> object:
        calls.append("published")
        return reply("published")

    @command("picky", help="Raises a user error.")
    async def picky(req: Request, ctx: object) -> object:
        raise UserError("Give a session number, e.g. /picky 12.")

    @action("fake:vote", pattern=r"^(yes|no)$")
    async def vote(req: Request, ctx: object) -> object:
        calls.append(f"vote:{req.value}")
        return reply(f"voted {req.value}")

    @action("fake:form")
    async def form(req: Request, ctx: object) -> object:
        if not req.form.get("title"):
            return FormErrors(errors={"title": "Give the session a title."})
        return reply("saved")

    for fn in (ping, boom, publish, picky, vote, form):
        setattr(module, fn.__name__, fn)
    return module


@pytest.fixture
async def rt(settings: Settings, clock: FrozenClock) -> Runtime:
    calls.clear()
    registry = load_registry()
    for spec in build_registry([_feature_module()]).commands.values():
        registry.add(spec)
    for spec in build_registry([_feature_module()]).actions.values():
        registry.add(spec)
    runtime = await Runtime.create(settings, clock=clock, console_mode=True, registry=registry)
    yield runtime
    await runtime.ctx.db.dispose()


async def test_a_command_reaches_its_handler(rt: Runtime) -> None:
    outcome = await rt.dispatcher.handle(cmd("ping", "hello"))
    assert text_of(outcome.replies) == "pong" and calls == ["ping:hello"]


async def test_unknown_command_suggests_the_closest_names(rt: Runtime) -> None:
    outcome = await rt.dispatcher.handle(cmd("pnig"))
    assert "I don't know /pnig. Did you mean /ping" in text_of(outcome.replies)


async def test_a_handler_failure_gives_an_error_id_that_is_also_in_the_log(
    rt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        outcome = await rt.dispatcher.handle(cmd("boom"))
    shown = text_of(outcome.replies)
    error_id = re.search(r"error id ([0-9a-f]{8})", shown)
    assert error_id is not None and outcome.error_id == error_id.group(1)
    assert "secret detail" not in shown
    assert any(error_id.group(1) in r.getMessage() and r.exc_info for r in caplog.records)
    # and the bot keeps working
    assert text_of((await rt.dispatcher.handle(cmd("ping"))).replies) == "pong"


async def test_a_denied_command_names_the_role_it_needs_and_is_audited(rt: Runtime) -> None:
    from storage import audit

    outcome = await rt.dispatcher.handle(cmd("publish", user="pat"))
    assert "Only trainers (role `trainer`) can use /publish" in text_of(outcome.replies)
    assert calls == []
    async with rt.ctx.db.transaction() as tx:
        [entry] = await audit.entries(tx)
    assert (entry.actor, entry.action, entry.subject) == ("pat", "denied", "publish")
    allowed = await rt.dispatcher.handle(cmd("publish", roles={"trainer"}))
    assert text_of(allowed.replies) == "published"


async def test_admins_hold_every_role(rt: Runtime) -> None:
    outcome = await rt.dispatcher.handle(cmd("publish", roles={"admin"}))
    assert text_of(outcome.replies) == "published"


async def test_a_user_error_is_shown_as_it_is(rt: Runtime) -> None:
    outcome = await rt.dispatcher.handle(cmd("picky"))
    assert text_of(outcome.replies) == "Give a session number, e.g. /picky 12."


async def test_a_forged_button_value_is_refused_without_calling_the_handler(rt: Runtime) -> None:
    outcome = await rt.dispatcher.handle(press("fake:vote", "maybe; DROP TABLE"))
    assert "not one I recognise" in text_of(outcome.replies)
    unknown = await rt.dispatcher.handle(press("fake:nothing", "yes"))
    assert "not one I recognise" in text_of(unknown.replies)
    assert calls == []
    ok = await rt.dispatcher.handle(press("fake:vote", "yes"))
    assert text_of(ok.replies) == "voted yes" and calls == ["vote:yes"]


async def test_a_repeated_delivery_has_no_second_effect(rt: Runtime) -> None:
    first = await rt.dispatcher.handle(press("fake:vote", "yes", delivery_id="console:d1"))
    second = await rt.dispatcher.handle(press("fake:vote", "yes", delivery_id="console:d1"))
    assert text_of(first.replies) == "voted yes"
    assert second.duplicate and second.replies == []
    assert calls == ["vote:yes"]


async def test_a_failed_delivery_can_be_retried(rt: Runtime) -> None:
    await rt.dispatcher.handle(cmd("boom", delivery_id="console:d2"))
    again = await rt.dispatcher.handle(cmd("ping", delivery_id="console:d2"))
    assert text_of(again.replies) == "pong"


async def test_form_errors_come_back_for_the_open_form(rt: Runtime) -> None:
    bad = Request(kind=RequestKind.SUBMIT, platform="console", user_id="u", action_id="fake:form", form={"title": ""})
    outcome = await rt.dispatcher.handle(bad)
    assert outcome.form_errors == {"title": "Give the session a title."} and outcome.replies == []


async def test_a_database_outage_is_one_sentence_not_a_thank_you(rt: Runtime) -> None:

    await rt.ctx.db.dispose()
    # Point the engine at a file in a folder that does not exist: every query now fails.
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    rt.ctx.db.engine = create_async_engine("sqlite+aiosqlite:////nonexistent-folder-for-sgbot/x.db")
    rt.ctx.db.sessions = async_sessionmaker(rt.ctx.db.engine, expire_on_commit=False)
    outcome = await rt.dispatcher.handle(cmd("publish", roles={"trainer"}))  # needs no database: still works
    assert text_of(outcome.replies) == "published"
    denied = await rt.dispatcher.handle(cmd("publish"))  # the audit write fails quietly
    assert "Only trainers" in text_of(denied.replies)


def test_registry_refuses_bad_names() -> None:
    with pytest.raises(ValueError, match="feature:verb"):
        action("novalue")
    with pytest.raises(ValueError, match="lower case"):
        command("Bad Name", help="x")


def test_every_registered_command_has_one_line_help() -> None:
    registry = load_registry()
    assert "help" in registry.commands
    for spec in registry.commands.values():
        assert spec.help and "\n" not in spec.help, spec.name


async def test_a_refusal_in_a_direct_message_says_server_roles_are_not_seen_there() -> None:
    from core.model import Denied, Request, RequestKind, require_role

    asked = Request(kind=RequestKind.COMMAND, platform="discord", user_id="1", channel_id="dm", is_direct=True)
    with pytest.raises(Denied) as refused:
        require_role(asked, "trainer", "announce training sessions")
    assert "cannot be seen in a direct message" in str(refused.value)
    in_channel = asked.model_copy(update={"is_direct": False})
    with pytest.raises(Denied) as refused:
        require_role(in_channel, "trainer", "announce training sessions")
    assert "direct message" not in str(refused.value)
