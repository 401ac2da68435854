"""/contacts: who to call, emergency first; and the emergency route every lookup ends with.

Content: `contacts.yaml` in the content pack (the `Contacts` model below).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import Field
from rapidfuzz import fuzz

from core.contentpack import Cited, ContentPack, Section, Strict
from core.context import Context
from core.model import Header, Reply, Request, Text, reply
from core.registry import command
from core.sanitise import echoed
from handlers import briefings, guidance, safety


class ContactKind(StrEnum):
    EMERGENCY = "emergency"  # 999: a child in immediate danger
    FRONT_DOOR = "front_door"  # where concerns about a child go in office hours
    OUT_OF_HOURS = "out_of_hours"  # the same, outside office hours
    ADVICE = "advice"  # your DSL, the LADO, other professional advice
    POLICE = "police"  # police, not an emergency
    HELPLINE = "helpline"  # national helplines, also for the public and children


# The order /contacts lists them in: the emergency first.
KIND_ORDER = list(ContactKind)


class Contact(Cited):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: ContactKind
    number: str = ""
    hours: str = ""
    url: str = ""
    when: str  # when to use it, in a sentence
    note: str = ""
    asked_as: list[str] = Field(default_factory=list)  # what people type for it: "front door", "EDT"


class Contacts(Strict):
    contacts: list[Contact] = Field(min_length=1)

    def by_id(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)

    def first(self, kind: ContactKind) -> Contact | None:
        return next((c for c in self.contacts if c.kind is kind), None)

    def ordered(self) -> list[Contact]:
        return sorted(self.contacts, key=lambda c: KIND_ORDER.index(c.kind))


def _check(pack: ContentPack, value: Any) -> Iterable[tuple[tuple[Any, ...], str]]:
    assert isinstance(value, Contacts)
    seen: set[str] = set()
    for i, contact in enumerate(value.contacts):
        if contact.id in seen:
            yield ("contacts", i, "id"), f"contact id {contact.id!r} is used twice"
        seen.add(contact.id)
        if contact.kind is not ContactKind.ADVICE and not contact.number:
            yield ("contacts", i, "number"), f"the {contact.kind.value} contact {contact.id!r} needs a number"
    for kind in (ContactKind.EMERGENCY, ContactKind.FRONT_DOOR, ContactKind.OUT_OF_HOURS):
        if value.first(kind) is None:
            yield ("contacts",), f"no {kind.value} contact: every answer shows the emergency route, which needs one"


def _warm_guard(_pack: ContentPack) -> None:
    from core.patterns import compile_every_pattern

    compile_every_pattern()  # the guard that screens every lookup (handlers/safety): not before ready


CONTACTS = Section("contacts", "contacts.yaml", Contacts, cross_check=_check, warm=_warm_guard)


def contacts_of(pack: ContentPack) -> Contacts:
    return pack.get(Contacts)


def public_numbers(pack: ContentPack) -> list[str]:
    """The pack's numbers: typing one of them identifies nobody."""
    return guidance.cached(pack, "public-numbers", lambda p: [c.number for c in contacts_of(p).contacts if c.number])


def screen(pack: ContentPack, text: str, *, second_reader: bool = True) -> guidance.Screened:
    """A lookup's text with identifying details taken out: the pack's own numbers and the names its
    published reviews go by identify nobody, so they stay."""
    return guidance.screen(text, public_numbers(pack), briefings.review_names(pack), second_reader=second_reader)


def phone(contact: Contact) -> str:
    return f"{contact.name} on {contact.number}" if contact.number else contact.name


def front_door_route(pack: ContentPack, *, call: str = "") -> str:
    """The front door with its hours, then out of hours ("First Response on ... (office hours);
    outside those hours, [call] Out-of-hours ... on ..."), from the pack's contacts."""
    book = contacts_of(pack)
    front, night = book.first(ContactKind.FRONT_DOOR), book.first(ContactKind.OUT_OF_HOURS)
    assert front and night  # the pack's cross-check guarantees them
    hours = f" ({front.hours.lower()})" if front.hours else ""
    return f"{phone(front)}{hours}; outside those hours, {call}{phone(night)}"


def emergency_route(pack: ContentPack) -> str:
    """999, the front door and out of hours, in two sentences, from the pack's contacts."""
    emergency = contacts_of(pack).first(ContactKind.EMERGENCY)
    assert emergency  # the pack's cross-check guarantees it
    return (
        f"**If a child is in immediate danger, call {emergency.number}.** "
        f"Worried a child is at risk of harm: contact {front_door_route(pack, call='call ')}."
    )


