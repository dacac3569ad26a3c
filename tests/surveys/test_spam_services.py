from __future__ import annotations

import pytest

from surveys import services
from surveys.models import Response, SpamReason, UnitPopulation
from tests import builders

pytestmark = pytest.mark.django_db


def test_marking_spam_stops_a_response_counting_and_records_who_and_when(city, instrument, period, kecamatan_admin):
    response = builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    services.response_mark_spam(response=response, user=kecamatan_admin, reason="Iklan, bukan saran")
    stored = Response.objects.get(pk=response.pk)
    assert (stored.spam_reason, stored.spam_marked_by) == (SpamReason.MANUAL, kecamatan_admin)
    assert stored.spam_marked_at is not None
    assert stored.spam_note == "Iklan, bukan saran"
    assert not Response.objects.countable().exists()


@pytest.mark.parametrize("reason", ["", "   ", "spam"])
def test_marking_spam_needs_a_reason_and_changes_nothing_without_one(city, instrument, period, kecamatan_admin, reason):
    response = builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    with pytest.raises(services.SpamMarkRefused, match="alasan"):
        services.response_mark_spam(response=response, user=kecamatan_admin, reason=reason)
    assert Response.objects.countable().count() == 1


def test_a_marked_response_cannot_be_marked_again(city, instrument, period, kecamatan_admin):
    response = builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    services.response_mark_spam(response=response, user=kecamatan_admin, reason="Iklan, bukan saran")
    with pytest.raises(services.SpamMarkRefused):
        services.response_mark_spam(response=response, user=kecamatan_admin, reason="Iklan, bukan saran")


def test_unmarking_undoes_only_manual_marks(city, instrument, period, kecamatan_admin):
    manual = builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    services.response_mark_spam(response=manual, user=kecamatan_admin, reason="Iklan, bukan saran")
    services.response_unmark_spam(response=manual, user=kecamatan_admin)
    assert Response.objects.get(pk=manual.pk).is_countable
    honeypot = builders.make_response(
        city.kelurahan, [4] * 9, instrument=instrument, period=period, spam_reason=SpamReason.HONEYPOT
    )
    with pytest.raises(services.SpamMarkRefused):
        services.response_unmark_spam(response=honeypot, user=kecamatan_admin)
    with pytest.raises(services.SpamMarkRefused):
        services.response_unmark_spam(response=manual, user=kecamatan_admin)


def test_setting_a_population_creates_then_replaces_it(city, period):
    services.unit_population_set(unit=city.kelurahan, period=period, population=120)
    services.unit_population_set(unit=city.kelurahan, period=period, population=150)
    assert list(UnitPopulation.objects.values_list("population", flat=True)) == [150]


@pytest.mark.parametrize("population", [0, -5, True, "12"])
def test_a_population_must_be_a_positive_whole_number(city, period, population):
    with pytest.raises(services.SubmissionInvalid):
        services.unit_population_set(unit=city.kelurahan, period=period, population=population)
    assert not UnitPopulation.objects.exists()


def test_marking_and_unmarking_keep_the_running_tallies_in_step(city, instrument, period, kecamatan_admin):
    from reports import selectors
    from reports import tallies as report_tallies

    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    junk = builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period)

    def both():
        live = report_tallies.tally_responses(selectors.responses_in(unit_ids=[city.kelurahan.pk]))
        kept = report_tallies.tally_counts(unit_ids=[city.kelurahan.pk])
        return live[city.kelurahan.pk].result(), kept[city.kelurahan.pk].result()

    services.response_mark_spam(response=junk, user=kecamatan_admin, reason="Iklan, bukan saran")
    live, kept = both()
    assert live == kept and live.respondents == 1
    services.response_unmark_spam(response=junk, user=kecamatan_admin)
    live, kept = both()
    assert live == kept and live.respondents == 2
