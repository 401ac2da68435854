"""The guard on lines from agencies other than schools, typed in lower case: a given name that is an
everyday word, a condition a handful of children have, one family's day in court, a parent's post in
one place, a family few others are like, a numbered scout group, initials beside a baby; and the
professionals such lines name beside their post, who are nobody to protect."""

from __future__ import annotations

import pytest

from handlers.safety import find_identifiers, may_identify

PICKS_SOMEONE_OUT = [
    # a given name that is an everyday word too, opening the line before what a child does
    "grace told my colleague at the drop-in that she sleeps on the sofa",
    "storm 15 went missing from her placement overnight, what next",
    "river, 13, has been staying with older lads at weekends",
    # a given name the lists lacked
    "spoke to mackenzie about the bruise on his arm",
    # a condition a handful of children have, said of one child
    "little boy with progeria, dad not giving his meds",
    "our patient with xeroderma pigmentosum is being kept indoors all day and not schooled",
    "7yo with treacher collins, mum not attending the craniofacial clinic",
    "a family whose daughter has batten disease, parents exhausted and dad drinking",
    # one family's hearing, with its day, or a witness in one child's case
    "mum's contested hearing is on the 3rd, she wants to take the baby abroad",
    "dad is in the crown court next monday and the kids are staying with his mum",
    "the child arrangements hearing for her two boys is this friday",
    "i gave evidence in the care proceedings for the toddler i support",
    # a parent's post in one place
    "dad is vicar at the village church and the older girl is scared of him",
    "mum is a famous local influencer and the baby is filmed all day",
    "whose dad is a paramedic on our own station, the boy came in hungry",
    # a family few others are like
    "the triplets were born in march and dad has moved out",
    "a set of quins at one nursery, mum can't manage the school run",
    "both his blind parents rely on him to read their post",
    "nan is bringing up her 6 grandkids on her own after the fire",
    # a numbered scout or guide group, with a child in it
    "one of the cubs at 2nd chatham scouts says his stepdad hits him",
    "a girl at 5th rainham brownies told her leader she is hungry at weekends",
    # initials beside their family, or with an age
    "worried about JT and her newborn, the flat has no heating",
    "RB's stepdad picked him up drunk again",
    "the youth club session helped me with K.L., 14, who had been carrying for older boys",
    # two children, each with an age; a child named after "called" by an everyday word with its capital
    "Kezia 12 and Bodie 9 have been left with a neighbour since friday",
    "rocky and blessing are 5 and 7 and nobody collected them",
    "there's a 9yo called Harmony who hides food in her coat",
    # whom a practitioner works for, an everyday given name before a surname, a given name before an Irish one
    "the allocated worker for destiny has not visited in a month",
    "we raised a contact about Sunny Begum on monday",
    "aoife mcgrath yr 8 has been missing lunch",
    # a family's court case by its name, a parent the town sees, a grandparent raising many
    "I'm a witness in the Okafor care proceedings on 9 June",
    "mum is the Medway Dragons captain and the kids are left with anyone",
    "dad presents the breakfast show on kmfm and shouts at the kids on the school run",
    "grandma is bringing up her 7 grandchildren in a two bed flat",
    "the two mums who adopted the Syrian twins, one of them has left",
    "the only Pashto speakers in Strood, the girl translates for everyone",
    # one floor of a named block
    "baby left alone on the 4th floor of Beacon Tower most evenings",
    # the same kinds, put other ways
    "jet phoned me from the station at 1am asking for a lift",
    "honey was sobbing in the corridor before her appointment",
    "rocky has a new girlfriend who is 22",
    "sky 14 hasn't been home since friday, police informed",
    "the hearing for dad's child arrangements order is on tuesday",
    "mum's bail hearing is wednesday and the children are with a neighbour",
    "his mum is the pcso for our estate and he is scared to tell anyone",
    "a rainbow from 3rd gillingham rainbows keeps coming in unwashed",
    "worried about PK and her baby sister, both left alone",
    "dad is a porter on the maternity unit here and the baby has a bruise",
    "the hearing about the three girls' contact is on wednesday",
    # a child's name after a post, when the post is the one told
    "i told the teacher mia was crying again",
    "our hv claire hit the baby in clinic",
]


@pytest.mark.parametrize("line", PICKS_SOMEONE_OUT)
def test_a_detail_that_picks_out_one_child_or_family_is_found(line: str) -> None:
    assert find_identifiers(line), line


