"""The guard's descriptions only one child or family fits (handlers/safety/descriptions.py): what
happened where and when, a one-person workplace, unique marks; and the everyday writing about
worries that shares their words but picks out no one."""

from __future__ import annotations

import pytest

from handlers.safety import find_identifiers, redact
from handlers.safety.findings import DESCRIPTION

# (line, the part that must be found and taken out)
PICKS_SOMEONE_OUT = [
    ("the 11 year old found asleep in the bus shelter at Strood Pier on 3 February", "Strood Pier on 3 February"),
    ("a lad, 13, was knocked down outside Luton Arches on Friday 9 January and mum wasn't told", "Luton Arches"),
    ("the baby who was left alone in a car at Dockside Outlet on the 21st of March", "Dockside Outlet"),
    ("toddler wandering on the A289 near Wainscott on Christmas Eve, what now", "A289 near Wainscott on Christmas Eve"),
    ("a 16 yo girl was attacked by the lock gates at Chatham Maritime on 5 Aug 2025", "Chatham Maritime on 5 Aug"),
    ("dad is the only caretaker at Oakhurst Junior and drinks on the job", "the only caretaker at Oakhurst Junior"),
    ("mum runs the only launderette in Upper Halling and the kids sleep in the back", "the only launderette"),
    ("our 14 year old pupil works evenings at Golden Dragon Takeaway for cash", "Golden Dragon Takeaway"),
    ("the boy, 15, has a Saturday job at Nat's Motors and gets lifts home from the boss", "Nat's Motors"),
    ("the girl with a scorpion tattoo on her neck, only 15, keeps turning up at our hostel", "scorpion tattoo"),
    ("a birthmark across her right cheek, I'd know her anywhere, she is 12", "birthmark across her right cheek"),
    ("boy with the scar above his right eye keeps getting into cars after school", "scar above his right eye"),
    ("the video shows a girl in her Gillingham Girls FC kit being pushed around", "her Gillingham Girls FC kit"),
    ("saw a picture of the lad with blue hair and a split lip outside the shop", "blue hair"),
    ("a 10 yo was found sleeping under Rochester Bridge at 4am last sunday", "Rochester Bridge"),
    ("the girl who got hurt in the fight outside Strood Library on Friday night", "Strood Library"),
    ("she is the only Somali girl in her year group and says they pull her hijab", "the only Somali girl"),
    ("I'm the only school nurse covering Hoo Academy, so families will know it's me", "the only school nurse"),
    # in lower case, at a town's or a named kind of place, on a day written short or by the hour
    ("the 6yo who ran off from strood retail park sun afternoon, police found her, level?", "strood retail park"),
    ("a 13 yo girl taken to hospital from gillingham park at 11pm friday after drinking", "gillingham park"),
    ("the lad who turned up at chatham police station on boxing day with cuts on his arms", "chatham police station"),
    # the one child of a kind in a group people know
    ("our only pupil in year 3 who uses a walking frame, dad shouts at her in the playground", "our only pupil"),
    ("the only set of twins at our preschool, both always hungry, what level", "the only set of twins"),
    # a parent's job in one place
    ("mum is the lollipop lady at our school and the kids say dad hits her", "mum is the lollipop lady at"),
    ("her dad runs the chip shop on the high street and she's never fed, level?", "her dad runs the chip shop"),
    ("step-dad is a cleaner at our school and the 7yo is scared to go home", "step-dad is a cleaner at our school"),
    # a photo sent with the question
    ("I've attached a picture of the mark on his cheek, is this a bruise", "attached a picture"),
    ("screenshot below of the messages he sent her, she's 14", "screenshot below"),
    ("only boy in year 2 at Kingfisher who uses a wheelchair, dad shouts at him", "only boy in"),
    ("the lad with the scar down the right side of his face, always outside the shop", "scar down the right side"),
    ("mums the dinner lady at our school and he says she locks him out", "mums the dinner lady at our"),
    ("her stepdad is the only paramedic covering Hoo, she is scared of him", "the only paramedic covering Hoo"),
    ("a 9 year old had a seizure at Luton Rec on 12 June and nobody came for her", "Luton Rec on 12 June"),
    ("I took a photo of the marks on her neck, is this level 4", "took a photo"),
    ("sending a screenshot of the childs messages, what level", "sending a screenshot"),
    ("our only wheelchair user in year 4 is left in the hall at lunch", "our only wheelchair user in"),
    ("dad is our nursery's only cook and drinks on shift", "dad is our nursery's only cook"),
    ("uploaded the CIN plan pdf for the family so you can see, what level", "uploaded the CIN plan pdf"),
    ("sent you a screenshot of her messages to him, what level", "sent you a screenshot"),
    ("dads the owner of the only barbers in Halling and hits the boys", "the only barbers in Halling"),
    ("the girl from the flat fire on the rainham road last sat, now at her aunts", "rainham road last sat"),
    ("the toddler who was hurt in the crash on the a228 in march is back at nursery", "a228 crash in march"),
    ("son of the imam at the mosque on canal st says he is beaten", "son of the imam at the"),
    ("kid of the man who runs the garage behind the station is always hungry", "kid of the man who runs"),
    ("it's my colleague's granddaughter, she is 5 and has bruises", "my colleague's granddaughter"),
    ("14yo who plays for the strood town u15s gets lifts from older men", "plays for the strood town u15s"),
    ("the lad with the prosthetic leg who waits outside the shop at night", "prosthetic leg"),
    # a child people know through a grown-up at work, a team, a bed, the news, a brother or sister
    ("our caretaker's own grandson in yr 2 comes in hungry, what level", "our caretaker's own grandson"),
    ("my line manager's stepdaughter told me her mums partner hits her", "my line manager's stepdaughter"),
    ("the u12 keeper at hoo athletic says the coach makes them strip, lado?", "u12 keeper at hoo athletic"),
    ("captain of the cuxton colts u13s keeps getting lifts from a man", "captain of the cuxton colts u13s"),
    ("toddler in cot 4 on the baby unit at medway maritime, nobody visits", "cot 4 on the baby unit"),
    ("the boy who won the kent junior chess trophy has gone very quiet", "won the kent junior chess trophy"),
    ("the lad who was in the kent messenger after the fire is now homeless", "in the kent messenger"),
    ("the girl who was on the news after the flood last year, mum drinks", "on the news"),
    ("younger sister of my yr 9 girl who went missing, same worries at home", "sister of my yr 9 girl"),
    ("twin brother of the lad from the stabbing at the station, level?", "brother of the lad from the"),
    ("the only quins in the county, mum not coping, what level", "the only quins in"),
    ("a 4yo with a burn on his hand, pupil at Larkfield Meadow Infants, nursery class", "Larkfield Meadow Infants"),
    ("dad is the verger at the cathedral and the kids are scared of him", "dad is the verger at the"),
    # an event at a lower-case street; looks and a place together
    ("kids from the car crash by mallard crescent last fri are at their grans", "mallard crescent last fri"),
    ("the lad from the rochester station accident in june, mum not coping", "rochester station accident in june"),
    ("girl with bright green hair who sleeps in the doorway by strood station", "bright green hair"),
    # a birth on a day at a place; a family's business; so few families; a job outside a school
    ("baby born at medway maritime on new years day, mum is 14, what level", "medway maritime on new years day"),
    ("the family that owns the car wash in Rainham, the lad works there all weekend", "the car wash in Rainham"),
    ("the quintuplets family in Strood are not coping, what level", "the quintuplets family"),
    ("our triplets in nursery all came in with nits again", "our triplets"),
    ("dad is the lollipop man near Balfour juniors, he hits the boy", "dad is the lollipop man near"),
    ("the 2 kids are in yr 3 and yr 6 at st peters, mum drinks, what route", "at st peters"),
    ("lad with pink dreads hanging round the back of tesco strood after dark", "pink dreads"),
    # an occasion on a weekday, a named outing, a hearing; a local paper; a family of many; a team by age
    ("at the christening at St Aidan's Hall on sunday the 4yo was left with a drunk uncle", "St Aidan's Hall"),
    ("yr 7 girl who went missing on the hoo marshes nature trip weds, level?", "hoo marshes nature trip"),
    ("I spoke at the hearing for the baby at Maidstone Crown Court in October", "Maidstone Crown Court"),
    ("the toddler found in the car park at Dockside that made Kent Online, what level", "Kent Online"),
    ("the family of 12 children in cliffe, dad now in prison, level?", "family of 12 children"),
    ("captain of the Wigmore under 14s rugby side says the coach texts her", "captain of the Wigmore under 14s"),
    # where a child can be found again, at a named place of one kind; a family the town knows; seen by all
    ("lad who waits outside Gillingham station every friday night for older men", "Gillingham station"),
    ("teen who is always in the Hempstead Valley food court in school time, cse?", "Hempstead Valley"),
    ("kid who catches the 6.45 bus from Cliffe every morning alone, is that neglect", "Cliffe"),
    ("the Strood family who own the scrap yard, the boy has burns again", "family who own the scrap"),
    ("the hearing family on the narrowboats at hoo marina, their 3yo has no words", "family on the narrowboats"),
    ("pupil whose dad was arrested in front of the whole school on monday morning", "the whole school"),
    ("the girl who had her baby in the school toilets, what support level", "had her baby in the school"),
    ("my colleague traceys nephew in yr 5, she says his dad hits him", "my colleague traceys nephew"),
    ("the lad from Twydall who was on the voice kids, parents push him too hard", "was on the voice kids"),
    # a weekly group and its place; stuck on a roof in the holidays; one of a kind; a parent in the news
    ("a boy in our tuesday 6pm judo class at Lordswood Leisure comes in bruised", "Lordswood Leisure"),
    ("one of the girls at the friday brownies in Halling says she gets hit with a belt", "Halling"),
    ("the girl who got trapped in the lift at Rochester Station over half term", "Rochester Station"),
    ("yr 4 boy, the only one in the class with a hearing dog, mum struggling", "the only one in the class with"),
    ("you know the family, mum was in the paper for the benefit fraud, the 6yo is hungry", "mum was in the paper"),
    ("the son of one of our own school nurses told me his dad hits his mum", "son of one of our own school nurses"),
    ("I raised a concern about my colleague Tina's own grandchildren", "my colleague Tina's own grandchildren"),
    # a parent's post in a named place; an aid few have; one crime; a pupil of a High; a business in a town
    ("mum is a sergeant at Rochester police station and the boy says she hits him", "mum is a sergeant at"),
    ("dad teaches at the same school his kids go to and the eldest is scared of him", "dad teaches at the same school"),
    ("boy in yr 3 with the cochlear implants, mum not coming to meetings", "cochlear implants"),
    ("the 6yo whose dad did the stabbing at the chippy is back in school", "the stabbing at the chippy"),
    ("two of our year 10s at St Jude's Catholic High, the twins, are missing school", "St Jude's Catholic High"),
    ("a 15yo who works in the kebab shop at Strood till midnight, cash in hand", "kebab shop at Strood"),
    ("the imam's son told me he is beaten at the madrassa", "the imam's son"),
    ("girl in the red-headed family with the eye patches, always at Strood Library after dark", "Strood Library"),
    # a sibling with a public post; a vehicle where it stands; a charity named after a child; viral news
    ("the girl whose older brother is the youth mp for Medway has bruises again", "older brother is the youth mp for"),
    (
        "the family with the pink horsebox that parks on the verge by Cliffe church, kids never in school",
        "pink horsebox",
    ),
    ("the boy who has a charity named after him is missing school for appointments", "charity named after him"),
    ("that lad from Wigmore whose fight was all over tiktok is in our year 9", "was all over tiktok"),
    (
        "the girl who was named Young Volunteer of the Year is now caring for her dad",
        "named Young Volunteer of the Year",
    ),
    ("dads the PCSO who covers Hoo and he shouts at the kids at pick up", "dads the PCSO who covers Hoo"),
    ("mum's a sergeant at Chatham and the boy says she locks him out", "mum's a sergeant at Chatham"),
    # a rescue, a lost limb, regional TV, a viral clip; a family of nine on an estate; looks and a routine
    ("the 10yo the air ambulance was called out for at the quarry, mum was asleep", "air ambulance was called"),
    ("boy who lost his arm in the farm accident, now refusing school", "lost his arm"),
    ("the 8yo with the rare heart condition who was on south east today, mum struggling", "was on south east today"),
    ("the girl in the video going round of the fight on the bus, what level", "video going round"),
    ("family of 9 kids on the Twydall estate, all sharing two rooms", "family of 9 kids"),
    ("the ginger twins who sell lavender at Rochester market every weekend, mum drinks", "ginger twins"),
    (
        "dad runs the barbers opposite Gillingham station and the boy sweeps up till late",
        "dad runs the barbers opposite",
    ),
    ("her mum is a Medway councillor and she is scared to say what happens at home", "mum is a Medway councillor"),
    ("family keeping a goat tethered on the verge outside their house, kids unkempt", "goat tethered on"),
    # a named group online; a show; one of a year group; a crash on a day; a family of nine in a village
    ("dad in the 'Strood Dads Chat' whatsapp group shared a photo of the baby", "'Strood Dads Chat' whatsapp group"),
    ("the 9yo who sang on the voice kids last year is self harming", "on the voice kids"),
    ("our only yr 10 to be arrested this year, level?", "our only yr 10 to"),
    (
        "the boy whose mum crashed into the bus shelter in Rainham on Boxing Day is not sleeping",
        "Rainham on Boxing Day",
    ),
    ("family of 9 in cliffe, the eldest is 16 and does everything", "family of 9"),
    # a programme's report; a post-holder who is a parent; great height; a costume; a tiny class; a club by sport
    ("the family off the bbc report about the damp in the tower block, baby now in hospital", "off the bbc report"),
    ("the school cook is mum to three of our pupils and shouts at them in the hall", "cook is mum to"),
    ("lad who is 6ft 4 at 13 hangs round the chatham bus station at night", "6ft 4"),
    ("girl who wears the pink tutu to school every day, yr 1, never washed", "wears the pink tutu"),
    ("only 3 children in year 6 at our village school and one says dad hits her", "only 3 children in year 6"),
    ("15yo plays for the Strood basketball club and the coach drives him home alone", "Strood basketball club"),
    ("the family of eleven on the Twydall estate, eldest doing everything", "family of eleven"),
    ("it's my own colleague's little girl, she told me mum's friend hits her", "my own colleague's little girl"),
    # the fifty-second to fifty-seventh blind sets' kinds, in this team's words
    ("nan is bringing up her son's triplets on her own and can't cope, what help", "son's triplets"),
    ("the two sets of twins in our nursery, mum seems low", "two sets of twins"),
    ("a dad bringing up 10 children on his own, the eldest misses school", "10 children"),
    ("grandad raising six grandkids alone in a flat, he looks exhausted", "six grandkids alone"),
    ("the girl whose big sister is the olympic rower came in with marks on her arm", "olympic"),
    ("13yo whose brother is the youth mayor keeps going missing", "youth mayor"),
    ("the priest's eldest son at our parish is being bullied and says dad hits him", "priest's eldest son"),
    ("mum is the headteacher of the only primary in the village and her son is with us", "headteacher of the only"),
    ("dad is a PC on the Gillingham neighbourhood team, mum says he hurts her", "neighbourhood team"),
    ("they run the chippy next to the Londis in Cliffe and the boy serves till late", "chippy next to the Londis"),
    ("his sister won silver at the national swimming last month and he feels invisible", "won silver"),
    ("12yo who is the kent junior chess champion, dad shouts at her when she loses", "junior chess champion"),
    ("the 14 yr old on the police missing appeal on facebook is back, what now", "missing appeal"),
    ("the family who appeared on that channel 5 benefits documentary, 3 kids, no food", "channel 5 benefits"),
    ("the 10yo who's been in the paper for raising money, now turning up hungry", "been in the paper"),
    ("mum set up a gofundme for his operation, kids say there's no food", "gofundme"),
    ("the boy who went missing at the fireworks in november and was found in the morning", "at the fireworks"),
    ("the 15yo charged over the Pentagon Centre stabbing is going home to mum", "Pentagon Centre stabbing"),
    ("the family whose garden fell into a sinkhole, 2 kids in temp accommodation now", "sinkhole"),
    ("the girl who had a liver transplant last year keeps missing clinic", "liver transplant"),
    ("dad runs a tiktok account called 'Chatham Dad Life' and films the kids crying", "Chatham Dad Life"),
    ("year 8 girl with 25k followers on her dance account getting messages from men", "25k followers"),
    ("the two kids sleeping in a horsebox all winter, mum says it is fine", "horsebox"),
    ("the kids in the old windmill at the top of the hill, no heating", "old windmill"),
    ("dad drives the orange limo everyone sees round Rochester and takes the 14yo out at night", "orange limo"),
    ("boy in the wednesday night karate at Aaron Kingsley Hall has bruises", "Aaron Kingsley Hall"),
    ("I coach the Lordswood Lions under 11s and one girl says she's not fed", "Lordswood Lions under 11s"),
    ("her brother plays for Maidstone United and she's 14 and going off with older lads", "Maidstone United"),
]


