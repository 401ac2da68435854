"""Training impact reports: `/impact` in chat, and the figures behind `sgbot report impact`.

The database does the counting (storage/surveys.py); the pure functions here turn counts into
the partnership's figures, hide small groups and render text, so every rule can be checked by
hand. The `/impact` command at the bottom parses what to report on and shows the figures.

Rules:
- A percentage is rounded to the nearest whole percent, halves up: 6 of 7 is 86%, 1 of 8 is 13%.
- An average is rounded to one decimal place, halves up. A confidence change is the difference
  of the two averages as shown, so the figures on the page add up.
- A measure counts the answers to every question mapped to it in post-course and follow-up
  surveys; baseline (pre-course) answers only feed the confidence change.
- "Responses" are per survey: a delegate who answers the post-course and the follow-up survey
  counts twice, because the two cannot be linked (by design).
- Any breakdown (a course) with fewer than the minimum group of responses is not shown, only
  noted. Totals for a whole period are always shown. A report on a single session or course is
  itself a breakdown, so its figures follow the same minimum.
- Comments are shown only from courses that reach the minimum group.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.context import Context
from bot.model import Context as ContextLine
from bot.model import Header, Reply, Request, Text, UserError, reply
from bot.registry import command
from handlers import surveys
from storage import surveys as store
from storage.db import Database

ROUNDING_RULE = (
    "Percentages are rounded to the nearest whole percent, halves up (6 of 7 is 86%); averages to one "
    "decimal place, halves up."
)
REPORTED_KINDS = store.REPORTED_KINDS
KIND_LABELS = {"pre-course": "Baseline (pre-course)", "post-course": "Post-course", "follow-up": "Follow-up"}


def percent(part: int, whole: int) -> int:
    """part/whole as a whole percent, halves rounded up, in integers (no float surprises)."""
    if whole <= 0:
        raise ValueError("a percentage needs a whole of at least 1")
    return (200 * part + whole) // (2 * whole)


def tenths(total: int, count: int) -> int:
    """The average total/count in tenths, halves rounded up: (4+5)/2 -> 45."""
    if count <= 0:
        raise ValueError("an average needs at least one value")
    return (20 * total + count) // (2 * count)


def show_tenths(value: int, *, signed: bool = False) -> str:
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    whole, tenth = divmod(abs(value), 10)
    return f"{sign}{whole}.{tenth}"


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        return percent(self.part, self.whole) if self.whole else None

    def __str__(self) -> str:
        if not self.whole:
            return "no answers yet"
        return f"{self.percent}% ({self.part} of {self.whole})"


@dataclass(frozen=True)
class KindFigures:
    kind: str
    surveys: int
    invited: int
    responded: int

    @property
    def rate(self) -> Share:
        return Share(self.responded, self.invited)


@dataclass(frozen=True)
class MeasureFigure:
    measure: str
    label: str
    share: Share
    suppressed: bool = False


@dataclass(frozen=True)
class CourseFigures:
    course_id: str
    title: str
    responses: int
    measures: list[MeasureFigure]
    suppressed: bool


@dataclass(frozen=True)
class ConfidenceFigure:
    measure: str
    label: str
    before_n: int
    before: int  # average, tenths
    after_n: int
    after: int  # average, tenths
    suppressed: bool

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class ActivityRow:
    course_id: str
    title: str
    sessions: int
    delegates: int  # said they were going
    attended: int  # marked as attended
    recorded: int  # sessions with attendance recorded
    invited: int  # to the post-course survey
    responses: int  # post-course respondents

    @property
    def rate(self) -> Share:
        return Share(self.responses, self.invited)


@dataclass
class ImpactFigures:
    title: str
    min_group: int
    whole_period: bool
    kinds: list[KindFigures]
    measures: list[MeasureFigure]
    courses: list[CourseFigures]
    confidence: list[ConfidenceFigure]
    comments: list[str]
    activity: list[ActivityRow] = field(default_factory=list)

    @property
    def responses(self) -> int:
        return sum(k.responded for k in self.kinds if k.kind in REPORTED_KINDS)

    @property
    def suppressed_courses(self) -> list[CourseFigures]:
        return [c for c in self.courses if c.suppressed]

    def activity_totals(self) -> ActivityRow:
        rows = self.activity
        return ActivityRow(
            "",
            "Total",
            sum(r.sessions for r in rows),
            sum(r.delegates for r in rows),
            sum(r.attended for r in rows),
            sum(r.recorded for r in rows),
            sum(r.invited for r in rows),
            sum(r.responses for r in rows),
        )


def responses_by_course(survey_counts: list[tuple[str, str, int, int, int]]) -> dict[str, int]:
    """Post-course and follow-up responses per course: what decides whether a course is shown."""
    found: dict[str, int] = defaultdict(int)
    for course, kind, _sent, _invited, responded in survey_counts:
        if kind in REPORTED_KINDS:
            found[course] += responded
    return dict(found)


def courses_shown(survey_counts: list[tuple[str, str, int, int, int]], min_group: int) -> list[str]:
    """Courses with enough responses to be shown on their own (and to have their answers exported)."""
    return sorted(c for c, n in responses_by_course(survey_counts).items() if n >= min_group)


def _ordered(measures: Iterable[str], labels: dict[str, str]) -> list[str]:
    found = set(measures)
    return [m for m in labels if m in found] + sorted(found - set(labels))


def compute(
    *,
    title: str,
    survey_counts: list[tuple[str, str, int, int, int]],
    measure_counts: list[tuple[str, str, str, int, int, int, int]],
    baseline_counts: list[tuple[str, str, int, int, int]],
    comments: list[tuple[str, str]],
    labels: dict[str, str],
    titles: dict[str, str],
    min_group: int,
    whole_period: bool,
    activity: list[tuple[str, str, int, int, int, int]] = (),  # type: ignore[assignment]
    max_comments: int = 3,
) -> ImpactFigures:
    """Figures from the counts that storage.surveys computes (see each function there for the tuples)."""
    kind_totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    post_course: dict[str, tuple[int, int]] = {}
    for course, kind, sent, invited, responded in survey_counts:
        totals = kind_totals[kind]
        totals[0] += sent
        totals[1] += invited
        totals[2] += responded
        if kind == "post-course":
            post_course[course] = (invited, responded)
    course_responses = responses_by_course(survey_counts)
    kinds = [KindFigures(k, *kind_totals[k]) for k in ("post-course", "follow-up", "pre-course") if k in kind_totals]

    totals_by_measure: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_course: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for course, kind, measure, answers, positive, _scored, _score_total in measure_counts:
        if kind not in REPORTED_KINDS:
            continue
        for bucket in (totals_by_measure[measure], by_course[course][measure]):
            bucket[0] += positive
            bucket[1] += answers

    def line(measure: str, counts: list[int], *, suppressed: bool) -> MeasureFigure:
        return MeasureFigure(measure, labels.get(measure, measure), Share(counts[0], counts[1]), suppressed)

    total_responses = sum(course_responses.values())
    too_few = not whole_period and total_responses < min_group
    measures = [line(m, totals_by_measure[m], suppressed=too_few) for m in _ordered(totals_by_measure, labels)]
    courses = []
    for course in sorted(course_responses, key=lambda c: (titles.get(c, c).lower(), c)):
        responses = course_responses[course]
        suppressed = responses < min_group
        course_measures = [
            line(m, by_course[course][m], suppressed=suppressed) for m in _ordered(by_course[course], labels)
        ]
        courses.append(CourseFigures(course, titles.get(course, course), responses, course_measures, suppressed))

    pairs: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for kind, measure, _answers, scored, score_total in baseline_counts:
        if scored:
            pairs[measure][kind] = (scored, score_total)
    confidence = []
    for measure in _ordered(pairs, labels):
        if "pre-course" not in pairs[measure] or "post-course" not in pairs[measure]:
            continue
        (before_n, before_total), (after_n, after_total) = pairs[measure]["pre-course"], pairs[measure]["post-course"]
        small = min(before_n, after_n) < min_group
        confidence.append(
            ConfidenceFigure(
                measure,
                labels.get(measure, measure),
                before_n,
                tenths(before_total, before_n),
                after_n,
                tenths(after_total, after_n),
                suppressed=small and not whole_period,
            )
        )

    shown_courses = {c.course_id for c in courses if not c.suppressed}
    shown_comments = [text for course, text in comments if course in shown_courses][:max_comments]

    rows = []
    for course, course_title, sessions, delegates, attended, recorded in activity:
        invited, responded = post_course.get(course, (0, 0))
        rows.append(
            ActivityRow(
                course, titles.get(course, course_title), sessions, delegates, attended, recorded, invited, responded
            )
        )
    return ImpactFigures(title, min_group, whole_period, kinds, measures, courses, confidence, shown_comments, rows)


# --- text ---------------------------------------------------------------------------------------------


def small_group_note(min_group: int) -> str:
    return f"Anything based on fewer than {min_group} responses is not shown on its own, so nobody can be singled out."


def _measure_text(figure: MeasureFigure, min_group: int) -> str:
    if figure.suppressed:
        return f"{figure.label}: not shown (fewer than {min_group} responses)"
    return f"{figure.label}: {figure.share}"


def chat_sections(fig: ImpactFigures) -> list[str]:
    """The /impact reply as sections of neutral markup, each well under a platform's text limit."""
    sections = []
    lines = ["**Surveys**"]
    if not fig.kinds:
        lines.append("- No surveys were sent for these sessions.")
    for kind in fig.kinds:
        lines.append(
            f"- {KIND_LABELS[kind.kind]}: {kind.invited} invited, {kind.responded} responded, response rate {kind.rate}"
        )
    sections.append("\n".join(lines))
    if fig.measures:
        lines = ["**Impact measures** (share of answers that were positive)"]
        lines.extend(f"- {_measure_text(m, fig.min_group)}" for m in fig.measures)
        sections.append("\n".join(lines))
    if fig.confidence:
        lines = ["**Confidence change** (sessions with a baseline survey; averages on a 1-5 scale)"]
        for c in fig.confidence:
            if c.suppressed:
                lines.append(f"- {c.label}: fewer than {fig.min_group} answers on one side, not shown")
            else:
                lines.append(
                    f"- {c.label}: {show_tenths(c.before)} before ({c.before_n} answers), "
                    f"{show_tenths(c.after)} after ({c.after_n} answers), change {show_tenths(c.change, signed=True)}"
                )
        sections.append("\n".join(lines))
    if fig.whole_period and fig.courses:
        lines = ["**By course**"]
        for course in fig.courses:
            if course.suppressed:
                lines.append(f"- {course.title}: fewer than {fig.min_group} responses, not shown on its own")
                continue
            shown = "; ".join(f"{m.label} {m.share}" for m in course.measures)
            lines.append(f"- {course.title}: {course.responses} responses" + (f". {shown}" if shown else ""))
        sections.append("\n".join(lines))
    if fig.comments:
        lines = ["**Some comments** (identifying details removed)"]
        lines.extend(f"- “{_short(c)}”" for c in fig.comments)
        sections.append("\n".join(lines))
    return [part for section in sections for part in _split(section)]


