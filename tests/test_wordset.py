"""core.wordset.WordSet answers `in` exactly as a frozenset of the same words would."""

from __future__ import annotations

import pytest

from core.wordset import WordSet
from handlers import guidance

WORDS = ["cat", "cats", "at", "a", "scat", "catalogue", "dog", "zoë", "o'brien", "self-harm", "1st"]


def test_it_holds_exactly_its_words() -> None:
    words = WordSet(WORDS)
    assert len(words) == len(WORDS) and sorted(words) == sorted(WORDS)
    assert all(w in words for w in WORDS)
    # parts of a word, two words run together, the words around it, and other kinds of value
    for other in ("", "c", "ca", "tc", "atc", "catsc", "cat\ncats", "\ncat\n", "\n", "Cat", "zoe", "harm", None, 3):
        assert other not in words


def test_it_answers_as_the_frozenset_of_ordinary_words_does() -> None:
    ordinary = guidance.ordinary_words()
    plain = frozenset(ordinary)
    assert len(plain) == len(ordinary) > 20_000
    shuffled = [w[1:] + w[:1] for w in plain] + [w + "s" for w in plain] + [w[:-1] for w in plain]
    assert all(w in ordinary for w in plain)
    assert [w in ordinary for w in shuffled] == [w in plain for w in shuffled]


def test_a_word_with_a_newline_is_refused() -> None:
    with pytest.raises(ValueError, match="newline"):
        WordSet(["one", "two\nthree"])