@pytest.mark.parametrize(("line", "part"), PICKS_SOMEONE_OUT)
def test_a_description_only_one_child_fits_is_found_and_taken_out(line: str, part: str) -> None:
    found = find_identifiers(line)
    assert any(f.kind == DESCRIPTION for f in found), found
    assert part not in redact(line, found)


# Writing about worries, services and training that shares the words of the descriptions above.
STAYS_CLEAN = [
    "contacted by First Response on 3 March about the 14 year old who was found with drugs",
    "the 14 year old was found to have missed three appointments at Medway Maritime on 2 October",
    "our training on 14 November at Gun Wharf covered children found missing",
    "In Medway on 3 March a 15 year old was arrested, is that exploitation",
    "the girl was hurt at school on 5 May and mum blamed the teacher",
    "a boy fell in the playground on Monday, parents angry, what level",
    "Child Exploitation awareness day is on 18 March, can we post it to staff",
    "she has a tattoo on her wrist that she says an older man paid for",
    "self-harm scars on both arms and a new tattoo, what level",
    "he showed me a photo of his scars, he is 15",
    "i'm the only DSL at our school so who do i talk to",
    "the only option in Medway for a 17 year old is supported lodgings",
    "a 16 year old works at a car wash cash in hand, exploitation?",
    "video of the girls fighting went round the school, what level",
    "she has a cleft palate and missed her feeding clinic twice",
    "dyed her hair pink and now wont speak at home, 13yo, level?",
    "on Bonfire Night a 12 year old was burned by a firework, parents were drunk, level?",
    "the course on 2 October at the Pentagon Centre was the best I have been on",
    "she was hurt at school last tuesday, mum says she fell",
    "our training on Tuesday morning at Gun Wharf was about children found missing",
    "a black boy in year 9 is being called names, what level",
    "training at chatham station on 14 November for all staff",
    "a teenager taken to hospital at 2am sunday after an overdose, what level",
    "she's an only child at home now her brother has left",
    "the only child in the house is 3 and mum drinks, what level",
    "the only option in Medway is the front door",
    "I was the only man on the course",
    "mum is the main carer and dad works away",
    "dad is a teacher at a secondary in maidstone",
    "the videos attached to the course page were really useful",
    "i have attached a photo of the certificate for my CPD log",
    "could you attach the slides and pictures from the session",
    "only girls in year 9 went on the trip",
    "not only boys in our school but girls too",
    "dads the best at turning up to meetings",
    "she was hurt at school last tuesday and mum says she fell",
    "our training in march at gun wharf was about children found missing",
    "he plays football for fun at the weekend",
    # near the new descriptions, and nobody's
    "kids in the news a lot lately over knife crime, what does first response want",
    "the trainer used the boy in the news story as an example of missed chances",
    "a child who won an award at school is now withdrawn, what level",
    "I am the DSL at Hilltop Primary, for a year 6 child who discloses what do i do",
    "children in year 6 at Walderslade Primary are doing online safety",
    "brother of the child who disclosed should also be seen, right?",
    "15yo plays in the u16 league and the coach shouts at him, is that emotional abuse",
    "the girl with pink hair at our school gets bullied for it",
    "a 6 yo in a road accident last week, parents drunk at the time, which level",
    "she has been on the ward for a week and mum visits daily",
    "babies born at medway maritime are seen by the health visitor within 2 weeks",
    "the family who run a shop often work long hours, is that neglect",
    "twins and triplets are more likely to be born early",
    "kids in yr 5 at st johns primary are doing the nspcc speak out assembly",
    "mum is the cleaner outside school hours",
    "our school trip on friday to the zoo was cancelled, the kids were gutted",
    "the boy was upset at the party on saturday, mum says hes fine now",
    "the year 6 residential in june is a good time to spot neglect",
    "mum of 8 kids says shes not coping, what level",
    "the care proceedings for children take 26 weeks",
    "kids hang around chatham station every night, is that exploitation",
    "the 14yo goes to the youth club every friday, mum never knows where she is after",
    "A 15 year old staying every night at a friend's house in Rainham, is that a concern?",
    "gymnastics coach at the leisure centre, 11 yo in our squad gets weighed before every session",
    "the family who run the local shop are always kind to the kids",
    "a yr 10 girl gave birth last year, she is back now, what support",
    "Child is a Young Carer, goes to Carers First on Wednesdays and missing lessons, early help?",
    "youth worker in Gillingham: a lad in our Tuesday group says he's being paid to carry bags, what threshold",
    "I was the only one in the team who had done the course",
    "a baby with a feeding tube at home, parents struggling, what level",
    "mum insists her 8yo needs a feeding tube, every test normal",
    "dad is an officer in the army, kids move a lot",
    "mum's a nurse at the hospital and works nights",
    "the red car that parks outside school has a man watching the kids",
    "dad posts far right stuff all over fb and took his 12 yr old to a march",
    "the coastguard came to talk to year 6 about the mud",
    "Boy of 7 comes in every Monday in the same Spurs shirt and smells of urine",
    "white van parked by the park every afternoon and kids going up to it, police thing or first response?",
    "the 9 yo is late every day, never has his PE kit, and the other kids tease him",
    "a girl lost her phone and got upset",
    "the family live in a van, what level for housing",
    "more on the voice of the child please",
    "family got evicted last week now all in one room at a b&b in chatham, 3 kids",
    "family of 9 in the house, all sharing rooms",
    "kid wears the same Spider-Man costume every day and it smells, is this neglect",
    # ...and the fifty-second to fifty-seventh sets' clean kinds, in this team's words
    "twins and triplets are more likely to be born early, does that change the safer sleep advice",
    "both parents are deaf and the 9 yo interprets for them at appointments",
    "year 7 girl has a tiktok with 3k followers and adults message her",
    "he got a gold star for reading and mum was cross, odd reaction?",
    "who is the safeguarding champion for our team now that Jo has left",
    "the training is at the old fire station in Chatham, is there parking",
    "a family with 6 children in a 2 bed flat, is that overcrowding",
    "mum is the main carer and dad is the problem",
]


