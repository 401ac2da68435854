"""What a blind outside audit (2026-12-07, twenty-first session) saw /threshold read wrongly, read
as people mean it: a 2-bed flat with damp is housing, not someone in bed with the children; the
under-12s of a football club are children, not an off-topic question; a teacher a child told is not
the one who hurt him; a boy who cut his arm in the toilets is self-harm, not FGM; "feels like she
can't go on" is suicide risk."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers.threshold import assess
from tests.pack_support import medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


def first_topics(pack: ContentPack, question: str) -> set[str]:
    found = assess(pack, question)
    assert found.ranked, question
    return set(found.ranked[0].topics)


def test_the_size_of_a_home_is_housing_not_sexual_abuse(pack: ContentPack) -> None:
    question = "family overcrowded in a 2 bed flat with damp and mould, kids keep getting chest infections"
    assert "sexual-abuse" not in assess(pack, question).concerns
    assert "housing" in first_topics(pack, question)
    # the words said of a person still are
    assert "sexual-abuse" in assess(pack, "mums boyfriend gets in bed with the kids").concerns


def test_a_clubs_under_12s_are_children(pack: ContentPack) -> None:
    found = assess(pack, "a few of the under 12s at our football club turn up without kit or food")
    assert not found.off_topic and "neglect" in found.concerns


def test_the_teacher_a_child_told_is_not_who_hurt_him(pack: ContentPack) -> None:
    question = "boy in year 6 told his teacher his brother hit him with a belt a while ago"
    assert "allegation-against-staff" not in first_topics(pack, question)
    assert "physical-abuse" in first_topics(pack, question)


def test_a_cut_arm_in_the_toilets_is_self_harm_not_fgm(pack: ContentPack) -> None:
    question = "just found a yr 10 lad in the toilets hes cut his arm really deep"
    assert "harmful-practices" not in assess(pack, question).concerns
    assert "self-harm" in first_topics(pack, question)
    told = "she was cut when she was little and now it hurts to go to the toilet"
    assert "harmful-practices" in first_topics(pack, told)


def test_feeling_she_cannot_go_on_is_suicide_risk(pack: ContentPack) -> None:
    question = "student had a panic attack in class and said she sometimes feels like she cant go on"
    assert "self-harm" in first_topics(pack, question)


def test_minutes_after_about_are_no_age(pack: ContentPack) -> None:
    """A second blind audit: "about 20 mins ago" made a youth worker's lad an adult of 20, and the
    answer after "Call 999 now" said the guidance is about children."""
    question = "one of my lads has just told me he swallowed a whole pack of paracetamol about 20 mins ago"
    found = assess(pack, question)
    assert not found.adult and "self-harm" in first_topics(pack, question)


@pytest.mark.parametrize("asked", ["level 0", "level 9", "lvl 12"])
def test_a_level_the_pack_does_not_have_is_said_so(pack: ContentPack, asked: str) -> None:
    """An outside audit: "/threshold level 0" got "I couldn't find indicators close to that"."""
    from tests.pack_support import answer_text

    shown = answer_text(pack, asked)
    assert "The levels of need are 1 to 4" in shown and "couldn't find" not in shown
