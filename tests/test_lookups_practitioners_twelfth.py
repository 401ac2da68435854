"""/glossary, /contacts, /help and /threshold on what an outside reviewer playing practitioners typed
(2026-12-06) and got a poor answer to: a surname repeated back after the warning, "LAAD" with no
suggestion, "@everyone" searched for, no number for the Forced Marriage Unit the pack names, "it's
11pm" read as a service, a room booking pointed to /threshold, a colleague's jokes sent to adult
social care, a course's name making a levels question off-topic, "no longer" not a denial."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from core.contentpack import ContentPack
from core.model import Text
from handlers import glossary, threshold
from handlers.threshold.answer import COLLEAGUE_TEXT
from tests.harness import only_reply, text_of
from tests.pack_support import answer_text, medway_pack
from tests.test_contacts_asked_for import listed


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


async def test_a_term_the_guard_thinks_names_someone_is_not_repeated_back(runtime: Runtime) -> None:
    said = text_of([await only_reply(runtime, "glossary", "Kowalski")])
    assert "Kowalski" not in said
    assert "Please don't share details" in said and "I don't have that in the glossary" in said


def test_a_key_pressed_twice_is_offered_as_the_term_meant(pack: ContentPack) -> None:
    blocks, _topic = glossary.answer(pack, "LAAD")
    assert "Did you mean **LADO**" in " ".join(b.text for b in blocks if isinstance(b, Text))


def test_a_call_to_everyone_is_no_term_to_search(pack: ContentPack) -> None:
    blocks, topic = glossary.answer(pack, "@everyone")
    assert topic == "unknown" and "CPP" not in " ".join(b.text for b in blocks if isinstance(b, Text))
    blocks, topic = glossary.answer(pack, "@here LADO")
    assert topic == "LADO"


@pytest.mark.parametrize("typed", ["forced marriage", "FMU", "forced marriage unit"])
async def test_the_forced_marriage_unit_is_a_contact(runtime: Runtime, typed: str) -> None:
    answer = await only_reply(runtime, "contacts", typed)
    assert listed(answer)[0] == "Forced Marriage Unit (national)"
    assert "020 7008 0151" in text_of([answer])


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("its 11pm and im worried about a kid", "Out-of-hours emergency social care"),
        ("3am who do i ring", "Out-of-hours emergency social care"),
        ("23:15", "Out-of-hours emergency social care"),
        ("at 2pm who do i ring", "First Response"),
        ("2pm on saturday who do i ring", "Out-of-hours emergency social care"),
        ("sat 2pm who do i ring", "Out-of-hours emergency social care"),
        ("on sun at 10am who do i ring", "Out-of-hours emergency social care"),
    ],
)
async def test_a_time_of_day_asks_for_the_service_open_then(runtime: Runtime, typed: str, first: str) -> None:
    answer = await only_reply(runtime, "contacts", typed)
    assert "This pack has no number for" not in text_of([answer])
    assert listed(answer)[0] == first


@pytest.mark.parametrize(
    "typed", ["i sat with her at 2pm and she told me things, who do i ring", "out in the sun all day, at 2pm who"]
)
async def test_sat_and_sun_as_ordinary_words_name_no_day(runtime: Runtime, typed: str) -> None:
    said = text_of([await only_reply(runtime, "contacts", typed)])
    # 2pm on a weekday: the front door is the route offered first, out of hours only after it
    assert "The nearest it has: First Response" in said
    assert said.index("First Response") < said.index("Out-of-hours")


async def test_help_with_a_question_no_lookup_answers_points_to_none(runtime: Runtime) -> None:
    said = text_of([await only_reply(runtime, "help", "how do i book a room for a core group")])
    assert "I can't answer that one" in said and "use **/threshold**" not in said
    escalate = text_of([await only_reply(runtime, "help", "how do i escalate when social care closed a case")])
    assert "/escalation" in escalate


def test_a_colleagues_behaviour_at_work_goes_to_their_manager(pack: ContentPack) -> None:
    assert COLLEAGUE_TEXT in answer_text(pack, "colleague keeps making racist jokes")
    found = threshold.assess(pack, "my colleague shouts at the kids in her class")
    assert "allegation-against-staff" in found.ranked[0].topics


def test_a_levels_question_naming_a_course_is_answered(pack: ContentPack) -> None:
    question = (
        "did the Understanding and Applying Thresholds in Medway course, still unsure about level 2 vs 3 for neglect"
    )
    found = threshold.assess(pack, question)
    assert not found.off_topic and "neglect" in found.concerns


def test_no_longer_is_a_denial(pack: ContentPack) -> None:
    found = threshold.assess(pack, "no longer going missing, engaging well with YOT, attendance improved")
    assert "missing" not in found.concerns
