"""The guard read "2 years ago" as a child aged 2 (a sixth blind audit, twenty-second session):
"the fire at the flat was 2 years ago, family rehoused" was warned on as a describable incident."""

from __future__ import annotations

import pytest

from handlers.safety import find_identifiers


@pytest.mark.parametrize(
    "line",
    [
        "the fire at the flat was 2 years ago, family rehoused, checking if anything outstanding",
        "the fire at the flat happened 3 months ago and the family moved",
        "the fire at the flat was 10 years earlier, before the children were born",
    ],
)
def test_a_time_ago_is_no_childs_age(line: str) -> None:
    assert find_identifiers(line) == []


def test_a_childs_age_beside_the_incident_is_still_found() -> None:
    assert find_identifiers("the 2 year old from the fire at the flat")
