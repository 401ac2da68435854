"""An outside reviewer played practitioners and typed 312 questions of their own (2026-12-06). These
are the answers they found wrong, put right; each is their input or one of its kind:

- a child's black eye or bruises read as abuse between the parents (the thesaurus's "black eye" and
  "covering bruises" were domestic abuse phrases);
- "SA" and "comes in her room at night" not read as sexual abuse; two children "alone overnight" not
  read as a worry of supervision; a belt, bite marks, a dinner lady grabbing a child, a cord round a
  neck, a child told what happens if they tell: each read as something else;
- danger now: a child missing with older men in a car and a parent passed out with a pram got no
  "Call 999 now", and a dog in a hot car did."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers import threshold
from tests.pack_support import answer_text, medway_pack
from tests.test_threshold_safety_audit import CALL_999_NOW


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


LEADS = [
    ("just tell me what to do, kid is covered in bruises", "physical-abuse"),
    ("J.T. in yr 4 has come in with a black eye again", "physical-abuse"),
    ("yp dsclosed sa by step bro, 14 & 16", "sexual-abuse"),
    ("pupil told me she doesnt want to go home because mum's boyfriend comes in her room at night", "sexual-abuse"),
    ("mum works at Tesco nights, 10yo and 7yo alone overnight", "neglect"),
    ("dad told me at parents evening that he uses the belt", "physical-abuse"),
    ("dinner lady shouted at a child and grabbed his arm", "allegation-against-staff"),
    ("teen in toilets with a belt round his neck", "self-harm"),
    ('child said "dad says if i tell anyone we\'ll be taken away"', "sexual-abuse"),
    ("dad is outside the school gates now and hes got a knife", "risk-to-children"),
]


@pytest.mark.parametrize(("question", "topic"), LEADS)
def test_the_first_example_is_of_the_worry_typed(pack: ContentPack, question: str, topic: str) -> None:
    found = threshold.assess(pack, question)
    assert found.ranked and topic in found.ranked[0].topics, (question, [r.topics for r in found.ranked[:3]])


def test_a_mothers_black_eye_is_still_abuse_between_the_parents(pack: ContentPack) -> None:
    found = threshold.assess(pack, "mum came in with a black eye and said dad did it")
    assert "domestic-abuse" in found.concerns


@pytest.mark.parametrize(
    "question",
    [
        "child missing since this morning, last seen with older men in a car",
        "mum passed out drunk in the park with her pram",
        "teen in toilets with a belt round his neck",
        "toddler left in a hot car outside the shop",
    ],
)
def test_danger_now_opens_with_999(pack: ContentPack, question: str) -> None:
    text = answer_text(pack, question)
    body = text.split("\n", 1)[1] if text.startswith("Sample content") else text
    assert body.startswith(CALL_999_NOW), (question, text[:200])


@pytest.mark.parametrize(
    "question",
    [
        "dog left in a hot car outside school",
        "mum passed out drunk last week, baby was with nan",
        "she went missing last year and was seen with older men in a car",
    ],
)
def test_no_999_opener_where_no_child_is_in_danger_now(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question)
