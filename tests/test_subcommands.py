"""Sub-commands declared in the registry: one declaration gives the routing, the role check, the
usage line, /help, suggestions and the answer to a verb the command does not have."""

from __future__ import annotations

import types

import pytest

from bot.runtime import Runtime, load_registry
from core.clock import FrozenClock
from core.config import Settings
from core.model import Request, reply
from core.registry import build_registry, command, subcommand
from tests.harness import command as cmd
from tests.harness import text_of

heard: list[str] = []


def _feature() -> types.ModuleType:
    module = types.ModuleType("tests.fake_rota")

    @command("rota", help="Who is on duty.")
    async def rota(req: Request, ctx: object) -> object:
        heard.append(f"bare:{req.text}")
        return reply("today's rota")

    @subcommand("rota", "swap", usage="DAY PERSON", help="swap a day with someone.", aliases=("change",))
    async def swap(req: Request, ctx: object) -> object:
        heard.append(f"swap:{req.text}")
        return reply("swapped")

    @subcommand("rota", "publish", help="post the rota to the team.", role="trainer")
    async def publish(req: Request, ctx: object) -> object:
        heard.append("publish")
        return reply("published")

    for fn in (rota, swap, publish):
        setattr(module, fn.__name__, fn)
    return module


@pytest.fixture
async def rt(settings: Settings, clock: FrozenClock) -> Runtime:
    heard.clear()
    registry = load_registry()
    extra = build_registry([_feature()])
    registry.add(extra.commands["rota"])
    for verb in extra.verbs("rota"):
        registry.add(verb)
    runtime = await Runtime.create(settings, clock=clock, console_mode=True, registry=registry)
    yield runtime
    await runtime.ctx.db.dispose()


def test_the_usage_line_is_written_from_the_declared_verbs() -> None:
    registry = build_registry([_feature()])
    assert registry.commands["rota"].usage == "swap DAY PERSON | publish"
    assert [v.name for v in registry.verbs("rota")] == ["swap", "publish"]


def test_a_verb_declared_twice_is_refused() -> None:
    module = _feature()

    @subcommand("rota", "swap", help="again")
    async def again(req: Request, ctx: object) -> object:
        return None

    module.again = again  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="registered twice"):
        build_registry([module])


async def test_a_verb_gets_the_text_after_it_and_an_alias_reaches_the_same_verb(rt: Runtime) -> None:
    assert text_of((await rt.dispatcher.handle(cmd("rota", "swap monday sam"))).replies) == "swapped"
    assert text_of((await rt.dispatcher.handle(cmd("rota", "CHANGE tuesday jo"))).replies) == "swapped"
    assert heard == ["swap:monday sam", "swap:tuesday jo"]


async def test_a_verb_with_its_own_role_is_refused_to_others(rt: Runtime) -> None:
    denied = await rt.dispatcher.handle(cmd("rota", "publish", user="pat"))
    assert "use /rota publish" in text_of(denied.replies) and heard == []
    allowed = await rt.dispatcher.handle(cmd("rota", "publish", roles={"trainer"}))
    assert text_of(allowed.replies) == "published"


async def test_text_that_is_no_verb_reaches_the_command_itself(rt: Runtime) -> None:
    await rt.dispatcher.handle(cmd("rota", ""))
    await rt.dispatcher.handle(cmd("rota", "swapping"))
    assert heard == ["bare:", "bare:swapping"]


def test_an_unknown_verb_is_answered_from_the_declarations() -> None:
    registry = build_registry([_feature()])
    text = registry.unknown_subcommand_text("rota", "swop")
    assert text.startswith("I don't know /rota swop. Did you mean /rota swap?")
    assert "/rota swap DAY PERSON" in text and "/rota publish" in text


def test_help_after_a_command_lists_its_verbs_and_a_loose_likeness_is_no_suggestion() -> None:
    # An outside audit: "/training help" answered "Did you mean /training cancel?"
    registry = build_registry([_feature()])
    assert registry.unknown_subcommand_text("rota", "help") == (
        "/rota has: /rota swap DAY PERSON, /rota publish. `/help rota` says what each does."
    )
    assert "Did you mean" not in registry.unknown_subcommand_text("rota", "pub crawl")


async def test_help_for_a_command_lists_its_verbs_with_their_roles(rt: Runtime) -> None:
    shown = text_of((await rt.dispatcher.handle(cmd("help", "rota"))).replies)
    assert "**Usage:** /rota swap DAY PERSON | publish" in shown
    assert "- **/rota swap DAY PERSON** — swap a day with someone." in shown
    assert "- **/rota publish** — post the rota to the team. _(trainer)_" in shown


async def test_bulletin_verbs_come_from_the_registry(rt: Runtime) -> None:
    registry = rt.ctx.registry
    assert [v.name for v in registry.verbs("bulletin")] == ["list", "new", "preview", "edit", "schedule", "cancel"]
    assert registry.commands["bulletin"].usage.startswith("list | new | preview ID | edit ID | schedule ID WHEN")
    answer = text_of((await rt.dispatcher.handle(cmd("bulletin", "shedule 3", roles={"comms"}))).replies)
    assert "I don't know /bulletin shedule. Did you mean /bulletin schedule?" in answer
