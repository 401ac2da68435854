"""/threshold: which level of need a worry suggests, what to do and whom to contact.

Content: `levels.yaml` in the content pack (the `Levels` model below): the continuum, the
concern topics, and each level with its summary, route, actions, contacts and indicators. Each
indicator belongs to one of the Assessment Framework's three domains and is tagged by topic.

Wording rules, held by tests: an answer never says that a case "meets" a threshold or not;
every answer ends with the emergency route and the reminder that this supports professional
judgement. Identifying details in the question are redacted before matching and never kept.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import Field
from rapidfuzz import fuzz, process

from core.contentpack import Cited, ContentPack, Section, Strict
from core.context import Context
from core.model import Button, Buttons, Caption, Divider, Header, Reply, Request, Text, reply
from core.registry import action, command
from handlers import contacts, guidance

MAX_RESULTS = 5
MAX_PER_LEVEL = 2  # so a short list still shows the neighbouring levels


class Domain(StrEnum):
    CHILD = "child"
    PARENTING = "parenting"
    FAMILY = "family"


DOMAIN_NAMES = {
    Domain.CHILD: "the child's developmental needs",
    Domain.PARENTING: "parenting capacity",
    Domain.FAMILY: "family and environmental factors",
}


class Topic(Cited):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    aliases: list[str] = Field(default_factory=list)  # more words that point at this topic
    note: str = ""  # shown whenever an answer involves this topic, e.g. a local requirement


class Indicator(Cited):
    text: str
    domain: Domain
    topics: list[str] = Field(min_length=1)


class Level(Cited):
    number: int = Field(ge=1, le=9)
    name: str
    aliases: list[str] = Field(default_factory=list)
    summary: str
    route: str  # the kind of support: single agency, early help, children's social care
    do: list[str] = Field(min_length=1)  # what the practitioner should do, in order
    do_short: str  # the same in one line, for lists
    who_to_contact: str
    contacts: list[str] = Field(default_factory=list)  # ids in contacts.yaml
    indicators: list[Indicator] = Field(default_factory=list)
    # How strongly this level's indicators compete in free-text matches. Below 1 for a universal
    # level, whose indicators describe things going well rather than worries.
    match_weight: float = Field(default=1.0, gt=0, le=1)

    @property
    def title(self) -> str:
        return f"Level {self.number} — {self.name}"


class Continuum(Cited):
    title: str
    text: str


class Levels(Strict):
    continuum: Continuum
    topics: list[Topic] = Field(min_length=1)
    levels: list[Level] = Field(min_length=2)

    def level(self, number: int) -> Level | None:
        return next((lv for lv in self.levels if lv.number == number), None)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)


def _check(pack: ContentPack, value: Any) -> Iterable[tuple[tuple[Any, ...], str]]:
    assert isinstance(value, Levels)
    problems: list[tuple[tuple[Any, ...], str]] = []
    topic_ids = {t.id for t in value.topics}
    if len(topic_ids) != len(value.topics):
        problems.append((("topics",), "two topics share an id"))
    numbers = [lv.number for lv in value.levels]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append((("levels",), f"levels must be numbered 1, 2, 3... in order; found {numbers}"))
    book = pack.find(contacts.Contacts)
    for i, level in enumerate(value.levels):
        for contact_id in level.contacts:
            if book is None or book.by_id(contact_id) is None:
                message = f"level {level.number} names contact {contact_id!r}, not in contacts.yaml"
                problems.append((("levels", i, "contacts"), message))
        for j, indicator in enumerate(level.indicators):
            for topic in indicator.topics:
                if topic not in topic_ids:
                    message = f"topic {topic!r} is not listed under topics"
                    problems.append((("levels", i, "indicators", j, "topics"), message))
    return problems


# The match index is built by the running bot in a thread once it is ready (core.contentpack
# warm_pack), not while the pack is validated: start-up and `sgbot content validate` skip it.
LEVELS = Section("levels", "levels.yaml", Levels, cross_check=_check, warm=lambda pack: index_of(pack))


# --- matching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    level: Level
    indicator: Indicator


# A concept phrase: one or more parts ("a + b": both anywhere in the question), each a run of
# slots (the stems one word position accepts) with at most GAP other words between slots.
Slots = tuple[frozenset[str], ...]
GAP = 3
MAX_PARTS = 8  # parts one phrase may join with "+"


@dataclass(frozen=True, slots=True)
class Pattern:
    concept: int  # index into ThresholdIndex.concepts
    parts: tuple[Slots, ...]
    # per part, the words it needs whatever the classes ("on the gear": on, the, gear), so a
    # question without them is passed over before any position is tried
    needs: tuple[frozenset[str], ...] = ()


@dataclass
class ThresholdIndex:
    levels: Levels
    entries: list[Entry]
    text: guidance.TextIndex
    topics: dict[str, Topic]
    # term -> (topic id, all the terms of one of its names): to say which topic a question names
    # term -> (topic id, all the terms of one of its names, and the name's own words when the
    # terms left some out: "risk to children" is named only by those three words together)
    topic_names: dict[str, list[tuple[str, frozenset[str], tuple[str, ...]]]]
    level_names: dict[str, int]  # "intensive", "level three", "l3" -> 3
    level_pattern: re.Pattern[str]  # any level name as whole words
    concepts: list[guidance.Concept] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)
    # stem -> (pattern, part) whose first slot accepts it, each as pattern * MAX_PARTS + part in a
    # compact array (57,000 of them: as tuples they took 2.7 MB): only patterns a question touches
    # are tried
    starts: dict[str, array[int]] = field(default_factory=dict)
    ignore: list[Slots] = field(default_factory=list)  # idioms, as slots ("kicked {victim} out")
    # patterns that say an idiom themselves ("kicked out" for "kicked her out"): read across it
    owners: frozenset[int] = frozenset()
    idiom_starts: dict[str, list[Slots]] = field(default_factory=dict)  # stem -> idioms it can begin
    # topic id -> its indicators most worth considering for a concern, main topic and focused first;
    # at most CHAMPIONS, so answering a concern costs the same however large the pack grows
    by_topic: dict[str, list[int]] = field(default_factory=dict)
    members: dict[str, frozenset[int]] = field(default_factory=dict)  # topic id -> all its indicators
    # concept -> its topics' indicators that share most of its hint words, also at most CHAMPIONS
    by_concept: dict[int, list[int]] = field(default_factory=dict)
    meaning_of: dict[int, dict[int, float]] = field(default_factory=dict)  # concept -> entry -> hint weight
    level_one: frozenset[int] = frozenset()  # indicators of level 1, the "going well" ones
    fingerprint: str = ""  # changes when the indicators change; carried by the More button
    hints: dict[int, tuple[str, ...]] = field(default_factory=dict)  # concept -> its hint terms
    name_words: dict[str, frozenset[str]] = field(default_factory=dict)  # topic id -> words of its names
    # topic id -> every term its indicators and its concepts' hints use: the words that go with it
    terms_by_topic: dict[str, frozenset[str]] = field(default_factory=dict)


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _texts(pack: ContentPack) -> list[str]:
    levels = pack.get(Levels)
    out = [f"{t.name} {' '.join(t.aliases)}" for t in levels.topics]
    out += [i.text for lv in levels.levels for i in lv.indicators]
    return out


def _build(pack: ContentPack) -> ThresholdIndex:
    levels = pack.get(Levels)
    vocabulary = guidance.vocabulary(pack, _texts, "threshold")
    topics = {t.id: t for t in levels.topics}
    entries: list[Entry] = []
    documents: list[tuple[Any, str, float]] = []
    for level in levels.levels:
        for indicator in level.indicators:
            tags = " ".join(f"{topics[t].name} {' '.join(topics[t].aliases)}" for t in indicator.topics)
            entries.append(Entry(level, indicator))
            documents.append((len(entries) - 1, f"{indicator.text} {tags}", level.match_weight))
    text_index = guidance.TextIndex.build(vocabulary, documents)
    topic_names: dict[str, list[tuple[str, frozenset[str], tuple[str, ...]]]] = {}
    for topic in levels.topics:
        for name in (topic.name, *topic.aliases):
            terms = frozenset(vocabulary.analyse(name, correct=False).terms)
            words = tuple(guidance.words_of(name))
            whole = words if any(w in guidance.STOPWORDS for w in words) else ()
            for term in terms:
                topic_names.setdefault(term, []).append((topic.id, terms, whole))
    names: dict[str, int] = {}
    for level in levels.levels:
        for name in (level.name, *level.aliases):
            names[" ".join(guidance.words_of(name))] = level.number
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n) + r")\b")
    index = ThresholdIndex(levels, entries, text_index, topics, topic_names, names, pattern)
    for topic in levels.topics:
        index.name_words[topic.id] = frozenset(w for n in (topic.name, *topic.aliases) for w in guidance.words_of(n))
    for number, entry in enumerate(entries):
        for topic_id in entry.indicator.topics:
            index.by_topic.setdefault(topic_id, []).append(number)
    index.members = {t: frozenset(numbers) for t, numbers in index.by_topic.items()}
    index.terms_by_topic = {
        t: frozenset(term for i in numbers for term in text_index.terms[i]) for t, numbers in index.members.items()
    }
    index.level_one = frozenset(i for i, e in enumerate(entries) if e.level.number == 1)
    for topic_id, numbers in index.by_topic.items():
        numbers.sort(key=lambda i: (entries[i].indicator.topics[0] != topic_id, text_index.entry_weight[i], i))
        del numbers[guidance.CHAMPIONS :]
    digest = hashlib.sha256("\n".join(f"{e.level.number}|{e.indicator.text}" for e in entries).encode())
    index.fingerprint = digest.hexdigest()[:6]
    synonyms = pack.find(guidance.Synonyms)
    if synonyms is not None:
        _compile_concepts(index, synonyms, vocabulary)
    return index


# Irregular and everyday forms concept phrases read as one word ("told" as "tell", "mummy" as "mum"),
# so a phrase written in one tense or register matches the others.
_WORD_FORMS = {
    form: base
    for line in (
        "do: does did doing done",
        "have: has had having",
        "be: is are was were been being am im hes shes theyre its",
        "go: goes went gone going",
        "say: says said saying",
        "tell: tells told telling",
        "get: gets got getting gotten",
        "use: uses used using",
        "see: saw seen sees seeing",
        "make: made",
        "take: took taken",
        "give: gave given",
        "leave: left",
        "come: came",
        "run: ran",
        "keep: kept",
        "feel: felt",
        "sleep: slept",
        "beat: beaten",
        "throw: threw thrown",
        "shake: shook shaken",
        "fight: fought",
        "catch: caught",
        "find: found",
        "send: sent",
        "sell: sold",
        "steal: stole stolen",
        "hide: hid hidden",
        "speak: spoke",
        "eat: ate eaten",
        "buy: bought",
        "bring: brought",
        "hurt: hurts",
        "not: wouldnt shouldnt couldnt mustnt",
        "mum: mummy mommy mom mam mummys moms",
        "dad: daddy daddys dada",
    )
    for base, _, forms in [line.partition(": ")]
    for form in forms.split()
}
# Words whose stem would join a different meaning: "missing" (gone) is not "missed" (an appointment).
_UNSTEMMED = frozenset(["missing"])
# "11 yr old", "3 month old": the age stands for a child, so "{adult} touch {victim}" reads
# "an uncle is touching the 11 yr old"
_AGE_UNITS = frozenset(["yr", "yrs", "year", "years", "month", "months", "week", "weeks", "yo"])


def _phrase_stem(word: str) -> str:
    """A word as concept phrases see it: stemmed, every negation read as "no" (so the phrase
    "no bed" also matches "doesn't have a bed" and "not fed" matches "never fed"), and irregular
    forms read as their base word."""
    word = _WORD_FORMS.get(word, word)
    if word in _UNSTEMMED:
        return word
    return NEGATED if word in NEGATIONS else guidance.stem(word)


def _stems(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(_phrase_stem(w) for w in words)


def _phrase_stems(words: list[str]) -> list[str]:
    """The stems of a question's words, with an age ("11 yr old", "13yo") read as a child."""
    out = [_phrase_stem(w) for w in words]
    for i, word in enumerate(words):
        if (word == "old" and i and words[i - 1] in _AGE_UNITS) or (word == "yo" and i and words[i - 1].isdigit()):
            out[i] = "child"
    return out


