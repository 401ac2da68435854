"""Dates of birth: a date beside a birth cue ("DOB", "born", "d.o.b"), in any common format."""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.patterns import lazy_compile
from handlers.safety.findings import DATE_OF_BIRTH, Finding

# --- dates of birth ---------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_DATE = lazy_compile(
    r"(?<![\w/.\-])(?:"
    r"[0-3]?\d[/.\-][01]?\d[/.\-](?:\d{4}|\d{2})"  # 03/04/2019, 3.4.19
    r"|\d{4}-[01]\d-[0-3]\d"  # 2019-04-03
    r"|[0-3]\d[01]\d(?:\d{4}|\d{2})"  # 03042019, 030419 (only with a birth cue)
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}\.?,?\s+(?:\d{{4}}|'?\d{{2}})"  # 3rd of April 2019, 3 Apr 19
    rf"|{_MONTH}\.?\s+{_DAY},?\s+\d{{4}}"  # April 3, 2019
    rf"|{_MONTH}\.?\s+\d{{4}}"  # April 2019 (only with a birth cue)
    r")(?![\w/])",
    re.IGNORECASE,
)
# A birth cue just before the date: "DOB 3/4/19", "born on the 3rd of April 2019".
_BIRTH_CUE = lazy_compile(
    r"(?:\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth|\bborn|\bbirthday|\bbirth\s+date|\bb\.)"
    r"(?:\s*(?:[:\-=]|on|in|is|was|the|of|around|approx\.?|approximately))*\s*$",
    re.IGNORECASE,
)


# "born on christmas eve 2017", "born on the third of February twenty twenty-four": a birth told in
# words, up to its year
_BORN_IN_WORDS = lazy_compile(
    r"(?i:\b(?:born\s+(?:on|in)|d\.?o\.?b\.?:?|date\s+of\s+birth:?)\s+(?:the\s+)?[a-z][a-z -]{2,40}?\s+"
    r"(?:(?:19|20)\d{2}|this\s+year|last\s+year|twenty\s+(?:twenty|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
    r"|nineteen)(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?|two\s+thousand(?:\s+and)?\s+[a-z-]+))\b"
)


# "she turns 16 on the 2nd of February", "turns 18 on the ninth of may": a birthday is a date of birth
_ORDINAL_WORDS = (
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth"
    r"|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[ -]\w+|thirtieth|thirty[ -]first"
)
_TURNS_ON = lazy_compile(
    rf"(?i:\bturns?\s+\d{{1,2}}\s+on\s+(?:the\s+)?(?:{_DAY}|{_ORDINAL_WORDS})\s+(?:of\s+)?{_MONTH}\b"
    rf"|\bturns?\s+\d{{1,2}}\s+on\s+{_MONTH}\s+{_DAY}\b)"
)


def dates_of_birth(text: str) -> Iterator[Finding]:
    for m in _TURNS_ON.finditer(text):
        yield Finding(DATE_OF_BIRTH, m.start(), m.end())
    for m in _BORN_IN_WORDS.finditer(text):
        yield Finding(DATE_OF_BIRTH, m.start(), m.end())
    for m in _DATE.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if _BIRTH_CUE.search(before):
            yield Finding(DATE_OF_BIRTH, m.start(), m.end())
