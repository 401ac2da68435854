"""The console demo in docs/demo runs as a new user would run it: two real `sgbot console`
processes on one data folder, the second being a restart of the bot. The posts and forms demos,
one run each, go through the same typer app in this process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.test_training_reminders import reminders_in

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "docs" / "demo"


def console(script: Path, data: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_", "DATABASE_URL", "SURVEY_SECRET", "CONTENT_PACK", "TRAINERS"))
    }
    env["DATA_DIR"] = str(data)
    args = ["console", "--as", "sam", "--role", "trainer", "--at", "2026-03-02T09:00", "--script", str(script)]
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=data.parent,
        env=env,
        timeout=180,
        check=False,
    )


def console_in_process(script: Path, data: Path) -> subprocess.CompletedProcess[str]:
    """`console` above through the real typer app in this process (tests/test_cli.py)."""
    from tests.test_cli import sgbot_in_process

    args = ["console", "--as", "sam", "--role", "trainer", "--at", "2026-03-02T09:00", "--script", str(script)]
    return sgbot_in_process(args, data.parent, env={"DATA_DIR": str(data), "TRAINERS": ""})


def test_the_training_demo_shows_the_waitlist_and_each_reminder_exactly_once_across_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = console(DEMO / "training.txt", data)
    assert first.returncode == 0, first.stdout + first.stderr
    out = first.stdout
    assert "Traceback" not in out + first.stderr

    # Each mistake in the form gets one sentence, and only those fields are asked again.
    assert 'Course: There is no course "knitting"; the course ids are basic-cp, intermediate-cp, ' in out
    assert "20 February 2026 has already passed; choose a date from today onwards." in out
    assert "Places: Give the number of places as a whole number, at least 1." in out
    assert "Give a venue, an online link, or both." in out
    assert "The end time 09:30 is not after the start time 10:00; a session must end after it starts." in out
    assert "Added session 1: Recognising and responding to neglect, Monday 9 March 2026, 10:00–13:00" in out

    # Two places, three replies: the third waits, and is promoted and told when a place frees up.
    assert "It's full, so you're on the waitlist" in out and "number 1" in out
    assert out.count("direct message to cal\n  Good news: a place has opened up") == 1
    assert "Places: full, 1 on the waitlist" in out

    # After /debug clock +6d23h: the day-before reminder, once in the thread and once to each person going.
    after_jump = out[out.index("> /debug clock +6d23h") :]
    assert sorted(reminders_in(after_jump)) == [
        "#training, thread of [4]",
        "direct message to ben",
        "direct message to cal",
    ]
    assert reminders_in(out[: out.index("> /debug clock +6d23h")]) == []

    # The bot restarts on the same data: nothing is sent again until the hour-before reminder is due.
    second = console(DEMO / "training-restart.txt", data)
    assert second.returncode == 0, second.stdout + second.stderr
    again = second.stdout
    assert again.splitlines()[1].startswith("[17] ")  # numbered on after the first run's 16 messages
    assert "1d before: 3 sent, 1 skipped" in again
    at_nine = again.index("The bot's clock now reads Monday 9 March 2026, 09:00")
    assert reminders_in(again[:at_nine]) == []
    hour_before = again[at_nine : again.index("> /debug clock +3h")]
    assert sorted(reminders_in(hour_before)) == [
        "#training, thread of [4]",
        "direct message to ben",
        "direct message to cal",
    ]
    assert len(reminders_in(out + again)) == 6  # two reminders, three recipients, each once

    assert "Recorded 2 attendee(s) for session 1" in again
    assert again.count("direct message to dan\n  Understanding and applying thresholds in Medway on") == 1
    cancelled = again[again.index("> /training cancel 2") :]
    assert cancelled.count("[updated 27] #training\n  == Understanding and applying thresholds in Medway ==\n"
                           "  This session has been cancelled.") == 1  # fmt: skip
    assert "Join waitlist" not in cancelled and "[1] Going" not in cancelled


def test_the_posts_demo_edits_every_copy_of_an_announcement_and_refuses_a_second_post(tmp_path: Path) -> None:
    run = console_in_process(DEMO / "training-posts.txt", tmp_path / "data")
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "Traceback" not in out + run.stderr

    # The details typed after /training add filled the form in; empty lines kept them.
    assert "[now: 2026-03-09 09:30-12:30; an empty line keeps it]" in out
    assert "Added session 1: Recognising and responding to neglect, Monday 9 March 2026, 09:30–12:30" in out

    # A second announcement in #training is refused, saying where the first one is.
    assert "Session 1 is already announced in console:training (message 3)" in out
    assert out.count("\n[3] #training\n") == 1 and "[6] #training\n  ==" not in out

    def section(start: str, end: str | None = None) -> str:
        return out[out.index(start) : out.index(end) if end else None]

    # Amy's Going on one post updates both; Ben's Can't go changes no places and no post.
    going = section("> @amy !3.1", "> @ben !4.2")
    assert going.count("  Places: 19 of 20 places left") == 2
    assert "[updated 3] #training" in going and "[updated 4] #safeguarding" in going
    assert "[updated" not in section("> @ben !4.2", "> /training edit 1")

    # The move from 09:30 to 13:30 shows at once in both posts; only Amy, who is going, is told.
    edited = section("> /training edit 1", "> /training cancel 1")
    for post in ("[updated 3] #training", "[updated 4] #safeguarding"):
        assert edited[edited.index(post) :].split("\n\n")[0].count("When: Monday 9 March 2026, 13:30–16:30") == 1
    assert "direct message to amy" in edited and "direct message to ben" not in edited

    # Cancelled: both posts say so and offer nothing to press; Amy's notice has no calendar button.
    cancelled = section("> /training cancel 1")
    assert cancelled.count("This session has been cancelled.") == 2
    assert "Join waitlist" not in cancelled and "Going" not in cancelled.replace("going or on the waitlist", "")
    notice = cancelled[cancelled.index("direct message to amy") :].split("\n\n")[0]
    assert "has been cancelled" in notice and "Add to calendar" not in notice


def test_the_forms_demo_reports_every_mistake_at_once_and_fills_forms_in(tmp_path: Path) -> None:
    run = console_in_process(DEMO / "training-forms.txt", tmp_path / "data")
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "Traceback" not in out + run.stderr

    # Three mistakes, three sentences, in one round; then only those three fields are asked again.
    first = out[: out.index("[1] #general")]
    assert (
        first.count("not a number of places") + first.count("There is no course") + first.count("has already passed")
        == 3
    )
    assert 'Course: There is no course "knitting"' in first
    assert "Date and time (Europe/London): 20 February 2026 has already passed" in first
    assert 'Places: "lots" is not a number of places; give the number of places as a whole number, at least 1.' in first
    retry = first[first.index('Places: "lots" is not') :]
    assert "Venue and/or online link" not in retry and "Trainer" not in retry
    # ... answered by a title, a day-first date with am/pm times, and "25 places".
    assert "Added session 1: Domestic abuse and safeguarding children, Saturday 21 March 2026, 09:30–12:30" in out

    # What was typed after /training add fills the form: a close title, tomorrow 10am, 12 places.
    assert "[now: gcp2; an empty line keeps it]" in out
    assert "[now: tomorrow 10am; an empty line keeps it]" in out and "[now: 12; an empty line keeps it]" in out
    assert "Added session 2: Graded Care Profile 2 (GCP2) licensed course, Tuesday 3 March 2026, 10:00–16:00" in out

    # The edit form shows every current value; empty lines keep them, so only the places change.
    edit = out[out.index("> /training edit 1") :]
    for shown in ("2026-03-21 09:30-12:30", "25", "Gun Wharf, Chatham", "sam"):
        assert f"[now: {shown}; an empty line keeps it]" in edit
    assert "Places: 30 of 30 places left" in edit and "When: Saturday 21 March 2026, 09:30–12:30" in edit
