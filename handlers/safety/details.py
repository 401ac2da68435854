"""Contact and record details: email addresses (not public or role mailboxes), postcodes, street
addresses, social media handles and unique pupil numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.patterns import lazy_compile
from handlers.safety.findings import ADDRESS, CASE_REFERENCE, EMAIL, HANDLE, POSTCODE, PUPIL_NUMBER, VEHICLE, Finding
from handlers.safety.names import NOT_NAMES, is_ordinary, word_zipf

# --- email, postcode, address, handle, pupil number --------------------------------------------

_EMAIL = lazy_compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Mailboxes of councils, the NHS, the police, schools and universities: a service's or a
# professional's address, not a family's.
_PUBLIC_SERVICE_DOMAIN = lazy_compile(r"(?i:(?:^|\.)(?:gov\.uk|nhs\.uk|nhs\.net|police\.uk|sch\.uk|ac\.uk|mod\.uk))$")


# A role's mailbox ("dsl@", "safeguarding@", "office@") is an organisation's, whatever its domain.
_ROLE_MAILBOX = lazy_compile(
    r"(?:dsl|safeguarding|office|admin|enquiries|enquiry|info|reception|head|headteacher|senco|hr|contact|hello"
    r"|referrals?|duty|team|training|attendance|pastoral|welfare|schooloffice|help|helpline|support|advice"
    r"|general|queries|mail)(?:[._-]?\w{0,12})?"
)


def _family_email(address: str, mailboxes: frozenset[str], *, a_persons_too: bool = False) -> bool:
    """Whether an address could identify someone. A public service's domain (a council's, the
    NHS's) is a professional's, unless `a_persons_too`: then one shaped like a person's
    ("sarah.jones@", "a.patel@") counts, as in a survey comment, where it could be the answerer's."""
    low = address.lower()
    local, _, domain = low.rpartition("@")
    if low in mailboxes or _ROLE_MAILBOX.fullmatch(local):
        return False
    if _PUBLIC_SERVICE_DOMAIN.search(domain):
        return a_persons_too and _a_persons(local)
    return True


def _a_persons(local: str) -> bool:
    """'sarah.jones', 'a.patel', 'jo.bloggs': a given name or an initial and a surname, not a team's
    mailbox ('cse.team', 'counter.extremism', 'medwayhv.referrals')."""
    from handlers.safety.name_lists import GIVEN_NAMES, SURNAMES  # the lists load on first use

    pieces = [p for p in re.split(r"[._-]+", re.sub(r"\d+", "", local)) if p]
    if len(pieces) == 1:  # "sjones", "sarahjones": an initial or a given name run into a surname
        word = pieces[0]
        return any((word[:n] in GIVEN_NAMES or n == 1) and word[n:] in SURNAMES for n in range(1, len(word) - 2))
    if len(pieces) < 2:
        return False
    first, last = pieces[0], pieces[-1]
    return (
        len(first) == 1
        or first in GIVEN_NAMES
        or any(p in SURNAMES for p in pieces)
        or (len(first) <= 3 and not is_ordinary(last))
    )


# "mum's email is ...", "parent jo.bloggs@nhs.net": a family member's address, whatever its domain
_FAMILY_BEFORE = lazy_compile(
    r"(?i:\b(?:mum|mom|mother|dad|father|parents?|carers?|step-?(?:mum|dad)|nan|gran|grandma|grandad|uncle"
    r"|aunt|auntie|partner|boyfriend|girlfriend|family|guardian|foster\s+carer)(?:'s|’s)?)[^.@\n]{0,24}$"
)


# Outward code (ME7, SW1A, EC1V, M1) then inward code (1AA); inward letters never use CIKMOV.
_POSTCODE = lazy_compile(
    r"(?<![A-Za-z0-9])"
    r"([A-Za-z]{1,2})\d[A-Za-z\d]?\s*(\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})"
    r"(?![A-Za-z0-9])"
)
_ORDINAL = lazy_compile(r"\d(?:st|nd|rd|th)", re.IGNORECASE)
# The postcode areas of the UK, so "ks2 3rd" or "gcp2 4ab" are not taken for postcodes.
_AREAS = """
    ab al b ba bb bd bh bl bn br bs bt ca cb cf ch cm co cr ct cv cw da dd de dg dh dl dn dt dy e ec eh en ex
    fk fy g gl gu gy ha hd hg hp hr hs hu hx ig im ip iv je ka kt kw ky l la ld le ll ln ls lu m me mk ml n
    ne ng nn np nr nw ol ox pa pe ph pl po pr rg rh rm s sa se sg sk sl sm sn so sp sr ss st sw sy ta td tf
    tn tq tr ts tw ub w wa wc wd wf wn wr ws wv yo ze
"""
_POSTCODE_AREAS = frozenset(_AREAS.split())


def postcodes(text: str) -> Iterator[Finding]:
    for m in _POSTCODE.finditer(text):
        # "Y7 2nd term" and "KS2 3rd" are school years, not postcodes; "B23 6TH", typed in capitals, is one
        ordinal = _ORDINAL.fullmatch(m.group(2)) and not m.group(2).isupper()
        if ordinal or m.group(1).lower() not in _POSTCODE_AREAS:
            continue
        yield Finding(POSTCODE, m.start(), m.end())


