"""Reading a question: the concerns it names (thesaurus phrases, topic names), what it denies,
whether it asks for a verdict or is off-topic, and the indicators ranked for it (`assess`)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from core.contentpack import ContentPack
from handlers import guidance
from handlers.threshold.asker import without_asker
from handlers.threshold.index import (
    _NUMBER_WORDS,
    END_MARK,
    EXACT,
    GAP,
    MAX_PARTS,
    NEGATED,
    NEGATIONS,
    NOW_MARK,
    SERIOUS_BONUS,
    Slots,
    ThresholdIndex,
    _phrase_stem,
    _phrase_stems,
    index_of,
)

# --- assessing a question ----------------------------------------------------------------------

_LEVEL_REF = re.compile(r"\b(?:level|lvl|l)\s*[-:]?\s*(\d|one|two|three|four|five|six)\b", re.IGNORECASE)
_ONLY_NUMBER = re.compile(r"^\s*(\d)\s*$")
# Questions asking the bot for a decision about a case.
_VERDICT = re.compile(
    r"\b(meets?|meeting|met|reach(?:es|ed)?|qualif\w*|enough\s+for|eligible|is\s+(?:this|it)|does\s+(?:this|it)"
    r"|would\s+(?:this|it)|should\s+(?:this|it|i)|which\s+level|what\s+level|threshold\s+for"
    # whether to refer or tell anyone: "do I need to refer?", "shall I ring first response or not"
    r"|(?:need|have)\s+to\s+(?:refer|report|ring|call|phone|tell|escalate)"
    r"|(?:do|shall|must|can)\s+i\s+(?:refer|report|ring|call|phone|tell|escalate|leave|just)"
    r"|or\s+not|yes\s+or\s+no|confirm|agree|worth\s+(?:a\s+)?referr\w*"
    r"|no\s*(?:one|body)\s+else\s+needs?)\b",
    re.IGNORECASE,
)


def mentioned_level(index: ThresholdIndex, text: str) -> int | None:
    """A level named anywhere in the text: 'level 4', 'level four', 'specialist'."""
    match = _LEVEL_REF.search(text) or _ONLY_NUMBER.match(text)
    if match:
        raw = match.group(1).lower()
        number = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        return number if index.levels.level(number) else None
    named = index.level_pattern.search(" ".join(guidance.words_of(text)))
    return index.level_names[named.group(1)] if named else None


def asked_for_level(index: ThresholdIndex, text: str) -> int | None:
    """The whole text names one level ('level 4', '4', 'specialist', 'specalist')."""
    words = " ".join(w for w in guidance.words_of(text) if w not in ("level", "show", "me", "the", "about"))
    match = _LEVEL_REF.fullmatch(text.strip()) or _ONLY_NUMBER.match(text)
    if match:
        return mentioned_level(index, text)
    if not words:
        return None
    if words in _NUMBER_WORDS:
        return mentioned_level(index, f"level {words}")
    best = process.extractOne(words, list(index.level_names), scorer=fuzz.ratio, score_cutoff=85)
    return index.level_names[best[0]] if best else None


def asks_for_verdict(text: str) -> bool:
    return bool(_VERDICT.search(text))


# What only a question about a referral or a threshold says, even with nothing about the child in
# it: "do I need to refer?", "the front door said it doesn't meet threshold, what now?"
_ABOUT_REFERRING = re.compile(
    r"\b(refer\w*|threshold\w*|first\s+response|front\s+door|mash|escalat\w*|report\s+it|ring\s+them)\b",
    re.IGNORECASE,
)


def asks_whether_to_refer(text: str) -> bool:
    return bool(_ABOUT_REFERRING.search(text))


# A decision already made that the asker may not agree with: "the front door said it doesn't
# meet threshold", "they closed it with no further action", "MASH refused the referral".
_DECIDED_AGAINST = re.compile(
    r"\b(said|says|decided|refused|rejected|declined|closed|nfa|no\s+further\s+action|disagree\w*"
    r"|(?:does\s*n[o']?t|did\s*n[o']?t|not)\s+(?:meet|reach))\b",
    re.IGNORECASE,
)


def disputes_a_decision(text: str) -> bool:
    return bool(_DECIDED_AGAINST.search(text)) and asks_whether_to_refer(text)


# Words that deny what follows ("it isn't domestic abuse", "never reported missing", "no marks or
# injuries seen", "no concerns about drinking"), as opposed to a worry said with a negation ("no
# food", "not in college", "refuses to eat"), which a concept phrase reads with its negation.
# A denying verb reaches a few words; "no"/"not" reach only the next word (and what "or" adds to
# it), unless they deny a concern outright ("no concerns about..."). A turn ("but", "and") ends it.
_DENYING_WORDS = "never isnt arent hasnt havent wasnt werent doesnt didnt aint nothing"
_DENYING = frozenset(_DENYING_WORDS.split())
_SHORT_DENIALS = frozenset(["no", "not", "none", "nobody"])
_DENIED_NOUN_WORDS = (
    "concerns concern worries worry issues issue problems problem signs sign evidence history indication"
)
_DENIED_NOUNS = frozenset(_DENIED_NOUN_WORDS.split())
# A plan or a thought is denied only as one of harming oneself or someone: "no plans to kill
# herself", "no suicidal thoughts"; not "no plans for the baby" or "no intention of stopping drinking"
_PLAN_NOUN_WORDS = "plans plan thoughts thought intent intention intentions ideation"
_PLAN_NOUNS = frozenset(_PLAN_NOUN_WORDS.split())
_HARM_WORD_LIST = (
    "kill killing hurt hurting harm harming end ending suicide suicidal die dying self overdose jump cut cutting"
)
_HARM_WORDS = frozenset(_HARM_WORD_LIST.split())
DENIAL_REACH = 4
# "denies" denies only a plan, a thought or a concern ("denies any thoughts of suicide"): "mum
# denies hitting him" leaves the worry standing
_DENIES = frozenset(["denies", "denied", "denying"])
_AUXILIARIES = frozenset(["has", "had", "is", "was", "did", "does", "have"])
_TURNS = frozenset(["but", "and", "though", "although", "however", "yet", "so", "because", "cos", "except", "just"])


def _said_in_a_row(stems: list[str], run: tuple[str, ...]) -> bool:
    size = len(run)
    return any(tuple(stems[k : k + size]) == run for k in range(len(stems) - size + 1))


def _denied_noun(words: list[str], denial: int, k: int) -> bool:
    if words[k] in _DENIED_NOUNS:
        return k == denial + 1  # "no concerns", not "no safeguarding worries about..."
    return words[k] in _PLAN_NOUNS and any(w in _HARM_WORDS for w in words[denial + 1 : k + 4])


def denied_positions(
    words: list[str], sentence_starts: frozenset[int] = frozenset(), *, firm: bool = False
) -> frozenset[int]:
    """Positions of the words a denial before them reaches; a new sentence ends it ("two phones that
    aren't his. reeking of weed"). `firm`: only what "no concerns", "no plans" and the like deny, not
    a worry said with a negation ("no explanation", "needs aren't being met")."""
    out: set[int] = set()
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        # "no concerns about...", "no plans to kill...", "denies any thoughts of suicide", "no suicidal thoughts"
        noun_at = 0
        if word in _SHORT_DENIALS or word in _DENIES:
            noun_at = next((k for k in (i + 1, i + 2, i + 3) if k < len(words) and _denied_noun(words, i, k)), 0)
        between = words[i + 1 : noun_at]
        if noun_at and len(between) <= 1 + (between[:1] == ["any"]):
            # the noun, and what it is of ("thoughts of suicide"); "no suicidal thoughts, low mood" ends there
            of = noun_at + 1 < len(words) and words[noun_at + 1] in ("of", "to", "about", "that")
            reach = DENIAL_REACH if not between else len(between) + 1 + (2 if of else 0)
        elif firm:
            continue
        elif word in _DENYING:
            reach = DENIAL_REACH
        elif word == "no" and following == "one":
            reach = 3  # "no one touches him": as "nobody touches him", with the one it names
        elif word == "nobody" and following in _AUXILIARIES:
            reach = 2  # "nobody has hit anyone", not "taxis nobody paid for"
        elif word == "no" and following == "longer":
            reach = DENIAL_REACH + 1  # "no longer going missing": what used to be, not now
        elif word in _SHORT_DENIALS:
            reach = 3 if words[i + 2 : i + 3] in (["or"], ["nor"]) else 1  # "no marks or injuries"
        else:
            continue
        for k in range(i + 1, min(i + 1 + reach, len(words))):
            if words[k] in _TURNS or k in sentence_starts:
                break
            out.add(k)
    return frozenset(out)


# The end of a sentence: a full stop, "!", "?" or ";" before a space or the end, or a new line
# ("3.5" and "b&b" are not).
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n")


def sentence_starts(text: str, words: list[str]) -> frozenset[int]:
    """Positions in `words` (the words of `text`) that begin a new sentence; none when the
    sentences' own words do not add up to `words`."""
    starts: list[int] = []
    count = 0
    for piece in _SENTENCE_END.split(text):
        count += len(guidance.words_of(piece))
        starts.append(count)
    return frozenset(starts[:-1]) if count == len(words) else frozenset()


# Words that say a question is about a child or family, even when nothing in the pack is close.
_CONTEXT_WORDS = (
    "child children kid kids baby babies infant toddler teenager teen young pupil pupils student students "
    "girl boy son daughter mum dad mother father parent parents carer carers family families safeguarding "
    "worried worry concern concerned concerns dsl welfare harm risk abuse unsafe boyfriend girlfriend yo "
    "referral uncle aunt auntie grandad grandma nan stepdad stepmum stepbrother stepsister brother sister cousin "
    "lodger niece nephew grandson granddaughter "
    # the trade's words for a child: young person, looked after, in care, in need, on a plan
    "yp yps cyp lac cla cic cin cpp "
    # and its shorthand for an unborn child's or a pupil's worries: antenatal care, intravenous drug
    # use, no fixed abode, early help, attendance
    "midwife mw anc antenatal ivdu nfa eh att"
)
_CONTEXT = frozenset(_CONTEXT_WORDS.split())
# Context words that also name a workplace or a role ("the family hub", "the safeguarding course"):
# beside a workplace word ("wifi at the family hub") they don't make a question about a child.
_PLACES = frozenset(["family", "families", "safeguarding", "dsl", "referral", "welfare"])
# Everyday workplace and leisure words: with no worry recognised, the question is not about safeguarding.
_OFF_TOPIC_WORDS = (
    "password passwords laptop laptops computer computers printer printers printing wifi login logon outlook "
    "software install installed helpdesk parking parked expenses expense mileage payslip payslips payroll "
    "salary pension invoice invoices timesheet timesheets rota stationery canteen microwave football rugby "
    "cricket tennis golf weather recipe recipes booking vpn spreadsheet excel sharepoint headset monitor "
    "keyboard reimburse reimbursed reimbursement claim claiming conference conferences hotels venue venues "
    "catering buffet kettle vending overtime flexi toil appraisal appraisals lanyard desk desks hotdesk "
    "office offices colleague colleagues zoom webinar toner photocopier scanner broadband router charger "
    "petrol diesel receipts receipt tickets ticket railcard travelcard flight flights airport trainline "
    "gym fitness fixture fixtures league tournament darts snooker quiz bake raffle santa annual certificate "
    "certificates elearning crashing crashes glitching buffering "
    # teaching itself ("can you write me a lesson plan for yr 6 fractions", a blind audit)
    "fractions decimals worksheet worksheets homeworksheet powerpoint slides syllabus curriculum"
)
_OFF_TOPIC = frozenset(_OFF_TOPIC_WORDS.split())
# Words that put a child, a family or a person of concern in the question: a question holding one
# is never refused for also naming a workplace word ("mum drinks, lost her job at the office").
_PEOPLE_WORDS = (
    "child children kid kids baby babies infant toddler teenager teen young pupil pupils student students "
    "girl boy son daughter mum dad mother father parent parents carer carers family families boyfriend "
    "girlfriend yo he she him her his hers they their them lad lads lass lasses boyfriends girlfriends "
    "stepdad stepmum aunt auntie uncle nan grandad grandma gran sibling siblings brother sister brothers "
    "sisters cousin teenagers teens youngster youngsters infants "
    "toddlers newborn victim ex man men woman women lodger neighbour adult adults "
    "daddy mummy mommy mam mammy dada papa nanny grandad granny stepdaddy "
    "boys girls sons daughters childs babys mums dads"  # and their possessives: "the boy's arm"
)
_PEOPLE = frozenset(_PEOPLE_WORDS.split())
# An age names a person ("year 8", "3 month old"); the same words alone are dates ("this month").
_AGE_WORDS = frozenset(["yr", "yrs", "year", "years", "month", "months", "old", "yo"])


def _gestation(words: list[str]) -> bool:
    """A pregnancy's weeks in the midwife's notation, "32/40" (read as the words "32", "40")."""
    return any(a.isdigit() and b == "40" and 4 <= int(a) <= 42 for a, b in zip(words, words[1:], strict=False))


def _names_a_person(words: list[str]) -> bool:
    if _gestation(words):
        return True  # "booking @ 32/40": a pregnancy, so an unborn child
    if _age_group(words):
        return True  # "the under 12s at our football club", "our u9s": a team's children
    return any(
        w in _PEOPLE
        or (
            w in _AGE_WORDS
            and 0 < i < len(words)
            and (words[i - 1].isdigit() or words[i + 1 : i + 2] and words[i + 1].rstrip("s").isdigit())
        )
        for i, w in enumerate(words)
    )


_AGE_GROUP_WORD = re.compile(r"u\d{1,2}s?")
_AGE_GROUP_AGES = re.compile(r"\d{1,2}s")


def _age_group(words: list[str]) -> bool:
    if any(_AGE_GROUP_WORD.fullmatch(w) for w in words):
        return True
    return any(a == "under" and _AGE_GROUP_AGES.fullmatch(b) for a, b in itertools.pairwise(words))


_AGE = re.compile(r"\b(\d{1,2})(yo|yrs?|y/o|years?|months?|weeks?|wks?)\b", re.IGNORECASE)  # "13yo" -> "13 yo"

# Questions about an adult and no child ("my 80 yr old dad with dementia", "my friend is 34 and her
# husband controls her money"): adult safeguarding, which this guidance does not cover.
_ADULT_WORDS = (
    "adult adults elderly pensioner pensioners dementia alzheimers husband wife resident residents tenant tenants "
    "colleague colleagues workmate workmates coworker coworkers crewmate crewmates"
)
_ADULT = frozenset(_ADULT_WORDS.split())
_OLD_AGE_WORDS = frozenset(["elderly", "pensioner", "pensioners", "dementia", "alzheimers"])
_CHILD_WORDS = (
    "child children childs kid kids baby babies infant infants toddler toddlers teenager teenagers teen teens "
    "pupil pupils student students son sons daughter daughters girl girls boy boys lad lads lass youngster "
    "youngsters school nursery college attendance unborn pregnant pregnancy newborn grandchild grandchildren "
    "grandson granddaughter yp cyp uasc unaccompanied"
)
_CHILD = frozenset(_CHILD_WORDS.split())
_GROWN_UP_CHILD = frozenset(["son", "sons", "daughter", "daughters"])
_CARERS = frozenset(["carer", "carers"])
_NONE_WORDS = frozenset(["no", "without", "dont", "doesnt", "didnt", "never", "havent", "hasnt", "not", "nor"])
_HAVING_WORDS = frozenset(["have", "has", "had", "got", "any", "own", "their", "her", "his"])
_SIBLING = frozenset(["sibling", "siblings", "brother", "sister", "brothers", "sisters", "niece", "nephew"])
# "her stepbrother says he'll hurt the dog if she tells": a threat to a pet is a child's worry
_STEP_SIBLINGS = frozenset(["stepbrother", "stepsister", "stepbrothers", "stepsisters"])
# worries only a child has: "she won't come home" is about a child, whoever else is named
_CHILDHOOD_WORDS = (
    "missing education missing-education child-on-child homeless-16-17 private-fostering "
    "behaviour pre-birth parent-in-prison online-harm"
)
_CHILDHOOD_TOPICS = frozenset(_CHILDHOOD_WORDS.split())
_GROWN_UPS_TOO = frozenset(["missing", "behaviour", "online-harm", "parent-in-prison"])  # ...or a grown-up's
_YEARS_WORDS = (["yr"], ["yrs"], ["year"], ["years"], ["yo"], ["old"])
_NOT_YEARS = (["weeks"], ["week"], ["wks"], ["months"], ["month"], ["days"], ["percent"], ["pm"], ["am"], ["times"])
_SCHOOL_YEAR = re.compile(r"(?:yr|y|year)\d{1,2}")
_YEAR_NUMBER = re.compile(r"(?:[1-9]|1[0-3])s?")
_DECADE = re.compile(r"[2-9]0s")
_PARENT = frozenset(
    ["mum", "mom", "mother", "dad", "father", "parent", "parents", "stepdad", "stepmum", "carer", "carers"]
    + ["daddy", "mummy", "mommy", "mam", "mammy"]  # a child's own words for a parent
)
_AGE_BEFORE = (["is"], ["shes"], ["hes"], ["aged"], ["age"], ["about"], ["around"], ["roughly"])
# "about 20 mins ago", "around 30 tablets": a number of something, not an age (an outside audit: a
# youth worker's lad who swallowed paracetamol "about 20 mins ago" was read as an adult of 20)
_COUNTED_UNITS = frozenset(
    ["min", "mins", "minute", "minutes", "hour", "hours", "hr", "hrs", "sec", "secs", "second", "seconds"]
    + ["day", "days", "week", "weeks", "wk", "wks", "month", "months", "times", "percent", "pm", "am"]
    + ["miles", "metres", "meters", "pounds", "quid", "tablets", "pills", "kg", "kilos", "people", "kids"]
)
# a number straight after a person is their age: "my sister 42", "neighbour (80)"
_PERSON_BEFORE_AGE = frozenset(
    ["sister", "brother", "mum", "dad", "mother", "father", "neighbour", "friend", "colleague", "husband"]
    + ["wife", "partner", "aunt", "uncle", "nan", "grandad", "grandma", "man", "woman", "lady", "gentleman"]
    + ["tenant", "resident", "client"]
)
_GROWN_UPS = (["adults"], ["adult"], ["grownups"], ["people"], ["staff"], ["colleagues"], ["residents"])
# the asker names the service: "is that adult safeguarding", "adult social care"
# not "boyfriend" or "girlfriend": a young person's own words ("my boyfriend says I owe him") are a child's
_OWN_PARTNER = frozenset(["partner", "husband", "wife", "fiance", "fiancee"])
_YOUNG_MEN = frozenset(["lad", "lads", "lass", "lasses"])
_GRANDPARENT = frozenset(
    ["nan", "nans", "nana", "gran", "grans", "granny", "grandma", "grandad", "grandpa", "grandmother", "grandfather"]
)
# "her" before one of these owns them: in "her dad hits her mum" the mother is hit, not the girl
_HER_GROWN_UP = _OWN_PARTNER | frozenset(
    [
        "mum",
        "mom",
        "mother",
        "mam",
        "mammy",
        "mummy",
        "mommy",
        "stepmum",
        "girlfriend",
        "boyfriend",
        "aunt",
        "auntie",
    ]
)
_OLD_PEOPLES_HOME = re.compile(r"\b(?:care|nursing|residential)\s+home\b")
_ADULT_SERVICE = re.compile(
    r"\b(?:adult\s+(?:safeguarding|social\s+care|services)|safeguarding\s+adults|supported\s+living)\b"
)
# a brother or sister with a grown-up's life: "my brother lost his job and is drinking"
_GROWN_UP_LIFE = frozenset(
    ["job", "jobs", "wife", "husband", "mortgage", "pension", "redundant", "redundancy", "divorce", "divorced"]
    + ["retired", "employer", "payslip", "landlord"]
)


def _ages(words: list[str]) -> list[int]:
    """The numbers said as someone's age: "is 34", "aged 80", "80 yr old", "(about 80)", "my sister
    (42, no kids)", and decades ("in her 60s")."""
    ages = [
        int(w)
        for i, w in enumerate(words)
        if w.isdigit()
        and len(w) <= 3
        and (
            (words[i - 1 : i] in _AGE_BEFORE and not (words[i + 1 : i + 2] and words[i + 1] in _COUNTED_UNITS))
            or words[i + 1 : i + 2] in _YEARS_WORDS
            or (i > 0 and words[i - 1] in _PERSON_BEFORE_AGE)
        )
    ]
    return ages + [int(w[:-1]) for w in words if _DECADE.fullmatch(w)]


def _young_age_said(words: list[str]) -> bool:
    """Any number under 18 not said as weeks, months or a percentage may be a child's age ("she's
    14", "(about 3 and 5)"); not a count of grown-ups ("feeding 6 adults") nor "3 days"."""
    return any(
        w.isdigit()
        and int(w) < 18
        and words[i + 1 : i + 2] not in _NOT_YEARS
        and words[i + 1 : i + 2] not in _GROWN_UPS
        for i, w in enumerate(words)
    )


def _old_person(words: list[str]) -> bool:
    joined = " ".join(words)
    # ...with a grandparent in it ("my nan's in a care home"): a child can live in a care home too
    grandparent = any(w in _GRANDPARENT for w in words)
    # ...or the asker's own parent ("my dad's care home"): the asker is a grown-up, so is theirs
    own_parent = any(
        a == "my" and (b in _PARENT or b.removesuffix("s") in _PARENT) and b not in _CARERS
        for a, b in zip(words, words[1:], strict=False)
    )
    home = _OLD_PEOPLES_HOME.search(joined) is not None and (grandparent or own_parent)
    # "my nan's carer keeps taking cash": a grandparent's carer, with no child's age in it
    cared_for = grandparent and any(w in _CARERS for w in words) and not any(w.isdigit() for w in words)
    home = home or cared_for
    return home or any(w in _OLD_AGE_WORDS for w in words) or any(60 <= a <= 110 for a in _ages(words))


# "my colleague asked what level neglect is": a question about the levels, whoever asks it (but
# "the hotel is over the threshold" is about the hotel)
_LEVEL_WORDS = frozenset(["level", "levels", "threshold", "thresholds", "referral", "refer"])
_PEOPLE_AT_WORK = frozenset(["colleague", "colleagues", "manager", "managers", "boss", "supervisor"])


def about_an_adult(words: list[str]) -> bool:
    """An adult named and no child: an age of 18 or over or an adult's word, and no word for a
    child, no age under 18 and, unless the adult is old, no parent (a parent's worry is a child's)."""
    ages = _ages(words)
    # "my partner checks my phone": the asker's own relationship, an adult's
    own_partner = any(a == "my" and b in _OWN_PARTNER for a, b in zip(words, words[1:], strict=False))
    old = _old_person(words)
    # "UASC arrived alone, no adult": an adult said not to be there is no adult's question
    adults = [w for i, w in enumerate(words) if w in _ADULT and not _ruled_out(words, i)]
    if _a_colleague_asks_about_the_levels(words, adults):
        adults = []  # "my colleague asked what level neglect is": the colleague only asks
    adult = bool(adults) or any(18 <= a <= 110 for a in ages) or own_partner or old
    # "yr8", "y10", and "a yr 8's phone", "the year 9s": a pupil
    grown = bool(ages) and min(ages) >= 18  # "my 40 year old brother is in year 2 of his degree"
    school_year = (
        any(_SCHOOL_YEAR.fullmatch(w) for w in words)
        or not grown
        and any(a in ("yr", "year", "y") and _YEAR_NUMBER.fullmatch(b) for a, b in zip(words, words[1:], strict=False))
    )
    young = _young_age_said(words)
    if young is False and _ADULT_SERVICE.search(" ".join(words)) and not school_year:
        return True  # "is that adult safeguarding": the asker says whose it is
    # "no kids", "they don't have any children": said to rule a child out
    named = [w for i, w in enumerate(words) if w in _CHILD and not _ruled_out(words, i)]
    # an old person's son or daughter is grown up ("my elderly neighbour's son never visits")
    # ...and so is an adult's ("a vulnerable adult ... told me her son hits her")
    grown_up = old or "adult" in words or "adults" in words
    named = [w for w in named if not (grown_up and w in _GROWN_UP_CHILD)]
    # "in his 40s ... some lads have taken over his flat": young men beside an adult of a stated age
    if any(a >= 18 for a in ages) and not any(a < 18 for a in ages):
        named = [w for w in named if w not in _YOUNG_MEN]
    child = bool(named) or school_year or young or any(a < 18 for a in ages)
    # an adult's paid or family carer is no parent ("adult client ... abused by her paid carer")
    parents = _PARENT - _CARERS if "adult" in words or "adults" in words else _PARENT
    child = child or (not old and any(w in parents for w in words))
    # a brother or sister is a child's, unless the only age said is an adult's ("my sister is 41")
    # or they are in-laws ("my brother in law")
    in_law = {i for i, w in enumerate(words) if w in _SIBLING and words[i + 1 : i + 3] == ["in", "law"]}
    adult = adult or bool(in_law)
    siblings = any(w in _SIBLING and i not in in_law for i, w in enumerate(words))
    grown_up_sibling = siblings and any(w in _GROWN_UP_LIFE for w in words)
    adult = adult or grown_up_sibling
    child = child or (not ages and siblings and not grown_up_sibling)
    return adult and not child


_ANIMALS = frozenset(
    ["dog", "dogs", "cat", "cats", "puppy", "puppies", "kitten", "kittens", "pet", "pets", "rabbit", "horse", "pony"]
    + ["hamster", "hamsters", "guinea", "gerbil", "fish", "tortoise", "budgie", "parrot", "snake", "lizard"]
)
# where children are, which an animal can be too ("our nursery guinea pig"): no child in itself
_CHILDRENS_PLACES = frozenset(["school", "nursery", "college", "attendance", "class", "classroom"])


_ANIMAL_MESS = frozenset(["mess", "poo", "poop", "muck", "faeces", "dirt", "hair", "fleas", "urine", "wee", "litter"])
# what only a person does or has: "scratches on her wrists she says are from the cat" is a person's
_A_PERSONS = frozenset(["says", "said", "told", "tells", "saying", "telling", "disclosed", "wrist", "wrists"])


def _about_an_animal(words: list[str]) -> bool:
    """An animal's welfare and no child in it ("neighbour's dog left out for days"): the RSPCA's, not
    this guidance's. Any child, parent or age keeps it a child's ("dog mess everywhere, the baby...")."""
    if not any(w in _ANIMALS for w in words):
        return False
    # "dog mess on the floor": what an animal leaves is a home's condition, a child's worry
    if any(a in _ANIMALS and b in _ANIMAL_MESS for a, b in zip(words, words[1:], strict=False)):
        return False
    if any(w in ("old", "yo", "yr", "yrs") for w in words):
        return False  # "the nine year old": someone's age
    if any(w in _A_PERSONS for w in words):
        return False
    return not _young_age_said(words) and not any(
        (w in _CHILD and w not in _CHILDRENS_PLACES) or w in _PARENT or w in _STEP_SIBLINGS for w in words
    )


_ME = frozenset(["i", "im", "ive", "id", "me", "my", "myself"])
# the asker's work: "since a difficult case", "is there counselling for staff", "my workload"
_MY_WORK = frozenset(
    ["staff", "employee", "employees", "employer", "occupational", "eap", "workload", "caseload", "supervision"]
    + ["burnout", "burnt", "hr", "case", "cases", "shift", "shifts", "colleague", "colleagues", "manager"]
)
_WELLBEING_TOPICS = frozenset(["mental-health", "health", "finances"])


def _the_askers_own_wellbeing(words: list[str], recognised: Iterable[str]) -> bool:
    """The asker speaks of themselves after hard work, and of no one else ("I'm stressed and not
    sleeping since a difficult case, is there counselling for staff"): their employer's support,
    not a child's level of need. Any person, any other worry, or a serious signal keeps it a child's
    (a young person may write "I" too)."""
    return (
        set(recognised) <= _WELLBEING_TOPICS
        and not _names_a_person(words)
        and any(w in _ME for w in words)
        and any(w in _MY_WORK for w in words)
    )


def _ruled_out(words: list[str], i: int) -> bool:
    """The word at i is said not to exist: "no kids", "without children", "they don't have any
    kids", "never had children"."""
    for back in range(1, 4):
        if i - back < 0:
            return False
        before = words[i - back]
        if before in _NONE_WORDS:
            return True
        if before not in _HAVING_WORDS:
            return False
    return False


STRONG = 2.5  # matched weight (idf) that counts as close on its own, without a recognised concern
HINT_WEIGHT = 0.6  # a concept's hint words count less than the asker's own words
CONCERN_BONUS = 1.5  # per recognised concern an indicator is tagged with
COMMON_WEIGHT = 0.5  # for a word among the most common in English
MAX_RANKED = 8
MAX_NAMED = 4  # topics named outright that count as concerns; more is a list of words, not a question
FIRST_SCREEN = 3


@dataclass(frozen=True)
class Ranked:
    """One indicator in an answer, best first."""

    number: int  # its place in the pack's index, stable while the pack is loaded
    level: int
    text: str
    topics: tuple[str, ...]
    score: float
    concern: str = ""  # the concern it answers, as named in "You mentioned"


@dataclass(frozen=True)
class Assessment:
    """What a question is about and the indicators closest to it. Pure: no database, no clock."""

    ranked: list[Ranked]
    concerns: tuple[str, ...]  # topic ids recognised, strongest first
    off_topic: bool  # not about safeguarding: the bot says so and shows the overview only
    nothing_close: bool  # about safeguarding, but nothing in the pack is close
    mentioned: tuple[str, ...] = ()  # the concerns in everyday words, for "You mentioned: ..."
    suggested: tuple[str, ...] = ()  # concerns only the learned reader saw, for "It may also involve: ..."
    suggested_topics: tuple[str, ...] = ()  # their topic ids (not among `concerns`, which were said)
    matched: tuple[str, ...] = ()  # words that matched, as typed
    serious: bool = False  # a serious signal put its level's indicators first
    adult: bool = False  # about an adult and no child: the bot points to adult social care
    own_wellbeing: bool = False  # the asker's own, after hard work: the bot points to staff support


def _masked(index: ThresholdIndex, stems: list[str]) -> list[str]:
    """Stems with idioms ("keep in touch", "kicked her out") blanked, so no concept phrase matches
    across them; only a phrase that says the idiom itself reads them (see found_concepts)."""
    out = list(stems)
    for i, stem_ in enumerate(stems):
        for idiom in index.idiom_starts.get(stem_, ()):
            size = len(idiom)
            if i + size <= len(stems) and all(stems[i + k] in idiom[k] for k in range(1, size)):
                out[i : i + size] = [""] * size
    return out


_REPORTING = frozenset(["said", "told"])
_REFLEXIVES = frozenset(["herself", "himself", "themselves", "themselv", "themself", "myself", "yourself", "itself"])


def _part_at(
    slots: Slots, stems: list[str], start: int, typed: list[str] | None = None, stops: frozenset[int] = frozenset()
) -> list[int]:
    """Where the slots after the first match, from `start`; empty when they don't. A negation
    reaches only to the next one: "isn't eating, isn't sleeping" does not read "not sleeping"
    from the first "isn't". An emergency phrase's slots may hold words as typed ("=going") beside
    stems: `typed` gives the question's words as typed for those."""
    at = [start]
    negated = stems[start] == NEGATED
    for slot in slots[1:]:
        for nxt in range(at[-1] + 1, min(at[-1] + 2 + GAP, len(stems))):
            if stems[nxt] in slot or (typed is not None and typed[nxt] in slot):
                at.append(nxt)
                break
            if negated and stems[nxt] == NEGATED:
                return []
            # "thoughts of hurting herself, baby is 6 weeks": who is hurt ends there, so a phrase's
            # next word ("hurting {victim}") is not looked for past it
            if (
                stems[nxt] in _REFLEXIVES
                and stems[nxt - 1] in ("hurt", "harm")
                and (nxt + 1 >= len(stems) or stems[nxt + 1] not in ("and", "&"))
            ):
                return []  # not "harm herself and the baby", which names both
            if nxt in stops:
                return []  # what follows "said" is someone's words: "kids in my class said her dad hits"
        else:
            return []
    return at


def found_concepts(
    index: ThresholdIndex,
    words: list[str],
    masked: list[str] | None = None,
    denied: frozenset[int] | None = None,
    starts: frozenset[int] = frozenset(),
    breaks: frozenset[int] = frozenset(),
) -> tuple[list[tuple[int, int]], set[str]]:
    """(concept, first position) for each concept the words describe: serious signals first,
    then in the order the asker mentioned them; and the stems those phrases began with. A phrase's
    own words do not run across the start of a sentence (`starts`): in "his 4 yr old. mum says he
    used to hit her" no child says it."""
    raw = _phrase_stems(words)
    stems = _masked(index, raw) if masked is None else masked
    parts_seen: dict[int, dict[int, list[int]]] = {}  # pattern -> part -> the positions it matched
    present = set(raw)
    reported = frozenset(i for i, w in enumerate(words) if w in _REPORTING)
    # The parts a stem starts whose words are all in the question, worked out once per stem: a
    # word said a thousand times ("no no no ...") looked at its 1,081 parts a thousand times.
    viable: dict[str, list[tuple[int, int]]] = {}

    def parts_from(stem_: str) -> list[tuple[int, int]]:
        found = viable.get(stem_)
        if found is None:
            found = viable[stem_] = [
                (pattern_no, part_no)
                for pattern_no, part_no in (divmod(code, MAX_PARTS) for code in index.starts.get(stem_, ()))
                if present.issuperset(index.patterns[pattern_no].needs[part_no])
            ]
        return found

    for position, stem_ in enumerate(stems):
        for pattern_no, part_no in parts_from(stem_):
            pattern = index.patterns[pattern_no]
            seen = parts_seen.setdefault(pattern_no, {})
            where = [] if part_no in seen else _part_at(pattern.parts[part_no], stems, position, stops=reported)
            # "her dad hits her mum": a reading that ends on "her" owning a grown-up is no reading,
            # and the phrase may still be read further on ("... and then hits her too")
            if (
                where
                and not any(where[0] < k <= where[-1] for k in starts)
                and not _ends_on_her_grown_up(words, where[-1], breaks)
            ):
                seen[part_no] = where
    if index.owners and stems != raw:
        # a phrase that says an idiom itself ("kicked out") reads the words the idiom hid
        for position, stem_ in enumerate(raw):
            for pattern_no, part_no in parts_from(stem_):
                if pattern_no not in index.owners:
                    continue
                seen = parts_seen.setdefault(pattern_no, {})
                where = [] if part_no in seen else _part_at(index.patterns[pattern_no].parts[part_no], raw, position)
                if where:
                    seen[part_no] = where
    stems = raw
    denied = denied_positions(words) if denied is None else denied
    denials = [i for i, w in enumerate(words) if w in _DENYING or w in _SHORT_DENIALS]
    # concept -> its tightest reading: (words between its first and last, where it starts, positions)
    best: dict[int, tuple[int, int, frozenset[int]]] = {}
    fullness: dict[int, int] = {}  # concept -> how many words its best reading reads
    taken: set[str] = set()
    for pattern_no, seen in parts_seen.items():
        pattern = index.patterns[pattern_no]
        if len(seen) == len(pattern.parts):
            read = [i for positions in seen.values() for i in positions]
            # as phrases read them and as the question's terms do ("told": "tell" and "told"); a
            # denied reading's words are taken too, so they name no topic outright either
            taken.update(stems[i] for i in read)
            taken.update(guidance.stem(words[i]) for i in read)
            if all(stems[i] != NEGATED for i in read) and _denied_reading(read, denied, denials):
                continue  # "it isn't domestic abuse", "no marks seen", "mum has never hit them": not a worry
            spread = sum(positions[-1] - positions[0] for positions in seen.values())
            # only a phrase's own words can be read two ways; "a + b" parts are read on their own
            together = frozenset(i for p in seen.values() for i in p) if len(seen) == 1 else frozenset()
            reading = (spread, min(p[0] for p in seen.values()), together)
            # the tightest reading; of two as tight, the one that reads more of the words
            if pattern.concept not in best or (spread, -len(read), reading[1]) < (
                best[pattern.concept][0],
                -fullness[pattern.concept],
                best[pattern.concept][1],
            ):
                best[pattern.concept] = reading
                fullness[pattern.concept] = len(read)
    # Two concepts reading the same words ("mum says dad hits her": a parent hitting a child, or
    # one parent hitting the other): the tighter reading wins; a serious signal is never dropped.
    # A reading that holds all of another's words and more ("missing school" beside "missing")
    # is the fuller one and wins, however spread out. Readings are settled fullest and tightest
    # first, and only a reading kept can drop another, so some reading always survives.
    dropped: set[int] = set()
    kept: list[tuple[int, frozenset[int]]] = []
    for c, (spread, _at, positions) in sorted(best.items(), key=lambda cr: (-len(cr[1][2]), cr[1][0], cr[1][1], cr[0])):
        if not index.concepts[c].level and any(
            positions & theirs and _reads_more(theirs, other, positions, spread) for other, theirs in kept
        ):
            dropped.add(c)
        else:
            kept.append((spread, positions))
    first = [(c, at) for c, (_spread, at, _p) in best.items() if c not in dropped]
    ordered = sorted(first, key=lambda cp: (-(index.concepts[cp[0]].level or 0), cp[1], cp[0]))
    return _narrower_first(index, ordered), taken


def _ends_on_her_grown_up(words: list[str], last: int, breaks: frozenset[int]) -> bool:
    """ "her" owns the grown-up after it, in the same clause ("better off without her, partner works
    away" is not "her partner")."""
    after = last + 1
    return words[last] == "her" and after < len(words) and words[after] in _HER_GROWN_UP and after not in breaks


def _narrower_first(index: ThresholdIndex, ordered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Of two concepts said at the same place, the one that says all the other does and more leads:
    "homeless 16 year old" is a homeless 16-year-old (homeless 16-17 and housing) before it is
    housing alone."""
    out = list(ordered)
    for i in range(len(out)):
        c, at = out[i]
        level, topics = index.concepts[c].level or 0, set(index.concepts[c].topics)
        for j in range(i + 1, len(out)):
            d, at_d = out[j]
            if at_d != at or (index.concepts[d].level or 0) != level:
                continue
            if topics < set(index.concepts[d].topics):
                out.insert(i, out.pop(j))
                break
    return out


def in_danger_now(index: ThresholdIndex, words: list[str], clauses: list[int] | None = None) -> bool:
    """Whether the words say a child is in danger right now, in the pack's emergency phrases ("the
    baby is not breathing", "stepdad has a knife", "being attacked right now"); not when a denial
    takes the words back ("he isn't unconscious"), nor when a time in the same clause puts it in the
    past ("went floppy at nursery last week"). `clauses` numbers each word's clause (clauses_of)."""
    return bool(danger_read(index, words, clauses))


def danger_read(index: ThresholdIndex, words: list[str], clauses: list[int] | None = None) -> list[int]:
    """The positions of the words that say a child is in danger right now (in_danger_now), those
    of the first emergency phrase that reads them; empty when none does."""
    if not index.emergency or _not_live(words):
        return []
    clause = clauses if clauses is not None and len(clauses) == len(words) else [0] * len(words)
    stems = _phrase_stems(words)
    typed = [EXACT + w for w in words]
    maybe_real = bool(_MAYBE_REAL.search(" ".join(words)))
    # what was said before words saying it is over is no danger now; what is said after them may be
    for k in range(_over_before(words)):
        stems[k] = typed[k] = ""
    for k in _on_screen(words, clause):
        stems[k] = typed[k] = ""  # what a film or a game shows
    # "the knife amnesty bin", "gun crime workshop": a weapon word naming the next one is no weapon
    # and "a stabbing game at break" is children playing, not a stabbing ("the choking game" is
    # no game: it is not among these)
    for i in range(len(words) - 1):
        if (words[i] in _WEAPON_WORDS and words[i + 1] in _WEAPON_NAMES) or (
            words[i] in _PLAYED_AT and words[i + 1] in ("game", "games")
        ):
            stems[i] = typed[i] = ""
        # "playing stabbing each other with foam swords": a game; a toy's sword or gun is no weapon,
        # unless it may be real ("a toy gun, cant tell if its real", "what looks like a pretend gun")
        if (words[i] == "playing" and words[i + 1] in _PLAYED_AT) or (
            words[i] in _TOY_MADE and words[i + 1] in _TOY_WEAPONS and not maybe_real
        ):
            stems[i + 1] = typed[i + 1] = ""
        if words[i] in ("level", "lvl", "levels") and words[i + 1].isdigit():
            stems[i + 1] = typed[i + 1] = ""  # "does this meet level 4? 2 yr old...": a level, no age
    # "had a nosebleed (or a nose bleed) in PE, blood everywhere": a nosebleed's blood, unless
    # someone struck the child
    heard = set(words)
    nose = any(a == "nose" and b in _BLOOD or a == "bleeding" and b == "nose" for a, b in itertools.pairwise(words))
    if (nose or not heard.isdisjoint(_NOSEBLEED)) and heard.isdisjoint(_STRUCK):
        for i, word in enumerate(words):
            if word in _BLOOD:
                stems[i] = typed[i] = ""
    # "mum won't wake him up for school": someone not waking a child, not a child who cannot be
    # woken ("mum won't wake", "can't wake him" still are)
    for i in range(1, len(words) - 1):
        if words[i] == "wake" and words[i - 1] in _REFUSING and words[i + 1] in _WOKEN:
            stems[i] = typed[i] = ""
    # "drowning in homework", "drowning in paperwork": busy, not in water ("drowning in the canal" is)
    for i in range(len(words) - 2):
        if words[i] == "drowning" and words[i + 1] == "in" and words[i + 2] not in _WATERS:
            stems[i] = typed[i] = ""
    # "i could kill for a pizza rn": wanting something, not a threat (a nineteenth blind audit); "says
    # shes going to kill us if we dont tidy our rooms": a condition, not a threat now (a review)
    # the last "now" said, looked for once: "... said hell kill her if she tells, hes there now" is a threat
    # now, and a knife carried "for weeks and now he is waving it" is out now
    last_now = max((k for k, w in enumerate(words) if w == "now"), default=-1)
    conditional = last_now < 0
    for i in range(len(words) - 1):
        if_we = conditional and words[i + 1] in ("us", "me", "you") and "if" in words[i + 2 : i + 3]
        if words[i] in ("kill", "killing") and (words[i + 1] == "for" or if_we):
            stems[i] = typed[i] = ""
    # "our leaflet on preventing child drowning", "drowning prevention": what is kept from happening
    # in general; not a person kept from it ("trying to prevent her jumping off the bridge", "to
    # reduce the bleeding": a review), nor anything said with a word for this minute
    # which clauses say this minute: worked out only for a question with such a word in it (a hot path)
    live = (
        {clause[k] for k in range(len(words)) if _now_this_minute(words, clause, k)}
        if not _RULED_BY_NOW.isdisjoint(words)
        else set()
    )
    for i, word in enumerate(words):
        if clause[i] in live:
            continue
        if word in _PREVENTING and i + 1 < len(words) and words[i + 1] not in _SOMEONE_IN_PARTICULAR:
            for k in range(i + 1, min(i + 4, len(words))):
                if clause[k] == clause[i]:
                    stems[k] = typed[k] = ""
        elif word == "prevention":
            for k in range(max(0, i - 2), i):
                if clause[k] == clause[i]:
                    stems[k] = typed[k] = ""
    # "he has started carrying a knife for protection", "been carrying a knife to school for months": a
    # habit, not a knife out now ("he has been carrying a knife around the house all night" is now: a review)
    for i, word in enumerate(words):
        if live or word not in _CARRYING or last_now > i:
            continue
        after = [w for k, w in enumerate(words[i + 1 : i + 9], i + 1) if clause[k] == clause[i]]
        for_a_while = any(a == "for" and b in _A_WHILE for a, b in itertools.pairwise(after)) or "school" in after
        if word == "carries" or not _HABIT.isdisjoint(words[max(0, i - 2) : i]) or for_a_while:
            for k in range(i + 1, min(i + 4, len(words))):
                if words[k] in _WEAPON_WORDS:
                    stems[k] = typed[k] = ""
    # "my year 6s are killing me today lol", "my deadline is going to kill me": worn out, not attacked
    for i in range(1, len(words) - 1):
        if words[i] in ("killing", "kill") and words[i + 1] in ("me", "us") and _worn_out(words, clause, i):
            stems[i] = typed[i] = ""
    present = set(stems) | set(typed)
    # a denial ends with its clause: "inhaler doing nothing, lips going blue" still has the lips going blue
    denied = denied_positions(words, frozenset(k for k in range(1, len(words)) if clause[k] != clause[k - 1]))
    denials = [i for i, w in enumerate(words) if w in _DENYING or w in _SHORT_DENIALS]
    for parts in index.emergency:
        read: list[int] = []
        for part in parts:
            if part[0] == _NOW_PART:
                said_in = {clause[k] for k in read}
                said = (i for i in range(len(words)) if clause[i] in said_in and _now_this_minute(words, clause, i))
                at = [k] if (k := next(said, -1)) >= 0 else []
                if not at:
                    break
                read += at
                continue
            if part[0] == _END_PART:
                last = max(read, default=-1)
                if last < 0 or not _ends_there(words, clause, last):
                    break
                continue
            if present.isdisjoint(part[0]):
                break
            at = next(
                (
                    where
                    for i in range(len(words))
                    if (stems[i] in part[0] or typed[i] in part[0]) and (where := _part_at(part, stems, i, typed))
                ),
                [],
            )
            if not at or _maybe_between(words, at):
                break
            read += at
        else:
            if any(stems[i] == NEGATED for i in read):
                if not _over_by_now(words, read, clause):
                    return read  # "not breathing" reads its own negation
                continue  # "couldn't breathe last night"
            # "no one's in danger right now", "he isn't unconscious": a negation just before, reaching
            # the phrase ("mum with no contact is pushing past staff": the "no" is the contact's)
            first = min(read)
            said_before = any(
                stems[k] == NEGATED and clause[k] == clause[first] and all(j in denied for j in range(k + 1, first))
                for k in range(max(0, first - DENIAL_REACH + 1), first)
            )
            if not said_before and not _denied_reading(read, denied, denials) and not _over_by_now(words, read, clause):
                return read
    return []


# what wears a person out: "my deadline is going to kill me", "this marking is killing me"
_CHORES = frozenset(
    ["deadline", "deadlines", "marking", "paperwork", "admin", "emails", "inbox", "caseload", "ofsted", "inspection"]
    + ["traffic", "commute", "meetings", "meeting", "report", "reports", "workload", "rota", "heat", "hayfever"]
    + ["forms", "feet", "back", "knees", "hangover", "headache"]
    + ["homework", "revision", "coursework", "exams", "mocks"]  # "this homework is killing me" (an 11th audit)
    + ["class", "job", "week", "term", "lesson", "lessons"]  # "the class is killing me today"
)
_SOMEONE = frozenset(
    ["he", "hes", "she", "shes", "they", "theyre", "dad", "mum", "stepdad", "stepmum", "daddy", "mummy", "father"]
    + ["mother", "him", "her", "them", "brother", "sister", "uncle", "boyfriend", "partner", "man", "he'll", "she'll"]
    + ["bully", "bullies", "lads", "boys", "gang", "dads", "mums", "mate", "mates"]  # "the class bully is killing me"
)
# a laugh said with it; not a time: "mum is going to kill me today, she has a knife" is a child's cry
_JOKING = frozenset(["lol", "haha", "hahaha", "lmao", "lmfao", "literally"])  # not "jk": "jk no really help"


def _worn_out(words: list[str], clause: list[int], i: int) -> bool:
    """ "killing me" or "kill me" said with a laugh ("my year 6s are killing me today lol") or of a
    chore or an ache ("my deadline is going to kill me", "these forms are killing me"), in the same
    clause: a figure of speech, not a child's cry. A review of the session found "today" and "they
    are killing me" taken for jokes, losing the opener from children's words."""
    after = [w for k, w in enumerate(words[i + 2 : i + 8], start=i + 2) if clause[k] == clause[i]]
    before = [w for k, w in enumerate(words[max(0, i - 5) : i], start=max(0, i - 5)) if clause[k] == clause[i]]
    # the chore is what does the killing: "my homework is killing me", not "if i dont finish my
    # homework hes killing me" or "over my mocks dad is going to kill me" (a review)
    chore = max((k for k, w in enumerate(before) if w in _CHORES), default=-1)
    if not _JOKING.isdisjoint(after):
        return True
    # ...and nobody in its clause before it ("the lads from class are killing me": a review)
    said_before = [w for k, w in enumerate(words[:i]) if clause[k] == clause[i]]
    return chore >= 0 and _SOMEONE.isdisjoint(said_before)


_WATERS = frozenset(
    ["the", "a", "water", "river", "sea", "pool", "bath", "canal", "lake", "pond", "reservoir", "quarry", "deep"]
)
_REFUSING = frozenset(["wont", "doesnt", "dont", "didnt", "never", "refuses", "refused"])
_WOKEN = frozenset(["him", "her", "them", "me", "us", "you", "the", "his", "my", "their"])
# not "knife" or "gun": "a knife game" can draw real blood, and the weapon must still be read
_PLAYED_AT = frozenset(["stabbing", "shooting", "killing", "fighting", "war"])
_WEAPON_WORDS = frozenset(["knife", "knives", "gun", "guns", "weapon", "weapons", "blade", "blades"])
_PREVENTING = frozenset(["prevent", "preventing", "avoid", "avoiding", "reduce", "reducing"])
_DISORDER = frozenset(["disorder", "disorders"])
_SHORT_AGE_UNITS = frozenset(["month", "months", "mth", "mths", "week", "weeks", "wk", "wks", "day", "days"])
_CARRYING = frozenset(["carrying", "carry", "carries"])
_RULED_BY_NOW = _PREVENTING | _CARRYING | {"prevention"}  # the words whose rules a word for this minute lifts
_A_WHILE = frozenset(["weeks", "months", "years", "ages", "days", "a"])
_HABIT = frozenset(["started", "starting", "begun", "keeps", "always", "often", "sometimes", "usually"])
_SOMEONE_IN_PARTICULAR = frozenset(
    ["her", "him", "them", "me", "us", "my", "his", "their", "the", "this", "that", "your", "our"]
)
_WEAPON_NAMES = frozenset(
    ["crime", "amnesty", "arch", "arches", "bin", "bins", "surrender", "wand", "awareness", "safety", "policy"]
    + ["workshop", "workshops", "talk", "talks", "assembly", "campaign", "training", "search", "searches"]
    + ["collection", "collections", "collector", "block", "set", "sharpener"]  # "a knife collection" (a chef's)
    + ["emoji", "emojis"]  # "has a knife emoji" in a message
)
_MAYBE_REAL = re.compile(
    r"\b(?:real|replica|imitation|looks like|look like|looked like|cant tell|not sure if|says its loaded"
    r"|its loaded|it is loaded|might be loaded|could be loaded|bullets|pellets)\b(?! with (?:foam|darts|water|nerf))"
)
_TOY_MADE = frozenset(["foam", "toy", "plastic", "nerf", "pretend", "cardboard", "wooden", "water", "lego"])
_TOY_WEAPONS = frozenset(
    ["sword", "swords", "gun", "guns", "knife", "knives", "pistol", "pistols", "weapon", "weapons"]
)
_NOSEBLEED = frozenset(["nosebleed", "nosebleeds", "nosebleeding"])
_BLOOD = frozenset(["blood", "bleeding", "bled", "bleed", "bleeds"])
_STRUCK = frozenset(
    ["punched", "punch", "hit", "hits", "kicked", "beaten", "beat", "slapped", "headbutted", "attacked", "assaulted"]
    + ["smashed", "shoved", "pushed", "thrown", "threw", "struck", "hurt", "fight", "fighting", "fought", "elbowed"]
)


# A question that is no live case: a training scenario, a "what if", or one that says the danger
# is over ("ambulance been and gone, she's fine", "he's safe now").
# Words that make a whole question no emergency: a training scenario, a danger said to be over, or
# 999 already called.
# Only these: the opener says "if a child's life is in danger or they are being hurt right now",
# so one too many costs a line, and one too few can cost a child. A review of the session found
# "what level", "what if", "if a" and "he is ok now" here taking the opener from "a girl is being
# raped in the toilets right now what level is this" and "the baby is not breathing, what if he dies".
_NOT_LIVE = re.compile(
    r"^(?:what if|if (?:a|an|someone|somebody))\b"  # a question that opens as a hypothetical
    r"|\bdo if (?:a|an)\b"  # "what should a dinner lady do if a child starts choking": any child, not this one
    # "what number do i call if a child is in immediate danger?": the rule asked, as a question
    r"|^(?:what|which|who|when|how)\b[^.?!]{0,40}\b(?:call|ring|phone|dial|contact) if (?:a|an) (?:child|kid|pupil)"
    r" is in (?:immediate )?danger\b"
    r"|\bdo if i (?:find|see|come across|walk in)\b"  # "what should I do if I find a parent on the floor"
    # a pet hurt, a child back with her family: no child in danger now (a third blind audit: "a
    # pupil's dog got hit by a car", "shes back with mum")
    r"|\b(?:dog|dogs|cat|cats|puppy|kitten|pet|rabbit|horse|hamster) (?:got|was|has been|had been) hit\b"
    # "in the play the boy is going to stab mum tonight"; not "in the play area", where a dog attacks
    r"|\bin the (?:horror |scary |war )?(?:film|movie|story|book|novel|school play)\b"
    r"|\bin the play (?:the|a|an|he|she|they|we|i)\b"
    # a course or a policy asking about a danger ("first aid refresher q - back blows for a choking 3yo");
    # not "training" alone, which is also where a child plays sport ("came to training bleeding")
    r"|first aid (?:course|training|refresher|poster|policy|quiz)|refresher|staff training|inset day"
    r"|training (?:day|session|question|q|exercise)|policy review|policy question|train staff to"
    r"|\b(?:scenarios?|hypothetical|hypothetically|role ?play|case stud(?:y|ies)|answer key"
    # a drill practised on a dummy (a fourteenth blind audit; "a baby with a dummy" is a baby's)
    r"|(?:practise|practice|practising|practicing|practised|practiced) (?:\w+ )?(?:with|on) a "
    r"(?:dummy|manikin|mannequin)|(?:resus|cpr|training) (?:dummy|manikin|mannequin)"
    # a question about the rule itself ("what counts as immediate danger, when do i ring 999", "when is
    # a child in immediate danger", "is a child in immediate danger if left alone for an hour")
    r"|what counts as|classed as|when is (?:a|an)|immediate danger if)\b"
)


# Words that say a danger told so far is over ("ambulance been and gone, she's fine", "he was fine after
# back blows", "nothing's happened"): what came before them is no emergency now, but a danger said
# after them still is ("nothing's happened yet but now he has a knife", "she was fine after back blows
# but now she is choking again": a fifth review found these closing whole messages when they were read
# as the rules above are).
_OVER_SAID = re.compile(
    r"\b(?:shes|hes|theyre|she is|he is|they are) back with (?:her |his |their )?"
    r"(?:mum|dad|mother|father|parents|family|nan|carers?)\b"
    r"|\bambulance (?:has )?been\b|\bbeen and gone\b|\bfound safe\b|\bdealt with\b|\b(?:called|rang|phoned) 999\b"
    r"|\bambulance came and (?:hes|shes|theyre|he is|she is|they are|all) (?:ok|okay|fine)\b"
    # "choked out at judo, came round straight away", "nobody was hurt": over, and told as over
    r"|\bcame round (?:straight away|straightaway|quickly|right away)\b|\b(?:nobody|no one|noone) (?:was|got) hurt\b"
    # "got talked down and police took her to hosp"; "hes safe", "now medically stable"
    r"|\btalked (?:her |him |them )?down\b|\b(?:hes|shes|theyre|and|medically) (?:safe|stable)\b"
    # fourteenth blind audit: "he was fine after back blows", "she's back today and fine", "nothing's happened"
    r"|\b(?:was|were) (?:fine|ok|okay) after(?: \w+){1,2}\b"
    r"|\bback (?:today|now|at school|in school) and (?:fine|ok|okay|well)\b"
    r"|\bnothings? (?:has )?happened\b"
    # a fifteenth blind audit: "we did back blows and she was fine", "she's fine now", "all fine", "we caught him"
    r"|\b(?:and|but) (?:she|he|they) (?:was|were) (?:fine|ok|okay)\b"
    # (a danger said after it still opens: "they said he is ok now but he is still blue")
    r"|\b(?:shes|hes|theyre|she is|he is|they are) (?:fine|ok|okay|alright) now\b"
    r"|\ball (?:fine|ok|okay|well)\b"
    r"|\bwe caught (?:him|her|them)\b"
    # "was choking on a grape earlier but coughed it out and is fine now" (an eleventh blind audit)
    r"|\b(?:coughed|spat) it (?:out|up) (?:and|now) (?:is |hes |shes |he is |she is )?(?:fine|ok|okay|breathing)\b"
    # "she fell and hasnt woken up yet from her nap"; "mum hasnt been back ... but dad is home now"
    r"|\bfrom (?:her|his|their) nap\b|\b(?:dad|mum|nan|gran|grandma|grandad) is (?:home|back|here) now\b"
    # a sixteenth blind audit: "an anaphylactic reaction at school? ours was treated and went home fine";
    # "the ambulance and police are here now with the girl who got hurt, she's safe with them"
    r"|\b(?:was|were|got) treated and (?:went|sent) home\b|\bwent home (?:fine|ok|okay|well)\b"
    # "his brother has a knife at home but it was months ago and family moved" (a seventeenth); not "it
    # was years ago he was in prison", "... it was years ago but he means it" (reviews)
    r"|\bit was (?:\w+ )?(?:weeks|months|years) ago(?= and\b| so\b|$)"
    r"|\b(?:the )?(?:ambulance|police|paramedics)(?: and (?:the )?(?:ambulance|police|paramedics))? (?:is|are) here now"
    r" with (?:her|him|them|the (?:girl|boy|child|baby|kids|children))\b"
)


def _over_before(words: list[str]) -> int:
    """How many of the words come before the last words that say the danger is over (none: 0).
    Not words said of others ("my other kids are all fine"), contradicted ("shes fine now, shes
    not"), nor after a danger said to go on ("he is not breathing, mum says he is fine now"): a sixth
    review found those closing live dangers."""
    joined = " ".join(words)
    for m in reversed(list(_OVER_SAID.finditer(joined))):
        before, after = joined[: m.start()].split(), joined[m.end() :].split()
        if (
            _SOMEONE_ELSE.isdisjoint(before[-4:])
            and _CONTRADICTED.isdisjoint(after[:3])
            and _ANOTHER_TIME.isdisjoint(before[-4:] + after[:5])
            and not _GOING_ON.search(joined[: m.start()])
        ):
            return joined[: m.end()].count(" ") + 1
    return 0


_SOMEONE_ELSE = frozenset(
    ["other", "others", "rest", "brother", "sister", "twin", "siblings", "kids", "children", "mate", "mates"]
    + ["friend", "friends", "cousin", "cousins"]  # "his mate went home fine after the same sweets" (a review)
)
# an over-signal told of another time ("last time she was treated and went home", "... sent home last
# month after the same thing"): not this danger's end (a review)
_ANOTHER_TIME = frozenset(["last", "previous", "previously", "ago"])
_CONTRADICTED = frozenset(["not", "isnt"])  # "shes fine now, shes not", "hes fine now hes not"
# a danger said to be going on before the words that say it is over
_GOING_ON = re.compile(
    r"\b(?:now|currently|still)\b|\b(?:is|are|hes|shes|theyre)\s+(?:not\s+(?:breathing|responding|conscious)"
    r"|unconscious|unresponsive|choking|drowning|fitting|being\s+\w+|bleeding|strangling|stabbing|hitting|punching"
    r"|kicking|beating|attacking|raping|hurting|shaking|dragging|holding|threatening|standing|climbing)\b"
    r"|\b(?:isnt|not)\s+(?:breathing|responding)\b|\bgone\s+(?:blue|floppy|limp|grey)\b"  # (a review)
)


# What a film, a video or a game shows, watched, played or described ("a film about a kidnapping", "we
# watched a film in pshe where a baby was left alone", "plays a video game where you kidnap people and
# set fire to cars": blind audits): no child in danger. Only what it describes is closed: the clause it
# opens and those after it, up to one that opens with someone or something new, or with now ("...
# where u kill people then he grabbed the baby", "a documentary about drowning and now a child has
# fallen in the canal": a review found a whole message closed by these).
_ON_SCREEN = re.compile(
    r"\b(?:film|movie|documentary|programme|video|story|story time|storytime|poem) about\b"
    r"|\b(?:watched|watching|showed|shown) (?:a |the |them a |us a )?(?:film|movie|documentary|video clip)"
    r"(?: (?:in|during|at) \w+| today| yesterday| earlier)? (?:where|about|in which|showing|that shows)\b"
    r"|\b(?:film|movie|documentary|video clip) (?:where|in which)\b"
    r"|\b(?:plays|playing|played) (?:a |the |this |that )?(?:video |computer |online )?game (?:where|in which|about)\b"
)
# Talk, now, of what was on screen: "she now asks lots of questions about it", "and now i'm worried"
_TALKING_NOW = re.compile(
    r"(?:and |so )?(?:(?:he|she|they|hes|shes|theyre|the kids|the children|one child|my son|my daughter) )?"
    r"(?:(?:now|then) )?(?:keeps |keep |wont stop |has been |have been |is |are |was )?"
    r"(?:talking|talks|talked|asking|asks|asked|mentioning|mentions|drawing|draws|crying about|upset|scared|worried)\b"
    r"|(?:and |so )?(?:now )?(?:im|i am|we are|were|i was|we were) (?:very |really |a bit |quite )?"
    r"(?:worried|scared|anxious|concerned|wondering|upset)\b"
)
# Someone telling something new in the middle of a clause
_SOMEONE_NEW = frozenset(["he", "she", "they", "hes", "shes", "theyre", "i", "im", "we"])
# A clause that opens with one of these tells something new, not more of what was on screen
_NEW_ACCOUNT = frozenset(
    ["he", "she", "they", "hes", "shes", "theyre", "i", "im", "we", "a", "an", "the", "his", "her", "my", "our"]
    + ["their", "now", "then", "just", "has", "have", "had", "is", "was", "someone", "somebody", "there"]
    + ["theres", "this", "today", "tonight", "one", "mum", "dad", "but"]
    # a child named afresh: "playing a game where you build houses, toddler is choking" (a review)
    + ["toddler", "baby", "kid", "kids", "child", "children", "boy", "girl", "son", "daughter", "brother", "sister"]
)


def _on_screen(words: list[str], clause: list[int]) -> Iterator[int]:
    """The positions of the words that tell what a film, a video or a game shows (_ON_SCREEN). A
    film's plot is told as it happens ("a film where a girl is kidnapped, she is screaming"), so
    only a clause that puts the asker back in the room ends it: now, I, my, something that has
    just happened, or this minute said ("... im scared my dad is strangling my mum right now"). A
    game is described to "you", so a clause about anyone else ends it ("then he grabbed the baby")."""
    joined = " ".join(words)
    for m in _ON_SCREEN.finditer(joined):
        game = "game" in m.group()
        k = start = joined[: m.end()].count(" ") + 1
        while k < len(words):
            rest = [w for j, w in enumerate(words[k:], start=k) if clause[j] == clause[k]]
            opens = k > start and clause[k] != clause[k - 1]
            opening = rest[1] if opens and rest[0] in _JOINING_WORDS and len(rest) > 1 else rest[0]
            if game:
                new = (k > start and words[k] == "then") or (k > start + 1 and words[k] in _SOMEONE_NEW)
                new = new or (opens and opening in _NEW_ACCOUNT)
            else:
                new = (k > start and words[k] == "now") or (
                    opens
                    and (opening in _BACK_IN_THE_ROOM or not _JUST_HAPPENED.isdisjoint(rest[:3]) or "just" in rest)
                )
            # a clause that says this minute, or "now" past its opening words ("... dad is hitting mum now")
            this_minute = opens and (_firmly_this_minute(rest) or "now" in rest[3:])
            # talk of what was seen ("she now asks lots of questions about babies not breathing") is more
            # of it, unless this minute is said ("i am worried my 5 year old is missing right now")
            if (new or this_minute) and (this_minute or not _TALKING_NOW.match(" ".join(words[k : k + 6]))):
                break
            yield k
            k += 1


_JOINING_WORDS = frozenset(["and", "so", "because", "cos"])
# A clause opening with one of these is the asker's own world again, not the film's
_BACK_IN_THE_ROOM = frozenset(["now", "i", "im", "we", "my", "our", "today", "tonight", "just", "but"])
_JUST_HAPPENED = frozenset(["has", "have", "just"])  # "... a child has fallen in the canal"


def _firmly_this_minute(said: list[str]) -> bool:
    return any(
        w in ("rn", "atm", "currently")
        or (w == "now" and said[i - 1 : i] == ["right"])
        or said[i : i + 3] in (["as", "we", "speak"], ["at", "the", "moment"])
        for i, w in enumerate(said)
    )


# A game, a drawing or a quiz about a danger (a ninth blind audit): "playing a game called knife fight",
# "drew a picture of a house on fire", "quiz question for safeguarding training"; unless the question
# says something is happening now ("he drew a picture ... hes on the roof now": a review)
_MADE_UP = re.compile(r"\bplaying a game called\b|\bdrew (?:a|an) (?:picture|drawing) of\b|\bquiz question\b")
_FIRMLY_NOW = re.compile(r"\b(?:now|currently|rn|atm|as we speak|this minute|at the moment)\b")


def _not_live(words: list[str]) -> bool:
    said = " ".join(words)
    if _NOT_LIVE.search(said):
        return True
    # "just likes dragons" is no "just now": only a firm word for this minute keeps a drawing live
    return bool(_MADE_UP.search(said)) and not _FIRMLY_NOW.search(said)


_CLAUSE_BREAK = re.compile(r"[,.;:!?()\n]+|\s[-–—]\s|\b(?:but|and|although|though|because|cos)\b", re.IGNORECASE)


def clauses_of(text: str) -> list[int]:
    """Which clause each of `text`'s words is in (split at punctuation, a dash, "but", "and"...), in
    the order guidance.words_of reads them; in_danger_now ignores it if the counts differ."""
    out: list[int] = []
    at = clause = 0
    for found in _CLAUSE_BREAK.finditer(text):
        out += [clause] * len(guidance.words_of(text[at : found.start()]))
        clause += 1
        out += [clause] * len(guidance.words_of(found.group()))  # "and", "but" begin the next clause
        at = found.end()
    return out + [clause] * len(guidance.words_of(text[at:]))


# "went floppy at nursery last week", "was on the car park roof in october", "took 10 paracetamol in
# the summer hols": a time said beside the danger puts it in the past; "an hour ago" does not.
_PAST_REACH = 8
_PAST_WORDS = frozenset(["yesterday", "previously", "historically", "historic"])
_STILL_IN_DANGER = re.compile(
    r"\b(?:is|are|hes|shes|theyre|still|now|has been|have been)\s+(?:still\s+)?(?:unconscious|unresponsive|floppy"
    r"|turning blue|going blue)\b(?!\s+(?:to|twice|before|once|in the past))"
    r"|\b(?:is|hes|shes|still|now)\s+(?:still\s+)?not\s+(?:responding|breathing|conscious)\b"
    r"(?!\s+(?:to|a word|any))"
    r"|\b(?:isnt|arent)\s+(?:responding|breathing)\b(?!\s+(?:to|through))"
    r"|\bbeing held (?:in a|in the|at a|by (?:men|older|some|a man|two|three))\b(?!\s+hospital)"
    r"|\b(?:wont|cant|cannot|can not)\s+(?:wake|breathe)\b(?!\s+up\s+in\s+the\s+morning|\s+up\s+for\s+school)"
    r"|\b(?:hasnt|still\s+hasnt)\s+(?:woken|come round)\b(?!\s+to\s+the\s+idea)"
    r"|\b(?:there is|theres) blood everywhere\b"
)
_PRESENT = frozenset(
    ["is", "are", "am", "has", "have", "still", "hes", "shes", "theyre", "its", "im", "isnt", "arent", "now"]
)
_LAST_ENDS = frozenset(["night", "week", "month", "year", "term", "weekend", "summer"])  # not "last time"
_AFTER_LAST = frozenset(
    [
        "night",
        "week",
        "month",
        "year",
        "term",
        "nights",
        "weeks",
        "months",
        "years",
        "terms",
        "summer",
        "weekend",
        "time",
        "christmas",
        "easter",
        "winter",
        "spring",
        "autumn",
    ]
)
_NAMED_TIMES = frozenset(
    [
        "january",
        "february",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "summer",
        "holidays",
        "hols",
        "christmas",
        "easter",
    ]
)
# with the short forms people type ("went floppy at nursery tues"); not "sat" or "sun", which are words
_WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    + ["mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri"]
)
_HOURS = frozenset(["hours", "hour", "hrs", "hr"])
_LONG_AGO = frozenset(["days", "weeks", "months", "years", "week", "month", "year", "wks", "wk", "mths", "yrs"])


def _over_by_now(words: list[str], read: list[int], clause: list[int]) -> bool:
    # "last night my daughter took a whole packet of paracetamol and is not responding": whenever it
    # began, a child said to be in that state now is in danger now (a review)
    if _STILL_IN_DANGER.search(" ".join(words[max(0, min(read) - 3) :])):
        return False
    low, high = max(0, min(read) - _PAST_REACH), min(len(words), max(read) + _PAST_REACH + 1)
    # "the baby is turning blue, she was ill last week": a time in another clause is another time
    said_in = {clause[k] for k in read}
    # "mum leaves the 4yo alone right now", "seen on the railway line right now": a habit or a
    # sighting said with "now" is this minute; a time gone ("in october") is still gone
    now_said = any(clause[i] in said_in and _says_now(words, i) for i in range(len(words)))
    if not now_said:
        # "last week a yr 9 stood on the roof and threatened to jump": "and" carries the time on
        starts = [clause.index(c) for c in said_in]
        # ...but not into a clause that says it goes on: "raped her last night and he's still at home"
        carried = {
            clause[k - 1]
            for k in starts
            if k and words[k] == "and" and "still" not in (w for j, w in enumerate(words) if clause[j] == clause[k])
        }
        if carried:
            said_in |= carried
            low = min(low, clause.index(min(carried)))
        # "left alone in the car outside the shop for 20 mins last week": a time that ends the clause;
        # "last year a child in my class was pulled from the canal not breathing": one that opens it
        for c in said_in:
            start = clause.index(c)
            opens = words[start] == "yesterday" or (
                words[start] == "last" and start + 1 < len(words) and words[start + 1] in _LAST_ENDS
            )
            # ...where the clause says nothing as it is now ("last night she took a whole packet of
            # paracetamol and is not responding", "who has been really low": a review)
            if opens and not any(clause[k] == c and words[k] in _PRESENT for k in range(start, len(words))):
                return True
            end = max(k for k in range(len(words)) if clause[k] == c)
            before_end = words[end - 1] if end else ""
            if (words[end] == "yesterday" and before_end != "since") or (
                before_end == "last" and words[end] in _LAST_ENDS and words[max(0, end - 2)] != "since"
            ):
                return True
    for i in range(low, high):
        if clause[i] not in said_in:
            continue
        word, before = words[i], words[i - 1] if i else ""
        if before == "since" or (i > 1 and words[i - 2] == "since"):
            continue  # "missing since yesterday": still going on
        if word in _PAST_WORDS or (before == "last" and word in _AFTER_LAST):
            return True
        if before == "in" and len(word) == 4 and word[:2] in ("19", "20") and word.isdigit() and not now_said:
            return True  # "threatened staff with a knife in 2019"
        if word in _NAMED_TIMES and (before in ("in", "on", "over", "at") or words[max(0, i - 2)] in ("in", "over")):
            return True
        if word == "birth" and before == "at":
            return True  # "blue round the lips at birth, thriving now": a newborn's, long over
        if word == "weekend" and before == "the" and words[max(0, i - 2)] in ("at", "over", "during"):
            return True  # "took an overdose at the weekend": not this minute, whichever weekend
        after = words[i + 1] if i + 1 < len(words) else ""
        if word in _WEEKDAYS and before not in ("this", "today", "its") and after not in ("school", "club"):
            return True  # "on the railway line saturday": another day than today
        if word == "later" and before in _LONG_AGO | _HOURS:
            return True  # "mum came back 5 hours later"
        if _when_younger(words, i):
            return True  # "swallowed a coin when she was 3", "had fits as a baby": an age long gone
        if word == "ago" and before in _LONG_AGO:
            return True
        if word in _MONTHS and (before.isdigit() or before == "in") and "today" not in words[max(0, i - 3) : i]:
            return True  # "on 14 november", "in march": a date, not today ("today 5 december" is)
        if now_said:
            continue
        # "often plays out by the canal", "no adult at home most evenings": a habit, not this minute
        if (
            word in _HABITUAL
            or (word in _HABIT_TIMES and "every" in words[max(0, i - 2) : i])
            or (before == "most" and word in _HABIT_TIMES)
        ):
            return True
        if word == "used" and after == "to":
            return True  # "she used to sit on the window ledge": a habit that is over
        if word == "leaves" and after in _WHOM_LEFT and clause[i + 1] == clause[i]:
            # "mum leaves the 6yo home alone": a habit; not "the flight leaves in 2 hours", nor
            # "saying nobody leaves, the kids are in the room with me"
            return True
        if word in ("keeps", "keep") and any(k - 3 < i < k for k in read):
            return True  # "keeps getting into a car with a bloke"; not "stabbed, he keeps saying"
        if word in _HABIT_TIMES_MANY or word in _WEEKDAYS_MANY or word == "twice":
            return True  # "in the evenings", "on fridays", "seen twice this week"
        if word == "seen" and before not in ("last", "just", "be", "being") and after not in _GONE_WITH:
            return True  # "toddler seen on the balcony on his own": a sighting reported, not this minute
    return False


# "when he was 2", "when she was little", "as a baby": a child's earlier age puts what happened then
_WHO_WAS = frozenset(["he", "she", "they", "i", "we"])
_YOUNGER = frozenset(["little", "younger", "small", "tiny", "baby", "toddler", "infant", "newborn", "tot"])


def _when_younger(words: list[str], i: int) -> bool:
    after = words[i + 1 : i + 5]
    if words[i] == "when" and len(after) >= 3 and after[0] in _WHO_WAS and after[1] in ("was", "were"):
        age = after[3] if after[2] in ("a", "only", "just") and len(after) > 3 else after[2]
        return age.isdigit() or age in _YOUNGER or age in ("one", "two", "three", "four", "five")
    if words[i] == "as" and len(after) >= 2 and after[0] in ("a", "an"):
        return after[1] in _YOUNGER
    return False


def _says_now(words: list[str], i: int) -> bool:
    """Whether words[i] says this minute in so many words ("right now", "tonight", "atm", "as we
    speak"), and not as "ok now" or "safe now"."""
    word, before = words[i], words[i - 1] if i else ""
    if word == "now":
        return before not in _SETTLED
    return word in _NOW_WORDS or (word == "speak" and before == "we") or (word == "moment" and before == "the")


_NOW_WORDS = frozenset(["tonight", "currently", "atm", "rn"])
_NOW_PART = frozenset([NOW_MARK])


def _now_this_minute(words: list[str], clause: list[int], i: int) -> bool:
    """Whether words[i] says this minute for a "~now" part: "right now", "atm", "as we speak", or a
    "now" that ends its clause ("driving the kids now"); not "now in foster care", "what now",
    "safe now", nor "currently" or "tonight", which say a state or a plan."""
    word, before = words[i], words[i - 1] if i else ""
    if word == "now":
        if words[i + 1 : i + 3] in (["and", "then"], ["and", "again"]) and (
            before == "every" or i + 3 == len(words) or clause[i + 3] != clause[i + 2]
        ):
            return False  # "hits her now and then", "every now and again, ...": from time to time
        ends = i + 1 == len(words) or clause[i + 1] != clause[i]
        return before == "right" or (ends and before not in _SETTLED | _ASKING)
    return word in ("atm", "rn") or (word == "speak" and before == "we")


_END_PART = frozenset([END_MARK])
# words that carry a state on to what it is about: "not responding to letters", "not moving up a set"
_CARRIED_ON = frozenset(["to", "up", "on", "into", "in", "house", "home", "school", "schools", "forward", "at", "with"])


def _ends_there(words: list[str], clause: list[int], i: int) -> bool:
    return i + 1 == len(words) or clause[i + 1] != clause[i] or words[i + 1] not in _CARRIED_ON


# "the child could be abducted", "might be taken": a phrase read across these says what may happen
_MAYBE = frozenset(["could", "might", "may", "would", "will", "ll", "cld", "risk"])


def _maybe_between(words: list[str], at: list[int]) -> bool:
    return any(words[j] in _MAYBE and words[j + 1] == "be" for j in range(at[0], at[-1]))


_ASKING = frozenset(["what", "i", "we", "me", "us", "is", "until", "by", "till", "from", "for", "since"])
_SETTLED = frozenset(["ok", "okay", "fine", "safe", "alright", "better", "calm", "calmer", "asleep", "home"])


_HABITUAL = frozenset(["often", "always", "usually", "regularly", "sometimes", "frequently", "whenever", "everyday"])
_HABIT_TIMES_MANY = frozenset(["evenings", "nights", "mornings", "afternoons", "weekends"])
_WEEKDAYS_MANY = frozenset(["mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays"])
_MONTHS = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october"]
    + ["november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
_HABIT_TIMES = frozenset(
    [
        "day",
        "days",
        "night",
        "nights",
        "evening",
        "evenings",
        "morning",
        "mornings",
        "week",
        "weekend",
        "weekends",
        "time",
        "afternoon",
        "afternoons",
        "pickup",
        "pick",
        "visit",
        "session",
        "lesson",
    ]
)
_WHOM_LEFT = frozenset(["the", "her", "him", "them", "his", "their", "a", "an", "my", "kids", "children", "baby"])
# "was seen getting into a car with older men": how a missing child was last seen, not a sighting
_GONE_WITH = frozenset(["getting", "get", "going", "leaving", "walking", "running"])


def _denied_reading(read: list[int], denied: frozenset[int], denials: list[int]) -> bool:
    """Whether a denial takes back what a phrase reads: all of it ("no marks seen"), or all that
    follows a denial inside it ("mum has never hit them", "dad isn't violent"), or the phrase
    starts just after one ("she's not self harming"). A phrase that reads the negation itself
    ("no food in the house") never comes here."""
    if set(read) <= denied:
        return True
    first, last = min(read), max(read)
    for d in denials:
        if d == first - 1:
            return True
        if first < d < last and all(i in denied for i in read if i > d):
            return True
    return False


def _reads_more(theirs: frozenset[int], other: int, positions: frozenset[int], spread: int) -> bool:
    """Whether another concept's reading (`theirs`) beats this one on the words they share."""
    if positions < theirs:
        return True
    if theirs < positions:
        return False
    return other < spread


def _named_topics(
    index: ThresholdIndex,
    query: guidance.Query,
    taken: set[str],
    words: list[str],
    hidden: frozenset[str] | set[str] = frozenset(),
    others: bool = False,
) -> list[str]:
    """Topics the question names outright ("neglect", "DA", "school"), in the order named.

    A word counts as naming a topic when it is the topic's own word (or a synonym of it), not
    merely the same stem ("house" does not name housing), and not already read as part of a
    concept phrase (`taken`, stems)."""
    asked = set(query.terms)
    typed = dict(query.shown)
    out: dict[str, None] = {}
    named_by: list[tuple[frozenset[str], frozenset[str]]] = []  # (a named topic's terms, the words typed for them)
    for term in query.terms:
        for topic_id, terms, whole in index.topic_names.get(term, ()):
            if topic_id in out or not terms <= asked or terms <= taken:
                continue
            if whole and not _contains(words, whole):
                continue
            said = frozenset(typed.get(t, t) for t in terms)
            if {w for phrase in said for w in phrase.split()} <= hidden:
                continue
            if any(terms < fuller and said == by for fuller, by in named_by):
                continue  # "anxious" is read as "mental health": it names mental health, not health too
            if all(_names(index, typed.get(t, t), t, topic_id) for t in terms):
                out[topic_id] = None
                named_by.append((terms, said))
                break  # one topic per word: the first in the pack that it names
    if others or len(out) > 1:
        # a setting named beside a worry is where it happens, not a worry of its own
        setting_only = {t for t, (terms, _said) in zip(out, named_by, strict=True) if terms <= _SETTINGS}
        out = {t: None for t in out if t not in setting_only}
    return list(out)[:MAX_NAMED]


# Where a child spends the day ("school", and through the synonyms college, nursery, class):
# named alone ("worried about school") it is the education topic; beside a worry ("smokes cannabis
# before college", "gets his sisters to school") it only says where.
_SETTINGS = frozenset(["school"])


# Pack names that are also everyday verbs: "send me the minutes" is not SEND, "prevent a fall"
# is not Prevent. Before one of these words the verb is meant, and it names no topic.
_VERB_NAMES = frozenset(["send", "prevent"])
# ...and those a concept phrase never reads as the verb ("send" has phrases: "pressure to send").
_VERB_ONLY = frozenset(["prevent"])
_VERB_OBJECT_WORDS = (
    "me him her them us you it this that the a an these those my your his our their some any out off over "
    "round around back on to pics pictures photos messages message texts emails email letters"
)
_VERB_OBJECTS = frozenset(_VERB_OBJECT_WORDS.split())


def _verbs(words: list[str]) -> set[str]:
    """Pack names used as verbs in this question."""
    return {w for w, nxt in zip(words, words[1:], strict=False) if w in _VERB_NAMES and nxt in _VERB_OBJECTS}


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1))


