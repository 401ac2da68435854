"""The guard on the kinds of detail the 95th blind guard set found it missing, each put other ways
than the set's own lines: a child's initials beside where they are in school or their home, a
nickname in quotes, a street whose kind the list lacked, a hearing for "one of our" children, a
missing-child appeal on the news, a post one pupil of a school holds, and two parents who are both
deaf; and the lines that share their words and identify nobody."""

from __future__ import annotations

import pytest

from handlers.safety import find_identifiers

PICKS_SOMEONE_OUT = [
    # a child's initials after a child word, before where they are or what they said
    "worried about pupil JD in year 4, always hungry",
    "girl MK says her stepdad locks her out",
    # initials owning a home or a family, with or without stops
    "police were called to R.T.'s flat again last night",
    "HB's family have been evicted twice this year",
    # a nickname in quotes beside a child word
    "the boy 'Tank' in year 6 keeps turning up with bruises",
    'little "Princess" at breakfast club has not been collected',
    # a street kind the list lacked
    "the kids at 22 Mill Chase are left alone most nights",
    "mum moved to 4 Station Approach with the new baby",
    # a hearing on a day, for one child the asker knows
    "the final hearing for one of my looked after children is next tuesday",
    # a missing-child appeal on the news, in a line about a child
    "is the boy from the police missing person appeal on the radio the same lad we had in year 9",
    # a post only one pupil of a school holds
    "the school captain told me her dad hits her mum",
    "our deputy head boy has been caught selling vapes",
    # two parents who are both deaf, said with "are both"
    "the girl whose mums are both deaf interprets at every parents evening",
]


@pytest.mark.parametrize("line", PICKS_SOMEONE_OUT)
def test_a_detail_that_picks_out_one_child_or_family_is_found(line: str) -> None:
    assert find_identifiers(line), line


STAYS_CLEAN = [
    # acronyms after a child word, or owning a service
    "child CP plan review is due, who chairs it",
    "the pupil PP funding, can it pay for breakfast club",
    "the LA's family hub runs parenting courses",
    # a stage of a process, or a kind of street word in ordinary use
    "Level 3 Early Help Approach training was really useful",
    "we use a 3 pronged approach to neglect",
    "Stage 2 Park Lane style meeting? no idea what that means",
    # hearings, appeals and posts said of nobody in particular
    "what happens at a final hearing for looked after children",
    "how should schools respond to a missing children appeal",
    "how do other schools run head girl and head boy elections",
    "both parents are deaf, what support is there for young carers",
]


@pytest.mark.parametrize("line", STAYS_CLEAN)
def test_a_line_that_shares_their_words_and_names_nobody_stays_clean(line: str) -> None:
    assert not find_identifiers(line), (line, find_identifiers(line))
