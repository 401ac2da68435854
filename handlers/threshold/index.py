"""The match index built once per pack: every indicator's words, the thesaurus's concept phrases
compiled to stems, and the names of the levels; built in a thread when the bot is ready."""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from typing import Any, TypeVar

from core.contentpack import ContentPack
from core.wordset import WordSet
from handlers import guidance
from handlers.threshold import learned
from handlers.threshold.pack import Indicator, Level, Levels, Topic

# Words that turn a phrase into a worry ("no food", "not brought"); a question holding one is
# never answered with a level-1 "going well" indicator.
_NEGATION_WORDS = (
    "no not never without nothing nobody none cant cannot wont dont doesnt didnt isnt arent hasnt havent "
    "wasnt werent aint refuses refused"
)
NEGATIONS = frozenset(_NEGATION_WORDS.split())
NEGATED = "no"  # how concept phrases read every negation
SERIOUS_BONUS = 3.0  # a serious signal's own level outranks any wording


# --- matching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    level: Level
    indicator: Indicator


# A concept phrase: one or more parts ("a + b": both anywhere in the question), each a run of
# slots (the stems one word position accepts) with at most GAP other words between slots. A slot
# of one stem is a tuple: a frozenset of one costs 216 bytes, a tuple 48, and there are 2,500.
Slot = frozenset[str] | tuple[str]
Slots = tuple[Slot, ...]
GAP = 3
MAX_PARTS = 8  # parts one phrase may join with "+"


@dataclass(frozen=True, slots=True)
class Pattern:
    concept: int  # index into ThresholdIndex.concepts
    parts: tuple[Slots, ...]
    # per part, the words it needs whatever the classes ("on the gear": on, the, gear), so a
    # question without them is passed over before any position is tried; a tuple, as a frozenset
    # of two or three stems costs four times its size (1.1 MB over the pack's 6,500)
    needs: tuple[tuple[str, ...], ...] = ()


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
    concept_numbers: dict[str, int] = field(default_factory=dict)  # concept id -> its place in `concepts`
    patterns: list[Pattern] = field(default_factory=list)
    # stem -> (pattern, part) whose first slot accepts it, each as pattern * MAX_PARTS + part in a
    # compact array of 4-byte numbers (57,000 of them: as tuples they took 2.7 MB, as 8-byte numbers
    # 0.15 MB more): only patterns a question touches are tried
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
    # (12,900 in all: 0.15 MB as WordSets, 0.87 MB as frozensets)
    terms_by_topic: dict[str, Set[str]] = field(default_factory=dict)
    learned: learned.LearnedConcerns | None = None  # the pack's learned_concerns.json, if it has one
    # the pack's words for a child in danger right now (levels.yaml `emergency`), each phrase as
    # its parts ("a + b"), each part as slots
    emergency: list[tuple[Slots, ...]] = field(default_factory=list)
    # indicator -> the topics, the single words' stems and the runs of words' stems it rules out
    # (levels.yaml `not_with`)
    ruled_out: dict[int, tuple[frozenset[str], frozenset[str], tuple[tuple[str, ...], ...]]] = field(
        default_factory=dict
    )


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _texts(pack: ContentPack) -> list[str]:
    levels = pack.get(Levels)
    out = [f"{t.name} {' '.join(t.aliases)}" for t in levels.topics]
    out += [i.text for lv in levels.levels for i in lv.indicators]
    if levels.emergency:  # so a typo in "unconcious" or "siezure" is read as the word
        out += [_SLOT_TEXT.sub(" ", p) for p in levels.emergency.phrases]
    return out


_SLOT_TEXT = re.compile(r"\{[a-z0-9-]+\}")
# Who told whom is not what happened: "student said she self harms" matched the indicator of a
# child who "says" they mean to end their life. Measured over bench/guidance (seventeenth session).
REPORTED = frozenset({"say", "says", "said", "saying"})


def build_index(pack: ContentPack) -> ThresholdIndex:
    levels = pack.get(Levels)
    vocabulary = guidance.vocabulary(pack, _texts, "threshold", ignored=guidance.STOPWORDS | REPORTED)
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
    synonyms = guidance.thesaurus(pack)
    if synonyms is not None:
        _compile_concepts(index, synonyms, vocabulary)
    index.terms_by_topic = {t: WordSet(terms) for t, terms in index.terms_by_topic.items()}
    index.learned = learned.of_pack(pack)
    if levels.emergency:
        index.emergency = _compile_emergency(levels.emergency.phrases, synonyms)
    index.ruled_out = _ruled_out(entries, topics, synonyms)
    _SHARED.clear()  # the shared copies live on in the index; the table that found them is done
    return index


