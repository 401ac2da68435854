"""The rules of the training feature that need no database or chat: reminder times across
clock changes, reading what trainers type (dates, times, channels, places, courses), checking a
session as entered, and showing times. The chat commands, the forms and `sgbot training` use these;
CSV rows and calendar files are in files.py, the course catalogue in courses.py."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol
from zoneinfo import ZoneInfo

from core import dates
from core.contentpack import slug
from core.dates import DURATION_PART, DateProblem, check_years, ends_the_day, read_clock, read_typed_when
from core.dates import NonexistentTime as NonexistentTime  # refused here, read by the tests
from core.model import PLATFORMS as PLATFORMS  # read by cli.py
from core.model import UserError
from core.sanitise import echoed, inert_text, link_url
from handlers.posting import Channel, read_channels
from handlers.posting import channel_examples as channel_examples  # what posts.py and forms.py show


class CourseLike(Protocol):
    """What scheduling needs from a course, whether from the pack or added by a trainer."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def duration_minutes(self) -> int: ...


# --- reminder offsets and clock changes -----------------------------------------------------------


@dataclass(frozen=True, order=True)
class Offset:
    """How long before a session a reminder goes out. Weeks and days are calendar days (the
    reminder keeps the session's local time of day); hours and minutes are elapsed time."""

    approx: dt.timedelta  # for ordering only
    label: str = field(compare=False)  # "7d", used in outbox keys
    days: int = field(compare=False, default=0)
    exact: dt.timedelta = field(compare=False, default=dt.timedelta())

    def describe(self) -> str:
        parts = []
        weeks, days = divmod(self.days, 7)
        if weeks and not days:
            parts.append(_plural(weeks, "week"))
        elif self.days:
            parts.append(_plural(self.days, "day"))
        hours, rest = divmod(int(self.exact.total_seconds()), 3600)
        if hours:
            parts.append(_plural(hours, "hour"))
        if rest // 60:
            parts.append(_plural(rest // 60, "minute"))
        return " ".join(parts) or "0 minutes"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def parse_offset(text: str) -> Offset:
    raw = text.strip().lower()
    if not raw or DURATION_PART.sub("", raw):
        raise ValueError(f"{text!r} is not a reminder offset like 7d, 1d or 1h")
    days = 0
    exact = dt.timedelta()
    for amount, unit in DURATION_PART.findall(raw):
        n = int(amount)
        if unit == "w":
            days += 7 * n
        elif unit == "d":
            days += n
        elif unit == "h":
            exact += dt.timedelta(hours=n)
        else:
            exact += dt.timedelta(minutes=n)
    if not days and not exact:
        raise ValueError("a reminder offset must be longer than zero")
    return Offset(dt.timedelta(days=days) + exact, raw, days, exact)


def parse_offsets(text: str) -> list[Offset]:
    """'7d,1d,1h' -> offsets, longest first, without repeats."""
    found = {o.label: o for o in (parse_offset(part) for part in text.split(",") if part.strip())}
    return sorted(found.values(), reverse=True)


def reminder_time(start: dt.datetime, zone: str, offset: Offset) -> dt.datetime:
    """When a reminder is due, in UTC. Whole days are counted on the session's local calendar,
    so a 09:30 session's one-day reminder is at 09:30 local time the day before even when the
    clocks change in between; the hours part is then taken off in real elapsed time."""
    local = start.astimezone(ZoneInfo(zone))
    # Arithmetic on an aware datetime keeps the wall-clock time; the offset is then recomputed.
    earlier = (local - dt.timedelta(days=offset.days)).replace(fold=0)
    return earlier.astimezone(dt.UTC) - offset.exact


# --- reading dates, times and channels -----------------------------------------------------------


def parse_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """A date as people write it (core.dates.scan_when): 2026-04-21, 21/04/2026 (day first, the
    British way), 2027/04/28, 21 April 2026, 6 March (the next one), Tue 9 Mar 2027; with `today`
    also today, tomorrow, weekdays and "next tuesday". A spreadsheet's midnight after a date
    ("21/04/2027 00:00") is the date. DateProblem for a date the calendar does not have."""
    found = read_typed_when(text, today or dt.date.today())
    if found is None or found.day is None or found.end is not None:
        return None
    if found.start not in (None, dt.time(0)):
        return None
    return found.day


def local_to_utc(day: dt.date, time: dt.time, zone: str) -> dt.datetime:
    """A local date and time to UTC; refuses times that do not exist on that day. A time that
    happens twice (clocks going back) means the first of the two."""
    return dates.local(dt.datetime.combine(day, time), ZoneInfo(zone)).astimezone(dt.UTC)


def parse_channels(
    text: str, default_platform: str, *, here: tuple[str, str] | None = None
) -> tuple[list[tuple[str, str]], str | None]:
    """'slack:C123 discord:456 <#C0123|training>' -> [(platform, channel), ...], or the sentence
    refusing the first channel that cannot be posted in. Channels are read as every posting
    command reads them (handlers.posting.read_channel), on the platform the trainer is using
    ("" for a file imported from the command line); `here` is the channel the command was typed
    in, None where there is none (a direct message, an import)."""
    try:
        found = read_channels([text], default_platform, here=Channel(*here) if here else None)
    except UserError as exc:
        return [], str(exc)
    return [(c.platform, c.channel_id) for c in found], None


def format_channels(channels: Iterable[tuple[str, str]]) -> str:
    return " ".join(f"{p}:{c}" for p, c in channels)


_URL = re.compile(r"https?://\S+")


def split_when(text: str, today: dt.date | None = None) -> dict[str, str] | None:
    """'2026-04-21 09:30-12:30', '21/04/2026 9.30am to 12.30pm', 'tomorrow at 10am', '3pm friday'
    -> the date (ISO), start and end (HH:MM; end may be empty); None if the text is not a date
    and a start time. DateProblem for a date the calendar does not have."""
    found = read_typed_when(text, today or dt.date.today())
    if found is None or found.day is None or found.start is None:
        return None
    return {
        "date": found.day.isoformat(),
        "start": f"{found.start:%H:%M}",
        "end": f"{found.end:%H:%M}" if found.end is not None else "",
    }


# Words that only say a session is online: beside a link they are no venue ("online on Teams").
_ONLINE_WORDS = frozenset(
    ["online", "virtual", "virtually", "remote", "remotely", "on", "via", "by", "using", "at", "ms", "microsoft",
     "teams", "zoom", "google", "meet", "link", "join"]
)  # fmt: skip


# Written after a link in a sentence, not part of it: "(or online: https://x/y)", "https://x/y, or".
_AFTER_LINK = ".,;:!?'\"\u201d\u2019\u00bb"
_CLOSES = {")": "(", "]": "[", "}": "{"}
# What joins a venue to a link ("Gun Wharf (or online: ...)", "https://... or in person at Gun Wharf"):
# no part of the venue once the link is taken out.
# Every repeat possessive (*+, ++): a venue of many such words cannot make the search backtrack.
_JOINERS = "or|and|also|" + "|".join(sorted(_ONLINE_WORDS))
_JOINING = re.compile(
    rf"\(\s*+(?:(?:{_JOINERS})\b[\s:,-]*+)*+\)"
    r"|^(?:\s*+(?:or|and|also|in\s+person|in-person|face\s+to\s+face|at)\b[\s,:-]*+)++"
    rf"|(?:[\s,:-]*+\b(?:{_JOINERS})\b)++[\s,:(-]*+$",
    re.IGNORECASE,
)


def link_as_meant(found: str) -> str:
    """A link as typed in a sentence, without the punctuation after it, nor a closing bracket it
    does not open: a meeting link must not end in "%29" or ","."""
    while found:
        last = found[-1]
        if last in _AFTER_LINK or (last in _CLOSES and found.count(_CLOSES[last]) < found.count(last)):
            found = found[:-1]
        else:
            break
    return found


def links_in(text: str) -> list[str]:
    return [link for link in (link_as_meant(m) for m in _URL.findall(text)) if link]


def split_where(text: str) -> dict[str, str]:
    """'Gun Wharf, Chatham https://teams.example/x' -> venue and online link; 'online
    https://teams.example/x' is the link alone; 'Gun Wharf (or online: https://teams.example/x)'
    is Gun Wharf and the link. More than one link: the first (`form_values` says so)."""
    links = links_in(text)
    rest = text
    for link in links:
        rest = rest.replace(link, " ", 1)
    venue = " ".join(rest.split()).strip(" ,;|-:")
    if links:
        venue = " ".join(_JOINING.sub(" ", venue).split()).strip(" ,;|-:.")
        if set(re.findall(r"[a-z]+", venue.lower())) <= _ONLINE_WORDS:
            venue = ""
    return {"venue": venue, "online_url": links[0] if links else ""}


# --- what trainers typed, shown as typed ---------------------------------------------------------


def plain_field(text: str | None) -> str:
    """A field a trainer typed (venue, trainer, course title, summary, a reason) as plain text:
    every character still reads as typed, but none of it can become a link, a mention or
    formatting on any platform (see `inert_text`). Links appear only from fields that are links
    (the online link), through `link_field`."""
    return inert_text(text or "")


def link_field(label: str, url: str | None) -> str:
    """A field that is a link: `[label](url)` for an https address, written as where it goes
    (`link_url`: no user name before the host, a look-alike host in punycode), else nothing."""
    safe = link_url(url or "")
    return f"[{label}]({safe})" if safe and safe.startswith("https://") else ""


# --- sessions as trainers enter them -------------------------------------------------------------

FUZZY_WHOLE = 90  # rapidfuzz ratio of the whole text to an id or title: "domesticabuse", "gcp2-refreshr"

# Words that say a course is a course, or that every course in the programme is about: alone
# they name none ("training", "safeguarding course"), so they never decide which course is meant.
GENERIC_WORDS = frozenset({
    "training", "trainings", "course", "courses", "session", "sessions", "workshop", "class", "module",
    "programme", "safeguarding", "child", "children", "childrens",
})  # fmt: skip
_LINKING_WORDS = frozenset(["a", "an", "and", "the", "of", "to", "in", "on", "for", "with", "at"])


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))


