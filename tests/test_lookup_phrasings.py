"""The ways people ask the other lookups: a stage by its word or Roman numeral, a term wrapped in
a question, and a knife's possession that is not a spirit's."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers import escalation, glossary, threshold
from tests.pack_support import medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


def text(blocks: list[object]) -> str:
    return "\n".join(getattr(b, "text", "") for b in blocks)


@pytest.mark.parametrize("asked", ["stage 2", "2", "stage two", "stage II", "Stage ii", "step two"])
def test_a_stage_is_found_by_number_word_or_numeral(pack: ContentPack, asked: str) -> None:
    _blocks, topic = escalation.escalation_answer(pack, asked)
    assert topic == "stage-2"


@pytest.mark.parametrize(
    ("asked", "term"),
    [("what does LADO stand for", "LADO"), ("what does LADO stand for?", "LADO"), ("meaning of PLO", "PLO")],
)
def test_a_term_asked_as_a_question_is_found(pack: ContentPack, asked: str, term: str) -> None:
    _blocks, topic = glossary.answer(pack, asked)
    assert topic == term


def test_knife_possession_is_not_spirit_possession(pack: ContentPack) -> None:
    reply, _topic = threshold.threshold_reply(pack, "15 yo arrested for knife possession near school")
    shown = text(reply.blocks)
    assert "faith or belief" not in shown and "behaviour" in shown


@pytest.mark.parametrize(
    "question",
    ["mum putting salt in the baby's feeds", "parents withholding insulin from their diabetic son"],
)
def test_a_carer_making_a_child_ill_comes_first_at_level_4(pack: ContentPack, question: str) -> None:
    reply, _topic = threshold.threshold_reply(pack, question)
    first = text(reply.blocks).split("1. ", 1)[1].split("\n")[1]
    assert "Level 4" in first and "fabricated or induced illness" in first


@pytest.mark.parametrize("typed", ["👍", "😀", "🙏🙏", "?!"])
def test_an_emoji_alone_gets_no_identifying_details_warning(typed: str) -> None:
    from handlers import guidance

    assert guidance.screen(typed).had_identifiers is False


@pytest.mark.parametrize("asked", ["my DSL won't refer", "my manager says not to refer", "I was told not to refer"])
def test_a_dsl_who_will_not_act_is_met_with_anyone_can_refer(pack: ContentPack, asked: str) -> None:
    blocks, _topic = escalation.escalation_answer(pack, asked)
    assert "Anyone can make a referral" in text(blocks)


@pytest.mark.parametrize("asked", ["they closed the case and I disagree", "nobody will take the lead"])
def test_every_kind_of_disagreement_says_a_child_at_immediate_risk_skips_the_stages(
    pack: ContentPack, asked: str
) -> None:
    blocks, _topic = escalation.escalation_answer(pack, asked)
    assert "A child at immediate risk?" in text(blocks) and "999" in text(blocks)
