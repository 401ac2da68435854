"""/threshold asked what a term means ("what is a section 47") answers with the glossary's entry,
not indicators matched on its words ("section" as in sectioned gave a parent's mental health); an
off-topic question that names a term ("when is a strategy discussion needed after an abduction
attempt that was foiled", a twelfth blind audit) gets it too. A term alone ("DA") or named in a
worry ("LADO referral for a teacher who hit a pupil") still gets the guidance."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from tests.pack_support import answer_text, medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("what is a section 47", "`/glossary S47`"),
        ("whats a MARAC", "`/glossary MARAC`"),
        (
            "Can you explain what a strategy discussion is and when its needed after an abduction attempt "
            "that was foiled",
            "`/glossary Strategy discussion`",
        ),
        ("drowning in paperwork for this CP conference lol whats the form for a section 47", "Also in your question"),
    ],
)
def test_a_question_about_a_term_gets_its_meaning_not_indicators(pack: ContentPack, question: str, entry: str) -> None:
    answer = answer_text(pack, question)
    assert entry in answer and "Closest indicators" not in answer
    assert "If a child is in immediate danger, call 999" in answer  # the emergency route as ever


@pytest.mark.parametrize("question", ["DA", "CSE", "LADO referral for a teacher who hit a pupil"])
def test_a_term_alone_or_in_a_worry_still_gets_the_guidance(pack: ContentPack, question: str) -> None:
    answer = answer_text(pack, question)
    assert "Closest indicators" in answer and "/glossary" not in answer
