"""The guard on what a blind audit of lookups (twenty-fifth session) found it missing or taking for a
name, each also put another way: a name made of everyday words before an age in words ("Rose Mark, six
yrs"), a Polish name whose letters have no accent to take off ("łukasz wiśniewski"), a Vietnamese name
before "(age eleven)"; and a lager that names nobody ("drinks Stella"). The audit's lines are
bench/guidance/audit25_guard_lines.yaml."""

from __future__ import annotations

import pytest

from handlers.safety import find_identifiers, redact

NAMES_A_CHILD = [
    "Rose Mark, six yrs, frequently late and unkempt",
    "łukasz wiśniewski 15 y/o sleeping in a car",
    "Nguyễn Thị Mai (age eleven) doing all the housework and missing school",
    # put another way
    "Rose Mark, six, frequently late",
    "Priya, age eleven, doing all the housework",
    "Jake Smith (aged nine) has bruises",
    "Søren Østergaard (12) is sleeping on the sofa",
    "ﬁona (6) says her dad hits her",
    # a review: a name after drinking that is no drink's; letters kept as typed still read
    "mum keeps drinking Ellie makes her own tea",
    "worried about đorđe",
    "đorđe đukić (11) beaten",
]

NAMES_NOBODY = [
    "mum drinks Stella every night and the kids are 3 and 5",
    "dad has a can of Stella in his hand at pick up every day",
    "a 7 year old, one of six children, is often hungry",
    # a review: capitalised words that name no person before an age in words, and a list of numbers
    "Scouts aged ten and over can join",
    "Year Two (age six) are doing a project on families",
    "Two, three, four children in the house",
    "Team Leader, five years in post, asking about thresholds",
]


@pytest.mark.parametrize("text", NAMES_A_CHILD)
def test_the_name_is_found_and_taken_out_whole(text: str) -> None:
    found = find_identifiers(text)
    assert found, text
    shown = redact(text, found)
    names = ("Rose", "Mark", "łukasz", "wiśniewski", "Nguyễn", "Mai", "Priya", "Jake", "Søren", "Østergaard", "ﬁona")
    for name in (*names, "Ellie", "đorđe", "đukić"):
        if name in text.split(",")[0].split("(")[0]:
            assert name not in shown, shown


@pytest.mark.parametrize("text", NAMES_NOBODY)
def test_a_drink_or_a_number_names_nobody(text: str) -> None:
    assert find_identifiers(text) == []
