"""/threshold puts a serious signal's own indicator first: a serious situation told in everyday
words opens with a level-4 indicator, named for what the asker said, not with a level-2 one
that happens to share its words; and a date or an age is not read as a worry it is not."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers import threshold
from tests.pack_support import answer_text, medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


# (question, the first indicator's level, a topic it carries, the concern named for it)
SERIOUS_FIRST = [
    # violence towards a pregnant woman: the unborn baby is at risk of significant harm
    (
        "pregnant woman at antenatal clinic says partner kicked her in the stomach",
        4,
        "pre-birth",
        "domestic abuse in pregnancy",
    ),
    ("she's 20 weeks pregnant and her partner punched her in the belly", 4, "pre-birth", "domestic abuse in pregnancy"),
    ("mum is pregnant and he kicked her", 4, "pre-birth", "domestic abuse in pregnancy"),
    ("dad hit mum while she was pregnant", 4, "pre-birth", "domestic abuse in pregnancy"),
    # heroin or crack through a pregnancy
    ("unborn baby, mum using heroin throughout pregnancy", 4, "pre-birth", "drug use in pregnancy"),
    ("pregnant and using crack every day", 4, "pre-birth", "drug use in pregnancy"),
    # a child on a child protection plan taken out of school
    (
        "child removed from school roll to be home educated, she was on a CP plan",
        4,
        "missing-education",
        "a child on a plan taken out of school",
    ),
    (
        "she's on a child protection plan and mum has taken her off roll to home school",
        4,
        "missing-education",
        "a child on a plan taken out of school",
    ),
    ("boy subject to CP, EHE since september", 4, "missing-education", "a child on a plan taken out of school"),
    # a teenager hit by a boyfriend or girlfriend
    (
        "16 yr old girlfriend controlled by boyfriend, he checks her phone and hit her",
        4,
        "relationship-abuse",
        "a young person hurt by a boyfriend or girlfriend",
    ),
    (
        "15 year old says her boyfriend slapped her",
        4,
        "relationship-abuse",
        "a young person hurt by a boyfriend or girlfriend",
    ),
    (
        "her boyfriend is really jealous and punched her",
        4,
        "relationship-abuse",
        "a young person hurt by a boyfriend or girlfriend",
    ),
    # a parent's boyfriend or girlfriend hitting the child is harm at home, not the child's relationship
    (
        "kid in my class sez his mum's bf hits him n he's scared 2 go home",
        4,
        "physical-abuse",
        "a parent's partner hurting the child",
    ),
    ("i'm 13 and my mum's boyfriend hits me what do i do", 4, "physical-abuse", "a parent's partner hurting the child"),
    ("her dad's girlfriend slapped her", 4, "physical-abuse", "a parent's partner hurting the child"),
    # a child saying a parent hurts them
    ("😢 child crying says daddy hurts her 🤕", 4, "physical-abuse", "a child saying a parent hurts them"),
    ("pupil told me his dad punched him last night", 4, "physical-abuse", "a child saying a parent hurts them"),
    # going missing and coming back drunk or high
    (
        "looked after child keeps going missing from her placement and comes back drunk",
        4,
        "missing",
        "going missing, with signs of exploitation",
    ),
    ("14 yr old keeps running away and comes back high", 4, "missing", "going missing, with signs of exploitation"),
]


@pytest.mark.parametrize(("question", "level", "topic", "concern"), SERIOUS_FIRST)
def test_a_serious_signal_comes_first(pack: ContentPack, question: str, level: int, topic: str, concern: str) -> None:
    found = threshold.assess(pack, question)
    assert found.ranked, question
    first = found.ranked[0]
    assert first.level == level, (question, first)
    assert topic in first.topics, (question, first)
    assert first.concern == concern, (question, first)
    assert found.serious, question
    assert concern in found.mentioned, (question, found.mentioned)
    text = answer_text(pack, question)
    assert f"Level {level}" in text, question
    assert first.text[:40] in text, question


# the serious reading stays where it belongs: an ordinary pregnancy, a parent's cannabis in
# pregnancy and elective home education alone are not level-4 signals
NOT_SERIOUS = [
    "pregnant 15 year old, wants support",
    "mum smoking weed while pregnant",
    "ehe",
    "parents took her off roll to home school, she has SEN",
    "missing school a lot and comes in tired",
]


@pytest.mark.parametrize("question", NOT_SERIOUS)
def test_no_serious_signal_where_there_is_none(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert not found.serious, (question, found.ranked[:1])


# a date is not a pregnancy
DATES = [
    "family being evicted next week, nowhere to go",
    "she moved schools last week and won't go",
]


@pytest.mark.parametrize("question", DATES)
def test_a_week_is_a_date_not_a_pregnancy(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert "pre-birth" not in found.concerns, (question, found.concerns)


# a 17 year old is over the age of consent: sex with an 18 year old is not "sexual activity under 16"
OVER_16 = [
    "a 17 year old having sex with her 18 year old boyfriend",
    "16 yr old having sex with her boyfriend who is 17",
]


@pytest.mark.parametrize("question", OVER_16)
def test_sixteen_or_seventeen_is_not_sex_under_16(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert "sexual activity under 16" not in found.mentioned, (question, found.mentioned)
    assert "sexual activity under 13" not in found.mentioned, (question, found.mentioned)


# a boyfriend in a sentence about violence between the parents is not hitting the child
def test_a_boyfriend_beside_violence_at_home_is_not_the_one_hitting(pack: ContentPack) -> None:
    question = (
        "sixth former disclosed that her dad hit her mum again at the weekend, she's been sleeping at her "
        "boyfriend's house and hasn't been home since"
    )
    found = threshold.assess(pack, question)
    assert "a young person hurt by a boyfriend or girlfriend" not in found.mentioned, found.mentioned
    assert "domestic-abuse" in found.ranked[0].topics, found.ranked[:1]


# a mother's boyfriend (or a father's girlfriend) who hits the child is an adult at home hurting
# them: the child's own relationship is not what the asker mentioned
PARENTS_PARTNER = [
    "kid in my class sez his mum's bf hits him n he's scared 2 go home",
    "i'm 13 and my mum's boyfriend hits me what do i do",
    "her dad's girlfriend slapped her",
]


@pytest.mark.parametrize("question", PARENTS_PARTNER)
def test_a_parents_partner_is_not_the_childs_own_relationship(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert found.mentioned[0] == "a parent's partner hurting the child", (question, found.mentioned)
    assert "an abusive teenage relationship" not in found.mentioned, (question, found.mentioned)
    assert "a young person hurt by a boyfriend or girlfriend" not in found.mentioned, (question, found.mentioned)


# "mum says dad hits her": the one hit is mum, which is domestic abuse, not a child's disclosure
def test_a_parent_telling_of_the_other_is_domestic_abuse(pack: ContentPack) -> None:
    found = threshold.assess(pack, "mum says dad hits her when drunk, kids in the house")
    assert "domestic-abuse" in found.ranked[0].topics, found.ranked[:1]
    assert "a child saying a parent hurts them" not in found.mentioned, found.mentioned
