"""A scripted flood of 1,000 submissions from one client does not move a unit's index."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from reports import tallies as report_tallies
from surveys.forms import ticket_issue
from surveys.models import Response, SpamReason
from tests import builders
from tests.conftest import PASSWORD, logged_in
from tests.surveys.citizen_support import filled_form, old_ticket, ticket_from

pytestmark = pytest.mark.django_db
FLOOD = 1000


@pytest.fixture(autouse=True)
def _own_cache(settings: Any) -> None:
    """Counts in this process's memory: parallel test workers sharing one Redis database clear
    each other's counters (the Redis path itself is tested in tests/surveys/test_citizen_ratelimit.py)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ballots"}}
    settings.SURVEY_RATE_WINDOW_SECONDS = 10**9  # no window boundary falls inside a flood


@pytest.fixture
def honest(city: Any, instrument: Any, period: Any) -> Any:
    """Forty honest citizens gave 24 Ilir good marks."""
    for _ in range(40):
        builders.make_response(city.kelurahan, [4, 3, 4, 3, 4, 3, 4, 3, 4], instrument=instrument, period=period)
    return city


def _index(city: Any, period: Any) -> Any:
    tallies = report_tallies.tally_responses(Response.objects.for_unit(city.kelurahan).in_period(period))
    return tallies[city.kelurahan.pk].result()


def _countable(city: Any) -> int:
    return Response.objects.for_unit(city.kelurahan).countable().count()


@pytest.mark.slow
def test_a_fast_scripted_flood_is_flagged_or_refused_and_never_counted(
    honest: Any, instrument: Any, period: Any, settings: Any
) -> None:
    before = (_countable(honest), _index(honest, period))
    bot = Client(REMOTE_ADDR="198.51.100.9", HTTP_USER_AGENT="python-requests/2.32")
    url = f"/s/{honest.kelurahan.code}/"
    statuses: dict[int, int] = {}
    for number in range(FLOOD):
        # a fresh form answered in milliseconds (the first few really fetched, the rest minted alike)
        ticket = ticket_from(bot.get(url).content.decode()) if number < 20 else ticket_issue()
        status = bot.post(url, filled_form(instrument, ticket=ticket, score=1)).status_code
        statuses[status] = statuses.get(status, 0) + 1
    assert (_countable(honest), _index(honest, period)) == before
    flagged = Response.objects.filter(spam_reason=SpamReason.TOO_FAST).count()
    assert flagged <= settings.SURVEY_RATE_LIMIT  # the rate limit stopped the rest from being stored at all
    assert statuses.get(429, 0) == FLOOD - flagged


def test_replaying_one_form_a_thousand_times_stores_it_once(honest: Any, instrument: Any, period: Any) -> None:
    data = filled_form(instrument, score=1)
    for _ in range(FLOOD):
        assert Client().post(f"/s/{honest.kelurahan.code}/", data).status_code == 302
    assert _countable(honest) == 41


@pytest.mark.slow
def test_a_patient_flood_with_rotating_browsers_is_capped_by_the_address_limit(
    honest: Any, instrument: Any, period: Any, settings: Any
) -> None:
    """Tickets aged past the fill-time check, a new User-Agent each time: the per-client limit is
    dodged, the per-address ceiling is not."""
    before = _countable(honest)
    statuses: dict[int, int] = {}
    for number in range(FLOOD):
        bot = Client(REMOTE_ADDR="198.51.100.9", HTTP_USER_AGENT=f"Mozilla/5.0 bot-{number}")
        response = bot.post(f"/s/{honest.kelurahan.code}/", filled_form(instrument, ticket=old_ticket(), score=1))
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    stored = statuses.get(302, 0)
    assert 0 < stored <= settings.SURVEY_RATE_LIMIT_PER_ADDRESS, statuses
    assert statuses.get(429, 0) >= FLOOD - settings.SURVEY_RATE_LIMIT_PER_ADDRESS, statuses
    assert _countable(honest) - before == stored


def test_forged_tickets_store_nothing(honest: Any, instrument: Any) -> None:
    for number in range(100):
        ticket = f"eyJrIjoi{number:08d}:1tTx:forged"
        assert Client().post(f"/s/{honest.kelurahan.code}/", filled_form(instrument, ticket=ticket)).status_code == 400
    assert Response.objects.count() == 40


def test_flagged_responses_are_visible_to_admins(honest: Any, instrument: Any, period: Any) -> None:
    builders.make_response(honest.kelurahan, [1] * 9, instrument=instrument, period=period, spam_reason="too_fast")
    builders.make_response(honest.kelurahan, [1] * 9, instrument=instrument, period=period, spam_reason="honeypot")
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    page = logged_in(root).get("/admin/surveys/response/", {"spam_reason__exact": "too_fast"})
    assert page.status_code == 200
    assert "1 respons" in page.content.decode() or "1 result" in page.content.decode()
    assert Response.objects.flagged().count() == 2
