"""/threshold's "Call 999 now" opener on what a blind outside audit (2026-12-07, twenty-first
session) typed and the bot did not open with 999: a parent on the floor not moving, a baby sleepy
and sick after a fall, a threat to hurt a mother tonight, a family held in a locked room, a girl
driven off by older men minutes ago, a girl missing with older lads, small children alone and
crying now. And none where a child ran into the road (told after it, read as a suicide attempt
before), nor on the same words when the danger is over, a habit or something else."""

from __future__ import annotations

import pytest

from core.contentpack import ContentPack
from tests.pack_support import answer_text, medway_pack

CALL_999_NOW = "**Call 999 now**"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


NOW = [
    "8yo girl on the line says mummy is on the floor not moving and there are needles next to her",
    "baby fell down the stairs about 10 mins ago now really sleepy and being sick, mum wont take him to hospital",
    "little one in my class says daddy is going to hurt mummy really bad tonight with the gun he keeps in the shed",
    "dad is going to shoot mum tonight",
    "im on a home visit and dad has locked the door and is saying nobody leaves, the 3 kids are in the room with me",
    "girl 13 just got in a car with two older men outside the school gates, they drove off 2 mins ago",
    "one of our girls has gone off with the older lads round the town, missing since this afternoon",
    "kids 4 and 6 been left on their own in the flat next door since this morning, i can hear them crying now",
    "kids 4 and 6 left on their own in the flat right now",
    "girl in year 5 says she is going to Somalia tomorrow to be cut like her sisters",
]

NOT_NOW = [
    "toddler ran into the road while mum was on her phone",
    "mum told me she smacked her son when he ran into the road yesterday is that abuse",
    "last year she fell down the stairs and was sleepy for a day",
    "toddler fell down the stairs yesterday, was a bit sleepy after but fine now",
    "he threatened last month that he was going to shoot mum",
    "mum is going to shoot a video tonight for tiktok with the kids",
    "teacher says in her class nobody leaves until the work is done",
    "the kids were left on their own last night and neighbours could hear them crying",
    "she got in a car with older men last week and they drove off",
    "dad lies on the floor not moving for hours when drunk most weekends",
    "she is going to pakistan tomorrow for her cousins wedding",
]


def test_a_toddler_running_into_the_road_is_not_read_as_a_suicide_attempt(pack: ContentPack) -> None:
    assert "suicidal thoughts" not in answer_text(pack, "toddler ran into the road while mum was on her phone")
    assert "suicidal thoughts" in answer_text(pack, "teen walked into the road on purpose in front of a bus")


# From a second blind audit the same morning (25 of 40 opened before these phrases)
NOW_SECOND = [
    "lad fell off the climbing frame onto the railings and theres blood pumping out of his leg we cant stop it",
    "taxi driver here, got a girl in the back maybe 13 with two older blokes, shes crying saying she doesnt want to go "
    "with them and theyre telling me to drive to a flat",
    "caller says her 15 yo son has a rope and has locked himself in the garage saying hes going to end it",
    "mum at the front desk is off her face slurring and shes got the baby and her car keys and is heading out",
    "just walked into the toilets and an older boy is forcing himself on a year 7 girl",
    "group on snapchat saying theyre going to shank him after school today at the rec",
    "4 year old wandered off from our class trip at the beach about 40 mins ago and we still cant find her",
    "little boy about 5 walking along the edge of the canal on his own, its getting dark",
    "my son has been beaten up and hes lying on the ground in the park not responding",
    "my mums boyfriend is hitting my little brother with a belt and i'm hiding in the bathroom",
    "a bloke is trying to drag a schoolgirl into his van outside the shop shes screaming",
    "baby been screaming for hours next door, parents went out this morning and nobodys come back, "
    "she is in the cot on her own",
    "theres a girl about 15 passed out drunk in the underpass and some men are standing over her touching her",
    "mother says her ex has just smashed through the front door and gone upstairs where the children are asleep",
    "picked up a lad maybe 12 at the station at 2am says hes been sent down from london with drugs inside him",
]

NOT_NOW_SECOND = [
    "in food tech a pupil said as a joke he wanted to set fire to the kitchen, nobody was hurt, is this just behaviour",
    "man in his 50s collapsed in the staff room, ambulance came and hes ok, do we need to log it",
    "at judo a 14 yr old was choked out in a legal strangle during grading, came round straight away and was fine",
    # lines written to trip the new phrases
    "last week he cut his hand and there was blood pumping out but it stopped",
    "she went with older men last month, she said she didnt want to go with them",
    "he said last year he was going to end it and had a rope, hes had camhs since",
    "he was forcing himself on her last year, she told me today",
    "the puppy wandered off and we still cant find it",
    "im hiding in the toilets because the year 9s are hitting each other in a play fight",
    "kids playing tug of war trying to drag each other into the mud",
    "baby slept in the cot on her own all night, nobodys worried",
    "at the party she passed out and men were touching her, it was 2 years ago",
    "dad smashed through the door last christmas and the kids were terrified",
    "the boys joke about going to shank each other",
]


