"""The floors hold: imports only go down (storage <- core <- handlers <- bot), chat SDKs live only
in bot/adapters/, and terminal libraries only in bot/ and the command-line modules below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Bottom floor first; a module may import its own floor and those below it, never one above.
FLOORS = ("storage", "core", "handlers", "bot")
CHAT_SDKS = {"slack_bolt", "slack_sdk", "discord", "microsoft_teams", "microsoft_agents"}
TERMINAL = {"rich", "typer", "prompt_toolkit", "readline"}


def imported_roots(path: Path) -> set[str]:
    """Every top-level package a module imports, inside functions and TYPE_CHECKING blocks too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def floor_problems(path: Path, floor: str) -> list[str]:
    above = set(FLOORS[FLOORS.index(floor) + 1 :])
    return sorted(imported_roots(path) & above)


def modules(floor: str) -> list[Path]:
    return sorted((ROOT / floor).rglob("*.py"))


@pytest.mark.parametrize("floor", FLOORS[:-1])
def test_no_floor_imports_one_above_it(floor: str) -> None:
    files = modules(floor)
    assert len(files) > 3, f"no modules found under {floor}/"
    offenders = [f"{p.relative_to(ROOT)} imports {floor_problems(p, floor)}" for p in files if floor_problems(p, floor)]
    assert offenders == []


def test_chat_sdks_are_imported_only_under_bot_adapters() -> None:
    offenders = []
    for floor in FLOORS:
        for path in modules(floor):
            inside_adapters = path.is_relative_to(ROOT / "bot" / "adapters")
            bad = imported_roots(path) & CHAT_SDKS
            if bad and not inside_adapters:
                offenders.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert offenders == []


def is_command_line(path: Path) -> bool:
    """A feature's `sgbot` sub-app (handlers/<feature>/cli.py) and the helpers they share
    (core/cli.py) declare commands with typer; drawing on the terminal (rich tables, line
    editing) is the runtime's, lent to them through core.cli.CliHost."""
    return path.name == "cli.py" and (path.parent.parent == ROOT / "handlers" or path.parent == ROOT / "core")


def terminal_problems(path: Path) -> set[str]:
    allowed = {"typer"} if is_command_line(path) else set()
    return (imported_roots(path) & TERMINAL) - allowed


@pytest.mark.parametrize("floor", ["storage", "core", "handlers"])
def test_lower_floors_import_no_terminal_library(floor: str) -> None:
    offenders = [
        f"{p.relative_to(ROOT)} imports {sorted(terminal_problems(p))}" for p in modules(floor) if terminal_problems(p)
    ]
    assert offenders == []


def test_a_handler_importing_bot_is_caught(tmp_path: Path) -> None:
    sample = tmp_path / "bad_handler.py"
    sample.write_text("def f():\n    from bot.dispatch import Dispatcher\n    return Dispatcher\n")
    assert floor_problems(sample, "handlers") == ["bot"]


def test_storage_importing_core_is_caught(tmp_path: Path) -> None:
    sample = tmp_path / "bad_storage.py"
    sample.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from core.model import Reply\n")
    assert floor_problems(sample, "storage") == ["core"]


def test_a_chat_sdk_outside_the_adapters_is_caught(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from slack_bolt import App\nimport discord.ui\n")
    assert imported_roots(sample) & CHAT_SDKS == {"slack_bolt", "discord"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_command_modules_never_import_the_command_line_that_collects_them() -> None:
    """bot/cli.py imports each command module when its command is named; a command module that
    imported bot/cli.py back would make the two a circle again. Only `python -m bot` starts it."""
    offenders = [
        str(p.relative_to(ROOT))
        for floor in FLOORS
        for p in modules(floor)
        if "bot.cli" in imported_modules(p) and p != ROOT / "bot" / "__main__.py"
    ]
    assert offenders == []


def test_adapters_import_no_feature() -> None:
    """Adapters only translate: what they share with a feature (the outbound address guard the
    Teams adapter and the feeds both use) lives on the core floor, not in the feature's package."""
    offenders = [
        f"{path.relative_to(ROOT)}"
        for path in sorted((ROOT / "bot" / "adapters").rglob("*.py"))
        if "handlers" in imported_roots(path)
    ]
    assert offenders == []
