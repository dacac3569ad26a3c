"""The one place that decides a client's network address (rate limits and the login lockout).

`client_source` is what every limit counts by (the survey's rate limits and holds, the source tag,
the login lockout): the address itself for IPv4, and the /64 network for IPv6, because one
subscriber line is given a whole /64 and may rotate freely through its 2^64 addresses.

Configured by `TRUSTED_PROXY_COUNT`, the number of reverse proxies in front of the app that
each append the address they received the request from to X-Forwarded-For (nginx does with
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`):

- 0 (no proxy): REMOTE_ADDR. X-Forwarded-For is ignored: anyone can write it.
- N: the N-th entry from the right end of X-Forwarded-For. The N right-most entries were
  written by our own proxies; everything to their left came from the client and may be forged.
  With fewer entries than N (a request that entered behind the outer proxies) the left-most
  entry is used: each of them was still written by one of our proxies. With no X-Forwarded-For
  at all, or an entry that is not an IP address, REMOTE_ADDR (the nearest peer) is used.

The app must only be reachable through those proxies (gunicorn bound to 127.0.0.1 or a private
network): a client that could reach it directly could write the whole header itself.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text (normalised), decided by the trusted proxy count."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    written_by_proxies = [entry.strip() for entry in header.rsplit(",", proxies)[-proxies:]]
    written_by_proxies = [entry for entry in written_by_proxies if entry]
    if not written_by_proxies:
        return remote
    return _ip(written_by_proxies[0]) or remote


IPV6_SOURCE_PREFIX = 64


def client_source(request: HttpRequest) -> str:
    """The source a client is counted as: its IPv4 address, or its IPv6 address with the 64
    interface bits cleared (the /64 network, written as an address so the login lockout can store
    it). An IPv4 address mapped into IPv6 is its IPv4 address."""
    return address_source(client_address(request))


def address_source(address: str) -> str:
    """`client_source` for an address given as text; anything not an address is kept as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv4Address):
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    network = ipaddress.IPv6Network((ip, IPV6_SOURCE_PREFIX), strict=False)
    return str(network.network_address)


def _ip(entry: str) -> str | None:
    """`entry` as a normalised IP address; a port (`1.2.3.4:5678`, `[2001:db8::1]:443`) is dropped."""
    candidates = [entry]
    if entry.startswith("[") and "]" in entry:
        candidates.append(entry[1 : entry.index("]")])
    elif entry.count(":") == 1:
        candidates.append(entry.split(":", 1)[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None
