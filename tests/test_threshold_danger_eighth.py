"""/threshold's "Call 999 now" opener on the kinds of emergency the eighth blind danger set found
missing (someone chasing a child and still outside, a weapon on the site, a child's text for help,
a cord round a child's neck, an offender still there), and none where the words are over or name
no weapon (a time said before "and", "at the weekend", "the knife amnesty bin")."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from tests.pack_support import answer_text, medway_pack

CALL_999_NOW = "**Call 999 now**"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


NOW = [
    "a man is chasing him down the street, hes outside the shop now shouting",
    "lad with a knife in the car park, pupils leaving for lunch",
    "someone with a gun in the playground",
    "my niece texted me help, shes upstairs",
    "pupil messaged me help from the party",
    "dad has locked her in the flat and is punching her brother",
    "found her with a belt round her neck in the bedroom",
    "boy has a rope around his neck in the garage",
    "man flashing at the girls by the bus stop, hes still there",
    "older lads fighting with the year 7s by the gate, still there",
]

NOT_NOW = [
    "year 10 was threatening to jump off the bridge over the weekend, what level",
    "took a load of paracetamol at the weekend, home from hospital now",
    "last month he climbed onto the roof and threatened to jump, how do we plan for the anniversary",
    "who empties the knife amnesty bin by the gate",
    "knife crime workshop for year 9 outside the school hall",
    "gun crime talk for parents in reception",
    "all pupils wear a school tie round their neck",
]


@pytest.mark.parametrize("text", NOW)
def test_an_emergency_of_these_kinds_opens_with_999(pack: ContentPack, text: str) -> None:
    assert CALL_999_NOW in answer_text(pack, text)


@pytest.mark.parametrize("text", NOT_NOW)
def test_the_same_words_over_or_naming_no_weapon_do_not(pack: ContentPack, text: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, text)
