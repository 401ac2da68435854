"""The identifiable-details guard: spots text that could identify a child or family.

Lookups and survey free text pass through here before anything else looks at them. The guard
finds NHS numbers (10 digits passing the modulus 11 check), dates of birth (a date next to a
birth cue such as "DOB" or "born"), UK postcodes, phone numbers, email addresses, car registrations, and names
introduced as a child's or a family's ("a child called Jane Smith", "the Smith family",
"Tom (age 6)", "her son Tom", "Mrs Smith"), street addresses, social media handles and unique
pupil numbers. Whether a word could be a name is decided from lists of common given names and
surnames (name_lists.py) and from wordfreq, which knows what ordinary English is: "a
boy called sam" is a name, "a boy called earlier" is not, and "Mr Tumble" is a television
character. Once a text names someone, every other name-like word in it is removed as well, so
redaction never leaves half of a family behind.

It is tuned to stay quiet on the way practitioners write: "level 3", "under 5s", "2 working
days", "stage 2", "0-19 service", "GCP2", "Section 47", "Year 7", "2024".

One module per kind of detail: numbers.py (NHS and phone numbers), details.py (emails, postcodes,
addresses, handles, pupil numbers), dates.py (dates of birth), names.py (names, with the lists in
name_lists.py); findings.py holds what they report, and this module joins them.

A `Finding` keeps only its kind and position, never the matched text, so findings can be
logged or counted without leaking what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.sanitise import CALL_TO_EVERYONE_TEXT
from handlers.safety.dates import dates_of_birth
from handlers.safety.descriptions import unique_descriptions
from handlers.safety.details import (
    addresses,
    case_references,
    family_emails,
    handles,
    postcodes,
    pupil_numbers,
    vehicles,
)
from handlers.safety.findings import (
    ADDRESS,
    DATE_OF_BIRTH,
    EMAIL,
    HANDLE,
    LABELS,
    NAME,
    NHS_NUMBER,
    PHONE,
    POSTCODE,
    PUPIL_NUMBER,
    SCHOOL,
    VEHICLE,
    Finding,
)
from handlers.safety.names import (
    asker_spans,
    beside_a_figure,
    english_words_by_zipf,
    everything_else_named,
    figure_spans,
    named_people,
    professional_spans,
    said_to_be_a_child,
    staff_spans,
    word_zipf,
)
from handlers.safety.numbers import digits_of, nhs_number_is_valid, nhs_numbers, phones
from handlers.safety.writers import writer_details

# What the reader should not read as a person: a platform's call to everyone ("@channel",
# Slack's "<!here>") and a web address, unless it is a place people have profiles, which it reads
_PROFILE_HOSTS = (
    r"x\.com|twitter\.com|instagram\.com|tiktok\.com|facebook\.com|fb\.com|snapchat\.com|onlyfans\.com|t\.me"
    r"|telegram\.me|linkedin\.com|reddit\.com|youtube\.com|youtu\.be|vsco\.co|steamcommunity\.com|kick\.com"
    r"|twitch\.tv|wa\.me|discord\.(?:gg|com)|roblox\.com|threads\.net|pinterest\.\w+|tumblr\.com|linktr\.ee"
)
_BROADCAST_OR_LINK = re.compile(
    CALL_TO_EVERYONE_TEXT + r"|https?://(?!(?:www\.)?(?:" + _PROFILE_HOSTS + r")\b)\S{1,400}",
    re.IGNORECASE,
)
_OWN_AGE = re.compile(r"(?i)\b(?:i\s+am|i'?m|im)\s+(?:only\s+|just\s+)?\d{1,2}\b(?:\s*(?:years?|yrs?)\s+old)?")
_DETAIL_KINDS = re.compile(
    r"(?i)\b(?:nhs\s+(?:numbers?|nos?|no\.)|d\.?o\.?b\.?|dobs|dates?\s+of\s+birth|postcodes?|home\s+address(?:es)?"
    r"|mobile\s+numbers?|phone\s+numbers?)(?!\w)"
)
# a date or an age said in words ("the fifth of may", "born in june"): a detail given, not a kind named
_DATE_IN_WORDS = re.compile(
    r"(?i)\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar"
    r"|apr|jun|jul|aug|sept?|oct|nov|dec|born|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|eleventh|twelfth|[a-z]+teenth|twentieth|thirtieth)\b"
)
_REVIEW_TALK = re.compile(r"(?i:\b(?:review|reviews|briefing|briefings|lcspr|cspr|scr)\b)")

# What the lookups, the surveys and the tests use; the modules hold the rest.
__all__ = [
    "ADDRESS",
    "DATE_OF_BIRTH",
    "EMAIL",
    "HANDLE",
    "LABELS",
    "NAME",
    "NHS_NUMBER",
    "PHONE",
    "POSTCODE",
    "PUPIL_NUMBER",
    "SCHOOL",
    "VEHICLE",
    "Finding",
    "english_words_by_zipf",
    "find_identifiers",
    "has_identifiers",
    "nhs_number_is_valid",
    "redact",
    "warning_text",
    "without_identifying_sentences",
    "word_zipf",
]


# --- the public interface ---------------------------------------------------------------------


def _non_overlapping(findings: Iterable[Finding]) -> list[Finding]:
    """Keep the earliest, then longest, finding where two overlap."""
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept


def find_identifiers(
    text: str,
    *,
    public_numbers: Iterable[str] = (),
    public_addresses: Iterable[str] = (),
    review_names: Iterable[str] = (),
    about_training: bool = False,
) -> list[Finding]:
    """Every identifying detail in `text`, in order, without overlaps.

    `public_numbers` are phone numbers that identify nobody (the front door, helplines), and
    `public_addresses` the partnership's published mailboxes; neither is reported when typed.
    `review_names` are the names the partnership's published reviews go by, kept when the text
    speaks of a review or briefing. `about_training` is for survey comments, which may name who
    ran the course ("Sarah the trainer"): staff, not a child or a family; and must not say who
    wrote them (a named workplace, a staff number).
    """
    allowed = frozenset(digits_of(n) for n in public_numbers)
    nhs = list(nhs_numbers(text))
    mailboxes = frozenset(a.lower() for a in public_addresses)
    found = [
        *nhs,
        *(p for p in phones(text, allowed) if not any(p.start < n.end and n.start < p.end for n in nhs)),
        *family_emails(text, mailboxes, a_persons_too=about_training),
        *pupil_numbers(text),
        *case_references(text),
        *postcodes(text),
        *addresses(text),
        *vehicles(text),
        *handles(text),
        *dates_of_birth(text),
        *unique_descriptions(text),
        *named_people(text),
    ]
    published = frozenset(n.lower() for n in review_names)
    if published and _REVIEW_TALK.search(text):
        found = [
            f for f in found if f.kind != NAME or text[f.start : f.end].lower().removesuffix("'s") not in published
        ]
    staff = professional_spans(text)
    if about_training:
        found.extend(writer_details(text, allowed))
        staff += staff_spans(text)
    else:
        staff += asker_spans(text)
    if staff:
        found = [f for f in found if f.kind != NAME or not any(a <= f.start and f.end <= b for a, b in staff)]
    # characters first, so a dog's breed ("two Jack Russells") does not take the other words with it
    figures = figure_spans(text)
    if figures:
        found = _figures_named_as_children(text, found, figures)
        found = [
            f for f in found if f.kind != NAME or not beside_a_figure(text, f, figures) or said_to_be_a_child(text, f)
        ]
    found.extend(everything_else_named(text, found))
    if staff:  # ...and staff named beside their post stay, whoever else the text names
        found = [f for f in found if f.kind != NAME or not any(a <= f.start and f.end <= b for a, b in staff)]
    if figures:
        found = [
            f for f in found if f.kind != NAME or not beside_a_figure(text, f, figures) or said_to_be_a_child(text, f)
        ]
    return _non_overlapping(found)


def _figures_named_as_children(text: str, found: list[Finding], figures: list[tuple[int, int]]) -> list[Finding]:
    """A character's or public figure's name said to be a child's ("my son Harry Potter", "Jack and
    Jill (6 and 7)"): the whole of it is the child's name, not only the part a pattern found."""
    named = [f for f in found if f.kind == NAME and said_to_be_a_child(text, f)]
    whole = [Finding(NAME, a, b) for a, b in figures if any(a <= f.start < b for f in named)]
    return found + whole


