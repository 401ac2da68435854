"""/threshold on what a sixteenth blind practitioner audit and a blind audit of ordinary worries
(2026-12-07, twenty-fifth session) typed. A child held down in her room, a girl driven off by a man
who is not her dad, a stranger leading infants to the gate, a rope behind a locked door and a
mother about to light the gas opened with nothing; a documentary, "the class is killing me", a
reaction treated and sent home, a video game and police already with the girl opened with 999.
Under the opener, the examples shown fitted the danger 8 times in 30 ("neglect that keeps
returning" under a toddler on the motorway). A health visitor's "HV visit -" was read as a health
worry, a pupil pressing classmates for pictures led with sextortion, and a lesson plan was not
declined. The sets are bench/guidance/audit25_danger.yaml and audit25_questions.yaml."""

from __future__ import annotations

import re

import pytest

from core.contentpack import ContentPack
from handlers.threshold import assess
from tests.pack_support import answer_text, medway_pack

CALL_999_NOW = "**Call 999 now**"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


NOW = [
    # the audit's misses, as typed
    "my step dad is in my room and wont get off me please help",
    "Taxi driver - the teenage girl in the back is crying and says the man with her isnt her dad and he is taking "
    "her to a house she doesnt know, he is sitting right next to her",
    "theres a man in the playground at the primary taking kids by the hand and trying to lead them to the gate, "
    "teachers cant see",
    "my brother is 16 and has a rope and has locked himself in the garage he sent me a goodbye text",
    "the gas is on in the flat and mum has said she is going to light it with all of us in here, shes got the "
    "lighter in her hand",
    # the same dangers in other words
    "he's on top of me and won't get off",
    "she has a rope and has locked herself in the shed",
    "dad turned the gas on and has a lighter in his hand, the kids are upstairs",
    # a danger said after help has arrived, or going on before it, still opens
    "the ambulance is here now with her, she's not breathing",
    "police are here now with the boy but dad has a knife to mums throat",
    "the class bully is killing me",
    # a seventeenth blind audit's misses, as typed
    "found my 15yo daughter with empty paracetamol packets shes really drowsy and slurring",
    "my step dad is hitting my mum and now hes coming for me and my brother pls help",
    "child locked in the cellar by parents, hes been down there 2 days no food i can hear him knocking",
    "my mate is hanging herself in her room i cant get her down shes 15",
    "a drunk man just walked into the nursery and grabbed a toddler and wont give her back",
    "teen at party took 3 pills now burning up and fitting, friends too scared to call anyone",
    # a review of the session's rules: what a game, a film, words that something is over and a chore
    # word took from a live danger said beside them
    "my son plays a video game where you stab people, he has stabbed his sister with a kitchen knife and she is "
    "bleeding loads",
    "he was playing a game where u kill people then he grabbed the baby and threw her against the wall shes not moving",
    "kids in the playground were playing a game where you choke each other and a boy has passed out and isnt breathing",
    "we watched a documentary about drowning and now im scared, a child has fallen in the canal and gone under",
    "my baby has gone blue and floppy, last time she was treated and went home",
    "a child has collapsed and isnt breathing, his mate went home fine after the same sweets",
    "the lads from class are killing me they have me on the floor kicking my head",
    "they make me work all night its killing me",
    # a second review: a film beside a danger said this minute, a game beside a child named afresh,
    # "it was years ago" about something else, a hanging or a fit said plainly
    "we watched a movie about abuse, im scared my dad is strangling my mum right now",
    "the kids watched a film about fire, they are asking why the kitchen is on fire right now",
    "film in which a baby is shaken, a mum in the group just said her partner is shaking the baby now",
    "playing a game where you build houses, toddler is choking and going blue",
    "dad has a gun and says he will shoot us, it was years ago he was in prison",
    "my toddler drank bleach, it was weeks ago we moved here",
    "my sister is hanging herself in her room",
    "the baby is fitting",
    "baby has been shaken and is fitting",
    # older reviews' misses said plainly
    "he cant be woken",
    "a man is in her room with a knife",
    "a boy has a knife at another pupils throat",
    "dad is beating me",
    "my stepdad is hitting me with a belt",
    "toddler drinking from a bottle of bleach",
    "dad has locked the kids in the shed and wont let them out, its freezing",
    "a girl has gone under and not come up",
    # a third review: a film beside a danger said with "now" or "at the moment"; "it was years ago but"
    "we watched a film about domestic abuse, im scared my dad is strangling my mum now",
    "we watched a film about abuse today, dad is hitting mum now",
    "my son was watching a video about suicide, he is on the roof now",
    "we watched a film where a boy got stabbed, the boy next door is being stabbed at the moment",
    "my ex has a knife at my daughters throat, he did this before, it was years ago but he means it",
    "neighbours flat is on fire and no kids are outside yet",
    # an eighteenth blind audit's misses, as typed
    "The 6 year old has wandered out of the open gate and is walking along the dual carriageway verge, I can see "
    "him from the window",
    "theres a little boy about 3 alone on the platform at the station and hes right at the edge, cant see any adult",
    "girl at the bus stop having an asthma attack cant speak her inhaler is empty",
]

