"""What a sixth blind practitioner audit (2026-12-07, twenty-second session) saw /threshold miss:
a 14-year-old "watching pro-ana content" who has lost a lot of weight was never told of the eating
disorder indicator the pack has."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers.threshold import assess
from tests.pack_support import medway_pack

EATING_DISORDER = "An eating disorder such as anorexia or bulimia"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    "question",
    [
        "14yo on tiktok challenge videos, watching pro-ana content, lost loads of weight, parents think its a phase",
        "girl 15 follows thinspo accounts and skips lunch",
        "year 9 looking at proana sites",
    ],
)
def test_pro_ana_content_names_the_eating_disorder_indicator(pack: ContentPack, question: str) -> None:
    found = assess(pack, question)
    assert any(r.text.startswith(EATING_DISORDER) for r in found.ranked[:3]), question
    assert "mental-health" in found.concerns


def test_neighbours_who_are_worried_are_not_a_private_fostering_arrangement(pack: ContentPack) -> None:
    """The audit's "mum has bipolar, stopped meds ... dad works away, neighbours worried" was told
    of private fostering; a child left staying with a neighbour still is."""
    worried = "mum has bipolar, stopped meds, house chaotic, 6 and 3 yr old, dad works away, neighbours worried"
    assert "private-fostering" not in assess(pack, worried).concerns
    staying = "dad works away and the kids are staying with a neighbour for months"
    assert "private-fostering" in assess(pack, staying).concerns
