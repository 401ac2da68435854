"""An asker who says they are a child is pointed to Childline in the answer itself: an outside
practitioner audit (twentieth session) wrote as 15-year-olds worried about a friend and got only
practitioner steps ("tell your DSL"), with no Childline on the first screen."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers import threshold
from tests.pack_support import medway_pack

CHILDLINE = "you can talk to Childline about yourself or a friend, free and confidential: 0800 1111"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    "typed",
    [
        "my m8 sez her step dad comes in2 her room at nite n she dnt like it. wat do i do im 15",
        "15yo here - my mate is carrying a knife in his bag, says its for protection",
        "15 yo - someone said my friend's boyfriend is 22 and keeps giving her vapes and money",
        "I'm only 13 and my dad hits me when he's drunk",
    ],
)
def test_a_young_asker_is_told_about_childline(pack: ContentPack, typed: str) -> None:
    answer, _topic = threshold.threshold_reply(pack, typed)
    assert CHILDLINE in answer.all_text()


@pytest.mark.parametrize(
    "typed",
    [
        "I'm 15 weeks pregnant and my partner hits me",
        "im 15 minutes late for the core group, the 14 yo has new bruises",
        "yr 10 girl says her boyfriend is 22 and picks her up from school",
    ],
)
def test_a_practitioner_or_an_adult_is_not(pack: ContentPack, typed: str) -> None:
    answer, _topic = threshold.threshold_reply(pack, typed)
    assert "Childline" not in answer.all_text()


def test_a_young_asker_in_danger_now_still_reads_call_999_first(pack: ContentPack) -> None:
    shown = threshold.threshold_reply(pack, "I'm 14 and my dad is hitting me right now")[0].all_text()
    assert shown.startswith("**Call 999 now**") and shown.index("Call 999") < shown.index("Childline")