_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_STREET_KINDS = (
    r"street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|court|ct|place|pl|gardens|gdns"
    r"|terrace|grove|hill|walk|rise|mews|square|sq|row|parade|vale|wharf|park|green|view|estate"
    r"|approach|chase|mount|meadow|meadows|fields|croft|quay|boulevard|gate|hollow"
)
_LOOSE_STREET_KINDS = frozenset(
    ["row", "walk", "rise", "view", "park", "green", "hill", "vale", "square", "parade"]
    # "a 3 pronged approach", "the 2 fields": in lower case these are no street without a town
    + ["approach", "chase", "mount", "meadow", "meadows", "fields", "croft", "quay", "boulevard", "gate", "hollow"]
)
# Medway's towns and villages, and Kent's nearby towns, as typed in lower case (descriptions.py uses them too)
TOWNS = (
    r"chatham|gillingham|rochester|strood|rainham|hoo|walderslade|lordswood|twydall|wainscott|frindsbury|cuxton"
    r"|halling|upnor|allhallows|cliffe|maidstone|sittingbourne|gravesend|dartford|sheerness|canterbury|faversham"
    r"|luton|brompton|princes\s+park|wigmore|hempstead|parkwood|borstal|grain|stoke|capstone|great\s+lines|dockside"
    r"|hempstead\s+valley|chattenden|lower\s+stoke|st\s+mary'?s\s+island"
)
# "kids at no 22", "the family from no. 9": a house by its number alone, on a street the reader knows
_HOUSE_NUMBER_ALONE = lazy_compile(
    r"(?i:\b(?:at|from|in)\s+no\.?\s*\d{1,3}[a-z]?\b(?!\s*(?:%|priority|on\s+the\s+list)))"
)
# "the house on the corner of cobham st", "the 13yo boy on acorn rd": a lower-case street where a child is
_STREET_WORDS = r"rd|road|st|street|close|avenue|ave|lane|way|drive|crescent|grove|terrace|gardens|walk|rise|place"
_LOWER_STREET_PLACED = lazy_compile(
    rf"(?i:\b(?:corner|end|top|bottom)\s+of\s+[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?\s+(?:{_STREET_WORDS})\b"
    rf"|\b(?:boy|girl|kid|kids|lad|child|children|family|twins|\d{{1,2}}\s*yo)\s+(?:on|from|off|at\s+the\s+end\s+of)\s+"
    rf"[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?\s+(?:{_STREET_WORDS})\b)"
)
# "the paper round for the newsagent on albatross st": a street named in lower case in a sentence about a child
_NOT_A_STREET_NAME = (
    r"the|a|an|our|this|that|my|his|her|their|main|high|busy|same|any|every|one|each|wrong|open|private|no|some"
    r"|which|what|other|different|such|front|back|second|third|last|next|own|long|quiet|side|slip|ring|country"
)
_STREET_WORDS_TYPED = (" rd", "road", " st", "street", "avenue", " ave", "lane", "crescent", " row")
_LOWER_STREET_IN_SENTENCE = lazy_compile(
    rf"(?i:\b(?:on|in|off|along)\s+(?!(?:{_NOT_A_STREET_NAME})\b)([a-z][a-z'-]+)(?:\s+(?!(?:high|main)\b)[a-z][a-z'-]+)?"
    r"\s+(?:rd|road|st|street|avenue|ave|lane|crescent|row)\b)"
)
_CHILD_WORD = lazy_compile(
    r"(?i:\b(?:boy|girl|lad|lass|kid|kids|child|teen|teenager|baby|toddler|son|daughter|twins|family|\d{1,2}\s*yo)\b)"
)
# one sentence of a text; "at 7.30" is no end of one (descriptions.py reads sentences the same way)
SENTENCE = lazy_compile(r"(?:[^.!?\n]|(?<=\d)\.(?=\d))+")
# where a course or a meeting is held is nobody's home
_ABOUT_A_VENUE = lazy_compile(
    r"(?i:\b(?:course|training|session|venue|workshop|conference|meeting|held|hub|office|parking)\b)"
)
_TOWN_AFTER = lazy_compile(rf",?\s++(?i:{TOWNS})\b")
# "41b the parade walderslade", "12 the green, hoo": a numbered home on a street called "the ..."
_THE_STREET = lazy_compile(
    rf"(?i:\b\d{{1,3}}[a-z]?,?\s+the\s+(?:parade|green|square|crescent|broadway|avenue|precinct|terrace|street"
    rf"|close|grove|row|rise)\b,?\s+(?:{TOWNS})\b)"
)
_NUMBERED_STAGE = lazy_compile(r"(?i:\b(?:level|stage|step|tier|phase|wave|section|module|year|yr|ks)\s*$)")
# "14 High Street", "flat 3, 22 Canal Road", "12a Elm Gr": a house number, one to three words, a kind of street.
# Not a room's number ("Room 3, Gun Wharf" is where a course is held).
_ADDRESS = lazy_compile(
    r"(?i:\b(?:flat|apartment|apt|unit|room)\s+\d{1,4}[a-z]?\s*+,?\s*+)?"
    r"(?<!(?i:room) )(?<!(?i:room))(?<![\w/.])\d{1,4}[A-Za-z]?,?\s+"
    r"(?:(?!(?i:at|in|on|the|to|of|for|and|with|is|was|from|by|per|a|an|no|not|kids|children|boys|girls"
    r"|people|times|weeks|days|months|years)\b)"
    # nor a clause typed in lower case ("level 4 so I can close it" is no "4 ... Close"; "12 Will Adams
    # Way" still is a street)
    r"(?!(?:so|I|i|we|you|he|she|they|it|can|could|will|would|should|then|if)\b)"
    r"[A-Za-z][A-Za-z'-]*\s+){1,3}"
    rf"(?i:{_STREET_KINDS})\b\.?"
)
# "twenty-two Kestrel Rise": the house number in words, before a capitalised street
_ADDRESS_IN_WORDS = lazy_compile(
    rf"(?i:\b(?:{_NUMBER_WORDS})(?:[ -](?:{_NUMBER_WORDS}))?)\s+(?:[A-Z][a-z'-]+\s+){{1,2}}"
    rf"(?i:{_STREET_KINDS})\b"
)
# "lives on Canal Road", "moved to Elm Grove": a named street after a cue about where someone lives.
_LIVES_ON = lazy_compile(
    r"(?i:\b(?:lives?|living|live|moved|staying|stays|address\s+is|resides?|house|home|flat|bungalow|maisonette)"
    r"\s+(?:on|at|in|to|along)\s+)"
    rf"((?:[A-Z][a-z'-]+\s+){{1,3}}(?i:{_STREET_KINDS})\b)"
)
# "lives near hoo church", "lives opposite the Strood Tesco": a home placed by a named landmark
_LIVES_NEAR = lazy_compile(
    r"(?i:\blives?\s+(?:near|by|opposite|next\s+(?:door\s+)?to|behind|beside|above|over)\s+(?:the\s+)?"
    r"(?!(?:a|an|the|our|my|school|their|his|her|same|local|main|nearest|big)\b)[a-z'-]+\s+(?:[a-z'-]+\s+)?"
    r"(?:church|mosque|station|pub|chippy|shop|shops|park|rec|co-?op|tesco|lidl|aldi|surgery|library|garage|temple"
    r"|gurdwara|primary|academy|school|estate|marina|pier|bridge|castle|cathedral|fort|barracks|docks?|roundabout"
    r"|crossroads|level\s+crossing)\b)"
)
# "living on a houseboat at hoo marina", "moved in opposite the park in parkwood": a home found by what it is
# and where, with no street
_HOME_BY_WHAT_AND_WHERE = lazy_compile(
    r"(?i:\b(?:lives?|living|moved\s+in(?:to\s+\w+)?|staying|stays)\s+on\s+(?:a|the)\s+(?:houseboat|narrowboat|boat|barge"
    r"|canal\s+boat)\s+(?:at|in|on|by|near)\s+[\w'-]+"
    r"|\b(?:lives?|living|moved\s+in|staying)\s+(?:near|by|opposite|next\s+to|behind|beside)\s+the\s+(?:[a-z]+\s+)?"
    rf"(?:park|church|mosque|station|pub|chippy|shop|shops|school|rec|playground|library|co-?op)\s+(?:in|at)\s+(?:{TOWNS})\b)"
)
# "the house in halling with all the cctv and dogs": a home in a village by what it has
_HOME_WITH_FEATURES = lazy_compile(
    rf"(?i:\bthe\s+(?:house|flat|bungalow|caravan|cottage|farmhouse|home)\s+(?:in|at|on)\s+(?:{TOWNS})\s+with\s+"
    r"(?:all\s+the|loads\s+of|the\s+[a-z]+\s+and|the\s+[a-z]+\s+[a-z]+s)\b"
    # "the house at the end of the row in Lower Stoke with the boarded windows"
    rf"|\bthe\s+(?:house|flat|bungalow|cottage)\s+at\s+the\s+(?:end|top|bottom|back)\s+of\s+the\s+\w+\s+in\s+(?:{TOWNS})\b"
    # "moved into the old coastguard cottage": a building there is one of
    r"|\b(?:lives?|living|moved\s+into|staying\s+in|stays\s+in)\s+the\s+old\s+(?:[a-z']+\s+){0,2}(?:cottage|house|pub|station"
    r"|school|church|chapel|farmhouse|mill|lighthouse|vicarage|rectory|lodge|police\s+house|post\s+office)\b"
    # "family living in the red double decker bus"
    r"|\b(?:living|lives|live|staying)\s+in\s+(?:a|the)\s+(?:[a-z]+\s+){0,2}(?:bus|double\s+decker|horsebox"
    r"|shipping\s+container)\b)"
)
_NOT_HANDLES = frozenset({"channel", "here", "everyone", "all", "sgbot"})
_PUBLIC_BODY = lazy_compile(
    r"council|police|nhs|gov|fire|ambulance|school|academy|college|partnership|mscp|kcc|charity"
)
_HANDLE = lazy_compile(r"(?<![\w.@<])@([A-Za-z0-9_][A-Za-z0-9_.]{2,29})(?![\w@])")
_NAMED_HANDLE = lazy_compile(
    r"(?i:\b(?:snap(?:chat)?|sc|insta(?:gram)?|ig|tik\s?tok|tt|twitter|facebook|fb|discord|telegram|whatsapp|x"
    r"|gamer\s?tag|user\s?name|handle|account(?:\s+name)?|profile|psn|xbox|player|gamer|streamer)(?![a-z])"
    # whole words only: "discord asked him" is not "discord as ked"
    # each run of spaces taken whole (\s*+): two runs side by side could split one run between
    # them every way, and "x" before 3,000 tabs took 0.6 s
    # the look for a figure or "_" ahead stops after 40 characters: unbounded, "x-x-x-..." (x is
    # Twitter's name) looked to the end of the run from every x and held the loop for seconds
    r"\s*+(?:(?:name|handle|username|user|account|id|tag)\s*+)?(?:(?:is|as|called|named|known\s+as)\b|[:=-]|(?=\S{0,40}[_\d]))\s*)"
    r"@?([A-Za-z0-9_][A-Za-z0-9_.]{2,29})"
)
# "games online as xXDarkWolf2012Xx", "plays as n0sc0pe_jake": the name a child plays under
_PLAYS_AS = lazy_compile(
    r"(?i:\b(?:games|gaming|plays|playing)(?:\s++online)?\s++as\s++)@?([A-Za-z0-9_][A-Za-z0-9_.]{2,29})"
)
# A unique pupil number: a letter, eleven digits, then a digit or a letter.
_UPN = lazy_compile(r"(?<![A-Za-z0-9])[A-Za-z][ \-]?\d(?:[ \-]?\d){10}[ \-]?[0-9A-Za-z](?![A-Za-z0-9])")


