"""The guard on what a blind audit of lookups (twenty-fourth session) found it missing or taking
for a name, each also put another way: a lower-case name that is an everyday word before an age
said in brackets ("summer (she's 6)"), a name typed with its accent ("siobhán"), a lower-case
surname and given name opening a line before an age ("zhang yu is 10"); and a brand, a nursery
rhyme and a prince that name no child. The audit's lines are bench/guidance/audit24_guard_lines.yaml."""

from __future__ import annotations

import pytest

from handlers.safety import find_identifiers

NAMES_A_CHILD = [
    "summer (she's 6) says mummy's friend sleeps over and shouts",
    "rocky (he's 9) keeps coming in hungry",
    "jay (aged 11) was found in the park at midnight",
    "siobhán says her da keeps her off school to mind the babies",
    "zoë told me her dad hits her",
    "zhang yu is 10 and works in the family shop until 11pm",
    "wang li is 8 and is left alone at night",
    # a review of the above: a name beside a public figure's words, said to be a child's; accents
    # typed as a letter and a mark; a line that opens after a greeting or a bullet
    "a boy called Jack Daniels was found drunk",
    "Grace Darling (aged 7) and her brother are not fed",
    "siobha\u0301n says her da keeps her off school",
    "me\u0301lanie told me she is scared of dad",
    "hi\nzhang yu is 10 and works in the family shop",
    "- wang li is 8 and is left alone at night",
]

NAMES_NOBODY = [
    "Jack Daniels bottles everywhere in the house and mum passed out when I visited, the kids are 4 and 6",
    "a child keeps singing Jack and Jill with violent new words, should I worry?",
    "after the Prince Harry interview a teen says she wants to run away, is that missing?",
    "my son is 10 and wont eat",
    "the boy is 10 and hungry",
    "foster child is 10 and settled",
    "the café owner says kids hang round late",
    "the lad (he's 9) keeps coming in hungry",
    # a fourth review: "called" names a show, a doll or a pet as often as a child
    "she keeps watching a show called Peppa Pig",
    "she has a doll called Taylor Swift",
    # a second review: a character or a footballer with an age that is no child's, or a number of episodes
    "Peppa Pig (3) is her favourite",
    "Harry Kane (30) scored again",
    "Tom and Jerry, 5 episodes a day",
    # a review: who the child is to someone, and a pair of words before a price or a score
    "my stepdaughter (she's 12) won't come home",
    "the uasc (aged 16) is missing",
    "my godson (he's 9) is being bullied",
    "chelsea fc is 10 points clear and he won't stop talking about it",
    "parker pen is 3 quid",
]


@pytest.mark.parametrize("line", NAMES_A_CHILD)
def test_a_name_in_these_forms_is_found(line: str) -> None:
    assert find_identifiers(line), line


@pytest.mark.parametrize("line", NAMES_NOBODY)
def test_a_line_that_shares_their_words_and_names_nobody_stays_clean(line: str) -> None:
    assert not find_identifiers(line), line


def test_a_name_found_in_accented_text_keeps_its_place() -> None:
    line = "worried about zoë, she told me her dad hits her"
    found = find_identifiers(line)
    assert [line[f.start : f.end] for f in found] == ["zoë"]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("noe\u0308l is 9 and is left alone", "noe\u0308l"),
        ("a\u0301ngela (aged 9) is left alone", "a\u0301ngela"),
        ("worried about zoe\u0308, she told me her dad hits her", "zoe\u0308"),
    ],
)
def test_a_name_typed_as_letters_and_marks_is_found_whole(line: str, name: str) -> None:
    """An accent typed as its own mark after the letter: the name is found with its marks, so taking
    it out leaves no stray letter or mark behind."""
    assert [line[f.start : f.end] for f in find_identifiers(line)] == [name]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("my son Harry Potter has bruises", "Harry Potter"),
        ("my pupil Jack Daniels has bruises", "Jack Daniels"),
        ("Jack and Jill (6 and 7) were left alone", "Jack and Jill"),
        # a third review: an age with a comma and more after it, in months; "called" whoever it is
        ("Harry Potter, aged 7 and in year 3, says dad hits him", "Harry Potter"),
        ("Harry Potter (18 months) has a bruise", "Harry Potter"),
        ("a girl called Taylor Swift said mum hits her", "Taylor Swift"),
        ("our pupil Peppa Smith (5) had a bruise", "Peppa Smith"),
        # a fifth review: "called" after any words about a child, not only a child's word
        ("there is a girl in year 8 called Taylor Swift who is self harming", "Taylor Swift"),
        ("a 14 year old called Harry Kane has been missing since friday", "Harry Kane"),
        # a sixth review: a child said first, then a club before "called"
        ("a lad in my club called Jack Daniels is being hurt at home", "Jack Daniels"),
    ],
)
def test_a_public_figures_name_said_to_be_a_childs_is_taken_whole(line: str, name: str) -> None:
    """A second review: "my son Harry Potter" lost only "Harry", and "Jack and Jill (6 and 7)" only Jill."""
    assert [line[f.start : f.end] for f in find_identifiers(line)] == [name]
