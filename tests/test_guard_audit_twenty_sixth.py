"""The guard on what a third blind audit of lookups (twenty-sixth session) took for a child's name: a
law named after a woman ("Claire's Law") and a fairy tale ("Jack and the Beanstalk"). It warned on all 45
lines naming or placing a child. A fourth found "a boy called Brook" missed (Brook is also a charity)
and the Prime Minister and an award named after a man taken for children. The audits' lines are
bench/guidance/audit26_guard_lines.yaml and audit26c_guard_lines.yaml."""

from __future__ import annotations

import pytest

from handlers.safety import find_identifiers, may_identify

NAMES_NOBODY = [
    # the audit's false alarms, as typed
    "Claire's Law disclosure - how does it affect the children",
    "is Jack and the Beanstalk ok to read in nursery given the violence",
    # put another way
    "what does Clare's Law mean for a mum whose new partner has a record",
    "sarahs law application for the man moving in",
    "reading Hansel and Gretel to year 1, is the abandonment bit ok",
    # a fourth blind audit's false alarms
    "What is the Prime Minister's plan for children's social care reform?",
    "Where is the Jack Petchey award application form?",
    "Does the Brook sexual health service see under 16s?",
]

NAMES_A_CHILD = [
    "worried about Jack, 7, who keeps reading jack and the beanstalk",
    "Claire Smith aged 9 disclosed at school",
    "Sarah, 8, says her stepdad hits her",
    # a fourth blind audit's miss: a child said to be called a word the guard reads as an organisation
    "My concern is about a boy called Brook who is eleven",
    "Jack, 12, won a Jack Petchey award",
]


@pytest.mark.parametrize("text", NAMES_NOBODY)
def test_a_law_or_a_fairy_tale_names_nobody(text: str) -> None:
    assert not find_identifiers(text) and not may_identify(text)


@pytest.mark.parametrize("text", NAMES_A_CHILD)
def test_a_child_of_the_same_name_is_still_found(text: str) -> None:
    assert find_identifiers(text)
