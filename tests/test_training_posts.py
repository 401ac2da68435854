"""Announcements stay true, on SQLite and PostgreSQL: every copy of a session's announcement is
edited (through the outbox) when the session changes, is cancelled or its places change; one
announcement per channel; notices go to the people going or waiting; a reminder already sent
is not sent again because the venue changed (a new start time: tests/test_reminders_time_change.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from core.clock import FrozenClock
from core.model import Buttons, Reply, Target
from handlers.training.posts import PRESSED_COPY_SETTLE
from storage import training as store
from storage.models import OutboxMessage
from storage.outbox import NewMessage, enqueue
from tests.harness import text_of
from tests.storage_support import in_tx
from tests.test_training_reminders import step_to
from tests.training_support import Bot, london, training_bot

WHEN = "2026-03-09 10:00-13:00"  # Monday; the test clock starts Monday 2 March 09:00


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        yield b


async def announced_in(bot: Bot, session_id: int, channels: str) -> list[store.SessionAnnouncement]:
    await bot.say(f"/training announce {session_id} {channels}")
    await bot.rt.tick()
    return await in_tx(bot.ctx.db, store.announcements, session_id)


def post_of(output: str, number: str) -> list[str]:
    """Each showing of console message [number] (first posted, then each update), in order."""
    return [
        chunk
        for chunk in output.split("\n\n")
        if chunk.startswith((f"[{number}] ", f"[updated {number}] ")) and "==" in chunk
    ]


def labels(reply: Reply) -> list[str]:
    return [b.label for block in reply.blocks if isinstance(block, Buttons) for b in block.buttons]


# --- every copy is edited -------------------------------------------------------------------------


async def test_an_edit_updates_every_copy_at_once_and_the_one_still_waiting_to_go_out(bot: Bot) -> None:
    session = await bot.add_session(WHEN)
    # Two console channels are posted at once; Slack is not connected, so that post waits.
    a, b, slack = await announced_in(bot, session.id, "training safeguarding slack:C0123ABC")
    assert a.message_id and b.message_id and slack.message_id is None

    form = {"when": "2026-03-09 14:00-17:00", "capacity": "2", "where": "Gun Wharf, Chatham", "trainer": ""}
    outcome = await bot.submit("training:edit", form, value=str(session.id))
    assert outcome.form_errors is None
    await bot.rt.tick()

    out = bot.posts()
    for copy in (a, b):
        first, *updates = post_of(out, str(copy.message_id))
        assert "When: Monday 9 March 2026, 10:00–13:00" in first
        assert len(updates) == 1 and "When: Monday 9 March 2026, 14:00–17:00" in updates[0]
    edits = await bot.outbox(f"announce-edit:{session.id}:")
    assert sorted((r.key, r.status) for r in edits) == [
        (f"announce-edit:{session.id}:console:safeguarding:2:1", "sent"),
        (f"announce-edit:{session.id}:console:training:2:1", "sent"),
    ]
    # The Slack post has not gone out yet: it will go out showing the new time.
    [waiting] = await bot.outbox(f"training:announce:{slack.id}")
    assert waiting.status == "pending"
    assert "14:00–17:00" in text_of([Reply.model_validate(waiting.payload)])


async def test_an_edit_that_changes_nothing_edits_no_copy(bot: Bot) -> None:
    # an outside walkthrough: "25 places" typed over 25 said "Nothing changed." and edited both posts
    session = await bot.add_session(WHEN, capacity=25)
    await announced_in(bot, session.id, "training safeguarding")
    before = len(bot.posts())
    outcome = await bot.submit("training:edit", {"capacity": "twenty five places"}, value=str(session.id))
    assert text_of(outcome.replies).splitlines()[1:] == ["Nothing changed."]
    await bot.rt.tick()
    assert len(bot.posts()) == before and not await bot.outbox(f"announce-edit:{session.id}:")


async def test_a_cancel_updates_every_copy_so_none_offers_join_waitlist(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=1)
    a, b = await announced_in(bot, session.id, "training safeguarding")
    await bot.reply_to(a, "g", "amy")  # full: the posts now offer Join waitlist
    await bot.rt.tick()
    assert "Join waitlist" in post_of(bot.posts(), str(b.message_id))[-1]

    await bot.say(f"/training cancel {session.id} the room flooded")
    await bot.rt.tick()
    for copy in (a, b):
        latest = post_of(bot.posts(), str(copy.message_id))[-1]
        assert "This session has been cancelled." in latest
        assert "Join waitlist" not in latest and "Going" not in latest and "[1]" not in latest


async def test_every_copy_closes_its_replies_when_the_session_starts(bot: Bot, clock: FrozenClock) -> None:
    # An outside audit: after the session, and its survey, the post still offered "4 of 5 places
    # left", Going and Can't go; a press then said replies were closed
    session = await bot.add_session(WHEN, capacity=5)
    a, b = await announced_in(bot, session.id, "training safeguarding")
    await bot.reply_to(a, "g", "amy")
    await step_to(bot, clock, london(2026, 3, 9, 9, 59))
    assert "Going" in post_of(bot.posts(), str(b.message_id))[-1]
    await step_to(bot, clock, london(2026, 3, 9, 10, 0))
    for copy in (a, b):
        latest = post_of(bot.posts(), str(copy.message_id))[-1]
        assert "This session has started, so replies are closed." in latest
        assert "Going" not in latest and "Places" not in latest and "places left" not in latest
    closing = await bot.outbox(f"announce-close:{session.id}:")
    assert sorted((r.key, r.status) for r in closing) == [
        (f"announce-close:{session.id}:console:safeguarding:1:1", "sent"),
        (f"announce-close:{session.id}:console:training:1:1", "sent"),
    ]


async def test_a_moved_or_cancelled_session_closes_its_posts_at_the_new_start_or_not_at_all(
    bot: Bot, clock: FrozenClock
) -> None:
    session = await bot.add_session(WHEN)
    [a] = await announced_in(bot, session.id, "training")
    form = {"when": "2026-03-09 14:00-17:00", "capacity": "2", "where": "Gun Wharf, Chatham", "trainer": ""}
    assert (await bot.submit("training:edit", form, value=str(session.id))).form_errors is None
    await step_to(bot, clock, london(2026, 3, 9, 10, 30))  # the old start: still open
    assert "Going" in post_of(bot.posts(), str(a.message_id))[-1]
    await step_to(bot, clock, london(2026, 3, 9, 14, 0))
    assert "replies are closed" in post_of(bot.posts(), str(a.message_id))[-1]

    other = await bot.add_session("2026-03-10 10:00-13:00")
    [c] = await announced_in(bot, other.id, "safeguarding")
    await bot.say(f"/training cancel {other.id} the room flooded")
    await step_to(bot, clock, london(2026, 3, 10, 10, 0))
    latest = post_of(bot.posts(), str(c.message_id))[-1]
    assert "This session has been cancelled." in latest and "replies are closed" not in latest
    assert {r.status for r in await bot.outbox(f"announce-close:{other.id}:")} == {"skipped"}


async def test_the_closing_edit_shows_the_session_as_it_is_at_the_start(bot: Bot, clock: FrozenClock) -> None:
    # A review: a trainer changed after the post (which moves no version) came back as the old one
    # when the closing edit, made beforehand, went out
    session = await bot.add_session(WHEN, capacity=5)
    [a] = await announced_in(bot, session.id, "training")
    form = {"when": WHEN, "capacity": "5", "where": "Gun Wharf, Chatham", "trainer": "console:zed"}
    assert (await bot.submit("training:edit", form, value=str(session.id))).form_errors is None
    await bot.rt.tick()
    assert "Trainer: zed" in post_of(bot.posts(), str(a.message_id))[-1]
    await step_to(bot, clock, london(2026, 3, 9, 10, 0))
    closed = post_of(bot.posts(), str(a.message_id))[-1]
    assert "replies are closed" in closed and "Trainer: zed" in closed


async def test_a_press_just_before_the_start_does_not_reopen_the_closed_post(bot: Bot, clock: FrozenClock) -> None:
    # A review: the pressed copy's follow-up edit, due seconds after the press, landed after the
    # start with Going and places left, for good
    session = await bot.add_session(WHEN, capacity=5)
    [a] = await announced_in(bot, session.id, "training")
    await step_to(bot, clock, london(2026, 3, 9, 9, 59) + dt.timedelta(seconds=58))
    await bot.reply_to(a, "g", "amy")
    for later in (0, 30, 600):
        await step_to(bot, clock, london(2026, 3, 9, 10, 0) + dt.timedelta(seconds=later))
        latest = post_of(bot.posts(), str(a.message_id))[-1]
        assert "replies are closed" in latest and "Going" not in latest, later


async def test_a_reply_on_one_copy_updates_the_other_copies_too(bot: Bot, clock: FrozenClock) -> None:
    session = await bot.add_session(WHEN)
    a, b = await announced_in(bot, session.id, "training safeguarding")
    pressed_at = clock.now()
    replies = await bot.reply_to(a, "g", "amy")
    assert replies[0].replace_original  # the pressed copy is updated in place, as before
    await bot.rt.tick()
    [first, update] = post_of(bot.posts(), str(b.message_id))
    assert "Places: 2 of 2 places left" in first and "Places: 1 of 2 places left" in update
    # ... and, in case that update failed or lands late (an outside audit), the pressed copy gets
    # the same content through the outbox a little later, as the last word.
    edits = {r.key: r for r in await bot.outbox(f"announce-edit:{session.id}:")}
    pressed_copy = f"announce-edit:{session.id}:console:training:1:1"
    assert sorted(edits) == [f"announce-edit:{session.id}:console:safeguarding:1:1", pressed_copy]
    assert edits[pressed_copy].due_at == pressed_at + PRESSED_COPY_SETTLE
    clock.advance(PRESSED_COPY_SETTLE)
    await bot.rt.tick()
    assert "Places: 1 of 2 places left" in post_of(bot.posts(), str(a.message_id))[-1]
    # A reply that changes no places (Can't go from someone not going) edits nothing.
    await bot.reply_to(b, "n", "ben")
    assert len(await bot.outbox(f"announce-edit:{session.id}:")) == 2


async def test_an_edit_soon_after_a_press_is_also_the_pressed_copys_last_word(bot: Bot, clock: FrozenClock) -> None:
    """An outside audit: a press's in-place update that reached the platform late (1.5 s) undid
    the trainer's newer edit of that copy. The pressed copy's own later edit, when a newer edit
    replaces it, is replaced at the same moment, with the newer content."""
    session = await bot.add_session(WHEN)
    [a] = await announced_in(bot, session.id, "training")
    pressed_at = clock.now()
    await bot.reply_to(a, "g", "amy")
    clock.advance(dt.timedelta(seconds=1))
    form = {"when": "2026-03-09 14:00-17:00", "capacity": "2", "where": "Gun Wharf, Chatham", "trainer": ""}
    assert (await bot.submit("training:edit", form, value=str(session.id))).form_errors is None
    edits = await bot.outbox(f"announce-edit:{session.id}:")
    waiting = sorted((r for r in edits if r.status == "pending"), key=lambda r: r.due_at)
    assert [r.due_at for r in waiting] == [clock.now(), pressed_at + PRESSED_COPY_SETTLE]
    assert all("14:00" in text_of([Reply.model_validate(r.payload)]) for r in waiting)
    clock.advance(PRESSED_COPY_SETTLE)
    await bot.rt.tick()
    assert "14:00" in post_of(bot.posts(), str(a.message_id))[-1]


async def test_a_newer_edit_replaces_an_older_one_still_waiting(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=5)
    [a] = await announced_in(bot, session.id, "training")
    for places in ("6", "7"):
        form = {"when": WHEN, "capacity": places, "where": "Gun Wharf, Chatham", "trainer": ""}
        assert (await bot.submit("training:edit", form, value=str(session.id))).form_errors is None
    await bot.rt.tick()
    rows = {r.key: r for r in await bot.outbox(f"announce-edit:{session.id}:")}
    older, newer = (
        rows[f"announce-edit:{session.id}:console:training:1:1"],
        rows[f"announce-edit:{session.id}:console:training:1:2"],
    )
    assert (older.status, older.error, newer.status) == ("skipped", "replaced by a newer edit", "sent")
    [_first, update] = post_of(bot.posts(), str(a.message_id))
    assert "Places: 7 of 7 places left" in update


async def test_a_post_that_went_out_while_the_session_changed_is_corrected(bot: Bot) -> None:
    """The edit is saved after the post was claimed for sending but before it was recorded."""
    session = await bot.add_session(WHEN)
    await bot.say(f"/training announce {session.id} training")
    [announcement] = await in_tx(bot.ctx.db, store.announcements, session.id)
    async with bot.ctx.db.transaction() as s:  # the claimed post still carries the old details
        await s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key == f"training:announce:{announcement.id}")
            .values(status="claimed")
        )
    form = {"when": "2026-03-09 15:00-18:00", "capacity": "2", "where": "Gun Wharf, Chatham", "trainer": ""}
    await bot.submit("training:edit", form, value=str(session.id))
    async with bot.ctx.db.transaction() as s:
        await s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key == f"training:announce:{announcement.id}")
            .values(status="pending")
        )
    await bot.rt.tick()
    await bot.rt.tick()
    [announcement] = await in_tx(bot.ctx.db, store.announcements, session.id)
    shown = post_of(bot.posts(), str(announcement.message_id))
    assert "10:00–13:00" in shown[0] and "15:00–18:00" in shown[-1]


async def test_a_new_sessions_post_asks_to_ping_the_announce_role_and_its_edits_do_not(bot: Bot) -> None:
    """On Discord the first post pings DISCORD_ANNOUNCE_ROLE_ID when it is set (the adapter's
    renderer decides); an edit of the post must not ping the role a second time."""
    session = await bot.add_session(WHEN)
    await bot.say(f"/training announce {session.id} training")
    [announcement] = await in_tx(bot.ctx.db, store.announcements, session.id)
    async with bot.ctx.db.transaction() as s:
        first = await s.scalar(select(OutboxMessage).where(OutboxMessage.key == f"training:announce:{announcement.id}"))
        assert first is not None and first.payload.get("ping_announce_role") is True
    await bot.rt.tick()  # posted: a change now edits it
    form = {"when": "2026-03-09 15:00-18:00", "capacity": "2", "where": "Gun Wharf, Chatham", "trainer": ""}
    await bot.submit("training:edit", form, value=str(session.id))
    async with bot.ctx.db.transaction() as s:
        edits = (
            await s.scalars(select(OutboxMessage).where(OutboxMessage.key.startswith(f"announce-edit:{session.id}:")))
        ).all()
    assert edits and not any(e.payload.get("ping_announce_role") for e in edits)


# --- one announcement per channel ------------------------------------------------------------------


async def test_a_second_announcement_in_the_same_channel_is_refused_saying_where_it_went(bot: Bot) -> None:
    session = await bot.add_session(WHEN)
    [first] = await announced_in(bot, session.id, "training")
    again = await bot.text(f"/training announce {session.id} training")
    assert again.startswith(
        f"Session {session.id} is already announced in console:training (message {first.message_id}); "
        "a second post there would only repeat it"
    )
    # A list with a new channel posts only there, and says which it left alone.
    mixed = await bot.text(f"/training announce {session.id} training news")
    assert "Announcing session **1** in console:news." in mixed and "not posting there again" in mixed
    await bot.rt.tick()
    assert [(a.channel_id) for a in await in_tx(bot.ctx.db, store.announcements, session.id)] == ["training", "news"]
    # "again" is no channel (an outside audit: the console made a channel called "again")
    refused = await bot.text(f"/training announce {session.id} training again")
    assert "nothing to post again" in refused
    assert len(await in_tx(bot.ctx.db, store.announcements, session.id)) == 2
    assert bot.posts().count("\n  == Recognising and responding to neglect ==") == 2


async def test_an_announcement_whose_post_failed_can_be_made_again(bot: Bot) -> None:
    session = await bot.add_session(WHEN)
    await bot.say(f"/training announce {session.id} slack:C0GONE")
    [gone] = await in_tx(bot.ctx.db, store.announcements, session.id)
    async with bot.ctx.db.transaction() as s:
        await s.execute(
            update(OutboxMessage).where(OutboxMessage.key == f"training:announce:{gone.id}").values(status="failed")
        )
    text = await bot.text(f"/training announce {session.id} slack:C0GONE")
    assert text.startswith("Announcing session **1** in slack:C0GONE.")
    assert [a.id for a in await in_tx(bot.ctx.db, store.announcements, session.id)] == [gone.id]
    [row] = await bot.outbox(f"training:announce:{gone.id}")
    assert (row.status, row.attempts, row.error) == ("pending", 0, None)
    # While it waits to go out, a third try says where it is.
    assert "is already announced in slack:C0GONE (waiting to be posted)" in await bot.text(
        f"/training announce {session.id} slack:C0GONE"
    )


# --- who is told, and with what ---------------------------------------------------------------------


async def test_notices_go_to_people_going_or_waiting_and_a_cancellation_has_no_calendar_button(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=1)
    [post] = await announced_in(bot, session.id, "training")
    await bot.reply_to(post, "g", "amy")
    await bot.reply_to(post, "w", "ben")
    await bot.reply_to(post, "n", "cal")
    await bot.say(f"/training cancel {session.id}")
    notices = await bot.outbox(f"training:cancelled:{session.id}:")
    told = sorted(r.key.rsplit(":", 1)[1] for r in notices if ":thread:" not in r.key)
    assert told == ["amy", "ben"]  # cal had said Can't go
    for row in notices:
        assert "Add to calendar" not in labels(Reply.model_validate(row.payload))
        assert "Can't go" not in labels(Reply.model_validate(row.payload))


# --- reminders after a change ----------------------------------------------------------------------


async def test_a_reminder_already_sent_is_not_sent_again_after_the_venue_changes(bot: Bot, clock: FrozenClock) -> None:
    session = await bot.add_session(WHEN)
    [post] = await announced_in(bot, session.id, "training")
    await bot.reply_to(post, "g", "amy")
    assert sorted(await step_to(bot, clock, london(2026, 3, 2, 10, 0))) == [
        "#training, thread of [1]",
        "direct message to amy",
    ]  # the week-before reminder
    form = {"when": WHEN, "capacity": "2", "where": "Council offices, Chatham", "trainer": ""}
    assert (await bot.submit("training:edit", form, value=str(session.id))).form_errors is None
    assert await step_to(bot, clock, london(2026, 3, 2, 14, 30)) == []  # the change notice said it all
    assert len(await step_to(bot, clock, london(2026, 3, 8, 10, 0))) == 2  # the day-before one still comes


async def test_a_reminder_is_sent_again_when_the_session_moves_to_another_day(bot: Bot, clock: FrozenClock) -> None:
    session = await bot.add_session(WHEN)
    [post] = await announced_in(bot, session.id, "training")
    await bot.reply_to(post, "g", "amy")
    assert len(await step_to(bot, clock, london(2026, 3, 2, 10, 0))) == 2
    form = {"when": "2026-03-16 10:00-13:00", "capacity": "2", "where": "Gun Wharf, Chatham", "trainer": ""}
    assert (await bot.submit("training:edit", form, value=str(session.id))).form_errors is None
    came = await step_to(bot, clock, london(2026, 3, 9, 10, 0))
    assert sorted(came) == ["#training, thread of [1]", "direct message to amy"]


async def test_a_reminder_waiting_to_go_out_when_a_change_is_saved_is_still_sent_once(
    bot: Bot, clock: FrozenClock
) -> None:
    session = await bot.add_session(WHEN)
    [post] = await announced_in(bot, session.id, "training")
    await bot.reply_to(post, "g", "amy")
    clock.current = london(2026, 3, 2, 10, 0).astimezone(dt.UTC)  # due, but not yet delivered
    form = {"when": WHEN, "capacity": "2", "where": "Medway Council, Gun Wharf", "trainer": ""}
    assert (await bot.submit("training:edit", form, value=str(session.id))).form_errors is None
    before = len(bot.posts())
    await bot.rt.tick()
    sent = bot.posts()[before:]
    assert sent.count("Reminder:") == 2 and "Medway Council, Gun Wharf" in sent.split("Reminder:")[1]
    assert await step_to(bot, clock, london(2026, 3, 2, 11, 0)) == []


# --- storage, on both databases -------------------------------------------------------------------


async def test_a_pending_post_gets_new_content_and_a_claimed_one_does_not(bot: Bot) -> None:
    db = bot.ctx.db
    now = bot.ctx.clock.now()
    target = Target(kind="channel", platform="slack", channel_id="C1").model_dump(mode="json")
    async with db.transaction() as tx:
        await enqueue(
            tx,
            [
                NewMessage(key=k, platform="slack", target=target, payload={"blocks": []}, due_at=now)
                for k in ("t:pending", "t:claimed")
            ],
            now=now,
        )
    async with db.transaction() as s:
        await s.execute(update(OutboxMessage).where(OutboxMessage.key == "t:claimed").values(status="claimed"))
    new: dict[str, object] = {"blocks": [{"type": "text", "text": "new"}]}
    async with db.transaction() as s:
        assert await store.replace_pending_payload(s, "t:pending", new)
        assert not await store.replace_pending_payload(s, "t:claimed", new)
    async with db.transaction() as s:
        assert await store.outbox_payload(s, "t:pending") == ("pending", new)
        assert await store.outbox_payload(s, "t:claimed") == ("claimed", {"blocks": []})
        slots = await store.outbox_slots(s, "t:")
        assert sorted((k, st, due == now) for k, st, due in slots) == [
            ("t:claimed", "claimed", True),
            ("t:pending", "pending", True),
        ]


async def test_two_replicas_on_one_postgresql_edit_each_copy_once(
    tmp_path: Path, clock: FrozenClock, pg_database_url: str
) -> None:
    """Both replicas tick at once after a change: each copy of the announcement is edited by
    one of them, once."""
    async with (
        training_bot(tmp_path / "a", clock, pg_database_url, worker="replica-a") as a,
        training_bot(tmp_path / "b", clock, pg_database_url, clean=False, worker="replica-b") as b,
    ):
        session = await a.add_session(WHEN, capacity=40)
        copies = await announced_in(a, session.id, " ".join(f"room{i}" for i in range(6)))
        for bot in (a, b):
            assert bot.rt.delivery is not None
            bot.rt.delivery.batch = 2  # small claims, so the two replicas interleave
        form = {"when": "2026-03-09 14:00-17:00", "capacity": "40", "where": "Gun Wharf, Chatham", "trainer": ""}
        assert (await b.submit("training:edit", form, value=str(session.id))).form_errors is None
        for _ in range(3):
            await asyncio.gather(a.rt.tick(), b.rt.tick())
        updated = [
            chunk
            for chunk in (a.posts() + "\n\n" + b.posts()).split("\n\n")
            if chunk.startswith("[updated ") and "14:00–17:00" in chunk
        ]
        assert sorted(chunk.split("]")[0] for chunk in updated) == sorted(
            f"[updated {c.message_id}" for c in copies
        )  # every copy once, none twice
        edits = await a.outbox(f"announce-edit:{session.id}:")
        assert len(edits) == len(copies) and {r.status for r in edits} == {"sent"}


async def test_a_session_saved_with_a_channel_slack_cannot_post_to_says_so_and_how_to_name_one(bot: Bot) -> None:
    """An import or an earlier version kept `slack:training`, a name: Slack posts only to ids."""
    session = await bot.add_session(WHEN)
    async with bot.ctx.db.transaction() as tx:
        await tx.execute(update(store.TrainingSession).values(channels="slack:training"))
    said = await bot.text(f"/training announce {session.id}")
    assert said.startswith(f"Session {session.id} was saved with a channel I can't post in.")
    assert "slack:training" in said and f"/training announce {session.id} #news" in said
    assert not await in_tx(bot.ctx.db, store.announcements, session.id)


async def test_one_save_that_moves_the_time_and_adds_places_tells_the_promoted_they_are_going(bot: Bot) -> None:
    """An outside audit: Bob, waitlisted, was told "you're still number 1 on the waitlist" and
    then "a place has opened up... it's yours" by one save."""
    session = await bot.add_session(WHEN, capacity=1)
    [a] = await announced_in(bot, session.id, "training")
    await bot.reply_to(a, "g", "amy")
    await bot.reply_to(a, "g", "bob")  # full: Bob is waitlisted
    await bot.rt.tick()
    before = len(bot.posts())
    form = {"when": "2026-03-09 14:00-17:00", "capacity": "2", "where": "Gun Wharf, Chatham", "trainer": ""}
    assert (await bot.submit("training:edit", form, value=str(session.id))).form_errors is None
    await bot.rt.tick()
    to_bob = [block for block in bot.posts()[before:].split("\n[") if "to bob" in block]
    assert any("it's yours" in block for block in to_bob), to_bob
    assert not any("waitlist" in block.lower() for block in to_bob), to_bob
