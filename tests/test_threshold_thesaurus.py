"""The /threshold thesaurus reads classes of wording, not only the phrases written down (issue #16).

Each case below says a worry with words from a word class in content/medway/synonyms.yaml, in a
combination no phrase spells out ("scrapping on the bus" from {fight} and {schooltime}), and must
reach its topic. The near misses share a word with a class but are not that worry ("fighting for
custody" is not behaviour, "the notice board" is not housing) and must not.
"""

from __future__ import annotations

import re

import pytest

from bot.runtime import load_registry
from core.contentpack import DEFAULT_PACK, ContentPack, load_pack
from handlers import guidance, threshold


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(DEFAULT_PACK, load_registry().sections)


def concerns(pack: ContentPack, text: str) -> list[str]:
    return list(threshold.assess(pack, text).concerns)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # {fight} at a {schooltime}, a child turning on {staff}
        ("year 5 boy keeps scrapping on the school bus", "behaviour"),
        ("she was brawling in the canteen again", "behaviour"),
        ("he headbutted a TA this morning", "behaviour"),
        # tenancy trouble from a {landlord}, and moving {count} times
        ("they've been served with notice on the bedsit", "housing"),
        ("the housing association wants them out by june", "housing"),
        ("the family have moved seven times in two years", "housing"),
        # {speech} and {toilet}
        ("2 year old has very few words and isn't potty trained", "send"),
        # a {service} {cancel}led, an {ailment} left without {treat}ment
        ("mum keeps rescheduling audiology for the 6 year old", "health"),
        ("his impetigo has never been treated", "health"),
        # {meds} a child was never prescribed
        ("dad has been giving her sedatives that were never prescribed", "fabricated-illness"),
        # living with a {nonrelative}, away from {both} parents
        ("the 13 year old is living with a family acquaintance instead of her parents", "private-fostering"),
        # a teenager ending it and a threat to {share} {pics}
        ("year 11 lad says his girlfriend will kill herself if he dumps her", "relationship-abuse"),
        ("her ex is threatening to upload her pictures", "online-harm"),
        # {encounter}ed in another {area}
        ("the 14 yo was spotted in another county at 3am", "missing"),
        # {schoolwork} stopped, {amount} of the {schoolyear} missed, off on a {weekday}
        ("she's stopped doing her assignments", "education"),
        ("he missed half of reception", "education"),
        ("off every thursday with no reason", "education"),
        # {berate} at a child, calling a child an {insult}
        ("stepdad bellows at the kids and calls them pathetic", "emotional-abuse"),
        # {peers} and what they do, {chore}s and {careverb}s at home
        ("the boys in his tutor group keep tripping him up", "child-on-child"),
        ("the 9 year old does the hoovering and dresses her little brother every morning", "young-carer"),
        # what the {police} {warn} about a new adult
        ("mum's new bloke is someone the police flagged to us", "risk-to-children"),
        # going without a {necessity}, behind on a {bill}
        ("no money for nappies this week", "finances"),
        ("they can't pay the water bill", "finances"),
        # a {hated} group, a {spirit} to be driven out, a {ceremony} abroad
        ("he says refugees deserve to die", "radicalisation"),
        ("the pastor said there's a demon in her", "faith-abuse"),
        ("her parents are taking her overseas for a ritual in the summer", "harmful-practices"),
        # a {youngster} hit with an {object}, a {druguse} of a {drug}, {harmverb} oneself
        ("mum whacked the boy with a hairbrush", "physical-abuse"),
        ("dad's been sniffing ketamine", "substance-misuse"),
        ("she's been pinching herself till she bleeds", "self-harm"),
        # between a {parentword} and a {parentword}, a {dwelling} in a {state}
        ("she goes from her nan's to her dad's every other night", "family-relationships"),
        ("the kitchen is squalid", "neglect"),
    ],
)
def test_a_class_of_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("parents fighting for custody of the children", "behaviour"),
        ("mum and dad are fighting all the time at home", "behaviour"),
        ("please put it on the notice board in the staff room", "housing"),
        ("I noticed the flat was cold when I visited", "housing"),
        ("dad moved out last month", "housing"),
        ("he is doing his homework at the kitchen table", "education"),
        ("the teacher shouted at the class for being late", "behaviour"),
        ("we need to post the letters to parents", "online-harm"),
        ("boy has been arrested in another town for dealing", "missing"),
        ("mum won't let him have his tea if he answers back", "neglect"),
        ("she feeds the cat before school", "young-carer"),
        ("both parents are deaf and the girl interprets for them", "send"),
        ("mum told the HV she hears voices saying the baby is evil", "emotional-abuse"),
        ("mum says he tried to strangle her last night", "physical-abuse"),
        ("she missed the bus to college", "health"),
    ],
)
def test_a_near_miss_does_not_reach_the_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # a negation before {feedverb}
        ("dad never feeds the toddler before nursery", "neglect"),
        ("the twins haven't been fed today", "neglect"),
        # {otherkid} who {clobber} a child, and a child who {clobber}s another
        ("some lads in year 8 decked her on the field", "child-on-child"),
        ("he was walloped by a group of older girls", "child-on-child"),
        ("she chinned another girl at break", "behaviour"),
        # {cash} that is {scarce}, {strapped} for {cash}, a {strain} to afford
        ("funds are really stretched at home", "finances"),
        ("mum says she's strapped for cash", "finances"),
        ("they're struggling to afford school shoes", "finances"),
        # a {date} who will {snoop} a {device}, {steer} who to {meet}, is a {tracker} of {whereabouts}, has a {temper}
        ("her girlfriend scrolls through her whatsapp every night", "relationship-abuse"),
        ("year 9 boy's girlfriend chooses who he can text", "relationship-abuse"),
        ("her bf monitors her location all day", "relationship-abuse"),
        ("his girlfriend gets furious when he messages his mates", "relationship-abuse"),
        # {slash} and {harmmark} on a {limb}, a {cutword} again
        ("she has been carving into her thighs", "self-harm"),
        ("there are nicks all up his wrists", "self-harm"),
        ("she's started slicing again", "self-harm"),
        # what a young person will {saythink} of being {bodyword}, a {restrict}ed {meal}, a {purge} after one
        ("she feels she's huge and is binning her lunches", "mental-health"),
        ("he's been puking after dinner", "mental-health"),
        # a {tooth} in {decay}, a {clinic} nobody took the child to
        ("his molars are decayed", "health"),
        ("nobody has taken the baby to the GP", "health"),
        ("she's never been to an optician", "health"),
        # a parent who will {block} the children's {contactverb} with the other
        ("mum is withholding contact with their dad", "family-relationships"),
        ("dad keeps preventing the kids phoning their mum", "family-relationships"),
        # a young child's {sexy} {talkword}, a {touchverb} of {rudebody}, a {pull} at {clothes}
        ("the 6 yo sings dirty songs and grabs other pupils' genitals", "sexual-abuse"),
        ("reception girl keeps yanking down other kids' knickers", "child-on-child"),
        # a {record} for an {offence}, {freed} after one and moving in
        ("mum's partner has a caution for indecency", "risk-to-children"),
        ("he was paroled after a stabbing and is moving in with them", "risk-to-children"),
        # a {grownage} adult and a {youngteen}: {adultman} in a {decade}, {romance}, a {mentor}
        ("the 13 yo has a 26 year old boyfriend", "exploitation"),
        ("fifteen year old is dating a bloke in his thirties", "exploitation"),
        ("they met when he was her swimming instructor", "exploitation"),
        # home {homeed}, an {la} that never sees the child
        ("the family have been home edded since year 3", "missing-education"),
        ("the cme team have never seen the boy", "missing-education"),
        # {reluctant} to go home
        ("he is petrified of going home", "physical-abuse"),
        # a {heap} of {rubbish}
        ("there are mountains of takeaway cartons in the lounge", "neglect"),
        ("bins overflowing in the kitchen", "neglect"),
        # a {misverb} up, in trouble {often}, not following {instructions}
        ("the boy acts up in every lesson", "behaviour"),
        ("she won't follow rules and is in trouble again", "behaviour"),
        # to {spout} {bigotry} {utter}
        ("he keeps chanting nazi slogans in the corridor", "radicalisation"),
    ],
)
def test_a_second_pass_class_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("I'm short of time today, can we talk tomorrow", "finances"),
        ("we have a tight deadline for the report", "finances"),
        ("my manager says the budget is tight this year", "finances"),
        ("dad was cutting the grass when I visited", "self-harm"),
        ("she's been cutting back on takeaways", "self-harm"),
        ("mum was cut by glass in the kitchen", "self-harm"),
        ("the girls were skipping rope at break", "mental-health"),
        ("the girls were skipping rope at break", "neglect"),
        ("the dentist was closed on monday", "health"),
        ("he was booted out of the club for swearing", "child-on-child"),
        ("she goes home after school on the bus", "missing-education"),
        ("dad is 45 and his son is 15", "exploitation"),
    ],
)
def test_a_second_pass_near_miss_does_not_reach_the_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic not in concerns(pack, question)


