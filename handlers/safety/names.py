"""Names: a child's or family's name introduced by a cue, a relative, an age, a school or year
group, a title or a list, told apart from ordinary English (wordfreq), public figures and
television characters; and once a text names someone, every other name-like word in it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from core.memory import trim_heap
from core.patterns import LazyPattern, lazy_compile
from handlers.safety.findings import NAME, SCHOOL, Finding
from handlers.safety.name_lists import EVERYDAY_GIVEN_NAMES, GIVEN_NAMES, SURNAMES

# --- names ------------------------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ɏ"  # Latin Extended A and B too: Łukasz, Šimon, Ștefan
_LOWER = "a-zß-öø-ÿĀ-ɏ"  # ...and Gintarė, Ionuț
_NAME_WORD = rf"[{_UPPER}](?:'[{_UPPER}])?[{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?(?:-[{_UPPER}][{_LOWER}]+)?"
_FULL_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
# The same, each word taken whole (++), where nothing may follow a name inside its word: Latin
# Extended letters are in both classes, so "İİİ…" could be split between a word's parts every way,
# and 3,990 of them took a second and a half (an outside audit). Not where a plural "s" must follow.
_WHOLE_NAME_WORD = _NAME_WORD.replace("]+", "]++")
_WHOLE_FULL_NAME = rf"{_WHOLE_NAME_WORD}(?:\s+{_WHOLE_NAME_WORD}){{0,2}}"
_ANY_WORD = rf"[{_UPPER}{_LOWER}](?:[{_UPPER}{_LOWER}'-]*[{_UPPER}{_LOWER}])?"

# Words that are not names in practitioners' writing, capitalised or not.
_NOT_NAME_WORDS = """
    sir miss mister missus csc cin cp lac cla ehcp mash marac mappa sw ta lado fgm cse cce sen send ehe cme pru
    ap yot yjs nfa dv da ipv ehcna ehc lscp mscp kcc ctf upn pcso sgo icpc rcpc plo cpp ehap eha tac tam cp-is
    netflix iplayer spotify midkent southwark
    reception nursery
    a an the this that these those my our your their his her its i we you he she they it me him them us
    is was are were be been being has had have do does did not no yes and or but if so as at by for
    from in into of on to with without about after before under over up out who whose when
    where what which why how any all some each every both other another same such very just also
    child children childs boy boys girl girls baby babies infant infants toddler toddlers
    teen teens teenager teenagers adolescent adolescents young youngster person people
    pupil pupils student students son sons daughter daughters brother brothers sister
    sisters sibling siblings twin twins kid kids mum mums mother mothers dad dads father
    fathers parent parents carer carers stepdad stepmum stepfather stepmother partner
    grandparent grandparents family families household member members nan gran uncle aunt auntie
    level levels stage stages section year years age aged month months week weeks day days
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    january february march april may june july august september october november december
    early help universal additional intensive specialist targeted statutory
    protection safeguarding services service social care health mental physical emotional
    sexual criminal exploitation abuse neglect domestic missing trafficking harm risk
    need needs plan plans looked after in-need lead practitioner professional worker
    police school schools nursery college gp hospital team first response front door
    think foster adoptive birth extended whole wider entire blended host step troubled
    local same new older younger elder eldest oldest youngest little big
    dear hi hello thanks please note update concern concerns worry worried
    medway chatham gillingham rochester strood rainham hoo kent maidstone sittingbourne england
    london britain wales scotland uk nhs childline nspcc camhs barnardos ofsted
    traveller travellers gypsy roma muslim christian jewish sikh hindu catholic polish romanian
    afghan syrian ukrainian asian black white british irish english
    nigerian ghanaian somali eritrean sudanese kurdish albanian lithuanian latvian bulgarian slovak czech
    pakistani indian bangladeshi nepali nepalese chinese vietnamese african caribbean european arab
    christmas easter eid diwali ramadan hanukkah halloween bonfire
    maths english science history geography art music drama french spanish german computing
    snapchat tiktok instagram facebook whatsapp youtube roblox fortnite minecraft discord xbox playstation
    council academy trust court magistrates
    kooth youngminds minds mind samaritans papyrus shout barnardo barnardos homestart home-start sendiass nelft
    brook relate catch22 porchlight nacro rainbow action nobody somebody someone everyone everybody anyone
    staff teacher teachers manager head headteacher senco dsl tutor nurse doctor hv midwife officer neighbour
    neighbours christian grandad grandma grandpa granny nanny nana nanna grandmother grandfather aunty
    stepbrother stepsister cousin cousins boyfriend girlfriend
    staffie staffies staffy staffordshire rottweiler rottweilers alsatian alsatians labrador labradors spaniel
    spaniels collie collies husky huskies pitbull pitbulls
"""
# Public figures and characters people mention when describing a worry, and a dog named after a
# man ("Jack Russell bit the toddler"): not people to protect.
_PUBLIC_FIGURES_TEXT = """
    andrew tate|mr tumble|tumble|peppa pig|peppa|george pig|bluey|bingo|blippi|ms rachel|
    miss rachel|mr beast|mrbeast|cocomelon|paw patrol|spider-man|spiderman|batman|superman|sonic|
    mario|luigi|pikachu|elsa|olaf|moana|peter rabbit|horrid henry|peter pan|hey duggee|duggee|
    fireman sam|postman pat|thomas the tank engine|iggle piggle|upsy daisy|makka pakka|tinky winky|
    teletubbies|dora|ben and holly|gruffalo|paddington|winnie the pooh|tracy beaker|ksi|
    greta thunberg|taylor swift|harry potter|marcus rashford|harry kane|bukayo saka|jude bellingham|
    mo salah|ronaldo|messi|mbappe|logan paul|billie eilish|beyonce|drake|stormzy|mr motivator|mrs brown|
    tommy shelby|thomas shelby|peaky blinders|miss trunchbull|trunchbull|miss honey|willy wonka|mr twit|
    wormwood|wormwoods|matilda|
    mr bean|mrs doubtfire|mr blobby|mr men|little miss|mr tickle|tickle|
    victoria climbie|victoria climbié|climbie|climbié|lord laming|laming|arthur labinjo-hughes|labinjo-hughes|
    star hobson|peter connelly|baby p|baby peter|daniel pelka|khyra ishaq|hamzah khan|child q|dickens|
    charles dickens|ben 10|ben ten|
    brené brown|brene brown|bessel van der kolk|van der kolk|karen treisman|bruce perry|eileen munro|
    dan hughes|kim golding|john bowlby|bowlby|maslow|kirkpatrick|kirkpatricks|donald kirkpatrick|kolb|bronfenbrenner|
    winnicott|ainsworth|mary ainsworth|sidebotham|horwath|jan horwath|siegel|dan siegel|carl rogers|marian brandon|
    gillick|gillick/fraser|fraser guidelines|fraser competence|winston's wish|winstons wish|
    eastenders|coronation street|corrie|emmerdale|hollyoaks|waterloo road|grange hill|love island|
    jack russell|jack russells|mason jar|mason jars|jack of all trades|amber flag|amber flags|amber rating|
    amber alert|adolescence|tom and jerry|jess phillips|esther rantzen|the king|king charles|the queen|
    queen camilla|prince william|prince of wales|princess of wales|gareth southgate|southgate|rachel de souza|
    dame rachel de souza|dame rachel|anne longfield|josh macalister|macalister|
    prince harry|meghan markle|jack daniels|jack daniel's|jack and jill|grace darling|stella artois|
    clare's law|clares law|claire's law|claires law|sarah's law|sarahs law|jack and the beanstalk|
    hansel and gretel|little red riding hood|jack petchey|prime minister|the prime minister|
    goldilocks|snow white|cinderella|rapunzel
"""
_PUBLIC_FIGURES = frozenset(f.strip() for f in " ".join(_PUBLIC_FIGURES_TEXT.split()).split("|"))
# Words of practitioners' writing that wordfreq's list lacks, so that "never engaged with antenatal"
# or "a childminder" are not taken for a name nobody listed
_PRACTICE_WORDS = """
appts childminder childminders nits poss babys flinches vapes paeds paed antenatal postnatal perinatal
neonatal bunking hols centiles babysits resi mths kipping skint nans mummys leaver leavers dossing accom
slurring lunchboxes immunisations frenulum wads wets touchline sexualised inhalers swastikas soiling sibs
madrassah madrasa headlice xray waitlist selfharming paralytic nicking familys safeguarding neet nfa
anonymised anonymise anonymising anonymisation anonymized
"""
NOT_NAMES = frozenset(_NOT_NAME_WORDS.split()) | frozenset(_PRACTICE_WORDS.split())
_ORDINARY_ZIPF = 3.0  # wordfreq: at or above this, a word is ordinary English rather than a rare name
_TITLED_ORDINARY_ZIPF = 3.3  # the same after Mr, Mrs, Ms, Miss or Dr, where a surname is expected


# Words rarer than this count as unknown: every decision here and in spelling correction is taken
# at 2.5 or above, so the 270,000 rarer words of wordfreq's list need not be held.
KEPT_ZIPF = 2.5
_WORD_ZIPF: dict[str, float] | None = None
_LETTERS = lazy_compile(r"[a-z]+")
_ACCENTED = lazy_compile(r"[ß-öø-ÿĀ-ɏ]")


def english_words_by_zipf(wordlist: str, lowest: float) -> Iterator[tuple[float, list[str]]]:
    """wordfreq's English list ("small" or "large"), most common first, as (Zipf, words) down to
    `lowest`. Read from wordfreq's data file without importing wordfreq, whose import brings
    langcodes, ftfy and regex (about 6 MB) and whose cache would keep the whole list; and read one
    frequency at a time, so the rarer words past `lowest` are never decoded."""
    import gzip
    from importlib.util import find_spec

    import msgpack

    spec = find_spec("wordfreq")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("wordfreq is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"{wordlist}_en.msgpack.gz"
    with gzip.open(path, "rb") as packed:
        # wordfreq's "cB" format: a header, then list n holds the words of Zipf 9 - n/100
        unpacker = msgpack.Unpacker(packed, raw=False)
        lists = unpacker.read_array_header() - 1
        if unpacker.unpack() != {"format": "cB", "version": 1}:
            raise ValueError(f"{path} is not a wordfreq list this code knows how to read")
        for centibels in range(min(lists, round((9 - lowest) * 100) + 1)):
            yield round(9 - centibels / 100, 2), unpacker.unpack()


def _word_zipfs() -> dict[str, float]:
    """wordfreq's full English list, cut to the words at or above KEPT_ZIPF (about 54,000, 13 MB
    in a running bot against about 35 MB for wordfreq's own lookup table). Read on the first check,
    not at start-up, so a bot that screens no text never holds it."""
    global _WORD_ZIPF
    if _WORD_ZIPF is None:
        found: dict[str, float] = {}
        for zipf, words in english_words_by_zipf("large", KEPT_ZIPF):
            for w in words:
                found.setdefault(w, zipf)
        _WORD_ZIPF = found
        trim_heap()  # reading the list left about 3 MB of freed pages behind (no cycles to collect)
    return _WORD_ZIPF


@lru_cache(maxsize=16384)
def word_zipf(word: str) -> float:
    """How common `word` is in English on wordfreq's Zipf scale; 0 below KEPT_ZIPF. A word with
    other characters ("o'brien", "self-harm") is as common as its rarest part, as wordfreq has it."""
    table = _word_zipfs()
    low = word.lower()
    if low in table or _LETTERS.fullmatch(low):
        return table.get(low, 0.0)
    if _ACCENTED.search(low):
        return 0.0  # "Siân", "Zoë", "Ștefan": not read as "si" and "n"; English borrowings are in the table

    parts = _LETTERS.findall(low)
    return min((table.get(p, 0.0) for p in parts), default=0.0)


def is_ordinary(word: str) -> bool:
    """An everyday English word that is not also a common given name or surname."""
    parts = [p for p in re.split(r"[-']", word.lower()) if p]
    if not parts or any(p in GIVEN_NAMES or p in SURNAMES for p in parts):
        return False
    return all(word_zipf(p) >= _ORDINARY_ZIPF for p in parts)


def _could_be_name(word: str) -> bool:
    """A word that can be a person's name: a known given name or surname, or not ordinary English.
    Acronyms (MASH, CAMHS) and the words of practitioners' writing are not."""
    low = word.lower().removesuffix("'s")
    if (word.isupper() and len(word) > 1) or low in NOT_NAMES or len(low) < 2:
        return False
    parts = [p for p in re.split(r"[-']", low) if p]
    if any(p in GIVEN_NAMES or p in SURNAMES for p in parts):
        return True
    if not all(p.isalpha() for p in parts):
        return False
    # "O'Brien", "Smith-Jones": one rare part is enough.
    return word_zipf(low) < _ORDINARY_ZIPF or any(len(p) > 2 and word_zipf(p) < _ORDINARY_ZIPF for p in parts)


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def _one_slip_from_english(word: str, floor: float = _ORDINARY_ZIPF) -> bool:
    """Whether one letter wrong, missing, extra or swapped makes an ordinary English word (one at
    `floor` or above): then an unknown word is a typo ("shcool"), not a name."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    edits |= {a + c + b for a, b in splits for c in _ALPHABET}
    # a slip to a name is no typo: "sadia" is not "sadie" mistyped
    return any(word_zipf(e) >= floor and (e not in GIVEN_NAMES or word_zipf(e) >= 4.0) for e in edits if e != word)


_BRITISH_ENDING = lazy_compile(r"is(e|ed|es|ing|ation|ations)$")


_ENDINGS = ("s", "es", "ed", "ing", "er", "ers")
_SUFFIXES = ("ness", "ment", "less", "ful", "ship", "hood", "ity", "ism", "ise", "ize", "ish")
_PREFIXES = ("de", "re", "un", "dis", "mis", "non", "pre", "over", "under", "out", "co", "anti", "counter")


def _made_from_a_word(low: str) -> bool:
    """ "deregistering", "overmedicated": a common word with a prefix before it, which wordfreq may
    not hold whole (not "deshawn": a name after a prefix is still a name)."""
    if low in GIVEN_NAMES or low in SURNAMES:
        return False
    for suffix in _SUFFIXES:  # "lateness", "homelessness": a word made from a word
        base = low[: -len(suffix)]
        if low.endswith(suffix) and len(base) >= 3 and (word_zipf(base) >= 3.0 or word_zipf(base + "e") >= 3.0):
            return True
    for prefix in _PREFIXES:
        rest = low[len(prefix) :]
        if not low.startswith(prefix) or len(rest) < 5 or rest in GIVEN_NAMES or rest in SURNAMES:
            continue
        if word_zipf(rest) >= 3.0 or any(word_zipf(rest[: -len(e)]) >= 3.0 for e in _ENDINGS if rest.endswith(e)):
            return True
    return False


def _unknown_name(word: str) -> bool:
    """A lower-case word English has never seen and no slip away from a word it has ("biplob",
    "chidinma"): in a person's place, a name nobody listed."""
    low = word.lower()
    plain = low.isalpha() and len(low) >= 4 and low not in NOT_NAMES
    stems = [low[: -len(end)] for end in _ENDINGS if low.endswith(end)]  # "mopeds"
    stems += [stem + "e" for stem in stems]  # "evidencing", "scaled"
    american = _BRITISH_ENDING.sub(r"iz\1", low)  # "sexualised": wordfreq knows it as "sexualized"
    stems.append(american)
    # "minimised": wordfreq knows "minimize" but not "minimized"
    stems += [american[: -len(end)] + "e" for end in ("ed", "es", "ing") if american != low and american.endswith(end)]
    seen = word_zipf(low) > 0.0 or any(word_zipf(stem) > 0.0 for stem in stems) or _made_from_a_word(low)
    return plain and not seen and not _one_slip_from_english(low) and not _slip_from_american(low)


def _rare_lower_name(word: str) -> bool:
    """A lower-case word rarer than ordinary English that is no slip from a word ("ashwin",
    "darnell"): in a place only a person fits ("in my tutor group"), a name."""
    low = word.lower()
    if not (low.isalpha() and len(low) >= 4) or low in NOT_NAMES or word_zipf(low) >= _ORDINARY_ZIPF:
        return False
    return _unknown_name(low) or (word_zipf(low) > 0.0 and not _one_slip_from_english(low))


def _slip_from_american(low: str) -> bool:
    """A slip from a long word wordfreq knows only in its American spelling ("radicalisaton")."""
    return "is" in low and len(low) >= 9 and _one_slip_from_english(low.replace("is", "iz"), KEPT_ZIPF)


def _lower_case_name(word: str) -> bool:
    """A lower-case word that is a name: a known given name that is not an everyday word."""
    low = word.lower()
    if "-" in low:  # "ruby-mae", "kayden-lee"
        return any(p in GIVEN_NAMES for p in low.split("-"))
    # Only known given names: a rare lower-case word after "child" or "boy" is far more often a
    # typo ("child haming herself") than a name, and removing it would lose the worry.
    return low in GIVEN_NAMES and word_zipf(low) < 5.0  # accents are read as plain letters (named_people)


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _name_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Narrow a run of capitalised words to the name in it: "Worried About Tom" -> "Tom"."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    while words and text[words[0][0] : words[0][1]].lower() in NOT_NAMES:
        words.pop(0)
    while words and text[words[-1][0] : words[-1][1]].lower() in NOT_NAMES:
        words.pop()
    return (words[0][0], words[-1][1]) if words else None


_RELATIVE = (
    r"(?:child|boy|girl|baby|infant|toddler|teen(?:ager)?|young\s+person|yp|pupil|student|son|daughter|lad|lass"
    r"|man|woman|lady|bloke|fella|guy|youngster|player|gamer"
    r"|step-?son|step-?daughter|nephew|niece|grand(?:son|daughter|child)|brother|sister|sibling|twin|kid"
    r"|mum|mother|dad|father|step-?dad|step-?mum|parent|carer|family)"
)
# "a child called Jane Smith", "the boy's name is Tom", "mum, known as Kerry"
_INTRODUCED = lazy_compile(
    rf"(?i:\b{_RELATIVE}(?:'s|s)?)(?:\s*+,\s++|\s++)(?i:(?:is|was)\s+)?"
    rf"(?i:called|named|known\s+as|(?:first\s+|full\s+|sur)?name\s+is|name's|whose\s+name\s+is)\s+"
    rf"({_FULL_NAME})"
)
# Any cue, any case: "there's a lad in year 9 called jake", "her name is chloe", "goes by kay".
_CUED = lazy_compile(
    r"(?i:\b(?:called|named|known\s+as|goes\s+by|(?:first\s+|full\s+|sur|nick)?names?\s+(?:is|are|was|were)"
    r"|name's|names\s+of|call(?:s|ed)?\s+(?:him|her))\s+)[\'\"‘“]?"
    rf"({_ANY_WORD})"
)
# "her son Tom", "my pupil Jane Smith" (lower-case relative, so "Child Protection" stays quiet)
_RELATIVE_THEN_NAME = lazy_compile(
    r"\b(?:son|daughter|stepson|stepdaughter|nephew|niece|grandson|granddaughter|brother|sister"
    r"|baby|child|pupil|student|boy|girl|toddler|infant|teenager|mum|mother|dad|father|step-?dad|step-?mum"
    r"|stepfather|stepmother|uncle|aunt|auntie|nan|nana|gran|grandma|grandad|grandpa|grandmother|grandfather"
    r"|cousin|partner|boyfriend|girlfriend|husband|wife|friend|carer|aunty|nanny|nanna|granny|step-?brother"
    r"|step-?sister|half-?brother|half-?sister|bf|gf|mate)(?:'s)?,?\s+\(?"
    rf"({_ANY_WORD})"
)
# "the Smith family", "the Smith-Jones children", "the Smiths"
_FAMILY = lazy_compile(
    rf"(?i:\b(?:the|a|this|that)\s+)({_NAME_WORD})\s+(?i:family|families|household|children|kids|twins|siblings|boys|girls)\b"
)
_FAMILY_BABY = lazy_compile(rf"(?i:\b(?:the|a|this|that)\s+)({_NAME_WORD})\s+(?i:baby|babies|toddlers?|newborn)\b")
# "the Thompson case", "the Nowak referral": a family's case known by its surname ("the Children Act
# case law" and "the Climbie case" are not, the second being a published one)
# ...or in court: "the Brennan care case", "the Dawson final hearing", "the Nowak care proceedings"
_FAMILY_CASE = lazy_compile(
    rf"(?i:\b(?:the|that|this|our|my)\s+)({_NAME_WORD})\s+(?i:case|cases|referral|file|situation"
    r"|(?:care|court|family\s+court|final|interim|criminal)\s+(?:case|hearing|proceedings|trial))\b"
)
_CASE_WORDS: tuple[str, ...] = ("case", "Case", "CASE", "referral", "Referral", "file", "File", "situation")
_CASE_WORDS += ("Situation", "hearing", "Hearing", "proceedings", "Proceedings", "trial", "Trial")
_FAMILY_PLURAL = lazy_compile(rf"(?i:\bthe\s+)({_NAME_WORD}s)\b")
# "Smith family are known to us", "the smith family", "the Jones' house"
_SURNAME_FAMILY = lazy_compile(
    rf"(?<![\w'-])({_ANY_WORD})(?:'s?)?\s+(?i:family|families|household|house|home|kids|children|twins|siblings|boys?|girls?"
    r"|lads?|brothers|sisters)\b"
)


# "o'driscoll", "mcbride" (not "mac", which starts too many words: mackerel, macro, macho)
_GAELIC_SURNAME = lazy_compile(r"(?:o'|mc)(?!donalds|flurry)[a-z]{3,}")


def _surname_like(word: str) -> bool:
    low = word.lower()
    if _GAELIC_SURNAME.fullmatch(low) and word_zipf(low) < 4.5:
        return True  # "the o'sullivan household", "the mcbride kids": Irish and Scottish surnames
    if low in NOT_NAMES:  # "the foster family" (Foster is a surname too)
        return False
    return low in SURNAMES or (low not in GIVEN_NAMES and _could_be_name(word) and not is_ordinary(word))


def _a_persons_name(name: str) -> bool:
    """Before an age in words, only words that name a person: no number word, and a known given name
    or surname, or a word English lacks ("Nguyen Thi Mai"); not "Scouts", "Year Two", "Team Leader"."""
    words = [w.lower() for w in re.split(r"[\s-]+", name) if w]
    if any(w in _NUMBER_WORDS for w in words):
        return False
    return any(w in GIVEN_NAMES or w in SURNAMES or (_could_be_name(w) and not is_ordinary(w)) for w in words)


