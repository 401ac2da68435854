"""/threshold's "Call 999 now" opener on the kinds the tenth blind danger set found missing, each
said in other words than the set's: a child on a fast road, in water they cannot get out of, smoke
coming into a building, bleeding heavily, hands round someone's neck as it happens, someone
crying out that they are being killed, a child held in a car, a stranger in the house while a
child hides, someone climbing in with a weapon, a child alone outside freezing at night, and
children left alone for days; and none for the same words about the past or about a film."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from tests.pack_support import answer_text, medway_pack

CALL_999_NOW = "**Call 999 now**"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    "question",
    [
        "our 5yo ran off and is out on the bypass",
        "boy fell in the canal and cant get out, the current is taking him",
        "smoke coming in through the floorboards of the classroom",
        "teen mum bleeding really heavy after the birth at home",
        "her stepdad has his hands around her neck in the kitchen",
        "a woman upstairs is screaming hes killing her and the kids are crying",
        "she's in a car on the ring road and they won't let her out",
        "my daughter phoned whispering theres a man in our house and shes hiding under the bed",
        "someone climbing in the nursery window with a crowbar",
        "5yo found alone on the green at 10pm, freezing, no coat",
        "neighbour says the kids alone next door, mum's been gone since friday, 3 days",
    ],
)
def test_a_danger_happening_now_opens_with_999(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW in answer_text(pack, question), question


@pytest.mark.parametrize(
    "question",
    [
        "last summer he put his hands round her neck, she's told the police since",
        "a documentary about a man killing her neighbours upset the class",
        "smoke alarm training for the nursery staff next week",
        "the climbing wall trip went well, one boy forgot his cricket bat",
    ],
)
def test_the_same_words_about_the_past_or_a_film_do_not(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question), question
