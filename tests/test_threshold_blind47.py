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
    # a parent's own learning disability is about the care they can give, not a child's SEND
    ("dad has learning difficulties and the twins are 2 months old", "neglect"),
    ("both parents with a learning disability, toddler still on bottles at 3", "neglect"),
    # a parent who leaves the children alone is neglect, not a parent walking out on the family
    ("mum left the kids home alone all weekend", "neglect"),
    ("dad leaves the 6 and 8 year old on their own every night when he goes out", "neglect"),
    # words the thesaurus lacked: PF for private fostering, a child made to tell doctors of an
    # illness, school staff who are not teachers, scratches on a wrist said without whose
    ("PF arrangement for a 13yo, council not told", "private-fostering"),
    ("her dad makes her tell the gp she has fits", "fabricated-illness"),
    ("the caretaker slapped a year 3 boy", "allegation-against-staff"),
    ("yr 9 scratches on wrist, says the cat did it", "self-harm"),
    # a parent controlled by their partner is domestic abuse, not a teenager's relationship
    ("mum told me her husband checks her phone every night and wont let her see her sister", "domestic-abuse"),
]


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("15yo says her boyfriend checks her phone", "relationship-abuse"),
        ("mum says daughter's boyfriend won't let her see friends", "relationship-abuse"),
        ("boy in yr 4 says dad hits his mum", "domestic-abuse"),
        # a child made to 'be nice' to an adult's friends; a child afraid a parent will batter them;
        # sexual films shown to a child in a child's words
        ("says she has to be nice to her stepdad's mates when they come round", "exploitation"),
        ("lad says his mum gonna batter me if she finds out", "physical-abuse"),
        ("cousin makes him watch rude videos", "sexual-abuse"),
        # a child hurting or frightening a parent: domestic abuse, shown with the child's violence at home
        ("mum says her 13yo kicks off and hits her, she's frightened of her own son", "domestic-abuse"),
    ],
)
def test_the_concern_said_leads(pack: ContentPack, question: str, topic: str) -> None:
    found = threshold.assess(pack, question)
    assert found.concerns and found.concerns[0] == topic, (question, found.concerns)


@pytest.mark.parametrize(("question", "topic"), LEADS)
def test_the_worry_said_leads(pack: ContentPack, question: str, topic: str) -> None:
    found = threshold.assess(pack, question)
    assert found.concerns and found.concerns[0] == topic, (question, found.concerns)
    assert found.ranked and topic in found.ranked[0].topics, (question, found.ranked[:1])


def test_a_parents_learning_disability_is_not_a_childs_dyslexia(pack: ContentPack) -> None:
    found = threshold.assess(pack, "mum with a learning disability has just had her first baby")
    assert found.ranked and "dyslexia" not in found.ranked[0].text
    assert "send" in found.concerns


@pytest.mark.parametrize(
    "question",
    [
        "toddler left alone in the flat while mum went to the pub",
        "autistic 9yo with an ehcp keeps being sent home",
        "12yo with chronic fatigue, mum wants a feeding tube",
        "is this neglect? kid always smelly and hungry",
    ],
)
def test_a_parents_learning_disability_is_not_shown_where_none_is_said(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert all("learning disability" not in r.text for r in found.ranked[:3]), question


# words that mean something else in a worker's mouth: engaging with services, a weight dropping centiles
@pytest.mark.parametrize(
    ("question", "not_topic"),
    [
        ("14yo girl, family refusing to engage with early help", "harmful-practices"),
        ("16 yr old lad not engaging with the youth offending team", "harmful-practices"),
        ("baby has dropped 3 centiles since birth", "physical-abuse"),
        ("6 month old dropping through the centiles, mum very low", "physical-abuse"),
    ],
)
def test_a_workers_idiom_names_no_worry_of_its_own(pack: ContentPack, question: str, not_topic: str) -> None:
    found = threshold.assess(pack, question)
    assert not_topic not in found.concerns, (question, found.concerns)


def test_engaged_to_be_married_is_still_read(pack: ContentPack) -> None:
    assert "harmful-practices" in threshold.assess(pack, "15yo engaged to her cousin").concerns


def test_never_been_in_trouble_is_no_absence_from_school(pack: ContentPack) -> None:
    found = threshold.assess(pack, "never been in trouble, top sets, but now posting racist memes")
    assert found.concerns and found.concerns[0] == "radicalisation", found.concerns
    assert "education" not in found.concerns


# everyday words for worries the thesaurus lacked: a child unsettled by a new baby, a family gone
# without the school told, selling belongings for the rent, a child doing a baby's night feeds, a child
# who came to the country alone, young children sent out alone at night
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("reception boy very clingy since the new baby, mum exhausted but fine", "family-relationships"),
        ("family moved out of the area, school not told, 2 kids", "missing-education"),
        ("mum selling her furniture to pay the rent, 3 kids", "finances"),
        ("the 10yo does the night feeds for the baby while mum works", "young-carer"),
        ("16yo came alone from Sudan, in an asylum hotel with adults", "exploitation"),
        ("two 8yo out alone at night, mum's bf sent them out for the night", "neglect"),
    ],
)
def test_everyday_words_reach_the_worry(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in threshold.assess(pack, question).concerns, question