def _names(index: ThresholdIndex, typed: str, term: str, topic_id: str) -> bool:
    if guidance.stem(typed) != term or " " in typed:
        return True  # reached through a synonym the pack lists ("DA", "county lines")
    raw = index.name_words.get(topic_id, frozenset())
    # the name's own word with an ending that keeps its meaning: "neglects", "neglected" (but
    # "housing" is not "house": a stem shared by another word names nothing)
    return any(typed.removesuffix(end) in raw for end in ("", "s", "es", "ed"))


def assess(pack: ContentPack, text: str, danger: frozenset[str] = frozenset()) -> Assessment:
    """The concerns a question describes and the closest indicators: the strongest one for each
    concern first (serious signals before the rest), then others close to the words used.

    Who is asking ("housing officer - ...", "midwife: ...") is read apart (asker.py): the worry
    leads, and a concern only the asker's job brings (a midwife's patient is pregnant) is still
    recognised, after the others.

    `danger` holds the words that said a child is in danger right now (danger_read), when they
    did: a place named beside them is where it happens ("stopped breathing at nursery" is no
    attendance worry), and they name no topic by themselves ("child choking" on food is not the
    strangling that "choking" names), though a concept's phrase still reads them ("he is choking
    her")."""
    worry = without_asker(text)
    found = _assess(pack, worry, danger)
    if worry is text:
        return found
    whole = _assess(pack, text, danger)
    if found.off_topic or found.nothing_close or not found.ranked:
        return whole  # "Midwife - my patient is 15, what level?": the job is all there is to go on
    extra = tuple(c for c in whole.concerns if c not in found.concerns and c not in found.suggested_topics)
    if not extra:
        return found
    named = tuple(n for n in whole.mentioned if n not in found.mentioned)
    return replace(found, concerns=found.concerns + extra, mentioned=found.mentioned + named)


