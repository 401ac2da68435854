"""Core tables shared by every feature: the outbox, delivery de-duplication, thread
ownership, the audit trail and a small key-value store. Features keep their own tables in
their own modules under storage/ and share this `Base`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores UTC; always returns aware datetimes (SQLite would otherwise drop the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; attach a zone first")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON()}


class OutboxMessage(Base):
    """A message the bot will post: reminders, announcements, feed items, bulletins, surveys."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_due", "status", "due_at"), Index("ix_outbox_message_id", "message_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)  # idempotency key
    platform: Mapped[str] = mapped_column(String(20))
    target: Mapped[dict[str, Any]]  # core.model.Target as JSON
    payload: Mapped[dict[str, Any]]  # core.model.Reply as JSON
    due_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime | None]  # after this it is skipped, not sent late
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending claimed sent failed skipped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[dt.datetime | None]
    message_id: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str | None] = mapped_column(Text)
    on_sent: Mapped[str | None] = mapped_column(String(255))  # "feature:ref" told when posted
    created_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None]


class SeenDelivery(Base):
    """Platform delivery ids already handled, so a retried delivery has no second effect."""

    __tablename__ = "seen_deliveries"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class ThreadClaim(Base):
    """Which feature owns a thread, so plain replies in it reach that feature."""

    __tablename__ = "thread_claims"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    thread_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    feature: Mapped[str] = mapped_column(String(40))
    ref: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime]


class AuditEntry(Base):
    """Who changed what, when, from which platform. Never holds survey answers or lookup text."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    platform: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120), index=True)
    action: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(255), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class StateValue(Base):
    """Small named values the bot keeps between runs."""

    __tablename__ = "bot_state"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime]
