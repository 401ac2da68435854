"""/threshold on what an eleventh and a twelfth blind practitioner audit and a blind audit of ordinary
worries (2026-12-07, twenty-fourth session) typed: a boy running in among the traffic, a rope sent with a
goodbye, a drunk driver threatening to crash with the baby, a weapon and "she's next" and a baby left
in the snow opened with nothing; a child pulled from a canal last year, "this homework is killing me",
foam swords and a grape coughed out opened with 999. A mother's thoughts of harming her baby led with a
child's diet, a teenager taken to meet "business friends" at hotels with offending, and "the christmas
do ... or the hotel" with exploitation. The sets are bench/guidance/audit24_danger.yaml,
audit24b_danger.yaml and audit24_questions.yaml."""

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
    "just saw a little boy run into the dual carriageway on his own, cars going past",
    "girl 15 texted me a pic of a rope and says goodbye tell mum i love her",
    "caller says her boyfriend has the baby and is driving drunk at 100mph threatening to crash it",
    "a girl with a dealer in a county lines trap house just sent location, says hes got a machete and shes next",
    "there is a baby left on the bus stop bench in this snow no one with it and its barely crying",
    # the same dangers in other words
    "toddler has run into the road on her own, cars flying past",
    "dad is threatening to crash the car with the kids in the back",
    "he has a knife and says im next",
    # a twelfth blind audit's misses, as typed
    "girl 14 just got into a car with 2 older men outside the chippy, she looked off her face, reg partly got",
    "foster child has taken a whole pack of paracetamol in the last half hour and is going sleepy",
    "shop - boy about 12 being dragged out by a man hes shouting thats not my dad",
    "8yo climbed the electricity substation fence and is touching the box",
    "child ran into the dual carriageway after a ball theres lorries",
    "twins 2 and 4 left alone in flat all day, mum not back, one has burnt hand on cooker and its still on",
    "newborn left in a carrier bag by the bins behind tesco its freezing and its not moving much",
    "child being sold for sex in flat 4b tonight men are queueing on the stairs",
    "pls help mums boyfriend has my little sister in the bedroom and locked the door and she is screaming",
    # a thirteenth blind audit's misses, as typed
    "paramedic crew - we're at an address and the dad is kicking the toddler in front of us, he won't stop",
    "hotel night manager: 2 men just took a very young drunk girl up to room 214, she could barely walk and said no",
    "help pls my mates been hangin in the woods she left a note we just found her and shes not moving",
    "dad is pointing a gun at his teenage son in the kitchen, I am the sister hiding upstairs",
    # a review of the rules above: what they took away at first
    "he coughed it up but now he's not breathing",
    "she spat it out and is choking again",
    "last night my 15 year old daughter who has been really struggling at school took a whole packet of paracetamol "
    "and is not responding",
    "last night she was beaten by her dad she is still bleeding heavily",
    "dad said if i dont finish my homework hes killing me, hes coming up the stairs with a belt",
    "mum says she is going to hurt herself and the kids tonight",
    "man at the school gates waving a toy gun at children, cant tell if its real",
    # a sixth review: words that say it is over, said of others, contradicted, or after a danger going on
    "he is not breathing, mum says he is fine now",
    "the baby has gone blue and floppy, nan says shes fine now, shes not",
    "she took 30 paracetamol an hour ago and is unresponsive, her mum thinks she is fine now",
    "the toddler is choking right now, we did back blows and she was fine earlier",
    "the baby is not breathing and my other kids are all fine",
    "dad is strangling mum in the kitchen, the kids are all ok",
    "a man who attacked her in 2019 is outside her house right now with a knife",
    "a man with a knife is in the playground now, nobody was hurt yet",
    "my daughter is unconscious on the floor, i have called 999",
    # a fifteenth blind audit's misses, as typed
    "housing repair operative. im in a flat fixing a boiler and theres a baby on its own in a cot, freezing cold, "
    "no adults in, been here 2 hrs",
    "cinema usher, screen 4: a man is forcing a young girl into the disabled toilet and she is screaming, the door "
    "is locked now",
    "8yo at after school club touched the exposed wires in the broken socket and is stuck/shaking, cant let go",
    "last year dad hit her and it went quiet, but tonight at 9pm she rang me whispering he's got a hammer and is "
    "breaking down her bedroom door",
    "bus driver: 11 yr old boy on my bus says the older lads at the back have a gun and are threatening to shoot him "
    "at the next stop, we are moving",
    # a fifth review: words that say a danger is over close what came before them, not what follows
    "nothing's happened yet but now he has a knife",
    "she was fine after back blows but now she is choking again",
    "he says nothing happened but he is not breathing",
    "baby fell asleep with a dummy and now is not breathing",
    "he's back today and fine but his brother is unconscious on the floor",
    "he coughed it out and is fine, now his sister has a knife to her throat",
    "i have called 999 but he is still not breathing",
    "he fell off the climbing frame and hasnt woken up",
    "the kids are alone, mum hasnt been back for 2 days",
    "last night the twins took pills and they are unresponsive",
    # a fourth review: what a rule on the whole message took away, and phrasings the narrowing lost
    "dad is home now and he has a knife to my sisters throat",
    "my toddler just woke from her nap and is not breathing",
    "my son coughed it out and is fine then his sister started choking and cant breathe",
    "she coughed it out and is fine however the baby is now not breathing",
    "yesterday she went missing and she is being held in a flat by older men right now",
    "dad is hitting her and the kids are screaming",
    "he is pointing a gun at us",
    "she put a rope up in her room and said goodbye everyone",
    "he is pointing a toy gun at my son and says it is loaded",
    # a fourteenth blind audit's misses, as typed
    "foster carer. my 16yo placement just texted from a car, says two older men are driving her to Manchester and "
    "won't let her out",
    "hospital play specialist. a child on the ward has just been taken off the unit by her father who is subject to a "
    "court order, they are heading to the car park now",
    "a toddler has grabbed a live cable in the garden and is stuck to it, mum is screaming",
    "dad is passed out on heroin on the sofa, the 8 month old is alone crawling near the open balcony on the 9th floor",
    # a third review: a film, then what a child says is happening now; a state now after a time gone
    "after the film about grooming she now says a man is waiting for her outside the school gate",
    "we watched a video about knife crime and he now says he has a knife and is going to stab his brother",
    "yesterday he was attacked and is unresponsive",
    "she took an overdose on friday and has been unconscious since",
    "last night she took tablets and she is not responding now",
    # a second review: a choking over, then a danger now; a state now after a time gone; more phrasings
    "he choked on a grape, coughed it out and is fine but now hes gone blue and not breathing",
    "she spat it out and is fine but now shes choking again",
    "last night my daughter took a whole packet of paracetamol and is not responding",
    "last night mum took a load of pills and she wont wake up",
    "last night my baby brother fell down the stairs and hasnt woken up",
    "homework is killing me, i have the pills ready",
    "toy gun in his bag, he says its loaded, he is in class now",
    "mum is threatening to harm herself and the children",
    "she sent me a picture of a noose tied up in her wardrobe and said sorry",
    "hes got a machete and said my sister is next",
    "he is driving with the kids in the car and says he will crash it",
    "the kids are alone in the flat and mum hasnt been back for 2 days, they are 2 and 4",
    "mum's partner is hitting her and the kids are screaming",
    # what the new rules must leave alone: a time opening the clause only where nothing says now
    "last night he took an overdose and now he is not breathing",
    "child is choking on a grape and cant breathe",
]
NOT_NOW = [
    # the audit's false openers, as typed
    "last year a child in my class was pulled from the canal not breathing, she recovered, how do i support her now",
    "boy said this homework is killing me and i want to die lol",
    "the kids were playing stabbing each other with foam swords at break",
    "child was choking on a grape earlier but coughed it out and is fine now, does this need reporting",
    # the same words over or in play
    "yesterday a pupil collapsed and was not breathing, he is home now",
    "the boys were playing shooting with nerf guns at the party",
    "ran into the road last week and a car stopped in time",
    "last night she took an overdose, she is home now and doing well",
    # a sixth review: the newest phrases on near misses
    "the boys were threatening to shoot him with nerf guns at break",
    "he is still blue in the face from shouting but fine",
    "there are exposed wires in the classroom, a boy got stuck in the door",
    "is a baby on its own with no adults a level 3 concern",
    "he is breaking down emotionally in his bedroom, the door is shut",
    # a fifteenth blind audit's false openers, as typed
    "early years worker: last week a toddler choked on a grape, we did back blows and she was fine. how do we record "
    "this?",
    "school secretary, a parent threatened staff with a knife in 2019 and is now applying to volunteer at sports day. "
    "what threshold?",
    "dental nurse: how should we train staff to recognise anaphylaxis in children? policy question",
    "housing repair operative: went to a flat last month, baby was left alone for a bit, mum came back within 10 "
    "mins. she's fine now but I keep thinking about it",
    "cinema usher: we showed a film today where a girl was abducted and dragged into a van, a kid in the audience "
    "got upset. is that a safeguarding thing?",
    "playworker - near miss yesterday, a kid ran toward the road but we caught him. all fine. incident form?",
    "school nurse: year 6 pupil had a nut reaction at lunch, epipen given, ambulance took her, parents say she's fine "
    "now at home",
    # a fifth review: the newest phrases on near misses
    "she was taken into care under a court order and is now settled with foster carers",
    "the men at the youth club wont let her out after 9pm, is that ok",
    "risk assessment for babies crawling near an open balcony door at the nursery",
    "in PE we put the rope up and said goodbye to the old coach",
    "he is pointing a nerf gun at us, it is loaded with foam darts",
    "ambulance been and gone, she is fine",
    # a fourth review: a state word that is no state, a film the children ask about
    "yesterday he was attacked and the family is unresponsive to the plan",
    "he was raped last year and is not breathing a word to anyone",
    "after the film where a baby was not breathing she now asks lots of questions about babies not breathing",
    # a fourteenth blind audit's false openers, as typed
    "school caretaker: last term a boy choked on a sweet in the playground, he was fine after back blows. Should I "
    "have reported it?",
    "swimming teacher, what is the policy on children not breathing drills in our lifeguard training? we practise "
    "with a dummy",
    "nursery nurse. a child with a nut allergy had a reaction last week, epipen given, ambulance came, she's back "
    "today and fine. what should the care plan include?",
    "my son keeps telling me older kids play on the railway line after school. nothing's happened but how do I "
    "report it?",
    # a third review: the phrases and rules above on near misses
    "was choking on a grape earlier but coughed it out and is fine then went to play",
    "yesterday he was choking on a sweet but he is breathing fine now",
    "last month the toddler had a seizure and is still fitting occasionally, epilepsy plan in place",
    "in the history lesson we looked at a picture of a noose from the civil rights era",
    "we have the pills ready for the school trip, travel sickness tablets",
    "in the game he is hitting her and the kids are screaming with laughter",
    "grandad was pointing his gun at the rabbits on the farm, the kids watched",
    "she fell and hasnt woken up yet from her nap, she is fine",
    "he has a water gun loaded and is chasing his sister in the garden",
    "the kids were alone and mum hasnt been back for two days but dad is home now with them",
    # a thirteenth blind audit's false openers: a story and a film, talked about now
    "librarian - we're running a 'stranger danger' story time about a man dragging a girl away, is this appropriate "
    "for 5 year olds?",
    "our reception class watched a film where a child drank bleach, one child now keeps talking about it, is that "
    "worrying?",
    "what are the signs of shaken baby syndrome for training new staff",
    # a review: the new phrases on near misses
    "parents keep complaining that reception kids run into the road at pick up because cars park on the zigzags, "
    "what can we do",
    "the it technician is threatening to crash the server if we dont update the safeguarding log",
    "knife skills in food tech, he has the knife and shes next, should they be supervised",
    "baby left at the childminders at 8am, no one with a DBS was there, do we report",
    "we did a rope climbing session in PE and she said goodbye to her friends as she was moving school",
]


