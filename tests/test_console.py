"""The console as a trainer or delegate meets it: clock arithmetic, whose buttons can be pressed,
and the command-line conveniences around it, on a real SQLite file: through the real typer app in
this process (`sgbot_in_process`), and as real `sgbot` processes where the process is the point
(what it logs, what it imports)."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from core.clock import OffsetClock
from storage import audit
from storage.db import Database
from tests.test_cli import ROOT, sgbot, sgbot_in_process


def test_moving_the_clock_counts_real_hours_across_the_spring_clock_change(tmp_path: Path) -> None:
    # 29 March 2026 is the day the clocks go forward: 24 real hours after noon on the 28th is 13:00.
    result = sgbot_in_process(
        ["console", "--at", "2026-03-28T12:00", "--script", "-"], tmp_path, stdin="/debug clock +24h\n"
    )
    assert result.returncode == 0, result.stderr
    assert "Sunday 29 March 2026, 13:00" in result.stdout


def test_the_hour_the_clocks_go_back_shows_which_of_the_two_it_is(tmp_path: Path) -> None:
    # An outside audit: +1h from 01:30 BST on 25 October 2026 showed "01:30" twice.
    result = sgbot_in_process(
        ["console", "--at", "2026-10-25T00:30", "--script", "-"], tmp_path, stdin="/debug clock +1h\n/debug clock +1h\n"
    )
    assert result.returncode == 0, result.stderr
    assert "01:30 in Europe/London (BST, the first 01:30 that night" in result.stdout
    assert "01:30 in Europe/London (GMT, the second 01:30 that night" in result.stdout


def test_offset_clock_keeps_its_start_in_utc() -> None:
    from zoneinfo import ZoneInfo

    start = dt.datetime(2026, 10, 24, 12, 0, tzinfo=ZoneInfo("Europe/London"))  # the day before the autumn change
    clock = OffsetClock(base=start)
    clock.advance(dt.timedelta(hours=24))
    assert clock.now() - start == dt.timedelta(hours=24)
    assert clock.now().astimezone(ZoneInfo("Europe/London")).hour == 11


def test_a_chat_started_at_a_time_runs_on_from_it_and_a_script_stays_put() -> None:
    """An outside audit: a chat started `--at` 09:00:20 still said 09:00 seventy seconds later, and
    a bulletin due at 09:01 never went out. Scripts keep a still clock, so transcripts repeat."""
    import time

    start = dt.datetime(2026, 3, 2, 9, 0, 20, tzinfo=dt.UTC)
    chat, script = OffsetClock(base=start, runs=True), OffsetClock(base=start)
    time.sleep(0.02)
    assert chat.now() > start
    assert script.now() == start
    chat.advance(dt.timedelta(hours=1))
    assert chat.now() > start + dt.timedelta(hours=1)


def test_bang_n_never_presses_another_persons_private_choices(tmp_path: Path) -> None:
    # ann's /glossary suggestion buttons are shown only to her; bob's !1 must not find them.
    script = "@ann /glossary LAD\n@bob !1\n@bob !1.1\n@ann !1\n"
    result = sgbot_in_process(["console", "--script", "-"], tmp_path, stdin=script)
    out = result.stdout
    assert "only you can see this" in out.split("> @bob !1")[0]
    bob_plain, bob_numbered = out.split("> @bob !1\n")[1].split("> @bob !1.1\n")
    assert "There are no choices to press yet" in bob_plain
    assert "was shown only to ann, so only they can press its choices" in bob_numbered.split("> @ann !1")[0]
    ann_press = out.split("> @ann !1\n")[1]
    assert "LADO" in ann_press  # the owner still can
    assert result.returncode == 1  # bob's two refused presses count as problems


def test_content_validate_without_a_path_checks_the_configured_pack(tmp_path: Path) -> None:
    default = sgbot(["content", "validate"], tmp_path)
    assert default.returncode == 0, default.stderr
    assert "Medway" in default.stdout and "is valid" in default.stdout
    riverside = sgbot_in_process(
        ["content", "validate"], tmp_path, env={"CONTENT_PACK": str(ROOT / "tests" / "packs" / "riverside")}
    )
    assert riverside.returncode == 0, riverside.stderr
    assert "Riverside" in riverside.stdout


def _one_audit_entry(tmp_path: Path, *, subject: str, detail: str) -> None:
    """A data folder whose database holds one audit entry, as a trainer's cancellation leaves it."""
    data = tmp_path / "data"
    data.mkdir()

    async def write() -> None:
        db = Database(f"sqlite+aiosqlite:///{data / 'sgbot.db'}")
        await db.upgrade()
        at = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
        async with db.transaction() as tx:
            await audit.record(
                tx, at=at, platform="slack", actor="U0123456789ABCDEF", action="training.cancel", subject=subject,
                detail=detail,
            )  # fmt: skip
        await db.dispose()

    asyncio.run(write())


