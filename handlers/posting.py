"""Where and when to post: the channel and time arguments shared by /feeds, /bulletin and
/briefing, so every command understands them the same way.

Channels: `here` (the channel you type in), a channel mention as Slack or Discord sends it
(`<#C0123|news>`, `<#1234567890>`), or `#name` in the console.
Times, in the partnership's zone: `now`; a time such as `09:30` or `9am` (the next one); a day
such as `tomorrow`, `monday`, `2026-03-05` or `05/03/2026` (09:00 that day); or a day and a time
(`tomorrow 9am`, `05/03/2026 14:00`, `2026-03-05T09:30`, `2026-03-05@09:30`). Dates written
with slashes are read the British way, day first."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from core.dates import day_first
from core.model import Request, Target, UserError
from core.sanitise import echoed

_MENTION = re.compile(r"^<#(?P<id>[A-Za-z0-9]{1,40})(?:\|[^>]{0,80})?>$")
_NAME = re.compile(r"^#(?P<name>[a-z0-9][a-z0-9._-]{0,79})$")
_SLACK_ID = re.compile(r"^[CG][A-Z0-9]{6,20}$")
_DISCORD_ID = re.compile(r"^\d{15,21}$")
_TIME = re.compile(r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?P<ampm>am|pm)?$")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SLASHED = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}$")
DEFAULT_HOUR = 9
TIME_EXAMPLES = "now, 09:30, 9am, tomorrow 9am, monday 14:00, 05/03/2026 or 2026-03-05T09:30"


@dataclass(frozen=True)
class Channel:
    platform: str
    channel_id: str

    @property
    def label(self) -> str:
        return f"#{self.channel_id}"

    def target(self) -> Target:
        return Target(kind="channel", platform=self.platform, channel_id=self.channel_id)

    def as_dict(self) -> dict[str, str]:
        return {"platform": self.platform, "channel_id": self.channel_id}


def mentioned_channel_id(word: str) -> str | None:
    """The channel id in a mention as Slack or Discord sends it (`<#C0123|news>`), else None."""
    match = _MENTION.match(word.strip())
    return match.group("id") if match else None


def looks_like_channel(word: str) -> bool:
    return word == "here" or bool(_MENTION.match(word) or _NAME.match(word.lower()))


def parse_channel(req: Request, word: str) -> Channel:
    """One channel argument, on the platform the command came from."""
    word = word.strip()
    if word == "here":
        if req.is_direct or not req.channel_id:
            raise UserError("`here` only works in a channel. Name the channel instead, e.g. #news.")
        return Channel(req.platform, req.channel_id)
    if mentioned := mentioned_channel_id(word):
        return Channel(req.platform, mentioned)
    if (req.platform == "slack" and _SLACK_ID.match(word)) or (req.platform == "discord" and _DISCORD_ID.match(word)):
        return Channel(req.platform, word)
    if match := _NAME.match(word.lower()):
        if req.platform == "console":
            return Channel(req.platform, match.group("name"))
        raise UserError(
            f"I can't tell which channel {echoed(word)} is from its name alone. Pick it from the channel list "
            "as you type (so it shows as a link), or type `here` in that channel."
        )
    raise UserError(f"'{echoed(word)}' is not a channel. Give a channel like #news, or `here`.")


def parse_channels(req: Request, words: list[str]) -> list[Channel]:
    if not words:
        raise UserError("Name at least one channel, e.g. #news, or `here`.")
    found: list[Channel] = []
    for word in words:
        channel = parse_channel(req, word)
        if channel not in found:
            found.append(channel)
    return found


def read_day(word: str, today: dt.date) -> dt.date | None:
    """`today`, `tomorrow`, a weekday (the next one, today included), ISO or day-first slashed dates."""
    word = word.strip().lower()
    if word == "today":
        return today
    if word == "tomorrow":
        return today + dt.timedelta(days=1)
    weekday = next((i for i, d in enumerate(_WEEKDAYS) if len(word) >= 3 and d.startswith(word)), None)
    if weekday is not None:
        return today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    if (day := day_first(word)) is not None:
        return day
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        return None


def read_time(word: str) -> dt.time | None:
    """`09:30`, `9.30`, `9am`, `2:15pm`; None when it is not a time of day."""
    match = _TIME.match(word.strip().lower())
    if match is None or (match.group("m") is None and match.group("ampm") is None):
        return None  # a bare number is not a time
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    if ampm := match.group("ampm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return dt.time(hour, minute)
    except ValueError:
        return None


def read_when(text: str, *, now: dt.datetime, zone: ZoneInfo) -> dt.datetime | None:
    """A day and/or time in the partnership's zone, as UTC; None when the text is not one."""
    word = text.strip().lower()
    if word == "now":
        return now
    local_now = now.astimezone(zone)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[t@]\d{1,2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|z)?", word):
        try:
            when = dt.datetime.fromisoformat(word.replace("@", "T").upper())
        except ValueError:
            return None
        return (when if when.tzinfo else when.replace(tzinfo=zone)).astimezone(dt.UTC)
    parts = word.split()
    day: dt.date | None = None
    clock: dt.time | None = None
    for part in parts:
        if clock is None and (found_time := read_time(part)) is not None:
            clock = found_time
        elif day is None and (found_day := read_day(part, local_now.date())) is not None:
            day = found_day
        else:
            return None
    if day is None and clock is None:
        return None
    if day is None:
        assert clock is not None
        when = dt.datetime.combine(local_now.date(), clock, tzinfo=zone)
        if when <= local_now:  # a time alone means the next one
            when = dt.datetime.combine(local_now.date() + dt.timedelta(days=1), clock, tzinfo=zone)
    else:
        when = dt.datetime.combine(day, clock or dt.time(DEFAULT_HOUR), tzinfo=zone)
    return when.astimezone(dt.UTC)


def take_when(words: list[str], *, now: dt.datetime, zone: ZoneInfo) -> tuple[dt.datetime, list[str]]:
    """Read a send time from the front of `words` (one word, or two such as `tomorrow 9am`) and
    return it with the words left over."""
    for size in (2, 1):
        if len(words) >= size and (when := read_when(" ".join(words[:size]), now=now, zone=zone)) is not None:
            return _not_past(when, now, zone), words[size:]
    # Name only what was meant as the time, not the channels after it.
    meant = words[:1] if len(words) > 1 and looks_like_channel(words[1]) else words[:2]
    hint = " Dates are day first: 05/03/2026 is 5 March." if any(_SLASHED.match(w) for w in meant) else ""
    raise UserError(f"'{echoed(' '.join(meant))}' is not a time I understand.{hint} Use {TIME_EXAMPLES}.")


def parse_when(text: str, *, now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A send time in UTC. Times in the past are refused rather than sent at once by surprise."""
    when = read_when(text, now=now, zone=zone)
    if when is None:
        raise UserError(f"'{echoed(text)}' is not a time I understand. Use {TIME_EXAMPLES}.")
    return _not_past(when, now, zone)


def _not_past(when: dt.datetime, now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    if when < now - dt.timedelta(minutes=1):
        raise UserError(f"{describe_when(when, zone)} has already passed. Give a time in the future, or now.")
    return max(when, now)


def describe_when(when: dt.datetime, zone: ZoneInfo) -> str:
    local = when.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"
