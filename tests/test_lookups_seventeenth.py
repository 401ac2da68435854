"""Misreadings found in the seventeenth session, each tested with the words that were misread."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers.threshold import reading
from tests.test_danger_now_more import medway_pack
from tests.test_lookups_fourteenth import first_indicator

CONFLICT_ZONE = "At risk of being drawn into terrorism, or of travelling to a conflict zone."


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    "question",
    ["mum is taking the kids to Syria next week", "dad plans to fly the children out to syria in the holidays"],
)
def test_children_taken_to_a_conflict_zone_lead_with_that_level_4_indicator(pack: ContentPack, question: str) -> None:
    # led with level 3 "expresses extremist views", which nobody had said
    assert first_indicator(pack, question) == CONFLICT_ZONE


@pytest.mark.parametrize(
    "question",
    ["refugee family from syria, 6yo very anxious", "family arrived from Syria last year, struggling with money"],
)
def test_a_family_from_syria_is_not_read_as_radicalisation(pack: ContentPack, question: str) -> None:
    # the country's name alone was read as a radicalisation concern
    assert "radicalisation" not in reading.assess(pack, question).concerns
