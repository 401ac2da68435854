"""core.lru.Lru keeps the most recently used entries only."""

from __future__ import annotations

from core.lru import Lru


def test_the_least_recently_used_entry_goes_first() -> None:
    kept: Lru[str, int] = Lru(2)
    kept.keep("a", 1)
    kept.keep("b", 2)
    assert kept.recall("a") == 1  # "a" is now the most recent
    kept.keep("c", 3)
    assert list(kept) == ["a", "c"] and kept.recall("b") is None
