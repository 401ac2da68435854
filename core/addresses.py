"""Keeps the bot's outbound fetches on the public internet: every feed request (handlers/feeds/fetch.py),
and the Teams adapter's service URLs and file uploads (bot/adapters/teams), go through it.

Anyone with the comms role can give the bot a feed address, and any signed Teams activity names a
service URL, so an address must not become a way into our own network: loopback, private ranges,
link-local and cloud metadata addresses, their IPv6 forms (old site-local fec0::/10 too), and IPv4
hidden inside IPv6 (mapped, 6to4, NAT64, Teredo) are refused.

The check sits in the connection step, as an httpcore network backend: the host is resolved
once, each address is checked, and the socket is opened to the checked address itself. So
every request and every redirect is checked, odd spellings (2130706433, 0x7f.1, 127.1) are
caught because the resolver has already turned them into plain addresses, and a DNS answer
that changes between check and connect (rebinding) cannot slip through.

An operator can allow hosts in FEEDS_ALLOW_HOSTS: a name (`intranet.example`), an address or
network (`10.20.0.0/16`), optionally with a port (`intranet.example:8443`, `[fd00::5]:80`)."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import typing
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

if typing.TYPE_CHECKING:
    import httpcore
    import httpx

    _NetworkBackend = httpcore.AsyncNetworkBackend
else:
    # httpcore calls a backend's methods and asks nothing else of it; it is imported (with httpx)
    # when a feed is first fetched, so a bot with no feeds due never holds it
    _NetworkBackend = object

log = logging.getLogger("sgbot.feeds")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

# Cloud metadata services; most are link-local already, the list makes the reason plain.
METADATA = {
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "169.254.169.253", "100.100.100.200", "192.0.0.192", "fd00:ec2::254")
}
# Not "global" on every Python version's tables, so named here too. fec0::/10 is IPv6 site-local:
# deprecated, but still used inside networks numbered with it, and Python 3.11 calls it global.
_EXTRA_BLOCKED = [
    ipaddress.ip_network(n)
    for n in ("0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4", "fec0::/10")
]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):
    """The address is not one feeds may be fetched from. The reason is for logs only."""


def refusal(ip: IPAddress) -> str | None:
    """Why a resolved address may not be fetched from, or None if it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = refusal(embedded)
            return f"{inner} (inside {ip})" if inner else None
    if ip in METADATA:
        return f"{ip} is a cloud metadata address"
    if ip.is_loopback:
        return f"{ip} is a loopback address"
    if ip.is_unspecified:
        return f"{ip} is the unspecified address, which reaches this machine"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_private or any(ip in n for n in _EXTRA_BLOCKED if n.version == ip.version):
        return f"{ip} is a private or reserved address"
    if ip.is_multicast or ip.is_reserved or not ip.is_global:
        return f"{ip} is not a public internet address"
    return None


@dataclass(frozen=True)
class _Allowed:
    name: str | None = None  # a host name, compared with the address as written
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None  # compared with resolved addresses
    port: int | None = None


class AddressGuard:
    """The rule, with the operator's exceptions (FEEDS_ALLOW_HOSTS)."""

    def __init__(self, allow: str | Iterable[str] = "") -> None:
        entries = allow.split(",") if isinstance(allow, str) else list(allow)
        self.allowed = [_parse_entry(e.strip()) for e in entries if e.strip()]

    def name_allowed(self, host: str, port: int) -> bool:
        host = _normal_name(host)
        return any(a.name == host and a.port in (None, port) for a in self.allowed)

    def address_allowed(self, ip: IPAddress, port: int) -> bool:
        return any(a.network is not None and ip in a.network and a.port in (None, port) for a in self.allowed)

    def check(self, host: str, port: int, addresses: list[str]) -> list[str]:
        """The resolved addresses that may be connected to; AddressRefused when none may."""
        if self.name_allowed(host, port):
            return addresses
        usable, reasons = [], []
        for text in addresses:
            ip = ipaddress.ip_address(text.split("%", 1)[0])
            reason = None if self.address_allowed(ip, port) else refusal(ip)
            if reason is None:
                usable.append(text)
            else:
                reasons.append(reason)
        if not usable:
            raise AddressRefused(f"{host}:{port} refused: " + "; ".join(reasons or ["it has no address"]))
        return usable


def _normal_name(host: str) -> str:
    return host.strip().lower().rstrip(".").removeprefix("[").removesuffix("]")


def _parse_entry(entry: str) -> _Allowed:
    host, port = entry, None
    if entry.startswith("["):  # [v6] or [v6]:port
        inside, _, rest = entry[1:].partition("]")
        host = inside
        if rest.startswith(":") and rest[1:].isdigit():
            port = int(rest[1:])
    elif entry.count(":") == 1:  # name:port or v4:port (a bare v6 address has several colons)
        name, _, number = entry.partition(":")
        if number.isdigit():
            host, port = name, int(number)
    try:
        return _Allowed(network=ipaddress.ip_network(host, strict=False), port=port)
    except ValueError:
        return _Allowed(name=_normal_name(host), port=port)


async def system_resolve(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives, in its order (numeric spellings included)."""
    import httpcore

    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedNetwork(_NetworkBackend):
    """httpcore's network backend with the guard in front of every connection.

    `resolve` and `inner` are the system resolver and the real sockets; tests give their own to
    see exactly which address a connection was opened to."""

    def __init__(
        self,
        guard: AddressGuard,
        *,
        resolve: Resolver = system_resolve,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        import httpcore

        self.guard = guard
        self.resolve = resolve
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        import httpcore

        addresses = self.guard.check(host, port, await self.resolve(host, port))
        failure: Exception | None = None
        for address in addresses:  # the checked address itself: no second lookup
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("feeds are never fetched over a local socket")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guard_connections(
    client: httpx.AsyncClient | httpx.AsyncHTTPTransport, network: httpcore.AsyncNetworkBackend
) -> None:
    """Send every connection `client` opens itself through `network`, keeping its TLS and pool
    settings: httpx has no public way to give a transport's pool a network backend (httpx is
    pinned below 0.29; its pool keeps it in `_network_backend`). A proxy the environment names
    (HTTPS_PROXY) is left alone: that proxy resolves the host, so it must refuse private addresses."""
    import httpcore
    import httpx

    transport = client._transport if isinstance(client, httpx.AsyncClient) else client
    pool = getattr(transport, "_pool", None)
    if not isinstance(pool, httpcore.AsyncConnectionPool):  # fail closed if httpx is ever laid out otherwise
        raise TypeError(f"cannot guard the connections of {type(transport).__name__}")
    pool._network_backend = network
