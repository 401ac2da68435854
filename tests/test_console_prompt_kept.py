"""In the console chat, a message the bot posts while the person is typing (a reminder at its
time, say) is printed above the prompt, and the prompt with what was typed so far comes back
under it; before, the reminder was written over the half-typed line."""

from __future__ import annotations

import io

import pytest

from bot.adapters.console import terminal as console_session
from bot.adapters.console.terminal import KeepsPrompt


def test_a_message_while_typing_goes_above_the_prompt_and_the_typed_words_come_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(console_session, "typed_so_far", lambda: "/threshold negl")
    screen = io.StringIO()
    terminal = KeepsPrompt(screen)
    terminal.reading("sam> ")  # input() has shown the prompt; the person is typing
    terminal.write("[4] Reminder: Neglect awareness starts in 1 hour.\n\n")
    terminal.write("[5] Feed: new learning review.\n\n")
    assert screen.getvalue() == (
        "\r\x1b[K[4] Reminder: Neglect awareness starts in 1 hour.\n\nsam> /threshold negl"
        "\r\x1b[K[5] Feed: new learning review.\n\nsam> /threshold negl"
    )


def test_output_of_a_line_already_entered_is_written_as_it_is() -> None:
    screen = io.StringIO()
    terminal = KeepsPrompt(screen)
    terminal.reading("sam> ")
    terminal.reading(None)  # the person pressed Enter: the answer follows their line
    terminal.write("[6] Neglect: levels of need.\n\n")
    assert screen.getvalue() == "[6] Neglect: levels of need.\n\n"


def test_a_message_written_in_pieces_clears_the_prompt_once_and_shows_it_after_the_last_piece(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(console_session, "typed_so_far", lambda: "")
    screen = io.StringIO()
    terminal = KeepsPrompt(screen)
    terminal.reading("sam> ")
    terminal.write("[7] Saved ")
    terminal.write("data/console-files/chart.png\n")
    assert screen.getvalue() == "\r\x1b[K[7] Saved data/console-files/chart.png\nsam> "
