"""Misreadings found by an outside practitioner's audit of 243 inputs of their own (fourteenth
session), each with the words that were misread."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers.threshold import reading
from tests.test_danger_now_more import medway_pack
from tests.test_lookups_thirteenth import opens_with_999


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


def first_indicator(pack: ContentPack, question: str) -> str:
    index = reading.index_of(pack)
    return index.entries[reading.assess(pack, question).ranked[0].number].indicator.text


@pytest.mark.parametrize("question", ["cse", "CSE concerns yr 8 girl", "poss CSE, older males, gifts"])
def test_cse_is_sexual_exploitation_not_county_lines(pack: ContentPack, question: str) -> None:
    # "You mentioned: criminal exploitation" and county lines first, where the glossary says CSE is
    # child sexual exploitation
    assert "sexually exploited" in first_indicator(pack, question)
    assert "sexual-abuse" in reading.assess(pack, question).concerns


def test_cce_is_still_criminal_exploitation(pack: ContentPack) -> None:
    assert first_indicator(pack, "CCE concerns yr 10 boy, 2 phones").startswith("Criminal exploitation")


def test_senco_is_a_member_of_staff_not_the_childs_need(pack: ContentPack) -> None:
    question = "spoke to Mrs Khan the SENCO about a boy who keeps coming in hungry"
    assert "send" not in reading.assess(pack, question).concerns
    assert not opens_with_999(pack, question)