# "Flat 12 Kingsley House", "flat 4b, Nelson Court": a flat in a named building
_FLAT_IN = lazy_compile(
    r"(?i:\b(?:(?:flat|apartment|apt|unit|room)\s+\d{1,4}[a-z]?|\d{1,3}[a-z]),?\s+(?:\d{1,2}(?:st|nd|rd|th)\s+floor,?\s+)?)"
    r"(?:[A-Za-z][A-Za-z'-]*\s+){1,3}"
    r"(?i:house|court|lodge|tower|towers|heights|point|mansions|buildings|block|close|place)\b"
)

# "the top floor of Wentworth House", "3rd floor flat in Anchor Court": one floor of a named block
_FLOOR_OF_A_BLOCK = lazy_compile(
    r"(?i:\b(?:top|ground|bottom|basement|first|second|third|fourth|fifth|sixth|\d{1,2}(?:st|nd|rd|th))[\s-]floor\s+"
    r"(?:flat\s+)?(?:of|in|at)\s+(?:the\s+)?)(?:[A-Z][A-Za-z'-]*\s+){1,3}"
    r"(?i:house|court|lodge|tower|towers|heights|point|mansions|buildings|block)\b"
)

# "flat 41, block 2", "block C flat 7", "flat 12 on the Kingfisher estate": a numbered flat placed
# in its block or estate
_FLAT_PLACED = lazy_compile(
    r"(?i:\b(?:flat|apartment|apt)\s+\d{1,4}[a-z]?,?\s+(?:block|tower)\s+(?:\d{1,3}|[a-z])\b"
    r"|\bblock\s+(?:\d{1,3}|[a-z]),?\s+(?:flat|apartment|apt)\s+\d{1,4}[a-z]?\b"
    r"|\b(?:flat|apartment|apt)\s+\d{1,4}[a-z]?\b[^.?!\n]{0,24}?\b(?:on|in|at)\s+the\s+[a-z'-]+(?:\s+[a-z'-]+)?\s+estate\b)"
)


