"""Tables for training sessions: sessions, where they were announced, RSVPs and attendance.

Surveys read sessions and attendance from here; the training feature owns the writes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class TrainingSession(Base):
    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    course_id: Mapped[str] = mapped_column(String(80), index=True)  # a pack course id or an added course
    title: Mapped[str] = mapped_column(String(200))
    start_at: Mapped[dt.datetime] = mapped_column(index=True)  # UTC
    end_at: Mapped[dt.datetime]  # UTC
    zone: Mapped[str] = mapped_column(String(64), default="Europe/London")  # the zone it was entered in
    venue: Mapped[str] = mapped_column(String(255), default="")
    online_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int] = mapped_column(Integer)
    trainer: Mapped[str] = mapped_column(String(120), default="")  # "platform:user"
    status: Mapped[str] = mapped_column(String(12), default="scheduled")  # scheduled | cancelled
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class SessionAnnouncement(Base):
    """One post of a session in a channel; message_id is filled once the post is delivered."""

    __tablename__ = "training_announcements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[str] = mapped_column(String(120))
    message_id: Mapped[str | None] = mapped_column(String(120))
    posted_at: Mapped[dt.datetime | None]


class Rsvp(Base):
    __tablename__ = "training_rsvps"

    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))  # going | waitlist | declined
    responded_at: Mapped[dt.datetime]  # waitlist order


class Attendance(Base):
    __tablename__ = "training_attendance"

    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    attended: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(12))  # trainer | import
    recorded_at: Mapped[dt.datetime]
