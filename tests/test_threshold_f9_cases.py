"""/threshold reads three everyday situations as what they are: a young person planning to travel
to join a terrorist group or to fight abroad is a serious signal (the police as well as Prevent),
an older child babysitting younger ones is minding, not abandonment, and a social worker who
doesn't return calls is not a child going missing."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers import threshold
from tests.pack_support import answer_text, medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


TRAVEL_TO_FIGHT = [
    "pupil watching ISIS propaganda and says he wants to go abroad to fight",
    "boy says he wants to join isis",
    "15 year old planning to travel to join a terrorist group",
    "she is planning to go overseas and fight for isis",
    "he keeps saying he'll travel abroad to fight",
]


@pytest.mark.parametrize("question", TRAVEL_TO_FIGHT)
def test_a_plan_to_travel_to_fight_is_a_serious_signal(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert found.serious, question
    first = found.ranked[0]
    assert first.level == 4, (question, first)
    assert "radicalisation" in first.topics, (question, first)
    assert "a child missing education" not in found.mentioned, (question, found.mentioned)
    text = answer_text(pack, question)
    assert "Level 4" in text, question
    assert "Prevent" in text and "police" in text, question


# radicalisation without a plan to travel stays where it was
@pytest.mark.parametrize("question", ["pupil watching ISIS propaganda", "refugee from syria, fights at school"])
def test_views_alone_are_not_the_travel_signal(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert "travelling to join a terrorist group or to fight" not in found.mentioned, (question, found.mentioned)


BABYSITTING = [
    "mum works nights, 13 year old babysits younger siblings",
    "13 year old babysits younger siblings",
    "15 yr old babysitting her brothers every night",
    "parents went out and left the kids with a babysitter",
    "left with a babysitter while parents go out",
]


@pytest.mark.parametrize("question", BABYSITTING)
def test_babysitting_is_not_abandonment(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert not found.serious, question
    assert not any("abandoned" in r.text for r in found.ranked[:3]), (question, found.ranked[:3])


def test_an_older_child_minding_siblings_is_named(pack: ContentPack) -> None:
    found = threshold.assess(pack, "mum works nights, 13 year old babysits younger siblings")
    assert "caring for a family member" in found.mentioned, found.mentioned


UNRETURNED_CALLS = [
    "social worker won't return my calls about a child i'm worried about",
    "the social worker hasn't returned my calls",
    "social worker won't return any of my calls",
    "her social worker never returned my emails",
]


@pytest.mark.parametrize("question", UNRETURNED_CALLS)
def test_an_unreturned_call_is_not_going_missing(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert "missing" not in found.concerns, (question, found.concerns)
    assert "going missing" not in found.mentioned, (question, found.mentioned)


# a child who hasn't come home is still going missing
def test_not_returning_home_is_still_missing(pack: ContentPack) -> None:
    found = threshold.assess(pack, "she hasn't returned home and isn't returning my calls")
    assert "missing" in found.concerns, found.concerns
