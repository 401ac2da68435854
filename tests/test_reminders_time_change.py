"""A reminder already sent comes again when the session's start time changes, on the same day as
well as on another one (an outside audit of issue 14, F7: a 10:00 session moved to 14:00 the same
day got no new week-before reminder). A change of venue alone sends none again
(tests/test_training_posts.py), nor does a new end time; a start time changed and changed back
before the new reminder went out sends none again either: the last one sent said that time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.model import Buttons, Reply
from tests.test_training_reminders import step_to
from tests.training_support import Bot, london, training_bot

WHEN = "2026-03-09 10:00-13:00"  # Monday; the test clock starts Monday 2 March 09:00
BOTH = ["#training, thread of [1]", "direct message to amy"]


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        yield b


async def week_before_sent(bot: Bot, clock: FrozenClock) -> int:
    """A session Amy is going to, announced in #training, whose week-before reminder has gone."""
    session = await bot.add_session(WHEN)
    await bot.reply_to(await bot.announce(session.id), "g", "amy")
    assert sorted(await step_to(bot, clock, london(2026, 3, 2, 10, 0))) == BOTH
    return session.id


async def edit(bot: Bot, session_id: int, when: str, where: str = "Gun Wharf, Chatham") -> None:
    form = {"when": when, "capacity": "2", "where": where, "trainer": ""}
    outcome = await bot.submit("training:edit", form, value=str(session_id))
    assert outcome.form_errors is None, outcome.form_errors


async def test_a_new_start_time_on_the_same_day_sends_the_reminder_again_with_it(bot: Bot, clock: FrozenClock) -> None:
    session_id = await week_before_sent(bot, clock)
    clock.current = london(2026, 3, 2, 10, 10)
    await edit(bot, session_id, "2026-03-09 14:00-17:00")
    assert await step_to(bot, clock, london(2026, 3, 2, 13, 59)) == []
    before = len(bot.posts())
    assert sorted(await step_to(bot, clock, london(2026, 3, 2, 14, 0))) == BOTH
    assert bot.posts()[before:].count("is on Monday 9 March 2026, 14:00–17:00") == 2
    assert await step_to(bot, clock, london(2026, 3, 2, 15, 0)) == []  # once
    assert sorted(await step_to(bot, clock, london(2026, 3, 8, 14, 0))) == BOTH  # the day before, at the new time


async def test_a_new_end_time_alone_does_not_send_the_reminder_again(bot: Bot, clock: FrozenClock) -> None:
    session_id = await week_before_sent(bot, clock)
    await edit(bot, session_id, "2026-03-09 10:00-12:00")
    assert await step_to(bot, clock, london(2026, 3, 2, 16, 0)) == []
    assert sorted(await step_to(bot, clock, london(2026, 3, 8, 10, 0))) == BOTH


async def test_a_start_time_changed_and_changed_back_before_the_new_reminder_sends_none_again(
    bot: Bot, clock: FrozenClock
) -> None:
    session_id = await week_before_sent(bot, clock)
    clock.current = london(2026, 3, 2, 10, 10)
    await edit(bot, session_id, "2026-03-09 14:00-17:00")
    clock.current = london(2026, 3, 2, 11, 0)
    await edit(bot, session_id, WHEN)  # the reminder already sent said 10:00
    assert await step_to(bot, clock, london(2026, 3, 2, 14, 0)) == []
    assert await step_to(bot, clock, london(2026, 3, 2, 18, 0)) == []


async def test_a_start_time_moved_back_and_forth_after_each_reminder_sends_each_again(
    bot: Bot, clock: FrozenClock
) -> None:
    session_id = await week_before_sent(bot, clock)
    clock.current = london(2026, 3, 2, 10, 10)
    await edit(bot, session_id, "2026-03-09 14:00-17:00")
    assert sorted(await step_to(bot, clock, london(2026, 3, 2, 14, 0))) == BOTH
    clock.current = london(2026, 3, 2, 14, 30)
    await edit(bot, session_id, "2026-03-09 16:00-18:00")  # the last reminder said 14:00
    assert sorted(await step_to(bot, clock, london(2026, 3, 2, 16, 0))) == BOTH


