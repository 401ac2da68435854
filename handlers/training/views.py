"""What people see: a session as announced and shown by /training N, the lines of a list, the
trainers' part of a session, change notices, and calendar files. No verb lives here."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

from sqlalchemy.ext.asyncio import AsyncSession

from core.context import Context
from core.model import PLATFORMS, Block, Button, Buttons, Caption, Fields, File, Header, Reply, Text, Visibility
from core.model import Field_ as FieldItem
from handlers.training.courses import CourseInfo
from handlers.training.files import CalendarEntry, calendar
from handlers.training.schedule import link_field, plain_field, when_text
from storage import outbox
from storage import training as store
from storage.models import OutboxMessage
from storage.training import CANCELLED, DECLINED, GOING, WAITLIST, Rsvp, TrainingSession


def list_line(session: TrainingSession, places: store.Places) -> str:
    where = plain_field(session.venue) or "Online"
    when = when_text(session.start_at, session.end_at, session.zone)
    return f"- **{session.id}** {plain_field(session.title)} — {when} — {where} — {places_text(session, places)}"


def places_text(session: TrainingSession, places: store.Places) -> str:
    left = max(session.capacity - places.going, 0)
    if left:
        return f"{left} of {session.capacity} {'place' if session.capacity == 1 else 'places'} left"
    waiting = f", {places.waitlist} on the waitlist" if places.waitlist else ""
    return f"full{waiting}"


def session_blocks(
    session: TrainingSession, course: CourseInfo, places: store.Places, *, now: dt.datetime
) -> list[Block]:
    """A session as people see it: in an announcement, in /training N, and after each reply."""
    fields = [FieldItem(label="When", value=when_text(session.start_at, session.end_at, session.zone))]
    if session.venue:
        fields.append(FieldItem(label="Where", value=plain_field(session.venue)))
    # the one field that is a link; a cancelled session offers nobody a way to join it
    if session.status != CANCELLED and (online := link_field("Join online", session.online_url)):
        fields.append(FieldItem(label="Online", value=online))
    if session.status != CANCELLED and session.start_at > now:  # after the start, places mean nothing
        fields.append(FieldItem(label="Places", value=places_text(session, places)))
    if session.trainer:
        fields.append(FieldItem(label="Trainer", value=plain_field(display_user(session.trainer))))
    blocks: list[Block] = [Header(text=plain_field(session.title)), Fields(fields=fields)]
    about = [plain_field(course.summary)] if course.summary else []
    if course.audience:
        about.append(f"_For:_ {plain_field(course.audience)}")
    if course.accreditation:
        about.append(f"_Accreditation:_ {plain_field(course.accreditation)}")
    if about:
        blocks.append(Text(text="\n".join(about)))
    if session.status == CANCELLED:
        blocks.insert(1, Text(text="**This session has been cancelled.**"))
    elif session.end_at <= now:  # an imported past session is read months later
        blocks.insert(1, Text(text="**This session has finished, so replies are closed.**"))
    elif session.start_at <= now:
        blocks.insert(1, Text(text="**This session has started, so replies are closed.**"))
    else:
        full = places.going >= session.capacity
        buttons = [
            Button(label="Join waitlist", action_id="training:rsvp", value=f"{session.id}:w", style="primary")
            if full
            else Button(label="Going", action_id="training:rsvp", value=f"{session.id}:g", style="primary"),
            Button(label="Can't go", action_id="training:rsvp", value=f"{session.id}:n"),
            Button(label="Add to calendar", action_id="training:calendar", value=str(session.id)),
        ]
        blocks.append(Buttons(buttons=buttons))
    source = f" · Course: {course.source}" if course.source else ""
    sample = " (details to be confirmed by the partnership)" if course.unconfirmed else ""
    blocks.append(Caption(text=f"Session {session.id} · /training {session.id} for details{source}{sample}"))
    return blocks


def _as_read(name: str) -> list[tuple[int, int | str]]:
    """A sort key reading runs of digits as numbers."""
    return [(0, int(part)) if part.isdigit() else (1, part.casefold()) for part in re.split(r"(\d+)", name) if part]


def display_user(who: str) -> str:
    platform, sep, user = who.partition(":")
    return user if sep and platform in PLATFORMS else who


def status_words(status: str) -> str:
    return {GOING: "going", WAITLIST: "on the waitlist", DECLINED: "can't go"}.get(status, status)


def person_for(viewer_platform: str, platform: str, user_id: str) -> str:
    return user_id if platform == viewer_platform else f"{platform}:{user_id}"


def named(viewer_platform: str, r: Rsvp) -> str:
    """A person in a trainer's list: by the name their platform gave, with the id that
    /training attended takes ("Sam Patel (U07ABC12)"); by the id alone where that is all there is."""
    who = person_for(viewer_platform, r.platform, r.user_id)
    name = plain_field(r.user_name)
    return f"{name} ({who})" if name and r.user_name != r.user_id else who


async def trainer_details(
    tx: AsyncSession, session: TrainingSession, platform: str, *, now: dt.datetime
) -> list[Block]:
    people = await store.rsvps(tx, session.id)
    going = [named(platform, r) for r in people if r.status == GOING]
    waiting = [named(platform, r) for r in people if r.status == WAITLIST]
    nobody = "nobody yet" if session.start_at > now else "nobody"
    lines = [f"**Going ({len(going)}):** {', '.join(going) or nobody}"]
    if waiting:
        lines.append(f"**Waitlist, in order:** {', '.join(waiting)}")
    if session.channels:
        lines.append(f"**Announce in:** {session.channels}")
    posts = []
    for a in await store.announcements(tx, session.id):
        row = await outbox.get(tx, f"training:announce:{a.id}")
        state = "posted" if a.message_id else (row.status if row else "waiting")
        if row is not None and row.status in ("failed", "skipped") and row.error:
            state += f" ({row.error[:80]})"
        posts.append(f"{a.platform}:{a.channel_id} {state}")
    if posts:
        lines.append(f"**Announced:** {', '.join(posts)}")
    reminders = await _reminder_summary(tx, session)
    if reminders:
        lines.append(f"**Reminders:** {reminders}")
    register = await store.attendance(tx, session.id)  # recorded in chat or imported from a register
    if register:
        # in the order people read ids: n1_2 before n1_10 (an outside audit saw n1_0, n1_1, n1_10...)
        came = sorted((person_for(platform, a.platform, a.user_id) for a in register if a.attended), key=_as_read)
        lines.append(f"**Attended ({len(came)}):** {', '.join(plain_field(c) for c in came) or 'nobody'}")
    return [Caption(text="Trainers see this part:"), Text(text="\n".join(lines))]


async def _reminder_summary(tx: AsyncSession, session: TrainingSession) -> str:
    """Each reminder's rows for the session as it is now, and those sent before a change: a venue
    edit moves the version on, and the day-before reminder already sent must still show as sent."""
    prefix, current = f"reminder:{session.id}:", f"v{session.version}"
    # (person, reminder) -> this version's row, else one already sent
    latest: dict[tuple[str, str], OutboxMessage] = {}
    for row in await store.outbox_rows(tx, prefix):
        version, _, rest = row.key.removeprefix(prefix).partition(":")  # rest: platform:user:label
        person, _, label = rest.rpartition(":")
        mine = (person, label.partition("~")[0])  # "1d~2": the 1d reminder, wanted again
        if version == current or (row.status == "sent" and mine not in latest):
            latest[mine] = row
    by_offset: dict[str, dict[str, int]] = {}
    for (_person, label), row in latest.items():
        by_offset.setdefault(label, {}).setdefault(row.status, 0)
        by_offset[label][row.status] += 1
    parts = []
    for label, statuses in by_offset.items():
        counted = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
        parts.append(f"{label} before: {counted}")
    return "; ".join(parts)


def calendar_file(ctx: Context, sessions: list[TrainingSession]) -> File:
    name = f"training-{sessions[0].id}.ics" if len(sessions) == 1 else "training-programme.ics"
    return File(filename=name, content=calendar_text(ctx, sessions), mime="text/calendar")


def calendar_text(ctx: Context, sessions: list[TrainingSession]) -> str:
    partnership = ctx.pack.partnership
    host = urlparse(partnership.website).hostname or "sgbot.invalid"
    entries = [
        CalendarEntry(
            uid=f"training-{s.id}@{host}",
            title=s.title,
            start_at=s.start_at,
            end_at=s.end_at,
            zone=s.zone,
            venue=s.venue,
            online_url=s.online_url,
            description=f"{partnership.short_name} multi-agency training, session {s.id}. "
            + (
                "This session has been cancelled; /training lists other dates."
                if s.status == CANCELLED
                else f"Reply or change your reply in chat with /training {s.id}."
            ),
            version=s.version,
            cancelled=s.status == CANCELLED,
        )
        for s in sessions
    ]
    return calendar(entries, stamp=ctx.now(), name=f"{partnership.short_name} training")


def where_and_when(session: TrainingSession) -> str:
    """When and where, with the joining link where there is one: a change notice about the link
    must show it (its Now and Before would otherwise read the same)."""
    where = plain_field(session.venue)
    if online := link_field("join online", session.online_url):
        where = f"{where}, {online}" if where else f"online, {online}"
    return f"{when_text(session.start_at, session.end_at, session.zone)}, {where or 'online'}"


def listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def the_people(n: int) -> str:
    return "the 1 person" if n == 1 else f"the {n} people"


def telling(told: int) -> str:
    """Who a change or cancellation is being told to; never 'the 0 people'."""
    if not told:
        return "nobody is going or on the waitlist, so nobody needs telling"
    return f"I'm telling {the_people(told)} going or on the waitlist, once each"


def change_text(session: TrainingSession, changes: list[str], old: str) -> str:
    """The change itself; notify_everyone adds what each reader can do about it."""
    return (
        f"**{plain_field(session.title)}** (session {session.id}) has changed: the {listed(changes)}.\n"
        f"**Now:** {where_and_when(session)}\n_Before:_ {old}"
    )


CANT_GO_GOING = "If you can no longer come, press Can't go so your place can go to someone else."
CANT_GO_THREAD = "If you're going and can no longer come, press Can't go on the announcement."


def cant_go_waiting(position: int) -> str:
    return f"You're still number {position} on the waitlist; if you no longer want a place, press Can't go."


def notice(session: TrainingSession, text: str, *, cant_go: bool) -> Reply:
    buttons = []
    if session.status != CANCELLED:  # nothing to put in a calendar once it is off
        buttons.append(Button(label="Add to calendar", action_id="training:calendar", value=str(session.id)))
    if cant_go:
        buttons.insert(0, Button(label="Can't go", action_id="training:rsvp", value=f"{session.id}:n"))
    blocks: list[Block] = [Text(text=text)]
    if buttons:
        blocks.append(Buttons(buttons=buttons))
    return Reply(
        blocks=blocks,
        visibility=Visibility.PUBLIC,
        summary=f"Training update: {plain_field(session.title)}",
    )