def test_several_classes_in_one_long_question_are_each_named(pack: ContentPack) -> None:
    found = concerns(
        pack,
        "yr 8 lad has been fighting at break time, the family got notice on the flat last week, "
        "his little sister has hardly any words and mum keeps cancelling her physio",
    )
    assert {"behaviour", "housing", "send", "health"} <= set(found)


def test_every_word_class_is_used_by_a_phrase_or_an_idiom(pack: ContentPack) -> None:
    from handlers.threshold.pack import Levels

    synonyms = guidance.thesaurus(pack)
    assert synonyms is not None
    levels = pack.get(Levels)
    danger_now = levels.emergency.phrases if levels.emergency else []  # levels.yaml `emergency`
    text = " ".join([*synonyms.ignore, *(p for c in synonyms.concepts for p in c.phrases), *danger_now])
    used = set(re.findall(r"\{([a-z0-9-]+)\}", text))
    assert set(synonyms.words) - used == set()


@pytest.mark.parametrize(
    "question",
    [
        "year 11 texted her tutor that her pills are lined up and she is saying goodbye",
        "he has his tablets lined up in his room",
    ],
)
def test_a_suicide_plan_in_everyday_words_puts_level_4_first(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert found.ranked[0].level == 4 and "self-harm" in found.ranked[0].topics


def test_a_parent_putting_something_in_a_drink_before_the_doctor_is_fabricated_illness(pack: ContentPack) -> None:
    found = threshold.assess(pack, "the boy said his dad puts something in his juice before hospital visits")
    assert "fabricated-illness" in found.concerns


@pytest.mark.parametrize(
    "question",
    ["my colleague is retiring, this is goodbye from the team", "my mum made me poorly with her cooking lol"],
)
def test_goodbyes_and_bad_cooking_are_no_serious_signal(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert not found.serious and "fabricated-illness" not in found.concerns


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # money: meters and credit, borrowing and owing, a household said to be poor ({lender}, {bill})
        ("they've been on emergency credit on the meter all week", "finances"),
        ("mum's maxed out her overdraft", "finances"),
        ("mum took out a doorstep loan for christmas", "finances"),
        ("mum said she's got 3 quid to last till friday", "finances"),
        ("she's been skipping meals herself so the kids can eat", "finances"),
        ("she sold her phone to pay the rent", "finances"),
        ("mum is broke", "finances"),
        # housing: {count} people in a small flat, a {pest}, a {cold} {home}, a {fixture} {broke}
        ("there are 7 of them in a 2 bed flat", "housing"),
        ("the house has rats", "housing"),
        ("the house is freezing", "housing"),
        ("boiler's been broken for weeks", "housing"),
        ("the council have put them in a hotel", "housing"),
        # neglect: a nappy not changed, food taken home, parents never there
        ("baby came in the same nappy from last night", "neglect"),
        ("he was stuffing food in his bag at lunch", "neglect"),
        ("parents are never around", "neglect"),
        # education: {grades} that {decline}, never in, sent home, exams missed
        ("his grades are tanking", "education"),
        ("he's hardly ever in", "education"),
        ("he's failing all his subjects", "education"),
        ("he's in isolation most days", "education"),
        ("she missed her GCSEs", "education"),
        # substance misuse: {wasted} in slang, an {addictname}, high at school
        ("he was getting wasted at the weekend", "substance-misuse"),
        ("he was smashed at the party", "substance-misuse"),
        ("mum's a smackhead", "substance-misuse"),
        ("he smokes a joint before school", "substance-misuse"),
        ("he came to school high", "substance-misuse"),
        ("mum's been on a bender all weekend", "substance-misuse"),
        # emotional abuse: made to sleep in a {punishplace}, left out, mocked, unwanted
        ("dad makes him sleep in the shed", "emotional-abuse"),
        ("the younger ones get presents and she gets nothing", "emotional-abuse"),
        ("mum constantly compares her to her sister", "emotional-abuse"),
        ("dad threatened to kill the dog if she told", "emotional-abuse"),
        ("mum says she hates him", "emotional-abuse"),
        # domestic abuse: a {mumword} locked in or hurt, threats to take the {baby}, a knife
        ("he locks mum in the bathroom", "domestic-abuse"),
        ("he's making threats on facebook to take the baby", "domestic-abuse"),
        ("he broke her nose", "domestic-abuse"),
        ("mum has bruises on her arms from dad", "domestic-abuse"),
        ("dad put his fist through the door", "domestic-abuse"),
        ("dad holds a knife to mum", "domestic-abuse"),
        # exploitation: new {gear} nobody paid for, someone paying for a {ride}, found in a {city}
        ("she's got new nails and hair nobody paid for", "exploitation"),
        ("someone online sent her money for the train", "exploitation"),
        ("someone's paying for her uber", "exploitation"),
        ("he's been stopped by police in london with drugs on him", "exploitation"),
        ("he said they'd hurt his mum if he stopped", "exploitation"),
        ("he's carrying a bag for someone", "exploitation"),
    ],
)
def test_a_third_pass_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("can I borrow a laptop from IT", "finances"),
        ("we need a loan of the projector for the meeting", "finances"),
        ("he broke his arm falling off his bike", "finances"),
        ("the school is moving to a new building", "housing"),
        ("the mouse on my computer isn't working", "housing"),
        ("she keeps running off to see her boyfriend", "education"),
        ("dad is not in the picture", "education"),
        ("he was vaping in the toilets", "substance-misuse"),
        ("the screen was smashed on the ipad", "substance-misuse"),
        ("we locked the cupboard at the end of the day", "emotional-abuse"),
        ("girl said daddy pulls her hair and pushes her over when he is cross", "domestic-abuse"),
        ("her dad hasn't let her see her mum since christmas", "domestic-abuse"),
        ("nursery saw burns on her feet, mum says she stepped in a hot bath", "domestic-abuse"),
        ("can I claim for a taxi to the training", "exploitation"),
        # a parent who can't explain a bruise is not a child unable to say where gifts came from
        ("a 6 week old with a mark on his head and the parents can't explain it", "exploitation"),
        # soft drinks are not alcohol; a family with nowhere to go is not a homeless 16 or 17 year old
        ("the 10 year old lives on crisps and fizzy drinks", "substance-misuse"),
        ("the landlord has served notice and the family have nowhere to go", "homeless-16-17"),
    ],
)
def test_a_third_pass_near_miss_does_not_reach_the_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # a person who may pose a risk: a {record} or a {probe} for an {offence}, barred from children
        ("mum's new partner is out on licence", "risk-to-children"),
        ("he's been charged with child cruelty", "risk-to-children"),
        ("the babysitter was arrested for downloading child porn", "risk-to-children"),
        ("he's got bail conditions not to be around children", "risk-to-children"),
        ("his probation officer says he can't live with children", "risk-to-children"),
        # family relationships: at {feud} with a parent, given up on, a parent gone, pawns in a split
        ("mum says she's given up on her", "family-relationships"),
        ("mum wants him put in care", "family-relationships"),
        ("she's at war with her mum", "family-relationships"),
        ("they're always at loggerheads", "family-relationships"),
        ("he hasn't seen his dad for 2 years", "family-relationships"),
        ("the kids are being used as pawns", "family-relationships"),
        ("dad won't return the kids after contact", "family-relationships"),
        ("mum keeps threatening to kick him out", "family-relationships"),
        # health: weight and centiles, diabetes out of control, a {checkup} missed, {meds} not given
        ("baby is not putting weight on", "health"),
        ("she's dropped two centiles", "health"),
        ("he was admitted with DKA", "health"),
        ("his asthma is really badly controlled", "health"),
        ("the toddler's speech is delayed and mum missed the hearing test", "health"),
        ("mum won't give him his epilepsy meds", "health"),
        ("his eczema is raw and bleeding", "health"),
        # mental health: feeling nothing, flat, at rock bottom, a parent not coping
        ("mum feels nothing for the baby", "mental-health"),
        ("she seems really flat", "mental-health"),
        ("mum says she is at rock bottom", "mental-health"),
        ("mum's not coping with the baby", "mental-health"),
        ("mum keeps saying she can't do this anymore", "mental-health"),
        ("he is having intrusive thoughts", "mental-health"),
    ],
)
def test_a_third_pass_wording_of_home_and_health_reaches_its_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("I need to do the register for my class", "risk-to-children"),
        ("mum is pregnant again, the last two babies were removed", "risk-to-children"),
        ("a man has been messaging her on roblox and her dad was jailed for violence last year", "risk-to-children"),
        ("we had a family fun day at school", "family-relationships"),
        ("grandparents have the kids under an SGO", "family-relationships"),
        ("he got caught up in a postcode war", "family-relationships"),
        ("staff flu jabs are on tuesday", "health"),
        ("i'm feeling really stressed with my caseload, who can i talk to", "mental-health"),
        ("the ipad is really flat and needs charging", "mental-health"),
        ("she has been watching videos in her room all night", "mental-health"),
        ("he eats alone at lunch", "emotional-abuse"),
    ],
)
def test_a_third_pass_near_miss_of_home_and_health_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # young carers: doing everything for a {relative}, raising {little} ones, running the {household}
        ("she does everything for her mum who has MS", "young-carer"),
        ("he has to help mum in and out of the bath", "young-carer"),
        ("he manages mum's tablets", "young-carer"),
        ("he's basically raising his little sisters", "young-carer"),
        ("she pushes her mum's wheelchair to the shops", "young-carer"),
        ("he's the man of the house since dad left", "young-carer"),
        # child-on-child: a {slur} from {otherkid}, ganging up, filmed fights, a {sibling} who hurts
        ("other kids keep calling her a slag", "child-on-child"),
        ("he was called gay and pushed around", "child-on-child"),
        ("they filmed them beating a kid", "child-on-child"),
        ("a group of girls keep ganging up on her", "child-on-child"),
        ("year 8 boys rating the girls' bodies", "child-on-child"),
        ("his older brother keeps hurting him and controlling him", "child-on-child"),
        ("a year 11 boy sent a picture of his privates to a year 7 girl", "child-on-child"),
        # SEND: not reading or talking at an age, never assessed, named conditions
        ("he can't read at 11", "send"),
        ("he doesn't talk at 3", "send"),
        ("she's never been assessed", "send"),
        ("she has a diagnosis of dyslexia", "send"),
        ("he's got SEMH needs", "send"),
        # self-harm and suicide: pulling lashes, scratching till it bleeds, too many tablets, into the road
        ("he's been pulling his eyelashes out", "self-harm"),
        ("he scratches till he bleeds", "self-harm"),
        ("he took too many of his mum's tablets", "self-harm"),
        ("he walked into the road in front of a car on purpose", "self-harm"),
        # missing: gone since, sneaking out, a runner, awol, days later
        ("he's been gone since friday", "missing"),
        ("he climbed out of his bedroom window at night", "missing"),
        ("she's done a runner again", "missing"),
        ("he goes awol", "missing"),
        ("she turned up two days later", "missing"),
        ("he ran off from school at lunch", "missing"),
    ],
)
def test_a_third_pass_wording_of_children_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("she looks after the class hamster", "young-carer"),
        ("family can't pay the gas or the rent", "young-carer"),
        ("the children played tag at break", "child-on-child"),
        ("can you send me the minutes", "send"),
        ("both parents are deaf and the girl interprets for them", "send"),
        ("mum works nights at the care home", "send"),
        ("he hurt himself playing football", "self-harm"),
        ("she cut her finger in food tech", "self-harm"),
        ("I missed the bus", "missing"),
    ],
)
def test_a_third_pass_near_miss_of_children_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # online harm: {pics} to a {stranger}, up all night on an {app}, an account hacked, on cam
        ("she's been sending pics to a lad she's never met", "online-harm"),
        ("she's on her phone till 3am", "online-harm"),
        ("strangers keep adding her on snap", "online-harm"),
        ("someone hacked her account and posted stuff", "online-harm"),
        ("he was asked to go on cam", "online-harm"),
        # radicalisation: symbols, school shootings, a threat to blow up the school, fighting abroad
        ("he has a flag with an SS symbol in his room", "radicalisation"),
        ("he is obsessed with school shootings", "radicalisation"),
        ("he said he'd blow up the school", "radicalisation"),
        ("he's been researching how to make explosives", "radicalisation"),
        # pre-birth: weeks and months gone, a bump, booking late, a termination
        ("dad is violent and mum's 7 months gone", "pre-birth"),
        ("she's got a bump", "pre-birth"),
        ("she booked late at 30 weeks", "pre-birth"),
        ("she's 12 weeks and wants a termination", "pre-birth"),
        # physical abuse: a good hiding, a {hurtverb} by an {adult}, a head held under water, a story that changes
        ("dad gave him a good hiding", "physical-abuse"),
        ("she told me her mum whips her with a cable", "physical-abuse"),
        ("dad holds his head under the water", "physical-abuse"),
        ("baby has a torn frenulum", "physical-abuse"),
        ("he said his dad chokes him when he's angry", "physical-abuse"),
        # sexual abuse: "does stuff to her", made to watch {sexy} {rudefilm}s, a hand in her {clothes}
        ("she told me her uncle does stuff to her at night", "sexual-abuse"),
        ("he says his stepdad makes him watch rude films", "sexual-abuse"),
        ("he says a man at the park showed him his willy", "sexual-abuse"),
        ("she told me someone put their hand in her knickers", "sexual-abuse"),
        ("she says mummy's boyfriend lies on top of her", "sexual-abuse"),
        # behaviour: a room trashed, a threat to {staff}, graffiti, violence to {little} ones
        ("he trashed his classroom", "behaviour"),
        ("he threatened a teacher", "behaviour"),
        ("he's been spray painting walls", "behaviour"),
        ("he's violent to his younger siblings", "behaviour"),
        # harmful practices, private fostering, fabricated illness, missing education
        ("her older sister was cut when she went to sudan", "harmful-practices"),
        ("her family disowned her for dating a white boy", "harmful-practices"),
        ("he's living with his football coach", "private-fostering"),
        ("the 12 year old is stopping at her godmother's", "private-fostering"),
        ("mum's asking for a feeding tube but he eats fine at nursery", "fabricated-illness"),
        ("mum has him on a special diet for allergies he doesn't have", "fabricated-illness"),
        ("she left year 6 and never turned up at secondary", "missing-education"),
        ("the new school says she never arrived", "missing-education"),
        # teenage relationships, faith, homeless 16-17, a parent in prison
        ("her boyfriend tells her she's ugly", "relationship-abuse"),
        ("he says his girlfriend slaps him when she's angry", "relationship-abuse"),
        ("he was beaten at the madrassa", "faith-abuse"),
        ("mum says the devil is in him", "faith-abuse"),
        ("he's 16 and mum says she won't have him back", "homeless-16-17"),
        ("the 16 year old has been living in his car", "homeless-16-17"),
        ("dad's doing 6 years", "parent-in-prison"),
        ("dad got a custodial", "parent-in-prison"),
    ],
)
def test_a_third_pass_wording_of_harm_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("I need to reset my email password", "online-harm"),
        ("the family are going on holiday to spain", "harmful-practices"),
        ("keeps running away from home", "harmful-practices"),
        ("dad has threatened to take the children abroad and not bring them back", "harmful-practices"),
        ("the baby is 6 weeks old and they missed the 6 week check", "pre-birth"),
        ("dad's girlfriend slaps the kids when he's at work", "relationship-abuse"),
        ("16 yr old girl says her family are arranging a marriage, she is scared, wont go home", "housing"),
        ("she stays at her nan's on weekends", "private-fostering"),
        ("the results of the staff survey are normal", "fabricated-illness"),
        ("he goes to church every sunday with his nan", "faith-abuse"),
    ],
)
def test_a_third_pass_near_miss_of_harm_does_not_reach_the_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "mum can't get out of bed, the kids are getting themselves to school and making their own tea",
            {"mental-health", "neglect"},
        ),
        ("dad punched mum and then hit the 6 year old when he tried to stop him", {"domestic-abuse", "physical-abuse"}),
        ("no electric on the meter, kids in bed in their coats", {"finances", "neglect"}),
        ("he has epilepsy and learning difficulties and mum keeps forgetting his meds", {"send", "health"}),
        ("boy with autism keeps getting his lunch money taken by older lads", {"send", "child-on-child"}),
    ],
)
def test_each_worry_of_a_third_pass_message_is_named(pack: ContentPack, question: str, expected: set[str]) -> None:
    assert expected <= set(concerns(pack, question))