def _assess(pack: ContentPack, text: str, danger: frozenset[str] = frozenset()) -> Assessment:
    index = index_of(pack)
    vocabulary = index.text.vocabulary
    spaced = _AGE.sub(r"\1 \2", text)
    words = vocabulary.tokens(spaced)
    query = vocabulary.analyse_words(words)
    masked = _masked(index, _phrase_stems(words))
    verbs = _verbs(words)
    masked = ["" if w in verbs and w in _VERB_ONLY else s for w, s in zip(words, masked, strict=True)]
    # "he says he will kill her and himself": the threat is to her; his own death is not a child's
    # suicide (a nineteenth blind audit led with the suicide example)
    for i in range(3, len(words)):
        if words[i] not in _REFLEXIVES:
            continue
        # "kill her and himself", "kill mum and then himself"
        killed = words[i - 3] if words[i - 2] != "and" else (words[i - 4] if i >= 4 else "")
        whom = words[i - 2] if words[i - 2] != "and" else words[i - 3]
        # not "he will kill me and then himself": the asker's own child, and his suicide, said
        if words[i - 1] in ("and", "then") and killed in ("kill", "killing") and whom not in ("me", "us"):
            masked[i] = ""
    # "9 month old ... mum engages": a baby's age in months or weeks is no child of 9 (a nineteenth
    # blind audit read forced marriage from "engages")
    for i in range(len(words) - 2):
        if words[i].isdigit() and words[i + 1] in _SHORT_AGE_UNITS and words[i + 2] == "old":
            masked[i] = ""
    starts = sentence_starts(spaced, words)
    denied = denied_positions(words, starts)
    clauses = clauses_of(spaced)
    breaks = (
        frozenset(k for k in range(1, len(words)) if clauses[k] != clauses[k - 1])
        if len(clauses) == len(words)
        else frozenset()
    )
    found, taken = found_concepts(index, words, masked, denied, starts, breaks)
    found = _a_parents_own(index, words, found, starts, clauses)
    # A word inside an idiom ("kicked" in "kicked her out"), or said only under a denial, names
    # no topic either.
    only_denied = set(words) - {w for k, w in enumerate(words) if k not in denied}
    hidden = {w for w, s in zip(words, masked, strict=True) if not s} | verbs | only_denied | danger
    named = _named_topics(index, query, taken, words, hidden, others=bool(found) or bool(danger))
    concerns: dict[str, None] = {}
    for c, _at in found:
        concerns.update(dict.fromkeys(t for t in index.concepts[c].topics if t in index.topics))
    concerns.update(dict.fromkeys(named))
    worry = bool(concerns) or any(w in NEGATIONS for w in words)

    idf, postings, terms_of = index.text.weights, index.text.postings, index.text.terms
    base: dict[int, float] = {}  # how much of what the asker typed each indicator shares
    shared: dict[int, int] = {}  # how many of the asker's words
    typed, common = dict(query.shown), guidance.common_words()
    # A word said only under a firm denial ("no plans to kill herself") is not the asker's worry, so
    # it does not draw an indicator that names it either.
    firmly = denied_positions(words, starts, firm=True)
    # "bipolar disorder", "a personality disorder": the illness named, not an eating disorder's
    # "disorder" (a nineteenth blind audit led a mother's bipolar disorder with anorexia)
    firmly |= {k for k in range(1, len(words)) if words[k] in _DISORDER and words[k - 1] != "eating"}
    said = (
        vocabulary.analyse_words([w for k, w in enumerate(words) if k not in firmly]).terms if firmly else query.terms
    )
    for term in query.terms:
        if term not in said:
            continue
        weight = idf.get(term, 0.0)
        if typed.get(term, term) in common:  # "told", "year", "friend": rare in the pack, not in English
            weight *= COMMON_WEIGHT
        for i in postings.get(term, ()):
            base[i] = base.get(i, 0.0) + weight
            shared[i] = shared.get(i, 0) + 1
    entry_weight = index.text.entry_weight

    unusable = index.level_one if worry else frozenset()
    # Indicators that rule out what the asker said ("arguments, with no violence" when dad hits mum)
    undenied = [s if k not in denied else "" for k, s in enumerate(masked)]
    said_stems = set(undenied) - {""}
    ruled_out = {
        i
        for i, (topics, stems, runs) in index.ruled_out.items()
        if topics & concerns.keys() or stems & said_stems or any(_said_in_a_row(undenied, run) for run in runs)
    }

    def usable(i: int) -> bool:
        return i not in unusable and i not in ruled_out

    chosen: dict[int, Ranked] = {}

    def pick(
        topic_ids: Iterable[str], hints: tuple[str, ...], level: int | None, name: str, c: int | None = None
    ) -> int | None:
        """The indicator that best answers one concern: its meaning (hints) first, then the
        asker's words; a serious signal's own level before any wording."""
        best: tuple[float, int] | None = None
        ordered = list(topic_ids)
        first, wanted = (ordered[0] if ordered else ""), set(ordered)
        known = index.meaning_of.get(c, {}) if c is not None else {}
        candidates = set(known)
        for t in wanted:
            candidates.update(index.by_topic.get(t, ()), base.keys() & index.members.get(t, frozenset()))
        candidates.difference_update(chosen, unusable)
        if danger and level == top_level:
            # a child in danger now: the concern's own top-level example where it has one ("a child
            # abandoned" for a toddler alone on the dual carriageway), whatever the wording's weights
            own_top = {
                i
                for i in candidates
                if index.entries[i].level.number == level and first in index.entries[i].indicator.topics
            }
            candidates = own_top or candidates
        fallback: tuple[float, int] | None = None
        for i in sorted(candidates):
            entry = index.entries[i]
            b = base.get(i, 0.0)
            h = known.get(i)
            if h is None:
                h = sum(idf.get(t, 0.0) for t in hints if t in terms_of[i])
            key = h + 0.5 * b + (1.0 if entry.indicator.topics[0] in wanted else 0.0)
            key += SERIOUS_BONUS if level == entry.level.number else 0.0
            key = key * entry.level.match_weight + 0.2 * (h + b) / entry_weight[i]
            if best is None or (key, -i) > (best[0], -best[1]):
                best = (key, i)
            if i not in ruled_out and (fallback is None or (key, -i) > (fallback[0], -fallback[1])):
                fallback = (key, i)
        if best is not None and best[1] in ruled_out:
            # The concern's own fit rules out what was said ("arguments, with no violence" when dad
            # hit mum): its next fit leads only if it is about the same thing and the same person
            # ("a parent's mental health ... regularly affects the child's care" for one who stopped
            # their medication; not a parent's for a child's own low mood)
            # ("self-harm, or a mental health need ..." for a self-harm concept whose best fit was low
            # mood "with no risk of self-harm": the concern's own first topic, for the same person)
            own, other = index.entries[best[1]].indicator, index.entries[fallback[1]].indicator if fallback else None
            alike = other is not None and other.domain == own.domain and other.topics[0] in (own.topics[0], first)
            best = fallback if alike else None
        if best is None:
            return None
        chosen[best[1]] = _ranked(index, best[1], best[0], name)
        return index.entries[best[1]].level.number

    covered: set[str] = set()
    mentioned: dict[str, None] = {}
    serious = False
    # One indicator per concern first ("house dirty" and "no food" are both neglect: the second
    # waits until every other concern has its indicator), so the first screen spans them all. A
    # concern whose first phrase found no indicator ("gone quiet" when its fit is ruled out) leaves
    # its turn to the next phrase of that concern ("not eating").
    order = [c for c, _at in found]
    top_level = max(level.number for level in index.levels.levels)
    answered: set[str] = set()  # first topics of the concerns that have an indicator
    deferred: set[int] = set()
    for c in order:  # a deferred concept goes to the end of `order`, read on by this loop
        if len(chosen) >= MAX_RANKED:
            break
        concept = index.concepts[c]
        if concept.topics[0] in answered and c not in deferred:
            deferred.add(c)
            order.append(c)
            continue
        # a child in danger now: each concern's example of the top level, where it has one ("a child
        # abandoned" for a toddler alone on the dual carriageway, not "neglect that keeps returning")
        wanted = top_level if danger else concept.level
        picked_level = pick(concept.topics, index.hints.get(c, ()), wanted, concept.name, c)
        if picked_level is not None:
            answered.add(concept.topics[0])
        serious = serious or (concept.level is not None and picked_level == concept.level)
        covered.update(concept.topics)
    for c, _at in found:
        _mention(mentioned, index.concepts[c].name)
    for topic_id in named:
        if topic_id not in covered and len(chosen) < MAX_RANKED:
            name = index.topics[topic_id].name
            mentioned.setdefault(name)
            pick([topic_id], (), None, name)
    # The learned reader names what the thesaurus's phrasings missed, after them, offered as "may
    # also involve" since the asker did not say them in so many words; never a topic the asker
    # denied ("no self harm, but..."). Whether the question is about safeguarding at all is still
    # judged on what the thesaurus recognised.
    recognised = tuple(concerns)
    suggested: dict[str, None] = {}
    for topic_id in _learned_concerns(index, text, words, masked, concerns, denied):
        concerns[topic_id] = None
        name = index.topics[topic_id].name
        suggested.setdefault(name)
        if len(chosen) < MAX_RANKED:
            pick([topic_id], (), None, name)

    # The rest: other indicators of the concerns recognised, or, when none was, those sharing
    # enough of the asker's words.
    # Close, without a recognised concern, means two of the asker's words or one of the pack's
    # own terms ("MARAC", "CAMHS") - however many other words the question has.
    rare = {t for t in query.terms if t in postings and t not in vocabulary.ordinary}

    def close(i: int) -> bool:
        return base.get(i, 0.0) >= STRONG and (shared[i] >= 2 or bool(rare & terms_of[i]))

    rest: list[tuple[float, int]] = []
    pool = set() if concerns else set(base)
    for t in concerns:
        pool.update(index.by_topic.get(t, ()), base.keys() & index.members.get(t, frozenset()))
    for i in sorted(pool):
        if i in chosen or not usable(i) or not (concerns or close(i)):
            continue
        b = base.get(i, 0.0)
        tagged = sum(1 for t in index.entries[i].indicator.topics if t in concerns)
        lv = index.entries[i].level
        rest.append(((b + CONCERN_BONUS * tagged) * lv.match_weight + 0.2 * b / entry_weight[i], i))
    rest.sort(key=lambda si: (-si[0], si[1]))
    ranked = list(chosen.values())
    ranked += [_ranked(index, i, score, "") for score, i in rest[: max(0, MAX_RANKED - len(ranked))]]

    nothing_close = not concerns and not any(close(i) for i in base)
    if recognised:
        # "claim a hotel for the conference", "drinks after work": a workplace question that
        # happens to hold a worry's word, with nobody in it and no serious signal.
        # "did the thresholds course, still unsure about level 2 vs 3 for neglect": the levels of a
        # worry named by its name are asked about, whatever else the question names
        about_the_levels = bool(named) and any(w in _LEVEL_WORDS for w in words)
        off_topic = (
            not any(index.concepts[c].level for c, _at in found)
            and not about_the_levels
            and (_workplace_only(words) or _stray_worry_word(index, words, taken, recognised))
        )
    else:
        off_topic = _off_topic(vocabulary, words, not any(close(i) for i in base), bool(index.concepts))
    childhood = _CHILDHOOD_TOPICS & set(recognised)  # "she won't come home": a worry only a child has
    ages = _ages(words)
    if _old_person(words) or "adult" in words or "adults" in words:
        # an old person goes missing too ("missing visits" is no child's), and an adult's grown-up
        # son who hits her is no child's behaviour; a pensioner is scammed online
        childhood -= _GROWN_UPS_TOO
    if ages and min(ages) >= 18:
        # "my brother (38) is sleeping in his car", "a 23 yr old man on probation": a grown-up's.
        # Not "missing": "she won't come home, she's at a 20 yr old man's flat" is a child's
        childhood -= (_GROWN_UPS_TOO - {"missing"}) | {"homeless-16-17"}
    adult = about_an_adult(words) and not childhood
    own = not adult and not serious and _the_askers_own_wellbeing(words, recognised)
    off_topic = off_topic or adult or own or _about_an_animal(words) or (not recognised and _a_test(words))
    if nothing_close or off_topic:
        ranked = []
    matched_terms = [t for t in query.terms if any(t in terms_of[r.number] for r in ranked[:FIRST_SCREEN])]
    # a concern whose topic has no indicators (only a note: safer sleeping) leads nothing: it
    # comes after those that do
    recognised = tuple(sorted(recognised, key=lambda t: t not in index.by_topic))
    return Assessment(
        ranked=ranked,
        concerns=recognised,
        off_topic=off_topic,
        adult=adult,
        own_wellbeing=own,
        nothing_close=nothing_close and not off_topic,
        mentioned=tuple(mentioned),
        # nothing is suggested for a question that is not about a child's safeguarding
        suggested=() if off_topic else tuple(n for n in suggested if n not in mentioned),
        suggested_topics=() if off_topic else tuple(t for t in concerns if t not in recognised),
        matched=tuple(query.as_typed(matched_terms)),
        serious=serious,
    )


