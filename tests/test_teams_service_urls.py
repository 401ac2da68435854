"""The bot's Bot Connector token goes only to public https service URLs (service_urls.py): an
activity naming any other is refused before it is answered or stored, and a stored reference
naming one is never called. Outside audit (issue #15): an accepted activity's serviceUrl of
http://127.0.0.1:<port>/ received the bot's Bearer token, and was then used to open other
people's personal chats."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.adapters.base import DeliveryError
from bot.adapters.teams.service_urls import AddressRefused, ServiceUrls
from core.clock import FrozenClock
from core.model import Target, reply
from storage import teams
from storage.teams import PERSONAL, ConversationRef
from tests import slack_feature
from tests.teams_fake import BOT_ID, TENANT_ID, FakeTeams, sign
from tests.teams_wire import TeamsWire


@pytest.fixture
async def internal() -> AsyncIterator[tuple[str, list[str]]]:
    """A service on this machine that is not the fake Bot Connector (another port): what it is asked."""
    asked: list[str] = []

    async def anything(request: web.Request) -> web.Response:
        asked.append(f"{request.method} {request.path} {request.headers.get('Authorization', '')[:12]}")
        return web.json_response({"id": "x:1"}, status=201)

    app = web.Application()
    app.router.add_route("*", "/{rest:.*}", anything)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/", asked
    await runner.cleanup()


ODD = [
    "http://169.254.169.254/",
    "https://169.254.169.254/",
    "http://10.0.0.1:8080/",
    "https://10.0.0.1/",
    "https://[::1]:9/",
    "https://[::ffff:127.0.0.1]/",
    "https://localhost:9/",
    "https://0x7f.1/",  # 127.0.0.1, spelled oddly
    "http://smba.trafficmanager.net/teams/",  # Microsoft's host, but not https
    "https://user:pw@smba.trafficmanager.net/teams/",
    "not a url",
]


@pytest.mark.parametrize("odd", ODD)
async def test_an_activity_naming_an_odd_service_url_is_refused_before_anything(
    teams_wire: TeamsWire, teams_fake: FakeTeams, odd: str
) -> None:
    activity = teams_wire.activity("message_personal", text="threshold neglect", serviceUrl=odd)
    status, _ = await teams_wire.teams.send(activity, token=sign(teams_fake.key, odd))  # every token check passes
    assert status == 403
    assert not teams_fake.calls
    assert not slack_feature.log(teams_wire.rt.ctx)["calls"]
    async with teams_wire.rt.ctx.db.transaction() as tx:
        assert await teams.find(tx, "a:1personalAlex") is None


async def test_a_loopback_service_url_gets_no_token_and_steers_no_new_personal_chat(
    teams_wire: TeamsWire, teams_fake: FakeTeams, internal: tuple[str, list[str]], clock: FrozenClock
) -> None:
    url, asked = internal
    assert (await teams_wire.send("conversation_update_team"))[0] == 200
    clock.advance(dt.timedelta(days=1))  # the odd install would be the newest reference in the tenant
    activity = teams_wire.activity("installation_update_personal", serviceUrl=url)
    assert (await teams_wire.teams.send(activity, token=sign(teams_fake.key, url)))[0] == 403
    await teams_wire.adapter.send(Target(kind="direct", user_id="29:1newperson"), reply("Reminder"))
    assert asked == []
    assert [c.conversation_id for c in teams_fake.posts()] == ["a:personal-29:1newperson"]


async def test_a_reference_stored_with_an_odd_service_url_is_never_called(
    teams_wire: TeamsWire, internal: tuple[str, list[str]]
) -> None:
    """A row from before this rule (or written by hand): refused at the call, for good."""
    url, asked = internal
    ref = ConversationRef("a:1personalOld", url, BOT_ID, PERSONAL, TENANT_ID, "29:1old")
    async with teams_wire.rt.ctx.db.transaction() as tx:
        await teams.remember(tx, ref, now=teams_wire.rt.ctx.now())
    with pytest.raises(DeliveryError) as refused:
        await teams_wire.adapter.send(Target(kind="direct", user_id="29:1old"), reply("Reminder"))
    assert refused.value.permanent
    with pytest.raises(DeliveryError):  # nor used to open someone else's personal chat
        await teams_wire.adapter.send(Target(kind="direct", user_id="29:1newperson"), reply("Reminder"))
    assert asked == []


async def test_the_rule_reads_every_spelling_and_resolves_names_before_a_call() -> None:
    rule = ServiceUrls()
    assert rule.refusal("https://smba.trafficmanager.net/teams/") is None
    assert rule.refusal("https://smba.infra.gcc.teams.microsoft.com/teams") is None
    for odd in ODD:
        assert rule.refusal(odd) is not None, odd

    async def resolve_privately(host: str, port: int) -> list[str]:
        return ["10.1.2.3"]

    with pytest.raises(AddressRefused):  # a public-looking name that resolves to a private address
        await ServiceUrls(resolve=resolve_privately).check("https://bot-connector.example/")

    async def resolve_publicly(host: str, port: int) -> list[str]:
        return ["52.112.0.1"]

    await ServiceUrls(resolve=resolve_publicly).check("https://smba.trafficmanager.net/teams/")


def test_an_operator_may_allow_a_local_bot_connector_on_its_port_only() -> None:
    """TEAMS_ALLOW_SERVICE_HOSTS (FEEDS_ALLOW_HOSTS' form): the Emulator or a local fake, over http too."""
    allowed: dict[str, Any] = {"allow": "127.0.0.1:3979"}
    rule = ServiceUrls(**allowed)
    assert rule.refusal("http://127.0.0.1:3979/") is None
    assert rule.refusal("http://127.0.0.1:3980/") is not None
    assert rule.refusal("http://169.254.169.254/") is not None
    assert ServiceUrls().refusal("http://127.0.0.1:3979/") is not None  # nothing allowed by default
    # http or https only, even there (an outside audit: ftp://<allowed>/ was kept as a reference)
    assert rule.refusal("ftp://127.0.0.1:3979/") == "the service URL is not an http(s) address of a host"
    assert rule.refusal("ws://127.0.0.1:3979/") is not None


async def test_a_service_url_whose_dns_turns_to_loopback_after_the_check_is_never_connected_to(
    teams_wire: TeamsWire, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name answers with a public address when the rule checks it, and with
    loopback a moment later when the SDK's client connects. The connection is checked too, so
    nothing on this machine is ever reached (the SDK used to resolve the name again, unchecked)."""
    reached: list[str] = []

    async def listener(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        reached.append("connection")
        writer.close()

    server = await asyncio.start_server(listener, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()
    real_getaddrinfo = loop.getaddrinfo
    answers: list[str] = []

    async def rebinding_dns(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host  # AnyIO asks in IDNA bytes
        if name != "bot-connector.rebind.example":
            return await real_getaddrinfo(host, *args, **kwargs)
        answers.append(host)
        address = "52.112.0.1" if len(answers) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(loop, "getaddrinfo", rebinding_dns)
    url = f"https://bot-connector.rebind.example:{port}/"
    ref = ConversationRef("a:1personalRebind", url, BOT_ID, PERSONAL, TENANT_ID, "29:1rebind")
    async with teams_wire.rt.ctx.db.transaction() as tx:
        await teams.remember(tx, ref, now=teams_wire.rt.ctx.now())
    try:
        with pytest.raises(DeliveryError):
            await teams_wire.adapter.send(Target(kind="direct", user_id="29:1rebind"), reply("Reminder"))
    finally:
        server.close()
        await server.wait_closed()
    assert len(answers) >= 2  # the rule's lookup, then the connection's own
    assert reached == []
