"""The impact report as the annual report needs it: one decimal place, small groups that stay
hidden even by subtraction, delegates from every attendance source, an unknown course refused,
Excel files as inert as the CSVs, and a late reply told the day its survey really closed.
Each runs the real bot (and the real `sgbot report impact` process) on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.runtime import Runtime
from core.clock import FrozenClock
from core.dates import DateProblem
from core.model import Request, RequestKind
from handlers import surveys
from handlers.surveys import impact
from storage import surveys as store
from storage import training
from storage.training import Rsvp
from tests.harness import command, text_of
from tests.storage_support import in_tx
from tests.surveys_support import answer, close_surveys, seed_session, survey_runtime
from tests.test_surveys_impact import NO_BARRIERS, RECOGNISE, REPORT_FILES, YES_NO, run_report


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    async with survey_runtime(database_url, tmp_path, clock) as rt:
        yield rt


@pytest.fixture
async def srt_of_one(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    """A minimum group of 1, so a close writes out the answers of a survey or two people."""
    async with survey_runtime(database_url, tmp_path, clock, report_min_group=1) as rt:
        yield rt


async def trainer(rt: Runtime, name: str, text: str = "") -> str:
    return text_of((await rt.dispatcher.handle(command(name, text, user="trainer", roles={"trainer"}))).replies)


async def post_course(rt: Runtime, session_id: int) -> int:
    survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    return survey.id


# --- one decimal place: the partnership's published figures ---------------------------------------------


async def test_a_year_of_7_answers_from_200_delegates_reads_3_5_and_85_7_percent(
    srt: Runtime, database_url: str, tmp_path: Path
) -> None:
    people = [f"p{i:03d}" for i in range(200)]
    # A session in February 2023, in the partnership's year 2022-23.
    held = srt.ctx.now() - dt.datetime(2023, 2, 14, 13, 0, tzinfo=dt.UTC)
    session_id = await seed_session(srt, attendees=people, going=people, ended_ago=held)
    assert "Sending the post-course survey" in await trainer(srt, "survey", f"send {session_id}")
    survey_id = await post_course(srt, session_id)
    for person, value in zip(people, [5, 4, 4, 5, 5, 4, 2], strict=False):  # 6 of 7 Very or Extremely
        await answer(srt, f"{survey_id}.0.{value - 1}", user=person)
    await close_surveys(srt)

    out = tmp_path / "fy"
    result = run_report(database_url, tmp_path, "--year", "2022-23", "--out", str(out))
    assert result.returncode == 0, result.stderr
    summary = (out / "summary.md").read_text()
    assert "# Training impact, 1 April 2022 to 31 March 2023" in summary
    assert "| Post-course | 1 | 200 | 7 | 3.5% (7 of 200) |" in summary
    assert f"| {RECOGNISE} | 85.7% (6 of 7) |" in summary
    # ...and the command prints them as it finishes (issue 14's must-show), not only into the file
    assert "Post-course response rate: 3.5% (7 of 200)" in result.stdout
    assert f"{RECOGNISE}: 85.7% (6 of 7)" in result.stdout
    with (out / "training_activity.csv").open() as handle:
        rows = list(csv.reader(handle))
    assert rows[1][-1] == "3.5" and rows[-1][-1] == "3.5"
    # Chat may round: /impact gives whole percents.
    shown = await trainer(srt, "impact", "2022-23")
    assert "response rate 4% (7 of 200)" in shown and f"{RECOGNISE}: 86% (6 of 7)" in shown


# --- small groups: nothing hidden can be worked out from what is shown -------------------------------------

NEGLECT = {"n1": (5, "no"), "n2": (4, "no"), "n3": (4, "yes"), "n4": (5, "no"), "n5": (2, "yes"), "n6": (3, "no")}
DASH = {"d1": (5, "yes"), "d2": (2, None)}  # d1 alone answered the barriers question


def hidden_cells() -> list[tuple[int, int]]:
    """(positive, answers) of every figure that must stay hidden: DASH's (2 responses) for each
    measure. Its survey closed with fewer than 5 responses, so its answers count nowhere, and
    neglect's figures, now the same as the totals, give nothing away."""
    cells = []
    for given in (DASH,):
        recognised = [r for r, _b in given.values()]
        barriers = [b for _r, b in given.values() if b is not None]
        cells.append((sum(r >= 4 for r in recognised), len(recognised)))
        cells.append((sum(b == "no" for b in barriers), len(barriers)))
    return cells


async def courses_answered(rt: Runtime, courses: dict[str, tuple[str, dict[str, tuple[int, str | None]]]]) -> None:
    """A session of each course, its post-course survey answered (recognise, and barriers where
    given) by each of its people, then every survey closed."""
    for course, (title, given) in courses.items():
        session_id = await seed_session(rt, attendees=list(given), course=course, title=title)
        await surveys.survey_rounds(rt.ctx)
        survey_id = await post_course(rt, session_id)
        for person, (recognise, barriers) in given.items():
            await answer(rt, f"{survey_id}.0.{recognise - 1}", user=person)
            if barriers is not None:
                await answer(rt, f"{survey_id}.2.{YES_NO[barriers]}", user=person)
    await close_surveys(rt)