NOT_NOW = [
    # the audit's false openers, as typed
    "watched a documentary about babies left in hot cars and now i'm worried, what are the signs a parent might do "
    "that",
    "the class is killing me today, year 10 are out of control, i feel like im drowning - is that something to "
    "raise with the DSL",
    "can you explain the process after a child has an anaphylactic reaction at school? ours was treated and went "
    "home fine",
    "my son plays a video game where you kidnap people and set fire to cars, should I be worried about his safety",
    "the ambulance and police are here now with the girl who got hurt, she's safe with them, what do I need to "
    "record for the school",
    # put another way
    "this job is killing me, how do I refer a family for early help",
    "he keeps playing a game where you stab people, is that a worry",
    # a seventeenth blind audit's false opener
    "boy said his older brother has a knife at home but it was months ago and family moved",
    # a review: what the newest phrases first took for a danger
    "my dog wont get off me when i get home lol how do i train him",
    "the baby wont get off me all day, is clingy normal at 10 months",
    "he isnt her dad but hes taking her to school tomorrow is that ok with a private fostering arrangement",
    "the man from the church is trying to lead them in prayer at assembly, is that ok",
    "the lollipop man is taking children by the hand across the road",
    "my teen locked himself in his room and said goodbye as he left for uni",
    "the gas man came, he is going to light it later after the safety check",
    "mum had the gas on for cooking and a lighter in her hand lighting candles",
    "she is fitting in well at her new school",
    "now shes fitting in nicely with the foster family",
    # a second review: what the newest phrases and rules first took for a danger
    "my mum wont get off me about my phone",
    "now hes coming for christmas",
    "he keeps talking about hanging himself",
    "my cat is up the tree hanging and i cant get her down",
    "the uniform is now fitting",
    "empty packets of crisps everywhere and he is drowsy after lunch",
    "the dog was locked in the basement",
    "she is locked in her room and i can hear her knocking things over, she is having a tantrum",
    "the gas fire, dad is going to light it for the kids later",
    "a film where a girl is kidnapped, she is screaming for help",
    "film where the mum is strangling her kid and the kid goes blue",
    "the workload is killing me, he has missed school again, what level",
    "she stopped breathing at nursery but was treated and went home the same day, she is fine",
    "they locked the gate and wont let them out at lunch, is that ok",
    "he isnt responding to the plan",
    # a third review: what the newest phrases first took for a danger
    "my teenager cant be woken in the morning for school, is this neglect?",
    "a man has just taken the kids to school in a taxi",
    "he locked himself in his room after rope burn in PE",
    "he talks about being locked in the cellar as a child in those days, now hes 40",
    "the business has gone under and not come up with the rent money, kids may lose their home",
    "my asthma attack inhaler is empty, need a new prescription for my son",
    "she hides in her room with a knife under her pillow, shes 14, what level",
    "police call handler doing training: what questions do we ask if a caller says their baby is fitting?",
    # a review: talk now of what was on screen is no danger either
    "after the film where a baby was not breathing she now asks lots of questions about babies not breathing",
]


