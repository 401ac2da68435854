"""The command line as a new user meets it: real processes, real files."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SGBOT = [sys.executable, "-m", "bot"]
NOT_INHERITED = ("SLACK_", "DISCORD_", "DATABASE_URL", "SURVEY_SECRET", "CONTENT_PACK")


def sgbot(
    args: list[str], tmp_path: Path, *, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_INHERITED)}
    full_env.update({"DATA_DIR": str(tmp_path / "data"), **(env or {})})
    return subprocess.run(
        [*SGBOT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=full_env,
        timeout=120,
        check=False,
    )


def sgbot_in_process(
    args: list[str], tmp_path: Path, *, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """What `sgbot` above does, with the same environment, folder and input, but calling the real
    typer app in this process: the same commands, without paying for a new interpreter, its
    imports and the content pack's validation each time. Tests about the process itself (the
    entry point, signals, start-up) use `sgbot`. An exception the app lets out is put in stderr
    as the traceback a process would print, so `"Traceback" not in stderr` still catches it."""
    from typer.testing import CliRunner

    from bot.cli import app

    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith(NOT_INHERITED)}
    full_env = {**unset, "DATA_DIR": str(tmp_path / "data"), **(env or {})}
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {
        name: lg.level for name, lg in logging.Logger.manager.loggerDict.items() if isinstance(lg, logging.Logger)
    }
    # The fake web servers of this process (pytest-httpserver) log each request; the command's
    # own stderr would not have those lines.
    servers = logging.getLogger("werkzeug")
    servers_disabled, servers.disabled = servers.disabled, True
    try:
        with contextlib.chdir(tmp_path):
            result = CliRunner().invoke(app, args, input=stdin, env=full_env)
    finally:  # the command set up logging for a process of its own: give pytest's back
        servers.disabled = servers_disabled
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
        for name, logger in list(logging.Logger.manager.loggerDict.items()):
            if isinstance(logger, logging.Logger):
                logger.setLevel(levels.get(name, logging.NOTSET))
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess([*SGBOT, *args], result.exit_code, result.stdout, stderr)


def test_script_prints_help_then_a_helpful_unknown_command_message(tmp_path: Path) -> None:
    result = sgbot(["console", "--script", "-"], tmp_path, stdin="/help\n/nonsense\n/hlep\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "/help [COMMAND]" in out
    assert out.index("/help [COMMAND]") < out.index("I don't know /nonsense")
    assert "Type /help to see everything I can do" in out
    assert "Did you mean /help?" in out
    assert "Traceback" not in out + result.stderr


def test_numbers_too_long_for_python_get_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    # an outside audit: "!<5,000 digits>" ended the console with Python's integer-length traceback
    huge = "9" * 5_000
    script = f"/help\n!{huge}\n!1.{huge}\n>{huge} hello\n/help\n"
    result = sgbot(["console", "--script", "-"], tmp_path, stdin=script)
    assert result.returncode == 1
    assert result.stdout.count("I didn't understand that line") == 3
    assert result.stdout.count("/help [COMMAND]") == 2  # the script ran on after them
    assert "Traceback" not in result.stdout + result.stderr


def test_malformed_script_lines_get_a_sentence_and_a_non_zero_exit(tmp_path: Path) -> None:
    result = sgbot(["console", "--script", "-"], tmp_path, stdin="hello there\n!7\n/help\n")
    assert result.returncode == 1
    assert "I didn't understand that line" in result.stdout
    assert "There are no choices to press yet" in result.stdout
    assert "/help [COMMAND]" in result.stdout  # later lines still run
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_script_file_is_one_sentence(tmp_path: Path) -> None:
    result = sgbot(["console", "--script", "nope.txt"], tmp_path)
    assert result.returncode == 2
    assert "Cannot read the script nope.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_database_url_is_one_sentence(tmp_path: Path) -> None:
    result = sgbot(["console", "--script", "-"], tmp_path, stdin="/help\n", env={"DATABASE_URL": "not a url"})
    assert result.returncode == 2
    assert "DATABASE_URL is not a database URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_sentence(tmp_path: Path) -> None:
    url = "postgresql://nobody@127.0.0.1:1/none"
    result = sgbot(["db", "upgrade"], tmp_path, env={"DATABASE_URL": url})
    assert result.returncode == 2
    assert "Cannot open the database" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders, so this cannot be shown as root")
def test_read_only_data_directory_is_one_sentence(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = sgbot(["console", "--script", "-"], tmp_path, stdin="/help\n")
    finally:
        data.chmod(stat.S_IRWXU)
    assert result.returncode == 2
    assert "cannot be written" in result.stderr


def test_data_directory_that_is_a_file_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a folder")
    result = sgbot(["console", "--script", "-"], tmp_path, stdin="/help\n")
    assert result.returncode == 2
    assert "The data directory" in result.stderr and "cannot be written" in result.stderr
    assert "Traceback" not in result.stderr


def test_database_file_survives_a_restart_and_upgrade_is_a_no_op(tmp_path: Path) -> None:
    first = sgbot(["console", "--script", "-"], tmp_path, stdin="/debug clock +2h\n")
    assert first.returncode == 0, first.stderr
    db_file = tmp_path / "data" / "sgbot.db"
    assert db_file.exists()
    # The clock offset written in the first run is read by the second.
    second = sgbot(["console", "--script", "-"], tmp_path, stdin="/debug clock\n")
    assert second.returncode == 0
    first_reading = first.stdout.split("now reads")[1].split("(")[0]
    second_reading = second.stdout.split("now reads")[1].split("(")[0]
    assert first_reading.strip()[:-2] == second_reading.strip()[:-2]  # same offset, a minute or so later at most
    # The file the real processes migrated is at the head: upgrading it, twice, changes nothing.
    upgrade = sgbot_in_process(["db", "upgrade"], tmp_path)
    assert upgrade.returncode == 0, upgrade.stderr
    assert "is up to date" in upgrade.stdout
    before = db_file.read_bytes()
    again = sgbot_in_process(["db", "upgrade"], tmp_path)
    assert again.returncode == 0
    assert again.stdout == upgrade.stdout
    assert len(db_file.read_bytes()) == len(before)


def test_version(tmp_path: Path) -> None:
    result = sgbot(["--version"], tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("sgbot ")


def _every_command(group: Any, path: list[str]) -> list[list[str]]:
    found = [path]
    if hasattr(group, "list_commands"):  # a group (typer carries its own copy of click)
        ctx = group.context_class(group)
        for name in group.list_commands(ctx):
            found += _every_command(group.get_command(ctx, name), [*path, name])
    return found


def test_every_help_page_names_its_values_in_plain_words(tmp_path: Path) -> None:
    """An option's help says --from DAY, --course COURSE, not Python's <str> or <list[str]>; a
    flag shows no type at all. (--help itself is typer's own option and keeps typer's <bool>;
    typer shows an argument's type beside its name whatever it is called.)"""
    import typer

    from bot.cli import app

    commands = _every_command(typer.main.get_command(app), [])
    assert len(commands) > 30
    for command in commands:
        result = sgbot_in_process([*command, "--help"], tmp_path, env={"COLUMNS": "120"})
        assert result.returncode == 0, (command, result.stderr)
        rows = [line for line in result.stdout.splitlines() if " --" in line and "--help" not in line]
        python_types = [row for row in rows if re.search(r"<(str|int|bool|float|list\[)", row)]
        assert not python_types, (command, python_types)


def test_survey_key_is_generated_once_into_the_data_directory(tmp_path: Path) -> None:
    sgbot(["console", "--script", "-"], tmp_path, stdin="/help\n")
    key = tmp_path / "data" / "survey.key"
    assert key.exists()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    first = key.read_text()
    sgbot_in_process(["console", "--script", "-"], tmp_path, stdin="/help\n")  # a later start reads it
    assert key.read_text() == first


def test_a_chat_platform_without_a_survey_secret_refuses_to_start(tmp_path: Path) -> None:
    result = sgbot(["run"], tmp_path, env={"DISCORD_TOKEN": "x" * 30})
    assert result.returncode == 2
    assert "SURVEY_SECRET must be set" in result.stderr
    assert "x" * 30 not in result.stderr + result.stdout


def test_a_data_directory_that_cannot_be_created_is_one_sentence(tmp_path: Path) -> None:
    # /proc refuses new folders even to root, so this runs wherever the tests do.
    result = sgbot(["console", "--script", "-"], tmp_path, stdin="/help\n", env={"DATA_DIR": "/proc/sgbot-data"})
    assert result.returncode == 2
    assert "The data directory /proc/sgbot-data cannot be written" in result.stderr
    assert "Set DATA_DIR to a folder this user can write to." in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_on_a_new_folder_says_it_created_the_database(tmp_path: Path) -> None:
    """An outside audit: on an empty folder `sgbot db upgrade` said "is up to date" after creating it."""
    created = sgbot_in_process(["db", "upgrade"], tmp_path)
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("Created the database")
    again = sgbot_in_process(["db", "upgrade"], tmp_path)
    assert "is up to date" in again.stdout
