"""Values of the wrong type in buttons and forms, and over-long command text, for every platform.

Adapters hand the dispatcher whatever the platform sent. A button value or form value that is a
number, a list or an object instead of text is refused with the sentence used for any button or
form the bot did not make; the log says what sort of thing arrived, never the thing itself, and
holds no traceback. Command text longer than the platform allows is refused in one sentence
before any handler runs.
"""

from __future__ import annotations

import logging
import time
import types
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from bot.dispatch import FORGED_VALUE
from bot.runtime import Runtime, load_registry
from core.clock import FrozenClock
from core.config import Settings
from core.model import Request, RequestKind, reply
from core.registry import action, build_registry, command
from storage.db import Database
from tests.harness import Console, text_of

calls: list[str] = []
SENTINEL = 987_654_321_987_654_321  # a number that must never reach the log
SECRET = "do-not-log-this-child-name"


class Count(BaseModel):
    people: int


def _feature() -> types.ModuleType:
    module = types.ModuleType("tests.values_feature")

    @command("echo", usage="TEXT", help="Say how much text arrived.")
    async def echo(req: Request, ctx: object) -> object:
        calls.append(f"echo:{len(req.text)}")
        return reply(f"{len(req.text)} characters")

    @action("fake:session", pattern=r"^\d{1,9}$")
    async def session(req: Request, ctx: object) -> object:
        calls.append(f"session:{int(req.value)}")
        return reply("session shown")

    @action("fake:count")
    async def count(req: Request, ctx: object) -> object:
        # A handler that validates what it was given with pydantic, and lets the error escape.
        Count.model_validate({"people": req.value})
        return reply("counted")

    @action("fake:form")
    async def form(req: Request, ctx: object) -> object:
        calls.append(f"form:{req.form}")
        return reply("saved")

    for fn in (echo, session, count, form):
        setattr(module, fn.__name__, fn)
    return module


@pytest.fixture
async def rt(db: Database, database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    """The product's own registry plus a small feature, on SQLite and (when set) PostgreSQL."""
    calls.clear()
    registry = load_registry()
    extra = build_registry([_feature()])
    for spec in [*extra.commands.values(), *extra.actions.values()]:
        registry.add(spec)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path / "data",
        database_url=database_url,
        survey_secret="test-key-Qz8vWm2Lp9Xr4Nf7Hc",
    )
    runtime = await Runtime.create(settings, clock=clock, console_mode=True, registry=registry)
    yield runtime
    await runtime.ctx.db.dispose()


def _raw(kind: RequestKind, action_id: str, **fields: Any) -> Request:
    """A request as an adapter builds it from a platform payload: values exactly as they were sent."""
    return Request(kind=kind, platform="discord", user_id="u1", channel_id="c1", action_id=action_id, **fields)


def _assert_refused_quietly(replies_text: str, caplog: pytest.LogCaptureFixture, *sent: object) -> None:
    assert replies_text == FORGED_VALUE
    assert calls == []
    assert not [r for r in caplog.records if r.exc_info], "no traceback in the log"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "refused a request" in logged
    for value in sent:
        assert str(value) not in logged


WRONG_VALUES = {
    "a list": [SENTINEL],
    "an object": {"id": SENTINEL},
    "a huge number": SENTINEL * 10**30,
    "a number": SENTINEL,
    "a fraction": 1.5e308,
    "true/false": True,
    "null": None,
}


@pytest.mark.parametrize("what", list(WRONG_VALUES))
async def test_a_button_value_of_the_wrong_type_gets_the_forged_value_sentence(
    rt: Runtime, caplog: pytest.LogCaptureFixture, what: str
) -> None:
    caplog.set_level(logging.DEBUG)
    sent = WRONG_VALUES[what]
    outcome = await rt.dispatcher.handle(_raw(RequestKind.ACTION, "fake:session", value=sent))
    _assert_refused_quietly(text_of(outcome.replies), caplog, SENTINEL)


