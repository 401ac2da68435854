"""The guard on the outside audit's lines: a name that is an everyday word too, where only a
person fits ("her uncle Mark touches her", "mum's friend Mark", "Summer has been absent for
weeks"), is caught; the asker's own age ("i am 14 and my dad hits me") identifies no one."""

from __future__ import annotations

import pytest

from handlers import safety


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("child says her uncle Mark touches her", "Mark"),
        ("child says mum's friend Mark touches her", "Mark"),
        ("mum's friend Mark", "Mark"),
        ("Summer has been absent for weeks", "Summer"),
        ("Hope was absent again today", "Hope"),
    ],
)
def test_an_everyday_word_where_only_a_person_fits_is_a_name(line: str, name: str) -> None:
    found = [line[f.start : f.end] for f in safety.find_identifiers(line)]
    assert name in found, line


@pytest.mark.parametrize(
    "line",
    ["my dad Will be late", "Summer holidays coming up, worried about the kids", "Summer is when attendance drops"],
)
def test_the_same_words_as_words_are_not_names(line: str) -> None:
    assert not safety.find_identifiers(line), line


@pytest.mark.parametrize("line", ["i am 14 and my dad hits me", "i'm 13 and my mum hits me", "im 15 and scared"])
def test_the_askers_own_age_alone_identifies_no_one(line: str) -> None:
    assert not safety.find_identifiers(line)
    assert not safety.may_identify(line)