def may_identify(text: str) -> bool:
    """Whether the guard's second reader (handlers/safety/learned.py) takes a line the patterns
    passed to identify someone. It cannot say where, so callers warn or hold the text back rather
    than take a part out."""
    if not any(c.isalpha() for c in text):
        return False  # an emoji or a number alone names nobody; the patterns judge numbers
    from handlers.safety import learned  # read on the first line screened, not at start-up

    # a professional named beside their post ("the DSL at our church, mrs adebayo,") is nobody the
    # patterns would take out, so the reader reads the line without that name
    named_staff = {i for start, end in professional_spans(text) for i in range(start, end)}
    if named_staff:
        text = "".join(c for i, c in enumerate(text) if i not in named_staff)
    # the asker's own age ("i am 14 and my dad hits me") is an age alone, and an age identifies no one
    text = _OWN_AGE.sub("", text)
    text = _BROADCAST_OR_LINK.sub(" ", text)
    if not any(c.isalpha() for c in text):
        return False  # only a link or a call to everyone was typed
    # a kind of detail named without one given ("is the NHS number needed, or just the dob?") gives
    # nobody's: with no figure in the line, the reader does not read the kind's own words
    if not any(c.isdigit() for c in text) and not _DATE_IN_WORDS.search(text):
        text = _DETAIL_KINDS.sub("", text)
    reader = learned.reader()
    return reader is not None and reader.flags(text)


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


