"""Where and when to post: the channel and time arguments shared by /feeds, /bulletin and
/briefing, so every command understands them the same way.

Channels: `here` (the channel you type in), a channel mention as Slack or Discord sends it
(`<#C0123|news>`, `<#1234567890>`), or `#name` in the console.
Times, in the partnership's zone: `now`, `09:30` (the next one), `2026-03-05` (09:00 that
day), `2026-03-05T09:30` or `2026-03-05@09:30`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.model import Request, Target, UserError

_MENTION = re.compile(r"^<#(?P<id>[A-Za-z0-9]{1,40})(?:\|[^>]{0,80})?>$")
_NAME = re.compile(r"^#(?P<name>[a-z0-9][a-z0-9._-]{0,79})$")
_SLACK_ID = re.compile(r"^[CG][A-Z0-9]{6,20}$")
_DISCORD_ID = re.compile(r"^\d{15,21}$")
_TIME = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})$")
DEFAULT_HOUR = 9


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
            f"I can't tell which channel {word[:40]} is from its name alone. Pick it from the channel list "
            "as you type (so it shows as a link), or type `here` in that channel."
        )
    raise UserError(f"{word[:40]!r} is not a channel. Give a channel like #news, or `here`.")


def parse_channels(req: Request, words: list[str]) -> list[Channel]:
    if not words:
        raise UserError("Name at least one channel, e.g. #news, or `here`.")
    found: list[Channel] = []
    for word in words:
        channel = parse_channel(req, word)
        if channel not in found:
            found.append(channel)
    return found


def parse_when(text: str, *, now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A send time in UTC. Times in the past are refused rather than sent at once by surprise."""
    word = text.strip().lower()
    if word == "now":
        return now
    local_now = now.astimezone(zone)
    try:
        if match := _TIME.match(word):
            clock = dt.time(int(match.group("h")), int(match.group("m")))
            day = local_now.date()
            when = dt.datetime.combine(day, clock, tzinfo=zone)
            if when <= local_now:
                when = dt.datetime.combine(day + dt.timedelta(days=1), clock, tzinfo=zone)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
            when = dt.datetime.combine(dt.date.fromisoformat(word), dt.time(DEFAULT_HOUR), tzinfo=zone)
        else:
            when = dt.datetime.fromisoformat(word.replace("@", "T").upper())
            if when.tzinfo is None:
                when = when.replace(tzinfo=zone)
    except ValueError:
        raise UserError(
            f"{text[:40]!r} is not a time I understand. Use now, 09:30, 2026-03-05 or 2026-03-05T09:30."
        ) from None
    when = when.astimezone(dt.UTC)
    if when < now - dt.timedelta(minutes=1):
        raise UserError(f"{describe_when(when, zone)} has already passed. Give a time in the future, or now.")
    return max(when, now)


def describe_when(when: dt.datetime, zone: ZoneInfo) -> str:
    local = when.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"