def test_audit_fits_an_80_column_terminal_without_cutting_values(tmp_path: Path) -> None:
    _one_audit_entry(
        tmp_path,
        subject="session 12: Domestic abuse and the DASH checklist",
        detail="reason: the trainer is unwell and the venue could not be rebooked",
    )
    result = sgbot_in_process(["audit"], tmp_path, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    for value in ("slack:U0123456789ABCDEF", "training.cancel", "2026-03-02 09:30", "Domestic abuse and the DASH"):
        assert value in result.stdout
    assert "rebooked" in result.stdout


@pytest.mark.parametrize("columns", ["80", "200"])
def test_audit_shows_what_people_typed_as_typed_never_as_terminal_markup(tmp_path: Path, columns: str) -> None:
    """A cancellation's reason with rich's markup in it ("[/bold]") stopped `sgbot audit` with a
    traceback; a "[link=...]" would have put a link on the terminal. A wrapped reason stays under
    its label."""
    reason = "[/bold] venue flooded [link=https://evil.example]click[/link] " + "and then the room was lost " * 4
    reason += "\x1b[2J\u202egnos"  # a screen-clearing escape and a right-to-left override, written out
    _one_audit_entry(tmp_path, subject="[red]1[/red]", detail=reason)
    result = sgbot_in_process(["audit"], tmp_path, env={"COLUMNS": columns})
    assert result.returncode == 0, result.stderr
    shown = " ".join(line.strip(" │") for line in result.stdout.splitlines())
    assert "[/bold] venue flooded [link=https://evil.example]click[/link]" in " ".join(shown.split())
    assert "[red]1[/red]" in shown
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\\u001b[2J\\u202egnos" in shown.replace(" ", "")
    if columns == "80":
        detail_lines = result.stdout.split("detail: ", 1)[1].splitlines()
        assert len(detail_lines) > 1 and all(line.startswith("    ") for line in detail_lines[1:])


def test_commands_print_no_library_chatter_at_the_default_log_level(tmp_path: Path) -> None:
    # Opening the database runs migrations; Alembic's set-up lines are not for the person at the terminal.
    result = sgbot(["audit"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "alembic" not in result.stdout + result.stderr
    assert "INFO" not in result.stdout + result.stderr
    # A first report on a machine builds matplotlib's font cache, which it announces at INFO.
    report = sgbot(
        ["report", "impact", "--year", "2025-26", "--out", "report"],
        tmp_path,
        env={"MPLCONFIGDIR": str(tmp_path / "mpl")},
    )
    assert report.returncode == 0, report.stderr
    assert "INFO" not in report.stdout + report.stderr


_WHAT_EACH_MODULE_ADDS = """
import json, os, sys, typer
from bot import cli
import handlers, storage.db  # the features' shared imports, once; they add no command themselves
def names():
    top = typer.main.get_group(cli.app).commands
    reports = typer.main.get_group(cli.report_app).commands
    # "report NAME" for a report; a group's name with its sub-commands for the rest
    return {**{name: sorted(getattr(cmd, "commands", {}) or []) for name, cmd in top.items() if name != "report"},
            **{f"report {name}": [] for name in reports}}
before = names()
for module in sys.argv[1:]:
    # each module in a fork of this interpreter, as it was before any command module was added
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        cli.add_commands(module)
        added = sorted(name for name, subs in names().items() if before.get(name) != subs)
        print(json.dumps([module, added]), flush=True)
        os._exit(0)
    if os.waitpid(pid, 0)[1]:
        sys.exit(f"adding {module} failed")
"""


def test_every_command_module_declares_exactly_the_commands_it_adds() -> None:
    import json
    import subprocess
    import sys

    from bot.cli import all_command_modules, command_modules

    declared = command_modules()
    modules = all_command_modules()
    assert {"bot.cli_ops", "handlers.surveys.cli", "handlers.training.cli"} <= set(modules)
    out = subprocess.run(
        [sys.executable, "-c", _WHAT_EACH_MODULE_ADDS, *modules], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    reported = [json.loads(line) for line in out.splitlines()]
    assert [module for module, _ in reported] == list(modules)
    for module, added in reported:
        # a new command, a report, or sub-commands added to a group bot/cli.py owns (`content reload`)
        assert added == sorted(name for name, modules in declared.items() if module in modules), module


def test_version_loads_no_database_or_chat_library_and_validate_no_chat_library() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from bot.cli import main\n"
        "sys.argv = ['sgbot'] + sys.argv[1:]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'slack_bolt', 'discord', 'aiohttp', 'httpx', 'matplotlib') "
        "if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )

    def loaded(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=False, cwd=ROOT
        ).stdout

    assert "HEAVY []" in loaded("--version")
    # Validating reads every feature's pack section, and the feature modules still import storage
    # at the top, so SQLAlchemy comes along; the chat libraries and matplotlib do not.
    validate = loaded("content", "validate")
    assert "is valid" in validate
    for library in ("slack_bolt", "discord", "matplotlib"):
        assert f"'{library}'" not in validate


def test_the_bulletin_demo_pastes_a_whole_markdown_bulletin(tmp_path: Path) -> None:
    script = ROOT / "docs" / "demo" / "bulletin.txt"
    result = sgbot_in_process(
        ["console", "--as", "cara", "--role", "comms", "--at", "2026-03-02T09:00", "--script", str(script)], tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    preview = result.stdout.split("Preview of bulletin 1 (draft)")[1].split("> /bulletin schedule")[0]
    for line in (
        "What the review found",
        "Ask who else lives in the home",
        "Record the men in a child's life",
        "One more heading, written with a single hash",
        "Think Family",
    ):
        assert line in preview
    assert "will go to #practice, #schools on Tue 3 Mar 2026, 09:00" in result.stdout


def test_the_audit_csv_makes_a_typed_formula_inert(tmp_path: Path) -> None:
    _one_audit_entry(tmp_path, subject='=HYPERLINK("https://evil.example","Open")', detail="@SUM(1+1)")
    result = sgbot_in_process(["audit", "--format", "csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "'=HYPERLINK" in result.stdout and "'@SUM" in result.stdout
    assert ",=HYPERLINK" not in result.stdout and '"=HYPERLINK' not in result.stdout


def test_a_refused_form_answer_is_not_offered_back_as_the_fields_value(tmp_path: Path) -> None:
    from tests.test_cli import sgbot

    script = tmp_path / "form.txt"
    script.write_text("/training add\nbasic-cp\n2026-03-09 10:00-13:00\nRoom 101\nGun Wharf, Chatham\n\n25\n")
    result = sgbot(
        ["console", "--as", "sam", "--role", "trainer", "--at", "2026-03-02T09:00", "--script", str(script)], tmp_path
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert '"Room 101" is not a number of places' in result.stdout
    assert "[now: Room 101" not in result.stdout
    assert "Added session 1" in result.stdout


def test_a_form_answer_longer_than_its_field_is_asked_again_as_a_modal_would(tmp_path: Path) -> None:
    # An outside audit: a 5,074-character venue was saved and posted from the console, where a
    # platform's form takes at most 700
    from tests.test_cli import sgbot

    script = tmp_path / "form.txt"
    long_venue = "Gun Wharf " * 507
    script.write_text(f"/training add\nbasic-cp\n2026-03-09 10:00-13:00\n25\n{long_venue}\n\nGun Wharf, Chatham\n")
    result = sgbot(
        ["console", "--as", "sam", "--role", "trainer", "--at", "2026-03-02T09:00", "--script", str(script)], tmp_path
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "At most 700 characters; this is 5,069." in result.stdout  # the line, its last space cut
    assert (
        "Added session 1: Basic child protection, Monday 9 March 2026, 10:00–13:00, Gun Wharf, Chatham."
        in result.stdout
    )


def test_control_characters_in_what_the_console_shows_are_written_as_escapes(tmp_path: Path) -> None:
    # An outside audit: a typed line with an escape sequence was echoed raw, recolouring (or, with
    # OSC, retitling) the terminal of whoever ran the script
    result = sgbot_in_process(
        ["console", "--script", "-"], tmp_path, stdin="/training \x1b[31mred\n/glossary \x1b]0;x\x07LADO\n"
    )
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "> /training \\x1b[31mred" in result.stdout


def test_pressing_a_message_without_choices_says_so_plainly(tmp_path: Path) -> None:
    # An outside check saw "Message [1] has choices 1 to 0." for an answer with no buttons.
    result = sgbot_in_process(["console", "--script", "-"], tmp_path, stdin="/glossary LADO\n!1.1\n")
    assert "Message [1] has no choices to press." in result.stdout
    assert "choices 1 to 0" not in result.stdout


def test_a_command_typed_into_a_form_leaves_the_form_and_runs(tmp_path: Path) -> None:
    # An outside check: "/training announce 1 training" typed at the Trainer prompt was saved as
    # the trainer's name, and the announcement never went out.
    script = "/training add\n/glossary LADO\n/training list\n"
    result = sgbot_in_process(["console", "--role", "trainer", "--script", "-"], tmp_path, stdin=script)
    out = result.stdout
    assert "That is a command, so the form was left unfinished" in out
    assert "Local Authority Designated Officer" in out.split("form was left unfinished")[1]
    assert "There is no course" not in out  # the command was not taken as the course


def test_a_text_whose_closing_dot_was_forgotten_ends_at_the_next_command(tmp_path: Path) -> None:
    # An outside check: a bulletin body with no closing '.' swallowed "/bulletin preview 1" and
    # every later line of the script into the bulletin.
    script = (
        "/bulletin new\nWeekly round-up\nFirst line\n /threshold answers in Slack\n"
        "/bulletin preview 1\n/glossary LADO\n"
    )
    result = sgbot_in_process(["console", "--role", "comms", "--script", "-"], tmp_path, stdin=script)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "The text ends before /bulletin preview 1, a line of its own" in out
    preview = out.split("Preview of bulletin 1 (draft)")[1].split("> /glossary")[0]
    assert "First line" in preview and " /threshold answers in Slack" in preview  # a spaced line stays text
    assert "/bulletin preview" not in preview and "LADO" not in preview
    assert "Local Authority Designated Officer" in out.split("> /glossary LADO")[1]


def test_a_line_of_text_begun_with_a_space_stays_text_though_it_starts_with_a_command(tmp_path: Path) -> None:
    # An outside audit: a bulletin telling practitioners about /glossary lost every line from it on.
    # A command line ends a text in a script (a forgotten '.' must not swallow the script); the
    # message says how to keep such a line, and a line begun with a space is kept.
    script = (
        "/bulletin new\nNew in the bot\nTwo commands to try:\n /glossary explains an acronym, e.g. LADO\n"
        " /threshold helps you weigh a worry\nThat is all for now.\n.\n/bulletin preview 1\n"
    )
    result = sgbot_in_process(["console", "--role", "comms", "--script", "-"], tmp_path, stdin=script)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The text ends before" not in result.stdout
    preview = result.stdout.split("Preview of bulletin 1 (draft)")[1]
    for line in ("/glossary explains an acronym, e.g. LADO", "/threshold helps you weigh a worry", "That is all"):
        assert line in preview


def test_a_text_ended_by_a_command_with_fields_still_to_fill_leaves_the_form_and_runs_it_in_order(
    tmp_path: Path,
) -> None:
    # A review: the course form's later fields read the lines after the command, and the command
    # ran last, out of order.
    script = "/training courses add\nCourse X\nIt covers things\n/glossary LADO\n120 minutes\n/training courses\n"
    result = sgbot_in_process(["console", "--role", "trainer", "--script", "-"], tmp_path, stdin=script)
    out = result.stdout
    assert "/glossary LADO is a line of its own" in out and "The form was left unfinished" in out
    assert out.index("Local Authority Designated Officer") < out.index("> /training courses\n")
    assert "Course X" not in out.split("> /training courses\n")[1]  # nothing from the form was saved


def test_someone_elses_line_ends_a_text_and_runs_as_them_and_a_bare_line_as_the_script_user(
    tmp_path: Path,
) -> None:
    # An outside audit: "@ben !4" and "@ben /training mine" were saved inside Amy's survey comment,
    # and the bare "/survey status 1" that ended it ran as Amy, who is no trainer.
    script = (
        "/training add neglect 2026-03-03 10:00-13:00 10 places Gun Wharf, Chatham\n\n\n\n\n\n"
        "/training announce 1 training\n@amy !3.1\n@ben !3.1\n/debug clock +1d4h\n@amy !13\n"
        "I will use the GCP2 tool.\n@ben /training mine\n/survey status 1\n"
    )
    result = sgbot_in_process(
        ["console", "--as", "sam", "--role", "trainer", "--at", "2026-03-02T09:00", "--script", "-"],
        tmp_path,
        stdin=script,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "The text ends before @ben /training mine" in out
    comment = out.split("Recorded your comment")[1].split("\n\n")[0]
    assert "I will use the GCP2 tool." in comment and "training mine" not in comment
    assert "to ben (only you can see this)\n  You haven't replied to any upcoming sessions" in out
    # the bare line that ended Amy's comment ran as the script's user, a trainer
    assert "#general to sam (only you can see this)\n  == Surveys for session 1 ==" in out
    assert "Only trainers" not in out


def test_a_reply_to_someone_elses_private_message_is_refused_with_a_sentence(tmp_path: Path) -> None:
    # It used to print nothing at all.
    script = "@ann /glossary LADO\n@bob >1 what does that mean\n"
    result = sgbot_in_process(["console", "--script", "-"], tmp_path, stdin=script)
    assert "Message [1] was shown only to ann, so only they can reply to it." in result.stdout


def test_tab_completes_command_names_and_never_file_names() -> None:
    """An outside audit: Tab offered the working folder's files ("/glossary REA" became
    "/glossary README.md"). The console's completer knows the commands and nothing else."""
    from bot.adapters.console.terminal import command_completer

    complete = command_completer(["glossary", "help", "threshold"])
    assert [complete("/gl", 0), complete("/gl", 1)] == ["/glossary ", None]
    assert complete("/", 2) == "/threshold "
    assert complete("REA", 0) is None
    assert complete("README", 0) is None


def test_the_terminal_shows_what_was_typed_without_the_zero_width_spaces_chat_needs() -> None:
    """An outside audit copied '"\u200b#training" is not a channel' from the console, hidden
    character and all. Markup the spaces defused still reads as text, not as markup."""
    from bot.adapters.console.render import plain
    from core.sanitise import echoed, neutralise_text

    assert plain(f"'{echoed('#training')}' is not a channel") == "'#training' is not a channel"
    assert plain(neutralise_text("**not bold** @everyone [a](https://b.example)")) == (
        "**not bold** @everyone [a](https://b.example)"
    )


def test_a_form_field_shows_its_hint_when_it_has_no_value(tmp_path: Path) -> None:
    """What a platform's form shows greyed in an empty field, the console shows beside the
    question: an example, or the words of `/training add` that fit no field."""
    script = "/training add working with dads 3pm friday blah Strood\n\n\n\n\n\n"
    result = sgbot_in_process(
        ["console", "--at", "2026-03-02T09:00", "--script", "-"],
        tmp_path,
        stdin=script,
        env={"TRAINERS": "console:you"},
    )
    assert "Places (e.g. 20)? " in result.stdout
    assert 'Venue and/or online link (Not understood: "dads". Was the venue "blah Strood"?' in result.stdout


def test_at_refuses_a_moment_beyond_the_clock_and_quotes_a_long_one_briefly(tmp_path: Path) -> None:
    # an outside stall audit: --at 9999-12-31T23:59 was taken though the clock stops at 2100, and
    # a 6,000-character --at was echoed whole on one line
    late = sgbot_in_process(["console", "--at", "9999-12-31T23:59", "--script", "-"], tmp_path, stdin="")
    assert late.returncode != 0 and "the bot's dates run from 2000 to 2099" in late.stderr
    long = sgbot_in_process(["console", "--at", "2" * 6000, "--script", "-"], tmp_path, stdin="")
    assert long.returncode != 0 and "is not a date and time" in long.stderr
    assert "2" * 61 not in long.stderr and "…" in long.stderr


def test_at_takes_a_time_as_chat_does(tmp_path: Path) -> None:
    result = sgbot_in_process(
        ["console", "--at", "02/03/2026 9.30am", "--script", "-"], tmp_path, stdin="/debug clock\n"
    )
    assert result.returncode == 0, result.stderr
    assert "Monday 2 March 2026, 09:30" in result.stdout


def test_the_console_reloads_its_pack_on_sighup_and_leaves_cleanly_on_sigterm(tmp_path: Path) -> None:
    """An outside audit: with the console running, `sgbot content reload` found no running bot,
    SIGHUP killed it (exit 129) and SIGTERM ended it with 143, where `sgbot run` reloads and exits 0."""
    import os
    import signal
    import subprocess
    import threading
    import time

    from tests.test_cli import NOT_INHERITED, SGBOT

    env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_INHERITED)}
    env.update(DATA_DIR=str(tmp_path / "data"), LOG_LEVEL="INFO")
    console = subprocess.Popen(
        [*SGBOT, "console"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=tmp_path, env=env,
    )  # fmt: skip
    pid_file = tmp_path / "data" / "sgbot.pid"
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() and console.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pid_file.read_text() == str(console.pid)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(iter(console.stdout.readline, "")), daemon=True)
        reader.start()
        reload = sgbot(["content", "reload"], tmp_path)
        assert reload.returncode == 0 and f"Asked the bot (process {console.pid})" in reload.stdout
        while not any("content pack reloaded" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.1)  # the pack is checked and warmed in a thread before it is swapped in
        console.send_signal(signal.SIGTERM)
        console.wait(timeout=60)
        reader.join(timeout=10)
    finally:
        if console.poll() is None:
            console.kill()
    output = "".join(lines)
    assert console.returncode == 0, output
    assert "content pack reloaded" in output and "Traceback" not in output
    assert not pid_file.exists()


def test_a_thread_reply_nobody_answers_says_so_in_the_console(tmp_path: Path) -> None:
    """An outside audit: `>3 is there parking?` under an announcement printed nothing at all."""
    script = (
        "/training add neglect 21/04/2027 10-12 20 places Gun Wharf\n" + "\n" * 8 + "/training announce 1 training\n"
        ">2 is there parking?\n"
    )
    result = sgbot_in_process(
        ["console", "--role", "trainer", "--at", "2027-03-01T09:00", "--script", "-"], tmp_path, stdin=script
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(Posted in the thread of [2]; nothing in the bot answers it.)" in result.stdout


def test_a_second_console_neither_takes_nor_removes_the_running_ones_pid_file(tmp_path: Path) -> None:
    """A review: a second console in the same data folder overwrote the first one's pid file and
    deleted it on leaving, so `sgbot content reload` found no running bot while the first ran."""
    import os
    import signal
    import subprocess
    import time

    from tests.test_cli import NOT_INHERITED, SGBOT

    env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_INHERITED)}
    env.update(DATA_DIR=str(tmp_path / "data"))
    pid_file = tmp_path / "data" / "sgbot.pid"

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*SGBOT, "console"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            text=True, cwd=tmp_path, env=env,
        )  # fmt: skip

    first = start()
    second = None
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pid_file.read_text() == str(first.pid)
        second = start()
        time.sleep(3)  # long enough for it to have written the file, had it been going to
        assert second.poll() is None and pid_file.read_text() == str(first.pid)
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=60) == 0
        assert pid_file.read_text() == str(first.pid)
        reload = sgbot(["content", "reload"], tmp_path)
        assert f"Asked the bot (process {first.pid})" in reload.stdout
    finally:
        for console in (first, second):
            if console is not None and console.poll() is None:
                console.send_signal(signal.SIGTERM)
                console.wait(timeout=60)
    assert not pid_file.exists()
