"""Send times as people type them in /bulletin and /briefing: the partnership's zone, day-first
dates, words like tomorrow, and times in the past refused."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.model import UserError
from handlers.posting import parse_when, take_when

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


@pytest.mark.parametrize("typed", ["13/13/2026", "25:00", "13pm", "someday", "42", "04/03/2026", "yesterday"])
def test_nonsense_or_past_times_get_a_sentence(typed: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_when(typed, now=NOW, zone=LONDON)
    assert "not a time I understand" in str(raised.value) or "already passed" in str(raised.value)


def test_take_when_reads_one_or_two_words_and_leaves_the_channels() -> None:
    when, rest = take_when(["tomorrow", "9am", "#practice", "#schools"], now=NOW, zone=LONDON)
    assert when == local(2026, 3, 6, 9, 0) and rest == ["#practice", "#schools"]
    when, rest = take_when(["now", "#practice"], now=NOW, zone=LONDON)
    assert when == NOW and rest == ["#practice"]