def _meaning(index: ThresholdIndex, i: int, hints: tuple[str, ...], level: int | None) -> float:
    """How well an indicator says what a concept means: its hint words, and a serious signal's level."""
    shared = sum(index.text.weights.get(t, 0.0) for t in hints if t in index.text.terms[i])
    return shared + (SERIOUS_BONUS if index.entries[i].level.number == level else 0.0)


_SETS: dict[frozenset[str], frozenset[str]] = {}


def _shared(words: frozenset[str]) -> frozenset[str]:
    """One shared copy of each set of stems: the index holds tens of thousands of one-word slots
    and many equal `needs`, and a frozenset costs more memory than the stems in it."""
    return _SETS.setdefault(words, words)


def _slots(text: str, classes: dict[str, frozenset[str]]) -> Slots:
    """A phrase or idiom as slots: a word's stem, or every stem of a `{class}`; read as a
    question is (see _phrase_stems), so "month old" matches "3 month old"."""
    items: list[str | frozenset[str]] = []
    for token in re.findall(r"\{[a-z0-9-]+\}|[^\s{}]+", text.lower()):
        if token.startswith("{"):
            items.append(classes.get(token[1:-1], frozenset()))
        else:
            items.extend(guidance.words_of(token))
    words = [item if isinstance(item, str) else "" for item in items]
    stems = _phrase_stems(words)
    return tuple(_shared(frozenset({stems[k]})) if isinstance(item, str) else item for k, item in enumerate(items))


