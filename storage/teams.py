"""Microsoft Teams conversation references: where the bot may post without being asked.

Teams lets a bot post only into conversations it has been told about: a team, a group chat or a
person's personal chat where the app is installed. The bot learns each one from the activities
Teams sends (installationUpdate, conversationUpdate, any message) and keeps it here, so every
replica can post proactively through it, after a restart too. A personal chat is found by the
person's Teams user id (`29:...`), which the bot needs anyway to write to them.

Every function takes the caller's transaction (`tx`, see storage/db.py) and never commits it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Index, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import insert
from storage.models import Base

PERSONAL, GROUP_CHAT, CHANNEL = "personal", "groupChat", "channel"


class TeamsConversation(Base):
    __tablename__ = "teams_conversations"
    __table_args__ = (Index("ix_teams_conversations_user", "user_id", "kind"),)

    conversation_id: Mapped[str] = mapped_column(String(400), primary_key=True)
    service_url: Mapped[str] = mapped_column(String(500))
    tenant_id: Mapped[str | None] = mapped_column(String(80))
    bot_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # personal | groupChat | channel
    user_id: Mapped[str | None] = mapped_column(String(200))  # the person, for a personal chat only
    team_id: Mapped[str | None] = mapped_column(String(400))
    updated_at: Mapped[dt.datetime]


@dataclass(frozen=True)
class ConversationRef:
    conversation_id: str
    service_url: str
    bot_id: str
    kind: str
    tenant_id: str | None = None
    user_id: str | None = None
    team_id: str | None = None


def _ref(row: TeamsConversation) -> ConversationRef:
    return ConversationRef(
        conversation_id=row.conversation_id,
        service_url=row.service_url,
        bot_id=row.bot_id,
        kind=row.kind,
        tenant_id=row.tenant_id,
        user_id=row.user_id,
        team_id=row.team_id,
    )


async def remember(tx: AsyncSession, ref: ConversationRef, *, now: dt.datetime) -> None:
    """Insert or refresh a reference (Teams may move a conversation to another service URL).

    A reference already stored as it is is only read, never written: every activity from a chat a
    replica has not cached comes here, a survey press among them, and a write then (the row's
    time, or PostgreSQL's xmin next to the sealed answer's) would say who answered a survey, and
    when (outside audit trust5 #1). For the same reason the time kept is the day, not the moment."""
    values: dict[str, object] = {
        "conversation_id": ref.conversation_id,
        "service_url": ref.service_url,
        "tenant_id": ref.tenant_id,
        "bot_id": ref.bot_id,
        "kind": ref.kind,
        "user_id": ref.user_id,
        "team_id": ref.team_id,
    }
    changing = {k: v for k, v in values.items() if k != "conversation_id" and v is not None}
    stored = await tx.get(TeamsConversation, ref.conversation_id)
    if stored is not None and stored.kind == PERSONAL and stored.user_id:
        # A personal chat is one person's for good: an activity naming someone else in it (which
        # Teams cannot send) must not make it theirs, and their private answers go to the owner.
        changing.pop("user_id", None)
        changing.pop("kind", None)
    if stored is not None and all(getattr(stored, k) == v for k, v in changing.items()):
        return
    changing["updated_at"] = values["updated_at"] = now.replace(hour=0, minute=0, second=0, microsecond=0)
    stmt = insert(tx, TeamsConversation).values(**values)
    await tx.execute(stmt.on_conflict_do_update(index_elements=["conversation_id"], set_=changing))


async def find(tx: AsyncSession, conversation_id: str) -> ConversationRef | None:
    row = await tx.get(TeamsConversation, conversation_id)
    return _ref(row) if row is not None else None


async def personal_chat(tx: AsyncSession, user_id: str) -> ConversationRef | None:
    """The person's personal chat with the bot, the most recently seen if Teams gave several."""
    row = await tx.scalar(
        select(TeamsConversation)
        .where(TeamsConversation.user_id == user_id, TeamsConversation.kind == PERSONAL)
        .order_by(TeamsConversation.updated_at.desc())
        .limit(1)
    )
    return _ref(row) if row is not None else None


async def any_in_tenant(tx: AsyncSession, tenant_id: str | None) -> ConversationRef | None:
    """Any known conversation in the tenant (its service URL and bot id serve a new one)."""
    stmt = select(TeamsConversation).order_by(TeamsConversation.updated_at.desc()).limit(1)
    if tenant_id:
        stmt = stmt.where(TeamsConversation.tenant_id == tenant_id)
    row = await tx.scalar(stmt)
    return _ref(row) if row is not None else None


async def forget(tx: AsyncSession, conversation_id: str) -> None:
    """The bot was removed from a conversation: stop offering it for posts."""
    row = await tx.get(TeamsConversation, conversation_id)
    if row is not None:
        await tx.delete(row)