def test_a_parent_disclosing_domestic_abuse_is_no_sexual_abuse_disclosure(pack: ContentPack) -> None:
    found = concerns(pack, "mum disclosed that her partner controls her money and checks her phone")
    assert "domestic-abuse" in found and "sexual-abuse" not in found


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("3 yo comes in with a full nappy most mornings", "neglect"),
        ("kids were found asleep on a sofa covered in dog hair", "neglect"),
        ("she told me a man she plays roblox with asked her to take her top off on video", "sexual-abuse"),
        ("the child was made to eat out of a dog bowl", "emotional-abuse"),
        ("mum says her 6 year old is a witch and won't let her sit with the family", "emotional-abuse"),
        ("she went to pakistan in july and hasn't come back to school", "missing-education"),
        ("mum keeps keeping him off saying he has a rare condition", "education"),
        ("12 yr old is violent towards his mum and she can't manage him", "behaviour"),
    ],
)
def test_a_worry_inside_a_longer_message_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # shorthand and professional wording
        ("concerns re home conds", "neglect"),
        ("basic care needs not being met", "neglect"),
        ("kids come to school in sandals in the snow", "neglect"),
        ("she says he gets handy when he's had a drink", "domestic-abuse"),
        ("mum presenting with injuries she won't explain, partner always with her at appointments", "domestic-abuse"),
        ("he's been found in a crack den", "exploitation"),
        ("she's getting money for sending pictures", "exploitation"),
        ("he's been dabbing", "substance-misuse"),
        ("mum says she feels like she's going mad", "mental-health"),
        ("he had a rope in his room", "self-harm"),
        ("4 yo drawing pictures of willies and acting out sex", "sexual-abuse"),
        ("he's on a PTT", "education"),
        ("dad keeps not turning up for contact", "family-relationships"),
        ("mum says she's choosing between heating and food", "finances"),
        ("the flat is falling apart", "housing"),
        ("parents are refusing treatment for her leukaemia", "health"),
    ],
)
def test_shorthand_and_professional_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


