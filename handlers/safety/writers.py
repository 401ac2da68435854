"""What in a survey comment could say who wrote it: a named setting ("As the DSL for Riverside
Nursery", "I work at Medway Maritime Hospital") or the writer's own staff, payroll or registration
number. The list of who went to a session says where each delegate works, so a named school,
nursery or surgery in a comment can point at the one delegate from it. Lookups do not use this:
the asker's own workplace identifies no child."""

from __future__ import annotations

from collections.abc import Iterator

from core.patterns import lazy_compile
from handlers.safety.details import TOWNS
from handlers.safety.findings import STAFF_NUMBER, WORKPLACE, Finding

# Places one person can be picked out of; "practice" and "team" only with a capital, since "good
# practice" and "my team" name nobody's.
_SETTING_WORDS = (
    r"nurser(?:y|ies)|pre-?schools?|playgroups?|primary|infants?|juniors?|academy|grammar|surgery|surgeries"
    r"|medical\s{1,3}(?:centre|practice)|health\s{1,3}centre|children['’]?s\s{1,3}centre|family\s{1,3}hub|secondary"
    r"|church(?:\s{1,3}hall)?|youth\s{1,3}club|scout\s{1,3}group|(?:rugby|football|cricket|boxing|swimming)\s{1,3}club"
)
_CAPITAL_SETTING_WORDS = (
    _SETTING_WORDS + r"|Schools?|College|High|Practice|Clinic|Ward|Church|Mosque|Gurdwara|Temple|Pharmacy"
    r"|Youth\s{1,3}Club|Sixth\s{1,3}Form"
)
# Big places where a delegate is one of hundreds: named only when the writer says they work there
_BIG_PLACE = lazy_compile(
    r"\b(?:St\.?\s{1,3}|[A-Z][\w'’-]{0,30}\s{1,3}){1,4}(?:Hospital|Hospice|Police\s{1,3}Station|Station|Prison|University)\b"
)
_WRITER_THERE = lazy_compile(
    r"(?i:\b(?:i\s{1,3}(?:work|am\s{1,3}based|am\s{1,3}a|am\s{1,3}the|teach|volunteer|nurse)|i'?m\s{1,3}(?:based|a|an|the)|my\s{1,3}(?:ward|team"
    r"|unit|department|manager|job|role|colleagues)|our\s{1,3}(?:ward|team|unit|department)|as\s{1,3}(?:a|an|the)\s{1,3}[\w\s-]{1,30}?"
    r"\s{1,3}(?:at|for|in|of))\b)"
)
# Words before a setting word that say which kind it is, not which one ("our nursery", "a primary",
# "the local academy", "special school"); capitalised at a sentence's start too
_GENERIC = (
    r"a|an|the|our|my|this|that|these|those|their|his|her|your|its|local|same|another|new|one|each|every|any"
    r"|which|what|all|both|other|many|some|most|several|few|secondary|primary|infant|junior|nursery|special"
    r"|private|independent|state|faith|catholic|church|village|day|early|years|different|nearby|first|previous"
    r"|child|children|safeguarding|practice|review|good|best|professional|reflective|learning|training|course"
    r"|current|last|next|whole|big|small|large|busy|mainstream|maintained|free|children['’]?s|community|general"
    r"|district|teaching|acute|mental|health|medical|maternity|paediatric|childrens|childrens'|gp|dental|high"
    r"|grammar|comprehensive|boarding|residential|setting|settings|school|schools|and|or|at|in|for|of|to"
    r"|us|as|we|them|through|via|into|like|such|kids|people|families|young|parents|volunteers|staff"
)
# ...one of them: "in Strood nurseries", "across Chatham primary schools" are many
_ONE_OF_THEM = r"(?<!nurseries)(?<!surgeries)(?<!playgroups)(?<!schools)(?!\s{1,3}(?:schools|nurseries|settings)\b)"
_NAMED_SETTING = lazy_compile(
    # "Riverside Nursery", "Hoo St Werburgh Primary", "Medway Maritime Hospital": a capitalised name
    rf"(?<!\ba\s)(?<!\ban\s)\b(?!(?i:{_GENERIC})\b)(?:St\.?\s{{1,3}}|[A-Z][\w'’-]{{0,30}}\s{{1,3}}){{1,4}}"
    rf"(?:{_CAPITAL_SETTING_WORDS})\b(?!\s{{1,3}}(?:Street|St|Road|Rd|University)\b){_ONE_OF_THEM}"
    # "the dsl for riverside nursery", "i work at hoo st werburgh primary": typed in lower case
    rf"|(?i:\b(?:at|for|from|of|in|with)\s{{1,3}}(?:(?!(?:{_GENERIC})\b)[a-z'’-]{{1,30}}\s{{1,3}}){{1,3}}(?:{_SETTING_WORDS})\b"
    rf"{_ONE_OF_THEM})"
    # "st aidans academy", "ward 7": a saint's school or church, a hospital's ward by its number
    rf"|(?i:\bst\.?\s{{1,3}}[a-z]{{1,30}}['’]?s?\s{{1,3}}(?:[a-z]{{1,30}}\s{{1,3}}){{0,2}}(?:{_SETTING_WORDS}|school|college)\b)"
    r"|(?i:\bward\s{1,3}\d{1,2}[a-z]?\b)"
    # "the chatham family hub", "rochester grammar staff": a town's own setting
    rf"|(?i:(?<!\ba\s)(?<!\ban\s)\b(?:{TOWNS})\s{{1,3}}(?:[a-z'’-]{{1,30}}\s{{1,3}}){{0,2}}(?:{_SETTING_WORDS})\b"
    rf"{_ONE_OF_THEM})"
)
# "staff no 48213", "my NMC pin is 12A3456E", "collar number 4521", "payroll 00123456": a number that is
# one person's at work. A run of six digits or more needs no cue (five is a text line's short code: "Shout 85258").
_NUMBER_WORD = r"no\.?|nos?|number|num|nbr|#|id|pin|code|ref(?:erence)?|registration|reg"
_NUMBER = r"[\s:=#-]{0,6}((?:[a-z]{1,4}-?)?\d[\da-z-]{0,14})(?![\w%])"
# every gap bounded, so no run of spaces after a cue word is tried every way ('staff' and 300 spaces
# took 24 s when each gap was \s*: a second review)
_STAFF_NUMBER = lazy_compile(
    # a cue that is a number's own: "collar 4521", "payroll 00123456", "nmc pin is 12A3456E"
    r"(?i:\b(?:collar|shoulder|warrant|badge|payroll|personnel|employee|nmc|gmc|hcpc|swe|gphc|gdc)"
    rf"(?:\s{{0,3}}(?:{_NUMBER_WORD}))?(?:\s{{1,3}}(?:is|was))?{_NUMBER}"
    # ...or a word that says whose with "no", "number" or "id" after it: "staff no. 321"
    rf"|\b(?:staff|registration|reg|membership|service|my|nurse|ward)\s{{0,3}}(?:{_NUMBER_WORD})"
    rf"(?:\s{{1,3}}(?:is|was))?{_NUMBER}"
    # ...or with four digits at least straight after it: "staff 48213", not "Staff: 120 trained"
    rf"|\b(?:staff|registration|reg|membership){_NUMBER})"
    # six digits or more with no cue, not a count ("over 100000 children")
    r"|(?<![\w£$.,/:])(\d{6,})(?![\w%]|[.,/]\d)(?!\s{1,3}(?:children|people|pupils|families|staff|kids|young))"
)


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _part_of_a_phone_number(text: str, start: int, end: int) -> bool:
    """Whether a run of digits is a piece of a longer number split by spaces ("01634 334466"):
    the phone finder judges those, and knows the partnership's published ones."""
    while start > 1 and text[start - 1] == " " and text[start - 2].isdigit():
        start -= 2
        while start > 0 and text[start - 1].isdigit():
            start -= 1
    while end + 1 < len(text) and text[end] == " " and text[end + 1].isdigit():
        end += 2
        while end < len(text) and text[end].isdigit():
            end += 1
    return _digits(text[start:end]) >= 10


