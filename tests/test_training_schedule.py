"""The training rules that need no chat or database: reminder times across clock changes,
reading what trainers type, CSV rows, and calendar files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import icalendar
import pytest

from handlers.training.files import CalendarEntry, by_line, calendar, read_csv
from handlers.training.schedule import (
    NonexistentTime,
    SessionDraft,
    check_session,
    local_to_utc,
    parse_channels,
    parse_offset,
    parse_offsets,
    reminder_time,
    split_when,
    split_where,
    when_text,
)
from tests.training_support import london, utc

LONDON = "Europe/London"
NOW = utc(2026, 3, 2, 9, 0)


@dataclass(frozen=True)
class FakeCourse:
    id: str
    title: str
    duration_minutes: int


COURSES = {"neglect": FakeCourse("neglect", "Recognising neglect", 180)}


def times(start: dt.datetime, offsets: str = "7d,1d,1h") -> dict[str, dt.datetime]:
    return {o.label: reminder_time(start.astimezone(dt.UTC), LONDON, o) for o in parse_offsets(offsets)}


# --- clock changes ----------------------------------------------------------------------------


def test_reminders_around_the_march_clock_change_keep_london_wall_clock_time() -> None:
    # British Summer Time starts at 01:00 UTC on Sunday 29 March 2026; the session is the Monday after.
    start = london(2026, 3, 30, 9, 30)
    assert start.astimezone(dt.UTC) == utc(2026, 3, 30, 8, 30)
    due = times(start)
    assert due["1d"] == london(2026, 3, 29, 9, 30) == utc(2026, 3, 29, 8, 30)
    assert due["1h"] == london(2026, 3, 30, 8, 30) == utc(2026, 3, 30, 7, 30)
    # A week earlier is still winter time: 09:30 GMT, which is 169 hours before, not 168.
    assert due["7d"] == london(2026, 3, 23, 9, 30) == utc(2026, 3, 23, 9, 30)
    assert start - due["7d"] == dt.timedelta(hours=167)


def test_reminders_around_the_october_clock_change_keep_london_wall_clock_time() -> None:
    # Clocks go back at 01:00 UTC on Sunday 25 October 2026; the session is the Monday after.
    start = london(2026, 10, 26, 9, 30)
    assert start.astimezone(dt.UTC) == utc(2026, 10, 26, 9, 30)
    due = times(start)
    assert due["1d"] == london(2026, 10, 25, 9, 30) == utc(2026, 10, 25, 9, 30)
    assert due["1h"] == london(2026, 10, 26, 8, 30) == utc(2026, 10, 26, 8, 30)
    assert due["7d"] == london(2026, 10, 19, 9, 30) == utc(2026, 10, 19, 8, 30)
    assert start - due["7d"] == dt.timedelta(hours=169)


def test_a_session_on_the_day_the_clocks_change_gets_its_day_before_reminder_at_the_same_local_time() -> None:
    start = london(2026, 3, 29, 9, 30)  # Sunday, already summer time
    due = times(start, "1d")
    assert due["1d"] == london(2026, 3, 28, 9, 30)
    assert start - due["1d"] == dt.timedelta(hours=23)


def test_hours_are_counted_in_real_time_across_the_change() -> None:
    start = london(2026, 3, 29, 3, 0)  # two local hours after 01:00 GMT, but only one real hour
    assert times(start, "1h")["1h"] == utc(2026, 3, 29, 1, 0)
    assert times(start, "2h")["2h"] == utc(2026, 3, 29, 0, 0)


def test_offsets_are_read_longest_first_without_repeats_and_described_in_words() -> None:
    offsets = parse_offsets("1h, 7d,1d,1h,2w,1d12h")
    assert [o.label for o in offsets] == ["2w", "7d", "1d12h", "1d", "1h"]
    assert [o.describe() for o in offsets] == ["2 weeks", "1 week", "1 day 12 hours", "1 day", "1 hour"]
    with pytest.raises(ValueError, match="not a reminder offset"):
        parse_offset("7 days")
    with pytest.raises(ValueError, match="longer than zero"):
        parse_offset("0h")


def test_a_local_time_skipped_by_the_clocks_is_refused_and_a_repeated_one_means_the_first() -> None:
    with pytest.raises(NonexistentTime, match="01:30 does not exist on 29 March 2026"):
        local_to_utc(dt.date(2026, 3, 29), dt.time(1, 30), LONDON)
    # 01:30 happens twice on 25 October 2026: first in summer time (00:30 UTC), then in winter time.
    assert local_to_utc(dt.date(2026, 10, 25), dt.time(1, 30), LONDON) == utc(2026, 10, 25, 0, 30)


# --- what trainers type ----------------------------------------------------------------------------


def check(**values: str) -> SessionDraft | dict[str, str]:
    base = {"course": "neglect", "date": "2026-03-09", "start": "10:00", "end": "13:00", "capacity": "12"}
    base["venue"] = "Gun Wharf"
    return check_session(
        {**base, **values}, courses=COURSES, zone=LONDON, now=NOW, platform="slack", default_trainer="slack:U1"
    )


def test_a_good_session_is_stored_in_utc_with_its_zone_and_the_course_title() -> None:
    draft = check(date="2026-04-21", start="09:30", end="", online_url="https://teams.example.org/x")
    assert isinstance(draft, SessionDraft)
    assert draft.start_at == utc(2026, 4, 21, 8, 30) and draft.zone == LONDON
    assert draft.end_at == draft.start_at + dt.timedelta(minutes=180)  # the course's usual length
    assert (draft.title, draft.trainer, draft.online_url) == (
        "Recognising neglect",
        "slack:U1",
        "https://teams.example.org/x",
    )


@pytest.mark.parametrize(
    ("values", "field", "sentence"),
    [
        ({"date": "2026-02-20"}, "date", "20 February 2026 has already passed; choose a date from today onwards."),
        ({"date": "2026-03-02", "start": "08:00"}, "start", "That time has already passed today"),
        ({"end": "09:30"}, "end", "The end time 09:30 is not after the start time 10:00"),
        ({"end": "10:00"}, "end", "a session must end after it starts"),
        ({"course": "knitting"}, "course", 'There is no course "knitting"; the course ids are'),
        ({"capacity": "0"}, "capacity", "Give the number of places as a whole number, at least 1."),
        ({"capacity": "-3"}, "capacity", "-3 places: give the number of places as a whole number, at least 1 and"),
        # an outside audit: no limit was named, and "-5" came back with an invisible character
        (
            {"capacity": "1000000000"},
            "capacity",
            "1000000000 places: give the number of places as a whole number, at least 1 and at most 99,999.",
        ),
        ({"capacity": "lots"}, "capacity", "at least 1"),  # "twelve" is read as 12 (test_training_forms.py)
        ({"venue": ""}, "venue", "Give a venue, an online link, or both."),
        ({"online_url": "javascript:alert(1)"}, "online_url", "must be a web address starting with https://"),
        ({"date": "someday"}, "date", "Give the date like 2026-04-21, 21/04/2026"),
        ({"date": "31/02/2026"}, "date", "There is no 31 February 2026: February has 28 days."),
        ({"date": "29/02/2027"}, "date", "2027 is not a leap year: February has 28 days."),
        ({"date": "13/13/2027"}, "date", "13 is not a month."),
        ({"date": "31/12/9999"}, "date", "31 December 9999 is more than 10 years ahead"),
        ({"date": "01/01/0001"}, "date", "1 January 1 is too long ago; give a date from 2000 onwards."),
        ({"start": "25:00"}, "start", "Give the start time like 09:30"),
        ({"date": "2026-03-29", "start": "01:15"}, "start", "does not exist on 29 March 2026"),
        ({"channels": "myspace:general"}, "channels", '"myspace:general" is not a channel I can post in'),
    ],
)
def test_each_mistake_gets_one_clear_sentence_on_its_own_field(
    values: dict[str, str], field: str, sentence: str
) -> None:
    errors = check(**values)
    assert isinstance(errors, dict)
    assert list(errors) == [field]
    assert sentence in errors[field]
    assert errors[field].replace("e.g.", "eg").count(". ") == 0 and errors[field].endswith(".")  # one sentence


def test_every_problem_is_reported_at_once() -> None:
    errors = check(course="x", date="2020-01-01", capacity="0", venue="")
    assert isinstance(errors, dict)
    assert set(errors) == {"course", "date", "capacity", "venue"}


def test_channels_are_platform_qualified_and_a_bare_name_is_a_name_only_on_the_console() -> None:
    channels, problem = parse_channels("slack:C0123 discord:456789 console:Training #training", "console")
    assert problem is None
    assert channels == [("slack", "C0123"), ("discord", "456789"), ("console", "training")]
    assert parse_channels("slack:C0123, slack:C0123", "console")[0] == [("slack", "C0123")]
    # On Slack or Discord a name is not guessed: Slack edits posts by channel id only, Discord posts to numbers.
    for platform in ("slack", "discord"):
        for name in ("training", "#training", f"{platform}:training"):
            channels, problem = parse_channels(name, platform)
            assert channels == [] and problem is not None
            assert "pick the channel from the list that opens as you type #" in problem


def test_date_and_time_and_where_are_read_from_one_line_each() -> None:
    assert split_when("2026-04-21 09:30-12:30") == {"date": "2026-04-21", "start": "09:30", "end": "12:30"}
    assert split_when("21/04/2026 at 9.30 to 12.30") == {"date": "2026-04-21", "start": "09:30", "end": "12:30"}
    assert split_when("Tue 9 Mar 2027 at 2pm", dt.date(2026, 3, 2)) == {
        "date": "2027-03-09",
        "start": "14:00",
        "end": "",
    }
    assert split_when("3pm friday", dt.date(2026, 3, 2)) == {"date": "2026-03-06", "start": "15:00", "end": ""}
    assert split_when("2026-04-21 09:30") == {"date": "2026-04-21", "start": "09:30", "end": ""}
    assert split_when("next tuesday", dt.date(2026, 3, 5)) is None
    assert split_where("Gun Wharf, Chatham https://teams.example.org/x") == {
        "venue": "Gun Wharf, Chatham",
        "online_url": "https://teams.example.org/x",
    }
    assert split_where("https://teams.example.org/x") == {"venue": "", "online_url": "https://teams.example.org/x"}


def test_times_are_shown_in_the_sessions_zone() -> None:
    assert when_text(utc(2026, 7, 1, 8, 30), utc(2026, 7, 1, 11, 30), LONDON) == "Wednesday 1 July 2026, 09:30–12:30"


# --- CSV -------------------------------------------------------------------------------------------

COLUMNS = ("course", "date", "start", "end", "capacity", "venue")


def test_csv_rows_are_keyed_by_column_and_report_their_line() -> None:
    text = '\ufeffcourse,date,start,end,capacity,venue\nneglect,2026-04-21,09:30,12:30,20,"Gun Wharf, Chatham"\n\n'
    text += "neglect,2026-04-22,09:30\n"
    rows, problems = read_csv(text, COLUMNS, ("course",))
    assert [(r.line, r.values["venue"]) for r in rows] == [(2, "Gun Wharf, Chatham")]
    assert problems == [
        "line 4: has 3 values but the header has 6 columns; check for a missing comma, "
        "or a comma that needs quotes around its value."
    ]


def test_a_value_with_a_line_break_inside_quotes_keeps_later_line_numbers_right() -> None:
    text = 'course,date,start,end,capacity,venue\nneglect,2026-04-21,09:30,12:30,20,"Room 1\nLevel 2"\nneglect,x\n'
    rows, problems = read_csv(text, COLUMNS, ())
    assert rows[0].values["venue"] == "Room 1\nLevel 2"
    assert problems[0].startswith("line 4:")


def test_csv_header_problems_are_sentences() -> None:
    assert read_csv("", COLUMNS, ())[1] == [
        "The file is empty; its first line should name the columns: course, date, start, end, capacity, venue."
    ]
    assert read_csv("course,colour\n", COLUMNS, ())[1] == [
        "line 1: unknown column colour; the columns are course, date, start, end, capacity, venue."
    ]
    assert read_csv("date\n", COLUMNS, ("course",))[1] == ["line 1: the required column course is missing."]
    assert read_csv("venue\n", COLUMNS, ("course", "date", "capacity"))[1] == [
        "line 1: the required columns course, date and capacity are missing."
    ]
    assert read_csv("name,course\nJo,x\n", COLUMNS, ("course",), ignore_unknown=True)[0][0].values["course"] == "x"


def test_problems_are_listed_in_file_order() -> None:
    assert by_line(["line 10: b", "line 2: a", "The file is empty.", "skipped line 3: c"]) == [
        "The file is empty.",
        "line 2: a",
        "skipped line 3: c",
        "line 10: b",
    ]


# --- calendar files --------------------------------------------------------------------------------


def test_a_calendar_file_carries_the_zone_the_version_and_a_cancellation() -> None:
    entry = CalendarEntry(
        uid="training-7@www.medwayscp.org.uk",
        title="Recognising neglect; a course, with commas",
        start_at=utc(2026, 3, 30, 8, 30),
        end_at=utc(2026, 3, 30, 11, 30),
        zone=LONDON,
        venue="Gun Wharf, Chatham",
        online_url="https://teams.example.org/x",
        description="Session 7.",
        version=3,
        cancelled=True,
    )
    text = calendar([entry], stamp=NOW, name="MSCP training")
    parsed = icalendar.Calendar.from_ical(text)
    [event] = parsed.walk("VEVENT")
    assert str(event["SUMMARY"]) == entry.title
    assert event.decoded("DTSTART") == london(2026, 3, 30, 9, 30)
    assert str(event["DTSTART"].params["TZID"]) == LONDON
    assert event.decoded("DTEND").astimezone(dt.UTC) == entry.end_at
    assert int(event["SEQUENCE"]) == 3 and str(event["STATUS"]) == "CANCELLED"
    assert str(event["LOCATION"]) == "Gun Wharf, Chatham" and str(event["URL"]) == entry.online_url
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == [LONDON]


def test_a_channel_picked_in_slack_or_discord_is_understood() -> None:
    channels, error = parse_channels("<#C0123ABC|training> <#C0456DEF> discord:456", "slack")
    assert error is None
    assert channels == [("slack", "C0123ABC"), ("slack", "C0456DEF"), ("discord", "456")]
