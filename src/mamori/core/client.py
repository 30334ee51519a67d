"""The address of the person behind a request, trusting ``X-Forwarded-For`` only from a
proxy named in ``MAMORI_TRUSTED_PROXIES``.

Without trusted proxies the address is the connection's (``REMOTE_ADDR``): a client can
write any ``X-Forwarded-For`` it likes, so the header is ignored. When the connection comes
from a trusted proxy, the header is read from the right (each proxy appends the address it
received the request from) and the first address that is not itself a trusted proxy is the
client's. The audit log, the sign-in lockout (django-axes) and the sign-in records use it.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in configured)


def trusted_networks() -> tuple[Network, ...]:
    """Return the configured trusted proxies as networks (a single address is a /32)."""
    return _networks(tuple(getattr(settings, "MAMORI_TRUSTED_PROXIES", ()) or ()))


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted(address: str, networks: tuple[Network, ...] | None = None) -> bool:
    networks = trusted_networks() if networks is None else networks
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in networks)


def client_address(request: Any) -> str:
    """Return the client's address for ``request`` (an ``HttpRequest``), or ``""``."""
    if request is None:
        return ""
    meta = getattr(request, "META", {})
    remote = meta.get("REMOTE_ADDR", "") or ""
    networks = trusted_networks()
    if not networks or not is_trusted(remote, networks):
        return remote
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        parsed = _parse(hop)
        if parsed is None:
            # Garbage in the chain: what lies left of it cannot be trusted either.
            return remote
        if not any(parsed in network for network in networks):
            return str(parsed)
    # Every hop is a trusted proxy: the left-most one is the farthest known.
    return str(_parse(hops[0])) if hops else remote
