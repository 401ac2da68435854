"""The console demo in docs/demo/threshold.txt: the questions that /threshold first got wrong
(issue #16), asked as a new user would, each answered with the right concern and level first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_cli import sgbot_in_process

DEMO = Path(__file__).resolve().parent.parent / "docs" / "demo" / "threshold.txt"
FIRST_RESPONSE = "contact First Response on 01634 334466"
OUT_OF_HOURS = "Out-of-hours emergency social care on 03000 419191"
JUDGEMENT = "This supports your professional judgement"
WARNING = "Please don't share details that could identify a child"


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The demo run once, each answer under the question it answers."""
    run = sgbot_in_process(["console", "--as", "pat", "--script", str(DEMO)], tmp_path_factory.mktemp("demo"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    parts = re.split(r"^> /threshold ", run.stdout, flags=re.MULTILINE)[1:]
    return {part.split("\n", 1)[0]: part for part in parts}


def first_indicator(answer: str) -> tuple[str, int]:
    """The topics and level of the first indicator shown."""
    found = re.search(r"^  1\. .+\n +Level (\d) — \w+ · (.+)$", answer, re.MULTILINE)
    assert found, answer
    return found.group(2), int(found.group(1))


def test_each_question_of_the_demo_gets_the_right_concern_and_level_first(answers: dict[str, str]) -> None:
    got = answers
    assert len(got) == 10
    expected = {
        "child says uncle touched her": ("sexual abuse", 4),
        "she told me her stepdad touches her at night": ("sexual abuse", 4),
        "3 year old left home alone": ("neglect", 4),  # in danger now: the most serious example first
        "dad just released from prison for sex offences, moving in with family": ("person posing a risk", 4),
        "lives in a hostel": ("housing", 3),
        "mum says dad hits her when drunk, kids in the house": ("domestic abuse", 3),
        "Jayden in year 3 at Balfour Junior School has bruises": ("physical abuse", 4),
    }
    for question, (topic, level) in expected.items():
        topics, shown_level = first_indicator(got[question])
        assert topics.startswith(topic) and shown_level == level, (question, topics, shown_level)
    assert "You mentioned: domestic abuse, alcohol." in got["mum says dad hits her when drunk, kids in the house"]


def test_five_worries_in_one_message_are_each_named_and_answered(answers: dict[str, str]) -> None:
    answer = answers["mum drinking, house dirty, no food in the fridge, kids not going to school, shouting every night"]
    named = re.search(r"You mentioned: (.+?)\. (?:It may also involve: .+?\. )?Examples", answer)
    assert named
    assert named.group(1) == "alcohol, home conditions, food and basic care, school attendance, conflict at home"
    shown = [first_indicator(part)[0] for part in re.split(r"(?m)^(?=  \d\. )", answer)[1:2]]
    assert shown and "substance misuse" in shown[0]
    assert "neglect" in answer and "education and attendance" in answer


def test_a_question_about_something_else_says_so_and_shows_no_indicator(answers: dict[str, str]) -> None:
    answer = answers["how do I claim expenses for the car park"]
    assert "I answer safeguarding guidance" in answer
    assert not re.search(r"^  1\. ", answer, re.MULTILINE)


def test_identifying_details_get_a_private_warning_and_no_address_is_read_as_a_worry(answers: dict[str, str]) -> None:
    got = answers
    for question in (
        "Jayden in year 3 at Balfour Junior School has bruises",
        "the family at 14 High Street, mum is drinking again",
    ):
        assert WARNING in got[question]
    street = got["the family at 14 High Street, mum is drinking again"]
    assert "You mentioned: alcohol." in street and "domestic abuse" not in street  # "high" is not high-risk


def test_every_answer_carries_the_emergency_route_and_the_reminder_and_no_verdict(answers: dict[str, str]) -> None:
    for question, answer in answers.items():
        assert "call 999" in answer and FIRST_RESPONSE in answer and OUT_OF_HOURS in answer, question
        assert JUDGEMENT in answer, question
        assert not re.search(r"\b(?:meets|does not meet|doesn't meet)\b", answer), question
