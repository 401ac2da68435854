"""Helpers shared by the feeds, bulletins and briefings tests."""

from __future__ import annotations

import json

import pytest

from bot.runtime import DELIVERY_EVERY_SECONDS, Runtime
from bot.scheduler import JobScheduler
from core.model import Reply
from handlers.feeds import FeedSettings


def as_only_replica(rt: Runtime) -> None:
    """Run jobs on every tick without asking for the PostgreSQL leader lock.

    The tests share one PostgreSQL database, and a bot left over from another test may still
    hold the lock for a moment; these tests are about posting, not about electing a leader."""
    assert rt.delivery is not None
    rt.scheduler = JobScheduler(rt.ctx, extra={"delivery": (DELIVERY_EVERY_SECONDS, rt.delivery.deliver_due)})


async def as_comms_console(rt: Runtime) -> None:
    """A fresh database (PostgreSQL is shared), a console where the user holds the comms role,
    and jobs on every tick: the feeds, bulletins and briefings tests' bot."""
    from tests.conftest import _clean_postgres
    from tests.harness import Console

    if rt.ctx.db.is_postgres:
        await _clean_postgres(rt.ctx.db)
    Console(rt, roles=frozenset({"comms"}))
    as_only_replica(rt)


async def close_runtime(rt: Runtime) -> None:
    """Give up the leader lock too, so the next test's bot is not kept waiting for it."""
    if rt.leader is not None:
        await rt.leader.release()
    await rt.ctx.db.dispose()


def feed_settings() -> FeedSettings:
    # The local publisher is on 127.0.0.1, which the address guard refuses unless it is allowed.
    return FeedSettings(_env_file=None, timeout_seconds=5.0, allow_hosts="127.0.0.1")  # type: ignore[call-arg]


def slack(reply: Reply) -> str:
    """What Slack receives for a reply, as JSON text."""
    render = pytest.importorskip("bot.adapters.slack.render", reason="the Slack renderer is not in this build")
    return json.dumps(render.message(reply), ensure_ascii=False)


def discord(reply: Reply) -> str:
    """What Discord receives for a reply (embeds and content), as JSON text."""
    render = pytest.importorskip("bot.adapters.discord.render", reason="the Discord renderer is not in this build")
    messages = render.render(reply)
    return json.dumps([[e.to_dict() for e in m.embeds] + [m.content] for m in messages], ensure_ascii=False)


def teams(reply: Reply) -> str:
    """What Teams receives for a reply (the Adaptive Card), as JSON text."""
    render = pytest.importorskip("bot.adapters.teams.render", reason="the Teams renderer is not in this build")
    return json.dumps(render.card(reply), ensure_ascii=False)