def _ruled_out(
    entries: list[Entry], entry_topics: Iterable[str], synonyms: guidance.Synonyms | None
) -> dict[int, tuple[frozenset[str], frozenset[str], tuple[tuple[str, ...], ...]]]:
    """Indicator -> the topics, the word stems and the runs of stems its `not_with` names."""
    words = synonyms.words if synonyms else {}
    entry_topics = frozenset(entry_topics)
    out: dict[int, tuple[frozenset[str], frozenset[str], tuple[tuple[str, ...], ...]]] = {}
    for i, entry in enumerate(entries):
        items = entry.indicator.not_with
        if items:
            topics = frozenset(t for t in items if t in entry_topics)
            said = [m for item in items if item.startswith("{") for m in words.get(item[1:-1], [])]
            said += [item for item in items if not item.startswith("{") and item not in topics and " " not in item]
            runs = tuple(_stems(guidance.words_of(item)) for item in items if " " in item and item not in topics)
            out[i] = (topics, frozenset(_stems(w for m in said for w in guidance.words_of(m))), runs)
    return out


def _compile_emergency(phrases: list[str], synonyms: guidance.Synonyms | None) -> list[tuple[Slots, ...]]:
    words = synonyms.words if synonyms else {}
    classes = {name: frozenset(_stems(w for m in group for w in guidance.words_of(m))) for name, group in words.items()}
    typed = {name: frozenset(EXACT + w for m in group for w in guidance.words_of(m)) for name, group in words.items()}
    out: list[tuple[Slots, ...]] = []
    for phrase in phrases:
        parts = tuple(
            s for s in (_emergency_slots(part, classes, typed) for part in phrase.split(" + ")) if s and all(s)
        )
        if parts:
            out.append(parts)
    return out


# In an emergency phrase "=going" is that word as typed, not its stem, and "={class}" each of the
# class's words as typed: tense says whether a danger is now ("is punching him", "gone grey") or
# over ("punched him", "went purple"), and stems make them one word.
EXACT = "="
# A part "~now" is a word saying this minute in the clause of what the phrase read before it
# ("mum is hitting her child in reception now"), not anywhere ("stabbed last year, fine now").
NOW_MARK = "~now"
# A part "~end" says the words read before it end there: their clause ends, or no word carries them
# on ("child not responding", not "not responding to the plan" nor "isn't moving up to year 7").
END_MARK = "~end"
_EXACT_TOKEN = re.compile(r"=\{([a-z0-9-]+)\}|=([^\s{}=]+)")


def _emergency_slots(text: str, classes: dict[str, frozenset[str]], typed: dict[str, frozenset[str]]) -> Slots:
    if text.strip() in (NOW_MARK, END_MARK):
        return (frozenset([text.strip()]),)
    out: list[Slot] = []
    at = 0
    for found in _EXACT_TOKEN.finditer(text):
        out += _slots(text[at : found.start()], classes)
        name, word = found.groups()
        out.append(typed.get(name, frozenset()) if name else _slot([EXACT + w for w in guidance.words_of(word)]))
        at = found.end()
    return (*out, *_slots(text[at:], classes))


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


# "cuts on the boy's arm", "scratches on a yr 9's wrist": whose body it is, read as "their" (the
# apostrophe is gone by now: "boys", "9s")
_OWNERS = frozenset(
    ["boys", "girls", "childs", "kids", "sons", "daughters", "babys", "pupils", "students", "teens", "lads", "toddlers"]
)
_BODY_TEXT = """
    arm arms wrist wrists leg legs thigh thighs face head neck back hand hands body bottom cheek eye ear chest
    tummy stomach foot feet skin ribs
"""
_BODY = frozenset(_BODY_TEXT.split())


def _phrase_stems(words: list[str]) -> list[str]:
    """The stems of a question's words, with an age ("11 yr old", "13yo") read as a child and a
    child's possessive before a part of the body ("the boy's arm") as "their"."""
    out = [_phrase_stem(w) for w in words]
    for i, word in enumerate(words):
        if (word == "old" and i and words[i - 1] in _AGE_UNITS) or (word == "yo" and i and words[i - 1].isdigit()):
            out[i] = "child"
        elif words[i + 1 : i + 2] and words[i + 1] in _BODY and (word in _OWNERS or _POSSESSIVE_AGE.fullmatch(word)):
            out[i] = _phrase_stem("their")
    return out


_POSSESSIVE_AGE = re.compile(r"\d{1,2}(?:yo|yos)?s")  # "a yr 9's", "a 5yo's"


def _meaning(index: ThresholdIndex, i: int, hints: tuple[str, ...], level: int | None) -> float:
    """How well an indicator says what a concept means: its hint words, and a serious signal's level."""
    shared = sum(index.text.weights.get(t, 0.0) for t in hints if t in index.text.terms[i])
    return shared + (SERIOUS_BONUS if index.entries[i].level.number == level else 0.0)