def test_a_partner_who_goes_mad_is_not_a_mental_health_worry(pack: ContentPack) -> None:
    assert "mental-health" not in concerns(pack, "her boyfriend goes mad if she talks to other lads")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "they've been moved into a hotel room by the council and the baby's been poorly with the damp",
            {"housing", "health"},
        ),
        ("someone shared a video of him being beaten up in the toilets", {"child-on-child"}),
        (
            "grandad who lived with them died and the boy is really struggling",
            {"family-relationships", "mental-health"},
        ),
        ("mum took him out of school because they couldn't meet his needs", {"send"}),
        ("mum says he's too ill for school but he's fine when he's here", {"fabricated-illness"}),
        ("disabled child left in his wheelchair all day, pressure sores", {"neglect"}),
        ("a man she met on snapchat is sending her sexual messages", {"online-harm", "sexual-abuse"}),
    ],
)
def test_a_narrative_message_names_each_of_its_worries(pack: ContentPack, question: str, expected: set[str]) -> None:
    assert expected <= set(concerns(pack, question))


def test_a_family_placed_in_a_hotel_is_housing_not_exploitation(pack: ContentPack) -> None:
    found = concerns(pack, "family been evicted, moved into a hotel, kids off school 3 weeks")
    assert "housing" in found and "exploitation" not in found


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # street slang for drug lines, and what paramedics, pharmacists, dinner staff and PCSOs report
        ("he's been going OT", "exploitation"),
        ("he's always in the bando", "exploitation"),
        ("he says he owes a tick", "exploitation"),
        ("his mum's flat has been taken over by dealers", "exploitation"),
        ("pharmacist says a teenager keeps buying paracetamol every day", "self-harm"),
        ("12 year old asking for condoms", "sexual-abuse"),
        ("paramedic: attended the address, mum unresponsive and two toddlers alone in the flat", "neglect"),
        ("he always asks for seconds and hides bread in his pockets", "neglect"),
        ("PCSO: neighbour reports shouting and a woman crying at the address", "domestic-abuse"),
        ("dad put a camera in the house to watch mum", "domestic-abuse"),
        ("no one has seen her since monday", "missing"),
        ("he's been mugging people", "behaviour"),
        ("she keeps saying she's a burden", "mental-health"),
        ("he said mum pulls him by the ear", "physical-abuse"),
        ("they're living on one meal a day to save money", "finances"),
        ("the family are squatting", "housing"),
    ],
)
def test_street_slang_and_front_line_reports_reach_their_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    "question", ["he's going to OT for his handwriting", "referred to the OT for a sensory assessment"]
)
def test_an_occupational_therapist_is_not_going_out_of_town(pack: ContentPack, question: str) -> None:
    assert "exploitation" not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("HV: baby's head is flat, she's in the bouncer all day", "neglect"),
        ("she keeps missing school because she has to stay home to protect mum", "domestic-abuse"),
        ("15 yo boy found with a zombie knife and £500 in cash", "behaviour"),
        ("dad's been in a really dark place since mum left him", "mental-health"),
        ("dad's been in a really dark place since mum left him", "family-relationships"),
        ("mum is at the end of her rope", "mental-health"),
        ("he won't come to school because the boys in his class make his life hell", "child-on-child"),
        ("kids are scared of dad's temper", "emotional-abuse"),
        ("he's been selling pictures of himself online", "exploitation"),
        ("she turned up after 2 days off her face on something", "missing"),
        ("he's been telling other kids that jews control the world", "radicalisation"),
        ("mum's asking to be moved because her ex knows where she lives", "housing"),
        ("mum's asking to be moved because her ex knows where she lives", "domestic-abuse"),
        ("she said her family found out about her secret boyfriend and are threatening her", "harmful-practices"),
        ("huge fights between the 15 yo and her stepdad, she smashed her room up", "behaviour"),
        ("mum drinks to cope with what he does to her", "domestic-abuse"),
    ],
)
def test_a_fourth_round_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("the twins are always late and tired and she says mum doesn't wake up", "self-harm"),
        ("kids are scared of dad's temper, he calls mum a slag", "child-on-child"),
        ("a 25 year old man who said he was her uncle brought her to A&E", "private-fostering"),
        ("lad found with razor blades in his pencil case", "behaviour"),
        ("he isn't allowed near children after what he did to his last partner's son", "domestic-abuse"),
        ("his needs aren't being met in class", "neglect"),
        ("he spends time with the children at weekends", "risk-to-children"),
        ("she's been ignoring contact from school", "family-relationships"),
        ("mum was wrecked after her night shift", "substance-misuse"),
        ("please send a statement of the facts", "send"),
    ],
)
def test_a_fourth_round_near_miss_does_not_reach_the_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # a child's own words, a parent's own words, and text-speak
        ('"daddy hurt my arm" said the 4 year old', "physical-abuse"),
        ("child said daddy hurt my bum", "sexual-abuse"),
        ('she says "mummy says she wishes i was dead"', "emotional-abuse"),
        ('"i\'ve been cutting"', "self-harm"),
        ('"they call me names and hit me on the bus"', "child-on-child"),
        ("\"i didn't go home, i stayed at a mate's\"", "missing"),
        ('"dad smokes the funny cigarettes"', "substance-misuse"),
        ("parent: he's out of control and i can't handle him", "family-relationships"),
        ("parent: my ex won't leave me alone", "domestic-abuse"),
    ],
)
def test_a_childs_or_parents_own_words_reach_the_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("her family are talking about a dowry for her", "harmful-practices"),
        ("the 15 year old was found in a cannabis farm", "exploitation"),
        ("police raided a grow house and found a vietnamese boy living there", "exploitation"),
        ("she thinks her drink was spiked at the party", "substance-misuse"),
        ("he's threatening to share intimate pictures of mum", "domestic-abuse"),
        ("the dog bit the baby's face", "neglect"),
        ("they've got an XL bully that's not kept away from the toddler", "neglect"),
        ("he's got a severe nut allergy and mum won't give school an epipen", "health"),
        ("he's been carrying a knife for protection", "behaviour"),
    ],
)
def test_a_fifth_round_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("the punch at the party was spiked with extra fruit", "substance-misuse"),
        ("the school dog is very friendly", "neglect"),
        ("they've got an XL bully that's not kept away from the toddler", "child-on-child"),
    ],
)
def test_a_fifth_round_near_miss_does_not_reach_the_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        (
            "a family at church have taken in a 10 year old from ghana and she calls them auntie and uncle",
            "private-fostering",
        ),
        ("the child seems well but mum keeps her on a feeding tube", "fabricated-illness"),
        ("the girls in the family all had it done when they were little back home", "harmful-practices"),
        (
            "she's been off the school roll since january and nobody knows where she's being educated",
            "missing-education",
        ),
    ],
)
def test_the_newer_topics_in_narrative_wording_reach_their_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "hes been goin missing most weekends, comes back stinkin of weed with loads of cash and wont say where",
            {"exploitation", "missing", "substance-misuse"},
        ),
        (
            "flat is riddled with damp and mould, baby has a constant cough and theres no cot so she sleeps in a pram",
            {"housing", "health", "neglect"},
        ),
        (
            "14 yo keeps running off to a 19 yr old lads flat, she says they have sex",
            {"sexual-abuse", "exploitation", "missing"},
        ),
        (
            "15 yr old is drinking, getting into fights and mum says she cant control him anymore",
            {"family-relationships"},
        ),
        (
            "quiet lad, spends all his time online in extremist chat rooms, seems really depressed",
            {"online-harm", "radicalisation"},
        ),
        (
            "autistic 5 yr old, still in nappies, bad teeth, mum hasnt taken him to any appointments",
            {"send", "neglect", "health"},
        ),
        (
            "since dad went to prison he's been getting excluded and is running with a bad crowd",
            {"parent-in-prison", "behaviour"},
        ),
    ],
)
def test_a_message_typed_in_a_hurry_names_each_worry(pack: ContentPack, question: str, expected: set[str]) -> None:
    assert expected <= set(concerns(pack, question))


