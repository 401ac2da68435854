"""The forms: add a session (prefilled from what was typed after /training add), change one
(prefilled with its current values; a field left blank keeps its value), and add a course. Every
field's mistake is reported at once."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from core.contentpack import slug
from core.context import Context
from core.dates import DateProblem, TypedWhen, is_calendar_word, names_a_week, read_clock, scan_when
from core.model import Form, FormErrors, FormField, Option, Reply, Request, reply, require_role
from core.registry import action
from core.sanitise import echoed, inert_text
from handlers.training.courses import DELIVERY_MODES, CourseInfo, course_of, courses, split_list
from handlers.training.posts import notify_everyone, refresh_posts
from handlers.training.reminders import sync_reminders
from handlers.training.rsvp import audit_promotions, fill_places
from handlers.training.schedule import (
    SessionDraft,
    channel_examples,
    check_session,
    in_figures,
    links_in,
    local,
    match_course,
    parse_date,
    plain_field,
    read_capacity,
    split_when,
    split_where,
    when_text,
)
from handlers.training.sessions import SESSION_VALUE, editable, new_session, session_or_gone
from handlers.training.views import change_text, display_user, listed, telling, where_and_when
from storage import training as store
from storage.text import storable
from storage.training import TrainingCourse, TrainingSession

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
DATE_WITHOUT_TIME = "Add the start time after the date, like 2026-04-21 09:30-12:30 (the end is optional)."


def _session_values(
    form: Mapping[str, str], today: dt.date, kept_times: str = "", kept_date: str = ""
) -> tuple[dict[str, str], dict[str, str]]:
    """The form's fields as check_session's values, and an error for a date and time that
    cannot be split; the other fields are still checked, so every mistake shows at once. In an
    edit, a date with no time keeps `kept_times` ("09:30-12:30") and times with no date keep
    `kept_date`; in a new session, a date with no time is asked for its time."""
    errors: dict[str, str] = {}
    typed = form.get("when", "").strip()
    try:
        when = split_when(typed, today)
        date_alone = bool(typed) and parse_date(typed, today) is not None
        if when is None and date_alone and kept_times:
            when = split_when(f"{typed} {kept_times}", today)  # a new date alone keeps the times
        elif when is None and typed and kept_date:
            when = split_when(f"{kept_date} {typed}", today)  # new times alone ("14:00-16:00") keep the date
    except DateProblem as exc:  # a date the calendar does not have: say what is wrong with it
        when, date_alone, errors["when"] = None, False, str(exc)
    if when is None:
        errors.setdefault("when", DATE_WITHOUT_TIME if date_alone else WHEN_HELP)
        when = {"date": "", "start": "", "end": ""}
    values = {**when, **split_where(form.get("where", "")), "capacity": form.get("capacity", ""),
              "trainer": form.get("trainer", "")}  # fmt: skip
    if len(links_in(form.get("where", ""))) > 1:
        errors["where"] = "Give one online link (the one delegates join by); a session keeps one."
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


SELECT_LIMIT = 25  # options every platform's select can hold


def _course_field(catalogue: Mapping[str, CourseInfo], initial: str = "") -> FormField:
    """The course: a select where every platform's can hold them all, else the id typed. Words
    typed after /training add that name no one course are kept as its value, as if typed there,
    so submitting says what they could be; a select that cannot show them (Slack, Discord,
    Teams) says it in its placeholder."""
    problem = match_course(initial, catalogue)[1] if initial and initial not in catalogue else None
    options = [Option(label=c.title[:75], value=c.id) for c in catalogue.values()]
    if len(options) <= SELECT_LIMIT:
        return FormField(
            id="course", label="Course", kind="select", options=options, initial=initial, placeholder=problem or ""
        )
    return FormField(id="course", label="Course id (see /training courses)", initial=initial, max_length=80)


async def add_form(req: Request, ctx: Context, words: list[str]) -> Reply:
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
                initial=typed.get("where", ""),
                placeholder=_venue_placeholder(typed.get("not_understood", ""), typed.get("venue_guess", "")),
                max_length=700,
            ),
            FormField(id="trainer", label="Trainer (empty: you; none: no one yet)", required=False, max_length=120),
        ],
    )
    return Reply(form=form)


def _venue_placeholder(not_understood: str, guess: str = "") -> str:
    """The venue's hint: the words typed after /training add that fit no field, where there were
    some (the venue is then left empty, so the person types it rather than find them saved there),
    and the other words that may have been the venue."""
    if not not_understood:
        return "Gun Wharf, Chatham or https://..."
    was = f' Was the venue "{echoed(guess, 50)}"?' if guess else ""
    return f'Not understood: "{echoed(not_understood, 50)}".{was} Type the venue or link.'


TITLE_EXTRA_WORDS = 4  # words that fit any course around a title: "safeguarding", "training", "course"


def _prefill(words: list[str], catalogue: Mapping[str, CourseInfo], today: dt.date) -> dict[str, str]:
    """Form fields from what was typed after /training add, e.g. `gcp2`, `domestic abuse`, or
    `neglect on Tue 9 Mar 2027 at 2pm for 15 people, Strood Library`: the course (the longest
    run of first words naming one course), a date and time (read as the form's date field reads
    them) and a number of places wherever they are, and the words after all of those as the
    venue. First words that name no one course ("refresher", "knitting") stay in the course
    field as typed, so the form says what they could be, as it does when they are typed there.
    Words that fit none of these are never put in the venue: the venue is left for the person
    to type, and its placeholder names the words (`not_understood`)."""
    found: dict[str, str] = {}
    rest = list(words)
    # An id or (part of) a title first; then a close title ("domestc abuse") of up to four
    # words, taken from the words before any number, so a date is never read as part of a title.
    lead = next((i for i, w in enumerate(rest) if re.search(r"\d", w)), len(rest))
    # No course is named by more words than its longest title and a few generic words ("training
    # course"): trying every run of the first words made a 4,000-character line take seconds.
    longest = max((len(c.title.split()) for c in catalogue.values()), default=0) + TITLE_EXTRA_WORDS
    tries = [(n, False) for n in range(min(len(rest), longest), 0, -1)]
    tries += [(n, True) for n in range(min(lead, 4), 0, -1)]
    for size, fuzzy in tries:
        course, _problem = match_course(" ".join(rest[:size]), catalogue, fuzzy=fuzzy)
        if course is not None:
            # A misspelt word after the words that named it ("Trauma awarness") is still its title.
            only = {course.id: course}
            while size < min(lead, longest) and match_course(" ".join(rest[: size + 1]), only, fuzzy=True)[0]:
                size += 1
            found["course"], rest = course.id, rest[size:]
            break
    when = _when_words(rest, today)
    if "course" not in found:  # the words before the date, the places or any number are the course as typed
        places = _places_at(rest)
        typed = rest[: min(lead, when[0] if when else lead, places[0] if places else lead)]
        if typed:
            found["course"], rest = " ".join(typed), rest[len(typed) :]
            if when:
                when = (when[0] - len(typed), when[1] - len(typed))
    placed = [False] * len(rest)  # the words read as the date and time or the places
    if when:
        typed_when = list(itertools.dropwhile(lambda w: w.lower() in ("at", "on", "from"), rest[when[0] : when[1]]))
        found["when"] = " ".join(typed_when).strip(" ,;")
        placed[when[0] : when[1]] = [True] * (when[1] - when[0])
    unplaced = [w for w, p in zip(rest, placed, strict=True) if not p]
    if places := _places_at(unplaced):
        i, j = places
        found["capacity"] = str(read_capacity(" ".join(unplaced[i:j]).rstrip(",;")))
        kept = [k for k, p in enumerate(placed) if not p]
        for k in kept[i:j]:
            placed[k] = True
    # The venue is the words left. Where they are in pieces ("dads 3pm friday 10 places
    # Rochester"), a piece not ended by a comma ("Room 1, 12 places, Gun Wharf") is no part of
    # it; nor is a piece that reads as a date or time. Those words are named, and the venue is
    # left for the person to type rather than saved with them in it.
    pieces: list[list[str]] = []
    for k, word in enumerate(rest):
        if not placed[k]:
            if k == 0 or placed[k - 1] or not pieces:
                pieces.append([])
            pieces[-1].append(word)
    stray = [w for piece in pieces[:-1] if not piece[-1].endswith((",", ";")) for w in piece]
    stray += [w for piece in pieces if any(_reads_as_when(w) for w in piece) for w in piece if w not in stray]
    venue = re.sub(r"\s+([,;])", r"\1", " ".join(w for piece in pieces for w in piece)).strip(" ,;")
    venue = _without_courtesy(venue)  # "... 20 places thanks": thanks is no venue
    if stray:
        found["not_understood"] = " ".join(stray)
        # the rest is offered in the hint, so nothing typed goes unmentioned
        rest_of_venue = " ".join(w for piece in pieces for w in piece if w not in stray).strip(" ,;")
        if rest_of_venue:
            found["venue_guess"] = rest_of_venue
    elif venue:
        # "... for 15 people at Strood Library": the "at" says where; the venue is Strood Library
        found["where"] = re.sub(r"^(?:at|in)\s+(?=\S)", "", venue, flags=re.IGNORECASE)
    return found


_COURTESY = frozenset({"please", "pls", "thanks", "thank", "thx", "cheers", "ta"})


def _without_courtesy(venue: str) -> str:
    """The venue without a "thanks" after it (word by word: a pattern for this backtracked for
    seconds over a line of thanks). A "please" before it may be a place's name ("Please Road")."""
    words = venue.split()
    spoken = [w.strip(",;.!-–—").lower() for w in words]
    end = len(words)
    while end > 0:
        if spoken[end - 1] in _COURTESY or not spoken[end - 1]:
            end -= 1
        elif spoken[end - 1] == "you" and end >= 2 and spoken[end - 2] == "thank":
            end -= 2
        elif spoken[end - 1] in ("many", "advance", "in") and end < len(words):
            end -= 1  # "many thanks", "thanks in advance"
        else:
            break
    return " ".join(words[:end]).strip(" ,;-–—")


