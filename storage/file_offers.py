"""Files offered in a Teams personal chat by a file consent card, waiting for Allow or Decline.

The bot sends the card, and the person's answer reaches whichever replica the load balancer picks,
perhaps after a restart, so the bytes wait here rather than in a process (see
bot/adapters/teams/files.py for the flow). A row holds only what the upload needs: the file's name
and bytes, and the chat and person it was offered to. The card's token is kept as a hash, so the
table alone cannot answer a card.

An answer claims the offer with one UPDATE whose WHERE only an unanswered, unexpired offer meets:
atomic on SQLite and, on PostgreSQL, the second of two concurrent claims waits for the first and
then finds the row answered, so two replicas given the same Allow upload once. The claim empties
the bytes; the answered row stays until the offer expires, so a repeated answer is recognised and
ignored on every replica. Housekeeping deletes expired rows (`purge_expired`).

Every function takes the caller's transaction (`tx`, see storage/db.py) and never commits it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Index, Integer, LargeBinary, String, Text, delete, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base

OFFER_TTL = dt.timedelta(hours=1)  # an offer not answered by then gets "ask me again"
KEPT_PER_CHAT = 20  # unanswered offers kept per chat; a newer one pushes out the oldest


class TeamsFileOffer(Base):
    __tablename__ = "teams_file_offers"
    __table_args__ = (Index("ix_teams_file_offers_chat", "conversation_id", "answered_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the card's token
    conversation_id: Mapped[str] = mapped_column(String(400))  # the personal chat it was offered in
    user_id: Mapped[str | None] = mapped_column(String(200))  # the person it was offered to
    name: Mapped[str] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary)  # emptied once answered
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    answered_at: Mapped[dt.datetime | None]


@dataclass(frozen=True)
class OfferedFile:
    name: str
    data: bytes = field(repr=False)  # a calendar file's contents: never in a log line


def key_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def offer(
    tx: AsyncSession,
    token: str,
    *,
    name: str,
    data: bytes,
    conversation_id: str,
    user_id: str | None,
    now: dt.datetime,
    ttl: dt.timedelta = OFFER_TTL,
    kept_per_chat: int = KEPT_PER_CHAT,
) -> None:
    """Keep a file until the person answers its card, or `ttl` passes; the chat's unanswered
    offers beyond the newest `kept_per_chat` are dropped, so no chat piles them up."""
    row = TeamsFileOffer(
        key=key_of(token),
        conversation_id=conversation_id,
        user_id=user_id,
        name=name,
        data=data,
        expires_at=now + ttl,
        answered_at=None,
    )
    tx.add(row)
    await tx.flush()
    newest = (
        select(TeamsFileOffer.id)
        .where(TeamsFileOffer.conversation_id == conversation_id, TeamsFileOffer.answered_at.is_(None))
        .order_by(TeamsFileOffer.id.desc())
        .limit(kept_per_chat)
    )
    await tx.execute(
        delete(TeamsFileOffer)
        .where(
            TeamsFileOffer.conversation_id == conversation_id,
            TeamsFileOffer.answered_at.is_(None),
            TeamsFileOffer.id.not_in(newest.scalar_subquery()),
        )
        .execution_options(synchronize_session=False)
    )


async def claim(
    tx: AsyncSession, token: str, *, conversation_id: str, user_id: str, now: dt.datetime
) -> OfferedFile | None:
    """Take the offer for an answer from this person in this chat: the file, the one time it is
    asked for before it expires; None otherwise (answered already, expired, pushed out, unknown,
    or offered to someone else or in another chat)."""
    key = key_of(token)
    taken = (
        await tx.execute(
            update(TeamsFileOffer)
            .where(
                TeamsFileOffer.key == key,
                TeamsFileOffer.answered_at.is_(None),
                TeamsFileOffer.expires_at > now,
                TeamsFileOffer.conversation_id == conversation_id,
                or_(TeamsFileOffer.user_id.is_(None), TeamsFileOffer.user_id == user_id),
            )
            .values(answered_at=now)
            .returning(TeamsFileOffer.name, TeamsFileOffer.data)
            .execution_options(synchronize_session=False)
        )
    ).one_or_none()
    if taken is None:
        return None
    # The bytes leave the table with the claim; the row stays only to recognise a repeated answer.
    await tx.execute(
        update(TeamsFileOffer)
        .where(TeamsFileOffer.key == key)
        .values(data=b"")
        .execution_options(synchronize_session=False)
    )
    return OfferedFile(name=taken.name, data=taken.data)


async def was_answered(tx: AsyncSession, token: str) -> bool:
    """Whether the offer was answered already (so an answer arriving again is a repeat)."""
    found = await tx.scalar(
        select(TeamsFileOffer.id).where(TeamsFileOffer.key == key_of(token), TeamsFileOffer.answered_at.is_not(None))
    )
    return found is not None


async def purge_expired(tx: AsyncSession, *, now: dt.datetime) -> int:
    """Delete offers past their expiry, answered or not."""
    result = await tx.execute(delete(TeamsFileOffer).where(TeamsFileOffer.expires_at <= now))
    return cast(CursorResult[Any], result).rowcount or 0
