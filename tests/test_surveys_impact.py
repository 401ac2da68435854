"""Impact figures: every number computed by hand here from the raw answers the delegates gave
(with Decimal's half-up rounding, independently of the code's integer rounding) and compared
with /impact and with the files `sgbot report impact` writes."""

from __future__ import annotations

import concurrent.futures
import csv
import datetime as dt
import io
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from bot.runtime import Runtime
from core.clock import FrozenClock
from core.model import Request, RequestKind
from handlers import surveys
from handlers.surveys import impact
from handlers.surveys.cli import CHART_WIDTH
from storage import surveys as store
from tests.harness import command, text_of
from tests.storage_support import in_tx
from tests.surveys_support import SECRET, answer, close_surveys, seed_session, survey_runtime
from tests.test_cli import sgbot_in_process

ROOT = Path(__file__).resolve().parent.parent

# The raw answers. Scale values are 1-5; None means the question was skipped.
BASELINE = {"a1": (2, 2), "a2": (3, 2), "a3": (3, 3), "a4": (1, 2), "a5": (4, 3), "a6": (2, 1)}
POST_A = {  # (recognise, evidence, barriers)
    "a1": (5, 4, "no"),
    "a2": (4, 4, "no"),
    "a3": (3, 5, "yes"),
    "a4": (5, None, None),
    "a5": (2, 3, "no"),
    "a6": (4, 2, "no"),
    "a7": (5, 5, "no"),
}
POST_B = {"b1": (4, 4, "yes"), "b2": (5, 3, "no"), "b3": (3, None, "no")}
FOLLOW_A = {"a1": (5, "yes"), "a2": (4, "no"), "a3": (2, "yes"), "a4": (4, "yes"), "a5": (5, "no")}
A_PEOPLE = [f"a{i}" for i in range(1, 9)]
B_PEOPLE = [f"b{i}" for i in range(1, 5)]
YES_NO = {"yes": 0, "no": 1}


# The measures' names say what each counts, as the README lists them.
RECOGNISE = "Confidence recognising a safeguarding concern (Very or Extremely confident)"
EVIDENCE = "Confidence evidencing a concern (Very or Extremely confident)"
NO_BARRIERS = "No barriers to taking safeguarding action (answered No)"
IMPROVED = "The training improved the way I work (Agree or Strongly agree)"
SHARED = "I shared the learning with my team (answered Yes)"


def pct(part: int, whole: int, places: int = 0) -> str:
    """'86% (6 of 7)' (chat) or '85.7% (6 of 7)' (files), rounded by hand, halves up."""
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{value}% ({part} of {whole})"


