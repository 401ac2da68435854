"""/threshold: which level of need a worry suggests, what to do and whom to contact.

Content: `levels.yaml` in the content pack (the `Levels` model below): the continuum, the
concern topics, and each level with its summary, route, actions, contacts and indicators. Each
indicator belongs to one of the Assessment Framework's three domains and is tagged by topic.

Wording rules, held by tests: an answer never says that a case "meets" a threshold or not;
every answer ends with the emergency route and the reminder that this supports professional
judgement. Identifying details in the question are redacted before matching and never kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import Field
from rapidfuzz import fuzz, process

from bot.contentpack import Cited, ContentPack, Section, Strict
from bot.context import Context
from bot.model import Divider, Header, Reply, Request, Text, reply
from bot.registry import command
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
    if not problems:
        index_of(pack)  # build the match index while the pack loads, so the first question is fast
    return problems


LEVELS = Section("levels", "levels.yaml", Levels, cross_check=_check)


# --- matching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    level: Level
    indicator: Indicator


@dataclass
class ThresholdIndex:
    levels: Levels
    entries: list[Entry]
    text: guidance.TextIndex
    topics: dict[str, Topic]
    # term -> (topic id, all the terms of one of its names): to say which topic a question names
    topic_names: dict[str, list[tuple[str, frozenset[str]]]]
    level_names: dict[str, int]  # "intensive", "level three", "l3" -> 3
    level_pattern: re.Pattern[str]  # any level name as whole words


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
    topic_names: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for topic in levels.topics:
        for name in (topic.name, *topic.aliases):
            terms = frozenset(vocabulary.analyse(name, correct=False).terms)
            for term in terms:
                topic_names.setdefault(term, []).append((topic.id, terms))
    names: dict[str, int] = {}
    for level in levels.levels:
        for name in (level.name, *level.aliases):
            names[" ".join(guidance.words_of(name))] = level.number
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n) + r")\b")
    return ThresholdIndex(levels, entries, text_index, topics, topic_names, names, pattern)


def index_of(pack: ContentPack) -> ThresholdIndex:
    return guidance.cached(pack, "threshold", _build)


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


def best_matches(index: ThresholdIndex, query: guidance.Query) -> list[tuple[Entry, guidance.Hit]]:
    hits = index.text.search(query, limit=MAX_RESULTS * 3)
    chosen = guidance.diverse(
        hits, index.text.weights, MAX_RESULTS, lambda h: index.entries[h.key].level.number, MAX_PER_LEVEL
    )
    return [(index.entries[h.key], h) for h in chosen]


def main_topic(index: ThresholdIndex, query: guidance.Query, matches: list[tuple[Entry, guidance.Hit]]) -> str:
    """The topic to count a question under: one it names, else the best match's."""
    asked = set(query.terms)
    for term in query.terms:
        for topic_id, words in index.topic_names.get(term, ()):
            if words <= asked:
                return topic_id
    return matches[0][0].indicator.topics[0] if matches else "no-match"


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


def matches_answer(
    pack: ContentPack, index: ThresholdIndex, query: guidance.Query, matches: list[tuple[Entry, guidance.Hit]]
) -> list[Any]:
    matched_words = query.as_typed(t for _entry, hit in matches for t in hit.matched)
    lines = []
    for n, (entry, _hit) in enumerate(matches, start=1):
        topics = ", ".join(t.name for t in (index.topics.get(tid) for tid in entry.indicator.topics) if t)
        lines.append(
            f"{n}. {entry.indicator.text}\n"
            f"   **{entry.level.title}** · {DOMAIN_NAMES[entry.indicator.domain]} · {topics}\n"
            f"   _What to do:_ {entry.level.do_short} _Contact:_ {entry.level.who_to_contact}."
        )
    notes = []
    for tid in dict.fromkeys(t for entry, _ in matches for t in entry.indicator.topics):
        topic = index.topics.get(tid)
        if topic and topic.note:
            notes.append(f"- **{topic.name.capitalize()}:** {topic.note}")
    blocks: list[Any] = [
        Header(text="Closest indicators in the guidance"),
        Text(
            text=f"Matched on: {', '.join(matched_words[:8])}. These are examples from the guidance that resemble "
            "what you describe; compare them with everything you know about the child and family."
        ),
        Text(text="\n".join(lines)),
    ]
    if notes:
        blocks.append(Text(text="**Also note**\n" + "\n".join(notes)))
    refs = [entry.indicator.source for entry, _ in matches]
    refs += [t.source for t in (index.topics.get(tid) for tid in _note_topics(index, matches)) if t]
    blocks += _sources(pack, refs)
    return blocks


