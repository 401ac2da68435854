"""The guard's sentence-start check and its age-after-a-name pattern, rewritten so a long run of
blank lines or spaces is walked once: an outside audit's 3,999-character /threshold of blank
lines and names took 22 s on Slack and held every other answer meanwhile. Their timing is
bench_stall's to measure; here, that they say exactly what the old forms said."""

from __future__ import annotations

import random
import re

import pytest

from handlers.safety import names

OLD_STARTS_SENTENCE = re.compile(r"(?:^|[.!?:;]\s*|\n\s*)$")
OLD_AGE_AFTER = re.compile(
    r"\s*(?:\(\s*\d{1,2}\s*\)|,?\s*(?i:aged?\s+)?\d{1,2}\s*(?i:yo|y/o|yrs?|years?(?:\s+old)?)?(?![\d:/.]))"
)
PIECES = ["", " ", "  ", "\n", "\n ", "\t", ".", ". ", "!", "?", ":", ";", ",", "a", "Amy", "7", "(7)", "aged ", "yo",
          "\u00a0", "\r\n", " , ", "12", "years old", "x"]  # fmt: skip


def strings(seed: int, count: int = 4000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 9))) for _ in range(count)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_word_starts_a_sentence_exactly_where_the_old_search_said(seed: int) -> None:
    for before in strings(seed):
        assert names._starts_sentence(before) == (OLD_STARTS_SENTENCE.search(before) is not None), repr(before)


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_an_age_after_a_name_matches_exactly_what_the_old_pattern_matched(seed: int) -> None:
    for text in strings(seed):
        new, old = names._AGE_AFTER.match(text), OLD_AGE_AFTER.match(text)
        assert (new and new.span()) == (old and old.span()), repr(text)
