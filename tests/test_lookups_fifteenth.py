"""Misreadings named by an outside practitioner's re-run (fourteenth session) and fixed in the
fifteenth, each with the words that were misread."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers.threshold import reading
from tests.test_danger_now_more import medway_pack
from tests.test_lookups_fourteenth import first_indicator
from tests.test_lookups_thirteenth import opens_with_999


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


@pytest.mark.parametrize(
    "question",
    [
        "15 year old girl sending nudes to a 30 year old man",
        "15yo sexting an older man she met online",
        "my 15 yo has been sexting a man from snapchat",
    ],
)
def test_a_teenager_sending_sexual_images_to_a_grown_man_leads_with_online_grooming(
    pack: ContentPack, question: str
) -> None:
    # It led with county lines' "early signs of exploitation ... much older friends" at level 3.
    assert first_indicator(pack, question).startswith("Sexual images of the child shared online, or an adult grooming")


def test_sharing_extremist_videos_with_older_men_is_not_read_as_sexual_images(pack: ContentPack) -> None:
    question = "15yo spending hours on discord w older men sharing IS vids, calls his family kuffar"
    assert not first_indicator(pack, question).startswith("Sexual images")
    read = reading.assess(pack, question)
    assert "radicalisation" in (*read.concerns, *read.suggested_topics)


@pytest.mark.parametrize(
    "question",
    ["dad drinks every night and the kids put themselves to bed", "7 yr old makes his own tea most nights"],
)
def test_children_caring_for_themselves_are_read_as_neglect_with_its_gcp2_line(
    pack: ContentPack, question: str
) -> None:
    # "kids put themselves to bed" only suggested neglect, so the GCP2 line was not shown.
    from handlers.threshold import threshold_reply

    assert "neglect" in reading.assess(pack, question).concerns
    answer, _topic = threshold_reply(pack, question)
    assert "GCP2" in answer.all_text()  # the short reminder, or the full note where there is room


@pytest.mark.parametrize(
    "question", ["baby left in a hot car in the car park, windows up", "toddler locked in a hot car"]
)
def test_a_child_shut_in_a_hot_car_is_read_as_supervision_not_meals(pack: ContentPack, question: str) -> None:
    # "hot" was read as a hot meal: the answer showed "basic care sometimes slips" and missed
    # health appointments under the 999 opener.
    assert "little supervision" in first_indicator(pack, question)


@pytest.mark.parametrize(
    "question",
    [
        "2yo at A&E with a broken arm, explanation keeps changing",
        "2 yr old at A&E for the third time this month, x-ray shows old fractures no one can explain",
    ],
)
def test_being_at_a_and_e_is_no_missed_health_care(pack: ContentPack, question: str) -> None:
    # "A&E" alone was read as health care at level 2, ahead of the injury (the re-run: a fracture
    # at A&E with a changing story).
    read = reading.assess(pack, question)
    assert read.ranked[0].level == 4 and "physical-abuse" in read.ranked[0].topics


@pytest.mark.parametrize(
    "question",
    [
        "yp in youth club just told me hes got a blade and is going to stab someone, hes leaving now",
        "toddler wandering on the dual carriageway on his own right now",
        "girl 16 says shes being taken abroad tmrw to be married, family waiting outside school for her now",
        "parent turned up to collect drunk cant stand insisting on driving the kids home now",
        "family are outside school now to take her to the airport for her wedding",
        "caller is a 12yo whispering that stepdad has mum by the throat and has locked him in the bedroom",
        "cafe - a man has just grabbed a 9yo by the neck outside and is shaking him",
    ],
)
def test_dangers_happening_now_open_with_999(pack: ContentPack, question: str) -> None:
    # A second outside practitioner audit: each of these opened without "Call 999 now".
    assert opens_with_999(pack, question)


def test_an_allegation_about_a_grab_by_the_neck_is_for_the_lado_not_999(pack: ContentPack) -> None:
    assert not opens_with_999(pack, "allegation against PE teacher he grabbed a child by the neck")


def test_under_999_what_to_do_is_the_step_after_the_call_not_an_early_help_plan(pack: ContentPack) -> None:
    # "Call 999 now" above "agree an Early Help Intervention Plan with the family" contradicted itself.
    from handlers.threshold import threshold_reply

    shown = threshold_reply(pack, "toddler wandering on the dual carriageway on his own right now")[0].all_text()
    steps = shown.split("**What to do**\n")[1].split("\n")
    assert steps[0].startswith("- **After the call:** Contact First Response now")
    assert not steps[1].startswith("- **Level")  # no level's own step beside it
    assert "Early Help" not in shown


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        (
            "girl 15 seen at a hotel with different older men staff concerned",
            "A child found with adults who are not family",
        ),
        (
            "boy 13 being sextorted someone threatening to share pics unless he pays",
            "A child blackmailed over nude images",
        ),
        (
            "girl says brother threatens her for having a boyfriend cos of family honour",
            "A young person threatened, hurt",
        ),
        (
            "DA in household police attended 3 times this month kids present",
            "Violence between the adults that is getting",
        ),
        ("11yo says shes going to be cut, flight is tonight", "A girl at immediate risk of FGM"),
        ("yr 5 girl says she is going abroad in the summer for a special ceremony", "A girl at immediate risk of FGM"),
    ],
)
def test_a_second_audits_misread_worries_lead_with_their_own_indicator(
    pack: ContentPack, question: str, lead: str
) -> None:
    # They led with homelessness, a controlling boyfriend, FGM already done, a refuge, and FGM already done.
    assert first_indicator(pack, question).startswith(lead)


def test_a_family_moved_into_a_hotel_is_still_housing(pack: ContentPack) -> None:
    assert first_indicator(pack, "family moved into a hotel after eviction").startswith("Homelessness")


@pytest.mark.parametrize(
    ("question", "not_named"),
    [
        ("8 week old with torn frenulum mum says from the bottle", "substance-misuse"),
        ("a coach at the football club texts a 12 year old late at night", "education"),
        ("4 month old swollen leg parents late presenting story doesnt fit", "education"),
        ("child missing from home 3rd time this month returns with no explanation", "fabricated-illness"),
    ],
)
def test_a_word_that_only_looks_like_a_concern_names_none(pack: ContentPack, question: str, not_named: str) -> None:
    # A second outside audit: "bottle" named alcohol, "late" school attendance, "no explanation" a
    # made-up illness, on the "You mentioned" line a practitioner reads first.
    assert not_named not in reading.assess(pack, question).concerns


def test_coming_in_late_is_lateness_at_level_2_not_persistent_absence(pack: ContentPack) -> None:
    assert first_indicator(pack, "does a child who keeps coming in late and exhausted meet level 2?").startswith(
        "Attendance is slipping, lateness is frequent"
    )


@pytest.mark.parametrize(
    "question",
    [
        "mum is outside school now, she wants to talk about her sister's wedding, child has headlice",
        "mum is outside now to pick him up for the airport, term time holiday, is this neglect?",
        "grandad is outside school now, they fly from the airport tomorrow for a fortnight, she has 80% attendance",
        "parents are outside now, they're taking her out of school early for a wedding in the family",
        "dad is outside now, he is going to a wedding later",
        "dad says he's going to stab mum with a knife if she leaves, told the child last week",
        "a boy in year 7 keeps saying he's going to stab people and has a knife emoji, what level",
        "in his drill video he holds a knife and says he's gonna stab opps, what level is this",
        "her aunt is waiting outside school now, she says the girl will be married next year in pakistan",
    ],
)
def test_the_school_gate_and_reported_threats_are_no_999(pack: ContentPack, question: str) -> None:
    # A review of the session's first 999 phrases: "outside + now + wedding" and "knife + going to
    # stab" opened these with "Call 999 now".
    assert not opens_with_999(pack, question)


@pytest.mark.parametrize(
    ("question", "not_named"),
    [
        ("police attended school again for the assembly on knife crime, one boy upset", "domestic abuse getting worse"),
        (
            "family placed in a hotel by housing, sharing a corridor with adult men, kids have nowhere to play",
            "a child with adults who are not family, at a hotel",
        ),
        (
            "yr 7 girl, mum doesnt believe her and told her to stop lying, and she's been cutting since",
            "a girl at risk of FGM",
        ),
        ("mum really struggling with money and just had her gas cut off", "a girl at risk of FGM"),
    ],
)
def test_a_reviews_look_alikes_are_not_read_as_the_new_concepts(
    pack: ContentPack, question: str, not_named: str
) -> None:
    assert not_named not in reading.assess(pack, question).mentioned


def test_more_under_999_keeps_to_the_step_after_the_call(pack: ContentPack) -> None:
    # A review: More still listed the level 2 and 3 early-help steps under "Call 999 now".
    from handlers.threshold import from_button_value, threshold_reply
    from handlers.threshold.answer import more_answer
    from handlers.threshold.index import index_of

    # (with level 1 and 2 examples no longer under the opener, this question has the more to show; "dad is
    # outside with a knife ..." had it until a knife alone stopped naming criminal exploitation)
    question = "mums boyfriend is hitting her and my sister right now in the kitchen"
    reply, _topic = threshold_reply(pack, question)
    [more] = [b for block in reply.blocks for b in getattr(block, "buttons", []) if b.action_id == "threshold:more"]
    index = index_of(pack)
    found = from_button_value(index, more.value)
    assert found is not None and found[2] is True
    shown = "\n".join(getattr(b, "text", "") for b in more_answer(pack, index, *found))
    assert "**After the call:**" in shown and "Early Help" not in shown
