"""Misreadings found by a practitioner's re-run of the twelfth session's answers, each with the
words that were misread."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from core.model import Text
from handlers.threshold import answer, reading
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


def opens_with_999(pack: ContentPack, question: str) -> bool:
    blocks, _kind = answer.threshold_answer(pack, question)
    return any(isinstance(b, Text) and "Call 999 now" in b.text for b in blocks)


@pytest.mark.parametrize(
    "question",
    ["they were playing a stabbing game at break", "year 6 boys playing stabbing games with rulers in class"],
)
def test_children_playing_at_stabbing_are_no_emergency_and_no_exploitation(pack: ContentPack, question: str) -> None:
    assert not opens_with_999(pack, question)
    assert "exploitation" not in reading.assess(pack, question).concerns


@pytest.mark.parametrize(
    "question",
    [
        "he was stabbed at the park and is bleeding",
        "playing the choking game and now hes gone blue and not breathing",
        "kids playing a shooting game, one has been shot with a real gun and is bleeding",
    ],
)
def test_a_real_stabbing_or_a_game_gone_wrong_still_opens_with_999(pack: ContentPack, question: str) -> None:
    assert opens_with_999(pack, question)
