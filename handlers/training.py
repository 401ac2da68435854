"""/training: the multi-agency training programme in chat.

- `/training` lists upcoming sessions (`course X`, `topic X` or `month april` narrow it);
  `/training N` shows one with its calendar file; `/training mine` lists your replies;
  `/training courses` lists the programme.
- Trainers and admins: `/training add` (a form), `edit N`, `cancel N [reason]`,
  `announce N [CHANNEL...]`, `attended N [PEOPLE...]` and `courses add`.
- An announcement is an outbox row per channel with Going / Can't go (Join waitlist when
  full) and a calendar button. When it is posted, its message id is recorded and its thread
  claimed, and reminders are scheduled there.
- Reminders (TRAINING_REMINDER_OFFSETS, default 7d,1d,1h) go to each announcement's thread
  and by direct message to everyone going. They are outbox rows with keys
  `reminder:<session>:v<version>:<recipient>:<offset>`, due at the reminder time and useful
  until the next reminder is due (never after the start), so after downtime the latest one
  still useful is sent once and older ones are skipped with a reason.
- Every change to a session runs under its row lock, and the reminders, waitlist promotions and
  change notices it causes are written to the outbox in the same transaction.

The course catalogue is the content pack's `courses.yaml`; the rules that need no chat or
database (dates, clock changes, CSV, calendar files) are in handlers/training_schedule.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.contentpack import Section, slug
from core.context import Context
from core.model import (
    Block,
    Button,
    Buttons,
    Fields,
    File,
    Form,
    FormErrors,
    FormField,
    Header,
    Option,
    Reply,
    Request,
    Target,
    Text,
    UserError,
    Visibility,
    reply,
    require_role,
)
from core.model import Context as ContextLine
from core.model import Field_ as FieldItem
from core.registry import action, command, job, on_sent
from handlers.training_schedule import (
    DELIVERY_MODES,
    CalendarEntry,
    CourseCatalogue,
    Offset,
    SessionDraft,
    calendar,
    check_catalogue,
    check_session,
    duration_text,
    format_channels,
    link_field,
    local,
    match_course,
    parse_channels,
    parse_date,
    parse_offsets,
    parse_time,
    plain_field,
    reminder_time,
    split_when,
    split_where,
    when_text,
)
from storage import outbox, threads
from storage import training as store
from storage.outbox import NewMessage
from storage.training import (
    CANCELLED,
    DECLINED,
    GOING,
    SCHEDULED,
    WAITLIST,
    Rsvp,
    SessionAnnouncement,
    TrainingCourse,
    TrainingSession,
)

SECTION = Section(
    "courses", "courses.yaml", CourseCatalogue, cross_check=lambda _pack, catalogue: check_catalogue(catalogue)
)

GONE = (
    "That training session no longer exists, so there is nothing to reply to. Type /training to see what's coming up."
)
LIST_LIMIT = 15
RSVP_VALUE = r"^\d{1,9}:[gnw]$"
SESSION_VALUE = r"^\d{1,9}$"
CHOICES = {"g": GOING, "w": WAITLIST, "n": DECLINED}
USAGE = (
    "[N | mine | courses | course ID | topic TAG | month MONTH | add | edit N | cancel N | "
    "announce N CHANNEL... | attended N]"
)


# --- courses: the pack's programme plus courses trainers added ------------------------------------


@dataclass(frozen=True)
class CourseInfo:
    id: str
    title: str
    summary: str
    audience: str
    duration_minutes: int
    delivery: tuple[str, ...]
    accreditation: str
    topics: tuple[str, ...]
    source: str  # a citation, or who added it
    unconfirmed: bool = False


async def courses(ctx: Context) -> dict[str, CourseInfo]:
    found: dict[str, CourseInfo] = {}
    for c in ctx.pack.get(CourseCatalogue).courses:
        found[c.id] = CourseInfo(
            c.id,
            c.title,
            c.summary,
            c.audience,
            c.duration_minutes,
            tuple(c.delivery),
            c.accreditation,
            tuple(c.topics),
            ctx.pack.cite(c.source),
            c.unconfirmed,
        )
    for row in await store.added_courses(ctx.db):
        found.setdefault(
            row.id,
            CourseInfo(
                row.id,
                row.title,
                row.summary,
                row.audience,
                row.duration_minutes,
                tuple(_split_list(row.delivery)),
                row.accreditation,
                tuple(_split_list(row.topics)),
                f"added by {row.created_by.partition(':')[2] or row.created_by}",
            ),
        )
    return found


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _course_of(session: TrainingSession, catalogue: Mapping[str, CourseInfo]) -> CourseInfo:
    """The session's course; a session outlives its course leaving the pack."""
    known = catalogue.get(session.course_id)
    if known is not None:
        return known
    minutes = int((session.end_at - session.start_at).total_seconds() // 60)
    return CourseInfo(session.course_id, session.title, "", "", minutes, (), "", (), "")


# --- the command ------------------------------------------------------------------------------------


@command(
    "training",
    usage=USAGE,
    help="Upcoming training sessions: reply Going, get reminders and a calendar file.",
    long_help=(
        "**/training** lists upcoming sessions; narrow it with `course ID`, `topic TAG` or `month april`.\n"
        "**/training N** shows session N, with Going / Can't go buttons and a calendar file.\n"
        "**/training mine** lists the sessions you have replied to. **/training courses** lists the programme.\n"
        "Trainers: **add**, **edit N**, **cancel N [reason]**, **announce N CHANNEL...** (e.g. `training`, "
        "`slack:C0123ABC`, `discord:123456`), **attended N [PEOPLE...]** and **courses add**."
    ),
)
async def training(req: Request, ctx: Context) -> Reply | list[Reply]:
    words = req.words
    verb = words[0].lower().lstrip("/") if words else ""
    if not verb:
        return await _list(ctx, None, None)
    if re.fullmatch(r"#?\d{1,9}", verb):
        return await _show(req, ctx, _session_number(verb))
    handlers = {
        "mine": _mine,
        "courses": _courses_command,
        "add": _add_form,
        "edit": _edit_form,
        "cancel": _cancel,
        "announce": _announce,
        "attended": _attended,
    }
    if verb in handlers:
        return await handlers[verb](req, ctx, words[1:])
    if verb in ("course", "topic", "month"):
        if len(words) < 2:
            raise UserError(f"Say which {verb}, e.g. /training {verb} {_EXAMPLES[verb]}.")
        return await _list(ctx, verb, " ".join(words[1:]))
    catalogue = await courses(ctx)
    wanted = verb.lower()
    if wanted in catalogue:
        return await _list(ctx, "course", wanted)
    if any(wanted in c.topics for c in catalogue.values()):
        return await _list(ctx, "topic", wanted)
    raise UserError(
        f'I don\'t know "/training {words[0][:30]}". Try /training, /training 12, /training mine, '
        "/training courses, or /help training for everything it can do."
    )


_EXAMPLES = {"course": "neglect", "topic": "domestic-abuse", "month": "april"}


def _session_number(text: str) -> int:
    raw = text.strip().lstrip("#")
    if not re.fullmatch(r"\d{1,9}", raw):
        raise UserError(f'"{text[:20]}" is not a session number; type /training to see the sessions and their numbers.')
    return int(raw)


async def _session_or_gone(ctx: Context, words: list[str], doing: str) -> TrainingSession:
    if not words:
        raise UserError(f"Say which session to {doing}, e.g. /training {doing} 12.")
    session = await store.get_session(ctx.db, _session_number(words[0]))
    if session is None:
        raise UserError(f"There is no session {words[0][:12]}; type /training to see the sessions and their numbers.")
    return session


# --- listing and showing -----------------------------------------------------------------------------

_MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], 1)}  # fmt: skip


