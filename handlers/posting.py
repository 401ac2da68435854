"""Where and when to post: the channel and time arguments shared by /training announce, /feeds,
/bulletin and /briefing, so every command understands them the same way.

Channels, read by `read_channel` and nowhere else:
- `here`: the channel the command was typed in.
- Slack and Discord: a channel picked from the list as you type `#` (Slack sends `<#C0123|news>`,
  Discord `<#1234567890>`), or its id (`slack:C0123ABC`, `discord:123456789012345678`; on the
  platform itself the id alone). A bare name is never guessed: Slack edits a post only by the
  channel's id, and Discord posts only to a number, so a name would post once or never.
- Teams: `teams:19:…@thread.tacv2` (the id in the channel's link, or the link itself), or a
  channel mention if the Teams adapter writes one as `<#19:…@thread.tacv2>`.
- The console: names, in any case (`#Training` is `training`).
The same channel given two ways is one channel, kept by its id.
Times, in the partnership's zone, read by core.dates.scan_when as the training form reads them:
`now`, `in 2 hours`; a time such as `09:30`, `9am` or `noon` (the next one); a day such as
`tomorrow`, `friday` (next week's once its time has passed today), `next tuesday` (asked back
when it could be this week's or the week after's), `6 March`,
`5 March 2026`, `2026-03-05` or `05/03/2026` (09:00 that day); or a day and a time, with `at` or
`on` between if wanted (`tomorrow at 2pm`, `friday at 14:00`, `05/03/2026 14:00`,
`2026-03-05T09:30`). Dates with slashes are day first; a date the calendar lacks, a time the
clocks skip, or a date more than ten years ahead is refused with a sentence saying so."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from core import dates
from core.dates import (
    DateProblem,
    NonexistentTime,
    check_years,
    is_calendar_word,
    is_slip_of_calendar_word,
    read_clock,
    scan_when,
    twice_note,
)
from core.model import PLATFORMS, TEAMS_CONVERSATION, Request, Target, UserError
from core.sanitise import echoed

# A channel picked from the list: Slack `<#C0123|news>` (or `<#C0123|>`), Discord `<#1234>`, and a
# Teams channel as `<#19:…@thread.tacv2>`.
_MENTION = re.compile(r"^<#(?P<id>[\w.:@=\-]{1,120})(?:\|[^>]{0,80})?>$", re.ASCII)
_SLACK_ID = re.compile(r"[CG][A-Z0-9]{2,20}")  # after `slack:`; Slack's names are lower case
_SLACK_BARE_ID = re.compile(r"[CG][A-Z0-9]{6,20}")  # alone on Slack: as long as real ids are
_DISCORD_ID = re.compile(r"\d{1,20}")  # after `discord:`
_DISCORD_BARE_ID = re.compile(r"\d{15,21}")  # alone on Discord: a snowflake
_CONSOLE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")
_TEAMS_LINK = re.compile(r"https://[^/\s]+/l/channel/(?P<id>[^/?#\s]+)")
_SEPARATORS = re.compile(r"[\s,;]+")
_SLASHED = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}$")
DEFAULT_HOUR = 9
TIME_EXAMPLES = "now, 09:30, 9am, tomorrow at 2pm, monday 14:00, 5 March 2026 9am, 05/03/2026 or 2026-03-05T09:30"

# How to name a channel, said to someone typing on each platform (the end of a sentence).
_HOW_TO_NAME = {
    "slack": "pick the channel from the list that opens as you type # (it then shows as a link), "
    "or give its id, like slack:C0123ABC",
    "discord": "pick the channel from the list that opens as you type # (it then shows as a link), "
    "or give its id (Copy Channel ID), like discord:123456789012345678",
    "teams": "type `here` in that channel, or give the channel's id from its link (Get link to channel), "
    "like teams:19:a1b2c3d4@thread.tacv2",
    "console": "write its name, like #news or training",
}
_ANY_PLATFORM = (
    "write channels like slack:C0123ABC, discord:123456789012345678, teams:19:a1b2c3d4@thread.tacv2 "
    "or console:training, separated by spaces"
)
_PLATFORM_NAMES = {"slack": "Slack", "discord": "Discord", "teams": "Teams", "console": "console"}


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


def how_to_name_a_channel(platform: str) -> str:
    """The end of a sentence telling someone on `platform` how to name a channel."""
    return _HOW_TO_NAME.get(platform, _ANY_PLATFORM)


def channel_examples(platform: str) -> str:
    """Channels to show as examples to someone typing on `platform` (besides `here`), each one
    that works there."""
    if platform in ("slack", "discord"):
        ids = "slack:C0123ABC" if platform == "slack" else "discord:123456789012345678"
        return f"a channel picked from the list as you type #, or {ids}"
    if platform == "teams":
        return "teams:19:a1b2c3d4@thread.tacv2, the id in the channel's link"
    if platform == "console":
        return "#training"
    return "slack:C0123ABC, discord:123456789012345678, teams:19:a1b2c3d4@thread.tacv2 or console:training"


def example_channel(platform: str) -> str:
    """One channel to write in an example command: a name only where names work."""
    return "#news" if platform == "console" else "here"


def mentioned_channel_id(word: str) -> str | None:
    """The channel id in a channel picked from the list (`<#C0123|news>`, `<#1234>`), else None."""
    match = _MENTION.match(word.strip())
    return match.group("id") if match else None


def teams_conversation(word: str) -> str | None:
    """The Teams conversation id in `19:…@thread.tacv2`, `teams:19:…`, its percent-encoded form or
    the channel's link; None when the word is none of these."""
    if link := _TEAMS_LINK.match(word):
        word = link.group("id")
    word = unquote(word)
    if word[:6].lower() == "teams:":
        word = word[6:]
    return word if TEAMS_CONVERSATION.fullmatch(word) else None


