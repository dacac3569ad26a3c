"""Behind a reverse proxy: the lockout locks the attacker's address, not the account for everyone;
forged X-Forwarded-For entries move neither the lockout nor the survey's rate limits."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from surveys.models import Response
from tests.conftest import PASSWORD
from tests.surveys.citizen_support import filled_form

pytestmark = pytest.mark.django_db
PROXY = "127.0.0.1"  # nginx on the same machine: every request's REMOTE_ADDR
ATTACKER = "203.0.113.66"


@pytest.fixture(autouse=True)
def _own_cache(settings: Any) -> None:
    """Rate-limit counts in this process's memory (parallel workers share one Redis)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "proxy"}}
    settings.SURVEY_RATE_WINDOW_SECONDS = 10**9
    cache.clear()


def _login(forwarded: str, password: str) -> Any:
    """A login through the proxy, which appended the peer's address to X-Forwarded-For."""
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    return client.post(reverse("login"), {"username": "analis", "password": password})


def test_behind_one_proxy_wrong_passwords_lock_the_attackers_address_only(secretariat: Any, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(settings.AXES_FAILURE_LIMIT - 1):
        # the attacker writes a different address of their own before the one the proxy appends
        assert _login(f"10.9.8.{number}, {ATTACKER}", "salah").status_code == 200
    assert _login(f"10.9.8.99, {ATTACKER}", "salah").status_code == 429  # the last allowed failure locks
    assert _login(ATTACKER, PASSWORD).status_code == 429  # locked, even with the right password
    assert _login(f"1.2.3.4, {ATTACKER}", PASSWORD).status_code == 429  # a forged left entry does not help
    answer = _login("36.72.1.9", PASSWORD)  # the real secretariat, from its office
    assert answer.status_code == 302 and answer["Location"] == reverse("staff-home")


def test_without_a_proxy_a_forwarded_for_header_is_not_an_address(secretariat: Any, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"10.9.8.{number}")
        attempt.post(reverse("login"), {"username": "analis", "password": "salah"})
    again = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="36.72.1.9")
    assert again.post(reverse("login"), {"username": "analis", "password": PASSWORD}).status_code == 429


def _post_forms(city: Any, instrument: Any, clients: list[Client]) -> list[int]:
    url = f"/s/{city.kelurahan.code}/"
    return [client.post(url, filled_form(instrument)).status_code for client in clients]


def test_without_a_proxy_a_rotating_forwarded_for_does_not_dodge_the_rate_limit(
    city: Any, instrument: Any, period: Any, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    settings.SURVEY_RATE_LIMIT_PER_ADDRESS = 3
    bots = [
        Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.{number}.1", HTTP_USER_AGENT=f"bot-{number}")
        for number in range(6)
    ]
    assert _post_forms(city, instrument, bots) == [302, 302, 302, 429, 429, 429]
    assert Response.objects.count() == 3


def test_behind_a_proxy_spoofed_left_entries_do_not_dodge_the_rate_limit(
    city: Any, instrument: Any, period: Any, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SURVEY_RATE_LIMIT_PER_ADDRESS = 3
    bots = [
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"10.0.{number}.1, {ATTACKER}", HTTP_USER_AGENT=f"bot-{number}")
        for number in range(6)
    ]
    assert _post_forms(city, instrument, bots) == [302, 302, 302, 429, 429, 429]
    neighbour = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="36.72.1.9")  # another citizen, same proxy
    assert _post_forms(city, instrument, [neighbour]) == [302]
    assert Response.objects.count() == 4


def test_wrong_passwords_from_one_ipv6_64_lock_out_that_64(secretariat: Any, settings: Any) -> None:
    """An IPv6 line holds a whole /64: an attacker taking a new address for every try is still one."""
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(f"2001:db8:66:1::{number + 1:x}", "salah").status_code == 200
    assert _login("2001:db8:66:1:ffff::1", "salah").status_code == 429  # the last allowed failure locks
    assert _login("2001:db8:66:1:abcd::2", PASSWORD).status_code == 429  # anywhere in that /64
    answer = _login("2001:db8:66:2::1", PASSWORD)  # the next /64: someone else's line
    assert answer.status_code == 302 and answer["Location"] == reverse("staff-home")