async def test_a_start_moved_earlier_than_the_reminder_time_already_passed_is_not_sent_late(
    bot: Bot, clock: FrozenClock
) -> None:
    # The change notice tells everyone at once; a week-before reminder due at 09:30, now past,
    # would only repeat it.
    session_id = await week_before_sent(bot, clock)
    clock.current = london(2026, 3, 2, 10, 10)
    await edit(bot, session_id, "2026-03-09 09:30-12:30")
    assert await step_to(bot, clock, london(2026, 3, 2, 12, 0)) == []
    assert sorted(await step_to(bot, clock, london(2026, 3, 8, 9, 30))) == BOTH


async def test_going_again_after_cant_go_brings_the_reminders_back(bot: Bot, clock: FrozenClock) -> None:
    # An outside audit: Amy pressed Going, Can't go, then Going again, was told "I'll remind you",
    # and got no reminder: her reminders had been called off and their keys were never made again.
    session = await bot.add_session(WHEN)
    announcement = await bot.announce(session.id)
    for choice in ("g", "n", "g"):
        await bot.reply_to(announcement, choice, "amy")
    assert sorted(await step_to(bot, clock, london(2026, 3, 2, 10, 0))) == BOTH
    assert await step_to(bot, clock, london(2026, 3, 2, 11, 0)) == []  # once
    await bot.reply_to(announcement, "n", "amy")
    await bot.reply_to(announcement, "g", "amy")  # a third time: the week-before one has gone already
    assert await step_to(bot, clock, london(2026, 3, 3, 10, 0)) == []
    assert sorted(await step_to(bot, clock, london(2026, 3, 8, 10, 0))) == BOTH
    assert "1d before: 2 sent" in await bot.text(f"/training {session.id}")


async def test_a_place_from_the_waitlist_after_cant_go_brings_the_reminders_back(bot: Bot, clock: FrozenClock) -> None:
    session = await bot.add_session(WHEN, capacity=1)
    announcement = await bot.announce(session.id)
    await bot.reply_to(announcement, "g", "amy")
    await bot.reply_to(announcement, "n", "amy")
    await bot.reply_to(announcement, "g", "ben")
    await bot.reply_to(announcement, "w", "amy")
    await bot.reply_to(announcement, "n", "ben")  # Amy is given the place
    assert sorted(await step_to(bot, clock, london(2026, 3, 2, 10, 0))) == BOTH


async def test_a_time_moved_into_the_next_day_tells_of_the_change_before_the_reminder_it_brings(
    bot: Bot, clock: FrozenClock
) -> None:
    # An outside audit: moved to "tomorrow 9.30am", the day-before reminder ("Tuesday 3 March") was
    # posted first and "has changed: the time" after it
    session = await bot.add_session(WHEN)
    await bot.reply_to(await bot.announce(session.id), "g", "amy")
    clock.current = london(2026, 3, 2, 10, 10)
    await edit(bot, session.id, "2026-03-03 09:30-12:30")
    before = len(bot.posts())
    assert sorted(await step_to(bot, clock, london(2026, 3, 2, 10, 11))) == BOTH  # the day before is now
    told = bot.posts()[before:]
    for where in ("direct message to amy", "#training, thread of [1]"):
        chunks = [c for c in told.split("\n\n") if where in c.split("\n", 1)[0]]
        kinds = [
            "changed" if "has changed" in c else "reminder" for c in chunks if "has changed" in c or "Reminder:" in c
        ]
        assert kinds == ["changed", "reminder"], (where, chunks)


async def test_a_reminder_sent_before_a_venue_change_still_shows_as_sent(bot: Bot, clock: FrozenClock) -> None:
    # Trainer audit (sixteenth session): after a venue edit the trainer's view lost the week-before
    # reminder that had gone, so nobody could see that people were reminded.
    session_id = await week_before_sent(bot, clock)
    assert "7d before: 2 sent" in await bot.text(f"/training {session_id}")
    await edit(bot, session_id, WHEN, where="Room 2, Gun Wharf")
    view = await bot.text(f"/training {session_id}")
    assert "7d before: 2 sent" in view and "1d before: 2 pending" in view


