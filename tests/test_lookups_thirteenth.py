"""Misreadings found by a practitioner's re-run of the twelfth session's answers, each with the
words that were misread."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers.threshold import reading
from tests.test_danger_now_more import medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    "question", ["the kids are inside", "the house is on fire and the kids are inside", "they are inside the school"]
)
def test_children_inside_a_building_are_no_parent_in_prison(pack: ContentPack, question: str) -> None:
    assert "parent-in-prison" not in reading.assess(pack, question).concerns


@pytest.mark.parametrize(
    "question",
    [
        "his dads been inside since the summer and mum cant cope",
        "mum's new partner has been inside for something but she won't say what",
        "dad has been inside twice and gets out soon",
    ],
)
def test_a_parent_who_has_been_inside_is_still_read_as_prison(pack: ContentPack, question: str) -> None:
    assert "parent-in-prison" in reading.assess(pack, question).concerns
