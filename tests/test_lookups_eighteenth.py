"""Misreadings found in the eighteenth session, each tested with the words that were misread
(most from an outside practitioner's 60 inputs, written before anything ran)."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from core.contentpack import ContentPack
from handlers.threshold import reading
from tests.harness import only_reply
from tests.test_danger_now_more import medway_pack
from tests.test_lookups_fourteenth import first_indicator
from tests.test_lookups_thirteenth import opens_with_999


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


def test_a_childs_cutting_leads_with_self_harm_not_an_eating_disorder(pack: ContentPack) -> None:
    # "low mood ... with no risk of self-harm" is ruled out by the cutting; its place went to an
    # eating disorder nobody had mentioned
    question = "teenager cutting her arms, not deep, says she feels low, parents know and supportive"
    assert first_indicator(pack, question).startswith("Self-harm, or a mental health need")


@pytest.mark.parametrize(
    "question",
    [
        "mum has severe depression, some days cant get out of bed, 7yr old making own breakfast and getting "
        "sibling to school",
        "mum has post natel depresion and isnt coping with the baby at all",
    ],
)
def test_a_parents_depression_leads_with_the_parents_mental_health(pack: ContentPack, question: str) -> None:
    # led with an eating disorder ("making own breakfast" shared a word with it)
    assert first_indicator(pack, question).startswith("A parent's mental health")


@pytest.mark.parametrize(
    "question",
    [
        "mum took an overdose last night and the kids found her",
        "dad overdosed on heroin yesterday, the children were in the house",
    ],
)
def test_a_parents_overdose_is_not_read_as_the_childs_suicide_attempt(pack: ContentPack, question: str) -> None:
    assert first_indicator(pack, question).startswith("A parent's drinking, drug use or mental illness")
    assert first_indicator(pack, "15yo took an overdose of her mums tablets").startswith("Serious self-harm")


def test_sleeves_kept_down_in_the_heat_lead_with_self_harm(pack: ContentPack) -> None:
    # led with neglect ("basic care sometimes slips"), the classic sign of hidden marks unread
    question = "young person has gone very quiet, not eating, lost weight, wearing long sleeves in summer"
    assert first_indicator(pack, question).startswith("Self-harm, or a mental health need")


@pytest.mark.parametrize(
    "question",
    [
        "heard shouting and smashing from the flat, neighbour says dad is hitting mum right now, 2 toddlers inside",
        "he's at the school gate right now with a knife threatening his ex and their kid is with him",
    ],
)
def test_violence_between_the_adults_now_leads_with_domestic_abuse_and_opens_with_999(
    pack: ContentPack, question: str
) -> None:
    # led with a child's violent outbursts, and with an older sibling hurting a younger one
    assert first_indicator(pack, question).startswith("Violence between the adults")
    assert opens_with_999(pack, question)


def test_the_older_child_hitting_mum_is_not_violence_happening_now(pack: ContentPack) -> None:
    assert not first_indicator(pack, "dv at home and now the 15yo hits mum too").startswith("Violence between")


@pytest.mark.parametrize(
    "question",
    [
        "dad constantly calls his son stupid and worthless, child is very withdrawn and anxious",
        "Im a GP receptionist and a dad phoned really angry shouting at me about his appointment, theres kids "
        "in the background crying",
    ],
)
def test_name_calling_and_shouting_are_not_read_as_terrorising_a_child(pack: ContentPack, question: str) -> None:
    # both led with level 4 "violent to the child, rejects or terrorises them"
    assert first_indicator(pack, question).startswith("A parent who often calls the child names")


def test_a_family_asking_for_respite_is_not_read_as_injuries(pack: ContentPack) -> None:
    question = "child with autism non verbal parents exhausted no respite asking for help"
    assert first_indicator(pack, question).startswith("A disability or special educational needs")
    injured = "non verbal autistic boy came in with bruises on his arms, mum says she doesnt know how"
    assert first_indicator(pack, injured).startswith("Bruises or injuries on a disabled")


def test_nudes_shared_round_school_lead_with_sexual_images_not_a_controlling_partner(pack: ContentPack) -> None:
    question = "teen girl told me someone is sharing her nude photos round the school"
    assert first_indicator(pack, question).startswith("Sexual images of the child shared online")


def test_an_older_lad_sending_nudes_to_a_child_leads_at_level_4(pack: ContentPack) -> None:
    # led with a pupil making sexual comments at level 3
    question = "kid in my u12 team keeps getting sent nudes by an older lad on snapchat and being asked for pics back"
    assert reading.assess(pack, question).ranked[0].level == 4
    assert "online-harm" in reading.assess(pack, question).ranked[0].topics


@pytest.mark.parametrize(
    "question",
    [
        "girl told me her stepdad said he would kill her if she told anyone",
        "dad threatened to kill me if i ever tell",
    ],
)
def test_a_threat_to_kill_a_child_who_tells_is_a_child_afraid(pack: ContentPack, question: str) -> None:
    # the first found no indicator at all ("I couldn't find indicators close to that")
    assert first_indicator(pack, question).startswith("A child tells you they have been hurt or abused")


def test_a_baby_left_in_the_cot_all_day_is_neglect_at_level_3(pack: ContentPack) -> None:
    assessed = reading.assess(pack, "baby left in the cot all day while mum sleeps")
    assert (assessed.ranked[0].level, assessed.ranked[0].topics[0]) == (3, "neglect")


@pytest.mark.parametrize(
    ("question", "now"),
    [
        ("parent turned up to collect kids smelling of alcohol and slurring, wants to drive them home now", True),
        ("child had a nose bleed in class and there was blood everywhere", False),
        ("boy has a bleeding nose and blood everywhere, he was punched by dad", True),
    ],
)
def test_drink_driving_now_opens_with_999_and_a_nose_bleed_does_not(
    pack: ContentPack, question: str, now: bool
) -> None:
    assert opens_with_999(pack, question) is now


async def test_contacts_for_a_child_in_danger_open_with_999(runtime: Runtime) -> None:
    # opened with "This pack has no number for 'quick who do i ring NOW kid in danger'"
    said = (await only_reply(runtime, "contacts", "quick who do i ring NOW kid in danger")).all_text()
    assert said.index("Call 999 now") < said.index("Who to call")
    assert "has no number for" not in said


@pytest.mark.parametrize(
    ("question", "stage"),
    [
        ("escalted twice already manager to manager and still no resolution", 3),
        ("we did stage 1 last week and nothing has changed", 2),
        ("I rang the sw twice and got nowhere", 2),
    ],
)
async def test_a_stage_tried_without_settling_it_points_to_the_next(
    runtime: Runtime, question: str, stage: int
) -> None:
    # "I couldn't match that ... here is the whole route"
    said = (await only_reply(runtime, "escalation", question)).all_text()
    assert f"the next step is stage {stage}" in said
    assert f"Escalation stage {stage} of 4" in said


async def test_a_missing_child_is_said_to_be_one_for_the_police(runtime: Runtime) -> None:
    # "police" appeared nowhere in the answers about children missing for two nights
    said = (await only_reply(runtime, "threshold", "14 year old hasnt come home for 2 nights, phone off")).all_text()
    assert "A missing child is one for the police as well as social care" in said
    # "going missing" was named twice: once alone and once inside "going missing, with signs of ..."
    assert said.count("going missing") == 1, said[:300]


# --- a review of the session's changes: what they must not catch ------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "what happens at stage 2 if still no answer",
        "we have not tried stage 1 yet",
        "is stage 1 still needed if the child is at risk?",
        "I already spoke to the social worker and she agreed to look again",
        "we met manager to manager twice and agreed a plan",
    ],
)
async def test_a_stage_asked_about_or_settled_is_not_skipped(runtime: Runtime, question: str) -> None:
    said = (await only_reply(runtime, "escalation", question)).all_text()
    assert "has not settled it" not in said


@pytest.mark.parametrize(
    "question",
    ["online safety dangers for children", "child not in danger but worried about neglect", "stranger danger talk"],
)
async def test_danger_named_otherwise_does_not_open_contacts_with_999(runtime: Runtime, question: str) -> None:
    assert "Call 999 now" not in (await only_reply(runtime, "contacts", question)).all_text()


@pytest.mark.parametrize(
    ("question", "not_first"),
    [
        ("dad's odd behaviour at pick-up, he seemed distracted, kids fine", "A parent's drinking, drug use"),
        ("year 8 boy takes short breaks from lessons when anxious", "A disability or special educational needs"),
        ("16 year old lad with a knife threatening his ex girlfriend at school", "Violence between the adults"),
        ("an adult reported that the 14 year old sent nudes to a boy in her class", "Sexual images of the child"),
        ("teacher told everyone they could take their long sleeves off as it was hot", "Self-harm, or a mental"),
        ("baby was left in the cot while mum had a shower", "Neglect that keeps returning"),
    ],
)
def test_words_that_only_look_like_a_new_reading_are_not_read_so(
    pack: ContentPack, question: str, not_first: str
) -> None:
    ranked = reading.assess(pack, question).ranked
    assert not ranked or not first_indicator(pack, question).startswith(not_first)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("mum rejects her son and always has", "A parent or carer who is violent to the child"),
        ("mum has depression, dad drinks, and the 10 year old is cutting himself", "A parent's mental ill health"),
        ("disabled child with bruises on the back, parents at breaking point", "Bruises or injuries on a disabled"),
        ("Foster carer: 13 year old foster child is being messaged on Snapchat by an adult man asking for pictures",
         "Sexual images of the child shared online, or an adult grooming"),
        ("SEND coordinator: 9 year old autistic boy non-verbal, parents struggling to cope, no short breaks or "
         "support in place", "A disability or special educational needs"),
        ("Housing officer: I'm outside a flat and can hear a child screaming and a man shouting that he'll kill her",
         "A parent or carer who is violent to the child"),
    ],
)  # fmt: skip
def test_the_most_serious_fit_leads(pack: ContentPack, question: str, first: str) -> None:
    assert first_indicator(pack, question).startswith(first)


@pytest.mark.parametrize(
    "question", ["dad is using drugs in front of the 4 year old", "parents using drugs at home, 6 year old often late"]
)
def test_a_parents_drug_use_is_read_as_the_parents(pack: ContentPack, question: str) -> None:
    # "dad is using drugs" led with a child who goes missing and comes back with money
    assert first_indicator(pack, question).startswith("A parent's mental ill health, drinking or drug use")


def test_neglect_seen_again_after_a_plan_ended_is_neglect_that_keeps_returning(pack: ContentPack) -> None:
    # led with low-level bullying: "3 year old was on a child protection plan" read "child on ... child"
    question = (
        "Nursery: 3 year old was on a child protection plan last year for neglect, plan ended, now nursery "
        "noticing he is hungry and dirty again"
    )
    assert first_indicator(pack, question).startswith("Neglect that keeps returning")
    assert "child-on-child" not in reading.assess(pack, question).concerns
