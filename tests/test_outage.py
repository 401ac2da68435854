"""A database that goes away: answers that need no database still come, the rest say so in one
sentence, nothing queued is lost, and the bot reconnects by itself (real PostgreSQL via a proxy)."""

from __future__ import annotations

import datetime as dt
import logging
import types
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.adapters.console.adapter import ConsoleAdapter
from bot.dispatch import DB_DOWN
from bot.runtime import Runtime, load_registry
from core.clock import FrozenClock
from core.config import Settings
from core.context import Context
from core.model import Reply, Request, Target, reply
from core.registry import build_registry
from core.registry import command as command_spec
from storage import outbox, state
from storage.outbox import NewMessage
from tests.harness import command, text_of
from tests.storage_support import in_tx
from tests.tcp_proxy import TcpProxy


def _remember_module() -> types.ModuleType:
    """A command that needs the database: it stores a value."""
    module = types.ModuleType("tests.remember_feature")

    @command_spec("remember", help="Store a value.")
    async def remember(req: Request, ctx: Context) -> Reply:
        async with ctx.db.transaction() as tx:
            await state.put(tx, "remembered", req.text, now=ctx.now())
        return reply(f"Saved {req.text}.")

    module.remember = remember  # type: ignore[attr-defined]
    return module


@pytest.fixture
async def proxied(pg_database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[tuple[Runtime, TcpProxy]]:
    url = make_url(pg_database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    proxied_url = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        database_url=proxied_url,
        survey_secret="lookup-key-Bn4Gt7Wq2Zr9Ls5X",
    )  # type: ignore[call-arg]
    registry = load_registry()
    registry.add(build_registry([_remember_module()]).commands["remember"])
    runtime = await Runtime.create(settings, clock=clock, console_mode=True, registry=registry)
    from tests.conftest import _clean_postgres

    await _clean_postgres(runtime.ctx.db)
    yield runtime, proxy
    if proxy._server is None:
        await proxy.restore()
    await runtime.ctx.db.dispose()
    await proxy.cut()


async def test_while_the_database_is_away_help_answers_and_writes_say_so(proxied: tuple[Runtime, TcpProxy]) -> None:
    runtime, proxy = proxied
    await proxy.cut()
    help_reply = await runtime.dispatcher.handle(command("help", delivery_id="console:h1"))
    assert "What I can do, or how to use one command." in text_of(help_reply.replies)
    write = await runtime.dispatcher.handle(command("remember", "42"))
    shown = text_of(write.replies)
    assert shown.startswith(DB_DOWN) and "Error id" in shown
    assert "thank" not in shown.lower()
    await proxy.restore()
    again = await runtime.dispatcher.handle(command("remember", "43"))
    assert text_of(again.replies) == "Saved 43."
    async with runtime.ctx.db.transaction() as tx:
        assert await state.get(tx, "remembered") == "43"


async def test_a_database_that_stops_answering_holds_no_lookup_behind_its_delivery_record(
    proxied: tuple[Runtime, TcpProxy],
) -> None:
    """An outside audit froze PostgreSQL's connection (open, passing nothing, as a network partition
    does): every Discord and Teams request, lookups included, waited for its delivery record for as
    long as the freeze lasted. Now the record is given a few seconds, and a lookup answers."""
    import asyncio

    runtime, proxy = proxied
    await runtime.dispatcher.handle(command("help", delivery_id="discord:warm"))  # the record's connection is open
    proxy.freeze()
    try:
        for n, (name, words) in enumerate([("threshold", "baby not brought to appointments"), ("glossary", "LADO")]):
            asked = runtime.dispatcher.handle(command(name, words, delivery_id=f"discord:frozen{n}"))
            outcome = await asyncio.wait_for(asked, timeout=20)
            shown = text_of(outcome.replies)
            assert shown and DB_DOWN not in shown and "went wrong" not in shown, shown
    finally:
        proxy.thaw()


async def test_queued_messages_survive_an_outage_and_go_out_once_after(
    proxied: tuple[Runtime, TcpProxy], tmp_path: Path
) -> None:
    import io

    runtime, proxy = proxied
    out = io.StringIO()
    runtime.add_adapter(ConsoleAdapter(out, tmp_path / "files"))
    runtime.prepare_workers()
    now = runtime.ctx.now()
    message = NewMessage(
        key="outage:1",
        platform="console",
        target=Target(kind="channel", channel_id="general").model_dump(),
        payload=reply("Reminder: neglect training tomorrow", public=True).model_dump(mode="json"),
        due_at=now,
    )
    await in_tx(runtime.ctx.db, outbox.enqueue, [message], now=now)
    await proxy.cut()
    await runtime.tick()  # must not raise; nothing can be claimed
    assert "Reminder" not in out.getvalue()
    await proxy.restore()
    assert isinstance(runtime.ctx.clock, FrozenClock)
    runtime.ctx.clock.advance(dt.timedelta(seconds=5))
    await runtime.tick()
    await runtime.tick()
    assert out.getvalue().count("Reminder: neglect training tomorrow") == 1
    stored = await in_tx(runtime.ctx.db, outbox.get, "outage:1")
    assert stored is not None and stored.status == "sent"


class _CuttingAdapter:
    """Posts, then the database goes away before the post can be recorded."""

    platform = "console"

    def __init__(self, proxy: TcpProxy) -> None:
        self.proxy = proxy
        self.posts: list[str] = []

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def is_connected(self) -> bool:
        return True

    async def send(self, target: Target, message: Reply) -> str:
        import asyncio

        self.posts.append(message.all_text())
        await self.proxy.cut()

        async def back_soon() -> None:
            await asyncio.sleep(0.5)
            await self.proxy.restore()

        self._restorer = asyncio.create_task(back_soon())
        return f"m{len(self.posts)}"


async def test_a_post_made_just_before_the_database_went_away_is_recorded_not_repeated(
    proxied: tuple[Runtime, TcpProxy],
) -> None:
    runtime, proxy = proxied
    adapter = _CuttingAdapter(proxy)
    runtime.add_adapter(adapter)  # type: ignore[arg-type]
    runtime.prepare_workers()
    now = runtime.ctx.now()
    message = NewMessage(
        key="outage:2",
        platform="console",
        target=Target(kind="channel", channel_id="general").model_dump(),
        payload=reply("Bulletin 42", public=True).model_dump(mode="json"),
        due_at=now,
    )
    await in_tx(runtime.ctx.db, outbox.enqueue, [message], now=now)
    await runtime.tick()
    stored = await in_tx(runtime.ctx.db, outbox.get, "outage:2")
    assert stored is not None and (stored.status, stored.message_id) == ("sent", "m1")
    assert isinstance(runtime.ctx.clock, FrozenClock)
    runtime.ctx.clock.advance(dt.timedelta(hours=1))  # far past any lease
    await runtime.tick()
    assert adapter.posts == ["Bulletin 42"]


async def test_stopping_while_the_database_is_away_hands_back_nothing_and_raises_nothing(
    proxied: tuple[Runtime, TcpProxy], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # An outside audit: SIGTERM with the database away exited 1 with a 550-line traceback from
    # handing back claims, and skipped the rest of stopping. The leases hand the rows on instead.
    import io

    runtime, proxy = proxied
    runtime.add_adapter(ConsoleAdapter(io.StringIO(), tmp_path / "files"))
    runtime.prepare_workers()
    assert runtime.delivery is not None
    await proxy.cut()
    with caplog.at_level(logging.WARNING):
        assert await runtime.delivery.shutdown(grace_seconds=0.1) == 0
    assert "could not hand back claimed posts while stopping" in caplog.text
    assert "Traceback" not in caplog.text


async def test_every_session_asks_the_server_to_probe_a_silent_peer_within_a_minute(
    proxied: tuple[Runtime, TcpProxy],
) -> None:
    # An outside audit: a leader whose machine was lost kept its lock for the kernel's two hours
    # (tcp_keepalives_idle 7200 on the server). The settings hold after a rolled-back transaction
    # (a SET made inside one would be undone with it). That the server then drops the session is
    # PostgreSQL's behaviour, not tried here.
    runtime, _proxy = proxied
    async with runtime.ctx.db.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
        await conn.rollback()
        idle = (await conn.execute(text("SHOW tcp_keepalives_idle"))).scalar_one()
        interval = (await conn.execute(text("SHOW tcp_keepalives_interval"))).scalar_one()
        count = (await conn.execute(text("SHOW tcp_keepalives_count"))).scalar_one()
    assert idle == "30" and int(interval) * int(count) <= 30