def test_police_called_out_for_a_childs_behaviour_is_not_domestic_abuse(pack: ContentPack) -> None:
    found = concerns(pack, "carer can't manage his behaviour, the police have been out twice for criminal damage")
    assert "domestic-abuse" not in found


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # case-note and referral wording from police, schools and social workers
        ("police log: male arrested for common assault on partner, both intoxicated", "domestic-abuse"),
        ("school: repeated fixed term exclusions for verbal abuse of staff", "behaviour"),
        ("year 7 girl reports a year 10 boy forced her to perform a sex act in the toilets", "child-on-child"),
        ("year 7 girl reports a year 10 boy forced her to perform a sex act in the toilets", "sexual-abuse"),
    ],
)
def test_case_note_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    "question",
    ["police log: male arrested for common assault on partner", "the 15 year old was arrested for assault in town"],
)
def test_an_arrest_for_assault_is_no_risk_to_children_by_itself(pack: ContentPack, question: str) -> None:
    assert "risk-to-children" not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("mum's always got a can in her hand", "substance-misuse"),
        ("dad's an ex user who's started again", "substance-misuse"),
        ("he went for her with a knife", "domestic-abuse"),
        ("he keeps turning up at her work", "domestic-abuse"),
        ("the children saw him drag her by the hair", "domestic-abuse"),
        ("he tells her she's useless and nobody else would want her", "domestic-abuse"),
        ("they were left in a car outside the pub", "neglect"),
        ("she's looking after her siblings at 9 while mum is out all night", "neglect"),
        ("mum doesn't get up to take them to school", "neglect"),
        ("she's been seen being dropped off by different men", "exploitation"),
        ("he's working for a dealer", "exploitation"),
    ],
)
def test_a_sixth_round_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


# Fourth pass (issue #16): every worry of a message that names several. Each case is worded apart
# from the phrases, so it shows a class or a phrase reaching wording nobody wrote down.
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # wetting or soiling again, withdrawn, tearful, not eating
        ("since the move she has been wetting her knickers at school", "mental-health"),
        ("the 5 yo is soiling himself again since dad left", "mental-health"),
        ("he has been having toilet accidents at nursery", "mental-health"),
        ("she has gone very quiet and is hardly eating", "mental-health"),
        ("the boy keeps crying at lunchtime and won't talk to anyone", "mental-health"),
        ("he chews his jumper all day and is really jumpy", "mental-health"),
        ("she has stopped sitting with her friends at break", "mental-health"),
        # picking, pulling and covering up; searching for ways to die
        ("she picks at her skin until it bleeds", "self-harm"),
        ("he has started biting his nails till they bleed", "self-harm"),
        ("year 9 girl won't take her jumper off even in the heat", "self-harm"),
        ("mum found he had googled how many tablets you need to take", "self-harm"),
        ("he told his mate he won't be here much longer", "self-harm"),
    ],
)
def test_a_fourth_pass_worry_of_the_mind_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("the kids got wet at forest school today", "mental-health"),
        ("the class went quiet when the head came in", "mental-health"),
        ("we need the wet weather plan for sports day", "mental-health"),
        ("she picks her brother up from nursery", "self-harm"),
        ("can the paracetamol be given at school with a letter", "self-harm"),
    ],
)
def test_a_fourth_pass_near_miss_of_the_mind_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # a {cancel}led speech appointment or a {checkup} that never happened
        ("dad has missed every speech therapy session since march", "health"),
        ("his 2 yr check just never happened", "health"),
        ("mum won't let the HV in when she calls", "health"),
        # small, thin or sore; a baby asleep on the sofa with a parent
        ("the 4 yo is really tiny and always in the same clothes", "neglect"),
        ("she's been left in a soaked pad all day and has sores", "neglect"),
        ("dad was found asleep on the sofa with the newborn", "neglect"),
        # food kept from or taken by a child
        ("his stepdad made him fast as a punishment", "neglect"),
        ("she is stealing food from the other children at lunch", "neglect"),
        # asleep in a {subject}, {schoolwork} that went badly, time off and kept home
        ("year 10 boy keeps falling asleep in science", "education"),
        ("her gcses went really badly", "education"),
        ("he's been off 30% of the spring term", "education"),
        ("mum keeps him home whenever his dad visits", "education"),
        ("she hasn't set foot in college since october", "education"),
        # other children who take a child's things and push them around
        ("some year 11s keep nicking his trainers", "child-on-child"),
        ("the older kids push her about on the way home", "child-on-child"),
        ("girls in her tutor group are making her life hell", "child-on-child"),
    ],
)
def test_a_fourth_pass_worry_of_care_and_school_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("she fell out of bed and hurt her arm", "family-relationships"),
        ("mum fell asleep at 10 after a long shift", "education"),
        ("year 11 mocks start on monday", "education"),
        ("dad is in the nick for burglary", "child-on-child"),
        ("he's small but healthy and eats well", "neglect"),
        ("mum is on a fast for ramadan", "neglect"),
        ("she had a check up with the GP last week", "health"),
    ],
)
def test_a_fourth_pass_near_miss_of_care_and_school_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # falling out and rows at home
        ("the twins have fallen out with their dad since the wedding", "family-relationships"),
        ("mum and nan are not on speaking terms", "family-relationships"),
        ("parents are at each other all the time", "family-relationships"),
        # flush with {cash}, owing {stranger}s, holding {stuff}
        ("year 10 lad suddenly flush with money and new trainers", "exploitation"),
        ("he says he owes a drug debt", "exploitation"),
        ("she's been asked to keep things for some older boys", "exploitation"),
        # a {stranger} met on an {app} who wants to meet; pressed to {share} {pics}
        ("a bloke off roblox keeps asking to meet her", "exploitation"),
        ("he claims to be 15 but lied about his age", "exploitation"),
        ("her bf is pressuring her to share naked pics", "online-harm"),
        # on a {relative}'s floor, in a car, the {ordinal} move
        ("mum and baby are sleeping on her brother's floor", "housing"),
        ("they've been kipping in their car for a week", "housing"),
        ("this is the 3rd move this year for the kids", "housing"),
        ("the 17 yo was told to leave and is crashing at his girlfriend's", "homeless-16-17"),
        # a child kept off to mind a parent, cooking for the little ones
        ("she keeps staying off school to look after her nan", "young-carer"),
        ("the 8 year old is cooking for her little brothers every night", "young-carer"),
        # a child left with a {nonparent} while a parent is away
        ("mum's friend has had the 10 yo living with her since september", "private-fostering"),
        ("dad works away so a family friend who isn't actually related looks after him", "private-fostering"),
    ],
)
def test_a_fourth_pass_worry_of_family_and_home_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("please flush the toilet after use", "exploitation"),
        ("his face was flushed after PE", "exploitation"),
        ("he owes the library two books", "exploitation"),
        ("the baby sleeps in her car seat", "housing"),
        ("the staff car park is full", "housing"),
        ("our 2nd floor office has moved", "housing"),
        ("dad is going off to work early", "private-fostering"),
        ("dad works away on the rigs and mum manages fine", "private-fostering"),
        ("I need to keep an eye on the budget", "young-carer"),
        ("she's translating the leaflet into polish", "young-carer"),
    ],
)
def test_a_fourth_pass_near_miss_of_family_and_home_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # out until the small hours ({latetime}), gone overnight, a runner
        ("year 8 girl has been out until 4am three nights running", "missing"),
        ("he stayed out overnight on saturday and won't say where", "missing"),
        ("she did a runner from her foster placement on friday", "missing"),
        # a young teenager pregnant, the father's age or name kept back
        ("she's 14, booked with the midwife last week", "sexual-abuse"),
        ("pregnant year 10 girl won't say who the dad is", "exploitation"),
        # weeks pregnant in shorthand
        ("mum is 28 wks and he has started pushing her around", "pre-birth"),
        ("she's expecting twins in march", "pre-birth"),
        # money kept from a partner; a child turned against a parent; pushed into something
        ("he takes her bank card and gives her an allowance", "domestic-abuse"),
        ("she has no access to any money of her own", "finances"),
        ("dad keeps bad mouthing mum to the kids", "emotional-abuse"),
        ("her stepdad shoved her into the door frame", "physical-abuse"),
        # working all hours to get by
        ("dad is working 3 jobs and they still can't make ends meet", "finances"),
        # an illness nobody else sees; a ceremony for girls abroad
        ("he's in and out of A&E but the tests always come back clear", "fabricated-illness"),
        ("her aunt in sierra leone is planning a ceremony for the girls", "harmful-practices"),
    ],
)
def test_a_fourth_pass_worry_of_harm_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("the school disco runs until 9pm", "missing"),
        ("our office manager has two jobs", "finances"),
        ("the class went to the zoo for a special celebration", "harmful-practices"),
        ("the midwife works 9 to 5", "sexual-abuse"),
        ("he pushed the pram into the shop", "physical-abuse"),
        ("she is allergic to nuts", "fabricated-illness"),
    ],
)
def test_a_fourth_pass_near_miss_of_harm_does_not_reach_the_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic not in concerns(pack, question)


