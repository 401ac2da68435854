"""Misreadings found in the nineteenth session, each tested with the words that were misread."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
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
