"""Reminders: by direct message to everyone going and in each announcement's thread, at the
offsets in TRAINING_REMINDER_OFFSETS (default 7d,1d,1h).

Each is an outbox row keyed `reminder:<session>:v<version>:<recipient>:<offset>` (with `~<round>`
after it when one called off is wanted again), due at the reminder
time and useful until the next one is due (never after the start), so after downtime the latest one
still useful is sent once and older ones are skipped with a reason. `sync_reminders` runs under the
session's row lock after every change; the hourly job is a safety net."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from pydantic import field_validator
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import FeatureSettings
from core.context import Context
from core.model import Button, Buttons, Reply, Target, Text, Visibility
from core.registry import job
from handlers.training.messages import outbox_message, to_person, to_thread
from handlers.training.schedule import Offset, link_field, parse_offsets, plain_field, reminder_time, when_text
from handlers.training.views import CANT_GO_GOING
from storage import outbox
from storage import training as store
from storage.training import CANCELLED, GOING, SCHEDULED, Rsvp, TrainingSession


class TrainingSettings(FeatureSettings):
    """TRAINING_REMINDER_OFFSETS from the environment or .env."""

    # How long before a session, e.g. "7d,1d,1h" (w, d, h, m). Days and weeks keep the session's
    # wall-clock time across clock changes; hours and minutes are exact.
    training_reminder_offsets: str = "7d,1d,1h"

    @field_validator("training_reminder_offsets")
    @classmethod
    def _offsets_as_written(cls, value: str) -> str:
        if not _OFFSETS.fullmatch(value):
            # said back at start-up beside the setting's name (core.config.env_names)
            raise ValueError("write it like 7d,1d,1h: each a number with w, d, h or m, separated by commas")
        return value


_OFFSETS = re.compile(r"\s*(\d+[wdhm])+(\s*,\s*(\d+[wdhm])+)*\s*")


# Where a reminder goes, its offset, when it is due and until when it is still useful.
_Wanted = tuple[Target, Offset, dt.datetime, dt.datetime]


def offsets(ctx: Context) -> list[Offset]:
    return parse_offsets(ctx.feature_settings(TrainingSettings).training_reminder_offsets)


async def sync_reminders(
    ctx: Context, tx: AsyncSession, session: TrainingSession, *, people: Iterable[tuple[str, str]] | None = None
) -> None:
    """Make the session's reminders match who is going and where it was announced.

    Called under the session's row lock after every change; `people` narrows the work to the
    people whose reply just changed. Reminders no longer wanted (someone can't go, the time
    moved, the session was cancelled) are skipped with a reason, also one a worker has taken
    but not yet posted, so it cannot come back with the old details after a failed try; wanted
    ones still in the future are added. Keys never repeat, so nothing is sent twice however
    often this runs or however many replicas run it.

    What is still ahead is judged by the database's clock, as the delivery worker judges it:
    with this replica's clock fast, a reminder due in the next few minutes would be lost."""
    now = await ctx.agreed_now(tx)
    stem = f"reminder:{session.id}:v{session.version}"
    chosen = None if people is None else list(dict.fromkeys(people))
    times = _schedule(ctx, session) if session.status == SCHEDULED and session.start_at > now else []
    wanted: dict[str, _Wanted] = {}
    if times:
        if chosen is None:
            going = await store.rsvps(tx, session.id, [GOING])
            posted = await store.announcements(tx, session.id, posted_only=True)
        else:
            found = [await tx.get(Rsvp, (session.id, p, u)) for p, u in chosen]
            going, posted = [r for r in found if r is not None and r.status == GOING], []
        for offset, due, expires in times:
            for a in posted:
                key, target = to_thread(f"{stem}:thread:{a.id}:{offset.label}", a)
                wanted[key] = (target, offset, due, expires)
            for r in going:
                key, target = to_person(stem, r.platform, r.user_id)
                wanted[f"{key}:{offset.label}"] = (target, offset, due, expires)
    prefixes = [f"reminder:{session.id}:"] if chosen is None else [f"{stem}:{p}:{u}:" for p, u in chosen]
    history = await store.outbox_slots(tx, f"reminder:{session.id}:")  # every version's rows
    wanted = _this_round(wanted, history)
    # Someone pressing Can't go and Going over and over leaves one called-off round per reminder,
    # not one per press: the rounds before the latest are deleted once nothing holds them.
    await store.delete_skipped_outbox_keys(tx, _superseded(history))
    existing = {key: status for key, status, _due in history if key.startswith(tuple(prefixes))}
    stale = {key for key, status in existing.items() if status in store.UNFINISHED} - wanted.keys()
    await store.skip_outbox_keys(tx, stale, reason=_stale_reason(session))
    last_sent: dict[str, tuple[int, dt.datetime]] = {}  # slot -> (version, due) of the latest sent
    replacing: set[str] = set()
    for key, status, due in history:
        slot, version = _slot(key), _version(key)
        if status == "sent" and version >= last_sent.get(slot, (-1, due))[0]:
            last_sent[slot] = (version, due)
        elif key in stale:
            replacing.add(slot)
    # One already due goes out now (max), after what this change enqueued before it (the notice that
    # the time changed, due at the database's now too): due earlier, it would be sent first.
    new = [
        outbox_message(
            (key, target), _reminder(session, direct=target.kind == "direct"), due=max(due, now), expires=expires
        )
        for key, (target, _offset, due, expires) in wanted.items()
        if key not in existing
        # Only reminders still ahead are added, as one whose time has passed would arrive late,
        # unless it takes the place of one that had not gone out yet.
        and (due > now or (_slot(key) in replacing and expires > now))
        # A reminder already sent for this start time is not sent again because the venue or
        # link changed: the change notice told everyone. A new start time (another hour or
        # another day) moves its due time, so it comes again, with the new time.
        and (_slot(key) not in last_sent or last_sent[_slot(key)][1] != due)
    ]
    await outbox.enqueue(tx, new, now=ctx.now())