_NUMBER_WORDS = frozenset(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    + ["thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
)
# A child's age in words, one to seventeen
_CHILD_AGE_WORD = (
    r"(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen)"
)
# "Tom (age 6)", "Tom (6)", "Tom aged 6", "Tom, 6 years old"
_NAME_WITH_AGE = lazy_compile(
    # the spaces after the name taken whole (\s*+), and "at least one" asked of them by looking
    # back (?<=\s): a second quantifier over the same spaces split a long run every way
    # (an age in words too: "Nguyen Thi Mai (age eleven)", "Rose Mark, six yrs", a blind guard audit)
    rf"(?<![\w'-])({_WHOLE_FULL_NAME})\s*+"
    rf"(?:\(\s*(?i:aged?\s*)?(?:\d{{1,2}}|{_CHILD_AGE_WORD})\s*(?i:y(?:ea)?rs?|yo|y/?o|months?|mths?|m)?\s*(?i:old)?\s*\)"
    rf"|(?:,\s+|(?<=\s))(?i:aged?)\s+(?:\d{{1,2}}|{_CHILD_AGE_WORD})\b"
    rf"|,\s*(?:\d{{1,2}}|{_CHILD_AGE_WORD})\s*(?i:y(?:ea)?rs?(?:\s+old)?|yo|months?\s+old)\b"
    rf"|,\s*(?:\d{{1,2}}|{_CHILD_AGE_WORD})\s*,"  # "Ciara O'Neill, 15, going missing"
    r"|\(\s*(?i:year|yr|y|reception|nursery)\s*\d{0,2}\s*\)"  # "Sunny (Year 6)"
    r"|(?<=\s)(?i:is|was|turned|turns)\s+\d{1,2}(?!\s*(?:%|percent|miles?|mins?|minutes|hours|days|weeks|times|am|pm)\b)\b)"
)
_TITLED = lazy_compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Master|Dr)\.?\s+({_FULL_NAME})")
# "Ms R O'Driscoll", "the al-Hashimi family", "the mum of Tyrese"
_TITLED_INITIAL = lazy_compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z]\.?\s+({_NAME_WORD})")
_ARABIC_SURNAME = lazy_compile(r"(?<![\w'-])((?i:al|el)-[A-Za-z][a-z]{2,})\b")
_PARENT_OF = lazy_compile(
    rf"(?i:\b(?:mum|mother|dad|father|parents?|carers?|nan|gran|sister|brother)\s+of\s+)({_ANY_WORD})"
)
# typed on a phone: "mrs ahmed's kids", "the okonkwos" (not "miss", which is a verb too)
_LOWER_TITLED = lazy_compile(r"\b(?:mr|mrs|ms)\.?\s+([A-Za-z][a-z'-]+)")
_LOWER_FAMILY_PLURAL = lazy_compile(r"\b(?i:the)\s+([a-z][a-z']+s|[A-Z][A-Z']+S)\b")
# "K-L Hartley", "A.J. Okafor": two initials, joined, before a capitalised surname
_JOINED_INITIALS = lazy_compile(rf"(?<![\w.-])[A-Z](?:-|\.)[A-Z]\.?\s+({_NAME_WORD})")
# "j.p. dunmore": two initials with stops, typed in lower case, before a surname
_LOWER_JOINED_INITIALS = lazy_compile(r"(?<![\w.])[a-z]\.[a-z]\.?\s+([a-z]{3,})\b")
# "child initials J.S.", "initials: JS": the word says the letters are a person's initials
_SAID_INITIALS = lazy_compile(
    r"(?i:\binitials)\s*(?:are\s+|of\s+|[:-]\s*)?((?:[A-Za-z]\.\s?){1,2}[A-Za-z]\.?|[A-Z]{2,3})(?![\w.])"
)
# "J. Smith", "J Smith": an initial and a surname.
_INITIALLED = lazy_compile(rf"(?<![\w.])([{_UPPER}])(\.\s*|\s+)({_NAME_WORD})")
_LOWER_INITIALLED = lazy_compile(r"(?<![\w.])([b-hj-z])(?:\.\s*|\s+)([a-z]+)\b")  # "j smith", "r.begum"; not "a" or "i"
# A name with a school year or a school: "Jayden in year 3", "sam at Balfour Junior School".
_WITH_SCHOOL_YEAR = lazy_compile(
    rf"(?<![\w'-])({_ANY_WORD})\s+(?:is\s+|who\s+is\s+)?(?i:in\s+(?:year|yr|y)\s*\d{{1,2}}\b|in\s+rec(?:eption)?\b"
    r"|at\s+(?=[A-Z]))"
)
_SCHOOL_NAME = lazy_compile(
    r"\b(?:[A-Z][a-z'-]+\s+){1,4}(?:Junior|Infant|Primary|Secondary|High|Grammar|Academy|College|Nursery|School)"
    r"(?:\s+(?:School|Academy|College))?\b"
)
_WORD = lazy_compile(_ANY_WORD)


# Most of what marks a name needs a capital letter; a message typed all in lower case skips it.
_ANY_CAPITAL = lazy_compile(f"[{_UPPER}]")


def _titled_or_introduced(text: str) -> Iterator[Finding]:
    capitals = _ANY_CAPITAL.search(text) is not None
    for pattern in (_INTRODUCED, _NAME_WITH_AGE) if capitals else ():
        for m in pattern.finditer(text):
            in_words = pattern is _NAME_WITH_AGE and not any(c.isdigit() for c in text[m.end(1) : m.end()])
            if in_words and not _a_persons_name(m.group(1)):
                continue  # "Scouts aged ten", "Year Two (age six)", "Two, three, four children" (a review)
            span = _name_span(text, m.start(1), m.end(1))
            if span:
                yield Finding(NAME, *span)
    for m in _FAMILY.finditer(text) if capitals else ():
        # "the Smith family" and "the Baxter family" name a family (a capital in the middle of the
        # phrase says it is a name, even when the word is English too); "the Traveller family",
        # "the Muslim family" or "the Foster family" do not.
        word = m.group(1)
        capital_name = word[0].isupper() and word.lower() not in NOT_NAMES and word_zipf(word.lower()) < _EVERYDAY_ZIPF
        if _surname_like(word) or capital_name:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _TITLED.finditer(text) if capitals else ():
        # "Mr Smith" is a person; "Mr Tumble" is a television character.
        words = m.group(1).split()
        # ...and "Mrs Dolores Ashdown" a person however common her given name: a surname follows it
        surnamed = len(words) > 1 and (words[-1].lower() in SURNAMES or not is_ordinary(words[-1]))
        named = surnamed or (_could_be_name(words[0]) and not is_ordinary(words[0]))
        # ...and after a title a rarer English word is a surname ("Mr Pell", "Mrs Tickner"): "Mr
        # Tumble", "Mr Men" are commoner words, or public figures
        rare = words[0].isalpha() and word_zipf(words[0].lower()) < _TITLED_ORDINARY_ZIPF
        named = named or (rare and words[0].lower() not in NOT_NAMES)
        if named and not _public_figure(text, m.start(1)):
            yield Finding(NAME, m.start(1), m.end(1))
    cases = capitals and any(w in text for w in _CASE_WORDS)  # a cheap test before the pattern
    for m in _FAMILY_CASE.finditer(text) if cases else ():
        word = m.group(1)
        # not a colour or a word as common ("the Green case" is a RAG rating's)
        common = word_zipf(word.lower()) >= _EVERYDAY_ZIPF
        family_name = word.lower() in SURNAMES or (word_zipf(word) < _ORDINARY_ZIPF and word.lower() not in NOT_NAMES)
        if family_name and _surname_like(word) and not common and not _public_figure(text, m.start(1)):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _FAMILY_BABY.finditer(text) if capitals else ():
        # "the Nwosu baby" (not "the Covid baby"): only a surname or a word English does not know
        if _surname_like(m.group(1)):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _FAMILY_PLURAL.finditer(text) if capitals else ():
        family = m.group(1)
        base = family[:-2] if family.lower().endswith("ses") else family[:-1]
        common = base.lower() in NOT_NAMES or word_zipf(base.lower()) >= 4.0 and base.lower() not in SURNAMES
        # a word that ends in s of itself is no plural ("the Christmas holidays", "the Thames")
        common = common or (word_zipf(family.lower()) >= 4.0 and base.lower() not in SURNAMES)
        the = text[max(0, m.start(1) - 4) : m.start(1)].strip().lower() == "the"
        if not common and the and not _public_figure(text, m.start(1)):  # not "the Dursleys"
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _SURNAME_FAMILY.finditer(text):
        # in lower case only a known surname: a rare lower-case word before "kids" or "home" is far
        # more often a verb or a typo ("battering kids", "his fostor home")
        word = m.group(1)
        lower_ok = word.lower() in SURNAMES or _GAELIC_SURNAME.fullmatch(word.lower()) is not None
        if _surname_like(word) and (word[0].isupper() or lower_ok):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _TITLED_INITIAL.finditer(text):
        yield Finding(NAME, m.start(), m.end())
    for m in _SAID_INITIALS.finditer(text):
        yield Finding(NAME, m.start(1), m.end(1))
    for m in _ARABIC_SURNAME.finditer(text):
        yield Finding(NAME, m.start(1), m.end(1))
    for m in _PARENT_OF.finditer(text):
        word = m.group(1)
        if _lower_case_name(word) or _unknown_name(word) or (word[0].isupper() and _could_be_name(word)):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _LOWER_FAMILY_PLURAL.finditer(text):
        plural = m.group(1).lower()
        base = plural[:-2] if plural.endswith("ses") else plural[:-1]
        gaelic = _GAELIC_SURNAME.fullmatch(base) is not None and word_zipf(base) < 4.5  # "the o'driscolls"
        rare = word_zipf(plural) < (4.0 if gaelic else _ORDINARY_ZIPF)  # wordfreq reads "o'connors" as "connors"
        if (base in SURNAMES or gaelic) and base not in NOT_NAMES and rare:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _LOWER_TITLED.finditer(text):
        low = m.group(1).lower().removesuffix("'s")
        known = low in SURNAMES or (low.isalpha() and word_zipf(low) < 2.5)
        if known and low not in NOT_NAMES and not _public_figure(text, m.start()):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _JOINED_INITIALS.finditer(text) if capitals else ():
        low = m.group(1).lower()
        if low not in NOT_NAMES and word_zipf(low) < _EVERYDAY_ZIPF:
            yield Finding(NAME, m.start(), m.end())
    for m in _LOWER_JOINED_INITIALS.finditer(text):
        low = m.group(1)
        if low not in NOT_NAMES and (low in SURNAMES or word_zipf(low) < _ORDINARY_ZIPF):
            yield Finding(NAME, m.start(), m.end())
    for m in _LOWER_INITIALLED.finditer(text):
        if m.group(2) in SURNAMES:
            yield Finding(NAME, m.start(), m.end())
    for m in _INITIALLED.finditer(text) if capitals else ():
        initial, gap, surname = m.group(1), m.group(2), m.group(3)
        if initial in "AI" and "." not in gap:
            continue  # "A Level", "I Think"
        # "J. Mahoney": an initial with its full stop before a capitalised word is a person
        dotted = "." in gap and word_zipf(surname.lower()) < _EVERYDAY_ZIPF and surname.lower() not in NOT_NAMES
        if dotted or surname.lower() in SURNAMES or (_could_be_name(surname) and not is_ordinary(surname)):
            yield Finding(NAME, m.start(), m.end())


def _extend(text: str, start: int, end: int) -> int:
    """Take in a following surname: "called sam smith", "called Jane Smith"."""
    follow = re.match(rf"\s+({_ANY_WORD})", text[end:])
    if follow is None:
        return end
    word = follow.group(1)
    if word.lower() in SURNAMES or (word[0].isupper() and _could_be_name(word) and not is_ordinary(word)):
        return end + follow.end()
    return end


# A capitalised word where only a person's name fits, whatever else the word can mean ("Summer",
# "Faith", "Hunter"): after "little" or an age ("4 yo Bishal"), before "'s mum" or "in my class",
# after "worried about", or before what a person does ("I noticed River was getting lifts").
_CAPITAL = rf"[{_UPPER}](?:'[{_UPPER}])?[{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_PERSON_PLACES = (
    # ...or a nickname of one capital letter after them ("lil T on our estate"; not "A" or "I")
    lazy_compile(rf"(?i:\b(?:little|lil|baby|young|poor|wee|tiny|big)\s+)({_CAPITAL}\b|[B-HJ-Z](?![\w'.-]))"),
    lazy_compile(
        r"(?i:\b\d{1,2}\s*(?:yo|y/o|yrs?\s*old|years?\s*old|-year-old|month\s*old|months\s*old|mth\s*old)\s+)"
        rf"({_CAPITAL})\b"
    ),
    lazy_compile(
        rf"(?<![\w'-])({_CAPITAL})(?:'s|’s)\s+(?i:{_RELATIVE}|(?:step|half|foster)[\s-]?\w+|nan|nana|nanny|gran|granny"
        r"|grandma|grandad|uncle|aunt|auntie|aunty|cousin|attendance|behaviour|school|class|teacher|house|home|bedroom"
        r"|phone|social\s+worker|sw|key\s*worker|plan|file|case|referral|needs|ehcp)\b"
    ),
    lazy_compile(
        rf"(?<![\w'-])({_CAPITAL}),?\s+(?i:(?:who\s+is\s+|is\s+)?in\s+(?:my|our|his|her|their|the)\s+"
        r"(?:class|tutor\s+group|form|group|set|year|team|club|nurture\s+group))\b"
    ),
    lazy_compile(
        rf"(?i:\b(?:worried|concerned|worry|worries|concerns?|anxious|asking)\s+(?:about|for|re|regarding)\s+)({_CAPITAL})\b"
    ),
    # "Summer in 4B", "Jamal in 10R"
    lazy_compile(rf"(?<![\w'-])({_CAPITAL})\s+(?i:in|from)\s+(?:class\s+)?\d{{1,2}}[A-Za-z]{{1,2}}\b"),
    lazy_compile(
        r"(?i:(?:^|[.!?]\s+|\b(?:advice|view|views|thoughts|question|update|help|info|information|call|query)\s+)"
        r"(?:re|about|on|regarding|for|ref)\s*[:\-]?\s+)"
        rf"({_CAPITAL})\b"
    ),
    lazy_compile(rf"(?i:\b(?:re|regarding)\s*[:\-]?\s+)({_CAPITAL})\b"),  # "quick one re Wojciech"
)
# "referred Denzel", "straight away for Oskar", "engage mr Lakatos": someone acted for
_ACTED_FOR = lazy_compile(
    r"(?i:\b(?:for|with|told|saw|met|referred|refer|referring|supporting|supported|engage|rethink|safeguard"
    r"|protect|protecting)\s+)"
    rf"({_CAPITAL})\b(?!\s+[A-Z])"
    r"(?!\s+(?i:school|academy|primary|infants?|juniors?|college|nursery|road|street|estate|council|police|hospital"
    r"|centre|center|park|station|library|surgery|practice|church|mosque|temple|gurdwara|hub|office)\b)"
)
# "girl in 10B - Chanel - disclosed", "boy from the saturday school, Bogdan, has": a name set off
# by commas, dashes or brackets just after a word for a child
_APPOSITION = lazy_compile(
    r"(?i:\b(?:girl|boy|lad|lass|child|kid|pupil|student|baby|toddler|teen|teenager|young\s+person|yp|son|daughter))"
    rf"\b[^.!?\n]{{0,40}}?\s*[,(\u2013\u2014-]\s*({_CAPITAL})\s*(?=[,)\u2013\u2014-]|$)"
)
# "Kayleigh M had an older boyfriend": a first name and the initial of a surname
_NAME_INITIAL = lazy_compile(rf"(?<![\w'-])({_CAPITAL})\s+[A-Z]\.?(?=\s+[a-z]|[,.;]|$)")
# "lily-mae keeps falling asleep", "jacob in 4W told his TA": names as typed on a phone
_LOWER_DOUBLE = lazy_compile(r"(?<![\w'-])([a-z]+-[a-z]+)\b")
_LOWER_IN_CLASS = lazy_compile(
    r"(?<![\w'-])([a-z]+)\s+in\s+(?:class\s+|year\s+|yr\s*|y)?\d{1,2}[a-z]?\b", re.IGNORECASE
)
# "i think will in yr 4 is being kept up": an everyday name before a year group and what a person does
_EVERYDAY_IN_YEAR_DOING = lazy_compile(
    r"(?<![\w'-])([a-z]+)\s+in\s+(?:yr|year|y)\s*\d{1,2}\s+(?=(?:is|was|has|keeps|came|comes|told|says|said|won't|wont)\b)"
)
# "baby rose is 6 weeks": an everyday name after a child's word and before an age
_CHILD_THEN_EVERYDAY_AGE = lazy_compile(
    r"\b(?:baby|little|lad|girl|boy|toddler)\s+([a-z]+)\s+(?:is|was|turns|turned)\s+\d{1,2}\b"
)
# "dawn's little boy": an everyday name owning a child
_EVERYDAY_OWNS_CHILD = lazy_compile(
    r"(?<![\w'-])([a-z]+)['’]s\s+(?:little\s+|eldest\s+|youngest\s+|new\s+)?(?:boy|girl|son|daughter|baby|kids|children|twins)\b"
)
# "will in my reception class has bruises": an everyday name opening a sentence, before the class
_EVERYDAY_OPENS_IN_CLASS = lazy_compile(
    r"(?:^|[.!?]\s+)([a-z]+)\s+in\s+(?:my|our)\s+(?:[a-z]+\s+)?(?:class|form|group|tutor\s+group)\b"
)
# "worried about will in 3b": an everyday name before a class's code (a number and a letter)
_EVERYDAY_IN_CLASS = lazy_compile(r"\b(?:about|for|with|re)\s+([a-z]+)\s+in\s+\d{1,2}[a-z]\b")
_LOWER_IN_RECEPTION = lazy_compile(r"(?<![\w'-])([a-z][a-z'-]+)\s+in\s+(?:reception|nursery|the\s+nursery)\b")
# "think about hope in my class, she is always hungry", "think of bill, 9, who": an everyday name
# typed in lower case, after what is said about someone and before where they are or their age
_EVERYDAY_LOWER = lazy_compile(
    r"\b(?:about|of|for|with)\s+([a-z]+)(?=\s+in\s+(?:my|our|her|his)\s+(?:class|form|group|tutor)"
    r"|\s+at\s+(?:our|my|the)\s+(?:toddler|nursery|club|group|school|youth)|,\s*\d{1,2},?\s+(?:who|is|has|was)\b"
    r"|,\s*who(?:'s|\s+is)\s+\d{1,2}\b)"
)
_LOWER_IN_GROUP = lazy_compile(
    r"(?<![\w'-])([a-z][a-z'-]+),?\s+(?:who\s+is\s+|is\s+)?in\s+(?:my|our|his|her|their)\s+"
    r"(?:class|tutor\s+group|form|group|set|team|club|squad|u\d{1,2}s?)\b"
)
# "...about thea 7 who lives with an uncle": a rare lower-case word and an age after "about" or "re"
_LOWER_WITH_AGE = lazy_compile(
    r"(?i:\b(?:about|re|regarding|for)\s+)([a-z][a-z'-]+),?\s+\(?\d{1,2}\)?(?=\s*(?:,|who|whose|is|has|yo|y/o|years?|yrs?|$))"
)
# "jake wilkins, 9, said mummys friend hurt me": a lower-case given name and surname, the age set off by commas
# each name word at most 30 letters: unbounded, every "-" in "x-x-x-..." began a word that read to the end
_LOWER_FULL_NAME_AGED = lazy_compile(r"(?:^|[.!?:;-]\s*)([a-z][a-z'-]{1,30})\s+([a-z][a-z'-]{1,30})\s*,\s*\d{1,2}\s*,")
# "georgia 16 pregnant by her step brother": a lower-case given name opening a message, then an age
_LOWER_NAME_OPENS_AGED = lazy_compile(
    r"(?:^|[.!?]\s++)([a-z][a-z'-]+)(?:\s*+,\s++|\s++)(?:1[0-7]|[2-9])\b(?!\s*(?:am|pm|%|mins?|minutes|hours?|weeks?|days?|months?"
    r"|years?\s+ago|times|x|th|st|nd|rd|[:./-]\d))"
)
# "hunter 14 missing from home again", "grace, 15, has told us": an everyday word that is a given name
# too, opening what is said, with an age and then what happens to a child or what one does
_EVERYDAY_OPENS_AGED = lazy_compile(
    r"(?:^|[.!?]\s++)([a-z]+)(?:\s*+,\s++|\s++)(1[0-7]|[2-9])(?:\s*+,\s++|\s++)(?=(?:missing|went\s+missing|ran|runs|told|tells|says|said"
    r"|disclosed|keeps|came\s+in|(?:has|had)\s+been\s+(?:missing|seen|found|taken|arrested|hurt|hit|staying)"
    r"|(?:is|was)\s+(?:missing|pregnant|being|taken|found|seen|picked\s+up|arrested|excluded|living|staying|sleeping)"
    r"|(?:has\s*n[o']?t\s+|not\s+)(?:been\s+)?(?:home|in|seen|brought|collected)|yo|y/o|yrs?\s+old|years?\s+old)\b)"
)
_MONTHS = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november"]
    + ["december"]
)
# "siobhan-louise (8) told me": a name with an age in brackets, typed in lower case
# ...or "summer (she's 6) says", "jay (aged 9)": the age said in words inside the brackets
_LOWER_BRACKET_AGE = lazy_compile(
    r"(?<![\w'-])([a-z][a-z'-]+)\s*\(\s*(?:(?:yr|year|y)\s*|((?:she|he|they)['’]?s\s+|(?:she|he)\s+is\s+|aged?\s+))?"
    r"\d{1,2}\s*+(?:(?:yo|y/o|yrs?|years?(?:\s+old)?)\s*)?\)"
)
# ...but with the age in words, the word before is more often who the child is to someone ("my
# stepson (he's 9)", "the uasc (aged 16)", a review): only a given name or a word English lacks
_NOT_NAMED_IN_BRACKETS = frozenset(["uasc", "uascs", "lac", "cla", "yp", "cyp", "bestie", "besties"])
# "zhang yu is 10 and works in the shop": a lower-case surname and given name (either order) opening
# what is said, then an age
_LOWER_PAIR_OPENS_AGED = lazy_compile(
    r"(?:^|[.!?:\n])[ \t]*+(?:[-*•][ \t]*+)?[\"'(]?"
    r"([a-z][a-z'-]{1,30})\s++([a-z][a-z'-]{1,30})\s++(?:is|was|aged)\s++(?:1[0-7]|[2-9])\b"
    r"(?!\s*(?:am|pm|%|mins?|minutes|hours?|hrs?|weeks?|wks?|days?|months?|mths?|years?\s+ago|times|x|th|st|nd|rd"
    r"|quid|pounds?|p\b|points?|pts|miles?|feet|foot|ft|inch(?:es)?|metres?|meters?|cm|mm|km|kg|lbs?|stone"
    r"|clues|sided|[:./-]\d))"
)
# A person's place, typed in lower case: "spoke to chidinma", "sadia 15 told me", "aneta, a mum",
# "they call him jonjo"
_LOWER_PERSON_PLACE = lazy_compile(
    r"(?:(?i:\b(?:spoke|speak|speaking|talked|talking)\s+(?:to|with)\s+|\bvisit\s+to\s+|\bvisited\s+|\bcase\s+(?:on|of)\s+"
    r"|\bcall(?:s|ed)?\s+"
    r"(?:him|her)\s+|\babout\s+|\bwith\s+|\bfor\s+|\brefer(?:red|ring)?\s+))([a-z][a-z'-]+)\b"
    r"|(?<![\w'-])([a-z][a-z'-]+),?\s+\d{1,2},?\s+(?=(?:told|said|says|has|is|was|keeps|disclosed|seen|came)\b)"
    r"|(?<![\w'-])([a-z][a-z'-]+),\s+(?:a|an|the)\s+(?:mum|dad|mother|father|boy|girl|lad|pupil|student|child|yp|teen"
    r"|baby|toddler|yr|year)\b"
)
# "Deano and his mum", "kayla and her nan": someone named beside their family
_WITH_FAMILY = lazy_compile(
    rf"(?<![\w'-])({_ANY_WORD})\s+(?:and|&)\s+(?i:his|her|their)\s+(?i:mum|mom|mother|dad|father|nan|nana|nanny|gran"
    r"|granny|grandma|grandad|brother|sister|siblings?|family|carers?|step-?dad|step-?mum|twin|cousins?)\b"
)
# "I noticed River was getting lifts": mid-sentence, before what a person does, and not after a
# word that makes it a place or a thing ("at Dockside was", "the Council has").
_PERSON_VERBS = (
    r"keeps|kept|says|said|told|tells|came|comes|went|lives|lived|disclosed|admitted|won't|wont|can't|cant|refuses"
    r"|refused|flinches|cries|cried|hides|hid|ran|runs|arrived|arrives|hit|hits|punched|kicked|screams|screamed"
)
_ACTS = lazy_compile(rf"(?i:(?:(?:has|had|is|was)\s+)?(?:{_PERSON_VERBS}|disclosed|crying|refused|been\s+crying))")
# "Summer has been absent for weeks": away as only a person is (a season is never absent)
_AWAY = lazy_compile(
    r"(?i:(?:has|had)\s+been\s+(?:absent|missing|excluded|off\s+(?:school|sick))|(?:is|was)\s+(?:absent|missing|excluded))\b"
)
_BEFORE_DOING = lazy_compile(
    rf"(?<![\w'-])({_CAPITAL})\s+((?i:(?:has|had|is|was)\s+(?:told|said|disclosed|admitted|crying|refused|been\s+crying)"
    rf"|{_PERSON_VERBS}|was|is|has|had|gets|got|seems|looks|goes|wants|needed|needs"
    r"|doesn't|doesnt|didn't|didnt|isn't|hasn't|hasnt|turned|smells|stinks|bit))\b"
)
# "Jun Li keeps": the given name before a surname that does what a person does
_GIVEN_BEFORE = lazy_compile(rf"(?:^|(?<=[.!?:;,])\s*|(?:^|\s)([a-z]+)\s+)({_CAPITAL})\s+$")
_POSSESSIVE = lazy_compile(rf"(?<![\w'-])({_CAPITAL})(?:'s|’s|s')\s+[\'\"‘“]?[a-z]")
_NOT_BEFORE_DOING_WORDS = "at in on from to near into onto the a an of by via than like and or but with"
_NOT_BEFORE_DOING = frozenset(_NOT_BEFORE_DOING_WORDS.split())
_PERSON_ZIPF = 5.5  # above this a capitalised word is too everyday to be taken for a name ("Will", "May")