STAYS_CLEAN = [
    # a professional named beside their post or title, in lower case
    "pastor okafor wants to know when the next safer recruitment course runs",
    "cllr begum asked for the partnership's annual report",
    "PC nwosu from the schools team said to ring first response",
    "our deputy dsl mrs kowalczyk is on leave, who covers",
    "mrs hussain the designated lead at the mosque asked about training",
    "the welfare officer at the boxing club, mr lewandowski, has booked the course",
    # hearings and courts in general, or with a day that is the course's
    "what should my statement say for a final hearing",
    "is there court skills training this month",
    "the family court ordered supervised contact, can school still share reports",
    "training this week on care proceedings for the children we work with",
    # conditions in general
    "would like more on children with rare conditions like progeria",
    "how do we support pupils with rett syndrome on residential trips",
    # posts and groups with no one in particular in them
    "dad is manager at a big firm in london and works away a lot",
    "mum is well known to police, what level",
    "i'm a leader at 3rd strood scouts, can i do the safer recruitment course",
    "my quads are sore after the training day",
    "both parents are deaf and the 9 year old signs for them at the gp",
    # acronyms beside family words
    "our SENCO and her team want the neglect course",
    # a course's venue on its street or floor
    "parking near the venue on chatham hill was awful",
    "the venue by the station on high street had no lift",
    "the course was on the 2nd floor of Gun Wharf House and the lift was broken",
    # staff of a partner agency, a colleague, a titled post-holder set off by commas
    "Can Dev from the MASH come to our team meeting",
    "my colleague Priya wants to book the neglect course",
    "our SENCO, Mr Adeyemi, is booking the whole team on it",
    "Tariq and Bev, the two facilitators from the family hub, kept it practical",
    "the welfare officer at the rugby club, steve, wants the safer recruitment course",
    "our hv claire said to ring first response",
    "health visitor amina said the home was fine",
    "the midwife, chloe, raised it at handover",
    "my supervisor gemma wants me on the course",
    # a British spelling wordfreq knows only the American way is no name
    "she minimised the bruising when we spoke to her",
    # a hearing of another kind
    "the newborn hearing screen for the twins is next week",
    "the hearing test for the baby is on monday",
    # everyday words that are names too, doing what things do
    "the storm ran off the roof into the car park",
    "over summer was crying out for more staff",
    # numbered parts, and words after a practitioner's "for" that are no one
    "Annex 2 and Annex 3 are missing from the pack",
    "the key worker for grace house is off sick",
]


@pytest.mark.parametrize("line", STAYS_CLEAN)
def test_lines_with_the_same_words_that_pick_out_no_one_stay_clean(line: str) -> None:
    assert find_identifiers(line) == [], line


@pytest.mark.parametrize(
    "line",
    [
        "the DSL at our mosque, mr rahman, wants the whole team on the refresher",
        "our named nurse dr adeyemi has asked for the slides",
    ],
)
def test_a_professional_named_beside_their_post_is_not_read_again_by_the_second_reader(line: str) -> None:
    assert find_identifiers(line) == [] and not may_identify(line), line


def test_a_professional_whose_conduct_is_the_worry_is_still_found() -> None:
    assert find_identifiers("imam yusuf keeps messaging the older girls after class")


def test_a_child_with_a_title_and_an_age_is_still_found() -> None:
    assert find_identifiers("cllr begum, 15, is on the youth council and says she is scared at home")


@pytest.mark.parametrize(
    "line",
    [
        # a review of the session: children are "from YOT", "at CAMHS", "with CAMHS" (open to the
        # service); these names were kept in a stored survey comment
        "Jayden from YOT has been arrested again and mum won't engage",
        "Kayden at CAMHS has self harmed again since the course",
        "Chloe with CAMHS has stopped eating, the course helped",
        "Mia Khan at the MASH is a 15 year old we referred last week",
    ],
)
def test_a_child_named_beside_a_service_they_are_open_to_is_found(line: str) -> None:
    found = find_identifiers(line, about_training=True)
    assert found and line[found[0].start : found[0].end] in line.split(" at ")[0].split(" from ")[0].split(" with ")[0]


@pytest.mark.parametrize("line", ["Kim from Early Help came to the session", "Lisa at the MASH was really helpful"])
def test_the_staff_of_a_service_by_their_service_stay_clean(line: str) -> None:
    assert find_identifiers(line, about_training=True) == []