def _reads_as_when(word: str) -> bool:
    """A word that belongs to a date or a time, so never to a venue ('noon-2pm', 'next', '14:00')."""
    word = word.strip(",;").lower()
    return (
        word in ("next", "this", "today", "tomorrow", "am", "pm", "noon", "midday")
        or is_calendar_word(word)
        or read_clock(word) is not None
        or bool(re.fullmatch(r"[\d:./@t+–-]+(?:am|pm)?(?:[–-][\d:.]+(?:am|pm)?)?", word) and re.search(r"[:./]", word))
    )


def _when_words(words: list[str], today: dt.date) -> tuple[int, int] | None:
    """Where the date and time are among `words`: the first run that reads as one (the form's
    own reader), taking every word of it."""
    for i in range(len(words)):
        try:
            found = scan_when(words[i:], today)
        except DateProblem:  # a date the calendar lacks: put in the form's field, which says what is wrong
            # "next tuesday 2pm", "from next tuesday", "2pm-4pm next tuesday" (which week?): taken
            # whole, up to the weekday and a time after it
            week = next((j for j in range(i, min(i + 3, len(words))) if names_a_week(words, j)), None)
            end = i + 1 if week is None else week + 2
            after = _scan_or_none(words[end:], today)
            return i, end + (after.words if after is not None and after.day is None else 0)
        if found is not None and found.words:
            return i, i + found.words
    return None


