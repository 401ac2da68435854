"""answers.csv leaves out what the figures leave out, and keeps comments apart from taps.

- A question that fewer than the minimum answered in one survey is counted in no figure of any
  report (storage.surveys._measure_units), so its answers in that survey are not exported either:
  with them, the export minus a report gave them back (an audit: /impact showed neglect's
  barriers figure as 3 of 6, answers.csv 4 of 9, so the hidden session's 1 of 3).
- A private comment is exported under a respondent number of its own, never beside its writer's
  taps: a comment that says who wrote it would give away their answers (a confidentiality audit).
Each runs the real bot and the real `sgbot report answers` on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

from bot.runtime import Runtime
from core.model import Request, RequestKind
from handlers.surveys import impact
from storage import surveys as store
from tests.harness import text_of
from tests.storage_support import in_tx
from tests.surveys_support import answer, close_surveys, seed_session
from tests.test_impact_reports import srt, trainer  # noqa: F401 - the fixture
from tests.test_surveys_impact import run_report

YES_NO = {"yes": 0, "no": 1}
# post-course question -> (measure, whether a value counts toward it), as the Medway pack says
MEASURED = {
    "recognise": ("confidence_recognising", lambda v: v in ("4", "5")),
    "evidence": ("confidence_evidencing", lambda v: v in ("4", "5")),
    "barriers": ("no_barriers", lambda v: v == "no"),
}
# The audit's case. Neglect, first session: 6 respondents, all answer barriers (3 "no").
FIRST = {f"a{i}": (5 - i % 2, "no" if i % 2 else "yes") for i in range(6)}
# Second session: 6 respondents; 5 answer recognise, 4 barriers (too few): b5 answers only that.
SECOND = {"b0": (4, "yes"), "b1": (5, "no"), "b2": (3, "yes"), "b3": (4, None), "b4": (5, None), "b5": (None, "no")}
NURSE = "As the only school nurse on this course I felt out of my depth on thresholds."


async def sent_session(rt: Runtime, people: dict[str, tuple[int | None, str | None]], ago: int) -> tuple[int, int]:
    """A neglect session that ended `ago` days before now, its post-course survey sent and
    answered (recognise and barriers, where given): (session id, survey id)."""
    session_id = await seed_session(
        rt, attendees=list(people), course="neglect", title="Neglect", ended_ago=dt.timedelta(days=ago)
    )
    assert "Sending" in await trainer(rt, "survey", f"send {session_id}")
    survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    for person, (recognise, barriers) in people.items():
        if recognise is not None:
            await answer(rt, f"{survey.id}.0.{recognise - 1}", user=person)
        if barriers is not None:
            await answer(rt, f"{survey.id}.2.{YES_NO[barriers]}", user=person)
    return session_id, survey.id


async def comment(rt: Runtime, survey_id: int, person: str, text: str) -> None:
    """A private comment through the comment dialog (sent twice if the guard held it back once)."""
    for _ in range(2):
        submit = Request(
            kind=RequestKind.SUBMIT,
            platform="console",
            user_id=person,
            action_id="survey:comment_save",
            value=f"{survey_id}.3",
            form={"comment": text},
        )
        outcome = await rt.dispatcher.handle(submit)
        if "Recorded your comment" in text_of(outcome.replies):
            return
    raise AssertionError("the comment was not recorded")


def export(database_url: str, tmp_path: Path, name: str, *args: str) -> list[dict[str, str]]:
    out = tmp_path / name
    result = run_report(database_url, tmp_path, "--year", "2025-26", *args, "--out", str(out), command="answers")
    assert result.returncode == 0, result.stderr
    with (out / "answers.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def recounted(rows: list[dict[str, str]]) -> dict[tuple[str, str], tuple[int, int]]:
    """(course, measure) -> (positive, answers), counted from the export's rows."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row["question"] in MEASURED:
            measure, positive = MEASURED[row["question"]]
            counts[row["course_id"], measure][0] += positive(row["value"])
            counts[row["course_id"], measure][1] += 1
    return {key: (p, n) for key, (p, n) in counts.items()}


