"""/contacts gives the route a practitioner needs, not a list to read through (an outside audit's
practitioner findings): an emergency gets the 999 line first, a contact whose own text names what
was asked is found by it, and a service the pack lacks is said plainly in a few lines."""

from __future__ import annotations

import re

import pytest

from bot.runtime import Runtime
from core.model import Reply, Text
from handlers import contacts
from tests.harness import only_reply

CALL_999 = "**Call 999 now**"


async def ask(runtime: Runtime, words: str) -> Reply:
    return await only_reply(runtime, "contacts", words)


def texts(answer: Reply) -> list[str]:
    return [b.text for b in answer.blocks if isinstance(b, Text)]


def listed(answer: Reply) -> list[str]:
    listing = next((t for t in texts(answer) if t.startswith("- ")), "")
    return re.findall(r"^- \*\*(.+?)\*\*", listing, re.MULTILINE)


def opening(answer: Reply) -> str:
    """The first line a reader sees, after the sample banner (a caption, not Text)."""
    return texts(answer)[0]


@pytest.mark.parametrize(
    "typed",
    ["baby not breathing", "ambulance", "police now", "child being hit right now", "need an ambulance urgently"],
)
async def test_an_emergency_gets_the_999_line_first_and_nothing_said_missing(runtime: Runtime, typed: str) -> None:
    answer = await ask(runtime, typed)
    assert opening(answer).startswith(CALL_999), opening(answer)
    assert "This pack has no" not in answer.all_text()
    assert listed(answer)[0] == "Police — emergency"


@pytest.mark.parametrize("typed", ["police", "101", "out of hours", "NSPCC", ""])
async def test_a_contact_asked_for_with_no_emergency_gets_no_999_opener(runtime: Runtime, typed: str) -> None:
    assert CALL_999 not in (await ask(runtime, typed)).all_text()


@pytest.mark.parametrize(("typed", "first"), [("fgm", "Police — non-emergency (101)"), ("neglect", "First Response")])
async def test_a_contact_whose_own_text_names_what_was_asked_is_found_by_it(
    runtime: Runtime, typed: str, first: str
) -> None:
    answer = await ask(runtime, typed)
    assert "This pack has no" not in answer.all_text()
    assert listed(answer)[0] == first


async def test_the_areas_name_beside_a_contact_names_no_missing_service(runtime: Runtime) -> None:
    answer = await ask(runtime, "Medway police")
    assert "This pack has no" not in answer.all_text()
    assert listed(answer)[0] == "Police — emergency"


# The services the audit asked for that the pack has no number for.
@pytest.mark.parametrize("typed", ["MARAC", "CAMHS", "health visitor", "early help", "Prevent", "private fostering"])
async def test_a_service_the_pack_lacks_gets_a_short_answer_not_the_whole_list(runtime: Runtime, typed: str) -> None:
    answer = await ask(runtime, typed)
    shown = answer.all_text()
    assert opening(answer).startswith(f"**This pack has no number for “{typed}”**, and I won't guess one.")
    assert "The nearest route it has: if a child may be at risk of harm, First Response on" in shown
    assert "**If a child is in immediate danger, call 999.**" in shown
    assert f"`/contacts` lists all {len(contacts.contacts_of(runtime.ctx.pack).contacts)} contacts" in shown
    assert listed(answer) == []  # the whole list is not repeated
    assert "Childline" not in shown and "NSPCC" not in shown
    pack_numbers = {c.number for c in contacts.contacts_of(runtime.ctx.pack).contacts}
    assert set(re.findall(r"\d[\d ]{1,}\d", shown)) <= pack_numbers  # no guessed number


async def test_a_service_the_pack_lacks_beside_one_it_has_gives_that_one_as_the_nearest(runtime: Runtime) -> None:
    answer = await ask(runtime, "MARAC referral")
    assert opening(answer).startswith("**This pack has no number for “MARAC referral”**")
    # with its out-of-hours service, which the audit found missing
    nearest = "The nearest it has: First Response on 01634 334466 (office hours); outside those hours, Out-of-hours"
    assert nearest in opening(answer)
    assert listed(answer) == []
