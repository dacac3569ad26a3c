"""Retention: citizens' words in long-closed periods are removed; every number stays."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from reports import services as report_services
from reports import tallies as report_tallies
from surveys import services
from surveys.models import AuditEvent, Response
from tests import builders

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def old_and_new(city: Any, instrument: Any, secretariat: Any) -> tuple[Any, Any]:
    old = builders.make_period("Semester I 2025", start=datetime.date(2025, 1, 1), end=datetime.date(2025, 6, 30))
    recent = builders.make_period("Semester I 2026", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 6, 30))
    for period in (old, recent):
        for score in (4, 3, 2):
            builders.make_response(
                city.kelurahan,
                [score] * 9,
                instrument=instrument,
                period=period,
                occupation="lainnya",
                occupation_other="Nelayan",
            )
        Response.objects.filter(period=period).update(suggestion="Nomor HP saya 0812...", service_other="Legalisir")
        report_services.period_close(period=period, user=secretariat)
    return old, recent


def _numbers(period: Any) -> Any:
    responses = Response.objects.filter(period=period)
    tallies = report_tallies.tally_responses(responses)
    return (
        sorted(responses.values_list("pk", "score_sum", "answered", "age", "sex", "occupation")),
        {key: tally.result().index for key, tally in tallies.items()},
    )


def test_free_text_of_closed_periods_past_retention_is_blanked_and_numbers_stay(old_and_new: Any) -> None:
    old, recent = old_and_new
    before_old, before_recent = _numbers(old), _numbers(recent)
    result = services.responses_purge_free_text(retention_days=365, today=TODAY)
    assert result.responses == 3 and result.periods == ["Semester I 2025"]
    old_texts = set(Response.objects.filter(period=old).values_list("suggestion", "service_other", "occupation_other"))
    assert old_texts == {("", "", "")}
    recent_texts = set(Response.objects.filter(period=recent).values_list("suggestion", "occupation_other"))
    assert recent_texts == {("Nomor HP saya 0812...", "Nelayan")}
    assert (_numbers(old), _numbers(recent)) == (before_old, before_recent)
    event = AuditEvent.objects.get(action="retention.purge")
    assert event.detail["responses"] == 3 and event.actor is None


def test_an_open_period_keeps_its_text_however_old(city: Any, instrument: Any) -> None:
    ancient = builders.make_period("Lama terbuka", start=datetime.date(2020, 1, 1), end=datetime.date(2020, 6, 30))
    response = builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=ancient)
    Response.objects.filter(pk=response.pk).update(suggestion="Masih dibuka")
    assert services.responses_purge_free_text(retention_days=30, today=TODAY).responses == 0
    assert Response.objects.get(pk=response.pk).suggestion == "Masih dibuka"


def test_zero_retention_keeps_everything(old_and_new: Any) -> None:
    assert services.responses_purge_free_text(retention_days=0, today=TODAY).responses == 0
    assert not Response.objects.filter(suggestion="").exists()


def test_the_command_reads_the_setting_and_offers_a_dry_run(old_and_new: Any, settings: Any) -> None:
    settings.SUGGESTION_RETENTION_DAYS = 0
    out = StringIO()
    call_command("purge_suggestions", stdout=out)
    assert "nothing to do" in out.getvalue()
    settings.SUGGESTION_RETENTION_DAYS = 120
    out = StringIO()
    call_command("purge_suggestions", "--dry-run", stdout=out)
    assert "would blank free text of 6 responses" in out.getvalue()
    assert not Response.objects.filter(suggestion="").exists()
    out = StringIO()
    call_command("purge_suggestions", stdout=out)
    assert "blanked free text of 6 responses" in out.getvalue()
    assert not Response.objects.exclude(suggestion="").exists()
