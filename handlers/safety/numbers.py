"""Numbers that identify someone: NHS numbers (10 digits passing the modulus 11 check) and phone
numbers, except the published services' numbers (freephone, 03 and 05, and the pack's own)."""

from __future__ import annotations

from collections.abc import Iterator

from core.patterns import lazy_compile
from handlers.safety.findings import NHS_NUMBER, PHONE, Finding

# --- numbers -----------------------------------------------------------------------------------

# Ten digits, optionally split by single spaces or dashes (943 476 5919, 943-476-5919).
_TEN_DIGITS = lazy_compile(r"(?<![\d+])\d(?:[ \-]?\d){9}(?![\d])")
_UK_PHONE = lazy_compile(
    r"(?<![\d+\w])"
    r"(?:"
    r"\+44[ \-]?(?:\(0\)[ \-]?)?\d(?:[ \-]?\d){8,9}"  # +44 7700 900123, +44 (0)1634 334466
    r"|\(0\d{2,4}\)[ \-]?\d{3,4}[ \-]?\d{3,4}"  # (01634) 334466
    r"|0\d(?:[ \-]?\d){8,9}"  # 01634 334466, 07700-900-123
    r"|\(0\)[ \-]?[1-9](?:[ \-]?\d){8,9}"  # (0)7456-223-981, the +44 left off
    r"|0(?: ?- ?| )[1-9](?:(?: ?- ?| )\d){8,9}"  # 0 7 7 0 0 9 0 0 1 2 3, 0 7 7 0 0 - 9 0 0 - 1 2 3
    r")"
    r"(?![\d])"
)
# "oh seven seven one two, three four five...": a number read out in words
_DIGIT_WORD = r"(?:oh|o|zero|nought|one|two|three|four|five|six|seven|eight|nine|double\s+\w+|treble\s+\w+)"
_SPOKEN_NUMBER = lazy_compile(
    rf"(?i:\b(?:oh|o|zero|nought)(?:[\s,.-]+{_DIGIT_WORD}){{8,}}\b)"
)  # UK numbers start with 0
# "oh seven seven double oh": a mobile's start read out is a number given in parts
_SPOKEN_MOBILE_START = lazy_compile(rf"(?i:\b(?:oh|zero|nought)[\s,.-]+seven(?:[\s,.-]+{_DIGIT_WORD}){{2,}}\b)")
# "her number ends 900 619", "mobile ending in 44 719": the rest of a number given in parts
_NUMBER_ENDS = lazy_compile(
    r"(?i:\b(?:number|mobile|phone|no\.?|tel|moby)\b[^.!?\n]{0,24}?\bend(?:s|ing)?\s+(?:in\s+|with\s+)?)"
    r"(\d(?:[ -]?\d){4,6})(?!\d)"
)
# "mobile starts 07700 and the rest is 900219": a number's start, then the rest of it
_NUMBER_STARTS = lazy_compile(
    r"(?i:\b(?:number|mobile|phone|no\.?|tel|moby)\b[^.!?\n]{0,24}?\bstart(?:s|ing)?\s+(?:with\s+)?)"
    r"(0\d{3,4})\b(?:[^.!?\n]{0,24}?\b(?i:rest|end|last\s+(?:bit|part|digits))\s+(?i:of\s+it\s+)?(?i:is|are|was)?\s*"
    r"(\d(?:[ -]?\d){4,6})(?!\d))?"
)
_INTL_PHONE = lazy_compile(r"(?<![\w+])\+(?!44)[1-9]\d{0,2}[ \-]?\d(?:[ \-]?\d){6,12}(?!\d)")


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS modulus 11 check on a string of exactly ten digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


# "NHS no", "nhs number:", "NHS#": whatever ten digits follow are meant as one, even mistyped.
_NHS_CUE = lazy_compile(r"(?i:\bnhs\s*(?:no\.?|num(?:ber)?|#)?\s*(?:(?:is|was)\s+|[:\-=]\s*)?)$")


_PRINTED_NHS = lazy_compile(r"[1-9]\d{2} \d{3} \d{4}")


def nhs_numbers(text: str) -> Iterator[Finding]:
    for m in _TEN_DIGITS.finditer(text):
        cued = _NHS_CUE.search(text[max(0, m.start() - 20) : m.start()]) is not None
        # written as NHS numbers are printed (3, 3 and 4 digits) and no phone's leading 0: one, even mistyped
        printed = _PRINTED_NHS.fullmatch(m.group()) is not None
        if cued or printed or nhs_number_is_valid(digits_of(m.group())):
            yield Finding(NHS_NUMBER, m.start(), m.end())


# Freephone (0800, 0808), 03 and 05 numbers belong to services and helplines: a family's number
# is a mobile (07) or a landline (01, 02). 116 numbers are too short to be taken for a phone.
_SERVICE_NUMBER = lazy_compile(r"0(?:80[08]|3|5)")


def phones(text: str, public_numbers: frozenset[str]) -> Iterator[Finding]:
    for pattern in (_UK_PHONE, _INTL_PHONE):
        for m in pattern.finditer(text):
            digits = digits_of(m.group())
            if digits.startswith("44"):
                digits = "0" + digits[2:].removeprefix("0")
            if digits not in public_numbers and not _SERVICE_NUMBER.match(digits):
                yield Finding(PHONE, m.start(), m.end())
    lowered = text.lower()
    for pattern in (_SPOKEN_NUMBER, _SPOKEN_MOBILE_START) if "seven" in lowered else (_SPOKEN_NUMBER,):
        for m in pattern.finditer(text):
            yield Finding(PHONE, m.start(), m.end())
    for m in _NUMBER_ENDS.finditer(text) if "end" in lowered else ():
        yield Finding(PHONE, m.start(1), m.end(1))
    for m in _NUMBER_STARTS.finditer(text) if "start" in lowered else ():
        yield Finding(PHONE, m.start(1), m.end(1))
        if m.group(2):
            yield Finding(PHONE, m.start(2), m.end(2))
