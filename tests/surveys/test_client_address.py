"""The one function that decides a client's address, from the number of trusted proxies."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from surveys.client_address import address_source, client_address, client_source


def _request(forwarded: str | None = None, remote: str = "127.0.0.1") -> Any:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_a_proxy_the_address_is_the_peer_and_forwarded_for_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request("6.6.6.6", remote="36.72.1.9")) == "36.72.1.9"


def test_behind_one_proxy_the_address_is_the_entry_the_proxy_appended(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request("36.72.1.9")) == "36.72.1.9"


def test_behind_one_proxy_entries_the_client_wrote_on_the_left_are_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request("6.6.6.6, 7.7.7.7,  36.72.1.9")) == "36.72.1.9"
    assert client_address(_request("not-an-address, 36.72.1.9")) == "36.72.1.9"


def test_behind_two_proxies_the_address_is_the_second_entry_from_the_right(settings: Any) -> None:
    """A CDN appends the client; nginx appends the CDN's address."""
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(_request("6.6.6.6, 36.72.1.9, 104.16.0.1")) == "36.72.1.9"


def test_with_fewer_entries_than_proxies_the_left_most_proxy_written_entry_is_used(settings: Any) -> None:
    """Entered behind the outer proxy: the one entry there was written by the inner proxy."""
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(_request("36.72.1.9")) == "36.72.1.9"


@pytest.mark.parametrize("header", [None, "", " , ,"])
def test_with_no_forwarded_entry_the_peer_address_is_used(settings: Any, header: str | None) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request(header, remote="10.0.0.2")) == "10.0.0.2"


def test_an_entry_that_is_not_an_address_falls_back_to_the_peer(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request("36.72.1.9, unknown", remote="10.0.0.2")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("36.72.1.9:51234", "36.72.1.9"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
    ],
)
def test_ports_are_dropped_and_addresses_normalised(settings: Any, entry: str, expected: str) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request(entry)) == expected


def test_the_login_lockout_asks_the_same_function(settings: Any) -> None:
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = _request("6.6.6.6, 36.72.1.9")
    assert get_client_ip_address(request) == client_source(request) == "36.72.1.9"


@pytest.mark.parametrize(
    ("address", "source"),
    [
        ("36.72.1.9", "36.72.1.9"),  # IPv4: the address itself
        ("2001:db8:77:1:abcd:ef01:2345:6789", "2001:db8:77:1::"),  # IPv6: its /64
        ("2001:db8:77:1::1", "2001:db8:77:1::"),
        ("2001:db8:77:2::1", "2001:db8:77:2::"),
        ("::ffff:36.72.1.9", "36.72.1.9"),  # IPv4 mapped into IPv6: the IPv4 address
        ("", ""),
    ],
)
def test_a_source_is_an_ipv4_address_or_an_ipv6_64(address: str, source: str) -> None:
    assert address_source(address) == source


def test_the_login_lockout_counts_an_ipv6_client_by_its_64(settings: Any) -> None:
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = _request("2001:db8:66:1:1234:5678:9abc:def0")
    assert get_client_ip_address(request) == "2001:db8:66:1::"
