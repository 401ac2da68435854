"""Which Bot Connector addresses the bot may call, with its own token.

Every activity names a `serviceUrl`: the bot answers through it, keeps it with the conversation
for later posts, and opens other people's personal chats through it (storage/teams.py
`any_in_tenant`), each time sending its Bot Connector token there. Microsoft's are https on
public hosts (https://smba.trafficmanager.net/teams/ and the like,
https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages),
so a service URL is used only when it is https and its host is public, by the rule feeds are
fetched under (core/addresses.py: no loopback, private, link-local or metadata address, in
any spelling). Anything else is refused before the activity does anything and before it is
stored (`refusal`, from the address as written), and again before each call (`check`, which
resolves the host), which also covers references stored before this rule and the configured
TEAMS_SERVICE_URL. Outside audit (issue #15): an accepted activity's serviceUrl of
http://127.0.0.1:<port>/ got the bot's Bearer token.

TEAMS_ALLOW_SERVICE_HOSTS lets an operator allow hosts anyway, in FEEDS_ALLOW_HOSTS' form (a name,
an address or network, optionally with `:port`), for the Bot Framework Emulator or a local fake
Bot Connector (the tests' is http on 127.0.0.1); an allowed host may also use plain http. Empty
by default. There is no list of Microsoft's host names: Microsoft does not publish one as a
contract (the service URL is whatever Teams sends, regional and cloud-specific), so a list here
could stop a real partnership's bot for a host Microsoft adds.
"""

from __future__ import annotations

import ipaddress
import socket
import time

import httpx

from core.addresses import AddressGuard, AddressRefused, Resolver, system_resolve
from core.lru import Lru

__all__ = ["AddressRefused", "ServiceUrls"]

CHECKED_FOR = 300.0  # seconds a resolved host's check holds (Teams uses a handful of service URLs)
HOSTS_REMEMBERED = 100
_PORTS = {"https": 443, "http": 80}


class ServiceUrls:
    def __init__(self, allow: str = "", *, resolve: Resolver = system_resolve) -> None:
        self.guard = AddressGuard(allow)
        self.resolve = resolve
        self._checked = Lru[tuple[str, int], float](HOSTS_REMEMBERED)  # (host, port) -> checked until

    def refusal(self, url: str) -> str | None:
        """Why `url` may not be used, judged from the address as written (no lookup), or None."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError):
            return "the service URL is not a valid address"
        host, port = parsed.host, parsed.port or _PORTS.get(parsed.scheme)
        # http or https only, even for an allowed host (an outside audit: ftp://<allowed>/ was
        # stored as a chat's reference, and every later post to it failed)
        if not host or port is None or parsed.userinfo or parsed.scheme not in _PORTS:
            return "the service URL is not an http(s) address of a host"
        allowed = self.guard.name_allowed(host, port)
        ip = _address(host)
        if ip is not None:
            allowed = allowed or self.guard.address_allowed(ip, port)
        if parsed.scheme != "https" and not allowed:
            return "the service URL is not https"
        if allowed:
            return None
        if ip is not None:
            try:
                self.guard.check(host, port, [str(ip)])
            except AddressRefused as refused:
                return str(refused)
        elif host.rstrip(".") == "localhost" or host.rstrip(".").endswith(".localhost"):
            return f"{host} is this machine"
        return None

    async def check(self, url: str) -> None:
        """Before a call: AddressRefused when `url` may not be called, its host resolved and each
        address checked (OSError-like httpcore errors when it cannot be resolved just now)."""
        reason = self.refusal(url)
        if reason is not None:
            raise AddressRefused(reason)
        parsed = httpx.URL(url)
        key = (parsed.host, parsed.port or _PORTS[parsed.scheme])
        until = self._checked.recall(key)
        if until is not None and time.monotonic() < until:
            return
        self.guard.check(key[0], key[1], await self.resolve(*key))
        self._checked.keep(key, time.monotonic() + CHECKED_FOR)


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host written as one stands for, in any spelling the resolver takes
    (127.1, 0x7f.1, 2130706433 are 127.0.0.1), or None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, UnicodeError, ValueError):
        return None