# The pack's concept for a parent's own suicidal thoughts or self-harm (content/medway/concepts.yaml)
PARENTS_OWN = "parent-suicidal-thoughts"
_PARENT_HERE = _PARENT - _CARERS  # "young carer ... wants to end it" is the child's
# words before a parent that make the parent the one spoken to or about: "she told her mum she wants
# to die" is the child's
_SPOKEN_TO = frozenset(
    ["told", "tell", "tells", "telling", "asked", "texted", "messaged", "rang", "phoned", "called", "to", "with"]
    + ["found", "saw", "heard", "without", "from", "by", "about", "at"]
)
_BETTER_OFF = ("better", "off", "without")
_OTHERS = frozenset(["her", "him", "them"])
_MOTHERS = frozenset(["mum", "mom", "mother", "stepmum", "mummy", "mommy", "mam", "mammy"])
_FATHERS = frozenset(["dad", "father", "stepdad", "daddy"])
_HIS = frozenset(["he", "hes", "him", "his", "himself"])
_HERS = frozenset(["she", "shes", "her", "hers", "herself"])
# a parent who thinks, fears or found something tells of someone else: "mum thinks she's self-harming"
_COME_TO_THINK = frozenset(
    ["thinks", "think", "thought", "worried", "worries", "suspects", "believes", "reckons", "fears", "found"]
    + ["noticed", "saw", "seen", "caught", "heard"]
)
_LINKING = frozenset(["would", "wd", "be", "b", "d", "will", "all", "so", "much", "really", "are", "is", "were"])


