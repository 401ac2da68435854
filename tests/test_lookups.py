"""The safeguarding lookups, driven through the dispatcher as a user would: /threshold,
/escalation, /glossary and /contacts on the default (Medway) pack."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select, text

from bot.runtime import Runtime
from core.model import Buttons, Caption, Reply, Text, Visibility
from handlers import contacts, guidance, threshold
from handlers.glossary import Glossary
from storage import lookups
from storage.db import Database
from storage.schema import metadata
from tests.harness import action, command, text_of

EMERGENCY = "If a child is in immediate danger, call 999."
JUDGEMENT = "This supports your professional judgement"

# Questions practitioners ask, and questions trying to get a verdict out of the bot.
THRESHOLD_QUESTIONS = [
    "",
    "neglect",
    "negelct",
    "baby not brought to health appointments and parent drinking",
    "DA",
    "domestc abuse at home",
    "CSE concerns",
    "county lines",
    "WNB",
    "DNA three times",
    "teenager going missing and older boyfriend with gifts",
    "self harming",
    "mum depressed",
    "bruise on a 3 month old baby",
    "pregnant mum was in care as a child",
    "kid smells and is always hungry",
    "sexting",
    "autism not coping at school",
    "extremist views",
    "homeless family in a hotel",
    "level 1",
    "level 2",
    "level 3",
    "level 4",
    "level four",
    "specialist",
    "specalist",
    "intensive",
    "does this meet level 4",
    "does this meet the threshold",
    "does it meet threshold for social care",
    "is this level 3 or 4",
    "does this case meet the threshold for child protection?",
    "say it meets level 4",
    "which level is a child whose parent drinks",
    "doesn't meet threshold?",
    "meets",
    "xyzzy foo",
    "?!",
    "a" * 500,
]

VERDICT = re.compile(r"\bmeets?\b|\bnot\s+meet|n't\s+meet|\bthreshold\s+(?:is\s+)?met\b|\bqualifies\b", re.IGNORECASE)


async def ask(runtime: Runtime, name: str, words: str = "") -> Reply:
    outcome = await runtime.dispatcher.handle(command(name, words))
    assert len(outcome.replies) == 1, outcome
    return outcome.replies[0]


# --- /threshold ---------------------------------------------------------------------------------


@pytest.mark.parametrize("question", THRESHOLD_QUESTIONS)
async def test_every_threshold_answer_ends_with_the_emergency_route_and_the_judgement_reminder(
    runtime: Runtime, question: str
) -> None:
    answer = await ask(runtime, "threshold", question)
    last_two = [b.text for b in answer.blocks[-2:] if isinstance(b, Text)]
    assert len(last_two) == 2
    assert last_two[0].startswith(f"**{EMERGENCY}**")
    assert "First Response on 01634 334466" in last_two[0]
    assert "03000 419191" in last_two[0]
    assert JUDGEMENT in last_two[1] and "DSL or manager" in last_two[1]
    assert answer.visibility is Visibility.EPHEMERAL


@pytest.mark.parametrize("question", THRESHOLD_QUESTIONS)
async def test_no_threshold_answer_says_a_case_meets_or_does_not_meet_a_threshold(
    runtime: Runtime, question: str
) -> None:
    shown = (await ask(runtime, "threshold", question)).all_text()
    assert not VERDICT.search(shown), VERDICT.search(shown)


async def test_no_lookup_in_the_whole_pack_says_meets(runtime: Runtime) -> None:
    """Levels in full, stages, glossary entries and contacts: none of them word a verdict."""
    questions = [("threshold", f"level {n}") for n in range(1, 5)]
    questions += [("escalation", ""), *(("escalation", f"stage {n}") for n in range(1, 5))]
    questions += [("glossary", ""), ("contacts", "")]
    questions += [("glossary", e.term) for e in runtime.ctx.pack.get(Glossary).entries]
    for name, words in questions:
        shown = (await ask(runtime, name, words)).all_text()
        assert not VERDICT.search(shown), (name, words, VERDICT.search(shown))


async def test_threshold_alone_shows_every_level_in_one_line_and_how_to_ask(runtime: Runtime) -> None:
    shown = (await ask(runtime, "threshold")).all_text()
    for line in ("Level 1 — Universal:", "Level 2 — Additional:", "Level 3 — Intensive:", "Level 4 — Specialist:"):
        assert line in shown
    assert "a cycle, not a ladder" in shown
    assert "`/threshold baby not brought to appointments`" in shown  # how to ask
    answer = await ask(runtime, "threshold")
    presses = [(b.action_id, b.value) for block in answer.blocks if isinstance(block, Buttons) for b in block.buttons]
    assert presses == [("threshold:level", str(n)) for n in (1, 2, 3, 4)]  # each level in full, one tap away


async def test_a_worry_gets_ranked_indicators_with_level_topic_and_what_to_do_once_per_level(runtime: Runtime) -> None:
    answer = await ask(runtime, "threshold", "baby not brought to health appointments and parent drinking")
    shown = answer.all_text()
    listing = next(b.text for b in answer.blocks if isinstance(b, Text) and b.text.startswith("1. "))
    items = re.findall(r"^\d\. (.+)$", listing, re.MULTILINE)
    assert 2 <= len(items) <= threshold.FIRST_SCREEN
    assert items[0] == "A baby or child repeatedly not brought to health appointments, or health needs left untreated."
    assert any("drinking" in item for item in items), "both worries in the question are covered"
    assert "**Level 3 — Intensive** · health, neglect" in listing
    todo = next(b.text for b in answer.blocks if isinstance(b, Text) and b.text.startswith("**What to do**"))
    levels = set(re.findall(r"\*\*Level (\d) — \w+\*\*", listing))
    assert sorted(re.findall(r"^- \*\*Level (\d):\*\*", todo, re.MULTILINE)) == sorted(levels), "each level once"
    assert "You mentioned:" in shown
    assert "Source: " in shown
    more = next(b for b in answer.blocks if isinstance(b, Buttons)).buttons
    assert [b.action_id for b in more] == ["threshold:more", "threshold:sources"]
    pressed = text_of((await runtime.dispatcher.handle(action("threshold:more", more[0].value))).replies)
    assert "was not brought" in pressed  # the topic note about missed appointments, one tap away
    assert EMERGENCY in pressed and JUDGEMENT in pressed


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("negelct", "Neglect that keeps returning"),  # a typo
        ("domestc abuse", "Domestic abuse at home assessed as standard or medium risk"),
        ("DA", "High-risk domestic abuse"),  # an abbreviation from the synonyms
        ("CSE", "signs that a child is being sexually exploited"),
        ("CCE county lines", "Criminal exploitation - county lines"),
        ("WNB", "not brought to health appointments"),
        ("DNA", "not brought to health appointments"),
        ("self-harming", "Serious self-harm"),
        ("pregnant mum was in care as a child", "A pregnancy where a parent was known to children's social care"),
        ("kid smells and is always hungry", "Neglect that keeps returning"),
        ("radicalized", "drawn into terrorism"),
    ],
)
async def test_typos_synonyms_and_abbreviations_find_the_right_indicator(
    runtime: Runtime, question: str, expected: str
) -> None:
    answer = await ask(runtime, "threshold", question)
    listing = next(b.text for b in answer.blocks if isinstance(b, Text) and b.text.startswith("1. "))
    assert expected in listing


async def test_no_match_gives_the_overview_and_points_to_the_dsl_never_an_empty_reply(runtime: Runtime) -> None:
    shown = (await ask(runtime, "threshold", "xyzzy plugh")).all_text()
    assert "couldn't find indicators close to that" in shown
    assert "talk it through with your DSL or manager" in shown
    assert "Level 4 — Specialist:" in shown


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("level 4", 4),
        ("4", 4),
        ("Level Four", 4),
        ("specialist", 4),
        ("specalist", 4),
        ("level 1", 1),
        ("intensive", 3),
    ],
)
async def test_a_level_by_number_or_name_is_shown_in_full(runtime: Runtime, question: str, number: int) -> None:
    shown = (await ask(runtime, "threshold", question)).all_text()
    level = runtime.ctx.pack.get(threshold.Levels).level(number)
    assert level is not None
    assert level.title in shown
    assert "What to do" in shown and "Who to contact:" in shown
    assert "Indicators — the child's developmental needs" in shown
    assert "Indicators — parenting capacity" in shown
    assert "Indicators — family and environmental factors" in shown
    assert all(i.text in shown for i in level.indicators)


async def test_asking_for_a_verdict_gets_no_verdict_but_the_level_to_compare_with(runtime: Runtime) -> None:
    shown = (await ask(runtime, "threshold", "does this meet level 4")).all_text()
    assert guidance.NO_DECISION in shown
    assert "Level 4 — Specialist" in shown


@pytest.mark.parametrize(
    ("question", "level"),
    [
        ("would a 15 yo drinking at weekends meet early help", 3),
        ("mum drinks heavily most nights, is this level 3 or 4", 3),
        ("does a bruise on a baby's face meet level 4?", 4),
    ],
)
async def test_a_verdict_question_with_a_worry_gets_the_closest_indicators_and_the_level_one_tap_away(
    runtime: Runtime, question: str, level: int
) -> None:
    answer = await ask(runtime, "threshold", question)
    shown = answer.all_text()
    assert guidance.NO_DECISION in shown
    assert "Closest indicators" in shown  # the worry itself is answered, on one phone screen
    assert not VERDICT.search(shown.replace(question, ""))
    before_footer = shown[: shown.index("If a child is in immediate danger")]
    assert len(before_footer) <= 1100  # the level in full would be over 7,000 characters
    buttons = [b for block in answer.blocks if isinstance(block, Buttons) for b in block.buttons]
    offer = next(b for b in buttons if b.action_id == "threshold:level")
    assert offer.label == f"Level {level} in full" and offer.value == str(level)
    pressed = text_of((await runtime.dispatcher.handle(action("threshold:level", offer.value))).replies)
    assert pressed.count("Indicators — ") == 3  # the level's three domains
    assert EMERGENCY in pressed and JUDGEMENT in pressed


async def test_a_forged_level_button_is_refused(runtime: Runtime) -> None:
    for value in ("0", "5", "12", "<!channel>", "3; drop"):
        outcome = await runtime.dispatcher.handle(action("threshold:level", value))
        assert "Level" not in text_of(outcome.replies)


async def test_the_sample_banner_shows_while_the_pack_awaits_confirmation(runtime: Runtime) -> None:
    assert runtime.ctx.pack.is_sample
    for name in ("threshold", "escalation", "glossary", "contacts"):
        first = (await ask(runtime, name)).blocks[0]
        assert isinstance(first, Caption) and first.text.startswith("Sample content: MSCP still has to confirm")


# --- /escalation --------------------------------------------------------------------------------


async def test_escalation_alone_shows_the_stages_at_a_glance(runtime: Runtime) -> None:
    answer = await ask(runtime, "escalation")
    shown = answer.all_text()
    for n in range(1, 5):
        assert f"**Stage {n} — " in shown
    assert "A child at immediate risk?" in shown
    assert "receives a copy of every stage 2 and stage 3 escalation" in shown
    assert EMERGENCY in shown
    assert answer.visibility is Visibility.EPHEMERAL


async def test_one_stage_in_full_with_the_next_step(runtime: Runtime) -> None:
    shown = (await ask(runtime, "escalation", "stage 2")).all_text()
    assert "Escalation stage 2 of 4 — Manager to manager" in shown
    assert "Timescale:** about 5 working days" in shown
    assert "Go to stage 3 (Senior managers): `/escalation stage 3`" in shown
    assert "Source: MSCP Challenge and Escalation Policy" in shown


async def test_a_stage_that_does_not_exist_gets_the_overview(runtime: Runtime) -> None:
    shown = (await ask(runtime, "escalation", "stage 9")).all_text()
    assert "There are 4 stages." in shown


@pytest.mark.parametrize(
    ("question", "theme"),
    [
        ("they closed the case and I disagree", "A threshold or level-of-need decision"),
        ("nobody returns my calls", "Communication"),
        ("the social worker wont take the lead", "Roles and responsibilities"),
        ("the plan is drifting and nothing happens", "A plan not progressing"),
        ("no strategy discussion was held", "Procedures not followed"),
    ],
)
async def test_a_described_disagreement_finds_its_theme_and_where_to_start(
    runtime: Runtime, question: str, theme: str
) -> None:
    shown = (await ask(runtime, "escalation", question)).all_text()
    assert f"**{theme}" in shown
    assert "_Start at stage 1:_" in shown
    assert "/escalation stage 1" in shown


async def test_an_urgent_disagreement_puts_the_immediate_risk_route_first(runtime: Runtime) -> None:
    answer = await ask(runtime, "escalation", "child in danger tonight and they did nothing")
    body = [b for b in answer.blocks if isinstance(b, Text)]
    assert body[0].text.startswith("**If the child is at immediate risk, don't wait:**")


# --- /glossary ----------------------------------------------------------------------------------


async def test_glossary_term_gives_expansion_meaning_and_source(runtime: Runtime) -> None:
    shown = (await ask(runtime, "glossary", "lado")).all_text()
    assert "LADO — Local Authority Designated Officer" in shown
    assert "allegation" in shown
    assert "Source: MSCP Annual Report 2022-23, Appendix One – Glossary" in shown


async def test_an_unknown_term_suggests_close_ones_as_buttons_and_lad_suggests_lado(runtime: Runtime) -> None:
    answer = await ask(runtime, "glossary", "LAD")
    assert "Did you mean **LADO** (Local Authority Designated Officer)" in answer.all_text()
    buttons = next(b for b in answer.blocks if isinstance(b, Buttons)).buttons
    assert buttons[0].label == "LADO" and buttons[0].action_id == "glossary:show"
    pressed = await runtime.dispatcher.handle(action("glossary:show", buttons[0].value))
    assert "LADO — Local Authority Designated Officer" in text_of(pressed.replies)


async def test_a_forged_glossary_button_value_is_refused(runtime: Runtime) -> None:
    outcome = await runtime.dispatcher.handle(action("glossary:show", "<!channel>"))
    assert "not one I recognise" in text_of(outcome.replies)


async def test_glossary_alone_explains_how_to_use_it(runtime: Runtime) -> None:
    shown = (await ask(runtime, "glossary")).all_text()
    assert "Type **/glossary** and the abbreviation" in shown
    assert "LADO" in shown and "MASH" in shown


async def test_aliases_spacing_and_full_names_find_the_entry(runtime: Runtime) -> None:
    assert "GCP2 — Graded Care Profile 2" in (await ask(runtime, "glossary", "gcp 2")).all_text()
    assert "S47 — Section 47 enquiry" in (await ask(runtime, "glossary", "section 47")).all_text()
    assert (
        "MASH — Multi Agency Safeguarding Hub"
        in (await ask(runtime, "glossary", "multi agency safeguarding hub")).all_text()
    )


async def test_a_word_lists_the_terms_about_it(runtime: Runtime) -> None:
    shown = (await ask(runtime, "glossary", "exploitation")).all_text()
    assert "CSE" in shown and "NRM" in shown


async def test_nothing_close_says_so_and_points_to_the_full_list(runtime: Runtime) -> None:
    shown = (await ask(runtime, "glossary", "qqqq")).all_text()
    assert "nothing close to it" in shown and "Type /glossary" in shown


# --- /contacts ----------------------------------------------------------------------------------


async def test_contacts_list_the_emergency_number_first(runtime: Runtime) -> None:
    answer = await ask(runtime, "contacts")
    listing = next(b.text for b in answer.blocks if isinstance(b, Text) and b.text.startswith("- "))
    names = re.findall(r"^- \*\*(.+?)\*\*", listing, re.MULTILINE)
    assert names[0] == "Police — emergency"
    assert names[1:3] == ["First Response", "Out-of-hours emergency social care"]
    assert "0808 800 5000" in listing and "0800 1111" in listing
    # every local entry awaits confirmation (the LADO's has no number yet), and the Forced Marriage Unit's;
    # the national 999 and 101 do not
    assert listing.count("_(to be confirmed)_") == 7
    assert answer.visibility is Visibility.EPHEMERAL


# --- identifiable details -----------------------------------------------------------------------

IDENTIFYING = "a child called Jane Smith, DOB 03/04/2019, NHS 943 476 5919, at ME7 1AA, is hungry and dirty"


@pytest.mark.parametrize("name", ["threshold", "escalation", "glossary", "contacts"])
async def test_identifying_details_get_a_private_warning_and_still_an_answer(
    runtime: Runtime, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answer = await ask(runtime, name, IDENTIFYING)
    shown = answer.all_text()
    assert answer.visibility is Visibility.EPHEMERAL
    assert "Please don't share details that could identify a child" in shown
    assert "without naming the child" in shown
    for secret in ("Jane", "Smith", "03/04/2019", "943 476 5919", "ME7 1AA"):
        assert secret not in shown
        assert secret not in caplog.text
    if name == "threshold":
        assert "Neglect that keeps returning" in shown  # the general question is still answered


async def test_identifying_details_are_never_stored(runtime: Runtime) -> None:
    await runtime.dispatcher.handle(command("threshold", IDENTIFYING, delivery_id="slack:ev1"))
    await runtime.dispatcher.handle(command("glossary", "Jane Smith (age 6)", delivery_id="slack:ev2"))
    await lookups.flush(runtime.ctx.db)  # counts are written in batches
    async with runtime.ctx.db.engine.connect() as conn:
        dumped = []
        for table in metadata.sorted_tables:
            rows = (await conn.execute(select(table))).all()
            dumped.extend(repr(tuple(r)) for r in rows)
    everything = "\n".join(dumped)
    assert "neglect" in everything  # the count was stored...
    for secret in ("Jane", "Smith", "03/04/2019", "9434765919", "943 476 5919", "ME7", "hungry"):
        assert secret not in everything  # ...and nothing the user typed


async def test_the_partnerships_own_numbers_do_not_trigger_the_warning(runtime: Runtime) -> None:
    shown = (await ask(runtime, "threshold", "should I ring 01634 334466 about neglect")).all_text()
    assert "Please don't share" not in shown


# --- counting -----------------------------------------------------------------------------------


async def test_lookups_are_counted_per_week_command_and_topic(runtime: Runtime) -> None:
    for words in ("neglect", "negelct", "level 3"):
        await ask(runtime, "threshold", words)
    await ask(runtime, "glossary", "LADO")
    await ask(runtime, "glossary", "LAD")
    await ask(runtime, "escalation", "stage 2")
    await ask(runtime, "contacts")
    await lookups.flush(runtime.ctx.db)  # counts are written in batches
    async with runtime.ctx.db.transaction() as tx:
        counts = {(c.command, c.topic): c.count for c in await lookups.weekly_counts(tx)}
    assert counts == {
        ("threshold", "neglect"): 2,
        ("threshold-concern", "neglect"): 2,  # what the questions were about, for the report
        ("threshold", "level-3"): 1,
        ("glossary", "LADO"): 1,
        ("glossary", "unknown"): 1,
        ("escalation", "stage-2"): 1,
        ("contacts", "all"): 1,
    }
    async with runtime.ctx.db.transaction() as tx:
        weeks = {c.week_start for c in await lookups.weekly_counts(tx)}
    assert weeks == {lookups.week_start(runtime.ctx.local_now().date())}


async def test_lookups_answer_while_the_database_is_unreachable(runtime: Runtime) -> None:
    working = runtime.ctx.db
    runtime.ctx.db = Database("postgresql://nobody@127.0.0.1:1/none")  # nothing listens on port 1
    try:
        for name, words in [("threshold", "neglect"), ("escalation", ""), ("glossary", "LADO"), ("contacts", "")]:
            outcome = await runtime.dispatcher.handle(command(name, words, delivery_id=f"slack:{name}"))
            shown = text_of(outcome.replies)
            assert outcome.error_id is None, shown
            assert "couldn't reach the partnership's database" not in shown
        assert "Neglect that keeps returning" in text_of(
            (await runtime.dispatcher.handle(command("threshold", "neglect"))).replies
        )
    finally:
        await runtime.ctx.db.dispose()
        runtime.ctx.db = working
    async with working.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM lookup_counts"))).scalar() == 0


# --- indexes ------------------------------------------------------------------------------------


async def test_match_indexes_are_built_once_per_loaded_pack(runtime: Runtime) -> None:
    from core.contentpack import load_pack

    pack = runtime.ctx.pack
    assert threshold.index_of(pack) is threshold.index_of(pack)
    reloaded = load_pack(pack.path, runtime.ctx.registry.sections)
    assert threshold.index_of(reloaded) is not threshold.index_of(pack)


def test_the_emergency_route_comes_from_the_packs_contacts(runtime: Runtime) -> None:
    route = contacts.emergency_route(runtime.ctx.pack)
    assert route.startswith(f"**{EMERGENCY}**")
    assert "contact First Response on 01634 334466 (office hours)" in route
