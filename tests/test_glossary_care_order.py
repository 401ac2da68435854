"""A care order (Children Act 1989 s31) is not an interim care order (s38): the glossary had it
as the ICO's other name (an outside audit's finding F10)."""

from __future__ import annotations

from bot.runtime import Runtime
from core.model import Reply
from tests.harness import first_header, only_reply


async def ask(runtime: Runtime, words: str) -> Reply:
    return await only_reply(runtime, "glossary", words)


async def test_a_care_order_is_its_own_entry_not_an_interim_care_order(runtime: Runtime) -> None:
    answer = await ask(runtime, "care order")
    assert first_header(answer) == "Care order — Care order (section 31 of the Children Act 1989)"
    assert "Interim Care Order" not in first_header(answer)
    assert "Source: Children Act 1989, Section 31" in answer.all_text()
    interim = await ask(runtime, "interim care order")
    assert first_header(interim) == "ICO — Interim Care Order"
    assert "Also written" not in interim.all_text()  # "care order" was its alias