def _close_word(typed: str, word: str, *, typos: bool) -> bool:
    """`typed` is `word`, the start of it (four letters or more), or with `typos` one slip
    from it (two in a word of nine letters or more); short words must be exact."""
    if typed == word or (len(typed) >= 4 and word.startswith(typed)):
        return True
    if not typos or len(typed) < 5:
        return False
    from rapidfuzz.distance import OSA  # imported here: only forms and imports need it

    return OSA.distance(typed, word) <= (2 if len(typed) >= 9 else 1)


def _distinctive(words: Iterable[str]) -> set[str]:
    return {w for w in words if w not in GENERIC_WORDS and w not in _LINKING_WORDS}


# What a trainer types for "no trainer named yet".
NO_TRAINER = frozenset(["none", "nobody", "no one", "-"])


def match_course(
    text: str, courses: Mapping[str, CourseLike], *, fuzzy: bool = True
) -> tuple[CourseLike | None, str | None]:
    """A course from what a trainer typed: its id, its title, or words that name it (a typo in
    them allowed when `fuzzy`). Returns the course, or one sentence saying what to type instead.

    Every word typed must be a word of one course's title or id, apart from words that fit any
    course ("training", "course", "safeguarding", "and"); at least one word must be left, so
    "fire safety training" and "training" name no course."""
    raw = " ".join(text.split())
    wanted = raw.lower()
    if not wanted:
        return None, "Choose a course; type /training courses to see them."
    if wanted in courses:
        return courses[wanted], None
    compact = re.sub(r"[^a-z0-9]", "", wanted)  # "GCP 2", "gcp-2" and "G.C.P.2" are gcp2
    typed_slug = slug(raw)
    for course in courses.values():
        if wanted in (course.title.lower(), slug(course.title)) or typed_slug == course.id:
            return course, None
        if compact and compact == re.sub(r"[^a-z0-9]", "", course.id):
            return course, None
    names = {c.id: _distinctive([*_words(c.title), *_words(c.id)]) for c in courses.values()}
    every_name = set().union(*names.values())
    typed = _distinctive(_words(raw))
    # A typed word that is a slip or a start of "training" or "safeguarding" is one of those too.
    typed = {w for w in typed if w in every_name or not any(_close_word(w, g, typos=fuzzy) for g in GENERIC_WORDS)}
    if not typed:
        return None, f'"{echoed(raw, 60)}" doesn\'t say which course; {_course_ids(courses)}'
    fitting = [
        cid for cid, name in names.items() if all(any(_close_word(w, n, typos=fuzzy) for n in name) for w in typed)
    ]
    if not fitting and fuzzy:
        from rapidfuzz import fuzz, utils  # imported here: only forms and imports need it

        whole = utils.default_process(raw)
        fitting = [
            c.id
            for c in courses.values()
            if max(fuzz.ratio(whole, utils.default_process(c.title)), fuzz.ratio(whole, utils.default_process(c.id)))
            >= FUZZY_WHOLE
        ]
    if len(fitting) > 1:
        # "sexual exploitation" is every distinctive word of one title, and only some of another's.
        whole_names = [
            cid
            for cid in fitting
            if _distinctive(_words(courses[cid].title))
            <= {n for n in names[cid] if any(_close_word(w, n, typos=fuzzy) for w in typed)}
        ]
        if len(whole_names) == 1:
            fitting = whole_names
    if len(fitting) == 1:
        return courses[fitting[0]], None
    if fitting:
        return None, _which(raw, fitting, courses)
    return None, f'There is no course "{echoed(raw, 60)}"; {_course_ids(courses)}'