def finish(pack: ContentPack) -> list[Text]:
    """The closing blocks of a safeguarding answer: the emergency route, then the judgement reminder."""
    return [Text(text=emergency_route(pack)), Text(text=f"_{guidance.JUDGEMENT_REMINDER}_")]


def danger_now(pack: ContentPack, text: str) -> bool:
    """Whether a lookup's words say a child is in danger right now, read as /threshold reads them
    ("baby not breathing", "child being hit right now"): such a lookup opens with the 999 line."""
    from handlers.threshold.index import index_of  # /threshold builds on this module: imported here
    from handlers.threshold.reading import clauses_of, danger_read

    index = index_of(pack)
    return bool(danger_read(index, index.text.vocabulary.tokens(text), clauses_of(text)))


def call_999_now(pack: ContentPack) -> Text:
    """The first line of a lookup about a child in danger now: the one /threshold opens with."""
    from handlers.threshold.answer import call_999_now as line

    return Text(text=line(pack))


def contact_line(contact: Contact) -> str:
    parts = [f"**{contact.name}**"]
    if contact.number:
        parts.append(contact.number)
    if contact.hours:
        parts.append(contact.hours)
    line = "- " + " — ".join(parts) + f"\n  {contact.when}"
    if contact.note:
        line += f" {contact.note}"
    if contact.url:
        line += f" [Website]({contact.url})"
    if contact.unconfirmed:
        line += " _(to be confirmed)_"
    return line


# --- what was asked for --------------------------------------------------------------------------

# Words around what is asked for ("phone number for", "how do I contact the"): they name no contact.
# How soon ("police now", "ambulance urgently"): said of an emergency, naming no contact.
_URGENCY = ("now", "urgent", "urgently", "immediately", "asap")
_FILLER = frozenset(
    {
        "a",
        "an",
        "the",
        "for",
        "of",
        "to",
        "on",
        "in",
        "at",
        "is",
        "are",
        "what",
        "whats",
        "who",
        "how",
        "do",
        "does",
        "can",
        "could",
        "i",
        "we",
        "get",
        "make",
        "reach",
        "find",
        "number",
        "numbers",
        "no",
        "phone",
        "telephone",
        "tel",
        "call",
        "ring",
        "contact",
        "contacts",
        "details",
        "please",
        "pls",
        "plz",
        "thanks",
        "thx",
        "re",  # "who do i call re an allegation"
        "regarding",
        "concerning",
        "their",
        "me",
        "my",
        "our",
        "child",
        "children",
        "young",
        "person",
        "people",
        "someone",
        "about",
        "with",
        "and",
        "or",
        "if",
        "when",
        "am",
        "im",
        "need",
        "want",
        "advice",  # "forced marriage advice": the contact is asked for, the advice is what it gives
        "speak",
        "talk",
        "right",  # "right now"
        # the worry itself ("it's 11pm and I'm worried about a kid"): it asks for no one by name
        "its",
        "it",
        "worried",
        "worry",
        "kid",
        "kids",
        # who the worry is about, by age ("a 12 year old going missing"): it names no contact
        "year",
        "years",
        "yr",
        "yo",
        "old",
        "aged",
        "age",
        "boy",
        "girl",
        "going",
        "again",
        # the words around a day ("this sat", "on sat morning")
        "this",
        "next",
        "last",
        "every",
        "morning",
        "afternoon",
        *_URGENCY,
    }
)
# A time of day typed plainly ("11pm", "3am", "23:30", "midnight") names no contact: one outside
# office hours, or on a weekend day, asks for the out-of-hours service; another, for the front door.
_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)\b|\b([01]?\d|2[0-3]):([0-5]\d)\b|\b(midnight)\b", re.I)
_OPENS, _CLOSES = 9, 17  # office hours, as the front door's entry says; a time outside them is out of hours
# "sat" and "sun" are days only where used as one ("sat 2pm", "on sun"), not "I sat with her at 2pm".
_CLOSED_DAYS = re.compile(
    r"\b(?:saturday|sunday|weekend|bank\s+holiday)\b"
    r"|\b(?:on|this|next|last|every)\s+(?P<after>sat|sun)\b"
    r"|\b(?P<before>sat|sun)\b(?=\.?\s*(?:\d|morning|afternoon|evening|night))",
    re.I,
)