def looks_like_channel(word: str) -> bool:
    """The word is written as a channel on some platform (a console name alone is not told apart)."""
    word = word.strip()
    platform, sep, _ = word.partition(":")
    return (
        word.lower() == "here"
        or bool(_MENTION.match(word))
        or (word[:1] == "#" and bool(_CONSOLE_NAME.fullmatch(word[1:].lower())))
        or bool(sep and platform.lower() in PLATFORMS)
        or teams_conversation(word) is not None
    )


def read_channel(word: str, platform: str, *, here: Channel | None) -> Channel:
    """One channel as typed by someone on `platform` ("" where no platform is typed on, such as a
    file imported from the command line); `here` is the channel typed in, None where there is none.
    A channel that cannot be named that way is refused with one sentence saying what to do."""
    word = word.strip()
    if word.lower() == "here":
        if here is None:
            raise UserError(
                f"I can't tell from this command which channel `here` is, so name the channel: "
                f"{how_to_name_a_channel(platform)}."
            )
        return here
    if conversation := teams_conversation(word):
        return Channel("teams", conversation)
    if (mentioned := mentioned_channel_id(word)) is not None:  # picked from the list on this platform
        if TEAMS_CONVERSATION.fullmatch(mentioned):
            return Channel("teams", mentioned)
        if platform == "console":  # a pasted Slack or Discord link: its id is no console name
            raise UserError(
                f'"{echoed(word, 60)}" is a channel picked on a chat platform; '
                f"on the console, {_HOW_TO_NAME['console']}."
            )
        return _channel_on(platform, mentioned, word, exact=True)
    prefix, sep, rest = word.partition(":")
    if sep and prefix.lower() in PLATFORMS:
        return _channel_on(prefix.lower(), rest, word, exact=True)
    if sep or not platform:
        raise UserError(f'"{echoed(word, 60)}" is not a channel I can post in; {_ANY_PLATFORM}.')
    return _channel_on(platform, word, word)