def computed(
    survey_counts: impact.SurveyCounts, measure_counts: list[tuple[str, str, str, int, int, int, int, int]]
) -> impact.ImpactFigures:
    """The figures for a whole period from these counts, with a minimum group of 5."""
    return impact.compute(
        title="t",
        survey_counts=survey_counts,
        measure_counts=measure_counts,
        baseline_counts=[],
        comments=[],
        labels={},
        titles={},
        min_group=5,
        whole_period=True,
    )


def shown_pairs(text: str) -> set[tuple[int, int]]:
    """Every "a of b" figure shown in a text (the rounding rule's worked example is not a figure)."""
    for rule in (impact.rounding_rule(1), impact.ROUNDING_RULE):
        text = text.replace(rule, "")
    return {(int(a), int(b)) for a, b in re.findall(r"(\d+) of (\d+)", text)}


def recounted_from_answers(path: Path) -> set[tuple[int, int]]:
    """The course figures anyone can count again from answers.csv."""
    counts: dict[tuple[str, str], list[int]] = {}
    with path.open() as handle:
        for row in csv.DictReader(handle):
            if row["survey"] != "post-course" or row["question"] not in ("recognise", "barriers"):
                continue
            positive = row["value"] in ("4", "5") if row["question"] == "recognise" else row["value"] == "no"
            cell = counts.setdefault((row["course_id"], row["question"]), [0, 0])
            cell[0] += positive
            cell[1] += 1
    return {(p, n) for p, n in counts.values()}


async def test_no_hidden_figure_can_be_recovered_by_subtracting_shown_ones(
    srt: Runtime, database_url: str, tmp_path: Path
) -> None:
    """The issue's case: all courses 5 of 8, neglect 4 of 6, DASH hidden, so DASH = 1 of 2 and
    its one barriers answer. Every figure shown in chat, summary.md and the CSVs is collected;
    every difference of one of them and the sum of any subset of the others is tried; none may
    equal a hidden course figure (its positive answers and its answers, as a pair). DASH's survey
    closed with 2 responses, so its answers are in no figure: the totals are neglect's."""
    await courses_answered(srt, {"neglect": ("Neglect", NEGLECT), "dash": ("Domestic abuse (DASH)", DASH)})

    chat = await trainer(srt, "impact", "2025-26")
    out = tmp_path / "report"
    result = run_report(database_url, tmp_path, "--year", "2025-26", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.iterdir()} == REPORT_FILES
    summary = (out / "summary.md").read_text()
    assert f"- {RECOGNISE}: 67% (4 of 6)" in chat and f"| {RECOGNISE} | 66.7% (4 of 6) |" in summary
    assert f"- {NO_BARRIERS}: 67% (4 of 6)" in chat
    held_back = "2 of the 8 post-course and follow-up responses are in the response rates"
    assert held_back in chat and held_back in summary
    # an outside audit read the old note ("fewer than 5 responses in surveys that closed with at
    # least 5") as contradicting itself
    assert "1 course had no survey that closed with at least 5 responses. A smaller survey is left out" in summary

    answers_out = tmp_path / "answers"
    result = run_report(database_url, tmp_path, "--year", "2025-26", "--out", str(answers_out), command="answers")
    assert result.returncode == 0, result.stderr
    shown = shown_pairs(chat) | shown_pairs(summary) | recounted_from_answers(answers_out / "answers.csv")
    shown |= shown_pairs((answers_out / "answers.md").read_text())
    shown |= shown_pairs((out / "training_activity.csv").read_text())
    hidden = set(hidden_cells())
    assert hidden == {(1, 2), (0, 1)}
    recovered = []
    for total in shown:
        others = sorted(shown - {total})
        for size in range(len(others) + 1):
            for parts in itertools.combinations(others, size):
                left = (total[0] - sum(p for p, _n in parts), total[1] - sum(n for _p, n in parts))
                if left in hidden:
                    recovered.append((total, parts, left))
    assert recovered == [], recovered
    assert not hidden & shown


# The audit's case: three courses' surveys closed with enough responses, but only three of DASH's
# six answered the barriers question. Hidden in the all-courses report, that figure came back as
# the all-courses total minus a report on the other two courses.
THREE_COURSES = {
    "neglect": {f"n{i}": (4 + i % 2, "no" if i % 3 else "yes") for i in range(6)},
    "dash": {f"d{i}": (5 - i % 3, ("no", "no", "yes")[i] if i < 3 else None) for i in range(6)},
    "cse": {f"c{i}": (3 + i % 3, "yes" if i % 2 else "no") for i in range(7)},
}
# A later audit's case: an earlier neglect session, 5 responses, 3 of them to the barriers
# question. Neglect's course figure is shown (its other session's), and answers.csv gave these
# three answers back beside it.
EARLIER_NEGLECT = {f"m{i}": (4 - i % 2, ("yes", "no", "yes")[i] if i < 3 else None) for i in range(5)}