def _literal(slots: Slots) -> list[str]:
    """The words a phrase or idiom says as they are (a slot of one word), in order."""
    return [next(iter(s)) for s in slots if len(s) == 1]


def _owns(part_words: list[str], idiom_words: list[str]) -> bool:
    """Whether a phrase says an idiom's own words, in order ("kicked out" and "kicked {victim} out").
    Both are `_literal` lists; an idiom of one literal word owns nothing."""
    it = iter(part_words)
    return len(idiom_words) > 1 and all(w in it for w in idiom_words)


def _owned_by_an_idiom(parts: list[Slots], idioms: list[tuple[list[str], frozenset[str]]]) -> bool:
    for part in parts:
        words = _literal(part)
        present = frozenset(words)
        # An idiom whose words are not all in the part cannot be said by it: most are skipped here.
        if any(needed <= present and _owns(words, idiom) for idiom, needed in idioms):
            return True
    return False


def _compile_concepts(index: ThresholdIndex, synonyms: guidance.Synonyms, vocabulary: guidance.Vocabulary) -> None:
    classes = {name: frozenset(_stems(w for m in members for w in guidance.words_of(m)))
               for name, members in synonyms.words.items()}  # fmt: skip
    index.ignore = [s for s in (_slots(i, classes) for i in synonyms.ignore) if s and all(s)]
    for idiom in index.ignore:
        for stem_ in sorted(idiom[0]):
            index.idiom_starts.setdefault(stem_, []).append(idiom)
    idioms = [(words, frozenset(words)) for words in map(_literal, index.ignore) if len(words) > 1]
    known = set(index.topics)
    said_of: dict[str, set[str]] = {}  # topic id -> the words its concepts' hints and phrases use
    for concept in synonyms.concepts:
        if not any(t in known for t in concept.topics):
            continue  # the pack's cross-check reports it; a concept with no topic here finds nothing
        index.concepts.append(concept)
        c = len(index.concepts) - 1
        hint_terms = (t for h in concept.hints for t in vocabulary.analyse(h, correct=False).terms)
        index.hints[c] = hints = tuple(dict.fromkeys(hint_terms))
        numbers = [i for i, e in enumerate(index.entries) if set(e.indicator.topics) & set(concept.topics)]
        scored = sorted((-_meaning(index, i, hints, concept.level), i) for i in numbers)
        index.by_concept[c] = [i for _score, i in scored[: guidance.CHAMPIONS]]
        index.meaning_of[c] = {i: _meaning(index, i, hints, None) for i in index.by_concept[c]}
        said = set(hints)
        for phrase in concept.phrases:
            parts: list[Slots] = []
            for part in phrase.split(" + "):
                slots = _slots(part, classes)
                if slots and all(slots):
                    parts.append(slots)
            if not parts:
                continue
            if len(parts) > MAX_PARTS:
                raise ValueError(f"a thesaurus phrase has more than {MAX_PARTS} parts joined by +: {phrase!r}")
            if _owned_by_an_idiom(parts, idioms):
                index.owners = index.owners | {len(index.patterns)}
            needs = tuple(_shared(frozenset(next(iter(slot)) for slot in part if len(slot) == 1)) for part in parts)
            index.patterns.append(Pattern(c, tuple(parts), needs))
            said.update(stem_ for part in parts for slot in part for stem_ in slot)
            for k, slots_ in enumerate(parts):
                for stem_ in sorted(slots_[0]):
                    index.starts.setdefault(stem_, array("L")).append((len(index.patterns) - 1) * MAX_PARTS + k)
        for topic_id in concept.topics:
            said_of.setdefault(topic_id, set()).update(said)
    for topic_id, words in said_of.items():
        index.terms_by_topic[topic_id] = index.terms_by_topic.get(topic_id, frozenset()) | words


