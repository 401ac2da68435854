"""Socket Mode: envelopes as Slack sends them over the websocket, through Bolt's
AsyncSocketModeHandler to the handlers and back as the envelope's answer (no network:
the websocket side is a recorder). Also the settings the adapter refuses to start with."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.adapters.slack.adapter import SlackAdapter
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import ConfigError
from storage.db import Database
from tests import slack_feature, slack_fixtures
from tests.fake_slack import BOT_TOKEN, FakeSlack, payload, thread_reply
from tests.slack_wire import SIGNING_SECRET, runtime_with_test_feature, slack_settings
from tests.storage_support import claim_thread


class WebsocketSide:
    """Stands where the websocket is: keeps what the bot answers to each envelope."""

    def __init__(self) -> None:
        self.logger = logging.getLogger("tests.socket")
        self.responses: list[SocketModeResponse] = []

    async def send_socket_mode_response(self, response: SocketModeResponse) -> None:
        self.responses.append(response)


fake = slack_fixtures.fake


@pytest.fixture
async def socket_adapter(
    fake: FakeSlack, tmp_path: Path, db: Database, database_url: str, clock: FrozenClock
) -> AsyncIterator[SlackAdapter]:
    settings = slack_settings(tmp_path, database_url, slack_app_token="xapp-1-A0SGBOT-test", slack_signing_secret=None)
    rt = await runtime_with_test_feature(settings, clock)
    adapter = SlackAdapter(rt, client=fake.client(), process_before_response=True, channel_interval=0.0)
    await adapter.identify()  # what start() does before connecting: learn the workspace from auth.test
    yield adapter
    await adapter.stop()
    await rt.ctx.db.dispose()


async def test_a_slash_command_envelope_is_answered_in_the_envelope(socket_adapter: SlackAdapter) -> None:
    assert socket_adapter.mode == "socket" and not socket_adapter.is_connected()
    envelope = payload("socket_mode_envelope")
    websocket = WebsocketSide()
    await socket_adapter.socket_handler().handle(websocket, SocketModeRequest.from_dict(envelope))  # type: ignore[arg-type]
    [answer] = websocket.responses
    assert answer.envelope_id == envelope["envelope_id"]
    assert answer.payload is not None and answer.payload["response_type"] == "ephemeral"
    assert "/help" in str(answer.payload["blocks"]) and "/echo" in str(answer.payload["blocks"])


async def test_a_thread_reply_envelope_reaches_its_feature_once_despite_redelivery(
    socket_adapter: SlackAdapter, fake: FakeSlack
) -> None:
    rt = socket_adapter.runtime
    await claim_thread(rt.ctx, "slack", "C0TRAIN", "1772442000.000100", feature="slacktest", ref="s9")
    event = thread_reply("Useful, thanks", event_id="Ev0SOCKET1")

    def envelope(retry: int, envelope_id: str) -> SocketModeRequest:
        raw: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": "events_api",
            "accepts_response_payload": False,
            "retry_attempt": retry,
            "retry_reason": "timeout" if retry else "",
            "payload": event,
        }
        request = SocketModeRequest.from_dict(raw)
        assert request is not None
        return request

    websocket = WebsocketSide()
    handler = socket_adapter.socket_handler()
    await handler.handle(websocket, envelope(0, "env-1"))  # type: ignore[arg-type]
    await handler.handle(websocket, envelope(1, "env-2"))  # type: ignore[arg-type]  # Slack's retry
    await handler.handle(websocket, envelope(0, "env-3"))  # type: ignore[arg-type]  # redelivered on reconnect
    assert [r.envelope_id for r in websocket.responses] == ["env-1", "env-2", "env-3"]  # every envelope acknowledged
    calls = slack_feature.log(rt.ctx)["calls"]
    assert calls == [("thread", "s9", "Useful, thanks", "1772442000.000100")]
    assert len(fake.calls_to("chat.postEphemeral")) == 1


# --- settings ------------------------------------------------------------------------------------


async def make_runtime(tmp_path: Path, clock: FrozenClock, **settings: Any) -> Runtime:
    return await runtime_with_test_feature(slack_settings(tmp_path, "", **settings), clock)


async def test_it_will_not_start_without_a_way_in(tmp_path: Path, clock: FrozenClock) -> None:
    rt = await make_runtime(tmp_path, clock, slack_signing_secret=None)
    try:
        with pytest.raises(ConfigError, match="SLACK_APP_TOKEN .Socket Mode. or SLACK_SIGNING_SECRET .HTTP mode."):
            SlackAdapter(rt)
    finally:
        await rt.ctx.db.dispose()


async def test_an_app_token_of_the_wrong_kind_is_named(tmp_path: Path, clock: FrozenClock) -> None:
    rt = await make_runtime(tmp_path, clock, slack_app_token=BOT_TOKEN)
    try:
        with pytest.raises(ConfigError, match="starting with xapp-") as raised:
            SlackAdapter(rt)
        assert BOT_TOKEN not in str(raised.value)
    finally:
        await rt.ctx.db.dispose()


async def test_a_refused_bot_token_stops_the_start_with_a_sentence(
    fake: FakeSlack, tmp_path: Path, clock: FrozenClock
) -> None:
    rt = await make_runtime(tmp_path, clock)
    try:
        adapter = SlackAdapter(rt, client=fake.client(), http_host="127.0.0.1", http_port=0)
        fake.fail("auth.test", error="invalid_auth")
        with pytest.raises(ConfigError, match=r"Slack refused SLACK_BOT_TOKEN \(invalid_auth\)"):
            await adapter.start()
        assert not adapter.is_connected()
    finally:
        await rt.ctx.db.dispose()


async def test_an_unreachable_slack_stops_the_start_with_a_sentence(tmp_path: Path, clock: FrozenClock) -> None:
    from slack_sdk.web.async_client import AsyncWebClient

    rt = await make_runtime(tmp_path, clock)
    try:
        nowhere = AsyncWebClient(token=BOT_TOKEN, base_url="http://127.0.0.1:9/api/")  # the discard port
        adapter = SlackAdapter(rt, client=nowhere, http_host="127.0.0.1", http_port=0)
        with pytest.raises(ConfigError, match="Could not reach Slack to check SLACK_BOT_TOKEN"):
            await adapter.start()
    finally:
        await rt.ctx.db.dispose()


async def test_http_mode_reports_connected_while_serving(fake: FakeSlack, tmp_path: Path, clock: FrozenClock) -> None:
    rt = await make_runtime(tmp_path, clock)
    adapter = SlackAdapter(rt, client=fake.client(), http_host="127.0.0.1", http_port=0)
    try:
        assert adapter.mode == "http" and not adapter.is_connected()
        await adapter.start()
        assert adapter.is_connected() and adapter.http_port > 0
        await adapter.stop()
        assert not adapter.is_connected()
    finally:
        await adapter.stop()
        await rt.ctx.db.dispose()


async def test_tokens_and_the_signing_secret_never_reach_the_logs(
    fake: FakeSlack, tmp_path: Path, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.fake_slack import SlackSender

    rt = await make_runtime(tmp_path, clock)
    adapter = SlackAdapter(rt, client=fake.client(), http_host="127.0.0.1", http_port=0, process_before_response=True)
    sender = SlackSender("", SIGNING_SECRET)
    try:
        with caplog.at_level(logging.DEBUG):
            await adapter.start()
            sender.url = adapter.events_url
            await sender.command("/help")
            await sender.command("/fail")
            stale = int(time.time()) - 600  # a refused request: Bolt would log its body at info level
            await sender.post(
                "command=%2Fthreshold&text=worried+about+Jo+Bloggs",
                "application/x-www-form-urlencoded",
                timestamp=stale,
            )
            fake.fail("chat.postMessage", error="not_in_channel")
            from bot.adapters.base import DeliveryError
            from core.model import Target, reply

            with pytest.raises(DeliveryError):
                await adapter.send(Target(kind="channel", channel_id="C1"), reply("x"))
        logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
        assert "Slack HTTP mode listening" in logged  # the log really was captured
        assert BOT_TOKEN not in logged and SIGNING_SECRET not in logged
        assert "Bloggs" not in logged  # what people type never reaches the log
        assert BOT_TOKEN not in repr(adapter.runtime.ctx.settings)
    finally:
        await sender.close()
        await adapter.stop()
        await rt.ctx.db.dispose()


async def test_a_refused_app_token_stops_the_start_at_once_with_a_sentence(
    fake: FakeSlack, tmp_path: Path, clock: FrozenClock
) -> None:
    # An outside walk-through: the SDK's own loop retried a refused app token for a minute, a
    # traceback each time, then said only that it could not connect.
    settings = slack_settings(tmp_path, f"sqlite:///{tmp_path / 'a.db'}", slack_app_token="xapp-1-A0SGBOT-test")
    rt = await runtime_with_test_feature(settings, clock)
    try:
        adapter = SlackAdapter(rt, client=fake.client())
        fake.fail("apps.connections.open", error="invalid_auth")
        # said at once, not the "within a minute" sentence after the SDK's retries
        with pytest.raises(ConfigError, match=r"Slack refused SLACK_APP_TOKEN \(invalid_auth\)"):
            await adapter.start()
    finally:
        await rt.ctx.db.dispose()


async def test_a_stop_while_slack_is_still_answering_the_first_call_ends_the_start_at_once(
    tmp_path: Path, clock: FrozenClock
) -> None:
    """A SIGTERM (here the stop event it sets) while auth.test hangs on a slow network: the bot
    stops now, not when the Slack SDK's 30-second timeout and retries give up."""
    import asyncio

    from slack_sdk.web.async_client import AsyncWebClient

    asked = asyncio.Event()

    async def never_answers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        asked.set()
        await reader.read()  # holds the request open until the bot goes away

    server = await asyncio.start_server(never_answers, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    rt = await make_runtime(tmp_path, clock)
    stopped_adapters: list[str] = []
    try:
        slow = AsyncWebClient(token=BOT_TOKEN, base_url=f"http://127.0.0.1:{port}/api/")
        adapter = SlackAdapter(rt, client=slow, http_host="127.0.0.1", http_port=0)
        adapter_stop = adapter.stop

        async def recorded_stop() -> None:
            stopped_adapters.append("slack")
            await adapter_stop()

        adapter.stop = recorded_stop  # type: ignore[method-assign]
        rt.add_adapter(adapter)
        stop = asyncio.Event()
        running = asyncio.create_task(rt.run_forever(stop))
        await asyncio.wait_for(asked.wait(), timeout=10)
        stop.set()
        await asyncio.wait_for(running, timeout=5)
        assert stopped_adapters == ["slack"]
        assert not adapter.is_connected()
    finally:
        server.close()
        await rt.ctx.db.dispose()
