"""/threshold's "Call 999 now" opener on what the seventh to tenth blind practitioner audits
(2026-12-07, twenty-third session) typed: self-harm going on now with heavy bleeding, a mother locked
in with the baby saying she will hurt them both, and a child's abuser in the nursery foyer now, opened with
nothing; "my year 6s are killing me today lol" opened with 999. And lines written to trip the new
phrases: the same words told after, as a habit, or as a figure of speech."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers.threshold import assess
from tests.pack_support import answer_text, medway_pack

CALL_999_NOW = "**Call 999 now**"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


NOW = [
    # the audit's lines, as typed
    "shes cutting herself in the toilets now and theres loads of blood",
    "mum has locked herself and the baby in the bathroom and says shes going to hurt them both",
    "child at nursery says the man whos collecting her today is the one who hurts her, hes here in the foyer now "
    "demanding to take her",
    # the same dangers in other words
    "boy cutting himself in the changing rooms right now",
    "theres loads of blood, he punched through the window",
    "dad has locked himself in with the kids and says hes going to kill them",
    "she says the man who hits her is here in reception",
    "he is still killing me she screamed down the phone",
    # an eighth blind audit's misses, as typed
    "the man she says raped her has just pulled up in the car park and she's hiding in the toilets",
    "she's in the bathroom with a blade and won't open the door and there's blood coming under it",
    "our missing 13yo just messaged me she's in a car with those men going to manchester and she's scared",
    '15yo just texted me "goodbye tell my mum sorry" and she\'s not answering her phone',
    "the men who've been grooming him are parked outside his house right now, he's 14 and they're telling him to "
    "get in",
    # a ninth blind audit's misses, as typed
    "toddler pulled kettle over himself skin peeling screaming mum not here",
    "year 10 lad has a knife in his bag and says hes going to stab someone at home time its 3 oclock",
    "dad off his face on something holding the newborn by one arm on the balcony",
    "foster child got message saying they will come for him tonight at 8 its half 7 and theyre outside",
    "sports coach - u12 player collapsed on pitch no pulse",
    "gp reception mum in waiting room says baby hasnt woken all morning floppy grey",
    "teenager has been sold to a county lines lot and they are taking him to the station in 10 mins",
    "kid fell through ice on the park pond",
    # a review of the session: openers its first figure-of-speech and "what number" rules took away
    "text from 14yo: mum is going to kill me today, she has a knife",
    "16yo texted: my stepdad says he'll kill me today when he gets home",
    "14yo phoned: theyre killing me, please come",
    "they are killing me, she screamed down the phone",
    "dad is in reception with a knife shouting hes going to stab her, he just ripped down the staff poster",
    "mum has his number if a problem, he is in the house now with a knife threatening to kill the baby",
    "15yo boy has taken an overdose and is unconscious, i will phone if someone answers at the gp",
    # a tenth blind audit's misses, as typed
    "housing officer at the door, i can see a little boy through the letterbox lying at the bottom of the stairs "
    "not moving",
    "dad turned up at nursery pickup off his face and is trying to strap the twins in the car to drive them, he "
    "has no contact",
    # a second review: openers the first fixes took away ("in the <word> film", "drew a picture of", a
    # "who do i call if" question, "jk")
    "a child in the library book corner is choking and turning blue",
    "we were in the school film club and a boy has collapsed and is not breathing",
    "hes hiding in the back story room, his dad is outside with a knife saying he will stab him",
    "in the kids film night a child has been stabbed",
    "there is so much blood, she cut her wrist",
    "boy texted goodbye and is not answering his phone",
    "our missing girl is in a car with the men who groomed her",
    "the men are telling him to get in the car right now",
    "who do i call if a man is outside my school with a knife right now",
    "he drew a picture of a man and then ran out, hes on the roof now threatening to jump",
    "playing a game called chicken on the motorway right now",
    "she texted theyre going to kill me jk no really help",
    # a third review: a child holding a knife now, about to stab
    "my son has a knife and says hes going to stab his brother",
    "theres a boy with a machete going to stab his stepdad",
    "a boy with a knife is going to stab someone",
    "hes got a knife and says hes going to stab his stepdad",
]

NOT_NOW = [
    "my year 6s are killing me today lol, theyre so hyper",
    "these forms are killing me, what level is neglect",
    "my feet are killing me after the training day",
    "shes been cutting herself for months, now shes seeing camhs",
    "she used to cut herself but now she is doing well",
    "there was so much blood in the film we watched in pshe, some were upset",
    "mum locked herself in the bathroom last year after a row, kids are fine now",
    # the eighth audit's false openers, as typed
    "what number do i call if a child is in immediate danger? just checking for our staff poster",
    "my deadline is going to kill me, anyway quick q about the referral form for early help",
    # the ninth audit's false openers, as typed
    "kids playing a game called knife fight in the playground with sticks, do we ban it",
    "child drew a picture of a house on fire in art, nothing happened at home just likes dragons",
    "quiz question for safeguarding training: child drowning in a pool, whats the first step",
    # and the new phrases told after
    "the baby hadnt woken for a while last week but the GP checked her and she's fine",
    "he had a knife last year and said he was going to stab someone, police dealt with it",
    # a review of the session: ordinary talk its first new phrases opened it for
    "year 11 leavers said goodbye today, some not answering on the group chat",
    "he asked me to tell my mum sorry for breaking the vase",
    "missing kit again, in a car with the men from the club to the away game",
    "telling him to get in the car at pick up time is normal for dad",
    "there was blood under the door in the horror film",
    "the dog grooming van parked outside",
    # the tenth audit's, as typed
    "kids were drowning in homework this week lol, anyway one mum is asking about free school meals",
    # a third review
    "teacher telling him to get in line right now",
    "mum is telling him to get in the car right now or they'll be late",
]


@pytest.mark.parametrize("question", NOW)
def test_a_child_in_danger_this_minute_opens_with_999(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW in answer_text(pack, question)[:400], question


@pytest.mark.parametrize("question", NOT_NOW)
def test_the_same_words_told_after_or_as_a_figure_of_speech_do_not(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        # the eighth audit: sextortion led with bullying; a forced marriage with FGM
        (
            "yr 10 lad came to me in bits, someone he met on insta got a pic of him and now wants £200 or theyll send "
            "it to everyone in his contacts",
            "A child blackmailed over nude images",
        ),
        (
            "yr 12 girl says family are planning her wedding in pakistan over easter, she doesnt want to, scared "
            "theyll take her passport",
            "A young person forced or pressured to marry",
        ),
    ],
)
def test_what_an_eighth_audit_found_misread_leads_with_its_own_indicator(
    pack: ContentPack, question: str, first: str
) -> None:
    assert assess(pack, question).ranked[0].text.startswith(first)


def test_cuts_on_a_pupils_forearm_lead_with_self_harm_not_an_eating_disorder(pack: ContentPack) -> None:
    # the audit: "not eating lunch" led, and self-harm was only "It may also involve"
    question = (
        "noticed cuts on a yr 10s forearm in PE, she says its the cat, shes been really withdrawn and not eating lunch"
    )
    assert "self-harm" in assess(pack, question).ranked[0].topics
