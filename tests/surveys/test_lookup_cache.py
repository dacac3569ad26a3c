"""The citizen form's per-process lookup cache: how stale it may get, and what it never caches."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from surveys import lookup_cache
from surveys.models import Instrument, InstrumentState, Period, PeriodState, Response
from tests import builders
from tests.surveys.citizen_support import TTL, Clock, filled_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(city: Any, instrument: Any, period: Any) -> Any:
    return city


def is_form(page: Any) -> bool:
    return page.status_code == 200 and b'name="element_WAKTU"' in page.content


def test_a_period_closed_by_another_process_stops_taking_forms_within_the_ttl(
    survey: Any, period: Period, clock: Clock
) -> None:
    url = f"/s/{survey.kelurahan.code}/"
    assert is_form(Client().get(url))
    Period.objects.filter(pk=period.pk).update(state=PeriodState.CLOSED)  # no signal: as if another process did it
    clock.now += TTL - 1
    assert is_form(Client().get(url))  # still inside the staleness bound
    clock.now += 1
    assert not is_form(Client().get(url))


def test_an_instrument_published_by_another_process_is_asked_within_the_ttl(
    survey: Any, instrument: Instrument, clock: Clock
) -> None:
    url = f"/s/{survey.kelurahan.code}/"
    own = builders.make_instrument(published=False, unit=survey.kelurahan)
    Client().get(url)
    Instrument.objects.filter(pk=instrument.pk).update(state=InstrumentState.RETIRED)
    Instrument.objects.filter(pk=own.pk).update(state=InstrumentState.PUBLISHED, published_at=timezone.now())
    Client().post(url, filled_form(instrument))
    clock.now += TTL
    Client().post(url, filled_form(own))
    assert list(Response.objects.order_by("submitted_at").values_list("instrument", flat=True)) == [
        instrument.pk,
        own.pk,
    ]


def test_a_period_closed_in_this_process_takes_effect_at_once(survey: Any, period: Period, clock: Clock) -> None:
    url = f"/s/{survey.kelurahan.code}/"
    assert is_form(Client().get(url))
    period.state = PeriodState.CLOSED
    period.save()
    assert not is_form(Client().get(url))


def test_a_repeated_form_visit_asks_the_database_nothing_about_the_unit(
    survey: Any, clock: Clock, django_assert_max_num_queries: Any
) -> None:
    url = f"/s/{survey.kelurahan.code}/"
    Client().get(url)
    with django_assert_max_num_queries(0):
        assert is_form(Client().get(url))


def test_the_submission_key_is_always_checked_in_the_database(survey: Any, instrument: Any, clock: Clock) -> None:
    url = f"/s/{survey.kelurahan.code}/"
    data = filled_form(instrument)
    Client().post(url, data)
    Response.objects.all().delete()  # gone from the database; nothing cached may claim it is stored
    assert Client().post(url, data).status_code == 302
    assert Response.objects.count() == 1


def test_made_up_codes_do_not_grow_the_cache_without_bound(survey: Any, clock: Clock) -> None:
    for number in range(lookup_cache.MAX_ENTRIES + 10):
        lookup_cache.cached(("unit", f"made-up-{number}"), lambda: None)
    assert len(lookup_cache._entries) <= lookup_cache.MAX_ENTRIES


def test_a_ttl_of_zero_turns_the_cache_off(survey: Any, period: Period, settings: Any) -> None:
    settings.SURVEY_LOOKUP_TTL_SECONDS = 0
    url = f"/s/{survey.kelurahan.code}/"
    assert is_form(Client().get(url))
    Period.objects.filter(pk=period.pk).update(state=PeriodState.CLOSED)
    assert not is_form(Client().get(url))


def test_a_submission_with_cached_lookups_costs_the_writes_only(
    survey: Any, instrument: Any, clock: Clock, django_assert_num_queries: Any
) -> None:
    url = f"/s/{survey.kelurahan.code}/"
    Client().get(url)
    answers = filled_form(instrument)
    # PostgreSQL: the response, its answers and tallies in one statement (in a savepoint in a test);
    # SQLite: savepoint, response, answers, two tally upserts, release
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 6):
        assert Client().post(url, answers).status_code == 302
    assert Response.objects.get().answers.count() == 9