def _split(section: str, limit: int = 2800) -> list[str]:
    """Long sections (many courses) split at line ends, under Slack's 3000 characters per block."""
    parts: list[str] = []
    current = ""
    for line in section.split("\n"):
        if current and len(current) + 1 + len(line) > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    parts.append(current)
    return parts


def _short(text: str, limit: int = 280) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _md(text: str) -> str:
    """A value made inert for a Markdown line or table cell: no markup, links, HTML or new rows."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join(f"\\{ch}" if ch in "\\`*_[]#|!" else ch for ch in text)


def markdown(fig: ImpactFigures, *, files: list[str], questions: list[tuple[str, str, str]] = ()) -> str:  # type: ignore[assignment]
    """The summary written by `sgbot report impact`."""
    out = [f"# {fig.title}", ""]
    out += [
        "## Surveys",
        "",
        "| Survey | Sent for sessions | Invited | Responded | Response rate |",
        "|---|---|---|---|---|",
    ]
    for kind in fig.kinds:
        out.append(f"| {KIND_LABELS[kind.kind]} | {kind.surveys} | {kind.invited} | {kind.responded} | {kind.rate} |")
    if not fig.kinds:
        out.append("| (none sent) | 0 | 0 | 0 | - |")
    out += ["", "## Impact measures (whole period)", "", "Share of answers that were positive.", ""]
    out += ["| Measure | Result |", "|---|---|"]
    for m in fig.measures:
        out.append(f"| {_md(m.label)} | {'not shown (too few responses)' if m.suppressed else m.share} |")
    if fig.confidence:
        out += ["", "## Confidence change", "", "Sessions with a baseline survey; averages on a 1-5 scale.", ""]
        out += ["| Measure | Before | After | Change |", "|---|---|---|---|"]
        for c in fig.confidence:
            if c.suppressed:
                out.append(f"| {_md(c.label)} | not shown | not shown | too few answers |")
            else:
                out.append(
                    f"| {_md(c.label)} | {show_tenths(c.before)} ({c.before_n}) | {show_tenths(c.after)} ({c.after_n}) "
                    f"| {show_tenths(c.change, signed=True)} |"
                )
    out += ["", "## By course", ""]
    measure_ids = [m.measure for m in fig.measures]
    header = "| Course | Responses | " + " | ".join(_md(m.label) for m in fig.measures) + " |"
    out += [header, "|" + "---|" * (2 + len(measure_ids))]
    for course in fig.courses:
        if course.suppressed:
            cells = ["not shown"] * len(measure_ids)
        else:
            found = {m.measure: m for m in course.measures}
            cells = ["-" if m not in found else str(found[m].share) for m in measure_ids]
        responses = f"fewer than {fig.min_group}" if course.suppressed else str(course.responses)
        out.append(f"| {_md(course.title)} | {responses} | " + " | ".join(cells) + " |")
    if fig.suppressed_courses:
        out += [
            "",
            f"{len(fig.suppressed_courses)} course(s) had fewer than {fig.min_group} responses; their figures are "
            "counted in the totals above but not shown on their own.",
        ]
    out += ["", "## Training activity", ""]
    out += activity_markdown(fig)
    if fig.comments:
        out += ["", "## Some comments", "", "Identifying details were removed before the comments were stored.", ""]
        out += [f"> {_md(_short(c))}\n" for c in fig.comments]
    out += ["", "## Notes", "", f"- {ROUNDING_RULE}", f"- {small_group_note(fig.min_group)}"]
    out += [
        "- Answers are stored under a code made from the delegate and the survey, never a name or chat id; "
        "a delegate's post-course and follow-up answers cannot be linked, so responses are counted per survey. "
        "The respondent column of answers.csv is not that code: respondents are numbered afresh, in a random "
        "order, for each export, so the numbers match no other export and say nothing about who answered or when.",
        "- Delegates: said they were going. Attended: marked as attended by the trainer or an import; "
        "sessions without attendance recorded count 0 there.",
    ]
    if fig.suppressed_courses:
        out.append(
            f"- answers.csv leaves out the answers of the {len(fig.suppressed_courses)} course(s) with fewer than "
            f"{fig.min_group} responses."
        )
    else:
        out.append("- answers.csv holds every answer in the period.")
    if questions:
        out += ["", "## Questions", "", "What each question id in answers.csv asks.", ""]
        out += ["| Survey | Question id | Question |", "|---|---|---|"]
        out += [f"| {KIND_LABELS.get(k, k)} | {_md(q)} | {_md(t)} |" for k, q, t in questions]
    out += ["", "## Files", ""] + [f"- {name}" for name in files]
    return "\n".join(out) + "\n"


def activity_markdown(fig: ImpactFigures) -> list[str]:
    out = ["| Course | Sessions | Delegates | Attended | Responses | Response rate |", "|---|---|---|---|---|---|"]
    for row in [*fig.activity, fig.activity_totals()]:
        name = f"**{row.title}**" if row is not None and not row.course_id else _md(row.title)
        out.append(
            f"| {name} | {row.sessions} | {row.delegates} | {row.attended} | {row.responses} | "
            f"{row.rate if row.invited else '-'} |"
        )
    return out


def activity_rows(fig: ImpactFigures) -> list[list[str]]:
    """The training activity table for the CSV, in the annual report's shape, with a totals row."""
    rows = [["course", "course_id", "sessions", "delegates", "attended", "responses", "response_rate_percent"]]
    for row in [*fig.activity, fig.activity_totals()]:
        rate = row.rate.percent
        rows.append(
            [
                row.title,
                row.course_id,
                str(row.sessions),
                str(row.delegates),
                str(row.attended),
                str(row.responses),
                "" if rate is None else str(rate),
            ]
        )
    return rows


