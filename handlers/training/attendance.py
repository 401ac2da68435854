"""Who attended: `/training attended N [PEOPLE...]` or its form, once the session has started.
Attendees are the people the post-course survey goes to."""

from __future__ import annotations

import datetime as dt
import re

from core.context import Context
from core.model import PLATFORMS, Form, FormErrors, FormField, Reply, Request, UserError, reply, require_role
from core.registry import action
from core.sanitise import echoed, typed_back
from handlers.training.schedule import plain_field
from handlers.training.sessions import GONE, SESSION_VALUE, session_or_gone
from handlers.training.views import person_for
from storage import training as store
from storage.training import CANCELLED, GOING, TrainingSession


class UnknownPerson(UserError):
    """A word in the list of attendees that names nobody the bot can record."""


async def attended(req: Request, ctx: Context, words: list[str]) -> Reply:
    require_role(req, "trainer", "record attendance")
    session = await session_or_gone(ctx, words, "attended")
    _check_attendance_open(session, ctx.now())
    if len(words) > 1:
        return await _record_attendance(req, ctx, session, " ".join(words[1:]), typed=True)
    async with ctx.db.transaction() as tx:
        going = [(r.platform, r.user_id) for r in await store.rsvps(tx, session.id, [GOING])]
        recorded = [(a.platform, a.user_id) for a in await store.attendance(tx, session.id) if a.attended]
    # what is on the register already, else who said they were going
    initial = "\n".join(person_for(req.platform, platform, user) for platform, user in recorded or going)
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


@action("training:attended", role="trainer", pattern=SESSION_VALUE)
async def attended_submitted(req: Request, ctx: Context) -> Reply | FormErrors:
    async with ctx.db.transaction() as tx:
        session = await store.get_session(tx, int(req.value))
    if session is None:
        raise UserError(GONE)
    _check_attendance_open(session, ctx.now())
    try:
        return await _record_attendance(req, ctx, session, req.form.get("people", ""))
    except UnknownPerson as exc:  # shown in the still-open form, beside the list to correct
        return FormErrors(errors={"people": str(exc)})


# How the platforms write a person they mention in what was typed: Slack <@U0123> (or <@U0123|jo>),
# Discord <@123> or <@!123>, Teams <@29:1aBcD> (the Teams adapter writes its mentions so).
_MENTION = re.compile(r"<@!?(?P<id>[^<>|\s]{1,120})(?:\|[^<>\s]{0,80})?>")
# A Teams user id, which carries a colon of its own: 29:1aBcD, 8:orgid:…
_TEAMS_USER = re.compile(r"\d{1,3}:[\w.:\-]{1,116}")


def _person(word: str, platform: str) -> tuple[str, str, bool]:
    """(platform, user id, named exactly) for one word of an attendance list; `platform` is where
    it was typed. A mention or a platform:user is named exactly; a bare user name may be a typo."""
    exact = True
    if mention := _MENTION.fullmatch(word):
        where, user = platform, mention.group("id")
    elif platform == "teams" and _TEAMS_USER.fullmatch(word):  # as the Teams form lists them, no "teams:"
        where, user = "teams", word
    else:
        where, sep, user = word.partition(":")
        if not sep:
            where, user, exact = platform, word, False
        where = where.lower()
    user = user.lstrip("@")
    if where not in PLATFORMS or not re.fullmatch(r"[\w.:\-]{1,120}", user):  # Teams ids: "29:1aBcD"
        raise UnknownPerson(
            f'"{echoed(word)}" is not a person I can record; mention them, or write user names (or platform:user) '
            "separated by spaces."
        )
    return where, user, exact