def _a_parents_own(
    index: ThresholdIndex, words: list[str], found: list[tuple[int, int]], starts: frozenset[int], clause: list[int]
) -> list[tuple[int, int]]:
    """A self-harm or suicide phrase said of a parent ("mum says she wants to end it all", "new mum
    ... the baby would be better off without her") is the parent's mental health, not a child's
    self-harm (two blind audits: a health visitor's new mum led with a child's serious self-harm).
    Read in the concept the pack names for it (PARENTS_OWN), if it has one. Only where the parent
    is plainly the one: where it could be a child (a review found "girl says mum is never home and
    she feels like ending it all" read as the mum's), the child's serious signal stays."""
    own = index.concept_numbers.get(PARENTS_OWN)
    if own is None or _PARENT_HERE.isdisjoint(words) or _a_childs_age(words) or not _AT_SCHOOL.isdisjoint(words):
        # "mum says she wants to die, she is 15", "... she is in year 10", "... bullied at school": a
        # child's age or school said, the words may be the child's
        return found
    out: list[tuple[int, int]] = []
    for c, at in found:
        if "self-harm" in index.concepts[c].topics and _said_of_a_parent(words, at, starts, clause):
            c = own
        if all(c != kept for kept, _at in out):
            out.append((c, at))
    # the parent's own concept has no level: a serious signal read beside it ("... and take the kids
    # with her", level 4) still leads
    return sorted(out, key=lambda cp: -(index.concepts[cp[0]].level or 0))