def _note_topics(index: ThresholdIndex, matches: list[tuple[Entry, guidance.Hit]]) -> list[str]:
    ids = dict.fromkeys(t for entry, _ in matches for t in entry.indicator.topics)
    return [tid for tid in ids if (topic := index.topics.get(tid)) and topic.note]


def _sources(pack: ContentPack, refs: list[Any]) -> list[Any]:
    line = guidance.sources_line(pack, refs)
    return [line] if line else []


def threshold_answer(pack: ContentPack, text: str) -> tuple[list[Any], str]:
    """The body of a /threshold answer (without banner and closing) and the topic to count it under."""
    index = index_of(pack)
    text = text.strip()
    if not text:
        return overview(pack), "overview"
    number = asked_for_level(index, text)
    if number is not None:
        level = index.levels.level(number)
        assert level is not None
        return level_in_full(pack, level), f"level-{number}"
    note = [Text(text=guidance.NO_DECISION)] if asks_for_verdict(text) else []
    if note and (mentioned := mentioned_level(index, text)) is not None:
        # "does this meet level 4?": no verdict, but the level in full to compare with
        return [*note, *level_in_full(pack, index.levels.level(mentioned))], f"level-{mentioned}"  # type: ignore[arg-type]
    query = index.text.query(text)
    matches = best_matches(index, query)
    if matches:
        return [*note, *matches_answer(pack, index, query, matches)], main_topic(index, query, matches)
    if (mentioned := mentioned_level(index, text)) is not None:
        return [*note, *level_in_full(pack, index.levels.level(mentioned))], f"level-{mentioned}"  # type: ignore[arg-type]
    no_match = Text(
        text="I couldn't find indicators close to that in the guidance. Here are the levels at a glance; "
        "talk it through with your DSL or manager, who can help you weigh it up."
    )
    return [*note, no_match, *overview(pack)], "no-match"


@command(
    "threshold",
    usage="[what you're worried about | level N]",
    help="Levels of need: the closest indicators, what to do and whom to contact.",
    long_help="/threshold alone shows the levels of need at a glance. Describe a worry in general terms "
    "(never a child's name or details), e.g. /threshold parent drinking and baby not brought to appointments, "
    "to see the closest indicators with their level, what to do and whom to contact. /threshold level 3 "
    "shows one level in full. The answer supports your professional judgement; it never decides for you.",
)
async def threshold_command(req: Request, ctx: Context) -> Reply:
    answer, topic = threshold_reply(ctx.pack, req.text)
    await guidance.count_lookup(ctx, "threshold", topic)
    return answer


def threshold_reply(pack: ContentPack, text: str) -> tuple[Reply, str]:
    """The whole private answer to `/threshold text`, and the topic to count it under."""
    screened = guidance.screen(text, contacts.public_numbers(pack))
    body, topic = threshold_answer(pack, screened.text)
    top: list[Any] = []
    if banner := guidance.sample_banner(pack):
        top.append(banner)
    if screened.had_identifiers:
        top.append(guidance.identifier_warning())
    return reply(*top, *body, Divider(), *contacts.finish(pack), summary="Levels of need"), topic