# Where one sentence ends: after . ! or ? and a space, and at every line break; not after
# "St." or "Mr." or "d.o.b." ("at St. Mary's" is one sentence, and so is its residue).
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[ \t]+|[ \t]*\n[\s]*")
_ABBREVIATION_BEFORE = re.compile(
    # a lone letter is an initial ("J. Smith", "e.g.", "d.o.b."); not the s of "Mary's."
    r"(?:\b(?:st|mr|mrs|ms|dr|no|nr|rd|yr|approx|etc|dob)|(?<![\w'’])[a-z](?:\.[a-z])*)\.$",
    re.IGNORECASE,
)
REMOVED_SENTENCES = "[details that could identify someone removed]"


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for found in _SENTENCE_BREAK.finditer(text):
        if "\n" not in found.group() and _ABBREVIATION_BEFORE.search(text[start : found.start()]):
            continue
        spans.append((start, found.start()))
        start = found.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def without_identifying_sentences(text: str, findings: list[Finding]) -> tuple[str, int]:
    """The text with every sentence that holds an identifying detail taken out whole, and how many
    were. What sits beside a name in one sentence (an age, a school, a street, a twin) identifies
    the child with it, so replacing the name alone left "9 in yr 4 at st marys primary" in a stored
    comment (a blind audit). A run of removed sentences becomes one marker."""
    if not findings:
        return text, 0
    out: list[str] = []
    removed, last_end, in_removed_run = 0, 0, False
    for start, end in _sentences(text):
        gap = text[last_end:start]
        if any(f.start < end and f.end > start for f in findings):
            removed += 1
            if not in_removed_run:
                out.append(gap + REMOVED_SENTENCES)
            in_removed_run = True
        else:
            out.append(gap + text[start:end])
            in_removed_run = False
        last_end = end
    return "".join(out).strip(), removed


def warning_text() -> str:
    """The private warning shown when someone types identifying details."""
    return (
        "Please don't share details that could identify a child or their family in chat "
        "(names, dates of birth, addresses, NHS numbers, phone numbers or emails, photos, or where and "
        "when something happened to them). You can get "
        "advice without naming the child: describe the worry in general terms, and talk it "
        "through with your DSL or manager."
    )
