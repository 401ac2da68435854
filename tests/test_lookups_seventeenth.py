"""Misreadings found in the seventeenth session, each tested with the words that were misread."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from core.contentpack import ContentPack
from handlers.threshold import reading
from tests.harness import only_reply
from tests.test_danger_now_more import medway_pack
from tests.test_lookups_fourteenth import first_indicator
from tests.test_lookups_thirteenth import opens_with_999

CONFLICT_ZONE = "At risk of being drawn into terrorism, or of travelling to a conflict zone."


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    "question",
    [
        "mum is taking the kids to Syria next week",
        "dad plans to fly the children out to syria in the holidays",
        "family flying to turkey then crossing into syria",  # a reviewer's: the classic route
        "mum is planning to take the children to iraq to join her husband who is with isis",
    ],
)
def test_children_taken_to_a_conflict_zone_lead_with_that_level_4_indicator(pack: ContentPack, question: str) -> None:
    # led with level 3 "expresses extremist views", which nobody had said
    assert first_indicator(pack, question) == CONFLICT_ZONE


@pytest.mark.parametrize(
    "question",
    [
        "refugee family from syria, 6yo very anxious",
        "family arrived from Syria last year, struggling with money",
        # a reviewer's: "to syria" alone had read these as terrorism
        "mum sends money to syria to her sister and is struggling to feed the kids",
        "refugee dad wants to return to syria to see his dying mother, kids staying with aunt",
        "the class raised money for the earthquake appeal to syria",
    ],
)
def test_a_family_from_syria_is_not_read_as_radicalisation(pack: ContentPack, question: str) -> None:
    # the country's name alone was read as a radicalisation concern
    assert "radicalisation" not in reading.assess(pack, question).concerns


SELF_HARM_L3 = (
    "Self-harm, or a mental health need that needs specialist help such as CAMHS, beyond what school can offer."
)
SUICIDE_ATTEMPT = "Serious self-harm, a suicide attempt, or plans to end their life."


@pytest.mark.parametrize(
    "question",
    ["student said she self harms", "mum said her daughter is self harming", "pupil said she's been cutting herself"],
)
def test_who_said_it_does_not_make_self_harm_a_plan_to_end_a_life(pack: ContentPack, question: str) -> None:
    # "said" matched the level 4 indicator of a child who "says" they mean to end their life
    assert first_indicator(pack, question) == SELF_HARM_L3


@pytest.mark.parametrize(
    "question",
    [
        "a&e nurse. 14 yo brought in after taking 20 paracetamol, 3rd attendance this year",
        "15yo said he cant see the point in carrying on",
        # a reviewer's: any count, any drug (a list of counts had left 15, 18 and ibuprofen at level 3)
        "year 8 said she took 15 paracetamol yesterday",
        "she said she took 20 ibuprofen",
        "pupil said she took 16 of her mum's sertraline",
        "he took 14 paracetamol after an argument",
    ],
)
def test_an_overdose_or_no_point_in_carrying_on_leads_at_level_4(pack: ContentPack, question: str) -> None:
    # these led at level 4 only through "says"/"said"; without it an overdose fell to level 3
    assert first_indicator(pack, question) == SUICIDE_ATTEMPT


def test_a_lad_chased_for_losing_their_stuff_is_read_as_criminal_exploitation(pack: ContentPack) -> None:
    question = (
        "shop - a teenage lad has just run in bleeding, says some men are outside waiting for him "
        "because he lost their stuff"
    )
    assert "exploitation" in reading.assess(pack, question).concerns
    assert first_indicator(pack, question).startswith("Criminal exploitation")


def test_a_threat_to_kill_if_anyone_finds_out_is_a_child_afraid_to_go_home(pack: ContentPack) -> None:
    question = "9yo said his mum's bf says he'll kill them all if anyone finds out what goes on at home"
    assert first_indicator(pack, question).startswith("A child tells you they have been hurt or abused")


async def test_a_contact_with_no_number_says_so_plainly_first(runtime: Runtime) -> None:
    # "/contacts LADO" listed the LADO with no number, the fact said only inside its description
    said = (await only_reply(runtime, "contacts", "LADO")).all_text()
    assert "The LADO (Local Authority Designated Officer), Medway Council is listed first below, with no phone" in said
    assert said.index("with no phone number yet") < said.index("Who to call")
    assert "no phone number" not in (await only_reply(runtime, "contacts", "first response")).all_text()


@pytest.mark.parametrize("term", ["idva", "IDVA", "hidva"])
async def test_idva_is_in_the_glossary(runtime: Runtime, term: str) -> None:
    said = (await only_reply(runtime, "glossary", term)).all_text()
    assert "Independent Domestic Violence Adviser" in said


@pytest.mark.parametrize(
    ("question", "now"),
    [
        ("girl had a nosebleed in PE and there was blood everywhere, no concerns", False),
        ("dad has a knife collection in a locked cabinet hes a chef, no worries about the kids", False),
        ("dad punched him, nosebleed, blood everywhere", True),
        ("dad has a knife and is threatening mum", True),
        ("boy slashing his own neck, blood everywhere", True),
    ],
)
def test_a_nosebleed_or_a_knife_collection_is_not_a_999(pack: ContentPack, question: str, now: bool) -> None:
    # an outside practitioner's audit: both opened with "Call 999 now"
    assert opens_with_999(pack, question) is now


@pytest.mark.parametrize(
    "question",
    ["mum says she is hearing voices telling her to hurt the baby", "dad hears voices telling him to kill his kids"],
)
def test_a_parent_told_by_voices_to_harm_a_child_leads_at_level_4(pack: ContentPack, question: str) -> None:
    # a reviewer's: it led with level 2 "... without putting the child at risk"
    assert first_indicator(pack, question).startswith(
        "A parent's drinking, drug use or mental illness leaves the child"
    )


@pytest.mark.parametrize(
    ("question", "now"),
    [
        # an outside practitioner's audit: the time of the rape was carried on to "he's still at home"
        ("child told me stepdad raped her last night and hes still at home, shes scared to go home", True),
        ("she's scared to go home, mum's boyfriend hit her and he is still at home", True),
        ("she was scared to go home last year when her stepdad lived there, he moved out", False),
        ("he hit her last week and she still has bruises", False),
    ],
)
def test_a_child_afraid_to_go_home_to_who_hurt_them_opens_with_999(pack: ContentPack, question: str, now: bool) -> None:
    assert opens_with_999(pack, question) is now


def test_a_childs_own_voices_are_not_read_as_a_parents(pack: ContentPack) -> None:
    question = "mum keeps cancelling CAMHS, the 13 yo says she hears voices telling her to hurt people"
    assert not first_indicator(pack, question).startswith("A parent's drinking, drug use or mental illness")


def test_a_lad_who_lost_the_gear_and_owes_the_olders_is_criminal_exploitation(pack: ContentPack) -> None:
    # a reviewer's: it led with level 3 "early signs"
    assert first_indicator(pack, "lad says he owes the olders because he lost the gear").startswith(
        "Criminal exploitation"
    )
