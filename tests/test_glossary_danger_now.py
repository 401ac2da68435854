"""A /glossary lookup that reads as a child in danger now gets the 999 line first, read as
/threshold reads it: "child being hit right now" got only "I don't have that in the glossary" (an
outside audit's practitioner finding)."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from core.model import Text
from tests.harness import only_reply

CALL_999 = "**Call 999 now**"


@pytest.mark.parametrize("typed", ["child being hit right now", "baby not breathing"])
async def test_danger_now_in_a_glossary_lookup_opens_with_999(runtime: Runtime, typed: str) -> None:
    answer = await only_reply(runtime, "glossary", typed)
    first = next(b.text for b in answer.blocks if isinstance(b, Text))
    assert first.startswith(CALL_999), first


@pytest.mark.parametrize("typed", ["NAI", "EPO", "what does NFA mean", "strangulation", "police protection", ""])
async def test_a_term_asked_about_gets_no_999_opener(runtime: Runtime, typed: str) -> None:
    assert CALL_999 not in (await only_reply(runtime, "glossary", typed)).all_text()