def _channel_on(platform: str, written: str, word: str, *, exact: bool = False) -> Channel:
    """The channel `written` names on `platform`; `word` is what was typed, for the refusal. With
    `exact` the word can only be an id (it came picked from the list, or after `slack:`), so ids
    shorter than real ones are taken; a bare word must look like a real id to be one."""
    typed = echoed(word, 60)
    if platform == "console":
        name = written.removeprefix("#").lower()
        if _CONSOLE_NAME.fullmatch(name):
            return Channel("console", name)
        raise UserError(f'"{typed}" is not a channel name on the console; {_HOW_TO_NAME["console"]}.')
    if platform == "teams":
        if TEAMS_CONVERSATION.fullmatch(written):
            return Channel("teams", written)
        raise UserError(f'"{typed}" is not a Teams channel I can post in; on Teams, {_HOW_TO_NAME["teams"]}.')
    ident = written.removeprefix("#")
    shapes = {"slack": (_SLACK_ID, _SLACK_BARE_ID), "discord": (_DISCORD_ID, _DISCORD_BARE_ID)}
    if platform in shapes and shapes[platform][0 if exact else 1].fullmatch(ident):
        return Channel(platform, ident)
    raise UserError(
        f'I can\'t tell which {_PLATFORM_NAMES.get(platform, platform)} channel "{typed}" is from its name alone; '
        f"{_HOW_TO_NAME.get(platform, _ANY_PLATFORM)}."
    )


def read_channels(words: Iterable[str], platform: str, *, here: Channel | None) -> list[Channel]:
    """Every channel in `words` (spaces, commas or semicolons between them), each once."""
    found: list[Channel] = []
    for part in words:
        for word in _SEPARATORS.split(part.strip()):
            if word and (channel := read_channel(word, platform, here=here)) not in found:
                found.append(channel)
    return found


def here_of(req: Request) -> Channel | None:
    """The channel a request was typed in; None in a direct message."""
    return None if req.is_direct or not req.channel_id else Channel(req.platform, req.channel_id)


def parse_channel(req: Request, word: str) -> Channel:
    """One channel argument, typed on the platform the command came from."""
    return read_channel(word, req.platform, here=here_of(req))


def parse_channels(req: Request, words: list[str]) -> list[Channel]:
    found = read_channels(words, req.platform, here=here_of(req))
    if not found:
        raise UserError(f"Name at least one channel, e.g. {example_channel(req.platform)}.")
    return found


_RELATIVE = re.compile(r"in (?P<n>\d{1,3}) (?P<unit>minute|min|hour|hr|day)s?", re.IGNORECASE)
_RELATIVE_UNITS = {"minute": 1, "min": 1, "hour": 60, "hr": 60, "day": 24 * 60}
_ISO_WITH_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}[t@]\d{1,2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|z)")


def read_when(text: str, *, now: dt.datetime, zone: ZoneInfo) -> dt.datetime | None:
    """A day and/or time in the partnership's zone, as UTC; None when the text is not one.
    UserError for a date the calendar lacks, a time the clocks skip, or one out of range."""
    words = text.split()
    if len(words) == 1 and _ISO_WITH_OFFSET.fullmatch(words[0].lower()):
        try:
            return dt.datetime.fromisoformat(words[0].upper().replace("@", "T")).astimezone(dt.UTC)
        except ValueError:
            return None
    found = _when_at_front(words, now=now, zone=zone)
    return found[0] if found is not None and found[1] == len(words) else None


