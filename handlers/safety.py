"""The identifiable-details guard: spots text that could identify a child or family.

Lookups and survey free text pass through here before anything else looks at them. The guard
finds NHS numbers (10 digits passing the modulus 11 check), dates of birth (a date next to a
birth cue such as "DOB" or "born"), UK postcodes, phone numbers, email addresses, and names
introduced as a child's or a family's ("a child called Jane Smith", "the Smith family",
"Tom (age 6)", "her son Tom", "Mrs Smith").

It is tuned to stay quiet on the way practitioners write: "level 3", "under 5s", "2 working
days", "stage 2", "0-19 service", "GCP2", "Section 47", "Year 7", "2024".

A `Finding` keeps only its kind and position, never the matched text, so findings can be
logged or counted without leaking what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

NHS_NUMBER = "nhs_number"
DATE_OF_BIRTH = "date_of_birth"
POSTCODE = "postcode"
PHONE = "phone"
EMAIL = "email"
NAME = "name"

LABELS = {
    NHS_NUMBER: "NHS number",
    DATE_OF_BIRTH: "date of birth",
    POSTCODE: "postcode",
    PHONE: "phone number",
    EMAIL: "email address",
    NAME: "name",
}


@dataclass(frozen=True)
class Finding:
    """What kind of identifier sits where in the text. Holds no raw text, so it is safe to log."""

    kind: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return LABELS[self.kind]


# --- numbers -----------------------------------------------------------------------------------

# Ten digits, optionally split by single spaces or dashes (943 476 5919, 943-476-5919).
_TEN_DIGITS = re.compile(r"(?<![\d+])\d(?:[ \-]?\d){9}(?![\d])")
_UK_PHONE = re.compile(
    r"(?<![\d+\w])"
    r"(?:"
    r"\+44[ \-]?(?:\(0\)[ \-]?)?\d(?:[ \-]?\d){8,9}"  # +44 7700 900123, +44 (0)1634 334466
    r"|\(0\d{2,4}\)[ \-]?\d{3,4}[ \-]?\d{3,4}"  # (01634) 334466
    r"|0\d(?:[ \-]?\d){8,9}"  # 01634 334466, 07700-900-123
    r")"
    r"(?![\d])"
)
_INTL_PHONE = re.compile(r"(?<![\w+])\+(?!44)[1-9]\d{0,2}[ \-]?\d(?:[ \-]?\d){6,12}(?!\d)")


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS modulus 11 check on a string of exactly ten digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _nhs_numbers(text: str) -> Iterator[Finding]:
    for m in _TEN_DIGITS.finditer(text):
        if nhs_number_is_valid(_digits(m.group())):
            yield Finding(NHS_NUMBER, m.start(), m.end())


def _phones(text: str, public_numbers: frozenset[str]) -> Iterator[Finding]:
    for pattern in (_UK_PHONE, _INTL_PHONE):
        for m in pattern.finditer(text):
            digits = _digits(m.group())
            if digits.startswith("44"):
                digits = "0" + digits[2:].removeprefix("0")
            if digits not in public_numbers:
                yield Finding(PHONE, m.start(), m.end())


# --- email and postcode -----------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# Outward code (ME7, SW1A, EC1V, M1) then inward code (1AA); inward letters never use CIKMOV.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?:[A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})"
    r"(?![A-Za-z0-9])"
)
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)", re.IGNORECASE)


def _postcodes(text: str) -> Iterator[Finding]:
    for m in _POSTCODE.finditer(text):
        inward = m.group(1)
        # "Y7 2nd term" and "KS2 3rd" are school years, not postcodes.
        if _ORDINAL.fullmatch(inward):
            continue
        # Lower-case codes only count with the space that people type in real postcodes.
        if m.group() == m.group().lower() and " " not in m.group():
            continue
        yield Finding(POSTCODE, m.start(), m.end())


# --- dates of birth ---------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_DATE = re.compile(
    r"(?<![\w/.\-])(?:"
    r"[0-3]?\d[/.\-][01]?\d[/.\-](?:\d{4}|\d{2})"  # 03/04/2019, 3.4.19
    r"|\d{4}-[01]\d-[0-3]\d"  # 2019-04-03
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{4}}"  # 3rd of April 2019
    rf"|{_MONTH}\.?\s+{_DAY},?\s+\d{{4}}"  # April 3, 2019
    rf"|{_MONTH}\.?\s+\d{{4}}"  # April 2019 (only with a birth cue)
    r")(?![\w/])",
    re.IGNORECASE,
)
# A birth cue just before the date: "DOB 3/4/19", "born on the 3rd of April 2019".
_BIRTH_CUE = re.compile(
    r"(?:\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth|\bborn|\bbirthday|\bbirth\s+date|\bb\.)"
    r"(?:\s*(?:[:\-=]|on|in|is|was|the|of|around|approx\.?|approximately))*\s*$",
    re.IGNORECASE,
)


def _dates_of_birth(text: str) -> Iterator[Finding]:
    for m in _DATE.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if _BIRTH_CUE.search(before):
            yield Finding(DATE_OF_BIRTH, m.start(), m.end())


# --- names ------------------------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_NAME_WORD = rf"[{_UPPER}](?:'[{_UPPER}])?[{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?(?:-[{_UPPER}][{_LOWER}]+)?"
_FULL_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"

# Capitalised words that are not names in practitioners' writing.
_NOT_NAME_WORDS = """
    a an the this that these those my our your their his her its i we you he she they it
    is was are were be has had have do does did not no yes and or but if so as at by for
    from in into of on to with without about after before under over up out who whose when
    where what which why how any all some each every both other another same such very
    child children childs boy boys girl girls baby babies infant infants toddler toddlers
    teen teens teenager teenagers adolescent adolescents young youngster person people
    pupil pupils student students son sons daughter daughters brother brothers sister
    sisters sibling siblings twin twins kid kids mum mums mother mothers dad dads father
    fathers parent parents carer carers stepdad stepmum stepfather stepmother partner
    grandparent grandparents family families household member members
    level levels stage stages section year years age aged month months week weeks day days
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    early help universal additional intensive specialist targeted statutory
    protection safeguarding services service social care health mental physical emotional
    sexual criminal exploitation abuse neglect domestic missing trafficking harm risk
    need needs plan plans looked after in-need lead practitioner professional worker
    police school schools nursery college gp hospital team first response front door
    think foster adoptive birth extended whole wider entire blended host step troubled
    local same new older younger elder eldest oldest youngest little big
    dear hi hello thanks please note update concern concerns worry worried
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


