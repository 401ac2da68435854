"""The kinds of wording the 47th blind question set (and earlier notes) found /threshold leading
with the wrong concern, each put other ways than the set's own questions."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers import threshold
from tests.pack_support import medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


LEADS = [
    # two concepts said at the same place: the one that says all the other does and more leads
    ("homeless 16 year old lad at the council offices", "homeless-16-17"),
    ("homles 17yo girl, nowhere to go tonight", "homeless-16-17"),
]


@pytest.mark.parametrize(("question", "topic"), LEADS)
def test_the_worry_said_leads(pack: ContentPack, question: str, topic: str) -> None:
    found = threshold.assess(pack, question)
    assert found.concerns and found.concerns[0] == topic, (question, found.concerns)
    assert found.ranked and topic in found.ranked[0].topics, (question, found.ranked[:1])