def avg(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share(values: list[object], counts: object, places: int = 0) -> str:
    """The figure as shown, or how a measure with fewer than 5 answers reads: not shown."""
    given = [v for v in values if v is not None]
    if len(given) < 5:
        return "not shown"
    return pct(sum(1 for v in given if (v in counts if isinstance(counts, set) else v == counts)), len(given), places)


def expected_measures(places: int = 0) -> dict[str, str]:
    # Neglect's survey closed with 3 responses, fewer than 5: its answers count in no measure.
    post = [*POST_A.values()]
    return {
        RECOGNISE: share([p[0] for p in post], {4, 5}, places),
        EVIDENCE: share([p[1] for p in post], {4, 5}, places),
        NO_BARRIERS: share([p[2] for p in post], "no", places),
        IMPROVED: share([f[0] for f in FOLLOW_A.values()], {4, 5}, places),
        SHARED: share([f[1] for f in FOLLOW_A.values()], "yes", places),
    }


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    async with survey_runtime(database_url, tmp_path, clock) as rt:
        yield rt


@pytest.fixture
async def srt_of_one(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    """A minimum group of 1, so a close writes out the answers of a survey or two people."""
    async with survey_runtime(database_url, tmp_path, clock, report_min_group=1) as rt:
        yield rt


def advance(rt: Runtime, **delta: float) -> None:
    assert isinstance(rt.ctx.clock, FrozenClock)
    rt.ctx.clock.advance(dt.timedelta(**delta))


async def trainer(rt: Runtime, name: str, text: str = "") -> str:
    return text_of((await rt.dispatcher.handle(command(name, text, user="trainer", roles={"trainer"}))).replies)


async def comment(rt: Runtime, survey_id: int, user: str, words: str) -> None:
    submit = Request(
        kind=RequestKind.SUBMIT,
        platform="console",
        user_id=user,
        action_id="survey:comment_save",
        value=f"{survey_id}.3",
        form={"comment": words},
    )
    assert "Recorded your comment" in text_of((await rt.dispatcher.handle(submit)).replies)


async def answered_year(rt: Runtime) -> tuple[int, int]:
    """Session 1 (basic-cp, with a baseline and a follow-up) and session 2 (neglect, 3 responses)."""
    one = await seed_session(
        rt,
        attendees=A_PEOPLE,
        going=A_PEOPLE,
        ended_ago=dt.timedelta(days=-1, hours=-3),
        title="Basic child protection",
    )
    # Attendance is recorded after the session in real life; the baseline goes to bookings.
    assert "Sending the baseline survey" in await trainer(rt, "survey", f"send {one} pre-course")
    baseline = await in_tx(rt.ctx.db, store.survey_for, one, "pre-course")
    assert baseline is not None
    for person, (recognise, evidence) in BASELINE.items():
        await answer(rt, f"{baseline.id}.0.{recognise - 1}", user=person)
        await answer(rt, f"{baseline.id}.1.{evidence - 1}", user=person)
    two = await seed_session(rt, attendees=B_PEOPLE, course="neglect", title="Neglect and GCP2")
    await surveys.survey_rounds(rt.ctx)
    post_b = await in_tx(rt.ctx.db, store.survey_for, two, "post-course")
    assert post_b is not None
    await answer_post(rt, post_b.id, POST_B)
    await comment(rt, post_b.id, "b1", "Small group comment that must stay hidden")
    advance(rt, days=1, hours=3, minutes=5)
    await surveys.survey_rounds(rt.ctx)
    post_a = await in_tx(rt.ctx.db, store.survey_for, one, "post-course")
    assert post_a is not None
    await answer_post(rt, post_a.id, POST_A)
    await comment(rt, post_a.id, "a1", "I will check the threshold guide before calling the front door")
    advance(rt, days=90)
    await surveys.survey_rounds(rt.ctx)
    follow_a = await in_tx(rt.ctx.db, store.survey_for, one, "follow-up")
    assert follow_a is not None
    for person, (improved, shared) in FOLLOW_A.items():
        await answer(rt, f"{follow_a.id}.0.{improved - 1}", user=person)
        if shared is not None:
            await answer(rt, f"{follow_a.id}.2.{YES_NO[shared]}", user=person)
    await close_surveys(rt)
    return one, two


async def answer_post(rt: Runtime, survey_id: int, given: dict[str, tuple[int, int | None, str | None]]) -> None:
    for person, (recognise, evidence, barriers) in given.items():
        await answer(rt, f"{survey_id}.0.{recognise - 1}", user=person)
        if evidence is not None:
            await answer(rt, f"{survey_id}.1.{evidence - 1}", user=person)
        if barriers is not None:
            await answer(rt, f"{survey_id}.2.{YES_NO[barriers]}", user=person)


# --- the rounding rule, by itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole"), [(6, 7), (1, 8), (5, 8), (1, 200), (0, 5), (2, 3), (1, 3), (7, 7), (3, 40), (1, 6)]
)
def test_percentages_round_to_the_nearest_whole_percent_halves_up(part: int, whole: int) -> None:
    assert str(impact.Share(part, whole)) == pct(part, whole)


@pytest.mark.parametrize("values", [[4, 5], [4, 4, 5], [4, 5, 5], [1, 2], [3], [2, 2, 3, 3, 3, 3, 3, 3]])
def test_averages_round_to_one_decimal_place_halves_up(values: list[int]) -> None:
    assert impact.show_tenths(impact.tenths(sum(values), len(values))) == str(avg(values))


def test_the_issue_example_reads_as_written() -> None:
    assert str(impact.Share(6, 7)) == "86% (6 of 7)"


@pytest.mark.parametrize(
    ("part", "whole"), [(6, 7), (7, 200), (1, 8), (5, 8), (1, 200), (0, 5), (2, 3), (1, 3), (7, 7), (1, 6), (1, 2000)]
)
def test_percentages_round_to_one_decimal_place_halves_up_in_the_files(part: int, whole: int) -> None:
    assert impact.Share(part, whole).text(1) == pct(part, whole, 1)
    assert impact.Share(6, 7).text(1) == "85.7% (6 of 7)" and impact.Share(7, 200).text(1) == "3.5% (7 of 200)"


# --- /impact ----------------------------------------------------------------------------------------------


async def test_impact_for_a_year_matches_the_figures_worked_out_by_hand(srt: Runtime) -> None:
    await answered_year(srt)
    shown = await trainer(srt, "impact", "2025-26")
    assert "Training impact, 1 April 2025 to 31 March 2026" in shown
    invited_post, responded_post = len(A_PEOPLE) + len(B_PEOPLE), len(POST_A) + len(POST_B)
    assert (
        f"Post-course: {invited_post} invited, {responded_post} responded, response rate "
        + pct(responded_post, invited_post)
        in shown
    )
    assert (
        f"Follow-up: {invited_post} invited, {len(FOLLOW_A)} responded, response rate "
        + pct(len(FOLLOW_A), invited_post)
        in shown
    )
    assert f"Baseline (pre-course): {len(A_PEOPLE)} invited, {len(BASELINE)} responded" in shown
    for label, figure in expected_measures().items():
        assert f"- {label}: {figure}" in shown, label
    before = avg([b[0] for b in BASELINE.values()])
    after = avg([p[0] for p in POST_A.values()])
    assert (
        f"Confidence recognising a safeguarding concern: {before} before ({len(BASELINE)} answers), "
        f"{after} after ({len(POST_A)} answers), change {after - before:+}" in shown
    )
    before = avg([b[1] for b in BASELINE.values()])
    after_values = [p[1] for p in POST_A.values() if p[1] is not None]
    after = avg(after_values)
    assert f"{after} after ({len(after_values)} answers), change {after - before:+}" in shown
    # Course breakdowns: basic-cp has 7 + 5 responses, neglect only 3.
    assert f"- Basic child protection: {len(POST_A) + len(FOLLOW_A)} responses." in shown
    assert "- Neglect and GCP2: fewer than 5 responses counted, not shown on its own" in shown
    assert "I will check the threshold guide" in shown
    assert "Small group comment" not in shown


async def test_impact_for_one_course_below_the_minimum_shows_counts_but_no_measures(srt: Runtime) -> None:
    await answered_year(srt)
    shown = await trainer(srt, "impact", "course neglect")
    assert f"Post-course: {len(B_PEOPLE)} invited, {len(POST_B)} responded" in shown
    assert "Impact measures" not in shown
    assert f"{len(POST_B)} of the {len(POST_B)} post-course and follow-up responses are in the response" in shown
    assert "Small group comment" not in shown


async def test_impact_for_one_session_at_the_minimum_shows_its_figures(srt: Runtime) -> None:
    one, _two = await answered_year(srt)
    shown = await trainer(srt, "impact", str(one))
    recognise = share([p[0] for p in POST_A.values()], {4, 5})
    assert f"{RECOGNISE}: {recognise}" in shown
    assert (
        f"Post-course: {len(A_PEOPLE)} invited, {len(POST_A)} responded, response rate "
        + pct(len(POST_A), len(A_PEOPLE))
        in shown
    )


async def test_a_period_leaves_out_sessions_outside_it(srt: Runtime) -> None:
    await answered_year(srt)
    shown = await trainer(srt, "impact", "2026-03-03..2026-03-31")  # only session 1 starts in it
    assert f"Post-course: {len(A_PEOPLE)} invited, {len(POST_A)} responded" in shown
    empty = await trainer(srt, "impact", "2024-25")
    assert "No surveys were sent for these sessions." in empty


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-13-01..2026-12-31", "'2026-13-01': 13 is not a month."),  # ISO: no "day first" hint
        ("2026-03-31..2026-03-01", "ends before it starts"),
        ("2025-27", "is not a reporting year"),
        ("course nothing-like-it", "I can't find a course matching"),
        ("session 404", "There is no session 404"),
    ],
)
async def test_impact_mistakes_get_a_sentence(srt: Runtime, text: str, expected: str) -> None:
    await seed_session(srt, attendees=A_PEOPLE)
    assert expected in await trainer(srt, "impact", text)