# Where a family lives, said the way people give directions: "plot 4 at the caravan site",
# "above the chip shop on canterbury st", "no. 9 in the cul de sac behind the co-op on twydall lane"
_STREET_NAMED = (
    rf"(?:on|in|off|along|of)\s+[A-Za-z][a-z'-]+(?:\s+[A-Za-z][a-z'-]+){{0,2}}\s+(?i:{_STREET_KINDS}|high\s+st)\b"
)
_DIRECTIONS = lazy_compile(
    r"(?i:\b(?:plot|pitch)\s+\d{1,3}\b[^.!?\n]{0,40}?\b(?:site|caravan|travellers?|park)\b"
    rf"|\b(?:above|behind|next\s+door\s+to|opposite|by|beside|near)\s+the\s+[a-z' -]{{2,30}}?\s+{_STREET_NAMED}"
    rf"|\bthe\s+(?:house|flat|caravan|bungalow)\s+(?:with|behind|by|next\s+to)\s+the\s+[a-z' -]{{2,40}}?"
    rf"\s+{_STREET_NAMED}"
    rf"|\bno\.?\s*\d{{1,3}}\b[^.!?\n]{{0,60}}?{_STREET_NAMED})"
)


# A home found by what is next to it, without a street: "the flat above the chip shop by Rainham
# station", "the blue door next to the launderette opposite the mosque", "third caravan on the
# left as you come into the site". "The" or an ordinal makes it one home ("a flat above a shop"
# is any flat). A landmark is a building people find (a shop, a pub, a mosque), or has a capital
# and a place word ("by Rainham station"); an open place ("opposite the park") is one only with a
# second landmark after it, as many homes face a park. "The flat over the weekend" stays clean.
_BUILDINGS = (
    r"shops?|chippy|chip\s+shop|takeaway|kebab\s+shop|corner\s+shop|co-?op|mosque|church|chapel|temple"
    r"|gurdwara|pub|launderette|laundrette|bookies|bookmakers|garages?|chemists?|pharmacy|scrapyard"
    r"|post\s+office|library|surgery|caf[eé]|offy|off[\s-]licence|newsagents?|barbers|hairdressers"
    r"|bakery|butchers|petrol\s+station|tesco|lidl|aldi|spar|mcdonalds|kfc"
    r"|nail\s+(?:bar|salon)|salon|vape\s+shop|betting\s+shop|car\s+wash|retail\s+park|industrial\s+estate"
    r"|leisure\s+centre|garden\s+centre"
)
_OPEN_PLACES = (
    r"station|site|playground|car\s+park|roundabout|bridge|canal|railway|bus\s+stop|park|rec|precinct|parade"
    r"|arches|allotments|market|primary|school|academy|hall|centre|level\s+crossing|crossroads|lane|farm|pier"
    r"|footbridge|underpass|subway"
)
_CAPITAL_PLACE = r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2}"
_LANDMARK = (
    rf"(?:(?i:the)\s+(?:[a-z'-]+\s+){{0,2}}(?i:{_BUILDINGS}|{_OPEN_PLACES})\b"
    rf"|(?:(?i:the)\s+)?{_CAPITAL_PLACE}\s+(?:[a-z]+\s+)?(?i:{_BUILDINGS}|{_OPEN_PLACES})\b"
    rf"|(?i:the)\s+{_CAPITAL_PLACE})"
)
_BESIDE = (
    r"(?i:above|over|under(?:neath)?|below|behind|next\s+(?:door\s+)?to|opposite|beside|by|across\s+from|facing"
    r"|past|(?:(?:one|two|three|four|five)\s+(?:doors\s+)?)?(?:down|up|along)\s+from|round\s+the\s+corner\s+from"
    r"|at\s+the\s+(?:back|end)\s+of"
    # "the last house before the level crossing", "second house after the mosque"
    r"|(?:just\s+)?(?:before|after))"
)
_COLOUR = r"blue|red|green|black|white|yellow|grey|gray|brown|purple|pink|orange"
# "third", "3rd": a home counted along a street
_ORDINALS = r"first|second|third|fourth|fifth|sixth|seventh|last|end|\d{1,2}(?:st|nd|rd|th)"
_ONE_HOME = (
    rf"(?:(?i:the|their|that)\s+(?:[a-z0-9'-]+\s+){{0,2}}|(?i:{_ORDINALS})\s+)"
    r"(?i:flat|house|caravan|bungalow|maisonette|bedsit|trailer|mobile\s+home|cottage|static|family|household"
    # a tent, a van or a boat where a family sleeps ("the blue tent behind the retail park")
    r"|tent|campervan|camper\s+van|motorhome|narrowboat|houseboat)"
    # "second door past the chippy", "the 4th one along from the park": an ordinal makes one home
    rf"|(?i:(?:the\s+)?(?:{_ORDINALS})\s+(?:door|one))"
    rf"|(?i:(?:the\s+)?(?:{_COLOUR})\s+door)"
    # "top floor flat in the block behind the Pentagon centre": a floor makes it one flat too
    r"|(?i:(?:top|ground|first|second|third|bottom|basement)[\s-]floor\s+flat)"
)
_HOME_BY_LANDMARK = lazy_compile(
    rf"\b(?:{_ONE_HOME})\b(?:[^.!?\n,;]{{0,40}}?\s)??{_BESIDE}\s+(?P<landmark>{_LANDMARK})"
    rf"(?P<more>(?:\s+(?:{_BESIDE}|(?i:on|off|near|in))\s+{_LANDMARK}){{0,2}})"
    rf"|\b(?:{_ONE_HOME}|(?i:pitch|plot))\s+(?i:on\s+the\s+(?:left|right))"
    r"(?:\s+(?i:as\s+you\s+(?:come|go|walk|drive|turn)\s+(?:in(?:to)?|onto|up|down|through)\s+(?:the\s+)?[a-z'-]+))?"
)
_BUILDING = lazy_compile(rf"(?i:\b(?:{_BUILDINGS})\b)|[A-Z]")