# Words that end double first names ("lily-mae", "amelia-rose") and are left out of the given
# names because they are everyday words too.
_DOUBLE_NAME_PARTS = frozenset(
    ["mae", "may", "rose", "grace", "leigh", "rae", "belle", "lou", "jo", "ann", "jay", "skye"]
)


def _lower_names(text: str) -> Iterator[Finding]:
    for m in _LOWER_DOUBLE.finditer(text):
        parts = m.group(1).split("-")
        known = [p in GIVEN_NAMES or p in EVERYDAY_GIVEN_NAMES for p in parts]
        # "lily-mae", and "destiny-jade" too, where no part is a plain word and the whole is no word
        if (
            any(known)
            and all(k or p in _DOUBLE_NAME_PARTS for k, p in zip(known, parts, strict=True))
            and (any(p in GIVEN_NAMES for p in parts) or word_zipf(m.group(1)) == 0.0)
        ):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _LOWER_IN_GROUP.finditer(text):
        if _lower_case_name(m.group(1)) or _rare_lower_name(m.group(1)):
            yield Finding(NAME, m.start(1), m.end(1))
    for pattern in (_EVERYDAY_IN_YEAR_DOING, _CHILD_THEN_EVERYDAY_AGE, _EVERYDAY_OWNS_CHILD):
        for m in pattern.finditer(text):
            low = m.group(1)
            if low in EVERYDAY_GIVEN_NAMES or _lower_case_name(low):
                yield Finding(NAME, m.start(1), m.end(1))
    for m in _EVERYDAY_OPENS_IN_CLASS.finditer(text):
        if m.group(1) in EVERYDAY_GIVEN_NAMES:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _EVERYDAY_IN_CLASS.finditer(text):
        if m.group(1) in EVERYDAY_GIVEN_NAMES:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _LOWER_IN_RECEPTION.finditer(text):
        if _lower_case_name(m.group(1)) or _rare_lower_name(m.group(1)):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _EVERYDAY_LOWER.finditer(text):
        low = m.group(1)
        if low in EVERYDAY_GIVEN_NAMES or _lower_case_name(low) or _rare_lower_name(low):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _LOWER_IN_CLASS.finditer(text):
        word = m.group(1)
        if word.islower() and word in GIVEN_NAMES and word_zipf(word) < _EVERYDAY_ZIPF:
            yield Finding(NAME, m.start(1), m.end(1))


def _person_place_names(text: str) -> Iterator[Finding]:
    yield from _lower_names(text)
    for m in _LOWER_WITH_AGE.finditer(text):
        low = m.group(1)
        rare = word_zipf(low) < _ORDINARY_ZIPF and not _slip_from_american(low)
        if low not in NOT_NAMES and (low in GIVEN_NAMES or rare):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _LOWER_BRACKET_AGE.finditer(text):
        low = m.group(1)
        # a given name, everyday word or not, is one before an age: "mason (yr 6) says"
        given = low in GIVEN_NAMES or low in EVERYDAY_GIVEN_NAMES
        rare = low.isalpha() and word_zipf(low) < _ORDINARY_ZIPF
        if m.group(2):  # the age in words
            if low not in _NOT_NAMED_IN_BRACKETS and (given or _lower_case_name(low) or _unknown_name(low)):
                yield Finding(NAME, m.start(1), m.end(1))
        elif _lower_case_name(low) or (low not in NOT_NAMES and (rare or given)):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _LOWER_PERSON_PLACE.finditer(text):
        group = m.lastindex or 0
        word = m.group(group).removesuffix("'s")
        if _lower_case_name(word) or _unknown_name(word):
            yield Finding(NAME, m.start(group), m.start(group) + len(word))
    for m in _WITH_FAMILY.finditer(text):
        word, low = m.group(1), m.group(1).lower()
        if low in NOT_NAMES or word.isupper():
            continue
        if (
            _lower_case_name(word)
            or _unknown_name(word)
            or (word[0].isupper() and _could_be_name(word) and word_zipf(low) < _ORDINARY_ZIPF)
        ):
            yield Finding(NAME, m.start(1), m.end(1))
    if _ANY_CAPITAL.search(text):
        yield from _capitalised_person_names(text)


def _capitalised_person_names(text: str) -> Iterator[Finding]:
    for m in _NAME_INITIAL.finditer(text):
        word = m.group(1)
        if _could_be_name(word) and (word.lower() in GIVEN_NAMES or not is_ordinary(word)):
            yield Finding(NAME, m.start(), m.end())
    for m in _POSSESSIVE.finditer(text):
        # "Zuzanna's bruising": an uncommon word that owns something is someone
        if _could_be_name(m.group(1)) and not is_ordinary(m.group(1)) and not _public_figure(text, m.start(1)):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _ACTED_FOR.finditer(text):
        word = m.group(1)
        person = _could_be_name(word) and (word.lower() in GIVEN_NAMES or not is_ordinary(word))
        if person and not _public_figure(text, m.start(1)):
            yield Finding(NAME, m.start(1), m.end(1))
    matches = [m for pattern in (*_PERSON_PLACES, _APPOSITION) for m in pattern.finditer(text)]
    for m in _BEFORE_DOING.finditer(text):
        prefix = text[: m.start(1)]
        last = (prefix.rsplit(None, 1) or [""])[-1]  # the word before, found from the end
        if not last or prefix.rstrip()[-1] in ".!?:;":
            # A sentence's first word is capitalised anyway: an English word there is taken for a
            # name only before what a person does ("Storm won't change for PE", not "Lunch was good").
            word, low = m.group(1), m.group(1).lower()
            known = low in GIVEN_NAMES or low in EVERYDAY_GIVEN_NAMES or not is_ordinary(word)
            # ...and only a word that can be a name: "Referral went in on Friday" is about a form
            acts = _ACTS.fullmatch(m.group(2)) or _AWAY.match(text, m.start(2))
            if (acts and known) or (_could_be_name(word) and not is_ordinary(word)):
                matches.append(m)
        # mid-sentence, not after a capitalised word, which makes it part of a place's or a
        # service's name ("Gun Wharf was busy"), nor after a preposition ("at Dockside was")
        elif last.islower() and last.strip(",") not in _NOT_BEFORE_DOING:
            matches.append(m)
        elif _ACTS.fullmatch(m.group(2)) and m.group(1).lower() in SURNAMES:
            yield from _given_and_surname(text, m)
    for m in matches:
        low = m.group(1).lower()
        if low in NOT_NAMES or low.removesuffix("s") in NOT_NAMES or (len(low) > 1 and word_zipf(low) >= _PERSON_ZIPF):
            continue
        yield Finding(NAME, m.start(1), m.end(1))


def _given_and_surname(text: str, m: re.Match[str]) -> Iterator[Finding]:
    """A given name, or a word English hardly knows, before a surname that does what a person
    does ("Jun Li keeps wetting himself"), and not after a preposition ("at Gun Wharf")."""
    given = _GIVEN_BEFORE.search(text, max(0, m.start(1) - 40), m.start(1))
    if given is None or (given.group(1) or "") in _NOT_BEFORE_DOING:
        return
    first, last = given.group(2).lower(), m.group(1).lower()
    if first not in NOT_NAMES and last not in NOT_NAMES and (first in GIVEN_NAMES or word_zipf(first) < 4.5):
        yield Finding(NAME, given.start(2), m.end(1))


# a child, then the cue: "a 13yo called", "little one named", "a girl in year 4 called"
_CHILD_CALLED = lazy_compile(
    r"(?i:\b(?:boy|girl|lad|lass|kid|child|baby|toddler|teen|teenager|pupil|student|son|daughter|little\s+one|young\s+person"
    r"|yp|\d{1,2}\s*(?:yo|y/o|yrs?\s*old|years?\s*old|-year-old))\b[^.!?]{0,12}?\s(?:called|named|known\s+as)\s+$)"
)
_STRONG_CUE = lazy_compile(
    r"(?i:named|known\s+as|goes\s+by|names?\s+(?:is|are|was|were)|name's|call(?:s|ed)?\s+(?:him|her))\s+$"
)
_CALLED_BEFORE = lazy_compile(r"(?i:\bcall(?:s|ed)?\s+(?:him|her)\s+)$")
_EVERYDAY_ZIPF = 5.0  # at or above this a word is too common to be a name even after a relative ("mum Said")


def _given(low: str) -> bool:
    return low in GIVEN_NAMES or low in EVERYDAY_GIVEN_NAMES


_NAMED_ROLE = lazy_compile(r"(?i:\b(?:the|our|a|their|your|my)\s+named\s+$)")


def _overlapping(pattern: LazyPattern, text: str) -> Iterator[re.Match[str]]:
    """Each match, the next searched from where this one's word starts: in "mum's friend Mark"
    the word after "mum's" is "friend", and "friend Mark" is a relative and a name too."""
    at = 0
    while (m := pattern.search(text, at)) is not None:
        yield m
        at = max(m.start(1), m.start() + 1)


def _cued_names(text: str) -> Iterator[Finding]:
    for pattern in (_CUED, _RELATIVE_THEN_NAME, _WITH_SCHOOL_YEAR):
        for m in _overlapping(pattern, text):
            word, low = m.group(1), m.group(1).lower()
            capital = word[0].isupper() and not word.isupper()
            strong = pattern is _CUED and _STRONG_CUE.search(text[max(0, m.start(1) - 20) : m.start(1)]) is not None
            # "a boy called Brook": a child said to be called it, whatever else the word names (a blind audit)
            child_called = (
                pattern is _CUED and capital and _CHILD_CALLED.search(text[max(0, m.start(1) - 30) : m.start(1)])
            )
            if (low in NOT_NAMES and not child_called) or (word.isupper() and len(word) > 2):
                ok = False
            elif pattern is _CUED and _NAMED_ROLE.search(text[max(0, m.start(1) - 20) : m.start(1)]):
                ok = False  # "the named Dr for safeguarding", "our named nurse": a statutory role
            elif pattern is _CUED and _AGE_AFTER.match(text, m.end(1)) and _given(low):
                ok = True  # "a kid called hope, 11,": a name with an age, however everyday the word
            elif child_called and (_given(low) or low in NOT_NAMES):
                ok = True  # "a 13yo called Autumn", "a little one called Faith": a child's name, with its capital
            elif strong and capital:  # "the others call him Stretch", "goes by Sunny": a capital says a name
                ok = word_zipf(low) < _PERSON_ZIPF
            elif strong:  # "known as jj", "named ruby-mae": anything but an everyday word or a misspelt one
                # what others call a child in lower case is often an insult ("they call him smelly")
                called = _CALLED_BEFORE.search(text[max(0, m.start(1) - 12) : m.start(1)]) is not None
                # ("calls her worthles", "calls her usless"); short nicknames are often a slip from a word
                shortest = 5 if called else 7
                misspelt = len(low) >= shortest and low not in GIVEN_NAMES and _one_slip_from_english(low)
                common = _ORDINARY_ZIPF if called else 4.0
                ok = not misspelt and (_could_be_name(word) or _lower_case_name(word) or word_zipf(low) < common)
            elif capital and pattern is _RELATIVE_THEN_NAME:  # "dad Wayne", "aunt Shirley"
                # a capital mid-sentence after a relative is a name even when the word is everyday
                # ("her uncle Mark touches her", "mum's friend Mark"), up to "Will" and "May"
                ok = word_zipf(low) < _PERSON_ZIPF and low.replace("-", "").replace("'", "").isalpha()
            elif capital:
                ok = _could_be_name(word) and (low in GIVEN_NAMES or not is_ordinary(word))
            else:
                ok = _lower_case_name(word)
            if ok:
                yield Finding(NAME, m.start(1), _extend(text, m.start(1), m.end(1)))


def _listed_names(text: str) -> Iterator[Finding]:
    """Lists of given names: "Kayden, Tyler and Mia", "kayden, tyler and mia"."""
    run: list[re.Match[str]] = []
    for m in _WORD.finditer(text):
        if m.group().lower() == "and":
            continue
        gap = text[run[-1].end() : m.start()] if run else ""
        full_name = gap.isspace() and len(gap) == 1 and run[-1].group()[0].isupper() and m.group()[0].isupper()
        if not run or (_LIST_GAP.fullmatch(gap) is None and not full_name):
            yield from _names_in_list(run)
            run = []
        run.append(m)
    yield from _names_in_list(run)


_LIST_GAP = lazy_compile(r"\s*,\s*|\s+(?:and|&)\s+|\s*,\s*(?:and|&)\s+")


def _listed_name(word: str) -> bool:
    return word.lower() in GIVEN_NAMES or (word[0].isupper() and _could_be_name(word) and not is_ordinary(word))


def _names_in_list(run: list[re.Match[str]]) -> Iterator[Finding]:
    names = [m for m in run if _listed_name(m.group())]
    if len(run) >= 2 and len(names) >= 2 and len(names) * 2 > len(run):
        for m in names:
            yield Finding(NAME, m.start(), m.end())


# Given names that also start ordinary sentences ("Max 5 per session", "Holly and ivy").
_WORD_NAMES_TEXT = "max dawn jean jordan heather willow phoenix rowan ivy holly ruby jade daisy poppy piper harper"
_WORD_NAMES = frozenset(_WORD_NAMES_TEXT.split())


_FIGURE = lazy_compile(
    r"(?i)(?<![\w'-])(?:"
    + "|".join(re.escape(f) for f in sorted(_PUBLIC_FIGURES, key=len, reverse=True))
    + r")(?![\w-])"
    # a named storm ("Storm Darragh shut our school"), not a child called Storm
    + r"|(?<![\w'-])Storm\s+[A-Z][a-z]+(?=\s+(?:shut|closed|hit|hits|caused|brought|blew|meant|disrupted|damaged"
    + r"|cancelled|knocked|flooded|warning|warnings|is\s+coming|was\s+forecast)\b)"
)
# The same in any case, and a colleague by their post: read only when "storm", "my" or "our" is in the text
_STORM_OR_POST = lazy_compile(
    r"(?<![\w'-])(?i:storm\s+[a-z]+)(?=(?:\s+(?:that|which))?\s+(?:shut|closed|hit|caused|brought|blew|meant|disrupted"
    + r"|damaged|cancelled|knocked|flooded|took|left|cut|tore|ripped|battered|got|likely|going|expected|due|will"
    + r"|might|may|could)\b)"
    # "another storm like Darragh"
    + r"|(?<=\blike\s)(?<=storm\slike\s)[A-Z][a-z]+\b"
    # "after storm darragh lots of families ...": a storm by when it came, in any case
    + r"|(?:(?<=\bafter\s)|(?<=\bduring\s)|(?<=\bsince\s)|(?<=\bbefore\s))(?i:storm\s+[a-z]+)\b"
    # "my dsl mrs patel is on leave": a colleague by their post, not a child's family
    + r"|(?:(?<=\bmy\s)|(?<=\bour\s))(?i:(?:deputy\s+)?(?:dsl|senco|manager|line\s+manager|supervisor|team\s+leader"
    + r"|headteacher|head|boss|practice\s+manager|mentor"
    + r"|(?:youth|social|support|link|family\s+support|outreach)\s+worker)"
    + r"\s+(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?[a-z][a-z'-]+)\b"
    + r"(?=\s+(?:is|was|has|said|says|told|will|can|cant|can't|isnt|isn't|wasnt|wasn't|had|thinks|thought|asked"
    + r"|suggested|off|away)\b)"
    # "Our CAMHS link worker, Tom, is brilliant": a professional by their post
    + r"|(?:(?<=\b[Mm]y\s)|(?<=\b[Oo]ur\s))(?i:(?:[\w-]+\s+){0,2}?(?:worker|lead|officer|nurse|practitioner"
    + r"|coordinator|advisor|adviser|manager|link|consultant|visitor|therapist|psychologist|governor|trainer)\s*,\s*"
    + r"[a-z][a-z'-]+)(?=\s*,)"
)


def _storm_or_post_may_be_named(text: str) -> bool:
    lowered = text.lower()
    return "storm" in lowered or "my " in lowered or "our " in lowered


def _public_figure(text: str, start: int) -> bool:
    if _FIGURE.match(text, start) is not None:
        return True
    if _storm_or_post_may_be_named(text) and _STORM_OR_POST.match(text, start) is not None:
        return True
    # a saying is short: look only round the word, so a long text is not read again for every name in it
    return any(m.start() <= start < m.end() for m in _IDIOM.finditer(text, max(0, start - 40), start + 40))


# Sayings with names in them: "robbing Peter to pay Paul", "like Tom and Jerry", "Bob's your uncle"
_IDIOM = lazy_compile(
    r"(?i:\brob(?:bing|bed|s)?\s+peter\s+to\s+pay\s+paul\b|\btom\s+and\s+jerry\b|\btom,?\s+dick\s+(?:and|&)\s+harry\b"
    r"|\bbob'?s\s+your\s+uncle\b|\bdoubting\s+thomas\b|\bnosey?\s+parker\b|\bsmart\s+alec\b|\bjack\s+the\s+lad\b"
    r"|\beven\s+stevens\b|\bclever\s+clogs\b|\bjack\s+in\s+the\s+box\b|\bthe\s+dursleys?\b)"
)


# Who a child admires or plays at is a star or a character: "wants to be Saka or Kane".
_ADMIRES = lazy_compile(
    r"(?i:\b(?:wants?\s+to\s+be|pretends?\s+to\s+be|thinks\s+(?:s?he|they)(?:'s|\s+is|\s+are)|idoli[sz]es|obsessed\s+with"
    r"|fan\s+of|dressed\s+(?:up\s+)?as|dresses\s+up\s+as|plays\s+as|posters?\s+of|videos?\s+(?:of|by))\s++)"
    r"([^.,;:!?]{1,48}?)(?=\s+(?:when|because|cos|but|and\s+(?:he|she|they|mum|dad))\b|[.,;:!?]|$)"
)
_JOINED = lazy_compile(r"\s*(?:,|and|or|&)\s*")


