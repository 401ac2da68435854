"""/glossary read as people ask it: "what does X mean" looks up X (the question's own words are
not searched for), the terms practitioners asked for and did not find are there, and a plural
term is not taken for a person."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from tests.harness import first_header, only_reply

WARNING = "Please don't share details that could identify a child"


async def shown(runtime: Runtime, words: str) -> str:
    return (await only_reply(runtime, "glossary", words)).all_text()


@pytest.mark.parametrize(
    ("typed", "term"),
    [
        ("DA", "DA"),
        ("DV", "DA"),
        ("domestic violence", "DA"),
        ("DBS", "DBS"),
        ("what is a DBS check", "DBS"),
        ("SENCO", "SENCO"),
        ("SENDCo", "SENCO"),
        ("what does a SENCO do", "SENCO"),
        ("PEP", "PEP"),
        ("virtual school", "Virtual School"),
    ],
)
async def test_the_terms_practitioners_asked_for_are_in_the_pack(runtime: Runtime, typed: str, term: str) -> None:
    answer = await only_reply(runtime, "glossary", typed)
    assert first_header(answer).startswith(f"{term} — ")
    assert "Source:" in answer.all_text()


async def test_what_does_a_word_mean_searches_the_word_not_the_question(runtime: Runtime) -> None:
    # "mean" matched a meaning that says "means", so this listed SEND before
    text = await shown(runtime, "what does exploitation mean")
    assert "CSE" in text and "CCE" in text
    assert "SEND" not in text


async def test_an_unknown_term_asked_as_a_question_is_said_to_be_unknown(runtime: Runtime) -> None:
    text = await shown(runtime, "what does MACE mean")
    assert "I don't have “MACE” in the glossary" in text
    assert "SEND" not in text


@pytest.mark.parametrize("typed", ["the LADOs", "the MASHs", "what does a SENCO do"])
async def test_terms_and_ordinary_words_get_no_identifying_warning(runtime: Runtime, typed: str) -> None:
    assert WARNING not in await shown(runtime, typed)


@pytest.mark.parametrize("typed", ["LADO for Kayden Smith", "Grace CSE"])  # the second from a review
async def test_a_name_beside_a_term_is_still_warned_about(runtime: Runtime, typed: str) -> None:
    assert WARNING in await shown(runtime, typed)


async def test_a_question_opening_with_a_capital_is_no_name(runtime: Runtime) -> None:
    assert WARNING not in await shown(runtime, "What does a SENCO do")


@pytest.mark.parametrize("spaces", [" ", "\t", "\u00a0"])
@pytest.mark.parametrize("asked", ["what is x", "what does x", "define x", "meaning of x"])
async def test_a_question_built_to_backtrack_is_answered_in_one_reading(
    runtime: Runtime, asked: str, spaces: str
) -> None:
    # an outside audit: the question's pattern, `.+?` between runs of `\s*`, tried every split of a
    # run of spaces; 800 took 207 s on the bot's one loop and 3,990 would have taken hours
    text = await shown(runtime, asked + spaces * (3_990 - len(asked)) + "x")
    assert "in the glossary" in text


@pytest.mark.parametrize(
    ("typed", "term"),
    [
        ("what does LADO stand for?", "LADO"),
        ("What's a TAF", "TAF"),
        ("the meaning of PLO", "PLO"),
        ("define  MASH ?", "MASH"),
    ],
)
async def test_the_ways_people_ask_still_find_the_term(runtime: Runtime, typed: str, term: str) -> None:
    assert first_header(await only_reply(runtime, "glossary", typed)).startswith(f"{term} — ")
