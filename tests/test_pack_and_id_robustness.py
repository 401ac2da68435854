"""Hostile input that once escaped as a traceback: content packs nested hundreds of levels deep,
holding a 5,000-digit number, a repeated key or a repeated glossary term; bulletin and feed
numbers too large for the database; a feed address with an unclosed "["; and a console clock
moved past what a date can hold. Each now gets a sentence that says what to do next."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.cli import _reload
from bot.runtime import Runtime
from core.clock import LATEST, ClockOutOfRange, FrozenClock, OffsetClock
from core.config import Settings
from core.contentpack import DEFAULT_PACK, MAX_NESTING, InvalidPack, PackProblem, load_pack
from handlers import feature_registry
from handlers.glossary import Glossary
from tests.comms_support import close_runtime
from tests.conftest import START, _clean_postgres
from tests.harness import command, text_of
from tests.test_cli import sgbot, sgbot_in_process

GLOSSARY = DEFAULT_PACK / "glossary.yaml"
NINES = "9" * 5000  # past the 4,300 digits Python turns into an int


def copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, target)
    return target


def line_of(text: str, wanted: str, nth: int = 1) -> int:
    """The line number of the nth line of text that starts with wanted."""
    found = [i for i, line in enumerate(text.splitlines(), 1) if line.startswith(wanted)]
    return found[nth - 1]


def first_glossary_entry() -> str:
    text = GLOSSARY.read_text()
    return text[text.index('  - term: "CADS"') : text.index('  - term: "CAF"')]


# Each case: the file changed, how, and the line and words of the one problem expected.
Edit = Callable[[str], str]
CASES: dict[str, tuple[str, Edit, Callable[[str], int], str]] = {
    "a list 200 deep": (
        "glossary.yaml",
        lambda _: "entries: " + "[" * 200 + "]" * 200 + "\n",
        lambda _: 1,
        f"nested too deeply: lists and mappings sit more than {MAX_NESTING} levels inside each other",
    ),
    "mappings 300 deep": (
        "glossary.yaml",
        lambda _: "entries: " + "{a: " * 300 + "1" + "}" * 300 + "\n",
        lambda _: 1,
        "nested too deeply",
    ),
    "deep under a few ordinary lines": (
        "glossary.yaml",
        lambda _: "# notes\nentries:\n  - term: X\n    aliases: " + "[" * 600 + "]" * 600 + "\n",
        lambda _: 4,
        "check the brackets and indentation from this line",
    ),
    "a 5,000-digit number in partnership.yaml": (
        "partnership.yaml",
        lambda text: text + "\nx_big: " + NINES + "\n",
        lambda text: line_of(text, "x_big:"),
        "this number has 5000 digits, too many to read; shorten it, or put it in quotes if it is text",
    ),
    "a 5,000-digit glossary term": (
        "glossary.yaml",
        lambda text: text.replace('  - term: "CADS"', "  - term: " + NINES, 1),
        lambda text: line_of(text, "  - term: 999"),
        "this number has 5000 digits",
    ),
    "31 February": (
        "partnership.yaml",
        lambda text: text.replace("reviewed_on:", "reviewed_on: 2026-02-31", 1),
        lambda text: line_of(text, "reviewed_on:"),
        "this value cannot be read (day is out of range for month); correct it",
    ),
    "a second entries: block": (
        "glossary.yaml",
        lambda text: (
            text + '\nentries:\n  - term: "X"\n    expansion: "x"\n    meaning: "x"\n'
            '    source: {doc: ar-2014-15, section: "x"}\n'
        ),
        lambda text: line_of(text, "entries:", 2),
        "key 'entries' appears twice (first on line 5); the second would replace the first",
    ),
    "an expansion written twice": (
        "glossary.yaml",
        lambda text: text.replace(
            '    expansion: "Children\'s Advice and Duty Service"',
            '    expansion: "Children\'s Advice and Duty Service"\n    expansion: "Something else"',
            1,
        ),
        lambda text: line_of(text, '    expansion: "Something else"'),
        "key 'expansion' appears twice (first on line 7)",
    ),
    "a glossary term written twice": (
        "glossary.yaml",
        lambda text: text + "\n" + first_glossary_entry(),
        lambda text: line_of(text, '  - term: "CADS"', 2),
        "term 'CADS' is used twice; terms must be unique",
    ),
}


def hostile_pack(tmp_path: Path, case: str) -> tuple[Path, PackProblem]:
    filename, edit, line, words = CASES[case]
    pack = copy_pack(tmp_path)
    path = pack / filename
    text = edit(path.read_text())
    path.write_text(text)
    return pack, PackProblem(str(path), line(text), words)


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_pack_file_is_one_problem_with_its_file_and_line(tmp_path: Path, case: str) -> None:
    pack, expected = hostile_pack(tmp_path, case)
    with pytest.raises(InvalidPack) as caught:
        load_pack(pack, feature_registry().sections)
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (expected.file, expected.line)
    assert expected.message in problem.message


@pytest.mark.parametrize(
    "case", ["a list 200 deep", "a 5,000-digit number in partnership.yaml", "a second entries: block"]
)
def test_sgbot_content_validate_lists_the_problem_without_a_traceback(tmp_path: Path, case: str) -> None:
    pack, expected = hostile_pack(tmp_path, case)
    result = sgbot(["content", "validate", str(pack)], tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{expected.file}:{expected.line}: {expected.message}")
    assert "1 problem(s) found." in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_parser_that_recurses_too_deeply_is_a_problem_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without libyaml, PyYAML's own parser recurses once per level and can run out of stack
    # before the loader sees the nesting.
    import yaml

    def recursing(*_args: object, **_kwargs: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    pack = copy_pack(tmp_path)
    monkeypatch.setattr(yaml, "load", recursing)
    with pytest.raises(InvalidPack) as caught:
        load_pack(pack, feature_registry().sections)
    problem = caught.value.problems[0]
    assert problem.file == str(pack / "partnership.yaml")
    assert problem.message.startswith("nested too deeply")


def test_the_shipped_pack_still_loads_and_keeps_every_glossary_term() -> None:
    pack = load_pack(DEFAULT_PACK, feature_registry().sections)
    terms = [entry.term for entry in pack.get(Glossary).entries]
    assert len(terms) > 50 and "LADO" in terms and "MASH" in terms


async def test_a_reload_of_a_deep_pack_keeps_the_old_one_and_says_why(
    settings: Settings, clock: FrozenClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pack = copy_pack(tmp_path)
    rt = await Runtime.create(settings.model_copy(update={"content_pack": pack}), clock=clock, console_mode=True)
    try:
        before = rt.ctx.content.pack
        (pack / "glossary.yaml").write_text("entries: " + "[" * 300 + "]" * 300 + "\n")
        caplog.set_level(logging.INFO)
        await _reload(rt)  # what SIGHUP runs
        assert rt.ctx.content.pack is before
        [refused] = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert "the content pack was not reloaded; the previous one stays in use" in refused.getMessage()
        assert f"{pack / 'glossary.yaml'}:1: nested too deeply" in refused.getMessage()
        assert all(r.exc_info is None for r in caplog.records)
    finally:
        await rt.ctx.db.dispose()


# --- bulletin and feed numbers too large for the database ------------------------------------------

HUGE = "99999999999999999999"
PAST_INT32 = "3000000000"  # PostgreSQL's integer column stops at 2,147,483,647


@pytest.fixture
async def rt(settings: Settings, database_url: str, clock: FrozenClock) -> AsyncIterator[Runtime]:
    runtime = await Runtime.create(
        settings.model_copy(update={"database_url": database_url}), clock=clock, console_mode=True
    )
    if runtime.ctx.db.is_postgres:
        await _clean_postgres(runtime.ctx.db)
    yield runtime
    await close_runtime(runtime)


def shown(number: str) -> str:
    """A number as an answer names it: cut short past 20 digits."""
    return number if len(number) <= 20 else number[:19] + "…"


async def answer(rt: Runtime, caplog: pytest.LogCaptureFixture, name: str, text: str, **extra: object) -> str:
    caplog.clear()
    outcome = await rt.dispatcher.handle(command(name, text, user="cara", roles={"comms", "admin"}, **extra))
    said = text_of(outcome.replies)
    assert "something went wrong" not in said
    assert all(r.exc_info is None for r in caplog.records), [r.getMessage() for r in caplog.records]
    assert "Traceback" not in caplog.text
    return said


@pytest.mark.parametrize("number", [HUGE, PAST_INT32, "0" * 12 + "7", "9" * 3000])
async def test_a_bulletin_number_too_large_names_no_bulletin(
    rt: Runtime, caplog: pytest.LogCaptureFixture, number: str
) -> None:
    for text in (f"preview {number}", f"edit {number}", f"schedule {number} tomorrow #g", f"cancel {number}"):
        said = await answer(rt, caplog, "bulletin", text)
        assert f"There is no bulletin {shown(number)}. /bulletin list shows the bulletins there are." in said


async def test_a_digit_that_is_not_0_to_9_is_not_a_bulletin_number(
    rt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    assert "Give the bulletin's number" in await answer(rt, caplog, "bulletin", "preview ²")


@pytest.mark.parametrize("number", [HUGE + "999", PAST_INT32])
async def test_a_feed_number_too_large_names_no_feed(
    rt: Runtime, caplog: pytest.LogCaptureFixture, number: str
) -> None:
    for verb in ("remove", "pause", "resume"):
        said = await answer(rt, caplog, "feeds", f"{verb} {number}")
        assert f"There is no feed {shown(number)}. /feeds list shows the feeds there are." in said
    assert "Give the feed's number" in await answer(rt, caplog, "feeds", "pause ²")


@pytest.mark.parametrize("address", ["http://[::1", "https://[::1/feed", "<http://[::1|label>"])
async def test_an_unclosed_ipv6_bracket_is_not_a_web_address(
    rt: Runtime, caplog: pytest.LogCaptureFixture, address: str
) -> None:
    said = await answer(rt, caplog, "feeds", f"add {address} #g")
    assert "is not a web address. Give the feed's full address, starting https://" in said


# --- the console's clock ---------------------------------------------------------------------------


@pytest.mark.parametrize("offset", ["+99999999d", "+999999999999999999999999h", "+" + "9" * 3900 + "m", "+4000w"])
async def test_moving_the_clock_too_far_is_refused_and_leaves_it_alone(
    rt: Runtime, clock: FrozenClock, caplog: pytest.LogCaptureFixture, offset: str
) -> None:
    said = await answer(rt, caplog, "debug", f"clock {offset}")
    assert "That is too far forward: the bot's clock goes no further than 1 January 2100." in said
    assert clock.now() == START
    assert "Monday 2 March 2026" in await answer(rt, caplog, "debug", "clock")
    assert "Children's Advice and Duty Service" in await answer(rt, caplog, "glossary", "CADS")
    assert "Tuesday 3 March 2026" in await answer(rt, caplog, "debug", "clock +1d")


def test_a_refused_move_leaves_either_clock_where_it_was() -> None:
    offset = OffsetClock(base=START)
    frozen = FrozenClock(START)
    for clock in (offset, frozen):
        with pytest.raises(ClockOutOfRange):
            clock.advance(LATEST - START + dt.timedelta(seconds=1))
        assert clock.now() == START
        clock.advance(LATEST - START)  # up to the limit itself is allowed
        assert clock.now() == LATEST


def test_the_console_answers_and_keeps_working_after_a_huge_clock_move(tmp_path: Path) -> None:
    script = "/debug clock +99999999d\n/contacts\n/debug clock\n"
    result = sgbot_in_process(["console", "--at", "2026-03-02T09:00", "--script", "-"], tmp_path, stdin=script)
    assert "That is too far forward" in result.stdout
    assert "something went wrong" not in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert "Monday 2 March 2026, 09:00" in result.stdout.split("> /debug clock\n")[1]