# A review of this session's first phrases: what they lost, and what they opened wrongly
NOW_AFTER_REVIEW = [
    "toddler just ran into the road and is standing in the traffic",
    "4yo ran into the road and is still out there, cars everywhere",
    "my son fell and is not moving until i touch him then he groans",
    "dad has locked the doors and says no one leaves until mum comes back, the kids are inside",
    "massive dog attacking a toddler in the play area, owner cant get it off",
    "girl 13 just got in a car with two older men outside school, they drove away 2 mins ago",
    "girl 13 just got into a van with older men and they have driven off",
    # a third blind audit, after the phrases above (29 of 40 opened)
    "girl of about 14 at my counter says she took a whole box of paracetamol this morning and she's now being sick",
    "caller says her 3yo has drunk bleach from under the sink in the last few minutes, hes coughing and crying",
    "u12 player clashed heads in the match, was out cold for a bit, now throwing up and asking the same questions",
    "weve just dragged a young lad out of the river by the weir, hes not coughing or moving and his lips are purple",
    "my daughter 4 pulled the pan off the hob and boiling water went all down her chest, the skin is coming away",
    "lad on the top deck is holding a blade to another kids throat and has him pinned against the window",
    "a 7 year old shut in a garden shed with a padlock on it since this morning, we cant get the door open",
    "a tiny boy, about 3, is wandering on his own around our car park next to the dual carriageway",
    "mums boyfriend has turned up at my classroom door with a machete shouting for her son",
]

NOT_NOW_AFTER_REVIEW = [
    "in PE the kids lay on the floor not moving for a relaxation exercise",
    "the kids sat on the stairs not moving when i told them to tidy up",
    "training: what should I do if I find a parent on the floor not moving",
    "mum says he fell down the stairs but the bruises look like grip marks, he was sleepy in class today",
    "in the play the boy is going to stab mum tonight",
    "at our youth club nobody leaves before a parent collects them",
    "the policy says nobody is leaving the site without signing out",
    "my 15yo got in a car with his dad and another man and they drove off to football",
    "she was missing since tuesday with older men but came back yesterday",
    "what age can kids be left on their own right now",
    "the cat has been left on her own right now",
    "she is going to pakistan tomorrow for her cousins marriage",
    "last year she got in a car with older men and they drove away",
    "baby was blue round the lips at birth but paediatrics checked him and he's thriving now",
    "my class watched a film about a kidnapping and some of them are having nightmares about being snatched",
    "a pupil's dog got hit by a car this morning and died and she is really upset in class",
    "toddler went missing in the shop for about 5 minutes, security found her by the toys and shes back with mum",
    "she took a pack of paracetamol last year, shes fine now",
    "a lad was knocked out playing rugby last season, he was vomiting but fine",
    "the kids pulled the old bike out of the river, it was not moving",
    "the skin is coming away from the chicken in food tech",
    "the padlock on the shed is broken and we cant get the mower out",
]


@pytest.mark.parametrize(
    "question",
    [
        "teen says she will walk into traffic tonight",
        "my 15yo keeps saying she wants to step out into traffic",
        "he tried to run into traffic on the bypass after the argument",
        "yr 11 girl said she thinks about walking into traffic every day",
    ],
)
def test_meaning_to_walk_into_traffic_is_still_suicide_risk(pack: ContentPack, question: str) -> None:
    assert "suicidal thoughts" in answer_text(pack, question)


def test_a_lesson_that_cannot_go_on_is_no_suicide_risk(pack: ContentPack) -> None:
    assert "suicidal thoughts" not in answer_text(pack, "the lesson cant go on anymore with this noise")


@pytest.mark.parametrize("question", NOW + NOW_SECOND + NOW_AFTER_REVIEW)
def test_a_child_in_danger_now_is_told_to_call_999_first(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW in answer_text(pack, question)[:400], question


@pytest.mark.parametrize("question", NOT_NOW + NOT_NOW_SECOND + NOT_NOW_AFTER_REVIEW)
def test_the_same_words_when_the_danger_is_over_or_elsewhere_get_no_opener(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question), question
