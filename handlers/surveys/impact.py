"""Training impact reports: `/impact` in chat, and the figures behind `sgbot report impact`.

The database does the counting (storage/surveys.py); the pure functions here turn counts into
the partnership's figures, hide small groups and render text, so every rule can be checked by
hand. The `/impact` command at the bottom parses what to report on and shows the figures.

Rules:
- A percentage is rounded halves up to the report's precision: one decimal place in the files
  (6 of 7 is 85.7%, 7 of 200 is 3.5%), a whole percent in chat (86%).
- An average is rounded to one decimal place, halves up. A confidence change is the difference
  of the two averages as shown, so the figures on the page add up.
- A measure counts the answers to every question mapped to it in post-course and follow-up
  surveys; baseline (pre-course) answers only feed the confidence change.
- "Responses" are per survey: a delegate who answers the post-course and the follow-up survey
  counts twice, because the two cannot be linked (by design).
- Any breakdown (a course) with fewer than the minimum group of responses is not shown, only
  noted, and neither is a whole period's total below the minimum. A report on a single session
  or course is itself a breakdown, so its figures follow the same minimum.
- Complementary suppression: when exactly one course's figure for a measure is hidden, the next
  smallest course's figure for that measure is hidden too (or, with no other course, the total),
  so no hidden figure is the total minus the figures shown.
- Comments are shown only from courses that reach the minimum group.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from core.context import Context
from core.dates import (
    EARLIEST_YEAR,
    YEARS_AHEAD,
    DateProblem,
    report_day,  # ISO or day first, as every command-line date
    utc_range,
)
from core.dates import read_date as read_date  # what the report commands take (a test reads it here)
from core.model import Caption, Header, Reply, Request, Text, UserError, reply
from core.registry import command
from core.sanitise import echoed, inert_text, neutralise_text, without_controls
from handlers import surveys
from storage import surveys as store
from storage.db import Database
from storage.training import CANCELLED


def rounding_rule(decimals: int = 0) -> str:
    if decimals:
        places = "one decimal place" if decimals == 1 else f"{decimals} decimal places"
        return (
            f"Percentages are rounded to {places}, halves up (6 of 7 is {percent_text(6, 7, decimals)}%); "
            "averages to one decimal place, halves up."
        )
    return (
        "Percentages are rounded to the nearest whole percent, halves up (6 of 7 is 86%); averages to one "
        "decimal place, halves up."
    )


ROUNDING_RULE = rounding_rule(0)  # chat
REPORTED_KINDS = store.REPORTED_KINDS
KIND_LABELS = {"pre-course": "Baseline (pre-course)", "post-course": "Post-course", "follow-up": "Follow-up"}


def percent(part: int, whole: int) -> int:
    """part/whole as a whole percent, halves rounded up, in integers (no float surprises)."""
    if whole <= 0:
        raise ValueError("a percentage needs a whole of at least 1")
    return (200 * part + whole) // (2 * whole)


def percent_text(part: int, whole: int, decimals: int = 0) -> str:
    """part/whole as a percentage with `decimals` places, halves rounded up, in integers:
    (7, 200, 1) -> "3.5", (6, 7, 1) -> "85.7"."""
    if whole <= 0:
        raise ValueError("a percentage needs a whole of at least 1")
    scale = 10**decimals
    value = (200 * scale * part + whole) // (2 * whole)
    if not decimals:
        return str(value)
    whole_part, fraction = divmod(value, scale)
    return f"{whole_part}.{fraction:0{decimals}d}"


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
        return self.text(0)

    def text(self, decimals: int = 0) -> str:
        if not self.whole:
            return "no answers yet"
        return f"{percent_text(self.part, self.whole, decimals)}% ({self.part} of {self.whole})"

    def rate_text(self, decimals: int = 0) -> str:
        """Just the percentage, for a CSV column; empty with nothing to divide by."""
        return percent_text(self.part, self.whole, decimals) if self.whole else ""


@dataclass(frozen=True)
class KindFigures:
    kind: str
    surveys: int
    invited: int
    responded: int
    released: int = 0  # respondents of surveys closed with at least the minimum group
    still_open: int = 0  # respondents of surveys not closed yet

    @property
    def rate(self) -> Share:
        return Share(self.responded, self.invited)


@dataclass(frozen=True)
class MeasureFigure:
    measure: str
    label: str
    share: Share
    suppressed: bool = False
    # Answers counted nowhere because fewer than the minimum answered the question in their
    # survey: a figure of none counted but some such says "fewer than N answered", not "no answers".
    small: int = 0


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
    decimals: int = 1  # places for percentages in the files; chat always rounds to whole percents

    @property
    def responses(self) -> int:
        return sum(k.responded for k in self.kinds if k.kind in REPORTED_KINDS)

    @property
    def released(self) -> int:
        """Responses whose answers the measures and comments count (storage.surveys' note)."""
        return sum(k.released for k in self.kinds if k.kind in REPORTED_KINDS)

    @property
    def held_back(self) -> int:
        """Responses in the response rates but not in the measures: their survey is still open,
        or closed with fewer than the minimum group."""
        return self.responses - self.released

    @property
    def still_open(self) -> int:
        return sum(k.still_open for k in self.kinds if k.kind in REPORTED_KINDS)

    @property
    def suppressed_courses(self) -> list[CourseFigures]:
        return [c for c in self.courses if c.suppressed]

    @property
    def exported_courses(self) -> list[str]:
        """Courses whose answers may go into answers.csv: shown, with no figure hidden, since
        their answers would let anyone recount a hidden figure."""
        return [c.course_id for c in self.courses if not c.suppressed and not any(m.suppressed for m in c.measures)]

    @property
    def partly_hidden_courses(self) -> list[CourseFigures]:
        return [c for c in self.courses if not c.suppressed and any(m.suppressed for m in c.measures)]

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


SurveyCounts = list[tuple[str, str, int, int, int, int, int]]  # storage.surveys.survey_counts


def responses_by_course(survey_counts: SurveyCounts) -> dict[str, int]:
    """Post-course and follow-up responses per course whose answers the reports may count: what
    decides whether a course is shown."""
    found: dict[str, int] = defaultdict(int)
    for course, kind, _sent, _invited, _responded, released, _open in survey_counts:
        if kind in REPORTED_KINDS:
            found[course] += released
    return dict(found)


def courses_shown(survey_counts: SurveyCounts, min_group: int) -> list[str]:
    """Courses with enough responses to be shown on their own (and to have their answers exported)."""
    return sorted(c for c, n in responses_by_course(survey_counts).items() if n >= min_group)


def _ordered(measures: Iterable[str], labels: dict[str, str]) -> list[str]:
    found = set(measures)
    return [m for m in labels if m in found] + sorted(found - set(labels))


def compute(
    *,
    title: str,
    survey_counts: SurveyCounts,
    measure_counts: list[tuple[str, str, str, int, int, int, int, int]],
    baseline_counts: list[tuple[str, str, int, int, int]],
    comments: list[tuple[str, str]],
    labels: dict[str, str],
    titles: dict[str, str],
    min_group: int,
    whole_period: bool,
    activity: list[tuple[str, str, int, int, int, int]] = (),  # type: ignore[assignment]
    max_comments: int = 3,
    decimals: int = 1,
) -> ImpactFigures:
    """Figures from the counts that storage.surveys computes (see each function there for the tuples)."""
    kind_totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    post_course: dict[str, tuple[int, int]] = {}
    for course, kind, sent, invited, responded, released, still_open in survey_counts:
        totals = kind_totals[kind]
        totals[0] += sent
        totals[1] += invited
        totals[2] += responded
        totals[3] += released
        totals[4] += still_open
        if kind == "post-course":
            post_course[course] = (invited, responded)
    course_responses = responses_by_course(survey_counts)
    kinds = [KindFigures(k, *kind_totals[k]) for k in ("post-course", "follow-up", "pre-course") if k in kind_totals]

    totals_by_measure: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_course: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    # Answers to a question fewer than the minimum answered in its survey are counted nowhere
    # (storage.surveys.measure_counts); a figure made only of those reads "not shown".
    small_answers: dict[tuple[str, str], int] = defaultdict(int)
    small_by_measure: dict[str, int] = defaultdict(int)
    for course, kind, measure, answers, positive, _scored, _score_total, small in measure_counts:
        if kind not in REPORTED_KINDS:
            continue
        for bucket in (totals_by_measure[measure], by_course[course][measure]):
            bucket[0] += positive
            bucket[1] += answers
        small_answers[course, measure] += small
        small_by_measure[measure] += small
    # Over both kinds of survey: a course's follow-up few answered does not hide its post-course figure.
    withheld = {cell for cell, small in small_answers.items() if small and not by_course[cell[0]][cell[1]][1]}

    def line(measure: str, counts: list[int], *, suppressed: bool, small: int = 0) -> MeasureFigure:
        return MeasureFigure(measure, labels.get(measure, measure), Share(counts[0], counts[1]), suppressed, small)

    # A whole period is held to the same minimum as a course: 3 responses must not read "100% (3 of 3)".
    total_responses = sum(course_responses.values())
    too_few = total_responses < min_group
    order = sorted(course_responses, key=lambda c: ((titles.get(c) or c).lower(), c))
    hidden_cells, hidden_totals = _suppress(order, by_course, course_responses, min_group, too_few)
    measures = [
        line(
            m,
            totals_by_measure[m],
            suppressed=too_few or m in hidden_totals or not totals_by_measure[m][1],
            small=small_by_measure[m],
        )
        for m in _ordered(totals_by_measure, labels)
    ]
    courses = []
    for course in order:
        responses = course_responses[course]
        suppressed = responses < min_group
        course_measures = [
            line(
                m,
                by_course[course][m],
                suppressed=suppressed or (course, m) in hidden_cells | withheld,
                small=small_answers[course, m],
            )
            for m in _ordered(by_course[course], labels)
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
                suppressed=small,
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
    return ImpactFigures(
        title, min_group, whole_period, kinds, measures, courses, confidence, shown_comments, rows, decimals
    )


def _suppress(
    courses: list[str],
    by_course: dict[str, dict[str, list[int]]],
    responses: dict[str, int],
    min_group: int,
    total_hidden: bool,
) -> tuple[set[tuple[str, str]], set[str]]:
    """Complementary (secondary) suppression, measure by measure: (course, measure) cells and
    measure totals to hide besides the courses below the minimum.

    A cell is small when its course has fewer responses than the minimum, or the measure itself
    fewer answers (a question most people skipped: "0% (0 of 1)"); a total is hidden when it has
    fewer answers than the minimum. Within one measure the shown total is the sum of its course
    cells, so if exactly one cell is hidden it is the total minus the others. Then the next
    smallest shown cell is hidden as well (two hidden cells give only their sum); with no other
    cell to hide, the total is hidden. Two or more hidden cells already protect each other."""
    cells: set[tuple[str, str]] = set()
    totals: set[str] = set()
    if total_hidden:
        return cells, totals
    measures = {m for c in courses for m, (_p, whole) in by_course[c].items() if whole}
    for measure in sorted(measures):
        present = [c for c in courses if by_course[c].get(measure, [0, 0])[1]]
        small = [c for c in present if responses[c] < min_group or by_course[c][measure][1] < min_group]
        cells.update((c, measure) for c in small)
        if sum(by_course[c][measure][1] for c in present) < min_group:
            totals.add(measure)
            continue
        if len(small) != 1:
            continue
        shown = [c for c in present if c not in small]
        if shown:
            smallest = min(shown, key=lambda c: (by_course[c][measure][1], responses[c], c))
            cells.add((smallest, measure))
        else:
            totals.add(measure)
    return cells, totals


# --- text ---------------------------------------------------------------------------------------------


# Where the answers are kept, in plain words (storage/sealed.py): true of every answer a report counts.
STORED_UNDER_CODES = (
    "Answers never carry a name or chat id. While a survey is open, each delegate's answers are kept "
    "locked (encrypted) under a code made from the delegate and the survey; when it closes, they are moved "
    "under a new random code that leads back to no one, and only closed surveys are counted."
)


def small_group_note(min_group: int) -> str:
    return (
        f"Anything based on fewer than {min_group} responses or answers is not shown on its own, so nobody can "
        "be singled out; where hiding one figure would leave it as the total minus the others, another figure is "
        "hidden too. "
        f"The measures and comments count a survey's answers once it has closed with at least {min_group} "
        f"responses, and a question's answers only where at least {min_group} people in that survey answered it, "
        "so comparing two reports never shows one person's answers."
    )


def held_back_note(fig: ImpactFigures) -> str:
    """Why the response rates count more responses than the measures, or nothing."""
    if not fig.held_back:
        return ""
    parts = [
        f"{fig.held_back} of the {fig.responses} post-course and follow-up responses are in the response rates "
        "but not in the measures or comments."
    ]
    small = fig.held_back - fig.still_open
    if fig.still_open:
        parts.append(
            f"{fig.still_open} are from surveys still open: they count once their survey has closed "
            f"with at least {fig.min_group} responses (/survey status says when each closes)."
        )
    if small:
        parts.append(
            f"{small} are from surveys that closed with fewer than {fig.min_group} responses: those are never "
            "counted, so that no one's answers can be worked out by setting one report against another."
        )
    return " ".join(parts)


def _cell(figure: MeasureFigure, decimals: int) -> str:
    return "not shown" if figure.suppressed else figure.share.text(decimals)


def _measure_text(figure: MeasureFigure, min_group: int) -> str:
    if figure.suppressed:
        return (
            f"{figure.label}: not shown (fewer than {min_group} responses or answers, or it would reveal a "
            "smaller group)"
        )
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
    if fig.held_back:
        lines.append(held_back_note(fig))
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
                lines.append(
                    f"- {neutralise_text(course.title)}: fewer than {fig.min_group} responses counted, "
                    "not shown on its own"
                )
                continue
            shown = "; ".join(f"{m.label} {_cell(m, 0)}" for m in course.measures)
            lines.append(
                f"- {neutralise_text(course.title)}: {course.responses} responses" + (f". {shown}" if shown else "")
            )
        sections.append("\n".join(lines))
    if fig.comments:
        lines = ["**Some comments** (identifying details removed)"]
        # A delegate's words are shown as typed, with no power: no link, bare or masked, no italics or code.
        lines.extend(f"- “{inert_text(_short(c))}”" for c in fig.comments)
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
    """A value made inert for a Markdown line or table cell (no links, images, HTML, new rows or
    lines) without backslash escapes, which Word and a reader of the plain file would show as
    typed: "[name removed]" stays as it is. Angle brackets and the pipe become look-alikes, and a
    bracket followed by a parenthesis is spaced apart so it cannot form a link."""
    text = " ".join(without_controls(text).split())
    text = text.replace("<", "\u2039").replace(">", "\u203a").replace("|", "\u00a6")
    # no address a Markdown viewer or Word would link ("https://…", "www.…"): a zero-width space inside
    text = text.replace("://", ":/\u200b/")
    text = re.sub(r"(?i)\bwww\.", lambda m: m.group()[:3] + "\u200b.", text)
    return re.sub(r"\]\s*\(", "] (", text)


def courses_text(count: int) -> str:
    """ "1 course", "3 courses": the reports' notes count courses."""
    return f"{count} course" if count == 1 else f"{count} courses"


def headline(fig: ImpactFigures) -> list[str]:
    """The figures `sgbot report impact` prints as it finishes, as summary.md gives them, so whoever
    ran it sees the response rate and the measures without opening a file."""
    lines = [f"{fig.title}:"]
    for kind in fig.kinds:
        lines.append(f"  {KIND_LABELS[kind.kind]} response rate: {kind.rate.text(fig.decimals)}")
    if not fig.kinds:
        lines.append("  No survey was sent for a session in this period.")
    for m in fig.measures:
        lines.append(f"  {m.label}: {_why_not_shown(fig, m) if m.suppressed else m.share.text(fig.decimals)}")
    if fig.kinds and not fig.measures:
        lines.append("  No measures yet: no survey in this period has closed with enough responses.")
    return lines


def _why_not_shown(fig: ImpactFigures, m: MeasureFigure) -> str:
    """A hidden whole-period figure's reason, as the summary gives it."""
    if fig.released < fig.min_group:
        return f"not shown (fewer than {fig.min_group} responses in the period)"
    if not m.share.whole:
        # Some answered, but in no survey did the minimum answer it: held back, not absent.
        return f"not shown (fewer than {fig.min_group} answered it in any one survey)" if m.small else "no answers"
    return f"not shown (with the figures shown, it would reveal a group of fewer than {fig.min_group})"


# A report of a period with more than one kind of survey counts responses, not people.
POOLED_NOTE = (
    "Each survey a delegate answered is one response: someone who answered both the post-course and the "
    "follow-up survey is counted in each, so the responses can be more than the people who gave them."
)


def markdown(fig: ImpactFigures, *, files: list[str]) -> str:
    """The summary written by `sgbot report impact`."""
    out = [f"# {fig.title}", ""]
    out += [
        "## Surveys",
        "",
        "| Survey | Sent for sessions | Invited | Responded | Response rate |",
        "|---|---|---|---|---|",
    ]
    for kind in fig.kinds:
        out.append(
            f"| {KIND_LABELS[kind.kind]} | {kind.surveys} | {kind.invited} | {kind.responded} "
            f"| {kind.rate.text(fig.decimals)} |"
        )
    if not fig.kinds:
        out.append("| (none sent) | 0 | 0 | 0 | - |")
    out += ["", "## Impact measures (whole period)", ""]
    if fig.measures:
        out += ["Share of answers that were positive.", ""]
        if len(fig.kinds) > 1:  # post-course and follow-up: one person can give two responses
            out += [POOLED_NOTE, ""]
        out += ["| Measure | Result |", "|---|---|"]
    else:
        out.append("No measures yet: no survey in this period has closed with enough responses.")
    for m in fig.measures:
        result = _why_not_shown(fig, m) if m.suppressed else m.share.text(fig.decimals)
        out.append(f"| {_md(m.label)} | {result} |")
    if fig.held_back:
        out += ["", held_back_note(fig)]
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
    header = ["Course", "Survey responses counted"] + [_md(m.label) for m in fig.measures]
    if fig.courses:
        out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    else:  # a table of a header alone reads as broken in Word
        out.append("No course had a survey in this period.")
    for course in fig.courses:
        if course.suppressed:
            cells = ["not shown"] * len(measure_ids)
        else:
            found = {m.measure: m for m in course.measures}
            cells = ["-" if m not in found else _cell(found[m], fig.decimals) for m in measure_ids]
        responses = f"fewer than {fig.min_group}" if course.suppressed else str(course.responses)
        out.append("| " + " | ".join([_md(course.title), responses, *cells]) + " |")
    if fig.suppressed_courses:
        out += [
            "",
            f"{courses_text(len(fig.suppressed_courses))} had no survey that closed with at least {fig.min_group} "
            "responses. A smaller survey is left out whole, so their answers are in none of the figures above.",
        ]
    if fig.partly_hidden_courses:
        out += [
            "",
            'Where a figure reads "not shown" in a course that is otherwise shown, either fewer than '
            f"{fig.min_group} people answered that question in the course, or it is hidden so that the hidden "
            "figures of smaller courses cannot be worked out from the total.",
        ]
    out += ["", "## Training activity", ""]
    out += activity_markdown(fig)
    if fig.comments:
        out += ["", "## Some comments", "", "Identifying details were removed before the comments were stored.", ""]
        # In quotation marks, so a comment never starts a Markdown line (no heading or list).
        out += [f"> \u201c{_md(_short(c))}\u201d\n" for c in fig.comments]
    out += ["", "## Notes", "", f"- {rounding_rule(fig.decimals)}", f"- {small_group_note(fig.min_group)}"]
    out += [
        f"- {STORED_UNDER_CODES} A delegate's post-course and follow-up answers cannot be linked, so responses "
        "are counted per survey.",
        "- Delegates: said they were going, or had attendance recorded (by the trainer or an import), each "
        "chat account once (someone with both a Slack and a Teams account counts twice). "
        "Attended: marked as attended, by the trainer or an import; sessions without attendance recorded count 0 "
        "there.",
        "- The answers themselves are not in this report. `sgbot report answers` with the same period writes them "
        "(answers.csv and answers.xlsx, with answers.md saying what each column holds) for whoever analyses them; "
        "keep that file only as long as the analysis needs it.",
    ]
    out += ["", "## Files", ""] + [f"- {name}" for name in files]
    return "\n".join(out) + "\n"


def answers_markdown(fig: ImpactFigures, *, files: list[str], questions: list[tuple[str, str, str]]) -> str:
    """answers.md, written by `sgbot report answers` beside the answers: what the rows are, who is
    left out and why, and what each question id asks."""
    out = [f"# Every answer: {fig.title}", ""]
    out += [
        "One row per answer, in the columns course_id, survey, respondent, question (its id), value and answer.",
        "",
        "## Who answered",
        "",
        f"- {STORED_UNDER_CODES} The respondent column is not that code either: respondents are numbered 1, 2, 3 "
        "afresh for each export, the surveys in a random order and each survey's respondents in a random order "
        "within it (so one survey's respondents have consecutive numbers), and the rows come in that order. A "
        "number matches no stored code and no other export, and says nothing about who answered or when.",
        "- Each comment has a respondent number of its own, never its writer's: a comment can say who wrote it "
        '("as the only school nurse on this course..."), and beside that person\'s button answers it would tell '
        "the reader those too. So a comment cannot be read beside the same person's scores, and a survey can have "
        "more respondent numbers than people who answered it.",
        "- A delegate's post-course and follow-up answers cannot be linked: each survey numbers its own respondents.",
        f"- Only the answers of surveys that have closed with at least {fig.min_group} responses are here, as in "
        "the report's measures: then comparing the files of two periods never isolates one person's answers.",
        f"- A question that counts toward a measure, answered by fewer than {fig.min_group} people in one survey, "
        "is in no figure of any report, and its answers in that survey are left out here too: with them, this "
        "file set against a report would give those few answers back.",
    ]
    left_out = len(fig.courses) - len(fig.exported_courses)
    if left_out:
        out.append(
            f"- The answers of {courses_text(left_out)} with fewer than {fig.min_group} responses, or with a "
            "figure the report does not show, are left out: with them, anyone could count the hidden figure again."
        )
    else:
        out.append("- Every other answer of those surveys in the period is here.")
    if questions:
        out += ["", "## Questions", "", "What each question id asks.", ""]
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
            f"{row.rate.text(fig.decimals) if row.invited else '-'} |"
        )
    return out


def activity_rows(fig: ImpactFigures) -> list[list[str]]:
    """The training activity table for the CSV, in the annual report's shape, with a totals row."""
    rows = [["course", "course_id", "sessions", "delegates", "attended", "responses", "response_rate_percent"]]
    for row in [*fig.activity, fig.activity_totals()]:
        rows.append(
            [
                row.title,
                row.course_id,
                str(row.sessions),
                str(row.delegates),
                str(row.attended),
                str(row.responses),
                row.rate.rate_text(fig.decimals),
            ]
        )
    return rows


def name_measures(fig: ImpactFigures, pack: surveys.SurveysPack) -> None:
    """Give every measure line its full name (measure_names), in the pack's order; the report
    counts while the pack is read, so the names come afterwards. A confidence change is an
    average score, not a count of answers, so it keeps the measure's plain label."""
    from dataclasses import replace

    names, plain = measure_names(pack), pack.measure_labels()
    order = {measure: i for i, measure in enumerate(names)}

    def key(line: MeasureFigure | ConfidenceFigure) -> tuple[int, str]:
        return order.get(line.measure, len(order)), line.measure

    fig.measures = sorted((replace(m, label=names.get(m.measure, m.label)) for m in fig.measures), key=key)
    for course in fig.courses:
        course.measures[:] = sorted((replace(m, label=names.get(m.measure, m.label)) for m in course.measures), key=key)
    fig.confidence = sorted((replace(c, label=plain.get(c.measure, c.label)) for c in fig.confidence), key=key)


# --- /impact -------------------------------------------------------------------------------------


def financial_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The partnership's reporting year (1 April to 31 March) that contains `day`."""
    start_year = day.year if day.month >= 4 else day.year - 1
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


def period_bounds(ctx: Context, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local dates, inclusive, as a UTC [start, end) range of session start times."""
    return utc_range(first, last, ctx.zone)


def _date(text: str) -> dt.date:
    try:
        day = report_day(text, dt.date.today())
    except DateProblem as exc:
        raise UserError(f"{text[:20]!r}: {exc}") from None
    if day is None:
        raise UserError(f"{text[:20]!r} is not a date; write dates like 2025-04-01 or 01/04/2025.")
    return day


def reporting_year(text: str, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """'2025-26' (or 2025/26, 2025-2026) as (1 April 2025, 31 March 2026); None if it is not such a
    year. DateProblem for a year outside those a report's dates may be (core.dates.check_years):
    9999-00 would end in a year the calendar does not have."""
    match = re.fullmatch(r"(\d{4})[-/](\d{2}|\d{4})", text.strip())
    if not match or int(match.group(2)) % 100 != (int(match.group(1)) + 1) % 100:
        return None
    first = int(match.group(1))
    latest = (today or dt.date.today()).year + YEARS_AHEAD - 1
    if not EARLIEST_YEAR <= first <= latest:
        span = f"{EARLIEST_YEAR}-{(EARLIEST_YEAR + 1) % 100:02d} to {latest}-{(latest + 1) % 100:02d}"
        raise DateProblem(f"reports cover the years {span}.")
    return financial_year(dt.date(first, 4, 1))


def measure_names(pack: surveys.SurveysPack) -> dict[str, str]:
    """Each measure's label with exactly what it counts, from the questions' counts_if, so a reader
    can set it beside the partnership's own wording: "Confidence recognising a safeguarding
    concern (Very or Extremely confident)", "No barriers to taking safeguarding action (answered No)"."""
    counted: dict[str, list[str]] = defaultdict(list)
    for survey in pack.surveys:
        if survey.id not in REPORTED_KINDS:
            continue
        for question in survey.questions:
            if not question.measure or not question.counts_if:
                continue
            labels = dict(question.choices())
            names = [labels.get(v, v) for v in question.counts_if]
            said = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)
            if question.kind == "scale" and question.labels[0].startswith("Not "):
                said = f"{said} {question.labels[0][4:]}"  # "Very or Extremely confident"
            elif question.kind != "scale":
                said = f"answered {said}"
            if said not in counted[question.measure]:
                counted[question.measure].append(said)
    return {m.id: f"{m.label} ({'; '.join(counted[m.id])})" if counted.get(m.id) else m.label for m in pack.measures}


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


PERIOD_HELP = "a period like 2025-04-01..2026-03-31 or a reporting year like 2025-26"


def _as_period(text: str) -> str:
    """A period as people type it, written as /impact reads it: "2026-03-01 .. 2026-03-31",
    "2026-03-01 to 2026-03-31" and "2026-03-01 - 2026-03-31" become "2026-03-01..2026-03-31"."""
    spaced = re.fullmatch(r"\s*(\S+)\s*(?:\.\.|\bto\b|\s-\s|–)\s*(\S+)\s*", text, flags=re.IGNORECASE)
    if spaced and _is_day(spaced.group(1)) and _is_day(spaced.group(2)):
        return f"{spaced.group(1)}..{spaced.group(2)}"
    return text


def _is_day(text: str) -> bool:
    try:
        return report_day(text, dt.date.today()) is not None
    except DateProblem:
        return True  # a date, if an impossible one: said as such when read


async def parse_selection(ctx: Context, text: str) -> tuple[store.Selection, str, bool]:
    """(what to report on, a title, whether it is a whole period) from /impact's arguments."""
    words = _as_period(text).split()
    first = words[0].lower() if words else ""
    if len(words) == 1 and ".." not in first and _is_day(first) and not re.fullmatch(r"#?\d{1,9}", first):
        raise UserError(f"{first} is one day; give {PERIOD_HELP}.")
    if not words or re.fullmatch(r"\d{4}[-/]\d{2}(\d{2})?", first) or ".." in first:
        if not words:
            start_day, end_day = financial_year(ctx.local_now().date())
        elif ".." in first:
            left, _, right = first.partition("..")
            start_day, end_day = _date(left), _date(right)
        else:
            try:
                year = reporting_year(first, ctx.local_now().date())
            except DateProblem as exc:
                raise UserError(f"{first}: {exc}") from None
            if year is None:
                raise UserError(f"{first} is not a reporting year; write it like 2025-26.")
            start_day, end_day = year
        if end_day < start_day:
            raise UserError("The period ends before it starts; write it like 2025-04-01..2026-03-31.")
        start, end = period_bounds(ctx, start_day, end_day)
        title = f"Training impact, {_long_date(start_day)} to {_long_date(end_day)}"
        return store.Selection(start=start, end=end), title, True
    if first == "session" or re.fullmatch(r"#?\d+", first):
        numbers = words[1:] if first == "session" else words
        if len(numbers) > 1:
            raise UserError("Give one session number at a time, e.g. /impact session 12.")
        session = await surveys.session_arg(ctx, numbers, "/impact session 12")
        if session.status == CANCELLED:  # the reports leave cancelled sessions out
            raise UserError(
                f"Session {session.id} was cancelled, so the impact figures leave it out. "
                f"/survey status {session.id} shows any survey that went out before it was cancelled."
            )
        title = f"Training impact, session {session.id}: {surveys.session_line(ctx, session)}"
        return store.Selection(session_id=session.id), title, False
    wanted = " ".join(words[1:] if first == "course" else words)
    async with ctx.db.transaction() as tx:
        matches = await store.resolve_course(tx, wanted)
    if not wanted:
        held = ", ".join(f"{neutralise_text(title)} ({course})" for course, title in matches[:8]) or "none yet"
        raise UserError(f"Which course? Write /impact course NAME. Courses with sessions: {held}.")
    if not matches:
        known, several = await _catalogue_course(ctx, wanted)
        if known is not None:
            course_id, course_title = known
            raise UserError(
                f"No sessions of {neutralise_text(course_title)} ({course_id}) have run yet, so there is nothing "
                "to report on."
            )
        if several:  # "refresher": two courses, neither held yet
            raise UserError(
                f"'{echoed(wanted)}' could be {', '.join(several)}, and no session of any of them "
                "has run yet, so there is nothing to report on."
            )
        raise UserError(
            f"I can't find a course matching '{echoed(wanted)}'. Try a course id, a session number "
            f"(/impact session 12), or {PERIOD_HELP}."
        )
    if len(matches) > 1:
        names = ", ".join(f"{neutralise_text(title)} ({course})" for course, title in matches[:5])
        raise UserError(f"'{echoed(wanted)}' matches more than one course: {names}. Give the course id.")
    course_id, course_title = matches[0]
    if course_id.lower() != wanted.strip().lower():
        # Words of a title that other courses' titles hold too ("safeguarding"): asked back, as
        # `sgbot report impact --course` does, not answered for the one that happens to have run
        known, several = await _catalogue_course(ctx, wanted)
        if known is None and len(several) > 1:
            raise UserError(
                f"'{echoed(wanted)}' is in the title of more than one course: {', '.join(several)}. "
                f"Give the course id, e.g. /impact course {course_id}."
            )
    return store.Selection(courses=(course_id,)), f"Training impact, {course_title}", False


async def _catalogue_course(ctx: Context, wanted: str) -> tuple[tuple[str, str] | None, list[str]]:
    """(id, title) of the course in the pack's programme or added in chat that `wanted` names,
    for a course no session has been held under yet; else the courses it could be, if several."""
    # The training feature's catalogue; imported here, as `sgbot report impact` does.
    from handlers.training.courses import courses
    from handlers.training.schedule import match_course

    try:
        catalogue = await courses(ctx)
    except LookupError:  # a pack without courses.yaml
        return None, []
    course, _problem = match_course(wanted, catalogue, fuzzy=False)
    if course is not None:
        return (course.id, course.title), []
    low = wanted.lower()
    several = [f"{neutralise_text(c.title)} ({c.id})" for c in catalogue.values() if low in c.title.lower()]
    return None, several[:5] if len(several) > 1 else []


async def gather_figures(
    db: Database,
    sel: store.Selection,
    *,
    title: str,
    whole_period: bool,
    labels: dict[str, str],
    min_group: int,
    max_comments: int = 3,
    survey_counts: SurveyCounts | None = None,
    decimals: int = 1,
) -> ImpactFigures:
    """Count in SQL, then compute the figures; shared by /impact and `sgbot report impact`.

    The counting queries run at once, each on its own connection: they take the `Database`,
    not a transaction (storage/surveys.py names them as its exception)."""

    sel = replace(sel, min_group=min_group)

    async def counted() -> SurveyCounts:
        return survey_counts if survey_counts is not None else await store.survey_counts(db, sel)

    activity, counts, measure_counts, baseline_counts, comments = await asyncio.gather(
        store.activity(db, sel),
        counted(),
        store.measure_counts(db, sel),
        store.baseline_measure_counts(db, sel),
        store.comments(db, sel, limit=200),
    )
    return compute(
        title=title,
        survey_counts=counts,
        measure_counts=measure_counts,
        baseline_counts=baseline_counts,
        comments=comments,
        labels=labels,
        titles={course: course_title for course, course_title, *_ in activity},
        min_group=min_group,
        whole_period=whole_period,
        # in the order "By course" and its chart take, by title (an outside audit: the activity
        # table and its chart came in course id order)
        activity=sorted(activity, key=lambda row: ((row[1] or row[0]).lower(), row[0])),
        max_comments=max_comments,
        decimals=decimals,
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
    pack = ctx.pack.get(surveys.SurveysPack)
    fig = await gather_figures(
        ctx.db,
        sel,
        title=title,
        whole_period=whole_period,
        labels=pack.measure_labels(),
        min_group=surveys.survey_settings(ctx).report_min_group,
        decimals=0,
    )
    name_measures(fig, pack)
    blocks: list[Any] = [Header(text=title[:150])]
    blocks.extend(Text(text=section) for section in chat_sections(fig))
    notes = [ROUNDING_RULE, small_group_note(fig.min_group)]
    if not fig.held_back and fig.responses < fig.min_group:
        so_far = "No responses so far" if not fig.responses else f"Only {_responses(fig.responses)} so far"
        notes.insert(0, f"{so_far}, fewer than {fig.min_group}, so no measures are shown.")
    blocks.append(Caption(text=" ".join(notes)))
    return reply(*blocks, summary=title)


def _responses(count: int) -> str:
    return "1 response" if count == 1 else f"{count} responses"
