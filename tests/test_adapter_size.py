"""Every module under bot/adapters/ stays small enough to read in one sitting (issue #13: ~400 lines).

An adapter only translates; when a module grows past this, it is doing two things, and the
second belongs in a module of its own (see how slack/ and discord/ are split)."""

from __future__ import annotations

from pathlib import Path

MAX_LINES = 400
ADAPTERS = Path(__file__).resolve().parent.parent / "bot" / "adapters"


def test_there_are_adapter_modules_to_measure() -> None:
    assert len(list(ADAPTERS.rglob("*.py"))) > 10


def test_no_adapter_module_is_longer_than_400_lines() -> None:
    too_long = {
        str(path.relative_to(ADAPTERS)): lines
        for path in sorted(ADAPTERS.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these into cohesive modules of at most {MAX_LINES} lines: {too_long}"
