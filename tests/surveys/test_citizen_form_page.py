"""The unanswered form is rendered once per form URL and language and shared between visitors;
each visit gets its own ticket, CSRF token and language-switch return path."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client, RequestFactory

from surveys.models import Response, ServiceUnit
from surveys.views.citizen import survey_form
from tests.surveys.citizen_support import TTL, Clock, filled_form, ticket_from

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEXT_INPUT = re.compile(r'name="next" value="([^"]*)"')


@pytest.fixture
def url(city: Any, instrument: Any, period: Any) -> str:
    return f"/s/{city.kelurahan.code}/"


def _personal(html: str) -> str:
    """The page without what belongs to one visitor."""
    return CSRF_INPUT.sub("", re.sub(r'name="t" value="[^"]+"', "", html))


def test_two_visitors_share_the_page_but_not_the_ticket_or_the_csrf_token(url: str, clock: Clock) -> None:
    first, second = Client().get(url).content.decode(), Client().get(url).content.decode()
    assert ticket_from(first) != ticket_from(second)
    assert set(CSRF_INPUT.findall(first)).isdisjoint(CSRF_INPUT.findall(second))
    assert len(set(CSRF_INPUT.findall(first))) == 1  # the language switch and the form carry the same token
    assert _personal(first) == _personal(second)
    assert "slot" not in NEXT_INPUT.search(first).group(1)  # type: ignore[union-attr]


def test_a_shared_page_is_submitted_with_csrf_checks_on(url: str, instrument: Any, clock: Clock) -> None:
    Client().get(url)  # someone else's visit fills the cache
    browser = Client(enforce_csrf_checks=True)
    html = browser.get(url).content.decode()
    token = CSRF_INPUT.search(html).group(1)  # type: ignore[union-attr]
    data = filled_form(instrument) | {"csrfmiddlewaretoken": token}
    assert browser.post(url, data).status_code == 302
    assert Response.objects.count() == 1


def test_the_language_switch_returns_each_visitor_to_their_own_link(url: str, clock: Clock) -> None:
    Client().get(url)
    html = Client().get(url, {"src": "qr", "x": '"><script>'}).content.decode()
    assert NEXT_INPUT.search(html).group(1) == f"{url}?src=qr&amp;x=%22%3E%3Cscript%3E"  # type: ignore[union-attr]


def test_each_language_has_its_own_page(url: str, clock: Clock) -> None:
    indonesian = Client().get(url).content.decode()
    english_browser = Client()
    english_browser.cookies["django_language"] = "en"
    english = english_browser.get(url).content.decode()
    assert "Kirim jawaban" in indonesian and "Kirim jawaban" not in english
    assert '<html lang="en">' in english


def test_a_renamed_unit_shows_its_new_name_within_the_ttl(url: str, city: Any, clock: Clock) -> None:
    assert "24 Ilir" in Client().get(url).content.decode()
    ServiceUnit.objects.filter(pk=city.kelurahan.pk).update(name="Dua Puluh Empat Ilir")  # as another process would
    clock.now += TTL
    assert "Dua Puluh Empat Ilir" in Client().get(url).content.decode()


def test_a_visitor_with_a_pending_message_sees_it(url: str, city: Any, clock: Clock) -> None:
    Client().get(url)
    request = RequestFactory().get(url)
    request.session = {}  # type: ignore[assignment]
    storage = FallbackStorage(request)
    request._messages = storage  # type: ignore[attr-defined]
    storage.add(constants.INFO, "Bahasa diganti.")
    page = survey_form(request, city.kelurahan.code)
    assert "Bahasa diganti." in page.content.decode()
    assert storage.used  # shown, so the middleware lets it go


def test_a_refreshed_but_unchanged_setup_reuses_the_page(url: str, clock: Clock) -> None:
    assert Client().get(url).templates  # rendered once
    clock.now += TTL  # the unit's setup is read again, with the same content
    assert not Client().get(url).templates


def test_a_question_reworded_by_another_process_is_asked_within_the_ttl(
    url: str, instrument: Any, clock: Clock
) -> None:
    Client().get(url)
    instrument.elements.filter(code="WAKTU").update(question_id="Seberapa cepat layanan selesai?")  # no signal
    clock.now += TTL
    assert "Seberapa cepat layanan selesai?" in Client().get(url).content.decode()
