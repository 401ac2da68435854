"""Teams files waiting for a consent answer (storage/file_offers.py), on SQLite and PostgreSQL:
claimed once, by the person and chat they were offered to, before they expire."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select

from storage import file_offers
from storage.db import Database
from storage.file_offers import OFFER_TTL, OfferedFile, TeamsFileOffer
from tests.storage_support import in_tx

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ICS = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
CHAT, ALEX = "a:1personalAlex", "29:1practitionerA"


async def offer(db: Database, token: str, *, chat: str = CHAT, now: dt.datetime = T0, **extra: int) -> None:
    await in_tx(
        db,
        file_offers.offer,
        token,
        name="session.ics",
        data=ICS,
        conversation_id=chat,
        user_id=ALEX,
        now=now,
        **extra,  # type: ignore[arg-type]
    )


async def claim(
    db: Database, token: str, *, chat: str = CHAT, person: str = ALEX, now: dt.datetime = T0
) -> OfferedFile | None:
    return await in_tx(db, file_offers.claim, token, conversation_id=chat, user_id=person, now=now)


async def rows(db: Database) -> list[TeamsFileOffer]:
    async with db.transaction() as tx:
        return list((await tx.scalars(select(TeamsFileOffer).order_by(TeamsFileOffer.id))).all())


async def test_an_offer_is_claimed_once_and_its_bytes_leave_the_table(db: Database) -> None:
    await offer(db, "tok-1")
    [row] = await rows(db)
    assert row.key != "tok-1" and row.data == ICS  # the token is kept only as a hash

    taken = await claim(db, "tok-1")
    assert taken == OfferedFile("session.ics", ICS)
    assert ICS.decode() not in repr(taken)
    assert await claim(db, "tok-1") is None
    assert await in_tx(db, file_offers.was_answered, "tok-1")
    [row] = await rows(db)
    assert row.data == b"" and row.answered_at is not None


async def test_concurrent_claims_of_one_offer_give_it_to_one(db: Database, database_url: str) -> None:
    await offer(db, "tok-1")
    other = Database(database_url)  # a second replica's engine on the same database
    try:
        both = await asyncio.gather(
            in_tx(db, file_offers.claim, "tok-1", conversation_id=CHAT, user_id=ALEX, now=T0),
            in_tx(other, file_offers.claim, "tok-1", conversation_id=CHAT, user_id=ALEX, now=T0),
        )
    finally:
        await other.dispose()
    assert sorted(both, key=lambda f: f is None) == [OfferedFile("session.ics", ICS), None]


async def test_someone_else_or_another_chat_cannot_claim_it(db: Database) -> None:
    await offer(db, "tok-1")
    assert await claim(db, "tok-1", person="29:1practitionerB") is None
    assert await claim(db, "tok-1", chat="a:1personalBea") is None
    assert not await in_tx(db, file_offers.was_answered, "tok-1")
    assert await claim(db, "tok-1") is not None  # still there for the person it was offered to


async def test_an_expired_offer_is_not_claimed_and_housekeeping_purges_it(db: Database) -> None:
    await offer(db, "old")
    await offer(db, "answered")
    await claim(db, "answered")
    await offer(db, "fresh", now=T0 + OFFER_TTL)
    later = T0 + OFFER_TTL
    assert await claim(db, "old", now=later) is None
    assert not await in_tx(db, file_offers.was_answered, "old")
    assert await in_tx(db, file_offers.purge_expired, now=later) == 2  # the expired, answered or not
    assert [r.name for r in await rows(db)] == ["session.ics"]
    assert await claim(db, "fresh", now=later) is not None


async def test_newer_offers_push_out_the_oldest_unanswered_in_the_chat(db: Database) -> None:
    await offer(db, "answered", kept_per_chat=2)
    assert await claim(db, "answered") is not None
    for token in ("a", "b", "c"):
        await offer(db, token, kept_per_chat=2)
    await offer(db, "elsewhere", chat="a:1personalBea", kept_per_chat=2)
    assert await claim(db, "a") is None  # pushed out
    assert await claim(db, "b") is not None and await claim(db, "c") is not None
    assert await in_tx(db, file_offers.was_answered, "answered")  # answered rows are not counted
    assert await claim(db, "elsewhere", chat="a:1personalBea") is not None