def _month_range(text: str, today: dt.date, zone: str) -> tuple[dt.datetime, dt.datetime, str]:
    raw = text.strip().lower()
    year = None
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", raw):
        year, month = int(match.group(1)), int(match.group(2))
    else:
        name, _, rest = raw.partition(" ")
        month = next((n for m, n in _MONTHS.items() if len(name) >= 3 and m.startswith(name)), 0)
        if rest.strip().isdigit():
            year = int(rest.strip())
    if not 1 <= month <= 12:
        raise UserError(f'"{text[:30]}" is not a month I understand; try /training month april or month 2026-04.')
    if year is None:
        year = today.year if month >= today.month else today.year + 1
    tz = ZoneInfo(zone)
    first = dt.datetime(year, month, 1, tzinfo=tz)
    after = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return first.astimezone(dt.UTC), after.astimezone(dt.UTC), f"{first:%B %Y}"


async def _list(ctx: Context, kind: str | None, value: str | None) -> Reply:
    now = ctx.now()
    catalogue = await courses(ctx)
    course_ids: list[str] | None = None
    after, before, title = now, None, "Upcoming training"
    if kind == "course":
        wanted = (value or "").lower().strip()
        course_ids = [c.id for c in catalogue.values() if c.id == wanted or wanted in c.title.lower()]
        if not course_ids:
            raise UserError(f'There is no course "{wanted[:40]}"; type /training courses to see the course ids.')
        title = f"Upcoming training: {catalogue[course_ids[0]].title if len(course_ids) == 1 else wanted}"
    elif kind == "topic":
        wanted = (value or "").lower().strip()
        course_ids = [c.id for c in catalogue.values() if wanted in c.topics]
        if not course_ids:
            topics = sorted({t for c in catalogue.values() for t in c.topics})
            raise UserError(f'No course has the topic "{wanted[:40]}"; the topics are {", ".join(topics)}.')
        title = f"Upcoming training on {wanted}"
    elif kind == "month":
        first, after_month, label = _month_range(value or "", ctx.local_now().date(), ctx.settings.timezone)
        after, before, title = max(now, first - dt.timedelta(microseconds=1)), after_month, f"Training in {label}"
    sessions = await store.list_sessions(
        ctx.db, starts_after=after, starts_before=before, course_ids=course_ids, limit=LIST_LIMIT + 1
    )
    if not sessions:
        return reply(
            Header(text=title),
            f"There are no sessions coming up{' for that' if kind else ''}. "
            "Type /training courses to see the whole programme.",
        )
    counts = await store.places(ctx.db, [s.id for s in sessions])
    lines = [_list_line(s, counts[s.id]) for s in sessions[:LIST_LIMIT]]
    more = " There are more; narrow the list with course, topic or month." if len(sessions) > LIST_LIMIT else ""
    return reply(
        Header(text=title),
        Text(text="\n".join(lines)),
        ContextLine(text=f"Type /training N to see session N, reply and get its calendar file.{more}"),
    )


def _list_line(session: TrainingSession, places: store.Places) -> str:
    where = plain_field(session.venue) or "Online"
    when = when_text(session.start_at, session.end_at, session.zone)
    return f"- **{session.id}** {plain_field(session.title)} — {when} — {where} — {_places_text(session, places)}"


def _places_text(session: TrainingSession, places: store.Places) -> str:
    left = max(session.capacity - places.going, 0)
    if left:
        return f"{left} of {session.capacity} places left"
    waiting = f", {places.waitlist} on the waitlist" if places.waitlist else ""
    return f"full{waiting}"


async def _show(req: Request, ctx: Context, session_id: int) -> Reply:
    session = await store.get_session(ctx.db, session_id)
    if session is None:
        raise UserError(f"There is no session {session_id}; type /training to see the sessions and their numbers.")
    catalogue = await courses(ctx)
    counts = await store.places(ctx.db, [session.id])
    blocks = session_blocks(session, _course_of(session, catalogue), counts[session.id], now=ctx.now())
    mine = next(
        (r for r in await store.rsvps(ctx.db, session.id) if (r.platform, r.user_id) == (req.platform, req.user_id)),
        None,
    )
    if mine is not None:
        blocks.insert(2, Text(text=f"You replied: **{_status_words(mine.status)}**."))
    if req.has_role("trainer"):
        blocks.extend(await _trainer_details(ctx, session, req.platform))
    blocks.append(_calendar_file(ctx, [session]))
    return reply(*blocks)


def session_blocks(
    session: TrainingSession, course: CourseInfo, places: store.Places, *, now: dt.datetime
) -> list[Block]:
    """A session as people see it: in an announcement, in /training N, and after each reply."""
    fields = [FieldItem(label="When", value=when_text(session.start_at, session.end_at, session.zone))]
    if session.venue:
        fields.append(FieldItem(label="Where", value=plain_field(session.venue)))
    if online := link_field("Join online", session.online_url):  # the one field that is a link
        fields.append(FieldItem(label="Online", value=online))
    if session.status != CANCELLED:
        fields.append(FieldItem(label="Places", value=_places_text(session, places)))
    if session.trainer:
        fields.append(FieldItem(label="Trainer", value=plain_field(_display_user(session.trainer))))
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
    elif session.start_at > now:
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
    blocks.append(ContextLine(text=f"Session {session.id} · /training {session.id} for details{source}{sample}"))
    return blocks


def _display_user(who: str) -> str:
    platform, sep, user = who.partition(":")
    return user if sep and platform in ("slack", "discord", "console") else who


def _status_words(status: str) -> str:
    return {GOING: "going", WAITLIST: "on the waitlist", DECLINED: "can't go"}.get(status, status)


async def _trainer_details(ctx: Context, session: TrainingSession, platform: str) -> list[Block]:
    people = await store.rsvps(ctx.db, session.id)
    going = [_person_for(platform, r.platform, r.user_id) for r in people if r.status == GOING]
    waiting = [_person_for(platform, r.platform, r.user_id) for r in people if r.status == WAITLIST]
    lines = [f"**Going ({len(going)}):** {', '.join(going) or 'nobody yet'}"]
    if waiting:
        lines.append(f"**Waitlist, in order:** {', '.join(waiting)}")
    if session.channels:
        lines.append(f"**Announce in:** {session.channels}")
    posts = []
    for a in await store.announcements(ctx.db, session.id):
        row = await outbox.get(ctx.db, f"training:announce:{a.id}")
        state = "posted" if a.message_id else (row.status if row else "waiting")
        if row is not None and row.status in ("failed", "skipped") and row.error:
            state += f" ({row.error[:80]})"
        posts.append(f"{a.platform}:{a.channel_id} {state}")
    if posts:
        lines.append(f"**Announced:** {', '.join(posts)}")
    reminders = await _reminder_summary(ctx, session)
    if reminders:
        lines.append(f"**Reminders:** {reminders}")
    return [ContextLine(text="Trainers see this part:"), Text(text="\n".join(lines))]


