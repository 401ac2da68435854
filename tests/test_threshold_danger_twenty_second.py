"""/threshold's "Call 999 now" opener on what a sixth blind practitioner audit (2026-12-07,
twenty-second session) typed: a 12-year-old locked in a flat with men she does not know and unable
to get out, and a child tied up in a garden "happening now", opened with nothing; a film watched in
PSHE where a baby was left alone opened with 999. And lines written to trip the new phrases: the
same words told after, asked as a what-if, about the asker's diary, or in a film with a child who
collapses in the room as it plays."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from tests.pack_support import answer_text, medway_pack

CALL_999_NOW = "**Call 999 now**"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


NOW = [
    "12yo just rang me saying shes locked in a flat with men she doesnt know and cant get out",
    "kid tied up in the garden, neighbour just sent me a video, its happening now",
    "the kid was locked in the car by accident and cant get out, mum has the keys",
    "boy being beaten by his dad in the street, its happening now",
    "watching a film with my class when a boy collapsed and isnt breathing",
    "we were watching a film and a kid started choking on a sweet",
    # a review: the film rule took these openers away; a film and something happening now
    "we watched a film where a girl was taken, and now a pupil has collapsed and isnt breathing",
    "showed them a video clip in pshe where a man hits a child, now a girl says her dad is hitting her mum right now",
    "we watched a film in pshe about grooming and a boy is now unconscious after taking pills",
    "film in which a baby is shaken, a mum in the group just said her partner is shaking the baby now",
    "shes locked in with men and can not get out",
    "boy tied up to a chair in the flat right now",
]

NOT_NOW = [
    "we watched a film in pshe where a baby was left alone, kids asking questions",
    "the kids watched a movie about a girl taken by men",
    "showed the class a documentary showing a child being beaten, some were upset",
    "child locked in his room all weekend last year, said he couldnt get out",
    "im tied up in meetings, the child's review is happening now",
    "i was locked in my room as a kid and couldnt get out, does that count as abuse",
    "what if a child is locked in and cant get out",
    "training scenario: child locked in a shed and cant get out, what do you do",
    "girl was locked in a flat with men last month and couldnt get out",
    "a video of a kid tied up went round school last year",
    # a review: figurative "trapped", "locked in", "tied up"
    "she feels trapped and cant get out of the relationship",
    "mum feels trapped, cant get out of the marriage, kids witness arguments",
    "child locked in a cycle of self harm, cant get out",
    "young carer trapped in caring role, can't get out",
    "im locked in a meeting and cant get out, can someone cover the child's review",
    "child tied up his shoelaces now",
    "girl tied up with revision, exam happening now",
]


@pytest.mark.parametrize("question", NOW)
def test_a_child_in_danger_this_minute_opens_with_999(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW in answer_text(pack, question)[:400], question


@pytest.mark.parametrize("question", NOT_NOW)
def test_the_same_words_told_after_or_about_something_else_do_not(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question)