def _times_of_day(text: str) -> list[tuple[int, int, bool]]:
    """Each typed time of day: its span, and whether the front door is closed then (outside office
    hours, or on a day it is shut: "2pm on Saturday")."""
    weekend = _CLOSED_DAYS.search(text) is not None
    found = []
    for m in _CLOCK.finditer(text):
        if m.group(6):
            hour = 0
        elif m.group(3):
            hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "pm" else 0)
        else:
            hour = int(m.group(4))
        found.append((*m.span(), weekend or hour < _OPENS or hour >= _CLOSES))
    return found


def _days_said(text: str) -> list[tuple[int, int, bool]]:
    """Where a day the front door is shut is named as a day: the time beside it, not a service, is
    what it asks about."""
    found = []
    for m in _CLOSED_DAYS.finditer(text):
        short = "after" if m.group("after") else "before" if m.group("before") else None
        if short is not None:
            found.append((*m.span(short), True))
    return found


_AGE_TYPED = re.compile(r"\d{1,2}(?:yo|yos|yr|yrs|y|m|mo|mth|mths|wk|wks)?")
_NOW = re.compile(r"\b(?:" + "|".join(_URGENCY) + r")\b", re.IGNORECASE)
# "who do I ring NOW, kid in danger": with a word for now, the emergency itself (not "not in danger",
# "in danger of exploitation", "stranger danger")
_IN_DANGER = re.compile(r"(?<!not )\bin (?:immediate )?danger\b(?! of)", re.IGNORECASE)
_MAIL = frozenset({"email", "emails", "e", "mail", "address", "addresses"})


def _words(text: str) -> list[str]:
    return [w.lower() for w in _typed(text)]


def _typed(text: str) -> list[str]:
    """The words as typed, without possessives ("children's" -> "children")."""
    return re.findall(r"[A-Za-z0-9]+", re.sub(r"['’][sS]?\b", "", text))


def _same(typed: str, word: str) -> bool:
    """The same word, a plural of it, or a slip of a letter in a longer word ("out of ours")."""
    if typed == word or typed.removesuffix("s") == word.removesuffix("s"):
        return True
    return len(word) >= 4 and len(typed) >= 4 and not typed.isdigit() and fuzz.ratio(typed, word) >= 85


# A word this common in English is no contact's own, even where its text uses it.
_EVERYDAY_ZIPF = 4.0


def _own_words(contact: Contact) -> set[str]:
    return set(_words(f"{contact.when} {contact.note}"))


@dataclass
class Asked:
    contacts: list[Contact]  # the contacts named, in the order /contacts lists them
    rest: str  # what else was asked for, as typed (span of the words no contact explains); "" if nothing
    partnership: bool  # the partnership itself (its business unit, its website)
    mail: bool  # an email address or a postal address, which the pack does not hold


