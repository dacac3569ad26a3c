"""Window counters in the shared cache: how many forms and submissions came from one source.

A source is an opaque bucket name (a keyed hash of the client's source, which
`surveys.client_address` decides: an IPv4 address, an IPv6 /64; of that source and the browser;
a kiosk; a unit); the raw address is never stored, not even in the cache. A `Limit` either
refuses what goes over it (a hard ceiling: the request is answered 429 and nothing is stored, in a
fixed window, so "try again in" stays true) or, with a `hold_reason`, lets it be stored but held
for review (in a sliding window: a burst across a window's boundary is still a burst). Which limits
apply is `surveys.intake`'s decision. The counters live in Django's default cache: with
CACHE_URL=redis://... every app process sees the same counts, and one submission costs one Redis
round trip.
"""

from __future__ import annotations

import hashlib
import hmac
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

from surveys import clock
from surveys.client_address import client_source
from surveys.models import Kiosk

KEY_PREFIX = "surveys:rate"


@dataclass(frozen=True)
class Limit:
    """Who is counted (an opaque bucket name), and how many a window allows. Going over a limit
    with a `hold_reason` holds the submission for review; going over one without refuses it."""

    bucket: str
    allowed: int
    window_seconds: int
    hold_reason: str = ""

    @property
    def refuses(self) -> bool:
        return not self.hold_reason


def client_fingerprint(request: HttpRequest) -> str:
    """A keyed hash of the client's address and browser; it cannot be turned back into either."""
    address = client_source(request)
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


def _key(limit: Limit, now: float, *, windows_back: int = 0) -> str:
    return f"{KEY_PREFIX}:{limit.bucket}:{int(now // limit.window_seconds) - windows_back}"


def _previous_weight(limit: Limit, now: float) -> int:
    """How much of the previous window still lies inside the sliding window ending `now`, in
    millionths: a holding limit slides (the previous window's count times the share of it not yet
    passed, rounded, plus the current window's count, the usual two-window estimate), so a burst cannot
    hide by straddling a window's boundary. A refusing limit keeps its fixed window (0), so the
    "try again in" a refused client is told stays true."""
    if limit.refuses:
        return 0
    elapsed = now % limit.window_seconds
    return int(WEIGHT_SCALE * (limit.window_seconds - elapsed) / limit.window_seconds)


WEIGHT_SCALE = 1_000_000


def take(limits: Sequence[Limit], *, store: BaseCache | None = None, now: float | None = None) -> dict[Limit, int]:
    """Count one submission against every limit at once; returns the limits it goes over, each
    with its count (for a holding limit, the sliding estimate).
    Counted first and checked after, so two processes racing at the ceiling cannot both pass.
    When a refusing limit is over, the counts are given back at once: a refused submission counts
    nowhere (one over a holding limit is stored, so it stays counted). One Redis round trip."""
    moment = clock.now() if now is None else now  # one reading: the give-back hits the same windows
    counts = _add(limits, +1, store=store, now=moment)
    over = {limit: count for limit, count in zip(limits, counts, strict=True) if count > limit.allowed}
    if any(limit.refuses for limit in over):
        give_back(limits, store=store, now=moment)
    return over


def give_back(limits: Sequence[Limit], *, store: BaseCache | None = None, now: float | None = None) -> None:
    """Undo `take` for a submission that was not stored after all (a duplicate, a database error).
    Pass the same `now` as to `take`, so the count returns to the window it was taken from."""
    _add(limits, -1, store=store, now=now)


def seconds_until_reset(limit: Limit, *, now: float | None = None) -> int:
    """How long until the current window ends and the client may send again."""
    moment = clock.now() if now is None else now
    return max(1, int(limit.window_seconds - moment % limit.window_seconds))


