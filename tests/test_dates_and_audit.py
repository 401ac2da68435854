"""Dates typed the British way on every command line, the audit trail as people read it (their
platform:id, the partnership's time zone), and the bulletin replies that say what really changed."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.runtime import Runtime
from core.dates import DateProblem, NonexistentTime, read_date, read_moment, report_day
from core.model import Reply, RequestKind
from storage import audit
from storage.db import Database
from tests.harness import action, command, text_of
from tests.test_cli import sgbot_in_process

LONDON = ZoneInfo("Europe/London")


# --- one date reader ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-01", dt.date(2026, 3, 1)),
        ("01/03/2026", dt.date(2026, 3, 1)),
        ("1/3/2026", dt.date(2026, 3, 1)),
        ("1/3/26", dt.date(2026, 3, 1)),
        (" 31/03/2026 ", dt.date(2026, 3, 31)),
        ("1 March 2026", None),
        ("today", None),
        ("01.03.2026", None),
        ("1/3/202", None),
    ],
)
def test_one_reader_takes_iso_and_day_first_dates_as_the_reports_do(text: str, day: dt.date | None) -> None:
    from handlers.surveys.impact import read_date as reports_read_date

    assert read_date(text) == day
    assert reports_read_date(text) == day  # what the report commands take, unchanged


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("31/02/2026", "There is no 31 February 2026: February has 28 days."),
        ("29/02/2027", "2027 is not a leap year: February has 28 days."),
        ("2026-13-01", r"13 is not a month\.$"),  # written year first: no "day first" hint
        ("05/13/2026", r"13 is not a month \(dates are day first: 05/03/2026 is 5 March\)\.$"),
        ("01/01/0001", "1 January 1 is too long ago; give a date from 2000 onwards."),
    ],
)
def test_a_date_the_calendar_lacks_says_what_is_wrong(text: str, sentence: str) -> None:
    with pytest.raises(DateProblem, match=sentence):
        report_day(text, dt.date(2026, 3, 2))


def test_a_report_period_reaching_year_9999_is_refused_in_a_sentence(tmp_path: Path) -> None:
    result = sgbot_in_process(["training", "ics", "--from", "2026-01-01", "--to", "31/12/9999"], tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--to '31/12/9999': 31 December 9999 is more than 10 years ahead; give a date up to" in result.stderr


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("2026-03-01", dt.datetime(2026, 3, 1, 0, 0)),
        ("01/03/2026", dt.datetime(2026, 3, 1, 0, 0)),
        ("2026-03-01T09:00", dt.datetime(2026, 3, 1, 9, 0)),
        ("2026-03-01 09:00", dt.datetime(2026, 3, 1, 9, 0)),
        ("01/03/2026 09:00", dt.datetime(2026, 3, 1, 9, 0)),
        ("01/03/2026T09:00", dt.datetime(2026, 3, 1, 9, 0)),
        ("1/3/2026 9:05:30", dt.datetime(2026, 3, 1, 9, 5, 30)),
        ("01/06/2026 09:00", dt.datetime(2026, 6, 1, 9, 0)),  # summer time: 08:00 UTC
        ("01/03/2026 9am", dt.datetime(2026, 3, 1, 9, 0)),  # a time as chat takes one
        ("02/03/2026 9.30am", dt.datetime(2026, 3, 2, 9, 30)),
        ("2026-03-01 2:15 pm", dt.datetime(2026, 3, 1, 14, 15)),
        # 24:00 ends the day: the next day's midnight ("--to 2026-03-31T24:00" takes in all of 31 March)
        ("2026-03-01 24:00", dt.datetime(2026, 3, 2, 0, 0)),
        ("31/03/2026 24:00", dt.datetime(2026, 4, 1, 0, 0)),
        ("2026-03-31T24:00", dt.datetime(2026, 4, 1, 0, 0)),
    ],
)
def test_a_moment_without_an_offset_is_in_the_partnerships_zone(text: str, local: dt.datetime) -> None:
    assert read_moment(text, LONDON) == local.replace(tzinfo=LONDON)


def test_a_moment_with_an_offset_keeps_it_and_nonsense_is_none() -> None:
    assert read_moment("2026-06-01T09:00+00:00", LONDON) == dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    assert read_moment("2026-06-01T24:00:00Z", LONDON) == dt.datetime(2026, 6, 2, 0, 0, tzinfo=dt.UTC)
    for text in (
        "nope",
        "01/03/2026 25:00",
        "01/03/2026 24:01",
        "01/03/2026 9",
        "01/03/2026 13pm",
        "tomorrow 09:00",
        "",
    ):
        assert read_moment(text, LONDON) is None, text
    with pytest.raises(DateProblem, match="There is no 31 February 2026"):
        read_moment("31/02/2026 09:00", LONDON)


def test_a_time_the_spring_clocks_skip_is_refused_and_an_autumn_one_is_the_first() -> None:
    with pytest.raises(NonexistentTime, match="01:30 does not exist on 29 March 2026 in Europe/London"):
        read_moment("2026-03-29T01:30", LONDON)
    with pytest.raises(NonexistentTime):
        read_moment("29/03/2026 01:30", LONDON)
    twice = read_moment("25/10/2026 01:30", LONDON)
    assert twice is not None and twice.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)


# --- the commands ------------------------------------------------------------------------------------


def test_console_at_takes_a_day_first_date_and_time(tmp_path: Path) -> None:
    for run, at in enumerate(("28/03/2026 12:00", "28/03/2026T12:00", "2026-03-28T12:00")):
        folder = tmp_path / str(run)  # a data folder each: a moved clock is kept in its database
        folder.mkdir()
        result = sgbot_in_process(["console", "--at", at, "--script", "-"], folder, stdin="/debug clock +24h\n")
        assert result.returncode == 0, (at, result.stderr)
        assert "Sunday 29 March 2026, 13:00" in result.stdout, at


@pytest.mark.parametrize("at", ["2026-03-29T01:30", "29/03/2026 01:30"])
def test_console_at_refuses_a_time_the_clocks_skip(tmp_path: Path, at: str) -> None:
    result = sgbot_in_process(["console", "--at", at, "--script", "-"], tmp_path, stdin="/help\n")
    assert result.returncode == 2
    assert (
        f"--at '{at}': 01:30 does not exist on 29 March 2026 in Europe/London, because the clocks go forward "
        "that night; give another time." in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_console_at_refuses_what_is_not_a_date(tmp_path: Path) -> None:
    result = sgbot_in_process(["console", "--at", "next week", "--script", "-"], tmp_path, stdin="/help\n")
    assert result.returncode == 2
    assert "--at 'next week' is not a date and time; write it like 2026-03-02T09:00 or 02/03/2026 09:00." in (
        result.stderr
    )


def test_training_ics_takes_day_first_dates(tmp_path: Path) -> None:
    result = sgbot_in_process(["training", "ics", "--from", "01/03/2026", "--to", "31/03/2026"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "BEGIN:VCALENDAR" in result.stdout
    assert "0 session(s) from 1 March 2026 to 31 March 2026." in result.stderr
    words = sgbot_in_process(["training", "ics", "--from", "1 March 2026", "--to", "31/03/2026"], tmp_path)
    assert words.returncode == 2
    assert "--from '1 March 2026' is not a date; write it like 2026-04-01 or 01/04/2026." in words.stderr


def _audit_entries(tmp_path: Path) -> None:
    """sam's actions in winter and summer, and an import recorded for slack:U123 from the command line."""
    data = tmp_path / "data"
    data.mkdir()

    async def write() -> None:
        db = Database(f"sqlite+aiosqlite:///{data / 'sgbot.db'}")
        await db.upgrade()
        async with db.transaction() as tx:
            for at, platform, actor, what in (
                (dt.datetime(2026, 2, 20, 9, 0, tzinfo=dt.UTC), "console", "sam", "training.session_added"),
                (dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), "console", "sam", "training.session_edited"),
                (dt.datetime(2026, 6, 1, 8, 30, tzinfo=dt.UTC), "console", "sam", "training.session_cancelled"),
                (dt.datetime(2026, 6, 1, 8, 45, tzinfo=dt.UTC), "console", "alex", "survey.closed"),
                (dt.datetime(2026, 6, 2, 10, 0, tzinfo=dt.UTC), "cli", "slack:U123", "bulletin.imported"),
                (dt.datetime(2026, 6, 2, 11, 0, tzinfo=dt.UTC), "slack", "U123", "bulletin.scheduled"),
            ):
                said = {"subject": "7", "detail": "venue flooded"} if what == "training.session_cancelled" else {}
                await audit.record(tx, at=at, platform=platform, actor=actor, action=what, **said)
        await db.dispose()

    asyncio.run(write())