INDEX_NAME = "threshold"


def index_of(pack: ContentPack) -> ThresholdIndex:
    return guidance.cached(pack, INDEX_NAME, _build)


_LEVEL_REF = re.compile(r"\b(?:level|lvl|l)\s*[-:]?\s*(\d|one|two|three|four|five|six)\b", re.IGNORECASE)
_ONLY_NUMBER = re.compile(r"^\s*(\d)\s*$")
# Questions asking the bot for a decision about a case.
_VERDICT = re.compile(
    r"\b(meets?|meeting|met|reach(?:es|ed)?|qualif\w*|enough\s+for|eligible|is\s+(?:this|it)|does\s+(?:this|it)"
    r"|would\s+(?:this|it)|should\s+(?:this|it|i)|which\s+level|what\s+level|threshold\s+for)\b",
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


# --- assessing a question ----------------------------------------------------------------------

# Words that turn a phrase into a worry ("no food", "not brought"); a question holding one is
# never answered with a level-1 "going well" indicator.
_NEGATION_WORDS = (
    "no not never without nothing nobody none cant cannot wont dont doesnt didnt isnt arent hasnt havent "
    "wasnt werent aint refuses refused"
)
NEGATIONS = frozenset(_NEGATION_WORDS.split())
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
DENIAL_REACH = 4
_TURNS = frozenset(["but", "and", "though", "although", "however", "yet", "so", "because", "cos", "except", "just"])


def denied_positions(words: list[str]) -> frozenset[int]:
    """Positions of the words a denial before them reaches."""
    out: set[int] = set()
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in _DENYING or (word in _SHORT_DENIALS and following in _DENIED_NOUNS):
            reach = DENIAL_REACH
        elif word in _SHORT_DENIALS:
            reach = 3 if words[i + 2 : i + 3] in (["or"], ["nor"]) else 1  # "no marks or injuries"
        else:
            continue
        for k in range(i + 1, min(i + 1 + reach, len(words))):
            if words[k] in _TURNS:
                break
            out.add(k)
    return frozenset(out)


NEGATED = "no"  # how concept phrases read every negation
# Words that say a question is about a child or family, even when nothing in the pack is close.
_CONTEXT_WORDS = (
    "child children kid kids baby babies infant toddler teenager teen young pupil pupils student students "
    "girl boy son daughter mum dad mother father parent parents carer carers family families safeguarding "
    "worried worry concern concerned concerns dsl welfare harm risk abuse unsafe boyfriend girlfriend yo "
    "referral uncle aunt auntie grandad grandma nan stepdad stepmum stepbrother stepsister brother sister cousin "
    "lodger niece nephew grandson granddaughter"
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
    "gym fitness fixture fixtures league tournament darts snooker quiz bake raffle santa annual"
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
    "toddlers newborn victim ex man men woman women lodger neighbour adult adults"
)
_PEOPLE = frozenset(_PEOPLE_WORDS.split())
# An age names a person ("year 8", "3 month old"); the same words alone are dates ("this month").
_AGE_WORDS = frozenset(["yr", "yrs", "year", "years", "month", "months", "old", "yo"])


def _names_a_person(words: list[str]) -> bool:
    return any(
        w in _PEOPLE
        or (
            w in _AGE_WORDS
            and 0 < i < len(words)
            and (words[i - 1].isdigit() or words[i + 1 : i + 2] and words[i + 1].isdigit())
        )
        for i, w in enumerate(words)
    )


_AGE = re.compile(r"\b(\d{1,2})(yo|yrs?|y/o|years?|months?|weeks?|wks?)\b", re.IGNORECASE)  # "13yo" -> "13 yo"
STRONG = 2.5  # matched weight (idf) that counts as close on its own, without a recognised concern
SERIOUS_BONUS = 3.0  # a serious signal's own level outranks any wording
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
    matched: tuple[str, ...] = ()  # words that matched, as typed
    serious: bool = False  # a serious signal put its level's indicators first


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


def _part_at(slots: Slots, stems: list[str], start: int) -> list[int]:
    """Where the slots after the first match, from `start`; empty when they don't. A negation
    reaches only to the next one: "isn't eating, isn't sleeping" does not read "not sleeping"
    from the first "isn't"."""
    at = [start]
    negated = stems[start] == NEGATED
    for slot in slots[1:]:
        for nxt in range(at[-1] + 1, min(at[-1] + 2 + GAP, len(stems))):
            if stems[nxt] in slot:
                at.append(nxt)
                break
            if negated and stems[nxt] == NEGATED:
                return []
        else:
            return []
    return at


def found_concepts(
    index: ThresholdIndex, words: list[str], masked: list[str] | None = None, denied: frozenset[int] | None = None
) -> tuple[list[tuple[int, int]], set[str]]:
    """(concept, first position) for each concept the words describe: serious signals first,
    then in the order the asker mentioned them; and the stems those phrases began with."""
    raw = _phrase_stems(words)
    stems = _masked(index, raw) if masked is None else masked
    parts_seen: dict[int, dict[int, list[int]]] = {}  # pattern -> part -> the positions it matched
    present = set(raw)
    for position, stem_ in enumerate(stems):
        for code in index.starts.get(stem_, ()):
            pattern_no, part_no = divmod(code, MAX_PARTS)
            pattern = index.patterns[pattern_no]
            if not pattern.needs[part_no] <= present:
                continue
            seen = parts_seen.setdefault(pattern_no, {})
            if part_no not in seen and (where := _part_at(pattern.parts[part_no], stems, position)):
                seen[part_no] = where
    if index.owners and stems != raw:
        # a phrase that says an idiom itself ("kicked out") reads the words the idiom hid
        for position, stem_ in enumerate(raw):
            for code in index.starts.get(stem_, ()):
                pattern_no, part_no = divmod(code, MAX_PARTS)
                if pattern_no not in index.owners or not index.patterns[pattern_no].needs[part_no] <= present:
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
    return ordered, taken


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
    return typed in raw or typed.removesuffix("s") in raw or typed.removesuffix("es") in raw


def assess(pack: ContentPack, text: str) -> Assessment:
    """The concerns a question describes and the closest indicators: the strongest one for each
    concern first (serious signals before the rest), then others close to the words used."""
    index = index_of(pack)
    vocabulary = index.text.vocabulary
    words = vocabulary.tokens(_AGE.sub(r"\1 \2", text))
    query = vocabulary.analyse_words(words)
    masked = _masked(index, _phrase_stems(words))
    verbs = _verbs(words)
    masked = ["" if w in verbs and w in _VERB_ONLY else s for w, s in zip(words, masked, strict=True)]
    denied = denied_positions(words)
    found, taken = found_concepts(index, words, masked, denied)
    # A word inside an idiom ("kicked" in "kicked her out"), or said only under a denial, names
    # no topic either.
    only_denied = set(words) - {w for k, w in enumerate(words) if k not in denied}
    hidden = {w for w, s in zip(words, masked, strict=True) if not s} | verbs | only_denied
    named = _named_topics(index, query, taken, words, hidden, others=bool(found))
    concerns: dict[str, None] = {}
    for c, _at in found:
        concerns.update(dict.fromkeys(t for t in index.concepts[c].topics if t in index.topics))
    concerns.update(dict.fromkeys(named))
    worry = bool(concerns) or any(w in NEGATIONS for w in words)

    idf, postings, terms_of = index.text.weights, index.text.postings, index.text.terms
    base: dict[int, float] = {}  # how much of what the asker typed each indicator shares
    shared: dict[int, int] = {}  # how many of the asker's words
    typed, common = dict(query.shown), guidance.common_words()
    for term in query.terms:
        weight = idf.get(term, 0.0)
        if typed.get(term, term) in common:  # "told", "year", "friend": rare in the pack, not in English
            weight *= COMMON_WEIGHT
        for i in postings.get(term, ()):
            base[i] = base.get(i, 0.0) + weight
            shared[i] = shared.get(i, 0) + 1
    entry_weight = index.text.entry_weight

    unusable = index.level_one if worry else frozenset()

    def usable(i: int) -> bool:
        return i not in unusable

    chosen: dict[int, Ranked] = {}

    def pick(
        topic_ids: Iterable[str], hints: tuple[str, ...], level: int | None, name: str, c: int | None = None
    ) -> int | None:
        """The indicator that best answers one concern: its meaning (hints) first, then the
        asker's words; a serious signal's own level before any wording."""
        best: tuple[float, int] | None = None
        wanted = set(topic_ids)
        known = index.meaning_of.get(c, {}) if c is not None else {}
        candidates = set(known)
        for t in wanted:
            candidates.update(index.by_topic.get(t, ()), base.keys() & index.members.get(t, frozenset()))
        candidates.difference_update(chosen, unusable)
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
        if best is None:
            return None
        chosen[best[1]] = _ranked(index, best[1], best[0], name)
        return index.entries[best[1]].level.number

    covered: set[str] = set()
    mentioned: dict[str, None] = {}
    serious = False
    # One indicator per concern first ("house dirty" and "no food" are both neglect: the second
    # waits until every other concern has its indicator), so the first screen spans them all.
    firsts = [c for n, (c, _at) in enumerate(found) if index.concepts[c].topics[0] not in
              {index.concepts[d].topics[0] for d, _ in found[:n]}]  # fmt: skip
    for c in [*firsts, *(c for c, _at in found if c not in firsts)]:
        if len(chosen) >= MAX_RANKED:
            break
        concept = index.concepts[c]
        picked_level = pick(concept.topics, index.hints.get(c, ()), concept.level, concept.name, c)
        serious = serious or (concept.level is not None and picked_level == concept.level)
        covered.update(concept.topics)
    for c, _at in found:
        _mention(mentioned, index.concepts[c].name)
    for topic_id in named:
        if topic_id not in covered and len(chosen) < MAX_RANKED:
            name = index.topics[topic_id].name
            mentioned.setdefault(name)
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
    if concerns:
        # "claim a hotel for the conference", "drinks after work": a workplace question that
        # happens to hold a worry's word, with nobody in it and no serious signal.
        off_topic = not any(index.concepts[c].level for c, _at in found) and (
            _workplace_only(words) or _stray_worry_word(index, words, taken, concerns)
        )
    else:
        off_topic = _off_topic(vocabulary, words, nothing_close, bool(index.concepts))
    if nothing_close or off_topic:
        ranked = []
    matched_terms = [t for t in query.terms if any(t in terms_of[r.number] for r in ranked[:FIRST_SCREEN])]
    return Assessment(
        ranked=ranked,
        concerns=tuple(concerns),
        off_topic=off_topic,
        nothing_close=nothing_close and not off_topic,
        mentioned=tuple(mentioned),
        matched=tuple(query.as_typed(matched_terms)),
        serious=serious,
    )


def _mention(mentioned: dict[str, None], name: str) -> None:
    """Name a recognised concern once: "school attendance and progress" beside "school
    attendance" says the same thing twice, so only the first of the two is kept."""
    words = set(name.split())
    if not any(words <= set(said.split()) or set(said.split()) <= words for said in mentioned):
        mentioned[name] = None


def _ranked(index: ThresholdIndex, i: int, score: float, concern: str) -> Ranked:
    entry = index.entries[i]
    return Ranked(i, entry.level.number, entry.indicator.text, tuple(entry.indicator.topics), round(score, 6), concern)


# Workplace words that only mark a question off-topic beside a worry's word and nobody at risk
# ("drinks after work", "petty cash for the party"); alone they are too common to refuse on.
_WORKPLACE_WORDS = "shift shifts training course courses party annual pub"
_WORKPLACE = _OFF_TOPIC | frozenset(_WORKPLACE_WORDS.split())


def _workplace_only(words: list[str]) -> bool:
    """Workplace or leisure words, and no child, family or other person in the question."""
    return any(w in _WORKPLACE for w in words) and not _names_a_person(words)


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


# --- answers -----------------------------------------------------------------------------------


def _contact_text(pack: ContentPack, level: Level) -> str:
    book = contacts.contacts_of(pack)
    numbers = [contacts.phone(c) for c in (book.by_id(i) for i in level.contacts) if c is not None and c.number]
    return level.who_to_contact + (f" ({'; '.join(numbers)})" if numbers else "")


def overview(pack: ContentPack) -> list[Any]:
    levels = pack.get(Levels)
    lines = [f"- **{lv.title}:** {lv.summary} _What to do:_ {lv.do_short}" for lv in levels.levels]
    return [
        Header(text=f"{levels.continuum.title} — {pack.partnership.short_name}"),
        Text(text=levels.continuum.text),
        Text(text="\n".join(lines)),
        Text(
            text="Describe what you're worried about for the closest indicators, e.g. "
            "`/threshold baby not brought to health appointments`, or see one level with `/threshold level 3`."
        ),
        *_sources(pack, [levels.continuum.source, *(lv.source for lv in levels.levels)]),
    ]


def level_in_full(pack: ContentPack, level: Level) -> list[Any]:
    blocks: list[Any] = [
        Header(text=level.title),
        Text(text=f"{level.summary}\n**Support:** {level.route}"),
        Text(text="**What to do**\n" + "\n".join(f"- {step}" for step in level.do)),
        Text(text=f"**Who to contact:** {_contact_text(pack, level)}"),
    ]
    for domain in Domain:
        items = [i for i in level.indicators if i.domain is domain]
        if items:
            heading = f"**Indicators — {DOMAIN_NAMES[domain]}** (examples, not a checklist)"
            blocks.append(Text(text=heading + "\n" + "\n".join(f"- {i.text}" for i in items)))
    blocks += _sources(pack, [level.source, *(i.source for i in level.indicators)])
    return blocks


def _sources(pack: ContentPack, refs: list[Any]) -> list[Any]:
    line = guidance.sources_line(pack, refs)
    return [line] if line else []


def _short_source(pack: ContentPack, ref: Any) -> str:
    """'Kent Support Level Guidance, Level 4 indicators': a document's name without its
    parenthesis or subtitle, and a section without its description."""
    doc = pack.document(ref.doc)
    title = re.split(r" \(|, ", doc.title if doc else ref.doc, maxsplit=1)[0]
    section = re.split(r" [–—-] |: ", ref.section, maxsplit=1)[0] if ref.section else ""
    return f"{title}, {section}" if section else title


def _short_sources(pack: ContentPack, refs: Iterable[Any]) -> Caption | None:
    """One short line: each document once, with the sections used from it."""
    by_doc: dict[str, dict[str, None]] = {}
    for ref in refs:
        title, _, section = _short_source(pack, ref).partition(", ")
        by_doc.setdefault(title, {}).update({section: None} if section else {})
    cited = [f"{title} ({'; '.join(sections)})" if sections else title for title, sections in by_doc.items()]
    return Caption(text="Source: " + "; ".join(cited)) if cited else None


def _listing(index: ThresholdIndex, ranked: list[Ranked], start: int) -> str:
    lines = []
    for n, item in enumerate(ranked, start=start):
        level = index.entries[item.number].level
        topics = ", ".join(t.name for t in (index.topics.get(tid) for tid in item.topics) if t)
        lines.append(f"{n}. {item.text}\n   **{level.title}** · {topics}")
    return "\n".join(lines)


def _what_to_do(index: ThresholdIndex, ranked: list[Ranked]) -> str:
    """Each level's next step, once, in the order the levels first appear."""
    levels = dict.fromkeys(index.entries[r.number].level.number for r in ranked)
    lines = [f"- **Level {n}:** {index.levels.level(n).do_short}" for n in levels]  # type: ignore[union-attr]
    return "**What to do**\n" + "\n".join(lines)


def _notes(index: ThresholdIndex, ranked: list[Ranked]) -> list[Topic]:
    ids = dict.fromkeys(t for r in ranked for t in r.topics)
    return [topic for tid in ids if (topic := index.topics.get(tid)) and topic.note]


def _note_text(topics: list[Topic]) -> str:
    return "**Also note**\n" + "\n".join(f"- **{t.name.capitalize()}:** {t.note}" for t in topics)


def _value(index: ThresholdIndex, ranked: list[Ranked], shown: int = 0) -> str:
    """A button's value: the pack's fingerprint, how many indicators the first screen showed, and
    the indicators' numbers; never the question."""
    return f"{index.fingerprint}:{shown}:" + ".".join(str(r.number) for r in ranked)


PHONE_BUDGET = 1000  # characters before the safety footer, so the first screen fits a phone


def matches_answer(pack: ContentPack, index: ThresholdIndex, assessment: Assessment, lead: list[Any]) -> list[Any]:
    """The first screen: up to three indicators (fewer when three would not fit a phone), each
    level's next step once, what was recognised, short sources, and buttons for the rest and
    the full citations."""
    if assessment.mentioned:
        intro = f"**You mentioned:** {', '.join(assessment.mentioned)}."
    else:
        intro = f"**Closest to:** {', '.join(assessment.matched[:6]) or 'your words'}."
    above = [Header(text="Closest indicators"), Text(text=f"{intro} Examples to compare, not a checklist.")]
    banner = guidance.sample_banner(pack)
    used = sum(len(b.text) + 1 for b in [*lead, *above, *([banner] if banner else [])])  # + a line break each

    def screen(shown: list[Ranked]) -> list[Any]:
        blocks: list[Any] = [Text(text=_listing(index, shown, 1)), Text(text=_what_to_do(index, shown))]
        sources = _short_sources(pack, (index.entries[r.number].indicator.source for r in shown))
        return [*blocks, *([sources] if sources else [])]

    first = assessment.ranked[:FIRST_SCREEN]
    body = screen(first)
    while len(first) > 1 and used + sum(len(b.text) + 1 for b in body) > PHONE_BUDGET:
        first = first[:-1]
        body = screen(first)
    used += sum(len(b.text) + 1 for b in body)
    rest = assessment.ranked[len(first) :]
    notes = _notes(index, first)
    if notes and used + len(_note_text(notes)) <= PHONE_BUDGET:
        body.insert(2, Text(text=_note_text(notes)))
        notes = []
    buttons = []
    if rest or notes:
        label = f"More ({len(rest)})" if rest else "More"
        value = _value(index, assessment.ranked, len(first))
        buttons.append(Button(label=label, action_id="threshold:more", value=value))
    buttons.append(Button(label="Full sources", action_id="threshold:sources", value=_value(index, first)))
    return [*above, *body, Buttons(buttons=buttons)]


def _offer_level(answer: list[Any], number: int) -> None:
    """Add a button for the level a question named to an answer's buttons."""
    buttons = next(b for b in answer if isinstance(b, Buttons))
    buttons.buttons.append(Button(label=f"Level {number} in full", action_id="threshold:level", value=str(number)))


def more_answer(pack: ContentPack, index: ThresholdIndex, ranked: list[Ranked], shown: int) -> list[Any]:
    """After "More": the indicators past the first screen, their next steps and every topic note."""
    rest = ranked[shown:]
    blocks: list[Any] = [Header(text="More indicators in the guidance")]
    if rest:
        blocks += [Text(text=_listing(index, rest, shown + 1)), Text(text=_what_to_do(index, rest))]
    if notes := _notes(index, ranked):
        blocks.append(Text(text=_note_text(notes)))
    refs = [index.entries[r.number].indicator.source for r in rest] + [t.source for t in notes]
    if sources := _short_sources(pack, refs):
        blocks.append(sources)
    blocks.append(Buttons(buttons=[
        Button(label="Full sources", action_id="threshold:sources", value=_value(index, rest or ranked))
    ]))  # fmt: skip
    return blocks


def sources_answer(pack: ContentPack, index: ThresholdIndex, ranked: list[Ranked], _shown: int = 0) -> list[Any]:
    """The full citation of each indicator shown: document, year, section and link."""
    lines: dict[str, None] = {}
    for item in ranked:
        ref = index.entries[item.number].indicator.source
        doc = pack.document(ref.doc)
        title = doc.title if doc else ref.doc
        year = f" ({doc.year})" if doc and doc.year and doc.year not in title else ""
        link = f" {doc.url}" if doc and doc.url else ""
        section = f", {ref.section}" if ref.section else ""
        lines.setdefault(f"- {title}{year}{section}.{link}")
    return [Header(text="Where these indicators come from"), Text(text="\n".join(lines))]


def _from_value(index: ThresholdIndex, value: str) -> tuple[list[Ranked], int] | None:
    fingerprint, shown, numbers = (value.split(":") + ["", ""])[:3]
    if fingerprint != index.fingerprint or not numbers or not shown.isdigit():
        return None
    try:
        picked = [int(n) for n in numbers.split(".")]
    except ValueError:
        return None
    if not all(0 <= n < len(index.entries) for n in picked):
        return None
    return [_ranked(index, n, 0.0, "") for n in picked], int(shown)


OFF_TOPIC_TEXT = (
    "I answer questions about safeguarding guidance: levels of need, what to do and whom to contact. "
    "For other work questions (IT, parking, expenses and the like), ask your own organisation. "
    "Here are the levels at a glance."
)
NOTHING_CLOSE_TEXT = (
    "I couldn't find indicators close to that in the guidance. Here are the levels at a glance; "
    "talk it through with your DSL or manager, who can help you weigh it up."
)


def answer_with_assessment(pack: ContentPack, text: str) -> tuple[list[Any], str, Assessment | None]:
    """The body of a /threshold answer (without banner and closing), the topic to count it
    under, and the assessment when the question was matched."""
    index = index_of(pack)
    text = text.strip()
    if not text:
        return overview(pack), "overview", None
    number = asked_for_level(index, text)
    if number is not None:
        level = index.levels.level(number)
        assert level is not None
        return level_in_full(pack, level), f"level-{number}", None
    note = [Text(text=guidance.NO_DECISION)] if asks_for_verdict(text) else []
    mentioned = mentioned_level(index, text)
    assessment = assess(pack, text)
    if note and mentioned is not None and not assessment.ranked:
        # "does this meet level 4?": no verdict, but the level in full to compare with
        return [*note, *level_in_full(pack, index.levels.level(mentioned))], f"level-{mentioned}", None  # type: ignore[arg-type]
    topic = main_topic(assessment)
    if assessment.off_topic:
        # no child's situation to decline to judge ("the meeting room wifi keeps dropping out")
        return [Text(text=OFF_TOPIC_TEXT), *overview(pack)], topic, assessment
    if assessment.ranked:
        # "would a 15 yo drinking at weekends meet early help?": the indicators closest to the
        # worry on a phone-sized screen, and the level named one tap away (in full it fills
        # several screens)
        answer = matches_answer(pack, index, assessment, note)
        if mentioned is not None:
            _offer_level(answer, mentioned)
        return [*note, *answer], topic, assessment
    if mentioned is not None:
        return [*note, *level_in_full(pack, index.levels.level(mentioned))], f"level-{mentioned}", assessment  # type: ignore[arg-type]
    return [*note, Text(text=NOTHING_CLOSE_TEXT), *overview(pack)], topic, assessment


def threshold_answer(pack: ContentPack, text: str) -> tuple[list[Any], str]:
    """The body of a /threshold answer (without banner and closing) and the topic to count it under."""
    body, topic, _assessment = answer_with_assessment(pack, text)
    return body, topic


def topics_for(pack: ContentPack, typed: str) -> list[str]:
    """Topic names to offer while someone types (Discord's autocomplete); never what they typed."""
    return sorted((t.name for t in pack.get(Levels).topics), key=str.lower)


@command(
    "threshold",
    usage="[what you're worried about | level N]",
    suggest=topics_for,
    help="Levels of need: the closest indicators, what to do and whom to contact.",
    long_help="/threshold alone shows the levels of need at a glance. Describe a worry in general terms "
    "(never a child's name or details), e.g. /threshold parent drinking and baby not brought to appointments, "
    "to see the closest indicator for each worry with its level and what to do; More shows the rest. "
    "/threshold level 3 shows one level in full. The answer supports your professional judgement; "
    "it never decides for you.",
)
async def threshold_command(req: Request, ctx: Context) -> Reply:
    await guidance.cached_async(ctx.pack, INDEX_NAME, _build)  # in the first second after start-up
    answer, topic, assessment = _reply(ctx.pack, req.text)
    await guidance.count_lookup(ctx, "threshold", topic)
    if assessment is not None:
        await guidance.count_assessment(
            ctx, "threshold", concerns=assessment.concerns, off_topic=assessment.off_topic,
            nothing_close=assessment.nothing_close,
        )  # fmt: skip
    return answer


_BUTTON_VALUE = r"^[0-9a-f]{6}:[0-9]:[0-9]{1,5}(?:\.[0-9]{1,5}){0,11}$"  # see _value


@action("threshold:more", pattern=_BUTTON_VALUE)
async def threshold_more(req: Request, ctx: Context) -> Reply:
    """More was pressed: the rest of the indicators, found again from their numbers (never from the question)."""
    await guidance.cached_async(ctx.pack, INDEX_NAME, _build)
    return _button_reply(ctx.pack, req.value, more_answer)


@action("threshold:sources", pattern=_BUTTON_VALUE)
async def threshold_sources(req: Request, ctx: Context) -> Reply:
    """Full sources was pressed: each indicator's full citation."""
    await guidance.cached_async(ctx.pack, INDEX_NAME, _build)
    return _button_reply(ctx.pack, req.value, sources_answer)


@action("threshold:level", pattern=r"^[1-9]$")
async def threshold_level(req: Request, ctx: Context) -> Reply:
    """ "Level N in full" was pressed: that level's description, what to do and its indicators."""
    level = ctx.pack.get(Levels).level(int(req.value))
    if level is None:
        return _wrap(
            ctx.pack, [Text(text="The guidance has changed since that answer. Ask again with /threshold.")], False
        )
    return _wrap(ctx.pack, level_in_full(ctx.pack, level), False)


def _button_reply(pack: ContentPack, value: str, build: Any) -> Reply:
    index = index_of(pack)
    found = _from_value(index, value)
    if found is None:
        body: list[Any] = [
            Text(text="The guidance has been updated since that answer. Ask again with /threshold and your question.")
        ]
    else:
        body = build(pack, index, *found)
    return _wrap(pack, body, False)


def _wrap(pack: ContentPack, body: list[Any], warn: bool) -> Reply:
    top: list[Any] = []
    if banner := guidance.sample_banner(pack):
        top.append(banner)
    if warn:
        top.append(guidance.identifier_warning())
    return reply(*top, *body, Divider(), *contacts.finish(pack), summary="Levels of need")


def _reply(pack: ContentPack, text: str) -> tuple[Reply, str, Assessment | None]:
    screened = guidance.screen(text, contacts.public_numbers(pack))
    body, topic, assessment = answer_with_assessment(pack, screened.text)
    return _wrap(pack, body, screened.had_identifiers), topic, assessment


def threshold_reply(pack: ContentPack, text: str) -> tuple[Reply, str]:
    """The whole private answer to `/threshold text`, and the topic to count it under."""
    answer, topic, _assessment = _reply(pack, text)
    return answer, topic