def _add(limits: Sequence[Limit], delta: int, *, store: BaseCache | None, now: float | None) -> list[int]:
    """Move each limit's current window counter by `delta`; returns the counts after (a sliding
    limit's with its share of the previous window added). On Redis one script call (one round
    trip, atomic across app processes); other caches use add(), incr() and get()."""
    store = store or caches["default"]
    moment = clock.now() if now is None else now
    weights = [_previous_weight(limit, moment) for limit in limits]
    # a sliding window's counter is read during the next window too
    timeouts = [limit.window_seconds * (2 if weight else 1) + 60 for limit, weight in zip(limits, weights, strict=True)]
    current = [_key(limit, moment) for limit in limits]
    previous = [_key(limit, moment, windows_back=1) for limit in limits]
    if isinstance(store, RedisCache):
        keys = [store.make_and_validate_key(key) for pair in zip(current, previous, strict=True) for key in pair]
        args = [arg for pair in zip(timeouts, weights, strict=True) for arg in pair]
        counted = _redis_script(store)(keys=keys, args=[delta, *args])
        return [int(count) for count in counted]
    counts = []
    for key, before, timeout, weight in zip(current, previous, timeouts, weights, strict=True):
        count = _incr(store, key, timeout, delta)
        if weight:
            count += (int(store.get(before, 0)) * weight + WEIGHT_SCALE // 2) // WEIGHT_SCALE
        counts.append(count)
    return counts


# KEYS: each limit's current and previous window counters, in pairs; ARGV: the delta, then each
# limit's expiry in seconds and its previous window's weight in millionths, in pairs. A counter
# without an expiry (just created, by INCRBY) gets one, so no counter outlives its use; the
# previous window is read only for a sliding limit (weight above 0).
ADD_SCRIPT = """
local counts = {}
for i = 1, #KEYS / 2 do
  local key = KEYS[2 * i - 1]
  local count = redis.call('INCRBY', key, ARGV[1])
  if redis.call('TTL', key) < 0 then
    redis.call('EXPIRE', key, ARGV[2 * i])
  end
  local weight = tonumber(ARGV[2 * i + 1])
  if weight > 0 then
    local previous = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
    count = count + math.floor((previous * weight + 500000) / 1000000)
  end
  counts[i] = count
end
return counts
"""


def _redis_script(store: RedisCache) -> Any:
    """`ADD_SCRIPT` registered on the cache's own connection pool (one EVALSHA per call, atomic
    in Redis), made once per cache object: Django builds a new Redis client for every cache
    call, which costs more than the call itself. Counters are plain integers, as Django's Redis
    cache stores ints, so its get() reads them too."""
    script = _redis_scripts.get(store)
    if script is None:
        script = _redis_scripts[store] = store._cache.get_client(write=True).register_script(ADD_SCRIPT)
    return script


_redis_scripts: weakref.WeakKeyDictionary[RedisCache, Any] = weakref.WeakKeyDictionary()


def _incr(store: BaseCache, key: str, timeout: int, delta: int) -> int:
    store.add(key, 0, timeout=timeout)
    try:
        return store.incr(key, delta)
    except ValueError:  # the key expired between add() and incr()
        store.set(key, delta, timeout=timeout)
        return delta


def address_bucket(request: HttpRequest) -> str:
    """A keyed hash of the client's address alone (whatever browser it claims to be)."""
    secret = hashlib.sha256(f"{KEY_PREFIX}:address:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(secret, client_source(request).encode(), hashlib.sha256).hexdigest()[:32]


def address_limits(request: HttpRequest, kiosk: Kiosk | None = None) -> list[Limit]:
    """A wider ceiling per address alone, so a script cannot escape the per-client limit by
    changing its User-Agent on every request. Generous enough for an office behind one NAT;
    kiosks are limited per device instead."""
    if kiosk is not None:
        return []
    return [
        Limit(
            bucket=f"address:{address_bucket(request)}",
            allowed=settings.SURVEY_RATE_LIMIT_PER_ADDRESS,
            window_seconds=settings.SURVEY_RATE_WINDOW_SECONDS,
        )
    ]


def source_tag(request: HttpRequest, period_id: int) -> str:
    """16 bits of a keyed hash of the client's address and the period: stored with a response so
    that many responses from one place stand out, while tens of thousands of addresses share each
    tag (it cannot name anyone), and the tags of different periods cannot be joined."""
    secret = hashlib.sha256(f"{KEY_PREFIX}:source:{settings.SECRET_KEY}".encode()).digest()
    message = f"{period_id}\n{client_source(request)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:4]
