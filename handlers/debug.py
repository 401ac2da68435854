"""/debug: console-only hooks for demos and checks, such as moving the clock forward."""

from __future__ import annotations

import datetime as dt

from core.clock import LATEST, ClockOutOfRange
from core.context import Context
from core.dates import DURATION_PART, twice_note
from core.model import Reply, Request, RequestKind, UserError, reply
from core.registry import command
from storage import state

_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
CLOCK_STATE = "console_clock_offset_seconds"
TOO_FAR = (
    f"That is too far forward: the bot's clock goes no further than {LATEST.day} {LATEST:%B %Y}. "
    "Move it by less, e.g. /debug clock +30d."
)


def parse_offset(text: str) -> dt.timedelta:
    """'+6d23h' -> 6 days 23 hours. Only forward: time travel backwards would confuse reminders."""
    raw = text.strip().lstrip("+")
    if not raw or DURATION_PART.sub("", raw):
        raise UserError("Give the time to move forward like +6d23h, +2h or +30m (weeks w, days d, hours h, minutes m).")
    delta = dt.timedelta()
    try:
        for amount, unit in DURATION_PART.findall(raw):
            delta += dt.timedelta(**{_UNITS[unit]: int(amount)})
    except (OverflowError, ValueError):  # more than a timedelta, or even an int, can hold
        raise UserError(TOO_FAR) from None
    return delta


@command(
    "debug",
    usage="clock +6d23h | clock | press ACTION VALUE",
    help="Console only: move the bot's clock forward to see reminders fire, or press a made-up button.",
    console_only=True,
)
async def debug(req: Request, ctx: Context) -> Reply | list[Reply]:
    words = req.words
    if words and words[0] == "press":
        return await press(req, ctx, words[1:])
    if not words or words[0] != "clock":
        raise UserError("Try /debug clock to see the bot's time, or /debug clock +1d to move it forward.")
    advance = getattr(ctx.clock, "advance", None)
    if len(words) > 1:
        if advance is None:
            raise UserError("This clock cannot be moved.")
        try:
            advance(parse_offset(words[1]))
        except ClockOutOfRange:
            raise UserError(TOO_FAR) from None
        offset = getattr(ctx.clock, "offset", None)
        if isinstance(offset, dt.timedelta):
            async with ctx.db.transaction() as tx:
                await state.put(tx, CLOCK_STATE, str(int(offset.total_seconds())), now=ctx.now())
    local = ctx.local_now()
    return reply(
        f"The bot's clock now reads {local:%A} {local.day} {local:%B %Y, %H:%M} in {ctx.settings.timezone}"
        f"{twice_note(local)}."
    )


async def press(req: Request, ctx: Context, words: list[str]) -> list[Reply]:
    """Press a button carrying any value, as a tampered or out-of-date client could, to show how
    the bot refuses what it never offered. It goes through the dispatcher like a real press."""
    if len(words) != 2:
        raise UserError("Give an action and a value, e.g. /debug press survey:answer 1.0.9")
    forged = req.model_copy(
        update={
            "kind": RequestKind.ACTION,
            "action_id": words[0],
            "value": words[1],
            "command": "",
            "text": "",
            "delivery_id": None,
        }
    )
    if ctx.redispatch is None:
        raise UserError("Pressing a button by hand needs the running bot; start it with `make run`.")
    return await ctx.redispatch(forged)