def asked_for(pack: ContentPack, text: str) -> Asked:
    """Which of the pack's contacts the text asks for, and what it asks for that the pack lacks."""
    book = contacts_of(pack)
    times = _times_of_day(text) + _days_said(text)  # "on sun" asks for the service open then, as "on sunday" does
    for start, end, _closed in sorted(times, reverse=True):
        text = text[:start] + " " + text[end:]
    typed = _typed(text)
    words = [w.lower() for w in typed]
    phrases: dict[tuple[str, ...], list[Contact]] = {}
    for contact in book.contacts:
        for name in (contact.name, *contact.asked_as):
            phrases.setdefault(tuple(_words(name)), []).append(contact)
    taken = [False] * len(words)
    found: dict[str, int] = {}  # contact id: the most words one of its names matched
    # Where each word of the names stands in the text, each pair of words compared once: 4,000
    # characters of "1/1/1/" compared every name at every place and held the loop half a second.
    named_words = {p for phrase in phrases for p in phrase}
    alike = {w: {p for p in named_words if _same(w, p)} for w in set(words)}
    at: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        for p in alike[w]:
            at.setdefault(p, []).append(i)
    for phrase in sorted(phrases, key=len, reverse=True):  # "emergency duty team" before "emergency"
        n = len(phrase)
        for i in at.get(phrase[0], ()) if phrase else ():  # a name of no letters or digits names nothing
            if i + n > len(words):
                break
            if not any(taken[i : i + n]) and all(p in alike[w] for w, p in zip(words[i : i + n], phrase, strict=True)):
                taken[i : i + n] = [True] * n
                for c in phrases[phrase]:
                    found[c.id] = max(found.get(c.id, 0), n)
    for _start, _end, closed in times if not found else ():  # a service named ("childline at 11pm") comes first
        when = book.first(ContactKind.OUT_OF_HOURS if closed else ContactKind.FRONT_DOOR)
        if when is not None:
            found[when.id] = max(found.get(when.id, 0), 1)
    own = {*_words(pack.partnership.short_name), "partnership"}
    # A rarer word a contact's own text names ("FGM" in the 101 entry's): that contact is meant. Not
    # the area's name nor an everyday word ("harm", "crime"), which every contact could claim.
    area = {*own, *_words(pack.partnership.area), *_words(pack.partnership.name)}
    own_words = [(contact, _own_words(contact)) for contact in book.contacts]
    for i, w in enumerate(words):
        if taken[i] or w in _FILLER or w in area or w.isdigit() or safety.word_zipf(w) >= _EVERYDAY_ZIPF:
            continue
        for contact, theirs in own_words:
            if any(w == t or w.removesuffix("s") == t.removesuffix("s") for t in theirs):
                taken[i] = True
                found[contact.id] = max(found.get(contact.id, 0), 1)
    left = [
        (i, w)
        for i, w in enumerate(words)
        if not taken[i]
        and w not in _FILLER
        and not _AGE_TYPED.fullmatch(w)  # "12", "15yo": an age names no contact
        and not any(_same(w, f) for f in _FILLER if len(f) >= 5)
        and not (found and w in _words(pack.partnership.area))  # "Medway police": the police
    ]
    unexplained = {w for _i, w in left}
    partnership = not found and (bool(unexplained & own) or {"business", "unit"} <= unexplained)
    mail = bool(unexplained) and unexplained <= _MAIL
    rest = ""
    if left and not partnership:  # what was asked for, as typed, without the words around it
        kept = [i for i, w in enumerate(words) if taken[i] or any(i == j for j, _w in left)]
        rest = " ".join(typed[kept[0] : kept[-1] + 1])
    # the closest name first ("non-emergency police": 101 before 999), then the usual order
    named = sorted((c for c in book.contacts if c.id in found), key=lambda c: (-found[c.id], KIND_ORDER.index(c.kind)))
    return Asked(named, rest, partnership, mail)


def _not_listed(pack: ContentPack, asked: Asked, *, echo: bool) -> str:
    """Said plainly when the pack has no such contact, with the nearest route it has: never a guess."""
    if asked.mail:
        what = "holds no email or postal addresses"
    else:  # what was typed is named back only when the guard found nothing in it
        what = f"has no number for “{echoed(asked.rest, 60)}”" if echo else "has no such contact"
    if asked.mail and asked.contacts:
        nearest = f"The nearest it has: {'; '.join(phone(c) for c in asked.contacts[:2])} (first below)."
    elif asked.contacts and asked.contacts[0].kind == ContactKind.FRONT_DOOR:  # with its out-of-hours service
        nearest = f"The nearest it has: {front_door_route(pack)}."
    elif asked.contacts:
        nearest = f"The nearest it has: {'; '.join(phone(c) for c in asked.contacts[:2])}."
    else:
        nearest = f"The nearest route it has: if a child may be at risk of harm, {front_door_route(pack)}."
    return (
        f"**This pack {what}**, and I won't guess one. {nearest} "
        "Your DSL or manager can tell you how to reach other services."
    )


def _missing_service(pack: ContentPack, asked: Asked, *, echo: bool) -> list[Any]:
    """The answer for a service the pack has no number for: that said, the nearest route, the
    emergency line, and where the whole list is."""
    book = contacts_of(pack)
    emergency = book.first(ContactKind.EMERGENCY)
    front, night = book.first(ContactKind.FRONT_DOOR), book.first(ContactKind.OUT_OF_HOURS)
    assert emergency and front and night  # the pack's cross-check guarantees them
    blocks: list[Any] = [
        Text(text=_not_listed(pack, asked, echo=echo)),
        Text(
            text=f"**If a child is in immediate danger, call {emergency.number}.** "
            f"`/contacts` lists all {len(book.contacts)} contacts the pack has."
        ),
    ]
    cited = [*(asked.contacts[:2] or [front, night]), emergency]
    if sources := guidance.sources_line(pack, (c.source for c in cited)):
        blocks.append(sources)
    blocks.append(Text(text=f"_{guidance.JUDGEMENT_REMINDER}_"))
    return blocks


