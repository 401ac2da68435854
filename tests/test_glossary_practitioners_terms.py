"""/glossary knows the terms an outside audit's practitioners asked for (HV, GP, KCSIE, toxic trio,
WT23, NFA), each with its source; and an unknown short abbreviation is offered only a term it is a
slip of, never one that merely shares letters with it ("NFA" was offered NAI, near its opposite)."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from core.contentpack import ContentPack
from handlers import glossary
from tests.harness import first_header, only_reply
from tests.pack_support import medway_pack


@pytest.mark.parametrize(
    ("typed", "header"),
    [
        ("HV", "HV — Health Visitor"),
        ("health visitor", "HV — Health Visitor"),
        ("GP", "GP — General Practitioner"),
        ("KCSIE", "KCSIE — Keeping Children Safe in Education"),
        ("toxic trio", "Toxic trio — 'Toxic trio' (an older term, now often discouraged)"),
        ("WT23", "WT23 — Working Together to Safeguard Children 2023"),
        ("Working Together 2023", "WT23 — Working Together to Safeguard Children 2023"),
        ("NFA", "NFA — No Further Action"),
    ],
)
async def test_the_terms_practitioners_asked_for_are_known_with_a_source(
    runtime: Runtime, typed: str, header: str
) -> None:
    answer = await only_reply(runtime, "glossary", typed)
    assert first_header(answer) == header
    assert "Source: " in answer.all_text()
    assert "Did you mean" not in answer.all_text()


async def test_toxic_trio_says_the_term_is_now_often_discouraged(runtime: Runtime) -> None:
    shown = (await only_reply(runtime, "glossary", "toxic trio")).all_text()
    assert "now often discouraged" in shown and "Say which worry you mean." in shown


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(("typed", "unrelated"), [("CSA", "CSE"), ("CSA", "CSC"), ("LAD", "LAC"), ("MSH", "MCH")])
def test_a_short_abbreviation_is_not_offered_a_term_that_only_shares_letters(
    pack: ContentPack, typed: str, unrelated: str
) -> None:
    assert unrelated not in [e.term for e in glossary.suggestions(pack, typed)]


@pytest.mark.parametrize(
    ("typed", "meant"), [("LAD", "LADO"), ("MSH", "MASH"), ("DLS", "DSL"), ("LDO", "LADO"), ("MARRAC", "MARAC")]
)
def test_a_slip_in_an_abbreviation_still_finds_the_term_meant(pack: ContentPack, typed: str, meant: str) -> None:
    assert meant in [e.term for e in glossary.suggestions(pack, typed)]