# A published review is known by the name it was given ("the Andy review 2022", "LCSPR Julia",
# "the Julia and Laura 7 minute briefing"); a child's own review is theirs ("Tyler's CP review").
_REVIEW_NAMES = rf"({_CAPITAL}(?:\s*(?:,|and|&)\s*{_CAPITAL})*)"
_PUBLISHED_REVIEW = lazy_compile(
    rf"(?<![\w'-]){_REVIEW_NAMES}\s+(?:\d+[\s-]?minute\s+)?(?i:(?:learning\s+)?briefing"
    r"|(?:family\s+)?(?:learning\s+|practice\s+|case\s+)?review\s+\(?(?:\d{4}|learning|briefing|report|findings"
    r"|recommendations)|(?:national|serious\s+case|safeguarding\s+practice|child\s+safeguarding\s+practice)\s+review)\b"
    rf"|(?i:\b(?:lcspr|cspr|scr|learning\s+review|practice\s+review|serious\s+case\s+review)\s+(?:into\s+)?){_REVIEW_NAMES}"
    # "the 7 minute briefing for Julia and Laura"
    rf"|(?i:\b(?:briefing|review|lcspr|cspr)\s+(?:for|on|about|into)\s+){_REVIEW_NAMES}"
)
# Who ran the training is staff, not a child or family: "Sarah the trainer", "Dave from Kent
# Police", "thanks to Priya", "Mrs Harris ran the session".
_STAFF = lazy_compile(
    rf"(?<![\w'-])((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{_CAPITAL}(?:\s+{_CAPITAL})?)\s+(?:"
    r"(?:the|our|my)\s+(?i:trainer|facilitator|presenter|speaker|tutor|course\s+lead|co-?trainer)"
    r"|from\s+(?:the\s+)?(?:[A-Z][\w'-]*\s+){0,3}(?i:police|council|nhs|camhs|health|social\s+care|children's\s+services"
    r"|early\s+help|barnardo's|nspcc|the\s+partnership|mscp|school\s+nursing|probation|youth\s+justice|lado|mash"
    r"|front\s+door|first\s+response|business\s+unit|training\s+team|family\s+hub"
    r"|our\s+team|my\s+team|our\s+school|our\s+setting|our\s+service)"
    r"|(?i:ran|delivered|led|presented|facilitated|taught|trained)\s+(?:the\s+|this\s+|us\s+|it\b)"
    r")"
    rf"|(?i:\b(?:trainers?|facilitators?|presenters?|speakers?|tutors?|thanks\s+to|thank\s+you(?:\s+to)?)"
    r"(?:\s+(?:were|was|are|is)|\s*:)?\s*,?\s+)"
    # "The trainer, Angela Fairbrother", "Thanks to Mr Patel and Jo"
    rf"((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{_CAPITAL}(?:\s+{_CAPITAL})?"
    rf"(?:\s+(?:and|&)\s+(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{_CAPITAL}(?:\s+{_CAPITAL})?)?)"
)
# "my manager Kelly", "the trainer Mr Okafor", "Deborah's session", "Sinead and I (both TAs)"
_COLLEAGUE = lazy_compile(
    r"(?i:\b(?:my|our|the)\s+(?:manager|line\s+manager|colleague|supervisor|team\s+leader|deputy|head|dsl|senco"
    r"|trainer|facilitator|presenter|tutor)\s*,?\s+)"
    rf"((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{_CAPITAL})"
    rf"|(?<![\w'-])((?:(?:Dr|Mr|Mrs|Ms|Miss)\.?\s+)?{_CAPITAL}(?:\s+{_CAPITAL})?)(?:'s|’s)\s+(?:[\w-]+\s+){{0,2}}?(?i:training|course"
    r"|presentation|slides|workshop|session|teaching|talk|keynote|lecture|worked\s+examples|examples|handouts|resources"
    r"|case\s+studies|activities|exercises|delivery|stories|anecdotes|experience|knowledge|energy|passion|humour"
    r"|explanations?|examples|demonstration|role[\s-]?play"
    r"|webinar)\b"
    # "Gareth's part on fathers", "Sue's session about neglect": what the trainer took
    rf"|(?<![\w'-])({_CAPITAL}(?:'s|’s))\s+(?i:part|session|section|bit|slot|input|talk|module|segment)\s+"
    r"(?i:on|about|around|covering)\b"
    # "Michelle had to rush the end": a trainer short of time
    rf"|(?<![\w'-])({_CAPITAL})\s+(?i:had\s+to|having\s+to|needed\s+to)\s+(?i:rush|skip|hurry|cut|speed|race)\b"
    rf"|(?:^|[.!?]\s+)({_CAPITAL})\s+and\s+I\b"
    rf"|(?<![\w'-])((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{_CAPITAL}(?:\s+{_CAPITAL})?)\s+(?:was|is)\s+(?:a|an|the|our)\s+"
    r"(?:\w+\s+)?(?i:trainer|facilitator|presenter|speaker|tutor)\b"
    rf"|(?i:\b(?:trainer|facilitator|presenter|tutor)\s*(?:,\s*|\(\s*|\s+))((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{_CAPITAL})"
    # "Sandra was very knowledgeable", "Priya handled it really well", "delivered by Sam": praise of who
    # ran the training, in a comment about it
    rf"|(?<![\w'-])({_CAPITAL})\s+(?:was|is)\s+(?:(?:really|very|so|extremely|incredibly|super)\s+)?(?i:knowledgeable"
    r"|approachable|brilliant|fantastic|excellent|amazing|engaging|informative|inspiring|passionate|clear|friendly"
    r"|welcoming)\b"
    rf"|(?<![\w'-])({_CAPITAL})\s+handled\s+(?:it|the\s+(?:questions|group|discussion|session|room|tech)|everything)\b"
    rf"|(?<![\w'-])({_CAPITAL})\s+explained\s+(?:the|it|how|what|why|each|all|everything)\b(?!\s+(?:that|she|he)\b)"
    rf"|(?i:\b(?:delivered|presented|facilitated)\s+by\s+)((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{_CAPITAL}(?:\s+{_CAPITAL})?)"
    rf"|(?i:\b(?:thanks|thank\s+you|cheers|ty)\s*,?\s+)({_CAPITAL}(?:\s*(?:,|and|&)\s*{_CAPITAL})*)\b"
    # "ask Hannah, my manager, to come", "Jo (our DSL) booked it"
    rf"|(?<![\w'-])({_CAPITAL})\s*[,(\u2013\u2014-]\s*(?:my|our)\s+(?i:(?:line\s+|deputy\s+)?(?:manager|colleague"
    r"|supervisor|team\s+leader|team\s+manager|deputy|head|headteacher|dsl|senco|mentor|boss|practice\s+lead))\b"
    # "Dawn and Kev made it fun and relevant": praise of who ran the day
    rf"|(?<![\w'-])({_CAPITAL}(?:\s*(?:,|and|&)\s*{_CAPITAL})*)"
    # "Clare and Mo on the domestic abuse day were brilliant"
    r"(?:\s+(?i:on|from|at)\s+the\s+(?:[\w-]+\s+){0,4}?(?i:day|course|session|training|module|workshop))?"
    r"\s+(?i:made\s+(?:it|the\s+(?:[\w-]+\s+){0,2}?(?:day|session|course|workshop|webinar"
    r"|training))\s+(?:really\s+|so\s+|very\s+)?(?:fun|interesting|relevant|engaging|enjoyable|easy|informative"
    r"|accessible|memorable|lively)"
    r"|were\s+(?:really\s+|so\s+)?(?:brilliant|great|fantastic|excellent|amazing|knowledgeable|engaging)"
    r"|made\s+(?:it|the\s+(?:[\w-]+\s+){0,2}?[\w-]+)\s+(?:feel|seem)\s+(?:so\s+|really\s+|very\s+)?(?:real|relevant|safe|easy"
    r"|doable|manageable|human|practical))\b"
)
# "The Graded Care Profile 2 course with Angela Hirst", "as Marcus Ellery suggested in the session": who ran
# the training, on any path
_TRAINER_OF_THE_COURSE = lazy_compile(
    r"(?i:\b(?:course|session|training|workshop|webinar|module|day|refresher|version)\s+"
    r"(?:on\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+)?[a-z]+\s+)?"
    r"(?:with|by|from|run\s+by|led\s+by|delivered\s+by)\s+)"
    rf"((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{_CAPITAL}(?:\s+{_CAPITAL})?)"
    # "the session Rachel Hughes ran on professional curiosity"
    r"|(?i:\b(?:course|session|training|workshop|webinar|module)\s+)"
    rf"((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{_CAPITAL}(?:\s+{_CAPITAL})?)\s+(?i:ran|led|delivered|did|gave|taught|presented)\b"
    rf"|(?i:\bas\s+)({_CAPITAL}(?:\s+{_CAPITAL})?)\s+(?i:suggested|said|explained|showed|recommended|advised"
    r"|pointed\s+out|put\s+it)\b(?=[^.!?]{0,40}\b(?i:session|course|training|workshop|day)\b)"
)
# "I'm Emma, a HV in Strood": the asker giving their own name and post (not "I'm Emma, 14")
_ROLE_WORDS_OF_ASKERS = (
    r"hv|health\s+visitor|sw|social\s+worker|fsw|nurse|midwife|gp|teacher|ta|dsl|ddsl|senco|childminder|youth\s+worker"
    r"|police\s+officer|pcso|officer|practitioner|worker|manager|lead|coordinator|volunteer|coach|trainer"
)
_ASKER_INTRODUCED = lazy_compile(
    rf"(?:^|[.!?]\s+)(?i:hi,?\s+|hello,?\s+)?(?i:i'?m|i\s+am|my\s+name\s+is|this\s+is)\s+({_CAPITAL})\s*,\s*"
    rf"(?i:(?:a|an|the)\s+(?:[\w'’-]+\s+){{0,2}}?(?:{_ROLE_WORDS_OF_ASKERS}))(?![\w'’-])"
)
# "HV Sarah from the Gillingham team says": a colleague by the abbreviation of their post
_COLLEAGUE_BY_ABBREVIATION = lazy_compile(rf"(?i:\b(?:hv|sw|fsw)\s+)({_CAPITAL})\s+(?:from|at|in)\s+(?i:the|our)\b")


def asker_spans(text: str) -> list[tuple[int, int]]:
    """The asker's own name given with their post, and a colleague named by an abbreviated post, in a
    question (a lookup), where neither is anyone the guard protects; none when the text is about what
    someone did ("This is Darren, a coach who has been messaging a yr 9 girl"). Not for a survey
    comment, where the answerer's own name would link the answer to them."""
    if _ABOUT_THEIR_CONDUCT.search(text):
        return []
    spans = [m.span(1) for m in _ASKER_INTRODUCED.finditer(text)]
    return spans + [m.span(1) for m in _COLLEAGUE_BY_ABBREVIATION.finditer(text)]


# "Dr Patel here (GP) - generally ...": the asker giving their own name
_ASKER_HERE = lazy_compile(
    rf"(?:^|[.!?]\s+)((?:(?:Dr|Mr|Mrs|Ms|Miss)\.?\s+)?{_CAPITAL}(?:\s+{_CAPITAL})?)\s+here\b(?=\s*(?:[(,:-]|\u2013|\u2014))"
)
# "Michelle in the business unit", "thanks Priya for organising the celebration", "did Gemma say the slides
# ...": the partnership's own staff, a colleague thanked for an errand, a trainer asked about their session
_PARTNERSHIP_STAFF = lazy_compile(
    rf"(?<![\w'-])({_CAPITAL})\s+(?:in|from|at)\s+the\s+(?i:business\s+unit|training\s+team|safeguarding\s+team"
    r"|partnership\s+team|learning\s+and\s+development\s+team|l&d\s+team|comms\s+team|admin\s+team)\b"
    # "Kim from Early Help", "Lisa at the MASH", "Priya from the LADO team": the staff of a children's service
    # (not "Tyler from the MASH referral", a child by the form about them; someone "from Kent Police" may be a
    # parent who is an officer, so a lookup still warns). Not a service a child is open to or attends: a
    # review found "Jayden from YOT has been arrested again" and "Kayden at CAMHS" kept in a survey comment.
    rf"|(?<![\w'-])({_CAPITAL}(?:\s+{_CAPITAL})?)\s+(?:in|from|at)\s+(?:the\s+)?(?i:early\s+help|mash|lado"
    r"|first\s+response|front\s+door|children'?s\s+social\s+care|social\s+care|children'?s\s+services"
    r"|school\s+nursing|health\s+visiting|the\s+partnership|mscp)\b(?:\s+(?i:team|service))?"
    r"(?!\s+(?i:referral|contact|case|list|report|plan|file|meeting\s+about|station|custody|cells|car|van))"
    r"(?!\s+(?i:is|was)\s+(?:(?i:a|an|only|just)\s+)?\d)"  # "Mia Khan at the MASH is a 15 year old": a child
    # "My manager, Karen Lewis, signed off", "Our DSL is Mr Adeyemi": a professional, by their role
    r"|(?i:\b(?:my|our)\s+(?:line\s+)?(?:manager|dsl|deputy\s+dsl|senco|supervisor|team\s+leader|headteacher"
    r"|head\s+teacher|practice\s+manager)\s*(?:,|\bis\b|\bwas\b)\s*)"
    rf"((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{_CAPITAL}(?:\s+{_CAPITAL})?)"
    # "health visitor Sarah from the Gillingham team", "Dr Osei at our practice", "Dr Amir from the ICB"
    r"|(?i:\b(?:health\s+visitor|social\s+worker|school\s+nurse|midwife|family\s+support\s+worker|youth\s+worker"
    rf"|police\s+officer|pc|gp)\s+)({_CAPITAL})\s+(?:from|at|in)\s+(?i:the|our)\b"
    rf"|(?<![\w'-])((?:Dr|Doctor)\.?\s+{_CAPITAL})\s+(?:at|from|in)\s+(?i:our|the)\s+(?i:practice|surgery|hospital|clinic"
    r"|team|ward|icb|trust|council)\b"
    # "my colleague Dave from housing": a professional, by where they work
    rf"|(?i:\b(?:my|our|a)\s+(?:colleague|co-worker|manager|supervisor|team\s+leader)\s+)({_CAPITAL})\s+"
    r"(?:from|in|at)\s+(?i:the\s+)?(?i:housing|social\s+care|children'?s\s+services|early\s+help|police|health"
    r"|school|nursery|college|camhs|probation|yot|youth\s+service|the\s+council|council|school\s+nursing)\b"
    rf"|(?i:\b(?:thanks|thank\s+you|thank\s+u|thx|cheers)\s*(?:to\s+)?,?\s*)({_CAPITAL})\s+(?i:for\s+(?:organising|organizing"
    r"|arranging|sorting|booking|sending|sharing|chasing|covering|hosting|setting\s+up|the\s+reminder"
    r"|(?:the|your)\s+(?:bulletin|briefing|slides|link|update|newsletter|email|resources)"
    r"|(?:her|his|their|your)\s+(?:patience|advice|input|support|guidance|help)))\b"
)
_ON_AIR = lazy_compile(
    rf"(?<![\w'-])({_CAPITAL}(?:\s+{_CAPITAL})?)\s+(?:on|at)\s+(?:the\s+)?(?i:radio|tv|telly|bbc(?:\s+\w+)?|itv|channel\s+\d"
    r"|news|podcast)\s+(?i:(?:this\s+morning\s+|today\s+|last\s+night\s+)?(?:talking|speaking)\s+about)\b"
)
_TRAINER_ASKED_OR_EXPLAINING = lazy_compile(
    rf"(?i:\b(?:did|has|can|could|will|would)\s+)({_CAPITAL})\s+(?i:say|said|send|share|mention|email|confirm|put)\b"
    rf"|(?<![\w'-])({_CAPITAL})\s+(?i:explained|walked\s+us\s+through|talked\s+us\s+through|demonstrated|modelled)\b"
)
# "Priya and Tom delivered the thresholds course": who ran it, in a survey comment
_RAN_THE_COURSE = lazy_compile(
    rf"(?<![\w'-])({_CAPITAL}(?:\s*(?:,|and|&)\s*{_CAPITAL})*)\s+(?i:delivered|ran|led|presented|facilitated)\s+"
    r"(?i:the|this|that|our)\s+(?:[\w-]+\s+){0,3}?(?i:course|session|training|day|workshop|webinar|module)\b"
)
# "the Josh MacAlister review", "the Munro report": a published review by its author
_AUTHORED_REVIEW = lazy_compile(
    r"\b(?i:the)\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})\s+(?i:review|report|inquiry)\b"
    # "Josh MacAlister's review"
    r"|\b([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}['’]s)\s+(?i:review|report|inquiry)\b"
)
# "the Serious Crime Act 2015": the words of a law's name
_LAW = lazy_compile(r"\b((?:[A-Z][a-z]+\s+){1,5})Act\b")
# "National Child Exploitation Awareness Day", "Anti-Bullying Week": the words of an event's name
_EVENT = lazy_compile(
    r"\b((?:National|International|World|Safer)\s+(?:[A-Z][a-z'-]+\s+){0,5}"
    r"|(?:[A-Z][a-z'-]+\s+){0,4}(?:Awareness|Safety|Anti-Bullying|Internet|Safeguarding|Kindness|Carers|Wellbeing)\s+"
    r"(?:[A-Z][a-z'-]+\s+){0,2})(?:Day|Week|Month|Fortnight)\b"
)
# "the Sweeps Festival in Rochester": a public event by its name
# "a Jehovah's Witness family": a faith, not a person
_FAITH_GROUP = lazy_compile(r"\b(Jehovah(?:'s|’s)?)\s+(?i:witness(?:es)?)\b")
_FESTIVAL_WORDS = ("festival", "carnival", "fair", "parade", "regatta", "show", "conference", "weekend")
_FESTIVAL = lazy_compile(
    r"\b((?:[A-Z][a-z'-]+\s+){1,3})(?:Festival|Carnival|Fair|Parade|Regatta|Show"
    # "the Sweeps festival", "the Dockyard conference", "the Sweeps weekend"
    r"|(?i:festival|conference|weekend))\b"
)
# "across Walderslade and Lordswood": the places someone works in
_WORK_PLACES = lazy_compile(
    r"(?i:\b(?:across|covering|cover|covers|based\s+in|work\s+in|works\s+in|working\s+in)\s+)"
    rf"({_CAPITAL}(?:\s*(?:,|and|&)\s*{_CAPITAL})*)"
)
# "St John Ambulance", "St Mary's": a saint's name belongs to a church, a school or a charity.
_SAINT = lazy_compile(rf"\b(?:St\.?|Saint)\s+({_CAPITAL})")


# A rating's colour, not a girl called Amber: "Amber on our school's tracker", "amber, maybe red",
# "red or amber?"
_RAG = r"(?:red|amber|green)"
_RAG_COLOUR = lazy_compile(
    rf"(?i:\b{_RAG}(?:\s*[,/]\s*|\s+(?:or|to|then|and)\s+|\s+)"
    rf"(?:(?:maybe|possibly|probably|or|even|bordering(?:\s+on)?)\s+)?{_RAG}\b"
    rf"|\b{_RAG}\s+(?:on|in)\s+(?:our|the|their|a|my|your)\s+(?:[\w']+\s+){{0,3}}?"
    r"(?:tracker|rag|system|scale|chart|matrix|tool|cpoms|myconcern|rating|risk\s+assessment)\b"
    # "an amber rag rating", "does amber mean additional"
    rf"|\b{_RAG}\s+(?:rag|rating|rated|flag|status|category|means?|meaning)\b|\b(?:does|is)\s+{_RAG}\s+mean\b"
    rf"|\b{_RAG}\s+(?:at|in)\s+(?:every|each|the\s+last|our)\s+(?:core\s+group|meeting|review|conference|panel)s?\b)"
)


def figure_spans(text: str) -> list[tuple[int, int]]:
    """Where characters, public figures, published reviews and saints are named ("Peppa Pig",
    "Miss Rachel", whoever a child "wants to be", "the Andy review 2022", "St John Ambulance"):
    no name found inside one is a person to protect."""
    spans = [m.span() for m in _FIGURE.finditer(text)]
    if _storm_or_post_may_be_named(text):
        spans += [m.span() for m in _STORM_OR_POST.finditer(text)]
    spans += [m.span(1) for m in _ADMIRES.finditer(text)]
    for m in _PUBLISHED_REVIEW.finditer(text):
        spans.append(m.span(1) if m.group(1) else m.span(2))
    spans += [m.span(1) for m in _SAINT.finditer(text)]
    lowered = text.lower()  # a cheap test before the pattern
    if "red" in lowered or "amber" in lowered or "green" in lowered:
        spans += [m.span() for m in _RAG_COLOUR.finditer(text)]
    spans += [m.span(1) for pattern in (_LAW, _EVENT, _WORK_PLACES) for m in pattern.finditer(text)]
    # the patterns below each need a word most texts lack, so that word is looked for first
    spans += [m.span(1) for m in _FESTIVAL.finditer(text)] if any(w in lowered for w in _FESTIVAL_WORDS) else []
    spans += [m.span(1) for m in _FAITH_GROUP.finditer(text)] if "witness" in lowered else []
    if "review" in lowered or "report" in lowered or "inquiry" in lowered:
        spans += [m.span(m.lastindex or 0) for m in _AUTHORED_REVIEW.finditer(text)]
    training = _TRAINING_TALK.search(text) is not None
    # "The session on trauma was the best in years - thank you, Louise": thanks by a capitalised name for the
    # training, on any path (lower-case thanks stay a survey comment's only: tests/test_safety.py)
    for m in _THANKED_BY_NAME.finditer(text) if training else ():
        spans += [m.span(k) for k in (1, 2) if m.group(k)]
    if training or "day" in lowered or "webinar" in lowered:
        spans += [m.span(m.lastindex or 0) for m in _TRAINER_OF_THE_COURSE.finditer(text)]
    spans += [m.span(1) for m in _ASKER_HERE.finditer(text)] if "here" in lowered else []
    staff_words = (
        " the ",
        "thank",
        "thx",
        "cheers",
        "colleague",
        "manager",
        "supervisor",
        "leader",
        "dsl",
        "our ",
        "from ",
        " at ",
    )
    if any(w in lowered for w in staff_words):
        spans += [m.span(m.lastindex or 0) for m in _PARTNERSHIP_STAFF.finditer(text)]
    if "talking" in lowered or "speaking" in lowered:
        spans += [m.span(1) for m in _ON_AIR.finditer(text)]
    if training:  # only where the text is about a session
        spans += [m.span(m.lastindex or 0) for m in _TRAINER_ASKED_OR_EXPLAINING.finditer(text)]
    return spans


