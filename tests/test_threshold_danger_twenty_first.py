"""/threshold's "Call 999 now" opener on what a blind outside audit (2026-12-07, twenty-first
session) typed and the bot did not open with 999: a parent on the floor not moving, a baby sleepy
and sick after a fall, a threat to hurt a mother tonight, a family held in a locked room, a girl
driven off by older men minutes ago, a girl missing with older lads, small children alone and
crying now. And none where a child ran into the road (told after it, read as a suicide attempt
before), nor on the same words when the danger is over, a habit or something else."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from tests.pack_support import answer_text, medway_pack

CALL_999_NOW = "**Call 999 now**"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


NOW = [
    "8yo girl on the line says mummy is on the floor not moving and there are needles next to her",
    "baby fell down the stairs about 10 mins ago now really sleepy and being sick, mum wont take him to hospital",
    "little one in my class says daddy is going to hurt mummy really bad tonight with the gun he keeps in the shed",
    "dad is going to shoot mum tonight",
    "im on a home visit and dad has locked the door and is saying nobody leaves, the 3 kids are in the room with me",
    "girl 13 just got in a car with two older men outside the school gates, they drove off 2 mins ago",
    "one of our girls has gone off with the older lads round the town, missing since this afternoon",
    "kids 4 and 6 been left on their own in the flat next door since this morning, i can hear them crying now",
    "kids 4 and 6 left on their own in the flat right now",
    "girl in year 5 says she is going to Somalia tomorrow to be cut like her sisters",
]

NOT_NOW = [
    "toddler ran into the road while mum was on her phone",
    "mum told me she smacked her son when he ran into the road yesterday is that abuse",
    "last year she fell down the stairs and was sleepy for a day",
    "toddler fell down the stairs yesterday, was a bit sleepy after but fine now",
    "he threatened last month that he was going to shoot mum",
    "mum is going to shoot a video tonight for tiktok with the kids",
    "teacher says in her class nobody leaves until the work is done",
    "the kids were left on their own last night and neighbours could hear them crying",
    "she got in a car with older men last week and they drove off",
    "dad lies on the floor not moving for hours when drunk most weekends",
    "she is going to pakistan tomorrow for her cousins wedding",
]


@pytest.mark.parametrize("question", NOW)
def test_a_child_in_danger_now_is_told_to_call_999_first(pack: ContentPack, question: str) -> None:
    text = answer_text(pack, question)
    assert text.startswith(CALL_999_NOW) or f"\n{CALL_999_NOW}" in text[:400], question


@pytest.mark.parametrize("question", NOT_NOW)
def test_the_same_words_when_the_danger_is_over_or_elsewhere_get_no_opener(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question), question


def test_a_toddler_running_into_the_road_is_not_read_as_a_suicide_attempt(pack: ContentPack) -> None:
    assert "suicidal thoughts" not in answer_text(pack, "toddler ran into the road while mum was on her phone")
    assert "suicidal thoughts" in answer_text(pack, "teen walked into the road on purpose in front of a bus")
