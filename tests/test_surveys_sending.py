"""Sending surveys: when a session ends, to whom, the follow-up, exactly one reminder, closing,
and the /survey command for trainers and admins."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import String, cast, update

from bot.runtime import Runtime
from core.clock import FrozenClock
from core.model import Reply, Target
from handlers import surveys
from storage import surveys as store
from storage import threads
from storage.models import OutboxMessage
from tests.harness import command, text_of
from tests.storage_support import in_tx
from tests.surveys_support import answer, buttons, outbox_rows, seed_session, survey_runtime

DELEGATES = [f"d{i}" for i in range(1, 9)]


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    async with survey_runtime(database_url, tmp_path, clock) as rt:
        yield rt


def advance(rt: Runtime, **delta: float) -> None:
    assert isinstance(rt.ctx.clock, FrozenClock)
    rt.ctx.clock.advance(dt.timedelta(**delta))


async def run(rt: Runtime, name: str, text: str = "", *, user: str = "trainer") -> str:
    roles = {"admin": {"admin"}, "trainer": {"trainer"}}.get(user, set())
    outcome = await rt.dispatcher.handle(command(name, text, user=user, roles=roles))
    return text_of(outcome.replies)


async def posted_by_the_platform(rt: Runtime) -> None:
    """What the delivery worker records once a platform has taken each pending post: its message id."""
    async with rt.ctx.db.transaction() as tx:
        await tx.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "pending")
            .values(status="sent", message_id="m-" + cast(OutboxMessage.id, String), sent_at=rt.ctx.now())
        )


def recipients(rows: list, kind: str = "dm") -> list[str]:  # type: ignore[type-arg]
    return sorted(r.target["user_id"] for r in rows if f":{kind}:" in r.key)


async def test_when_a_session_ends_each_attendee_and_the_thread_get_the_survey(srt: Runtime) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES, absent=["x1"], going=["d1", "r1"])
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None and survey.invited == 8 and survey.status == "open"
    rows = await outbox_rows(srt)
    assert recipients(rows) == DELEGATES  # not the absent one, nor a booking who did not come
    thread = [r for r in rows if ":thread:" in r.key]
    assert len(thread) == 1
    assert thread[0].target == {
        "kind": "thread",
        "platform": "console",
        "channel_id": "training",
        "thread_id": f"m{session_id}",
        "user_id": None,
        "message_id": None,
    }
    assert Reply.model_validate(thread[0].payload).visibility == "public"
    async with srt.ctx.db.transaction() as tx:
        owner = await threads.thread_owner(tx, platform="console", channel_id="training", thread_id=f"m{session_id}")
    assert owner is not None and (owner.feature, owner.ref) == ("surveys", str(survey.id))
    assert await in_tx(srt.ctx.db, store.ledger_size, survey.id) == 8


async def test_without_attendance_those_who_said_they_were_going_are_asked(srt: Runtime) -> None:
    session_id = await seed_session(srt, going=["r1", "r2", "r3"], announced_in=None)
    async with srt.ctx.db.transaction() as session:
        from storage.training import Rsvp

        session.add(
            Rsvp(session_id=session_id, platform="console", user_id="w1", status="waitlist", responded_at=srt.ctx.now())
        )
        session.add(
            Rsvp(session_id=session_id, platform="console", user_id="n1", status="declined", responded_at=srt.ctx.now())
        )
    await surveys.survey_rounds(srt.ctx)
    rows = await outbox_rows(srt)
    assert recipients(rows) == ["r1", "r2", "r3"]
    assert not [r for r in rows if ":thread:" in r.key]


async def test_one_round_surveys_the_sessions_with_someone_to_ask_as_one_session_alone_would(srt: Runtime) -> None:
    # The round reads who to ask for every ended session at once; each answer must be what reading
    # that session alone (store.delegates) gives.
    attended = await seed_session(srt, attendees=["a1"], absent=["a2"], going=["a3"])
    nobody_came = await seed_session(srt, absent=["b1"], going=["b2"])
    booked_only = await seed_session(srt, going=["c1", "c2"])
    nobody = await seed_session(srt)
    ids = [attended, nobody_came, booked_only, nobody]
    async with srt.ctx.db.transaction() as tx:
        alone = {i for i in ids if await store.delegates(tx, i)}
        assert await store.sessions_with_delegates(tx, ids) == alone == {attended, booked_only}
    await surveys.survey_rounds(srt.ctx)
    async with srt.ctx.db.transaction() as tx:
        assert {i for i in ids if await store.survey_for(tx, i, "post-course")} == {attended, booked_only}


async def test_sessions_still_running_or_long_past_are_not_surveyed(srt: Runtime) -> None:
    await seed_session(srt, attendees=DELEGATES, ended_ago=dt.timedelta(minutes=-30))  # ends in 30 minutes
    await seed_session(srt, attendees=DELEGATES, ended_ago=dt.timedelta(days=30))  # before the bot surveyed
    await surveys.survey_rounds(srt.ctx)
    assert await outbox_rows(srt) == []
    advance(srt, minutes=31)
    await surveys.survey_rounds(srt.ctx)
    assert len(recipients(await outbox_rows(srt))) == 8


async def test_two_workers_running_the_job_together_send_each_survey_once(
    srt: Runtime, tmp_path: Path, clock: FrozenClock
) -> None:
    await seed_session(srt, attendees=DELEGATES)
    other = await Runtime.create(srt.ctx.settings, clock=clock, console_mode=True)
    try:
        await asyncio.gather(surveys.survey_rounds(srt.ctx), surveys.survey_rounds(other.ctx))
        await asyncio.gather(surveys.survey_rounds(srt.ctx), surveys.survey_rounds(other.ctx))
    finally:
        await other.ctx.db.dispose()
    rows = await outbox_rows(srt)
    assert len(rows) == 9 and len({r.key for r in rows}) == 9
    assert len(await in_tx(srt.ctx.db, store.open_surveys)) == 1


async def test_one_reminder_goes_to_everyone_invited_and_then_no_more(srt: Runtime, clock: FrozenClock) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES)
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    for user in ("d1", "d2", "d3", "d4", "d5"):
        await answer(srt, f"{survey.id}.0.3", user=user)
    advance(srt, days=2, hours=23)
    await surveys.survey_rounds(srt.ctx)
    assert recipients(await outbox_rows(srt), "reminder") == []
    advance(srt, hours=1)
    other = await Runtime.create(srt.ctx.settings, clock=clock, console_mode=True)
    try:
        await asyncio.gather(surveys.survey_rounds(srt.ctx), surveys.survey_rounds(other.ctx))
    finally:
        await other.ctx.db.dispose()
    reminders = [r for r in await outbox_rows(srt) if ":reminder:" in r.key]
    assert recipients(reminders, "reminder") == sorted(DELEGATES)  # those who answered too: see storage
    said = Reply.model_validate(reminders[0].payload).all_text()
    assert "A gentle reminder, the only one you'll get" in said and "If you have already answered, thank you" in said
    await answer(srt, f"{survey.id}.0.3", user="d6")
    for _ in range(3):
        advance(srt, days=3)
        await surveys.survey_rounds(srt.ctx)
    assert len([r for r in await outbox_rows(srt) if ":reminder:" in r.key]) == len(DELEGATES)


async def test_a_survey_closes_by_itself_deleting_its_ledger_and_unsent_posts(srt: Runtime) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES)
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    for person in DELEGATES[:5]:  # the minimum group, so the answers are kept
        await answer(srt, f"{survey.id}.0.4", user=person)
    advance(srt, days=14)
    await surveys.survey_rounds(srt.ctx)
    closed = await in_tx(srt.ctx.db, store.get_survey, survey.id)
    assert closed is not None and closed.status == "closed" and closed.closed_at == srt.ctx.now()
    assert await in_tx(srt.ctx.db, store.ledger_size) == 0
    assert {r.status for r in await outbox_rows(srt)} == {"skipped"}  # nothing was delivered in this test
    assert await in_tx(srt.ctx.db, store.respondents, survey.id) == 5  # answers stay


async def test_closing_edits_every_posted_survey_message_the_same_way_and_leaves_no_buttons(srt: Runtime) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES)
    await surveys.survey_rounds(srt.ctx)
    await posted_by_the_platform(srt)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    await answer(srt, f"{survey.id}.0.4", user="d1")
    advance(srt, days=3)
    await surveys.survey_rounds(srt.ctx)  # the reminder, to all eight
    await posted_by_the_platform(srt)
    posted = {r.key: r for r in await outbox_rows(srt) if r.status == "sent"}
    shown = await run(srt, "survey", f"close {session_id}", user="admin")
    assert "Closed the post-course survey" in shown
    edits = [r for r in await outbox_rows(srt) if ":closed:" in r.key]
    # One edit for each delegate's message and for the thread's post, none for the reminders.
    assert sorted(r.key.split(":closed:")[1] for r in edits) == sorted(
        [f"dm:console:{d}" for d in DELEGATES] + [f"thread:{session_id}"]
    )
    for edit in edits:
        original = posted[edit.key.replace(":closed:", ":")]
        assert edit.target == {**original.target, "message_id": original.message_id}
    # Every delegate's copy says the same, whether or not they answered; nothing to press.
    direct = [Reply.model_validate(r.payload) for r in edits if ":dm:" in r.key]
    assert all(d == direct[0] for d in direct)
    closed = direct[0]
    assert closed.replace_original and not buttons(closed)
    assert "This survey closed on Thursday 5 March, so it takes no more answers." in text_of([closed])
    [thread] = [Reply.model_validate(r.payload) for r in edits if ":thread:" in r.key]
    assert thread.visibility == "public" and not buttons(thread)
    # Closing twice adds nothing.
    assert "has no open survey to close" in await run(srt, "survey", f"close {session_id}", user="admin")
    assert len([r for r in await outbox_rows(srt) if ":closed:" in r.key]) == len(edits)


async def test_a_survey_message_still_on_its_way_at_an_early_close_is_edited_once_it_is_out(srt: Runtime) -> None:
    """An outside audit: an admin closing a survey while its messages were being posted left those
    messages with live buttons (their rows were neither pending, to be dropped, nor sent, to be edited)."""
    session_id = await seed_session(srt, attendees=DELEGATES)
    await surveys.survey_rounds(srt.ctx)
    async with srt.ctx.db.transaction() as tx:  # the delivery worker has claimed them and is posting
        await tx.execute(update(OutboxMessage).where(OutboxMessage.status == "pending").values(status="claimed"))
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    assert await surveys.close_survey(srt.ctx, survey.id)
    assert [r for r in await outbox_rows(srt) if ":closed:" in r.key] == []  # nothing posted yet to edit
    [row] = [r for r in await outbox_rows(srt) if r.key.endswith(":dm:console:d3")]
    assert row.on_sent == f"surveys:{survey.id}:dm:console:d3"
    # The post lands; the delivery worker tells the survey feature, as it does for every row with on_sent.
    hook = srt.ctx.registry.sent_hooks["surveys"]
    target = Target.model_validate(row.target)
    await hook.fn(srt.ctx, row.on_sent.partition(":")[2], "console", target, "m-d3")
    [edit] = [r for r in await outbox_rows(srt) if ":closed:" in r.key]
    assert edit.key == f"survey:{survey.id}:closed:dm:console:d3"
    assert edit.target == {**row.target, "message_id": "m-d3"}
    assert "This survey closed on" in text_of([Reply.model_validate(edit.payload)])
    # Told again (a redelivered notice), nothing more is queued.
    await hook.fn(srt.ctx, row.on_sent.partition(":")[2], "console", target, "m-d3")
    assert len([r for r in await outbox_rows(srt) if ":closed:" in r.key]) == 1


async def test_two_closes_at_once_keep_the_edits_the_first_queued(srt: Runtime) -> None:
    """An outside audit: an admin's close racing the survey job's close of the same survey had the
    second close skip the edits the first had just queued, so every message kept its buttons."""
    session_id = await seed_session(srt, attendees=DELEGATES)
    await surveys.survey_rounds(srt.ctx)
    await posted_by_the_platform(srt)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    closed = await asyncio.gather(surveys.close_survey(srt.ctx, survey.id), surveys.close_survey(srt.ctx, survey.id))
    assert sorted(bool(c) for c in closed) == [False, True]  # one close did it
    edits = [r for r in await outbox_rows(srt) if ":closed:" in r.key]
    assert len(edits) == len(DELEGATES) + 1 and {r.status for r in edits} == {"pending"}


async def test_a_close_whose_transaction_fails_leaves_the_survey_ledger_and_posts_as_they_were(
    srt: Runtime,
) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES)
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    await answer(srt, f"{survey.id}.0.4", user="d1")
    before = sorted((r.key, r.status) for r in await outbox_rows(srt))

    class Stop(Exception):
        pass

    with pytest.raises(Stop):
        async with srt.ctx.db.transaction() as tx:
            assert await store.close(tx, survey.id, now=srt.ctx.now(), key=srt.ctx.settings.survey_key())
            raise Stop  # the caller's unit of work fails after the close

    still = await in_tx(srt.ctx.db, store.get_survey, survey.id)
    assert still is not None and still.status == "open" and still.closed_at is None
    assert await in_tx(srt.ctx.db, store.ledger_size, survey.id) == 8
    assert sorted((r.key, r.status) for r in await outbox_rows(srt)) == before
    assert await in_tx(srt.ctx.db, store.respondents, survey.id) == 1


async def test_the_follow_up_goes_ninety_days_after_the_session(srt: Runtime) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES)
    await surveys.survey_rounds(srt.ctx)
    advance(srt, days=89, hours=23)
    await surveys.survey_rounds(srt.ctx)
    assert await in_tx(srt.ctx.db, store.survey_for, session_id, "follow-up") is None
    advance(srt, hours=1)
    await surveys.survey_rounds(srt.ctx)
    follow_up = await in_tx(srt.ctx.db, store.survey_for, session_id, "follow-up")
    assert follow_up is not None and follow_up.invited == 8
    rows = await outbox_rows(srt, f"survey:{follow_up.id}:")
    assert recipients(rows) == DELEGATES
    assert "Three months on" in Reply.model_validate(rows[0].payload).all_text()
    async with srt.ctx.db.transaction() as tx:
        owner = await threads.thread_owner(tx, platform="console", channel_id="training", thread_id=f"m{session_id}")
    assert owner is not None and owner.ref == str(follow_up.id)


async def test_a_longer_follow_up_delay_is_honoured(tmp_path: Path, clock: FrozenClock, database_url: str) -> None:
    async with survey_runtime(database_url, tmp_path, clock, survey_follow_up_days=120) as rt:
        session_id = await seed_session(rt, attendees=DELEGATES)
        await surveys.survey_rounds(rt.ctx)
        advance(rt, days=100)
        await surveys.survey_rounds(rt.ctx)
        assert await in_tx(rt.ctx.db, store.survey_for, session_id, "follow-up") is None
        advance(rt, days=20)
        await surveys.survey_rounds(rt.ctx)
        assert await in_tx(rt.ctx.db, store.survey_for, session_id, "follow-up") is not None


# --- /survey ----------------------------------------------------------------------------------------------


async def test_survey_send_is_for_trainers(srt: Runtime) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES)
    shown = await run(srt, "survey", f"send {session_id}", user="d1")
    assert "Only trainers" in shown
    assert await outbox_rows(srt) == []


async def test_survey_send_sends_now_and_says_so_then_knows_it_was_sent(srt: Runtime) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES)
    shown = await run(srt, "survey", f"send {session_id}")
    assert "Sending the post-course survey for Basic child protection, Monday 2 March" in shown
    assert "by direct message to 8 delegates and to 1 announcement thread" in shown
    assert "closes on Monday 16 March, with one reminder on Thursday 5 March" in shown
    again = await run(srt, "survey", f"send {session_id}")
    assert "was already sent to all 8 delegates" in again
    assert len(await outbox_rows(srt)) == 9


async def test_survey_send_adds_delegates_recorded_later(srt: Runtime) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES[:6])
    await run(srt, "survey", f"send {session_id}")
    from storage.training import Attendance

    async with srt.ctx.db.transaction() as session:
        for user in ("d7", "d8"):
            session.add(
                Attendance(
                    session_id=session_id,
                    platform="console",
                    user_id=user,
                    attended=True,
                    source="trainer",
                    recorded_at=srt.ctx.now(),
                )
            )
    shown = await run(srt, "survey", f"send {session_id}")
    assert "to 8 delegates" in shown
    assert recipients(await outbox_rows(srt)) == DELEGATES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("send", "Give the session number"),
        ("send twelve", "Give the session number"),
        ("send 999", "There is no session 999"),
        ("send {id} sideways", "'sideways' is not a survey"),
        ("send {id} pre-course", "has already started, so a baseline survey would come too late"),
        ("", "Try /survey send 12"),
        ("close {id}", "Only admins"),
    ],
)
async def test_survey_command_mistakes_get_a_sentence(srt: Runtime, text: str, expected: str) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES)
    assert expected in await run(srt, "survey", text.format(id=session_id))
    assert await outbox_rows(srt) == []


async def test_survey_send_before_the_session_or_with_nobody_to_ask_explains(srt: Runtime) -> None:
    future = await seed_session(srt, attendees=DELEGATES, ended_ago=dt.timedelta(days=-2))
    assert "hasn't started yet" in await run(srt, "survey", f"send {future}")
    empty = await seed_session(srt)
    assert "Nobody has attended or said they were going" in await run(srt, "survey", f"send {empty}")
    assert await outbox_rows(srt) == []


async def test_a_baseline_with_nobody_going_yet_says_what_can_be_done_before_the_session(srt: Runtime) -> None:
    # Attendance can only be recorded once the session has started, so that is no advice here.
    unannounced = await seed_session(srt, ended_ago=dt.timedelta(days=-2), announced_in=None)
    shown = await run(srt, "survey", f"send {unannounced} pre-course")
    assert f"Nobody has replied Going to session {unannounced} yet" in shown
    assert f"Announce it (/training announce {unannounced} CHANNEL), then send the baseline survey" in shown
    assert "Record attendance" not in shown
    announced = await seed_session(srt, ended_ago=dt.timedelta(days=-2))
    shown = await run(srt, "survey", f"send {announced} pre-course")
    assert "Send the baseline survey once people have replied Going, any time before it starts (" in shown
    assert "Announce it" not in shown and "Record attendance" not in shown
    assert await outbox_rows(srt) == []


async def test_admins_close_a_survey_and_it_cannot_be_sent_again(srt: Runtime) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES)
    await run(srt, "survey", f"send {session_id}")
    shown = await run(srt, "survey", f"close {session_id}", user="admin")
    assert "Closed the post-course survey" in shown and "record of who was asked has been deleted" in shown
    assert await in_tx(srt.ctx.db, store.ledger_size) == 0
    assert "has no open survey to close" in await run(srt, "survey", f"close {session_id}", user="admin")
    assert "has closed, so it cannot be sent again" in await run(srt, "survey", f"send {session_id}")


async def test_survey_status_shows_counts_never_answers(srt: Runtime) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES)
    assert "No survey has been sent" in await run(srt, "survey", f"status {session_id}")
    await run(srt, "survey", f"send {session_id}")
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    await answer(srt, f"{survey.id}.0.4", user="d1")
    await answer(srt, f"{survey.id}.0.0", user="d2")
    shown = await run(srt, "survey", f"status {session_id}")
    assert "**Post-course survey**: 2 of 8 answered, open until Monday 16 March" in shown
    assert "Extremely" not in shown and "d1" not in shown


async def test_survey_status_of_a_session_smaller_than_the_reporting_minimum_shows_no_count(srt: Runtime) -> None:
    # an outside privacy audit: "1 of 1 answered" told the trainer that the one delegate had answered
    session_id = await seed_session(srt, attendees=["d1", "d2"])
    await run(srt, "survey", f"send {session_id}")
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    await answer(srt, f"{survey.id}.0.4", user="d1")
    shown = await run(srt, "survey", f"status {session_id}")
    assert "**Post-course survey**: 2 asked (how many answered is not shown for fewer than 5)" in shown
    assert "1 of 2" not in shown and "answered, open" not in shown


async def test_a_baseline_goes_to_bookings_before_the_session_and_closes_when_it_starts(srt: Runtime) -> None:
    session_id = await seed_session(
        srt, going=["r1", "r2"], ended_ago=dt.timedelta(days=-1), length=dt.timedelta(hours=3)
    )
    shown = await run(srt, "survey", f"send {session_id} pre-course")
    assert "Sending the baseline survey" in shown
    baseline = await in_tx(srt.ctx.db, store.survey_for, session_id, "pre-course")
    assert baseline is not None
    assert recipients(await outbox_rows(srt)) == ["r1", "r2"]
    assert "Before the course" in Reply.model_validate((await outbox_rows(srt))[0].payload).all_text()
    advance(srt, hours=21)  # the session starts 21 hours from the seeded now
    await surveys.survey_rounds(srt.ctx)
    closed = await in_tx(srt.ctx.db, store.get_survey, baseline.id)
    assert closed is not None and closed.status == "closed"


async def test_impact_with_no_responses_says_so_in_words(srt: Runtime) -> None:
    # an outside audit of issue 14 read "Only 0 responses so far"
    session_id = await seed_session(srt, attendees=DELEGATES)
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    assert await surveys.close_survey(srt.ctx, survey.id)
    shown = await run(srt, "impact", str(session_id), user="admin")
    assert "No responses so far, fewer than" in shown and "Only 0" not in shown


async def test_a_survey_closed_after_its_day_says_it_closed_on_its_day(srt: Runtime) -> None:
    """An outside audit: with the bot down (or its clock jumped) past a survey's closing day, the
    close that followed told every delegate, a late press and /survey status that it closed on
    the day the bot caught up (1 April), not the 16 March every message had given."""
    session_id = await seed_session(srt, attendees=DELEGATES)
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    await posted_by_the_platform(srt)
    advance(srt, days=30)
    await surveys.survey_rounds(srt.ctx)
    closed = await in_tx(srt.ctx.db, store.get_survey, survey.id)
    assert closed is not None and closed.status == "closed" and closed.closed_at == survey.closes_at
    day = f"{survey.closes_at.astimezone(srt.ctx.zone):%A} {survey.closes_at.astimezone(srt.ctx.zone).day}"
    edits = [Reply.model_validate(r.payload) for r in await outbox_rows(srt) if ":closed:" in r.key]
    assert edits and all(f"This survey closed on {day}" in text_of([e]) for e in edits)
    assert f"closed on {day}" in await answer(srt, f"{survey.id}.0.4", user="d1")
    assert f"closed {day}" in await run(srt, "survey", f"status {session_id}")


async def test_a_session_of_another_year_is_named_with_its_year(srt: Runtime) -> None:
    # An outside audit: a session of the year before read as "DASH risk checklist, Saturday 21 June"
    session_id = await seed_session(srt, attendees=DELEGATES, ended_ago=dt.timedelta(days=400))
    shown = await run(srt, "survey", f"status {session_id}")
    assert "No survey has been sent for" in shown and " 2025" in shown
    this_year = await seed_session(srt, attendees=DELEGATES)
    assert " 2026" not in await run(srt, "survey", f"status {this_year}")
