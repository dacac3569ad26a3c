"""Invariants the database itself enforces, whatever code writes to it."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from surveys.models import Answer, Instrument, Period, Response, UnitPopulation
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(city, instrument, period) -> Response:
    return builders.make_response(city.kelurahan, [3] * 9, instrument=instrument, period=period)


@pytest.mark.parametrize("score", [0, 5, 9])
def test_the_database_refuses_a_score_outside_1_to_4(response: Response, score: int) -> None:
    element = response.answers.first().element
    Answer.objects.filter(response=response, element=element).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, element=element, score=score)


def test_the_database_refuses_a_second_answer_to_the_same_element(response: Response) -> None:
    element = response.answers.first().element
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, element=element, score=2)


def test_the_database_refuses_a_duplicate_submission_key(response: Response) -> None:
    duplicate = Response(
        unit=response.unit,
        instrument=response.instrument,
        period=response.period,
        submitted_at=response.submitted_at,
        submission_key=response.submission_key,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_database_refuses_an_impossible_age(response: Response) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.filter(pk=response.pk).update(age=3)


def test_the_database_refuses_a_period_that_ends_before_it_starts(db) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(
            name="Terbalik", kind="month", start=datetime.date(2026, 2, 1), end=datetime.date(2026, 1, 1)
        )


def test_the_database_refuses_a_second_population_for_the_same_unit_and_period(city, period) -> None:
    UnitPopulation.objects.create(unit=city.kelurahan, period=period, population=100)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitPopulation.objects.create(unit=city.kelurahan, period=period, population=200)


def test_only_one_city_wide_instrument_is_published_at_a_time(instrument: Instrument) -> None:
    second = builders.make_instrument(published=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Instrument.objects.filter(pk=second.pk).update(state="published", published_at=instrument.published_at)


def test_the_open_period_containing_a_day_is_found(db) -> None:
    day = datetime.date(2026, 11, 28)
    quarter = builders.make_period("TW IV 2026", start=datetime.date(2026, 10, 1), end=datetime.date(2026, 12, 31))
    builders.make_period("TW III 2026", start=datetime.date(2026, 7, 1), end=datetime.date(2026, 9, 30), state="closed")
    assert list(Period.objects.open_on(day)) == [quarter]
    assert not Period.objects.open_on(datetime.date(2026, 8, 1)).exists()  # TW III is closed


@pytest.mark.postgres
def test_postgresql_refuses_overlapping_periods_even_past_the_service(db) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's")
    builders.make_period("Tahun 2026", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31), kind="year")
    with pytest.raises(IntegrityError), transaction.atomic():
        builders.make_period("TW IV 2026", start=datetime.date(2026, 10, 1), end=datetime.date(2026, 12, 31))
    assert Period.objects.count() == 1