@pytest.mark.parametrize("line", STAYS_CLEAN)
def test_writing_about_worries_with_the_same_words_picks_no_one_out(line: str) -> None:
    assert not [f for f in find_identifiers(line) if f.kind == DESCRIPTION]


@pytest.mark.parametrize(
    "text",
    [
        "the boy found on 3 March at " + "Aa bb " * 4000,  # a place that never ends
        "the only " + "a " * 8000 + "cleaner at",  # a role that never comes
        "a-" * 8000 + " tattoos",  # a tattoo's word that never ends
        "boy works " + "a " * 8000 + "at Xx Yy",
        "photo her " + "Abc " * 8000 + "kit",
        "boy found at Aa " * 3000 + " 3am last tuesday",
        "the only " + "Abc " * 8000 + " girl in our class",
        "our only " + "ab " * 8000 + "pupilx",
        "mum is the " + "ab " * 8000 + "cleaner",
        "dad runs the " + "ab " * 8000 + "shop",
        "he attached " + "his " * 8000 + "file",
        "a boy found at " + "ab " * 8000 + "station on christmas day",
        "boy found on christmas day at " + "chatham " * 4000,
        "Tayla " * 5000,  # every word a name to judge: sayings are looked for round each, not in all the text
        "his nan is " + "ab " * 6000,
        "the only " + "ab " * 6000 + "boy in",
        "at no " * 4000,
        # the second session's patterns
        "girl at Aa Bb " * 3000 + " every day station",
        "7.30 " * 8000 + "girl",
        "friday club " * 4000 + " in Halling girls",
        "in the summer holidays " * 2000 + "boy stuck at Aa",
        "the only one in the school with " * 1500 + " boy",
        "the girl at the wedding on sat " + "ab " * 8000 + "trip",
        "boy " + "that was in the " * 3000,
        "the " + "abcd " * 8000 + "kids",
        "family who run the " * 3000,
        "lives near " + "ab " * 8000 + "church",
        "AB-K (the " + "ab " * 8000 + "girl",
        "a-b " * 8000,
        "k y " * 8000,
        "'ab_c' " * 5000,
        "pink van " * 5000 + "parks",
        "mum's a " * 5000 + "nurse at Aa",
        "won " + "Ab " * 8000 + "of the year",
        "course with Ab " * 4000,
        "as Ab Cd " * 4000 + " suggested",
        "storm ab " * 5000 + "took",
        # this session's patterns
        "went missing " + "ab " * 8000 + "at the fireworks",
        "the " + "Ab " * 8000 + "stabbing",
        "channel called '" + "a" * 8000,
        "raising 7 kids " * 3000,
        "mum is the " + "ab " * 8000 + "olympic",
        "saturday morning boxing " * 3000 + " at Aa boy",
        "they run the " + "ab " * 8000 + "chippy next to",
        # a professional named beside their role (handlers/safety/names.py _PROFESSIONAL), at the
        # command text limit (bot/dispatch.py): other patterns take seconds on ten times as much
        "a-" * 2000 + " nurse Mrs Ab",
        "Aa-" * 1300 + ", our nurse,",
        "Mr Aa, our " + "a-" * 2000,
        "Mrs Ab from the " + "ab " * 1300 + "team",
        # letters in both the capital and the small class of a name (an outside audit, seventeenth
        # session: 3,990 of them took 1.4 s, growing with the square of the length)
        "\u0130" * 40000,
        "\u0131" * 40000 + " aged 6",
        # an outside stall audit (twentieth session): "x" is Twitter's name, and each "x" looked to
        # the end of the run for a figure; every "-" began a tattoo's or a name's word read to the end
        "x-" * 20000,
        "snap " + "x-" * 20000,
        "a-" * 20000 + " tattoo",
        "- " + "ab-" * 13000 + " cd, 12,",
    ],
)
def test_a_line_written_to_make_the_descriptions_backtrack_is_read_once(text: str) -> None:
    # Each pattern reads such a line in tens of milliseconds (BENCHMARKS.md); a pattern that
    # retried would stall here.
    found = find_identifiers(text)
    assert all(0 <= f.start < f.end <= len(text) for f in found)


@pytest.mark.parametrize(
    "line",
    [
        "she has a new-moon tattoo on her left wrist",
        "big-cat tattoo on his neck",
        "little-star tattoo behind her ear",
        "his-and-hers tattoo on her wrist",
    ],
)
def test_a_hyphenated_tattoo_starting_with_a_common_word_is_still_caught(line: str) -> None:
    # the review of this session's change: bounding the tattoo pattern's start missed these
    assert find_identifiers(line)
