"""/training and its verbs: reading what was typed, the lists and views that change nothing
(upcoming sessions, one session, your replies, the programme), and cancelling. The verbs that
open a form, announce or record attendance hand over to forms.py, posts.py and attendance.py."""

from __future__ import annotations

import datetime as dt
import logging
import re
from zoneinfo import ZoneInfo

from core.context import Context
from core.dates import EARLIEST_YEAR, YEARS_AHEAD
from core.model import Caption, Header, Reply, Request, Text, UserError, reply, require_role
from core.registry import action, command, subcommand
from core.sanitise import echoed
from handlers.training.attendance import attended
from handlers.training.courses import course_of, courses
from handlers.training.forms import add_form, course_form, edit_form
from handlers.training.posts import announce, notify_everyone, refresh_posts
from handlers.training.reminders import sync_reminders
from handlers.training.schedule import duration_text, plain_field, when_text
from handlers.training.sessions import GONE, SESSION_VALUE, editable, session_number, session_or_gone
from handlers.training.views import calendar_file, list_line, session_blocks, status_words, telling, trainer_details
from storage import training as store
from storage.training import CANCELLED

log = logging.getLogger("sgbot.training")

LIST_LIMIT = 15


@command(
    "training",
    usage="[N]",
    help="Upcoming training sessions: reply Going, get reminders and a calendar file.",
    long_help=(
        "**/training** lists upcoming sessions; **/training N** shows session N, with Going / Can't go buttons "
        "and a calendar file. A course id or topic after /training lists that course's or topic's sessions. "
        "Channels for announce are written `here`, `training`, `slack:C0123ABC`, `discord:123456` or "
        "`teams:19:…@thread.tacv2`."
    ),
)
async def training(req: Request, ctx: Context) -> Reply | list[Reply]:
    """The bare command, a session number, or a course or topic named on its own; the verbs are
    declared below."""
    words = req.words
    verb = words[0].lower().lstrip("/") if words else ""
    if not verb:
        return await _list(ctx, None, None)
    if re.fullmatch(r"#?-?\d+", verb):
        # "-1" or twenty digits get the sentence "/training edit" gives them (session_number), not
        # "I don't know /training -1" (an outside audit)
        return await _show(req, ctx, session_number(verb))
    catalogue = await courses(ctx)
    if verb in catalogue:
        return await _list(ctx, "course", verb)
    if any(verb in c.topics for c in catalogue.values()):
        return await _list(ctx, "topic", verb)
    raise UserError(ctx.registry.unknown_subcommand_text("training", words[0]))


@subcommand("training", "mine", help="the sessions you have replied to.")
async def training_mine(req: Request, ctx: Context) -> Reply:
    return await _mine(req, ctx, req.words)


@subcommand("training", "courses", usage="[add]", help="the programme; trainers add a course with `courses add`.")
async def training_courses(req: Request, ctx: Context) -> Reply:
    return await _courses_command(req, ctx, req.words)


async def _filtered(req: Request, ctx: Context, kind: str) -> Reply:
    if not req.words:
        raise UserError(f"Say which {kind}, e.g. /training {kind} {_EXAMPLES[kind]}.")
    return await _list(ctx, kind, req.text)


@subcommand("training", "course", usage="ID", help="upcoming sessions of one course (its id or title).")
async def training_course(req: Request, ctx: Context) -> Reply:
    return await _filtered(req, ctx, "course")


@subcommand("training", "topic", usage="TAG", help="upcoming sessions on one topic.")
async def training_topic(req: Request, ctx: Context) -> Reply:
    return await _filtered(req, ctx, "topic")


@subcommand("training", "month", usage="MONTH", help="sessions in one month, e.g. `month april`.")
async def training_month(req: Request, ctx: Context) -> Reply:
    return await _filtered(req, ctx, "month")


@subcommand("training", "add", help="add a session in a form.", role="trainer", refusal="add training sessions")
async def training_add(req: Request, ctx: Context) -> Reply:
    return await add_form(req, ctx, req.words)


@subcommand(
    "training",
    "edit",
    usage="N",
    help="change a session in a form filled with what it holds now.",
    role="trainer",
    refusal="change training sessions",
)
async def training_edit(req: Request, ctx: Context) -> Reply:
    return await edit_form(req, ctx, req.words)


@subcommand(
    "training",
    "cancel",
    usage="N [reason]",
    help="cancel a session; everyone going or waiting is told, and its posts say so.",
    role="trainer",
    refusal="cancel training sessions",
)
async def training_cancel(req: Request, ctx: Context) -> Reply | list[Reply]:
    return await _cancel(req, ctx, req.words)