def staff_spans(text: str) -> list[tuple[int, int]]:
    """Where a survey comment names who ran the training ("Sarah the trainer"): staff, not a
    child or family, so the comment keeps them. Lookups do not use this: a worry about a named
    adult may still be a worry about a child's family."""
    spans = [m.span(1) if m.group(1) else m.span(2) for m in _STAFF.finditer(text)]
    spans += [m.span(m.lastindex or 0) for m in _COLLEAGUE.finditer(text)]
    spans += [m.span(1) for m in _RAN_THE_COURSE.finditer(text)]
    # "Dr Amira Shah's talk": the possessive goes with the name it follows
    spans = [(a, b + 2 if text[b : b + 2] in ("'s", "’s") else b) for a, b in spans]
    for m in _THANKED.finditer(text) if _TRAINING_TALK.search(text) else ():
        spans += [m.span(k) for k in (1, 2) if m.group(k)]
    # a survey comment is about the training: whoever it thanks by name ran it
    spans += [m.span(k) for m in _THANKED_BY_NAME.finditer(text) for k in (1, 2) if m.group(k)]
    return spans


# A professional named beside their role, on any path: "Our DSL Mr Singh", "Health visitor Mrs
# Adeyemi", "Mr Okonkwo, our head of year,", "Agnieszka, our Polish-speaking co-trainer", "Pastor
# Adebayo", "Ms Kaya from the Turkish community centre". A role noun of its own (DSL, health visitor)
# or a general one after a word that says which ("safeguarding lead", "liaison officer"); never a
# possessive ("the pastor's wife" is family).
_ROLE_ALONE = (
    r"dsl|ddsl|senco|sendco|head\s+of\s+(?:year|house|department|school|service)|head\s*teacher|deputy\s+head"
    r"|assistant\s+head|nurse|gp|doctor|paediatrician|midwife|health\s+visitor|social\s+worker|interpreter"
    r"|translator|co-?trainer|trainer|facilitator|youth\s+worker|police\s+officer|pcso|detective|sergeant"
    r"|manager|supervisor|team\s+leader|psychologist|therapist|counsellor|chaplain|imam|pastor|vicar|rabbi"
    r"|priest|teacher|tutor|teaching\s+assistant|senior\s+practitioner|ward\s+sister|matron|head|iro|colleague|co-worker"
)
# ...and, before a name typed in lower case, the posts' short forms ("our hv claire", "our sw tom")
_ROLE_SHORT = r"hv|sw|fsw|isw"
_ROLE_AFTER_A_WORD = r"lead|coordinator|co-ordinator|officer|practitioner|worker|adviser|advisor|consultant"
_ROLE = rf"(?:(?:[\w'’-]+\s+){{0,3}}?(?:{_ROLE_ALONE})|(?:[\w'’-]+\s+){{1,3}}?(?:{_ROLE_AFTER_A_WORD}))(?![\w'’-])"
_TITLED_NAME = rf"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+{_CAPITAL}(?:\s+{_CAPITAL})?"
# ...or typed in lower case on a phone: "our DDSL mr chukwu", "mr nowak the welfare officer"
_TITLED_NAME_ANY_CASE = rf"(?:{_TITLED_NAME}|(?i:mr|mrs|ms|mx|dr)\.?\s+[{_UPPER}]?[{_LOWER}][{_LOWER}'-]+)"
# titles that are themselves a role: clergy, police ranks, councillors
_CLERGY_TITLE = (
    r"Imam|Pastor|Reverend|Rev\.?|Rabbi|Vicar|Canon|Sheikh|Bishop|PC|DC|DS|Sgt|Sergeant|Inspector|Insp|Cllr"
    r"|Councillor"
)
# ...the same in lower case, where the word can be nothing else ("imam yusuf", "cllr begum"; not "pc",
# "ds" or "canon", which are words of their own), or before a name in lower case ("PC dawson")
_CLERGY_TITLE_LOWER = r"imam|pastor|reverend|rev|rabbi|vicar|sheikh|sgt|sergeant|inspector|cllr|councillor"
_PROFESSIONAL = lazy_compile(
    # "Our DSL Mr Singh", "the school nurse Ms Ionescu", "youth worker Jade"
    # (each word starts where a word starts, so a long run of letters and hyphens is tried once)
    # (no comma between: "school nurse, Priya has disclosed" is the asker, then a child)
    rf"(?<![\w'’-])(?i:(?:(?:my|our|the|a|your|their)\s+)?{_ROLE})\s+({_TITLED_NAME_ANY_CASE}|{_CAPITAL}(?:\s+{_CAPITAL})?)\b"
    # "Mr Okonkwo, our head of year, asked", "Agnieszka, our Polish-speaking co-trainer, explained": set
    # off by commas (not "Prader-Willi, our SENCO says", where the role begins a clause of its own)
    rf"|(?<![\w'-])({_TITLED_NAME}|{_CAPITAL}(?:\s+{_CAPITAL})?)\s*,\s*(?i:(?:my|our|the|a|their)\s+{_ROLE})"
    r"(?:\s+(?:for|at|in|from|of)\s+[^,.;:!?]{1,40})?\s*(?:[,.;:!?)]|$)"
    # "Mr Patel (head of year) is worried": a title, then the post in brackets
    rf"|(?<![\w'-])({_TITLED_NAME_ANY_CASE})\s*\(\s*(?i:(?:my|our|the|their)\s+)?(?i:{_ROLE})\s*\)"
    # "mr nowak the welfare officer at the rugby club asked", "Mrs Osei our DSL said": a title, then the post
    rf"|(?<![\w'-])({_TITLED_NAME_ANY_CASE})\s*,?\s+(?i:(?:my|our|the|their)\s+{_ROLE})"
    # "Rose and Will, the two trainers from the health visiting team,": people set off by a comma before their posts
    rf"|(?<![\w'-])({_CAPITAL}(?:\s*(?:,|and|&)\s*{_CAPITAL})+)\s*,\s*(?i:(?:the|our|my)\s+(?:two|three|both|four)?\s*"
    r"(?:[\w-]+\s+){0,2}?(?:trainers|facilitators|presenters|speakers|practitioners|workers|nurses|visitors|officers|leads"
    r"|managers|dsls|teachers|therapists|midwives))\b"
    # "our hv claire said", "my manager karen wants", "health visitor amina said": the asker's colleague, or the
    # asker's own post, before a name typed in lower case ("told the teacher mia was crying" is a child)
    rf"|(?<![\w'’-])(?i:(?:my|our)\s+(?:{_ROLE}|(?:{_ROLE_SHORT})(?![\w'’-])))\s+([{_LOWER}][{_LOWER}-]+)(?![\w'’-])"
    rf"|^\s*(?i:(?:(?!(?:the|a|an|told|tell|asked|ask|saw|see|and|but)\b)[a-z-]+\s+)?(?:{_ROLE_ALONE}|{_ROLE_SHORT}"
    rf"|[a-z-]+\s+(?:{_ROLE_AFTER_A_WORD})))"
    rf"\s+([{_LOWER}][{_LOWER}-]+)(?![\w'’-])"
    # "the midwife, chloe, raised it": the post, then its name between commas
    rf"|(?<![\w'’-])(?i:(?:my|our|the)\s+{_ROLE})\s*,\s*({_CAPITAL}|[{_LOWER}][{_LOWER}-]+)\s*,"
    # "Our DSL, Mrs Brennan, has asked": a title set off by commas after the post ("school nurse, Priya has
    # disclosed" is the asker, then a child: with no title the name may begin a clause of its own)
    rf"|(?<![\w'’-])(?i:(?:my|our|the|their)\s+{_ROLE})\s*,\s*({_TITLED_NAME_ANY_CASE})\s*(?=[,)])"
    # "the DSL at our church, mrs adebayo, has booked": the post and where, then the name set off by commas
    rf"|(?<![\w'’-])(?i:(?:my|our|the|a|their)\s+{_ROLE})\s+(?:at|for|in|from|of)\s+(?i:the|our|my|their)\s+"
    rf"(?:[\w'’-]+\s+){{0,3}}?[\w'’-]+\s*,\s*({_TITLED_NAME_ANY_CASE}|{_CAPITAL}(?:\s+{_CAPITAL})?|[{_LOWER}]+)"
    r"\s*(?=[,.;:!?)]|$)"
)
# ...and by a title that is a post itself, or a title and where the person works: no role word needed
_PROFESSIONAL_BY_TITLE = lazy_compile(
    # "Pastor Adebayo", "Imam Abdullahi"
    rf"\b(?:{_CLERGY_TITLE})\s+({_CAPITAL}(?:\s+{_CAPITAL})?|[{_LOWER}][{_LOWER}'-]+)\b"
    rf"|(?<![\w'’-])((?:{_CLERGY_TITLE_LOWER})\.?\s+[{_LOWER}][{_LOWER}'-]+)\b"
    # "Ms Kaya from the Turkish community centre", "Mrs Begum from the attendance team"
    rf"|(?<![\w'-])({_TITLED_NAME})\s+(?:from|at|of)\s+(?i:the|our)\s+(?:[\w'’-]+\s+){{0,3}}?"
    r"(?i:community\s+(?:centre|center|association|group|hub|project)|association|charity|council|team|service"
    r"|trust|partnership|icb|hospital|practice|surgery|clinic|academy|college|nursery|school)\b"
)
# the words every pattern of _PROFESSIONAL needs one of: a cheap test before it
_ANY_ROLE_WORD = lazy_compile(
    rf"(?i:(?<![\w'’-])(?:{_ROLE_ALONE}|{_ROLE_AFTER_A_WORD}|{_ROLE_SHORT}|trainers|facilitators|presenters|speakers"
    r"|practitioners|workers|nurses|visitors|officers|leads|managers|dsls|teachers|therapists|midwives)(?![\w'’-]))"
)
# ...unless the text is about what that person did, or about their own family: then the name is
# the person the worry is about ("our PE teacher Mr Pell has been messaging pupils")
_ABOUT_THEIR_CONDUCT = lazy_compile(
    r"(?i:\b(?:allegations?|alleged(?:ly)?|lado|messag(?:e|es|ed|ing)|texted|texting|inappropriate(?:ly)?"
    r"|touch(?:ed|es|ing)?|hit(?:s|ting)?|slapp?(?:ed|ing|s)?|grabb?(?:ed|ing|s)?|push(?:ed|es|ing)|kiss(?:ed|es|ing)?"
    r"|groom(?:ed|ing|s)?|drunk|smelt|smelled|shout(?:s|ed|ing)\s+at|swore|swearing|restrain(?:ed|ing)?|photos?"
    r"|pictures?|snapchat|instagram|whatsapp|tiktok|lifts?|gifts?|presents?|relationship|complain(?:ts?|ed)?"
    r"|suspended|dismissed|sacked|arrested|investigat\w*|disciplinary|conduct|behaviour\s+towards|favourit\w*"
    r"|on\s+(?:his|her|their)\s+own\s+with|alone\s+with|(?:his|her|their)\s+(?:own\s+)?(?:kids?|children|son|daughter"
    r"|baby|child|stepson|stepdaughter)))\b"
)


def professional_spans(text: str) -> list[tuple[int, int]]:
    """Where a professional is named beside their role, in a text that is not about their conduct
    or their own family; any path. A name with an age after it ("PC Jayden Cole, 14") is a child's,
    whatever stands before it: children hold titles too (a school council chair, a cadet)."""
    if _ABOUT_THEIR_CONDUCT.search(text):
        return []
    patterns = (_PROFESSIONAL, _PROFESSIONAL_BY_TITLE) if _ANY_ROLE_WORD.search(text) else (_PROFESSIONAL_BY_TITLE,)
    spans = [m.span(m.lastindex or 0) for pattern in patterns for m in pattern.finditer(text)]
    return [(a, b) for a, b in spans if not _AGE_AFTER.match(text, b)]


# "(15)", ", 14", " aged 8", " 13yo" just after a name. Spaces taken whole (\s*+): two runs
# side by side would try every split of one long run between them.
_AGE_AFTER = lazy_compile(
    r"\s*+(?:\(\s*\d{1,2}\s*\)|,?\s*+(?i:aged?\s+)?\d{1,2}\s*(?i:yo|y/o|yrs?|years?(?:\s+old)?)?(?![\d:/.]))"
)


# "big thank you to priya and tom on the gcp2 course": trainers thanked, typed in lower case, in a
# comment about the training itself (not "thanks to kayden for opening up")
_TRAINING_TALK = lazy_compile(
    r"(?i:\b(?:course|session|training|workshop|presentation|slides|module|trainers?|delivering|delivered|conference"
    r"|webinar|train\s+the\s+trainer|refresher|awareness\s+(?:day|week)|e-?learning"
    r"|(?:training|learning|conference|children|safeguarding)\s+day)\b)"
)
_THANKED_BY_NAME = lazy_compile(
    rf"(?i:\b(?:thanks|thank\s+you|thank\s+u|thanku|thx|ty|(?:like|want|wish)\s+to\s+thank|cheers|(?:really\s+)?appreciated|grateful\s+to"
    r"|shout\s*out\s+to|kudos\s+to|hats\s+off\s+to|credit\s+to)\s*(?:to\s+)?,?\s*)"
    rf"((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{_CAPITAL}(?:\s+{_CAPITAL})?)"
    # "Mo, Bev and Claire"
    rf"((?:\s*,\s*|\s+(?:and|&)\s+)(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{_CAPITAL}(?:(?:\s*,\s*|\s+(?:and|&)\s+){_CAPITAL})*)?"
)
_THANKED = lazy_compile(
    r"(?i:\b(?:thanks|thank\s+you|cheers)\s+(?:to\s+)?)([a-z]{2,})(?:\s*(?:and|&)\s*([a-z]{2,}))?"
    r"(?=\s+(?:for|on|at|from|who)\b|\s*[,.!]|\s*$)"
)


# A child said to be the one named: "Jack Daniels (15)", "Grace Darling, aged 7", "a boy called Jack
# Daniels": no character's or public figure's name then (a review of the public figures list)
# (a child's age, 1 to 17: "Harry Kane (30)" is the footballer; ", 5 episodes a day" no age)
_NOT_AN_AGE = r"(?!\s*(?:am|pm|%|:|\.\d|episodes?|times|points|goals|quid|pounds|p\b|mins?|minutes|hours?|hrs))"
_CHILD_CUE_AFTER = lazy_compile(
    r"\s*+(?:\(\s*+(?:(?:she|he|they)['’]?s\s++|(?:she|he)\s+is\s++|aged?\s++)?"
    r"(?:\d{1,2}\s*+(?:months?|mths?|weeks?|wks?)\b|(?:1[0-7]|[1-9])\b" + _NOT_AN_AGE + r")"
    r"|,\s*+(?:aged?\s++)?(?:\d{1,2}\s*+(?:months?|mths?|weeks?|wks?)\b|(?:1[0-7]|[1-9])\b" + _NOT_AN_AGE + r")"
    r"|\s++(?:is|was)\s++(?:only\s++)?(?:1[0-7]|[1-9])\b" + _NOT_AN_AGE + r")",
    re.IGNORECASE,
)
_CHILD_CUE_BEFORE = lazy_compile(
    r"\b(?:called|named|my\s+(?:pupil|son|daughter|child|grandson|granddaughter|niece|nephew|stepson|stepdaughter)"
    r"|a\s+pupil|our\s+pupil)\s+$",
    re.IGNORECASE,
)


# ...but a show, a doll or a pet "called" something is no child (a fourth review)
_THING_CALLED = lazy_compile(
    r"\b(?:show|programme|program|film|movie|book|doll|toy|teddy|dog|cat|pet|puppy|kitten|horse|app|game|song|pub"
    r"|band|character|series|cartoon|club|shop|website|channel)s?(?:\s+(?:is|was|are))?\s+(?:called|named)\s+$",
    re.IGNORECASE,
)


# ...unless a child was said first: "a lad in my club called Jack Daniels" (a sixth review)
_A_CHILD = lazy_compile(r"\b(?:lad|boy|girl|kid|pupil|child|son|daughter|teen|teenager|student|baby|toddler)s?\b", re.I)


def said_to_be_a_child(text: str, finding: Finding) -> bool:
    """Whether the name found is said to be a child's (an age beside it, "called" before it), and
    could be a person's: after "called" or "my son" whoever it is, beside an age only a given name
    ("Jack Daniels (15)", not "Peppa Pig (3)")."""
    before = text[max(0, finding.start - 40) : finding.start]
    if _CHILD_CUE_BEFORE.search(before[-20:]) and not (_THING_CALLED.search(before) and not _A_CHILD.search(before)):
        return True  # "a girl called Taylor Swift", "my daughter Peppa Pig": whoever the name is
    first = _WORD.match(text, finding.start)
    low = first.group().lower() if first else ""
    return (low in GIVEN_NAMES or low in EVERYDAY_GIVEN_NAMES) and bool(_CHILD_CUE_AFTER.match(text, finding.end))


def beside_a_figure(text: str, finding: Finding, spans: list[tuple[int, int]]) -> bool:
    """A name listed with a character is another character: "Peppa Pig and George"."""
    for a, b in spans:
        if a <= finding.start < b:
            return True
        if _JOINED.fullmatch(text[b : finding.start]) or _JOINED.fullmatch(text[finding.end : a]):
            return True
    return False


# "amber rating", "amber on the RAG": a colour of a rating
_RATED = lazy_compile(r"\s+(?i:rating|rated|rag|status|flag|flagged|alert|warning|category|light)\b")


# "DeShawn", "LaToya", "JaMarcus": a given name built on a prefix with a capital inside; not
# "McDonald's" or "YouTube", whose prefixes are not these
_CAMEL_NAME = lazy_compile(r"(?:De|Da|Di|La|Le|Ja|Ke|Ta|Ty|Tre|Sha|Ra)([A-Z][a-z]{2,})(?:'s|’s)?")


def _camel_given_name(word: str) -> bool:
    m = _CAMEL_NAME.fullmatch(word)
    if m is None:
        return False
    whole = word.lower().removesuffix("'s").removesuffix("’s")
    return m.group(1).lower() in GIVEN_NAMES or word_zipf(whole) < KEPT_ZIPF


def _bare_names(text: str) -> Iterator[Finding]:
    """A given name standing alone: "worried about Jayden", "jayden keeps coming in hungry".
    Capitalised, any known given name; in lower case, only one that is not an everyday word."""
    for m in _WORD.finditer(text):
        word, low = m.group(), m.group().lower().removesuffix("'s")  # "amina's situation"
        parts = low.split("-")
        syllables = len(parts) == 2 and parts[0] != parts[1] and all(p in _EAST_ASIAN_SYLLABLES for p in parts)
        hyphenated = "-" in low and word[0].isupper() and (any(p in GIVEN_NAMES for p in parts) or syllables)
        # a capital inside: most words have none, so the test is made here
        given = low in GIVEN_NAMES or hyphenated or (not word[1:].islower() and _camel_given_name(word))
        shouted = word.isupper() and len(low) >= 4  # "worried abt DARIUS": a name, not an acronym, when listed
        if not given or (word.isupper() and not shouted) or low in NOT_NAMES or _public_figure(text, m.start()):
            continue
        if word[0].isupper():
            starts_sentence = _starts_sentence(text[: m.start()])
            if starts_sentence and low in _WORD_NAMES:
                continue
        elif word_zipf(low) >= 4.0 or _RATED.match(text, m.end()):
            continue
        elif (text[: m.start()].rsplit(None, 1) or [""])[-1].lower() in _DETERMINERS:
            continue  # "an amber rating", "the jasmine candle": a thing, not a person
        elif (text[: m.start()].rsplit(None, 1) or [""])[-1].lower() == "pro":
            continue  # "pro ana", "pro mia": eating-disorder content online, not a girl called Ana
        if low in _DRINK_NAMES and _A_DRINK_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
            continue  # "mum drinks Stella every night": a lager (a blind guard audit), not "drinking Ellie"
        yield Finding(NAME, m.start(), m.end())


# A given name that is a drink's name after drinking or its container ("drinks Stella", "a can of
# Stella", "a bottle of Jack"): no one named. Only drinks' names: "mum keeps drinking Ellie makes her
# own tea" names Ellie (a review)
_DRINK_NAMES = frozenset(
    ["stella", "jack", "morgan", "bailey", "baileys", "jameson", "johnnie", "jim", "carling", "becks", "grant"]
    + ["grants", "bell", "bells", "tia", "malibu", "jose", "disaronno", "kopparberg", "corona", "guinness"]
)
_A_DRINK_BEFORE = lazy_compile(
    r"(?i:\b(?:drinks|drinking|drank|drink|swigging|downing|(?:cans?|pints?|bottles?|crates?|glass|glasses)\s+of)\s+$)"
)


