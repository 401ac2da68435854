"""The console demo in docs/demo/surveys.txt, run as a new user would run it, then the report
command on the same data: the figures, the single reminder, the closed ledger and the files."""

from __future__ import annotations

import asyncio
import csv
import os
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy import text

from storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "docs" / "demo" / "surveys.txt"
INVITED = [f"d{i}" for i in range(1, 9)]
# What the five delegates finally answered in the script: (recognise, evidence, barriers).
ANSWERS = {"d1": (4, 4, "no"), "d2": (5, 5, "no"), "d3": (5, None, None), "d4": (3, 2, "yes"), "d5": (4, 3, "no")}


def pct(part: int, whole: int) -> str:
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{value}% ({part} of {whole})"


def share(values: list[object], counts: set[object]) -> str:
    """The figure as shown, or how a measure with fewer than 5 answers reads: not shown."""
    given = [v for v in values if v is not None]
    if len(given) < 5:
        return "not shown"
    return pct(sum(v in counts for v in given), len(given))


def sgbot(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("SLACK_", "DISCORD_", "DATABASE_URL", "SURVEY_SECRET", "CONTENT_PACK", "ADMINS", "TRAINERS")
        )
    }
    full_env.update({"DATA_DIR": str(tmp_path / "data"), **env})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=full_env,
        timeout=300,
        check=False,
    )


def test_the_survey_demo_runs_and_the_report_writes_its_files(tmp_path: Path) -> None:
    console = ["console", "--as", "sam", "--role", "trainer", "--at", "2026-03-02T09:00", "--script", str(SCRIPT)]
    result = sgbot(console, tmp_path, ADMINS="console:alex")
    # The console shows _italic_ as plain text in some versions and not others; compare without it.
    out = result.stdout.replace("_", "")
    assert result.returncode == 0, out[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in out + result.stderr

    # The survey went to the eight who attended, not to d9 who only booked, and to the thread.
    for person in INVITED:
        assert f"direct message to {person}\n  == How did the course go? (Basic child protection) ==" in out
    assert "direct message to d9\n  == How did the course go?" not in out
    assert "#training, thread of [3]\n  == How did the course go?" in out

    # The changed answer, the forged press, the outsider and the redacted comment.
    assert "Changed from Fairly (3 of 5) to Extremely (5 of 5)." in out
    assert "That button doesn't match any answer in this survey, so nothing was recorded." in out
    assert "This survey is for the delegates of that session, so your answer was not recorded." in out
    recorded = out.split("Recorded your comment, under a code rather than your name:")[1][:200]
    assert "The flowchart will help me. [details that could identify someone removed]" in recorded
    assert "Tom" not in recorded and "age 6" not in recorded

    # /impact while the survey is open: the counts, and no answer until it closes.
    early = out.split("> /impact 1")[1].split("> /survey status 1")[0]
    assert "5 of the 5 post-course and follow-up responses are in the response rates" in early
    assert "5 are from surveys still open: they count once their survey has closed" in early
    assert "Very or Extremely confident):" not in early
    # /impact after it closed: five of eight, and each measure worked out by hand from ANSWERS.
    impact = out.split("> /impact 1")[2]
    assert (
        f"Post-course: {len(INVITED)} invited, {len(ANSWERS)} responded, response rate "
        + pct(len(ANSWERS), len(INVITED))
        in impact
    )
    assert "63% (5 of 8)" in impact  # 62.5% rounds half up
    values = list(ANSWERS.values())
    # Each measure is named with exactly what it counts.
    recognise = share([v[0] for v in values], {4, 5})
    assert "Confidence recognising a safeguarding concern (Very or Extremely confident): " + recognise in impact
    assert (
        "Confidence evidencing a concern (Very or Extremely confident): " + share([v[1] for v in values], {4, 5})
        in impact
    )
    assert "No barriers to taking safeguarding action (answered No): " + share([v[2] for v in values], {"no"}) in impact

    # One reminder, to all eight invited (those who answered too), and no second one three days later.
    assert out.count("A gentle reminder, the only one you'll get") == 8
    for person in ("d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"):
        assert f"direct message to {person}\n  == How did the course go? (Basic child protection) ==\n  A gentle" in out

    # Closing: refused for the trainer, done by the admin; the late answer is refused.
    closing = out.split("> /survey close 1")[1]
    assert "Only admins (role `admin`) can close a survey." in closing
    assert "Closed the post-course survey" in closing
    assert "This survey closed on Sunday 8 March, so that answer was not recorded." in closing
    # Every delegate's survey message and the thread's post now say so, with no buttons left.
    said = "== How did the course go? (Basic child protection) ==\n  This survey closed on Sunday 8 March"
    for person in INVITED:
        assert re.search(rf"\[updated \d+\] direct message to {person}\n  {re.escape(said)}", closing)
    assert re.search(rf"\[updated \d+\] #training, thread of \[3\]\n  {re.escape(said)}", closing)
    assert "5 of 8 answered, closed Sunday 8 March" in closing

    async def check_database() -> tuple[int, int]:
        db = Database(f"sqlite:///{tmp_path / 'data' / 'sgbot.db'}")
        try:
            async with db.engine.connect() as conn:
                ledger = (await conn.execute(text("SELECT count(*) FROM survey_completion"))).scalar_one()
                answers = (await conn.execute(text("SELECT count(*) FROM survey_answers"))).scalar_one()
        finally:
            await db.dispose()
        return ledger, answers

    # The completion ledger is empty after close; every answer given is there, the forged one is not.
    given = sum(v is not None for answers_of in values for v in answers_of) + 2  # + two comments
    assert asyncio.run(check_database()) == (0, given)

    report = tmp_path / "impact-report"
    # The demo above ran as a real process; the report on its data runs the same typer app here.
    from tests.test_cli import sgbot_in_process

    made = sgbot_in_process(
        ["report", "impact", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(report)], tmp_path
    )
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in report.iterdir()) == [
        "impact_by_course.png",
        "response_rate.png",
        "summary.md",
        "training_activity.csv",
        "training_activity.xlsx",
    ]
    summary = (report / "summary.md").read_text()
    assert "| Post-course | 1 | 8 | 5 | 62.5% (5 of 8) |" in summary  # the files give one decimal place
    with (report / "training_activity.csv").open() as handle:
        rows = list(csv.reader(handle))
    assert rows[1] == ["Basic child protection", "basic-cp", "1", "9", "8", "5", "62.5"]
    answers = tmp_path / "answers"
    made = sgbot_in_process(
        ["report", "answers", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(answers)], tmp_path
    )
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in answers.iterdir()) == ["answers.csv", "answers.md", "answers.xlsx"]
    # One delegate answered only the first question, so two measures rest on 4 answers and are
    # not shown; the course's answers would give them back, so they are left out, and said so.
    with (answers / "answers.csv").open() as handle:
        assert list(csv.DictReader(handle)) == []
    assert "The answers of 1 course with fewer than 5 responses" in (answers / "answers.md").read_text()

    from matplotlib.image import imread

    for chart in ("impact_by_course.png", "response_rate.png"):
        pixels = imread(report / chart)
        assert pixels.ndim == 3 and pixels.shape[0] > 150 and pixels.std() > 0.05, chart