@subcommand(
    "training",
    "announce",
    usage="N CHANNEL...",
    help="post a session with its buttons to channels, once each.",
    role="trainer",
    refusal="announce training sessions",
)
async def training_announce(req: Request, ctx: Context) -> Reply:
    return await announce(req, ctx, req.words)


@subcommand(
    "training",
    "attended",
    usage="N [PEOPLE...]",
    help="record who came, for the impact survey.",
    role="trainer",
    refusal="record attendance",
)
async def training_attended(req: Request, ctx: Context) -> Reply:
    return await attended(req, ctx, req.words)


_EXAMPLES = {"course": "neglect", "topic": "domestic-abuse", "month": "april"}


# --- listing and showing --------------------------------------------------------------------------

_MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], 1)}  # fmt: skip


def _month_range(text: str, today: dt.date, zone: str) -> tuple[dt.datetime, dt.datetime, str]:
    raw = text.strip().lower()
    year = None
    if match := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", raw):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := re.fullmatch(r"([0-9]{1,2})/([0-9]{4})", raw):  # 03/2026, month first as dates are day first
        month, year = int(match.group(1)), int(match.group(2))
    else:
        name, _, rest = raw.partition(" ")
        month = next((n for m, n in _MONTHS.items() if len(name) >= 3 and m.startswith(name)), 0)
        if rest.strip():
            # only a year of four plain digits ("²" is a digit to str.isdigit, not to int)
            year = int(rest.strip()) if re.fullmatch(r"[0-9]{4}", rest.strip()) else -1
    if not 1 <= month <= 12 or year == -1:
        raise UserError(
            f'"{echoed(text, 30)}" is not a month I understand; '
            "try /training month april, month 04/2026 or month 2026-04."
        )
    if year is not None and not EARLIEST_YEAR <= year <= today.year + YEARS_AHEAD:
        raise UserError(
            f"Training months run from {EARLIEST_YEAR} to {today.year + YEARS_AHEAD}; "
            f"try /training month april {today.year}."
        )
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
            raise UserError(f'There is no course "{echoed(wanted)}"; type /training courses to see the course ids.')
        title = f"Upcoming training: {catalogue[course_ids[0]].title if len(course_ids) == 1 else wanted}"
    elif kind == "topic":
        wanted = (value or "").lower().strip()
        course_ids = [c.id for c in catalogue.values() if wanted in c.topics]
        if not course_ids:
            topics = sorted({t for c in catalogue.values() for t in c.topics})
            raise UserError(f'No course has the topic "{echoed(wanted)}"; the topics are {", ".join(topics)}.')
        title = f"Upcoming training on {wanted}"
    elif kind == "month":
        first, after_month, label = _month_range(value or "", ctx.local_now().date(), ctx.settings.timezone)
        after, before, title = max(now, first - dt.timedelta(microseconds=1)), after_month, f"Training in {label}"
    async with ctx.db.transaction() as tx:
        sessions = await store.list_sessions(
            tx, starts_after=after, starts_before=before, course_ids=course_ids, limit=LIST_LIMIT + 1
        )
        counts = await store.places(tx, [s.id for s in sessions]) if sessions else {}
    if not sessions:
        return reply(
            Header(text=title),
            f"There are no sessions coming up{' for that' if kind else ''}. "
            "Type /training courses to see the whole programme.",
        )
    lines = [list_line(s, counts[s.id]) for s in sessions[:LIST_LIMIT]]
    more = " There are more; narrow the list with course, topic or month." if len(sessions) > LIST_LIMIT else ""
    return reply(
        Header(text=title),
        Text(text="\n".join(lines)),
        Caption(text=f"Type /training N to see session N, reply and get its calendar file.{more}"),
    )


async def _show(req: Request, ctx: Context, session_id: int) -> Reply:
    async with ctx.db.transaction() as tx:
        session = await store.get_session(tx, session_id)
    if session is None:
        raise UserError(f"There is no session {session_id}; type /training to see the sessions and their numbers.")
    catalogue = await courses(ctx)
    async with ctx.db.transaction() as tx:
        counts = await store.places(tx, [session.id])
        people = await store.rsvps(tx, session.id)
        details = await trainer_details(tx, session, req.platform, now=ctx.now()) if req.has_role("trainer") else []
    blocks = session_blocks(session, course_of(session, catalogue), counts[session.id], now=ctx.now())
    mine = next((r for r in people if (r.platform, r.user_id) == (req.platform, req.user_id)), None)
    if mine is not None:
        blocks.insert(2, Text(text=f"You replied: **{status_words(mine.status)}**."))
    blocks.extend(details)
    blocks.append(calendar_file(ctx, [session]))
    return reply(*blocks)