_ORDINAL_HOME = lazy_compile(rf"(?i:(?:the\s+)?(?:{_ORDINALS})\b)")
_COUNTED_HOME = lazy_compile(rf"(?i:\b(?:{_ORDINALS})\s+(?:flat|house|caravan|bungalow|door|one|pitch|plot)\b)")


def _one_home_by_landmark(m: re.Match[str]) -> bool:
    landmark = m.group("landmark")
    # counted from a landmark, any landmark will do: "the second caravan after the farm"
    # ("the family in the 3rd house after the bus stop": counted, wherever the count is said)
    home = m.group()[: m.start("landmark") - m.start()] if landmark is not None else m.group()
    counted = _ORDINAL_HOME.match(home) is not None or _COUNTED_HOME.search(home) is not None
    return landmark is None or counted or bool(m.group("more")) or _BUILDING.search(landmark) is not None


# A car's registration, current format: "LD67 WTP", "reg wu21kzo". In capitals it is one
# whatever is round it; in lower case only after a cue ("reg", "plate").
_REGISTRATION = r"[A-Za-z]{2}\d{2}\s?[A-Za-z]{3}"
_VEHICLE = lazy_compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}\s?[A-Z]{3}(?![A-Za-z0-9])"
    r"|(?<![A-Za-z0-9])[a-z]{2}\d{2}[a-z]{3}(?![A-Za-z0-9])"  # typed as one lower-case word: "rd21kfp"
    # ...or in two ("ld19 kzp"), where the three letters are no word and the first two no school year
    r"|(?<![A-Za-z0-9])(?!(?:yr|ks|sy|gr)\d)[a-z]{2}\d{2}\s[a-z]{3}(?![A-Za-z0-9])"
    rf"|(?i:\b(?:reg(?:istration)?|vrm|(?:number\s+)?plates?)\b\.?\s*(?:no\.?|number|is|was|[:=-])?\s*)"
    rf"({_REGISTRATION})(?![A-Za-z0-9])"
)


