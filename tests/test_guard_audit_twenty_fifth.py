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
    # a second blind guard audit's false alarms
    "child in Reception, 4, soiling daily",
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


def test_a_postcode_in_capitals_is_found_though_its_end_reads_as_an_ordinal() -> None:
    """A second blind guard audit: "B23 6TH" was read as "6th"; "KS2 3rd" is still a school year."""
    assert [f.kind for f in find_identifiers("child in B23 6TH not attending school")] == ["postcode"]
    assert find_identifiers("struggling in KS2 3rd year") == []


def test_a_lager_named_in_full_names_nobody() -> None:
    found = find_identifiers("dad drinks Stella Artois every night and hits the kids")
    assert found == []
