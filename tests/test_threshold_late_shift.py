"""/threshold questions as they arrive late in a shift (the 43rd blind set's angle): a child's
account of being burnt on purpose, "no one" denying what follows, and an animal named beside a
child's own words. Cases are written for this file, not taken from the set."""

from __future__ import annotations

import pytest

from bot.runtime import load_registry
from core.contentpack import DEFAULT_PACK, ContentPack, load_pack
from handlers import threshold


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(DEFAULT_PACK, load_registry().sections)


@pytest.mark.parametrize(
    "text",
    [
        "she said her stepdad held her hand on the hob because she was cheeky",
        "boy says mum put his hand on the radiator to teach him a lesson",
        "7yo told staff nan's boyfriend burnt him with a lighter",
    ],
)
def test_a_hand_held_to_something_hot_is_physical_harm(pack: ContentPack, text: str) -> None:
    found = threshold.assess(pack, text)
    assert "physical-abuse" in found.concerns
    assert found.ranked and "physical-abuse" in found.ranked[0].topics


def test_a_toddler_burnt_on_the_cooker_is_still_read_as_supervision(pack: ContentPack) -> None:
    found = threshold.assess(pack, "toddler burnt his hand on the cooker while mum was on her phone")
    assert "neglect" in found.concerns


@pytest.mark.parametrize(
    ("text", "not_read"),
    [
        ("no one touches him, he just sits on his own at break", "sexual-abuse"),
        ("no one hits her as far as we know but she is always hungry", "physical-abuse"),
    ],
)
def test_no_one_denies_what_follows_as_nobody_does(pack: ContentPack, text: str, not_read: str) -> None:
    assert not_read not in threshold.assess(pack, text).concerns


def test_no_one_denies_only_its_own_clause(pack: ContentPack) -> None:
    assert "physical-abuse" in threshold.assess(pack, "no one knows he hits her").concerns


@pytest.mark.parametrize(
    "text",
    [
        "cuts on her wrists she says the dog did it, seems really down lately",
        "scratches up his arm, told me it was the cat, he has been very withdrawn",
    ],
)
def test_an_animal_beside_a_childs_own_words_is_still_about_the_child(pack: ContentPack, text: str) -> None:
    found = threshold.assess(pack, text)
    assert not found.off_topic
    assert found.ranked


def test_an_animal_alone_is_still_not_a_childs_worry(pack: ContentPack) -> None:
    assert threshold.assess(pack, "the neighbours dog is left out in the rain for days").off_topic


@pytest.mark.parametrize(
    "text",
    [
        "welfare officer - our assistant coach has been snapchatting a 13yo girl late at night",
        "a volunteer at the youth club messages one of the boys privately on whatsapp",
    ],
)
def test_someone_who_works_with_children_messaging_a_child_is_an_allegation(pack: ContentPack, text: str) -> None:
    found = threshold.assess(pack, text)
    assert found.ranked and "allegation-against-staff" in found.ranked[0].topics


def test_a_teacher_who_noticed_something_is_not_the_one_messaging(pack: ContentPack) -> None:
    # the teacher spotted the cuts; the boy shares memes in a group chat: nobody who works with
    # children is messaging a child
    text = "yr 9 boy sharing nasty memes in the class group chat and a teacher spotted cuts on his arm"
    found = threshold.assess(pack, text)
    assert "allegation-against-staff" not in found.concerns
    assert found.ranked and "risk-to-children" not in found.ranked[0].topics


def test_a_partner_who_controls_everything_leads_with_domestic_abuse(pack: ContentPack) -> None:
    found = threshold.assess(pack, "he isnt violent but controls everything and mum cant leave the house without him")
    assert found.ranked and "domestic-abuse" in found.ranked[0].topics