def vehicles(text: str) -> Iterator[Finding]:
    for m in _VEHICLE.finditer(text):
        start, end = m.span(1) if m.group(1) else m.span()
        found = text[start:end]
        if found.islower() and " " in found and word_zipf(found[-3:]) >= 2.5:
            continue  # "rd21 the...": the letters after the space are a word, not a plate's
        yield Finding(VEHICLE, start, end)


def addresses(text: str) -> Iterator[Finding]:
    # "parking near the venue on dock road": a course's venue placed on its street is nobody's home
    directions = [
        m for m in _DIRECTIONS.finditer(text) if not _ABOUT_A_VENUE.search(text, max(0, m.start() - 12), m.end())
    ]
    for m in directions:
        yield Finding(ADDRESS, m.start(), m.end())
    for m in _HOUSE_NUMBER_ALONE.finditer(text):
        # "at no. 14 ... on maple avenue" is taken out whole above
        if not any(d.start() <= m.end() and m.start() <= d.end() for d in directions):
            yield Finding(ADDRESS, m.start(), m.end())
    for m in _HOME_BY_LANDMARK.finditer(text):
        if _one_home_by_landmark(m):
            yield Finding(ADDRESS, m.start(), m.end())
    for pattern in (_FLAT_IN, _FLAT_PLACED, _ADDRESS_IN_WORDS, _THE_STREET, _LOWER_STREET_PLACED):
        for m in pattern.finditer(text):
            yield Finding(ADDRESS, m.start(), m.end())
    for m in _FLOOR_OF_A_BLOCK.finditer(text) if "floor" in text.lower() and not _ABOUT_A_VENUE.search(text) else ():
        yield Finding(ADDRESS, m.start(), m.end())  # (a course on the top floor of an office block is nobody's home)
    for m in _ADDRESS.finditer(text):
        found = m.group()
        if _NUMBERED_STAGE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "Level 3 Early Help Approach", "Stage 2 Park": a stage of a process, not a house
        # in lower case only a plain kind of street: "17 nfa after row" is a quarrel, not a home
        # ...unless a town follows: "9 nightingale walk rainham"
        loose = found.islower() and found.rsplit(None, 1)[-1].rstrip(".") in _LOOSE_STREET_KINDS
        if loose and not _TOWN_AFTER.match(text, m.end()):
            continue
        yield Finding(ADDRESS, m.start(), m.end())
    for m in _LIVES_ON.finditer(text):
        yield Finding(ADDRESS, m.start(1), m.end(1))
    lowered = text.lower()
    for m in _LIVES_NEAR.finditer(text) if "live" in lowered else ():
        yield Finding(ADDRESS, m.start(), m.end())
    for m in _HOME_WITH_FEATURES.finditer(text):
        yield Finding(ADDRESS, m.start(), m.end())
    moved = "liv" in lowered or "mov" in lowered or "stay" in lowered
    for m in _HOME_BY_WHAT_AND_WHERE.finditer(text) if moved else ():
        yield Finding(ADDRESS, m.start(), m.end())
    streets = any(w in lowered for w in _STREET_WORDS_TYPED)
    for s in SENTENCE.finditer(text) if streets and _CHILD_WORD.search(text) else ():
        if _CHILD_WORD.search(s.group()) and not _ABOUT_A_VENUE.search(s.group()):
            for m in _LOWER_STREET_IN_SENTENCE.finditer(s.group()):
                if word_zipf(m.group(1).lower()) < 5.0:  # "in time road safety": not a street's own name
                    yield Finding(ADDRESS, s.start() + m.start(), s.start() + m.end())


