"""/threshold sends the outside audit's cases to the right service: an unaccompanied child seeking
asylum is a child (and "no adult" is no adult's question); a care leaver keeps the leaving care
team until 25, not adult social care alone; known FGM shows the duty to report on 101 on the first
screen; a colleague who grabbed a child leads with the allegation-against-staff (LADO) route."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from tests.pack_support import answer_text, medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


def first_screen(pack: ContentPack, question: str) -> str:
    return answer_text(pack, question).split("More (")[0]


def test_an_unaccompanied_child_arriving_with_no_adult_is_a_child_not_adult_social_care(pack: ContentPack) -> None:
    text = first_screen(pack, "UASC arrived alone, no adult")
    assert "contact adult social care" not in text
    assert "unaccompanied child seeking asylum" in text
    assert "Level 4" in text


def test_no_adult_rules_out_the_adult(pack: ContentPack) -> None:
    assert "adult social care" not in answer_text(pack, "7 year old found in the park, no adult around")


def test_an_adult_alone_still_goes_to_adult_social_care(pack: ContentPack) -> None:
    text = answer_text(pack, "my neighbour is 80 and her son takes her pension")
    assert "contact adult social care where they live" in text
    assert "leaving care team" not in text


def test_a_care_leaver_keeps_the_leaving_care_team_not_adult_social_care_alone(pack: ContentPack) -> None:
    text = answer_text(pack, "18 year old care leaver homeless")
    assert "leaving care team" in text and "until they are 25" in text
    assert "This guidance is about children. For an adult" not in text


def test_known_fgm_shows_the_duty_to_report_on_101_on_the_first_screen(pack: ContentPack) -> None:
    text = first_screen(pack, "girl told me she was cut during the holidays")
    assert "known FGM" in text
    assert "on 101" in text


def test_a_colleague_who_grabbed_a_child_leads_with_the_lado_route(pack: ContentPack) -> None:
    text = first_screen(pack, "my colleague shouted at a child and grabbed his arm")
    first = text.split("1. ")[1].split("\n")[0]
    assert "adult who works or volunteers with children" in first
    assert "LADO" in text
