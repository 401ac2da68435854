"""Misreadings found in the nineteenth session, each tested with the words that were misread."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers.threshold import reading
from tests.test_danger_now_more import medway_pack
from tests.test_lookups_fourteenth import first_indicator


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    "question",
    [
        "kid in my class said her dad hits her mum",
        "2yo i look after said 'daddy hurt mummy', mum had a bruise on her neck at pick up",
    ],
)
def test_a_child_telling_of_one_parent_hitting_the_other_leads_with_domestic_abuse(
    pack: ContentPack, question: str
) -> None:
    # "her dad hits her [mum]" was read as the girl being hit, and "kids in my class [said her
    # dad] hits" as bullying, across the words a child was reported as saying
    first = first_indicator(pack, question)
    assert "other parent" in first or "domestic abuse" in first


def test_her_before_a_break_is_not_read_as_owning_what_follows(pack: ContentPack) -> None:
    # "better off without her, partner works away": "her" ends the clause, it owns no partner
    question = (
        "mum in tears, hasnt slept since the birth and said the family would be better off without her, "
        "partner works away all week"
    )
    assert first_indicator(pack, question).startswith("Serious self-harm, a suicide attempt")


@pytest.mark.parametrize(
    "question",
    ["Mia (6) told me her stepdad hits her", "girl in my class told me her dad hits her"],
)
def test_a_child_telling_that_a_parent_hits_them_leads_with_the_disclosure(pack: ContentPack, question: str) -> None:
    # a child named rather than called a child led with a family in a refuge
    assert first_indicator(pack, question).startswith("A child tells you they have been hurt")


# An outside practitioner's 45 /threshold inputs (written before anything ran), as they misread.
@pytest.mark.parametrize(
    ("question", "leads_with"),
    [
        (
            "prisoner's partner told me on a visit that their 10 year old is being sent to deliver packages for her "
            "new partner and comes home with cash",
            "Criminal exploitation - county lines",
        ),
        (
            "some of the older boys filmed a younger lad in the showers and shared it on snapchat",
            "Sexual images of the child shared online",
        ),
        (
            "I can hear screaming and a child crying stop hitting me from the flat next door right now",
            "A parent or carer who is violent to the child",
        ),
        (
            "4 year old I see for speech therapy said daddy hurts mummy and acted out hitting with the dolls, she is "
            "very frightened of loud noises",
            "A parent hits, pushes or throws things at the other parent",
        ),
    ],
)
def test_what_an_outside_practitioner_saw_misread_leads_as_they_expected(
    pack: ContentPack, question: str, leads_with: str
) -> None:
    # they led with a parent in prison, early signs of exploitation, a child's low mood, and the
    # speech delay the asker treats ("I see for speech therapy" is the asker's job)
    assert first_indicator(pack, question).startswith(leads_with)


def test_a_fall_in_the_playground_is_not_read_as_bullying(pack: ContentPack) -> None:
    # "in the playground" alone named bullying, and the answer led with a pupil's sexual comments
    question = "kid fell over in the playground and grazed his knee, first aid done, mum told"
    assessment = reading.assess(pack, question)
    assert "child-on-child" not in assessment.concerns
    assert all("child-on-child" not in r.topics for r in assessment.ranked)


@pytest.mark.parametrize(
    ("question", "leads_with"),
    [
        # an outside practitioner: "fgm" alone led with honour-based abuse, FGM only in the note
        ("fgm", "A girl at immediate risk of FGM"),
        ("worried about fgm, family going to somalia in the summer, girl is 8", "A girl at immediate risk of FGM"),
        ("school nurse found signs of fgm on a 6yo during a check today", "A girl who says she has been cut"),
        # forced marriage led with a girl who has been cut
        ("forced marrige worry for a 15yo girl", "A young person forced or pressured to marry"),
        ("worried a teenager might be forced into marriage", "A young person forced or pressured to marry"),
    ],
)
def test_fgm_and_forced_marriage_each_lead_with_their_own_indicators(
    pack: ContentPack, question: str, leads_with: str
) -> None:
    assert first_indicator(pack, question).startswith(leads_with)


# A review of this session's first changes, with questions of its own
@pytest.mark.parametrize(
    ("question", "leads_with"),
    [
        ("her dad hits her nan", "A parent hits, pushes or throws things at the other parent"),
        ("16 year old girl, her partner hits her", "A young person in a relationship with someone much older"),
        # the asker's service said on the way is the child's need too, and stays read
        ("child I see for speech therapy has bruises", "Bruises or injuries on a disabled or non-verbal child"),
        ("a girl I support at the CSE group has an older boyfriend", "Sexual abuse, or signs that a child is being"),
    ],
)
def test_what_a_review_saw_misread_after_the_first_changes(pack: ContentPack, question: str, leads_with: str) -> None:
    assert first_indicator(pack, question).startswith(leads_with)


def test_a_child_hit_beside_a_mother_who_does_nothing_is_still_read(pack: ContentPack) -> None:
    # a phrase added for "her dad hits her mum" ran across the comma and hid the child's reading
    assessment = reading.assess(pack, "her dad hits her, her mum does nothing")
    assert {"domestic-abuse", "physical-abuse"} <= set(assessment.concerns)
