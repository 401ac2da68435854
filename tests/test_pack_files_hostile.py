"""Pack files that once escaped `sgbot content validate` as a traceback, or never let it finish
(an outside audit's finding): a learned_concerns.json nested 100,000 lists deep or holding a
401-digit number, a 600 MB contacts.yaml, a pack file that is a link to /dev/zero or a named
pipe. Each is now one `file:line: message` sentence, and a running bot's reload of such a pack
logs a sentence and keeps the pack it has.

The cases that read without end when the guard is missing run in a child process with its
memory and time capped, so a regression fails here instead of exhausting the machine."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import resource
import shutil
import stat
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from bot.cli import _reload
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from core.contentpack import DEFAULT_PACK, MAX_FILE_MB, InvalidPack, PackFileRefused, load_pack, read_pack_file
from handlers import feature_registry
from handlers.safety import learned as guard_learned
from handlers.threshold import learned
from tests.test_cli import NOT_INHERITED, SGBOT

NESTED = "[" * 100_000 + "]" * 100_000  # the audit's file: too deep for Python's JSON reader
SIX_HUNDRED_MB = 600_000_000


def copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, target)
    return target


def problems_of(pack: Path) -> list[str]:
    with pytest.raises(InvalidPack) as caught:
        load_pack(pack, feature_registry().sections)
    return [str(p) for p in caught.value.problems]


def with_intercept(pack: Path, raw: str) -> None:
    """learned_concerns.json with its first intercept written as raw JSON."""
    path = pack / learned.FILE
    data = json.loads(path.read_text())
    data["intercepts"][0] = "HERE"
    path.write_text(json.dumps(data).replace('"HERE"', raw, 1))


def capped_validate(pack: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`sgbot content validate PACK` in a child process of at most 1.5 GB, for at most a minute."""

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_INHERITED)}
    env["DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run(
        [*SGBOT, "content", "validate", str(pack)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
        preexec_fn=cap_memory,  # noqa: PLW1509 - the child is the interpreter alone, no threads yet
    )


# --- learned_concerns.json ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("1" + "0" * 400, "it holds a number too large to use"),  # the audit's 401-digit intercept
        ("1e400", "it holds inf, which a model cannot use"),
        ("NaN", "it holds NaN, which a model cannot use"),
        ("-Infinity", "it holds -Infinity, which a model cannot use"),
    ],
)
def test_a_learned_number_no_model_can_use_is_one_sentence(tmp_path: Path, raw: str, words: str) -> None:
    pack = copy_pack(tmp_path)
    with_intercept(pack, raw)
    [problem] = problems_of(pack)
    assert f"learned_concerns.json cannot be read ({words}); {learned.RETRAIN}" in problem


