"""Dates and times as people type them into a command: ISO (2026-03-01) or day first with
slashes (01/03/2026), the British way. Every command-line date and the reports' periods are read
here, so a date one command takes is taken by all of them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{2}|\d{4})")
_CLOCK = re.compile(r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?")
# an ISO date and time with its own offset: 2026-03-01T09:00+00:00, 2026-03-01 09:00:00Z
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:[Zz]|[+-]\d{2}:?\d{2})?")
# A date, then a time after a space, a T or an @ (as chat's send times take them).
_DATE_AND_TIME = re.compile(r"(?P<date>\S+?)(?:\s+|[tT@])(?P<time>\d{1,2}:\d{2}(?::\d{2})?)")


# One part of a duration typed as "6d23h" or "7d,1d,1h": a number of weeks, days, hours or minutes.
# A number starts where no digit is before it and is taken whole: "\d+" before the unit tried
# every start inside a long run of digits, quadratic (4,000 digits held the loop 0.2 s).
DURATION_PART = re.compile(r"(?<!\d)(\d++)([wdhm])")


class NonexistentTime(ValueError):
    """A local time the clocks skip when they go forward."""


def day_first(text: str) -> dt.date | None:
    """01/03/2026, 1.3.26 or 01-03-2026, day first; only a two-digit year is this century. None
    when it is not written so; DateProblem when the calendar has no such day (31/02/2026)."""
    match = _DAY_FIRST.fullmatch(text.strip())
    if match is None:
        return None
    written = match.group("y")
    year = int(written) + (2000 if len(written) == 2 else 0)
    return calendar_day(year, int(match.group("m")), int(match.group("d")), day_first=True)


def read_date(text: str) -> dt.date | None:
    """2026-03-01 or 01/03/2026 (1/3/26 too); None for anything else, words included, and
    DateProblem for a date the calendar does not have."""
    text = text.strip()
    if _ISO_DAY.fullmatch(text):
        year, month, day = (int(part) for part in text.split("-"))
        return calendar_day(year, month, day)
    if "/" in text:  # dots and dashes are chat's, not the command line's
        return day_first(text)
    return None


def report_day(text: str, today: dt.date) -> dt.date | None:
    """A report's first or last day: read_date, and DateProblem before EARLIEST_YEAR or more than
    YEARS_AHEAD years from `today` (a calendar cannot reach 31/12/9999 and back)."""
    day = read_date(text)
    if day is not None:
        check_years(day, today)
    return day


def read_moment(text: str, zone: ZoneInfo) -> dt.datetime | None:
    """A date, or a date and time, in `zone` unless it names its own offset: ISO
    (2026-03-01T09:00, 2026-03-01 09:00+00:00) or day first (01/03/2026 09:00, 01/03/2026T09:00),
    the time also as chat takes one (01/03/2026 9.30am). A date alone is its midnight. None when
    it is not one; NonexistentTime for a local time the clocks skip."""
    text = text.strip()
    moment: dt.datetime | None = None
    if day := read_date(text):
        moment = dt.datetime.combine(day, dt.time())
    elif (found := _DATE_AND_TIME.fullmatch(text)) and (day := read_date(found.group("date"))):
        clock = _CLOCK.fullmatch(found.group("time"))
        assert clock is not None
        if ends_the_day(found.group("time")):
            return local(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), zone)
        try:
            time = dt.time(int(clock.group("h")), int(clock.group("m")), int(clock.group("s") or 0))
        except ValueError:
            return None
        moment = dt.datetime.combine(day, time)
    elif len(parts := text.split(maxsplit=1)) == 2 and (day := read_date(parts[0])) and (said := read_clock(parts[1])):
        moment = dt.datetime.combine(day, said)  # 02/03/2026 9.30am, as chat takes times
    elif _ISO_MOMENT.fullmatch(text) and ends_the_day(text[11:16]) and (day := read_date(text[:10])):
        offset = re.sub(r"^:00(?:\.0+)?", "", text[16:])  # "T24:00:00Z": the next day's 00:00, its offset kept
        moment = dt.datetime.fromisoformat(f"{day + dt.timedelta(days=1)}T00:00{offset}")
    elif _ISO_MOMENT.fullmatch(text):  # fromisoformat takes any character between the day and the time
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    if moment is None:
        return None
    if moment.tzinfo is not None:
        return moment
    return local(moment, zone)


def utc_range(first: dt.date, last: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """Local days `first` to `last`, inclusive, as a UTC [start, end) range."""
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone).astimezone(dt.UTC)
    return start, end


def local(naive: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A wall-clock time in `zone`. One that happens twice (clocks going back) is the first of the
    two; one that never happens is refused, rather than quietly becoming the hour after."""
    aware = naive.replace(tzinfo=zone, fold=0)
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise NonexistentTime(
            f"{naive:%H:%M} does not exist on {naive.day} {naive:%B %Y} in {zone.key}, "
            "because the clocks go forward that night"
        )
    return aware


