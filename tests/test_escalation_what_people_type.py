"""/escalation matches what a practitioner types: "disagreement about level of need" and "who do I
send a stage 2 to" got "I couldn't match that" though the pack has that theme and that stage (an
outside audit's practitioner findings)."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from tests.harness import first_header, only_reply

NO_MATCH = "I couldn't match that"
THRESHOLD_THEME = "**A threshold or level-of-need decision**"


@pytest.mark.parametrize(
    "typed",
    [
        "disagreement about level of need",
        "we disagree about the level of need",
        "dispute over the threshold",
        "they said level 2 but I think level 3",
    ],
)
async def test_a_dispute_about_the_level_of_need_finds_the_threshold_theme(runtime: Runtime, typed: str) -> None:
    shown = (await only_reply(runtime, "escalation", typed)).all_text()
    assert NO_MATCH not in shown
    assert THRESHOLD_THEME in shown


@pytest.mark.parametrize(
    ("typed", "stage"),
    [
        ("who do I send a stage 2 to", "Escalation stage 2 of 4 — Manager to manager"),
        ("what happens at stage 3", "Escalation stage 3 of 4 — Senior managers"),
        ("stage one", "Escalation stage 1 of 4 — Practitioner to practitioner"),
    ],
)
async def test_a_stage_named_in_a_question_gets_that_stage(runtime: Runtime, typed: str, stage: str) -> None:
    answer = await only_reply(runtime, "escalation", typed)
    assert NO_MATCH not in answer.all_text()
    assert first_header(answer) == stage


async def test_who_a_stage_2_goes_to_is_answered(runtime: Runtime) -> None:
    shown = (await only_reply(runtime, "escalation", "who do I send a stage 2 to")).all_text()
    assert "takes it up with their counterpart" in shown
    assert "Send a copy of the escalation to the partnership's business unit" in shown


async def test_a_manager_who_agrees_at_stage_2_still_gets_that_theme(runtime: Runtime) -> None:
    shown = (await only_reply(runtime, "escalation", "my manager agrees, we are at stage 2")).all_text()
    assert "**Your DSL or manager agrees with you**" in shown


async def test_asking_for_the_policy_gets_the_route_without_a_no_match(runtime: Runtime) -> None:
    shown = (await only_reply(runtime, "escalation", "escalatoin policy")).all_text()
    assert NO_MATCH not in shown
    assert "**Stages**" in shown


@pytest.mark.parametrize(
    "typed", ["who gets a copy of escalations?", "who do I copy in", "who is told about an escalation"]
)
async def test_who_gets_a_copy_is_answered_not_unmatched(runtime: Runtime, typed: str) -> None:
    # an outside practitioner audit (twentieth session): "I couldn't match that" and the whole route
    shown = (await only_reply(runtime, "escalation", typed)).all_text()
    assert NO_MATCH not in shown
    assert "**Who is told, and who gets a copy**" in shown
    assert "business unit receives a copy" in shown


@pytest.mark.parametrize("asked", ["stage -1", "stage 0", "stage 12", "9"])
async def test_a_stage_there_is_not_gets_the_stages_at_a_glance(runtime: Runtime, asked: str) -> None:
    """An outside audit: "stage 9" said there are 4 stages but "stage -1" was read as a disagreement."""
    assert "There are 4 stages" in (await only_reply(runtime, "escalation", asked)).all_text()
