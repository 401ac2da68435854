"""Lines an outside reviewer playing practitioners typed (2026-12-06) that the guard warned about
though they name nobody, and the forms of them; and the one a fix must not lose."""

from __future__ import annotations

import pytest

from handlers.safety import find_identifiers, may_identify

NOBODY = [
    "@channel @everyone child being hit at home",  # a platform's call to everyone is no one's handle
    "<!here> kid being hit at home",
    "<script>alert(1)</script>",  # "sc" + "ript" was read as a Snapchat name
    "[click here](http://evil.example.com) neglect",
    "my manager says it doesnt meet threshold for CSC, 12yo drinking every weekend, agree?",
    "YP aged 16 saying he wants to kill himself",
    "HSB, 10 yo touched younger child",
    "paeds ED, 15 yr old 2nd overdose in 3 months",
]


@pytest.mark.parametrize("line", NOBODY)
def test_a_line_that_names_nobody_is_not_warned_about(line: str) -> None:
    assert find_identifiers(line) == [], line
    assert not may_identify(line), line


SOMEONE = [
    ("boy games online as xXDarkWolf2012Xx and an adult has been sending him money", "xXDarkWolf2012Xx"),
    ("she plays as n0sc0pe_jake on the school server", "n0sc0pe_jake"),
    ("sc: jake_99 keeps messaging her", "jake_99"),
    ("TM, 14, goalie for the under 15s, says he's scared to go home", "TM"),
]


@pytest.mark.parametrize(("line", "detail"), SOMEONE)
def test_a_name_a_child_plays_or_chats_under_is_still_found_whole(line: str, detail: str) -> None:
    assert detail in [line[f.start : f.end] for f in find_identifiers(line)]


@pytest.mark.parametrize(
    "line",
    [
        "pupil in 5C at Riverside Primary keeps wetting himself and smells",
        "girl in 3B at St Mary's, hair not brushed for weeks",
    ],
)
def test_one_pupil_by_form_group_and_named_school_is_found(line: str) -> None:
    """An outside re-run: a form group beside a named school was not read as a class, as a year was."""
    assert find_identifiers(line), line


def test_a_time_in_hours_is_no_form_group() -> None:
    assert find_identifiers("dad back in 2h, boy at Hilltop Primary alone") == []
