"""The small things of issue 18: a favicon, log lines printed once, a friendly 404 in the demo."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils.log import configure_logging

from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_every_page_links_a_favicon_that_exists(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert finders.find("favicon.svg") and finders.find("favicon.ico")  # served by runserver and whitenoise


def test_a_browser_asking_for_favicon_ico_is_sent_to_the_static_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"


@pytest.fixture
def logging_from_settings() -> Any:
    """Logging configured as the running site configures it (pytest's own capture aside), restored after."""
    root = logging.getLogger()
    kept = root.handlers[:]
    configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)
    yield
    configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)
    for handler in kept:
        if handler not in root.handlers:
            root.addHandler(handler)


@pytest.mark.parametrize("debug", [True, False])
def test_a_request_warning_is_printed_once(
    settings: Any, capsys: pytest.CaptureFixture[str], logging_from_settings: None, debug: bool
) -> None:
    settings.DEBUG = debug  # Django's default "django" console handler printed only with DEBUG on
    configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)
    logging.getLogger("django.request").warning("Not Found: /tidak-ada/")
    logging.getLogger("django.server").info('"GET / HTTP/1.1" 200 1234')
    logging.getLogger("surveys.intake").info("held for review")
    printed = capsys.readouterr().err
    assert printed.count("Not Found: /tidak-ada/") == 1
    assert printed.count('"GET / HTTP/1.1" 200 1234') == 1
    assert printed.count("held for review") == 1


def test_with_debug_on_an_unknown_address_shows_the_friendly_page(client: Client, settings: Any) -> None:
    settings.DEBUG = True
    settings.DEBUG_PAGES = False
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert "URLconf" not in html and "petugas/kota/" not in html


def test_with_debug_on_a_unit_admin_opening_a_secretariat_page_sees_the_friendly_page(
    kecamatan_admin: Any, settings: Any
) -> None:
    settings.DEBUG = True
    settings.DEBUG_PAGES = False
    response = logged_in(kecamatan_admin).get("/petugas/kota/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert "not the secretariat" not in html and "URLconf" not in html


def test_a_developer_who_asks_for_debug_pages_gets_django_s_page(client: Client, settings: Any) -> None:
    settings.DEBUG = True
    settings.DEBUG_PAGES = True
    html = client.get("/tidak-ada-halaman-ini/").content.decode()
    assert "URLconf" in html


def test_a_missing_trailing_slash_is_still_redirected_with_debug_on(secretariat: Any, settings: Any) -> None:
    settings.DEBUG = True
    settings.DEBUG_PAGES = False
    response = logged_in(secretariat).get("/petugas/kota")
    assert response.status_code == 301
    assert response["Location"] == "/petugas/kota/"


def test_with_debug_on_a_missing_page_is_logged_once(
    client: Client, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.DEBUG = True
    settings.DEBUG_PAGES = False
    with caplog.at_level(logging.WARNING):
        client.get("/tidak-ada-halaman-ini/")
    assert [record.getMessage() for record in caplog.records].count("Not Found: /tidak-ada-halaman-ini/") == 1
