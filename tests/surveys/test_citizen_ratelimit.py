"""The submission limiter: counted in the shared cache, per hashed client or per kiosk."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from surveys import ratelimit
from surveys.models import Kiosk

REDIS_URL = "redis://127.0.0.1:6379/1"


def _redis_process_cache(prefix: str) -> RedisCache:
    """A cache client as a separate app process would build it from CACHE_URL."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


@pytest.fixture
def redis_prefix() -> Any:
    prefix = f"skm-test-{uuid.uuid4().hex}"
    probe = _redis_process_cache(prefix)
    try:
        probe.set("probe", 1, timeout=5)
    except Exception as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {error}")
    yield prefix
    client = probe._cache.get_client(write=True)  # remove only this test's keys, never flush the database
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_the_count_holds_across_app_processes_sharing_redis(redis_prefix: str) -> None:
    limit = ratelimit.Limit(bucket="client:abc", allowed=2, window_seconds=60)
    process_a, process_b = _redis_process_cache(redis_prefix), _redis_process_cache(redis_prefix)
    now = 1_800_000_000.0
    assert ratelimit.take([limit], store=process_a, now=now) == {}
    assert ratelimit.take([limit], store=process_b, now=now) == {}
    assert ratelimit.take([limit], store=process_a, now=now) == {limit: 3}  # the third in the window
    assert ratelimit.take([limit], store=process_b, now=now) == {limit: 3}  # refusals count nowhere
    assert ratelimit.take([limit], store=process_b, now=now + 60) == {}  # the next window starts afresh


def test_on_redis_a_window_counter_expires_after_its_window(redis_prefix: str) -> None:
    limit = ratelimit.Limit(bucket="client:ttl", allowed=3, window_seconds=60)
    store = _redis_process_cache(redis_prefix)
    now = time.time()
    ratelimit.take([limit], store=store, now=now)
    key = store.make_and_validate_key(ratelimit._key(limit, now))
    assert 0 < store._cache.get_client(key).ttl(key) <= 120
    assert store.get(ratelimit._key(limit, now)) == 1  # a plain integer, readable through Django's cache


@pytest.mark.parametrize("backend", ["redis", "locmem"])
def test_several_limits_are_taken_together_and_given_back_together(
    backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "redis":
        store: BaseCache = _redis_process_cache(request.getfixturevalue("redis_prefix"))
    else:
        store = LocMemCache(f"limits-{uuid.uuid4().hex}", {})
    tight = ratelimit.Limit(bucket="client:one", allowed=1, window_seconds=60)
    wide = ratelimit.Limit(bucket="address:one", allowed=5, window_seconds=60)
    now = 1_800_000_000.0
    assert ratelimit.take([tight, wide], store=store, now=now) == {}
    assert ratelimit.take([tight, wide], store=store, now=now) == {tight: 2}
    ratelimit.give_back([tight, wide], store=store, now=now)  # the first was a duplicate after all
    assert ratelimit.take([tight, wide], store=store, now=now) == {}
    assert store.get(ratelimit._key(wide, now)) == 1  # the refused try and the given-back one count nowhere


def test_a_client_is_a_keyed_hash_of_address_and_browser() -> None:
    factory = RequestFactory()
    phone = factory.get("/", REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Android 10")
    tablet = factory.get("/", REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="iPad")
    fingerprint = ratelimit.client_fingerprint(phone)
    assert fingerprint == ratelimit.client_fingerprint(
        factory.get("/", REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Android 10")
    )
    assert fingerprint != ratelimit.client_fingerprint(tablet)
    assert "198.51.100.4" not in fingerprint and len(fingerprint) == 32


def test_a_kiosk_is_limited_per_device_with_its_own_ceiling(settings: Any) -> None:
    settings.SURVEY_RATE_LIMIT, settings.SURVEY_KIOSK_RATE_LIMIT = 2, 500
    request = RequestFactory().get("/")
    kiosk = Kiosk(pk=7)
    assert ratelimit.limit_for(request, kiosk) == ratelimit.Limit("kiosk:7", 500, settings.SURVEY_RATE_WINDOW_SECONDS)
    assert ratelimit.limit_for(request).allowed == 2


def test_two_citizens_behind_the_proxy_are_two_clients(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()
    first = factory.post("/", HTTP_X_FORWARDED_FOR="36.72.1.9", REMOTE_ADDR="127.0.0.1", HTTP_USER_AGENT="Chrome")
    second = factory.post("/", HTTP_X_FORWARDED_FOR="36.72.1.10", REMOTE_ADDR="127.0.0.1", HTTP_USER_AGENT="Chrome")
    assert ratelimit.client_fingerprint(first) != ratelimit.client_fingerprint(second)


def test_the_wait_is_what_is_left_of_the_window() -> None:
    limit = ratelimit.Limit(bucket="x", allowed=1, window_seconds=3600)
    assert ratelimit.seconds_until_reset(limit, now=7200 + 600) == 3000


@pytest.mark.parametrize("backend", ["redis", "locmem"])
def test_a_holding_limit_slides_over_its_window_boundary(backend: str, request: pytest.FixtureRequest) -> None:
    """The previous window's count weighs by the share of it still inside the last window's time."""
    if backend == "redis":
        store: BaseCache = _redis_process_cache(request.getfixturevalue("redis_prefix"))
    else:
        store = LocMemCache(f"sliding-{uuid.uuid4().hex}", {})
    hold = ratelimit.Limit(bucket="burst:one", allowed=10, window_seconds=600, hold_reason="alamat")
    ceiling = ratelimit.Limit(bucket="client:one", allowed=10, window_seconds=600)
    boundary = 1_800_000_000.0 - 1_800_000_000.0 % 600
    for second in range(10):
        assert ratelimit.take([hold, ceiling], store=store, now=boundary - 10 + second) == {}
    # 10 x 599/600 + 1 over the sliding hold; the fixed ceiling started afresh at the boundary
    assert ratelimit.take([hold, ceiling], store=store, now=boundary + 1) == {hold: 11}
    assert ratelimit.take([hold], store=store, now=boundary + 570) == {}  # 10 x 30/600 + 2, rounded: 3
    tight = ratelimit.Limit(bucket="burst:one", allowed=2, window_seconds=600, hold_reason="alamat")
    assert ratelimit.take([tight], store=store, now=boundary + 600) == {tight: 3}  # 2 x 600/600 + 1
    ratelimit.give_back([tight], store=store, now=boundary + 600)
    assert store.get(ratelimit._key(tight, boundary + 600)) == 0