@pytest.mark.parametrize("question", NOW)
def test_a_child_in_danger_this_minute_opens_with_999(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW in answer_text(pack, question)[:400]


@pytest.mark.parametrize("question", NOT_NOW)
def test_a_screen_a_figure_of_speech_or_help_already_there_does_not(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question)


def _examples(shown: str) -> list[str]:
    return re.findall(r"^\s*\d+\. (.+)$", shown, re.MULTILINE)


@pytest.mark.parametrize(
    "question",
    [
        "fire in the flat below and the kids next door are still inside, i can hear them screaming",
        "school nurse: year 7 with known nut allergy just ate a flapjack, lips swelling and wheezing, "
        "epipen not working",
        "im a childminder and one of the toddlers is choking on a grape and i cant get it out",
    ],
)
def test_under_the_opener_no_example_of_another_concern_is_shown(pack: ContentPack, question: str) -> None:
    """A sixteenth blind audit: "neglect that keeps returning - poor hygiene" under a toddler on the
    motorway, coercive control under a fire, missed health appointments under anaphylaxis. Where no
    example of the top level is about a concern the question describes, none is shown: the opener,
    the step after the call and the levels are the answer."""
    shown = answer_text(pack, question)
    assert CALL_999_NOW in shown[:400]
    assert not _examples(shown), _examples(shown)
    assert "Neglect that keeps returning" not in shown and "controls the other's money" not in shown


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("a boy in my class has just cut his wrists in the toilets theres loads of blood", "Serious self-harm"),
        ("mum's boyfriend is hitting her and my sister right now in the kitchen", "violent to the child"),
        ("3 yr old left alone in flat parents gone cant get hold of anyone child crying", "A child abandoned"),
        # "neglect that keeps returning - poor hygiene" led here in a blind audit
        ("just found a 4 year old wandering on the hard shoulder of the motorway on his own", "A child abandoned"),
    ],
)
def test_under_the_opener_an_example_of_the_top_level_for_the_concern_said_leads(
    pack: ContentPack, question: str, first: str
) -> None:
    shown = answer_text(pack, question)
    assert CALL_999_NOW in shown[:400]
    examples = _examples(shown)
    assert examples and first in examples[0], examples


@pytest.mark.parametrize(
    "question",
    [
        "my 15yo has a rope and locked himself in the garage",
        "my mate is hanging herself in her room i cant get her down shes 15",
    ],
)
def test_a_rope_behind_a_locked_door_shows_the_suicide_example_under_the_opener(
    pack: ContentPack, question: str
) -> None:
    """A review: the newest phrases opened with 999 but showed no example, as no concern was read."""
    shown = answer_text(pack, question)
    assert CALL_999_NOW in shown[:400]
    assert "plans to end their life" in _examples(shown)[0]


def test_an_adult_pressing_a_child_for_pictures_leads_with_grooming(pack: ContentPack) -> None:
    """A review: "a man is making my 13yo send pics" led with a child's risky sharing (level 3)."""
    first = assess(pack, "a man is making my 13yo send pics right now on snapchat").ranked[0]
    assert "grooming" in first.text and first.level == 4


def test_a_health_visitors_visit_is_who_asks_not_a_health_worry(pack: ContentPack) -> None:
    """ "HV visit - mum pnd, baby 3/12": the visit is the asker's, so the worry leads, not health care."""
    found = assess(pack, "hv visit - mums pnd getting worse, baby 6wks")
    assert found.concerns[0] == "mental-health"
    assert "health" not in found.concerns[:1]


@pytest.mark.parametrize(
    "question",
    [
        "yr 10 lad has been pressuring two yr 8 girls to send him pics and grabbed one of them in the corridor",
        "yr 7 pupil been sending nude pics to someone she met on snapchat who says hes 16 but she isnt sure",
    ],
)
def test_being_pressed_for_pictures_is_not_read_as_blackmail(pack: ContentPack, question: str) -> None:
    """Nobody in these is blackmailed; sextortion (level 4) led both in a blind audit."""
    first = assess(pack, question).ranked[0]
    assert "blackmailed" not in first.text and first.level == 3


def test_a_lesson_plan_is_declined(pack: ContentPack) -> None:
    assert assess(pack, "can you write me a lesson plan for yr 6 fractions").off_topic