def test_a_thing_gone_missing_at_work_is_still_refused(pack: ContentPack) -> None:
    # the words of the fourth pass's phrases ("taking off") must not make a workplace question a worry
    question = "the pool table has gone missing from the youth centre, did someone take it for repair?"
    assert threshold.assess(pack, question).off_topic


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("the 16 yo is pregnant and the baby's father is 24", "exploitation"),
        ("mum borrowed off a loan shark and he keeps coming round", "finances"),
        ("mum says she can't get him home before 2am", "missing"),
        ("his dad won't have him back after the fight", "family-relationships"),
        ("she's off 2 days this week again", "education"),
        ("the flat is full because dad is a hoarder", "housing"),
        ("his wheelchair has been broken for a month", "health"),
        ("year 9 boy brought home by the police twice this week", "behaviour"),
        ("some men have taken over her flat", "exploitation"),
        ("mum's partner is known to the police for domestic violence", "domestic-abuse"),
    ],
)
def test_a_fourth_pass_worry_from_a_front_line_report_reaches_its_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("dad loves his hoard of vinyl records", "housing"),
        ("the ramp at the front of school is icy", "housing"),
        ("she picked her son up from the police station", "behaviour"),
        ("can we take the money for the school trip", "exploitation"),
        ("child seems terrified of dad and flinches when he collects", "mental-health"),
    ],
)
def test_a_fourth_pass_near_miss_from_a_front_line_report_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("he keeps peeing himself in assembly", "mental-health"),
        ("mum never took her to her 1 year review", "health"),
        ("his attendance has dropped off a cliff since christmas", "education"),
        ("mum and the baby are sleeping on floors at friends' places", "housing"),
        ("the family have been living out of suitcases for a month", "housing"),
        ("she's been out until 4 in the morning again", "missing"),
        ("he makes her account for every penny she spends", "domestic-abuse"),
        ("mum is 36 weeks and dad has been arrested", "pre-birth"),
        ("the 14 yo is seeing a 23 year old from the gym", "exploitation"),
        ("mum blames him for the break up with dad", "emotional-abuse"),
        ("year 1 boy keeps doing sex stuff to the other children", "child-on-child"),
    ],
)
def test_a_fourth_pass_wording_typed_in_a_chat_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("she is 20 and her brother is 15", "exploitation"),
        ("she did some sexy dancing at the school disco", "sexual-abuse"),
        ("the car seats are in the boot", "housing"),
    ],
)
def test_a_fourth_pass_near_miss_typed_in_a_chat_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    "question",
    [
        "the wifi dropped off a cliff after the update",
        "the team is struggling to cover the rent on the building",
        "the cleaners have been hoarding the mop buckets",
        "my phone fell out of my bag on the train",
    ],
)
def test_a_workplace_question_in_fourth_pass_words_is_still_refused(pack: ContentPack, question: str) -> None:
    assessment = threshold.assess(pack, question)
    assert assessment.off_topic and not assessment.ranked


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("the faith healer told them to stop him eating for a week", "neglect"),
        ("she's refusing meals and exercises for hours in her room", "mental-health"),
        ("he takes her benefits and she has to ask for money for the kids' shoes", "domestic-abuse"),
        ("mum and the boys slept in a car park last night", "housing"),
    ],
)
def test_a_fourth_pass_last_round_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


def test_a_gym_open_all_night_is_no_eating_worry(pack: ContentPack) -> None:
    assert "mental-health" not in concerns(pack, "the gym is open for exercising all night")


