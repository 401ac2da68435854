"""/threshold on what a nineteenth blind practitioner audit and a blind audit of ordinary worries
(2026-12-08, twenty-sixth session) typed. A child touched in her room as she texts, a girl in a car with
older men taking her to a flat, something tied round a son's neck, a knife held to a little brother, a
boy out on a fourth-floor window ledge, a beaten boy not getting up and a boy held by armed men opened
with nothing; "i could kill for a pizza", a water-safety leaflet on preventing drowning and a boy who has
"started carrying a knife for protection" opened with 999. Among ordinary worries a forced marriage
led with FGM, a mother's bipolar disorder with an eating disorder, coercive control "with no violence"
with strangulation, a toddler's bruise with the non-mobile baby's rule, and "9 month old ... mum
engages" with forced marriage. The sets are bench/guidance/audit26_danger.yaml and
audit26_questions.yaml."""

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
    # the audit's misses, as typed
    "my uncle is in my room and hes touching me im texting from under the covers",
    "15yo girl I work with just messaged me that she is in a car with older men taking her to a flat, she is scared",
    "my son has tied something round his neck in his room and the door is locked what do i do",
    "dad is drunk and holding a knife to my little brother pls help",
    "boy about 8 has climbed out onto the window ledge of a 4th floor flat",
    "lads beating up a kid in the underpass and filming it on their phones hes not getting up",
    "Sibling reports 10yo is being held at a flat by adults making him run drugs, he is there now and they have a gun",
    # the same dangers in other words
    "my stepdad is touching me right now",
    "shes tied a scarf around her neck and wont let me in",
    "mums boyfriend is holding a knife to her and the baby is in the room",
    "they are kicking him on the floor and he's not getting up",
]

NOT_NOW = [
    # the audit's false openers, as typed
    "Our water safety leaflet on preventing child drowning needs updating - what should it say?",
    "i could kill for a pizza rn",
    "12 year old boy has been seen hanging around with older teens who are known to deal, he has started "
    "carrying a knife he says for protection",
    # the same in other words
    "how do we prevent children drowning on the school trip to the lake",
    "he always carries a knife, his mum found it in his bag",
    "my teenager is not getting up for school",
]


# A twentieth blind audit (bench/guidance/audit26b_danger.yaml) and a second blind audit of ordinary
# worries (audit26b_questions.yaml), at 6c8bf6d; and a review of 6c8bf6d's own change.
NOW_AFTER_REVIEW = [
    "im 13 and my dad is drunk and smashing things and says hes going to kill us im hiding in the bathroom",
    "i can see through the window a man touching a little girl sexually in the flat across from me, its happening now",
    "Mum has locked her kids in the flat and gone out, they are screaming and theres smoke",
    "a young child is out in the snow in just a nappy at 2am and no one is answering the door",
    "im 12 a man i met online is at my door and says he will hurt my mum if i dont go with him",
    "CHILD HANGING FROM BALCONY 4TH FLOOR",
    # what the review's probes found the first round's rules silenced
    "trying to prevent her jumping off the bridge right now",
    "he has been carrying a knife around the house all night screaming he will kill us",
    "he has been carrying a gun all day and is in the house with the kids now",
    "he is touching me now",
    "dad beat him up and hes not getting up",
    "she is being held in a flat by men, they have knives",
    "mum is holding a knife to herself and screaming",
    "my son climbed out of the window onto the ledge, we are on the 5th floor",
]

# a third blind audit (audit26c_danger.yaml, at 30f605a) and a second review (of 7995b0b)
NOW_AFTER_SECOND_REVIEW = [
    "there's a lad of about 14 outside the chicken shop being handed a package by older men and they've just put "
    "him in a car, he looks terrified",
    "child locked in a shed at the allotment banging and shouting to get out, parent not here",
    "SW here - on home visit now, father drunk and brandishing a knife, 2 children in the room with him",
    "hes holding a knife to the baby",
    "he is holding a knife to her",
    "hes holding a machete to my cousin",
    "my brother is holding a knife up to my face",
    "hes holding a knife to his own wrist",
    "my daughter is in a car with grown men, they are taking her to their flat",
    "shes in a car with older men taking her back to theirs",
    "she has no plan for tonight, she just says she will take all the pills",
    "we're locked in and theres smoke coming under the door",
    "baby was put out in the snow in a nappy",
]

# a third review (of 6bedfd6)
NOW_AFTER_THIRD_REVIEW = [
    "my dad says hes going to kill us",
    "he has been carrying a knife to school and has it on him now",
    "he has been carrying a knife for weeks and now he is waving it at his sister",
    "someone i met online is at my door and wont go",
    "my son has climbed out onto the balcony ledge",
    "dad is holding a knife to mum",
]

