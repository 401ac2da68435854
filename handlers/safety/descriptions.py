"""Descriptions only one child or family fits, with no name, number or street in them:

- what happened, where and on which day ("the 9 year old found alone at Chatham station on
  14 November"): a local paper, or anyone who was there, can tell who it was;
- a workplace with one person in it ("mum is the only receptionist at the Ferndale Guest House"),
  or the named business where a child works ("the 15 year old washing cars at Sparkle Car Wash");
- a photo's or a person's unique marks ("a dragon tattoo on his neck", "the scar through her left
  eyebrow", a picture of "the girl with pink braids");
- the one child of a kind in a small group ("the only boy in year 5 with a hearing aid");
- a parent's job in one place ("dad is the caretaker at our school");
- a photo sent with the text ("see the attached pic of the bruises"): the bot must not be given it.

Each needs all of its parts, so the way practitioners write about worries stays quiet: a date
alone, a place alone, "self-harm scars", "a new tattoo", "the only option in Medway"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.patterns import LazyPattern, lazy_compile
from handlers.safety.details import SENTENCE, TOWNS
from handlers.safety.findings import DESCRIPTION, Finding

# --- what happened, where and when --------------------------------------------------------------

_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# One day of one year: "14 November", "Saturday 22 November 2025", "the 2nd of July", "Nov 14th",
# "Boxing Day 2025"; a weekday alone ("on Tuesday") is any week's.
_DAY = lazy_compile(
    rf"(?i:\b(?:(?:{_WEEKDAY})\s+(?:(?:night|morning|evening|afternoon)\s+)?)?(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?"
    rf"\s+(?:of\s+)?(?:{_MONTH})\b(?:\s+\d{{4}})?"
    rf"|\b(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*(?:%|hours|hrs|days|weeks|years))"
    r"|\b(?:boxing|christmas|new\s+year'?s)\s+(?:day|eve)\b(?:\s+\d{4})?"
    r"|\b(?:bonfire\s+night|halloween|valentine'?s\s+day|easter\s+(?:sunday|monday))\b(?:\s+\d{4})?)"
)
# ...or last week's, with the hour or part of the day it happened: "at 3am last tuesday",
# "on Tuesday night" (a weekday alone is any week's)
_SHORT_WEEKDAY = r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)"
_CLOCK = r"\d{1,2}(?::\d{2})?\s*(?:am|pm)"
_LAST_WEEK = lazy_compile(
    rf"(?i:\b(?:last|this\s+past)\s+(?:{_WEEKDAY})\b|\b(?:{_WEEKDAY}|{_SHORT_WEEKDAY})\s+(?:night|morning|evening|afternoon)\b"
    # "at 2am sunday", "sunday at 2am": an hour on a named day is last week's
    rf"|\b{_CLOCK}\s+(?:on\s+)?(?:last\s+)?(?:{_WEEKDAY})\b|\b(?:{_WEEKDAY})\s+(?:at\s+)?{_CLOCK}\b)"
)
_MONTH_ALONE = lazy_compile(
    rf"(?i:\b(?:in|last|this|since|during)\s+(?:{_MONTH})\b|\blast\s+(?:wk|week|weekend|month|term)\b"
    # "in the summer holidays", "over half term", "last christmas"
    r"|\b(?:in|over|during)\s+(?:the\s+)?(?:summer|easter|christmas|half[\s-]term|october|february|may)\s+"
    r"(?:holidays?|hols|half[\s-]term|break)\b|\b(?:over|in|during)\s+half[\s-]term\b"
    r"|\blast\s+(?:summer|christmas|easter|half[\s-]term|new\s+year|spring|autumn|winter)\b"
    rf"|\blast\s+(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)\b)"
)
_HOUR = lazy_compile(r"(?i:\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b(?:night|morning|evening|afternoon)\b)")
_CHILD = lazy_compile(
    # (one child, or "kids" said of a family; "children found missing" is a training's subject)
    r"(?i:\b(?:boy|girl|lad|lass|toddler|baby|child|kids?|teen|teenager|youngster|son|daughter|twins|newborn|pupil"
    r"|young\s+person|grandkids|grandchildren)\b"
    # an age, not a time ago ("the fire at the flat was 2 years ago": a sixth blind audit)
    r"|\b\d{1,2}\s*(?:yo|y/o|yrs?|years?|months?)(?:\s*old)?\b(?!\s+(?:ago|later|earlier|before)\b))"
)
# An occasion held once, where people saw who was there: on one, a weekday alone is last week's
_OCCASION = (
    r"wedding|funeral|christening|baptism|communion|confirmation|bar\s+mitzvah|bat\s+mitzvah|party|prom|disco"
    r"|festival|carnival|fair|parade|sleepover|residential|trip|camp|outing|tournament|gala|sports\s+day|nativity"
    r"|concert|match"
)
_ANY_WEEKDAY = lazy_compile(rf"(?i:\b(?:{_WEEKDAY}|{_SHORT_WEEKDAY})\b)")
_ON_AN_OCCASION = lazy_compile(rf"(?i:\b(?:{_OCCASION})\b)")
# "the upnor castle trip", "our Isle of Wight residential": one outing of one group
_NAMED_TRIP = lazy_compile(
    r"(?i:\b(?:the|our|their|his|her)\s+)"
    r"((?!(?:school|class|year|yr|summer|day|field|residential|annual|next|last|first|same|whole|big|overnight"
    r"|recent)\b)(?:[\w'-]+\s+){1,4}?(?:residential|trip|camp|outing|visit|tour)\b)"
)
# "arrested in front of the whole playground": where everyone at a school saw it
_SEEN_BY_ALL = lazy_compile(
    r"(?i:\bin\s+front\s+of\s+((?:the\s+)?(?:whole\s+)?(?:playground|school|class|nursery|everyone|all\s+the\s+parents"
    r"|the\s+school\s+gates?)))"
)
# Something that happened to or around a child on one day, as a report of it would put it.
_INCIDENT = lazy_compile(
    r"(?i:\b(?:found(?!\s+(?:to|that|out|it))|pulled|stabbed|attacked|assaulted|mugged|robbed|filmed|fell|fallen|drowned|died|killed"
    r"|injured|hurt|burned|burnt|hit\s+by|knocked\s+down|run\s+over|went\s+missing|wandering|got\s+out"
    r"|set\s+fire|fire|fight|overdosed?|arrested|picked\s+up|rescued|abandoned|left\s+alone|had\s+twins"
    r"|gave\s+birth|was\s+born|walked\s+out|ran\s+(?:off|away|out)|wandered\s+off|escaped|brought\s+in(?:to)?"
    r"|admitted|turned\s+up|collapsed|jumped|climbed|taken\s+to\s+hospital|seizure|fitting|choked|choking"
    r"|stopped\s+breathing|ambulance|stabbing|crash|attack|house\s+fire|incident|accident|collision|explosion"
    r"|shooting|flood(?:ed|ing)?|riot|born(?=\s+(?:at|in|on)\b)|disclosed|proceedings|hearing|trial|sentenced|deported"
    r"|jailed|imprisoned|sectioned"
    r"|convicted|gave\s+evidence|burns|burned|scalded|fractured?|broken\s+(?:leg|arm|wrist|ribs?|collar\s*bone)"
    r"|came\s+in(?:to)?|was\s+brought|stuck|trapped|crashed|rammed|smashed)\b"
    rf"|\b(?:{_OCCASION})\b)"
)
# A place by its own name: capitalised words ("Chatham station", "Sun Pier", "the Pentagon Centre")
# or a road's number ("the A2", "the M2").
_PLACE_WORDS = r"(?:at|outside|near|behind|by|on|in|off|onto|from|under|opposite|into|of|round|around|to|down|along)"
_NAMED_PLACE = lazy_compile(
    rf"\b{_PLACE_WORDS}\s+(?:the\s+)?"
    r"((?:[A-Z][a-z'’]+|[AM]\d{1,4})(?:\s+(?:[A-Z][a-z'’]+|[a-z]+(?=\s+[A-Z])|station|bridge|pier|park|centre"
    r"|services|river|road|street|lane|terrace|estate|beach|woods?))*)"
)
# ...or as typed in lower case: a Medway or Kent town, or a place of one kind with its own name
# before it ("at rainham fire station", "into medway maritime a&e", "behind the pentagon centre")
_KIND_OF_PLACE = (
    r"station|hospital|a&e|maritime|park|centre|center|pier|bridge|beach|services|precinct|library|quay|marina"
    r"|dockyard|outlet|mall|rec|woods|skatepark|ward|road|rd|street|st|lane|estate"
    r"|row|avenue|ave|crescent|grove|terrace|square|green|quay|wharf|common|hill"
)
_GENERIC_BEFORE_PLACE = frozenset(
    ["a", "an", "the", "our", "my", "his", "her", "their", "local", "nearest", "same", "train", "bus", "police", "fire"]
)
_LOWER_PLACE = lazy_compile(
    rf"(?i:\b{_PLACE_WORDS}\s+(?:the\s+)?((?:[a-z'&]+\s+){{0,2}}(?:{TOWNS})\b(?:\s+[a-z&]+){{0,2}}|[am]\d{{1,4}}\b"
    rf"|([a-z]+)(?:\s+[a-z]+)?\s+(?:(?:fire|police|bus|train|petrol)\s+)?(?:{_KIND_OF_PLACE})\b))"
)
_CALENDAR_AND_PEOPLE = """
    January February March April May June July August September October November December Jan Feb Mar
    Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday Boxing
    Christmas Easter Halloween Bonfire New Year Valentine Valentine's I Mum Dad Nan Year Level Stage