# Fifth pass (issue #16): broad classes for the worries blind questions missed most beside others.
# None of these wordings is written as a phrase; each reaches its topic through the classes
# ({kin} in {lockup}, stop {attend} {course}, {fret} about {purse}, {dm} from a {grown} {grownup}...).
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # a parent held: {kin} and {lockup}
        ("her stepfather is on remand at HMP Elmley", "parent-in-prison"),
        ("the boys' mum has been jailed for six months", "parent-in-prison"),
        ("their nan got sent to prison before christmas", "parent-in-prison"),
        ("dad's been imprisoned since the summer", "parent-in-prison"),
        # held for {childharm} to a {youngster}
        ("the lodger spent time in jail for abusing a child", "risk-to-children"),
        ("he was locked up for hurting a toddler", "risk-to-children"),
        # stopped going in: stop {attend} {course}, no {attend} in, off since
        ("he's stopped showing up to sixth form", "education"),
        ("she hasn't been coming in to school since the fight", "education"),
        ("she's been off for two weeks since the incident", "education"),
        # {doze} in a {schooltime} or {subject}
        ("she keeps dozing off in lessons", "education"),
        ("he was kipping in registration", "education"),
        # no school asking for the {records}, not {enrol}led anywhere
        ("the family moved to essex and no school has requested her paperwork", "missing-education"),
        ("they said they're going somewhere in london and the kids aren't enrolled anywhere", "missing-education"),
        # {fret} about {purse}
        ("dad is panicking about the rent", "finances"),
        ("mum is so worried about paying the bills", "finances"),
        # {dm} from a {grown} {grownup}, a {grownup} who will {dm} a {victim}
        ("she got voicenotes from an older bloke on her phone", "online-harm"),
        ("a strange man keeps texting the 11 year old", "online-harm"),
        ("the man told her to delete the snaps", "exploitation"),
        # a {youngster} {away} for a {wedding}, with a sign that worries ({fmsign})
        ("her 15 yo is going to bangladesh for a wedding and has been really withdrawn", "harmful-practices"),
        ("the girl is being flown to somalia for her engagement and seems terrified", "harmful-practices"),
        # {strike} other {peers}, {wreck} a room
        ("the reception boy keeps kicking the other children", "behaviour"),
        ("she headbutts other pupils most days", "behaviour"),
        ("he wrecked his bedroom last night", "behaviour"),
        # a {kin} who has given up or is running on {wornout}
        ("mum says she's washed her hands of him", "family-relationships"),
        ("gran is running on fumes with the three of them", "family-relationships"),
        # {cry} at a {schooltime} or {subject}
        ("she bursts into tears in maths", "mental-health"),
        # made to eat {apart}
        ("they make her eat separately from the rest of them", "emotional-abuse"),
        # {bolt} out of a window or a {placement}
        ("the 14 yo keeps climbing out of her window at night", "missing"),
        ("she keeps leaving the home after tea", "missing"),
        # {fresh} {adultman} with a girl
        ("there's several different men picking the 13 yo up from school", "exploitation"),
        # {pics} of {own} {wound}, hiding a {wound}
        ("she posts pictures of her scars on her story", "self-harm"),
        ("he hides his cuts under his sleeves", "self-harm"),
        # {vape} {heavily}
        ("she's hooked on vapes", "substance-misuse"),
        ("the 12 yo vapes all the time", "substance-misuse"),
        # a {bill} in {own} name, dealers a child will {hang} about with
        ("they've put a phone contract in her name", "exploitation"),
        ("he's been knocking about with dealers from london", "exploitation"),
        # pain when a girl has a wee ({agony}, {flow})
        ("she said it's agony when she has a wee", "health"),
        # {filmverb} a {youngster} getting hurt or changing
        ("they filmed a boy getting jumped behind the shops", "child-on-child"),
        ("the older girls recorded her in the changing rooms", "child-on-child"),
        # a {screen} minding a toddler, nobody let in
        ("the toddler is stuck in front of a tablet all day", "neglect"),
        ("dad will never let anyone into the flat", "neglect"),
        # a {spouse} who will {steer} who she sees
        ("her husband decides who she can talk to", "domestic-abuse"),
    ],
)
def test_a_fifth_pass_class_of_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # custody in the family court is not a parent in prison
        ("mum and dad are in a custody dispute over the two girls", "parent-in-prison"),
        ("dad wants full custody of the children", "parent-in-prison"),
        # cuts to a service are not self-harm, a vape in the toilets is not misuse
        ("the council is making cuts to the youth service", "self-harm"),
        ("caught vaping in the toilets at break", "substance-misuse"),
        # a family wedding abroad with nothing worrying about it
        ("the family are going abroad for a cousin's wedding in the summer holidays", "harmful-practices"),
        # a baby crying is not a child's low mood, a message from an office is not online harm
        ("the baby cries all night", "mental-health"),
        ("she got a message from the man at the housing office", "online-harm"),
        # bitten by another child, a drunk parent throwing things: not the child's behaviour
        ("the nursery boy was bitten by another child", "behaviour"),
        ("dad throws things when he's drunk", "behaviour"),
        # eating alone at school, no beds: not a child shut out by the family
        ("she eats lunch on her own", "emotional-abuse"),
        ("kids sleep on the floor because there are no beds", "emotional-abuse"),
        # an uncle is not different men, a dance video is not filming a child hurt
        ("her uncle is taking her to the cinema", "exploitation"),
        ("the boys filmed a tiktok dance at lunch", "child-on-child"),
        # parents who say he is nicking from them have not been jailed
        ("parents say hes nicking from them to buy weed", "parent-in-prison"),
    ],
)
def test_a_fifth_pass_near_miss_does_not_reach_the_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    "question",
    [
        "the manager keeps leaving the home early on fridays",
        "staff have been stressed about the budget",
        "pool table has gone missing from the youth centre, did someone take it for repair?",
    ],
)
def test_a_workplace_question_in_fifth_pass_words_is_still_refused(pack: ContentPack, question: str) -> None:
    assessment = threshold.assess(pack, question)
    assert assessment.off_topic and not assessment.ranked


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # {barely} in, {dm} from {grownup}, {weepy}, a {heavily} {vape}r
        ("he's barely been in this term", "education"),
        ("she's getting dms from men she doesn't know", "online-harm"),
        ("he's been really weepy lately", "mental-health"),
        ("she's a heavy vaper at 12", "substance-misuse"),
        # {menfolk} {movein} into a parent's home, {prof} kept out
        ("a group of men have moved into his mum's flat", "exploitation"),
        ("mum won't let professionals into the house", "neglect"),
        # hiding a {limb}
        ("he won't let anyone see his legs since the summer", "self-harm"),
        # a {lot} of {pillname}, {bigcount} of them
        ("he swallowed a packet of paracetamol", "self-harm"),
        ("she took 20 paracetamol on saturday", "self-harm"),
        # trips to a {city} nobody explains
        ("he keeps going up to london and won't say why", "exploitation"),
        # giving a {kin} their {meds}
        ("she gives her dad his insulin", "young-carer"),
        # a {sneaker} who will {creep} into a child's {roomword}
        ("her stepbrother has been sneaking into her room", "sexual-abuse"),
        # showing {little} ones {rudefilm} of {sexy}
        ("he's been showing the younger kids videos of sex", "sexual-abuse"),
        # someone {trusted} who will {dm} a child
        ("a teaching assistant has been messaging a pupil privately", "risk-to-children"),
    ],
)
def test_a_fifth_pass_second_round_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("dad took two paracetamol for his headache", "self-harm"),
        ("mum's new boyfriend moved into her flat", "exploitation"),
        ("she never lets anyone see her homework", "self-harm"),
        ("the teacher messaged one of the parents about the trip", "risk-to-children"),
        (
            "she never changes for PE, never takes her hoodie off even in summer and won't let anyone see her arms",
            "neglect",
        ),
    ],
)
def test_a_fifth_pass_second_round_near_miss_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # a course missed, grades {decline}d, a {kin} on bail
        ("she's missed half of her apprenticeship", "education"),
        ("his grades have crashed since september", "education"),
        ("the 8 yo has missed 20 days this term", "education"),
        ("the boys' dad is on bail for the burglary", "parent-in-prison"),
        # shut away in a room, cut off from {pals}
        ("he's holed up in his room and won't see his mates", "mental-health"),
        # a {spouse} threatening to take the children, a {missile} thrown at a {mumword}
        ("her husband keeps threatening to take the kids abroad", "domestic-abuse"),
        ("mum said he threw a mug at her in front of the kids", "domestic-abuse"),
        # a {kin} who tells a child they are an {insult}
        ("her stepmum tells her she's an embarrassment", "emotional-abuse"),
        # a {dwelling} taken over
        ("his mum's house has been taken over by dealers", "exploitation"),
    ],
)
def test_a_fifth_pass_third_round_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("dad says his boss is an idiot", "emotional-abuse"),
        ("he stays in his room gaming", "exploitation"),
        ("mum told the HV she's hearing voices telling her the baby is evil", "emotional-abuse"),
    ],
)
def test_a_fifth_pass_third_round_near_miss_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # a {parentword} who left, a {kin} who has had it with a child
        ("things went downhill since her mum left in the spring", "family-relationships"),
        ("nan says she's had it with him", "family-relationships"),
        # an {ailment} never {treat}ed or controlled
        ("his eczema is never controlled and he scratches till it bleeds", "health"),
        # a {youngster} hurting a {pet}
        ("the 7 yo keeps kicking the dog", "behaviour"),
        # illness nobody else has seen, a {procedure} pushed for
        ("mum says she has fits but nursery have never seen one", "fabricated-illness"),
        ("dad is pushing for an operation the consultant says she doesn't need", "fabricated-illness"),
    ],
)
def test_a_fifth_pass_fourth_round_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("dad hit the dog", "behaviour"),
        ("mum wants a referral to camhs for him", "fabricated-illness"),
        ("dad wants an operation on his knee", "fabricated-illness"),
        ("mum says she cant cope since the respite carer left", "family-relationships"),
    ],
)
def test_a_fifth_pass_fourth_round_near_miss_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # made to sit on a lap, touched in a way a child doesn't like
        ("mum's boyfriend makes her sit on his lap", "sexual-abuse"),
        ("she says her cousin touches her in a way she doesn't like", "sexual-abuse"),
        # kept in while the others go out
        ("he's made to stay in his room while the others have tea", "emotional-abuse"),
        # getting {thin}
        ("the 6 yo is looking gaunt", "health"),
        # {upset} in a {schooltime} or {subject}
        ("she gets really distressed in science", "mental-health"),
        # all the {chore}s, childcare among them
        ("the 13 yo does all the childcare for the twins", "young-carer"),
        # nowhere settled since a fire
        ("the family have been in a hotel since the fire", "housing"),
    ],
)
def test_a_fifth_pass_fifth_round_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("dad sits on his lap to read", "sexual-abuse"),
        ("the nursery had a fire drill this morning", "housing"),
        ("our 15 yo has been sleeping at different mates' houses all week", "housing"),
    ],
)
def test_a_fifth_pass_fifth_round_near_miss_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # a {bloke} in a {motor}, {gear} nobody bought
        ("there's a guy in a merc who parks outside school for her every day", "exploitation"),
        ("she turned up with expensive nails and a new bag", "exploitation"),
        # a {tot} not yet talking
        ("the nursery boy still isn't speaking at all", "send"),
        # gone from a {schooltime}
        ("he keeps disappearing from lessons after lunch", "education"),
        # shut in a {punishplace}
        ("his stepdad shuts him in the shed when he answers back", "emotional-abuse"),
        # on edge
        ("she's been really jumpy since the summer", "mental-health"),
    ],
)
def test_a_fifth_pass_sixth_round_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("dad puts the shopping in the cupboard under the stairs", "emotional-abuse"),
        ("the taxi was waiting outside school for the send kids", "exploitation"),
        ("mum is struggling for money and cant afford uniform or shoes for her 3 kids", "exploitation"),
        ("she's still not talking to her mum after the row", "send"),
    ],
)
def test_a_fifth_pass_sixth_round_near_miss_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # left in charge while a {kin} is out {partying}
        ("the 10 yo was left in charge of the baby while mum was out clubbing", "neglect"),
        ("mum goes out boozing and leaves the 6 and 8 yo alone", "neglect"),
    ],
)
def test_a_fifth_pass_child_left_in_charge_reaches_neglect(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


def test_a_child_left_to_look_after_siblings_is_still_a_young_carer(pack: ContentPack) -> None:
    assert {"neglect", "young-carer"} <= set(
        concerns(pack, "she's left to look after her brothers every night while mum works")
    )


def test_a_parent_dating_is_no_neglect(pack: ContentPack) -> None:
    assert "neglect" not in concerns(pack, "mum goes out dating and the kids stay with their dad")


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # smoke around an {ailment}, adult sites, a {sixteen} year old with no settled bed
        ("his asthma is really bad and mum smokes in the house", "health"),
        ("the 10 yo is spending hours on adult websites", "online-harm"),
        ("the 17 yo has been sleeping in a different place every night", "homeless-16-17"),
        # a {kin} held, said without a plus
        ("her dad went to prison last year", "parent-in-prison"),
    ],
)
def test_a_fifth_pass_last_round_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