def _name_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Narrow a run of capitalised words to the name in it: "Worried About Tom" -> "Tom"."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    while words and text[words[0][0] : words[0][1]].lower() in _NOT_NAMES:
        words.pop(0)
    while words and text[words[-1][0] : words[-1][1]].lower() in _NOT_NAMES:
        words.pop()
    return (words[0][0], words[-1][1]) if words else None


_RELATIVE = (
    r"(?:child|boy|girl|baby|infant|toddler|teen(?:ager)?|young\s+person|yp|pupil|student|son|daughter"
    r"|step-?son|step-?daughter|nephew|niece|grand(?:son|daughter|child)|brother|sister|sibling|twin|kid"
    r"|mum|mother|dad|father|step-?dad|step-?mum|parent|carer|family)"
)
# "a child called Jane Smith", "the boy's name is Tom", "mum, known as Kerry"
_INTRODUCED = re.compile(
    rf"(?i:\b{_RELATIVE}(?:'s|s)?)\s*,?\s+(?i:(?:is|was)\s+)?"
    rf"(?i:called|named|known\s+as|(?:first\s+|full\s+|sur)?name\s+is|name's|whose\s+name\s+is)\s+"
    rf"({_FULL_NAME})"
)
# "her son Tom", "my pupil Jane Smith" (lower-case relative, so "Child Protection" stays quiet)
_RELATIVE_THEN_NAME = re.compile(
    r"\b(?:son|daughter|stepson|stepdaughter|nephew|niece|grandson|granddaughter|brother|sister"
    r"|baby|child|pupil|student|boy|girl|toddler|infant|teenager)\s+"
    rf"({_FULL_NAME})"
)
# "the Smith family", "the Smith-Jones children"
_FAMILY = re.compile(
    rf"(?i:\b(?:the|a|this|that)\s+)({_NAME_WORD})\s+(?i:family|families|household|children|kids|twins|siblings|boys|girls)\b"
)
# "Tom (age 6)", "Tom (6)", "Tom aged 6", "Tom, 6 years old"
_NAME_WITH_AGE = re.compile(
    rf"(?<![\w'])({_FULL_NAME})\s*"
    r"(?:\(\s*(?i:aged?\s*)?\d{1,2}\s*(?i:y(?:ea)?rs?|yo|y/?o|months?|mths?|m)?\s*(?i:old)?\s*\)"
    r"|,?\s+(?i:aged?)\s+\d{1,2}\b"
    r"|,\s*\d{1,2}\s*(?i:y(?:ea)?rs?(?:\s+old)?|yo|months?\s+old)\b)"
)
_TITLED = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Master)\.?\s+({_FULL_NAME})")


def _names(text: str) -> Iterator[Finding]:
    for pattern in (_INTRODUCED, _RELATIVE_THEN_NAME, _NAME_WITH_AGE, _TITLED, _FAMILY):
        for m in pattern.finditer(text):
            span = _name_span(text, m.start(1), m.end(1))
            if span:
                yield Finding(NAME, *span)


# --- the public interface ---------------------------------------------------------------------


def _non_overlapping(findings: Iterable[Finding]) -> list[Finding]:
    """Keep the earliest, then longest, finding where two overlap."""
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept


def find_identifiers(text: str, *, public_numbers: Iterable[str] = ()) -> list[Finding]:
    """Every identifying detail in `text`, in order, without overlaps.

    `public_numbers` are phone numbers that identify nobody (the front door, helplines), as
    digits; they are not reported when someone types them.
    """
    allowed = frozenset(_digits(n) for n in public_numbers)
    nhs = list(_nhs_numbers(text))
    found = [
        *nhs,
        *(p for p in _phones(text, allowed) if not any(p.start < n.end and n.start < p.end for n in nhs)),
        *(Finding(EMAIL, m.start(), m.end()) for m in _EMAIL.finditer(text)),
        *_postcodes(text),
        *_dates_of_birth(text),
        *_names(text),
    ]
    return _non_overlapping(found)


def has_identifiers(text: str, *, public_numbers: Iterable[str] = ()) -> bool:
    return bool(find_identifiers(text, public_numbers=public_numbers))


def redact(text: str, findings: list[Finding] | None = None, *, public_numbers: Iterable[str] = ()) -> str:
    """The text with each identifier replaced by a marker such as "[NHS number removed]"."""
    if findings is None:
        findings = find_identifiers(text, public_numbers=public_numbers)
    out: list[str] = []
    last = 0
    for f in sorted(findings, key=lambda f: f.start):
        out.append(text[last : f.start])
        out.append(f"[{f.label} removed]")
        last = f.end
    out.append(text[last:])
    return "".join(out)


def warning_text() -> str:
    """The private warning shown when someone types identifying details."""
    return (
        "Please don't share details that could identify a child or their family in chat "
        "(names, dates of birth, addresses, NHS numbers, phone numbers or emails). You can get "
        "advice without naming the child: describe the worry in general terms, and talk it "
        "through with your DSL or manager."
    )