async def _reminder_summary(ctx: Context, session: TrainingSession) -> str:
    rows = await store.outbox_rows(ctx.db, f"reminder:{session.id}:v{session.version}:")
    by_offset: dict[str, dict[str, int]] = {}
    for row in rows:
        label = row.key.rsplit(":", 1)[1]
        by_offset.setdefault(label, {}).setdefault(row.status, 0)
        by_offset[label][row.status] += 1
    parts = []
    for label, statuses in by_offset.items():
        counted = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
        parts.append(f"{label} before: {counted}")
    return "; ".join(parts)


async def _mine(req: Request, ctx: Context, _words: list[str]) -> Reply:
    now = ctx.now()
    rows = await store.rsvps_of_user(ctx.db, req.platform, req.user_id)
    upcoming = [(r, s) for r, s in rows if s.end_at > now]
    if not upcoming:
        return reply("You haven't replied to any upcoming sessions. Type /training to see what's on and press Going.")
    lines = []
    for r, s in upcoming:
        status = "cancelled by the organisers" if s.status == CANCELLED else _status_words(r.status)
        lines.append(f"- **{s.id}** {plain_field(s.title)} — {when_text(s.start_at, s.end_at, s.zone)} — {status}")
    return reply(
        Header(text="Your training replies"),
        Text(text="\n".join(lines)),
        ContextLine(text="Type /training N to change a reply or get the calendar file."),
    )


async def _courses_command(req: Request, ctx: Context, words: list[str]) -> Reply:
    if words and words[0].lower() == "add":
        require_role(req, "trainer", "add courses")
        return Reply(form=_course_form())
    catalogue = await courses(ctx)
    wanted = " ".join(words).lower().strip()
    shown = [c for c in catalogue.values() if not wanted or wanted in c.topics or wanted in c.title.lower()]
    if not shown:
        raise UserError(f'No course matches "{wanted[:40]}"; type /training courses to see them all.')
    lines = []
    for c in shown:
        accredited = f" — {plain_field(c.accreditation)}" if c.accreditation else ""
        confirm = " _(to be confirmed)_" if c.unconfirmed else ""
        lines.append(
            f"- **{c.id}** {plain_field(c.title)} — {duration_text(c.duration_minutes)}, {', '.join(c.delivery)}"
            f"{accredited}"
            f" — topics: {', '.join(c.topics)} — _source: {c.source}_{confirm}"
        )
    return reply(
        Header(text=f"{ctx.pack.partnership.short_name} training programme"),
        Text(text="\n".join(lines)),
        ContextLine(
            text="Type /training course ID to see its sessions. Bookings still go through the learning platform."
        ),
    )


# --- calendar files ---------------------------------------------------------------------------------


def _calendar_file(ctx: Context, sessions: list[TrainingSession]) -> File:
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
            f"Reply or change your reply in chat with /training {s.id}.",
            version=s.version,
            cancelled=s.status == CANCELLED,
        )
        for s in sessions
    ]
    return calendar(entries, stamp=ctx.now(), name=f"{partnership.short_name} training")


@action("training:calendar", pattern=SESSION_VALUE)
async def calendar_pressed(req: Request, ctx: Context) -> Reply:
    session = await store.get_session(ctx.db, int(req.value))
    if session is None:
        raise UserError(GONE)
    note = " It has been cancelled; the file tells your calendar so." if session.status == CANCELLED else ""
    return reply(f"Here is **{plain_field(session.title)}** for your calendar.{note}", _calendar_file(ctx, [session]))


# --- adding and editing sessions ----------------------------------------------------------------------

FORM_FIELD_OF = {"date": "when", "start": "when", "end": "when", "venue": "where", "online_url": "where"}


def _form_errors(errors: Mapping[str, str]) -> FormErrors:
    """Field errors from check_session, mapped onto the (fewer) fields of the form."""
    merged: dict[str, str] = {}
    for name, message in errors.items():
        target = FORM_FIELD_OF.get(name, name)
        merged[target] = f"{merged[target]} {message}" if target in merged else message
    return FormErrors(errors=merged)


WHEN_HELP = (
    "Give the date and times like 2026-04-21 09:30-12:30, 21/04/2026 9.30am or tomorrow 10am (the end is optional)."
)


