"""Every phrase in the /threshold thesaurus can be reached (issue #16).

A phrase is compiled through stemming, word classes, negation and the idioms the pack ignores, so
one can silently never match: an idiom that hides its words, a stem that differs from the
question's, a class that lost a member. Here each phrase is written out plainly (each `{class}`
as one of its members, "a + b" as "a and b"), and what the matcher finds in it must include its
own concept or another concept of the same topic. Every member of every class is tried once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.runtime import load_registry
from core.contentpack import DEFAULT_PACK, ContentPack, load_pack
from handlers import guidance, threshold

_CLASS = re.compile(r"\{([a-z0-9-]+)\}")

# Phrases whose plain wording another concept reads as well or better, with why that is right.
SHARED_READINGS = {
    # cut off from family is read as a low mood as much as as control by a partner
    ("slang-domestic-abuse", "isolated from family"),
    # "for ot" is a county-lines idiom ("going OT"); occupational therapy is reached through its other words
    ("class-health-unseen", "no take {youngster} for {service}"),
    ("class-health-unseen", "no take {victim} for {service}"),
}


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(DEFAULT_PACK, load_registry().sections)


def written_out(phrase: str, members: dict[str, str]) -> str:
    return " and ".join(_CLASS.sub(lambda m: members[m.group(1)], part) for part in phrase.split(" + "))


def plain_wordings(synonyms: guidance.Synonyms) -> Iterator[tuple[guidance.Concept, str, str]]:
    """(concept, phrase, wording): each phrase with its classes' shortest members, and each class
    member once, in the first phrase that uses its class."""
    tried: set[str] = set()
    for concept in synonyms.concepts:
        for phrase in concept.phrases:
            classes = _CLASS.findall(phrase)
            shortest = {c: min(synonyms.words.get(c, ["?"]), key=lambda w: (len(w), w)) for c in classes}
            yield concept, phrase, written_out(phrase, shortest)
            for c in classes:
                if c in tried:
                    continue
                tried.add(c)
                for member in synonyms.words.get(c, []):
                    yield concept, phrase, written_out(phrase, {**shortest, c: member})


def test_every_thesaurus_phrase_reaches_its_topic_when_written_out(pack: ContentPack) -> None:
    index = threshold.index_of(pack)
    synonyms = guidance.thesaurus(pack)
    assert synonyms is not None
    unreachable: list[str] = []
    for concept, phrase, wording in plain_wordings(synonyms):
        if (concept.id, phrase) in SHARED_READINGS:
            continue
        words = index.text.vocabulary.tokens(wording)
        found, _taken = threshold.found_concepts(index, words)
        topics = {t for c, _at in found for t in index.concepts[c].topics}
        if not topics & set(concept.topics):
            unreachable.append(f"{concept.id}: {phrase!r} written as {wording!r} finds {sorted(topics) or 'nothing'}")
    assert not unreachable, "phrases the matcher never reads:\n" + "\n".join(unreachable)


def test_the_shared_readings_listed_here_still_exist(pack: ContentPack) -> None:
    synonyms = guidance.thesaurus(pack)
    assert synonyms is not None
    present = {(c.id, p) for c in synonyms.concepts for p in c.phrases}
    assert present >= SHARED_READINGS
