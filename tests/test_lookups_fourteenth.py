"""Misreadings found by an outside practitioner's audit of 243 inputs of their own (fourteenth
session), each with the words that were misread."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from core.contentpack import ContentPack
from handlers.threshold import reading
from tests.harness import only_reply
from tests.test_danger_now_more import medway_pack
from tests.test_lookups_thirteenth import opens_with_999


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


def first_indicator(pack: ContentPack, question: str) -> str:
    index = reading.index_of(pack)
    return index.entries[reading.assess(pack, question).ranked[0].number].indicator.text


@pytest.mark.parametrize("question", ["cse", "CSE concerns yr 8 girl", "poss CSE, older males, gifts"])
def test_cse_is_sexual_exploitation_not_county_lines(pack: ContentPack, question: str) -> None:
    # "You mentioned: criminal exploitation" and county lines first, where the glossary says CSE is
    # child sexual exploitation
    assert "sexually exploited" in first_indicator(pack, question)
    assert "sexual-abuse" in reading.assess(pack, question).concerns


def test_cce_is_still_criminal_exploitation(pack: ContentPack) -> None:
    assert first_indicator(pack, "CCE concerns yr 10 boy, 2 phones").startswith("Criminal exploitation")


def test_senco_is_a_member_of_staff_not_the_childs_need(pack: ContentPack) -> None:
    question = "spoke to Mrs Khan the SENCO about a boy who keeps coming in hungry"
    assert "send" not in reading.assess(pack, question).concerns
    assert not opens_with_999(pack, question)


@pytest.mark.parametrize(
    "question",
    [
        # each missed the "Call 999 now" opener in the audit; 999 was only in the footer
        "child in immediate danger",
        "immediate danger - dad threatening to take kids and harm them, he's outside school gate now",
        "lad threatening suicide in text to me, says he's got the rope ready",
        "he has a rope and says hes going to hang himself",
        "teen on bridge saying gonna jump",
        "girl says shes being forced to marry and flying out tonite",
        "child has a knife in school bag and threatening to stab another pupil at break",
        "kid got serious burns, parent refusing to take to hospital",
        "child locked in bedroom no food for two days, neighbour called us",
        "dad outside school gate now threatening to snatch the kids",
        "newborn, mum discharging herself now with baby, pre-birth CP plan says baby not to leave ward",
    ],
)
def test_a_child_in_danger_as_practitioners_typed_it_opens_with_999(pack: ContentPack, question: str) -> None:
    assert opens_with_999(pack, question)


@pytest.mark.parametrize(
    "question",
    [
        "child said her mum locks her in her bedroom for hours as a punishment",
        "she told me mum's boyfriend locks her in her room with no food",
        "baby born withdrawing from heroin, mum discharged herself and left him on the ward",
        "what counts as immediate danger, when do i ring 999 vs first response",
        "when is a child classed as in immediate danger vs at risk, for our volunteer induction",
        "he keeps threatening to stab people when he is angry",
    ],
)
def test_a_worry_said_in_the_same_words_that_is_not_happening_now_does_not(pack: ContentPack, question: str) -> None:
    assert not opens_with_999(pack, question)


LADO = "The LADO (Local Authority Designated Officer), Medway Council"


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        # the audit: "This pack has no number for LADO", and allegations against staff sent to First Response
        ("LADO", LADO),
        ("who do i call re allegation against a teacher", LADO),
        ("allegation against staff", LADO),
        # "no number for 'first response number pls'", then First Response as the nearest
        ("first response number pls", "First Response"),
    ],
)
async def test_contacts_for_an_allegation_against_staff_and_in_a_hurry(
    runtime: Runtime, typed: str, first: str
) -> None:
    from tests.test_contacts_asked_for import listed

    answer_ = await only_reply(runtime, "contacts", typed)
    assert "This pack has no number for" not in answer_.all_text()
    assert listed(answer_)[0] == first


async def test_a_service_without_a_number_gives_the_front_door_with_its_out_of_hours(runtime: Runtime) -> None:
    said = (await only_reply(runtime, "contacts", "prevent referral")).all_text()
    assert "This pack has no number for" in said and "03000 419191" in said


async def test_escalation_points_a_colleagues_behaviour_with_pupils_to_the_lado(runtime: Runtime) -> None:
    said = (await only_reply(runtime, "escalation", "worried about a colleague's behaviour with pupils")).all_text()
    assert "LADO" in said.split("== Challenge and escalation")[0]


@pytest.mark.parametrize("question", ["13yo girl with 19yo bf", "14yo girl, 20yo bf buys her vapes, out all night"])
def test_a_young_teenager_with_an_adult_partner_leads_with_the_much_older_relationship(
    pack: ContentPack, question: str
) -> None:
    # the audit: "13yo girl with 19yo bf" led with a jealous teenage boyfriend, at level 2
    assert first_indicator(pack, question).startswith("A young person in a relationship with someone much older")


def test_a_school_year_is_no_age_under_13(pack: ContentPack) -> None:
    # the audit: "yr 11 said she's pregnant and bf is 22" said "You mentioned: sexual activity under 13"
    read = reading.assess(pack, "yr 11 said she's pregnant and bf is 22")
    assert "sexual activity under 13" not in read.mentioned
    assert "exploitation" in read.concerns
    # ...and "girls of 8 and 11" beside a sex offender are children at risk from him, not sexually active
    question = "registered sex offender has moved in with a mum of two girls (8 and 11) in hoo"
    assert first_indicator(pack, question).startswith("An adult living in or visiting the home who poses a risk")


@pytest.mark.parametrize(
    "question", ["she's 12 and pregnant", "12yo pregnant", "an 11 year old who is sexually active"]
)
def test_a_child_under_13_who_is_pregnant_or_sexually_active_is_still_sexual_abuse(
    pack: ContentPack, question: str
) -> None:
    assert "sexual activity under 13" in reading.assess(pack, question).mentioned


@pytest.mark.parametrize(
    "question", ["child is fine, no concerns, just checking the bot works", "test message please ignore", "testing"]
)
def test_someone_trying_the_bot_out_gets_no_indicator(pack: ContentPack, question: str) -> None:
    # the audit: "Closest to: no, works" and a level 3 poverty indicator
    read = reading.assess(pack, question)
    assert read.off_topic and not read.ranked


def test_a_test_word_beside_a_worry_is_still_the_worry(pack: ContentPack) -> None:
    assert "physical-abuse" in reading.assess(pack, "testing if the bot works - dad hits him").concerns
    assert "substance-misuse" in reading.assess(pack, "drug test came back positive for the mum").concerns


@pytest.mark.parametrize("question", ["can you book me on GCP2 training", "what time is the thresholds course tmrw"])
async def test_a_question_about_a_course_is_pointed_to_training(runtime: Runtime, question: str) -> None:
    said = (await only_reply(runtime, "threshold", question)).all_text()
    assert "see `/training`" in said


@pytest.mark.parametrize(
    "question",
    [
        "Concern: neglect",
        "what level is neglect",
        "new to role DSL at a Gillingham primary, what counts as neglect",
        "NSPCC helpline said call front door about neglect, kids always hungry",
    ],
)
async def test_every_neglect_answer_says_a_contact_needs_a_gcp2_on_the_first_screen(
    runtime: Runtime, question: str
) -> None:
    # the audit: the GCP2 requirement was under "More", or missing, for these
    first_screen = (await only_reply(runtime, "threshold", question)).all_text()
    assert "GCP2" in first_screen


@pytest.mark.parametrize(
    "question",
    [
        "pupil says stepdad raped her last night and shes scared to go home today",
        "girl 14 says her stepfather has been raping her for a year",
    ],
)
def test_a_child_raped_by_an_adult_at_home_leads_with_a_childs_disclosure_not_child_on_child(
    pack: ContentPack, question: str
) -> None:
    # the audit: "A child tells you another child sexually assaulted or raped them" came first
    assert first_indicator(pack, question).startswith("A child tells you someone has touched them sexually")


def test_a_mothers_disclosure_of_rape_by_her_husband_is_no_childs_disclosure(pack: ContentPack) -> None:
    question = "mum disclosed to the midwife that her husband rapes her, she's 30 weeks pregnant"
    assert not first_indicator(pack, question).startswith("A child tells you someone has touched them sexually")


def test_an_adult_asking_a_child_to_move_to_a_private_chat_leads_with_online_grooming(pack: ContentPack) -> None:
    question = "online gaming, adult asking 11yo to move to private chat"
    assert "an adult grooming the child online" in first_indicator(pack, question)


@pytest.mark.parametrize(
    "question", ["child testing " + "that " * 28, "child testing " + "that " * 797, "it works " * 443]
)
def test_a_message_written_to_make_the_test_message_reader_backtrack_is_read_once(
    pack: ContentPack, question: str
) -> None:
    # A review: a word repeated in a starred group made 28 of "that" run for minutes on the loop;
    # a pattern that retried would stall here (timings: python -m bench stall)
    assert not reading.assess(pack, question).concerns


@pytest.mark.parametrize(
    "question",
    [
        # a review of this session's phrases: each opened with "Call 999 now"
        "SW says she's not at risk of immediate danger",
        "is a child in immediate danger if left alone for an hour?",
        "when is a child in immediate danger",
        "he got the rope burns from climbing",
        "mum is discharging herself with the baby tomorrow against advice",
    ],
)
def test_the_new_emergency_words_said_of_no_danger_now_open_with_nothing(pack: ContentPack, question: str) -> None:
    assert not opens_with_999(pack, question)


async def test_no_gcp2_line_where_neglect_is_no_concern_the_question_names(runtime: Runtime) -> None:
    # a re-run of the audit: "Neglect: a contact needs a GCP2" after a tummy ache on Mondays
    said = (
        await only_reply(runtime, "threshold", "child aged 7 in year 3 complaining of tummy aches every monday")
    ).all_text()
    assert "GCP2" not in said