def _session_values(form: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The form's fields as check_session's values, and an error for a date and time that
    cannot be split; the other fields are still checked, so every mistake shows at once."""
    errors: dict[str, str] = {}
    when = split_when(form.get("when", ""))
    if when is None:
        errors["when"] = WHEN_HELP
        when = {"date": "", "start": "", "end": ""}
    values = {**when, **split_where(form.get("where", "")), "capacity": form.get("capacity", ""),
              "trainer": form.get("trainer", "")}  # fmt: skip
    return values, errors


def _checked(split_errors: dict[str, str], draft: SessionDraft | dict[str, str]) -> SessionDraft | FormErrors:
    """The draft, or every error at once: the form's own (an unreadable date and time) and check_session's."""
    if isinstance(draft, SessionDraft) and not split_errors:
        return draft
    errors = dict(draft) if isinstance(draft, dict) else {}
    if split_errors:  # the date and time could not be read at all: one sentence says so
        errors = {k: v for k, v in errors.items() if k not in ("date", "start", "end")}
    merged = _form_errors(errors).errors
    return FormErrors(errors={**split_errors, **merged})


def _course_field(catalogue: Mapping[str, CourseInfo], initial: str = "") -> FormField:
    options = [Option(label=c.title[:75], value=c.id) for c in catalogue.values()]
    if len(options) <= 25:  # what every platform's select can hold
        return FormField(id="course", label="Course", kind="select", options=options, initial=initial)
    return FormField(id="course", label="Course id (see /training courses)", initial=initial, max_length=80)


async def _add_form(req: Request, ctx: Context, words: list[str]) -> Reply:
    require_role(req, "trainer", "add training sessions")
    catalogue = await courses(ctx)
    typed = _prefill(words, catalogue, ctx.local_now().date())
    form = Form(
        action_id="training:add",
        title="New training session",
        submit_label="Add session",
        fields=[
            _course_field(catalogue, typed.get("course", "")),
            FormField(
                id="when",
                label=f"Date and time ({ctx.settings.timezone})",
                placeholder="2026-04-21 09:30-12:30",
                initial=typed.get("when", ""),
                max_length=40,
            ),
            FormField(
                id="capacity", label="Places", placeholder="20", initial=typed.get("capacity", ""), max_length=20
            ),  # fmt: skip
            FormField(
                id="where",
                label="Venue and/or online link",
                placeholder="Gun Wharf, Chatham or https://...",
                initial=typed.get("where", ""),
                max_length=700,
            ),
            FormField(id="trainer", label="Trainer (empty: you)", required=False, max_length=120),
        ],
    )
    return Reply(form=form)


_PLACES = re.compile(r"^(?P<n>\d{1,5})\s*(?:places?|seats?|spaces?|people)?$", re.IGNORECASE)


def _readable_when(text: str, today: dt.date) -> bool:
    when = split_when(text)
    return (
        when is not None
        and parse_date(when["date"], today) is not None
        and parse_time(when["start"]) is not None
        and (not when["end"] or parse_time(when["end"]) is not None)
    )


def _prefill(words: list[str], catalogue: Mapping[str, CourseInfo], today: dt.date) -> dict[str, str]:
    """Form fields from what was typed after /training add, e.g. `gcp2`, `domestic abuse`, or
    `neglect 21/04/2026 9.30-12.30 20 places Gun Wharf`: the course (the longest run of first
    words naming one course), a date and time and a number of places wherever they are, and
    the words left over as the venue."""
    found: dict[str, str] = {}
    rest = list(words)
    # An id or (part of) a title first; then a close title ("domestc abuse") of up to four
    # words, taken from the words before any number, so a date is never read as part of a title.
    lead = next((i for i, w in enumerate(rest) if re.search(r"\d", w)), len(rest))
    tries = [(n, False) for n in range(len(rest), 0, -1)] + [(n, True) for n in range(min(lead, 4), 0, -1)]
    for size, fuzzy in tries:
        course, _problem = match_course(" ".join(rest[:size]), catalogue, fuzzy=fuzzy)
        if course is not None:
            found["course"], rest = course.id, rest[size:]
            break
    windows = [(i, j) for i in range(len(rest)) for j in range(min(len(rest), i + 6), i + 1, -1)]
    for i, j in sorted(windows, key=lambda w: w[0] - w[1]):  # the longest date and time first
        if _readable_when(" ".join(rest[i:j]), today):
            found["when"], rest = " ".join(rest[i:j]), rest[:i] + rest[j:]
            break
    for i in range(len(rest)):
        for size in (2, 1):
            if i + size <= len(rest) and _PLACES.match(" ".join(rest[i : i + size])):
                found["capacity"], rest = " ".join(rest[i : i + size]), rest[:i] + rest[i + size :]
                break
        if "capacity" in found:
            break
    if rest and "course" in found:  # without a course, the words may be anything: leave them out
        found["where"] = " ".join(rest)
    return found


@action("training:add", role="trainer", pattern=r"^$")
async def add_submitted(req: Request, ctx: Context) -> Reply | FormErrors:
    values, split_errors = _session_values(req.form)
    values["course"] = req.form.get("course", "")
    draft = _checked(
        split_errors,
        check_session(
            values,
            courses=await courses(ctx),
            zone=ctx.settings.timezone,
            now=ctx.now(),
            platform=req.platform,
            default_trainer=f"{req.platform}:{req.user_id}",
        ),
    )
    if isinstance(draft, FormErrors):
        return draft
    session = await store.add_session(
        ctx.db, new_session(draft, created_by=f"{req.platform}:{req.user_id}", now=ctx.now())
    )
    await ctx.audit(req, "training.session_added", subject=str(session.id), detail=session.course_id)
    return reply(
        f"Added session **{session.id}**: {plain_field(session.title)}, {_where_and_when(session)}.",
        f"Announce it with /training announce {session.id} CHANNEL (e.g. training, slack:C0123ABC or discord:123456).",
    )


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


def _editable(session: TrainingSession | None, now: dt.datetime) -> TrainingSession:
    if session is None:
        raise UserError(GONE)
    if session.status == CANCELLED:
        raise UserError(f"Session {session.id} has been cancelled, so it can't be changed; add a new one instead.")
    if session.start_at <= now:
        raise UserError(f"Session {session.id} has already started, so it can't be changed any more.")
    return session


def _current_values(session: TrainingSession) -> dict[str, str]:
    """The edit form's fields as the session is now: each is shown filled in, and a field left
    blank keeps this value."""
    a, b = local(session.start_at, session.zone), local(session.end_at, session.zone)
    return {
        "when": f"{a:%Y-%m-%d %H:%M}-{b:%H:%M}",
        "capacity": str(session.capacity),
        "where": " ".join(part for part in (session.venue, session.online_url or "") if part),
        "trainer": _display_user(session.trainer),
    }


async def _edit_form(req: Request, ctx: Context, words: list[str]) -> Reply:
    require_role(req, "trainer", "change training sessions")
    session = _editable(await _session_or_gone(ctx, words, "edit"), ctx.now())
    now = _current_values(session)
    form = Form(
        action_id="training:edit",
        value=str(session.id),
        title=f"Change session {session.id}",
        submit_label="Save changes",
        fields=[
            FormField(id="when", label=f"Date and time ({session.zone})", initial=now["when"], max_length=40),
            FormField(id="capacity", label="Places", initial=now["capacity"], max_length=20),
            FormField(id="where", label="Venue and/or online link", initial=now["where"], max_length=700),
            FormField(id="trainer", label="Trainer", initial=now["trainer"], required=False, max_length=120),
        ],
    )
    return Reply(form=form)


@action("training:edit", role="trainer", pattern=SESSION_VALUE)
async def edit_submitted(req: Request, ctx: Context) -> Reply | FormErrors:
    now = ctx.now()
    catalogue = await courses(ctx)
    async with store.locked(ctx.db, int(req.value)) as (s, found):
        session = _editable(found, now)
        # A field left blank keeps its value (a cleared Slack or Discord field arrives empty).
        current = _current_values(session)
        form = {k: (req.form.get(k) or "").strip() or current[k] for k in current}
        if form["trainer"] == current["trainer"]:
            form["trainer"] = session.trainer  # shown as a name, kept as stored
        values, split_errors = _session_values(form)
        values["course"] = session.course_id
        draft = _checked(
            split_errors,
            check_session(
                values,
                courses={session.course_id: _course_of(session, catalogue)},
                zone=session.zone,
                now=now,
                platform=req.platform,
                default_trainer=session.trainer,
            ),
        )
        if isinstance(draft, FormErrors):
            return draft
        changes = []
        if (draft.start_at, draft.end_at) != (session.start_at, session.end_at):
            changes.append("time")
        if draft.venue != session.venue:
            changes.append("venue")
        if draft.online_url != session.online_url:
            changes.append("online link")
        old = _where_and_when(session)
        grew = draft.capacity > session.capacity
        session.start_at, session.end_at = draft.start_at, draft.end_at
        session.venue, session.online_url = draft.venue, draft.online_url
        session.capacity, session.trainer = draft.capacity, draft.trainer
        session.updated_at = now
        told = 0
        if changes:
            session.version += 1
            told = await _notify_everyone(ctx, s, session, kind="changed", text=_change_text(session, changes, old))
        promoted = await _fill_places(ctx, s, session) if grew else []
        await sync_reminders(ctx, s, session)
        await refresh_posts(ctx, s, session, catalogue)
        going = (await store.places_in(s, [session.id]))[session.id].going
    await ctx.audit(req, "training.session_edited", subject=str(session.id), detail=", ".join(changes) or "details")
    await _audit_promotions(ctx, session, promoted)
    lines = [f"Saved session **{session.id}**: {when_text(session.start_at, session.end_at, session.zone)}."]
    if changes:
        lines.append(
            f"The {_and(changes)} changed: I'm telling {_people(told)} going or on the waitlist, once each, and "
            "moving their reminders to the new details."
        )
    if promoted:
        lines.append(f"{len(promoted)} people moved up from the waitlist and are being told.")
    if going > session.capacity:
        lines.append(f"{going} people are going, more than the {session.capacity} places; nobody has been removed.")
    return reply("\n".join(lines))


def _people(n: int) -> str:
    return "the 1 person" if n == 1 else f"the {n} people"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _where_and_when(session: TrainingSession) -> str:
    where = plain_field(session.venue) or "online"
    return f"{when_text(session.start_at, session.end_at, session.zone)}, {where}"


def _change_text(session: TrainingSession, changes: list[str], old: str) -> str:
    return (
        f"**{plain_field(session.title)}** (session {session.id}) has changed: the {_and(changes)}.\n"
        f"**Now:** {_where_and_when(session)}\n_Before:_ {old}\n"
        "If you can no longer come, press Can't go so someone on the waitlist can have your place."
    )


# --- cancelling -------------------------------------------------------------------------------------


async def _cancel(req: Request, ctx: Context, words: list[str]) -> Reply:
    require_role(req, "trainer", "cancel training sessions")
    target = await _session_or_gone(ctx, words, "cancel")
    reason = " ".join(words[1:])[:300]
    now = ctx.now()
    catalogue = await courses(ctx)
    async with store.locked(ctx.db, target.id) as (s, found):
        session = _editable(found, now)
        session.status = CANCELLED
        session.version += 1
        session.updated_at = now
        because = f" Reason: {plain_field(reason.rstrip('.'))}." if reason else ""
        text = (
            f"**{plain_field(session.title)}** on {when_text(session.start_at, session.end_at, session.zone)} "
            f"(session {session.id}) has been cancelled.{because}\nType /training to see other dates."
        )
        told = await _notify_everyone(ctx, s, session, kind="cancelled", text=text)
        await sync_reminders(ctx, s, session)
        await refresh_posts(ctx, s, session, catalogue)
    await ctx.audit(req, "training.session_cancelled", subject=str(session.id), detail=reason)
    return reply(
        f"Session **{session.id}** is cancelled. I'm telling {_people(told)} going or on the waitlist, once each, "
        "and its reminders won't be sent."
    )


async def _notify_everyone(ctx: Context, s: AsyncSession, session: TrainingSession, *, kind: str, text: str) -> int:
    """Tell everyone who replied, and each announcement's thread, once per change."""
    now = ctx.now()
    stem = f"training:{kind}:{session.id}:v{session.version}"
    # Only people still expecting to come: someone who said Can't go has nothing to act on.
    people = await store.rsvps_in(s, session.id, [GOING, WAITLIST])
    open_ = session.status == SCHEDULED
    messages = [
        _message(
            _direct(stem, r.platform, r.user_id),
            _notice(session, text, cant_go=open_),
            due=now,
            expires=session.start_at,
        )
        for r in people
    ]
    for a in await store.announcements_in(s, session.id, posted_only=True):
        where = _thread(f"{stem}:thread:{a.id}", a)
        messages.append(_message(where, _notice(session, text, cant_go=False), due=now, expires=session.start_at))
    await outbox.enqueue_in(s, ctx.db, messages, now=now)
    return len(people)


def _notice(session: TrainingSession, text: str, *, cant_go: bool) -> Reply:
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


def _direct(key: str, platform: str, user_id: str) -> tuple[str, Target]:
    return f"{key}:{platform}:{user_id}", Target(kind="direct", platform=platform, user_id=user_id)


def _thread(key: str, a: SessionAnnouncement) -> tuple[str, Target]:
    return key, Target(kind="thread", platform=a.platform, channel_id=a.channel_id, thread_id=a.message_id)


def _message(
    where: tuple[str, Target],
    payload: Reply,
    *,
    due: dt.datetime,
    expires: dt.datetime | None,
    on_sent: str | None = None,
) -> NewMessage:
    """An outbox row: posted at `due`, skipped with a reason if still unsent at `expires`."""
    key, target = where
    assert target.platform is not None
    return NewMessage(
        key=key,
        platform=target.platform,
        target=target.model_dump(mode="json"),
        payload=payload.model_copy(update={"target": target}).model_dump(mode="json"),
        due_at=due,
        expires_at=expires,
        on_sent=on_sent,
    )


# --- announcing -------------------------------------------------------------------------------------


async def _announce(req: Request, ctx: Context, words: list[str]) -> Reply:
    require_role(req, "trainer", "announce training sessions")
    target = await _session_or_gone(ctx, words, "announce")
    channels, problem = parse_channels(" ".join(words[1:]) or target.channels, req.platform)
    if problem:
        raise UserError(problem)
    if not channels:
        raise UserError(
            f"Say where to announce it, e.g. /training announce {target.id} training, or slack:C0123ABC "
            "and discord:123456 to post on both."
        )
    now = ctx.now()
    catalogue = await courses(ctx)
    already: list[str] = []
    async with store.locked(ctx.db, target.id) as (s, found):
        session = _editable(found, now)
        blocks = await _post_blocks(s, session, catalogue, now)
        earlier = {(a.platform, a.channel_id): a for a in await store.announcements_in(s, session.id)}
        messages, fresh = [], []
        post = Reply(blocks=blocks, visibility=Visibility.PUBLIC, summary=f"Training: {plain_field(session.title)}")
        for platform, channel in channels:
            to = Target(kind="channel", platform=platform, channel_id=channel)
            if (before := earlier.get((platform, channel))) is not None:
                # A post that never went out (failed, or skipped) is tried again; one that did is not repeated.
                payload = post.model_copy(update={"target": to}).model_dump(mode="json")
                if before.message_id or not await store.post_again(
                    s, f"training:announce:{before.id}", payload, now=now
                ):
                    already.append(_where_posted(before))
                    continue
                fresh.append((platform, channel))
                continue
            row = SessionAnnouncement(session_id=session.id, platform=platform, channel_id=channel)
            s.add(row)
            await s.flush()
            where = (f"training:announce:{row.id}", to)
            messages.append(_message(where, post, due=now, expires=session.start_at, on_sent=f"training:{row.id}"))
            fresh.append((platform, channel))
        await outbox.enqueue_in(s, ctx.db, messages, now=now)
    posted_before = f"Session {session.id} is already announced in {_and(already)}; " if already else ""
    if not fresh:
        raise UserError(
            f"{posted_before}a second post there would only repeat it, and its reminders. "
            "Its posts update themselves when the session changes."
        )
    named = format_channels(fresh)
    await ctx.audit(req, "training.announced", subject=str(session.id), detail=named)
    offline = sorted({p for p, _ in fresh if ctx.platforms and p not in ctx.platforms})
    later = (
        f" {', '.join(offline).title()} is not connected to this bot right now, so that post goes out once it is."
        if offline
        else ""
    )
    skipped = f" {posted_before}not posting there again." if already else ""
    return reply(
        f"Announcing session **{session.id}** in {named}. Replies update the post, and reminders go in its "
        f"thread and to everyone going.{later}{skipped}"
    )


def _where_posted(a: SessionAnnouncement) -> str:
    state = f"message {a.message_id}" if a.message_id else "waiting to be posted"
    return f"{a.platform}:{a.channel_id} ({state})"


async def _post_blocks(
    s: AsyncSession, session: TrainingSession, catalogue: Mapping[str, CourseInfo], now: dt.datetime
) -> list[Block]:
    counts = (await store.places_in(s, [session.id]))[session.id]
    return session_blocks(session, _course_of(session, catalogue), counts, now=now)


async def refresh_posts(
    ctx: Context,
    s: AsyncSession,
    session: TrainingSession,
    catalogue: Mapping[str, CourseInfo],
    *,
    shown: tuple[str, str, str] | None = None,
    only: int | None = None,
) -> int:
    """Bring every copy of the session's announcement in step with the session as it is now.

    Called under the session's row lock. A posted copy gets an edit through the outbox (key
    `announce-edit:<session>:<platform>:<channel>:<version>:<n>`, so each edit happens once
    across replicas, and an older edit still waiting is skipped as replaced); a copy still
    waiting to be posted has its content replaced. `shown` is the (platform, channel, message)
    already updated in place by the button press; `only` limits the work to one announcement.
    Returns how many edits were queued."""
    now = ctx.now()
    blocks = await _post_blocks(s, session, catalogue, now)
    post = Reply(blocks=blocks, visibility=Visibility.PUBLIC, summary=f"Training: {plain_field(session.title)}")
    messages = []
    for a in await store.announcements_in(s, session.id):
        if only is not None and a.id != only:
            continue
        if not a.message_id:
            waiting = post.model_copy(
                update={"target": Target(kind="channel", platform=a.platform, channel_id=a.channel_id)}
            )
            await store.replace_pending_payload(s, f"training:announce:{a.id}", waiting.model_dump(mode="json"))
            continue
        prefix = f"announce-edit:{session.id}:{a.platform}:{a.channel_id}:"
        earlier = await store.outbox_keys_in(s, prefix)
        await store.skip_outbox_keys(
            s, [k for k, status in earlier.items() if status == "pending"], reason="replaced by a newer edit"
        )
        if shown == (a.platform, a.channel_id, a.message_id):
            continue
        target = Target(kind="thread", platform=a.platform, channel_id=a.channel_id, thread_id=a.message_id)
        edit = post.model_copy(update={"replace_original": True})
        messages.append(
            _message((f"{prefix}{session.version}:{len(earlier) + 1}", target), edit, due=now, expires=None)
        )
    await outbox.enqueue_in(s, ctx.db, messages, now=now)
    return len(messages)


@on_sent("training")
async def announcement_posted(ctx: Context, ref: str, platform: str, target: Target, message_id: str) -> None:
    """The announcement is out: remember its message, own its thread, schedule its reminders."""
    session_id = await store.mark_announced(ctx.db, int(ref), message_id=message_id, now=ctx.now())
    if session_id is None:
        return
    await threads.claim_thread(
        ctx.db,
        platform=platform,
        channel_id=target.channel_id or "",
        thread_id=message_id,
        feature="training",
        ref=str(session_id),
        now=ctx.now(),
    )
    catalogue = await courses(ctx)
    async with store.locked(ctx.db, session_id) as (s, session):
        if session is not None:
            await sync_reminders(ctx, s, session)
            # The session may have changed while the post was on its way: if what went out is
            # not what it says now, edit it.
            sent = await store.outbox_payload_in(s, f"training:announce:{ref}")
            current = await _post_blocks(s, session, catalogue, ctx.now())
            if sent is None or Reply.model_validate(sent[1]).blocks != current:
                await refresh_posts(ctx, s, session, catalogue, only=int(ref))


# --- replies: going, can't go, waitlist ------------------------------------------------------------


@dataclass
class Answer:
    status: str
    unchanged: bool = False
    position: int = 0  # on the waitlist
    promoted: list[Rsvp] = field(default_factory=list)


@action("training:rsvp", pattern=RSVP_VALUE)
async def rsvp_pressed(req: Request, ctx: Context) -> list[Reply]:
    session_id, choice = req.value.split(":")
    now = ctx.now()
    catalogue = await courses(ctx)
    async with store.locked(ctx.db, int(session_id)) as (s, session):
        if session is None:
            raise UserError(GONE)
        if session.status == CANCELLED:
            raise UserError(
                f"{plain_field(session.title)} (session {session.id}) was cancelled, so it isn't taking replies. "
                "Type /training to see other dates."
            )
        if session.start_at <= now:
            raise UserError(
                f"{plain_field(session.title)} (session {session.id}) has already started, so replies are closed."
            )
        before = (await store.places_in(s, [session.id]))[session.id]
        answer = await _answer(ctx, s, session, req.platform, req.user_id, CHOICES[choice])
        changed = [(req.platform, req.user_id), *((r.platform, r.user_id) for r in answer.promoted)]
        await sync_reminders(ctx, s, session, people=changed)
        counts = (await store.places_in(s, [session.id]))[session.id]
        blocks = session_blocks(session, _course_of(session, catalogue), counts, now=now)
        pressed = None
        if req.message_id and any(
            (a.platform, a.channel_id, a.message_id) == (req.platform, req.channel_id, req.message_id)
            for a in await store.announcements_in(s, session.id, posted_only=True)
        ):
            pressed = (req.platform, req.channel_id, req.message_id)
        if counts != before:  # the places shown changed: every other copy follows
            await refresh_posts(ctx, s, session, catalogue, shown=pressed)
    if not answer.unchanged:
        await ctx.audit(req, "training.rsvp", subject=str(session.id), detail=answer.status)
    await _audit_promotions(ctx, session, answer.promoted)
    replies = [reply(_answer_text(ctx, session, answer))]
    if pressed is not None and counts != before:
        post = Reply(blocks=blocks, visibility=Visibility.PUBLIC, replace_original=True)
        replies.insert(0, post)
    return replies


async def _answer(
    ctx: Context, s: AsyncSession, session: TrainingSession, platform: str, user_id: str, wanted: str
) -> Answer:
    now = ctx.now()
    mine = await s.get(Rsvp, (session.id, platform, user_id))
    before = mine.status if mine else None
    going = (await store.places_in(s, [session.id]))[session.id].going
    if wanted in (GOING, WAITLIST):
        if before == GOING:
            return Answer(GOING, unchanged=True)
        status = GOING if going < session.capacity else WAITLIST
        if status == WAITLIST and before == WAITLIST:
            return Answer(WAITLIST, unchanged=True, position=await _position(s, session, mine))
    else:
        if before == DECLINED:
            return Answer(DECLINED, unchanged=True)
        status = DECLINED
    if mine is None:
        mine = Rsvp(session_id=session.id, platform=platform, user_id=user_id, status=status, responded_at=now)
        s.add(mine)
    else:
        mine.status, mine.responded_at = status, now
    await s.flush()
    answer = Answer(status)
    if status == WAITLIST:
        answer.position = await _position(s, session, mine)
    if before == GOING and status == DECLINED:
        answer.promoted = await _fill_places(ctx, s, session)
    return answer


async def _position(s: AsyncSession, session: TrainingSession, mine: Rsvp | None) -> int:
    waiting = await store.rsvps_in(s, session.id, [WAITLIST])
    return next(
        (i for i, r in enumerate(waiting, 1) if mine and (r.platform, r.user_id) == (mine.platform, mine.user_id)), 0
    )


async def _fill_places(ctx: Context, s: AsyncSession, session: TrainingSession) -> list[Rsvp]:
    """Give free places to the waitlist in order, and tell each person promoted."""
    now = ctx.now()
    going = (await store.places_in(s, [session.id]))[session.id].going
    promoted = []
    for r in await store.rsvps_in(s, session.id, [WAITLIST]):
        if going >= session.capacity:
            break
        r.status, r.responded_at = GOING, now
        going += 1
        promoted.append(r)
    await s.flush()
    stamp = now.strftime("%Y%m%dT%H%M%S%f")
    text = (
        f"Good news: a place has opened up on **{plain_field(session.title)}**, {_where_and_when(session)}, "
        "and it's yours.\n"
        "If you can no longer come, press Can't go so the next person can have it."
    )
    messages = [
        _message(
            _direct(f"training:promoted:{session.id}:{stamp}", r.platform, r.user_id),
            _notice(session, text, cant_go=True),
            due=now,
            expires=session.start_at,
        )
        for r in promoted
    ]
    await outbox.enqueue_in(s, ctx.db, messages, now=now)
    return promoted


async def _audit_promotions(ctx: Context, session: TrainingSession, promoted: list[Rsvp]) -> None:
    for r in promoted:
        await ctx.audit(None, "training.promoted", subject=str(session.id), detail=f"{r.platform}:{r.user_id}")


def _answer_text(ctx: Context, session: TrainingSession, answer: Answer) -> str:
    title = f"**{plain_field(session.title)}** ({when_text(session.start_at, session.end_at, session.zone)})"
    if answer.status == GOING:
        if answer.unchanged:
            return f"You're already down as going to {title}."
        upcoming = [o.describe() for o in _offsets(ctx) if reminder_time(session.start_at, session.zone, o) > ctx.now()]
        remind = f" I'll remind you {_and(upcoming)} before." if upcoming else ""
        return f"You're going to {title}.{remind} If your plans change, press Can't go."
    if answer.status == WAITLIST:
        already = "You're already" if answer.unchanged else "It's full, so you're"
        return (
            f"{already} on the waitlist for {title}, number {answer.position}. "
            "If a place opens up it goes to the first person waiting, and I'll message you."
        )
    if answer.unchanged:
        return f"You've already said you can't go to {title}."
    return f"Thanks for letting us know you can't go to {title}."


# --- reminders ---------------------------------------------------------------------------------------


def _offsets(ctx: Context) -> list[Offset]:
    return parse_offsets(ctx.settings.training_reminder_offsets)


async def sync_reminders(
    ctx: Context, s: AsyncSession, session: TrainingSession, *, people: Iterable[tuple[str, str]] | None = None
) -> None:
    """Make the session's reminders match who is going and where it was announced.

    Called under the session's row lock after every change; `people` narrows the work to the
    people whose reply just changed. Reminders no longer wanted (someone can't go, the time
    moved, the session was cancelled) are skipped with a reason; wanted ones still in the
    future are added. Keys never repeat, so nothing is sent twice however often this runs or
    however many replicas run it."""
    now = ctx.now()
    stem = f"reminder:{session.id}:v{session.version}"
    chosen = None if people is None else list(dict.fromkeys(people))
    times = _schedule(ctx, session) if session.status == SCHEDULED and session.start_at > now else []
    wanted: dict[str, tuple[Target, Offset, dt.datetime, dt.datetime]] = {}
    if times:
        if chosen is None:
            going = await store.rsvps_in(s, session.id, [GOING])
            posted = await store.announcements_in(s, session.id, posted_only=True)
        else:
            found = [await s.get(Rsvp, (session.id, p, u)) for p, u in chosen]
            going, posted = [r for r in found if r is not None and r.status == GOING], []
        for offset, due, expires in times:
            for a in posted:
                key, target = _thread(f"{stem}:thread:{a.id}:{offset.label}", a)
                wanted[key] = (target, offset, due, expires)
            for r in going:
                key, target = _direct(stem, r.platform, r.user_id)
                wanted[f"{key}:{offset.label}"] = (target, offset, due, expires)
    prefixes = [f"reminder:{session.id}:"] if chosen is None else [f"{stem}:{p}:{u}:" for p, u in chosen]
    history = await store.outbox_slots_in(s, f"reminder:{session.id}:")  # every version's rows
    existing = {key: status for key, status, _due in history if key.startswith(tuple(prefixes))}
    stale = {key for key, status in existing.items() if status == "pending"} - wanted.keys()
    await store.skip_outbox_keys(s, stale, reason=_stale_reason(session))
    zone = ZoneInfo(session.zone)
    sent_days: dict[str, set[dt.date]] = {}
    replacing: set[str] = set()
    for key, status, due in history:
        if status == "sent":
            sent_days.setdefault(_slot(key), set()).add(due.astimezone(zone).date())
        elif key in stale:
            replacing.add(_slot(key))
    new = [
        _message((key, target), _reminder(session, direct=target.kind == "direct"), due=due, expires=expires)
        for key, (target, _offset, due, expires) in wanted.items()
        if key not in existing
        # Only reminders still ahead are added, as one whose time has passed would arrive late,
        # unless it takes the place of one that was still waiting to go out.
        and (due > now or (_slot(key) in replacing and expires > now))
        # A change of venue or link (or of the hour) does not send the same reminder again on the
        # same day: the change notice told everyone. A move to another day brings it back.
        and due.astimezone(zone).date() not in sent_days.get(_slot(key), set())
    ]
    await outbox.enqueue_in(s, ctx.db, new, now=now)


def _slot(key: str) -> str:
    """A reminder's recipient and offset, whatever the version: `reminder:7:v2:console:amy:1d` -> `console:amy:1d`."""
    return key.split(":", 3)[3]


def _schedule(ctx: Context, session: TrainingSession) -> list[tuple[Offset, dt.datetime, dt.datetime]]:
    """(offset, due, expires) for each reminder of a session. A reminder is useful until the
    next one is due, and never once the session has started."""
    times = [(o, reminder_time(session.start_at, session.zone, o)) for o in _offsets(ctx)]
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
        lines.append("If you can no longer come, press Can't go so someone on the waitlist can have your place.")
        buttons.insert(0, Button(label="Can't go", action_id="training:rsvp", value=f"{session.id}:n"))
    return Reply(
        blocks=[Text(text="\n".join(lines)), Buttons(buttons=buttons)],
        visibility=Visibility.PUBLIC,
        summary=f"Reminder: {plain_field(session.title)}",
    )


@job("training_reminders", every_seconds=3600)
async def keep_reminders_in_step(ctx: Context) -> None:
    """A safety net: bring every upcoming session's reminders in step (e.g. after the offsets
    setting changed). Each session is locked on its own, so replies are never held up long."""
    for upcoming in await store.list_sessions(ctx.db, starts_after=ctx.now()):
        async with store.locked(ctx.db, upcoming.id) as (s, session):
            if session is not None:
                await sync_reminders(ctx, s, session)


# --- attendance --------------------------------------------------------------------------------------


async def _attended(req: Request, ctx: Context, words: list[str]) -> Reply:
    require_role(req, "trainer", "record attendance")
    session = await _session_or_gone(ctx, words, "attended")
    _check_attendance_open(session, ctx.now())
    if len(words) > 1:
        return await _record_attendance(req, ctx, session, " ".join(words[1:]))
    going = await store.rsvps(ctx.db, session.id, [GOING])
    initial = "\n".join(_person_for(req.platform, r.platform, r.user_id) for r in going)
    form = Form(
        action_id="training:attended",
        value=str(session.id),
        title=f"Who attended session {session.id}?",
        submit_label="Save attendance",
        fields=[
            FormField(
                id="people",
                label="Attended (one per line; empty: everyone going; none: nobody)",
                kind="multiline",
                required=False,
                initial=initial,
                max_length=3000,
            )
        ],
    )
    return Reply(form=form)


def _check_attendance_open(session: TrainingSession, now: dt.datetime) -> None:
    if session.status == CANCELLED:
        raise UserError(f"Session {session.id} was cancelled, so there is no attendance to record.")
    if session.start_at > now:
        raise UserError(f"Session {session.id} hasn't started yet; record attendance once it has.")


def _person_for(viewer_platform: str, platform: str, user_id: str) -> str:
    return user_id if platform == viewer_platform else f"{platform}:{user_id}"


@action("training:attended", role="trainer", pattern=SESSION_VALUE)
async def attended_submitted(req: Request, ctx: Context) -> Reply | FormErrors:
    session = await store.get_session(ctx.db, int(req.value))
    if session is None:
        raise UserError(GONE)
    _check_attendance_open(session, ctx.now())
    return await _record_attendance(req, ctx, session, req.form.get("people", ""))


async def _record_attendance(req: Request, ctx: Context, session: TrainingSession, text: str) -> Reply:
    going = {(r.platform, r.user_id) for r in await store.rsvps(ctx.db, session.id, [GOING])}
    raw = text.strip()
    if not raw or raw.lower() == "all":
        present = set(going)
    elif raw.lower() == "none":
        present = set()
    else:
        present = set()
        for word in re.split(r"[\s,;]+", raw):
            platform, sep, user = word.partition(":")
            if not sep:
                platform, user = req.platform, word
            if platform not in ("slack", "discord", "console") or not re.fullmatch(r"[\w.\-]{1,120}", user):
                raise UserError(
                    f'"{word[:40]}" is not a person I can record; write user names (or platform:user) '
                    "separated by spaces."
                )
            present.add((platform, user.lstrip("@")))
    marks = {who: True for who in present} | {who: False for who in going - present}
    await store.record_attendance(ctx.db, session.id, marks, source="trainer", now=ctx.now())
    await ctx.audit(req, "training.attendance_marked", subject=str(session.id), detail=f"{len(present)} attended")
    absent = len(going - present)
    extra = f" {absent} who said they were going did not attend." if absent else ""
    return reply(
        f"Recorded {len(present)} attendee(s) for session **{session.id}**, {plain_field(session.title)}.{extra} "
        "Attendees are the people the post-course survey goes to."
    )


# --- courses trainers add ------------------------------------------------------------------------------


def _course_form() -> Form:
    return Form(
        action_id="training:course_add",
        title="New course",
        submit_label="Add course",
        fields=[
            FormField(id="title", label="Course title", max_length=200),
            FormField(id="summary", label="What it covers", kind="multiline", max_length=1000),
            FormField(id="duration", label="Usual length in minutes", placeholder="120", max_length=4),
            FormField(id="delivery", label="Delivery: in person, virtual and/or e-learning", max_length=60),
            FormField(id="topics", label="Topics, comma separated", placeholder="neglect, early-help", max_length=200),
        ],
    )


@action("training:course_add", role="trainer", pattern=r"^$")
async def course_submitted(req: Request, ctx: Context) -> Reply | FormErrors:
    form = {k: (v or "").strip() for k, v in req.form.items()}
    errors: dict[str, str] = {}
    title = form.get("title", "")
    course_id = slug(title)[:80]
    if len(title) < 3 or not course_id:
        errors["title"] = "Give the course a title of at least three letters."
    elif course_id in await courses(ctx):
        errors["title"] = f'A course with the id "{course_id}" already exists; choose a different title.'
    if not form.get("summary"):
        errors["summary"] = "Say in a sentence what the course covers."
    duration = form.get("duration", "")
    if not duration.isdigit() or not 1 <= int(duration) <= 1440:
        errors["duration"] = "Give the usual length as a number of minutes, e.g. 120."
    delivery = [d.lower() for d in _split_list(form.get("delivery", ""))]
    if not delivery or any(d not in DELIVERY_MODES for d in delivery):
        errors["delivery"] = "Write one or more of: in person, virtual, e-learning (comma separated)."
    topics = [slug(t) for t in _split_list(form.get("topics", "")) if slug(t)]
    if not topics:
        errors["topics"] = "Give at least one topic, e.g. neglect."
    if errors:
        return FormErrors(errors=errors)
    added = await store.add_course(
        ctx.db,
        TrainingCourse(
            id=course_id,
            title=title[:200],
            summary=form["summary"][:1000],
            audience="",
            duration_minutes=int(duration),
            delivery=", ".join(delivery),
            accreditation="",
            topics=", ".join(topics)[:255],
            created_by=f"{req.platform}:{req.user_id}",
            created_at=ctx.now(),
        ),
    )
    if not added:
        return FormErrors(
            errors={"title": f'A course with the id "{course_id}" already exists; choose a different title.'}
        )
    await ctx.audit(req, "training.course_added", subject=course_id)
    return reply(
        f"Added the course **{title}** with the id `{course_id}`. Add a session with /training add {course_id}."
    )
