"""Post-training impact surveys: a few taps in the session's thread and by direct message.

- When a session ends, the post-course survey goes to its announcement thread(s) and by direct
  message to each attendee (or to those who said they were going, when no attendance was
  recorded). The follow-up goes SURVEY_FOLLOW_UP_DAYS after the session; one reminder goes to
  everyone invited SURVEY_REMINDER_DAYS after a survey opens (to everyone, so no chat says who had
  answered); a survey closes by
  itself SURVEY_OPEN_DAYS after it opens (a baseline closes when the session starts).
- `/survey send SESSION [KIND]` (trainers) sends now; `/survey close SESSION [KIND]` (admins)
  closes; `/survey status SESSION` shows how many have answered, never what.
- Buttons carry `survey:answer` with "survey.question.option", checked against the definition
  the survey was sent with. Free text comes through a form or a reply in the survey's thread.
- Confidential by design: answers are stored under an HMAC of platform, user id and survey
  (storage/surveys.py explains the tables); free text passes the identifiable-details guard, and a
  sentence holding a detail is taken out whole (a comment with nothing safe left is not saved);
  the ledger of who was invited exists only while the survey is open and is never written when
  someone answers, so nothing in it lines up with an answer.

The surveys themselves (questions, options, which impact measure each feeds) live in the
content pack's `surveys.yaml`. The figures and /impact are in impact.py beside this module, and
`sgbot report impact` in cli.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import Field, model_validator
from sqlalchemy.ext.asyncio import AsyncSession

from core import metrics
from core.config import FeatureSettings
from core.contentpack import Cited, ContentPack, Section, Strict
from core.context import Context
from core.lru import Lru
from core.model import (
    Button,
    Buttons,
    Caption,
    Form,
    FormErrors,
    FormField,
    Header,
    PromptRemoval,
    Reply,
    Request,
    RequestKind,
    Target,
    Text,
    UserError,
    reply,
)
from core.outbox import outgoing, post_all
from core.registry import action, command, job, on_sent, subcommand, thread_replies
from core.sanitise import inert_text, without_controls
from handlers.briefings import review_names
from handlers.contacts import public_numbers
from handlers.safety import (
    REMOVED_SENTENCES,
    find_identifiers,
    may_identify,
    warning_text,
    without_identifying_sentences,
)
from handlers.safety.findings import Finding
from storage import surveys as store
from storage.training import CANCELLED, TrainingSession, announcements, get_session, lock_session, sessions_by_id

log = logging.getLogger("sgbot.surveys")

KINDS = ("post-course", "follow-up", "pre-course")
KIND_NAMES = {"post-course": "post-course survey", "follow-up": "follow-up survey", "pre-course": "baseline survey"}
TAP_KINDS = ("scale", "single", "multiple", "yes_no")
MAX_TAPS = 4  # + a row for comment buttons = Discord's five rows of buttons
MAX_POST_COURSE_TAPS = 3
COMMENT_LIMIT = 1000
# A survey message is edited to say the survey closed; an edit that could not go out in this
# long (the platform away) is dropped rather than sent late.
CLOSED_EDIT_EXPIRY = dt.timedelta(days=7)
_SLUG = r"^[a-z0-9][a-z0-9_-]{0,39}$"


# --- the content-pack section ---------------------------------------------------------------------


class ImpactMeasure(Cited):
    """One of the figures the partnership reports each year, e.g. confidence recognising a concern."""

    id: str = Field(pattern=_SLUG)
    label: str = Field(min_length=3, max_length=80)


class AnswerOption(Strict):
    id: str = Field(pattern=_SLUG)  # stored with the answer, so keep it stable
    label: str = Field(min_length=1, max_length=75)  # a button label (Slack allows 75)
    # Multiple choice: an option that means none of the others ("None of these yet") is chosen
    # on its own; choosing it clears the others, and choosing another clears it.
    exclusive: bool = False


class SurveyQuestion(Strict):
    id: str = Field(pattern=_SLUG)
    text: str = Field(min_length=3, max_length=300)
    kind: Literal["scale", "single", "multiple", "yes_no", "text"]
    labels: list[str] = Field(default_factory=list)  # scale only: five labels, for 1 to 5
    options: list[AnswerOption] = Field(default_factory=list)  # single and multiple only
    measure: str | None = None  # an impact measure id, or none
    counts_if: list[str] = Field(default_factory=list)  # answers that count toward the measure
    button: str = Field(default="Add a comment", max_length=75)  # text only: the button that opens the form

    @model_validator(mode="after")
    def _fits_its_kind(self) -> SurveyQuestion:
        if self.kind == "scale":
            if len(self.labels) != 5 or any(not 1 <= len(label) <= 75 for label in self.labels):
                raise ValueError("a scale question needs exactly five labels (for 1 to 5), each 1-75 characters")
        elif self.labels:
            raise ValueError("only scale questions have labels; use options for single or multiple choice")
        if self.kind in ("single", "multiple"):
            if not 2 <= len(self.options) <= 5:
                raise ValueError("a choice question needs 2 to 5 options (one row of buttons)")
            ids = [o.id for o in self.options]
            if len(set(ids)) != len(ids):
                raise ValueError("option ids must be unique within a question")
            if self.kind == "single" and any(o.exclusive for o in self.options):
                raise ValueError("only multiple-choice options can be exclusive (a single choice is one answer)")
        elif self.options:
            raise ValueError(f"{self.kind} questions have no options")
        if self.kind == "text":
            if self.measure or self.counts_if:
                raise ValueError("free-text questions cannot feed a measure")
            return self
        if bool(self.measure) != bool(self.counts_if):
            raise ValueError("give both measure and counts_if, or neither")
        allowed = {value for value, _label in self.choices()}
        unknown = [v for v in self.counts_if if v not in allowed]
        if unknown:
            raise ValueError(f"counts_if has {', '.join(unknown)}; answers here are {', '.join(sorted(allowed))}")
        return self

    @property
    def is_tap(self) -> bool:
        return self.kind in TAP_KINDS

    def choices(self) -> list[tuple[str, str]]:
        """(stored value, button label) for each button, in button order."""
        if self.kind == "scale":
            return [(str(i), label) for i, label in enumerate(self.labels, 1)]
        if self.kind == "yes_no":
            return [("yes", "Yes"), ("no", "No")]
        return [(o.id, o.label) for o in self.options]

    def label_of(self, value: str) -> str:
        if self.kind == "text":
            return value
        labels = dict(self.choices())
        parts = [labels.get(v, v) for v in value.split(",") if v]
        if self.kind == "scale" and parts:
            return f"{parts[0]} ({value} of 5)"
        return ", ".join(parts) if parts else "nothing chosen"


class SurveyDefinition(Cited):
    id: Literal["post-course", "follow-up", "pre-course"]
    title: str = Field(min_length=3, max_length=120)
    intro: str = Field(min_length=3, max_length=600)
    questions: list[SurveyQuestion] = Field(min_length=1)

    @property
    def taps(self) -> list[SurveyQuestion]:
        return [q for q in self.questions if q.is_tap]

    @property
    def text_questions(self) -> list[SurveyQuestion]:
        return [q for q in self.questions if q.kind == "text"]


class SurveysPack(Strict):
    measures: list[ImpactMeasure] = Field(min_length=1)
    surveys: list[SurveyDefinition] = Field(min_length=1)

    def survey(self, kind: str) -> SurveyDefinition | None:
        return next((s for s in self.surveys if s.id == kind), None)

    def measure_labels(self) -> dict[str, str]:
        return {m.id: m.label for m in self.measures}


def _cross_check(pack: ContentPack, section: Any) -> Iterable[tuple[tuple[Any, ...], str]]:
    assert isinstance(section, SurveysPack)
    measure_ids = [m.id for m in section.measures]
    for i, measure in enumerate(section.measures):
        if measure_ids.index(measure.id) != i:
            yield ("measures", i, "id"), f"measure id {measure.id!r} is used twice"
    seen: set[str] = set()
    for s, survey in enumerate(section.surveys):
        if survey.id in seen:
            yield ("surveys", s, "id"), f"there are two {survey.id} surveys; keep one"
        seen.add(survey.id)
        limit = MAX_POST_COURSE_TAPS if survey.id == "post-course" else MAX_TAPS
        if len(survey.taps) > limit:
            yield (
                ("surveys", s, "questions"),
                f"the {survey.id} survey has {len(survey.taps)} tap questions; at most {limit} fit",
            )
        if len(survey.text_questions) > 5:
            yield ("surveys", s, "questions"), "at most five free-text questions fit one row of buttons"
        question_ids: set[str] = set()
        used: set[str] = set()
        for q, question in enumerate(survey.questions):
            where = ("surveys", s, "questions", q)
            if question.id in question_ids:
                yield (*where, "id"), f"question id {question.id!r} is used twice in the {survey.id} survey"
            question_ids.add(question.id)
            if question.measure is None:
                continue
            if question.measure not in measure_ids:
                yield (
                    (*where, "measure"),
                    f"unknown measure {question.measure!r}; measures are {', '.join(measure_ids)}",
                )
            elif question.measure in used:
                yield (*where, "measure"), f"measure {question.measure!r} is already asked in the {survey.id} survey"
            used.add(question.measure)
    for required in ("post-course", "follow-up"):
        if required not in seen:
            yield ("surveys",), f"the {required} survey is missing"


SECTION = Section("surveys", "surveys.yaml", SurveysPack, required=True, cross_check=_cross_check)


# --- feature state ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentSurvey:
    """What never changes about a survey once sent: cached so a button press costs one transaction.
    (`closes_at` can: a baseline's moves with its session. What is written from it reads the row.)"""

    id: int
    session_id: int
    kind: str
    definition: SurveyDefinition
    closes_at: dt.datetime


class SurveySettings(FeatureSettings):
    """The surveys' timing and the report's small-group rule, from the environment or .env."""

    # Free text (comments) is deleted this many days after it was given.
    survey_retention_days: int = Field(default=365, ge=1)
    # The follow-up goes this many days after a session, one reminder this many days after a
    # survey opens, and a survey closes (deleting its record of who answered) after this many days.
    survey_follow_up_days: int = Field(default=90, ge=1)
    survey_reminder_days: int = Field(default=3, ge=1)
    survey_open_days: int = Field(default=14, ge=1)
    # Any breakdown with fewer responses than this is not shown in reports, and a survey that
    # closes with fewer respondents keeps only their number (storage.surveys.close).
    report_min_group: int = Field(default=5, ge=1)


def survey_settings(ctx: Context) -> SurveySettings:
    return ctx.feature_settings(SurveySettings)


@dataclass
class _State:
    key: bytes
    surveys: dict[int, SentSurvey] = field(default_factory=dict)
    # comments held back once as possibly identifying, by a keyed digest (never the text): sent
    # again unchanged, the person has judged that it names nobody
    held_back: Lru[str, bool] = field(default_factory=lambda: Lru(512))
    # SQLite: the write-ahead log still holds pages a close deleted (a reader kept it from being
    # emptied), so every survey round tries again, open surveys or none. True at start: a process
    # that stopped before emptying it leaves the file as it was.
    log_to_empty: bool = True
    # the once-only clearing of small surveys' answers has run (storage.surveys.drop_small_surveys_answers)
    small_surveys_cleared: bool = False


def _state(ctx: Context) -> _State:
    return ctx.feature_state(_State, lambda: _State(key=ctx.settings.survey_key()))


def pseudonym(key: bytes, platform: str, user_id: str, survey_id: int) -> str:
    """The respondent code stored with answers: unlinkable to the person without the key, and
    different for each survey, so one person's surveys cannot be joined up."""
    message = f"{platform}\x1f{user_id}\x1f{survey_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def thread_pseudonym(key: bytes, platform: str, user_id: str, survey_id: int) -> str:
    """The code a comment replied in the survey's thread is kept under: not the person's own code.
    The channel sees who wrote the reply, so under their own code it would name their private
    button answers to anyone who reads the database or answers.csv."""
    message = f"thread\x1f{platform}\x1f{user_id}\x1f{survey_id}".encode()
    return store.THREAD_CODE + hmac.new(key, message, hashlib.sha256).hexdigest()[1:]


def _sent(row: store.Survey) -> SentSurvey:
    return SentSurvey(row.id, row.session_id, row.kind, SurveyDefinition.model_validate(row.definition), row.closes_at)


async def _load(ctx: Context, survey_id: int) -> SentSurvey | None:
    cache = _state(ctx).surveys
    if survey_id not in cache:
        async with ctx.db.transaction() as tx:
            row = await store.get_survey(tx, survey_id)
        if row is None:
            return None
        cache[survey_id] = _sent(row)
    return cache[survey_id]


def _pack(ctx: Context) -> SurveysPack:
    return ctx.pack.get(SurveysPack)


# --- wording ---------------------------------------------------------------------------------------


def _day(ctx: Context, when: dt.datetime) -> str:
    """ "Saturday 21 June", with its year when that is not this year's (an outside audit: a session
    of the year before read as if it were this June's)."""
    local = when.astimezone(ctx.zone)
    year = f" {local.year}" if local.year != ctx.local_now().year else ""
    return f"{local:%A} {local.day} {local:%B}{year}"


def session_line(ctx: Context, session: TrainingSession) -> str:
    return f"{session.title}, {_day(ctx, session.start_at)}"


UNKNOWN_SURVEY = "I can't find that survey, so nothing was recorded. Use the buttons on the latest survey message."
FORGED = (
    "That button doesn't match any answer in this survey, so nothing was recorded. "
    "Use the buttons on the survey message itself."
)


NOTHING_MORE = "Nothing more is needed from you for this course."


NOT_INVITED = (
    "This survey is for the delegates of that session, so your answer was not recorded. If you attended, "
    "ask the trainer to record your attendance and send the survey again."
)


# --- building the survey message ---------------------------------------------------------------------


def survey_message(
    ctx: Context, sent: SentSurvey, session: TrainingSession, *, public: bool, reminder: bool = False
) -> Reply:
    definition = sent.definition
    blocks: list[Any] = [Header(text=f"{definition.title} ({session.title})")]
    intro = definition.intro
    if reminder:
        # It goes to everyone invited (storage.surveys.claim_reminder), so it thanks those who answered.
        intro = (
            "A gentle reminder, the only one you'll get. If you have already answered, thank you: there is "
            "nothing more to do. If not, " + intro[0].lower() + intro[1:]
        )
    blocks.append(Text(text=intro))
    for q, question in enumerate(definition.questions):
        if not question.is_tap:
            continue
        number = definition.taps.index(question) + 1
        # the pack's text may already say "choose all that apply": then only how to undo is added
        says_so = "all that apply" in question.text.lower()
        hint = (
            ""
            if question.kind != "multiple"
            else " _(tap again to undo)_"
            if says_so
            else " _(tap any that apply; tap again to undo)_"
        )
        blocks.append(Text(text=f"**{number}. {question.text}**{hint}"))
        blocks.append(
            Buttons(
                buttons=[
                    Button(label=label, action_id="survey:answer", value=f"{sent.id}.{q}.{o}")
                    for o, (_value, label) in enumerate(question.choices())
                ]
            )
        )
    texts = [(q, question) for q, question in enumerate(definition.questions) if question.kind == "text"]
    if texts:
        blocks.append(
            Buttons(
                buttons=[
                    Button(label=question.button, action_id="survey:comment", value=f"{sent.id}.{q}")
                    for q, question in texts
                ]
            )
        )
    comment_hint = "Use the button to add a comment. " if texts else ""
    blocks.append(
        Caption(
            text=f"{session_line(ctx, session)}. {comment_hint}Please leave out names or details of children "
            f"and families. You can change an answer until the survey closes on {_day(ctx, sent.closes_at)}."
        )
    )
    posted = reply(*blocks, public=public, summary=f"{definition.title} ({session.title})")
    if public and texts:
        # Shown only where the bot reads the thread's replies (Reply.reply_hint).
        posted.reply_hint = "You can also add a comment by replying in this thread."
    return posted


def closed_message(
    ctx: Context, definition: SurveyDefinition, session: TrainingSession, closed_at: dt.datetime, *, public: bool
) -> Reply:
    """What a survey message says once the survey has closed. Everyone's copy says the same, so
    no copy tells who answered."""
    return reply(
        Header(text=f"{definition.title} ({session.title})"),
        Text(
            text=f"This survey closed on {_day(ctx, closed_at)}, so it takes no more answers. "
            "Thank you to everyone who answered."
        ),
        Caption(text=f"{session_line(ctx, session)}."),
        public=public,
        summary=f"{definition.title} ({session.title}): closed",
    ).model_copy(update={"replace_original": True})


async def _say_closed(ctx: Context, tx: AsyncSession, survey_id: int) -> None:
    """Queue, in the closing transaction, an edit of each posted direct message and thread post.
    (One still being posted is edited once it is out: survey_post_sent.)"""
    posts = [
        (post.key.split(":", 2)[2], Target.model_validate(post.target), post.message_id)  # dm:<p>:<u>, thread:<a>
        for post in await store.posted_messages(tx, survey_id)
    ]
    await _queue_closed_edits(ctx, tx, survey_id, posts)


async def _queue_closed_edits(
    ctx: Context, tx: AsyncSession, survey_id: int, posts: list[tuple[str, Target, str]]
) -> None:
    row = await tx.get(store.Survey, survey_id)
    session = await get_session(tx, row.session_id) if row is not None else None
    if row is None or session is None or row.closed_at is None:
        return
    definition = SurveyDefinition.model_validate(row.definition)
    now = ctx.now()
    edits = []
    for where, posted_to, message_id in posts:
        target = posted_to.model_copy(update={"message_id": message_id})
        closed = closed_message(ctx, definition, session, row.closed_at, public=target.kind == "thread")
        edits.append(
            outgoing(f"survey:{survey_id}:closed:{where}", closed, to=target, due=now, expires=now + CLOSED_EDIT_EXPIRY)
        )
    await post_all(tx, edits, now=now)  # a key queued already (by the close) is left alone


async def session_moved(ctx: Context, tx: AsyncSession, session: TrainingSession) -> int:
    """A session moved to a new start: its open pre-course survey closes at the new start
    (storage.surveys.follow_session_start), and each copy of it already posted, every direct
    message and the thread post alike, is edited to the new date and closing day, buttons kept (a
    trainer audit: the copies still said the old ones). Everyone's copy says the same. Returns how
    many surveys moved."""
    moved = await store.follow_session_start(tx, session.id, session.start_at)
    if not moved:
        return 0
    now = ctx.now()
    for row in await store.surveys_of_session(tx, session.id):
        if row.kind != "pre-course" or row.status != store.OPEN:
            continue
        _state(ctx).surveys.pop(row.id, None)  # its closing day changed
        sent = _sent(row)
        edits = []
        for post in await store.posted_messages(tx, row.id):
            where = post.key.split(":", 2)[2]  # dm:<platform>:<user>, thread:<announcement>
            target = Target.model_validate(post.target).model_copy(update={"message_id": post.message_id})
            again = survey_message(ctx, sent, session, public=target.kind == "thread")
            edits.append(
                outgoing(
                    f"survey:{row.id}:moved:{session.version}:{where}",
                    again.model_copy(update={"replace_original": True}),
                    to=target,
                    due=now,
                    expires=row.closes_at,
                )
            )
        await post_all(tx, edits, now=now)
    return moved


@on_sent("surveys")
async def survey_post_sent(ctx: Context, ref: str, platform: str, target: Target, message_id: str) -> None:
    """A survey message is out. If its survey closed while it was on its way (an early close as the
    messages went out), it is edited now to say so, like every message posted before the close."""
    survey_id, _, where = ref.partition(":")
    async with ctx.db.transaction() as tx:
        row = await store.get_survey(tx, int(survey_id))
        if row is not None and row.status == store.CLOSED:
            await _queue_closed_edits(ctx, tx, row.id, [(where, target, message_id)])


# --- sending -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    survey: store.Survey
    invited: int
    queued: int
    threads: int


def _timings(ctx: Context, kind: str, session: TrainingSession) -> tuple[dt.datetime | None, dt.datetime]:
    """(when to remind, when to close) for a survey opening now."""
    now = ctx.now()
    settings = survey_settings(ctx)
    closes = session.start_at if kind == "pre-course" else now + dt.timedelta(days=settings.survey_open_days)
    remind: dt.datetime | None = now + dt.timedelta(days=settings.survey_reminder_days)
    if remind is not None and remind >= closes:
        remind = None
    return remind, closes


async def _people(tx: AsyncSession, session_id: int, kind: str) -> list[tuple[str, str]]:
    """Who a survey of this kind asks: those booked for a baseline, the delegates otherwise."""
    return await (store.booked(tx, session_id) if kind == "pre-course" else store.delegates(tx, session_id))


async def send_survey(ctx: Context, session: TrainingSession, kind: str) -> SendResult:
    """Open the survey (if it is not open yet), invite the delegates, and queue the posts, all in
    one transaction: a survey is never left open with nobody asked.

    Safe to repeat: the ledger and the outbox keys make a second call add only what is new."""
    definition = _pack(ctx).survey(kind)
    if definition is None:
        raise UserError(f"The content pack has no {kind} survey, so there is nothing to send.")
    remind_at, closes_at = _timings(ctx, kind, session)
    now = ctx.now()
    async with ctx.db.transaction() as tx:
        people = await _people(tx, session.id, kind)
        threads = await announcements(tx, session.id, posted_only=True)
    async with ctx.db.transaction() as tx:
        # Under the session's lock, as /training edit reads the surveys before it changes the
        # course: the survey goes out under the course the session has once the edit is done.
        session = await lock_session(tx, session.id) or session
        if session.status == CANCELLED:  # cancelled since the caller read it
            raise UserError(f"Session {session.id} was cancelled, so there is nobody to survey.")
        row = await store.open_survey(
            tx,
            session_id=session.id,
            kind=kind,
            definition=definition.model_dump(mode="json"),
            now=now,
            remind_at=remind_at,
            closes_at=closes_at,
        )
        if row.status != store.OPEN:
            return SendResult(row, row.invited, 0, 0)
        ledger = await store.invite(tx, row.id, people)
        sent = _sent(row)
        direct = survey_message(ctx, sent, session, public=False)
        messages = [
            outgoing(
                f"survey:{row.id}:dm:{platform}:{user}",
                direct,
                to=Target(kind="direct", platform=platform, user_id=user),
                due=now,
                expires=row.closes_at,
                on_sent=f"surveys:{row.id}:dm:{platform}:{user}",
            )
            for platform, user in ledger
        ]
        posted = survey_message(ctx, sent, session, public=True)
        for announcement in threads:
            assert announcement.message_id is not None
            target = Target(
                kind="thread",
                platform=announcement.platform,
                channel_id=announcement.channel_id,
                thread_id=announcement.message_id,
            )
            where = f"thread:{announcement.id}"
            messages.append(
                outgoing(
                    f"survey:{row.id}:{where}",
                    posted,
                    to=target,
                    due=now,
                    expires=row.closes_at,
                    on_sent=f"surveys:{row.id}:{where}",
                )
            )
            await store.claim_thread(
                tx,
                platform=announcement.platform,
                channel_id=announcement.channel_id,
                thread_id=announcement.message_id,
                survey_id=row.id,
                now=now,
            )
        queued = await post_all(tx, messages, now=now)
    _state(ctx).surveys[row.id] = sent
    try:
        await store.settle_ledger(ctx.db, row.id)
    except Exception as exc:  # the survey went out; the next survey round reads them again
        log.warning("survey %s: its invitation list could not be read back just after sending: %s", row.id, exc)
    return SendResult(row, len(ledger), queued, len(threads))


async def close_survey(ctx: Context, survey_id: int, req: Request | None = None) -> store.Closed | None:
    """Close a survey: late answers are refused, the completion ledger is deleted, unsent posts are
    dropped, and every survey message already posted is edited to say it has closed, with no
    buttons left to press (whether it closed on its day or an admin closed it early). None if it
    had closed already."""
    async with ctx.db.transaction() as tx:
        closed = await store.close(
            tx,
            survey_id,
            now=await ctx.agreed_now(tx),
            key=_state(ctx).key,
            min_group=survey_settings(ctx).report_min_group,
        )
        if closed:
            await _say_closed(ctx, tx, survey_id)
    if closed:
        # SQLite: the log holds the sealed rows the close deleted; copied into the file (where
        # deleted rows are zeroed) and emptied now, not when some later write fills it. A reader
        # (a backup, a long report) can keep it from being emptied: then every round tries again.
        if not await store.empty_write_ahead_log(ctx.db):
            _state(ctx).log_to_empty = True
            log.warning(
                "survey %s closed, but a reader kept the database's log from being emptied; tried again each minute",
                survey_id,
            )
        # answers sealed under another SURVEY_SECRET are lost: said where the business unit looks
        await ctx.audit(req, "survey.closed", subject=str(survey_id), detail=lost_answers(closed.unreadable))
    return closed


def lost_answers(unreadable: int) -> str:
    """What a close says of answers it could not open, or nothing."""
    if not unreadable:
        return ""
    return (
        f"the answers of {unreadable} respondent(s) could not be opened: they were sealed under another "
        "SURVEY_SECRET, so they are lost and not counted"
    )


async def _send_reminder(ctx: Context, survey: store.Survey) -> int:
    async with ctx.db.transaction() as tx:
        session = await get_session(tx, survey.session_id)
    sent = await _load(ctx, survey.id)
    if session is None or sent is None:
        return 0
    # the closing day as it is now: a baseline's moves with its session (session_moved)
    sent = replace(sent, closes_at=survey.closes_at)
    message = survey_message(ctx, sent, session, public=False, reminder=True)
    async with ctx.db.transaction() as tx:
        now = await ctx.agreed_now(tx)
        invited = await store.claim_reminder(tx, survey.id, now=now)
        reminders = [
            outgoing(
                f"survey:{survey.id}:reminder:{platform}:{user}",
                message,
                to=Target(kind="direct", platform=platform, user_id=user),
                due=now,
                expires=survey.closes_at,
            )
            for platform, user in invited or []
        ]
        return await post_all(tx, reminders, now=now)


@job("surveys", every_seconds=60)
async def survey_rounds(ctx: Context) -> None:
    """Open surveys for sessions that ended, follow up, remind once, close, and purge old free text.
    Every replica decides by the database's clock (ctx.agreed_now): a leader whose own clock ran
    fast closed surveys early (a baseline before its session began) and opened them before the
    session ended (outside audit, platforms #2)."""
    settings = survey_settings(ctx)
    window = dt.timedelta(days=settings.survey_open_days)
    # Each read below is a transaction of its own, closed before anything is sent: each send is
    # its own unit of work (send_survey).
    async with ctx.db.transaction() as tx:
        now = await ctx.agreed_now(tx)
        ended = await store.sessions_ended_between(tx, now - window, now)
        surveyed = await store.session_ids_with(tx, "post-course", [s.id for s in ended])
        asked = await store.sessions_with_delegates(tx, [s.id for s in ended if s.id not in surveyed])
        due = [s for s in ended if s.id in asked]
    for session in due:
        result = await send_survey(ctx, session, "post-course")
        await ctx.audit(None, "survey.opened", subject=str(result.survey.id), detail=f"session {session.id}")
    follow_up = dt.timedelta(days=settings.survey_follow_up_days)
    async with ctx.db.transaction() as tx:
        posts = await store.surveys_to_follow_up(tx, ended_before=now - follow_up, ended_after=now - follow_up - window)
        followed = await sessions_by_id(tx, [p.session_id for p in posts])
        asked = await store.sessions_with_delegates(tx, followed)
        due = [followed[i] for i in dict.fromkeys(p.session_id for p in posts) if i in asked]
    for session in due:
        result = await send_survey(ctx, session, "follow-up")
        await ctx.audit(None, "survey.opened", subject=str(result.survey.id), detail=f"session {session.id}")
    try:  # rows a person's own press would otherwise read first (store.settle_ledger)
        await store.settle_ledger(ctx.db)
    except Exception as exc:
        log.warning("the open surveys' invitation lists could not be read back this round: %s", exc)
    async with ctx.db.transaction() as tx:
        still_open = await store.open_surveys(tx)
        # a survey whose session was cancelled closes now (/training cancel closes it at once; this
        # catches one that close could not finish), and is never reminded of
        sessions = await sessions_by_id(tx, [s.session_id for s in still_open])
    cancelled = {i for i, s in sessions.items() if s.status == CANCELLED}
    for survey in still_open:
        try:
            if survey.closes_at <= now or survey.session_id in cancelled:
                await close_survey(ctx, survey.id)
            elif survey.remind_at is not None and survey.remind_at <= now and survey.reminded_at is None:
                await _send_reminder(ctx, survey)
        except Exception:  # noqa: BLE001 - one survey that fails must not hold up the others
            log.exception("closing or reminding survey %s failed; it is tried again next round", survey.id)
    # PostgreSQL: answers given in the clear before answers were sealed (a survey open across that
    # upgrade) lose their own transaction id and place on disk (storage/surveys.py).
    async with ctx.db.transaction() as tx:
        unordered = await store.surveys_to_reorder(tx)
    for survey_id in unordered:
        async with ctx.db.transaction() as tx:
            await store.reorder_answers(tx, survey_id)
    # SQLite: the write-ahead log keeps the order the sealed rows were written in, and a close's
    # deleted rows until it is emptied; empty it while any survey is open or a close is owed it.
    state = _state(ctx)
    if still_open or state.log_to_empty:
        state.log_to_empty = not await store.empty_write_ahead_log(ctx.db)
    retention = dt.timedelta(days=settings.survey_retention_days)
    async with ctx.db.transaction() as tx:
        purged = await store.purge_free_text(tx, older_than=now - retention, now=now)
    if purged:
        log.info("deleted %d free-text survey answers past the retention period", purged)
    # surveys closed below the minimum group by a version that wrote their answers out
    if not state.small_surveys_cleared:
        async with ctx.db.transaction() as tx:
            dropped = await store.drop_small_surveys_answers(tx, settings.report_min_group, now=now)
        state.small_surveys_cleared = True
        if dropped:
            log.info("deleted the answers of %d closed surveys below the minimum group", dropped)


# --- answering ---------------------------------------------------------------------------------------


def _new_answer(question: SurveyQuestion, value: str) -> store.NewAnswer:
    counts = set(question.counts_if)
    return store.NewAnswer(
        question=question.id,
        value=value,
        measure=question.measure,
        score=int(value) if question.kind == "scale" else None,
        positive=(value in counts) if question.measure and question.kind != "multiple" else None,
        counting=tuple(question.counts_if),
        exclusive=tuple(o.id for o in question.options if o.exclusive),
    )


def _confirmation(sent: SentSurvey, question: SurveyQuestion, saved: store.Saved, value: str) -> str:
    shown = question.label_of(value)
    if question.kind == "multiple" and not value.strip(","):  # every choice tapped off again
        line = f"**{question.text}**\nRecorded: nothing is chosen now."
    elif question.kind == "multiple":
        line = f"**{question.text}**\nRecorded: your choices are now _{shown}_."
    elif saved.previous is not None and saved.previous != value:
        line = f"**{question.text}**\nChanged from _{question.label_of(saved.previous)}_ to _{shown}_."
    else:
        line = f"**{question.text}**\nRecorded: _{shown}_."
    taps = len(sent.definition.taps)
    answered_taps = min(saved.answered, taps)
    if answered_taps >= taps:
        more = "Thank you, that's every question. "
        if sent.definition.text_questions:
            more += "You can still add a comment, or change an answer until the survey closes."
        else:
            more += "You can change an answer until the survey closes."
    else:
        more = f"You have answered {answered_taps} of {taps} questions; each answer counts on its own."
    return f"{line}\n{more}"


@action("survey:answer", pattern=r"^\d{1,9}\.\d{1,2}\.\d{1,2}$")
async def answer(req: Request, ctx: Context) -> Reply:
    survey_id, q, o = (int(part) for part in req.value.split("."))
    sent = await _load(ctx, survey_id)
    if sent is None:
        raise UserError(UNKNOWN_SURVEY)
    questions = sent.definition.questions
    if q >= len(questions) or not questions[q].is_tap or o >= len(questions[q].choices()):
        log.info("refused a survey answer that is not in survey %s's definition", survey_id)
        raise UserError(FORGED)
    question = questions[q]
    value = question.choices()[o][0]
    # Alone on a connection of its own, never in a unit of work with other writes (storage/surveys.py).
    saved = await store.save_answer(
        ctx.db,
        survey_id=survey_id,
        respondent=pseudonym(_state(ctx).key, req.platform, req.user_id, survey_id),
        platform=req.platform,
        user_id=req.user_id,
        answer=_new_answer(question, value),
        key=_state(ctx).key,
        toggle=question.kind == "multiple",
    )
    # Everything above has committed; only now may the reply thank anyone.
    if not saved.stored:
        raise await _refusal(ctx, survey_id, saved.reason)
    metrics.SURVEY_ANSWERS.inc()
    # The summary is what a chat that keeps everything (Teams) shows: the same for every press of
    # every question, so what a compliance reader sees says neither the answer nor which question
    # it was (two wordings told apart those who had answered a multiple choice).
    confirmation = reply(_confirmation(sent, question, saved, saved.value), summary=ANSWER_SUMMARY)
    return confirmation.model_copy(update={"transient": True})  # the answer is never kept in a chat


async def _refusal(ctx: Context, survey_id: int, reason: str | None) -> UserError:
    """Why an answer was not stored; a closed survey names the day it really closed (an admin may
    have closed it before the day its message gives)."""
    if reason != "closed":
        return UserError(NOT_INVITED)
    async with ctx.db.transaction() as tx:
        row = await store.get_survey(tx, survey_id)
    return UserError(_closed_text(ctx, row))


def _closed_text(ctx: Context, row: store.Survey | None, *, so: str = "that answer was not recorded") -> str:
    when = "has closed" if row is None or row.closed_at is None else f"closed on {_day(ctx, row.closed_at)}"
    return f"This survey {when}, so {so}. {NOTHING_MORE}"


def _text_question(sent: SentSurvey, q: int) -> SurveyQuestion:
    questions = sent.definition.questions
    if q >= len(questions) or questions[q].kind != "text":
        raise UserError(FORGED)
    return questions[q]


async def _open_for(ctx: Context, req: Request, survey_id: int) -> SentSurvey:
    sent = await _load(ctx, survey_id)
    if sent is None:
        raise UserError(UNKNOWN_SURVEY)
    async with ctx.db.transaction() as tx:
        row = await store.get_survey(tx, survey_id)
        invited = await store.is_invited(tx, survey_id, req.platform, req.user_id)
    if row is None or row.status != store.OPEN:
        # "Add a comment" pressed after the close: nothing was answered, so nothing "was not recorded"
        raise UserError(_closed_text(ctx, row, so="comments can no longer be added"))
    if not invited:
        raise UserError(NOT_INVITED)
    return sent


@action("survey:comment", pattern=r"^\d{1,9}\.\d{1,2}$")
async def comment_form(req: Request, ctx: Context) -> Reply:
    survey_id, q = (int(part) for part in req.value.split("."))
    sent = await _open_for(ctx, req, survey_id)
    question = _text_question(sent, q)
    form = Form(
        action_id="survey:comment_save",
        title="Your comment",
        value=req.value,
        submit_label="Save comment",
        fields=[
            FormField(
                id="comment",
                label=question.text[:45] if len(question.text) <= 45 else "Your comment",
                kind="multiline",
                required=False,
                placeholder="No names or details of children or families, please.",
                max_length=COMMENT_LIMIT,
            )
        ],
    )
    return Reply(form=form)


# what a press leaves in a chat that keeps everything (Teams): true whatever was pressed, even a
# ticked choice taken away, and naming no answer and no question
ANSWER_SUMMARY = "Survey answer recorded"

HELD_BACK = (
    "I haven't saved this comment: it reads as if it may point to a particular child or family, or to you. "
    "Please take out names and anything else that could identify them (ages with places, addresses, "
    "dates of birth) or you (where you work, your post there, a staff number) and send it again. If it "
    "points to nobody, send it again unchanged and I'll save it."
)


NOT_SAVED_IDENTIFYING = (
    "I haven't saved this comment: what is left once the details that could identify a child, a family or "
    "you are taken out (names, and the ages, schools, streets or dates beside them; where you work and your "
    "staff number) says nothing, or may still identify someone. Please send it again in general terms: what "
    "you learned, or will do differently, is what the survey needs."
)


def _kept_comment(ctx: Context, text: str, findings: list[Finding]) -> tuple[str | None, int]:
    """What of a comment may be stored, and how many sentences were taken out; None when nothing
    safe is left to store. A sentence holding a detail goes whole, and what is left is read again
    (a second sentence about "her" may still hold the school and the age)."""
    kept, removed = without_identifying_sentences(text, findings)
    if not removed:
        return kept, 0
    rest = kept.replace(REMOVED_SENTENCES, " ")
    if not any(c.isalpha() for c in rest) or _screen(ctx, rest) or may_identify(rest):
        return None, removed
    return kept, removed


TOO_LONG = (
    f"Your earlier comment and {{what}} together would be over {COMMENT_LIMIT} characters, so {{what}} was "
    "not added; your earlier comment is kept as it was. Please send a shorter one."
)


def _screen(ctx: Context, text: str) -> list[Finding]:
    # The partnership's own published numbers identify nobody, in a comment as in a lookup.
    return find_identifiers(
        text, public_numbers=public_numbers(ctx.pack), review_names=review_names(ctx.pack), about_training=True
    )


async def _may_still_answer(ctx: Context, req: Request, survey_id: int) -> bool:
    async with ctx.db.transaction() as tx:
        survey = await store.get_survey(tx, survey_id)
        return (
            survey is not None
            and survey.status == store.OPEN
            and await store.is_invited(tx, survey_id, req.platform, req.user_id)
        )


async def _held_back(ctx: Context, req: Request, survey_id: int, text: str, findings: list[Finding]) -> bool:
    """Whether a comment the patterns found nothing in is held back because the guard's second
    reader takes it to identify someone; the same comment sent again by the same person is not.
    Only for someone who may still answer: anyone else's is refused with its own reason (closed, not
    invited) or, in a thread, left alone as chat."""
    if findings or not may_identify(text):
        return False  # the patterns will take the details out, or there is nothing to hold back
    if not await _may_still_answer(ctx, req, survey_id):
        return False
    state = _state(ctx)
    key = hmac.new(
        state.key, f"{req.platform}\x1f{req.user_id}\x1f{survey_id}\x1f{text}".encode(), "sha256"
    ).hexdigest()
    if state.held_back.recall(key):
        return False
    state.held_back.keep(key, True)
    return True


_SPACES = re.compile(r"[ \t\u00a0]+")  # runs of spaces, tabs and no-break spaces, as summary.md shows them


async def _save_comment(
    ctx: Context,
    req: Request,
    sent: SentSurvey,
    question: SurveyQuestion,
    kept_text: str,
    *,
    in_thread: bool = False,
) -> tuple[store.Saved, str]:
    # runs of spaces closed up (a trainer audit: "Used the   flowchart  twice." went into answers.csv
    # as typed while summary.md closed them up); line breaks stay, and a line's indent as one space
    # and no control or bidirectional-override characters, which answers.csv and .xlsx would keep
    # and a spreadsheet would obey (an outside audit, seventeenth session)
    kept = without_controls(kept_text)
    stored = "\n".join(_SPACES.sub(" ", line).rstrip() for line in kept.split("\n")).strip()
    code = thread_pseudonym if in_thread else pseudonym
    saved = await store.save_answer(
        ctx.db,
        survey_id=sent.id,
        respondent=code(_state(ctx).key, req.platform, req.user_id, sent.id),
        platform=req.platform,
        user_id=req.user_id,
        answer=store.NewAnswer(question=question.id, value=stored, free_text=True),
        key=_state(ctx).key,
        # A later comment is added to the earlier one, never put in its place unseen.
        add_within=COMMENT_LIMIT,
    )
    if saved.stored:
        metrics.SURVEY_ANSWERS.inc()
    return saved, stored


def _comment_confirmation(saved: store.Saved, stored: str, removed: int) -> list[str]:
    # The delegate's own words, shown back as plain text: no link, mention or formatting.
    if saved.previous is None:
        lines = [f"Recorded your comment, under a code rather than your name:\n> {inert_text(stored)}"]
    elif saved.value == saved.previous:
        lines = [f"You had already sent this comment, so it is kept once, under a code:\n> {inert_text(stored)}"]
    else:
        lines = [f"Added to your earlier comment, under a code rather than your name:\n> {inert_text(stored)}"]
    if removed:
        lines.append(
            f"I took out {removed} sentence{'s' if removed != 1 else ''} that could identify someone "
            f"before saving it. {warning_text()}"
        )
    return lines


@action("survey:comment_save", pattern=r"^\d{1,9}\.\d{1,2}$")
async def comment_save(req: Request, ctx: Context) -> Reply | FormErrors:
    if req.kind is not RequestKind.SUBMIT:
        raise UserError(FORGED)
    survey_id, q = (int(part) for part in req.value.split("."))
    sent = await _load(ctx, survey_id)
    if sent is None:
        raise UserError(UNKNOWN_SURVEY)
    question = _text_question(sent, q)
    text = req.form.get("comment", "").strip()
    if len(text) > COMMENT_LIMIT:
        return FormErrors(errors={"comment": f"Please keep it under {COMMENT_LIMIT} characters."})
    if not text:
        return reply("The comment was empty, so nothing was recorded.")
    findings = _screen(ctx, text)
    if await _held_back(ctx, req, sent.id, text, findings):
        return FormErrors(errors={"comment": HELD_BACK})
    kept_text, removed = _kept_comment(ctx, text, findings)
    if kept_text is None:
        return FormErrors(errors={"comment": NOT_SAVED_IDENTIFYING})
    saved, stored = await _save_comment(ctx, req, sent, question, kept_text)
    if saved.reason == "too_long":
        return FormErrors(errors={"comment": TOO_LONG.format(what="this comment")})
    if not saved.stored:
        raise await _refusal(ctx, sent.id, saved.reason)
    confirmation = reply(*_comment_confirmation(saved, stored, removed), summary="Survey comment recorded")
    return confirmation.model_copy(update={"transient": True})  # the comment is never kept in a chat


@thread_replies("surveys")
async def thread_comment(req: Request, ctx: Context) -> Reply | None:
    """A reply in a survey's thread counts as that delegate's comment; others' chat is left alone."""
    if not req.value.isdigit():
        return None
    sent = await _load(ctx, int(req.value))
    text = req.text.strip()
    if sent is None or not sent.definition.text_questions or not text:
        return None
    question = sent.definition.text_questions[0]
    if len(text) > COMMENT_LIMIT:
        # Not cut to fit: the part left out would be lost while the reply said it was recorded.
        return reply(
            f"That reply is {len(text):,} characters; a survey comment can be up to {COMMENT_LIMIT:,}, so it was "
            "not recorded. Please post a shorter one in the thread, or use the comment button on the survey."
        )
    findings = _screen(ctx, text)
    if await _held_back(ctx, req, sent.id, text, findings):
        return reply(
            HELD_BACK, "If your reply in the thread names someone, please delete it (open its menu, choose Delete)."
        )
    kept_text, removed = _kept_comment(ctx, text, findings)
    if kept_text is None:
        if not await _may_still_answer(ctx, req, sent.id):
            return None  # someone else's chat, or a closed survey: not a comment to refuse
        return reply(NOT_SAVED_IDENTIFYING).model_copy(update={"remove_prompt": _THREAD_REPLY_REMOVAL})
    saved, stored = await _save_comment(ctx, req, sent, question, kept_text, in_thread=True)
    if saved.reason == "too_long":
        return reply(TOO_LONG.format(what="this reply"))
    if not saved.stored:
        if saved.reason != "closed":
            return None
        async with ctx.db.transaction() as tx:
            delegate = (req.platform, req.user_id) in await store.delegates(tx, sent.session_id)
            row = await store.get_survey(tx, sent.id)
        if not delegate:
            return None
        # The day it really closed: an admin may have closed it before its planned date.
        closed_on = row.closed_at if row is not None and row.closed_at is not None else sent.closes_at
        return reply(
            f"The survey for this session closed on {_day(ctx, closed_on)}, so your reply was not "
            "recorded as a survey comment."
        )
    lines = _comment_confirmation(saved, stored, removed)
    lines.append(
        "Your reply in the thread can be seen by others in the channel, so it is kept apart from your "
        "button answers; the button gives a private comment."
    )
    answer = reply(*lines, summary="Survey comment recorded")
    if removed:
        # The saved comment is clean, but the reply itself still shows the details to the channel.
        answer = answer.model_copy(update={"remove_prompt": _THREAD_REPLY_REMOVAL})
    return answer


_THREAD_REPLY_REMOVAL = PromptRemoval(
    removed="I've deleted your reply from the thread, so the details are no longer on show.",
    not_removed="Your reply still shows those details to everyone in the channel: please delete it "
    "(open the message's menu and choose Delete).",
)


# --- /survey -------------------------------------------------------------------------------------


def _kind_arg(words: list[str], default: str) -> str:
    if not words:
        return default
    kind = words[0].lower()
    aliases = {"baseline": "pre-course", "post": "post-course", "followup": "follow-up", "follow": "follow-up"}
    kind = aliases.get(kind, kind)
    if kind not in KINDS:
        raise UserError(f"{words[0][:30]!r} is not a survey; use post-course, follow-up or pre-course.")
    return kind


async def session_arg(ctx: Context, words: list[str], usage: str) -> TrainingSession:
    if not words or not re.fullmatch(r"#?\d+", words[0]):
        raise UserError(f"Give the session number, e.g. {usage}. The number is on the session's announcement.")
    digits = words[0].lstrip("#").lstrip("0") or "0"
    session = None
    if len(digits) <= 9:  # longer is no session's number (and would overflow the column)
        async with ctx.db.transaction() as tx:
            session = await get_session(tx, int(digits))
    if session is None:
        shown = digits if len(digits) <= 12 else f"{digits[:12]}…"
        raise UserError(f"There is no session {shown}; check the number on the announcement.")
    return session


@command(
    "survey",
    help="Send, close or check a session's impact survey.",
    long_help=(
        "Surveys go out by themselves when a session ends, with a follow-up later and one reminder. "
        "Use `/survey send 12` to send the post-course survey for session 12 now, `/survey send 12 follow-up` "
        "for the follow-up, or `/survey send 12 pre-course` for a baseline before the session. "
        "`/survey status 12` shows how many have answered (never what). Admins can `/survey close 12`."
    ),
    role="trainer",
)
async def survey_command(req: Request, ctx: Context) -> Reply:
    """Only reached when the text starts with none of the sub-commands below."""
    if not req.text.strip():
        raise UserError("Try /survey send 12, /survey status 12 or /survey close 12 (12 being the session number).")
    raise UserError(ctx.registry.unknown_subcommand_text("survey", req.words[0]))


@subcommand("survey", "send", usage="SESSION [post-course|follow-up|pre-course]", help="send a session's survey now.")
async def survey_send(req: Request, ctx: Context) -> Reply:
    return await _send_command(req, ctx, req.words)


@subcommand(
    "survey",
    "close",
    usage="SESSION [KIND]",
    help="close a session's open surveys; late answers are then refused.",
    role="admin",
    refusal="close a survey",
)
async def survey_close(req: Request, ctx: Context) -> Reply:
    return await _close_command(req, ctx, req.words)


@subcommand("survey", "status", usage="SESSION", help="how many have answered (never what).")
async def survey_status(req: Request, ctx: Context) -> Reply:
    return await _status_command(ctx, req.words)


async def _send_command(req: Request, ctx: Context, words: list[str]) -> Reply:
    session = await session_arg(ctx, words, "/survey send 12")
    kind = _kind_arg(words[1:], "post-course")
    now = ctx.now()
    if session.status == CANCELLED:
        raise UserError(f"Session {session.id} was cancelled, so there is nobody to survey.")
    if kind == "pre-course" and session.start_at <= now:
        raise UserError(f"Session {session.id} has already started, so a baseline survey would come too late.")
    if kind != "pre-course" and session.start_at > now:
        raise UserError(
            f"Session {session.id} hasn't started yet ({_day(ctx, session.start_at)}); "
            f"the {KIND_NAMES[kind]} can go once it has."
        )
    async with ctx.db.transaction() as tx:
        people = await _people(tx, session.id, kind)
        existing = await store.survey_for(tx, session.id, kind)
    if not people and kind == "pre-course":
        # Before the session there is no attendance to record: the baseline asks whoever replied Going.
        async with ctx.db.transaction() as tx:
            announced = await announcements(tx, session.id, posted_only=True)
        send = "Send" if announced else f"Announce it (/training announce {session.id} CHANNEL), then send"
        raise UserError(
            f"Nobody has replied Going to session {session.id} yet, so there is nobody to ask. "
            f"{send} the {KIND_NAMES[kind]} once people have replied Going, any time before it "
            f"starts ({_day(ctx, session.start_at)})."
        )
    if not people:
        raise UserError(
            f"Nobody has attended or said they were going for session {session.id}, so there is nobody to ask. "
            "Record attendance first."
        )
    if existing is not None and existing.status != store.OPEN:
        raise UserError(f"The {KIND_NAMES[kind]} for session {session.id} has closed, so it cannot be sent again.")
    result = await send_survey(ctx, session, kind)
    await ctx.audit(req, "survey.sent", subject=str(result.survey.id), detail=f"session {session.id} {kind}")
    where = (
        f" and to {result.threads} announcement thread{'s' if result.threads != 1 else ''}" if result.threads else ""
    )
    if existing is not None and result.queued == 0:
        return reply(
            f"The {KIND_NAMES[kind]} for {session_line(ctx, session)} was already sent to all "
            f"{result.invited} delegates. It closes on {_day(ctx, result.survey.closes_at)}."
        )
    return reply(
        f"Sending the {KIND_NAMES[kind]} for {session_line(ctx, session)} by direct message to "
        f"{result.invited} delegate{'s' if result.invited != 1 else ''}{where}. "
        f"It closes on {_day(ctx, result.survey.closes_at)}"
        + (f", with one reminder on {_day(ctx, result.survey.remind_at)}." if result.survey.remind_at else ".")
    )


async def _close_command(req: Request, ctx: Context, words: list[str]) -> Reply:
    session = await session_arg(ctx, words, "/survey close 12")
    async with ctx.db.transaction() as tx:
        surveys = [s for s in await store.surveys_of_session(tx, session.id) if s.status == store.OPEN]
    if len(words) > 1:
        kind = _kind_arg(words[1:], "post-course")
        surveys = [s for s in surveys if s.kind == kind]
    if not surveys:
        raise UserError(f"Session {session.id} has no open survey to close.")
    names, unreadable = [], 0
    for survey in surveys:
        if closed := await close_survey(ctx, survey.id, req):
            names.append(KIND_NAMES[survey.kind])
            unreadable += closed.unreadable
    if not names:  # closed meanwhile by its own schedule (or another admin)
        return reply(f"The survey for {session_line(ctx, session)} had just closed; nothing more to do.")
    lost = f" Note: {lost_answers(unreadable)}." if unreadable else ""
    return reply(
        f"Closed the {' and '.join(names)} for {session_line(ctx, session)}. Late answers will be refused "
        f"politely, and the record of who was asked has been deleted.{lost}"
    )


async def _answered(tx: AsyncSession, survey: store.Survey) -> int:
    if survey.status != store.OPEN and survey.respondents is not None:
        return survey.respondents
    return await store.respondents(tx, survey.id)


async def _status_command(ctx: Context, words: list[str]) -> Reply:
    session = await session_arg(ctx, words, "/survey status 12")
    async with ctx.db.transaction() as tx:
        surveys = await store.surveys_of_session(tx, session.id)
        # A closed survey gives the count it closed with, as /impact does: free text deleted
        # after the retention period must not change it.
        answered = {s.id: await _answered(tx, s) for s in surveys}
    if not surveys:
        return reply(f"No survey has been sent for {session_line(ctx, session)} yet.")
    lines = []
    fewest = survey_settings(ctx).report_min_group
    for survey in sorted(surveys, key=lambda s: KINDS.index(s.kind)):
        state = (
            f"open until {_day(ctx, survey.closes_at)}"
            if survey.status == store.OPEN
            else f"closed {_day(ctx, survey.closed_at or survey.closes_at)}"
        )
        reminder = ""
        if survey.status == store.OPEN:
            reminder = "; reminder sent" if survey.reminded_at else ""
        # with fewer asked, a count says which of them answered ("1 of 1 answered")
        count = (
            f"{answered[survey.id]} of {survey.invited} answered"
            if survey.invited >= fewest
            else f"{survey.invited} asked (how many answered is not shown for fewer than {fewest})"
        )
        lines.append(f"- **{KIND_NAMES[survey.kind].capitalize()}**: {count}, {state}{reminder}")
    return reply(
        Header(text=f"Surveys for session {session.id}"),
        Text(text=f"{session_line(ctx, session)}\n" + "\n".join(lines)),
        Caption(text="Only counts are shown here; answers are reported for groups of five or more with /impact."),
    )