# --- /impact -------------------------------------------------------------------------------------


def financial_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The partnership's reporting year (1 April to 31 March) that contains `day`."""
    start_year = day.year if day.month >= 4 else day.year - 1
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


def period_bounds(ctx: Context, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local dates, inclusive, as a UTC [start, end) range of session start times."""
    start = dt.datetime.combine(first, dt.time(0), tzinfo=ctx.zone).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=ctx.zone).astimezone(dt.UTC)
    return start, end


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{text[:20]!r} is not a date; write dates like 2025-04-01.") from None


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


async def parse_selection(ctx: Context, text: str) -> tuple[store.Selection, str, bool]:
    """(what to report on, a title, whether it is a whole period) from /impact's arguments."""
    words = text.split()
    first = words[0].lower() if words else ""
    if not words or re.fullmatch(r"\d{4}-\d{2}", first) or ".." in first:
        if not words:
            start_day, end_day = financial_year(ctx.local_now().date())
        elif ".." in first:
            left, _, right = first.partition("..")
            start_day, end_day = _date(left), _date(right)
        else:
            start_day, end_day = financial_year(dt.date(int(first[:4]), 4, 1))
            if int(first[5:]) != (start_day.year + 1) % 100:
                raise UserError(f"{first} is not a reporting year; write it like 2025-26.")
        if end_day < start_day:
            raise UserError("The period ends before it starts; write it like 2025-04-01..2026-03-31.")
        start, end = period_bounds(ctx, start_day, end_day)
        title = f"Training impact, {_long_date(start_day)} to {_long_date(end_day)}"
        return store.Selection(start=start, end=end), title, True
    if first == "session" or re.fullmatch(r"#?\d{1,9}", first):
        session = await surveys.session_arg(ctx, words[1:] if first == "session" else words, "/impact session 12")
        title = f"Training impact, session {session.id}: {surveys.session_line(ctx, session)}"
        return store.Selection(session_id=session.id), title, False
    wanted = " ".join(words[1:] if first == "course" else words)
    matches = await store.resolve_course(ctx.db, wanted)
    if not matches:
        raise UserError(
            f"I can't find a course matching {wanted[:40]!r}. Try a course id, a session number "
            "(/impact session 12) or a period (/impact 2025-04-01..2026-03-31)."
        )
    if len(matches) > 1:
        names = ", ".join(f"{title} ({course})" for course, title in matches[:5])
        raise UserError(f"{wanted[:40]!r} matches more than one course: {names}. Give the course id.")
    course_id, course_title = matches[0]
    return store.Selection(courses=(course_id,)), f"Training impact, {course_title}", False


async def gather_figures(
    db: Database,
    sel: store.Selection,
    *,
    title: str,
    whole_period: bool,
    labels: dict[str, str],
    min_group: int,
    max_comments: int = 3,
    survey_counts: list[tuple[str, str, int, int, int]] | None = None,
) -> ImpactFigures:
    """Count in SQL, then compute the figures; shared by /impact and `sgbot report impact`.

    The counting queries run at once, each on its own connection."""

    async def counted() -> list[tuple[str, str, int, int, int]]:
        return survey_counts if survey_counts is not None else await store.survey_counts(db, sel)

    activity, survey_counts, measure_counts, baseline_counts, comments = await asyncio.gather(
        store.activity(db, sel),
        counted(),
        store.measure_counts(db, sel),
        store.baseline_measure_counts(db, sel),
        store.comments(db, sel, limit=200),
    )
    return compute(
        title=title,
        survey_counts=survey_counts,
        measure_counts=measure_counts,
        baseline_counts=baseline_counts,
        comments=comments,
        labels=labels,
        titles={course: course_title for course, course_title, *_ in activity},
        min_group=min_group,
        whole_period=whole_period,
        activity=activity,
        max_comments=max_comments,
    )


@command(
    "impact",
    usage="[SESSION | course NAME | FROM..TO | 2025-26]",
    help="What difference training made: response rates and the impact measures.",
    long_help=(
        "With nothing after it, `/impact` covers the current reporting year (April to March). "
        "`/impact 12` covers session 12, `/impact course neglect` one course, `/impact 2025-04-01..2025-09-30` "
        "a period, and `/impact 2024-25` a reporting year. Figures based on fewer responses than the minimum "
        "group are not shown on their own."
    ),
    role="trainer",
)
async def impact_command(req: Request, ctx: Context) -> Reply:
    sel, title, whole_period = await parse_selection(ctx, req.text)
    fig = await gather_figures(
        ctx.db,
        sel,
        title=title,
        whole_period=whole_period,
        labels=ctx.pack.get(surveys.SurveysPack).measure_labels(),
        min_group=ctx.settings.report_min_group,
    )
    blocks: list[Any] = [Header(text=title[:150])]
    blocks.extend(Text(text=section) for section in chat_sections(fig))
    notes = [ROUNDING_RULE, small_group_note(fig.min_group)]
    if not whole_period and fig.responses < fig.min_group:
        notes.insert(0, f"Only {fig.responses} responses so far, fewer than {fig.min_group}, so no measures are shown.")
    blocks.append(ContextLine(text=" ".join(notes)))
    return reply(*blocks, summary=title)