def _said_of_a_parent(words: list[str], at: int, starts: frozenset[int], clause: list[int]) -> bool:
    """Whether the person a phrase at `at` is about is plainly a parent: the nearest person named
    before it in its own clause ("mum says she wants to kill herself"), with no child named after
    the parent in the clause, no parent who only thinks or found something ("mum thinks she's
    self-harming"), no pronoun of the other sex ("his mum says he wants to die"); or, for "X would
    be better off without her", X a child. A clause that names no one ("..., and she feels like
    ending it all") is not read as a parent's."""
    begin = max((k for k in starts if k <= at), default=0)
    if tuple(words[at : at + 3]) == _BETTER_OFF:
        k = at - 1
        while k >= begin and words[k] in _LINKING:
            k -= 1
        if k >= begin and words[k] in _CHILD:
            return True  # "the baby would be better off without her": her, a parent named before
        if k >= begin and words[k] in _PARENT:
            return False  # "mum would be better off without me": the child's words
    own = clause[at] if len(clause) == len(words) else None
    same = [k for k in range(begin, at) if own is None or clause[k] == own]
    person = next((k for k in reversed(same) if _a_person(words, k)), None)
    if person is None or words[person] not in _PARENT_HERE or _owned(words, person):
        return False  # "ellas mum says she wants to kill herself", "her mum says she...": whose "she"?
    end = max((k for k in range(at, len(words)) if own is None or clause[k] == own), default=at)
    between = words[person + 1 : end + 1]
    other_sex = _HIS if words[person] in _MOTHERS else _HERS if words[person] in _FATHERS else frozenset()
    return (
        _THEY.isdisjoint(between)  # "mum says they want to kill themselves": someone else
        and not any(w in _SPOKEN_TO for w in words[max(begin, person - 2) : person])
        and _OTHERS.isdisjoint(words[person + 1 : at])
        and not any(_a_person(between, j) for j in range(len(between)))
        and _COME_TO_THINK.isdisjoint(between)
        and other_sex.isdisjoint(between)
    )