def _course_ids(courses: Mapping[str, CourseLike]) -> str:
    ids = list(courses)
    more = f" and {len(ids) - 30} more" if len(ids) > 30 else ""
    return f"the course ids are {', '.join(ids[:30])}{more} (/training courses shows what each covers)."


def _which(raw: str, ids: list[str], courses: Mapping[str, CourseLike]) -> str:
    named = ", ".join(f'"{plain_field(courses[cid].title)}" ({cid})' for cid in ids[:4])
    return f'"{echoed(raw, 60)}" could be more than one course: {named}. Type the course id to choose.'


_UP_TO = r"(?:for|up\s+to|max(?:imum)?|at\s+most|no\s+more\s+than|about|around|approx(?:imately)?)"
_PLACES = re.compile(
    rf"(?:{_UP_TO}\s+)?(?P<n>\d{{1,5}})(?:\.0+)?"  # a spreadsheet's 20.0 is 20
    r"(?:\s*(?:places?|seats?|spaces?|people|persons?|delegates?|attendees?|participants?))?"
    r"(?:\s+(?:max(?:imum)?|at\s+most))?",
    re.IGNORECASE,
)


MAX_PLACES = 99_999  # five figures, as _PLACES reads them
_SIGNED_NUMBER = re.compile(r"\s*[-+]?\d{1,30}\s*")