_SHARED: dict[Any, Any] = {}
T = TypeVar("T")


def _shared(value: T) -> T:
    """One shared copy of each equal set of stems, run of slots and part's `needs`: the index holds
    tens of thousands of one-word slots, and of the 10,811 runs of the pack's phrases 2,943 are
    another's; a frozenset costs more than its stems. (Sharing equal whole phrases and their needs
    too left fewer objects, but measured idle memory 0.7 MB larger, so they are not shared.)"""
    return _SHARED.setdefault(value, value)


def _shared_needs(part: Slots) -> tuple[str, ...]:
    """The literal words of a part, sorted, one shared copy of each."""
    return _shared(tuple(sorted({next(iter(slot)) for slot in part if len(slot) == 1})))


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
    slots = tuple(_slot([stems[k]]) if isinstance(item, str) else item for k, item in enumerate(items))
    return _shared(slots)


def _slot(stems: list[str]) -> Slot:
    """A slot of these stems, shared: a tuple when there is one."""
    return _shared((stems[0],) if len(stems) == 1 else frozenset(stems))


def _literal(slots: Slots) -> list[str]:
    """The words a phrase or idiom says as they are (a slot of one word), in order."""
    return [next(iter(s)) for s in slots if len(s) == 1]


def _owns(part_words: list[str], idiom_words: list[str]) -> bool:
    """Whether a phrase says an idiom's own words, in order ("kicked out" and "kicked {victim} out").
    Both are `_literal` lists; an idiom of one literal word owns nothing."""
    it = iter(part_words)
    return len(idiom_words) > 1 and all(w in it for w in idiom_words)


Idioms = dict[str, list[tuple[list[str], frozenset[str]]]]


def _idioms_by_first_word(ignore: list[Slots]) -> Idioms:
    """The idioms of more than one literal word, found by their first: a phrase can only say an
    idiom whose first word it has, so each phrase looks at a handful, not all of them."""
    by_first: Idioms = {}
    for words in map(_literal, ignore):
        if len(words) > 1:
            by_first.setdefault(words[0], []).append((words, frozenset(words)))
    return by_first


def _owned_by_an_idiom(parts: list[Slots], idioms: Idioms) -> bool:
    for part in parts:
        words = _literal(part)
        present = frozenset(words)
        candidates = (idiom for word in present for idiom in idioms.get(word, ()))
        if any(needed <= present and _owns(words, said) for said, needed in candidates):
            return True
    return False


def _compile_concepts(index: ThresholdIndex, synonyms: guidance.Synonyms, vocabulary: guidance.Vocabulary) -> None:
    classes = {name: frozenset(_stems(w for m in members for w in guidance.words_of(m)))
               for name, members in synonyms.words.items()}  # fmt: skip
    index.ignore = [s for s in (_slots(i, classes) for i in synonyms.ignore) if s and all(s)]
    for idiom in index.ignore:
        for stem_ in sorted(idiom[0]):
            index.idiom_starts.setdefault(stem_, []).append(idiom)
    idioms = _idioms_by_first_word(index.ignore)
    known = set(index.topics)
    entries_of: dict[str, list[int]] = {}  # topic id -> the indicators tagged with it
    for i, entry in enumerate(index.entries):
        for topic_id in entry.indicator.topics:
            entries_of.setdefault(topic_id, []).append(i)
    said_of: dict[str, set[str]] = {}  # topic id -> the words its concepts' hints and phrases use
    for concept in synonyms.concepts:
        if not any(t in known for t in concept.topics):
            continue  # the pack's cross-check reports it; a concept with no topic here finds nothing
        index.concepts.append(concept)
        c = len(index.concepts) - 1
        index.concept_numbers[concept.id] = c
        hint_terms = (t for h in concept.hints for t in vocabulary.analyse(h, correct=False).terms)
        index.hints[c] = hints = tuple(dict.fromkeys(hint_terms))
        numbers = sorted({i for t in concept.topics for i in entries_of.get(t, ())})
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
            needs = tuple(_shared_needs(part) for part in parts)
            index.patterns.append(Pattern(c, tuple(parts), needs))
            said.update(stem_ for part in parts for slot in part for stem_ in slot)
            for k, slots_ in enumerate(parts):
                for stem_ in sorted(slots_[0]):
                    index.starts.setdefault(stem_, array("I")).append((len(index.patterns) - 1) * MAX_PARTS + k)
        for topic_id in concept.topics:
            said_of.setdefault(topic_id, set()).update(said)
    for topic_id, words in said_of.items():
        index.terms_by_topic[topic_id] = index.terms_by_topic.get(topic_id, frozenset()) | words


INDEX_NAME = "threshold"


def index_of(pack: ContentPack) -> ThresholdIndex:
    return guidance.cached(pack, INDEX_NAME, build_index)