NOT_NOW_AFTER_THIRD_REVIEW = [
    "dad is holding a knife to the leg of lamb while carving",
    "the chef at cookery club was holding a knife to the face of the melon to show the kids",
    "she is in a car with older men from church taking her to the place of worship",
    "shes in a car with older guys from the youth club taking them to the house for the party",
    "the social workers arrived and theyve just put her in a car to go to foster care",
    "my teenager is locked in his room and i think hes started to smoke",
    "snow day so we stayed in, baby in a nappy and vest all day",
]

NOT_NOW_AFTER_SECOND_REVIEW = [
    "mum says shes going to kill us if we dont tidy our rooms",
    "its happening now - we are touching up the paint in the classroom",
    "locked the door, theres smoke from the bbq next door",
    "my toddler played in the snow then we changed his nappy",
    "i met him online and now hes at my door with flowers lol",
    "the kids climbed out of the pool and onto the ledge to dry off",
    "he has been carrying a knife to school for months",
    "shes in a car with older lads taking her to football training",
]

NOT_NOW_AFTER_REVIEW = [
    "the baby choked on a grape last week but we got it out and she is totally fine, how do I do back blows properly",
    # the review's false openers from the first round's phrases
    "my toddler is holding a knife to his plate cutting his sausage",
    "she is holding a knife to his birthday cake to cut it",
    "the cat climbed onto the window ledge",
    "she climbed onto the window ledge to clean the windows",
    "grandma is in a car with old people taking her to bingo",
    "she is in a car with older men from work taking her to a conference",
    "he tied a bow round his neck for the play",
    "she tied a scarf round her neck because it was cold",
    "the washing is hanging off the balcony",
]


