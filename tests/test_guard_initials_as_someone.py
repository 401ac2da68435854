"""A child's initials in capitals, with or without full stops, where only a person fits: after a
word for working with someone ("follow up on JT", "I talk to J.T.K.") or after a word for a child
("my yr 6 girl JT"). The practitioner's own abbreviations in the same places are nobody."""

from __future__ import annotations

import pytest

from handlers.safety import find_identifiers

SOMEONE = [
    ("follow up on JT in yr5 tomorrow", "JT"),
    ("Used it with my yr 6 girl JT", "JT"),
    ("the session made me rethink how we handled JB last term", "JB"),
    ("The course helped me think about how I talk to J.T.K. about home", "J.T.K."),
    ("/escalation police NFA'd the case about child J.T.K. and we disagree", "J.T.K."),
    ("still worried about KM, nothing has changed", "KM"),
    ("I have been checking in with AB every morning since the course", "AB"),
    ("our foster child RJ keeps going missing", "RJ"),
    ("JT in my class said his dad kicks him", "JT"),
    ("KM told me at break that she sleeps on the floor", "KM"),
    ("worried about a.b. in year 9, cutting again", "a.b."),
]


@pytest.mark.parametrize(("line", "letters"), SOMEONE)
def test_initials_where_only_a_person_fits_are_taken_out(line: str, letters: str) -> None:
    assert letters in [line[f.start : f.end] for f in find_identifiers(line)]


NOBODY = [
    "spoke to MASH and they said to send it in writing",
    "worried about CSE in the area around the station",
    "we work with YOT and the police on this",
    "referral for EHA went in last week",
    "helped SPA with the backlog",
    "I work with Y.P. (young people) mostly",
    "The trainer, J.T., was excellent",
    "check in with OK and come back",
    "concerns about DV at home, no names",
    "I now understand the DSL role and the LADO process",
    # the front door and the kinds of harm by their abbreviations, before "said" or "in reception"
    "FR said it doesnt meet threshold but i still think it does, how do I challenge that",
    "DSL query - HSB in reception, 5yo simulating sex acts with peers",
    "CSC said they would ring back",
    # a line shouted in capitals: its words are words
    "WHAT DO I DO IF A KID TELLS ME SOMETHING AND BEGS ME NOT TO TELL",
    "follow up with the h.v. re feeding",
]


@pytest.mark.parametrize("line", NOBODY)
def test_abbreviations_in_the_same_places_are_nobody(line: str) -> None:
    assert find_identifiers(line) == [], line
