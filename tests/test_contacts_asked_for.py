"""/contacts answers what is typed: the contact asked for first, or a plain sentence that the pack
has none with the nearest route it has, never a made-up number (an outside audit's finding F6)."""

from __future__ import annotations

import re

import pytest

from bot.runtime import Runtime
from core.model import Reply, Text
from handlers import contacts
from tests.harness import only_reply

NOT_LISTED = "This pack has no number for"


async def ask(runtime: Runtime, words: str) -> Reply:
    return await only_reply(runtime, "contacts", words)


def listed(answer: Reply) -> list[str]:
    listing = next(b.text for b in answer.blocks if isinstance(b, Text) and b.text.startswith("- "))
    return re.findall(r"^- \*\*(.+?)\*\*", listing, re.MULTILINE)


# The audit's queries (contacts_q.txt) for which the pack has the contact.
@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("out of hours", "Out-of-hours emergency social care"),
        ("out of ours", "Out-of-hours emergency social care"),
        ("emergency duty team", "Out-of-hours emergency social care"),
        ("EDT", "Out-of-hours emergency social care"),
        ("front door", "First Response"),
        ("first response", "First Response"),
        ("children's social care", "First Response"),
        ("social services", "First Response"),
        ("MASH phone", "First Response"),
        ("referral", "First Response"),
        ("how to make a referral", "First Response"),
        ("duty social worker", "First Response"),
        ("police", "Police — emergency"),
        ("emergency", "Police — emergency"),
        ("999", "Police — emergency"),
        ("police non emergency", "Police — non-emergency (101)"),
        ("non-emergency police number", "Police — non-emergency (101)"),
        ("101", "Police — non-emergency (101)"),
        ("NSPCC", "NSPCC helpline"),
        ("childline", "Childline"),
        ("my DSL", "Your designated safeguarding lead (DSL) or manager"),
    ],
)
async def test_the_contact_asked_for_comes_first(runtime: Runtime, typed: str, first: str) -> None:
    answer = await ask(runtime, typed)
    assert listed(answer)[0] == first
    assert "This pack has no" not in answer.all_text()
    # then the emergency route beside it, and where the whole list is: not all ten again on a phone
    shown = listed(answer)
    assert {"Police — emergency", "First Response", "Out-of-hours emergency social care"} <= set(shown)
    assert len(shown) <= 5 < len(contacts.contacts_of(runtime.ctx.pack).contacts)
    assert "`/contacts` lists all" in answer.all_text()


# The audit's queries for which the pack has no contact.
@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("prevent", "prevent"),
        ("early help number", "early help"),
        ("housing", "housing"),
        ("domestic abuse helpline", "domestic abuse helpline"),
        ("adult social care", "adult social care"),
        ("CAMHS", "CAMHS"),
        ("channel panel", "channel panel"),
        ("MARAC referral", "MARAC referral"),
    ],
)
async def test_a_contact_the_pack_lacks_is_said_plainly_with_the_nearest_route(
    runtime: Runtime, typed: str, named: str
) -> None:
    answer = await ask(runtime, typed)
    lead = next(b.text for b in answer.blocks if isinstance(b, Text) and "This pack" in b.text)
    assert f"{NOT_LISTED} “{named}”**, and I won't guess one." in lead
    assert "First Response" in lead  # said, or first in the list below
    numbers = set(re.findall(r"\d[\d ]{1,}\d", answer.all_text()))
    pack_numbers = {c.number for c in contacts.contacts_of(runtime.ctx.pack).contacts}
    assert numbers <= pack_numbers | {"2022", "2023", "2024", "2025"}, numbers - pack_numbers


async def test_the_business_unit_gets_the_partnerships_website(runtime: Runtime) -> None:
    for typed in ("safeguarding partnership business unit", "MSCP"):
        shown = (await ask(runtime, typed)).all_text()
        assert "no phone number or email for the MSCP business unit" in shown
        assert "https://www.medwayscp.org.uk" in shown


async def test_an_email_is_said_to_be_missing_and_first_response_comes_first(runtime: Runtime) -> None:
    answer = await ask(runtime, "email for referrals")
    assert "This pack holds no email or postal addresses" in answer.all_text()
    assert listed(answer)[0] == "First Response"


async def test_contacts_alone_is_the_whole_list_emergency_first(runtime: Runtime) -> None:
    answer = await ask(runtime, "")
    assert listed(answer)[0] == "Police — emergency"
    assert "This pack" not in answer.all_text()


async def test_a_child_named_in_the_question_is_warned_about_and_never_named_back(runtime: Runtime) -> None:
    shown = (await ask(runtime, "Jane Smith age 6 CAMHS")).all_text()
    assert "Please don't share details that could identify a child" in shown
    assert "This pack has no such contact" in shown
    assert "Jane" not in shown and "Smith" not in shown