# A given name that is an everyday word too ("hope", "will", "storm", "jack"), typed in any case,
# where only a person fits after it: "rose's dad", "bay is 3", "grace, she's 14", "summer in year
# 10", "hope and her brothers", "will has told me", "jack keeps falling asleep".
_KIN = (
    r"mum|mam|mom|mother|dad|father|nan|nana|nanny|gran|granny|grandma|grandad|brothers?|sisters?|siblings?"
    r"|son|daughter|baby|step-?dad|step-?mum|stepfather|stepmother|uncle|aunt|auntie|aunty|cousins?|parents?"
    r"|carers?|family|boyfriend|girlfriend"
)
_WORD_NAME_CUE = lazy_compile(
    # "Princess (that really is her name) said": an aside in brackets may come between
    rf"(?<![\w'-])([{_UPPER}]?[{_LOWER}]+)(?:\s*\([^()\n]{{1,40}}\))?(?:"
    r"(?P<own>(?:'s|’s)\s+(?i:(?:(?:little|baby|big|older|younger|new|foster|birth|step|half)[\s-])?"
    rf"(?:{_KIN}|social\s+worker|sw|key\s*worker|teacher|ta|case|plan|class|attendance|behaviour)\b))"
    r"|(?P<age>(?i:\s+(?:is|was|turned|turns)\s+\d{1,2}"
    r"(?![\d.,%]\d|\s*(?:%|percent|miles?|mins?|minutes|hours?|days?|weeks?|months?|times|am|pm|x|out)\b)"
    r"|,\s*(?:s?he|they)(?:'s|’s|\s+is|\s+was)\s+\d{1,2}\b(?![.%]\d)|,?\s+aged?\s+\d{1,2}\b|\s*\(\s*\d{1,2}\s*\)))"
    r"|(?P<year>(?i:\s+(?:is\s+|who\s+is\s+)?in\s+(?:(?:year|yr|y)\s*\d{1,2}|reception|nursery)\b))"
    r"|(?P<kin>(?i:\s+(?:and|&)\s+(?:his|her)\s+(?:(?:little|baby|big|older|younger|twin|half|step)[\s-]?)?"
    rf"(?:{_KIN})\b))"
    r"|(?P<acts>(?i:\s+(?:has\s+(?:told|disclosed|said)|told\s+(?:me|us|staff|her|his|the|our|my|their)|came\s+in\s+with"
    r"|keeps\s+(?:falling|saying|asking|coming|crying|running|going|getting|turning|missing|wetting|soiling|hiding"
    r"|hitting|telling)|has(?:n't|nt|n’t|\s+not)\s+been\s+(?:brought|in|seen|collected|picked)"
    r"|disclosed|said\s+(?:he|she)|says\s+(?:he|she)|went\s+missing|ran\s+away"
    # "river texted me at midnight", "hunter ran off from the hostel", "summer was crying", "storm has a new
    # boyfriend", "bay turned up drunk": what only a person does
    r"|(?:texted|messaged|rang|phoned|snapchatted|dm'?d)\s+(?:me|us|staff|her|him|the)|ran\s+(?:off|out)"
    r"|(?:is|was|has\s+been|keeps)\s+(?:crying|sobbing|self[\s-]?harming|cutting|sleeping\s+rough|sofa\s+surfing)"
    r"|(?:has|had)\s+(?:a|an)\s+(?:new\s+|older\s+)?(?:boyfriend|girlfriend|partner)"
    r"|turned\s+up\s+(?:drunk|high|hungry|alone|on\s+(?:her|his)\s+own|with\s+(?:a|no|bruises|cuts|marks))"
    r"|(?:self[\s-]?harmed|overdosed|absconded|tried\s+to\s+(?:kill|hurt|take)\s+(?:her|him)self)"
    # "said her uncle touched her": what a child says of their family
    rf"|(?:said|says|told\s+(?:me|us|staff))\s+(?:that\s+)?(?:her|his)\s+(?:{_KIN}|uncle|step-?\w+)"
    r"|has\s+missed\s+(?:\d+|school|nursery|lessons|sessions|appointments|weeks|days|a\s+lot)"
    # "Hope wasn't collected", "Summer is missing overnight again": what happens to a child
    r"|(?:is|was)(?:n't|nt|n’t|\s+not)\s+(?:being\s+)?(?:collected|picked\s+up|brought|fed|dropped\s+off)"
    r"|(?:is|was|has\s+been)\s+missing\s+(?:again|overnight|tonight|from\s+(?:home|care|school)|since|for\s+\d))\b))"
    # what is done to a child: a season or a charity is not groomed ("Brook is being groomed")
    # "Grace is in every day after school and says she's not allowed home": where a child is, then
    # what they say of themselves; with a capital only, as the words between are many
    r"|(?P<says>\s+(?i:is|was)\s+(?:[\w']+\s+){1,8}?(?i:and\s+(?:says|said|tells\s+(?:me|us|staff))"
    r"\s+(?:s?he|s?he's|s?he’s|s?he\s+is|s?he\s+was)\b))"
    r"|(?P<harmed>(?i:\s+(?:is|was|has\s+been)\s+(?:being\s+)?(?:groomed|abused|exploited|hurt|hit|beaten|bullied"
    r"|assaulted|neglected|trafficked|sexually\s+abused)\b))"
    r")"
)
# Before one of those words, a word that makes it the everyday word again: "there is hope,
# she's", "the storm came in with", "pupils will in year 10", "over summer in year 11".
_BEFORE_THE_WORD_TEXT = """
    the a an this that these those my our your their its his her some any no every each another last next
    of in on at by for to from over during after before until till since through into onto with without than
    like as is was are were be been being am there's theres it's there it they we you i me us them he she him
    who which what have has had will would can could should might must may do does did not get got give gives
    gave giving lost lose keep keeps more less much such very so too also all good great real new big whole
"""
_BEFORE_THE_WORD = frozenset(_BEFORE_THE_WORD_TEXT.split())
_DETERMINERS_TEXT = "the a an this that these those my our your their its some any no every each another"
_DETERMINERS = frozenset(_DETERMINERS_TEXT.split())


def _starts_sentence(before: str) -> bool:
    """Whether a word after `before` starts a sentence or a line: nothing before it, or, behind
    any spaces, a full stop, ! ? : ; or a new line. Read from the end, never by a search over
    `before`: a regular expression ending in `\\s*$` searched there walks every run of blank
    lines once for each line in it, and a 4,000-character lookup of blank lines and names took 20 s."""
    if not before:
        return True
    kept = before.rstrip()
    return "\n" in before[len(kept) :] or (bool(kept) and kept[-1] in ".!?:;")


_SENTENCE_START = lazy_compile(r"(?:^|[.!?\n])\s*$")
_CLAUSE_START = lazy_compile(
    r"(?:^|[.!?;:,(\n\u2013\u2014-]|\b(?:and|but|if|when|because|cos|since|so|now|then|that))\s*$", re.I
)


def _word_names(text: str) -> Iterator[Finding]:
    for m in _WORD_NAME_CUE.finditer(text):
        word = m.group(1)
        low = word.lower()
        if low not in EVERYDAY_GIVEN_NAMES and low not in GIVEN_NAMES:
            continue
        if low in NOT_NAMES and not (m.group("harmed") and word[0].isupper()):
            continue
        if m.group("says") and not word[0].isupper():
            continue
        before = text[max(0, m.start(1) - 40) : m.start(1)]
        if low == "will" and (m.group("year") or m.group("age")) and not _SENTENCE_START.search(before):
            continue  # "pupils will in year 10 be": the verb, unless it starts the sentence
        if not _CLAUSE_START.search(before):
            previous = before.split()[-1].lower()
            loose = m.group("own") or m.group("kin")  # "'s dad" and "and her brother" say a person anyway
            if previous in _DETERMINERS or (not loose and word.islower() and previous in _BEFORE_THE_WORD):
                continue
        yield Finding(NAME, m.start(1), m.end(1))


# Two words in lower case that make a full name: a given name or a word English does not know
# ("aleena", "prakash"), then a surname, one of them not ordinary English ("rafiq ali", "johnny
# boswell"); two ordinary words ("jack white", "rose hill") are left alone.
_WORD_PAIR = lazy_compile(r"(?<![\w'-])([a-z][a-z'-]*[a-z])(?=\s+([a-z][a-z-]*[a-z])(?:'s|’s)?\b)")


def _lower_full_names(text: str) -> Iterator[Finding]:
    for m in _WORD_PAIR.finditer(text):
        first, last = m.group(1), m.group(2)
        if last not in SURNAMES or first in NOT_NAMES or last in NOT_NAMES:
            continue
        rare_first = first.isalpha() and len(first) >= 3 and word_zipf(first) < _ORDINARY_ZIPF
        if not (first in GIVEN_NAMES or (rare_first and not _one_slip_from_english(first))):
            continue
        if min(word_zipf(first), word_zipf(last)) < _ORDINARY_ZIPF:
            yield Finding(NAME, m.start(1), m.end(2))
    # "patrick o'donnell yr 6": a given name before an Irish or Scottish surname
    for m in _GIVEN_THEN_GAELIC.finditer(text) if "'" in text or "mc" in text else ():
        if m.group(1) in GIVEN_NAMES and word_zipf(m.group(2)) < 4.5:
            yield Finding(NAME, m.start(1), m.end(2))


_GIVEN_THEN_GAELIC = lazy_compile(r"(?<![\w'-])([a-z]+)\s+((?:o'|o’|mc)(?!donalds|flurry)[a-z]{3,})\b")


# "ruta from the lithuanian family": a word English does not know, starting what is said, then
# where the person is from
_FROM_THE_FAMILY = lazy_compile(
    r"(?<![\w'-])([a-z][a-z'-]+[a-z])\s+from\s+the\s+(?:[a-z'-]+\s+)?(?:family|household|flats?|caravan|site|estate"
    r"|block|tower)\b"
)
# "a lad everyone calls Tank", "the lad we all call Smudge": a nickname the others use
_NICKNAMED = lazy_compile(
    r"(?i:\b(?:lad|boy|girl|kid|lass|child|teen|youngster|young\s+person|yp|bloke|fella|guy)\s+(?:who\s+|that\s+)?"
    r"(?:everyone|everybody|we|they|people|the\s+others|the\s+other\s+kids|the\s+kids|his\s+mates|her\s+mates"
    r"|his\s+friends|her\s+friends|staff)\s+(?:all\s+)?(?:call|calls|called|know\s+as|knows\s+as)\s+)"
    rf"({_ANY_WORD})"
)
# "the little one they all call Pickle": "all" makes it what the others call someone, and a capital
# that is not an everyday word makes it a name ("they all call First Response" is a service)
_NOT_CALLED = frozenset(["it", "them", "him", "her", "this", "that", "us", "you", "me", "back", "out", "in", "round"])
_ALL_CALL = lazy_compile(
    r"(?i:\b(?:everyone|everybody|we|they|people|the\s+kids|the\s+others|the\s+whole\s+[a-z]+)"
    r"\s+(?:(?:at|in)\s+(?:the\s+)?[a-z]+\s+)?"
    r"(?:all\s+)?(?:call|calls|called)\s+)"
    # in quotes, whatever the word: "everyone at the hostel calls 'Bubbles'"
    rf"([\'\"‘“])?({_CAPITAL}|[a-z][a-z'-]+)\b(?!\s+[{_UPPER}])"
)
_NOT_A_NICKNAME_TEXT = "him her them it us me out back up over round in on by a an the his their our"
_NOT_A_NICKNAME = frozenset(_NOT_A_NICKNAME_TEXT.split())


# "Hope and Faith, the twins in reception", "rocky and blessing, both in year 2": two given names,
# everyday words or not, followed by who they are
_PAIR_OF_CHILDREN = lazy_compile(
    rf"(?<![\w'-])([{_UPPER}]?[{_LOWER}]+)\s+(?:and|&)\s+([{_UPPER}]?[{_LOWER}]+)\s*(?:,|\(|\u2013|\u2014|-)\s*"
    r"(?i:(?:(?:the|our|my|his|her|their)\s+)?(?:little\s+|older\s+|younger\s+|baby\s+|teenage\s+|\d{1,2}\s*yo\s+)?"
    r"(?:twins|sisters|brothers|siblings|girls|boys|kids|children|cousins)\b(?!')|both\s+(?:in|aged|came|have|are|were|told)\b)"
)
# what must be in the text for such a pair: a cheap test before the pattern
_PAIR_WORDS = ("twins", "sisters", "brothers", "siblings", "girls", "boys", "kids", "children", "cousins", "both ")


# "Bubbles from Year 1 says", "Tink in year 4 told": any capitalised word before a year group and
# what one child says ("Pupils from Year 6 say" is many, "Year 6 says thank you" has no word before,
# and "Behaviour in Year 8 is" is not what a child says)
_ONE_IN_A_YEAR = lazy_compile(
    rf"(?<![\w'-])({_CAPITAL})\s+(?i:from|in)\s+(?i:year|yr|y)\s*\d{{1,2}}\s+"
    r"(?i:says|said|told|tells|disclosed|has\s+(?:told|said|disclosed))\b"
)
_WHAT_ONE_SAYS = ("says", "said", "told", "tells", "disclosed")
_NOT_ONE_CHILD_TEXT = """
    lots many most several few some none one two three four five all everyone others friends classmates peers
    mates lads lasses
"""
_NOT_ONE_CHILD = frozenset(_NOT_ONE_CHILD_TEXT.split())
# "J.M. in Year 6", "follow up on R.H.": a child's initials, with their full stops, where only a
# person fits ("the G.P. said" and "P.E. in year 6" are not)
# (in lower case too, "worried about a.b. in year 9"; "e.g." and "a.m." are in _NOT_INITIALS)
_DOTTED_INITIALS = lazy_compile(r"(?<![\w.])[A-Za-z]\.\s?[A-Za-z]\.(?:\s?[A-Za-z]\.)?")
_BEFORE_INITIALS = lazy_compile(
    r"(?i:\b(?:follow(?:ing)?\s+up\s+(?:on|with)|check(?:ing)?\s+in\s+(?:on|with)|worried\s+about|about|re|for"
    r"|referred|told|spoke\s+to|speak\s+to))\s+$"
)
_AFTER_INITIALS = lazy_compile(
    r"\s+(?i:(?:in|from)\s+(?:year|yr|y)\s*\d|in\s+(?:reception|my\s+class)|says|said|told|disclosed|has\s+told)\b"
    # "J.P. in 9R": a form group
    r"|\s+in\s+\d{1,2}[A-Z]{1,2}\b"
    # "R.S., 15, in our sixth form", "K.M. (9)", "A.B. aged 12": an age
    r"|\s*,\s*\d{1,2}\s*,|\s*\(\s*\d{1,2}\s*\)|(?:\s++|\s*+,\s+)(?i:aged?)\s+\d{1,2}\b"
)
_NOT_INITIALS_TEXT = """
    g.p. p.e. r.e. a.m. p.m. u.k. u.s. d.v. s.w. t.a. h.v. e.g. i.e. n.b. p.s. c.p. l.a. p.c. d.c. d.s. s.e.n.
    c.s.e. c.i.n. o.k. t.v. b.b.c. d.s.l. s.r.e. a.s.a. e.t.a. r.i.p. y.p. p.t.o.
"""
_NOT_INITIALS = frozenset(_NOT_INITIALS_TEXT.split())
# "Ji-woo says", "Seo-yeon in year 4": a Korean or Chinese given name of two syllables, hyphenated
_EAST_ASIAN_SYLLABLES_TEXT = """
    ji woo min jun seo yeon hyun jin soo yoon eun hye seung jae won su bin yun kyung sung mi na ah ye
    xiao mei ling hui wei ying jia xin yu hao zi jie lan fang hua qing
"""
_EAST_ASIAN_SYLLABLES = frozenset(_EAST_ASIAN_SYLLABLES_TEXT.split())
# "Lan, the little one who translates", "Tia, the eldest, who": a short name then who the child is
# ("Tesco, the one that is open late" is a shop: "one" only after a word for a child's place)
_YOUNG_ONE = "little|eldest|youngest|oldest|middle|older|younger|quiet"
_NAME_THEN_WHO = lazy_compile(
    rf"(?<![\w'-])({_CAPITAL}),\s+(?i:the|our|my)\s+(?i:(?:{_YOUNG_ONE})\s+(?:one\s+)?|(?:(?:{_YOUNG_ONE})\s+)?"
    r"(?:boy|girl|lad|lass|child|kid|baby|toddler|teen|twin)\b,?\s+)"
    r"(?i:who|that|whose|in|from|with)\b"
)
# "think about Joy and how quiet she's gone": a capitalised word someone thinks about, then "she"
_THOUGHT_OF = lazy_compile(
    rf"(?i:\b(?:think|thinking|thought|worry|worrying|worried)\s+(?:about|of)\s+)({_CAPITAL})\s+and\s+how\s+"
    r"(?:[a-z']+\s+){0,3}?(?i:s?he|s?he's|s?he’s|her|his|him)\b"
)


def _more_person_places(text: str) -> Iterator[Finding]:
    lowered = text.lower()  # each form's own words, a cheap test before its pattern
    for m in _ONE_IN_A_YEAR.finditer(text) if any(w in lowered for w in _WHAT_ONE_SAYS) else ():
        low = m.group(1).lower()
        if low not in NOT_NAMES and low not in _NOT_ONE_CHILD and word_zipf(low) < _PERSON_ZIPF:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _DOTTED_INITIALS.finditer(text) if "." in text else ():
        after = _AFTER_INITIALS.match(text, m.end())
        before = _BEFORE_INITIALS.search(text[max(0, m.start() - 30) : m.start()])
        letters = m.group().replace(".", "").replace(" ", "")
        # in lower case ("n.f.a. outcomes", "d.b.s. checks") only two letters with where the child
        # is or what they said after them, and never an abbreviation written with stops
        lower_case = letters.islower()
        cued = after if lower_case else after or before
        known = letters.upper() in _NOT_INITIALS_IN_CAPITALS or (lower_case and len(letters) > 2)
        if cued and not known and m.group().lower().replace(" ", "") not in _NOT_INITIALS:
            yield Finding(NAME, m.start(), m.end())
    for m in _NAME_THEN_WHO.finditer(text) if ", " in text else ():
        word, low = m.group(1), m.group(1).lower()
        opens = _SENTENCE_START.search(text[max(0, m.start(1) - 40) : m.start(1)]) is not None
        if low in NOT_NAMES or word_zipf(low) >= _PERSON_ZIPF or (opens and not _could_be_name(word)):
            continue
        yield Finding(NAME, m.start(1), m.end(1))
    for m in _THOUGHT_OF.finditer(text) if " how " in lowered else ():
        word, low = m.group(1), m.group(1).lower()
        if low not in NOT_NAMES and (low in EVERYDAY_GIVEN_NAMES or _could_be_name(word)):
            yield Finding(NAME, m.start(1), m.end(1))