async def test_text_where_a_number_is_expected_gets_the_same_sentence(
    rt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for value in (SECRET, "9" * 40, "-1", "1e9", " 12"):
        outcome = await rt.dispatcher.handle(_raw(RequestKind.ACTION, "fake:session", value=value))
        assert text_of(outcome.replies) == FORGED_VALUE
    assert calls == [] and not [r for r in caplog.records if r.exc_info]
    assert SECRET not in caplog.text
    ok = await rt.dispatcher.handle(_raw(RequestKind.ACTION, "fake:session", value="12"))
    assert text_of(ok.replies) == "session shown" and calls == ["session:12"]


@pytest.mark.parametrize(
    "form",
    [
        {"title": SENTINEL},
        {"title": [SECRET]},
        {"title": {"nested": SECRET}},
        {"title": None},
        [SECRET],
        SECRET,
    ],
    ids=["number", "list", "object", "null", "a list instead of fields", "text instead of fields"],
)
async def test_form_values_of_the_wrong_type_get_the_forged_value_sentence(
    rt: Runtime, caplog: pytest.LogCaptureFixture, form: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    outcome = await rt.dispatcher.handle(_raw(RequestKind.SUBMIT, "fake:form", form=form))
    _assert_refused_quietly(text_of(outcome.replies), caplog, SENTINEL, SECRET)
    assert outcome.form_errors is None


async def test_the_products_own_actions_refuse_wrong_types_before_any_role_check(
    rt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    cases = [
        ("training:rsvp", {"value": [SENTINEL, "g"]}),
        ("survey:answer", {"value": {"survey": SENTINEL}}),
        ("bulletin:save", {"value": "new", "form": {"title": SECRET, "body": SENTINEL}}),
        ("training:add", {"value": "", "form": {"when": [SECRET]}}),
    ]
    for action_id, fields in cases:
        outcome = await rt.dispatcher.handle(_raw(RequestKind.SUBMIT, action_id, **fields))
        assert text_of(outcome.replies) == FORGED_VALUE, action_id
    assert not [r for r in caplog.records if r.exc_info]
    assert str(SENTINEL) not in caplog.text and SECRET not in caplog.text


async def test_command_text_of_the_wrong_type_is_refused(rt: Runtime, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    request = Request(kind=RequestKind.COMMAND, platform="discord", user_id="u1", command="echo", text=SENTINEL)
    outcome = await rt.dispatcher.handle(request)
    _assert_refused_quietly(text_of(outcome.replies), caplog, SENTINEL)


async def test_a_pydantic_error_inside_a_handler_is_logged_without_the_input(
    rt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    outcome = await rt.dispatcher.handle(_raw(RequestKind.ACTION, "fake:count", value=SECRET))
    shown = text_of(outcome.replies)
    assert outcome.error_id is not None and f"error id {outcome.error_id}" in shown
    [record] = [r for r in caplog.records if outcome.error_id in r.getMessage()]
    assert "people: int_parsing" in record.getMessage() and "model_validate" in record.getMessage()
    assert SECRET not in caplog.text and SECRET not in shown


# --- how much text a command takes ------------------------------------------------------------


def _command(text: str, platform: str) -> Request:
    return Request(kind=RequestKind.COMMAND, platform=platform, user_id="u1", command="echo", text=text)


@pytest.mark.parametrize(("platform", "limit"), [("slack", 4000), ("discord", 6000), ("console", 4000)])
async def test_command_text_is_capped_at_the_platforms_own_limit(rt: Runtime, platform: str, limit: int) -> None:
    at_limit = await rt.dispatcher.handle(_command("x" * limit, platform))
    assert text_of(at_limit.replies) == f"{limit} characters"
    over = await rt.dispatcher.handle(_command("x" * (limit + 1), platform))
    sentence = text_of(over.replies)
    assert sentence.startswith("That is more text than a command takes here") and f"{limit:,}" in sentence
    assert sentence.count(".") == 1 and "shorten it" in sentence
    assert calls == [f"echo:{limit}"]


async def test_three_megabytes_of_threshold_text_get_one_sentence(rt: Runtime) -> None:
    text = "worried about neglect " * 150_000
    request = Request(kind=RequestKind.COMMAND, platform="slack", user_id="u1", command="threshold", text=text)
    outcome = await rt.dispatcher.handle(request)
    assert text_of(outcome.replies).startswith("That is more text than a command takes here (4,000 characters at most)")


async def test_the_console_refuses_an_over_long_command_in_one_sentence(rt: Runtime) -> None:
    console = Console(rt)
    started = time.perf_counter()
    shown = await console.run("/threshold " + "worried about neglect " * 150_000)
    elapsed = time.perf_counter() - started
    assert "That is more text than a command takes here (4,000 characters at most)" in shown
    assert "Level" not in shown  # the threshold handler never ran
    print(f"console: 3 MB of /threshold text answered in {elapsed:.3f} s")  # a figure, not an assertion