def _on_the_list(text: str, platform: str, session_id: int, known: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The people an attendance list names. A bare user name must be someone who replied to the
    session or is on its register: "bne" for "ben" would be recorded, and sent the survey, as
    someone nobody knows. Every such name is refused at once, with the nearest one."""
    from rapidfuzz import process

    present, strangers = set(), []
    for word in re.split(r"[\s,;]+", text):
        if not word:
            continue
        where, user, exact = _person(word, platform)
        if exact or (where, user) in known:
            present.add((where, user))
        else:
            strangers.append(word)
    if not strangers:
        return present
    names = [user for where, user in known if where == platform]
    said = []
    for word in strangers:
        nearest = process.extractOne(word, names, score_cutoff=60) if names else None
        said.append(f'"{echoed(word)}"' + (f" (did you mean {echoed(nearest[0])}?)" if nearest else ""))
    raise UnknownPerson(
        f"{', '.join(said)} did not reply to session {session_id} and {'is' if len(said) == 1 else 'are'} not on "
        f"its register. For someone who came without replying, {_named_exactly(platform)}."
    )


def _named_exactly(platform: str) -> str:
    """How to name someone who never replied: the console has no mentions."""
    if platform == "console":
        return "write console:name"
    return f"mention them or write {platform}:name"


async def _record_attendance(
    req: Request, ctx: Context, session: TrainingSession, text: str, *, typed: bool = False
) -> Reply:
    """`text` is the register (the form, prefilled with it), or a typed list: `add PEOPLE` puts them
    on it, `only PEOPLE` makes them the whole of it, and a plain list that would take people off a
    register already kept is refused (an outside audit: adding one latecomer to last year's session
    took 99 imported attendees off, and with them the annual report's figures)."""
    # Read and written in one transaction under the session's lock: two trainers saving at once
    # (or a form opened before the other's save) cannot take off someone the other just put on.
    async with ctx.db.transaction() as tx:
        await store.lock_session(tx, session.id)
        replied = await store.rsvps(tx, session.id)
        register = await store.attendance(tx, session.id)
        going = {(r.platform, r.user_id) for r in replied if r.status == GOING}
        was_present = {(a.platform, a.user_id) for a in register if a.attended}
        raw = typed_back(text).strip()
        how, _, listed = raw.partition(" ")
        how = how.lower() if typed and how.lower() in ("add", "only") and listed.strip() else ""
        if how:
            raw = listed.strip()
        if not raw or raw.lower() == "all":
            present = set(going)
        elif raw.lower() == "none":
            present = set()
        else:
            known = {(r.platform, r.user_id) for r in replied} | {(a.platform, a.user_id) for a in register}
            present = _on_the_list(raw, req.platform, session.id, known)
            if how == "add":  # to the register, or before there is one to everyone going, as the form starts
                present |= was_present or going
            elif typed and not how and was_present - present:
                raise UserError(_would_take_off(session.id, len(was_present), len(was_present - present), raw))
        # the list replaces the register: whoever it no longer names did not attend (nor gets the survey)
        marks = {who: True for who in present} | {who: False for who in (going | was_present) - present}
        await store.record_attendance(tx, session.id, marks, source="trainer", now=ctx.now())
    await ctx.audit(req, "training.attendance_marked", subject=str(session.id), detail=f"{len(present)} attended")
    absent = len(going - present)
    extra = f" {absent} who said they were going did not attend." if absent else ""
    taken_off = len(was_present - present - going)  # on the register before (imported, or typed earlier)
    if taken_off:
        extra += f" {taken_off} more on the register before this list are now marked as not attending."
    return reply(
        f"Recorded {len(present)} attendee(s) for session **{session.id}**, {plain_field(session.title)}.{extra} "
        "Attendees are the people the post-course survey goes to."
    )


def _would_take_off(session_id: int, kept: int, left_out: int, listed: str) -> str:
    shown = echoed(listed, 80)
    return (
        f"Session {session_id} has {kept} on its register already, and this list leaves {left_out} of them out, "
        f"so nothing was changed. To add to the register: /training attended {session_id} add {shown}. To make "
        f"this list the whole register: /training attended {session_id} only {shown}."
    )
