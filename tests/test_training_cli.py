"""`sgbot training import | ics | attendance` on real files and a real SQLite database."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner, Result

from bot.cli import app
from storage import audit
from storage import training as store
from storage.db import Database
from storage.training import Rsvp, TrainingSession
from tests.storage_support import in_tx
from tests.training_support import london

HEADER = "course,date,start,end,capacity,venue,online_url,trainer,channels\n"
GOOD = (
    'neglect,2030-04-23,09:30,12:30,20,"Gun Wharf, Chatham",,Jo Smith,slack:C0123 discord:456\n'
    "thresholds,21/05/2030,13:30,,30,,https://teams.example.org/t,,\n"
)
BAD = (
    "knitting,2030-04-24,09:30,12:30,20,Room 1,,,\n"  # line 4: unknown course
    "gcp2,2020-01-06,09:30,12:30,0,Room 2,,,\n"  # line 5: no places (a past date is fine)
    "dash,2030-06-04,10:00,09:00,10,Room 3,,,training\n"  # line 6: end before start; bare channel
    "cse,2030-06-05,10:00\n"  # line 7: malformed
)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("DATABASE_URL", "CONTENT_PACK", "SLACK_BOT_TOKEN", "DISCORD_TOKEN", "SURVEY_SECRET", "TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def sgbot(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def sessions_in(data: Path) -> list[TrainingSession]:
    async def read() -> list[TrainingSession]:
        db = Database(f"sqlite:///{data / 'sgbot.db'}")
        try:
            return await in_tx(db, store.list_sessions, include_cancelled=True)
        finally:
            await db.dispose()

    return asyncio.run(read())


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_import_with_bad_rows_imports_nothing_and_reports_each_line_in_order(data: Path, tmp_path: Path) -> None:
    result = sgbot("training", "import", str(write(tmp_path / "p.csv", HEADER + GOOD + BAD)))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith('line 4: course: There is no course "knitting"; the course ids are basic-cp, ')
    assert lines[0].endswith(" (/training courses shows what each covers).")
    assert lines[1] == "line 5: capacity: Give the number of places as a whole number, at least 1."
    assert lines[2].startswith("line 6: end: The end time 09:00 is not after the start time 10:00")
    assert 'channels: "training" is not a channel I can post in' in lines[2]
    assert lines[3] == (
        "line 7: has 3 values but the header has 9 columns; check for a missing comma, "
        "or a comma that needs quotes around its value."
    )
    assert lines[4] == (
        "Nothing was imported: 4 problem(s). Fix the lines above, or run again with --skip-invalid "
        "to import the 2 good row(s)."
    )
    assert sessions_in(data) == []


def test_skip_invalid_imports_the_good_rows_and_a_second_run_adds_nothing(data: Path, tmp_path: Path) -> None:
    csv_file = write(tmp_path / "p.csv", HEADER + GOOD + BAD)
    result = sgbot("training", "import", str(csv_file), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "Imported 2 session(s): 1, 2." in result.stdout
    assert result.stderr.count("skipped line ") == 4
    first, second = sessions_in(data)
    assert first.start_at == london(2030, 4, 23, 9, 30) and first.venue == "Gun Wharf, Chatham"
    assert first.trainer == "Jo Smith" and first.channels == "slack:C0123 discord:456"
    assert second.online_url == "https://teams.example.org/t"
    assert second.end_at - second.start_at == dt.timedelta(minutes=120)  # the course's usual length

    again = sgbot("training", "import", str(write(tmp_path / "again.csv", HEADER + GOOD + GOOD)))
    assert again.exit_code == 0
    assert "line 2: already in the programme as session 1; left as it is." in again.stdout
    assert "line 4: the same session as line 2; left out." in again.stdout
    assert "Imported 0 session(s)." in again.stdout
    assert len(sessions_in(data)) == 2


def test_the_same_file_imported_again_with_skip_invalid_ends_as_the_first_time(data: Path, tmp_path: Path) -> None:
    # Rows already in the programme are good rows left as they are, not failures.
    csv_file = write(tmp_path / "p.csv", HEADER + GOOD + BAD)
    first = sgbot("training", "import", str(csv_file), "--skip-invalid")
    again = sgbot("training", "import", str(csv_file), "--skip-invalid")
    assert (first.exit_code, again.exit_code) == (0, 0), again.output
    assert again.stdout.count("already in the programme") == 2 and again.stderr.count("skipped line ") == 4
    only_bad = sgbot("training", "import", str(write(tmp_path / "bad.csv", HEADER + BAD)), "--skip-invalid")
    assert only_bad.exit_code == 1  # no good row at all is still a failure
    assert len(sessions_in(data)) == 2


def test_a_cell_with_a_nul_is_refused_with_its_line_like_any_bad_cell(data: Path, tmp_path: Path) -> None:
    # PostgreSQL cannot store a NUL: it used to print a traceback with the whole INSERT.
    nul = "neglect,2030-04-30,09:30,12:30,20,Gun\x00Wharf,,Jo\x00Smith,\n"
    csv_file = write(tmp_path / "p.csv", HEADER + GOOD + nul)
    result = sgbot("training", "import", str(csv_file))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines()[0] == (
        "line 4: venue: has a NUL character, which cannot be saved; remove it. "
        "trainer: has a NUL character, which cannot be saved; remove it."
    )
    skipped = sgbot("training", "import", str(csv_file), "--skip-invalid")
    assert skipped.exit_code == 0 and "Imported 2 session(s)" in skipped.stdout
    assert all("\x00" not in (s.venue or "") + (s.trainer or "") for s in sessions_in(data))


def test_the_import_is_audited(data: Path, tmp_path: Path) -> None:
    assert sgbot("training", "import", str(write(tmp_path / "p.csv", HEADER + GOOD))).exit_code == 0

    async def entries() -> list[audit.AuditEntry]:
        db = Database(f"sqlite:///{data / 'sgbot.db'}")
        try:
            async with db.transaction() as tx:
                return await audit.entries(tx)
        finally:
            await db.dispose()

    [entry] = asyncio.run(entries())
    assert (entry.action, entry.subject, entry.detail, entry.platform) == (
        "training.imported",
        "2 sessions",
        "p.csv",
        "cli",
    )


def test_unreadable_files_get_one_sentence(data: Path, tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + "neglect,2030-01-01,09:00,,5,Caf\xe9,,,\n".encode("latin-1"))
    result = sgbot("training", "import", str(latin))
    assert result.exit_code == 2 and result.stderr.strip() == (
        f"{latin} is not UTF-8 text; save it from your spreadsheet as CSV UTF-8."
    )
    missing = sgbot("training", "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and "Cannot read" in missing.stderr and "Traceback" not in missing.output
    empty = sgbot("training", "import", str(write(tmp_path / "empty.csv", "")))
    assert empty.exit_code == 1 and "The file is empty" in empty.stderr


def test_the_programme_is_exported_as_one_calendar(data: Path, tmp_path: Path) -> None:
    assert sgbot("training", "import", str(write(tmp_path / "p.csv", HEADER + GOOD))).exit_code == 0
    out = tmp_path / "programme.ics"
    result = sgbot("training", "ics", "--from", "2030-04-01", "--to", "2030-05-31", "--out", str(out))
    assert result.exit_code == 0 and "2 session(s) from 1 April 2030 to 31 May 2030." in result.stderr
    events = icalendar.Calendar.from_ical(out.read_text()).walk("VEVENT")
    assert [e.decoded("DTSTART") for e in events] == [london(2030, 4, 23, 9, 30), london(2030, 5, 21, 13, 30)]
    april = sgbot("training", "ics", "--from", "2030-04-01", "--to", "2030-04-30")
    assert april.stdout.count("BEGIN:VEVENT") == 1
    backwards = sgbot("training", "ics", "--from", "2030-05-01", "--to", "2030-04-01")
    assert backwards.exit_code == 2 and "--to is before --from" in backwards.stderr


def test_a_cancelled_session_stays_in_the_programme_marked_cancelled(data: Path, tmp_path: Path) -> None:
    # Trainer audit (sixteenth session): a cancelled session vanished from the programme file, so a
    # calendar that had taken an earlier copy never learnt of the cancel.
    assert sgbot("training", "import", str(write(tmp_path / "p.csv", HEADER + GOOD))).exit_code == 0
    script = write(tmp_path / "cancel.txt", "/training cancel 1 no room\n")
    assert sgbot("console", "--as", "sam", "--role", "trainer", "--script", str(script)).exit_code == 0
    result = sgbot("training", "ics", "--from", "2030-04-01", "--to", "2030-05-31")
    assert "2 session(s) from 1 April 2030 to 31 May 2030. 1 of them cancelled, marked so in the file." in result.stderr
    events = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    assert [str(e.get("STATUS")) for e in events] == ["CANCELLED", "CONFIRMED"]
    # and the cancelled one no longer asks for a reply (a review, sixteenth session)
    assert "has been cancelled" in str(events[0].get("DESCRIPTION"))
    assert "Reply or change your reply" not in str(events[0].get("DESCRIPTION"))


def seed_past_session(data: Path, ago: dt.timedelta = dt.timedelta(days=2)) -> int:
    async def seed() -> int:
        db = Database(f"sqlite:///{data / 'sgbot.db'}")
        try:
            now = dt.datetime.now(dt.UTC)
            async with db.transaction() as s:
                row = TrainingSession(
                    course_id="neglect",
                    title="Recognising and responding to neglect",
                    start_at=now - ago,
                    end_at=now - ago + dt.timedelta(hours=3),
                    capacity=10,
                    created_by="console:sam",
                    created_at=now,
                    updated_at=now,
                )
                s.add(row)
                await s.flush()
                s.add(Rsvp(session_id=row.id, platform="slack", user_id="U1", status="going", responded_at=now))
                return row.id
        finally:
            await db.dispose()

    sgbot("db", "upgrade")
    return asyncio.run(seed())


def test_a_register_is_recorded_all_or_nothing(data: Path, tmp_path: Path) -> None:
    session_id = seed_past_session(data)
    register = (
        "name,user_id,platform,attended\nJo,U1,,yes\nAl,U2,slack,no\nBo,D9,discord,Attended\nCy,U3,myspace,maybe\n"
        "Di,29:1aBcD,teams,yes\n"  # a Teams id has a colon
    )
    bad = sgbot("training", "attendance", str(session_id), str(write(tmp_path / "r.csv", register)))
    assert bad.exit_code == 1
    assert bad.stderr.splitlines()[0] == (
        'line 5: platform must be one of console, slack, discord, teams. attended must be yes or no, not "maybe".'
    )

    good = sgbot("training", "attendance", str(session_id), str(tmp_path / "r.csv"), "--skip-invalid")
    assert good.exit_code == 0 and f"Recorded 3 attended and 1 absent for session {session_id}." in good.stdout

    async def marks() -> set[tuple[str, str, bool, str]]:
        db = Database(f"sqlite:///{data / 'sgbot.db'}")
        try:
            return {
                (a.platform, a.user_id, a.attended, a.source) for a in await in_tx(db, store.attendance, session_id)
            }
        finally:
            await db.dispose()

    assert asyncio.run(marks()) == {
        ("slack", "U1", True, "import"),
        ("slack", "U2", False, "import"),
        ("discord", "D9", True, "import"),
        ("teams", "29:1aBcD", True, "import"),
    }
    missing = sgbot("training", "attendance", "999", str(tmp_path / "r.csv"))
    assert missing.exit_code == 2 and "There is no session 999" in missing.stderr


def test_a_register_for_a_session_still_to_come_says_when_it_starts(data: Path, tmp_path: Path) -> None:
    """An outside audit: it said "was cancelled or has not started" without saying which."""
    session_id = seed_past_session(data, ago=-dt.timedelta(days=3))
    result = sgbot("training", "attendance", str(session_id), str(write(tmp_path / "r.csv", "user_id\nU1\n")))
    assert result.exit_code == 2
    assert f"Session {session_id} has not started yet (it starts " in result.stderr
    assert "record attendance once it has" in result.stderr


def test_last_years_programme_imports_for_reports_with_no_reminders(data: Path, tmp_path: Path) -> None:
    past = (
        "Recognising and responding to neglect,14/03/2024,9.30am,12.30pm,20 places,Gun Wharf,,,\n"
        "domestic abuse,21 May 2024,13:30,,about 25,Room 2,,,\n"
    )
    result = sgbot("training", "import", str(write(tmp_path / "2024.csv", HEADER + past)))
    assert result.exit_code == 0, result.output
    assert "Imported 2 session(s): 1, 2. 2 of them already took place" in result.stdout
    first, second = sessions_in(data)
    assert (first.course_id, first.start_at, first.capacity) == ("neglect", london(2024, 3, 14, 9, 30), 20)
    assert (second.course_id, second.start_at, second.capacity) == ("domestic-abuse", london(2024, 5, 21, 13, 30), 25)

    async def outbox_keys() -> list[str]:
        from sqlalchemy import select

        from storage.models import OutboxMessage

        db = Database(f"sqlite:///{data / 'sgbot.db'}")
        try:
            async with db.transaction() as s:
                return list((await s.scalars(select(OutboxMessage.key))).all())
        finally:
            await db.dispose()

    assert asyncio.run(outbox_keys()) == []  # no reminders, no posts
    # Importing the same file again adds nothing.
    again = sgbot("training", "import", str(write(tmp_path / "again.csv", HEADER + past)))
    assert "Imported 0 session(s)." in again.stdout and len(sessions_in(data)) == 2


# An outside audit (forms and dates): a spreadsheet's own ways of writing times, dates and numbers,
# and its semicolon- or tab-separated "CSV", were refused.
def test_a_spreadsheets_times_dates_and_numbers_are_read(data: Path, tmp_path: Path) -> None:
    text = (
        "course,date,start,end,capacity,venue\n"
        "neglect,21/04/2030,09:30:00,12:30:00,20,Hoo\n"
        "neglect,22/04/2030,9:30 AM,12:30 PM,20,Hoo\n"
        "neglect,23/04/2030 00:00,09:30,,20,Hoo\n"
        "neglect,2030/04/24,09:30,,20.0,Hoo\n"
    )
    result = sgbot("training", "import", str(write(tmp_path / "excel.csv", text)))
    assert result.exit_code == 0, result.stderr
    assert [(s.start_at, s.capacity) for s in sessions_in(data)] == [
        (london(2030, 4, day, 9, 30), 20) for day in (21, 22, 23, 24)
    ]


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolons_or_tabs_between_columns_and_a_places_header_are_read(
    data: Path, tmp_path: Path, separator: str
) -> None:
    text = separator.join(["Course", "Date", "Start time", "Places", "Venue"]) + "\n"
    text += separator.join(["neglect", "21/04/2030", "09:30", "20", "Gun Wharf, Chatham"]) + "\n"
    result = sgbot("training", "import", str(write(tmp_path / "semi.csv", text)))
    assert result.exit_code == 0, result.stderr
    [session] = sessions_in(data)
    assert (session.capacity, session.venue) == (20, "Gun Wharf, Chatham")


def test_an_impossible_date_in_a_file_says_what_is_wrong_and_no_tomorrow(data: Path, tmp_path: Path) -> None:
    text = "course,date,start,capacity,venue\nneglect,31/02/2030,09:30,20,Hoo\nneglect,someday,09:30,20,Hoo\n"
    result = sgbot("training", "import", str(write(tmp_path / "bad.csv", text)))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "line 2: date: There is no 31 February 2030: February has 28 days."
    assert lines[1] == "line 3: date: Give the date like 2026-04-21, 21/04/2026, 21 April 2026."


def test_a_header_of_many_unknown_columns_is_named_in_one_short_line(data: Path, tmp_path: Path) -> None:
    """An outside audit: a header with 200,000 empty columns printed one line of 400 KB."""
    wide = write(tmp_path / "wide.csv", ",".join(["date", "start", *[""] * 200_000]) + "\n")
    result = sgbot("training", "import", str(wide))
    assert result.exit_code == 1
    [first, *_] = result.stderr.splitlines()
    assert first.startswith("line 1: unknown column (no name) and 199,999 more;") and len(first) < 300


def test_a_file_too_big_to_be_a_programme_is_refused_before_it_is_read(data: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("w") as handle:
        handle.write(HEADER)
        handle.write('"' + "x" * 6_000_000 + '"\n')
    result = sgbot("training", "import", str(big))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"{big} is 6.0 MB, more than the 5 MB a CSV file may be; check it is the right file, or split it."
    )


def test_a_venue_cell_of_many_lines_is_kept_as_one_short_line(data: Path, tmp_path: Path) -> None:
    # an outside stall audit: a 50,000-line venue was imported, and every post printed its lines
    many = "Gun Wharf\n" + "\n" * 50_000 + "Chatham " * 5_000
    csv_file = write(tmp_path / "p.csv", HEADER + f'neglect,2030-04-23,09:30,12:30,20,"{many}",,,\n')
    result = sgbot("training", "import", str(csv_file))
    assert result.exit_code == 0, result.output
    [session] = sessions_in(data)
    assert "\n" not in session.venue and session.venue.startswith("Gun Wharf Chatham") and len(session.venue) <= 255
