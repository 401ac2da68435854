"""Misreadings named by an outside practitioner's audit (sixteenth session), each with the words
that were misread: indicators that rule out what the asker said, denials read as plans, and times
read as this minute."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.contentpack import ContentPack
from handlers.threshold import reading
from tests.test_danger_now_more import medway_pack
from tests.test_lookup_packs import broken_copy, problems_of
from tests.test_lookups_fourteenth import first_indicator
from tests.test_lookups_thirteenth import opens_with_999

NO_VIOLENCE = "Stress from separation, bereavement or arguments between parents, with no violence."
NO_MARK = "A parent seen smacking or roughly handling a child, with no mark left"
NO_SELF_HARM = "Low mood, anxiety or worries that affect everyday life, with no risk of self-harm."
SELF_HARM_L3 = "Self-harm, or a mental health need that needs specialist help"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    ("question", "ruled_out"),
    [
        ("parents argue a lot and dad hits mum in front of the kids", NO_VIOLENCE),
        ("child told me mummy and daddy fight and daddy pushed mummy down the stairs", NO_VIOLENCE),
        ("dad smacked him and left a mark", NO_MARK),
        ("parent smacked child and left a red mark, is that level 4 yes or no", NO_MARK),
        ("low mood and has been self harming", NO_SELF_HARM),
        ("yp on CAMHS w/list, low mood + SH", NO_SELF_HARM),
    ],
)
def test_an_indicator_that_rules_out_what_was_said_does_not_lead(
    pack: ContentPack, question: str, ruled_out: str
) -> None:
    # Each led with the level 2 indicator whose own words exclude the case (`not_with` in levels.yaml).
    assert not first_indicator(pack, question).startswith(ruled_out)


@pytest.mark.parametrize(
    ("question", "indicator"),
    [
        ("parents arguing a lot since the separation", NO_VIOLENCE),
        ("parents separating, kids beat their school record", NO_VIOLENCE),
        ("nobody has hit anyone but parents scream at each other every night and the kids hear all of it", NO_VIOLENCE),
    ],
)
def test_the_same_indicator_still_leads_when_nothing_it_rules_out_is_said(
    pack: ContentPack, question: str, indicator: str
) -> None:
    assert first_indicator(pack, question).startswith(indicator)


@pytest.mark.parametrize(
    "question",
    [
        "she self harms, no plans to kill herself",
        "year 9 pupil self harming, no plans to hurt herself further",
        "cutting her arms, no suicidal ideation",
        "she denies suicidal thoughts but is self harming",
    ],
)
def test_no_plans_to_end_her_life_is_not_read_as_a_plan(pack: ContentPack, question: str) -> None:
    # It led with level 4 "plans to end their life" (or level 2 "no risk of self-harm").
    assert first_indicator(pack, question).startswith(SELF_HARM_L3)


@pytest.mark.parametrize(
    "question",
    [
        "dad hits mum every now and again, kids in the house when it happens, mum says its fine",
        "dad hits mum now and then",
        "does this meet level 4? 2 yr old left alone in car outside shop for 20 mins last week",
        "dad threatened to kill the baby when he was drunk in 2019, now no contact",
    ],
)
def test_from_time_to_time_and_last_week_are_not_this_minute(pack: ContentPack, question: str) -> None:
    assert not opens_with_999(pack, question)


@pytest.mark.parametrize(
    "question",
    [
        "mum threatening to kill the baby, shes in the house with her now",
        "dad is threatening to kill his kids",
        "mum threatening to kill my baby",
        "he is hitting her now and then he will hit the kids",
        "dad is hitting mum now and the kids are there",
        "2 kids under 5 home alone since yesterday, can hear them crying thru the letterbox",
        "girl abt 13 in the back of my cab crying, says men are waiting at the drop off who hurt her last time",
    ],
)
def test_dangers_happening_now_still_open_with_999(pack: ContentPack, question: str) -> None:
    assert opens_with_999(pack, question)


@pytest.mark.parametrize(
    ("question", "concern"),
    [
        ("no plans for the baby, mum hasnt bought anything and is 36 weeks", "pre-birth"),
        ("mum has no intention of stopping drinking, kids left alone at night", "substance-misuse"),
        ("no plans to stop drinking, kids left alone", "substance-misuse"),
    ],
)
def test_a_plan_is_denied_only_as_a_plan_to_harm(pack: ContentPack, question: str, concern: str) -> None:
    # A review: "no plans" denied whatever followed, so these lost their worry.
    read = reading.assess(pack, question)
    assert read.ranked and concern in {
        t for r in read.ranked[:3] for t in reading.index_of(pack).entries[r.number].indicator.topics
    } | set(read.concerns)


def test_hitting_the_bottle_is_drinking_not_a_blow(pack: ContentPack) -> None:
    question = "yr 5 boy, his dad died last yr, mums been hitting the bottle hard since, hes so angry"
    assert "substance-misuse" in reading.assess(pack, question).concerns
    assert not first_indicator(pack, question).startswith(NO_MARK)


def test_an_unknown_not_with_item_is_reported_at_its_line(tmp_path: Path) -> None:
    pack, path, line = broken_copy(tmp_path, "levels.yaml", "not_with: [self-harm]", "not_with: [self-harming-x]")
    expected = f"{path}:{line}: 'self-harming-x' is not a topic id, a word class written {{class}}, or words"
    assert expected in problems_of(pack)
    pack, path, line = broken_copy(
        tmp_path / "b", "levels.yaml", "not_with: [mark, bruise", 'not_with: ["{injuries}", bruise'
    )
    assert f"{path}:{line}: {{injuries}} is not a word class in synonyms.yaml" in problems_of(pack)


def test_a_zero_typed_for_the_letter_o_is_offered_as_the_term_meant(pack: ContentPack) -> None:
    # Trainer audit (sixteenth session): "/glossary LAD0" said nothing was close to it.
    from core.model import Text
    from handlers import glossary

    blocks, _topic = glossary.answer(pack, "LAD0")
    assert "Did you mean **LADO**" in " ".join(b.text for b in blocks if isinstance(b, Text))


@pytest.mark.parametrize(
    "question",
    [
        "15 yo lad admitted smoking weed most weekends w mates, no other concerns",
        "15 yo smoking weed",
        "15yr old using ket and coke, going missing overnight, found in another town by police",
    ],
)
def test_a_young_persons_own_drug_use_is_not_shown_as_a_parents(pack: ContentPack, question: str) -> None:
    # It led with "A parent's mental ill health, drinking or drug use regularly affects the child's care".
    assert not first_indicator(pack, question).startswith("A parent's")


def test_a_parent_using_in_front_of_a_teenager_is_still_the_parents(pack: ContentPack) -> None:
    assert first_indicator(pack, "mum smoking cannabis in front of 15 yo").startswith("A parent's")


@pytest.mark.parametrize(
    "question",
    [
        "teenager carrying a knife to school for protection, says hes being threatened by older boys",
        "14 yo carries a knife for protection",
    ],
)
def test_a_knife_carried_for_protection_leads_with_the_weapon_not_low_level_behaviour(
    pack: ContentPack, question: str
) -> None:
    assert first_indicator(pack, question).startswith("A young person carrying a knife or other weapon")


def test_parents_refusing_a_childs_insulin_is_health_needs_left_untreated(pack: ContentPack) -> None:
    question = "parents refusing insulin for child with diabetes, child looks unwell"
    assert "health needs left untreated" in first_indicator(pack, question)


@pytest.mark.parametrize(
    "question",
    [
        "my manager not acting on my concerns about a colleagues behaviour with kids",
        "concerns about a member of staff",
    ],
)
def test_a_worry_about_a_colleague_goes_to_the_lado_not_first_response(pack: ContentPack, question: str) -> None:
    # Practitioner audit (sixteenth session): it said "contact First Response yourself" and the stages.
    from core.model import Header, Text
    from handlers import escalation

    blocks, topic = escalation.escalation_answer(pack, question)
    said = " ".join(b.text for b in blocks if isinstance(b, Header | Text))
    assert topic == "worry-about-a-colleague" and "LADO" in said and "Start at stage" not in said
    assert "contact First Response yourself" not in said


@pytest.mark.parametrize("question", ["police won't act", "head teacher disagrees", "my DSL wont refer"])
def test_a_disagreement_naming_no_colleague_keeps_the_stages(pack: ContentPack, question: str) -> None:
    from handlers import escalation

    _blocks, topic = escalation.escalation_answer(pack, question)
    assert topic != "worry-about-a-colleague"


def test_a_parent_who_stopped_their_medication_is_not_shown_as_no_risk_to_the_child(pack: ContentPack) -> None:
    # It led with level 2 "... sometimes affects their care, without putting the child at risk".
    question = "mum has bipolar, stopped her meds, toddler at home, partner works away"
    assert "without putting the child at risk" not in first_indicator(pack, question)


def test_a_girl_who_had_the_procedure_still_leads_with_known_fgm(pack: ContentPack) -> None:
    # A concept for a mother's own FGM was tried and dropped: "mum says the girl had the procedure"
    # then led with the mother's level 3 instead of the girl's known FGM (a duty to report).
    question = "mum says the girl had the procedure last summer"
    assert first_indicator(pack, question).startswith("A girl who says she has been cut")


def test_a_family_living_in_their_car_is_housing(pack: ContentPack) -> None:
    question = "pupil said 'we live in mum's car now since we got kicked out, i do my homework in the back seat'"
    assert "housing" in reading.assess(pack, question).concerns


@pytest.mark.parametrize(
    "question",
    [
        "a TA raised concerns and the SW wont act",
        "a teacher raised concerns about neglect and first response closed it",
        "my DSL won't refer, I am a teacher at the school",
        "police wont act on a teacher's concerns",
        "worried about a colleague who seems really stressed and keeps crying at her desk",
        "child told the TA that mum hit her with a hairbrush this morning",
        "LADO not replied about a colleague",
    ],
)
def test_a_job_named_in_a_disagreement_is_not_a_worry_about_that_person(pack: ContentPack, question: str) -> None:
    # A review: the LADO route took over disagreements that only named someone's job.
    from handlers import escalation

    assert escalation.escalation_answer(pack, question)[1] != "worry-about-a-colleague"


@pytest.mark.parametrize(
    ("question", "not_first"),
    [
        ("dad smoking weed with his mates in front of the baby", "Regular drinking or drug use"),
        ("mum's partner carries a weapon", "A young person carrying a knife"),
        ("she keeps a knife in her bag for protection, she's the mum", "A young person carrying a knife"),
        ("police took the children into police protection", "A young person carrying a knife"),
        ("dad refusing treatment for his cancer, kids are caring for him", "A baby or child repeatedly not brought"),
    ],
)
def test_the_new_readings_keep_to_a_young_person_and_to_a_childs_treatment(
    pack: ContentPack, question: str, not_first: str
) -> None:
    ranked = reading.assess(pack, question).ranked
    assert not ranked or not first_indicator(pack, question).startswith(not_first)
