"""Proactive Teams posts through the outbox: each reminder once, across a restart and across two
replicas, through the conversation references the bot learned; and a real `sgbot run` with Teams
settings answering in personal chat and handing work over on SIGTERM."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.adapters.teams import TeamsAdapter
from bot.delivery import DeliveryWorker
from bot.runtime import Runtime
from core.clock import SystemClock
from core.model import Target, reply
from storage import outbox, teams
from storage.db import Database
from storage.models import OutboxMessage
from storage.outbox import NewMessage
from storage.teams import ConversationRef
from tests.storage_support import in_tx
from tests.teams_fake import BOT_ID, TENANT_ID, FakeTeams, TeamsSender, payload
from tests.teams_wire import teams_settings
from tests.test_replicas import wait_until

ROOT = Path(__file__).resolve().parent.parent
GENERAL = "19:general@thread.tacv2"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTeams]:
    server = FakeTeams()
    await server.start()
    yield server
    await server.stop()


async def fresh(database_url: str) -> Database:
    db = Database(database_url)
    await db.upgrade()
    if db.is_postgres:
        from tests.conftest import _clean_postgres

        await _clean_postgres(db)
    return db


async def known_conversations(db: Database, fake: FakeTeams) -> None:
    """What the bot learned when it was installed in a team and by a person."""
    now = dt.datetime.now(dt.UTC)
    async with db.transaction() as tx:
        await teams.remember(tx, ConversationRef(GENERAL, fake.url, BOT_ID, "channel", TENANT_ID), now=now)
        person = ConversationRef("a:1personalBea", fake.url, BOT_ID, "personal", TENANT_ID, "29:1practitionerB")
        await teams.remember(tx, person, now=now)


async def queue_reminders(db: Database, count: int) -> None:
    now = dt.datetime.now(dt.UTC)
    messages = []
    for i in range(count):
        if i % 2:
            target = Target(kind="direct", user_id="29:1practitionerB")
        else:
            target = Target(kind="channel", channel_id=GENERAL)
        messages.append(
            NewMessage(
                key=f"reminder:teams-test:{i}",
                platform="teams",
                target=target.model_dump(),
                payload=reply(f"reminder {i}", public=not i % 2).model_dump(mode="json"),
                due_at=now,
            )
        )
    assert await in_tx(db, outbox.enqueue, messages, now=now) == count


async def lease_runs_out(db: Database, key: str) -> None:
    """Move a dead replica's lease to its end (rather than wait ten minutes for it)."""
    async with db.transaction() as tx:
        await tx.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key == key)
            .values(claimed_until=outbox.db_time(tx, -dt.timedelta(seconds=1)))
        )


def posted_texts(fake: FakeTeams) -> list[str]:
    return sorted(p.text for p in fake.posts())


async def replica(tmp_path: Path, name: str, database_url: str, fake: FakeTeams) -> tuple[Runtime, DeliveryWorker]:
    settings = teams_settings(tmp_path / name, database_url, fake, outbox_lease_seconds=1)
    rt = await Runtime.create(settings, clock=SystemClock())
    adapter = TeamsAdapter(rt, host="127.0.0.1", port=0)
    rt.add_adapter(adapter)
    return rt, DeliveryWorker(rt.ctx, rt.adapters, name=name)


async def test_a_reminder_is_posted_once_across_a_restart(database_url: str, fake: FakeTeams, tmp_path: Path) -> None:
    db = await fresh(database_url)
    try:
        await known_conversations(db, fake)
        await queue_reminders(db, 6)
        # A replica claimed one row and died before posting it: its lease runs out, then it is posted.
        [abandoned] = await in_tx(
            db, outbox.claim_due, worker="died", travel=dt.timedelta(0), lease=dt.timedelta(minutes=10), limit=1
        )

        first, worker = await replica(tmp_path, "first", database_url, fake)
        assert await worker.deliver_due() == 5
        await worker.shutdown(1)
        await first.ctx.db.dispose()

        second, worker = await replica(tmp_path, "second", database_url, fake)
        try:
            await lease_runs_out(db, abandoned.key)
            assert await worker.deliver_due() == 1
            assert await worker.deliver_due() == 0  # nothing left, nothing again
        finally:
            await second.ctx.db.dispose()
        assert posted_texts(fake) == sorted(f"reminder {i}" for i in range(6))
        assert (await in_tx(db, outbox.get, abandoned.key)).status == "sent"  # type: ignore[union-attr]
        by_conversation = {p.conversation_id for p in fake.posts()}
        assert by_conversation == {GENERAL, "a:1personalBea"}  # through the stored references
        assert not fake.conversations_created()
    finally:
        await db.dispose()


