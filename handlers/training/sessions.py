"""The session a command or button names, whether it can still change, and a new session from a
checked draft (the add form and `sgbot training import` both make one)."""

from __future__ import annotations

import datetime as dt
import re

from core.context import Context
from core.model import UserError
from core.sanitise import echoed
from handlers.training.schedule import SessionDraft, format_channels
from storage import training as store
from storage.training import CANCELLED, SCHEDULED, TrainingSession

GONE = (
    "That training session no longer exists, so there is nothing to reply to. Type /training to see what's coming up."
)
SESSION_VALUE = r"^\d{1,9}$"  # what a button or form naming one session carries


def session_number(text: str) -> int:
    raw = text.strip().lstrip("#")
    if not re.fullmatch(r"\d{1,9}", raw):
        raise UserError(
            f'"{echoed(text, 20)}" is not a session number; type /training to see the sessions and their numbers.'
        )
    return int(raw)


async def session_or_gone(ctx: Context, words: list[str], doing: str) -> TrainingSession:
    if not words:
        raise UserError(f"Say which session to {doing}, e.g. /training {doing} 12.")
    async with ctx.db.transaction() as tx:
        session = await store.get_session(tx, session_number(words[0]))
    if session is None:
        raise UserError(f"There is no session {words[0][:12]}; type /training to see the sessions and their numbers.")
    return session


def new_session(draft: SessionDraft, *, created_by: str, now: dt.datetime) -> TrainingSession:
    return TrainingSession(
        course_id=draft.course_id,
        title=draft.title,
        start_at=draft.start_at,
        end_at=draft.end_at,
        zone=draft.zone,
        venue=draft.venue,
        online_url=draft.online_url,
        capacity=draft.capacity,
        trainer=draft.trainer,
        status=SCHEDULED,
        created_by=created_by,
        created_at=now,
        updated_at=now,
        version=1,
        channels=format_channels(draft.channels),
    )


def editable(session: TrainingSession | None, now: dt.datetime, *, doing: str = "changed") -> TrainingSession:
    """The session, while it can still be changed (or announced: `doing`)."""
    if session is None:
        raise UserError(GONE)
    if session.status == CANCELLED:
        raise UserError(f"Session {session.id} has been cancelled, so it can't be {doing}; add a new one instead.")
    if session.start_at <= now:
        raise UserError(f"Session {session.id} has already started, so it can't be {doing} any more.")
    return session