def _this_round(wanted: dict[str, _Wanted], history: Iterable[tuple[str, str, dt.datetime]]) -> dict[str, _Wanted]:
    """`wanted` under the keys to use now. A reminder called off (the person said Can't go) and
    wanted again (they are going again) is a new row, `...:1d~2`: keys never repeat. Only one
    still ahead is then added (below), so one a worker was posting as it was called off cannot
    come twice."""
    latest: dict[str, tuple[int, str, str]] = {}  # key as first made -> (round, key, status) of its last round
    for key, status, _due in history:
        first, round_ = _first_key(key)
        if round_ >= latest.get(first, (0, "", ""))[0]:
            latest[first] = (round_, key, status)
    now_keys = {}
    for key, item in wanted.items():
        round_, last_key, status = latest.get(key, (1, key, ""))
        now_keys[f"{key}~{round_ + 1}" if status == outbox.SKIPPED else last_key] = item
    return now_keys


def _superseded(history: Iterable[tuple[str, str, dt.datetime]]) -> list[str]:
    """Keys of called-off rounds that a later round of the same reminder has replaced. The latest
    round stays, so the next round's number is still known."""
    rows = [(key, status, *_first_key(key)) for key, status, _due in history]
    latest: dict[str, int] = {}
    for _key, _status, first, round_ in rows:
        latest[first] = max(round_, latest.get(first, 0))
    return [key for key, status, first, round_ in rows if status == outbox.SKIPPED and round_ < latest[first]]


def _first_key(key: str) -> tuple[str, int]:
    """A reminder's key as first made, and its round: `...:amy:1d~2` -> (`...:amy:1d`, 2)."""
    stem, last = key.rsplit(":", 1)
    offset, _, round_ = last.partition("~")
    return f"{stem}:{offset}", int(round_) if round_.isdigit() else 1


def _slot(key: str) -> str:
    """A reminder's recipient and offset, whatever the version or round: `reminder:7:v2:console:amy:1d~2`
    -> `console:amy:1d`."""
    return _first_key(key)[0].split(":", 3)[3]


def _version(key: str) -> int:
    """A reminder's session version: `reminder:7:v2:console:amy:1d` -> 2."""
    return int(key.split(":", 3)[2].removeprefix("v"))


def _schedule(ctx: Context, session: TrainingSession) -> list[tuple[Offset, dt.datetime, dt.datetime]]:
    """(offset, due, expires) for each reminder of a session. A reminder is useful until the
    next one is due, and never once the session has started."""
    times = [(o, reminder_time(session.start_at, session.zone, o)) for o in offsets(ctx)]
    found = []
    for i, (offset, due) in enumerate(times):
        if due >= session.start_at:
            continue
        later = [t for _, t in times[i + 1 :] if t > due]
        found.append((offset, due, min([session.start_at, *later])))
    return found


def _stale_reason(session: TrainingSession) -> str:
    if session.status == CANCELLED:
        return "not needed: the session was cancelled"
    return "not needed any more: the session's details changed or the person is no longer going"


def _reminder(session: TrainingSession, *, direct: bool) -> Reply:
    where = plain_field(session.venue) or "online"
    lines = [
        f"**Reminder:** {plain_field(session.title)} is on "
        f"{when_text(session.start_at, session.end_at, session.zone)}, {where}."
    ]
    if online := link_field("Join online", session.online_url):
        lines.append(online)
    buttons = [Button(label="Add to calendar", action_id="training:calendar", value=str(session.id))]
    if direct:
        # Sent days ahead: whether anyone will be waiting by then is not known, so none is promised.
        lines.append(CANT_GO_GOING)
        buttons.insert(0, Button(label="Can't go", action_id="training:rsvp", value=f"{session.id}:n"))
    return Reply(
        blocks=[Text(text="\n".join(lines)), Buttons(buttons=buttons)],
        visibility=Visibility.PUBLIC,
        summary=f"Reminder: {plain_field(session.title)}",
    )


@job("training_reminders", every_seconds=3600)
async def keep_reminders_in_step(ctx: Context) -> None:
    """A safety net: bring every upcoming session's reminders in step (e.g. after the offsets
    setting changed), cancelled ones too, whose reminders must all stay unsent. Each session is
    locked on its own, so replies are never held up long."""
    async with ctx.db.transaction() as tx:
        now = await ctx.agreed_now(tx)
        upcoming_sessions = await store.list_sessions(tx, starts_after=now, include_cancelled=True)
    from handlers.training.courses import courses
    from handlers.training.posts import schedule_closing

    catalogue = await courses(ctx) if upcoming_sessions else {}
    for upcoming in upcoming_sessions:
        async with ctx.db.transaction() as tx:
            session = await store.lock_session(tx, upcoming.id)
            if session is not None:
                await sync_reminders(ctx, tx, session)
                # and each posted copy's closing edit at the start (posts made before there was one)
                await schedule_closing(
                    ctx, tx, session, catalogue, await store.announcements(tx, session.id, posted_only=True)
                )