_THEY = frozenset(["they", "them", "themselves", "theyre", "their"])
# a child at school: "she is in year 10", "bullied", "at school"; not nursery, where a parent's toddler goes
_AT_SCHOOL = frozenset(
    ["school", "college", "class", "pupil", "pupils", "student", "students", "exams", "gcse", "gcses", "teacher"]
    + ["teachers", "tutor", "bullied", "bullying", "yr", "year", "y7", "y8", "y9", "y10", "y11", "y12", "y13"]
    + ["yr7", "yr8", "yr9", "yr10", "yr11", "yr12", "yr13", "sixth", "uni", "university"]
)
_AGES_IN_WORDS = frozenset(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    + ["thirteen", "fourteen", "fifteen", "sixteen", "seventeen"]
)


def _owned(words: list[str], k: int) -> bool:
    """The person at k is someone's ("her mum", "ellas mum", "a pupils mum")."""
    before = words[k - 1] if k else ""
    return before in _OWNED_BY or (len(before) > 3 and before.endswith("s") and before not in _NOT_OWNERS)


_NOT_OWNERS = frozenset(["says", "this", "was", "has", "does", "always", "sometimes", "kids", "parents", "plus"])
_YEARS_OLD = frozenset(["yo", "yr", "yrs", "year", "years", "y"])
_SAID_AS_AN_AGE = frozenset(["is", "shes", "hes", "aged", "age", "only", "just"])
_OWNED_BY = frozenset(["her", "his", "their", "my", "our"])
_HAVING = frozenset(["has", "have", "with", "of", "got"])
_NOT_AN_AGE = frozenset(["weeks", "week", "wks", "wk", "months", "month", "days", "mins", "minutes", "hours", "hrs"])


