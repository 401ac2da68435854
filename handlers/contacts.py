"""/contacts: who to call, emergency first; and the emergency route every lookup ends with.

Content: `contacts.yaml` in the content pack (the `Contacts` model below).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import Field

from core.contentpack import Cited, ContentPack, Section, Strict
from core.context import Context
from core.model import Header, Reply, Request, Text, reply
from core.registry import command
from handlers import briefings, guidance


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


def screen(pack: ContentPack, text: str) -> guidance.Screened:
    """A lookup's text with identifying details taken out: the pack's own numbers and the names its
    published reviews go by identify nobody, so they stay."""
    return guidance.screen(text, public_numbers(pack), briefings.review_names(pack))


def phone(contact: Contact) -> str:
    return f"{contact.name} on {contact.number}" if contact.number else contact.name


def emergency_route(pack: ContentPack) -> str:
    """999, the front door and out of hours, in two sentences, from the pack's contacts."""
    book = contacts_of(pack)
    emergency = book.first(ContactKind.EMERGENCY)
    front = book.first(ContactKind.FRONT_DOOR)
    night = book.first(ContactKind.OUT_OF_HOURS)
    assert emergency and front and night  # the pack's cross-check guarantees them
    hours = f" ({front.hours.lower()})" if front.hours else ""
    return (
        f"**If a child is in immediate danger, call {emergency.number}.** "
        f"Worried a child is at risk of harm: contact {phone(front)}{hours}; outside those hours, call {phone(night)}."
    )


def finish(pack: ContentPack) -> list[Text]:
    """The closing blocks of a safeguarding answer: the emergency route, then the judgement reminder."""
    return [Text(text=emergency_route(pack)), Text(text=f"_{guidance.JUDGEMENT_REMINDER}_")]


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


@command(
    "contacts",
    help="Who to call, emergency first.",
    long_help="Lists the partnership's contacts: the emergency number first, then the front door, "
    "out-of-hours and other advice lines, each with when to use it.",
)
async def contacts_command(req: Request, ctx: Context) -> Reply:
    pack = ctx.pack
    screened = screen(pack, req.text)
    book = contacts_of(pack)
    blocks: list[Any] = []
    if banner := guidance.sample_banner(pack):
        blocks.append(banner)
    if screened.had_identifiers:
        blocks.append(guidance.identifier_warning())
    blocks.append(Header(text=f"Who to call — {pack.partnership.short_name}"))
    blocks.append(Text(text="\n".join(contact_line(c) for c in book.ordered())))
    if sources := guidance.sources_line(pack, (c.source for c in book.ordered())):
        blocks.append(sources)
    blocks.append(Text(text=f"_{guidance.JUDGEMENT_REMINDER}_"))
    await guidance.count_lookup(ctx, "contacts", "all")
    return reply(*blocks, summary=f"Who to call — {pack.partnership.short_name}")