@pytest.mark.parametrize("question", NOW)
def test_a_child_in_danger_this_minute_opens_with_999(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW in answer_text(pack, question)[:400], question


@pytest.mark.parametrize("question", NOT_NOW)
def test_the_same_words_over_played_or_as_a_figure_of_speech_do_not(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question)


@pytest.mark.parametrize(
    ("question", "level", "topic"),
    [
        (
            "hv visit - home quite cluttered, and mum mentioned shes 'not bothered' about the new baby and has "
            "thoughts of harming him",
            4,
            "mental-health",
        ),
        (
            "teen keeps forgetting PE kit and been a bit rude to staff, also told friend her uncle is taking her to "
            "meet 'business friends' at hotels at weekends and gives her vodka",
            4,
            "exploitation",
        ),
        (
            "nursery child often picked up late and a bit grubby, but today she said mummy's friend hurt her and "
            "showed me a burn mark on her arm, looks like a cigarette",
            4,
            "physical-abuse",
        ),
    ],
)
def test_the_more_serious_worry_leads(pack: ContentPack, question: str, level: int, topic: str) -> None:
    first = assess(pack, question).ranked[0]
    assert (first.level, topic in first.topics) == (level, True)


def test_a_parents_thoughts_of_hurting_herself_are_not_read_as_thoughts_of_harming_the_baby(
    pack: ContentPack,
) -> None:
    """The parent's own self-harm leads with a parent's mental health, not the level 4 danger to the child."""
    first = assess(pack, "new mum says she has thoughts of hurting herself, baby is 6 weeks").ranked[0]
    assert ("mental-health" in first.topics, first.level) == (True, 3)


def test_a_hotel_named_for_a_staff_party_is_no_safeguarding_worry(pack: ContentPack) -> None:
    assert assess(pack, "does anyone know if the christmas do is at the town hall this year or the hotel").off_topic


@pytest.mark.parametrize(
    ("question", "not_first"),
    [
        # the mother, not a child, is the one her partner thinks of harming
        (
            "mum says her partner has thoughts of harming her, she is 30 weeks pregnant with their second child",
            "A parent's drinking",
        ),
        # a family the council moves between hotels is housing, not a child taken to meet adults
        (
            "the council keeps moving mum and the kids, housing takes them to hotels miles from school",
            "found with adults",
        ),
    ],
)
def test_what_a_review_found_misread_is_not_read_so(pack: ContentPack, question: str, not_first: str) -> None:
    assert not_first not in assess(pack, question).ranked[0].text


def test_under_the_999_opener_no_example_is_of_a_level_that_supports_a_family_with_consent(pack: ContentPack) -> None:
    """ "baby not breathing gone blue mum screaming" led with arguments between parents at level 2 under
    "Call 999 now" (a twelfth blind audit): no level 1 or 2 example, nor their steps, under the opener."""
    shown = answer_text(pack, "baby not breathing gone blue mum screaming what do i do")
    assert CALL_999_NOW in shown[:400]
    # (the levels at a glance may follow the opener; no example of level 1 or 2 does)
    assert "Level 2 — Additional** ·" not in shown and "Level 1 — Universal** ·" not in shown
    assert "with consent" not in shown


@pytest.mark.parametrize(
    "question",
    [
        "is this level 2? she is a bit upset and is now not breathing",
        "is this level 1? a man is dragging a child into a van now",
    ],
)
def test_a_level_1_or_2_named_beside_a_danger_now_is_not_shown_under_the_opener(
    pack: ContentPack, question: str
) -> None:
    """A third review: the level asked about was shown in full (or offered) under "Call 999 now"."""
    from handlers.threshold import threshold_reply

    reply, _topic = threshold_reply(pack, question)
    shown = reply.all_text()
    assert CALL_999_NOW in shown[:400]
    assert "with consent" not in shown and "the family's consent" not in shown and "Talk with the family" not in shown
