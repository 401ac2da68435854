"""/threshold's "Call 999 now" opener on the kinds of emergency the ninth blind danger set found
missing, each said in other words than the set's: a child gone into a car that is leaving, someone
waiting to grab a child, a collapse with a fit, a drunk adult about to drive a child, a wound to
the neck, water pulling a child away, a small child half out of a window, adults who will not let
a child go; and none where an age long gone puts the danger in the past ("when she was 3")."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from tests.pack_support import answer_text, medway_pack

CALL_999_NOW = "**Call 999 now**"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


NOW = [
    "my son just got in a car with a stranger and it's driving off",
    "a van outside the park trying to get kids into it",
    "man by the school fence waiting to grab my daughter",
    "pupil collapsed in the hall and is fitting",
    "lad shaking on the floor of the changing room",
    "mum drunk outside nursery with her car keys, baby in the buggy",
    "boy in the changing room slashing his neck with a razor",
    "lad got swept by the current off the beach",
    "3yo hanging out of a top floor window",
    "she's at a party with older men and they won't let her leave",
    # a blade at a child's own throat, a knife being waved, a plan to smother said as it is about to be
    # done, a man following a child and waiting outside, a hand up a child's skirt, going home to hang
    "boy has a kitchen knife at his own throat in the yard",
    "man waving a machete outside the school",
    "dad says he is going to smother the baby, he's holding her",
    "a man following her from the bus stop, he's waiting outside",
    "man on the train has his hand up her skirt",
    "he said he's going home to hang himself, just left",
    # gone under water and not up, in the middle of a road, on a train line, a car rolling with a
    # child in it, small children alone since yesterday, a child climbing a window sill
    "lad went under in the canal, hasnt come back up",
    "toddler in the middle of the road outside school",
    "boys on the train line by the station",
    "car rolling down the hill with a baby inside",
    "3 kids home alone since yesterday",
    "reception child climbing the windowsill",
    # a baby shaken hard or barely making a sound, a parent passing out holding a baby, a diabetic
    # child confused and sleepy, petrol smelt on a child, a foot stuck at the platform, men who stay
    # put, a drunk ("steaming") parent with the keys, a small child alone outdoors in a nappy
    "dad in the cafe shaking his baby hard",
    "toddler barely making a sound in the cot, cold",
    "mum nodding off, passing out with the baby on her lap",
    "diabetic pupil not making sense and getting sleepy",
    "i can smell petrol on the boy, lads laughing",
    "girl stuck in the gap at the platform",
    "two men in a van still sat there after asking for her",
    "dad steaming, keys in hand, kids in the back",
    "tiny girl alone in the park in just a nappy",
]

NOT_NOW = [
    "he had a seizure when he was 4, now 9, any advice for the trip",
    "she swallowed bleach when she was little, mum still worries",
    "had fits as a baby, now in year 3, do we need a care plan",
    "dad wont let her go on the residential",
    "mum was drunk at pickup last week with her car keys",
    # a short weekday, a festival with "at", or "talked down": the danger is past
    "baby went floppy at nursery weds, seen at hospital, home now",
    "swallowed a magnet at christmas, fine now",
    "girl on the roof got talked down by police, what now",
    "a man following her on instagram",
    "we walked along the tracks on the heritage railway trip last year",
    "mum put him in just a nappy as it was hot",
    "we use the petrol station near school for the minibus",
]


@pytest.mark.parametrize("text", NOW)
def test_an_emergency_of_these_kinds_opens_with_999(pack: ContentPack, text: str) -> None:
    assert CALL_999_NOW in answer_text(pack, text)


@pytest.mark.parametrize("text", NOT_NOW)
def test_the_same_words_long_ago_or_harmless_do_not(pack: ContentPack, text: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, text)


@pytest.mark.parametrize(
    "question",
    [
        "dad won't wake them up for school, they're late every day",
        "gran says mum won't wake her up for the bus so she's always late",
    ],
)
def test_someone_not_waking_a_child_for_school_is_no_emergency(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question), question


@pytest.mark.parametrize("question", ["mum won't wake up and my little brother is crying", "i cant wake her at all"])
def test_a_parent_or_child_who_cannot_be_woken_still_is(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW in answer_text(pack, question), question