"""
# services, not places: "contacted by First Response on 3 March"
_SERVICES = "First Children's Childrens Social Early Police Kent NHS CAMHS MASH Council LADO Prevent"
_NOT_PLACES = frozenset(_CALENDAR_AND_PEOPLE.split()) | frozenset(_SERVICES.split())
_WHOLE_AREA = frozenset(["Medway"])  # too many people live there to pick anyone out ("Kent" is a service word above)


def _named_places(sentence: str) -> list[re.Match[str]]:
    named = [
        m
        for m in _NAMED_PLACE.finditer(sentence)
        if m.group(1).split()[0] not in _NOT_PLACES and m.group(1) not in _WHOLE_AREA
    ]
    lower = [m for m in _LOWER_PLACE.finditer(sentence) if (m.group(2) or "").lower() not in _GENERIC_BEFORE_PLACE]
    return sorted(named + lower, key=lambda m: m.start(1))


def _events(text: str) -> Iterator[Finding]:
    for s in SENTENCE.finditer(text):
        sentence = s.group()
        # a day; or last week's, or a month's, beside a named place and an incident ("the boy from the house
        # fire on the hoo road last tues", "the baby who died in his cot in luton in august")
        if not _CHILD.search(sentence) or not _INCIDENT.search(sentence):
            continue
        day = _DAY.search(sentence) or _LAST_WEEK.search(sentence) or _MONTH_ALONE.search(sentence)
        if not day and _ON_AN_OCCASION.search(sentence):
            day = _ANY_WEEKDAY.search(sentence)
        if not day:
            continue
        places = sorted(
            [*_named_places(sentence), *_NAMED_TRIP.finditer(sentence), *_SEEN_BY_ALL.finditer(sentence)],
            key=lambda m: m.start(1),
        )
        if places:
            start = min(places[0].start(1), day.start())
            end = max(places[-1].end(1), day.end())
            yield Finding(DESCRIPTION, s.start() + start, s.start() + end)


# "girl in the green coat at Gillingham station every tuesday", "the kid that goes to Strood Sea Cadets on
# mondays", "sits at the back of the 7.10 bus from Hoo every morning": one child, where and when they can
# be found again
_AGAIN_AND_AGAIN = lazy_compile(
    rf"(?i:\bevery\s+(?:day|night|morning|evening|afternoon|weekend|week|appointment|{_WEEKDAY}|{_SHORT_WEEKDAY})\b"
    rf"|\b(?:on\s+)?(?:{_WEEKDAY})s\b|\beach\s+(?:day|morning|night|evening|week)\b"
    r"|\bmost\s+(?:days|nights|mornings|evenings|weekends|weeks)\b|\balways\s+(?:in|at|outside|round|by|near)\b|\bdaily\b"
    r"|\bregular\s+at\b|\bon\s+weekdays\b|\b(?:most|every)\s+weekends?\b"
    rf"|\bon\s+(?:{_WEEKDAY})\s+(?:nights|mornings|evenings|afternoons)\b)"
)
# "the saturday parkrun at Capstone", "our Wednesday Cubs in Cuxton", "my 7am Sunday squad": a group that meets
# on one day each week, so its members are few and known
_WEEKLY_GROUP = lazy_compile(
    rf"(?i:\b(?:{_WEEKDAY}|{_SHORT_WEEKDAY})\s+(?:\d{{1,2}}(?:[.:]\d{{2}})?\s*(?:am|pm)?\s+)?(?:[a-z]+\s+){{0,2}}?"
    r"(?:parkrun|club|session|class|squad|swim|swimming|training|cubs|scouts|beavers|brownies|guides|rainbows|practice"
    r"|group|lesson|sunday\s+school|madrasa|madrassa|youth\s+club"
    # "the saturday morning boxing at ...", "the tuesday night under 12s at Hoo Recreation Ground"
    r"|boxing|gymnastics|football|rugby|netball|dance|ballet|karate|judo|taekwondo|kickboxing|cricket|hockey|athletics"
    r"|cheer|cheerleading|drama|choir|league|cadets|trampolining|climbing|under[\s-]*\d{1,2}|u\d{1,2})s?\b)"
)
_CHILDREN = lazy_compile(
    r"(?i:\b(?:girls?|boys?|kids?|children|lads?|one\s+of\s+them|one\s+of\s+our|members?|under\s*\d{1,2}s|u\d{1,2}s)\b)"
)
_ONE_YOUNG = lazy_compile(
    r"(?i:\b(?:boy|girl|lad|lass|kid|child|teen|teenager|pupil|student|young\s+person|yp|toddler|baby|son|daughter)\b"
    r"|\b\d{1,2}\s*(?:yo|y/o|yrs?|years?)(?:\s*old)?\b)"
)


# ...a place of one kind, not a whole town ("every night at a friend's house in Rainham") or a service
_ROUTINE_PLACE = lazy_compile(
    r"(?i:\b(?:station|centre|center|bridge|court|club|cadets|scouts|brownies|guides|surgery|library|bus|shops?|caf[eé]"
    r"|precinct|mall|arcade|leisure|pool|gym|pier|quay|marina|skatepark|rec|park|church|mosque|temple|gurdwara|retail"
    r"|outlet|chippy|takeaway|garage|platform|pond|lake|playground|field|country\s+park|dockyard|docks|seafront"
    r"|promenade|strand|riverside|common|castle|cathedral|high\s+street|market)\b)"
)


_ANY_TOWN = lazy_compile(rf"(?i:\b(?:{TOWNS})\b)")


_DAYS_TYPED = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_AGAIN_TYPED = ("every", "each", "most", "always", "daily", "regular", "days")


def _routines(text: str) -> Iterator[Finding]:
    lowered = text.lower()
    weekly_possible = any(d in lowered for d in _DAYS_TYPED)
    if not weekly_possible and not any(w in lowered for w in _AGAIN_TYPED):
        return
    for s in SENTENCE.finditer(text):
        sentence = s.group()
        group = _WEEKLY_GROUP.search(sentence) if weekly_possible else None
        # the weekly group's own place, said just after it ("our Wednesday Cubs in Cuxton"), not the asker's
        places = [p for p in _named_places(sentence) if group.end() <= p.start() <= group.end() + 40] if group else []
        if places and (_ONE_YOUNG.search(sentence) or _CHILDREN.search(sentence) or _YEAR_GROUP.search(sentence)):
            yield Finding(DESCRIPTION, s.start() + places[0].start(1), s.start() + places[0].end(1))
            continue
        if not (_AGAIN_AND_AGAIN.search(sentence) and _ROUTINE_PLACE.search(sentence) and _ONE_YOUNG.search(sentence)):
            continue
        for place in _named_places(sentence):
            # a place by its own name ("the Pentagon", "from Hoo"), not "the leisure centre"
            named = place.group(1)
            if any(c.isupper() for c in named) or _ANY_TOWN.search(named):
                yield Finding(DESCRIPTION, s.start() + place.start(1), s.start() + place.end(1))
                break


# --- one person's workplace ---------------------------------------------------------------------

_ROLE = (
    r"receptionist|cleaner|dinner\s+lady|lollipop\s+(?:lady|man)|caretaker|cook|chef|barber|hairdresser"
    r"|mechanic|driver|pharmacist|vet|nurse|doctor|gp|teacher|teaching\s+assistant|ta|manager|owner|cashier"
    r"|waitress|waiter|barmaid|barman|security\s+guard|porter|janitor|groundsman|childminder|pcso|police\s+officer"
    r"|firefighter|paramedic|sergeant|vicar|imam|priest|rabbi|councillor|dentist|optician|postman|postwoman|pc"
    r"|health\s+visitor|school\s+nurse|midwife|social\s+worker|family\s+support\s+worker|youth\s+worker"
    # posts one person holds in a place: "dad is the organist at the cathedral"
    r"|organist|choirmaster|verger|churchwarden|warden|headmaster|headmistress|principal|bursar|registrar"
    r"|librarian|lifeguard|coach|instructor|landlord|landlady|butcher|baker|florist|mayor|consultant|surgeon"
    r"|matron|director|editor|presenter|dj|chaplain|curate|minister|pastor|groundskeeper|park\s+keeper|officer"
    r"|lifeguard|youth\s+mp|mp|mayor|head\s+girl|head\s+boy|head|deputy\s+head|headteacher|senco|dsl"
    r"|kitman|kit\s+man|physio|groundsman|foster\s+carer|leader|volunteer"
    # police ranks as they are typed: "mum's a DS", "dad is a DC"
    r"|ds|dc|di|dci|detective|inspector|constable|special\s+constable"
)
_BUSINESS = (
    r"deli|shop|pub|cafe|café|takeaway|chippy|salon|garage|barbers?|bakery|newsagents?|off\s+licence|launderette"
)
# "the only receptionist at the Ferndale Guest House", "runs the only Polish deli in Hoo"
_ONLY_ONE = lazy_compile(
    rf"(?i:\b(?:the|our|my)\s+only\s+(?:[\w-]+\s+){{0,2}}(?:{_ROLE}|{_BUSINESS})\s+(?:at|in|on|for|covering|based\s+at|running)"
    r"\s+(?:the\s+)?)"
    r"((?:[A-Z][\w'’]+)(?:\s+[A-Z][\w'’]+)*)"
)
# "the 15 year old washing cars at Sparkle Hand Car Wash", "Saturday lad at Dev's Barbers"
_CHILD_AT_WORK = lazy_compile(
    r"(?i:\b(?:works?|working|washing\s+cars|helps?\s+out|saturday\s+(?:job|lad|girl|boy))\b(?:\s+[a-z]+){0,3}\s+at\s+)"
    r"((?:[A-Z][\w'’]+)(?:\s+[A-Z][\w'’]+)+|[A-Z][\w]*['’]s\s+[A-Z][\w'’]+)"
)
# "16 yo ... who works in the chip shop at Hoo": a business of one kind in one place
_CHILD_AT_A_PLACES_BUSINESS = lazy_compile(
    rf"(?i:\b(?:works?|working|job|shifts?)\s+(?:(?:weekends|evenings|nights|saturdays|sundays|after\s+school)\s+)?(?:in|at)"
    rf"\s+the\s+(?:[a-z]+\s+){{0,2}}?(?:{_BUSINESS}|chip\s+shop|car\s+wash|nail\s+bar|kebab\s+shop|market|farm|stables)"
    rf"\s+(?:at|in|on|by|opposite|next\s+to|near|behind)\s+(?:{TOWNS}|[a-z]+\s+(?:road|rd|street|st)))\b"
)
_YOUNG = lazy_compile(r"(?i:\b(?:boy|girl|lad|lass|teen|teenager|son|daughter)\b|\b1[0-7]\s*(?:yo|y/o|yrs?|years?)\b)")


# "the only Ghanaian girl in our reception class", "the only traveller family on the estate"
_ONLY_ONE_IN_GROUP = lazy_compile(
    r"(?i:\bthe\s+(?:only|one)\s+)([A-Z][a-z]+|black|white|mixed[\s-]race|traveller|gypsy|roma|muslim|sikh|hindu"
    r"|jewish)"
    r"(?i:\s+(?:girl|boy|child|kid|pupil|student|family|baby|twins|teenager|lad)\s+(?:in|at|on)\s+"
    r"(?:our|the|her|his|their|this|that)\s+(?:[a-z]+\s+)?(?:class|year|school|nursery|group|street|road|estate"
    r"|village|close|block|team|club|site|church|congregation|mosque|parish|temple|gurdwara|community))\b"
)


# "the only boy in yr 5 with a hearing aid", "our only pupil who's deaf", "the only set of triplets at
# our nursery": the one child of a kind in a group people know
_KIND_OF_CHILD = (
    r"(?:boy|girl|child|kid|pupil|student|baby|toddler|teen|teenager|lad|lass|family|twins|triplets|wheelchair\s+user"
    r"|quads|quins|quadruplets|quintuplets|set\s+of\s+(?:twins|triplets|quads))"
)
_ONLY_CHILD_OF_A_KIND = lazy_compile(
    rf"(?i:\b(?:the|our|my)\s+only\s+(?:[a-z-]+\s+){{0,2}}?{_KIND_OF_CHILD}s?"
    r"\s+(?:in|at|on|who|whos|who's|with|that)\b"
    rf"|\bour\s+only\s+(?:[a-z-]+\s+){{1,2}}?{_KIND_OF_CHILD}\s*,"
    # "our only Year 8 to be permanently excluded"
    r"|\b(?:the|our|my)\s+only\s+(?:year|yr|y)\s*\d{1,2}s?\s+(?:to|who|in|at|with|that)\b"
    # "only girl in yr 4 at ...", "about only boy who": one child, said without "the"
    rf"|(?:^|[,.;:]\s*|\b(?:about|is|was|for|with)\s+)only\s+(?:[a-z-]+\s+){{0,2}}?{_KIND_OF_CHILD}"
    r"\s+(?:in|at|on|who|whos|who's|with|that)\b)"
)
# "the only one in the school with a shaved head"
_ONLY_ONE_WITH = lazy_compile(
    r"(?i:\bthe\s+only\s+one\s+(?:(?:in|at)\s+(?:the|our|her|his|their)\s+(?:school|class|year|nursery|group|estate"
    r"|village|street|team|club)\s+|there\s+)(?:with|who|that|on)\b)"
)
_NO_SIBLINGS = lazy_compile(
    r"(?i)\bonly\s+child\s+(?!in\b)|\bonly\s+child\s+in\s+(?:the|her|his|their)\s+(?:house|home|family|household)"
)
_RELATIVE = (
    r"(?:mum|mom|mother|dad|father|step-?dad|step-?mum|nan|nanny|gran|granny|grandad|grandma|aunt|auntie|aunty"
    r"|uncle|carer|parent|husband|wife|(?:mum|dad)'?s\s+(?:partner|boyfriend|bf|girlfriend|gf)|(?:big\s+|older\s+)?(?:sister"
    r"|brother))"
)
# "mum is the receptionist at the dental surgery", "dad is a cleaner at our school", "his dad manages the
# big tesco at gillingham": a parent's job in one place, which colleagues and customers know
_RELATIVE_AT_WORK = lazy_compile(
    rf"(?i:\b{_RELATIVE}(?:\s+in\s+(?:my|our|this|the)\s+(?:case|family))?(?:'s|s|\s+is|\s+was|\s+works\s+as)\s+the\s+"
    rf"(?:[a-z]+\s+){{0,2}}?(?:{_ROLE})"
    r"\s+(?:at|in|on|for|who\s+covers|covering|(?:outside|opposite|near|by)(?!\s+(?:school|work|office|hours|of|home"
    r"|the\s+home)\b))\s+[\w'’]+"
    # "mum is our school's only site manager"
    rf"|\b{_RELATIVE}\s+(?:is|was)\s+(?:our|the|their|my)\s+(?:[\w'’]+\s+)?(?:only|own)\s+(?:[a-z]+\s+){{0,2}}?(?:{_ROLE})\b"
    # "mum is a nurse on the childrens ward here": where the asker works too
    rf"|\b{_RELATIVE}\s+(?:is|was|works\s+as)\s+(?:a|an)\s+(?:[a-z]+\s+)?(?:{_ROLE})\s+(?:at|in|on)\s+the\s+(?:[\w'’-]+\s+){{0,3}}?"
    r"(?:ward|unit|team|department|clinic|practice|surgery|school|nursery|office|station)\s+here\b"
    rf"|\b{_RELATIVE}\s+(?:is|was|works\s+as)\s+(?:a|an)\s+(?:[a-z]+\s+)?(?:{_ROLE})\s+(?:at|in|on)\s+(?:our|my|this)"
    r"(?:\s+own)?"
    # "whose mum is a midwife on our own unit": a parent the asker works beside
    r"\s+(?:school|nursery|academy|college|surgery|practice|setting|pharmacy|unit|ward|team|department|clinic|office"
    r"|station|service)"
    # "dad's a sergeant on the response team at Chatham": a post in one team of a named town's station
    rf"|\b{_RELATIVE}(?:['’]s|s|\s+is|\s+was|\s+works\s+as)\s+(?:a|an|the)\s+(?:[a-z]+\s+)?(?:{_ROLE})\s+(?:on|in|with|at)\s+"
    r"(?:the|a)\s+(?:[\w'’-]+\s+){0,3}?(?:team|unit|squad|department|ward|shift)\s+(?:at|in|for)\s+(?-i:[A-Z])[\w'’]+"
    # "mums the manager of the only chemist in Cliffe"
    rf"|\b{_RELATIVE}(?:'s|s|\s+is|\s+was)\s+the\s+(?:manager|owner|landlord|landlady|head)\s+of\s+(?:the\s+)?"
    r"(?:only\s+)?(?:[\w'’]+\s+){0,3}?(?:in|at|on)\s+[\w'’]+"
    rf"|\b{_RELATIVE}\s+(?:manages|runs|owns)\s+the\s+(?:[a-z]+\s+){{0,2}}?[\w&'’]+\s+(?:at|in|on|by|opposite|near)\s+[\w'’]+"
    # "mum is a Medway councillor": a public post
    rf"|\b{_RELATIVE}(?:\s+in\s+(?:my|our|this|the)\s+(?:case|family))?(?:['’]s|\s+is|\s+was)\s+(?:a|an|the)\s+"
    r"(?:(?:local|medway|kent|town|young|youth|well[\s-]known|famous|popular|parish|county|borough|city|very)\s+){0,3}"
    r"(?:councillor|magistrate|mp|mayor|judge|footballer|influencer|youtuber|tiktoker|celebrity)\b"
    # "dad is the Gillingham FC goalkeeper", "mum is a Medway Council cabinet member": a post the town sees
    rf"|\b{_RELATIVE}(?:['’]s|\s+is|\s+was)\s+the\s+(?:(?-i:[A-Z])[\w'’]*\s+){{1,3}}(?:goalkeeper|keeper|striker"
    r"|defender|midfielder|winger|captain|manager|coach|chairman|chairwoman|presenter|newsreader|weatherman"
    r"|weather\s+presenter)\b"
    rf"|\b{_RELATIVE}(?:['’]s|\s+is|\s+was)\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?(?:cabinet\s+member|council\s+leader"
    r"|leader\s+of\s+the\s+council|police\s+and\s+crime\s+commissioner|high\s+sheriff|lord\s+lieutenant)\b"
    # "mum's the one who does the weather on BBC South East": a face on the local news
    r"|\b(?:does|reads|presents|did|read|presented)\s+the\s+(?:weather|news|traffic|travel|sport|breakfast\s+show"
    r"|drive\s*time\s+show)\s+(?:on|for)\s+(?:the\s+)?(?:bbc|itv|kmtv|meridian|south\s+east\s+today|local\s+radio"
    r"|radio|tv|telly|channel\s+\d|heart|kmfm|bbc\s+radio\s+kent)\b"
    # "her dad is the police inspector for our area": the one post-holder of a patch
    rf"|\b{_RELATIVE}(?:['’]s|\s+is|\s+was)\s+the\s+(?:[a-z]+\s+){{0,2}}?(?:inspector|sergeant|pcso|officer|councillor"
    r"|nurse|health\s+visitor|social\s+worker|gp|vicar|priest|imam|warden|manager)\s+(?:for|covering|on)\s+(?:our|the|this"
    r"|my)\s+(?:local\s+)?(?:area|town|village|estate|ward|patch|beat|parish|island|peninsula)\b"
    # "mum is a well known local businesswoman": a parent the town knows
    rf"|\b{_RELATIVE}(?:['’]s|\s+is|\s+was)\s+(?:a|an)\s+(?:very\s+)?(?:well[\s-]known|famous|locally\s+known)\s+(?!to\b)\w+"
    rf"|\b{_RELATIVE}(?:['’]s|\s+is|\s+was)\s+the\s+(?:[a-z]+\s+){{0,2}}?(?:olympic|paralympic|olympian|paralympian"
    r"|commonwealth|kitman|kit\s+man|physio|champion|captain|mascot)\b"
    # "one of our parents is the PCSO who covers our estate", "dad is a PC on the Medway response team"
    rf"|\bone\s+of\s+(?:our|the)\s+parents\s+is\s+the\s+(?:[a-z]+\s+){{0,2}}?(?:{_ROLE})\b"
    rf"|\b{_RELATIVE}\s+(?:is|was)\s+(?:a|an)\s+(?:pc|pcso|police\s+officer|officer|detective|sergeant|firefighter"
    r"|paramedic)\s+(?:on|in|at|with)\s+(?:the\s+)?(?:[\w'’]+\s+){0,3}?(?:team|unit|squad|station|division)\b"
    # "dad's chair of the Cliffe parish council", "mum runs our youth club"
    rf"|\b{_RELATIVE}(?:'s|\s+is|\s+was)\s+(?:the\s+)?(?:chair|chairman|chairwoman|vice[\s-]chair|treasurer|secretary"
    r"|president)\s+of\s+(?:the\s+)?(?:[\w'’]+\s+){0,3}?(?:council|club|committee|association|society|board|group|church"
    r"|lodge|league|trust|pta|governors)\b"
    rf"|\b{_RELATIVE}\s+(?:\w+\s+)?(?:runs|leads|coaches|manages)\s+(?:our|the)\s+(?:local\s+)?(?:youth\s+club|scouts"
    r"|scout\s+group|cubs|brownies|guides|football\s+club|boxing\s+club|choir|church|mosque|team)\b"
    # "mum is the head teacher of the only school in the village"
    rf"|\b{_RELATIVE}(?:'s|s|\s+is|\s+was)\s+the\s+(?:head\s+teacher|headteacher|headmistress|headmaster|vicar|priest"
    r"|imam|rabbi|pastor)\s+(?:of|at)\s+(?:the\s+)?(?:only\s+)?[\w'’]+"
    # "the one who works at the Rochester Asda bakery", "is the receptionist at our own probation office",
    # "mum works as a PCSO covering Rainham"
    r"|\bworks\s+(?:at|in)\s+the\s+(?-i:[A-Z])\w+\s+(?-i:[A-Z])\w+\s+(?:bakery|deli|counter|checkout|pharmacy|canteen"
    r"|kitchen|reception|office|tills?)\b"
    r"|\bis\s+the\s+(?:receptionist|cleaner|caretaker|cook|chef|dinner\s+lady|lollipop\s+(?:lady|man)|secretary|administrator"
    r"|porter|janitor|groundsman|site\s+manager|bursar)\s+(?:at|in)\s+our\s+(?:own\s+)?\w+"
    rf"|\b{_RELATIVE}\s+works\s+as\s+(?:a|an|the)\s+(?:{_ROLE})\s+(?:covering|for|at|in)\s+(?-i:[A-Z])\w+"
    # "they run the nail bar next to the Co-op in Hoo"
    rf"|\b(?:they|mum|dad|parents|family)\s+(?:run|runs|own|owns|manage|manages)\s+the\s+(?:[a-z]+\s+){{0,2}}?"
    rf"(?:{_BUSINESS}|nail\s+bar|car\s+wash|kebab\s+shop|corner\s+shop|market\s+stall)\s+(?:next\s+to|in|at|on|by"
    r"|opposite|near)\s+(?:the\s+)?(?-i:[A-Z])[\w'’-]+"
    # "dad is a serving officer at Gillingham police station", "mum teaches at the same primary her kids go to"
    rf"|\b{_RELATIVE}(?:['’]s|\s+is|\s+was|\s+works\s+as)\s+(?:a|an|one\s+of\s+the)\s+(?:[a-z]+\s+)?(?:{_ROLE})s?\s+(?:at|in)\s+"
    r"(?:the\s+)?(?-i:[A-Z])[\w'’]+"
    rf"|\b{_RELATIVE}\s+(?:teaches|works|is\s+a\s+ta|is\s+a\s+teacher)\s+(?:on\s+the\s+\w+\s+)?(?:at|in)\s+"
    r"(?:our|the\s+same|my|this|their)\s+"
    r"(?:school|primary|nursery|academy|setting|college)"
    # "the lollipop lady outside our school is mum to 2 of our pupils"
    rf"|\b(?:{_ROLE})\s+(?:[a-z]+\s+){{0,4}}?(?:is|was)\s+(?:mum|dad|mother|father|nan|grandad|gran)\s+(?:to|of)\b"
    # "the family who run the chippy in Hoo"
    rf"|\b(?:family|parents|{_RELATIVE}|couple)\s+(?:who|that)\s+(?:runs?|owns?|manages?|has|have)\s+the\s+"
    rf"(?:[a-z]+\s+){{0,2}}?(?:{_BUSINESS}|nail\s+bar|car\s+wash|farm|kebab\s+shop|corner\s+shop|market\s+stall)"
    r"\s+(?:in|at|on|by|opposite|near)\s+[\w'’]+"
    # "mum is head teacher at the local primary": a post with no "a" before it is the one post of its kind there
    rf"|\b{_RELATIVE}\s+(?:is|was)\s+(?:(?:deputy|assistant|acting)\s+)?(?:head\s+teacher|headteacher|head|headmaster"
    r"|headmistress|principal|manager|owner|landlord|landlady|vicar|imam|priest|rabbi|pastor|caretaker|chair|mayor"
    r"|matron|dsl|senco|practice\s+manager|site\s+manager)\s+(?:at|of|for)\s+(?!(?:the\s+)?(?:house|household|family"
    r"|home|year)\b)(?!(?:a|an|some|one|several|various|two|three|lots|many)\b)[\w'’]+)"
)


_STAFF = (
    r"colleague|co-?worker|deputy(?:\s+head)?|head|headteacher|head\s+teacher|ta|teaching\s+assistant|teacher|senco|dsl"
    r"|manager|line\s+manager|boss|team\s+leader|supervisor|receptionist|caretaker|cleaner|governor|neighbour"
    r"|business\s+manager|office\s+manager|lunchtime\s+supervisor|dinner\s+lady|site\s+manager|nursery\s+manager"
)
_KIN = (
    r"son|sons|daughter|daughters|grandson|granddaughter|niece|nephew|kid|kids|child|children|boy|girl|stepson"
    r"|stepdaughter|grandchild|grandchildren|grandkids"
)
# "daughter of the vicar at st barnabas", "kid of the woman who runs the nail bar opposite the bus
# station", "my colleague's grandson", "the head's son": a child known through one adult people know
_CHILD_OF_SOMEONE_KNOWN = lazy_compile(
    rf"(?i:\b(?:son|daughter|kid|child|boy|girl|grandson|granddaughter|stepson|stepdaughter)s?\s+of\s+the\s+"
    rf"(?:[a-z]+\s+)?(?:{_ROLE}|vicar|imam|priest|rabbi|headteacher|head)\s+(?:at|in|on|of)\s+[\w'’]+"
    rf"|\b(?:kid|son|daughter|child|boy|girl)s?\s+of\s+the\s+(?:woman|man|lady|bloke|guy|couple)\s+(?:who|that)\s+"
    r"(?:runs|owns|manages|works\s+at)\s+the\s+(?:[a-z]+\s+){0,3}?(?:opposite|at|on|in|by|next\s+to|near|behind)\s+[\w'’]+"
    # "my deputy head's nephew", "our TA's own daughter": a child the asker's workplace knows
    rf"|\b(?:my|our)\s+(?:own\s+)?(?:{_STAFF})['’]?s\s+(?:own\s+)?(?:little\s+)?(?:{_KIN})\b"
    # "the daughter of one of our own health visitors"
    rf"|\b(?:son|daughter|child|kid|boy|girl|grandson|granddaughter)s?\s+of\s+(?:one\s+of\s+)?(?:our|my)\s+(?:own\s+)?"
    rf"(?:[a-z]+\s+)?(?:{_STAFF}|{_ROLE})s?\b"
    # "my colleague sharons grandson"
    rf"|\b(?:my|our)\s+(?:{_STAFF})\s+[a-z]+['’]?s\s+(?:own\s+)?(?:little\s+)?(?:{_KIN})\b"
    r"|\bthe\s+head(?:teacher)?'?s\s+(?:son|daughter|kid|child|boy|girl|grandson|granddaughter)\b"
    # "the vicar's daughter", "the caretaker's son"
    # "the imam's youngest daughter", "our assistant youth pastor's son", "the Hoo village vet's eldest"
    rf"|\b(?:the|our|my)\s+(?:[\w-]+\s+){{0,2}}?(?:{_ROLE}|vicar|imam|priest|rabbi|headteacher|head)['’]s\s+"
    rf"(?:(?:own|youngest|eldest|oldest|middle|little|teenage|older|younger|step)\s+){{0,2}}(?:{_KIN}|eldest|youngest|oldest)\b)"
)
# "our head girl has started self harming", "the school captain": a post one pupil of a school holds
_ONE_PUPILS_POST = lazy_compile(
    r"(?i:\b(?:our|the|their|this\s+year'?s|last\s+year'?s|school'?s?|was|is|as|new|former)\s+(?:deputy\s+)?head\s+(?:girl|boy)\b"
    r"|\b(?:our|the|their|school'?s?|was|is|as|new|former)\s+(?:school\s+captain|head\s+prefect|head\s+chorister)\b)"
)
# "16yo who plays for the gillingham fc academy u18s": a child's named club and team
_CLUB_TEAM = lazy_compile(
    r"(?i:\bplays?\s+(?:for|in)\s+(?:the\s+)?(?:[a-z']+\s+){1,3}?(?:fc|afc|united|town|city|rovers|academy|rfc|cc"
    r"|(?:basketball|netball|rugby|hockey|cricket|football|boxing|judo|swimming)\s+club)"
    r"(?:\s+(?:academy|u\d{1,2}s?|under\s*\d{1,2}s?))?\b"
    r")"
)
# "mum's gofundme for the baby's heart op": an appeal everyone local was asked to share
_CROWDFUNDING = lazy_compile(
    r"(?i:\b(?:go\s?fund\s?me|justgiving|just\s+giving\s+page|crowdfunder|crowd\s?funding\s+page)\b)"
)
# "the family with the python and the three huskies", "kids who bring a ferret in a sling": a pet few have
_MANY_ANIMALS = lazy_compile(
    r"(?i:\b(?:[1-9]\d+|dozens\s+of|hundreds\s+of)\s+(?:rats|mice|snakes|cats|dogs|birds|reptiles|rabbits|ferrets|animals"
    r"|pets|chickens|pigeons)\b)"
)
# "rooms 4 and 5 of the Railway Hotel", "room 12 at the Luton Road hostel", "the asylum hotel in Chatham,
# room 214": one family's rooms in a place
_ROOMS_AT_A_PLACE = lazy_compile(
    r"(?i:\brooms?\s+\d{1,3}(?:\s*(?:and|&|,)\s*\d{1,3})?\s+(?:of|at|in)\s+the\s+"
    # (not a meeting room: "room 4 at the Family Hub")
    r"(?!(?:[\w'-]+\s+){0,2}(?:hub|centre|center|offices?|building|library|school|college|gym|hall|house)\b)(?-i:[A-Z])\w+"
    # "the asylum hotel in Chatham, room 214"
    r"|\b(?:hotel|hostel|b&b|bnb|guest\s*house|refuge|motel)\b[^.!?\n]{0,30}?\broom\s+\d{1,3}\b)"
)
_RARE_PET = lazy_compile(
    r"(?i:\b(?:with|has|have|had|keeps?|kept|bring|brings|brought|walking|walks)\s+(?:the|a|an|their|his|her|its)\s+"
    r"(?:[a-z]+\s+){0,2}?(?:python|boa|snake|ferret|tarantula|iguana|lizard|bearded\s+dragon|parrot|macaw|owl|monkey"
    r"|meerkat|raccoon|skunk|wolfdog|micro\s*pig|pot[\s-]bellied\s+pig|alpaca|llama)s?\b)"
)
# "the family who won that big lottery prize in Strood", "the gymnast who went to the Commonwealth Games",
# "the boy on the front of the council's school meals leaflet", "the only one in Kent with it", "does the
# magic tricks outside Rochester castle": what a town read, saw or was told about one child or family
_KNOWN_TO_THE_TOWN = lazy_compile(
    r"(?i:\bwon\s+(?:the|that|a)\s+(?:big\s+|huge\s+)?(?:lottery|jackpot|euromillions|postcode\s+lottery)"
    r"|\b(?:went\s+to|competed\s+(?:at|in)|selected\s+for|picked\s+for|medalled\s+at)\s+the\s+(?:[a-z]+\s+)?"
    r"(?:(?:commonwealth|olympic|paralympic)\s+(?:youth\s+)?games|olympics|paralympics|world\s+championships"
    r"|european\s+championships)"
    # "does the kids' weather slot on local radio", "'Queen of Strood' on the back window"
    r"|\bdoes\s+the\s+(?:[\w'’]+\s+){0,3}?(?:slot|show|segment|column|feature)\s+on\s+(?:the\s+)?(?:local\s+)?(?:radio|tv"
    r"|telly)\b"
    r"|[\'\"‘“][^\'\"’”\n]{2,30}[\'\"’”]\s+on\s+(?:the\s+)?(?:back|rear|side|front)\s+(?:window|windscreen|door|bumper)"
    # "mum is 15, nan is 31 and great nan is 47"
    r"|\b(?:mum|mother)\s+is\s+1[0-7]\b[^.!?\n]{0,40}?\b(?:nan|gran|grandma|nanny|nana)\s+is\s+[23]\d\b"
    # "bringing up three deaf teenagers", "one of only two school nurses covering the Hoo peninsula"
    r"|\b(?:two|three|four|five|[2-5])\s+(?:deaf|blind)\s+(?:children|kids|teenagers|teens|boys|girls|sons|daughters)\b"
    r"|\bone\s+of\s+only\s+(?:two|three|2|3)\s+(?:[\w-]+\s+){0,2}?(?:nurses|workers|officers|teachers|visitors|staff"
    r"|practitioners|pcsos|midwives|gps|doctors|dsls|leads)\s+(?:covering|in|at|for|on)\b"
    r"|\bon\s+the\s+(?:front|cover)\s+of\s+(?:the\s+)?(?:[\w'’]+\s+){0,4}?(?:leaflet|poster|magazine|newsletter"
    r"|prospectus|billboard|brochure|calendar)"
    r"|\bthe\s+only\s+one\s+in\s+(?:kent|medway|the\s+county|the\s+country|england|the\s+uk|britain)\b"
    # "the dad who did the charity walk from Chatham to Dover", "won the under 14s cross country ... and was
    # in the paper with his medal"
    r"|\bcharity\s+(?:walk|run|swim|cycle|ride|skydive|climb|row)\s+from\s+(?-i:[A-Z])\w+\s+to\s+(?-i:[A-Z])\w+"
    r"|\bwon\s+the\s+(?:under[\s-]*\d{1,2}s?|u\d{1,2}s?)\b|\band\s+was\s+in\s+the\s+(?:paper|papers|news)\b"
    # "just got picked for the England under 16 boxing squad"
    r"|\b(?:picked|selected|chosen|called\s+up)\s+(?:for|to)\s+(?:the\s+)?(?:england|gb|great\s+britain|team\s+gb|wales"
    r"|scotland|national|county|kent)\b"
    # "read the poem at the Remembrance service", "just signed for the Arsenal academy", "won the junior national
    # swimming title", "all over the school website", "the old London taxi painted in Gills colours"
    r"|\b(?:read|recited|sang|spoke|laid)\s+(?:the\s+|a\s+)?(?:poem|reading|solo|speech|wreath|last\s+post)\s+at\s+the\b"
    # "the kid who read at the remembrance service at the cathedral"
    r"|\b(?:read|recited|sang|spoke|played)\s+(?:at|in)\s+the\s+(?:town'?s\s+)?(?:remembrance|memorial|civic|armistice"
    r"|mayor'?s)\s+(?:day\s+)?(?:service|parade|concert|ceremony)\b"
    r"|\bsigned\s+(?:for|with)\s+(?:the\s+)?(?-i:[A-Z])\w+"
    r"|\bwon\s+the\s+(?:[a-z]+\s+)?(?:national|county|british|english|world|european|regional)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:title|championship|competition|final|cup)\b"
    r"|\ball\s+over\s+the\s+(?:school|club|church)\s+(?:website|newsletter|facebook|page)\b"
    r"|\b(?:taxi|car|van|bus|truck|pickup|bike|limo|camper)\s+(?:painted|sprayed|wrapped)\s+in\b"
    # the only one in a named school: "the only one at Chatham Grammar"
    r"|\bthe\s+only\s+one\s+(?:at|in)\s+(?:the\s+)?(?-i:[A-Z])\w+"
    # "dad drives the big yellow monster truck he takes to the shows"
    r"|\b(?:drives|owns|has|takes|brings)\s+(?:the|a|an|his|her|their|that)\s+(?:[a-z]+\s+){0,2}?(?:monster\s+truck"
    r"|stretch\s+limo|limousine|hearse|fire\s+engine|ice\s+cream\s+van|hovercraft)\b"
    r"|\b(?:busks|busking|does\s+(?:the\s+)?(?:magic\s+tricks|face\s+painting|street\s+dance)|juggles|performs)"
    r"\s+(?:outside|at|by|in\s+front\s+of)\s+(?:the\s+)?(?-i:[A-Z])[\w'’]+)"
)
# "our yr 8 boy swims for Medway Dolphins": a child's club by its name
_SWIMS_FOR = lazy_compile(
    r"(?i:\b(?:swims|plays|trains|boxes|runs|dances|rides|skates|competes|fights|rows)\s+(?:for|with)\s+(?:the\s+)?)"
    r"([A-Z][a-z]+\s+[A-Z][a-z]+)"
)
# "her big brother plays for Gillingham FC's first team": a child known through a relative people watch play
_RELATIVE_PLAYS_FOR = lazy_compile(
    r"(?i:\b(?:brother|sister|dad|mum|uncle|cousin)\s+plays\s+for\s+(?:the\s+)?(?:[a-z']+\s+){1,3}?(?:fc|afc|united|town"
    r"|city|rovers)\b)"
)
_CLUB = r"fc|afc|united|town|city|rovers|academy|rfc|cc|athletic|wanderers|rangers|juniors|youth|colts|harriers|stars"
# "u14 goalkeeper at rainham rovers girls", "captain of the strood colts u12s": an age group's team
_AGE_GROUP_TEAM = lazy_compile(
    rf"(?i:\b(?:u|under\s*)\d{{1,2}}s?\s+(?:[a-z]+\s+){{0,2}}?(?:at|for|of|in)\s+(?:the\s+)?(?:[a-z'&]+\s+){{1,3}}?(?:{_CLUB})\b"
    rf"|\b(?:goalkeeper|keeper|goalie|captain|striker|defender|midfielder|winger|mascot)\s+(?:at|for|of|in)\s+(?:the\s+)?"
    rf"(?:[a-z'&]+\s+){{1,3}}?(?:{_CLUB})\b(?:\s+(?:u|under\s*)\d{{1,2}}s?)?"
    # "captain of the Lordswood under 16s netball team"
    r"|\b(?:goalkeeper|keeper|goalie|captain|striker|defender|midfielder|winger|mascot)\s+(?:at|for|of|in)\s+(?:the\s+)?"
    r"(?:[\w'&]+\s+){0,3}?(?:u|under\s*)\d{1,2}s?\b"
    r"|\bthe\s+(?-i:[A-Z][a-z]+)\s+(?-i:[A-Z][a-z]+)\s+(?:u|under\s*)\d{1,2}s\b)"
)
# "the girl who won the medway young carer of the year award", "the lad who was on the news": a child
# people have read about
_CHILD_IN_THE_NEWS = lazy_compile(
    r"(?i:\b(?:girl|boy|lad|lass|kid|child|teen|teenager|pupil|student|baby|toddler|twins|family)s?\s+(?:who|that|whos|who's)"
    r"\s+(?:has\s+|had\s+|just\s+)?(?:won|got|was\s+awarded|were\s+awarded|received|came\s+(?:first|second|third))\s+"
    r"the\s+(?:[a-z'&-]+\s+){0,6}?(?:award|trophy|prize|medal|cup|competition|title|scholarship)\b"
    # a local paper by name, or any news said to have had this child in it
    r"|\b(?:girl|boy|lad|lass|kid|child|teen|teenager|pupil|baby|toddler|twins|family)s?\s+(?:(?:who|that)\s+(?:was|were|has\s+been)\s+)?"
    r"(?:in|on|from)\s+the\s+(?:kent\s*online|kentonline|km|kent\s+messenger|medway\s+messenger|local\s+(?:paper|news))\b"
    r"|\b(?:girl|boy|lad|lass|kid|child|teen|teenager|pupil|baby|toddler|twins|family)s?\s+(?:who|that)\s+(?:was|were|has\s+been)"
    r"\s+(?:in|on)\s+the\s+(?:paper|papers|news|telly|tv|radio)\b"
    # "the kid from strood who was on britains got talent": a show everyone watched
    # "the lad who won Medway Young Carer of the Year"
    r"|\b(?:won|awarded|named)\s+(?:the\s+)?(?:[A-Za-z'-]+\s+){0,5}?of\s+the\s+year\b"
    # "a condition so rare there's a local charity named after her"
    r"|\b(?:charity|fund|appeal|foundation|playground|bench|garden)\s+(?:named|set\s+up)\s+(?:after|for)\s+(?:her|him|them)\b"
    # "sister just won gold at the junior commonwealth", "the boy from Chatham who won the BBC young chef thing",
    # "who's the county junior chess champion", "sang on the main stage at the Mela"
    r"|\b(?:sister|brother|son|daughter|girl|boy|she|he|who|kid|lad)\s+(?:\w+\s+)?(?:won|has\s+won)\s+(?:a\s+)?"
    r"(?:gold|silver|bronze)\b"
    r"|\bwho\s+(?:has\s+|had\s+|just\s+)?won\s+(?:the\s+)?(?:bbc|itv|channel\s+4|national|county|kent|medway|regional"
    r"|british|england|uk)\b"
    r"|\b(?:county|national|world|european|british|english|kent|junior|regional|under[\s-]?\d{1,2}|u\d{1,2})\s+"
    r"(?:[a-z]+\s+){0,2}?champion\b"
    r"|\b(?:support\s+slot|main\s+stage|castle\s+concerts)\b"
    r"|\bon\s+(?:britain'?s\s+got\s+talent|bgt|the\s+voice(?:\s+kids)?(?!\s+of\b)"
    r"|x\s+factor|the\s+x\s+factor|blue\s+peter|newsround|cbbc|junior\s+bake\s+off|masterchef|the\s+apprentice)\b)"
)
# "the newborn left outside the church ... that was in the kent messenger": a local paper by name, or news said
# to have carried this, anywhere in a text about a child
_LOCAL_NEWS = lazy_compile(
    r"(?i:\b(?:was|were|been)\s+all\s+over\s+(?:facebook|fb|social\s+media|tiktok|insta(?:gram)?|twitter|snapchat|whatsapp|the\s+news|the\s+papers?)"
    r"|\bwent\s+viral\b"
    r"|\b(?:off|from|in|on)\s+the\s+(?:itv\s+)?(?:meridian|south\s+east\s+today|bbc|itv|kmtv|kent\s+online|kentonline)\s+"
    r"(?:report|story|piece|programme|documentary|article)\b"
    r"|\b(?:video|clip|post)\s+(?:that\s+(?:went|was\s+going)\s+round|going\s+round|doing\s+the\s+rounds)\b"
    r"|\b(?:was|were|been)\s+on\s+(?:south\s+east\s+today|look\s+east|(?:itv\s+)?meridian|bbc\s+news|itv\s+news|kmtv"
    r"|the\s+(?:local\s+|south\s+east\s+|kent\s+|regional\s+)?news)\b"
    # "on the kent police missing appeal", "on that channel 4 benefits documentary", "who's been in the paper",
    # "always in the papers", "the big gofundme for his wheelchair"
    r"|\b(?:missing|police|witness)\s+appeal\b"
    # "yesterday's missing children appeal", "the appeal on the news for the missing teen"
    r"|\b(?:missing|police|witness)\s+(?:child|children|kids?|persons?|people|teens?|teenagers?|girls?|boys?)\s+appeal\b"
    r"|\bappeal\s+(?:on|in)\s+the\s+(?:local\s+)?(?:news|paper|papers|telly|tv|radio)\b"
    r"|\b(?:was|were|been|appeared|featured)\s+(?:on|in)\s+(?:that|the|a)\s+(?:[\w-]+\s+){0,3}?(?:documentary|reality\s+show"
    r"|tv\s+programme|tv\s+series)\b"
    r"|\bwho['’]?s\s+been\s+(?:in|on)\s+the\s+(?:paper|papers|news|telly|tv|radio)\b"
    r"|\b(?:always|constantly|forever)\s+in\s+the\s+(?:papers?|news)\b"
    # (not a piece on a subject: "the Medway Messenger ran a piece on child poverty")
    r"|\b(?:kent\s*online|kentonline|kent\s+messenger|medway\s+messenger|kent\s+live|bbc\s+south\s+east"
    r"|meridian\s+news)\b(?!\s+(?:ran|published|did|had|has|printed)\s+(?:a|an)\s+(?:\w+\s+)?(?:piece|article|feature"
    r"|series|report|story)\s+(?:\w+\s+){0,2}?(?:on|about)\b)|\b(?:that|which|who|mum|dad|mother|father|parents?|stepdad|uncle|brother|sister)"
    r"\s+(?:was|were|has\s+been)\s+(?:in|on|all\s+over)\s+the\s+(?:paper|papers|news"
    r"|telly|tv|radio)\b)"
)
# "the Chatham family who run the ice cream vans", "the family who won the lottery last year in Walderslade",
# "the deaf family on the houseboats at upnor": a family the town knows for something
_FAMILY_KNOWN_FOR = lazy_compile(
    r"(?i:\bfamily\s+(?:who|that)\s+(?:runs?|owns?|won|were\s+on|was\s+on|manages?)\s+the\s+[\w'-]+"
    r"|\bthe\s+(?:[a-z]+\s+)?family\s+(?:on|in|at)\s+the\s+(?:houseboats?|boats?|barges?|narrowboats?|caravan\s+site"
    r"|farm|island|marina|boatyard)\b)"
)
# "girl who gave birth in the school toilets", "the lifeboat had to come out for him", "lost her leg in the
# train accident": an event too rare to be anyone else's
_RARE_EVENT = lazy_compile(
    r"(?i:\b(?:gave\s+birth|had\s+(?:a|the|her)\s+baby)\s+(?:in|at|on|outside)\s+(?:the\s+)?(?:school|toilets?"
    r"|class(?:room)?|playground|bus|park|street|canteen|corridor|doorway|car\s+park|station|train|shop|stairwell|lift|taxi"
    r"|council)\b"
    # "airlifted out of the Medway", "jumping off Rochester Bridge for a dare"
    r"|\bairlifted\b|\bjump(?:ed|ing)?\s+off\s+(?-i:[A-Z])\w+\s+bridge\b"
    r"|\b(?:lifeboat|coastguard|air\s+ambulance|(?:police\s+)?helicopter)\s+(?:had\s+to\s+(?:come|be\s+called)|came\s+out"
    r"|was\s+called|were\s+called|out\s+(?:for|over|looking)|rescued?|search(?:ed)?)\b"
    r"|\blost\s+(?:her|his|their)\s+(?:leg|arm|eye|hand|foot|fingers?)\b"
    r"|\b(?:went\s+missing|was\s+found|got\s+lost|was\s+lost|disappeared)\b[^.!?]{0,40}?\b(?:at|during)\s+the\s+(?:fireworks"
    r"|carnival|festival|fair|funfair|parade|concert|regatta|sweeps|mela|air\s+show)\b"
    r"|\bsinkhole\b"
    r"|\bdrove\s+(?:the|his|her|a|their)\s+(?:car|van|truck)\s+(?:into|through)\s+(?:the|a|their|his|her)\s+(?:[a-z]+\s+)?"
    r"(?:wall|house|shop|window|garden|school|gates?|pub|fence)\b"
    r"|\b(?:brought|took|carried|had)\s+(?:a|an|the)\s+(?:knife|machete|blade|gun|air\s+rifle|bb\s+gun|weapon|zombie\s+knife)"
    r"\s+(?:in)?to\s+(?:the\s+)?(?-i:[A-Z])\w+\s+(?:[\w-]+\s+)?(?:sixth\s+form|school|college|academy|primary|grammar)\b"
    r"|\b(?:heart|liver|kidney|lung|bone\s+marrow)\s+transplant\b|\bbrittle\s+bone\s+disease\b)"
)
# "the family with the purple ice cream van that parks up on princes park": a vehicle people know, where it stands
_VEHICLE_KNOWN = lazy_compile(
    r"(?i:\b(?:purple|pink|red|blue|green|yellow|orange|gold)\s+(?:[a-z]+\s+){0,2}?(?:van|camper(?:van)?"
    r"|caravan|motorhome|horsebox|boat|bus|double\s+decker(?:\s+bus)?|limo|limousine|hearse|hummer|tuk[\s-]?tuk)\s+"
    r"(?:that\s+|which\s+)?(?:parks?|parked|is\s+parked|sits|stands|every\s+day|you\s+see|everyone\s+(?:knows|sees)"
    r"|round|around)\b"
    # "the family who live in an ice cream van over winter", "the kids in the converted lighthouse at upnor",
    # "live in the old lighthouse keepers cottage": a home like no other
    r"|\b(?:live|lives|living|sleep|sleeps|sleeping|stay|stays|staying)\s+in\s+(?:an?|the|their|that)\s+(?:[a-z]+\s+)?"
    r"(?:ice\s+cream\s+van|horsebox|double\s+decker|lighthouse|windmill|water\s+tower|signal\s+box|martello\s+tower)"
    r"|\b(?:the|that|a)\s+(?:old\s+|converted\s+)+(?:lighthouse|windmill|water\s+tower|signal\s+box)\b"
    r"|\b(?:the|that|a)\s+converted\s+(?:church|chapel|fort|police\s+station|fire\s+station|pub|bank)\b"
    r"|\blighthouse\s+keepers?['’]?\s+cottage\b"
    # "keep a pony tethered in their front garden"
    r"|\b(?:pony|horse|goat|pigs?|donkey|alpaca|llama)\s+(?:tethered|tied\s+up|kept|grazing)\s+(?:in|on|outside)\b)"
)
# "out of prison for the arson at the garage": one crime everyone local heard of
_NAMED_CRIME = lazy_compile(
    r"(?i:\bthe\s+(?:arson|stabbing|shooting|robbery|murder|fire|explosion|siege|raid|hit\s+and\s+run|car\s+crash|crash)"
    r"\s+(?:at|in|on|outside|near)\s+the\s+[\w'-]+)"
    # "the Luton Arches stabbing": the crime by where it happened
    r"|\bthe\s+(?:[A-Z][\w'-]+\s+){1,2}(?i:arson|stabbing|shooting|robbery|murder|siege|hit\s+and\s+run)\b"
)
# "girl in yr 7 with the insulin pump and the service dog": an aid few children have, in a group people know
_AID_FEW_HAVE = lazy_compile(
    r"(?i:\b(?:insulin\s+pump|service\s+dog|assistance\s+dog|guide\s+dog|hearing\s+dog|feeding\s+tube|peg\s+feed"
    r"|tracheostomy|trachy|trach|feeding\s+pump|colostomy|stoma|oxygen\s+tank|cochlear\s+implants?|rare\s+(?:form|type|genetic|condition"
    r"|disease|syndrome|disorder)))\b"
)
# "the family with 11 kids in allhallows": so many children that there is one such family
_LARGE_FAMILY = lazy_compile(
    r"(?i:\b(?:family|mum|mother|parents|couple)\s+(?:with|of)\s+(?:1\d|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen)(?:\s+(?:kids|children|boys|girls))?\b"
    # "family with 9 children in a 3 bed on the Wayfield estate": eight or nine, with where they live
    r"|\b(?:family|mum|mother|parents|couple)\s+(?:with|of)\s+(?:[89]|eight|nine)(?:\s+(?:kids|children))?\b"
    rf"(?=[^.!?]{{0,40}}\b(?:on\s+the\s+\w+\s+estate|in\s+(?:(?-i:[A-Z])\w+|{TOWNS})))"
    # "dad has 11 children with 4 different mums", "family with 9 kids under 12", "raising 7 boys on his own in
    # lordswood", "grandma raising 6 grandkids": so many children, or so many raised alone, that people know them
    r"|\b(?:has|had|with|of|raising|bringing\s+up|looking\s+after|caring\s+for)\s+(?:(?:the|his|her|their)\s+)?(?:9|1\d|nine|ten|eleven|twelve)"
    r"\s+(?:kids|children|boys|girls|sons|daughters|grandkids|grandchildren)\b"
    r"|\b(?:raising|bringing\s+up|looking\s+after|caring\s+for)\s+(?:(?:his|her|their|the)\s+)?(?:[5-8]|five|six|seven|eight)\s+(?:kids|children|boys"
    r"|girls|sons|daughters|grandkids|grandchildren)\s+(?:on\s+(?:his|her|their)\s+own|alone|single[\s-]handed)"
    r"|\bsibling\s+group\s+of\s+(?:[5-9]|five|six|seven|eight|nine)\b(?=[^.!?]{0,60}\bin\s+(?-i:[A-Z])\w+)"
    r"|\bthe\s+only\s+foster\s+(?:carer|family|home)s?\s+in\s+(?-i:[A-Z])\w+"
    # "dad and two mums and eight foster kids"
    r"|\b(?:[6-9]|1\d|six|seven|eight|nine|ten|eleven|twelve)\s+foster\s+(?:kids|children|placements|boys|girls)\b"
    r"|\b(?:dad|father)\s+and\s+(?:two|2|three|3)\s+mums\b|\b(?:mum|mother)\s+and\s+(?:two|2|three|3)\s+dads\b)"
)
# "a mum in the 'Rainham Mums Selling Up' fb group": a named local group online
_NAMED_GROUP_ONLINE = lazy_compile(
    r"(?i:[\'\"‘“][^\'\"’”\n]{3,40}[\'\"’”]\s+(?:fb|facebook|whatsapp|telegram|snapchat|discord)\s+(?:group|chat|page)"
    # "a youtube channel called 'The Rainham Crew'", "runs the facebook page 'Rochester Mums Speak Out'"
    r"|\b(?:channel|page|account|group|profile|vlog|podcast)\s+(?:called\s+|named\s+)?[\'\"‘“][^\'\"’”\n]{3,40}[\'\"’”]"
    # "the makeup channel on insta with 40k followers": known well beyond school (a few thousand is many a teen's)
    r"|\b(?:\d{2,}(?:\.\d)?\s*k|\d+(?:\.\d)?\s*m)\s+(?:followers|subscribers|subs)\b"
    r"|\b\d{2,3}(?:,\d{3})+\s+(?:followers|subscribers)\b)"
)
# "only 2 children in reception at the little school": so few that each is known
_TINY_GROUP = lazy_compile(
    r"(?i:\bonly\s+(?:[1-6]|one|two|three|four|five|six)\s+(?:children|kids|pupils|girls|boys)\s+in\s+(?:reception"
    r"|(?:year|yr)\s*\d{1,2}|the\s+(?:class|school|year|village|nursery)))"
)
# "baby in bed 3 on the childrens ward": one bed of one ward
_HOSPITAL_BED = lazy_compile(
    r"(?i:\b(?:bed|bay|cot|cubicle|side\s+room)\s+\d{1,2}[a-z]?\b[^.!?\n]{0,24}?\b(?:ward|hospital|maritime|nicu|scbu|picu"
    r"|a&e|unit)\b"
    # "Puffin ward, bed 4"
    r"|\b(?-i:[A-Z][a-z]+)\s+ward\s*,?\s*(?:bed|bay|cot|cubicle|side\s+room)\s+\d{1,2}[a-z]?\b)"
)
# "the little brother of our yr 6 boy on a cp plan": a child known through a brother or sister people know
_SIBLING_OF_KNOWN = lazy_compile(
    r"(?i:\b(?:brother|sister|sibling|bro|sis|twin)s?\s+of\s+(?:(?:our|my)\s+(?:[a-z0-9]+\s+){0,3}?"
    r"(?:boy|girl|lad|lass|pupil|student|kid|child|yp|teen)\s+(?:on|who|from|with|that|whos|who's)"
    r"|the\s+(?:[a-z0-9]+\s+){0,3}?(?:boy|girl|lad|lass|pupil|student|kid|child|yp|teen)\s+from\s+the)\b)"
)
# "the boy w the prosthetic arm": a limb few children have
_RARE_LIMB = lazy_compile(r"(?i:\b(?:prosthetic|artificial|false)\s+(?:arm|leg|hand|foot|limb|eye)\b)")

# "the triplets at our juniors", "the quads family in Lordswood": so few families that saying so names one
_FEW_SUCH_FAMILIES = lazy_compile(
    r"(?i:\b(?:the|our|her|his|their|those)\s+(?:[a-z]+\s+)?(?:quads|quins)\b"
    # "grandparents bringing up their daughter's triplets", "the triplet boys in year 4": one family in
    # thousands, however it is said ("quads" and "quins" only with a family: they are also muscles and bikes)
    r"|\b(?:the|our|her|his|their|those|with|has|had|raising|bringing\s+up|of)\s+(?:[a-z'’]+\s+)?(?:triplets|quadruplets"
    r"|quintuplets|sextuplets)\b|\btriplet\s+(?:boys|girls|brothers|sisters|sons|daughters)\b"
    r"|\b(?:two|2|three|3)\s+sets\s+of\s+(?:twins|triplets)\b|\bwho\s+(?:has|had)\s+(?:quads|quins)\b"
    # "the two dads who adopted the 3 siblings from Ukraine"
    r"|\badopted\s+(?:the\s+|a\s+)?(?:[\w]+\s+){0,3}?(?:siblings|sibling\s+group(?:\s+of\s+\w+)?|children|kids|brothers"
    r"|sisters)\s+from\s+(?-i:[A-Z])\w+"
    # "both mums are deaf and the kids sign for them", "the only two dads fostering teenage girls in Medway"
    r"|\bboth\s+(?:mums|dads)\s+(?:are|were)\s+(?:deaf|blind|wheelchair\s+users|little\s+people)\b"
    r"|\btwo\s+(?:mums|dads)\s*,?\s+(?:in\s+\w+\s*,?\s+)?both\s+(?:deaf|blind|wheelchair\s+users)\b"
    # "whose two dads are both deaf", "her mums are both blind"
    r"|\b(?:mums|dads)\s+(?:are|were)\s+both\s+(?:deaf|blind|wheelchair\s+users|little\s+people)\b"
    r"|\bonly\s+(?:one|two|2|three|3)\s+(?:[a-z]+\s+)?(?:dads|mums|men|women|families|couples|carers)\s+"
    r"(?:fostering|adopting|who\s+foster|who\s+adopt)\b"
    r"|\b(?:triplets|quads|quins|quadruplets|quintuplets)\s+family\b|\bmum\s+of\s+(?:triplets|quads|quins)\b"
    r"|\bfamily\s+(?:in\s+[\w'-]+\s+)?(?:with|has|have)\s+(?:triplets|quads|quins)\b"
    r"|\b(?:had|having|expecting|pregnant\s+with)\s+(?:triplets|quads|quins)\b|\bmum\s+with\s+(?:triplets|quads|quins)\b"
    # "quads born last year", "triplets aged 4", "a set of quads": the births themselves
    r"|\b(?:triplets|quads|quins|quadruplets|quintuplets)\s+(?:were\s+|was\s+)?(?:born|aged|turned|turning|who\s+were\s+born)\b"
    r"|\b(?:triplets|quads|quins|quadruplets|quintuplets)\s+(?:are|were)\s+(?:\d{1,2}|now|only|just)\b"
    r"|\bset\s+of\s+(?:triplets|quads|quins|quadruplets|quintuplets)\b"
    # "young carer for both her blind parents", "both parents are wheelchair users": two parents with one
    # rare disability (deaf parents are many more: "both parents are deaf and she interprets" is a common worry)
    r"|\bboth\s+(?:of\s+)?(?:(?:her|his|their|the)\s+)?blind\s+(?:parents|carers)\b"
    r"|\bboth\s+(?:of\s+)?(?:(?:her|his|their|the)\s+)?(?:parents|carers|mum\s+and\s+dad)\s+(?:are|were)\s+(?:registered\s+)?"
    r"(?:blind|wheelchair\s+users|little\s+people)\b"
    r"|\b(?:two|2)\s+blind\s+parents\b"
    # "nan raising six grandchildren", "raised by her 2 grandads after both parents died": grandparents
    # bringing up a family of their own a second time
    r"|\b(?:nan|nana|nanny|gran|granny|grandma|grandmother|grandad|granddad|grandpa|grandfather|grandparents?)\s+"
    r"(?:is\s+|are\s+|who\s+is\s+|who\s+are\s+)?(?:raising|bringing\s+up)\s+(?:(?:his|her|their|the)\s+)?(?:[4-9]|four"
    r"|five|six|seven|eight|nine)\s+(?:grandkids|grandchildren|grandsons|granddaughters|kids|children)\b"
    r"|\b(?:raised|brought\s+up|being\s+raised|living)\s+(?:by|with)\s+(?:her|his|their)\s+(?:two|2)\s+(?:grandads|granddads"
    r"|grandpas|grandfathers|nans|grandmas|grannies|grandmothers)\b"
    r"|\bboth\s+(?:of\s+)?(?:her|his|their|the)?\s*parents\s+(?:died|were\s+killed|passed\s+away)\s+(?:in\s+the\s+same|the\s+same"
    r"|within|in\s+(?:a|the)\s+(?:crash|fire|accident|attack))\b"
    # "the two dads who adopted the Ukrainian siblings": a family by where its children came from
    r"|\badopted\s+(?:the|a|two|three|four|[2-5])\s+(?-i:[A-Z])\w+\s+(?:siblings|sibling\s+group|children|kids|brothers"
    r"|sisters|twins|boys|girls)\b"
    # "the only Tigrinya speakers in Medway": the one family of a language in a place
    r"|\bthe\s+only\s+(?:[\w-]+\s+)?(?:speakers?|speaking\s+family|family\s+who\s+speaks?)\s+(?:in|on|at)\s+(?:the\s+)?"
    r"(?:medway|kent|area|town|village|estate|school|county|(?-i:[A-Z])\w+))"
)
# "a 5yo ..., pupil at Hempstead Rise Infants, reception class": one child of one class of a named school
_NAMED_SCHOOL = lazy_compile(
    r"\b(?:[A-Z][a-z'-]+\s+){1,4}(?:Junior|Juniors|Infant|Infants|Primary|Academy|Grammar|Nursery|School|College|High)\b"
    # "at st marys": a saint's school, typed in lower case
    r"|(?i:\b(?:at|from)\s+st\.?\s+[a-z]+['’]?s\b)"
    r"|(?i:\b(?:at|from|of|to)\s+(?!(?:a|an|the|our|my|this|that|their|his|her|local|same|another|new|one|each|every"
    r"|any|which|what|your|secondary|different|nearby|catholic|faith|special)\b)(?:[a-z'-]+\s+){1,3}"
    r"(?:juniors?|infants?|primary|academy|grammar)\b)"
)
_YEAR_GROUP_TEXT = r"\b(?:year|yr|y)\s*\d{1,2}s?\b|\breception\b|\bnursery\s+class\b"
_YEAR_GROUP = lazy_compile(rf"(?i:{_YEAR_GROUP_TEXT})")
# "in 5C", "class 3B": a form group names one class as a year does
_CLASS_OR_AGE = lazy_compile(
    rf"(?i:{_YEAR_GROUP_TEXT}|\bclass\s+\d|\b\d{{1,2}}\s*(?:yo|y/o|years?\s+old)\b)|\bin\s+\d{{1,2}}[A-Z]{{1,2}}\b"
)
_ONE_CHILD = lazy_compile(
    # "new starter", "new arrival": one pupil, by when they joined
    r"(?i:\b(?:boy|girl|lad|lass|pupil|student|child|toddler|kid|new\s+starter|new\s+arrival|new\s+joiner)\b|\b\d{1,2}\s*(?:yo|y/o|years?\s+old)\b)"
)


# "the 3 kids", "both girls": one family's children, counted
_COUNTED_CHILDREN = lazy_compile(
    r"(?i:\b(?:[2-6]|two|three|four|five|six|both)\s+(?:kids|children|boys|girls)\b|\b(?:the\s+)?(?:twins|triplets)\b)"
)


def _one_pupil_of_a_named_school(text: str) -> Iterator[Finding]:
    if _CLASS_OR_AGE.search(text) and (_ONE_CHILD.search(text) or _COUNTED_CHILDREN.search(text)):
        for m in _NAMED_SCHOOL.finditer(text):
            # the child or a year group just before the school ("pupil at ...", "yr 1 2 and 5 at ..."), not
            # the asker ("the DSL at ...")
            before = max(0, m.start() - 30)
            if _ONE_CHILD.search(text, before, m.start()) or _CLASS_OR_AGE.search(text, before, m.start()):
                yield Finding(DESCRIPTION, m.start(), m.end())


# Each with words one of which it cannot match without: most texts hold none, so most patterns never run
_KNOWN_THROUGH_SOMETHING: tuple[tuple[LazyPattern, tuple[str, ...]], ...] = (
    (_CHILD_OF_SOMEONE_KNOWN, (" of ", "my ", "our ", "head", "'s", "’s")),
    (
        _FEW_SUCH_FAMILIES,
        ("triplet", "quad", "quin", "sextu", "sets of", "set of", "both", "only", "adopted", "blind", "raising")
        + ("bringing up", "raised", "brought up", "living with"),
    ),
    (
        _LARGE_FAMILY,
        ("kids", "children", "boys", "girls", "family", "grand", "sons", "daughters", "sibling", "foster", "mums")
        + ("dads",),
    ),
    (
        _RARE_EVENT,
        ("birth", "baby", "lifeboat", "coastguard", "ambulance", "helicopter", "lost", "missing", "found")
        + ("disappeared", "sinkhole", "transplant", "brittle", "knife", "machete", "blade", "gun", "rifle", "weapon")
        + ("drove", "airlifted", "bridge"),
    ),
    (_RARE_LIMB, ("prosthe", "artificial", "false")),
    (_ONE_PUPILS_POST, ("head girl", "head boy", "captain", "prefect", "chorister")),
    (_RELATIVE_PLAYS_FOR, ("plays for",)),
    (
        _MANY_ANIMALS,
        ("rats", "mice", "snakes", "cats", "dogs", "birds", "reptiles", "rabbits", "ferrets", "animals", "pets")
        + ("chickens", "pigeons"),
    ),
    (_ROOMS_AT_A_PLACE, ("room",)),
    (_CROWDFUNDING, ("fund", "giving", "crowd")),
    (
        _RARE_PET,
        ("python", "boa", "snake", "ferret", "tarantula", "iguana", "lizard", "dragon", "parrot", "macaw", "owl")
        + ("monkey", "meerkat", "raccoon", "skunk", "wolfdog", "pig", "alpaca", "llama"),
    ),
    (
        _KNOWN_TO_THE_TOWN,
        ("won", "games", "olympic", "paralympic", "championships", "front", "cover", "only one", "busk", "magic")
        + ("face painting", "street dance", "juggles", "performs", "picked", "selected", "chosen", "called up")
        + ("monster", "limo", "hearse", "fire engine", "ice cream", "hovercraft", "poem", "reading", "solo", "speech")
        + ("charity", "under", "was in the")
        + ("wreath", "last post", "signed", "all over", "painted", "sprayed", "wrapped", "slot", "show", "segment")
        + ("column", "feature", "window", "windscreen", "bumper", "nan", "gran", "deaf", "blind", "remembrance")
        + ("memorial", "civic", "armistice", "mayor")
        + ("one of only",),
    ),
    (
        _AGE_GROUP_TEAM,
        (
            "u1",
            "u2",
            "u6",
            "u7",
            "u8",
            "u9",
            "under",
            "captain",
            "keeper",
            "goal",
            "striker",
            "defender",
            "midfield",
            "winger",
            "mascot",
        ),
    ),
    (
        _CHILD_IN_THE_NEWS,
        (
            "award",
            "trophy",
            "prize",
            "medal",
            "cup",
            "competition",
            "title",
            "scholarship",
            "paper",
            "news",
            "kent",
            "km",
            "messenger",
            "telly",
            "tv",
            "radio",
            "talent",
            "bgt",
            "voice",
            "factor",
            "peter",
            "cbbc",
            "bake",
            "masterchef",
            "apprentice",
            "year",
            "named",
            "set up",
            "gold",
            "silver",
            "bronze",
            "won",
            "champion",
            "support slot",
            "main stage",
            "castle concerts",
        ),
    ),
    (_HOSPITAL_BED, ("bed", "bay", "cot", "cubicle", "side room")),
    (_SIBLING_OF_KNOWN, ("brother", "sister", "sibling", "bro", "sis", "twin")),
    (
        _VEHICLE_KNOWN,
        ("park", "sits", "stands", "tether", "tied", "kept", "grazing", "every day", "you see", "everyone", "round")
        + ("live", "living", "sleep", "stay", "lighthouse", "windmill", "tower", "signal box", "converted"),
    ),
    (
        _NAMED_GROUP_ONLINE,
        ("group", "chat", "page", "channel", "account", "profile", "vlog", "podcast", "followers", "subscribers")
        + ("subs",),
    ),
    (_TINY_GROUP, ("only",)),
)
_ONLY = ("only", "one")
_WITH_A_CHILD: tuple[tuple[LazyPattern, tuple[str, ...]], ...] = (
    (_CLUB_TEAM, ("play",)),
    (_SWIMS_FOR, (" for ", " with ")),
    (
        _LOCAL_NEWS,
        (
            "kent",
            "messenger",
            "meridian",
            "bbc",
            "paper",
            "news",
            "telly",
            "tv",
            "radio",
            "all over",
            "viral",
            "round",
            "south east",
            "look east",
            "itv",
            "appeal",
            "documentary",
            "reality",
            "programme",
            "series",
            "always in",
            "constantly in",
            "forever in",
        ),
    ),
    (_ONLY_ONE_WITH, ("only one",)),
)


def _workplaces(text: str) -> Iterator[Finding]:
    lowered = text.lower()
    for pattern, needs in _KNOWN_THROUGH_SOMETHING:
        for m in pattern.finditer(text) if any(w in lowered for w in needs) else ():
            yield Finding(DESCRIPTION, m.start(), m.end())
    known_for = "family" in lowered and _FAMILY_KNOWN_FOR.search(text) is not None
    if known_for and (_named_places(text) or _ANY_TOWN.search(text) or "family on" in lowered):
        for m in _FAMILY_KNOWN_FOR.finditer(text):
            yield Finding(DESCRIPTION, m.start(), m.end())
    if _CHILD.search(text):
        for pattern, needs in _WITH_A_CHILD:
            for m in pattern.finditer(text) if any(w in lowered for w in needs) else ():
                yield Finding(DESCRIPTION, m.start(), m.end())
    if any(w in lowered for w in _ONLY):
        for m in _ONLY_CHILD_OF_A_KIND.finditer(text):
            # "an only child at home", "the only child in the house": no brothers or sisters, not one of a kind
            if not _NO_SIBLINGS.search(m.group() + text[m.end() : m.end() + 30]):
                yield Finding(DESCRIPTION, m.start(), m.end())
        for m in _ONLY_ONE_IN_GROUP.finditer(text):
            yield Finding(DESCRIPTION, m.start(), m.end())
        for m in _ONLY_ONE.finditer(text):
            yield Finding(DESCRIPTION, m.start(), m.end(1))
    for m in _RELATIVE_AT_WORK.finditer(text):
        yield Finding(DESCRIPTION, m.start(), m.end())
    if _YOUNG.search(text):
        for m in _CHILD_AT_WORK.finditer(text):
            yield Finding(DESCRIPTION, m.start(1), m.end(1))
        for m in _CHILD_AT_A_PLACES_BUSINESS.finditer(text) if "work" in lowered or "job" in lowered else ():
            yield Finding(DESCRIPTION, m.start(), m.end())
    if _CHILD.search(text):
        for m in _NAMED_CRIME.finditer(text) if "the " in lowered else ():
            yield Finding(DESCRIPTION, m.start(), m.end())
        # an aid few children have, with a year group, a named school or a town
        aid = _AID_FEW_HAVE.search(text)
        if aid and (_YEAR_GROUP.search(text) or _NAMED_SCHOOL.search(text) or _ANY_TOWN.search(text)):
            yield Finding(DESCRIPTION, aid.start(), aid.end())


# --- marks a person can be picked out by ---------------------------------------------------------

_BODY = (
    r"eye|eyes|eyebrow|cheek|forehead|neck|wrist|hand|arm|face|lip|chin|nose|ear|head|jaw|temple|throat"
    r"|shoulder|knuckles|fingers"
)
# A tattoo that is something ("a dragon tattoo"), a birthmark, or a scar on one side of the face.
_MARK = lazy_compile(
    # the word before "tattoo" is at most 41 letters and hyphens: unbounded, every \b inside
    # "x-x-x-..." read to the end of the run (quadratic, seconds for a long line)
    rf"(?i:\b(?!(?:a|an|the|new|small|big|little|homemade|home-made|fresh|first|his|her|their|some|any)\b)"
    rf"[a-z][a-z-]{{1,40}}\s+tattoos?\b(?:\s+(?:on|across|over|behind|under)\s+(?:his|her|their|the)\s+(?:left\s+|right\s+)?(?:{_BODY}))?"
    rf"|\b(?:port[\s-]wine\s+(?:stain|birthmark|mark)|birthmark)\s+(?:on|over|across|above|below|under|by)"
    rf"\s+(?:half\s+(?:of\s+)?)?(?:his|her|their|the)\s+(?:left\s+|right\s+)?(?:{_BODY})\b"
    rf"|\bscar\s+(?:on|over|across|through|above|below|under|by)\s+(?:his|her|their|the)\s+(?:left|right)\s+(?:{_BODY})\b"
    # "the burn scar down the left of his face"
    rf"|\bscar\s+(?:down|on|across|along)\s+the\s+(?:left|right)\s+(?:side\s+|hand\s+side\s+)?of\s+(?:his|her|their)"
    rf"\s+(?:{_BODY})\b)"
)
_PICTURE = lazy_compile(r"(?i:\b(?:photos?|pictures?|pics?|selfies?|images?|videos?|footage|cctv|snaps?)\b)")
# Looks a picture shows: hair dyed or styled to stand out, a cleft lip, a club's named kit.
_LOOKS = lazy_compile(
    r"(?i:\b(?:bright\s+)?(?:ginger|red|pink|green|blue|purple|orange|bleached|peroxide)\s+(?:hair|braids|mohawk|dreads)\b"
    r"|\b(?:red[\s-]headed|ginger[\s-]haired|eye\s*patch(?:es)?|shaved\s+head|nose\s+(?:ring|stud)|face\s+tattoo|albino)\b"
    r"|\b(?:ginger|red|pink|green|blue|purple|bleached)\s+(?:plaits|pigtails|bunches|dreadlocks|afro|curls|ponytail)\b"
    r"|\b(?:ginger|red[\s-]headed)\s+(?:twins?|girls?|boys?|lads?|kids?|toddler|baby)\b"
    r"|\b[67]\s*(?:ft|foot|feet|')\s*\d{0,2}\b"
    r"|\b(?:wears|wearing|in)\s+(?:a|the|his|her)\s+(?:(?!same\b)[\w-]+\s+){0,3}(?:costume|onesie|cape|tutu|fancy\s+dress)\b"
    r"|\bin\s+(?:a|an|the|his|her)\s+(?:(?!same\b)[\w-]+\s+){0,3}(?-i:[A-Z])[a-z]+\s+(?:shirt|kit|top|jersey|hoodie)\b"
    r"|\b(?:mohawk|cornrows|dreadlocks|braids)\b|\bcleft\s+(?:lip|palate)\b)"
    r"|\b(?:his|her)\s+(?:(?!PE\b|School\b)[A-Z][A-Za-z]+\s+){1,3}(?:[a-z]+\s+)?(?:hoodie|shirt|kit|jersey|jacket)\b"
)


# "see the attached pic of the bruises", "I've uploaded a photo of her bedroom": the bot would be given
# a picture of a child or a home, which it must never hold
_SHARED_PICTURE = lazy_compile(
    # the asker sending it, not a child "sending pics" to someone
    r"(?i:(?:\b(?:attached|attaching|uploaded|uploading|enclosed|pasted|i'?ve\s+sent|i\s+have\s+sent|sent\s+you"
    r"|(?:i|we)\s+(?:took|have\s+taken|'?ve\s+taken)|(?:i'?m|i\s+am|we'?re)\s+sending)|^\s*sending)"
    r"\s+(?:(?:a|an|the|this|my|her|his|their|some|you|two|three|few)\s+){0,2}(?:[\w-]+\s+){0,2}"
    # ...or a file of the family's records ("uploaded the CP chronology docx for the family")
    r"(?:photos?|pics?|pictures?|images?|screenshots?|screen\s+shots?|videos?|snaps?|scans?|docx|pdf|chronology"
    r"|case\s+notes|referral\s+form|file)\b"
    r"|\b(?:photos?|pics?|pictures?|images?|screenshots?|videos?)\s+(?:attached|below|uploaded|enclosed)\b(?!\s+to\b)"
    r"|\battaching\s+(?:it|them)\s+here\b)"
)
# ...of someone: a certificate or the course's slides is nobody's picture
_SOMEONE = lazy_compile(
    r"(?i:\b(?:his|her|him|she|he|they|their|pupils?|family|mum|dad|baby|home|house|bedroom|childs|injur(?:y|ies)"
    r"|bruis(?:e|es|ing))\b)"
)


def _marks(text: str) -> Iterator[Finding]:
    for m in _SHARED_PICTURE.finditer(text):
        if _CHILD.search(text) or _SOMEONE.search(text):
            yield Finding(DESCRIPTION, m.start(), m.end())
    for m in _MARK.finditer(text):
        yield Finding(DESCRIPTION, m.start(), m.end())
    if _PICTURE.search(text):
        for m in _LOOKS.finditer(text):
            yield Finding(DESCRIPTION, m.start(), m.end())
        return
    # "girl with bright pink hair who hangs round chatham bus station": looks and a place pick her out
    for s in SENTENCE.finditer(text) if _LOOKS.search(text) else ():
        looks = _LOOKS.search(s.group())
        child = _CHILD.search(s.group()) or _CHILDREN.search(s.group())
        if looks and child and (_named_places(s.group()) or _AGAIN_AND_AGAIN.search(s.group())):
            yield Finding(DESCRIPTION, s.start() + looks.start(), s.start() + looks.end())


# --- a condition only a handful of children have ------------------------------------------------

# Named conditions so rare that a county has a handful of children with each, or none: about 1 in
# 10,000 births or rarer, by the prevalence Orphanet gives (orpha.net, each condition's page), or NHS
# and GOSH pages where Orphanet gives a range. A child with one is known by it to every service that
# sees them ("4yo with harlequin ichthyosis"); common conditions (Down syndrome, autism, cerebral palsy,
# cystic fibrosis, sickle cell, eating disorders) are left out, as they pick out nobody.
_RARE_CONDITIONS = (
    r"progeria|hutchinson[\s-]gilford|harlequin\s+(?:ichthyosis|baby)|fibrodysplasia\s+ossificans(?:\s+progressiva)?"
    r"|stone\s+man\s+syndrome|fop|cri[\s-]du[\s-]chat|5p\s*(?:minus|-|deletion)\s+syndrome|epidermolysis\s+bullosa"
    r"|butterfly\s+skin|alstr[oö]m\s+syndrome|batten\s+disease|cln[1-8]\s+disease|rett\s+syndrome"
    r"|prader[\s-]willi(?:\s+syndrome)?|williams\s+syndrome|angelman\s+syndrome|treacher\s+collins(?:\s+syndrome)?"
    r"|apert\s+syndrome|crouzon\s+syndrome|pfeiffer\s+syndrome|xeroderma\s+pigmentosum|lesch[\s-]nyhan(?:\s+syndrome)?"
    r"|niemann[\s-]pick(?:\s+disease)?|tay[\s-]sachs(?:\s+disease)?|sanfilippo(?:\s+syndrome)?|hunter\s+syndrome"
    r"|hurler\s+syndrome|morquio(?:\s+syndrome)?|mucopolysaccharidosis|menkes\s+disease|krabbe\s+disease"
    r"|canavan\s+disease|alexander\s+disease|cockayne\s+syndrome|proteus\s+syndrome|m[oö]bius\s+syndrome"
    r"|wolf[\s-]hirschhorn(?:\s+syndrome)?|cornelia\s+de\s+lange(?:\s+syndrome)?|smith[\s-]magenis(?:\s+syndrome)?"
    r"|kabuki\s+syndrome|joubert\s+syndrome|dravet\s+syndrome|edwards['’]?\s+syndrome|trisomy\s+1[38]"
    r"|patau['’]?\s+syndrome|osteogenesis\s+imperfecta|achondroplasia|congenital\s+insensitivity\s+to\s+pain"
    r"|conjoined\s+twins|sirenomelia|leigh\s+syndrome|zellweger\s+syndrome|ondine['’]?s\s+curse"
    r"|congenital\s+central\s+hypoventilation"
)
_RARE_CONDITION = lazy_compile(rf"(?i:\b(?:{_RARE_CONDITIONS})\b)")
# ...said of one child or family, not of children in general ("training on children with Rett syndrome")
_ONE_WITH_IT = lazy_compile(
    r"(?i:\b(?:boy|girl|lad|lass|kid|child|teen|teenager|pupil|student|young\s+person|yp|toddler|baby|infant|newborn"
    r"|son|daughter|grandson|granddaughter|twins?|patient|family|whose|our\s+little\s+one)\b"
    r"|\b\d{1,2}\s*(?:yo|y/o|yrs?|years?|months?|mths?)\b|\b(?:year|yr|y)\s*\d{1,2}\b)"
)


def _rare_conditions(text: str) -> Iterator[Finding]:
    condition = _RARE_CONDITION.search(text)
    if condition and _ONE_WITH_IT.search(text):
        yield Finding(DESCRIPTION, condition.start(), condition.end())


# --- one family's day in court -------------------------------------------------------------------

# "dad has a non-mol hearing on the 12th", "mums final hearing in the care proceedings for her twins is
# next week", "youth court next wednesday for the 15yo": one family's hearing, and when. A hearing said
# of nobody in particular ("what happens at a final hearing") or with no day ("the family court
# ordered contact") stays clean.
_KIND_OF_HEARING = (
    r"final|interim|care(?:\s+order)?|family(?:\s+court)?|court|county\s+court|non[\s-]?mol(?:estation)?(?:\s+order)?"
    r"|section\s*\d{1,3}|s\.?\s?\d{1,3}|fact[\s-]finding|contested|directions|sentencing|bail|custody|adoption"
    r"|placement(?:\s+order)?|deportation|appeal|child\s+arrangements?(?:\s+order)?|special\s+guardianship|sgo|ico"
    r"|epo|emergency\s+protection(?:\s+order)?|supervision\s+order|criminal|plea|immigration|asylum"
)

_HEARING = (
    rf"(?:(?:{_KIND_OF_HEARING})\s+){{1,3}}(?:hearing|trial)|care\s+proceedings|care\s+case|court\s+case"
    r"|(?:youth|crown|magistrates['’]?|family|county)\s+court|trial"
)
# "the hearing test for the baby" is a hearing of another kind
_NOT_A_HEARING = (
    r"(?!\s+(?:tests?|screen|screening|aids?|loss|impair\w*|loop|checks?|clinic|appointments?|team|service|dogs?"
    r"|support|problems?|difficult\w*|assessments?))"
)
_FAMILY_MEMBER = (
    r"mum|mums|mom|mother|dad|dads|father|parents?|step-?dad|step-?mum|nan|gran|grandad|grandma|uncle|aunt|auntie"
    r"|brother|sister|family|couple|boyfriend|partner|ex"
)
# one family's children: "her twins", "the two sisters", "the little boy", "the 15yo" (not "the children",
# which is any children)
_CHILDREN_OF_IT = (
    r"(?:(?:her|his|their|both)\s+(?:[\w-]+\s+){0,2}?(?:boys?|girls?|lads?|bab(?:y|ies)|child(?:ren)?|kids?|twins"
    r"|triplets|siblings|sisters|brothers|sons?|daughters?|toddlers?)"
    r"|(?:the|our|my|this)\s+(?:(?:two|three|four|[2-6])\s+)?(?:[\w-]+\s+){0,2}?(?:boy|girl|lad|baby|child|kid|twins"
    r"|triplets|toddler|newborn|\d{1,2}\s*(?:yo|y/o|yrs?|year\s+old))"
    r"|(?:the|our|my)?\s*(?:two|three|four|[2-6])\s+(?:[\w-]+\s+){0,1}?(?:boys|girls|lads|babies|children|kids"
    r"|siblings|sisters|brothers|sons|daughters)"
    # "for one of our babies", "of one of my looked after children": one child the asker knows
    r"|one\s+of\s+(?:our|my)\s+(?:[\w-]+\s+){0,2}?(?:boys|girls|lads|babies|children|kids|pupils|students|toddlers"
    r"|families|young\s+people))"
)
_FAMILY_HEARING = lazy_compile(
    # "mums final hearing", "dad's sentencing hearing"
    rf"(?i:\b(?:{_FAMILY_MEMBER})(?:['’]s|s)?\s+(?<!family\s)(?<!families\s)(?:{_HEARING})\b"
    # "dad has a non-mol hearing", "mum is in the family court"
    # "the hearing for mum's non-molestation order"
    rf"|\b(?:{_HEARING}|(?<=the\s)hearing{_NOT_A_HEARING})\s+(?:for|about|on|over)\s+(?:(?:her|his|their|the)\s+)?(?:{_FAMILY_MEMBER})['’]s\b"
    rf"|\b(?:{_FAMILY_MEMBER})\s+(?:has|had|have|is\s+in|is\s+at|is\s+due\s+(?:in|at)|was\s+in|goes\s+to|is\s+going\s+to)"
    rf"\s+(?:a|an|the|his|her|their)?\s*(?:[\w-]+\s+){{0,2}}?(?:{_HEARING})\b"
    # "final hearing ... for the two sisters", "youth court next wednesday for the 15yo"
    rf"|\b(?:{_HEARING}|(?<=the\s)hearing{_NOT_A_HEARING})\b[^.!?\n]{{0,60}}?\b(?:for|of|about|involving|in\s+the\s+case\s+of)\s+"
    rf"{_CHILDREN_OF_IT}\b)"
)
_WHEN = lazy_compile(
    rf"(?i:\b(?:on\s+)?the\s+\d{{1,2}}(?:st|nd|rd|th)\b|\b(?:next|this|last|on|coming|is|was)\s+(?:{_WEEKDAY}|{_SHORT_WEEKDAY})\b"
    r"|\b(?:next|this|last)\s+(?:week|wk|month|term|fortnight)\b|\b(?:tomorrow|today|tonight|yesterday)\b"
    r"|\bin\s+(?:two|three|a\s+few|\d)\s+(?:days|weeks)\b)"
)
# "asked to give evidence at the section 31 hearing for the little boy i work with": a witness in one
# child's case
_EVIDENCE_IN_A_CASE = lazy_compile(
    rf"(?i:\b(?:give|gave|giving|given|to\s+give)\s+evidence\s+(?:at|in)\s+(?:the|a|his|her|their)\s+(?:[\w-]+\s+){{0,3}}?"
    rf"(?:hearing|trial|proceedings|case)\s+(?:for|of|about|involving)\s+{_CHILDREN_OF_IT}\b)"
)


def _court_hearings(text: str) -> Iterator[Finding]:
    lowered = text.lower()
    if not any(w in lowered for w in ("hearing", "trial", "court", "proceedings", "case")):
        return
    for s in SENTENCE.finditer(text):
        sentence = s.group()
        for hearing in _FAMILY_HEARING.finditer(sentence):
            # the day said with the hearing, not the day of a course in the same sentence
            near = sentence[max(0, hearing.start() - 60) : hearing.end() + 60]
            if _WHEN.search(near) or _DAY.search(near) or _MONTH_ALONE.search(near):
                yield Finding(DESCRIPTION, s.start() + hearing.start(), s.start() + hearing.end())
        for m in _EVIDENCE_IN_A_CASE.finditer(sentence):
            yield Finding(DESCRIPTION, s.start() + m.start(), s.start() + m.end())


# "one of the beavers at 3rd walderslade scouts": a numbered scout or guide group is a few dozen children
# who meet in one hall
_NUMBERED_GROUP = lazy_compile(
    r"(?i:\b\d{1,2}(?:st|nd|rd|th)\s+(?:[a-z'’-]+\s+){1,3}?(?:scouts?|scout\s+group|sea\s+scouts|cubs|beavers|brownies"
    r"|guides|guide\s+unit|rainbows|explorers|squirrels|boys['’]?\s+brigade|girls['’]?\s+brigade)\b)"
)
_ONE_OF_A_GROUP = lazy_compile(
    r"(?i:\bone\s+of\s+(?:the|our|my)\s+(?:beavers|cubs|scouts|brownies|guides|rainbows|explorers|squirrels|young\s+people"
    r"|members)\b|\b(?:a|the|one|our)\s+(?:beaver|cub|scout|brownie|guide|rainbow|explorer|squirrel)\s+(?:at|from|in)\b)"
)


# "the Hempstead cubs", "at St Mary's Island sea scouts": a unit named by the place it meets, as small
_PLACE_NAMED_GROUP = lazy_compile(
    r"(?<![\w'’])(?!(?:Sea|Air|The|Our|My|Local|Medway|Kent|Beaver|Cub|Scout|Girl|Boy|Explorer|Guide)\b)"
    r"(?-i:[A-Z])[\w'’]+(?:\s+(?-i:[A-Z])[\w'’]+){0,2}\s+(?i:(?:sea\s+|air\s+)?(?:scouts|scout\s+group|cubs|beavers"
    r"|brownies|guides|rainbows|explorers|squirrels))\b"
)


def _numbered_groups(text: str) -> Iterator[Finding]:
    if not any(c.isdigit() for c in text) and not _PLACE_NAMED_GROUP.search(text):
        return
    for pattern in (_NUMBERED_GROUP, _PLACE_NAMED_GROUP):
        for m in pattern.finditer(text):
            if _ONE_YOUNG.search(text) or _CHILDREN.search(text) or _ONE_OF_A_GROUP.search(text):
                yield Finding(DESCRIPTION, m.start(), m.end())


def unique_descriptions(text: str) -> Iterator[Finding]:
    yield from _events(text)
    yield from _rare_conditions(text)
    yield from _court_hearings(text)
    yield from _numbered_groups(text)
    yield from _routines(text)
    yield from _one_pupil_of_a_named_school(text)
    yield from _workplaces(text)
    yield from _marks(text)