# Everyday words that are names too ("Grace", "Hope", "Precious") are names where only a person
# fits. In the middle of a sentence, after a word that takes a person ("what level is this for
# Grace", "challenged the decision about Faith"), and not the first word of a capitalised name of a
# place or a service ("for Hope House") or of a time ("for Summer term").
_EVERYDAY_AFTER = lazy_compile(
    r"(?:(?<=[a-z,)])\s+|^)(?i:for|about|with|and|&|re|fostering|supporting|visited|visiting)\s+"
    rf"({_CAPITAL})(?!['’]?s?\s+[{_UPPER}])"
    # ...and before the end of a clause or what follows a person, so not "about Hope and resilience"
    r"(?=\s*(?:$|[,.;:!?)\u2013-]|(?:and|&)\s+(?:she|he|it|they|her|his|their|mum|dad|the|i|we|[A-Z])"
    r"|(?:is|has|had|was|who|since|after|before|because|but|when|in|at|from|on|to|yet|again|now|today|yesterday"
    r"|last|this|that|said|says|told)\b))"
)
# ...at the start of a sentence, before what a person does and a "she" or "his" soon after ("Hope
# has started cutting her arms", "Will is in foster care but his birth dad...")
_EVERYDAY_OPENS = lazy_compile(
    rf"(?:^|[.!?]\s+)({_CAPITAL})\s+(?:has|had|is|was|keeps|kept|told|tells|says|said|won't|wont|came|started|seems)\b"
    r"(?=[^.!?]{0,60}\b(?i:she|her|he|his|him|she's|he's)\b)"
)
_VIRTUES = frozenset(
    ["faith", "hope", "grace", "patience", "joy", "mercy", "charity", "harmony", "destiny", "bliss", "melody"]
)
# ...after a year group set off by commas or dashes ("for my Year 5, Patience", "a yr 11 - Precious -
# who"), or before one ("Deji yr 6 at Balfour")
_YEAR_THEN_NAME = lazy_compile(
    rf"(?i:\b(?:year|yr|y)\s*\d{{1,2}}[a-z]?)\s*[,:\u2013-]\s*({_CAPITAL})(?=\s*(?:[,.;:\u2013-]|(?i:who)\b|$))"
)
_NAME_THEN_YEAR = lazy_compile(rf"(?<![\w'-])({_CAPITAL})\s+(?i:yr|year|y)\s*\d{{1,2}}\b(?!\s*(?:%|percent))")
# "Precious from the toddler room", "Dodge from our youth club", "Summer in my Tuesday ballet class":
# a capitalised word before the group a child is known in
_FROM_GROUP = lazy_compile(
    rf"(?<![\w'-])({_CAPITAL})\s+(?:from|in|at)\s+(?:the|our|my|her|his)\s+(?:[A-Za-z]+\s+){{0,2}}"
    # not a team, a unit or a ward: colleagues come from those ("Grace from our health visiting team")
    r"(?:room|club|class|nursery|squad|cadets|scouts|brownies|guides|tutor\s+group|youth\s+group)\b"
)
# "Ruby from Rainham Park Academy": a capitalised name before the school they come from
_FROM_SCHOOL = lazy_compile(
    rf"(?<![\w'-])({_CAPITAL})\s+(?:from|at)\s+(?:[A-Z][\w'-]*\s+){{1,4}}"
    r"(?:Academy|School|Primary|College|Juniors?|Infants?|Nursery|Grammar|High)\b"
)
# "i asked grace why she was so tired": a name in lower case between asking and the question
_ASKED = lazy_compile(
    r"\b(?:asked|asking|ask|told|telling)\s+([a-z][a-z'-]+)\s+(?=(?:why|if|whether|what|how|when|where)\b)"
)
# "the Brights are at it again": a family by its name in the plural, doing what people do
_FAMILY_DOING = lazy_compile(
    rf"(?<![\w'-])(?i:the)\s+({_CAPITAL}s)\s+(?:are|were|have|had|keep|kept|said|say|won't|wont|never|always)\b"
)
# "our lad 'Tiny T'", "the girl they know as 'Princess'": a nickname in quotes after a child
# "I kept thinking of 'Tink' who I work with": a word in quotes that someone is
_QUOTED_WHO = lazy_compile(r"[\'\"‘“]([A-Z][a-z]{2,15})[\'\"’”]\s+(?:who|whose)\b")
_QUOTED_NICKNAME = lazy_compile(
    r"(?i:\b(?:lad|boy|girl|kid|lass|child|teen|one|baby|toddler|youngster)\s+)[\'\"‘“]([A-Z][\w' .-]{0,20}?)[\'\"’”]"
)
# "her auntie shereen told me", "the baby, elowen, and": a name nobody listed, in lower case, after a
# relative and before what a person does, or set off by commas after a child
_RELATIVE_LOWER_DOING = lazy_compile(
    r"\b(?:auntie|aunty|aunt|uncle|nan|nana|nanny|gran|granny|grandad|grandma|cousin|stepdad|stepmum|sister|brother"
    # "'uncle' dev stays over": a relative in quotes is someone the family calls so
    r"|son|daughter|niece|nephew)['’\"”]?\s+([a-z]{3,})\s+(?=(?:told|says|said|is|was|has|keeps|came|lives|won't|wont"
    r"|drinks|hits|shouts|smokes|stays|sleeps|takes|picks|collects)\b)"
)
# "nana pat in twydall has the 2 grandkids": a relative by a known given name in lower case
_RELATIVE_LOWER_GIVEN = lazy_compile(
    r"\b(?:nan|nana|nanna|nanny|gran|granny|grandad|grandma|grandpa|auntie|aunty|aunt|uncle)\s+([a-z]{2,})"
    r"(?=\s+(?:in|at|from|on|who|has|have|looks|does|is|was|says|said|and\s+(?:grandad|grandpa|nan|nana|gran))\b)"
)
# "noticed sunny was always in the same clothes": a given name that is an everyday word, in lower
# case, where only a person fits: seen, then doing or being something
_NOTICED_EVERYDAY = lazy_compile(
    r"\b(?:noticed|saw|realised|realized|spotted|found)\s+(?:that\s+)?([a-z]{3,})\s+(?=(?:was|is|has|had|keeps|kept"
    r"|seemed|seems|looked|looks|always|never|often|wasnt|wasn't|hadnt|hadn't)\b)"
)
_MODALS = frozenset(["will", "may", "can", "must", "might"])
# CP-IS: the child protection information sharing system
_NOT_JOINED_INITIALS = frozenset(
    ["A-Z", "UK-EU", "EU-UK", "PE-RE", "CP-CIN", "CIN-CP", "EH-CIN", "CIN-EH", "DV-CP", "CP-IS"]
)
# "JT-M in 6C", "AB-K is back": two sets of initials joined, before where the child is or what they do
_JOINED_INITIALS_PLACED = lazy_compile(
    r"(?<![\w-])([A-Z]{1,3}-[A-Z]{1,2})(?![\w-])(?=\s+(?:in|at|from|is|was|has|yr|year|y\d|aged|who|keeps|says|said|told)\b|\s*\()"
)
# "k-y-r-o-n b e l l": a name spelt out a letter at a time
_SPELT_OUT = lazy_compile(
    r"(?<![\w-])(?:[a-zA-Z][-.](?=[a-zA-Z])){3,}[a-zA-Z](?![\w-])|(?<![\w])(?:[a-z]\s){3,}[a-z](?!\w)"
)
# "yp known as 'Smokey'": whatever is in the quotes after "known as" is what someone is called
_KNOWN_AS_QUOTED = lazy_compile(
    r"(?i:\b(?:known\s+as|nicknamed|goes\s+by|calls\s+(?:him|her|them)sel(?:f|ves)"
    # "everyone at church calls him 'Preacher Boy'"
    r"|(?:call|calls|called)\s+(?:him|her|them))\s+)[\'\"‘“]([^\'\"’”\n]{1,24})[\'\"’”]"
    # "'Bubbles' in reception"
    r"|[\'\"‘“]((?-i:[A-Z])[a-z]+)[\'\"’”]\s+(?i:in|from)\s+(?i:reception|nursery|year\s*\d{1,2}|yr\s*\d{1,2}|class\s+\w+)\b"
    # "everyone at Rainham School knows her as Bubbles"
    r"|(?i:\b(?:knows?|know)\s+(?:her|him|them)\s+as\s+)((?-i:[A-Z])[a-z]+)\b"
    # "'Smiley', the yr 4 boy we all call that": a quoted name, then who the child is
    r"|[\'\"‘“]((?-i:[A-Z])[a-z]+(?:\s+(?-i:[A-Z])[a-z]+)?)[\'\"’”]\s*,\s*the\s+(?i:[\w-]+\s+){0,3}?(?i:boy|girl|lad|kid|child"
    r"|pupil|baby|toddler|teen)\b"
    # "what 'Bubba' at our after school club was trying to tell us": a quoted name where the child is known
    r"|[\'\"‘“]((?-i:[A-Z])[a-z]+(?:\s+(?-i:[A-Z])[a-z]+)?)[\'\"’”]\s+(?i:at|from|in)\s+(?i:our|my|the)\s+"
    r"(?i:[a-z-]+\s+){0,3}?(?i:club|group|school|nursery|setting|class|church|team|unit|ward|home)\b"
)
# "with AB-K (the Yr 10 girl with the older boyfriend)": initials, and who they are in brackets
_INITIALS_DESCRIBED = lazy_compile(
    r"(?<![\w-])([A-Z]{1,3}(?:-[A-Z]{1,3})?)\s*\((?i:the|a|our|my)\s+(?:[\w-]+\s+){0,3}?(?i:girl|boy|lad|child|kid|pupil"
    r"|student|baby|toddler|teen|yp)\b"
)
# "Thabo who's 8 in my swimming group": a capitalised name and the child's age
_NAME_WHO_IS_AGED = lazy_compile(
    rf"(?<![\w'-])({_CAPITAL})\s+(?:who'?s|whos|who\s+is)\s+(?:only\s+|just\s+)?\d{{1,2}}\b"
)
# "worried about river hes been missing": a given name in lower case before what is said of them
_ABOUT_LOWER_NAME = lazy_compile(
    r"\b(?:about|re)\s+([a-z]{3,})\s+(?=(?:hes|he's|shes|she's|he\s+has|she\s+has|he\s+is|she\s+is"
    r"|has\s+been|keeps|who\s+(?:is|has|was))\b)"
)
# "the vandersteen kids again": a family's children by a surname, in lower case
_LOWER_FAMILY_KIDS = lazy_compile(
    r"\bthe\s+([a-z]{4,}(?:-[a-z]{3,})?)\s+(?=(?:kids|children|family|boys|girls|twins|household)\b)"
)
_CHILD_APPOSED = lazy_compile(
    r"\b(?:baby|boy|girl|child|lad|toddler|son|daughter|twin|eldest|youngest)\s*,\s*([a-z]{3,})\s*,"
)
# "one of our young people, Precious, told her Sunday school teacher": a capital set off by commas
# after a child and before what a person does is a name, however ordinary the word
_CHILD_APPOSED_CAPITAL = lazy_compile(
    r"\b(?i:young\s+(?:people|person)|yp|girls?|boys?|child(?:ren)?|kids?|pupils?|lads?|teens?|youngsters?|baby|toddler)"
    rf"\s*,\s*({_NAME_WORD})\s*,\s*(?i:told|said|says|disclosed|has|had|is|was|came|keeps|asked|showed|went|tells)\b"
)
# "Nanny Pat", "Uncle Bob", "Auntie Sue": a relative by a capitalised name
_TITLED_RELATIVE = lazy_compile(
    rf"\b(?:Nanny|Nan|Nana|Nanna|Granny|Gran|Grandma|Grandad|Granddad|Grandpa|Auntie|Aunty|Aunt|Uncle"
    # ...or in the family's own language: "her kaka Habib", "khala Samina", "babcia Krystyna"
    rf"|(?i:kaka|chacha|chachu|mamu|mamoo|khala|khalu|phupho|phuppo|phupo|baji|bhaiya|didi|babcia|dziadek|ciocia"
    rf"|wujek|bunica|bunicul|teta|abla|abi|ayeeyo|awoowe|habo|adeer|abuela|abuelo|tia|tio))\s+({_CAPITAL})"
)
# "the granddad, Roy, does the school run": a relative and a capitalised name between commas
_RELATIVE_APPOSED = lazy_compile(
    r"\b(?:granddad|grandad|grandpa|grandma|granny|gran|nan|nanny|uncle|aunt|auntie|aunty|stepdad|step-dad|stepmum"
    r"|step-mum|dad|mum|father|mother|brother|sister|cousin|partner|boyfriend|girlfriend|son|daughter|carer"
    r"|eldest|youngest|oldest|middle\s+one|baby|twin)"
    rf",\s+({_CAPITAL}),"
)
_WORKER_FOR = lazy_compile(
    r"(?i:\b(?:sw|social\s+worker|key\s*worker|iro|lead\s+practitioner|case\s*worker|support\s+worker|personal\s+adviser"
    r"|allocated\s+worker|early\s+help\s+worker)\s+(?:for|of)\s+)([A-Za-z][a-z]+)\b(?!['’]s)"
    r"(?!\s+(?i:house|road|street|centre|court|lodge|unit|ward|school|academy|team|project|hub|home|close|estate)\b)"
)
# "Grace Adeyemi": an everyday given name before a surname English hardly knows
_EVERYDAY_LOWER_FULL = lazy_compile(r"(?<![\w'-])([a-z]+)\s+(?=([a-z]{4,})\b)")
_EVERYDAY_FULL_NAME = lazy_compile(rf"(?<![\w'-])({_CAPITAL})\s+({_CAPITAL})\b")


def _everyday_or_set_off(word: str) -> bool:
    """A capitalised word that can be a name here: an everyday given name or a name-like word."""
    low = word.lower()
    if low in NOT_NAMES:
        return False
    return low in EVERYDAY_GIVEN_NAMES or low in GIVEN_NAMES or (_could_be_name(word) and not is_ordinary(word))


def _names_where_only_a_person_fits(text: str) -> Iterator[Finding]:
    for m in _EVERYDAY_AFTER.finditer(text):
        if m.group(1).lower() in EVERYDAY_GIVEN_NAMES and not text[: m.start(1)].rstrip().lower().endswith(" the"):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _EVERYDAY_OPENS.finditer(text):
        low, verb = m.group(1).lower(), m.group().split()[-1].lower()
        # "Faith is important to her": a virtue is what it is; a person is what they do
        if low in EVERYDAY_GIVEN_NAMES and not (low in _VIRTUES and verb in ("is", "was", "seems")):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _NAME_THEN_YEAR.finditer(text):
        if _everyday_or_set_off(m.group(1)) and not _public_figure(text, m.start(1)):
            yield Finding(NAME, m.start(1), m.end(1))
    # set off by commas after a year group or a relative, a capital is a name unless it is very common
    for pattern, common in ((_YEAR_THEN_NAME, 4.5), (_RELATIVE_APPOSED, _EVERYDAY_ZIPF)):
        for m in pattern.finditer(text):
            low = m.group(1).lower()
            if low not in NOT_NAMES and (_everyday_or_set_off(m.group(1)) or word_zipf(low) < common):
                yield Finding(NAME, m.start(1), m.end(1))
    for m in _FAMILY_DOING.finditer(text):
        low = m.group(1).lower()
        ordinary = low in NOT_NAMES or low[:-1] in NOT_NAMES or word_zipf(low[:-1]) >= _EVERYDAY_ZIPF
        if not ordinary and not _public_figure(text, m.start(1)):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _FROM_GROUP.finditer(text):
        word, low = m.group(1), m.group(1).lower()
        if low not in NOT_NAMES and (low in EVERYDAY_GIVEN_NAMES or low in GIVEN_NAMES or not is_ordinary(word)):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _FROM_SCHOOL.finditer(text):
        if _everyday_or_set_off(m.group(1)) and not _public_figure(text, m.start(1)):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _ASKED.finditer(text):
        low = m.group(1)
        if low not in NOT_NAMES and (low in EVERYDAY_GIVEN_NAMES or _lower_case_name(low) or _unknown_name(low)):
            yield Finding(NAME, m.start(1), m.end(1))
    for pattern in (_RELATIVE_LOWER_DOING, _CHILD_APPOSED):
        for m in pattern.finditer(text):
            low = m.group(1)
            # "her grandad ted drinks": a relative's everyday given name before what they do
            # (or a short form no list holds, "uncle dev stays"): not an adverb ("her nan rarely drinks")
            everyday = pattern is _RELATIVE_LOWER_DOING and word_zipf(low) < 4.5 and not low.endswith("ly")
            if low not in NOT_NAMES and (_lower_case_name(low) or _rare_lower_name(low) or everyday):
                yield Finding(NAME, m.start(1), m.end(1))
    for m in _QUOTED_NICKNAME.finditer(text):
        yield Finding(NAME, m.start(1), m.end(1))
    for m in _CHILD_APPOSED_CAPITAL.finditer(text) if "," in text else ():
        yield Finding(NAME, m.start(1), m.end(1))
    for m in _LOWER_NAME_OPENS_AGED.finditer(text):
        low = m.group(1)
        if low in GIVEN_NAMES and low not in _MONTHS and low not in NOT_NAMES:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _LOWER_PAIR_OPENS_AGED.finditer(text):
        pair = (m.group(1), m.group(2))
        named = any(w in GIVEN_NAMES or w in SURNAMES for w in pair)
        if named and all(w not in NOT_NAMES and word_zipf(w) < 4.5 for w in pair):
            yield Finding(NAME, m.start(1), m.end(2))
    for m in _EVERYDAY_OPENS_AGED.finditer(text):
        low = m.group(1)
        term = low in ("summer", "autumn") and m.group(2) in ("1", "2")  # "summer 2 is when ...": a half term
        if low in EVERYDAY_GIVEN_NAMES and low not in _MODALS and low not in NOT_NAMES and not term:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _LOWER_FULL_NAME_AGED.finditer(text) if "," in text else ():
        if m.group(1) in GIVEN_NAMES or m.group(1) in EVERYDAY_GIVEN_NAMES:
            yield Finding(NAME, m.start(1), m.end(2))
    for m in _RELATIVE_LOWER_GIVEN.finditer(text):
        low = m.group(1)
        if (low in GIVEN_NAMES or low in EVERYDAY_GIVEN_NAMES) and low not in NOT_NAMES:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _INITIALS_DESCRIBED.finditer(text):
        yield Finding(NAME, m.start(1), m.end(1))
    for m in _JOINED_INITIALS_PLACED.finditer(text) if "-" in text else ():
        if m.group(1) not in _NOT_JOINED_INITIALS:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _SPELT_OUT.finditer(text):
        letters = [c.lower() for c in m.group() if c.isalpha()]
        # not a list's letters ("a b c d", "A-B-C-D")
        if any(ord(b) != ord(a) + 1 for a, b in zip(letters, letters[1:], strict=False)):
            yield Finding(NAME, m.start(), m.end())
    for m in _KNOWN_AS_QUOTED.finditer(text) if any(q in text for q in "'\"‘“") or " as " in text else ():
        yield Finding(NAME, *m.span(m.lastindex or 0))
    for m in _NAME_WHO_IS_AGED.finditer(text) if "who" in text.lower() else ():
        if m.group(1).lower() not in NOT_NAMES and not _public_figure(text, m.start(1)):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _ABOUT_LOWER_NAME.finditer(text):
        low = m.group(1)
        if (low in GIVEN_NAMES or low in EVERYDAY_GIVEN_NAMES) and low not in NOT_NAMES and low not in _MODALS:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _LOWER_FAMILY_KIDS.finditer(text):
        low = m.group(1)
        rare = word_zipf(low) < 2.0 or (low in SURNAMES and word_zipf(low) < 3.0)
        if rare and low not in NOT_NAMES and not _made_from_a_word(low) and not _one_slip_from_english(low):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _NOTICED_EVERYDAY.finditer(text):
        low = m.group(1)
        if low in EVERYDAY_GIVEN_NAMES and low not in NOT_NAMES and low not in _VIRTUES and low not in _MODALS:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _TITLED_RELATIVE.finditer(text):
        if m.group(1).lower() not in NOT_NAMES and word_zipf(m.group(1)) < _EVERYDAY_ZIPF:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _EVERYDAY_LOWER_FULL.finditer(text):
        first, last = m.group(1), m.group(2)
        # "grace okafor yr 9": an everyday given name before a surname English hardly uses
        known_surname = last in SURNAMES and word_zipf(last) < 3.0 and last not in NOT_NAMES
        if first in EVERYDAY_GIVEN_NAMES and first not in _MODALS and (_unknown_name(last) or known_surname):
            yield Finding(NAME, m.start(1), m.end(1) + 1 + len(m.group(2)))
    for m in _EVERYDAY_FULL_NAME.finditer(text):
        first, last = m.group(1).lower(), m.group(2).lower()
        # "Destiny Khan": or a known surname not much used as a word
        surname = word_zipf(last) < KEPT_ZIPF or (last in SURNAMES and word_zipf(last) < 4.4)
        if first in EVERYDAY_GIVEN_NAMES and last not in NOT_NAMES and surname and not _public_figure(text, m.start(1)):
            yield Finding(NAME, m.start(1), m.end(2))
    # "the sw for precious", "her key worker for hope": whom a practitioner is allocated to is a person
    for m in _WORKER_FOR.finditer(text) if " for " in text or " of " in text else ():
        low = m.group(1).lower()
        if _given(low) and low not in NOT_NAMES and low not in _MODALS:
            yield Finding(NAME, m.start(1), m.end(1))


# "what level for 'Bubba' in my class", "made me think of 'little Z' who hangs round the station": a
# short nickname in quotes where a person would stand, with a word English hardly uses or an initial
_QUOTED_PERSON = lazy_compile(
    r"(?i:\b(?:for|about|of|re|with|called|named|nicknamed|known\s+as)\s+)[\'\"‘“](\w[\w .'-]{0,18}?)[\'\"’”]"
    r"(?=\s*,?\s*\d{1,2}\b|\s*\(|\s+(?:who|whose|in\s+(?:my|our|his|her|the)\s+(?:class|year|yr|group|form|nursery"
    r"|school|setting|team)|hangs|says|said|told|keeps|lives|is|was|has)\b)"
)
# "'Brookes dad hits her'", "dont tell Nadias mum": a child's given name as a possessive typed without
# its apostrophe, before a relative or their home
_BARE_POSSESSIVE = lazy_compile(
    rf"(?<![\w-])({_CAPITAL})s\s+(?=(?:mum|mums|mom|dad|dads|nan|nans|gran|brother|sister|stepdad|stepmum|house"
    r"|boyfriend|girlfriend|uncle|aunt|auntie|aunty|family)\b)"
)
# "Nguyen Van An 13 found working": two or three capitalised names and the child's age
_NAMES_THEN_AGE = lazy_compile(
    rf"(?<![\w'-])({_CAPITAL}(?:\s+{_CAPITAL}){{1,2}})\s*,?\s*(?:1[0-7]|[1-9])\b(?=\s*(?:,|yo\b|y/o|yrs?\b|years?\b|[a-z]+ed\b"
    r"|[a-z]+ing\b|is\b|has\b|was\b|lives\b|says\b|told\b|found\b|seen\b|caught\b|left\b|taken\b))"
)
# "'Little Man' (thats what the family call him)": whatever is in the quotes, the asker says it is a name
_QUOTED_AS_CALLED = lazy_compile(
    r"[\'\"‘“]([^\'\"’”\n]{1,24})[\'\"’”]\s*[(,-]?\s*(?:that'?s|thats|which\s+is|is)\s+what\s+(?:[\w']+\s+){0,3}?calls?\b"
    # not a term for a post: "'Lead Practitioner' is what they used to call the lead professional"
    r"(?!\s+(?:the|a|an|it|this|that)\b)"
)
# "the girl the year 11s call 'Duchess'", "a lad his mates know as 'Moth'": what others call a child, in
# quotes, a few words after the child
_OTHERS_CALL_QUOTED = lazy_compile(
    r"(?i:\b(?:lad|boy|girl|kid|lass|child|teen|youngster|yp)\s+(?:[a-z0-9'’]+\s+){1,4}?(?:call|calls|called|know\s+as"
    r"|knows\s+as)\s+)[\'\"‘“]((?-i:[A-Z])[\w' .-]{0,20}?)[\'\"’”]"
)
# "for 'tiny', the lad who sleeps in the bus shelter": whatever is in the quotes, a child stands beside it
_QUOTED_APPOSED = lazy_compile(
    r"[\'\"‘“](\w[\w .'-]{0,18}?)[\'\"’”]\s*,\s*(?i:the|our|a|my|this)\s+(?:(?i:little|young|older|wee)\s+)?"
    r"(?i:lad|boy|girl|kid|child|teen|teenager|baby|toddler|lass|youngster)\b"
    r"(?!\s+(?i:said|says|told|replied|answered|asked|whispered|wrote|shouted|explained)\b)"
)
# "little 'Bubba' in the toddler room", "the boy \"Tiny\" says": a capitalised word in quotes that a child
# goes by, then where the child is or what they do
_QUOTED_NICKNAME = lazy_compile(
    r"(?i:\b(?:little|wee|lil|young|baby|boy|girl|lad|lass|kid|child|toddler|twin)\s+)[\'\"‘“](?-i:([A-Z][\w-]{1,15}))[\'\"’”]"
    r"(?=\s+(?i:in|from|at|is|was|has|had|keeps|kept|who|says|said|told|came|comes|turned|seems|won't|wont|cries|cried)\b)"
)
# "Bear (his actual name) is in reception": the asker says the word is the child's name
_SAID_TO_BE_A_NAME = lazy_compile(
    r"\b([A-Za-z][\w'-]{1,20})\s*[(,-]\s*(?i:(?:that'?s|thats|it'?s|its|which\s+is|yes|genuinely)\s+)?"
    r"(?i:his|her|their|the\s+(?:child|kid|boy|girl|baby)'?s)\s+(?i:actual|real|proper|legal|given|first)\s+name\b"
)
# "are the mulligans back at level 3": a family by its name in the plural, typed in lower case: a plural
# English does not use, of a surname or a word English hardly uses, doing what families do
_LOWER_FAMILY_DOING = lazy_compile(
    r"\bthe\s+([a-z]{3,}s)\s+(?=(?:are|were|back|again|have|had|keep|kept|never|always|moved|said|say|wont|won't)\b)"
)
# "Storm 8 has told us", "Hope, 6, said": a given name, an everyday word too, with the child's age
_NAME_AGE_DOING = lazy_compile(
    # each run of spaces taken whole (possessive): see _NAME_WITH_AGE
    rf"(?<![\w'-])({_CAPITAL})\s*+,?\s*+\d{{1,2}}(?:\s*+,\s++|\s++)(?=(?:has|is|was|says|said|told|keeps|came|lives|yo|y/o|yrs?)\b)"
)
_MONTHS_AND_DAYS_TEXT = """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday year level stage
"""
_MONTHS_AND_DAYS = frozenset(_MONTHS_AND_DAYS_TEXT.split())
# "doamna Ionescu", "pani nowak", "Frau Becker": a family name after another language's Mrs or Mr
_FOREIGN_TITLE = lazy_compile(
    r"(?i:\b(?:pani|doamna|doamnei|domnul|domnului|frau|herr|madame|mme|monsieur|señora|senora|señor|senor|senhora"
    r"|senhor|signora|signor|ponia|ponas|gospodin|gospozha|hanım|hanim)\s+)"
    rf"([{_UPPER}]?[{_LOWER}][{_LOWER}'-]+)"
)


