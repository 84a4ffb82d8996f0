"""Who sent a request: the socket's peer, or, when that peer is a reverse proxy we were told to
trust (``PORTE_VOIX_TRUSTED_PROXIES``), the address and scheme it forwards.

Anyone can write an ``X-Forwarded-For`` header: believed from anyone, it would let a robot pick a
new address for each request and never meet the rate limit.
"""

from __future__ import annotations

import ipaddress
from typing import Any

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """``"127.0.0.1, 10.0.0.0/8"`` as networks (ValueError when one is not an address)."""
    return tuple(ipaddress.ip_network(part.strip()) for part in text.split(",") if part.strip())


def trusted(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    """True when ``address`` is an IP address inside one of ``networks``."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def forwarded_client(peer: str, forwarded_for: str, networks: tuple[IPNetwork, ...]) -> str:
    """The client's address: from the right of ``X-Forwarded-For``, the first hop that is not a
    trusted proxy (the hops left of it were written by the client and prove nothing)."""
    client = peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if not trusted(client, networks):
            break
        try:
            client = str(ipaddress.ip_address(hop))
        except ValueError:
            break
    return client


class TrustedProxies:
    """ASGI middleware: behind a trusted proxy, the forwarded client and scheme replace the peer's."""

    def __init__(self, app: Any, networks: tuple[IPNetwork, ...]) -> None:
        self.app, self.networks = app, networks

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        peer = (scope.get("client") or ("", 0))[0]
        if scope["type"] == "http" and self.networks and trusted(peer, self.networks):
            headers = _headers(scope)
            client = forwarded_client(peer, headers.get("x-forwarded-for", ""), self.networks)
            scheme = headers.get("x-forwarded-proto", "").rsplit(",", 1)[-1].strip().lower()
            scope = {
                **scope,
                "client": (client, 0),
                "scheme": scheme if scheme in ("http", "https") else scope["scheme"],
            }
        await self.app(scope, receive, send)


def _headers(scope: dict[str, Any]) -> dict[str, str]:
    """The request's headers, those given several times joined with commas."""
    joined: dict[str, str] = {}
    for name, value in scope["headers"]:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        joined[key] = f"{joined[key]},{text}" if key in joined else text
    return joined
