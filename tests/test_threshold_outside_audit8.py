"""/threshold on two kinds of worry an outside audit found misread: a child neglecting themselves
leads with their basic care, not with low mood "with no risk of self-harm"; a parent's partner with
a history of domestic abuse leads with the risk a new partner brings, not with strangulation."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers.threshold.reading import assess
from tests.pack_support import medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    "text",
    [
        "child self neglect",
        "15yo self neglecting, mum works nights",
        "year 9 girl has stopped looking after herself",
        "he's not taking care of himself at all",
    ],
)
def test_a_child_neglecting_themselves_leads_with_basic_care(pack: ContentPack, text: str) -> None:
    first = assess(pack, text).ranked[0]
    assert "neglect" in first.topics
    assert "Low mood" not in first.text


@pytest.mark.parametrize(
    "text",
    [
        "girl in reception class, mum's new partner has DV history",
        "mums new boyfriend has a history of domestic abuse, 3 kids",
        "stepdad has a domestic violence history",
        "dad's girlfriend has previous for DV",
    ],
)
def test_a_partner_with_a_history_of_abuse_leads_with_the_risk_they_bring(pack: ContentPack, text: str) -> None:
    first = assess(pack, text).ranked[0]
    assert "risk-to-children" in first.topics
    assert "strangled" not in first.text