@pytest.mark.parametrize("question", NOW + NOW_AFTER_REVIEW + NOW_AFTER_SECOND_REVIEW + NOW_AFTER_THIRD_REVIEW)
def test_a_child_in_danger_this_minute_opens_with_999(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW in answer_text(pack, question)[:400]


@pytest.mark.parametrize(
    "question", NOT_NOW + NOT_NOW_AFTER_REVIEW + NOT_NOW_AFTER_SECOND_REVIEW + NOT_NOW_AFTER_THIRD_REVIEW
)
def test_a_figure_of_speech_a_leaflet_or_a_habit_does_not(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question)


def test_a_knife_carried_now_still_opens(pack: ContentPack) -> None:
    """The habit rule reads "started carrying"; a knife carried this minute is still a danger."""
    assert CALL_999_NOW in answer_text(pack, "he is carrying a knife right now and chasing his brother")[:400]


@pytest.mark.parametrize(
    ("question", "first"),
    [
        # forced marriage led with FGM ("a holiday or time abroad")
        (
            "16yo girl told her tutor her parents are taking her abroad in the holidays to marry a cousin and she "
            "doesnt want to. Shes very frightened.",
            "forced or pressured to marry",
        ),
        # "disorder" drew anorexia
        (
            "GP here. Mother of a 2 year old with bipolar disorder has stopped taking her medication, partner works "
            "away, mum says she is coping but neighbours report her shouting at night.",
            "A parent's mental health",
        ),
        ("mum has bipolar disorder", "A parent's mental health"),
        # the concept's hint "controlling" is not the pack's "controls": strangulation led
        (
            "mum told me at parents evening that her partner checks her phone, controls all the money and she feels "
            "she cant leave. no violence she says. kids seem ok",
            "controls the other's money",
        ),
        # a named eating disorder with its signs led with low mood
        (
            "13 yr old girl skipping lunch, lost a lot of weight fast, dizzy in PE, excessive exercise. Mum took her "
            "to GP who referred to eating disorder service.",
            "An eating disorder",
        ),
        # a toddler walks: whether the story fits, not the non-mobile baby's rule
        (
            "toddler at nursery has a small bruise on the cheek, parent says he fell off the sofa, story seems "
            "plausible, first time weve seen anything",
            "explanation that doesn't fit",
        ),
        (
            "first time mum, 19, no family support, a bit anxious, baby thriving. Would some extra help be "
            "appropriate?",
            "A parent's mental health",
        ),
    ],
)
def test_the_first_example_is_the_worry_said(pack: ContentPack, question: str, first: str) -> None:
    ranked = assess(pack, question).ranked
    assert ranked and first in ranked[0].text, [r.text[:60] for r in ranked[:3]]


def test_a_baby_still_gets_the_non_mobile_rule(pack: ContentPack) -> None:
    assert "can't yet crawl" in assess(pack, "bruise on a 3 month old baby").ranked[0].text


def test_a_babys_age_in_months_is_no_child_of_that_age(pack: ContentPack) -> None:
    """ "9 month old ... mum engages" was read as a nine-year-old engaged to be married."""
    found = assess(
        pack,
        "health visitor - 9 month old, flat damp and cold, baby in a dirty nappy on every visit, missed 2 "
        "immunisation appts, mum seems low but engages",
    )
    assert "harmful-practices" not in found.concerns
    assert "FGM" not in found.ranked[0].text


def test_a_mothers_bruises_at_a_toddler_group_are_not_a_toddlers_injury(pack: ContentPack) -> None:
    first = assess(
        pack,
        "i run a church toddler group. one mum always has bruises on her arms and seems scared of her husband",
    ).ranked[0]
    assert "domestic-abuse" in first.topics


def test_preventing_is_not_the_prevent_duty(pack: ContentPack) -> None:
    found = assess(pack, "Our water safety leaflet on preventing child drowning needs updating - what should it say?")
    assert "radicalisation" not in found.concerns
    assert "radicalisation" in assess(pack, "prevent referral for a 13 year old watching extremist videos").concerns


def _first_example(shown: str) -> str:
    return next((line[3:] for line in shown.splitlines() if line.startswith("1. ")), "")


@pytest.mark.parametrize(
    ("question", "first"),
    [
        # a girl carried off by grown men led with a parent's drinking
        (
            "at this party a girl of about 14 is passed out and 2 grown men are carrying her upstairs",
            "adults who are not family",
        ),
        # "he will kill her and himself" led with the child's own suicide
        (
            "he has grabbed my daughter and driven off, he says he will kill her and himself",
            "violent to the child",
        ),
        # "cut too deep" was not read as self-harm; "home alone" led with going missing
        ("i cut too deep and it wont stop bleeding im 14 and home alone", "Serious self-harm"),
    ],
)
def test_under_the_opener_the_example_is_the_danger_said(pack: ContentPack, question: str, first: str) -> None:
    shown = answer_text(pack, question)
    assert CALL_999_NOW in shown[:400]
    assert first in _first_example(shown), _first_example(shown)


def test_a_road_accident_outside_school_is_not_exploitation(pack: ContentPack) -> None:
    """ "cars outside school" (men collecting girls) read "hit by a car outside school" as exploitation."""
    shown = answer_text(pack, "A child has just been hit by a car outside school and is not moving.")
    assert CALL_999_NOW in shown[:400]
    assert "exploitation" not in _first_example(shown)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        # "parents engage when we call" was read as a girl engaged to be married
        (
            "Attendance 78% this year for Year 8 girl, lots of odd days off with vague illness, parents engage when "
            "we call. What level?",
            "absence",
        ),
        # bullying led with a group sexual assault (level 4)
        (
            "Parent: my 10 year old is being bullied in class and in the group chat, the school isnt doing much. "
            "Does this come under safeguarding levels?",
            "bullying",
        ),
        # a mother of two's bipolar disorder led with an eating disorder
        (
            "GP: mum of 2 (ages 5 & 8) has bipolar and has stopped her meds, kids are getting themselves to school, "
            "she is managing some days not others. What level of need?",
            "A parent's mental ill health",
        ),
        # a Clare's Law request, now read as no one's name, led with strangulation
        ("mum has a new partner and wants a Clare's Law check", "new partner"),
        # a stabbing led with county lines' trafficking example
        ("a teenager just got stabbed outside the chicken shop hes bleeding loads", "carrying a knife"),
        # a parent stabbed by a partner is violence between the adults, not a young person's knife
        ("dad stabbed mum last night in front of the kids", "Violence between the adults"),
        ("what is sarahs law", "convicted of"),
        # a third review: a flat's dealers are exploitation, a son's own suicide threat is his
        ("my son is trapped inside a flat by dealers", "Criminal exploitation"),
        ("my 14 yo son said he will kill me and then himself", "Serious self-harm"),
    ],
)
def test_the_first_example_after_the_second_round(pack: ContentPack, question: str, first: str) -> None:
    ranked = assess(pack, question).ranked
    assert ranked and first in ranked[0].text, [r.text[:60] for r in ranked[:3]]


def test_food_caught_in_the_throat_is_no_domestic_abuse(pack: ContentPack) -> None:
    """A third blind audit: "choking on a grape" showed "High-risk domestic abuse (a MARAC case)" under
    the opener, "choking" being one of domestic abuse's words."""
    shown = answer_text(pack, "my 3 year old is choking on a grape and cant cough or breathe")
    assert CALL_999_NOW in shown[:400]
    assert "domestic abuse" not in shown.split("**What to do**")[0].lower()