def _a_childs_age(words: list[str]) -> bool:
    """A child's age in years said anywhere ("a 15 yo", "she is 15", "hes only 12", "lad (12)"); a
    baby's weeks ("mum 3 wks post birth") are no such age."""
    for k, word in enumerate(words):
        if word in _AGES_IN_WORDS and k and words[k - 1] in _SAID_AS_AN_AGE:
            return True  # "she is twelve"
        if not word.isdigit() or int(word) >= 18:
            continue
        after = words[k + 1] if k + 1 < len(words) else ""
        before = words[k - 1] if k else ""
        if (before in _SAID_AS_AN_AGE or before in _CHILD) and after not in _NOT_AN_AGE:  # "lad (12)"
            return True
        # "a 15 yo", but not the parent's own child: "she has a 3yo", "her 3 yr old"
        if after in _YEARS_OLD and not (
            before in _OWNED_BY or (before in ("a", "an") and k > 1 and words[k - 2] in _HAVING)
        ):
            return True
    return False


_AGE_UNITS = frozenset(
    ["yo", "yr", "yrs", "year", "years", "old", "y", "month", "months", "week", "weeks", "wk", "wks"]
)


def _a_person(words: list[str], k: int) -> bool:
    """A word naming a child, a brother or sister, or a parent, or a child's age ("12 yo"; not "3 kids")."""
    word = words[k]
    if word.isdigit():
        return int(word) < 18 and k + 1 < len(words) and words[k + 1] in _AGE_UNITS
    return word in _CHILD or word in _SIBLING or word in _PARENT


def _learned_concerns(
    index: ThresholdIndex,
    text: str,
    words: list[str],
    masked: list[str],
    concerns: dict[str, None],
    denied: frozenset[int],
) -> list[str]:
    """The topics the pack's learned reader adds to those recognised (learned.py), at most its
    `most`, none the asker denied. When the thesaurus recognised nothing, only the likeliest
    topic, and only when the reader is sure of it (its `alone`) and the question is not about
    the workplace."""
    model = index.learned
    if model is None:
        return []
    said_but_denied: set[str] = set()
    if denied:
        every, _taken = found_concepts(index, words, masked, frozenset())
        said_but_denied = {index.concepts[c].topics[0] for c, _at in every} - set(concerns)
    likely = [
        (t, p) for t, p in model.scores(text) if t in index.topics and t not in concerns and t not in said_but_denied
    ]
    if not concerns:
        return [t for t, p in likely[:1] if p >= model.alone and not _workplace_only(words)]
    return [t for t, p in likely if p >= model.threshold][: model.most]


def _mention(mentioned: dict[str, None], name: str) -> None:
    """Name a recognised concern once: "school attendance and progress" beside "school
    attendance" says the same thing twice, so only the first of the two is kept."""
    words = set(_NAME_WORD.findall(name))
    if not any(words <= (said_words := set(_NAME_WORD.findall(said))) or said_words <= words for said in mentioned):
        mentioned[name] = None


_NAME_WORD = re.compile(r"[\w'-]+")  # "going missing, with ..." holds "going missing"


def _ranked(index: ThresholdIndex, i: int, score: float, concern: str) -> Ranked:
    entry = index.entries[i]
    return Ranked(i, entry.level.number, entry.indicator.text, tuple(entry.indicator.topics), round(score, 6), concern)


# Workplace words that only mark a question off-topic beside a worry's word and nobody at risk
# ("drinks after work", "petty cash for the party"); alone they are too common to refuse on.
_WORKPLACE_WORDS = (
    "shift shifts training course courses party annual pub refresher refreshers book onto manager managers boss "
    "supervisor trip trips outing outings zoo"
)
_WORKPLACE = _OFF_TOPIC | frozenset(_WORKPLACE_WORDS.split())


def _workplace_only(words: list[str]) -> bool:
    """Workplace or leisure words, and no child, family or other person in the question, nor only
    a colleague asking about the levels."""
    workplace = [w for w in words if w in _WORKPLACE]
    if not workplace or _names_a_person(words):
        return False
    return not _a_colleague_asks_about_the_levels(words, workplace)


def _a_colleague_asks_about_the_levels(words: list[str], people: list[str]) -> bool:
    """ "my colleague asked what level neglect is", not "a colleague keeps shouting at me, what level
    is that": the colleague asks about the levels and does nothing to the asker."""
    asks = any(w in _LEVEL_WORDS for w in words)
    return asks and all(w in _PEOPLE_AT_WORK for w in people) and "me" not in words


STRAY_CONTEXT = 3  # other words it takes to show a worry's everyday word is about something else


def _stray_worry_word(index: ThresholdIndex, words: list[str], taken: set[str], concerns: Iterable[str]) -> bool:
    """A worry's everyday words said of something else: nobody in the question, one concern read
    from ordinary English alone, and several more words of which none is ever used by that
    topic's indicators ("the stapler that went missing from reception", "a health and safety
    hazard in the car park"), where a real worry's other words are ("bruises on her arm, the
    story doesn't fit")."""
    concerns = list(concerns)
    if len(concerns) != 1 or _names_a_person(words) or any(w in _CONTEXT for w in words):
        return False  # someone in it, or a word of the work itself ("abuse", "referral", "risk")
    if asks_for_verdict(" ".join(words)):
        return False  # "does extremist talk in class meet threshold?"
    stems = {guidance.stem(w) for w in words}
    for stem_ in stems:
        if any(len(name) > 1 and name <= stems for _topic, name, _whole in index.topic_names.get(stem_, ())):
            return False  # a topic's name of two words or more ("domestic violence") is never said of a stapler
    ordinary = index.text.vocabulary.ordinary
    content = [w for w in words if w not in guidance.STOPWORDS and not w.isdigit() and len(w) > 2]
    evidence = [w for w in content if guidance.stem(w) in taken or guidance.stem(w) in index.topic_names]
    if not evidence or any(w not in ordinary for w in evidence):
        return False  # a term of the pack's own ("DA", "CCE") is about safeguarding
    others = [w for w in content if w not in evidence]
    if len(others) < STRAY_CONTEXT or not all(guidance.is_real_word(w) for w in others):
        return False  # a typo or a term of the trade ("GCP2", "sibs") is someone writing about work
    topic_terms = index.terms_by_topic.get(concerns[0], frozenset())
    return not any(guidance.stem(w) in topic_terms or _phrase_stem(w) in topic_terms for w in others)


# "child is fine, no concerns, just checking the bot works", "test message please ignore": someone
# trying the bot out, with no worry in it (an outside audit got a poverty indicator for the first).
# Each pattern is linear: a bounded run of distinct words, no ".*" between two searches (a review
# found a repeated word in a starred group hanging the loop on 28 words of "that").
_TRYING_THE_BOT = re.compile(
    r"\b(?:testing|checking|trying|seeing)(?: (?:out|if|that|whether|how|the|this|it)){0,3} (?:bot|sgbot|chatbot)\b"
    r"|\btest(?:ing)? (?:message|msg|only|post|question)\b|\bplease ignore\b|^test(?:ing)?(?: \d+){0,3}$"
)
_IT_WORKS = re.compile(r"\b(?:bot|it|this) (?:works|is working)\b")
_TEST_WORD = re.compile(r"\b(?:testing|checking|test)\b")


def _a_test(words: list[str]) -> bool:
    said = " ".join(words)
    return _TRYING_THE_BOT.search(said) is not None or (
        _IT_WORKS.search(said) is not None and _TEST_WORD.search(said) is not None
    )


def _off_topic(vocabulary: guidance.Vocabulary, words: list[str], nothing_close: bool, thesaurus: bool) -> bool:
    """Nothing about a child or family, and either workplace or leisure words, or mostly plain
    English with nobody named in it (or, with no thesaurus, nothing close); gibberish is
    'nothing close' instead."""
    workplace = any(w in _OFF_TOPIC for w in words)
    if workplace and not _names_a_person(words):
        return True  # "school parking is a real risk": a workplace word, and nobody in it
    if any(w in _CONTEXT and w not in _PLACES for w in words):
        return False
    if workplace:
        return True
    if any(w in _CONTEXT for w in words):
        return False
    content = [w for w in words if w not in guidance.STOPWORDS and not w.isdigit() and len(w) > 2]
    if any(w in vocabulary.surface and w not in vocabulary.ordinary for w in content):
        return False  # one of the pack's own terms ("MASH", "EHCP"): about safeguarding, if unclear
    ordinary = [w for w in content if w in vocabulary.ordinary]
    plain_english = bool(content) and len(ordinary) * 5 >= len(content) * 3
    if thesaurus:
        # The pack's thesaurus recognised no worry. With nobody named it is not about a child:
        # "teams keeps crashing when I share my screen". With someone named ("he can't read at 11")
        # it may be a worry the pack has no words for: nothing close, never a refusal.
        return plain_english and not _names_a_person(words)
    # Without a thesaurus only the indicators' wording can tell.
    return nothing_close and plain_english


def main_topic(assessment: Assessment) -> str:
    """The topic to count a question under: the strongest concern, else the best match's."""
    if assessment.off_topic:
        return "off-topic"
    if assessment.concerns:
        return assessment.concerns[0]
    return assessment.ranked[0].topics[0] if assessment.ranked else "no-match"