async def _mine(req: Request, ctx: Context, _words: list[str]) -> Reply:
    now = ctx.now()
    async with ctx.db.transaction() as tx:
        rows = await store.rsvps_of_user(tx, req.platform, req.user_id)
    upcoming = [(r, s) for r, s in rows if s.end_at > now]
    if not upcoming:
        return reply("You haven't replied to any upcoming sessions. Type /training to see what's on and press Going.")
    lines = []
    for r, s in upcoming:
        status = "cancelled by the organisers" if s.status == CANCELLED else status_words(r.status)
        lines.append(f"- **{s.id}** {plain_field(s.title)} — {when_text(s.start_at, s.end_at, s.zone)} — {status}")
    return reply(
        Header(text="Your training replies"),
        Text(text="\n".join(lines)),
        Caption(text="Type /training N to change a reply or get the calendar file."),
    )


async def _courses_command(req: Request, ctx: Context, words: list[str]) -> Reply:
    if words and words[0].lower() == "add":
        require_role(req, "trainer", "add courses")
        return Reply(form=course_form())
    catalogue = await courses(ctx)
    wanted = " ".join(words).lower().strip()
    shown = [c for c in catalogue.values() if not wanted or wanted in c.topics or wanted in c.title.lower()]
    if not shown:
        raise UserError(f'No course matches "{echoed(wanted)}"; type /training courses to see them all.')
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
        Caption(text="Type /training course ID to see its sessions. Bookings still go through the learning platform."),
    )


# --- the calendar button --------------------------------------------------------------------------


@action("training:calendar", pattern=SESSION_VALUE)
async def calendar_pressed(req: Request, ctx: Context) -> Reply:
    async with ctx.db.transaction() as tx:
        session = await store.get_session(tx, int(req.value))
    if session is None:
        raise UserError(GONE)
    note = " It has been cancelled; the file tells your calendar so." if session.status == CANCELLED else ""
    return reply(f"Here is **{plain_field(session.title)}** for your calendar.{note}", calendar_file(ctx, [session]))


# --- cancelling -----------------------------------------------------------------------------------


async def _cancel(req: Request, ctx: Context, words: list[str]) -> Reply:
    from storage.surveys import OPEN, surveys_of_session  # as forms.py: only where surveys matter

    require_role(req, "trainer", "cancel training sessions")
    target = await session_or_gone(ctx, words, "cancel")
    reason = " ".join(words[1:])[:300]
    now = ctx.now()
    catalogue = await courses(ctx)
    async with ctx.db.transaction() as tx:
        found = await store.lock_session(tx, target.id)
        if found is not None and found.status == CANCELLED:  # pressed twice, or by two trainers
            raise UserError(f"Session {found.id} is already cancelled; nothing more to do.")
        session = editable(found, await ctx.agreed_now(tx))  # started by the database's clock
        session.status = CANCELLED
        session.version += 1
        session.updated_at = now
        because = f" Reason: {plain_field(reason.rstrip('.'))}." if reason else ""
        text = (
            f"**{plain_field(session.title)}** on {when_text(session.start_at, session.end_at, session.zone)} "
            f"(session {session.id}) has been cancelled.{because}\nType /training to see other dates."
        )
        told = await notify_everyone(ctx, tx, session, kind="cancelled", text=text)
        await sync_reminders(ctx, tx, session)
        await refresh_posts(ctx, tx, session, catalogue)
        still_open = [s.id for s in await surveys_of_session(tx, session.id) if s.status == OPEN]
    await ctx.audit(req, "training.session_cancelled", subject=str(session.id), detail=reason)
    closed = await _close_surveys(ctx, req, still_open)
    told_whom = telling(told)
    told_whom = told_whom[:1].upper() + told_whom[1:]
    return reply(f"Session **{session.id}** is cancelled. {told_whom}, and its reminders won't be sent.{closed}")


async def _close_surveys(ctx: Context, req: Request, survey_ids: list[int]) -> str:
    """A survey already sent for a cancelled session (a baseline) closes with it: no reminders,
    no more answers, its messages say it has closed. The answers given so far are kept. One that
    cannot be closed now is closed by the next survey round (handlers/surveys survey_rounds)."""
    if not survey_ids:
        return ""
    from handlers.surveys import close_survey  # surveys builds on training, not the other way

    closed = 0
    for survey_id in survey_ids:
        try:
            closed += await close_survey(ctx, survey_id, req) is not None
        except Exception:  # noqa: BLE001 - the cancel has happened; the survey round closes it
            log.exception(
                "survey %s of a cancelled session could not be closed now; the next round closes it", survey_id
            )
            return (
                " Its survey could not be closed just now; the bot closes it within a minute and sends it no reminders."
            )
    if not closed:
        return ""  # closed by someone else meanwhile
    return " Its survey already sent is closed too: it takes no more answers and sends no reminders."
