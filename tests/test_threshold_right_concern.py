"""/threshold reads the concern the outside audit's questions name, not a neighbour's: a baby on a
sofa with a parent is unsafe sleep, a child drunk at school is the child's drinking and "dad
drinks" the parent's, "the child is fine" is no attendance fine, "how do I make a referral" is
answered as a question about the process, a 13 year old's pregnancy is not "under 13", and a
disclosure of abuse that names no kind is not read as sexual abuse."""

from __future__ import annotations

import pytest

from bench import bench_guidance as bg
from core.contentpack import ContentPack
from handlers.threshold.reading import assess
from tests.pack_support import answer_text, medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


def first(pack: ContentPack, question: str) -> str:
    ranked = bg.bot_outcome(pack, question).ranked
    return ranked[0].text if ranked else ""


def test_a_baby_sleeping_on_a_sofa_with_a_parent_is_neglect_not_a_homeless_teenager(pack: ContentPack) -> None:
    assert "neglect" in assess(pack, "baby sleeping on sofa with dad").concerns
    assert "16 or 17" not in first(pack, "baby sleeping on sofa with dad")


def test_a_child_drunk_at_school_is_the_childs_drinking(pack: ContentPack) -> None:
    assert "parent" not in first(pack, "child drunk at school").lower()


def test_dad_drinks_beside_a_pupils_year_is_the_parents_drinking(pack: ContentPack) -> None:
    assert "parent" in first(pack, "worried about a boy in year 9, dad drinks").lower()


@pytest.mark.parametrize("question", ["the child is fine", "child doing fine, just wants a mentor"])
def test_fine_is_no_attendance_fine(pack: ContentPack, question: str) -> None:
    assert "education" not in assess(pack, question).concerns
    assert "absence" not in answer_text(pack, question).lower()


def test_an_attendance_fine_still_reads_as_attendance(pack: ContentPack) -> None:
    assert "education" in assess(pack, "parents were fined for term time holiday").concerns


def test_how_to_make_a_referral_is_answered_as_the_process(pack: ContentPack) -> None:
    text = answer_text(pack, "how do i make a referral to first response")
    assert "To make a referral, contact First Response on 01634 334466" in text
    assert "terrorist" not in text and "Prevent" not in text


def test_a_referral_about_a_worry_still_gets_its_indicators(pack: ContentPack) -> None:
    assert "neglect" in assess(pack, "how do I refer a child for neglect").concerns


def test_a_13_year_olds_pregnancy_is_not_sexual_activity_under_13(pack: ContentPack) -> None:
    said = assess(pack, "13 year old pregnant").mentioned
    assert "sexual activity under 13" not in said
    assert "sexual activity under 13" in assess(pack, "12 year old pregnant").mentioned


@pytest.mark.parametrize("question", ["child disclosed abuse, should I tell parents?", "kid disclosed abuse"])
def test_a_disclosure_of_abuse_is_not_read_as_sexual_abuse(pack: ContentPack, question: str) -> None:
    assert "sexual abuse" not in assess(pack, question).mentioned
    assert first(pack, question).startswith("A child tells you they have been hurt or abused")


def test_a_child_saying_he_hits_her_is_a_parent_hitting_the_child(pack: ContentPack) -> None:
    assert first(pack, "dad works at Tesco, child says he hits her").startswith(
        "A child tells you they have been hurt or abused"
    )


def test_a_phrase_does_not_run_across_a_sentence(pack: ContentPack) -> None:
    question = "dad wants contact with his 4 yr old. mum says he used to hit her"
    assert "a child saying a parent hurts them" not in assess(pack, question).mentioned


def test_a_parent_in_hospital_is_a_strain_on_the_family_not_fabricated_illness(pack: ContentPack) -> None:
    top = bg.bot_outcome(pack, "dad in hospital mum struggling").ranked[0]
    assert "young-carer" in top.topics and "fabricated-illness" not in top.topics


def test_a_parent_in_hospital_because_the_other_hurt_them_is_still_domestic_abuse(pack: ContentPack) -> None:
    top = bg.bot_outcome(pack, "boy told me mum's in hospital cos dad hurt her last night").ranked[0]
    assert "domestic-abuse" in top.topics
