"""A review of this session's changes (2026-12-06) found these; each is its input or one of its kind."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from core.contentpack import ContentPack
from handlers import threshold
from handlers.safety import find_identifiers, may_identify
from handlers.threshold.answer import ADULT_TEXT
from tests.harness import only_reply, text_of
from tests.pack_support import answer_text, medway_pack
from tests.test_contacts_asked_for import listed
from tests.test_threshold_safety_audit import CALL_999_NOW


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    "line",
    [
        "worried about FII, mum keeps taking him to A&E",
        "worried about NAI, bruising on a baby who isn't mobile",
        "she says dad hits her and MUM said nothing",
        "and then HE said he would hit her",
        "about n.f.a. outcomes",
        "for d.b.s. checks",
        "the m.p. said",
        "referred to KCC",
    ],
)
def test_the_trades_abbreviations_and_words_in_capitals_are_nobody(line: str) -> None:
    assert find_identifiers(line) == [], line


@pytest.mark.parametrize(
    "line",
    ["https://x.com/kerrysmith88", "her page is https://onlyfans.com/lilyrose2008", "https://wa.me/447700900123"],
)
def test_a_profiles_address_is_still_read_by_the_second_reader(line: str) -> None:
    assert may_identify(line) or find_identifiers(line), line


@pytest.mark.parametrize(
    ("question", "not_topic"),
    [
        ("social worker says the SA will be finished in 45 days", "sexual-abuse"),
        ("mum comes in her room at night to check she is asleep", "sexual-abuse"),
        ("our dinner lady hit her head on a door", "allegation-against-staff"),
        ("the police told us not to tell mum about the strategy meeting", "sexual-abuse"),
        ("dad with a hammer fixing the fence while the toddler played", "risk-to-children"),
    ],
)
def test_words_the_new_phrases_share_do_not_make_the_worry(pack: ContentPack, question: str, not_topic: str) -> None:
    found = threshold.assess(pack, question)
    assert not found.ranked or not_topic not in found.ranked[0].topics, (question, found.ranked[:1])


@pytest.mark.parametrize(
    ("question", "opens"),
    [
        ("the cat has been missing since Friday, last seen near men in a van", False),
        ("mum collapsed her pram to get on the bus", False),
        ("children left in a hot car at the supermarket", True),
        ("a year 6 left in the car on a hot day", True),
    ],
)
def test_999_opens_only_for_a_child_in_danger_now(pack: ContentPack, question: str, opens: bool) -> None:
    text = answer_text(pack, question)
    body = text.split("\n", 1)[1] if text.startswith("Sample content") else text
    assert body.startswith(CALL_999_NOW) is opens, (question, text[:200])


def test_a_colleague_who_is_hurt_or_afraid_is_an_adult_at_risk(pack: ContentPack) -> None:
    assert ADULT_TEXT in answer_text(pack, "my colleague told me her husband hits her and she is scared")


async def test_help_points_how_to_refer_to_threshold(runtime: Runtime) -> None:
    said = text_of([await only_reply(runtime, "help", "how do I refer")])
    assert "/threshold" in said and "I can't answer that one" not in said


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("it's 2pm on Saturday who do I call", "Out-of-hours emergency social care"),
        ("childline at 11pm", "Childline"),
        ("it's 6pm", "Out-of-hours emergency social care"),
    ],
)
async def test_a_time_reads_the_day_and_a_named_service_stays_first(runtime: Runtime, typed: str, first: str) -> None:
    answer = await only_reply(runtime, "contacts", typed)
    assert listed(answer)[0] == first


async def test_a_decimal_is_no_time_of_day(runtime: Runtime) -> None:
    said = text_of([await only_reply(runtime, "contacts", "paragraph 3.45 of working together")])
    assert "Out-of-hours emergency social care" not in said.split("\n")[0]
