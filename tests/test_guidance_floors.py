"""Guidance quality floors: /threshold and the identifiable-details guard, measured on the
evaluation set in bench/guidance/ with the same code as `python -m bench guidance`, must not
get worse. A change that lowers a figure below its floor fails here.

The floors are set a little under the figures measured once the new matching, content and guard
landed (4 December 2026), so the targets are held: a change that makes the guidance worse fails.
The set was used while the matching and the guard were written, so it flatters them; the held-out
sets in bench/guidance/ (fresh_*.yaml, holdout_questions.yaml) are the fairer measure and are
reported in BENCHMARKS.md. The targets the work aims for are in TARGETS below.
"""

from __future__ import annotations

import collections
from typing import Any

import pytest

from bench import bench_guidance as bg

# Before (d8713c2, 3 December): top-1 48.7, top-3 55.1, level 54.5, every concern 15.9, off-topic
# 69.4; guard recall 28.3 / 46.2 with false alarms 5.4 / 11.5; hash seeds 99.0.
# Now (4 December): top-1 89.8, top-3 95.5, level 84.0, every concern 88.6, off-topic 100; guard
# recall 100 / 100 with false alarms 0 / 0; hash seeds 100.
# Issue 16 (4 December, set grown to 617 with fresh multi-worry, disclosure, negation and off-topic
# questions): top-1 91.7, top-3 99.1, level 81.5, every concern 98.4, off-topic 96.7.
FLOOR_TOP1_TOPIC = 89.0
FLOOR_TOP3_TOPIC = 97.0
FLOOR_TOP1_LEVEL = 80.0
FLOOR_EVERY_CONCERN = 95.0
FLOOR_OFFTOPIC_REFUSED = 95.0
FLOOR_GUARD_RECALL = {"lookup": 97.0, "survey": 97.0}
CEILING_GUARD_FALSE_ALARMS = {"lookup": 3.0, "survey": 3.0}
FLOOR_HASH_SEED_AGREEMENT = 100.0
# Already met, and held exactly: every answer carries 999 and the judgement reminder, none
# gives a verdict.
FLOOR_COMPLETE_ANSWERS = 100.0

TARGETS = bg.TARGETS

ISSUE_EXAMPLES = [
    "child says uncle touched her",
    "she told me her stepdad touches her at night",
    "3 year old left home alone",
    "dad just released from prison for sex offences, moving in with family",
    "lives in a hostel",
    "mum says dad hits her when drunk, kids in the house",
    "mum drinking, house dirty, no food in the fridge, kids not going to school, shouting every night",
]

TOPIC_IDS = [
    "neglect",
    "domestic-abuse",
    "exploitation",
    "mental-health",
    "self-harm",
    "missing",
    "send",
    "online-harm",
    "radicalisation",
    "substance-misuse",
    "housing",
    "pre-birth",
    "physical-abuse",
    "sexual-abuse",
    "emotional-abuse",
    "education",
    "health",
    "behaviour",
    "young-carer",
    "harmful-practices",
    "family-relationships",
    "finances",
    "private-fostering",
    "fabricated-illness",
    "missing-education",
    "child-on-child",
    "relationship-abuse",
    "risk-to-children",
    "faith-abuse",
    "homeless-16-17",
    "parent-in-prison",
]


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return bg.measure(seeds=False)


# --- the evaluation set itself ------------------------------------------------------------------


def test_question_set_has_the_size_and_mix_asked_for() -> None:
    questions = bg.load_questions()
    kinds = collections.Counter(q.kind for q in questions)
    assert len(questions) >= 250
    assert kinds["offtopic"] >= 30
    assert kinds["multi"] + kinds["long"] >= 40
    assert set(kinds) == set(bg.KINDS), f"kinds never used: {set(bg.KINDS) - set(kinds)}"
    assert all(not q.topics for q in questions if q.kind == "offtopic")
    assert all(q.topics and q.levels for q in questions if q.kind != "offtopic")
    assert all(q.levels == (4,) for q in questions if q.kind == "serious")


