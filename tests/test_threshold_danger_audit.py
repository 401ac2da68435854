"""/threshold's "Call 999 now" opener on the emergencies an outside audit typed as practitioners
(a danger with a word that says this minute in its clause, a child who does not respond or move,
a child taken, a drunk parent about to drive the children, screaming heard, a house on fire with
children in it, an overdose this morning, a plan to die after school), and none on the same words
where the danger may happen, is a habit, is over, or carries on to something else."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from tests.pack_support import answer_text, medway_pack

CALL_999_NOW = "**Call 999 now**"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


NOW = [
    "child drowning",
    "child not responding",
    "baby fell off the bed and isn't moving",
    "toddler left in car outside shop on hot day right now",
    "child left alone in car, very hot",
    "child abducted",
    "a man just grabbed a child and put her in his car",
    "child is missing, gone with a man in a car",
    "house fire, kids inside",
    "I can hear screaming from the flat, kids inside",
    "I can hear a child screaming next door",
    "child took an overdose this morning",
    "child overdosed this morning",
    "child says she will kill herself after school",
    "child says she's going to end it today",
    "parent hits child in the playground in front of me",
    "mum is hitting her child in reception now",
    "parent smacking toddler in front of me now",
    "drunk dad driving kids now",
    "parent drunk at pick up, wants to drive the kids home",
    "child told me mum's boyfriend is going to hurt her when she gets home today",
    "girl says she's being taken to pakistan tomorrow to get married",
]

NOT_NOW = [
    "child not responding to the early help plan",
    "the child is not responding to letters from school",
    "child isn't moving up to year 7 with her friends",
    "he fell behind and is not moving up a set",
    "worried the child could be abducted by dad",
    "fear the child will be abducted abroad",
    "a CAWN after the child was abducted last year",
    "mum was drunk last year and wanted to drive, police stopped her",
    "she was stabbed last year and is in foster care now",
    "child overdosed in march, what now",
    "took an overdose this morning, in hospital and stable now, what do I do",
    "water safety talk on drowning for year 5",
    "I feel like I'm drowning in referrals",
    "a house fire last month, kids now in temporary accommodation",
    "child says mum hits her, she's in class now",
    "mum hits him in front of me at every visit",
    "neighbours say they can hear screaming most nights",
    "dad was driving drunk with the kids in the car last week",
    "kid hit by a car at the crossing this morning, ambulance took him, hes stable",
    "child worried dad is going to hurt her if he finds out",
    "her brother was taken to pakistan last year to get married",
    "girl taken to pakistan tomorrow for a family wedding",
]


@pytest.mark.parametrize("question", NOW)
def test_an_emergency_the_audit_typed_opens_with_999(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW in answer_text(pack, question), question


@pytest.mark.parametrize("question", NOT_NOW)
def test_the_same_words_not_happening_now_get_no_opener(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question), question