async def test_a_course_typed_as_an_address_is_named_back_without_a_link(srt: Runtime) -> None:
    # an outside audit: the course was named back with neutralise_text, which leaves addresses,
    # so Slack, Teams and Discord linked it
    await seed_session(srt, attendees=A_PEOPLE)
    shown = await trainer(srt, "impact", "course https://evil.example/login x")
    assert "I can't find a course matching" in shown
    assert "evil.example" in shown and "https://evil" not in shown


async def test_impact_for_a_programme_course_with_no_sessions_says_none_have_run(srt: Runtime) -> None:
    # neglect is in the pack's courses.yaml; only a basic-cp session has been held.
    await seed_session(srt, attendees=A_PEOPLE)
    shown = await trainer(srt, "impact", "course neglect")
    assert "No sessions of Recognising and responding to neglect (neglect) have run yet" in shown
    assert "I can't find a course" not in shown


async def test_impact_is_for_trainers_and_admins(srt: Runtime) -> None:
    outcome = await srt.dispatcher.handle(command("impact", "", user="d1"))
    assert "Only trainers" in text_of(outcome.replies)
    admin = await srt.dispatcher.handle(command("impact", "", user="admin", roles={"admin"}))
    assert "Training impact" in text_of(admin.replies)


def test_the_reporting_year_runs_april_to_march() -> None:
    assert impact.financial_year(dt.date(2026, 3, 31)) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert impact.financial_year(dt.date(2026, 4, 1)) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


