"""Handlers and storage stay platform-neutral: they never import a chat SDK or a terminal library."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"slack_bolt", "slack_sdk", "discord", "rich", "typer"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_handlers_and_storage_import_no_platform_or_terminal_library() -> None:
    offenders = []
    files = [*(ROOT / "handlers").rglob("*.py"), *(ROOT / "storage").rglob("*.py")]
    assert len(files) > 5
    for path in files:
        bad = imported_roots(path) & FORBIDDEN
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert offenders == []


def test_the_layering_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from slack_bolt import App\nimport discord.ui\n")
    assert imported_roots(sample) & FORBIDDEN == {"slack_bolt", "discord"}
