"""The /threshold section of the content pack, `levels.yaml`: the continuum, the concern topics and
each level with its summary, route, actions, contacts and indicators (each indicator in one of
the Assessment Framework's three domains, tagged by topic), and the checks run when a pack loads."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import Field

from core.contentpack import Cited, ContentPack, Section, Strict
from handlers import contacts

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
    # The note says who must be told, or what keeps a child alive (safer sleeping): on the first
    # screen it comes before a second or third example.
    note_first: bool = False
    # One line shown on the first screen when the note itself is left for "More" (there was no
    # room for it): what a contact about this topic must carry (neglect: a GCP2).
    reminder: str = Field(default="", max_length=120)


class Indicator(Cited):
    text: str
    domain: Domain
    topics: list[str] = Field(min_length=1)
    # What the indicator itself rules out ("arguments, with no violence"): topic ids, word classes
    # of synonyms.yaml written `{injury}`, words, or words in a row ("stopped her meds"). A question
    # that says one, other than under a denial, does not get this indicator.
    not_with: list[str] = Field(default_factory=list)


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


class Emergency(Cited):
    """Words that say a child is in danger right now ("not breathing", "stabbed", "attacked right
    now"): an answer to a question holding one opens with the line to call 999. Written as concept
    phrases are (synonyms.yaml): words are compared after spelling correction and stemming, with a
    few other words allowed between them, `{class}` stands for a word class and "a + b" needs both."""

    phrases: list[str] = Field(min_length=1)


class Levels(Strict):
    continuum: Continuum
    topics: list[Topic] = Field(min_length=1)
    levels: list[Level] = Field(min_length=2)
    emergency: Emergency | None = None

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
    # contacts.yaml that failed to load has its own problems listed: naming its ids missing would be false
    unread = pack.failed_to_load(contacts.Contacts)
    book = None if unread else pack.find(contacts.Contacts)
    for i, level in enumerate(value.levels):
        for contact_id in [] if unread else level.contacts:
            if book is None or book.by_id(contact_id) is None:
                message = f"level {level.number} names contact {contact_id!r}, not in contacts.yaml"
                problems.append((("levels", i, "contacts"), message))
        for j, indicator in enumerate(level.indicators):
            for topic in indicator.topics:
                if topic not in topic_ids:
                    message = f"topic {topic!r} is not listed under topics"
                    problems.append((("levels", i, "indicators", j, "topics"), message))
            problems += _check_not_with(pack, indicator.not_with, topic_ids, ("levels", i, "indicators", j, "not_with"))
    problems += _check_learned(pack, topic_ids)
    problems += _check_emergency(pack, value.emergency)
    return problems


_SLOT = re.compile(r"\{([a-z0-9-]+)\}")


def _check_not_with(
    pack: ContentPack, items: list[str], topic_ids: set[str], where: tuple[Any, ...]
) -> list[tuple[tuple[Any, ...], str]]:
    """Each `not_with` item is a topic id, a word class of synonyms.yaml written `{class}`, or words."""
    from handlers import guidance

    synonyms = pack.find(guidance.Synonyms)
    classes = synonyms.words if synonyms else {}
    problems: list[tuple[tuple[Any, ...], str]] = []
    for item in items:
        slot = _SLOT.fullmatch(item)
        if slot is None and item not in topic_ids and not all(w.isalpha() for w in item.split(" ")):
            message = f"{item!r} is not a topic id, a word class written {{class}}, or words"
            problems.append((where, message))
        elif slot is not None and slot.group(1) not in classes:
            problems.append((where, f"{item} is not a word class in synonyms.yaml"))
    return problems


def _check_emergency(pack: ContentPack, emergency: Emergency | None) -> list[tuple[tuple[Any, ...], str]]:
    """Each emergency phrase has a word, and its word classes are listed in synonyms.yaml."""
    from handlers import guidance

    if emergency is None:
        return []
    synonyms = pack.find(guidance.Synonyms)
    classes = synonyms.words if synonyms else {}
    problems: list[tuple[tuple[Any, ...], str]] = []
    for j, phrase in enumerate(emergency.phrases):
        for part in phrase.split(" + "):
            if not guidance.words_of(_SLOT.sub(" ", part)) and not _SLOT.search(part):
                problems.append((("emergency", "phrases", j), f"{phrase!r}: each part needs a word"))
        for slot in _SLOT.findall(phrase):
            if slot not in classes:
                problems.append((("emergency", "phrases", j), f"{{{slot}}} is not a word class in synonyms.yaml"))
    return problems


def _check_learned(pack: ContentPack, topic_ids: set[str]) -> list[tuple[tuple[Any, ...], str]]:
    """learned_concerns.json beside levels.yaml, when there is one: readable, and about these topics."""
    from handlers.threshold import learned

    try:
        model = learned.of_pack(pack)
    except learned.LearnedProblem as exc:
        return [((learned.FILE,), str(exc))]
    unknown = sorted(set(model.topics) - topic_ids) if model else []
    if unknown:
        return [((learned.FILE,), f"names topics levels.yaml does not list ({', '.join(unknown)}); {learned.RETRAIN}")]
    return []


def _warm_index(pack: ContentPack) -> None:
    from handlers.threshold.index import index_of  # index.py reads this module's models

    index_of(pack)


# The match index is built by the running bot in a thread once it is ready (core.contentpack
# warm_pack), not while the pack is validated: start-up and `sgbot content validate` skip it.
LEVELS = Section("levels", "levels.yaml", Levels, cross_check=_check, warm=_warm_index)