def _actions(csv_text: str) -> list[str]:
    return [line.split(",")[3] for line in csv_text.strip().splitlines()[1:]]


def test_audit_finds_a_person_as_the_list_writes_them_and_by_their_id(tmp_path: Path) -> None:
    _audit_entries(tmp_path)
    by_id = sgbot_in_process(["audit", "--actor", "sam", "--format", "csv"], tmp_path)
    by_name = sgbot_in_process(["audit", "--actor", "console:sam", "--format", "csv"], tmp_path)
    assert by_id.returncode == 0 and by_name.returncode == 0, by_id.stderr + by_name.stderr
    assert (
        _actions(by_name.stdout)
        == _actions(by_id.stdout)
        == [
            "training.session_added",
            "training.session_edited",
            "training.session_cancelled",
        ]
    )
    # The chat action by slack:U123 and the import recorded for them from the command line.
    slack = sgbot_in_process(["audit", "--actor", "slack:U123", "--format", "csv"], tmp_path)
    assert _actions(slack.stdout) == ["bulletin.imported", "bulletin.scheduled"]
    assert _actions(sgbot_in_process(["audit", "--actor", "slack:sam", "--format", "csv"], tmp_path).stdout) == []


def test_audit_since_takes_a_day_first_date_in_the_partnerships_zone(tmp_path: Path) -> None:
    _audit_entries(tmp_path)
    result = sgbot_in_process(["audit", "--since", "01/03/2026", "--actor", "console:sam", "--format", "csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert _actions(result.stdout) == ["training.session_edited", "training.session_cancelled"]
    # Midnight in London on 1 June is 23:00 UTC the day before; 08:30 UTC that morning is in.
    june = sgbot_in_process(["audit", "--since", "2026-06-01", "--format", "csv"], tmp_path)
    assert _actions(june.stdout)[0] == "training.session_cancelled"
    bad = sgbot_in_process(["audit", "--since", "March"], tmp_path)
    assert bad.returncode == 2
    assert "--since 'March' is not a date; write it like 2026-03-01 or 01/03/2026." in bad.stderr


def test_audit_times_are_in_the_partnerships_zone_and_say_so(tmp_path: Path) -> None:
    _audit_entries(tmp_path)
    csv_out = sgbot_in_process(["audit", "--actor", "sam", "--format", "csv"], tmp_path).stdout
    assert csv_out.splitlines()[0].startswith("when (Europe/London),platform,actor")
    assert "2026-02-20T09:00:00+00:00,console,sam" in csv_out  # winter: GMT
    assert "2026-06-01T09:30:00+01:00,console,sam" in csv_out  # summer: BST, as the chat showed it
    narrow = sgbot_in_process(["audit", "--actor", "console:sam"], tmp_path, env={"COLUMNS": "80"})
    assert "Audit trail (3 actions), times in Europe/London" in narrow.stdout
    assert "2026-06-01 09:30  console:sam  training.session_cancelled" in narrow.stdout
    assert "    subject: 7\n    detail: venue flooded" in narrow.stdout  # labelled, not bare lines
    assert "UTC" not in narrow.stdout
    wide = sgbot_in_process(["audit", "--actor", "console:sam"], tmp_path, env={"COLUMNS": "200"})
    assert "when (Europe/London)" in wide.stdout and "2026-06-01T09:30:00+01:00" in wide.stdout


def test_content_validate_names_the_folder_it_was_given(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-pack"
    result = sgbot_in_process(["content", "validate", str(missing)], tmp_path)
    assert result.returncode == 1
    assert f"{missing}:0: is not a folder" in result.stdout
    assert "CONTENT_PACK must name" not in result.stdout


# --- bulletins ---------------------------------------------------------------------------------------


async def _bulletin(rt: Runtime, text: str) -> str:
    outcome = await rt.dispatcher.handle(command("bulletin", text, user="cara", roles={"comms"}))
    return text_of(outcome.replies)


async def _save(rt: Runtime, value: str, title: str, body: str) -> str:
    request = action("bulletin:save", value, user="cara", roles={"comms"}).model_copy(
        update={"kind": RequestKind.SUBMIT, "form": {"title": title, "body": body}}
    )
    outcome = await rt.dispatcher.handle(request)
    assert not outcome.form_errors, outcome.form_errors
    reply: Reply = outcome.replies[0]
    return reply.all_text()


async def _audited(rt: Runtime, what: str) -> int:
    async with rt.ctx.db.transaction() as tx:
        return sum(1 for e in await audit.entries(tx) if e.action == what)


async def test_scheduling_again_names_the_time_it_replaces(runtime: Runtime) -> None:
    await _save(runtime, "new", "March bulletin", "Neglect course on 9 March.")
    first = await _bulletin(runtime, "schedule 1 tomorrow 9am #news")
    assert "will go to #news on Tue 3 Mar 2026, 09:00" in first and "instead of" not in first
    second = await _bulletin(runtime, "schedule 1 05/03/2026 #news #schools")
    assert (
        "will now go to #news, #schools on Thu 5 Mar 2026, 09:00, instead of to #news on Tue 3 Mar 2026, 09:00 "
        "as scheduled before." in second
    )
    again = await _bulletin(runtime, "schedule 1 05/03/2026 #news #schools")
    assert "was already going to #news, #schools on Thu 5 Mar 2026, 09:00; nothing changed." in again
    assert "scheduled for Thu 5 Mar 2026, 09:00 to #news, #schools" in await _bulletin(runtime, "list")


async def test_an_edit_that_changes_nothing_says_so(runtime: Runtime) -> None:
    await _save(runtime, "new", "JEG bulletin", "## Key points\n- Missing episodes rose")
    same = await _save(runtime, "1", "JEG bulletin", "## Key points\n- Missing episodes rose\n")
    assert "Nothing changed: bulletin **1** has the same title and text as before." in same
    assert "updated" not in same
    assert await _audited(runtime, "bulletin.edited") == 0
    changed = await _save(runtime, "1", "JEG bulletin", "## Key points\n- Missing episodes fell")
    assert "Bulletin **1** updated." in changed
    assert await _audited(runtime, "bulletin.edited") == 1
    await _bulletin(runtime, "cancel 1")
    gone = await runtime.dispatcher.handle(
        action("bulletin:save", "1", user="cara", roles={"comms"}).model_copy(
            update={"kind": RequestKind.SUBMIT, "form": {"title": "JEG bulletin", "body": "## Key points"}}
        )
    )
    assert "Bulletin 1 was cancelled, so it can't be changed now" in text_of(gone.replies)


async def test_a_title_line_repeating_the_title_is_shown_once(runtime: Runtime) -> None:
    body = "# March  Bulletin\n## Training\n- Neglect course\n# another heading\n\nLast paragraph."
    await _save(runtime, "new", "March bulletin", body)
    preview = await _bulletin(runtime, "preview 1")
    assert preview.count("March bulletin") + preview.count("March  Bulletin") == 1
    assert "Neglect course" in preview and "another heading" in preview and "Last paragraph." in preview
    # A first heading that is not the title is the bulletin's own text, and stays.
    await _save(runtime, "new", "April bulletin", "# Spring round-up\nText.")
    assert "Spring round-up" in await _bulletin(runtime, "preview 2")


async def test_a_body_that_is_only_the_title_is_asked_for_its_text(runtime: Runtime) -> None:
    request = action("bulletin:save", "new", user="cara", roles={"comms"}).model_copy(
        update={"kind": RequestKind.SUBMIT, "form": {"title": "March bulletin", "body": "# March bulletin\n"}}
    )
    outcome = await runtime.dispatcher.handle(request)
    assert outcome.form_errors == {"body": "Write the bulletin's text here."}


def test_a_date_run_into_digits_is_no_moment() -> None:
    # an outside audit: "2026-03-01" and any four digits was read as 11:11 on 1 March
    for text in ("2026-03-011111", "2026-03-01x11:11", "2026-03-01 1111"):
        assert read_moment(text, LONDON) is None, text