def _when_at_front(words: list[str], *, now: dt.datetime, zone: ZoneInfo) -> tuple[dt.datetime, int] | None:
    """The send time at the front of `words` and how many words it took (core.dates.scan_when:
    `now`, `in 2 hours`, `tomorrow at 2pm`, `friday at 14:00`, `5 March 2026 9am`...)."""
    if words and words[0].lower() == "now":
        return now, 1
    if relative := _RELATIVE.fullmatch(" ".join(words[:3])):
        minutes = int(relative.group("n")) * _RELATIVE_UNITS[relative.group("unit").lower()]
        return now + dt.timedelta(minutes=minutes), 3
    local_now = now.astimezone(zone)
    try:
        found = scan_when(words, local_now.date())
        if found is None:
            return None
        if found.end is not None:
            raise UserError("Give one send time, not a range of times.")
        if found.day is not None:
            check_years(found.day, local_now.date())
        day = found.day or local_now.date()
        when = dates.local(dt.datetime.combine(day, found.start or dt.time(DEFAULT_HOUR)), zone)
        # A time alone, or a weekday whose time today has passed ("monday 14:00" typed on a Monday
        # afternoon), means the next one.
        if when <= local_now and (found.day is None or found.weekday_alone):
            step = dt.timedelta(days=1 if found.day is None else 7)
            when = dates.local(dt.datetime.combine(day + step, found.start or dt.time(DEFAULT_HOUR)), zone)
    except DateProblem as exc:
        raise UserError(str(exc)) from None
    except NonexistentTime as exc:
        raise UserError(f"{exc}; give another time.") from None
    return when.astimezone(dt.UTC), found.words


def take_when(words: list[str], *, now: dt.datetime, zone: ZoneInfo) -> tuple[dt.datetime, list[str]]:
    """Read a send time from the front of `words` (the whole of it: `tomorrow at 2pm`, `on friday
    9am`) and return it with the words left over, which must be channels: a word after it that
    reads as part of a time is refused with the words named, never taken as a channel."""
    found = _when_at_front(words, now=now, zone=zone)
    if found is None:
        meant = _meant_as_time(words)
        hint = " Dates are day first: 05/03/2026 is 5 March." if any(_SLASHED.match(w) for w in meant) else ""
        raise UserError(f"'{echoed(' '.join(meant))}' is not a time I understand.{hint} Use {TIME_EXAMPLES}.")
    when, taken = found
    rest = words[taken:]
    # "9am tomorow practice": a slip of a day's name after the time is part of it, not a channel
    not_understood = [
        w for w in rest if not looks_like_channel(w) and (_reads_as_time(w) or is_slip_of_calendar_word(w))
    ]
    if not_understood:
        raise UserError(
            f"I read the time as {describe_when(when, zone)}, but not '{echoed(' '.join(not_understood))}'. "
            f"Write the whole time first, then the channels, each with # before its name, e.g. tomorrow at 2pm #news."
        )
    return _not_past(when, now, zone), rest


def _meant_as_time(words: list[str]) -> list[str]:
    """The words meant as a send time that could not be read, so the error quotes only them: those
    before the first channel; with no word written as a channel, those up to the first word after
    the first that is neither part of a time nor a slip of one (a channel named without '#':
    "tomorow 9am practice" quotes "tomorow 9am")."""
    before = list(itertools.takewhile(lambda w: not looks_like_channel(w), words))
    if len(before) < len(words):
        return before[:4] or words[:1]
    meant = words[:1]
    for word in words[1:4]:
        if not (_reads_as_time(word) or is_slip_of_calendar_word(word)):
            break
        meant.append(word)
    return meant


def _reads_as_time(word: str) -> bool:
    """A word that belongs to a time or a date (`at`, `2pm`, `14:00`, `friday`, `March`, `2027`),
    so after a send time it is a mistake in the time, not a channel's name."""
    word = word.strip(",;").lower()
    if word in _TIME_WORDS or is_calendar_word(word) or read_clock(word) is not None:
        return True
    return bool(re.fullmatch(r"[\d:./@t+-]+(?:am|pm)?", word))


_TIME_WORDS = frozenset({"at", "on", "in", "next", "this", "from", "today", "tomorrow", "yesterday", "am", "pm"})


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
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}{twice_note(local)}"
