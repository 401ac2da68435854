"""/threshold's "Call 999 now" opener is not given where the danger is over, a habit, another day,
or a training scenario; and every word of a question has a clause. Cases written for these tests,
not taken from the bench sets."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers.threshold.reading import clauses_of
from tests.pack_support import answer_text, medway_pack

CALL_999_NOW = "**Call 999 now**"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


NOT_NOW = [
    "the baby went grey at birth and needed oxygen, now thriving",
    "7yo says mummy went purple when daddy squeezed her neck",
    "lad was stabbed last year and still limps, how do we support him",
    "pupil fell in the canal on the residential last week, parents upset",
    "house fire over summer, family rehoused",
    "3 kids home alone most evenings while mum works",
    "toddler often plays out by the road on his own",
    "no adult at home after school every day for the 9 year old",
    "dad keeps turning up at the gate demanding to take his son",
    "he punched the wall in front of me last month",
    "girl seen getting into cars with older men, what level",
    "training scenario: a parent says they will kill themselves and the children, what should staff do",
    "what if a child tells me someone at home has a gun",
    "seizure in class, ambulance been, she's fine now",
    "boy went missing for 20 mins on the trip, found safe",
    "hotel guest asked about kids staying without adults, nothing happened",
    "mum is on her own with the baby and a 2yo since dad left",
    "the network meeting finishes today at 4",
    "he couldn't breathe after dad grabbed him last night",
    "she went on the livestream last week, account deleted",
    "girl says boyfriend is waiting outside the school every day",
    "boy hitting other kids in class since his parents split",
    "a stab wound on his leg he says was an accident",
]


@pytest.mark.parametrize("question", NOT_NOW)
def test_the_same_words_when_the_danger_is_not_now_get_no_opener(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question), question


def test_and_or_but_begin_a_new_clause_so_every_word_has_one() -> None:
    text = "toddler with a swollen head and not waking properly, mum says he fell yesterday"
    clauses = clauses_of(text)
    assert len(clauses) == 14
    assert clauses[:5] == [0] * 5 and clauses[5:9] == [1] * 4 and clauses[9:] == [2] * 5
