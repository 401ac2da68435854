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


OLD_NAME_WITH_AGE = re.compile(
    rf"(?<![\w'-])({names._FULL_NAME})\s*"
    r"(?:\(\s*(?i:aged?\s*)?\d{1,2}\s*(?i:y(?:ea)?rs?|yo|y/?o|months?|mths?|m)?\s*(?i:old)?\s*\)"
    r"|,?\s+(?i:aged?)\s+\d{1,2}\b"
    r"|,\s*\d{1,2}\s*(?i:y(?:ea)?rs?(?:\s+old)?|yo|months?\s+old)\b"
    r"|,\s*\d{1,2}\s*,"
    r"|\s*\(\s*(?i:year|yr|y|reception|nursery)\s*\d{0,2}\s*\)"
    r"|\s+(?i:is|was|turned|turns)\s+\d{1,2}(?!\s*(?:%|percent|miles?|mins?|minutes|hours|days|weeks|times|am|pm)\b)\b)"
)
OLD_NAME_AGE_DOING = re.compile(
    rf"(?<![\w'-])({names._CAPITAL})\s*,?\s*\d{{1,2}}\s*,?\s+(?=(?:has|is|was|says|said|told|keeps|came|lives|yo|y/o|yrs?)\b)"
)
OLD_AFTER_INITIALS = re.compile(
    r"\s+(?i:(?:in|from)\s+(?:year|yr|y)\s*\d|in\s+(?:reception|my\s+class)|says|said|told|disclosed|has\s+told)\b"
    r"|\s+in\s+\d{1,2}[A-Z]{1,2}\b"
    r"|\s*,\s*\d{1,2}\s*,|\s*\(\s*\d{1,2}\s*\)|\s*,?\s+(?i:aged?)\s+\d{1,2}\b"
)
AGE_PIECES = ["Amy", "Tom Lee", " ", "  ", "\n", ",", ", ", "(", ")", "7", "15", "aged", "age", "is", "was", "turned",
              "yo", "years old", "months", "Year 6", "(year 6)", "has", "says", "and", "&", "%", "a"]  # fmt: skip


def age_texts(seed: int, count: int = 3000) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(AGE_PIECES) for _ in range(rng.randrange(1, 8))) for _ in range(count)]


@pytest.mark.parametrize("seed", [7, 8])
def test_names_with_ages_are_found_exactly_where_the_old_patterns_found_them(seed: int) -> None:
    for text in age_texts(seed):
        for new, old in ((names._NAME_WITH_AGE, OLD_NAME_WITH_AGE), (names._NAME_AGE_DOING, OLD_NAME_AGE_DOING)):
            assert [m.span(1) for m in new.finditer(text)] == [m.span(1) for m in old.finditer(text)], repr(text)
        for at in range(len(text)):
            new_match, old_match = names._AFTER_INITIALS.match(text, at), OLD_AFTER_INITIALS.match(text, at)
            assert (new_match and new_match.span()) == (old_match and old_match.span()), (repr(text), at)


# Rewritten after a review of the twelfth session: "Hi. storm", 1,300 spaces, "15", 2,680 spaces
# took 123 s in the old _EVERYDAY_OPENS_AGED (a run of spaces split every way by `\s*,?\s+` twice);
# the others walked a run once per starting point or per split.
OLD_EVERYDAY_OPENS_AGED = re.compile(
    r"(?:^|[.!?]\s+)([a-z]+)\s*,?\s+(1[0-7]|[2-9])\s*,?\s+(?=(?:missing|went\s+missing|ran|runs|told|tells|says|said"
    r"|disclosed|keeps|came\s+in|(?:has|had)\s+been\s+(?:missing|seen|found|taken|arrested|hurt|hit|staying)"
    r"|(?:is|was)\s+(?:missing|pregnant|being|taken|found|seen|picked\s+up|arrested|excluded|living|staying|sleeping)"
    r"|(?:has\s*n[o']?t\s+|not\s+)(?:been\s+)?(?:home|in|seen|brought|collected)|yo|y/o|yrs?\s+old|years?\s+old)\b)"
)
OLD_LOWER_NAME_OPENS_AGED = re.compile(
    r"(?:^|[.!?]\s+)([a-z][a-z'-]+)\s*,?\s+(?:1[0-7]|[2-9])\b(?!\s*(?:am|pm|%|mins?|minutes|hours?|weeks?|days?|months?"
    r"|years?\s+ago|times|x|th|st|nd|rd|[:./-]\d))"
)
OLD_INITIALS_WITH_AGE = re.compile(
    r"(?<![\w'-])([A-Z]{2,3})(?:\s*\(\s*(?:(?i:yr|year|y)\s*\d{1,2}|\d{1,2}\s*(?i:yo|y/o|yrs?)?)\s*[,)]"
    r"|\s+(?i:yr|year|y)\s*\d{1,2}\b"
    r"|\s*,?\s+(?i:aged?)\s+\d{1,2}\b|\s*,?\s+\d{1,2}\s*(?i:yo|y/o|yrs?\s+old|years?\s+old)\b"
    r"|\s*,\s*\d{1,2}\s*,)"
)
OPENING_PIECES = ["hunter", "grace", "JT", "KM", " ", "  ", "\n", ",", ", ", ".", ". ", "!", "15", "7", "(", "(7)",
                  "yr", "aged", "missing", "told", "is missing", "yo", "years old", "pm", "a", "x"]  # fmt: skip


@pytest.mark.parametrize("seed", [9, 10])
def test_ages_after_an_opening_word_or_initials_are_found_exactly_as_before(seed: int) -> None:
    rng = random.Random(seed)
    texts = ["".join(rng.choice(OPENING_PIECES) for _ in range(rng.randrange(1, 9))) for _ in range(4000)]
    pairs = (
        (names._EVERYDAY_OPENS_AGED, OLD_EVERYDAY_OPENS_AGED),
        (names._LOWER_NAME_OPENS_AGED, OLD_LOWER_NAME_OPENS_AGED),
        (names._INITIALS_WITH_AGE, OLD_INITIALS_WITH_AGE),
    )
    for text in texts:
        for new, old in pairs:
            assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)], repr(text)