_USERNAME_SHAPE = lazy_compile(r"(?=.*[A-Za-z])(?:.*[_.].*|.*[A-Za-z]\d{2,}.*|.*\d[A-Za-z].*|.*[a-z][A-Z].*)")


# Where children chat and play online, as people name them.
_PLATFORMS = (
    r"snap(?:chat)?|insta(?:gram)?|tik\s?tok|twitter|facebook|fb|discord|telegram|roblox|xbox|psn|fortnite"
    r"|minecraft|youtube|yt|whatsapp|kik|wizz|yubo|twitch|steam|channel|vlog|youtuber|tiktoker|streamer|vlogger"
)
# After a platform word, a token shaped like a username: "his snap kayleigh_22", "insta jay.smith07".
_PLATFORM = lazy_compile(rf"(?i:\b(?:{_PLATFORMS}|gam(?:er|ing)\s?(?:tag|name)|user\s?name|ign)\b)")
_TOKEN = lazy_compile(r"@?([A-Za-z0-9][A-Za-z0-9_.]{2,29})\b")
# times, counts and sizes that look like usernames: "till 3am", "2nd", "4k", "5hrs"
_NOT_A_USERNAME = lazy_compile(
    r"(?i:\d{1,2}(?:[:.]\d{2})?(?:am|pm)|\d+(?:st|nd|rd|th|k|g|gb|mb|hrs?|mins?|yo|yrs?|s|x|p|d)|(?:yr|y|year|ks)\d{1,2})"
)
# "one of our boys is xXToxicKnightXx on Fortnite": a username just before its platform
_TOKEN_ON_PLATFORM = lazy_compile(
    rf"(?<![\w@])([A-Za-z0-9][A-Za-z0-9_.]{{2,29}})\s+(?:on|in|from)\s+(?i:{_PLATFORMS})\b"
    # "mum runs the gilly_mummy_of_5 instagram"
    rf"|(?i:\bthe\s+)([A-Za-z0-9][A-Za-z0-9_.]{{2,29}})\s+(?i:{_PLATFORMS})\b"
)


# "the girl behind the 'hoo_peninsula_princess' Instagram": a username in quotes, whatever is round it
_QUOTED_USERNAME = lazy_compile(r"[\'\"‘“]@?([A-Za-z0-9][A-Za-z0-9_.]{2,29})[\'\"’”]")


def handles(text: str) -> Iterator[Finding]:
    return (f for f in _handles(text) if not _emphasised_word(text, f.start, f.end))


def _emphasised_word(text: str, start: int, end: int) -> bool:
    """ "_this_" is a word in italics (Markdown), not a username: an everyday word between underscores,
    never a name ("_jess_", "_max_")."""
    core = text[start:end].strip("_")
    wrapped = (start > 0 and text[start - 1] == "_") or text[start:end].startswith("_")
    everyday = core.isalpha() and is_ordinary(core) and word_zipf(core.lower()) >= 5.0
    return wrapped and text[start:end].endswith("_") and everyday


def _handles(text: str) -> Iterator[Finding]:
    for m in _QUOTED_USERNAME.finditer(text) if "_" in text else ():
        if "_" in m.group(1) and _USERNAME_SHAPE.fullmatch(m.group(1)):
            yield Finding(HANDLE, m.start(1), m.end(1))
    platforms = list(_PLATFORM.finditer(text))
    for m in _TOKEN_ON_PLATFORM.finditer(text) if platforms else ():
        token = m.group(m.lastindex or 1)
        if _USERNAME_SHAPE.fullmatch(token) and not _NOT_A_USERNAME.fullmatch(token):
            yield Finding(HANDLE, *m.span(m.lastindex or 1))
    for platform in platforms:
        # "roblox user xXShadowKingXx", "gamer tag n0sc0pe_jake": a username-shaped token among the
        # next four words
        for k, m in enumerate(_TOKEN.finditer(text, platform.end())):
            if k == 4:
                break
            token = m.group(1)
            platform_name = _PLATFORM.fullmatch(token) is not None  # "Roblox and TikTok": the next platform
            if (
                _USERNAME_SHAPE.fullmatch(token)
                and not token.endswith(".")
                and not _NOT_A_USERNAME.fullmatch(token)
                and not platform_name
            ):
                yield Finding(HANDLE, m.start(1), m.end(1))
    for m in _PLAYS_AS.finditer(text) if " as " in text else ():
        token = m.group(1).rstrip(".")
        if _USERNAME_SHAPE.fullmatch(token) and not _NOT_A_USERNAME.fullmatch(token):
            yield Finding(HANDLE, m.start(1), m.start(1) + len(token))
    for m in _HANDLE.finditer(text):
        account = m.group(1).lower()
        # an organisation's own account ("@NSPCC", "@YoungMindsUK") is public
        organisation = re.sub(r"(?:_?uk|_?official|_?hq)$", "", account)
        public_body = _PUBLIC_BODY.search(account) is not None  # "@MedwayCouncil", "@kent_police"
        if account not in _NOT_HANDLES and organisation not in NOT_NAMES and not public_body:
            yield Finding(HANDLE, m.start(), m.end())
    for m in _NAMED_HANDLE.finditer(text):
        token = m.group(1).rstrip(".")
        if token.endswith("ing") and word_zipf(token.lower()) > 0.0:
            continue  # "tiktok is blackmailing her": a verb after "is", not a username
        if token.lower() not in NOT_NAMES and (_USERNAME_SHAPE.fullmatch(token) or not is_ordinary(token)):
            yield Finding(HANDLE, m.start(1), m.end(1))


