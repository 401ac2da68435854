"""For a child in danger right now, the first example shown after "Call 999 now" is the most serious
of the closest ones. An outside re-run of practitioners' questions found "mum passed out drunk in
the park with her pram" opening with 999 and then a level 3 example ("regularly affects the child's
routines") with only the level 3 step under "What to do"."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers import threshold
from handlers.threshold.answer import answer_with_assessment
from tests.pack_support import medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    "question",
    [
        "mum passed out drunk in the park with her pram",
        "3 year old left home alone",
        "child missing since this morning, last seen with older men in a car",
    ],
)
def test_in_danger_now_the_first_example_is_the_most_serious(pack: ContentPack, question: str) -> None:
    _blocks, _topic, assessment = answer_with_assessment(pack, question)
    assert assessment is not None and assessment.ranked
    assert assessment.ranked[0].level == max(r.level for r in assessment.ranked[:3]) == 4


def test_not_in_danger_the_order_is_the_closest_first(pack: ContentPack) -> None:
    question = "mum passed out drunk last week, baby was with nan"
    _blocks, _topic, assessment = answer_with_assessment(pack, question)
    assert assessment is not None and assessment.ranked
    assert [r.number for r in assessment.ranked] == [r.number for r in threshold.assess(pack, question).ranked]