# --- dates and times as people type them in chat, forms and files -----------------------------------
# One reader for every place a day or a time is typed: /bulletin and /briefing send times, the
# training form, what follows /training add, and CSV cells. A date the calendar does not have is
# refused with DateProblem saying what is wrong with it, never read as some other date.

EARLIEST_YEAR = 2000  # nothing the partnership schedules or reports on is older
YEARS_AHEAD = 10  # nothing is scheduled further ahead than this

_MONTHS = {
    **{calendar.month_name[i].lower(): i for i in range(1, 13)},
    **{calendar.month_abbr[i].lower(): i for i in range(1, 13)},
    "sept": 9,
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FILLERS = frozenset({"at", "on", "from", "the"})
_RANGE_WORDS = frozenset({"-", "–", "—", "to", "until", "till"})
_NAMED_TIMES = {"noon": dt.time(12), "midday": dt.time(12)}
_TIME_OF_DAY = re.compile(r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2})(?::(?P<s>\d{2}))?)?(?P<ampm>[ap]\.?m\.?)?")
_ONE_CLOCK = r"(?:\d{1,2}(?:[:.]\d{2}(?::\d{2})?)?(?:[ap]\.?m\.?)?|noon|midday)"
_CLOCK_RANGE = re.compile(rf"(?P<a>{_ONE_CLOCK})[-–—](?P<b>{_ONE_CLOCK})")
_ISO_WITH_TIME = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[t@](?P<time>\d{1,2}:\d{2}(?::\d{2})?))?")
_YEAR_FIRST = re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})")
_DAY_FIRST_WORD = re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{2}|\d{4})")
_DAY_MONTH = re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})")
_ORDINAL = re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"\d{4}")


class DateProblem(ValueError):
    """A date written as one, but one the calendar does not have ("31/02/2026"), or one outside
    the years the partnership works in. The message is the sentence to show."""


@dataclass(frozen=True)
class TypedWhen:
    """A day and/or times read from what someone typed; `words` is how many words they took."""

    day: dt.date | None
    start: dt.time | None
    end: dt.time | None
    words: int
    weekday_alone: bool = False  # "monday" with no date: today's is next week's once its time passed


def calendar_day(year: int, month: int, day: int, *, day_first: bool = False) -> dt.date:
    """The date, or DateProblem saying in words why the calendar has no such day. `day_first`: it
    was written day first (05/13/2026), so a month past 12 may be a month-first date."""
    if not 1 <= month <= 12:
        swapped = " (dates are day first: 05/03/2026 is 5 March)" if day_first and 1 <= day <= 12 else ""
        raise DateProblem(f"{month} is not a month{swapped}.")
    if year < 1:
        raise DateProblem(f"Give a year from {EARLIEST_YEAR} onwards.")
    last = calendar.monthrange(year, month)[1]
    name = calendar.month_name[month]
    if month == 2 and day == 29 and last == 28:
        raise DateProblem(f"{year} is not a leap year: February has 28 days.")
    if not 1 <= day <= last:
        raise DateProblem(f"There is no {day} {name} {year}: {name} has {last} days.")
    return dt.date(year, month, day)


def check_years(day: dt.date, today: dt.date, *, ahead: int = YEARS_AHEAD) -> None:
    """DateProblem for a day before EARLIEST_YEAR or more than `ahead` years after `today`."""
    if day.year < EARLIEST_YEAR:
        raise DateProblem(f"{day.day} {day:%B} {day.year} is too long ago; give a date from {EARLIEST_YEAR} onwards.")
    limit = today.replace(year=today.year + ahead) if not (today.month == 2 and today.day == 29) else today
    if day > limit:
        raise DateProblem(
            f"{day.day} {day:%B} {day.year} is more than {ahead} years ahead; "
            f"give a date up to {limit.day} {limit:%B %Y}."
        )


# "24:00": the midnight that ends a day, as people write a session's or a day's end
_END_OF_DAY = re.compile(r"24[:.]00(?::00)?")


def ends_the_day(text: str) -> bool:
    """Whether a time is 24:00, the midnight at the end of a day (no time of day: read_clock refuses it)."""
    return bool(_END_OF_DAY.fullmatch(text.strip()))