# "jonesfamily1 at yahoo dot com": an address spelled out so a filter would not see it
_SPELLED_EMAIL = lazy_compile(
    r"(?<![\w.+-])([A-Za-z0-9._%+-]{2,64})\s*(?:\bat\b|\(at\)|\[at\])\s*([A-Za-z][A-Za-z0-9-]*)"
    r"((?:\s*(?:\bdot\b|\(dot\)|\[dot\]|\.)\s*(?:com|net|org|co|uk|io|me|info|biz|ie|pl|ro|lt|lv|sk|cz|hu|ac)){1,2})\b",
    re.IGNORECASE,
)
_DOT = lazy_compile(r"\s*(?:\bdot\b|\(dot\)|\[dot\]|\.)\s*", re.IGNORECASE)


def family_emails(text: str, mailboxes: frozenset[str], *, a_persons_too: bool = False) -> Iterator[Finding]:
    """Email addresses that could be a family's: not the pack's, a public service's or a role's.
    With `a_persons_too` (survey comments), a person's address at a public service counts too;
    after a family word ("mum's email is") it always does."""

    def counts(address: str, start: int) -> bool:
        persons = a_persons_too or _FAMILY_BEFORE.search(text[max(0, start - 60) : start]) is not None
        return _family_email(address, mailboxes, a_persons_too=persons)

    for m in _EMAIL.finditer(text):
        if counts(m.group(), m.start()):
            yield Finding(EMAIL, m.start(), m.end())
    for m in _SPELLED_EMAIL.finditer(text):
        spelled = _DOT.sub(".", m.group(3))
        if "@" not in m.group() and counts(f"{m.group(1)}@{m.group(2)}{spelled}", m.start()):
            yield Finding(EMAIL, m.start(), m.end())


def pupil_numbers(text: str) -> Iterator[Finding]:
    return (Finding(PUPIL_NUMBER, m.start(), m.end()) for m in _UPN.finditer(text))


# A case's reference after its cue: "case ref CS-2024-11873", "ref MASH/24/00981", "mosaic id
# 1183920". A code with enough digits to be a record's: it opens the family's file to whoever holds it.
_CASE_REFERENCE = lazy_compile(
    r"(?i:\b(?:case\s+ref(?:erence)?|case|ref(?:erence)?|mosaic\s+(?:id|no|number|ref)|lcs\s+(?:id|no|number)"
    r"|(?:case|contact|referral|child|client|person|family)\s+(?:id|no|number)"
    # "police log number (CAD 3371 of 4 Nov)": a police incident's log
    r"|cad|log\s+(?:no|number|ref)|incident\s+(?:no|number|ref)|crime\s+(?:no|number|ref)"
    # "hosp no RPA0048821", "MRN 00481127": a hospital's record number
    r"|hosp(?:ital)?\s+(?:no|number|id)|mrn|patient\s+(?:no|number|id)"
    # "student ID 20231147"
    r"|(?:student|pupil|learner|candidate)\s+(?:id|no|number|ref))\b\.?\s*(?:no\.?|number|is|was|[:#=-])?\s*)"
    r"([A-Za-z0-9][A-Za-z0-9/_-]*)"
)


# ...and a record's code by its shape alone: letters, then numbers set off by strokes or dashes
# ("FR/24/118923", "CS-2024-11873")
_RECORD_CODE = lazy_compile(
    r"(?<![\w/-])(?:[A-Za-z]{2,6}[/-]\d{2,4}[/-](?:[A-Za-z]{2,4}[/-])?\d{3,7}|\d{4}[/-][A-Za-z]{2,4}[/-]\d{3,7}"
    # "CP-ME-2291": two letter codes, then the record's number (not a year)
    r"|[A-Za-z]{2,4}[/-][A-Za-z]{2,4}[/-](?!(?:19|20)\d\d(?![\w/-]))\d{4,7}"
    # "CP/0417/23": a plan's number, then its year
    r"|[A-Za-z]{2,6}[/-]\d{3,6}[/-]\d{2})"
    r"(?![\w/-])"
)


def case_references(text: str) -> Iterator[Finding]:
    for m in _RECORD_CODE.finditer(text):
        yield Finding(CASE_REFERENCE, m.start(), m.end())
    for m in _CASE_REFERENCE.finditer(text):
        code = m.group(1)
        digits = sum(c.isdigit() for c in code)
        # five digits or more, or four beside letters or strokes ("CS/1187"); not a year ("ref 2024"); a police
        # log's number is short ("CAD 3371")
        log = m.group().lower().startswith(("cad", "log", "incident", "crime"))
        if digits >= 5 or (digits == 4 and not code.isdigit()) or (log and digits >= 3):
            yield Finding(CASE_REFERENCE, m.start(1), m.end(1))