# "Held at St Marys church hall", "The venue, Chatham Family Hub, ...": where the course was, not the writer
_VENUE_BEFORE = lazy_compile(
    # only words that say where the course ran: "Great course for us at Riverside Nursery" is the writer's
    r"(?i:\b(?:held|hosted|venue|took\s{1,3}place|hold\s{1,3}it|run\s{1,3}it)\b[^.!?\n]{0,20}$)"
)


def writer_details(text: str, public_numbers: frozenset[str] = frozenset()) -> Iterator[Finding]:
    """Every named setting and work number in a survey comment; `public_numbers` (digits only) are
    the partnership's published ones, a text line's short code among them."""
    for m in _NAMED_SETTING.finditer(text):
        if not _VENUE_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            yield Finding(WORKPLACE, m.start(), m.end())
    for m in _BIG_PLACE.finditer(text):
        sentence_start = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        if _WRITER_THERE.search(text, sentence_start, m.start()):
            yield Finding(WORKPLACE, m.start(), m.end())
    for m in _STAFF_NUMBER.finditer(text):
        bare = m.group(4)
        if bare and (
            bare in public_numbers
            or (bare.startswith("0") and len(bare) <= 6)  # a dialling code: "the 016344 ext"
            or _part_of_a_phone_number(text, m.start(4), m.end(4))
        ):
            continue
        if m.group(3) and _digits(m.group(3)) < 4:
            continue  # "Staff: 120 trained": a count
        number = m.group(1) or m.group(2) or m.group(3) or bare
        # three digits at least: "level 3", "id 1" are no one's number; nor a year
        if _digits(number) >= 3 and not (len(number) == 4 and number.isdigit() and number[:2] in ("19", "20")):
            yield Finding(STAFF_NUMBER, m.start(), m.end())
