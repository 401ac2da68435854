"""An outside audit's breathing and choking questions: a child who has stopped breathing, or is
choking, is told to call 999 first; a place said beside it ("at nursery") is where it happens, not
an attendance worry; and when all the words matched beside the opener are a child word or a "not",
the answer shows no indicators to compare, only the opener, the levels and the emergency route.
Then the kinds of danger now the seventh blind danger set found missing, and their near misses."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers import threshold
from tests.pack_support import answer_text, medway_pack

CALL_999_NOW = "**Call 999 now**"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


def _body(text: str) -> str:
    return text.split("\n", 1)[1] if text.startswith("Sample content") else text  # the sample banner


STOPPED_OR_CHOKING = [
    "baby stopped breathing",
    "child stopped breathing",
    "toddler stopped breathing",
    "my son's stopped breathing",
    "boy stopped breathing at nursery",
    "child choking",
    "baby choking",
    "2yo choking in the dinner hall",
]


@pytest.mark.parametrize("question", STOPPED_OR_CHOKING)
def test_a_child_who_stopped_breathing_or_is_choking_is_told_to_call_999_first(
    pack: ContentPack, question: str
) -> None:
    assert _body(answer_text(pack, question)).startswith(CALL_999_NOW), question


OVER_OR_ASKED = [
    "baby stopped breathing last week, seen at a&e",
    "what should staff do if a child stops breathing",
    "baby stops breathing in his sleep sometimes, mum worried",
    "for our staff training day: what should a dinner lady do if a child starts choking",
    "child witnessed dad choke mum",
]


@pytest.mark.parametrize("question", OVER_OR_ASKED)
def test_a_past_or_asked_about_breathing_does_not_open_with_999(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question), question


@pytest.mark.parametrize(
    "question", ["boy stopped breathing at nursery", "toddler pulled out the pool at nursery, not breathing"]
)
def test_a_place_beside_an_emergency_is_not_an_attendance_worry(pack: ContentPack, question: str) -> None:
    text = answer_text(pack, question)
    assert _body(text).startswith(CALL_999_NOW), question
    assert "education and attendance" not in text, text[:400]
    assert "Attendance is slipping" not in text


@pytest.mark.parametrize("question", ["the baby is not breathing", "baby stopped breathing", "child choking at school"])
def test_an_emergency_with_only_generic_words_shows_no_indicators(pack: ContentPack, question: str) -> None:
    text = answer_text(pack, question)
    assert _body(text).startswith(CALL_999_NOW), question
    assert "Closest indicators" not in text and "Closest to:" not in text, text[:400]
    assert "Early Help" not in text  # no next step for a worry that was never said
    assert "I couldn't find indicators" not in text  # no rewording asked of someone in an emergency
    assert "Level 4 — Specialist" in text  # the levels at a glance
    assert "If a child is in immediate danger, call 999." in text  # the emergency route


def test_choking_on_food_is_not_domestic_abuse(pack: ContentPack) -> None:
    text = answer_text(pack, "nursery child choking on a grape, back blows not working")
    assert _body(text).startswith(CALL_999_NOW)
    assert "domestic abuse" not in text.lower(), text[:400]


def test_strangling_said_as_choking_is_still_domestic_abuse(pack: ContentPack) -> None:
    text = answer_text(pack, "dad is choking mum right now, the kids are watching")
    assert _body(text).startswith(CALL_999_NOW)
    assert "domestic abuse" in text.lower(), text[:400]


def test_a_question_with_no_emergency_still_names_the_setting_as_a_worry(pack: ContentPack) -> None:
    # the place rule is for an emergency only: "worried about nursery" alone is about attendance
    found = threshold.assess(pack, "worried about nursery attendance")
    assert "education" in found.concerns, found.concerns


# --- the seventh blind danger set's kinds, put other ways ---------------------------------------

DANGER_NOW_MORE = [
    # a denial ends with its clause: what follows the comma is still happening
    "inhaler not doing anything, her lips are going blue",
    "epipen did nothing, lips going blue",
    # weapons without "a", a newborn left outside, power lines, a baby dropped on the ground
    "three lads chasing a boy through the park with knives",
    "just found a newborn wrapped in a towel in the bin store",
    "two boys up a pylon by the railway line",
    "dad drunk, just dropped the baby on the tarmac",
    # a child taken, or someone forcing past staff to take one
    "dad grabbed the toddler at the gate and is driving off now",
    "mum with no contact is pushing past staff to get to the classroom",
    "teen says she is locked in the boot, sent me her location",
    # a man heard threatening a child as the asker listens
    "a man next door shouting ill kill you and a child crying",
    "can hear a toddler screaming and a man yelling ill break your neck",
]


@pytest.mark.parametrize("question", DANGER_NOW_MORE)
def test_more_kinds_of_danger_now_open_with_999(pack: ContentPack, question: str) -> None:
    assert _body(answer_text(pack, question)).startswith(CALL_999_NOW), question


NOT_NOW_MORE = [
    "first aid refresher: recovery position for a child who is unconscious",
    "for the inset day, what if a baby stops breathing at nursery",
    "yr 3 boy keeps pushing past others in the dinner line",
    "police found cannabis in the boot of a car her brother drives",
    "dad dropped the kids off late again",
    "mum dropped her on the floor last week and she has a bruise",
    "dad grabbed the kids and drove off last month, now has them every weekend",
    "lad climbing pylons for tiktok videos, his mum doesnt care",
    "dad was yelling ill kill you at the kids last week",
    "coach yelling at the kids, says hell break their necks if they lose again, is that abuse",
]


@pytest.mark.parametrize("question", NOT_NOW_MORE)
def test_their_near_misses_do_not_open_with_999(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question), question