# --- sgbot report impact ------------------------------------------------------------------------------------


def run_report(
    database_url: str, tmp_path: Path, *args: str, command: str = "impact"
) -> subprocess.CompletedProcess[str]:
    """`sgbot report impact ARGS` (or `report answers`) on the test database, through the real typer
    app in this process (`sgbot_in_process`: the environment, folder and exit code a process would
    have). The command runs its own event loop, so it runs in a thread of its own while this test's
    loop waits."""
    env = {"DATABASE_URL": database_url, "SURVEY_SECRET": SECRET}
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(sgbot_in_process, ["report", command, *args], tmp_path, env=env).result(timeout=180)


REPORT_FILES = {
    "summary.md",
    "impact_by_course.png",
    "response_rate.png",
    "training_activity.csv",
    "training_activity.xlsx",
}
ANSWER_FILES = {"answers.csv", "answers.xlsx", "answers.md"}


async def test_the_report_command_writes_the_files_with_the_same_figures(
    srt: Runtime, database_url: str, tmp_path: Path
) -> None:
    await answered_year(srt)
    out = tmp_path / "report"
    result = run_report(database_url, tmp_path, "--from", "2025-04-01", "--to", "31/03/2026", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Wrote 5 files" in result.stdout
    assert {p.name for p in out.iterdir()} == REPORT_FILES
    assert "sgbot report answers" in result.stdout and "sgbot report answers" in (out / "summary.md").read_text()

    summary = (out / "summary.md").read_text()
    for label, figure in expected_measures(places=1).items():
        assert f"| {label} | {figure}" in summary, label
    # Neglect's survey closed with 3 responses: its answers are in no figure, so basic-cp's
    # figures (the totals' only part) give nothing of neglect's away and are all shown.
    assert "| Neglect and GCP2 | fewer than 5 | not shown | not shown | not shown | not shown | not shown |" in summary
    both = len(POST_A) + len(FOLLOW_A)
    measures = expected_measures(places=1)
    shown = " | ".join(measures[m] for m in (RECOGNISE, EVIDENCE, NO_BARRIERS, IMPROVED, SHARED))
    assert f"| Basic child protection | {both} | {shown} |" in summary
    # The same delegates answered both surveys: the report says responses are not people (an outside
    # audit read "8 of 10" as ten respondents)
    assert "| Course | Survey responses counted |" in summary
    assert "someone who answered both the post-course and the follow-up survey is counted in each" in summary
    held = f"{len(POST_B)} of the {both + len(POST_B)} post-course and follow-up responses are in the response rates"
    assert held in summary
    assert f"{len(POST_B)} are from surveys that closed with fewer than 5 responses: those are never counted" in summary
    assert "Percentages are rounded to one decimal place, halves up (6 of 7 is 85.7%)" in summary
    rate = pct(len(POST_A) + len(POST_B), len(A_PEOPLE) + len(B_PEOPLE), 1)
    assert f"| Post-course | 2 | {len(A_PEOPLE) + len(B_PEOPLE)} | {len(POST_A) + len(POST_B)} | {rate} |" in summary

    # The answers are a command of their own. Both courses have a hidden figure, so neither
    # course's answers can go into the file, and answers.md says so.
    answers_out = tmp_path / "answers"
    result = run_report(database_url, tmp_path, "--year", "2025-26", "--out", str(answers_out), command="answers")
    assert result.returncode == 0, result.stderr
    assert "Wrote 3 files" in result.stdout
    assert {p.name for p in answers_out.iterdir()} == ANSWER_FILES
    with (answers_out / "answers.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {r["course_id"] for r in rows} == {"basic-cp"} and f"{len(rows)} answers in answers.csv" in result.stdout
    notes = (answers_out / "answers.md").read_text()
    assert "The answers of 1 course with fewer than 5 responses" in notes
    assert "closed with at least 5 responses" in notes
    assert "| Post-course | recognise |" in notes
    assert {oct(p.stat().st_mode & 0o777) for p in answers_out.iterdir()} == {"0o600"}

    with (out / "training_activity.csv").open() as handle:
        activity = list(csv.reader(handle))
    rate_a = str((Decimal(len(POST_A) * 100) / len(A_PEOPLE)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    rate_b = str((Decimal(len(POST_B) * 100) / len(B_PEOPLE)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    total_rate = (Decimal(10 * 100) / Decimal(12)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    # Neglect's attendance came with no RSVPs: its delegates are the people whose attendance was recorded.
    assert activity == [
        ["course", "course_id", "sessions", "delegates", "attended", "responses", "response_rate_percent"],
        ["Basic child protection", "basic-cp", "1", "8", "8", str(len(POST_A)), rate_a],
        ["Neglect and GCP2", "neglect", "1", "4", "4", str(len(POST_B)), rate_b],
        ["Total", "", "2", "12", "12", str(len(POST_A) + len(POST_B)), str(total_rate)],
    ]
    from openpyxl import load_workbook

    sheet = load_workbook(out / "training_activity.xlsx").active
    assert sheet is not None
    assert [[c.value for c in row] for row in sheet.iter_rows()][1] == [
        "Basic child protection",
        "basic-cp",
        1,
        8,
        8,
        len(POST_A),
        float(rate_a),  # a number, so it can be charted in Excel
    ]

    from matplotlib.image import imread

    for chart in ("impact_by_course.png", "response_rate.png"):
        pixels = imread(out / chart)
        assert pixels.shape[1] == round(CHART_WIDTH * 300), chart  # page-wide (6.3 inches) at 300 dpi
        assert pixels.std() > 0.05, f"{chart} is blank"

    # One course on its own has no hidden figure, so all its answers are exported.
    alone = tmp_path / "alone"
    result = run_report(
        database_url, tmp_path, "--year", "2025-26", "--course", "basic-cp", "--out", str(alone), command="answers"
    )
    assert result.returncode == 0, result.stderr
    assert "Every other answer of those surveys in the period is here." in (alone / "answers.md").read_text()
    with (alone / "answers.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    given = (
        2 * len(BASELINE)
        + sum(sum(v is not None for v in answers) for answers in POST_A.values())
        + 1  # a1's comment
        + sum(sum(v is not None for v in answers) for answers in FOLLOW_A.values())
    )
    assert len(rows) == given
    assert {r["course_id"] for r in rows} == {"basic-cp"}
    # a1's comment has a number of its own, not a1's: it never sits beside a1's taps.
    assert len({r["respondent"] for r in rows}) == len(BASELINE) + len(POST_A) + len(FOLLOW_A) + 1
    (comment,) = [r for r in rows if r["question"] == "comment"]
    assert [r for r in rows if r["respondent"] == comment["respondent"]] == [comment]
    text_all = (alone / "answers.csv").read_text() + (alone / "answers.md").read_text()
    assert not [p for p in A_PEOPLE + B_PEOPLE if f",{p}," in text_all or f" {p} " in text_all]
    recognise = [r for r in rows if r["survey"] == "post-course" and r["question"] == "recognise"]
    assert sorted(int(r["value"]) for r in recognise) == sorted(p[0] for p in POST_A.values())
    assert {r["answer"] for r in recognise if r["value"] == "5"} == {"Extremely"}
    book = load_workbook(alone / "answers.xlsx").active
    assert book is not None
    assert book.max_row == given + 1


def test_the_report_command_explains_bad_dates(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "DATABASE_URL"))}
    env.update({"DATA_DIR": str(tmp_path / "data")})
    result = subprocess.run(
        [sys.executable, "-m", "bot", "report", "impact", "--from", "1 April", "--to", "2026-03-31", "--out", "x"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "--from '1 April' is not a date; write it like 2025-04-01 or 01/04/2025." in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()


def test_chat_text_stays_within_one_platform_text_block() -> None:
    many = [(f"course-{i}", "post-course", 1, 10, 6, 6, 0) for i in range(40)]
    measures = [(f"course-{i}", "post-course", "m1", 6, 5, 6, 27, 0) for i in range(40)]
    fig = impact.compute(
        title="t",
        survey_counts=many,
        measure_counts=measures,
        baseline_counts=[],
        comments=[("course-1", "x" * 2000)] * 5,
        labels={"m1": "A measure"},
        titles={},
        min_group=5,
        whole_period=True,
    )
    sections = impact.chat_sections(fig)
    assert all(len(s) <= 3000 for s in sections)
    assert sum(s.count("- course-") for s in sections) == 40  # every course is still listed


async def test_exported_free_text_cannot_run_as_a_formula_or_markup(srt: Runtime, tmp_path: Path) -> None:
    session_id = await seed_session(srt, attendees=A_PEOPLE)
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    tricky = ['=HYPERLINK("http://x.example","click")', "+1 more thing", "@everyone look", "<b>bold</b> | pipe"]
    for person, words in zip(A_PEOPLE, tricky + ["plain words"], strict=False):
        await answer(srt, f"{survey.id}.0.3", user=person)
        await comment(srt, survey.id, person, words)
    await close_surveys(srt)
    stmt = store.export_query(store.Selection(session_id=session_id), courses=["basic-cp"], answer_labels={})
    path = tmp_path / "answers.csv"
    assert await store.export_answers(srt.ctx.db, stmt, path) == 10
    with path.open() as handle:
        values = {r["value"] for r in csv.DictReader(handle) if r["question"] == "comment"}
    assert values == {"'" + tricky[0], "'" + tricky[1], "'" + tricky[2], tricky[3], "plain words"}
    fig = await impact.gather_figures(
        srt.ctx.db,
        store.Selection(session_id=session_id),
        title="t",
        whole_period=False,
        labels={},
        min_group=5,
        max_comments=5,
    )
    summary = impact.markdown(fig, files=[])
    # Inert without backslash escapes, which Word would print as typed.
    assert "\u2039b\u203abold\u2039/b\u203a \u00a6 pipe" in summary and "<b>" not in summary
    assert "\\" not in summary


async def test_exported_free_text_cannot_run_as_a_formula_where_excel_splits_at_semicolons(
    srt: Runtime, tmp_path: Path
) -> None:
    """Excel set to a semicolon list separator opens a comma file split at semicolons as well, and
    a quote or a line break inside a cell does not hold it together there: an unquoted "fine;=1+2",
    'good;"=1+2' or "ok\n=1+2" would each start a cell with a formula. Read the file as that Excel
    does (and as a line-by-line reader does): no cell may start a formula (a review's lines)."""
    session_id = await seed_session(srt, attendees=A_PEOPLE)
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    tricky = ["fine;=1+2", 'good;"=1+2', "ok\n=1+2", "useful\n\n-2+3", "plain; words", "great course ;-)"]
    for person, words in zip(A_PEOPLE, tricky, strict=False):
        await answer(srt, f"{survey.id}.0.3", user=person)
        await comment(srt, survey.id, person, words)
    await close_surveys(srt)
    stmt = store.export_query(store.Selection(session_id=session_id), courses=["basic-cp"], answer_labels={})
    path = tmp_path / "answers.csv"
    assert await store.export_answers(srt.ctx.db, stmt, path) == 12
    raw = path.read_text(encoding="utf-8")
    as_semicolon_excel = [cell for line in raw.splitlines() for cell in line.split(";")]
    assert not [c for c in as_semicolon_excel if c[:1] in ("=", "+", "-", "@", "\t")]
    with path.open(newline="", encoding="utf-8") as handle:
        values = {r["value"] for r in csv.DictReader(handle) if r["question"] == "comment"}
    # read as a comma file, each comment is as typed but for a space after its semicolons and line
    # breaks where a formula followed one; the rest are as typed
    assert values == {"fine; =1+2", 'good; "=1+2', "ok\n =1+2", "useful\n \n -2+3", "plain; words", "great course ; -)"}
    assert store.inert_cell('good;"=1+2') == 'good; "=1+2'  # the Python rule is the same


async def test_the_answers_files_are_the_same_whatever_the_block_size(
    srt: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export writes a block of respondents at a time, each block built by one statement, and
    cuts answers.xlsx at a worksheet's limit, inside a block when it falls there: neither may
    change what is written."""
    from openpyxl import load_workbook

    from storage import xlsx

    session_id = await seed_session(srt, attendees=A_PEOPLE)
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    words = ["a, b", 'say "hi"', "two\nlines", "=1+1", "plain", "tab\there", "<b>&</b>", "x\\y"]
    for i, (person, said) in enumerate(zip(A_PEOPLE, words, strict=True)):
        await answer(srt, f"{survey.id}.0.{i % 5}", user=person)
        await answer(srt, f"{survey.id}.2.{i % 2}", user=person)
        await comment(srt, survey.id, person, said)
    await close_surveys(srt)
    pack = srt.ctx.pack.get(surveys.SurveysPack)
    assert pack is not None
    labels = {
        (s.id, q.id, value): label
        for s in pack.surveys
        for q in s.questions
        for value, label in (q.choices() if q.is_tap else [])
    }
    export = store.export_query(store.Selection(session_id=session_id), courses=["basic-cp"], answer_labels=labels)
    # Each export numbers the respondents in a new random order: pinned here, so that two
    # exports of the same answers can be compared byte for byte.
    monkeypatch.setattr(store, "_NUMBER_RESPONDENTS", store._NUMBER_RESPONDENTS.replace("random()", "a.respondent"))
    monkeypatch.setattr(store.secrets, "randbits", lambda bits: 7)

    async def export_into(folder: Path) -> int:
        folder.mkdir()
        return await store.export_answers(srt.ctx.db, export, folder / "answers.csv", folder / "answers.xlsx")

    assert await export_into(tmp_path / "whole") == 3 * len(A_PEOPLE)
    monkeypatch.setattr(store, "_EXPORT_BLOCK", 3)  # three respondents, nine answers, a block
    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", 14)  # the header and 13 answers: cut inside the second block
    assert await export_into(tmp_path / "blocks") == 3 * len(A_PEOPLE)

    assert (tmp_path / "blocks" / "answers.csv").read_bytes() == (tmp_path / "whole" / "answers.csv").read_bytes()
    with (tmp_path / "whole" / "answers.csv").open(newline="", encoding="utf-8") as handle:
        comments = {r["value"] for r in csv.DictReader(handle) if r["question"] == "comment"}
    # a comment's tab is closed up to a space when it is saved (handlers/surveys _save_comment)
    assert comments == {"'=1+1" if w == "=1+1" else w.replace("\t", " ") for w in words}
    # On either database the bytes are what Python's csv writer makes of the same rows (CRLF after
    # every line, an empty text an empty field), so SQLite and PostgreSQL give the same file.
    written = (tmp_path / "whole" / "answers.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(written.decode("utf-8"), newline="")))
    canonical = io.StringIO(newline="")
    csv.writer(canonical).writerows(rows)
    assert written == canonical.getvalue().encode("utf-8")

    def sheet(folder: str) -> list[list[object]]:
        book = load_workbook(tmp_path / folder / "answers.xlsx").active
        assert book is not None
        return [[c.value for c in row] for row in book.iter_rows()]

    whole = sheet("whole")
    assert len(whole) == 1 + 3 * len(A_PEOPLE)
    assert sheet("blocks") == whole[:14]


async def test_the_export_numbers_again_when_the_figures_leave_a_course_out(
    srt_of_one: Runtime, tmp_path: Path
) -> None:
    """With shown_courses the export numbers the respondents of every course while the figures
    are counted; a course the figures then leave out must not appear, nor leave a gap in the
    numbers."""
    import asyncio

    srt = srt_of_one
    kept = await seed_session(srt, attendees=A_PEOPLE)
    left_out = await seed_session(srt, attendees=B_PEOPLE, course="neglect", title="Neglect")
    await surveys.survey_rounds(srt.ctx)
    for session_id, people in ((kept, A_PEOPLE), (left_out, B_PEOPLE)):
        survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
        assert survey is not None
        for person in people:
            await answer(srt, f"{survey.id}.0.3", user=person)
    await close_surveys(srt)
    # Every survey's answers may be exported here (a minimum of 1): which courses go in is the
    # figures' decision, passed as shown_courses.
    export = store.export_query(store.Selection(min_group=1), courses=[], answer_labels={})

    async def decided(courses: list[str]) -> list[str]:
        await asyncio.sleep(0.05)  # the numbering starts first
        return courses

    for courses, expected in ((["basic-cp"], {"basic-cp"}), (["basic-cp", "neglect"], {"basic-cp", "neglect"})):
        folder = tmp_path / "-".join(courses)
        folder.mkdir()
        path = folder / "answers.csv"
        count = await store.export_answers(
            srt.ctx.db, export, path, folder / "answers.xlsx", shown_courses=decided(courses)
        )
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert {r["course_id"] for r in rows} == expected and count == len(rows)
        assert sorted({int(r["respondent"]) for r in rows}) == list(range(1, len(rows) + 1))


def test_a_multiple_choice_answer_reads_as_its_labels_in_the_answers_file() -> None:
    # An outside check found "practice, materials" beside "None of these yet": ids for two or
    # more options, a label for one. Both now read as labels.
    from storage.xlsx import SharedStrings

    export = store.export_query(
        store.Selection(),
        courses=["basic-cp"],
        answer_labels={
            ("follow-up", "since", "practice"): "Put the learning into practice",
            ("follow-up", "since", "materials"): "Used the course materials",
            ("follow-up", "since", "not-yet"): "None of these yet",
        },
        multiple_choice={("follow-up", "since"): ("practice", "materials", "not-yet")},
    )
    ends = {(k, q, v): csv_end for k, q, v, csv_end, _sheet in export.answer_parts(SharedStrings())}
    assert ends["follow-up", "since", "not-yet"] == "since,not-yet,None of these yet\r\n"
    assert ends["follow-up", "since", "materials,practice"] == (
        'since,"materials,practice","Used the course materials, Put the learning into practice"\r\n'
    )


async def test_impact_for_a_word_naming_several_courses_none_held_says_which_and_that_none_have_run(
    srt: Runtime,
) -> None:
    # An outside audit: "/impact course refresher" said "I can't find a course matching 'refresher'"
    await seed_session(srt, attendees=A_PEOPLE)
    shown = await trainer(srt, "impact", "course refresher")
    assert "I can't find a course" not in shown
    assert "'refresher' could be" in shown and "no session of any of them has run yet" in shown


async def test_impact_for_words_of_several_titles_asks_which_though_only_one_has_run(srt: Runtime) -> None:
    # An outside audit: "/impact course safeguarding" reported on the one course of the two whose
    # title holds the word that had run; `sgbot report impact --course safeguarding` asks which
    await seed_session(
        srt, attendees=A_PEOPLE, course="domestic-abuse", title="Domestic abuse and safeguarding children"
    )
    shown = await trainer(srt, "impact", "course safeguarding")
    assert "'safeguarding' is in the title of more than one course:" in shown
    assert "(domestic-abuse)" in shown and "(whole-school)" in shown
    assert "Give the course id, e.g. /impact course domestic-abuse." in shown
    assert "Training impact" not in shown
    assert "Training impact, Domestic abuse" in await trainer(srt, "impact", "course domestic-abuse")
