"""/escalation reads who refused and whether the asker's own DSL or manager agrees, not single
words: "my manager agrees with me" got "Your own DSL or manager will not act", and "they refused my
referral" was told to contact First Response itself (an outside audit's finding F7)."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from core.model import Reply
from tests.harness import only_reply

OWN_LEAD_WONT_ACT = "**Your own DSL or manager will not act"
BYPASS = "If a child is at immediate risk,"


async def ask(runtime: Runtime, words: str) -> Reply:
    return await only_reply(runtime, "escalation", words)


async def test_a_manager_who_agrees_leads_to_stage_2_not_to_going_round_them(runtime: Runtime) -> None:
    shown = (await ask(runtime, "my manager agrees with me, what next")).all_text()
    assert OWN_LEAD_WONT_ACT not in shown
    assert "**Your DSL or manager agrees with you**" in shown
    assert "_Start at stage 2:_" in shown and "/escalation stage 2" in shown


@pytest.mark.parametrize(
    "typed",
    [
        "my manager does not agree with me",
        "my DSL won't refer",
        "the DSL disagrees with me",
        "I was told not to refer",
        "my manager isn't on board",
        # the re-run of an outside audit: a head teacher is the asker's own school's
        "head teacher disagrees",
        "the headteacher wont let me refer",
    ],
)
async def test_an_own_lead_who_will_not_act_still_gets_that_theme(runtime: Runtime, typed: str) -> None:
    assert OWN_LEAD_WONT_ACT in (await ask(runtime, typed)).all_text()


@pytest.mark.parametrize(
    "typed",
    [
        "they refused my referral",
        "police won't act",
        "school won't attend the strategy meeting",
        "when is the partnership told",
        "the team manager hasn't replied in a week",
        "they wont listen to me",
        "should I talk to my manager first",
        # a review: a head teacher named by another agency, or of another school, is not the asker's own
        "I'm a social worker and the head teacher disagrees with our plan",
        "the headteacher at the child's new school won't share the file",
        "the head teacher of another school refuses to share information",
        "I am a health visitor, the school's head teacher says no to a TAF meeting",
        "the police won't act, I have told the head teacher",
        "children's social care closed the case, the headmaster is not happy",
    ],
)
async def test_another_agencys_refusal_is_not_read_as_your_own_lead_refusing(runtime: Runtime, typed: str) -> None:
    assert OWN_LEAD_WONT_ACT not in (await ask(runtime, typed)).all_text()


async def test_a_refused_referral_is_a_threshold_decision(runtime: Runtime) -> None:
    shown = (await ask(runtime, "they refused my referral")).all_text()
    assert shown.index("**A threshold or level-of-need decision") < shown.index("**Stages**")


@pytest.mark.parametrize("typed", ["how long does each stage take", "when is the partnership told"])
async def test_a_question_about_the_route_gets_the_whole_route(runtime: Runtime, typed: str) -> None:
    shown = (await ask(runtime, typed)).all_text()
    assert "Challenge and escalation — MSCP" in shown
    assert "I couldn't match that" not in shown
    assert "receives a copy of every stage 2 and stage 3 escalation" in shown


# The audit's thirty queries (escalation_q.txt).
AUDIT_QUERIES = [
    "disagree with social worker decision",
    "case closed too early",
    "resolution",
    "who do I escalate to",
    "stage 2",
    "stage 1",
    "stage 3",
    "I think the case was closed too early",
    "social care said it doesn't meet threshold but I'm worried",
    "they refused my referral",
    "they stepped it down to early help and I disagree",
    "police won't act",
    "health visitor not sharing information",
    "school won't attend the strategy meeting",
    "I disagree with the outcome of the strategy discussion",
    "no feedback after my referral",
    "the conference decided no plan and I disagree",
    "how long does each stage take",
    "when is the partnership told",
    "what if the child is at immediate risk",
    "escalation policy",
    "professional disagreement",
    "resolving disagreements between agencies",
    "my manager agrees with me, what next",
    "the team manager hasn't replied in a week",
    "challenge a decision",
    "CP plan ended too soon",
    "who do I complain to",
    "escalte",
    "they wont listen to me",
]


async def test_every_answer_to_the_audits_queries_keeps_all_stages_and_the_bypass(runtime: Runtime) -> None:
    for typed in AUDIT_QUERIES:
        shown = (await ask(runtime, typed)).all_text()
        assert BYPASS in shown, typed
        if not typed.startswith("stage "):  # one stage in full is asked for by name
            assert all(f"Stage {n} — " in shown for n in range(1, 5)), typed


@pytest.mark.parametrize(
    ("typed", "theme"),
    [
        ("social worker hasnt called back after referral 2 wks ago", "**Communication**"),
        ("no feedback from MASH about my referral", "**No word back on a referral**"),
        # a third: "start at stage 1, talk to the practitioner whose decision worries you", with no
        # decision made yet; the answer is to chase the referral today
        (
            "I referred to the front door 3 days ago about a child with bruises and have heard nothing back",
            "**No word back on a referral**",
        ),
    ],
)
async def test_no_word_back_after_a_referral_is_chased_first(runtime: Runtime, typed: str, theme: str) -> None:
    # A second outside audit: the commonest escalation got "I couldn't match that".
    shown = (await ask(runtime, typed)).all_text()
    assert theme in shown and "I couldn't match that" not in shown


async def test_a_stage_gone_through_is_known_by_whom_it_went_to(runtime: Runtime) -> None:
    # a third outside audit: sent back to stage 1 after the team and service managers said no
    shown = await ask(runtime, "ive been through the team manager and service manager and they still say no, what now")
    assert "Stage 3 (senior managers) has not settled it, so the next step is stage 4." in shown.all_text()
    own = (await ask(runtime, "my DSL still refuses to refer")).all_text()
    assert "Your own DSL or manager will not act" in own
    # a review: the asker's own post, or their own manager, is not a stage gone through
    for said in (
        "I am a senior manager at the school and children's social care still refuse to act",
        "I'm a team manager and the social worker still won't return calls",
        "my head of service is on leave and the social worker still won't return calls",
        "I spoke to my line manager and we still disagree",
    ):
        assert "has not settled it, so the next step is stage" not in (await ask(runtime, said)).all_text(), said
