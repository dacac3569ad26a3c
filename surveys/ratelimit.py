"""A fixed-window submission limit per client, kept in the shared cache.

A client is a salted hash of its address and browser (the raw address is never stored, not even
in the cache); a kiosk is limited per device instead, with a much higher ceiling, so a busy
counter where many people share one tablet is never blocked. The counter lives in Django's
default cache: with CACHE_URL=redis://... every app process sees the same counts.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, cache
from django.http import HttpRequest

from surveys.models import Kiosk

KEY_PREFIX = "surveys:rate"


@dataclass(frozen=True)
class Limit:
    """Who is counted (an opaque bucket name), and how many submissions a window allows."""

    bucket: str
    allowed: int
    window_seconds: int


def client_address(request: HttpRequest) -> str:
    """The citizen's address: behind our reverse proxy, the last hop it appended to
    X-Forwarded-For (earlier entries can be forged by the client); otherwise REMOTE_ADDR."""
    if settings.BEHIND_PROXY:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if forwarded:
            return str(forwarded[-1])
    return str(request.META.get("REMOTE_ADDR", ""))


def client_fingerprint(request: HttpRequest) -> str:
    """A keyed hash of the client's address and browser; it cannot be turned back into either."""
    address = client_address(request)
    browser = request.META.get("HTTP_USER_AGENT", "")[:300]
    secret = hashlib.sha256(f"{KEY_PREFIX}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(secret, f"{address}\n{browser}".encode(), hashlib.sha256).hexdigest()[:32]


def limit_for(request: HttpRequest, kiosk: Kiosk | None = None) -> Limit:
    window = settings.SURVEY_RATE_WINDOW_SECONDS
    if kiosk is not None:
        return Limit(bucket=f"kiosk:{kiosk.pk}", allowed=settings.SURVEY_KIOSK_RATE_LIMIT, window_seconds=window)
    return Limit(
        bucket=f"client:{client_fingerprint(request)}", allowed=settings.SURVEY_RATE_LIMIT, window_seconds=window
    )


def _key(limit: Limit, now: float) -> str:
    return f"{KEY_PREFIX}:{limit.bucket}:{int(now // limit.window_seconds)}"


def is_exceeded(limit: Limit, *, store: BaseCache | None = None, now: float | None = None) -> bool:
    """Whether this window's submissions have already reached the limit."""
    store = store or cache
    count = store.get(_key(limit, time.time() if now is None else now), 0)
    return int(count) >= limit.allowed


def seconds_until_reset(limit: Limit, *, now: float | None = None) -> int:
    """How long until the current window ends and the client may send again."""
    moment = time.time() if now is None else now
    return max(1, int(limit.window_seconds - moment % limit.window_seconds))


def record(limit: Limit, *, store: BaseCache | None = None, now: float | None = None) -> int:
    """Count one stored submission; returns the window's count so far (atomic on Redis)."""
    store = store or cache
    key = _key(limit, time.time() if now is None else now)
    store.add(key, 0, timeout=limit.window_seconds + 60)
    try:
        return store.incr(key)
    except ValueError:  # the key expired between add() and incr()
        store.set(key, 1, timeout=limit.window_seconds + 60)
        return 1


def address_limits(request: HttpRequest, kiosk: Kiosk | None = None) -> list[Limit]:
    """A wider ceiling per address alone, so a script cannot escape the per-client limit by
    changing its User-Agent on every request. Generous enough for an office behind one NAT;
    kiosks are limited per device instead."""
    if kiosk is not None:
        return []
    address = client_address(request)
    secret = hashlib.sha256(f"{KEY_PREFIX}:address:{settings.SECRET_KEY}".encode()).digest()
    bucket = hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]
    return [
        Limit(
            bucket=f"address:{bucket}",
            allowed=settings.SURVEY_RATE_LIMIT_PER_ADDRESS,
            window_seconds=settings.SURVEY_RATE_WINDOW_SECONDS,
        )
    ]