def _scan_or_none(words: list[str], today: dt.date) -> TypedWhen | None:
    try:
        return scan_when(words, today)
    except DateProblem:
        return None


def _places_at(words: list[str]) -> tuple[int, int] | None:
    """Where the places are among `words` ('20 places', 'for 15 people', 'up to 25 people', '25
    max'). A number alone is places only when nothing else is left: in 'Room 101 Gun Wharf' it
    is part of the venue."""
    for i in range(len(words)):
        for size in (4, 3, 2, 1):
            phrase = " ".join(words[i : i + size]).rstrip(",;")
            if i + size > len(words) or read_capacity(phrase) is None:
                continue
            if in_figures(phrase).isdigit() and len(words) > 1:  # "20" or "twenty" alone: a house or room number
                continue
            return i, i + size
    return None


@action("training:add", role="trainer", pattern=r"^$")
async def add_submitted(req: Request, ctx: Context) -> Reply | FormErrors:
    values, split_errors = _session_values(req.form, ctx.local_now().date())
    values["course"] = req.form.get("course", "")
    draft = _checked(
        split_errors,
        check_session(
            values,
            courses=await courses(ctx),
            zone=ctx.settings.timezone,
            now=ctx.now(),
            platform=req.platform,
            default_trainer=_default_trainer(req),
        ),
    )
    if isinstance(draft, FormErrors):
        return draft
    async with ctx.db.transaction() as tx:
        # The same course at the same start is one session, as the CSV import already says.
        existing = await store.find_session(tx, course_id=draft.course_id, start_at=draft.start_at)
        if existing is not None:
            return FormErrors(
                errors={
                    "when": f"This course at this time is already in the programme as session {existing.id}; "
                    f"change the date or time, or see it with /training {existing.id}."
                }
            )
        session = await store.add_session(
            tx, new_session(draft, created_by=f"{req.platform}:{req.user_id}", now=ctx.now())
        )
    await ctx.audit(req, "training.session_added", subject=str(session.id), detail=session.course_id)
    return reply(
        f"Added session **{session.id}**: {plain_field(session.title)}, {where_and_when(session)}.",
        f"Announce it with /training announce {session.id} CHANNEL (e.g. {channel_examples(req.platform)}).",
    )


