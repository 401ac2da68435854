"""The kinds of wording the 45th blind question set found /threshold missing, each put other ways
than the set's own questions: a child telling that a parent hurts them, said further back; a
coach or tutor hitting children, and a TA messaging a pupil on snap; two phones; the police out to
the house; a punishment a child is made to swallow or sit in; an illness the GP has no record of;
nobody at home caring; appointments cancelled; a child alone for days; a boyfriend's family; a parent's
partner shutting a child in; a parent in hospital because the other hurt them; and the staff-room
questions that are no worry."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers import threshold
from tests.pack_support import medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


LEADS = [
    # a child told, with words between the child and the telling: the child is the one hurt
    ("a boy in year 4 has just told me his mum hits him with a wooden spoon", "physical-abuse"),
    ("girl in my tutor group told me today her stepdad hits her", "physical-abuse"),
    # a coach, tutor or instructor hitting the children they teach
    ("gymnastics coach hits the girls when they fall", "allegation-against-staff"),
    ("the swimming coach slapped a 9yo", "allegation-against-staff"),
    # a TA messaging a pupil on snap, the year said as "yr"
    ("a TA is messaging a yr 8 girl on snap", "allegation-against-staff"),
    # a child alone at home for days; staying with a boyfriend's or girlfriend's family
    ("6yo says no grown up has been home since friday", "neglect"),
    ("15yo has been staying with her bf's family since september", "private-fostering"),
    # a parent's partner shutting the child in their room; a parent in hospital because the other hurt them
    ("he told me his mum's boyfriend locked him in his room all weekend", "physical-abuse"),
    ("girl says mum's in hospital because her stepdad hit her", "domestic-abuse"),
]


@pytest.mark.parametrize(("question", "topic"), LEADS)
def test_the_worry_said_leads(pack: ContentPack, question: str, topic: str) -> None:
    found = threshold.assess(pack, question)
    assert found.concerns and found.concerns[0] == topic, (question, found.concerns)


RECOGNISED = [
    ("15yo has got 2 phones and new trainers", "exploitation"),
    ("police have been out to the house three times, parents always rowing", "domestic-abuse"),
    ("his dad makes him eat soap when he swears", "physical-abuse"),
    ("his dad makes him eat soap when he swears", "emotional-abuse"),
    ("mum says he has a rare cancer but the GP has no record of it", "fabricated-illness"),
    ("he says no one at home cares about him", "emotional-abuse"),
    ("parents keep cancelling his asthma appointments", "neglect"),
]


@pytest.mark.parametrize(("question", "topic"), RECOGNISED)
def test_the_worry_is_recognised(pack: ContentPack, question: str, topic: str) -> None:
    found = threshold.assess(pack, question)
    assert topic in found.concerns, (question, found.concerns)


def test_a_faith_leader_hitting_a_child_stays_faith_abuse(pack: ContentPack) -> None:
    # the coach's phrases are not a faith leader's: that worry is faith abuse first
    found = threshold.assess(pack, "a boy told me the pastor beat him to get the devil out")
    assert found.concerns[0] == "faith-abuse", found.concerns


def test_a_mum_locked_in_by_her_partner_is_not_read_as_the_child(pack: ContentPack) -> None:
    found = threshold.assess(pack, "mum's boyfriend locks her in the house and takes her phone")
    assert found.concerns[0] != "physical-abuse", found.concerns


def test_a_mum_of_three_on_the_phone_has_no_two_phones(pack: ContentPack) -> None:
    found = threshold.assess(pack, "mum of 3 on the phone in tears, no money for food")
    assert "exploitation" not in found.concerns, found.concerns


@pytest.mark.parametrize(
    "question",
    [
        "how many inset days are there this term",
        "how many inset days do we get this year",
        "could you write a risk assessment for the school trip to the zoo",
    ],
)
def test_a_staff_room_question_is_off_topic(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert found.off_topic and not found.ranked, (question, found.concerns)


def test_a_parent_who_got_years_is_still_in_prison(pack: ContentPack) -> None:
    found = threshold.assess(pack, "dad got years for the burglary")
    assert "parent-in-prison" in found.concerns, found.concerns