def read_capacity(text: str) -> int | None:
    """The number of places from '25', '25 places', 'twenty five places', 'up to 25 people', '25
    max'; None for anything else, so a number that is not of places ('Room 101', '3rd floor') is
    never taken."""
    found = _PLACES.fullmatch(in_figures(" ".join(text.split()).rstrip(".,;")))
    return int(found.group("n")) if found else None


_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORDS = {
    **{w: n for n, w in enumerate(_UNITS, 1)},
    **{w: n for n, w in enumerate(_TEENS, 10)},
    **{w: 10 * k for k, w in enumerate(_TENS, 2)},
}
_TENS_AND_UNITS = rf"\b(?P<tens>{'|'.join(_TENS)})(?:[\s-]+(?P<unit>{'|'.join(_UNITS)}))?\b"
_WORDED = re.compile(rf"{_TENS_AND_UNITS}|\b(?P<small>{'|'.join(_UNITS + _TEENS)})\b", re.IGNORECASE)


def in_figures(text: str) -> str:
    """'twenty five places' -> '25 places': a number of places as people write it."""

    def figure(m: re.Match[str]) -> str:
        if m.group("small"):
            return str(_NUMBER_WORDS[m.group("small").lower()])
        return str(
            _NUMBER_WORDS[m.group("tens").lower()] + (_NUMBER_WORDS[m.group("unit").lower()] if m.group("unit") else 0)
        )

    return _WORDED.sub(figure, text)


FIELDS = ("course", "date", "start", "end", "capacity", "venue", "online_url", "trainer", "channels")


@dataclass(frozen=True)
class SessionDraft:
    course_id: str
    title: str
    start_at: dt.datetime  # UTC
    end_at: dt.datetime  # UTC
    zone: str
    venue: str
    online_url: str | None
    capacity: int
    trainer: str
    channels: list[tuple[str, str]]


