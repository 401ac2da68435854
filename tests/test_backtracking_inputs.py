"""Inputs written to make a pattern backtrack, found by an outside stall audit (twentieth session):
each was read in time that grew with the square of its length. At these sizes the old patterns
took minutes, so a return of the fault stalls this file rather than passing quietly."""

from __future__ import annotations

import pytest

from core.model import UserError
from core.sanitise import ZWSP, inert_text
from handlers.debug import parse_offset as clock_move
from handlers.training.schedule import parse_offset as reminder_offset

DIGITS = "1" * 200_000


def test_a_long_run_of_digits_is_no_clock_move() -> None:
    with pytest.raises(UserError, match="Give the time to move forward like"):
        clock_move("+" + DIGITS + "x")


def test_a_long_run_of_digits_is_no_reminder_offset() -> None:
    with pytest.raises(ValueError, match="is not a reminder offset"):
        reminder_offset(DIGITS)


def test_durations_are_still_read_part_by_part() -> None:
    assert clock_move("+6d23h").total_seconds() == (6 * 24 + 23) * 3600
    assert reminder_offset("1w").days == 7


def test_blank_lines_before_a_quote_are_read_once() -> None:
    shown = inert_text("\n" * 200_000 + "> quoted\n  - listed")
    assert shown.endswith("\n" + ZWSP + "> quoted\n  " + ZWSP + "- listed")
