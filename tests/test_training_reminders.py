"""Reminders arrive exactly once: at the right London wall-clock time across the clock changes,
once after a restart, skipped (with a reason) when they are no longer useful, and once when two
replicas share one PostgreSQL database. Time moves by an injected clock; nothing sleeps."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path

import pytest

from core.clock import FrozenClock
from handlers.training import keep_reminders_in_step
from storage import training as store
from tests.storage_support import in_tx
from tests.training_support import Bot, london, training_bot

_POST = re.compile(r"^\[(\d+)\] (.+)$", re.MULTILINE)


def reminders_in(output: str) -> list[str]:
    """Where each reminder in a console transcript went, e.g. 'direct message to amy'."""
    found = []
    for chunk in output.split("\n\n"):
        header = _POST.search(chunk)
        if header and "Reminder:" in chunk:
            found.append(header.group(2))
    return found


async def step_to(bot: Bot, clock: FrozenClock, when: dt.datetime) -> list[str]:
    """Move the clock to `when`, run the jobs and delivery, and return the reminders that came."""
    before = len(bot.posts())
    clock.current = when.astimezone(dt.UTC)
    await bot.rt.tick()
    return reminders_in(bot.posts()[before:])


@pytest.mark.parametrize(
    ("session_day", "expected"),
    [
        # The Monday after the last Sunday of March: the day before is already summer time,
        # a week before is still winter time.
        (
            "2026-03-30",
            {
                "1 week": london(2026, 3, 23, 9, 30),
                "1 day": london(2026, 3, 29, 9, 30),
                "1 hour": london(2026, 3, 30, 8, 30),
            },
        ),
        # The Monday after the last Sunday of October: the other way round.
        (
            "2026-10-26",
            {
                "1 week": london(2026, 10, 19, 9, 30),
                "1 day": london(2026, 10, 25, 9, 30),
                "1 hour": london(2026, 10, 26, 8, 30),
            },
        ),
    ],
)
async def test_reminders_arrive_once_at_the_right_london_time_across_a_clock_change(
    tmp_path: Path, clock: FrozenClock, session_day: str, expected: dict[str, dt.datetime]
) -> None:
    async with training_bot(tmp_path, clock) as bot:
        session = await bot.add_session(f"{session_day} 09:30-12:30", capacity=5)
        post = await bot.announce(session.id)
        await bot.reply_to(post, "g", "amy")
        for label, due in expected.items():
            almost = await step_to(bot, clock, due - dt.timedelta(minutes=1))
            assert almost == [], f"the {label} reminder came early"
            arrived = await step_to(bot, clock, due)
            assert sorted(arrived) == [
                "#training, thread of [" + str(post.message_id) + "]",
                "direct message to amy",
            ], label
            assert await step_to(bot, clock, due + dt.timedelta(minutes=30)) == []
        assert len(reminders_in(bot.posts())) == 6  # three reminders, each in the thread and to amy, once


async def test_people_who_cannot_go_get_no_reminders_and_people_promoted_do(tmp_path: Path, clock: FrozenClock) -> None:
    async with training_bot(tmp_path, clock) as bot:
        session = await bot.add_session("2026-03-20 10:00-13:00", capacity=1)
        post = await bot.announce(session.id)
        await bot.reply_to(post, "g", "amy")
        await bot.reply_to(post, "w", "ben")
        await bot.reply_to(post, "n", "amy")  # ben moves up
        arrived = await step_to(bot, clock, london(2026, 3, 13, 10, 0))
        assert sorted(arrived) == [f"#training, thread of [{post.message_id}]", "direct message to ben"]
        amy = {r.key: r for r in await bot.outbox(f"reminder:{session.id}:v1:console:amy:")}
        assert amy and all(r.status == "skipped" and "no longer going" in (r.error or "") for r in amy.values())


async def test_pressing_cant_go_and_going_over_and_over_keeps_one_called_off_round(
    tmp_path: Path, clock: FrozenClock
) -> None:
    async with training_bot(tmp_path, clock) as bot:
        session = await bot.add_session("2026-03-20 10:00-13:00", capacity=5)
        post = await bot.announce(session.id)
        for _ in range(12):
            await bot.reply_to(post, "g", "amy")
            await bot.reply_to(post, "n", "amy")
        await bot.reply_to(post, "g", "amy")
        rows = await bot.outbox(f"reminder:{session.id}:v1:console:amy:")
        # Three reminders (7d, 1d, 1h): each the round now wanted and the one called off before it.
        assert sorted(r.status for r in rows) == ["pending"] * 3 + ["skipped"] * 3
        assert {r.key.rsplit("~", 1)[1] for r in rows if r.status == "pending"} == {"13"}
        arrived = await step_to(bot, clock, london(2026, 3, 13, 10, 0))
        assert arrived.count("direct message to amy") == 1


async def test_a_reminder_due_while_the_bot_was_down_is_sent_once_after_a_restart(
    tmp_path: Path, clock: FrozenClock
) -> None:
    async with training_bot(tmp_path, clock) as first:
        session = await first.add_session("2026-03-09 10:00-13:00", capacity=5)
        post = await first.announce(session.id)
        await first.reply_to(post, "g", "amy")
    # Down from Monday 2 March until 08:00 on Monday 9 March: the week and day reminders fell due.
    clock.current = london(2026, 3, 9, 8, 0).astimezone(dt.UTC)
    async with training_bot(tmp_path, clock) as second:
        await second.rt.tick()
        await second.rt.tick()
        came = reminders_in(second.posts())
        assert sorted(came) == [f"#training, thread of [{post.message_id}]", "direct message to amy"]
        rows = {r.key.rsplit(":", 2)[-2] + ":" + r.key.rsplit(":", 1)[1]: r for r in await second.outbox("reminder:")}
        assert rows["amy:7d"].status == "skipped"
        assert rows["amy:7d"].error == "fell due while the bot was offline and is no longer useful"
        assert rows["amy:1d"].status == "sent" and rows["amy:1h"].status == "pending"
    async with training_bot(tmp_path, clock) as third:  # and once more: nothing is sent again
        await third.rt.tick()
        assert reminders_in(third.posts()) == []


async def test_reminders_for_a_session_that_started_during_downtime_are_skipped_with_a_reason(
    tmp_path: Path, clock: FrozenClock
) -> None:
    async with training_bot(tmp_path, clock) as first:
        session = await first.add_session("2026-03-09 10:00-13:00", capacity=5)
        post = await first.announce(session.id)
        await first.reply_to(post, "g", "amy")
    clock.current = london(2026, 3, 9, 10, 5).astimezone(dt.UTC)
    async with training_bot(tmp_path, clock) as second:
        await second.rt.tick()
        assert reminders_in(second.posts()) == []
        rows = await second.outbox(f"reminder:{session.id}:")
        assert len(rows) == 6 and {r.status for r in rows} == {"skipped"}
        assert {r.error for r in rows} == {"fell due while the bot was offline and is no longer useful"}


async def test_the_offsets_setting_is_followed_and_a_change_to_it_is_picked_up(
    tmp_path: Path, clock: FrozenClock
) -> None:
    async with training_bot(tmp_path, clock, training_reminder_offsets="2d,30m") as bot:
        session = await bot.add_session("2026-03-20 10:00-13:00", capacity=5)
        post = await bot.announce(session.id)
        replies = await bot.reply_to(post, "g", "amy")
        assert "I'll remind you 2 days and 30 minutes before" in replies[-1].all_text()
        labels = {r.key.rsplit(":", 1)[1] for r in await bot.outbox(f"reminder:{session.id}:")}
        assert labels == {"2d", "30m"}
    async with training_bot(tmp_path, clock, training_reminder_offsets="1d") as changed:
        await keep_reminders_in_step(changed.ctx)
        rows = {
            r.key.rsplit(":", 1)[1] + "/" + r.key.split(":")[3]: r.status for r in await changed.outbox("reminder:")
        }
        assert rows == {
            "2d/thread": "skipped",
            "30m/thread": "skipped",
            "2d/console": "skipped",
            "30m/console": "skipped",
            "1d/thread": "pending",
            "1d/console": "pending",
        }


async def test_two_replicas_on_one_postgresql_post_each_reminder_once(
    tmp_path: Path, clock: FrozenClock, pg_database_url: str
) -> None:
    """Two runtimes (two engines, two delivery workers with different names) tick at the same
    time, and both also run the reminder job, while the reminders fall due."""
    async with (
        training_bot(tmp_path / "a", clock, pg_database_url, worker="replica-a") as a,
        training_bot(tmp_path / "b", clock, pg_database_url, clean=False, worker="replica-b") as b,
    ):
        people = [f"p{i}" for i in range(40)]
        session = await a.add_session("2026-03-20 10:00-13:00", capacity=len(people))
        post = await a.announce(session.id)
        for person in people:
            await (a if people.index(person) % 2 else b).reply_to(post, "g", person)
        for bot in (a, b):
            assert bot.rt.delivery is not None
            bot.rt.delivery.batch = 4  # small claims, so the two replicas interleave

        clock.current = london(2026, 3, 13, 10, 0).astimezone(dt.UTC)  # the week-before reminders are due
        for _ in range(3):
            await asyncio.gather(a.rt.tick(), b.rt.tick(), keep_reminders_in_step(a.ctx), keep_reminders_in_step(b.ctx))
        came = reminders_in(a.posts()) + reminders_in(b.posts())
        expected = sorted([f"direct message to {p}" for p in people] + [f"#training, thread of [{post.message_id}]"])
        assert sorted(came) == expected  # every recipient once, nobody twice
        week = [r for r in await a.outbox(f"reminder:{session.id}:") if r.key.endswith(":7d")]
        assert len(week) == len(expected) and {r.status for r in week} == {"sent"}
        assert {r.claimed_by for r in week} == {"replica-a", "replica-b"}  # both really delivered
        assert await in_tx(a.ctx.db, store.places, [session.id]) == {session.id: store.Places(going=40)}