def _partnership_line(pack: ContentPack) -> str:
    p = pack.partnership
    where = f" Its website: {p.website}" if p.website else ""
    return f"**This pack has no phone number or email for the {p.short_name} business unit.**{where}"


@command(
    "contacts",
    help="Who to call, with the emergency route.",
    usage="[WHO]",
    long_help="Lists the partnership's contacts: the emergency number first, then the front door, "
    "out-of-hours and other advice lines, each with when to use it. Name one (/contacts out of hours) "
    "to see it, with the emergency route after it; if the pack has no such contact, I say so and give "
    "the nearest route it has.",
)
async def contacts_command(req: Request, ctx: Context) -> Reply:
    pack = ctx.pack
    screened = await guidance.read_off_loop(req.text, screen, pack, req.text)
    book = contacts_of(pack)
    blocks: list[Any] = []
    if banner := guidance.sample_banner(pack):
        blocks.append(banner)
    if screened.had_identifiers:
        blocks.append(guidance.identifier_warning())
    asked = asked_for(pack, screened.text)
    emergency = book.first(ContactKind.EMERGENCY)
    assert emergency  # the pack's cross-check guarantees it
    # A child in danger now ("baby not breathing"), or the emergency asked for ("ambulance",
    # "police now"): the 999 line comes first, before any list, and nothing is said to be missing.
    now = (
        danger_now(pack, screened.text)
        or (_IN_DANGER.search(screened.text) is not None and _NOW.search(screened.text) is not None)
        or (
            bool(asked.contacts)
            and (asked.contacts == [emergency] or (emergency in asked.contacts and bool(_NOW.search(screened.text))))
        )
    )
    if now:
        blocks.append(call_999_now(pack))
        shown = [emergency, *(c for c in asked.contacts if c is not emergency)]
        topic = "emergency-now"
    elif asked.rest and not asked.partnership and not asked.mail:
        # a service the pack lacks: said plainly with the nearest route, not the whole list again
        blocks += _missing_service(pack, asked, echo=not screened.had_identifiers)
        await guidance.count_lookup(ctx, "contacts", "not-listed")
        return reply(*blocks, summary=f"Who to call — {pack.partnership.short_name}")
    else:
        if asked.partnership:
            blocks.append(Text(text=_partnership_line(pack)))
        elif asked.mail:
            blocks.append(Text(text=_not_listed(pack, asked, echo=not screened.had_identifiers)))
        elif asked.contacts and not asked.contacts[0].number and not asked.contacts[0].name.startswith("Your "):
            # ("your DSL or manager" has no number to hold: they are reached the way you reach them)
            # "/contacts LADO": said plainly first, not only inside the listing (an outside audit)
            blocks.append(
                Text(
                    text=f"**{asked.contacts[0].name} is listed first below, with no phone number yet**: "
                    "the pack holds none, and I won't guess one."
                )
            )
        shown = [*asked.contacts] if asked.contacts else book.ordered()
        if asked.partnership:
            topic = "partnership"
        elif asked.mail:
            topic = "not-listed"
        else:
            topic = asked.contacts[0].id if asked.contacts else "all"
    if len(shown) < len(book.contacts):
        # What was asked for, with the emergency route (999, the front door, out of hours) beside
        # it; the whole list only when nothing in particular was asked for (an outside audit read
        # 3,000 characters on a phone for every "/contacts LADO").
        route = (emergency, book.first(ContactKind.FRONT_DOOR), book.first(ContactKind.OUT_OF_HOURS))
        shown += [c for c in route if c is not None and c not in shown]
    blocks.append(Header(text=f"Who to call — {pack.partnership.short_name}"))
    blocks.append(Text(text="\n".join(contact_line(c) for c in shown)))
    if len(shown) < len(book.contacts):
        blocks.append(Text(text=f"`/contacts` lists all {len(book.contacts)} contacts the pack has."))
    if sources := guidance.sources_line(pack, (c.source for c in shown)):
        blocks.append(sources)
    blocks.append(Text(text=f"_{guidance.JUDGEMENT_REMINDER}_"))
    await guidance.count_lookup(ctx, "contacts", topic)
    return reply(*blocks, summary=f"Who to call — {pack.partnership.short_name}")