def check_session(
    values: Mapping[str, str],
    *,
    courses: Mapping[str, CourseLike],
    zone: str,
    now: dt.datetime,
    platform: str,
    default_trainer: str,
    allow_past: bool = False,
) -> SessionDraft | dict[str, str]:
    """Check what a trainer entered (form or CSV row). Returns a draft, or one sentence per
    field that needs fixing: every field is checked, so all mistakes are reported at once.
    `allow_past` is for imports of a past programme (for reports; no reminders or posts)."""
    errors: dict[str, str] = {}

    def get(name: str) -> str:
        return (values.get(name) or "").strip()

    course, course_error = match_course(get("course"), courses)
    if course_error:
        errors["course"] = course_error

    today = now.astimezone(ZoneInfo(zone)).date()
    try:
        day = parse_date(get("date"), today)
        if day is not None:
            check_years(day, today)
    except DateProblem as exc:
        day, errors["date"] = None, str(exc)
    if day is None and "date" not in errors:
        # A file is read another day than it was written: "tomorrow" is no example there.
        errors["date"] = "Give the date like 2026-04-21, 21/04/2026, 21 April 2026" + (
            "." if allow_past else " or tomorrow."
        )
    elif day is not None and day < today and not allow_past:
        errors["date"] = f"{day.day} {day:%B %Y} has already passed; choose a date from today onwards."

    start_at = end_at = None
    start_time = read_clock(get("start"))
    if start_time is None:
        errors["start"] = "Give the start time like 09:30 or 9.30am."
    elif day is not None and "date" not in errors:
        try:
            start_at = local_to_utc(day, start_time, zone)
        except NonexistentTime as exc:
            errors["start"] = f"{exc}; choose another time."
        else:
            if start_at <= now and not allow_past:
                errors["start"] = "That time has already passed today; choose a later time or another day."

    if get("end"):
        # "24:00" (or "00:00") ends the session at the midnight after its day
        end_time = dt.time() if ends_the_day(get("end")) else read_clock(get("end"))
        if end_time is None:
            errors["end"] = "Give the end time like 12:30 or 12.30pm."
        elif start_at is not None and day is not None:
            try:
                end_day = day + dt.timedelta(days=1) if end_time == dt.time() else day
                end_at = local_to_utc(end_day, end_time, zone)
            except NonexistentTime as exc:
                errors["end"] = f"{exc}; choose another time."
            else:
                if end_at <= start_at:
                    errors["end"] = (
                        f"The end time {end_time:%H:%M} is not after the start time {start_time:%H:%M}; "
                        "a session must end after it starts."
                    )
    elif start_at is not None and course is not None:
        end_at = start_at + dt.timedelta(minutes=course.duration_minutes)

    capacity = 0
    found_capacity = read_capacity(get("capacity"))
    if found_capacity is None and _SIGNED_NUMBER.fullmatch(get("capacity")):
        # a number, but not one of places: said as typed (only digits), with the range (an outside
        # audit: "1000000000" gave no limit, and "-5" came back with an invisible character)
        errors["capacity"] = (
            f"{get('capacity').strip()} places: give the number of places as a whole number, at least 1 "
            f"and at most {MAX_PLACES:,}."
        )
    elif found_capacity is None and get("capacity"):
        # Names what was refused, so a form that shows it again does not read as if it were kept.
        errors["capacity"] = (
            f'"{echoed(get("capacity"), 40)}" is not a number of places; '
            "give the number of places as a whole number, at least 1."
        )
    elif found_capacity is None or found_capacity < 1:
        errors["capacity"] = "Give the number of places as a whole number, at least 1."
    else:
        capacity = found_capacity

    # one line: a CSV cell can hold thousands of line breaks, which every post then printed
    venue, url = " ".join(get("venue").split())[:255], get("online_url")
    if not venue and not url:
        errors["venue"] = "Give a venue, an online link, or both."
    if url and not re.fullmatch(r"https://[^\s<>\"|\[\]]{3,490}", url):
        errors["online_url"] = "The online link must be a web address starting with https://."

    trainer = get("trainer")[:120] or default_trainer
    if trainer.lower() in NO_TRAINER:
        trainer = ""  # "none": no one is named (an empty answer keeps or defaults, so it cannot clear)
    channels, channel_error = parse_channels(get("channels"), platform)
    if channel_error:
        errors["channels"] = channel_error

    if errors:
        return errors
    assert course is not None and start_at is not None and end_at is not None
    return SessionDraft(
        course_id=course.id,
        title=course.title,
        start_at=start_at,
        end_at=end_at,
        zone=zone,
        venue=venue,
        online_url=url or None,
        capacity=capacity,
        trainer=trainer,
        channels=channels,
    )


# --- showing times -------------------------------------------------------------------------------


def local(when: dt.datetime, zone: str) -> dt.datetime:
    return when.astimezone(ZoneInfo(zone))


def when_text(start: dt.datetime, end: dt.datetime, zone: str) -> str:
    """'Monday 9 March 2026, 10:00–13:00'; a time the clocks go through twice that night (going
    back) says which it is: 'Sunday 25 October 2026, 01:30 BST–02:30'."""
    a, b = local(start, zone), local(end, zone)
    first = f"{a:%A} {a.day} {a:%B %Y}, {_clock(a)}"
    if a.date() == b.date():
        return f"{first}–{_clock(b)}"
    return f"{first} – {b:%A} {b.day} {b:%B %Y}, {_clock(b)}"


def _clock(moment: dt.datetime) -> str:
    twice = moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset()
    return f"{moment:%H:%M} {moment:%Z}" if twice else f"{moment:%H:%M}"


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = [_plural(hours, "hour")] if hours else []
    if rest:
        parts.append(_plural(rest, "minute"))
    return " ".join(parts)