async def test_a_question_few_answered_in_one_survey_is_not_exported_either(
    srt: Runtime,  # noqa: F811 - the imported fixture
    database_url: str,
    tmp_path: Path,
) -> None:
    await sent_session(srt, FIRST, ago=20)
    second, _survey = await sent_session(srt, SECOND, ago=14)
    await close_surveys(srt)

    year = await trainer(srt, "impact", "2025-26")
    assert "No barriers to taking safeguarding action (answered No): 50% (3 of 6)" in year
    assert "No barriers to taking safeguarding action (answered No): not shown" in await trainer(
        srt, "impact", str(second)
    )
    rows = export(database_url, tmp_path, "year")
    barriers = [r["value"] for r in rows if r["question"] == "barriers"]
    assert sorted(barriers) == sorted(b for _r, b in FIRST.values())  # the first session's only: 3 "no" of 6

    # Exactly what the figures count: the export recounted gives every course figure, no more.
    period, _title, _whole = await impact.parse_selection(srt.ctx, "2025-26")
    fig = await impact.gather_figures(srt.ctx.db, period, title="", whole_period=True, labels={}, min_group=5)
    assert fig.exported_courses == ["neglect"]
    shown = {
        (course.course_id, m.measure): (m.share.part, m.share.whole) for course in fig.courses for m in course.measures
    }
    assert (
        recounted(rows)
        == shown
        == {
            ("neglect", "confidence_recognising"): (10, 11),
            ("neglect", "no_barriers"): (3, 6),
        }
    )
    # b5 gave only a barriers answer, so has no number: the numbers still run 1, 2, 3... unbroken.
    numbers = {int(r["respondent"]) for r in rows}
    assert numbers == set(range(1, len(FIRST) + len(SECOND)))


async def test_a_comment_is_exported_under_a_number_of_its_own_in_a_random_place(
    srt: Runtime,  # noqa: F811 - the imported fixture
    database_url: str,
    tmp_path: Path,
) -> None:
    _session, survey_id = await sent_session(srt, FIRST, ago=20)
    await comment(srt, survey_id, "a3", NURSE)  # a3 answered 4 and "no"
    await close_surveys(srt)

    period, _title, _whole = await impact.parse_selection(srt.ctx, "2025-26")
    fig = await impact.gather_figures(srt.ctx.db, period, title="", whole_period=True, labels={}, min_group=5)
    assert fig.responses == len(FIRST)  # a comment is no extra response
    figures = {m.measure: (m.share.part, m.share.whole) for m in fig.measures}
    assert figures == {"confidence_recognising": (6, 6), "no_barriers": (3, 6)}

    places = set()
    for n in range(6):
        rows = export(database_url, tmp_path, f"export-{n}")
        by_number: dict[str, dict[str, str]] = defaultdict(dict)
        for row in rows:
            by_number[row["respondent"]][row["question"]] = row["value"]
        (written,) = [number for number, given in by_number.items() if "comment" in given]
        assert by_number[written] == {"comment": NURSE}  # no tap beside it
        assert sorted(by_number, key=int) == [str(i) for i in range(1, len(FIRST) + 2)]
        assert {"recognise": "4", "barriers": "no"} in by_number.values()  # a3's taps, on their own
        assert recounted(rows) == {
            ("neglect", "confidence_recognising"): figures["confidence_recognising"],
            ("neglect", "no_barriers"): figures["no_barriers"],
        }
        places.add(written)
    assert len(places) > 1  # numbered afresh, in a random order, each export

    notes = (tmp_path / "export-0" / "answers.md").read_text()
    assert "Each comment has a respondent number of its own" in notes
    assert "new random code" in notes and "made from the delegate and the survey" in notes
