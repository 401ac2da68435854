"""Training posts stay true when a change meets a post already on its way, on SQLite and
PostgreSQL: an announcement edit or a reminder a worker has taken (and that then fails, is rate
limited, or whose worker is killed) never goes out later with the old details; a replica whose
clock is fast loses no reminder; edits of a session announced months ahead keep coming after
housekeeping has deleted the old ones.

The platform is a fake Slack at the adapter boundary: it keeps every post and edit the delivery
worker hands it, and can hold a send until the test lets it go, then fail it."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from bot.adapters.base import DeliveryError
from core.clock import FrozenClock, SystemClock
from core.model import Buttons, Reply, RequestKind, Target
from handlers.training import keep_reminders_in_step
from handlers.training.posts import PRESSED_COPY_SETTLE
from storage import outbox
from storage import training as store
from storage.models import OutboxMessage
from tests.storage_support import in_tx
from tests.training_support import Bot, london, training_bot

WHEN = "2026-03-09 10:00-13:00"  # Monday; the test clock starts Monday 2 March 09:00 UTC
CANCELLED = "This session has been cancelled."
LEASE = dt.timedelta(seconds=120)  # the default OUTBOX_LEASE_SECONDS


@dataclass
class Sent:
    key: str | None
    target: Target
    message_id: str
    text: str
    buttons: list[str]
    edit: bool


@dataclass
class Hold:
    """The next `count` sends whose key starts with `prefix` wait until `release` is set, then
    raise `error` (or go through when it is None)."""

    prefix: str
    error: DeliveryError | None
    count: int
    waiting: int = 0
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def takes(self, key: str | None) -> bool:
        return self.waiting < self.count and (key or "").startswith(self.prefix)

    async def entered(self) -> None:
        async with asyncio.timeout(10):
            while self.waiting < self.count:
                await asyncio.sleep(0.01)


class FakeSlack:
    """What Slack received from the delivery worker, and what each message shows now. One
    instance can serve several replicas, as one Slack workspace does."""

    platform = "slack"

    def __init__(self) -> None:
        self.log: list[Sent] = []
        self.shown: dict[str, Sent] = {}
        self.holds: list[Hold] = []

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def is_connected(self) -> bool:
        return True

    def hold(self, prefix: str, error: DeliveryError | None = None, *, count: int = 1) -> Hold:
        held = Hold(prefix, error, count)
        self.holds.append(held)
        return held

    async def send(self, target: Target, reply: Reply, *, key: str | None = None, redelivery: bool = False) -> str:
        held = next((h for h in self.holds if h.takes(key)), None)
        if held is not None:
            held.waiting += 1
            await held.release.wait()
            if held.error is not None:
                raise held.error
        edit = target.kind == "thread" and reply.replace_original
        message_id = str(target.thread_id) if edit else f"m{len(self.log) + 1}"
        buttons = [b.label for block in reply.blocks if isinstance(block, Buttons) for b in block.buttons]
        sent = Sent(key, target, message_id, reply.all_text(), buttons, edit)
        self.log.append(sent)
        self.shown[message_id] = sent
        return message_id

    def edits_of(self, message_id: str) -> list[Sent]:
        return [s for s in self.log if s.edit and s.message_id == message_id]

    def to_person(self, user_id: str) -> list[Sent]:
        return [s for s in self.log if s.target.kind == "direct" and s.target.user_id == user_id]

    def reminders(self) -> list[Sent]:
        return [s for s in self.log if "Reminder:" in s.text]


def with_slack(bot: Bot, slack: FakeSlack, worker: str) -> None:
    bot.rt.add_adapter(slack)  # type: ignore[arg-type]
    bot.rt.prepare_workers()  # a worker that also posts to Slack
    assert bot.rt.delivery is not None
    bot.rt.delivery.name = worker


async def announced_on_slack(bot: Bot, session_id: int) -> store.SessionAnnouncement:
    await bot.say(f"/training announce {session_id} slack:C0TRAIN")
    await bot.rt.tick()
    [copy] = await in_tx(bot.ctx.db, store.announcements, session_id, posted_only=True)
    return copy


async def going_on_slack(bot: Bot, copy: store.SessionAnnouncement, user: str) -> None:
    """`user` presses Going on the Slack copy."""
    await bot.handle(
        bot._request(
            user,
            kind=RequestKind.ACTION,
            action_id="training:rsvp",
            value=f"{copy.session_id}:g",
            message_id=copy.message_id,
            channel_id=copy.channel_id,
            platform="slack",
        )
    )


async def killed_worker_claims(bot: Bot, clock: FrozenClock) -> list[str]:
    """What a replica killed with -9 right after claiming leaves: rows claimed, never posted."""
    rows = await in_tx(
        bot.ctx.db,
        outbox.claim_due,
        worker="killed",
        travel=clock.now() - outbox.real_now(),
        lease=LEASE,
        platforms=["slack"],
    )
    return [r.key for r in rows]


@pytest.fixture
def slack() -> FakeSlack:
    return FakeSlack()


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str, slack: FakeSlack) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        with_slack(b, slack, "replica-a")
        yield b


# --- an announcement edit on its way when the session is cancelled ----------------------------------


async def test_an_edit_that_fails_while_the_session_is_cancelled_never_brings_the_going_button_back(
    bot: Bot, clock: FrozenClock, slack: FakeSlack
) -> None:
    session = await bot.add_session(WHEN, capacity=2)
    copy = await announced_on_slack(bot, session.id)
    await bot.press("training:rsvp", f"{session.id}:g", user="amy")  # on another copy: Slack's gets an edit
    slow = slack.hold("announce-edit:", DeliveryError("Slack refused the post: internal_error (HTTP 500)"))
    delivering = asyncio.create_task(bot.rt.delivery.deliver_due())  # type: ignore[union-attr]
    await slow.entered()
    await bot.say(f"/training cancel {session.id} the room flooded")
    slow.release.set()
    await delivering
    await bot.rt.tick()
    clock.advance(LEASE + dt.timedelta(seconds=10))  # well past the failed edit's retry time
    await bot.rt.tick()

    assert copy.message_id is not None
    final = slack.shown[copy.message_id]
    assert CANCELLED in final.text and final.buttons == []
    edits = [e.text for e in slack.edits_of(copy.message_id)]
    assert edits and all(CANCELLED in text for text in edits)  # the failed edit was never tried again
    [places] = [r for r in await bot.outbox(f"announce-edit:{session.id}:") if r.key.endswith(":1:1")]
    assert (places.status, places.error) == ("skipped", "replaced by a newer edit")


async def test_an_edit_held_by_a_killed_replica_is_not_posted_after_the_cancellation(
    bot: Bot, clock: FrozenClock, slack: FakeSlack
) -> None:
    session = await bot.add_session(WHEN, capacity=2)
    copy = await announced_on_slack(bot, session.id)
    await bot.press("training:rsvp", f"{session.id}:g", user="amy")
    assert await killed_worker_claims(bot, clock) == [f"announce-edit:{session.id}:slack:C0TRAIN:1:1"]
    await bot.say(f"/training cancel {session.id} the room flooded")
    await bot.rt.tick()
    clock.advance(LEASE + dt.timedelta(seconds=10))  # the dead replica's claim runs out
    await bot.rt.tick()

    assert copy.message_id is not None
    edits = slack.edits_of(copy.message_id)
    assert edits and all(CANCELLED in e.text and e.buttons == [] for e in edits)
    assert "1 of 2 places left" not in "".join(e.text for e in edits)


async def test_an_older_edit_landing_late_on_another_replica_is_followed_by_the_newest_again(
    tmp_path: Path, clock: FrozenClock, pg_database_url: str, slack: FakeSlack
) -> None:
    """Replica A is still posting the places edit when B saves the cancellation and posts its
    edit; A's lands last. The cancellation goes again once A's claim has run out."""
    async with (
        training_bot(tmp_path / "a", clock, pg_database_url) as a,
        training_bot(tmp_path / "b", clock, pg_database_url, clean=False) as b,
    ):
        with_slack(a, slack, "replica-a")
        with_slack(b, slack, "replica-b")
        session = await a.add_session(WHEN, capacity=2)
        copy = await announced_on_slack(a, session.id)
        assert copy.message_id is not None
        await a.press("training:rsvp", f"{session.id}:g", user="amy")
        slow = slack.hold("announce-edit:")
        delivering = asyncio.create_task(a.rt.delivery.deliver_due())  # type: ignore[union-attr]
        await slow.entered()
        await b.say(f"/training cancel {session.id} the room flooded")
        await b.rt.tick()
        assert CANCELLED in slack.shown[copy.message_id].text
        slow.release.set()
        await delivering
        assert "1 of 2 places left" in slack.shown[copy.message_id].text  # A's old edit landed last

        clock.advance(LEASE + dt.timedelta(seconds=1))
        await asyncio.gather(a.rt.tick(), b.rt.tick())
        final = slack.shown[copy.message_id]
        assert CANCELLED in final.text and final.buttons == []
        assert [CANCELLED in e.text for e in slack.edits_of(copy.message_id)] == [True, False, True]


# --- a reminder on its way when the session is cancelled or moved -----------------------------------


@pytest.mark.parametrize("ending", ["rate limited", "worker killed"])
async def test_a_reminder_on_its_way_when_the_session_is_cancelled_is_not_sent(
    bot: Bot, clock: FrozenClock, slack: FakeSlack, ending: str
) -> None:
    session = await bot.add_session(WHEN, capacity=5)
    copy = await announced_on_slack(bot, session.id)
    await going_on_slack(bot, copy, "U0AMY")
    clock.advance(PRESSED_COPY_SETTLE)
    await bot.rt.tick()  # the pressed copy's last word (refresh_posts) is delivered too
    clock.current = london(2026, 3, 2, 10, 0).astimezone(dt.UTC)  # the week-before reminders are due
    if ending == "rate limited":
        rate_limited = DeliveryError("Slack refused the post: ratelimited", retry_after=30)
        limited = slack.hold("reminder:", rate_limited, count=2)  # the thread's and Amy's
        delivering = asyncio.create_task(bot.rt.delivery.deliver_due())  # type: ignore[union-attr]
        await limited.entered()
        await bot.say(f"/training cancel {session.id} trainer ill")
        limited.release.set()
        await delivering
    else:
        assert len(await killed_worker_claims(bot, clock)) == 2
        await bot.say(f"/training cancel {session.id} trainer ill")
    await bot.rt.tick()
    clock.advance(LEASE + dt.timedelta(seconds=10))  # past the retry, and the dead replica's claim
    await bot.rt.tick()

    assert slack.reminders() == []
    [notice] = slack.to_person("U0AMY")
    assert "has been cancelled. Reason: trainer ill." in notice.text
    rows = await bot.outbox(f"reminder:{session.id}:")
    assert rows and {(r.status, r.error) for r in rows} == {("skipped", "not needed: the session was cancelled")}


async def test_a_reminder_on_its_way_when_the_time_moves_comes_once_with_the_new_time(
    bot: Bot, clock: FrozenClock, slack: FakeSlack
) -> None:
    session = await bot.add_session(WHEN, capacity=5)
    copy = await announced_on_slack(bot, session.id)
    await going_on_slack(bot, copy, "U0AMY")
    await bot.rt.tick()
    clock.current = london(2026, 3, 2, 10, 0).astimezone(dt.UTC)
    rate_limited = DeliveryError("Slack refused the post: ratelimited", retry_after=30)
    limited = slack.hold("reminder:", rate_limited, count=2)
    delivering = asyncio.create_task(bot.rt.delivery.deliver_due())  # type: ignore[union-attr]
    await limited.entered()
    form = {"when": "2026-03-09 14:00-17:00", "capacity": "5", "where": "Gun Wharf, Chatham", "trainer": ""}
    assert (await bot.submit("training:edit", form, value=str(session.id))).form_errors is None
    limited.release.set()
    await delivering
    await bot.rt.delivery.deliver_due()  # type: ignore[union-attr]
    clock.advance(dt.timedelta(seconds=40))  # past the time Slack asked to wait
    await bot.rt.delivery.deliver_due()  # type: ignore[union-attr]
    clock.current = london(2026, 3, 2, 14, 0).astimezone(dt.UTC)  # the new time's week-before reminder
    await bot.rt.tick()
    clock.current = london(2026, 3, 2, 18, 0).astimezone(dt.UTC)
    await bot.rt.tick()

    notice, reminder = slack.to_person("U0AMY")
    assert "has changed: the time" in notice.text and "14:00–17:00" in notice.text
    assert "**Reminder:**" in reminder.text and "14:00–17:00" in reminder.text
    assert [r.target.kind for r in slack.reminders()] == ["thread", "direct"]  # once each, none old
    assert all("10:00–13:00" not in r.text for r in slack.reminders())


# --- a replica whose clock is fast ----------------------------------------------------------------------


class FastHostClock(SystemClock):
    """A host whose clock is ten minutes ahead: an error of the host, not a deliberate move."""

    def now(self) -> dt.datetime:
        return super().now() + dt.timedelta(minutes=10)


async def test_a_replica_whose_clock_is_fast_loses_no_reminder_due_in_the_next_minutes(
    tmp_path: Path, database_url: str, slack: FakeSlack
) -> None:
    """The session is announced through the replica whose clock is right; Amy's Going press,
    and the hourly safety net, are handled by the one ten minutes fast."""
    offsets = {"training_reminder_offsets": "1h"}
    async with (
        training_bot(tmp_path / "right", SystemClock(), database_url, **offsets) as right,  # type: ignore[arg-type]
        training_bot(tmp_path / "fast", FastHostClock(), database_url, clean=False, **offsets) as fast,  # type: ignore[arg-type]
    ):
        with_slack(right, slack, "right")
        with_slack(fast, slack, "fast")
        tomorrow = right.ctx.now() + dt.timedelta(days=1)
        session = await right.add_session(f"{tomorrow:%Y-%m-%d} 10:00-12:00", capacity=5)
        # It starts an hour and a few seconds from now, so its hour-before reminder is due in a
        # few seconds: to the fast replica's clock, minutes ago.
        start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=1, seconds=5)
        async with right.ctx.db.transaction() as s:
            await s.execute(
                update(store.TrainingSession)
                .where(store.TrainingSession.id == session.id)
                .values(start_at=start, end_at=start + dt.timedelta(hours=2))
            )
        copy = await announced_on_slack(right, session.id)
        await going_on_slack(fast, copy, "U0AMY")
        await keep_reminders_in_step(fast.ctx)
        rows = await fast.outbox(f"reminder:{session.id}:")
        assert sorted((r.key, r.status) for r in rows) == [
            (f"reminder:{session.id}:v1:slack:U0AMY:1h", "pending"),
            (f"reminder:{session.id}:v1:thread:{copy.id}:1h", "pending"),
        ]
        async with asyncio.timeout(20):  # due by the database's clock, which the workers go by
            while len(slack.reminders()) < 2:
                await asyncio.sleep(0.25)
                await asyncio.gather(right.rt.delivery.deliver_due(), fast.rt.delivery.deliver_due())  # type: ignore[union-attr]
        assert sorted(r.target.kind for r in slack.reminders()) == ["direct", "thread"]


# --- edits of a session announced months ahead --------------------------------------------------------


async def test_edits_keep_coming_after_housekeeping_deleted_the_earliest(
    bot: Bot, clock: FrozenClock, slack: FakeSlack
) -> None:
    session = await bot.add_session("2026-11-30 10:00-13:00", capacity=20)
    copy = await announced_on_slack(bot, session.id)
    assert copy.message_id is not None

    async def going(user: str) -> str:
        await bot.press("training:rsvp", f"{session.id}:g", user=user)  # on another copy
        await bot.rt.tick()
        return slack.shown[str(copy.message_id)].text

    await going("u1")
    await going("u2")
    clock.advance(dt.timedelta(days=50))
    await going("u3")
    clock.advance(dt.timedelta(days=45))
    await bot.rt.tick()  # housekeeping deletes the March edits (finished, over 90 days old)
    assert {r.key.rsplit(":", 1)[1] for r in await bot.outbox(f"announce-edit:{session.id}:")} == {"3"}
    assert "Places: 16 of 20 places left" in await going("u4")
    assert "Places: 15 of 20 places left" in await going("u5")
    edits = await bot.outbox(f"announce-edit:{session.id}:")
    assert [(r.key.rsplit(":", 1)[1], r.status) for r in edits] == [("3", "sent"), ("4", "sent"), ("5", "sent")]
    assert len(slack.edits_of(copy.message_id)) == 5


async def test_an_edit_number_is_never_taken_from_a_row_still_kept(bot: Bot, slack: FakeSlack) -> None:
    """Even when housekeeping left a later edit and deleted an earlier one."""
    session = await bot.add_session(WHEN, capacity=20)
    copy = await announced_on_slack(bot, session.id)
    for user in ("u1", "u2"):
        await bot.press("training:rsvp", f"{session.id}:g", user=user)
        await bot.rt.tick()
    async with bot.ctx.db.transaction() as s:
        await s.execute(
            delete(OutboxMessage).where(OutboxMessage.key == f"announce-edit:{session.id}:slack:C0TRAIN:1:1")
        )
    await bot.press("training:rsvp", f"{session.id}:g", user="u3")
    await bot.rt.tick()
    assert "Places: 17 of 20 places left" in slack.shown[str(copy.message_id)].text


async def test_a_change_notice_still_waiting_when_the_session_is_cancelled_is_not_sent_after(
    bot: Bot, clock: FrozenClock, slack: FakeSlack
) -> None:
    """An outside audit: a time-change notice a person's chat refused once went out a few seconds
    after the cancellation, with Can't go and Add to calendar on a cancelled session."""
    session = await bot.add_session(WHEN, capacity=5)
    copy = await announced_on_slack(bot, session.id)
    await going_on_slack(bot, copy, "U0AMY")
    clock.advance(PRESSED_COPY_SETTLE)
    await bot.rt.tick()
    refused = DeliveryError("Slack could not be reached", retry_after=5)
    held = slack.hold(f"training:changed:{session.id}:", refused, count=1)
    form = {"when": "2026-03-09 14:00-17:00", "capacity": "5", "where": "Gun Wharf, Chatham", "trainer": ""}
    assert (await bot.submit("training:edit", form, value=str(session.id))).form_errors is None
    delivering = asyncio.create_task(bot.rt.delivery.deliver_due())  # type: ignore[union-attr]
    await held.entered()
    held.release.set()
    await delivering  # Amy's change notice failed once and waits to be tried again
    await bot.say(f"/training cancel {session.id} trainer ill")
    for _ in range(3):
        clock.advance(dt.timedelta(seconds=30))
        await bot.rt.tick()
    said = [s.text for s in slack.to_person("U0AMY")]
    assert len(said) == 1 and "has been cancelled" in said[0], said
    [skipped] = [r for r in await bot.outbox(f"training:changed:{session.id}:") if "U0AMY" in r.key]
    assert (skipped.status, skipped.error) == ("skipped", "not needed: the session was cancelled")
