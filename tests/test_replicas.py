"""Real `sgbot run` processes against a local fake Slack Web API.

- SIGTERM during delivery: the process finishes what is in flight, hands back the rest and
  exits 0; a new process posts the rest; every message is posted exactly once.
- Two replicas on one PostgreSQL, one killed mid-way: the survivor takes over the dead one's
  claimed rows when their lease runs out; every message is posted exactly once.
- A replica killed just after Slack accepted its post, before recording it: the survivor finds
  the post by its outbox key (message metadata) and posts nothing twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from core.model import Target, reply
from storage import outbox
from storage.db import Database
from storage.models import OutboxMessage
from storage.outbox import NewMessage
from tests.slack_api_fake import FakeSlackApi, Post
from tests.storage_support import in_tx
from tests.test_cli import sgbot_in_process

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    fake = FakeSlackApi()
    await fake.start()
    yield fake
    await fake.stop()


def replica_env(name: str, database_url: str, slack_url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "DATABASE_URL"))}
    env.update(
        DATA_DIR=str(tmp_path / name),
        DATABASE_URL=database_url,
        # A token per replica only so the fake can tell whose post is whose.
        SLACK_BOT_TOKEN=f"xoxb-replica-{name}",
        SLACK_SIGNING_SECRET="replica-signing-secret",
        SLACK_HTTP_HOST="127.0.0.1",
        SLACK_HTTP_PORT="0",
        SLACK_API_URL=slack_url,
        SURVEY_SECRET="replica-key-Jd5Tn8Vb2Rx6Kq9Wz",
        OUTBOX_LEASE_SECONDS="3",
        LOG_LEVEL="INFO",
    )
    return env


def start_replica(
    name: str, database_url: str, slack_url: str, tmp_path: Path, **extra: str
) -> subprocess.Popen[bytes]:
    env = {**replica_env(name, database_url, slack_url, tmp_path), **extra}
    log = (tmp_path / f"{name}.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log, stderr=log)


async def queue_posts(db: Database, count: int, channels: int) -> None:
    now = dt.datetime.now(dt.UTC)
    messages = [
        NewMessage(
            key=f"replica-test:{i}",
            platform="slack",
            target=Target(kind="channel", channel_id=f"C{i % channels:03d}").model_dump(),
            payload=reply(f"message {i}", public=True).model_dump(mode="json"),
            due_at=now,
        )
        for i in range(count)
    ]
    assert await in_tx(db, outbox.enqueue, messages, now=now) == count


async def wait_until(check: object, timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        result = check() if callable(check) else check
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def statuses(db: Database) -> dict[str, str]:
    async with db.transaction() as session:
        rows = await session.execute(select(OutboxMessage.key, OutboxMessage.status))
    return dict(rows.all())


async def sent_message_ids(db: Database) -> set[str]:
    async with db.transaction() as session:
        rows = await session.scalars(select(OutboxMessage.message_id).where(OutboxMessage.status == "sent"))
    return {r for r in rows if r}


async def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> int:
    """Signal a replica and wait for it without blocking the loop the fake Slack API runs on."""
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return await asyncio.to_thread(process.wait, 30)
    except subprocess.TimeoutExpired:
        process.kill()
        return await asyncio.to_thread(process.wait)


def assert_each_posted_once(posts: list[Post], count: int) -> None:
    texts = sorted(p.text for p in posts)
    assert texts == sorted(f"message {i}" for i in range(count))


async def test_sigterm_during_delivery_loses_nothing_and_posts_nothing_twice(
    database_url: str, slack_api: FakeSlackApi, tmp_path: Path
) -> None:
    db = Database(database_url)
    await db.upgrade()
    if db.is_postgres:
        from tests.conftest import _clean_postgres

        await _clean_postgres(db)
    try:
        # 4 posts in each of 10 channels: Slack's pace (about one post a second per channel) keeps
        # each channel busy for 3 seconds, so the stop always comes with posts still to make.
        await queue_posts(db, 40, channels=10)
        first = start_replica("first", database_url, slack_api.url, tmp_path)
        await wait_until(lambda: len(slack_api.posts) >= 3, 60, "the first posts")
        code = await stop(first, signal.SIGTERM)
        log = (tmp_path / "first.log").read_text()
        assert code == 0, log
        assert "Traceback" not in log, log
        after_stop = await statuses(db)
        assert "claimed" not in after_stop.values()  # everything not posted was handed back
        assert 3 <= list(after_stop.values()).count("sent") < 40
        assert {p.ts for p in slack_api.posts} == await sent_message_ids(db)  # every post is recorded

        second = start_replica("second", database_url, slack_api.url, tmp_path)
        try:
            await wait_until(lambda: len(slack_api.posts) >= 40, 90, "all posts")
            await wait_until(lambda: _all_sent(db, 40), 30, "every row recorded as sent")
        finally:
            assert await stop(second) == 0
        assert_each_posted_once(slack_api.posts, 40)
    finally:
        await db.dispose()


async def _all_sent(db: Database, count: int) -> bool:
    values = list((await statuses(db)).values())
    return values.count("sent") == count


async def test_two_replicas_share_the_work_and_a_killed_one_loses_nothing(
    pg_database_url: str, slack_api: FakeSlackApi, tmp_path: Path
) -> None:
    db = Database(pg_database_url)
    await db.upgrade()
    from tests.conftest import _clean_postgres

    await _clean_postgres(db)
    count = 120
    try:
        await queue_posts(db, count, channels=30)
        a = start_replica("a", pg_database_url, slack_api.url, tmp_path)
        b = start_replica("b", pg_database_url, slack_api.url, tmp_path)
        token_a = "xoxb-replica-a"
        await wait_until(
            lambda: sum(p.token == token_a for p in slack_api.posts) >= 3 and slack_api.pending.get(token_a, 0) > 0,
            60,
            "replica a to be posting",
        )
        # Kill `a` while it holds claimed rows, but never in the instant between Slack accepting
        # a post and `a` recording it (the one case a hard kill can repeat; see docs/deployment.md).
        for _ in range(200):
            a.send_signal(signal.SIGSTOP)
            accepted = {p.ts for p in slack_api.posts if p.token == token_a}
            if accepted <= await sent_message_ids(db) and slack_api.pending.get(token_a, 0) > 0:
                break
            a.send_signal(signal.SIGCONT)
            await asyncio.sleep(0.02)
        else:
            raise AssertionError("could not find a moment to kill replica a")
        a.send_signal(signal.SIGKILL)
        await asyncio.to_thread(a.wait, 10)
        killed_with = list((await statuses(db)).values()).count("claimed")
        await wait_until(lambda: len(slack_api.posts) >= count, 120, "all posts")
        await wait_until(lambda: _all_sent(db, count), 30, "every row recorded as sent")
        assert await stop(b) == 0
        assert_each_posted_once(slack_api.posts, count)
        assert {p.token for p in slack_api.posts} == {token_a, "xoxb-replica-b"}  # both took part
        assert killed_with >= 1  # the dead replica really held rows that had to be taken over
    finally:
        for process in (locals().get("a"), locals().get("b")):
            if process is not None and process.poll() is None:
                process.kill()
        await db.dispose()


async def test_a_replica_killed_just_after_slack_accepted_a_post_posts_nothing_twice(
    pg_database_url: str, slack_api: FakeSlackApi, tmp_path: Path
) -> None:
    """The instant the test above avoids: Slack has accepted a post and the replica is killed
    before it can record it. The survivor finds the post by its outbox key in the channel's
    history when the lease runs out, records it, and does not post it again."""
    db = Database(pg_database_url)
    await db.upgrade()
    from tests.conftest import _clean_postgres

    await _clean_postgres(db)
    count = 30
    token_a = "xoxb-replica-a"
    killed: list[Post] = []
    try:
        await queue_posts(db, count, channels=15)  # two rounds of Slack's pace: a dies in the first
        a = start_replica("a", pg_database_url, slack_api.url, tmp_path)

        def kill_a_once_it_has_posted_a_few(post: Post) -> None:
            if post.token == token_a and not killed and sum(p.token == token_a for p in slack_api.posts) >= 5:
                a.send_signal(signal.SIGKILL)  # the answer never reaches it: posted, never recorded
                killed.append(post)

        slack_api.on_accept = kill_a_once_it_has_posted_a_few
        await wait_until(lambda: bool(killed), 60, "replica a to be killed mid-post")
        await asyncio.to_thread(a.wait, 10)
        assert killed[0].ts not in await sent_message_ids(db)  # Slack has it; the database does not
        b = start_replica("b", pg_database_url, slack_api.url, tmp_path)
        await wait_until(lambda: _all_sent(db, count), 120, "every row recorded as sent")
        assert await stop(b) == 0
        assert_each_posted_once(slack_api.posts, count)
        assert killed[0].ts in await sent_message_ids(db)  # recorded from what Slack already had
        assert killed[0].channel in slack_api.reads  # found by looking, not by luck
    finally:
        for process in (locals().get("a"), locals().get("b")):
            if process is not None and process.poll() is None:
                process.kill()
        await db.dispose()


async def test_content_reload_reaches_the_running_bot_and_an_invalid_pack_is_refused(
    slack_api: FakeSlackApi, tmp_path: Path
) -> None:
    import shutil

    from core.contentpack import DEFAULT_PACK
    from storage import audit

    pack = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, pack)
    url = f"sqlite:///{tmp_path / 'reload.db'}"
    env = {**replica_env("live", url, slack_api.url, tmp_path), "CONTENT_PACK": str(pack)}
    live = start_replica("live", url, slack_api.url, tmp_path, CONTENT_PACK=str(pack))
    db = Database(url)
    try:
        await wait_until(lambda: "sgbot is running" in (tmp_path / "live.log").read_text(), 60, "the bot to start")

        def reload() -> subprocess.CompletedProcess[str]:
            # The command through the real typer app in this process (it checks the pack, then
            # signals the bot's pid); the bot that reloads is the real process above.
            return sgbot_in_process(["content", "reload"], tmp_path, env=env)

        partnership = pack / "partnership.yaml"
        partnership.write_text(partnership.read_text().replace("short_name: MSCP", "short_name: MSCP-NEW"))
        done = reload()
        assert done.returncode == 0, done.stderr
        assert "Asked the bot" in done.stdout and "MSCP-NEW" in done.stdout

        async def reloaded() -> bool:
            async with db.transaction() as tx:
                return any(e.action == "content.reloaded" for e in await audit.entries(tx))

        await wait_until(reloaded, 30, "the reload to be recorded")

        partnership.write_text(partnership.read_text() + "\nnot_a_key: 1\n")
        refused = reload()
        assert refused.returncode == 1
        assert "partnership.yaml" in refused.stdout and "not_a_key: unknown key" in refused.stdout
        assert "keeps the one it has" in refused.stderr
        assert live.poll() is None  # still running on the pack it had
        async with db.transaction() as tx:
            assert [e.action for e in await audit.entries(tx)].count("content.reloaded") == 1
    finally:
        assert await stop(live) == 0
        await db.dispose()
