"""A parent's own suicidal thoughts or self-harm are the parent's mental health, not a child's
self-harm. Two blind audits (twenty-third session): a health visitor's "new mum ... says the baby
would be better off without her" and "mum told me she's been thinking about ending it" led with "Serious
self-harm, a suicide attempt" (a child's indicator). The same words said of a child, or of a parent who
only reports or fears them, stay the child's; where it could be either, the child's serious signal
stays ("girl says mum is never home and she feels like ending it all": a review of the session)."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers.threshold import assess
from tests.pack_support import medway_pack

PARENTS = "A parent's"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


PARENTS_OWN = [
    # the audits' lines, as typed
    "health visitor here, new mum really low, says she cant cope and the baby would be better off without her, "
    "baby 6 weeks, partner works away",
    "HV here - mum 3 wks post birth, v flat, crying all the time, says baby wd be better off without her, "
    "dad works away",
    "mum told me she's been thinking about ending it, she has 2 little ones at home and no-one else around",
    "GP: dad has bipolar, stopped his meds again, kids (7 and 10) saying he's up all night shouting and not making tea",
    # and said other ways
    "mum says she wants to kill herself",
    "dad says the kids would be better off without him",
    "mum is suicidal, 2 kids under 5",
    # a tenth blind audit: her own child's age said after is hers, not the one at risk
    "mum told me at drop off she's been having thoughts of ending her life, she has a 3yo and a baby",
]

CHILDS_OWN = [
    "mum says her daughter wants to kill herself",
    "she told her mum she wants to kill herself",
    "15yo says mum would be better off without her",
    "dad found her with a ligature",
    "club welfare officer - 14yo girl, her mum also thinks shes self harming",
    "pcso - his mum says he won't leave his room and has said he wants to die",
    "yr3 boy's dad got sent down last week, mum hasnt told him where dad is, hes crying all day and scratching his "
    "arms till they bleed",
    "football coach. one kid had fresh cuts up his arm and told a teammate his dad 'batters' his mum and he'll kill "
    "himself if he has to go home tonight",
    "17 yr old living on his own since mum moved abroad, drinking most nights and told me life's not worth living",
    "yr11 lad with adhd, stopped taking his meds, suspended for fighting",
    # a review of the session: a child's words after "said", or a child's age said after
    "girl says mum is never home and she feels like ending it all",
    "pupil said mum left and she wants to end her life",
    "mum says she wants to die, she is 15 and in year 10",
    "dad rang: hes been talking about ending it, hes only 12",
    "mum on phone - says she tried to hang herself last night, she is 14",
    # a second review: a school year, a number in words, "they", someone's mum, school said
    "mum says shes been cutting herself again, she is in year 10",
    "mum says she is better off dead and is in year 11",
    "ellas mum says she wants to kill herself",
    "mum says she keeps cutting herself, she is twelve",
    "mum says they want to kill themselves",
    "mum says she is suicidal and keeps talking about it at school",
    "dad says he is going to kill himself, he is being bullied in year 9",
]


@pytest.mark.parametrize("question", PARENTS_OWN)
def test_a_parents_own_suicidal_thoughts_lead_with_a_parents_mental_health(pack: ContentPack, question: str) -> None:
    first = assess(pack, question).ranked[0]
    assert first.text.startswith(PARENTS), first.text


@pytest.mark.parametrize("question", CHILDS_OWN)
def test_the_same_words_said_of_a_child_stay_the_childs(pack: ContentPack, question: str) -> None:
    first = assess(pack, question).ranked[0]
    assert not first.text.startswith(PARENTS), first.text
