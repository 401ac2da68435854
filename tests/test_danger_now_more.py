"""/threshold's "Call 999 now" opener on more ways of saying a child is in danger this minute (a
body short of air, water, fire, a road or a height, a small child alone, harm being done as it is
told, a child being taken, a threat with the one who made it close by, a goodbye, a meeting set up
for tonight), and none on the same words where the danger is over, a habit, or a training
scenario. Cases written for these tests, not taken from the bench sets."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from handlers.threshold.reading import clauses_of
from tests.pack_support import answer_text, medway_pack

CALL_999_NOW = "**Call 999 now**"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


NOW = [
    # a body short of air, not awake, bleeding hard
    "childminder here, the 9 month old has gone grey and isn't crying",
    "toddler turning purple at the tea table, think he's swallowed a grape",
    "boy banged his head on the climbing frame and is now drowsy and being sick",
    "girl with a rash that won't fade under a glass and a high temperature",
    "year 6 boy's face is swelling up after a peanut bar and he can't swallow",
    "asthma attack in the playground, inhaler not helping",
    "pupil has been fitting over 5 minutes in the hall",
    "teen outside the shop with blood pouring from his arm",
    "lad stabbed in the leg by the bins, bleeding everywhere",
    # water, fire, roads and heights
    "little boy fell in the pond at the farm park",
    "girl slipped into the river and can't swim",
    "smoke coming out of the upstairs window and the children are still inside",
    "house on fire next door, kids can't get out",
    "a small child heading towards the main road on a scooter with no one",
    "toddler on the hard shoulder, I've pulled over",
    "boy sat on the balcony ledge of the 6th floor",
    "child has climbed over the railing on the footbridge",
    # a small child alone
    "found a toddler alone in the stairwell of the flats",
    "baby on his own in a car in the supermarket car park",
    "2 year old alone in the flat and the door is open",
    "there's no adult around and the 3 year old is by the pond",
    # harm being done as it is told
    "two lads are stamping on a boy on the ground outside the chippy",
    "a man is kicking his son infront of me at the bus stop",
    "dog attacking a little girl in the park, can't get it off",
    "I think I heard a gunshot from the flat with the kids",
    # being taken, held, or threatened now
    "a girl about 12 is getting into a car with two men across the road",
    "two blokes are waiting for her outside the youth club",
    "her cousin is parked outside the school now to take her to meet some men",
    "she just messaged me that he won't let me leave, the men locked the door",
    "dad's in the car park with a court order against him and he's putting the boy in his van",
    "mum's ex rang and said he'll kill her, he's outside the house",
    "they said they'll stab my brother tonight if I don't go",
    # a goodbye, a plan, someone taking the children with them
    "student sent me a photo of tablets and said goodbye",
    "yp texted sorry for everything and won't pick up",
    "mum says she's going to kill herself and the kids",
    "she says she's going to jump, she's on the car park roof",
    # grooming, a meeting arranged for now, taken abroad today
    "12yo says she's meeting him tonight, a man she met on snapchat",
    "13 year old being sent abroad tonight to be married",
    "girl doing a live stream right now and adults are telling her to undress",
    # the brief's shapes, in other words
    "hes gone grey and limp",
    "mum's not answering the door and I can hear the bath running, the baby's in there",
    "the older boys have got knives and her son is with them",
    "our 12 year old hasn't come home, she was seen getting into a car with older men",
    "her dad is sending her to pakistan tonight to be married, she is terrified",
    "year 10 has a ligature round her neck in the toilets",
    "a girl from our club is live on tiktok right now and men are telling her to strip",
    "someone raped her in the park 10 mins ago and he is still there",
    "the flight leaves in an hour and she says they are taking her to be cut",
    "the little one is limp in my arms and won't open his eyes",
    "two men just bundled a teenage girl into a van outside school",
    "mum's boyfriend is strangling her in the kitchen and the children are watching",
    "girl messaged to say the man she met online is picking her up in ten minutes",
    "a child has just been hit by a bus outside the school",
    "she texted that she has taken 30 paracetamol and is going to sleep",
    "the 16 year old has a noose in his room and won't come out",
    "newborn is blue around the mouth and breathing funny",
    "a man is following a 9 year old girl home and she's scared",
    "my foster child has run off towards the river in the dark",
    "mum is holding the baby out of the upstairs window screaming",
    "our 11 year old was pushed into a river by older kids and is struggling",
    "there is a toddler on the window sill of a top floor flat with the window open",
    "the mum is trying to smother the baby with a pillow",
    "kid is stuck in a washing machine",
]

NOT_NOW = [
    "the baby went grey at birth and needed oxygen, now thriving",
    "7yo says mummy went purple when daddy squeezed her neck",
    "lad was stabbed last year and still limps, how do we support him",
    "pupil fell in the canal on the residential last week, parents upset",
    "house fire over summer, family rehoused",
    "3 kids home alone most evenings while mum works",
    "toddler often plays out by the road on his own",
    "no adult at home after school every day for the 9 year old",
    "dad keeps turning up at the gate demanding to take his son",
    "he punched the wall in front of me last month",
    "girl seen getting into cars with older men, what level",
    "training scenario: a parent says they will kill themselves and the children, what should staff do",
    "what if a child tells me someone at home has a gun",
    "seizure in class, ambulance been, she's fine now",
    "boy went missing for 20 mins on the trip, found safe",
    "hotel guest asked about kids staying without adults, nothing happened",
    "mum is on her own with the baby and a 2yo since dad left",
    "the network meeting finishes today at 4",
    "child with a nut allergy has epipens, care plan needed",
    "he couldn't breathe after dad grabbed him last night",
    "she went on the livestream last week, account deleted",
    "girl says boyfriend is waiting outside the school every day",
    "boy hitting other kids in class since his parents split",
    "a stab wound on his leg he says was an accident",
    "neighbours say the toddler has been seen alone on the balcony",
    "the 5yo is left on his own in the evenings while mum works",
    "a boy was hit by a car outside school on 3 november, his parents haven't been in touch",
    "mum rang, her ex is outside with a knife, I've called 999 already, what else do I do",
    "a man waits outside the gates for the year 9 girls on fridays",
    "the lad is sleeping at a trap house, who do I tell",
    "fgm worry, family going to somalia in the summer holidays, dsl is off today",
    "mum leaves the 4yo home alone when she nips to the shop",
    "a man's van is parked outside every pick up",
    "a man used to park outside her school to take her to meet older men, the police know",
    "court hearing on tuesday, school worried dad will snatch them",
    "yr 12 drew a noose in art for a project",
    "mum feels like she is drowning with four kids under five",
    "toddler swallowed a magnet in march, had surgery, now fine",
    "lad was slashed in 2023 and is now scared to go out",
    "she says she wants to end it all if they lose the house, the review is today",
    "stepdad shoved her into a wall on the way out, she is sleeping in her boyfriend's car",
    "she used to sit on the window ledge to smoke, worried about her mental health",
    "needles left on the windowsill in the flat, the girl's hair is matted",
]


@pytest.mark.parametrize("question", NOW)
def test_a_child_in_danger_now_is_told_to_call_999_first(pack: ContentPack, question: str) -> None:
    text = answer_text(pack, question)
    assert CALL_999_NOW in text, question
    assert "If a child is in immediate danger, call 999." in text  # the footer stays


@pytest.mark.parametrize("question", NOT_NOW)
def test_the_same_words_when_the_danger_is_not_now_get_no_opener(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question), question


def test_and_or_but_begin_a_new_clause_so_every_word_has_one() -> None:
    text = "toddler with a swollen head and not waking properly, mum says he fell yesterday"
    clauses = clauses_of(text)
    assert len(clauses) == 14
    assert clauses[:5] == [0] * 5 and clauses[5:9] == [1] * 4 and clauses[9:] == [2] * 5


# A review of the session's changes: asking what level applies, "what if", or a habit word in the
# same clause as "right now" took the opener away from a child in danger this minute.
@pytest.mark.parametrize(
    "text",
    [
        "a boy is being attacked behind the sports hall right now, what level would that be",
        "the baby has stopped breathing, which threshold is this",
        "the toddler is not breathing and has gone blue, level of need?",
        "the baby is not breathing, what if he dies",
        "dad leaves the little ones alone right now, I can hear them screaming",
        "a 3 year old has been seen on the flat roof right now",
        "he has slapped her twice and is still hitting her right now",
        "the 2 year old is not breathing, they said he is ok now but he is still blue",
        "today 5 december he has a knife to her throat right now",
    ],
)
def test_a_present_danger_opens_with_999_whatever_else_the_question_asks(pack: ContentPack, text: str) -> None:
    assert CALL_999_NOW in answer_text(pack, text)
