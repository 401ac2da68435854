"""/glossary finds a term written among other words ("LADO referral"), and a dotted term is no
person's initials (an outside audit's finding F5)."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from core.model import Reply
from tests.harness import first_header, only_reply

WARNING = "Please don't share details that could identify a child"


async def ask(runtime: Runtime, words: str) -> Reply:
    return await only_reply(runtime, "glossary", words)


# The audit's twenty "term + everyday word" queries (glossary3_q.txt), and its other misses.
@pytest.mark.parametrize(
    ("typed", "term"),
    [
        ("marac meeting", "MARAC"),
        ("MARAC referral", "MARAC"),
        ("LADO referral", "LADO"),
        ("LADO role", "LADO"),
        ("MASH team", "MASH"),
        ("EHCP meeting", "EHCP"),
        ("PLO meeting", "PLO"),
        ("IRO role", "IRO"),
        ("CSE risk", "CSE"),
        ("MAPPA meeting", "MAPPA"),
        ("CAMHS referral", "CAMHS"),
        ("DSL role", "DSL"),
        ("CIN meeting", "CIN"),
        ("ICPC meeting", "ICPC"),
        ("EHA form", "EHA"),
        ("GCP2 form", "GCP2"),
        ("NRM referral", "NRM"),
        ("SEND support", "SEND"),
        ("CDOP meeting", "CDOP"),
        ("CIN plan", "CIN"),
        ("child in need plan", "CIN"),
        ("Lado officer", "LADO"),
        ("LADO officer number", "LADO"),
        ("EHCP's", "EHCP"),
        ("strat meeting", "Strategy discussion"),
        ("what happens at a MAPPA", "MAPPA"),
        ("CP plan", "CPP"),
        ("CP conference", "ICPC"),
        ("L.A.D.O", "LADO"),
        ("L.A.D.O referral", "LADO"),
    ],
)
async def test_a_term_among_other_words_is_shown_first(runtime: Runtime, typed: str, term: str) -> None:
    answer = await ask(runtime, typed)
    assert first_header(answer).startswith(f"{term} — "), answer.all_text()
    assert WARNING not in answer.all_text()


@pytest.mark.parametrize("typed", ["how to prevent exploitation", "send me the list of terms", "can you explain CSE"])
async def test_everyday_words_that_are_also_terms_are_not_read_as_them(runtime: Runtime, typed: str) -> None:
    shown = (await ask(runtime, typed)).all_text()
    assert "SEND — " not in shown and "CAN — " not in shown
    assert "Prevent — Prevent" not in shown


async def test_two_terms_show_the_first_and_offer_the_other(runtime: Runtime) -> None:
    answer = await ask(runtime, "MARAC or MAPPA")
    assert first_header(answer).startswith("MARAC — ")
    assert "Also in your question: **MAPPA**" in answer.all_text()


async def test_a_term_misspelt_by_a_letter_is_offered_before_a_topic_search(runtime: Runtime) -> None:
    assert "Did you mean **MARAC**" in (await ask(runtime, "MARRAC")).all_text()


async def test_prevent_typed_as_a_word_lists_prevent_first(runtime: Runtime) -> None:
    shown = (await ask(runtime, "Prevent referral")).all_text()
    assert shown.index("**Prevent**") < shown.index("**Channel**")


async def test_a_child_named_beside_a_term_still_gets_the_warning_and_is_not_echoed(runtime: Runtime) -> None:
    answer = await ask(runtime, "Tom (age 6) LADO referral")
    assert WARNING in answer.all_text() and "Tom" not in answer.all_text()
    assert first_header(answer).startswith("LADO — ")