def test_every_topic_id_is_asked_about_at_least_five_times() -> None:
    questions = bg.load_questions()
    counts = collections.Counter(t for q in questions for t in q.topics)
    assert set(counts) <= set(TOPIC_IDS), f"unknown topic ids: {set(counts) - set(TOPIC_IDS)}"
    assert {t: counts[t] for t in TOPIC_IDS if counts[t] < 5} == {}


def test_concerns_of_multi_questions_are_among_their_topics() -> None:
    for q in bg.load_questions():
        for alternatives in q.concerns:
            assert set(alternatives) <= set(q.topics), q.q


def test_the_issue_examples_are_in_the_set() -> None:
    asked = {q.q for q in bg.load_questions()}
    assert [e for e in ISSUE_EXAMPLES if e not in asked] == []


def test_guard_set_has_both_kinds_of_line_on_both_paths() -> None:
    lines = bg.load_guard_lines()
    assert len(lines) >= 150
    for path in bg.PATHS:
        mine = [g for g in lines if path in g.paths]
        assert sum(g.identifying for g in mine) >= 20
        assert sum(not g.identifying for g in mine) >= 20
    kinds = {g.what for g in lines if g.identifying}
    wanted = {"name", "address", "postcode", "dob", "phone", "nhs", "upn", "handle", "school+name"}
    assert wanted | {"family-surname", "list-of-names", "initial-surname"} <= kinds


# --- the floors ---------------------------------------------------------------------------------


def test_top_1_topic_hit_holds_its_floor(result: dict[str, Any]) -> None:
    assert result["bot"]["top1_topic"] >= FLOOR_TOP1_TOPIC


def test_top_3_topic_hit_holds_its_floor(result: dict[str, Any]) -> None:
    assert result["bot"]["top3_topic"] >= FLOOR_TOP3_TOPIC


def test_top_1_level_in_range_holds_its_floor(result: dict[str, Any]) -> None:
    assert result["bot"]["top1_level_in_range"] >= FLOOR_TOP1_LEVEL


def test_every_concern_of_several_worries_holds_its_floor(result: dict[str, Any]) -> None:
    assert result["bot"]["every_concern"] >= FLOOR_EVERY_CONCERN


def test_off_topic_refusals_hold_their_floor(result: dict[str, Any]) -> None:
    assert result["bot"]["offtopic_refused"] >= FLOOR_OFFTOPIC_REFUSED


@pytest.mark.parametrize("path", bg.PATHS)
def test_guard_recall_holds_its_floor(result: dict[str, Any], path: str) -> None:
    assert result["guard"][path]["recall"] >= FLOOR_GUARD_RECALL[path], result["guard"][path]["missed"]


@pytest.mark.parametrize("path", bg.PATHS)
def test_guard_false_alarms_stay_under_their_ceiling(result: dict[str, Any], path: str) -> None:
    g = result["guard"][path]
    assert g["false_alarms"] <= CEILING_GUARD_FALSE_ALARMS[path], g["alarms"]


def test_every_answer_carries_999_and_the_reminder_and_gives_no_verdict(result: dict[str, Any]) -> None:
    w = result["wording"]
    assert w["without_999"] == []
    assert w["without_reminder"] == []
    assert w["with_verdict"] == []
    assert w["complete"] >= FLOOR_COMPLETE_ANSWERS


def test_two_processes_with_different_hash_seeds_agree() -> None:
    agreement, differ = bg.hash_seed_agreement()
    assert agreement >= FLOOR_HASH_SEED_AGREEMENT, differ


def test_the_bench_reports_a_figure_for_each_target(result: dict[str, Any]) -> None:
    names = " ".join(f.name for f in bg.figures({**result, "hash_seed_agreement": 100.0}))
    for words in ("top-1", "top-3", "every concern", "off-topic", "guard recall", "false alarms", "hash seeds"):
        assert words in names