def test_a_learned_file_nested_100000_deep_is_one_sentence(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    (pack / learned.FILE).write_text(NESTED)
    [problem] = problems_of(pack)
    assert problem.startswith(str(pack / "levels.yaml"))
    assert f"learned_concerns.json cannot be read (it is nested too deeply); {learned.RETRAIN}" in problem


def test_a_learned_file_that_is_a_device_or_a_named_pipe_is_refused_unread(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / learned.FILE).symlink_to("/dev/zero")
    with pytest.raises(learned.LearnedProblem) as caught:
        learned.load(pack)
    assert str(caught.value) == (
        "learned_concerns.json is a device (it links to /dev/zero), not an ordinary file; put the file itself here"
    )
    (pack / learned.FILE).unlink()
    os.mkfifo(pack / learned.FILE)
    with pytest.raises(learned.LearnedProblem, match="learned_concerns.json is a named pipe, not an ordinary file"):
        learned.load(pack)


def test_a_learned_file_over_its_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / learned.FILE
    with path.open("wb") as file:
        file.truncate(learned.MAX_MB * 1_000_000 + 1)  # sparse: no disk used
    with pytest.raises(learned.LearnedProblem) as caught:
        learned.load(tmp_path)
    assert str(caught.value) == (
        f"learned_concerns.json is {learned.MAX_MB}.1 MB, more than the {learned.MAX_MB} MB this file may be; "
        "check it is the right file"
    )


def test_a_pack_without_a_learned_file_or_with_a_dangling_link_has_no_learned_concerns(tmp_path: Path) -> None:
    assert learned.load(tmp_path) is None
    (tmp_path / learned.FILE).symlink_to(tmp_path / "gone.json")
    assert learned.load(tmp_path) is None


def test_the_shipped_learned_file_is_far_under_its_limit() -> None:
    assert (DEFAULT_PACK / learned.FILE).stat().st_size * 10 < learned.MAX_MB * 1_000_000
    assert learned.load(DEFAULT_PACK) is not None


# --- the YAML files --------------------------------------------------------------------------------


def test_a_contacts_file_a_byte_over_the_limit_is_refused_by_its_size_before_it_is_read(tmp_path: Path) -> None:
    # The audit's 600 MB file goes through sgbot below, in a process whose memory is capped.
    pack = copy_pack(tmp_path)
    contacts = pack / "contacts.yaml"
    with contacts.open("ab") as file:
        file.truncate(MAX_FILE_MB * 1_000_000 + 1)  # sparse: no disk used
    problems = problems_of(pack)
    assert problems[0] == (
        f"{contacts}:0: is {MAX_FILE_MB}.1 MB, more than the {MAX_FILE_MB} MB this file may be; "
        "check it is the right file"
    )


def test_every_shipped_pack_file_is_far_under_the_limit() -> None:
    sizes = {p.name: p.stat().st_size for p in DEFAULT_PACK.glob("*.yaml")}
    assert max(sizes.values()) * 10 < MAX_FILE_MB * 1_000_000, sizes


def test_a_file_that_grows_after_its_size_was_checked_is_cut_off_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_bytes(b"# x\n" * 300_000)  # 1.2 MB, where the size checked says 10 bytes
    checked = os.stat_result((stat.S_IFREG | 0o644, 0, 0, 1, 0, 0, 10, 0, 0, 0))
    monkeypatch.setattr(Path, "stat", lambda *_a, **_k: checked)
    with pytest.raises(PackFileRefused, match="grew as it was read to more than the 1 MB this file may be"):
        read_pack_file(path, max_mb=1)


def test_a_named_pipe_put_in_after_the_check_is_refused_without_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "contacts.yaml"
    os.mkfifo(path)
    checked = os.stat_result((stat.S_IFREG | 0o644, 0, 0, 1, 0, 0, 10, 0, 0, 0))
    monkeypatch.setattr(Path, "stat", lambda *_a, **_k: checked)  # the check saw an ordinary file
    with pytest.raises(PackFileRefused, match="is a named pipe, not an ordinary file"):
        read_pack_file(path)  # opened without blocking, so no writer is needed to get here


def test_a_file_too_dense_for_the_memory_left_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    def out_of_memory(*_args: object, **_kwargs: object) -> object:
        raise MemoryError

    pack = copy_pack(tmp_path)
    monkeypatch.setattr(yaml, "load", out_of_memory)
    problems = problems_of(pack)
    assert problems[0] == (
        f"{pack / 'partnership.yaml'}:0: is too big to read in the memory the bot has; "
        "make it smaller, or give the bot more memory"
    )


def test_sgbot_content_validate_answers_the_audits_packs_with_a_sentence_each(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    (pack / "contacts.yaml").unlink()
    (pack / "contacts.yaml").symlink_to("/dev/zero")  # read until killed, before
    (pack / "surveys.yaml").unlink()
    os.mkfifo(pack / "surveys.yaml")  # blocked for ever, before
    with (pack / "glossary.yaml").open("ab") as file:
        file.truncate(SIX_HUNDRED_MB)  # a MemoryError traceback, before
    (pack / learned.FILE).write_text(NESTED)  # a RecursionError traceback, before
    result = capped_validate(pack, tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert (
        f"{pack / 'contacts.yaml'}:0: is a device (it links to /dev/zero), not an ordinary file; "
        "put the file itself here"
    ) in lines
    assert f"{pack / 'surveys.yaml'}:0: is a named pipe, not an ordinary file; put the file itself here" in lines
    assert (
        f"{pack / 'glossary.yaml'}:0: is 600 MB, more than the {MAX_FILE_MB} MB this file may be; "
        "check it is the right file"
    ) in lines
    assert any(
        line.endswith(f"learned_concerns.json cannot be read (it is nested too deeply); {learned.RETRAIN}")
        for line in lines
    ), lines


# --- a running bot's reload ------------------------------------------------------------------------


def make_fifo(pack: Path) -> None:
    (pack / "contacts.yaml").unlink()
    os.mkfifo(pack / "contacts.yaml")

    def release() -> None:
        # Should a reload ever wait on the pipe again, open and close its other end, so the
        # test fails on what it then reads instead of hanging the run.
        with contextlib.suppress(OSError):  # no one waiting: nothing to release
            os.close(os.open(pack / "contacts.yaml", os.O_WRONLY | os.O_NONBLOCK))

    watchdog = threading.Timer(20, release)
    watchdog.daemon = True
    watchdog.start()


def make_nested_learned(pack: Path) -> None:
    (pack / learned.FILE).write_text(NESTED)


def make_huge_intercept(pack: Path) -> None:
    with_intercept(pack, "1" + "0" * 400)


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (make_fifo, "contacts.yaml:0: is a named pipe"),
        (make_nested_learned, "learned_concerns.json cannot be read (it is nested too deeply)"),
        (make_huge_intercept, "learned_concerns.json cannot be read (it holds a number too large to use)"),
    ],
)
async def test_a_reload_of_the_audits_packs_keeps_the_old_one_and_says_why(
    settings: Settings, clock: FrozenClock, tmp_path: Path, caplog: pytest.LogCaptureFixture, spoil: Any, words: str
) -> None:
    pack = copy_pack(tmp_path)
    rt = await Runtime.create(settings.model_copy(update={"content_pack": pack}), clock=clock, console_mode=True)
    try:
        before = rt.ctx.content.pack
        spoil(pack)
        # The tests' pack cache is keyed on the section files alone; a comment makes it load
        # afresh, as a real reload always does.
        with (pack / "partnership.yaml").open("a") as file:
            file.write("# edited\n")
        caplog.set_level(logging.INFO)
        await _reload(rt)  # what SIGHUP runs
        assert rt.ctx.content.pack is before
        [refused] = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert "the content pack was not reloaded; the previous one stays in use" in refused.getMessage()
        assert words in refused.getMessage()
        assert all(r.exc_info is None for r in caplog.records)
    finally:
        await rt.ctx.db.dispose()


async def test_a_reload_that_fails_in_any_other_way_logs_one_sentence_and_keeps_the_old_pack(
    settings: Settings, clock: FrozenClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rt = await Runtime.create(settings.model_copy(update={"content_pack": copy_pack(tmp_path)}), clock=clock)
    try:
        before = rt.ctx.content.pack

        async def failing(actor: str) -> None:
            raise RecursionError("maximum recursion depth exceeded while decoding a JSON array")

        rt.reload_content = failing  # type: ignore[method-assign]
        caplog.set_level(logging.INFO)
        await _reload(rt)
        assert rt.ctx.content.pack is before
        [refused] = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert refused.getMessage() == (
            "the content pack was not reloaded (RecursionError: maximum recursion depth exceeded while decoding "
            "a JSON array); the previous one stays in use"
        )
        assert all(r.exc_info is None for r in caplog.records if r.levelno >= logging.INFO)
    finally:
        await rt.ctx.db.dispose()


# --- the guard's own learned file (shipped with the code, not in a pack) ---------------------------


@pytest.mark.parametrize("bad", [10**400, float("nan"), float("inf")])
def test_the_guards_learned_file_with_a_number_no_model_can_use_is_refused(bad: object) -> None:
    data = {"intercept": bad, "threshold": 0.8, "pieces": {"w:x": [1.0, 1.0]}}
    with pytest.raises(guard_learned.LearnedGuardProblem, match="bench.learn_guard"):
        guard_learned.from_data(data)


def test_the_guards_learned_file_nested_too_deeply_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nested = tmp_path / "learned_guard.json"
    nested.write_text(NESTED)
    monkeypatch.setattr(guard_learned, "FILE", nested)
    guard_learned.reader.cache_clear()
    try:
        with pytest.raises(guard_learned.LearnedGuardProblem, match=r"nested too deeply\); train it again"):
            guard_learned.reader()
    finally:
        monkeypatch.undo()
        guard_learned.reader.cache_clear()