def course_minutes(typed: str) -> int | None:
    """A course's length as people write it: "120", "90 minutes", "3 hours", "1.5 hrs", "2h",
    "2 hours 30 minutes"; None for anything else."""
    text = typed.strip().lower()
    if text.isdigit():
        return int(text)
    found = re.fullmatch(r"(?:(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?))?\s*(?:(\d+)\s*(?:m|mins?|minutes?))?", text)
    if not found or not (found.group(1) or found.group(2)):
        return None
    return round(float(found.group(1) or 0) * 60) + int(found.group(2) or 0)


def _default_trainer(req: Request) -> str:
    """Who runs a session when the form leaves it empty: the person adding it, by the name the
    platform gives (an id such as 29:1aBcD or U0123ABC means nothing on an announcement), kept
    as platform:user where the name is only the id again (the console)."""
    name = " ".join(req.user_name.split())
    return name[:120] if name and name != req.user_id else f"{req.platform}:{req.user_id}"


def _current_values(session: TrainingSession) -> dict[str, str]:
    """The edit form's fields as the session is now: each is shown filled in, and a field left
    blank keeps this value."""
    a, b = local(session.start_at, session.zone), local(session.end_at, session.zone)
    return {
        "course": session.course_id,
        "when": f"{a:%Y-%m-%d %H:%M}-{b:%H:%M}",
        "capacity": str(session.capacity),
        "where": " ".join(part for part in (session.venue, session.online_url or "") if part),
        "trainer": display_user(session.trainer),
    }


async def edit_form(req: Request, ctx: Context, words: list[str]) -> Reply:
    require_role(req, "trainer", "change training sessions")
    session = editable(await session_or_gone(ctx, words, "edit"), ctx.now())
    now = _current_values(session)
    catalogue = dict(await courses(ctx))  # in the add form's order, so the same number picks the same course
    if len(catalogue) < SELECT_LIMIT:  # a course gone from the pack is offered too, while the select holds it
        catalogue.setdefault(session.course_id, course_of(session, catalogue))
    form = Form(
        action_id="training:edit",
        value=str(session.id),
        title=f"Change session {session.id}",
        submit_label="Save changes",
        fields=[
            _course_field(catalogue, now["course"]),
            FormField(id="when", label=f"Date and time ({session.zone})", initial=now["when"], max_length=40),
            FormField(id="capacity", label="Places", initial=now["capacity"], max_length=20),
            FormField(id="where", label="Venue and/or online link", initial=now["where"], max_length=700),
            FormField(
                id="trainer",
                label="Trainer (none: no one named)",
                initial=now["trainer"],
                required=False,
                max_length=120,
            ),
        ],
    )
    return Reply(form=form)


