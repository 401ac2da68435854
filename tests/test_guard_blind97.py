"""The guard on the kinds of detail the 97th blind guard set found it missing, each put other ways
than the set's own lines: one new pupil of a named school by when they joined, a nickname in quotes
that others give a child a few words after them, a scout or guide unit named by the place it meets,
and a parent's rank on one team of a named town's station; and the lines that share their words
and identify nobody."""

from __future__ import annotations

import pytest

from handlers.safety import find_identifiers, may_identify

PICKS_SOMEONE_OUT = [
    "new starter in year 5 at St Bartholomew's, no uniform, very hungry",
    "new arrival in Y2 at St Edmund's has no one collecting him",
    "the girl the year 11s call 'Duchess' is sleeping in the park",
    "a lad his mates know as 'Moth' is carrying for a gang",
    "the Rainham Mark cubs leader says one boy is always hungry",
    "a girl at Luton Road brownies turned up with a black eye",
    "dad's a sergeant on the response team at Chatham, so mum thinks no one will believe her",
    "stepdad is a DC in the burglary unit at Strood and says he knows everyone",
]

NAMES_NOBODY = [
    "what police call 'Cuckooing' was covered well in the session",
    "new starter in the office at our school needs a dbs check",
    "Sea Scouts is a good activity for kids who like water",
    "mum is a nurse on the night shift and dad works away",
    "my manager is a DS on the CID team and helped with the strategy meeting",
]


@pytest.mark.parametrize("line", PICKS_SOMEONE_OUT)
def test_a_detail_that_picks_out_one_child_or_family_is_found(line: str) -> None:
    assert find_identifiers(line), line


@pytest.mark.parametrize("line", NAMES_NOBODY)
def test_a_line_that_shares_their_words_and_names_nobody_stays_clean(line: str) -> None:
    assert not find_identifiers(line, about_training=True), line


# a kind of detail named, none given: the second reader does not take the kind's own words for one
KIND_NAMED_NONE_GIVEN = [
    "do i need the NHS number or the dob for the referral form",
    "can I put the child's date of birth on the form",
    "what if the dob is wrong on the referral",
]
DETAIL_GIVEN_IN_WORDS = [
    "her dob is the fifth of may and she lives on the estate",
    "dob 12/03/2015 lives in strood",
]


@pytest.mark.parametrize("line", KIND_NAMED_NONE_GIVEN)
def test_naming_a_kind_of_detail_gives_nobodys(line: str) -> None:
    assert not find_identifiers(line) and not may_identify(line), line


@pytest.mark.parametrize("line", DETAIL_GIVEN_IN_WORDS)
def test_a_date_of_birth_given_is_still_caught(line: str) -> None:
    assert find_identifiers(line) or may_identify(line), line