async def test_two_replicas_post_each_reminder_once(database_url: str, fake: FakeTeams, tmp_path: Path) -> None:
    db = await fresh(database_url)
    count = 40
    try:
        await known_conversations(db, fake)
        await queue_reminders(db, count)
        a, worker_a = await replica(tmp_path, "a", database_url, fake)
        b, worker_b = await replica(tmp_path, "b", database_url, fake)
        try:
            worker_a.batch = worker_b.batch = 5
            done = await asyncio.gather(worker_a.deliver_due(), worker_b.deliver_due())
            assert sum(done) == count
        finally:
            await a.ctx.db.dispose()
            await b.ctx.db.dispose()
        assert posted_texts(fake) == sorted(f"reminder {i}" for i in range(count))
        assert (await in_tx(db, outbox.counts))["sent"] == count
    finally:
        await db.dispose()


# --- a real `sgbot run` -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_bot(name: str, database_url: str, fake: FakeTeams, tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "TEAMS_", "DATABASE_URL"))}
    env.update(
        fake.env(),
        DATA_DIR=str(tmp_path / name),
        DATABASE_URL=database_url,
        TEAMS_HOST="127.0.0.1",
        TEAMS_PORT=str(port),
        SURVEY_SECRET="replica-key-Jd5Tn8Vb2Rx6Kq9Wz",
        OUTBOX_LEASE_SECONDS="3",
        LOG_LEVEL="INFO",
    )
    log = (tmp_path / f"{name}.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log, stderr=log)


async def stop_bot(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return await asyncio.to_thread(process.wait, 30)
    except subprocess.TimeoutExpired:
        process.kill()
        return await asyncio.to_thread(process.wait)


async def test_sgbot_run_with_teams_settings_answers_in_personal_chat_and_hands_over_on_sigterm(
    database_url: str, fake: FakeTeams, tmp_path: Path
) -> None:
    db = await fresh(database_url)
    port = free_port()
    sender = TeamsSender(f"http://127.0.0.1:{port}/api/messages", fake)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        first = start_bot("first", database_url, fake, tmp_path, port)
        processes.append(first)
        log = tmp_path / "first.log"
        await wait_until(lambda: "sgbot is running" in log.read_text(), 60, "the bot to start")
        assert "Teams listening on 127.0.0.1" in log.read_text()

        status, _ = await sender.send(payload("message_personal", fake.url, text="threshold neglect"))
        assert status == 200
        [answer] = fake.posts()
        assert answer.conversation_id == "a:1personalAlex" and "neglect" in answer.card_text().lower()

        # Reminders queued while it runs; SIGTERM part-way; a new process posts the rest, once.
        await known_conversations(db, fake)
        await queue_reminders(db, 30)
        await wait_until(lambda: len(fake.posts()) >= 4, 60, "the first reminders")
        assert await stop_bot(first) == 0
        assert "Traceback" not in log.read_text(), log.read_text()
        second = start_bot("second", database_url, fake, tmp_path, port)
        processes.append(second)
        await wait_until(lambda: len(fake.posts()) >= 31, 90, "every reminder")

        async def all_sent() -> bool:
            return (await in_tx(db, outbox.counts))["sent"] == 30

        await wait_until(all_sent, 30, "every reminder recorded as sent")
        assert await stop_bot(second) == 0
        reminders = sorted(p.text for p in fake.posts() if p.text.startswith("reminder"))
        assert reminders == sorted(f"reminder {i}" for i in range(30))
    finally:
        await sender.close()
        for process in processes:
            if process.poll() is None:
                process.kill()
        await db.dispose()
