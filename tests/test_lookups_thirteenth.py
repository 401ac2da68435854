"""Misreadings found by a practitioner's re-run of the twelfth session's answers, each with the
words that were misread."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from core.contentpack import ContentPack
from core.model import Caption, Reply, Text
from handlers.threshold import answer, reading
from tests.harness import only_reply
from tests.test_danger_now_more import medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    "question", ["the kids are inside", "the house is on fire and the kids are inside", "they are inside the school"]
)
def test_children_inside_a_building_are_no_parent_in_prison(pack: ContentPack, question: str) -> None:
    assert "parent-in-prison" not in reading.assess(pack, question).concerns


@pytest.mark.parametrize(
    "question",
    [
        "his dads been inside since the summer and mum cant cope",
        "mum's new partner has been inside for something but she won't say what",
        "dad has been inside twice and gets out soon",
    ],
)
def test_a_parent_who_has_been_inside_is_still_read_as_prison(pack: ContentPack, question: str) -> None:
    assert "parent-in-prison" in reading.assess(pack, question).concerns


def opens_with_999(pack: ContentPack, question: str) -> bool:
    blocks, _kind = answer.threshold_answer(pack, question)
    return any(isinstance(b, Text) and "Call 999 now" in b.text for b in blocks)


@pytest.mark.parametrize(
    "question",
    ["they were playing a stabbing game at break", "year 6 boys playing stabbing games with rulers in class"],
)
def test_children_playing_at_stabbing_are_no_emergency_and_no_exploitation(pack: ContentPack, question: str) -> None:
    assert not opens_with_999(pack, question)
    assert "exploitation" not in reading.assess(pack, question).concerns


@pytest.mark.parametrize(
    "question",
    [
        "he was stabbed at the park and is bleeding",
        "playing the choking game and now hes gone blue and not breathing",
        "kids playing a shooting game, one has been shot with a real gun and is bleeding",
    ],
)
def test_a_real_stabbing_or_a_game_gone_wrong_still_opens_with_999(pack: ContentPack, question: str) -> None:
    assert opens_with_999(pack, question)


# An outside practitioner's audit: 999 came after the sample banner and the privacy reminder, and
# /escalation and /help answered a child in danger tonight with a route or a pointer.
DANGER_NOW = "Leo Grant 5 just told me dad is outside with a knife waiting for him, we are in reception now"


def first_text(answer_: Reply) -> str:
    return next(b.text for b in answer_.blocks if isinstance(b, Text | Caption))


async def test_999_comes_before_the_banner_and_the_privacy_reminder(runtime: Runtime) -> None:
    said = await only_reply(runtime, "threshold", DANGER_NOW)
    assert "Call 999 now" in first_text(said)
    assert "Privately, a reminder" in said.all_text()  # still warned, after it
    assert "Leo" not in said.all_text()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("escalation", "sw says theyll visit tomorrow but he is beating her right now and she is bleeding"),
        ("help", "what do i do, the baby has stopped breathing"),
        ("escalation", DANGER_NOW),
    ],
)
async def test_other_lookups_open_with_999_when_a_child_is_in_danger_now(
    runtime: Runtime, name: str, words: str
) -> None:
    said = await only_reply(runtime, name, words)
    assert "Call 999 now" in first_text(said), said.all_text()[:300]


@pytest.mark.parametrize(
    ("name", "words"), [("escalation", "they closed the case and i disagree"), ("help", "how do i record a disclosure")]
)
async def test_and_not_when_no_child_is(runtime: Runtime, name: str, words: str) -> None:
    assert "Call 999 now" not in (await only_reply(runtime, name, words)).all_text()


@pytest.mark.parametrize(
    "question",
    [
        "someone is beating a child in the street outside my window",
        "a child has just told me her step dad is coming to get her now and she is terrified, what do i do",
    ],
)
def test_harm_seen_from_the_window_or_a_frightened_child_about_to_be_taken_opens_with_999(
    pack: ContentPack, question: str
) -> None:
    assert opens_with_999(pack, question)


@pytest.mark.parametrize("question", ["mum is coming to get her now", "dad is coming to get him at 3"])
def test_a_parent_collecting_a_child_is_no_emergency(pack: ContentPack, question: str) -> None:
    assert not opens_with_999(pack, question)


@pytest.mark.parametrize(
    "question", ["baby sleeping in bed with parents who both drink", "the baby sleeps in their bed and dad smokes weed"]
)
async def test_a_baby_sleeping_in_an_adults_bed_gets_the_safer_sleeping_note(runtime: Runtime, question: str) -> None:
    said = (await only_reply(runtime, "threshold", question)).all_text()
    assert "Safer sleeping" in said and "sudden unexpected death in infancy" in said
    # a note only: no indicator of its own, so it never leads the answer
    assert reading.assess(runtime.ctx.pack, question).concerns[0] != "safer-sleeping"


@pytest.mark.parametrize(
    "question",
    ["girl 14 has been sharing a bed with her mums new partner", "she is sleeping in the same bed as her stepdad"],
)
def test_a_child_sharing_a_bed_with_a_parents_partner_is_a_sexual_abuse_worry_not_housing(
    pack: ContentPack, question: str
) -> None:
    concerns = reading.assess(pack, question).concerns
    assert concerns[0] == "sexual-abuse" and "housing" not in concerns


def test_children_sharing_beds_in_a_small_flat_is_still_housing(pack: ContentPack) -> None:
    assert reading.assess(pack, "the kids share beds in a one bed flat").concerns[0] == "housing"


@pytest.mark.parametrize(
    "question",
    ["ch not brought to hospital appts x4 for diabetes, hba1c really high", "diabetic 9yo, mum not bringing to clinic"],
)
def test_a_long_term_condition_left_untreated_is_neglect_too(pack: ContentPack, question: str) -> None:
    concerns = reading.assess(pack, question).concerns
    assert concerns[0] == "health" and "neglect" in concerns


async def test_escalation_points_a_worry_about_staff_to_the_lado_not_the_stages(runtime: Runtime) -> None:
    said = (
        await only_reply(runtime, "escalation", "teacher at my school messaging a yr 11 girl on snapchat")
    ).all_text()
    # since the sixteenth session a route of its own (escalation.yaml worry-about-a-colleague)
    assert "A worry about a colleague or anyone who works with children" in said and "/threshold" in said
    assert "LADO" in said and "Start at stage" not in said
    unknown = (await only_reply(runtime, "escalation", "gdfgdfg hjkhjk")).all_text()
    assert "rather than a disagreement" not in unknown and "couldn't match" in unknown


@pytest.mark.parametrize("question", ["how do i record a disclosure", "do i need parental consent to refer"])
async def test_help_never_calls_a_question_about_safeguarding_practice_off_topic(
    runtime: Runtime, question: str
) -> None:
    said = (await only_reply(runtime, "help", question)).all_text()
    assert "I can't answer that one" not in said and "DSL" in said


async def test_help_still_says_plainly_what_it_cannot_answer(runtime: Runtime) -> None:
    said = (await only_reply(runtime, "help", "how do i book a room for a core group")).all_text()
    assert "I can't answer that one" in said


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("who do I speak to about a 12 year old going missing", "Police — non-emergency (101)"),
        ("15yo girl ran away again", "Police — non-emergency (101)"),
        ("im a parent and worried about my own child", "NSPCC helpline"),
        ("forced marriage advice", "Forced Marriage Unit (national)"),
    ],
)
async def test_contacts_asked_for_in_a_practitioners_words(runtime: Runtime, typed: str, first: str) -> None:
    from tests.test_contacts_asked_for import listed

    answer_ = await only_reply(runtime, "contacts", typed)
    assert "This pack has no number for" not in answer_.all_text()
    assert listed(answer_)[0] == first


@pytest.mark.parametrize(
    "question",
    [
        "girl being put on a plane to pakistan tonight for marriage she is 15 at the airport now",
        "a year 11 girl told me her parents are planning her wedding to a cousin after her gcses",
    ],
)
def test_a_forced_marriage_leads_with_the_forced_marriage_indicator_not_fgm(pack: ContentPack, question: str) -> None:
    index = reading.index_of(pack)
    first = index.entries[reading.assess(pack, question).ranked[0].number].indicator.text
    assert "forced or pressured to marry" in first


# An outside review of this session's own changes found each of the below; each is its reproducer.


@pytest.mark.parametrize(
    "question",
    [
        "dad is coming to get her after school and she is scared of the dentist",
        "nan is coming to get him from school, he is scared of dogs",
        "the taxi is coming to get her at 3 and she is scared of flying",
        "mum is terrified the bailiffs are coming to get her now",
    ],
)
def test_a_pick_up_with_a_fear_in_it_is_no_emergency(pack: ContentPack, question: str) -> None:
    assert not opens_with_999(pack, question)


def test_a_knife_game_gone_wrong_and_bleeding_still_opens_with_999(pack: ContentPack) -> None:
    assert opens_with_999(pack, "he was playing a knife game and cut his hand badly and is bleeding")


@pytest.mark.parametrize("question", ["SUDI", "safer sleeping"])
def test_the_safer_sleeping_note_answers_its_own_name(pack: ContentPack, question: str) -> None:
    blocks, _kind = answer.threshold_answer(pack, question)
    said = " ".join(b.text for b in blocks if isinstance(b, Text))
    assert "Co-sleeping is among the risks" in said
    assert "sofa surfing" not in said  # no example matched on "sleeping" alone


@pytest.mark.parametrize(
    "question", ["can I have a reference for my new job", "do I need my manager's consent to book annual leave"]
)
async def test_a_question_about_hr_is_still_one_help_cannot_answer(runtime: Runtime, question: str) -> None:
    assert "I can't answer that one" in (await only_reply(runtime, "help", question)).all_text()


async def test_a_disagreement_with_a_health_visitor_is_not_called_a_worry(runtime: Runtime) -> None:
    words = "health visitor disagrees with my view that the baby is being neglected"
    assert "rather than a disagreement" not in (await only_reply(runtime, "escalation", words)).all_text()


@pytest.mark.parametrize("typed", ["who to call this sat", "on sat morning", "on sun"])
def test_a_weekend_day_however_short_asks_for_out_of_hours(pack: ContentPack, typed: str) -> None:
    from handlers import contacts

    asked = contacts.asked_for(pack, typed)
    assert asked.rest == "" and asked.contacts[0].kind == contacts.ContactKind.OUT_OF_HOURS


def test_children_missing_education_is_not_the_police(pack: ContentPack) -> None:
    from handlers import contacts

    assert "police-101" not in [c.id for c in contacts.asked_for(pack, "children missing education officer").contacts]


def test_a_family_keeping_the_health_visitor_out_names_parents_not_engaging(pack: ContentPack) -> None:
    index = reading.index_of(pack)
    found = reading.assess(pack, "fam refuse all support, hv cant get access, baby not seen for 6 weeks")
    shown = [index.entries[r.number].indicator.text for r in found.ranked[:3]]
    assert "neglect" in found.concerns and any("don't engage" in text for text in shown)
    meter = reading.assess(pack, "we cant get access to the flat to read the meter")
    assert "family-relationships" not in meter.concerns