MEASURED = {"recognise": "confidence_recognising", "barriers": "no_barriers"}  # the post-course questions asked
MEASURE_NAMES = {RECOGNISE: "confidence_recognising", NO_BARRIERS: "no_barriers"}


def recounted_rows(rows: list[dict[str, str]]) -> set[tuple[str, int, int]]:
    """Every figure anyone can count from an export's rows, as (measure, positive, answers): per
    course and measured question."""
    counts: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        if row["question"] not in MEASURED:
            continue
        positive = row["value"] in ("4", "5") if row["question"] == "recognise" else row["value"] == "no"
        cell = counts.setdefault((row["course_id"], MEASURED[row["question"]]), [0, 0])
        cell[0] += positive
        cell[1] += 1
    return {(measure, p, n) for (_course, measure), (p, n) in counts.items()}


def shown_in_chat(text: str) -> set[tuple[str, int, int]]:
    """(measure, positive, answers) of every measure figure in a chat reply."""
    return {
        (measure, int(p), int(n))
        for name, measure in MEASURE_NAMES.items()
        for p, n in re.findall(re.escape(name) + r":? \d+% \((\d+) of (\d+)\)", text)
    }


def exported_rows(folder: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """answers.csv's rows, and answers.xlsx's rows read the same way."""
    from openpyxl import load_workbook

    with (folder / "answers.csv").open(newline="", encoding="utf-8") as handle:
        from_csv = list(csv.DictReader(handle))
    sheet = load_workbook(folder / "answers.xlsx", read_only=True).active
    assert sheet is not None
    cells = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    return from_csv, [dict(zip(cells[0], row, strict=True)) for row in cells[1:]]


async def test_no_course_subset_or_course_view_recovers_a_question_few_answered_in_one_survey(
    srt: Runtime, database_url: str, tmp_path: Path
) -> None:
    """Every figure of every view (the year, the earlier session's days, the later days and the
    earlier session alone; all courses, every subset of the three and each course alone; in chat,
    as the report counts them, and as anyone can count them again from answers.csv and
    answers.xlsx) is collected; no difference of one and up to three others of the same measure
    gives DASH's barriers answers (2 of 3) or the earlier neglect session's (1 of 3), which are
    counted nowhere."""
    earlier = await seed_session(
        srt, attendees=list(EARLIER_NEGLECT), course="neglect", title="NEGLECT", ended_ago=dt.timedelta(days=14)
    )
    assert "Sending" in await trainer(srt, "survey", f"send {earlier}")
    earlier_survey = await post_course(srt, earlier)
    for person, (recognise, barriers) in EARLIER_NEGLECT.items():
        await answer(srt, f"{earlier_survey}.0.{recognise - 1}", user=person)
        if barriers is not None:
            await answer(srt, f"{earlier_survey}.2.{YES_NO[barriers]}", user=person)
    await courses_answered(srt, {course: (course.upper(), given) for course, given in THREE_COURSES.items()})
    hidden = {("no_barriers", 2, 3), ("no_barriers", 1, 3)}

    split = srt.ctx.local_now().date() - dt.timedelta(days=10)  # after the earlier session, before the others
    periods = [
        ("2025-26", ("--year", "2025-26")),
        (f"2025-04-01..{split.isoformat()}", ("--from", "2025-04-01", "--to", split.isoformat())),
        (f"{split.isoformat()}..2026-03-31", ("--from", split.isoformat(), "--to", "2026-03-31")),
        (str(earlier), ()),  # the session alone: chat only, the export takes periods
    ]
    shown: set[tuple[str, int, int]] = set()
    views = [c for size in range(1, 4) for c in itertools.combinations(sorted(THREE_COURSES), size)]
    for words, args in periods:
        period, _title, _whole = await impact.parse_selection(srt.ctx, words)
        for k, courses in enumerate([(), *views]):
            fig = await impact.gather_figures(
                srt.ctx.db, replace(period, courses=courses), title="", whole_period=True, labels={}, min_group=5
            )
            for line in fig.measures + [m for c in fig.courses for m in c.measures]:
                if not line.suppressed:
                    shown.add((line.measure, line.share.part, line.share.whole))
            barriers = {m.measure: m for m in fig.measures}.get("no_barriers")
            if words == "2025-26" and courses in ((), ("cse", "dash", "neglect")):
                assert barriers is not None and (barriers.share.part, barriers.share.whole) == (8, 13)
            if not args:
                continue
            out = tmp_path / f"answers-{args[1]}-{k}"
            named = list(itertools.chain.from_iterable(("--course", c) for c in courses))
            result = run_report(database_url, tmp_path, *args, *named, "--out", str(out), command="answers")
            assert result.returncode == 0, result.stderr
            from_csv, from_sheet = exported_rows(out)
            assert from_sheet == from_csv  # the sheet holds the same rows: nothing more to count there
            shown |= recounted_rows(from_csv)
            if words == "2025-26" and "neglect" in courses:
                # The earlier session's three barriers answers are in no figure, and not here either.
                neglect = [r for r in from_csv if r["course_id"] == "neglect" and r["question"] == "barriers"]
                assert len(neglect) == len(THREE_COURSES["neglect"])
    chat = [await trainer(srt, "impact", "2025-26")]
    chat += [await trainer(srt, "impact", f"course {course}") for course in THREE_COURSES]
    chat += [await trainer(srt, "impact", str(earlier))]
    for text in chat:
        shown |= shown_in_chat(text)
    assert ("no_barriers", 4, 6) in shown and ("confidence_recognising", 3, 5) in shown  # the test reads them
    assert not hidden & shown
    recovered = [
        (total, parts)
        for total in shown
        for size in range(1, 4)
        for parts in itertools.combinations(sorted(f for f in shown - {total} if f[0] == total[0]), size)
        if (total[0], total[1] - sum(p for _m, p, _n in parts), total[2] - sum(n for _m, _p, n in parts)) in hidden
    ]
    assert recovered == [], recovered
    assert "fewer than 5" in chat[0] or "at least 5" in chat[0]


async def test_a_period_with_fewer_responses_than_the_minimum_shows_no_measures(
    srt: Runtime, database_url: str, tmp_path: Path
) -> None:
    session_id = await seed_session(srt, attendees=["a1", "a2", "a3", "a4"])
    await surveys.survey_rounds(srt.ctx)
    survey_id = await post_course(srt, session_id)
    for person in ("a1", "a2", "a3"):
        await answer(srt, f"{survey_id}.0.4", user=person)
    await close_surveys(srt)
    chat = await trainer(srt, "impact", "2025-26")
    assert "(3 of 3)" not in chat and "3 of the 3 post-course and follow-up responses are in the response rates" in chat
    out = tmp_path / "small"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a chart with every figure hidden draws no empty legend
        result = run_report(database_url, tmp_path, "--year", "2025-26", "--out", str(out))
    assert result.returncode == 0, result.stderr
    summary = (out / "summary.md").read_text()
    assert "(3 of 3)" not in summary
    assert "3 of the 3 post-course and follow-up responses are in the response rates" in summary
    answers_out = tmp_path / "small-answers"
    assert (
        run_report(database_url, tmp_path, "--year", "2025-26", "--out", str(answers_out), command="answers").returncode
        == 0
    )
    with (answers_out / "answers.csv").open() as handle:
        assert list(csv.DictReader(handle)) == []


def test_one_hidden_course_hides_the_next_smallest_or_the_total() -> None:
    counts = [
        ("big", "post-course", 1, 40, 30, 30, 0),
        ("mid", "post-course", 1, 20, 9, 9, 0),
        ("tiny", "post-course", 1, 5, 2, 2, 0),
    ]
    measures = [
        ("big", "post-course", "m", 30, 20, 0, 0, 0),
        ("mid", "post-course", "m", 9, 6, 0, 0, 0),
        ("tiny", "post-course", "m", 2, 1, 0, 0, 0),
        ("big", "post-course", "only_big_and_tiny", 30, 10, 0, 0, 0),
        ("tiny", "post-course", "only_big_and_tiny", 2, 2, 0, 0, 0),
        ("tiny", "post-course", "only_tiny", 2, 1, 0, 0, 0),
    ]
    fig = computed(counts, measures)
    cells = {(c.course_id, m.measure): m.suppressed for c in fig.courses for m in c.measures}
    assert cells == {
        ("big", "m"): False,
        ("mid", "m"): True,  # the next smallest, hidden with tiny
        ("tiny", "m"): True,
        ("big", "only_big_and_tiny"): True,
        ("tiny", "only_big_and_tiny"): True,
        ("tiny", "only_tiny"): True,
    }
    totals = {m.measure: m.suppressed for m in fig.measures}
    assert totals == {"m": False, "only_big_and_tiny": False, "only_tiny": True}  # the total would be tiny's
    assert fig.exported_courses == []  # every course has a hidden figure


# --- training activity ----------------------------------------------------------------------------------


async def test_imported_attendance_counts_its_delegates(srt: Runtime) -> None:
    session_id = await seed_session(srt, going=["g1", "g2"], announced_in=None)
    now = srt.ctx.now()
    # The register import: three people who never answered in chat, one absent, and g1 again.
    marks = {("console", "i1"): True, ("console", "i2"): True, ("console", "i3"): False, ("console", "g1"): True}
    assert await in_tx(srt.ctx.db, training.record_attendance, session_id, marks, source="import", now=now) == 4
    # Replies other than Going are not delegates; the same id on another platform is another person.
    async with srt.ctx.db.transaction() as tx:
        for user, status in [("d1", "declined"), ("w1", "waitlist")]:
            tx.add(Rsvp(session_id=session_id, platform="console", user_id=user, status=status, responded_at=now))
        tx.add(Rsvp(session_id=session_id, platform="slack", user_id="g1", status="going", responded_at=now))
    fig = await impact.gather_figures(
        srt.ctx.db, store.Selection(session_id=session_id), title="t", whole_period=False, labels={}, min_group=5
    )
    row = fig.activity[0]
    assert (row.sessions, row.delegates, row.attended, row.recorded) == (1, 6, 3, 1)
    assert impact.activity_rows(fig)[1][3:5] == ["6", "3"]


# --- the command line ------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["impact", "answers"])
async def test_an_unknown_course_is_refused_naming_the_known_ones_and_nothing_is_written(
    srt: Runtime, database_url: str, tmp_path: Path, command: str
) -> None:
    await seed_session(srt, attendees=["a1"], course="local-pathways", title="Local pathways")
    out = tmp_path / "nope-report"
    result = run_report(
        database_url, tmp_path, "--year", "2025-26", "--course", "nope", "--out", str(out), command=command
    )
    assert result.returncode == 2
    assert "No course has the id or title nope, so nothing was written." in result.stderr
    assert "local-pathways (Local pathways)" in result.stderr and "basic-cp" in result.stderr  # sessions, the pack
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("command", ["impact", "answers"])
async def test_a_folder_that_cannot_be_made_is_said_every_time_and_the_command_ends(
    srt: Runtime, database_url: str, tmp_path: Path, command: str
) -> None:
    """An outside audit: `--out /proc/nope/x` hung for ever in 3 runs of 10 (7 of 10 here), the
    counting cancelled mid-query while the database was closed. Each run is a process of its own,
    so a hang is a timeout, not a stuck test."""
    import os
    import subprocess
    import sys

    from tests.test_surveys_impact import SECRET

    people = [f"d{i}" for i in range(40)]
    held = srt.ctx.now() - dt.datetime(2023, 2, 14, 13, 0, tzinfo=dt.UTC)
    session_id = await seed_session(srt, attendees=people, going=people, ended_ago=held)
    await trainer(srt, "survey", f"send {session_id}")
    survey_id = await post_course(srt, session_id)
    for i, person in enumerate(people[:12]):
        await answer(srt, f"{survey_id}.0.{i % 5}", user=person)
    await close_surveys(srt)
    env = {**os.environ, "DATABASE_URL": database_url, "SURVEY_SECRET": SECRET, "DATA_DIR": str(tmp_path)}
    for _ in range(5):
        result = subprocess.run(
            [sys.executable, "-m", "bot", "report", command, "--year", "2022-23", "--out", "/proc/nope/x"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 2
        assert "Cannot create the folder /proc/nope/x" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("basic child protecton", 'Did you mean "Basic child protection" (--course basic-cp)?'),
        ("child", '"child" is in the title of more than one course: basic-cp (Basic child protection), cse ('),
    ],
)
async def test_a_slip_or_a_word_of_several_titles_is_answered_with_what_it_could_mean(
    srt: Runtime, database_url: str, tmp_path: Path, typed: str, said: str
) -> None:
    """An outside audit: both got "No course has the id or title", with no suggestion. A report
    still counts only a course named exactly, so nothing is written."""
    out = tmp_path / "report"
    result = run_report(database_url, tmp_path, "--year", "2025-26", "--course", typed, "--out", str(out))
    assert result.returncode == 2
    assert said in result.stderr and "Nothing was written." in result.stderr
    assert not out.exists()


async def test_a_course_can_be_named_by_its_title_and_a_year_written_with_a_slash(
    srt: Runtime, database_url: str, tmp_path: Path
) -> None:
    # An outside check: the forms take titles, --course took only ids; reports write "2022/23".
    await seed_session(srt, attendees=["a1"], course="local-pathways", title="Local pathways")
    out = tmp_path / "by-title"
    result = run_report(database_url, tmp_path, "--year", "2025/26", "--course", "local pathways", "--out", str(out))
    assert result.returncode == 0, result.stderr
    summary = (out / "summary.md").read_text()
    assert "1 April 2025 to 31 March 2026 (local-pathways)" in summary


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--year", "2025-27"], "--year '2025-27' is not a reporting year; write it like 2025-26"),
        # An outside audit: these gave a 49-line traceback ("year 10000 is out of range").
        (["--year", "9999-00"], "--year '9999-00': reports cover the years 2000-01 to"),
        (["--year", "0000-01"], "--year '0000-01': reports cover the years 2000-01 to"),
        (["--year", "2025-26", "--from", "2025-04-01"], "Give either --year or --from and --to, not both."),
        (["--from", "31/02/2026", "--to", "2026-03-31"], "--from '31/02/2026': There is no 31 February 2026"),
        (["--from", "today", "--to", "2026-03-31"], "--from 'today' is not a date"),
        ([], "Say which sessions to report on"),
    ],
)
def test_the_report_command_explains_a_bad_period(tmp_path: Path, args: list[str], expected: str) -> None:
    result = run_report(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path, *args, "--out", str(tmp_path / "x"))
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()


