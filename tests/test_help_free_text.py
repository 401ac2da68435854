"""/help followed by a question points to the lookup for it, with the emergency route, and screens
the text as every lookup does: "/help what do I do if a child discloses abuse" suggested /whoami,
and "/help Tom (age 6) told me dad hits him" showed the name and age back (an outside audit's F9)."""

from __future__ import annotations

import logging

import pytest

from bot.runtime import Runtime
from core.model import Reply
from tests.harness import only_reply

WARNING = "Please don't share details that could identify a child"


async def ask(runtime: Runtime, words: str) -> Reply:
    return await only_reply(runtime, "help", words)


async def test_a_question_after_help_points_to_threshold_with_the_emergency_route(runtime: Runtime) -> None:
    shown = (await ask(runtime, "what do I do if a child discloses abuse")).all_text()
    assert "/whoami" not in shown
    assert "**/threshold**" in shown
    assert "If a child is in immediate danger, call 999." in shown
    assert "discloses" not in shown  # the question is not shown back
    assert WARNING not in shown


async def test_identifying_details_after_help_get_the_warning_and_are_never_shown_back(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    shown = (await ask(runtime, "Tom (age 6) told me dad hits him")).all_text()
    assert WARNING in shown
    assert "Tom" not in shown and "tom" not in shown and "age 6" not in shown
    assert "Tom" not in caplog.text
    assert "**/threshold**" in shown


@pytest.mark.parametrize(
    ("typed", "pointed"),
    [
        ("what does LADO stand for", "**/glossary**"),
        ("my manager disagrees with the decision", "**/escalation**"),
        ("who do I call out of hours", "**/contacts**"),
        ("what is a MARAC", "**/glossary**"),
        ("when do I need a GCP2", "**/glossary**"),
        # a worry that names a term in passing is still a worry (HV and GP are glossary terms)
        ("the health visitor is worried about a baby's weight", "**/threshold**"),
        ("GP says child underweight and mum not engaging", "**/threshold**"),
        # the bot's own features (an outside audit got "I can't answer that one" for each)
        ("how do I RSVP to a course", "**/training**"),
        ("how do I add a training session", "**/training**"),
        ("how do I send a bulletin", "**/bulletin**"),
        ("how do I see my roles", "**/whoami**"),
        ("where are the case review briefings", "**/briefing**"),
        ("how do I send the survey", "**/survey**"),
        ("how do I answer the survey", "Tap your answers there"),
        # ...but a worry told at a session is still a worry
        ("at training a boy showed me bruises on his arm", "**/threshold**"),
        ("a girl at our session said her dad hits her", "**/threshold**"),
        # ...and a story that names a course is not a question about /training (a review)
        ("an elderly man at our course said his carer takes his pension", "I can't answer that one"),
        ("a colleague on the training keeps making sexual comments to me", "I can't answer that one"),
    ],
)
async def test_the_question_is_pointed_to_the_lookup_that_answers_it(
    runtime: Runtime, typed: str, pointed: str
) -> None:
    assert pointed in (await ask(runtime, typed)).all_text()


async def test_a_command_name_and_a_slip_of_one_still_work_as_before(runtime: Runtime) -> None:
    assert "**Usage:** /threshold" in (await ask(runtime, "threshold")).all_text()
    assert "Did you mean /help?" in (await ask(runtime, "hlep")).all_text()