@action("training:edit", role="trainer", pattern=SESSION_VALUE)
async def edit_submitted(req: Request, ctx: Context) -> Reply | FormErrors:
    now = ctx.now()
    catalogue = await courses(ctx)
    async with ctx.db.transaction() as tx:
        found = await store.lock_session(tx, int(req.value))
        session = editable(found, await ctx.agreed_now(tx))  # started by the database's clock
        # A field left blank keeps its value (a cleared Slack or Discord field arrives empty).
        current = _current_values(session)
        form = {k: (req.form.get(k) or "").strip() or current[k] for k in current}
        if form["trainer"] == current["trainer"]:
            form["trainer"] = session.trainer  # shown as a name, kept as stored
        # A new date typed alone keeps the session's times, and new times its date.
        kept_date, _, kept_times = current["when"].partition(" ")
        values, split_errors = _session_values(form, ctx.local_now().date(), kept_times, kept_date)
        if form["where"] == current["where"]:  # kept as stored, even where typed today it would read otherwise
            values["venue"], values["online_url"] = session.venue, session.online_url or ""
        values["course"] = form["course"]
        draft = _checked(
            split_errors,
            check_session(
                values,
                # the session's own course stays choosable after it has left the pack
                courses={session.course_id: course_of(session, catalogue)} | catalogue,
                zone=session.zone,
                now=now,
                platform=req.platform,
                default_trainer=session.trainer,
            ),
        )
        if isinstance(draft, FormErrors):
            return draft
        if problem := await _doubles_or_fixed(tx, session, draft):
            return FormErrors(errors=problem)
        changes = []
        if draft.course_id != session.course_id:
            changes.append("course")
        if (draft.start_at, draft.end_at) != (session.start_at, session.end_at):
            changes.append("time")
        if draft.venue != session.venue:
            changes.append("venue")
        if draft.online_url != session.online_url:
            changes.append("online link")
        old = where_and_when(session)
        if draft.course_id != session.course_id:
            old = f"{plain_field(session.title)}, {old}"
        grew = draft.capacity > session.capacity
        # Places and trainer are no news for those going, but the trainer is told they changed.
        others = []
        places_changed, trainer_changed = draft.capacity != session.capacity, draft.trainer != session.trainer
        if draft.capacity != session.capacity:
            others.append(f"The places changed from {session.capacity} to {draft.capacity}.")
        if draft.trainer != session.trainer:
            before, after = (plain_field(display_user(t)) or "nobody" for t in (session.trainer, draft.trainer))
            others.append(f"The trainer changed from {before} to {after}.")
        session.course_id, session.title = draft.course_id, draft.title
        session.start_at, session.end_at = draft.start_at, draft.end_at
        session.venue, session.online_url = draft.venue, draft.online_url
        session.capacity, session.trainer = draft.capacity, draft.trainer
        if changes or others:
            session.updated_at = now
        # Places go to the waitlist first, so a person promoted by this save reads the change
        # as someone going, not as "still number 1 on the waitlist" (an outside audit).
        promoted = await fill_places(ctx, tx, session) if grew else []
        told = baselines = 0
        if changes:
            session.version += 1
            told = await notify_everyone(ctx, tx, session, kind="changed", text=change_text(session, changes, old))
        if "time" in changes:
            from handlers.surveys import session_moved  # surveys builds on training, not the other way

            baselines = await session_moved(ctx, tx, session)
        if changes or others:  # a save that changed nothing leaves every post and reminder as it was
            await sync_reminders(ctx, tx, session)
            await refresh_posts(ctx, tx, session, catalogue)
        going = (await store.places(tx, [session.id]))[session.id].going
    if changes or others:  # a save that changed nothing is no edit in the audit trail either
        changed = changes + (["places"] if places_changed else []) + (["trainer"] if trainer_changed else [])
        await ctx.audit(req, "training.session_edited", subject=str(session.id), detail=", ".join(changed))
    await audit_promotions(ctx, session, promoted)
    course = f" ({plain_field(session.title)})" if "course" in changes else ""
    lines = [f"Saved session **{session.id}**{course}: {when_text(session.start_at, session.end_at, session.zone)}."]
    if changes:
        moving = ", and moving their reminders to the new details" if told else ""
        lines.append(f"The {listed(changes)} changed: {telling(told)}{moving}.")
    if baselines:
        lines.append("Its pre-course survey now closes when the session starts, at the new time.")
    lines.extend(others)
    if not changes and not others:
        lines.append("Nothing changed.")
    if len(promoted) == 1:
        lines.append("1 person moved up from the waitlist and is being told.")
    elif promoted:
        lines.append(f"{len(promoted)} people moved up from the waitlist and are being told.")
    if going > session.capacity:
        places = "1 place" if session.capacity == 1 else f"{session.capacity} places"
        lines.append(f"{going} people are going, more than the {places}; nobody has been removed.")
    return reply("\n".join(lines))