def test_day_first_dates_and_reporting_years_are_read() -> None:
    assert impact.read_date("01/04/2025") == dt.date(2025, 4, 1)
    assert impact.read_date("2026-03-31") == dt.date(2026, 3, 31)
    assert impact.read_date("31/3/26") == dt.date(2026, 3, 31)
    assert impact.read_date("tomorrow") is None
    with pytest.raises(DateProblem, match="There is no 31 February 2026"):
        impact.read_date("31/02/2026")
    assert impact.reporting_year("2025-26") == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert impact.reporting_year("2099-00", dt.date(2095, 1, 1)) == (dt.date(2099, 4, 1), dt.date(2100, 3, 31))
    assert impact.reporting_year("2025-27") is None


def test_every_excel_cell_is_inert_text_or_a_count(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from handlers.surveys.cli import write_xlsx

    rows = [
        ["course", "sessions"],
        ['=HYPERLINK("http://x.example","click")', "3"],
        ["+1 more", "0"],
        ["@SUM(A1)", "007"],
        ["-2", "3.5"],
        ["\u00b2", "12"],  # a digit to str.isdigit, not to int()
    ]
    assert write_xlsx(tmp_path / "t.xlsx", rows, "Sheet") == 6
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert sheet is not None
    cells = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
    assert cells[1] == [('\'=HYPERLINK("http://x.example","click")', "s"), (3, "n")]
    assert cells[2] == [("'+1 more", "s"), (0, "n")]
    assert cells[3] == [("'@SUM(A1)", "s"), ("007", "s")]
    assert cells[4] == [("'-2", "s"), (3.5, "n")]  # a rate such as 62.5 is a number too
    assert cells[5] == [("\u00b2", "s"), (12, "n")]
    assert (tmp_path / "t.xlsx").stat().st_mode & 0o777 == 0o600


def test_a_measure_resting_on_fewer_answers_than_the_minimum_is_hidden_and_cannot_be_worked_out() -> None:
    """Both courses have 10 responses, but only one person in course b answered the barriers
    question: "0% (0 of 1)" is not shown, nor the total it would be worked out from."""
    fig = computed(
        [("a", "post-course", 1, 10, 10, 10, 0), ("b", "post-course", 1, 10, 10, 10, 0)],
        [
            ("a", "post-course", "barriers", 9, 6, 0, 0, 0),
            ("b", "post-course", "barriers", 1, 0, 0, 0, 0),
            ("a", "post-course", "recognise", 10, 7, 0, 0, 0),
            ("b", "post-course", "recognise", 10, 4, 0, 0, 0),
        ],
    )
    cells = {(c.course_id, m.measure): m.suppressed for c in fig.courses for m in c.measures}
    assert cells[("b", "barriers")] and cells[("a", "barriers")]  # a's would give b's by subtraction
    assert not cells[("a", "recognise")] and not cells[("b", "recognise")]
    totals = {m.measure: m.suppressed for m in fig.measures}
    assert totals == {"barriers": False, "recognise": False}  # two hidden cells give only their sum
    assert fig.exported_courses == []
    # the note under the table gives both reasons a cell of a shown course can be hidden (trainer
    # audit, sixteenth session: it named only smaller courses, which did not exist)
    note = " ".join(impact.markdown(fig, files=[]).split())
    assert "either fewer than 5 people answered that question in the course, or it is hidden so that" in note


def drawn_impact_chart(fig: impact.ImpactFigures, tmp_path: Path) -> list[tuple[str, bool]]:
    """Every text of the impact chart as saved, and whether it lies within the image's width."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from handlers.surveys import cli as surveys_cli

    drawn: list[tuple[str, bool]] = []
    original = surveys_cli._figure

    def recording(width: float, height: float):  # type: ignore[no-untyped-def]
        chart = original(width, height)
        real = chart.savefig

        def savefig(*args, **kwargs):  # type: ignore[no-untyped-def]
            result = real(*args, **kwargs)
            canvas = FigureCanvasAgg(chart)
            canvas.draw()  # laid out and drawn as the PNG was, at the figure's own dots per inch
            frame, renderer = chart.bbox, canvas.get_renderer()
            for text in chart.findobj(Text):
                box = text.get_window_extent(renderer)
                drawn.append((text.get_text(), frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1))
            return result

        chart.savefig = savefig
        return chart

    surveys_cli._figure = recording
    try:
        with (tmp_path / "m.png").open("wb") as handle:
            surveys_cli.draw_measures(fig, handle)
    finally:
        surveys_cli._figure = original
    return drawn


def test_the_impact_chart_says_how_many_figures_it_leaves_blank(tmp_path: Path) -> None:
    """An outside audit: a hidden figure left only a gap in its course's bars."""
    fig = computed(
        [("a", "post-course", 1, 10, 10, 10, 0), ("b", "post-course", 1, 10, 10, 10, 0)],
        [("a", "post-course", "barriers", 9, 6, 0, 0, 0), ("b", "post-course", "barriers", 1, 0, 0, 0, 0)],
    )
    drawn = [text for text, _inside in drawn_impact_chart(fig, tmp_path)]
    assert "2 figure(s) marked not shown." in " ".join(" ".join(drawn).split())
    assert drawn.count("not shown") == 2


def test_the_impact_charts_note_and_labels_stay_inside_the_image_beside_a_long_course_title(tmp_path: Path) -> None:
    """An outside audit: with a course called "Recognising and responding to neglect" the note
    under the chart was cut off at the right edge ("would leav", "closed w")."""
    fig = computed(
        [("a", "post-course", 1, 10, 10, 10, 0), ("b", "post-course", 1, 10, 10, 10, 0)],
        [("a", "post-course", "barriers", 9, 6, 0, 0, 0), ("b", "post-course", "barriers", 1, 0, 0, 0, 0)],
    )
    long_title = "Recognising and responding to neglect in families"
    fig = replace(fig, courses=[replace(c, title=long_title) for c in fig.courses])
    outside = [text for text, inside in drawn_impact_chart(fig, tmp_path) if text and not inside]
    assert outside == []


def test_a_question_few_answered_in_one_kind_of_survey_hides_nothing_the_other_kind_counts() -> None:
    """An outside review: a course's follow-up, where three answered the barriers question, hid
    the course's figure although its post-course survey counted six answers to it."""
    fig = computed(
        [("a", "post-course", 1, 10, 6, 6, 0), ("a", "follow-up", 1, 10, 5, 5, 0)],
        [
            ("a", "post-course", "barriers", 6, 4, 0, 0, 0),
            ("a", "follow-up", "barriers", 0, 0, 0, 0, 3),  # three answers, counted nowhere
            ("a", "follow-up", "shared", 0, 0, 0, 0, 2),  # only those: the figure reads "not shown"
        ],
    )
    cells = {m.measure: (m.suppressed, m.share.part, m.share.whole) for c in fig.courses for m in c.measures}
    assert cells["barriers"] == (False, 4, 6)
    assert cells["shared"][0] is True


def test_charts_are_300_dpi_with_the_axis_ending_at_100_percent(tmp_path: Path) -> None:
    import struct

    from handlers.surveys import cli as surveys_cli

    fig = impact.compute(
        title="t",
        survey_counts=[("c", "post-course", 1, 10, 10, 10, 0)],
        measure_counts=[("c", "post-course", "m", 10, 10, 0, 0, 0)],
        baseline_counts=[],
        comments=[],
        labels={"m": "All positive"},
        titles={},
        min_group=5,
        whole_period=True,
        activity=[("c", "Course", 1, 10, 10, 1)],
    )
    axes: list[tuple[float, float]] = []
    original = surveys_cli._figure

    def recording(width: float, height: float):  # type: ignore[no-untyped-def]
        chart = original(width, height)
        real = chart.savefig

        def savefig(*args, **kwargs):  # type: ignore[no-untyped-def]
            axes.extend(ax.get_xlim() for ax in chart.axes)
            return real(*args, **kwargs)

        chart.savefig = savefig
        return chart

    surveys_cli._figure = recording
    try:
        for name, draw in (("m.png", surveys_cli.draw_measures), ("r.png", surveys_cli.draw_response_rates)):
            with (tmp_path / name).open("wb") as handle:
                draw(fig, handle)
            data = (tmp_path / name).read_bytes()
            at = data.index(b"pHYs")
            per_metre = struct.unpack(">I", data[at + 4 : at + 8])[0]
            assert round(per_metre * 0.0254) == 300, name
    finally:
        surveys_cli._figure = original
    assert axes == [(0.0, 100.0), (0.0, 100.0)]


# --- answers.csv and the late reply ----------------------------------------------------------------------


async def test_the_answer_column_keeps_one_space_after_each_comma(srt_of_one: Runtime, tmp_path: Path) -> None:
    srt = srt_of_one
    session_id = await seed_session(srt, attendees=["a1"])
    await surveys.survey_rounds(srt.ctx)
    survey_id = await post_course(srt, session_id)
    submit = Request(
        kind=RequestKind.SUBMIT,
        platform="console",
        user_id="a1",
        action_id="survey:comment_save",
        value=f"{survey_id}.3",
        form={"comment": "Thresholds, referrals, and supervision"},
    )
    assert "Recorded your comment" in text_of((await srt.dispatcher.handle(submit)).replies)
    await close_surveys(srt)
    export = store.export_query(
        store.Selection(session_id=session_id, min_group=1), courses=["basic-cp"], answer_labels={}
    )
    assert await store.export_answers(srt.ctx.db, export, tmp_path / "a.csv") == 1
    with (tmp_path / "a.csv").open() as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["value"] == row["answer"] == "Thresholds, referrals, and supervision"


async def test_a_late_reply_is_told_the_day_an_admin_closed_the_survey(srt: Runtime) -> None:
    session_id = await seed_session(srt, attendees=["d1", "d2"])  # ended Monday 2 March
    await surveys.survey_rounds(srt.ctx)
    survey_id = await post_course(srt, session_id)
    planned = await in_tx(srt.ctx.db, store.get_survey, survey_id)
    assert planned is not None and planned.closes_at.date() == dt.date(2026, 3, 16)
    closed = await srt.dispatcher.handle(command("survey", f"close {session_id}", user="admin", roles={"admin"}))
    assert "closed" in text_of(closed.replies).lower()
    assert isinstance(srt.ctx.clock, FrozenClock)
    srt.ctx.clock.advance(dt.timedelta(days=3))
    late = Request(
        kind=RequestKind.MESSAGE,
        platform="console",
        user_id="d2",
        channel_id="training",
        thread_id=f"m{session_id}",
        text="Sorry this is late",
    )
    shown = text_of((await srt.dispatcher.handle(late)).replies)
    assert "closed on Monday 2 March" in shown and "16 March" not in shown
    # A button pressed on the survey's message, which still says 16 March, is told the same day.
    pressed = await answer(srt, f"{survey_id}.0.4", user="d2")
    assert "This survey closed on Monday 2 March, so that answer was not recorded" in pressed


def test_a_hidden_whole_period_figure_says_why_it_is_hidden() -> None:
    """An outside audit: the summary said "too few responses" for a measure of a period with five
    and more; the figure was hidden so that no small group could be worked out from the others."""
    from types import SimpleNamespace

    from handlers.surveys.impact import Share, _why_not_shown

    period = SimpleNamespace(released=12, min_group=5)
    answered = SimpleNamespace(share=Share(3, 4))
    assert _why_not_shown(period, answered) == (  # type: ignore[arg-type]
        "not shown (with the figures shown, it would reveal a group of fewer than 5)"
    )
    assert _why_not_shown(period, SimpleNamespace(share=Share(0, 0), small=0)) == "no answers"  # type: ignore[arg-type]
    small = SimpleNamespace(released=3, min_group=5)
    assert _why_not_shown(small, answered) == "not shown (fewer than 5 responses in the period)"  # type: ignore[arg-type]


def test_a_measure_only_a_few_answered_in_each_survey_reads_not_shown_not_no_answers() -> None:
    """An outside audit: the README's demo gave "no answers" in summary.md for two measures four
    delegates had answered; their answers are held back (fewer than 5 answered in the survey)."""
    fig = impact.compute(
        title="t",
        survey_counts=[("c", "post-course", 1, 8, 6, 6, 0)],
        measure_counts=[
            ("c", "post-course", "recognise", 6, 5, 6, 25, 0),
            ("c", "post-course", "evidence", 0, 0, 0, 0, 4),  # four answered: held back
        ],
        baseline_counts=[],
        comments=[],
        labels={"recognise": "Recognising", "evidence": "Evidencing", "never": "Never asked"},
        titles={},
        min_group=5,
        whole_period=True,
    )
    summary = impact.markdown(fig, files=[])
    assert "| Evidencing | not shown (fewer than 5 answered it in any one survey) |" in summary
    assert "no answers" not in summary


@pytest.mark.parametrize("year", ["9999-00", "0000-01", "1900-01"])
async def test_impact_in_chat_explains_a_year_no_report_covers(srt: Runtime, year: str) -> None:
    said = await trainer(srt, "impact", year)
    assert f"{year}: reports cover the years 2000-01 to" in said and "went wrong" not in said


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2026-03-01 .. 2026-03-31", "Training impact, 1 March 2026 to 31 March 2026"),
        ("2026-03-01 to 2026-03-31", "Training impact, 1 March 2026 to 31 March 2026"),
        ("01/03/2026 - 31/03/2026", "Training impact, 1 March 2026 to 31 March 2026"),
        ("2026-03-01", "2026-03-01 is one day; give a period like 2025-04-01..2026-03-31"),
        ("course", "Which course? Write /impact course NAME. Courses with sessions: Basic child protection"),
        ("1 2", "Give one session number at a time, e.g. /impact session 12."),
        ("2025-26", "Training impact, 1 April 2025 to 31 March 2026"),
    ],
)
async def test_impact_reads_a_period_as_people_type_it_and_asks_when_it_cannot(
    srt: Runtime, typed: str, said: str
) -> None:
    """An outside audit: spaced periods and "to" were read as course names, one date too;
    "/impact course" reported on some course, and "/impact 1 2" dropped the 2."""
    await seed_session(srt, attendees=["a1"])
    assert said in " ".join((await trainer(srt, "impact", typed)).split())


async def test_a_course_with_no_sessions_in_the_period_writes_a_sentence_not_an_empty_table(
    srt: Runtime, database_url: str, tmp_path: Path
) -> None:
    # an outside audit: "--course domestic-abuse" in a year with none wrote a By course table of a header alone
    out = tmp_path / "none"
    result = run_report(database_url, tmp_path, "--year", "2022-23", "--course", "domestic-abuse", "--out", str(out))
    assert result.returncode == 0, result.stderr
    summary = (out / "summary.md").read_text()
    by_course = summary.split("## By course", 1)[1].split("##", 1)[0]
    assert "No course had a survey in this period." in by_course and "| Course |" not in by_course
    assert "No sessions of domestic-abuse started in that period." in result.stdout
    assert "No survey was sent for a session in this period." in result.stdout