def read_clock(text: str) -> dt.time | None:
    """09:30, 9.30, 09:30:00, 9am, 2:15pm, 9:30 AM, noon; a bare number is not a time of day."""
    word = text.strip().lower().replace(" ", "")
    if word in _NAMED_TIMES:
        return _NAMED_TIMES[word]
    found = _TIME_OF_DAY.fullmatch(word)
    if found is None or (found.group("m") is None and found.group("ampm") is None):
        return None
    hour, minute = int(found.group("h")), int(found.group("m") or 0)
    if ampm := found.group("ampm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23 or minute > 59 or int(found.group("s") or 0) > 59:
        return None
    return dt.time(hour, minute)


def _clean(word: str) -> str:
    return word.strip().strip(",;").lower()


def _weekday(word: str) -> int | None:
    """0 for monday, mon or mond; None for any other word."""
    if len(word) < 3:
        return None
    return next((i for i, name in enumerate(_WEEKDAYS) if name.startswith(word.rstrip("."))), None)


def names_a_week(words: list[str], i: int) -> bool:
    """Whether words[i:] start "next tuesday" or "this fri": a weekday said with its week."""
    return i + 1 < len(words) and _clean(words[i]) in ("next", "this") and _weekday(_clean(words[i + 1])) is not None


def is_calendar_word(word: str) -> bool:
    """A weekday's or a month's name, whole or short ("fri", "March", "Sept")."""
    word = _clean(word).rstrip(".")
    return word in _MONTHS or _weekday(word) is not None


def is_slip_of_calendar_word(word: str) -> bool:
    """A word typed close to a day's or month's name, or to today/tomorrow ("tomorow", "frday",
    "Febuary"): meant as part of a date, though it cannot be read as one. A word of ordinary
    English is none ("fridays", "monarch", "augusta" may well be channels): wordfreq says which."""
    from rapidfuzz import fuzz, process
    from wordfreq import zipf_frequency

    word = _clean(word)
    if len(word) < 4 or process.extractOne(word, _DAYS_SPELLED, scorer=fuzz.ratio, score_cutoff=80) is None:
        return False
    return zipf_frequency(word, "en") < SLIP_ZIPF


_DAYS_SPELLED = (*_WEEKDAYS, *(calendar.month_name[i].lower() for i in range(1, 13)), "today", "tomorrow")
SLIP_ZIPF = 2.5  # "tomorow" 1.8, "febuary" 1.8, "frday" 0; "fridays" 3.4, "frida" 3.0, "mays" 3.0


def _next_of(month: int, day: int, today: dt.date) -> dt.date:
    """The next `day` `month` from today (today included): "6 March" typed in April is next year's."""
    try:
        this_year = calendar_day(today.year, month, day)
    except DateProblem:
        return calendar_day(today.year + 1, month, day)
    return this_year if this_year >= today else calendar_day(today.year + 1, month, day)


def _named_date(words: list[str], i: int, today: dt.date) -> tuple[dt.date, int] | None:
    """'6 March', '6th of March 2026', 'March 6 2026', 'Mar 6' at words[i]; the date and words taken."""
    w = [_clean(x) for x in words[i : i + 4]]
    if len(w) >= 2 and (d := _ORDINAL.fullmatch(w[0])):
        of = 1 if len(w) >= 3 and w[1] == "of" else 0
        if len(w) > 1 + of and (month := _MONTHS.get(w[1 + of].rstrip("."))):
            year_at = 2 + of
            if len(w) > year_at and _YEAR.fullmatch(w[year_at]):
                return calendar_day(int(w[year_at]), month, int(d.group("d"))), year_at + 1
            return _next_of(month, int(d.group("d")), today), year_at
    if len(w) >= 2 and (month := _MONTHS.get(w[0].rstrip("."))) and (d := _ORDINAL.fullmatch(w[1])):
        if len(w) > 2 and _YEAR.fullmatch(w[2]):
            return calendar_day(int(w[2]), month, int(d.group("d"))), 3
        return _next_of(month, int(d.group("d")), today), 2
    return None


def _numeric_date(word: str, today: dt.date) -> tuple[dt.date, dt.time | None] | None:
    """2026-03-05 (with T09:30 or @09:30 after it), 2027/04/28, 05/03/2026, 5.3.26, 6/3 (the next
    6 March); a time written onto an ISO date comes back with it."""
    if found := _ISO_WITH_TIME.fullmatch(word):
        day = calendar_day(int(found.group("y")), int(found.group("m")), int(found.group("d")))
        return day, read_clock(found.group("time")) if found.group("time") else None
    if found := _YEAR_FIRST.fullmatch(word):
        return calendar_day(int(found.group("y")), int(found.group("m")), int(found.group("d"))), None
    if found := _DAY_FIRST_WORD.fullmatch(word):
        written = found.group("y")
        year = int(written) + (2000 if len(written) == 2 else 0)  # only a two-digit year is this century
        return calendar_day(year, int(found.group("m")), int(found.group("d")), day_first=True), None
    if found := _DAY_MONTH.fullmatch(word):
        month, day_of_month = int(found.group("m")), int(found.group("d"))
        calendar_day(2000, month, day_of_month, day_first=True)  # a leap year: only a date no year has is refused
        return _next_of(month, day_of_month, today), None
    return None


def _day_at(words: list[str], i: int, today: dt.date) -> tuple[dt.date, dt.time | None, int, bool] | None:
    """A day starting at words[i]: the day, a time written onto it, the words taken, and whether
    it was a weekday's name alone."""
    word = _clean(words[i])
    if word == "today":
        return today, None, 1, False
    if word == "tomorrow":
        return today + dt.timedelta(days=1), None, 1, False
    if word in ("next", "this") and i + 1 < len(words) and (weekday := _weekday(_clean(words[i + 1]))) is not None:
        ahead = (weekday - today.weekday()) % 7
        if word == "next" and weekday > today.weekday():
            # On a Monday, "next Tuesday" is tomorrow to some people and a week later to others.
            raise _which_week(weekday, today + dt.timedelta(days=ahead), " ".join(words[:i]), " ".join(words[i + 2 :]))
        return today + dt.timedelta(days=ahead or (7 if word == "next" else 0)), None, 2, word == "this"
    if (weekday := _weekday(word)) is not None:
        if (named := _named_date(words, i + 1, today)) or (
            i + 1 < len(words) and (named := _numeric_as_named(words[i + 1], today))
        ):
            day, taken = named
            if day.weekday() != weekday:
                raise DateProblem(f"{day.day} {day:%B %Y} is a {day:%A}, not a {_WEEKDAYS[weekday].title()}.")
            return day, None, 1 + taken, False
        return today + dt.timedelta(days=(weekday - today.weekday()) % 7), None, 1, True
    if named := _named_date(words, i, today):
        return named[0], None, named[1], False
    if numeric := _numeric_date(word, today):
        return numeric[0], numeric[1], 1, False
    return None


def _which_week(weekday: int, this_week: dt.date, before: str = "", after: str = "") -> DateProblem:
    """Which of two weeks "next Friday" means, each suggestion written with the words typed around
    it (the times), so an answer typed back as suggested keeps them."""
    name = _WEEKDAYS[weekday].title()
    later = this_week + dt.timedelta(days=7)
    if len(before) + len(after) > 40:
        before = after = ""

    def said(words: str) -> str:
        return " ".join(part for part in (before, words, after) if part)

    return DateProblem(
        f"'Next {name}' could be {name} {this_week.day} {this_week:%B} or {name} {later.day} {later:%B}: "
        f"write '{said(f'this {name.lower()}')}' or the date, such as '{said(f'{later.day} {later:%B}')}'."
    )


def _numeric_as_named(word: str, today: dt.date) -> tuple[dt.date, int] | None:
    numeric = _numeric_date(_clean(word), today)
    return (numeric[0], 1) if numeric and numeric[1] is None else None


def _hour_said_after_at(word: str) -> dt.time | None:
    """A bare hour ("at 9", "at 2") from 1 to 12 is a time only after "at", read as a working
    day's hour (7-11 in the morning, 12 noon, 1-6 in the afternoon). Every command shows back
    the time it read, so a 9 meant as 9pm is seen before anything is sent. A larger number is
    left alone: "tomorrow at 20 Gun Wharf" is a venue."""
    if not (word.isascii() and word.isdigit() and 1 <= int(word) <= 12):
        return None
    hour = int(word)
    return dt.time(hour + 12 if hour <= 6 else hour)


def _clock_at(words: list[str], i: int) -> tuple[dt.time, dt.time | None, int] | None:
    """A time, or a range of times ('10:00-12:00', 'noon-2pm', '10am to 12pm', '9 am'), at words[i]."""
    word = _clean(words[i])
    following = [_clean(w) for w in words[i + 1 : i + 3]]
    if following and following[0] in ("am", "pm", "a.m.", "p.m."):
        word, taken = word + following.pop(0), 2
    else:
        taken = 1
    if found := _CLOCK_RANGE.fullmatch(word):
        first, second = found.group("a"), found.group("b")
        start = read_clock(first) or _range_start(first, second)
        if start is not None and _BARE_END.fullmatch(first) and 1 <= start.hour <= 6:
            # "1:30-3" as "1-3" is read: a working day's afternoon, when the end can follow it
            afternoon = start.replace(hour=start.hour + 12)
            if (later_end := _end_clock(afternoon, second)) is not None and later_end > afternoon:
                start = afternoon
        end = _end_clock(start, second)
        return (start, end, taken) if start is not None and end is not None else None
    start = read_clock(word)
    # "at 5 Gun Wharf": a number before a place's name is its house number, not five o'clock
    placed = i + 1 < len(words) and words[i + 1][:1].isupper()
    if start is None and i > 0 and _clean(words[i - 1]) == "at" and not placed:
        start = _hour_said_after_at(word)
    if start is None:
        return None
    if len(following) >= 2 and following[0] in _RANGE_WORDS and (end := _end_clock(start, following[1])) is not None:
        return start, end, taken + 2
    return start, None, taken


def _range_start(first: str, second: str) -> dt.time | None:
    """A range's start written as a bare hour. "2-4pm" takes the end's afternoon (and "11-1pm" the
    morning, so it does not start after it ends); "2-4" is a working day's 2 to 4, as "at 2" is,
    unless that would start after the end ("2-12" stays 02:00, and is shown back)."""
    if not (first.isascii() and first.isdigit()):
        return None
    if meridiem := re.search(r"[ap]\.?m\.?$", second):
        end = read_clock(second)
        same = read_clock(first + meridiem.group())
        if same is not None and end is not None and same < end:
            return same
        return read_clock(first + ("am" if meridiem.group().startswith("p") else "pm"))
    working, plain = _hour_said_after_at(first), read_clock(first + ":00")
    for start in (working, plain):
        end = _end_clock(start, second)
        if start is not None and end is not None and end > start:
            return start
    return working or plain


# a range's end with no am or pm and an hour written without a leading zero ("1.30", "2:30", "4")
_BARE_END = re.compile(r"[1-9](?:[:.]\d{2})?")


def _end_clock(start: dt.time | None, text: str) -> dt.time | None:
    """A range's end: a time, or after a start a bare hour ("9:30-11", "9:30 until 11"), in the
    afternoon when the morning's would end before the start ("10-1" is 10:00 to 13:00); "24:00" is
    the midnight that ends the day, 00:00 (its reader puts it on the next day)."""
    if ends_the_day(text):
        return dt.time()
    written = read_clock(text)
    if start is None or (written is not None and not _BARE_END.fullmatch(text)):
        return written  # with am or pm, or a 24-hour time ("14:00", "09:30"): as written
    end = written if written is not None else read_clock(text + ":00") if text.isdigit() else None
    if end is not None and end <= start and end.hour < 12:
        later = end.replace(hour=end.hour + 12)
        if later > start:
            return later  # "10-1", "12-1.30", "1-2.30": the afternoon, not before the start
    return end


def scan_when(words: list[str], today: dt.date) -> TypedWhen | None:
    """A day and/or time at the front of `words`, in any order, with "at", "on", "from" between
    ('tomorrow at 2pm', 'on Tue 9 Mar 2027 at 2pm', '3pm friday', '2026-03-05T09:30',
    '10/03/2027 noon-2pm'); None when the first words are neither. Raises DateProblem for a
    date the calendar does not have."""
    day: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    weekday_alone = False
    i = taken = 0
    while i < len(words):
        if _clean(words[i]) in _FILLERS:
            i += 1
            continue
        if day is None and (found_day := _day_at(words, i, today)):
            day, written_time, size, weekday_alone = found_day
            if written_time is not None:
                if start is not None:
                    break
                start = written_time
            i = taken = i + size
            continue
        if start is None and (found_clock := _clock_at(words, i)):
            start, end, size = found_clock
            i = taken = i + size
            continue
        break
    if day is None and start is None:
        return None
    return TypedWhen(day, start, end, taken, weekday_alone)


def read_typed_when(text: str, today: dt.date) -> TypedWhen | None:
    """The whole of `text` as a day and/or time; None when any of it is something else."""
    words = text.replace(",", " ").split()
    found = scan_when(words, today)
    return found if found is not None and found.words == len(words) else None


def twice_note(moment: dt.datetime) -> str:
    """For a local time the clocks go through twice (going back), which of the two it is."""
    other = moment.replace(fold=1 - moment.fold)
    if other.utcoffset() == moment.utcoffset():
        return ""
    which = "first" if moment.fold == 0 else "second"
    return f" ({moment:%Z}, the {which} {moment:%H:%M} that night: the clocks go back)"