async def test_a_reminder_sent_again_after_a_time_change_counts_each_person_once(bot: Bot, clock: FrozenClock) -> None:
    # A review: after a time change the view said "7d before: 2 pending, 2 sent", then "4 sent" for two people.
    session_id = await week_before_sent(bot, clock)
    clock.current = london(2026, 3, 2, 10, 10)
    await edit(bot, session_id, "2026-03-09 14:00-17:00")
    view = await bot.text(f"/training {session_id}")
    assert "7d before: 2 pending" in view and "2 sent" not in view.split("7d before:")[1].split(";")[0]
    assert sorted(await step_to(bot, clock, london(2026, 3, 2, 14, 0))) == BOTH
    assert "7d before: 2 sent;" in await bot.text(f"/training {session_id}")


async def test_a_moved_session_moves_its_baseline_surveys_close_to_the_new_start(bot: Bot, clock: FrozenClock) -> None:
    """An outside audit: a session moved a day earlier kept its pre-course survey open until the old
    start, so a "before the course" answer was recorded after the course had begun."""
    from storage import surveys as survey_store
    from tests.storage_support import in_tx

    session = await bot.add_session(WHEN)
    await bot.reply_to(await bot.announce(session.id), "g", "amy")
    assert "Sending the baseline survey" in await bot.text(f"/survey send {session.id} pre-course")
    outcome = await bot.submit(
        "training:edit", {"when": "2026-03-06 10:00-13:00", "capacity": "2", "where": "Gun Wharf", "trainer": ""},
        value=str(session.id),
    )  # fmt: skip
    assert "pre-course survey now closes when the session starts" in outcome.replies[0].all_text()
    baseline = await in_tx(bot.ctx.db, survey_store.survey_for, session.id, "pre-course")
    assert baseline is not None and baseline.closes_at == london(2026, 3, 6, 10, 0)
    pending = [row for row in await bot.outbox(f"survey:{baseline.id}:") if row.status == "pending"]
    assert all(row.expires_at == london(2026, 3, 6, 10, 0) for row in pending)


async def test_a_moved_sessions_baseline_copies_already_posted_say_the_new_date_and_close(
    bot: Bot, clock: FrozenClock
) -> None:
    """Every copy of the baseline survey already posted (the direct message, the thread post) is
    edited to the new session date and closing day, its buttons kept; the reminder says the new day."""
    from storage import surveys as survey_store
    from tests.storage_support import in_tx

    session = await bot.add_session(WHEN)  # Monday 9 March
    await bot.reply_to(await bot.announce(session.id), "g", "amy")
    assert "Sending the baseline survey" in await bot.text(f"/survey send {session.id} pre-course")
    await bot.rt.tick()
    baseline = await in_tx(bot.ctx.db, survey_store.survey_for, session.id, "pre-course")
    assert baseline is not None
    posted = await in_tx(bot.ctx.db, survey_store.posted_messages, baseline.id)
    assert posted and "closes on Monday 9 March" in bot.posts()
    await bot.submit(
        "training:edit", {"when": "2026-03-06 10:00-13:00", "capacity": "2", "where": "Gun Wharf", "trainer": ""},
        value=str(session.id),
    )  # fmt: skip
    await bot.rt.tick()
    edits = [r for r in await bot.outbox(f"survey:{baseline.id}:moved:") if r.status == "sent"]
    assert len(edits) == len(posted)
    for row in edits:
        shown = Reply.model_validate(row.payload)
        text = shown.all_text()
        assert "closes on Friday 6 March" in text and "Monday 9 March" not in text
        assert any(isinstance(b, Buttons) for b in shown.blocks)  # still open: the buttons stay
    for post in posted:
        assert f"[updated {post.message_id}]" in bot.posts()


async def test_a_reminder_dropped_by_moving_earlier_comes_back_when_the_session_moves_later_again(
    bot: Bot, clock: FrozenClock
) -> None:
    """Moved to Friday, the week-before reminder's time had passed and it was dropped; moved back to
    Monday before that time came, it is wanted again and comes at 10:00."""
    session = await bot.add_session(WHEN)
    await bot.reply_to(await bot.announce(session.id), "g", "amy")
    clock.current = london(2026, 3, 2, 9, 0)
    await edit(bot, session.id, "2026-03-06 10:00-13:00")
    clock.current = london(2026, 3, 2, 9, 30)
    await edit(bot, session.id, WHEN)
    assert await step_to(bot, clock, london(2026, 3, 2, 9, 59)) == []
    assert sorted(await step_to(bot, clock, london(2026, 3, 2, 10, 0))) == BOTH
