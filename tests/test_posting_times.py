"""Send times as people type them in /bulletin and /briefing: the partnership's zone, day-first
dates, words like tomorrow, and times in the past refused."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.model import UserError
from handlers.posting import describe_when, parse_when, take_when

LONDON = ZoneInfo("Europe/London")
# Thursday 5 March 2026, 14:00 in London (GMT, so also 14:00 UTC).
NOW = dt.datetime(2026, 3, 5, 14, 0, tzinfo=dt.UTC)


def local(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=LONDON).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("now", NOW),
        ("15:30", local(2026, 3, 5, 15, 30)),
        ("09:30", local(2026, 3, 6, 9, 30)),  # already past today: the next one
        ("9am", local(2026, 3, 6, 9, 0)),
        ("2.15pm", local(2026, 3, 5, 14, 15)),
        ("tomorrow", local(2026, 3, 6, 9, 0)),
        ("tomorrow 9am", local(2026, 3, 6, 9, 0)),
        ("Tomorrow 16:45", local(2026, 3, 6, 16, 45)),
        ("monday 10am", local(2026, 3, 9, 10, 0)),
        ("fri", local(2026, 3, 6, 9, 0)),
        ("06/03/2026", local(2026, 3, 6, 9, 0)),
        ("6/3/26 13:00", local(2026, 3, 6, 13, 0)),
        ("2026-03-06", local(2026, 3, 6, 9, 0)),
        ("2026-03-06T09:30", local(2026, 3, 6, 9, 30)),
        ("2026-03-06@09:30", local(2026, 3, 6, 9, 30)),
        ("2026-04-01 10:00", local(2026, 4, 1, 10, 0)),  # BST: 09:00 UTC
    ],
)
def test_times_people_type_are_read_in_the_partnerships_zone(typed: str, expected: dt.datetime) -> None:
    assert parse_when(typed, now=NOW, zone=LONDON) == expected


@pytest.mark.parametrize("typed", ["25:00", "13pm", "someday", "42", "04/03/2026", "yesterday"])
def test_nonsense_or_past_times_get_a_sentence(typed: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_when(typed, now=NOW, zone=LONDON)
    assert "not a time I understand" in str(raised.value) or "already passed" in str(raised.value)


def test_take_when_reads_one_or_two_words_and_leaves_the_channels() -> None:
    when, rest = take_when(["tomorrow", "9am", "#practice", "#schools"], now=NOW, zone=LONDON)
    assert when == local(2026, 3, 6, 9, 0) and rest == ["#practice", "#schools"]
    when, rest = take_when(["now", "#practice"], now=NOW, zone=LONDON)
    assert when == NOW and rest == ["#practice"]


# An outside audit (forms and dates): the whole time people type is read, and a word left after it
# that belongs to a time is refused, never saved as a channel ("#at, #2pm, #news" before).
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("tomorrow at 2pm", local(2026, 3, 6, 14, 0)),
        ("05/03/2026 at 3pm", local(2026, 3, 5, 15, 0)),
        ("friday at 14:00", local(2026, 3, 6, 14, 0)),
        ("5 March 2026 9pm", local(2026, 3, 5, 21, 0)),
        ("on 9 Mar 2027 at 2pm", local(2027, 3, 9, 14, 0)),
        ("Tue 9 Mar 2027 2pm", local(2027, 3, 9, 14, 0)),
        ("next tuesday 2pm", local(2026, 3, 10, 14, 0)),
        ("3pm friday", local(2026, 3, 6, 15, 0)),
        ("in 2 hours", NOW + dt.timedelta(hours=2)),
        ("6/3 noon", local(2026, 3, 6, 12, 0)),
    ],
)
def test_the_whole_time_is_read_and_only_channels_are_left(typed: str, expected: dt.datetime) -> None:
    when, rest = take_when([*typed.split(), "#news"], now=NOW, zone=LONDON)
    assert (when, rest) == (expected, ["#news"])


def test_a_word_after_the_time_that_belongs_to_a_time_is_refused_not_a_channel() -> None:
    with pytest.raises(UserError, match="I read the time as Fri 6 Mar 2026, 09:00, but not '10am'"):
        take_when(["tomorrow", "9am", "#news", "10am"], now=NOW, zone=LONDON)


def test_a_weekday_whose_time_passed_today_is_next_weeks() -> None:
    # NOW is Thursday 14:00: "thursday 10:00" is next Thursday, "thursday 16:00" today.
    assert parse_when("thursday 10:00", now=NOW, zone=LONDON) == local(2026, 3, 12, 10, 0)
    assert parse_when("thursday 16:00", now=NOW, zone=LONDON) == local(2026, 3, 5, 16, 0)


def test_next_weekday_said_early_in_the_week_asks_which_week_it_means() -> None:
    # NOW is Thursday 5 March: "next saturday" is tomorrow's week to some and the week after to
    # others, so both dates are named; "next tuesday" (already next week's) and "this saturday" are read.
    with pytest.raises(UserError) as raised:
        take_when(["next", "saturday", "10am", "#news"], now=NOW, zone=LONDON)
    assert "'Next Saturday' could be Saturday 7 March or Saturday 14 March" in str(raised.value)
    assert parse_when("this saturday 10am", now=NOW, zone=LONDON) == local(2026, 3, 7, 10, 0)
    assert parse_when("next tuesday 10am", now=NOW, zone=LONDON) == local(2026, 3, 10, 10, 0)
    assert parse_when("next thursday 10am", now=NOW, zone=LONDON) == local(2026, 3, 12, 10, 0)


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("31/02/2026", "There is no 31 February 2026: February has 28 days."),
        ("29/02/2027 09:00", "2027 is not a leap year: February has 28 days."),
        ("13/13/2027", "13 is not a month."),
        ("31/12/9999", "31 December 9999 is more than 10 years ahead; give a date up to 5 March 2036."),
        ("2026-03-29T01:30", "01:30 does not exist on 29 March 2026 in Europe/London, because the clocks go forward"),
        ("29/03/2026 01:30", "01:30 does not exist on 29 March 2026"),
    ],
)
def test_a_date_or_time_the_calendar_lacks_is_refused_saying_why(typed: str, sentence: str) -> None:
    with pytest.raises(UserError) as raised:
        take_when([*typed.split(), "#news"], now=NOW, zone=LONDON)
    assert sentence in str(raised.value)


def test_a_time_the_autumn_clocks_repeat_says_which_one_it_took() -> None:
    when = parse_when("25/10/2026 01:30", now=NOW, zone=LONDON)
    assert when == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert describe_when(when, LONDON) == "Sun 25 Oct 2026, 01:30 (BST, the first 01:30 that night: the clocks go back)"