async def _doubles_or_fixed(tx: AsyncSession, session: TrainingSession, draft: SessionDraft) -> dict[str, str] | None:
    """Why the edit cannot be saved, by field, or None. One course at one time is one session (as
    when adding one, and as the CSV import reads it); and survey answers are counted under the
    session's course, so once a survey has gone out the course stays."""
    from storage.surveys import surveys_of_session

    if draft.course_id != session.course_id and await surveys_of_session(tx, session.id):
        return {
            "course": f"A survey has gone out for session {session.id}, and its answers count under "
            f"{plain_field(session.title)}, so the course stays. To run another course, cancel this "
            "session and add a new one."
        }
    moved = (draft.course_id, draft.start_at) != (session.course_id, session.start_at)
    other = await store.find_session(tx, course_id=draft.course_id, start_at=draft.start_at) if moved else None
    if other is not None and other.id != session.id:
        field = "course" if draft.course_id != session.course_id else "when"
        return {
            field: f"This course at this time is already in the programme as session {other.id}; "
            f"change the {'course' if field == 'course' else 'date or time'}, or see it with /training {other.id}."
        }
    return None


def course_form() -> Form:
    return Form(
        action_id="training:course_add",
        title="New course",
        submit_label="Add course",
        fields=[
            FormField(id="title", label="Course title", max_length=200),
            FormField(id="summary", label="What it covers", kind="multiline", max_length=1000),
            FormField(id="duration", label="Usual length", placeholder="120 minutes, or 3 hours", max_length=20),
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
    duration = str(course_minutes(form.get("duration", "")) or "")
    if not duration or not 1 <= int(duration) <= 1440:
        errors["duration"] = "Give the usual length in minutes or hours, e.g. 120, 90 minutes or 3 hours."
    delivery = [d.lower() for d in split_list(form.get("delivery", ""))]
    if not delivery or any(d not in DELIVERY_MODES for d in delivery):
        errors["delivery"] = "Write one or more of: in person, virtual, e-learning (comma separated)."
    topics = [slug(t) for t in split_list(form.get("topics", "")) if slug(t)]
    if not topics:
        errors["topics"] = "Give at least one topic, e.g. neglect."
    if errors:
        return FormErrors(errors=errors)
    async with ctx.db.transaction() as tx:
        added = await store.add_course(
            tx,
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
                created_by_name=storable(req.user_name or "")[:120],
                created_at=ctx.now(),
            ),
        )
    if not added:
        return FormErrors(
            errors={"title": f'A course with the id "{course_id}" already exists; choose a different title.'}
        )
    await ctx.audit(req, "training.course_added", subject=course_id)
    return reply(
        f"Added the course **{inert_text(title)}** with the id `{course_id}`. "
        f"Add a session with /training add {course_id}."
    )