def test_a_teenager_of_15_at_different_friends_is_not_a_homeless_16_or_17_year_old(pack: ContentPack) -> None:
    assert "homeless-16-17" not in concerns(pack, "the 15 yo has been sleeping at different friends' houses all week")


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("the police took him in for assaulting her but she dropped the charges", "domestic-abuse"),
        ("nursery say mum's ex is violent and turns up at pick up", "domestic-abuse"),
        ("he's been getting in trouble, sellling weed and dealing from the flat", "substance-misuse"),
        ("the toddler has rotten teeth and a hacking cough that never goes", "health"),
        ("year 3 boy throwing chairs and running out of class", "behaviour"),
        ("two reception children found acting out sex in the home corner", "child-on-child"),
        ("somebody filmed it and shared it round the whole year", "online-harm"),
        ("the 17 yo says he cant live at home any more", "homeless-16-17"),
        ("dad wont bring her back after contact and there's a court order", "family-relationships"),
        ("he is his mum's only carer since her stroke", "young-carer"),
        ("her brother says she stays out all night and the police had to go looking", "missing"),
        ("she wears long sleeves in summer and I've seen fresh cuts", "self-harm"),
        ("he keeps saying white people will be replaced and he wants a race war", "radicalisation"),
        ("teen slef harming again", "self-harm"),  # two letters swapped
    ],
)
def test_a_sixth_pass_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    "question",
    [
        "she texted that she has a rope and will do it tonight",
        "the 5 month old was floppy and unresponsive when dad brought him in",
        "the little one said daddy put his hands round mummy's neck",
    ],
)
def test_a_sixth_pass_serious_signal_puts_level_4_first(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert found.ranked and found.ranked[0].level == 4


def test_a_parent_at_breaking_point_is_not_the_childs_behaviour(pack: ContentPack) -> None:
    assert "behaviour" not in concerns(pack, "mum says she's at breaking point with the housework")


# Eighth pass (issue #16): families of wording, each said here in words the held-out sets did not use.
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # a parent on the {couch} for a {span}, signed off with {stressword}, on a {psych} {ward}
        ("dad has been in bed all day for weeks", "mental-health"),
        ("mum's been signed off work with depression", "mental-health"),
        ("her mum is back on the psychiatric unit", "mental-health"),
        # a child who will {barely} {speakverb} a word
        ("the 9 year old hardly says a word to anyone", "mental-health"),
        # a baby {sleepword} in a {cotless}, a {nappy} {soiled}, the same {garment} for a {span}, food {hoardverb}ed
        ("the newborn is sleeping in a pushchair", "neglect"),
        ("her nappy was sodden when she arrived", "neglect"),
        ("he has been in the same joggers all week", "neglect"),
        ("she's been stashing bread in her bag", "neglect"),
        ("he's always asking for seconds", "neglect"),
        # a {youngster} {afraid} of a {feared} adult, a child told it is {own} fault
        ("the children are terrified of their stepdad", "emotional-abuse"),
        ("he told her it's her fault she's in care", "emotional-abuse"),
        # {harmdone} to a {former} {exp}, a {herman} who {berate}s at her, a {split} lip
        ("he went to prison for attacking his previous girlfriend", "domestic-abuse"),
        ("her husband yells at her in the street", "domestic-abuse"),
        ("mum had a swollen lip when she dropped off", "domestic-abuse"),
        # a child who needs {exorcise}, a young teenager and {contra} or a {lovebite}
        ("the imam said she has to be cleansed", "faith-abuse"),
        ("15 yo girl asking the school nurse about the pill", "sexual-abuse"),
        ("the 14 yr old has hickeys on her neck", "sexual-abuse"),
        # known for {childharm}, not allowed {round} {childword}
        ("the lodger is known for grooming", "risk-to-children"),
        ("her new partner isn't allowed around children", "risk-to-children"),
        # {filmverb} and {share}d {roundabout}, {fake} {pics}, a {grownup} met on an {appish}
        ("girls in her class photographed her in the shower and shared it around", "online-harm"),
        ("someone made a fake nude of her", "online-harm"),
        ("he chats to men he met on discord", "online-harm"),
        # a {conflict} against a {creed}
        ("he says it's a holy war against the west", "radicalisation"),
        ("he keeps saying muslims must fight back", "radicalisation"),
        # {sell}ing a {vape}
        ("year 9 boy dealing vapes at break", "behaviour"),
        # flats in another {area}, nowhere said
        ("she keeps getting ferried to flats in another county", "missing"),
        # no school place, {schoolwork} going {backwards}
        ("the 8 yr old isn't in any school", "missing-education"),
        ("his homework has gone downhill", "education"),
        # {cancel}led {course} to {caretask}
        ("she skips college to look after her mum", "young-carer"),
        # a {fundraise} for an {illness}, a {symptom} nobody {witnessed}
        ("mum set up a gofundme saying he has leukaemia", "fabricated-illness"),
        ("dad says she has blackouts but nobody has ever witnessed one", "fabricated-illness"),
        # giving {own} {belongings} away
        ("he's been giving his games away", "self-harm"),
        # a {grownup} who will {give} a child {intox}
        ("older men were plying her with vodka", "exploitation"),
        # {peers} taking the {mick}
        ("the other kids take the mickey out of him", "child-on-child"),
        # a {meter} running out, a {bill} way behind
        ("the gas meter keeps running out", "finances"),
        ("the council tax is way behind", "finances"),
        # a {stretch} left to serve, a {smellverb} of a {drug}
        ("his dad has 3 years left to serve", "parent-in-prison"),
        ("dad reeks of cannabis", "substance-misuse"),
        # a {newparent} who will {loathe} a child
        ("her stepmum resents her", "family-relationships"),
    ],
)
def test_an_eighth_pass_family_of_wording_reaches_its_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # "rent" is no word of "parents"; a key out of battery is no meter
        ("his parents are way behind with the paperwork", "finances"),
        ("the key ran out of battery so we couldn't get in", "finances"),
        # seconds of time or of pudding are not hunger; twins dressed alike are not neglected
        ("can you give me two seconds to find the form", "neglect"),
        ("she had seconds of pudding at the party", "neglect"),
        ("the twins wore the same jumper as each other for the photo", "neglect"),
        # a form signed off, off sick with a back, a child new to English
        ("the manager signed off the referral form yesterday", "mental-health"),
        ("mum signed off the consent form", "mental-health"),
        ("dad is off sick with a bad back", "mental-health"),
        ("the new boy barely speaks any english yet", "mental-health"),
        # a school play filmed for grandparents, a bug going round, a fake ID
        ("dad filmed the school play and sent it round to the grandparents", "online-harm"),
        ("a tummy bug has gone round the class", "online-harm"),
        ("she used a fake photo id to get into the club", "online-harm"),
        # a school selling sweets; heartache over an ex; a child throwing things; a teenager's boyfriend
        ("the school has stopped selling sweets at break", "behaviour"),
        ("he's still hurting over his ex", "domestic-abuse"),
        ("the boy threw the ball at the window", "domestic-abuse"),
        ("he threw a chair at a TA yesterday", "domestic-abuse"),
        ("her 17 yo boyfriend goes through her phone", "domestic-abuse"),
        # a child who saw a parent hurt is no child hurting a parent
        ("he watched his dad push his mum down the stairs", "behaviour"),
        # a mother afraid of a partner is domestic abuse, the dark is no adult
        ("mum is scared of him since he came out of prison", "emotional-abuse"),
        ("the toddler is scared of the dark", "emotional-abuse"),
        # children nobody took to a dentist, an ankle nothing is wrong with
        ("the twins turn up with nits and have never seen a dentist", "fabricated-illness"),
        ("the doctor said there is nothing wrong with her ankle after the fall", "fabricated-illness"),
        # abuse in a household with children is not a man known for harm to children
        ("is domestic abuse with the kids in the house level 4?", "risk-to-children"),
        # 11 in the morning is no age and no pill; trying on clothes
        ("the 11 yo has asthma clinic at 9 in the morning", "sexual-abuse"),
        ("he tried it on in the shop before buying it", "sexual-abuse"),
        # a placement or a stolen table in another place
        ("he was placed with foster carers in another county", "missing"),
        ("the pool table was taken from the youth centre", "missing"),
        # a three year old not yet at school; reading to a brother
        ("she's not in school yet as she's only 3", "missing-education"),
        ("she has been reading to her little brother", "education"),
        # a burn from cooking, a parent's work messages, a parent teasing, a bag left in a car
        ("he has a burn from the oven and did the cooking himself", "self-harm"),
        ("mum's phone keeps going with messages from work", "exploitation"),
        ("dad takes the mick out of the kids", "child-on-child"),
        ("she left her bag inside the car", "parent-in-prison"),
    ],
)
def test_an_eighth_pass_near_miss_does_not_reach_the_topic(pack: ContentPack, question: str, topic: str) -> None:
    assert topic not in concerns(pack, question)


@pytest.mark.parametrize(
    ("question", "topic", "level"),
    [
        # an adult showing a child films of people undressed: a disclosure, level 4 first
        ("my mum's boyfriend showed me videos of people with no clothes on", "sexual-abuse", 4),
        ("the 5 yo says uncle shows him pictures of naked ladies", "sexual-abuse", 4),
        # a child kept somewhere by the people exploiting them
        ("14 yo rang from a flat in margate, says he's being kept there and can't leave", "exploitation", 4),
        ("she's being held at a flat in another town by older lads", "exploitation", 4),
    ],
)
def test_a_serious_signal_from_the_sixteenth_evening_puts_level_4_first(
    pack: ContentPack, question: str, topic: str, level: int
) -> None:
    found = threshold.assess(pack, question)
    assert topic in found.concerns
    assert found.ranked[0].level == level and topic in found.ranked[0].topics


def test_staff_messaging_a_child_late_at_night_is_a_risk_to_children(pack: ContentPack) -> None:
    assert "risk-to-children" in concerns(
        pack, "one of the staff at the youth club has been texting a 13 yo late at night"
    )


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("staff messaging each other on whatsapp about the rota", "risk-to-children"),
        ("the flat above the shop was kept in a state", "exploitation"),
        ("the family can't leave the flat until the landlord fixes the lock", "exploitation"),
        ("the film showed people with no clothes from the stone age", "sexual-abuse"),
    ],
)
def test_a_near_miss_from_the_sixteenth_evening_does_not_reach_the_topic(
    pack: ContentPack, question: str, topic: str
) -> None:
    assert topic not in concerns(pack, question)
