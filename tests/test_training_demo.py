"""The console demo in docs/demo runs as a new user would run it: two real `sgbot console`
processes on one data folder, the second being a restart of the bot."""

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


def test_the_training_demo_shows_the_waitlist_and_each_reminder_exactly_once_across_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = console(DEMO / "training.txt", data)
    assert first.returncode == 0, first.stdout + first.stderr
    out = first.stdout
    assert "Traceback" not in out + first.stderr

    # Each mistake in the form gets one sentence, and only those fields are asked again.
    assert 'Course: There is no course "knitting"; type /training courses to see the course ids.' in out
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
    assert "1d before: 3 sent, 1 skipped" in again
    at_nine = again.index("The bot's clock now reads Monday 09 March 2026, 09:00")
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
    assert cancelled.count("[updated 11] #training\n  == Understanding and applying thresholds in Medway ==\n"
                           "  This session has been cancelled.") == 1  # fmt: skip
    assert "Join waitlist" not in cancelled and "[1] Going" not in cancelled
