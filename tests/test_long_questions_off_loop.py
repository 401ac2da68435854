"""A long question to /help or /escalation is read the way /threshold reads a worry, and like every
lookup's reading it runs in a worker thread: an outside stall audit held the event loop 2.8 s (every
other person's answer waited) with /help followed by 4,000 characters of "no no no"."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from bot.runtime import Runtime
from handlers import contacts
from tests.harness import only_reply

LONG = "no " * 1333  # the audit's input: each "no" starts a thousand phrases


@pytest.fixture
def reading_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads the real reading ran on, seen where both commands look for a danger now (a spy:
    the reading itself is unchanged)."""
    seen: list[str] = []
    real = contacts.danger_now

    def spied(*args: Any, **kwargs: Any) -> Any:
        seen.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(contacts, "danger_now", spied)
    return seen


@pytest.mark.parametrize("command", ["help", "escalation"])
async def test_a_long_question_is_read_off_the_event_loop(
    runtime: Runtime, reading_threads: list[str], command: str
) -> None:
    answer = await only_reply(runtime, command, LONG)
    assert "999" in answer.all_text()  # answered, with the emergency route
    assert reading_threads, "the question was read"
    assert threading.main_thread().name not in reading_threads


async def test_a_short_question_is_still_read_on_the_loop_where_a_thread_costs_more(
    runtime: Runtime, reading_threads: list[str]
) -> None:
    await only_reply(runtime, "help", "what do I do if a child discloses abuse")
    assert reading_threads == [threading.main_thread().name]