# "his nan is pat and she has him weekends", "her aunty's called bev": a relative's given name after
# "is" or "called", where only a name ends the clause (not "her mum is frank about it")
_RELATIVE_IS_NAMED = lazy_compile(
    r"\b(?:nan|nana|nanny|gran|granny|grandad|grandma|grandpa|auntie|aunty|aunt|uncle|stepdad|stepmum|step-dad"
    r"|step-mum|cousin|(?:mum|dad)'?s\s+(?:partner|boyfriend|bf|girlfriend|gf))(?:'s|\s+is|\s+was)?\s+(?:called\s+|named\s+)?"
    # and a surname English does not know may follow ("his nan is pat doherty, she's...")
    r"([a-z]{3,})(?:\s+(?!(?:and|who|but|she|he|they|has|had|lives)\b)([a-z][a-z'-]+[a-z]))?"
    r"(?=\s*(?:$|[,.;!?]|\s(?:and|who|but|she|he|they|has|had|lives)\b))"
)
_ADJECTIVE_NAMES = frozenset(["frank", "sunny", "rich", "merry", "rusty", "sandy", "dusty", "jolly", "young", "ill"])


# "JT (yr 5, 10yo) disclosed", "KM (8)": a child's initials in capitals with their year or age
_INITIALS_WITH_AGE = lazy_compile(
    # each run of spaces taken whole: a quoted run of new lines after the letters walked it once per way of splitting it
    r"(?<![\w'-])([A-Z]{2,3})(?:\s*+\(\s*+(?:(?i:yr|year|y)\s*+\d{1,2}|\d{1,2}\s*+(?i:yo|y/o|yrs?)?)\s*+[,)]"
    # "JM yr5 oakfield": without the brackets
    r"|\s++(?i:yr|year|y)\s*+\d{1,2}\b"
    # "AB age 13", "KT aged 9", "RM, 14yo", "KT, 15, female"
    r"|(?:\s*+,\s++|\s++)(?i:aged?)\s++\d{1,2}\b|(?:\s*+,\s++|\s++)\d{1,2}\s*+(?i:yo|y/o|yrs?\s+old|years?\s+old)\b"
    r"|\s*+,\s*+\d{1,2}\s*+,)"
)
# abbreviations a practitioner puts before a year or an age that are no one's initials
_NOT_INITIALS_TEXT = """
    TA PE IT RE DT SW PC DS DC SEN YOT YOS PRU EHE CIN CLA LAC CP DA FGM CSE CCE KS SATS HT DHT AHT FSM PP
    EAL ASD ADHD OT SLT SALT DSL HV GP SENCO EHCP SEND MASH NHS CAMHS UK EYFS PSHE RSE ICT HOY HOD KS1 KS2 KS3
    KS4 LSA HLTA SEMH MLD SLD PMLD VI HI LA IRO MP FSW ISW DV
"""
# more abbreviations practitioners write where a person could stand ("spoke to SPA", "referred to CSC")
_MORE_NOT_INITIALS_TEXT = """
    EHA EH CPP NRM SPA ICPC RCPC PLO SGO CSC SCR RHI DBS TAC TAF CAF EHC MFH HBV CME NEET ACE DI DCI CID CPS
    CAT SSW ED AE CYP YP ICB ITV BBC CQC DWP GCP SPOC ICO DPA LGA SAB YJS YJT NFA PIP UC HMO ASB NOK
    CIC OOH EDT DHR EU USA OCD CBT ASC LD CPD HR DOB UPN NI PNC PND LSCB SCP GCSE NVQ BTEC AQA PTA PTO SLCN
    FR FD FDS SPOA CSPA IFD CRT HSB CSA YRO DTO MH PH SA CAP PCP EWO EWS AP SRE ELSA FLO ATT
    ABE CAN CCG CPC CRC DAN DNA DSP EH EPO FII FMU GCP HBA JEG LLR LSP MCH MFT MVA NAI ONS PEP PLO PPO PR STC
    TIP VSH WNB WT KCC EP CSW PSA SIO SMT ELT ODD PDA AI WHO SLA KPI ICT HOD MAT PCSO
    MUM DAD NAN GRAN SIS BRO HE SHE HIM HER WE US ME MY OUR THEY NOT NO AND THE
"""
_NOT_INITIALS_IN_CAPITALS = frozenset(_NOT_INITIALS_TEXT.split()) | frozenset(_MORE_NOT_INITIALS_TEXT.split())
# "concern about KD and her baby", "JM's mum rang": a child's or parent's initials, in capitals, owning
# someone of their family (an acronym has no baby: "FGM and her baby" is not how a worry is put)
_INITIALS_WITH_FAMILY = lazy_compile(
    r"(?<![\w'-])([A-Z]{2,3}|[A-Z]\.[A-Z]\.(?:[A-Z]\.)?)(?:\s+(?:and|&)\s+(?:her|his|their)\s+|['’]s\s+)"
    r"(?:(?:new|little|baby|big|older|younger|twin|whole|foster)\s+)?"
    r"(?:baby|babies|newborn|mum|mam|mom|mother|dad|father|nan|gran|sister|brother|siblings?|twins?|son|daughter"
    r"|kids|children|partner|boyfriend|girlfriend|stepdad|stepmum"
    # "AT's family", "T.O.'s house": their family or their home ("the LA's family hub" is a service)
    r"|parents|carers?|family(?!\s+(?:hubs?|support|services?|team|workers?|liaison|therapy|court|centre|group|plan))"
    r"|house|home|flat)\b"
)
# "re child KB in reception", "pupil JT says": a child word, then their initials in capitals, then where
# in school they are or what they said
_CHILD_THEN_INITIALS = lazy_compile(
    r"(?i:\b(?:child|pupil|student|boy|girl|kid|toddler|baby|yp|young\s+person))\s+(?-i:([A-Z]{2,3}))"
    r"(?=\s+(?i:in\s+(?:reception|nursery|(?:year|yr|y)\s*\d|my\s+class|class|the\s+(?:baby|toddler|pre-?school)\s+room)"
    r"|from\s+(?:year|yr|y)\s*\d|says|said|told|tells|disclosed|has\s+(?:told|said|disclosed)))"
)
# "follow up on JT tomorrow", "I talk to J.T.K. about home", "my yr 6 girl JT": a child's initials where
# only a person fits, after a word for working with someone or a word for a child. What is left of
# acronyms once the practitioner's own are set aside ("worried about CSE") are words in capitals.
_WITH_SOMEONE = (
    r"follow(?:ing|ed)?\s+up\s+(?:on|with)|check(?:ing|ed)?\s+in\s+(?:on|with)|worried\s+about|concern(?:s|ed)?\s+(?:about|for)"
    r"|(?:spoke|speak(?:ing)?|talk(?:ed|ing)?|chat(?:ted|ting)?)\s+(?:to|with)|work(?:ed|ing)?\s+with|sat\s+with|met\s+with"
    r"|support(?:ed|ing)?|help(?:ed|ing)?|handled|referred|referral\s+for|keep(?:ing)?\s+an\s+eye\s+on|visit(?:ed|ing)?"
)
_INITIALS_AS_SOMEONE = lazy_compile(
    rf"(?i:\b(?:{_WITH_SOMEONE}|(?:my|our|the|a|this)\s++(?:[\w-]++\s++){{0,3}}?(?:child|pupil|student|boy|girl|lad|kid"
    r"|toddler|yp|young\s+person|son|daughter|foster\s+child)))\s++"
    r"(?-i:([A-Z]{2,3}(?![\w'’&-])|[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?(?!\w)))"
)
# "JT in my class said his dad kicks him", "KM told me": initials before where the child is in school
# or what they said (an agency "said" too, so its abbreviations are set aside)
_INITIALS_THEN_WHERE_OR_SAID = lazy_compile(
    r"(?<![\w'’&-])([A-Z]{2,3})\s++(?=(?i:in\s+(?:my\s+class|reception|nursery|(?:year|yr|y)\s*\d)"
    r"|says|said|told|disclosed|tells|has\s+(?:told|said|disclosed))\b)"
)
# "whats happening with Tayla Reed": a given name English does not know before a surname ("Brambleside
# Primary" and "Wybourne Estate" are places)
_PLACE_KINDS_TEXT = """
    primary academy school college infants juniors nursery road street lane avenue close estate centre center
    house court farm park hall church surgery practice hospital ward unit team trust services station way drive
    green hill wood woods view manor lodge gardens place rise grove mews meadow meadows fields
"""
_PLACE_KINDS = frozenset(_PLACE_KINDS_TEXT.split())
_UNKNOWN_THEN_SURNAME = lazy_compile(rf"(?<![\w'-])({_CAPITAL})\s+({_CAPITAL})\b")


# "Amari 16 and Jace 13 both missing", "summer and storm are 4 and 6": two children, each with an age
_TWO_WITH_AGES = lazy_compile(
    rf"(?<![\w'-])([{_UPPER}]?[{_LOWER}]+)\s*+,?\s*+\(?(?:1[0-7]|[1-9])\)?\s+(?:and|&)\s+([{_UPPER}]?[{_LOWER}]+)\s*+,?\s*+"
    r"\(?(?:1[0-7]|[1-9])\)?(?=\s*(?:,|both|are|were|who|have|has|is|was|yo|y/o|yrs?|years?\s+old|$))"
    rf"|(?<![\w'-])([{_UPPER}]?[{_LOWER}]+)\s+(?:and|&)\s+([{_UPPER}]?[{_LOWER}]+)\s+(?:are|were)\s+(?:aged\s+)?"
    r"(?:1[0-7]|[1-9])\s+(?:and|&)\s+(?:1[0-7]|[1-9])\b(?!\s*(?:%|am|pm|hours|hrs|days|weeks|months|mins|minutes|times))"
)


_ORDINARY_IN_CAPITALS = 5.0  # "OK", "IT", "US" typed in capitals are words, not anyone's initials
_CAPITAL_PAIR = re.compile(r"[A-Z]\.?\s?[A-Z]")


def _has_capital_pair(text: str) -> bool:
    return _CAPITAL_PAIR.search(text) is not None


def _shouted(text: str) -> bool:
    """A line typed mostly in capitals ("LEON HAS TOLD ME"), where capitals say nothing of initials."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _child_with_an_age(word: str) -> bool:
    """A word before a child's age that is a name: a given name, or a capitalised word English hardly uses."""
    low = word.lower()
    if low in NOT_NAMES or low in _MONTHS_AND_DAYS or low in _NUMBERED_PARTS:
        return False
    return _given(low) or (word[0].isupper() and word_zipf(low) < 3.5)


# the parts of a document or a course that go by a number ("Annex 2 and Annex 3 are")
_NUMBERED_PARTS_TEXT = "annex appendix para paragraph clause schedule tier phase step part slide module unit"
_NUMBERED_PARTS = frozenset(_NUMBERED_PARTS_TEXT.split())


def _names_in_more_forms(text: str) -> Iterator[Finding]:
    """The forms the blind guard sets of 2026-12-05 showed: a relative's name after "is" or "called",
    a possessive with no apostrophe, names before an age, initials with a year, an unknown given name
    before a surname, quoted nicknames, lower-case family plurals, another language's Mrs or Mr."""
    for m in _INITIALS_WITH_AGE.finditer(text):
        if m.group(1) not in _NOT_INITIALS_IN_CAPITALS:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _TWO_WITH_AGES.finditer(text) if " and " in text or "&" in text else ():
        one, other = (1, 2) if m.group(1) else (3, 4)
        if _child_with_an_age(m.group(one)) and _child_with_an_age(m.group(other)):
            yield Finding(NAME, m.start(one), m.end(one))
            yield Finding(NAME, m.start(other), m.end(other))
    for m in _INITIALS_WITH_FAMILY.finditer(text):
        if m.group(1).replace(".", "") not in _NOT_INITIALS_IN_CAPITALS:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _CHILD_THEN_INITIALS.finditer(text):
        if m.group(1) not in _NOT_INITIALS_IN_CAPITALS:
            yield Finding(NAME, m.start(1), m.end(1))
    capital_pairs = _has_capital_pair(text) and not _shouted(text)
    for m in _INITIALS_THEN_WHERE_OR_SAID.finditer(text) if capital_pairs else ():
        # "and MUM said nothing", "then HE said": a word in capitals for emphasis is no one's initials
        if m.group(1) not in _NOT_INITIALS_IN_CAPITALS and word_zipf(m.group(1).lower()) < _ORDINARY_IN_CAPITALS:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _INITIALS_AS_SOMEONE.finditer(text) if capital_pairs else ():
        letters = m.group(1).replace(".", "").replace(" ", "")
        abbreviation = letters in _NOT_INITIALS_IN_CAPITALS
        shouted_word = "." not in m.group(1) and word_zipf(letters.lower()) >= _ORDINARY_IN_CAPITALS
        if not abbreviation and not shouted_word:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _UNKNOWN_THEN_SURNAME.finditer(text):
        first, last = m.group(1).lower(), m.group(2).lower()
        unknown = word_zipf(first) < KEPT_ZIPF and first not in NOT_NAMES and "-" not in first
        surname_like = last in SURNAMES or (word_zipf(last) < 4.5 and last not in _PLACE_KINDS)
        if unknown and surname_like and last not in NOT_NAMES and not _public_figure(text, m.start(1)):
            yield Finding(NAME, m.start(1), m.end(2))
    for m in _QUOTED_AS_CALLED.finditer(text) if "call" in text else ():
        yield Finding(NAME, m.start(1), m.end(1))
    for m in _OTHERS_CALL_QUOTED.finditer(text) if "call" in text or "know" in text else ():
        yield Finding(NAME, m.start(1), m.end(1))
    for m in _QUOTED_APPOSED.finditer(text) if any(q in text for q in "'\"‘“") else ():
        yield Finding(NAME, m.start(1), m.end(1))
    for m in _QUOTED_NICKNAME.finditer(text) if any(q in text for q in "'\"‘“") else ():
        yield Finding(NAME, m.start(1), m.end(1))
    for m in _SAID_TO_BE_A_NAME.finditer(text) if "name" in text.lower() else ():
        yield Finding(NAME, m.start(1), m.end(1))
    for m in _BARE_POSSESSIVE.finditer(text):
        base = m.group(1).lower()
        given = base in GIVEN_NAMES or base in EVERYDAY_GIVEN_NAMES
        if given and base not in NOT_NAMES and not _public_figure(text, m.start(1)):
            yield Finding(NAME, m.start(1), m.end(1) + 1)
    for m in _NAMES_THEN_AGE.finditer(text):
        words = m.group(1).split()
        known = any(w.lower() in GIVEN_NAMES or w.lower() in SURNAMES for w in words)
        if known and not any(w.lower() in NOT_NAMES or w.lower() in _MONTHS_AND_DAYS for w in words):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _RELATIVE_IS_NAMED.finditer(text):
        low = m.group(1)
        given = low in GIVEN_NAMES or low in EVERYDAY_GIVEN_NAMES
        surname = m.group(2)
        joined = surname is not None and ("'" in surname or "-" in surname)  # "o'neill", "smith-jones"
        if surname and not joined and surname not in SURNAMES and word_zipf(surname) >= _ORDINARY_ZIPF:
            continue  # "her nan is pat very often": not a surname after it
        # a surname after it makes a name of a word no list holds ("maggie o'neill")
        given = given or (bool(surname) and word_zipf(low) < 4.5 and not low.endswith("ing"))
        if given and low not in NOT_NAMES and low not in _ADJECTIVE_NAMES:
            yield Finding(NAME, m.start(1), m.end(2) if surname else m.end(1))
    for m in _QUOTED_PERSON.finditer(text) if any(q in text for q in "'\"‘“") else ():
        words = re.findall(r"\w+", m.group(1))  # one rare word, or an initial: not "with 'some lads' who"
        if any(len(w) == 1 and w.isupper() for w in words) or (len(words) == 1 and word_zipf(words[0].lower()) < 4.0):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _LOWER_FAMILY_DOING.finditer(text):
        plural, base = m.group(1), m.group(1)[:-1]
        known_base = base in SURNAMES or 0.0 < word_zipf(base) < 3.5
        if word_zipf(plural) == 0.0 and known_base and base not in NOT_NAMES:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _NAME_AGE_DOING.finditer(text):
        low = m.group(1).lower()
        if (low in GIVEN_NAMES or low in EVERYDAY_GIVEN_NAMES) and low not in _MONTHS_AND_DAYS:
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _FOREIGN_TITLE.finditer(text):
        word = m.group(1)
        if word.lower() not in NOT_NAMES and (word[0].isupper() or not is_ordinary(word)):
            yield Finding(NAME, m.start(1), m.end(1))


def _name_in_a_pair(word: str) -> bool:
    """A given name; an everyday one ("Hope") only with its capital."""
    low = word.lower()
    if low in NOT_NAMES:
        return False
    if low in GIVEN_NAMES and (word[0].isupper() or word_zipf(low) < _EVERYDAY_ZIPF):
        return True
    return word[0].isupper() and low in EVERYDAY_GIVEN_NAMES


def _other_names(text: str) -> Iterator[Finding]:
    yield from _word_names(text)
    yield from _lower_full_names(text)
    yield from _more_person_places(text)
    yield from _names_where_only_a_person_fits(text)
    yield from _names_in_more_forms(text)
    for m in _FROM_THE_FAMILY.finditer(text):
        word = m.group(1)
        opens = _CLAUSE_START.search(text[max(0, m.start(1) - 40) : m.start(1)]) is not None
        if opens and word not in NOT_NAMES and (word in GIVEN_NAMES or word_zipf(word) < KEPT_ZIPF):
            yield Finding(NAME, m.start(1), m.end(1))
    for m in _NICKNAMED.finditer(text):
        word, low = m.group(1), m.group(1).lower()
        if low not in _NOT_A_NICKNAME and low not in NOT_NAMES and (word[0].isupper() or word_zipf(low) < 5.0):
            yield Finding(NAME, m.start(1), m.end(1))
    lowered = text.lower()
    for m in _ALL_CALL.finditer(text) if " call" in lowered else ():
        low, quoted = m.group(2).lower(), m.group(1) is not None
        # "they call it", "we call 999": not what they call someone
        if low not in NOT_NAMES and low not in _NOT_CALLED and (quoted or word_zipf(low) < _EVERYDAY_ZIPF):
            yield Finding(NAME, m.start(2), m.end(2))
    for m in _QUOTED_WHO.finditer(text):
        yield Finding(NAME, m.start(1), m.end(1))
    for m in _PAIR_OF_CHILDREN.finditer(text) if any(w in lowered for w in _PAIR_WORDS) else ():
        words = (m.group(1), m.group(2))
        if all(_name_in_a_pair(w) for w in words):
            yield Finding(NAME, m.start(1), m.end(1))
            yield Finding(NAME, m.start(2), m.end(2))


def named_people(text: str) -> Iterator[Finding]:
    """Every name found, where it is in `text`. "siobhán says her da ...": the lower-case patterns
    read a-z, so a text with accents is read without them (typed as one character or as a letter
    and a mark after it), and each finding is put back where its letters are."""
    if text.isascii():
        yield from _named_people(text)
        return
    # read twice where a letter has no accent to take off ("łukasz", "đorđe"): with it as a plain
    # letter (a name list knows "lukasz"), and kept (a word English lacks: "đorđe", not "dorde")
    kept, plain_too = _unaccented_with_places(text, expand=False), _unaccented_with_places(text, expand=True)
    readings = [kept] if plain_too == kept else [kept, plain_too]
    seen: set[tuple[int, int]] = set()
    for plain, where in readings:
        for found in _named_people(plain):
            end = where[found.end - 1] + 1
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1  # the marks typed after the name's last letter are the name's
            if (where[found.start], end) not in seen:
                seen.add((where[found.start], end))
                yield Finding(found.kind, where[found.start], end)


def _unaccented_with_places(text: str, *, expand: bool) -> tuple[str, tuple[int, ...]]:
    """The text with each accented letter as its plain one and marks typed apart left out, and
    where in `text` each of its characters was; with `expand`, letters with no accent to take off
    too ("ł" as "l", "ß" as "ss") and ligatures ("ﬁ" as "fi", two letters from one place)."""
    chars: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        if unicodedata.combining(c):
            continue
        plain = _unaccented(c)
        if expand and c in _PLAIN_LETTERS_TEXT:
            plain = c.translate(_PLAIN_LETTERS)
        elif len(plain) != 1 or not (c.isalpha() and plain.isascii()):
            plain = c  # "Ǉ" is no "LJ"
        chars.extend(plain)
        where.extend([i] * len(plain))
    return "".join(chars), tuple(where)


# Letters with no decomposition into a plain one and a mark ("łukasz wiśniewski", a blind guard audit)
_PLAIN_LETTERS_MAP = (
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ı": "i", "ŧ": "t", "Ŧ": "T"}
    | {"ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"}
    | {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl"}
)
_PLAIN_LETTERS_TEXT = frozenset(_PLAIN_LETTERS_MAP)
_PLAIN_LETTERS = str.maketrans(_PLAIN_LETTERS_MAP)


def _named_people(text: str) -> Iterator[Finding]:
    yield from _titled_or_introduced(text)
    yield from _other_names(text)
    yield from _cued_names(text)
    yield from _person_place_names(text)
    yield from _listed_names(text)
    yield from _bare_names(text)


def everything_else_named(text: str, found: list[Finding]) -> Iterator[Finding]:
    """Once a text names someone, the rest of what could name them goes too: other name-like
    words ("the Smith family (Kayden, ...)") and the school they attend."""
    if not any(f.kind == NAME for f in found):
        return
    for m in _SCHOOL_NAME.finditer(text):
        yield Finding(SCHOOL, m.start(), m.end())
    for m in _WORD.finditer(text):
        word = m.group()
        capital = word[0].isupper() and not word.isupper()
        if capital and _could_be_name(word) and not is_ordinary(word) and not _public_figure(text, m.start()):
            yield Finding(NAME, m.start(), m.end())
