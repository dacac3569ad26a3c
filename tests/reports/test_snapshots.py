from __future__ import annotations

import re
from decimal import Decimal

import pytest

from reports import charts, indices, services, snapshots
from reports.models import Snapshot, SnapshotUnit
from reports.selectors import responses_in
from reports.tallies import tally_responses
from surveys.models import PeriodState, Reason, Response, ResponseState, UnitPopulation
from tests import builders

pytestmark = pytest.mark.django_db

ALL_FOUR = [4] * 9
ALL_THREE = [3] * 9


def _row(snapshot: Snapshot, unit) -> SnapshotUnit:
    return SnapshotUnit.objects.get(snapshot=snapshot, unit=unit)


def test_closing_a_period_freezes_every_units_result(city, instrument, period, secretariat):
    builders.make_response(city.kelurahan, ALL_FOUR, instrument=instrument, period=period, sex="L", education="SMA")
    builders.make_response(city.kelurahan, ALL_THREE, instrument=instrument, period=period, sex="P", education="S1")
    UnitPopulation.objects.create(unit=city.kelurahan, period=period, population=10)
    snapshot = services.period_close(period=period, user=secretariat)
    period.refresh_from_db()
    assert period.state == PeriodState.CLOSED
    assert snapshot.revision == 1 and snapshot.rules == "permenpan-14-2017" and snapshot.weight == "exact"
    row = _row(snapshot, city.kelurahan)
    assert (row.respondents, row.nik, row.grade, row.label) == (2, Decimal("87.50"), "B", "Baik")
    assert (row.population, row.minimum, row.adequate) == (10, 10, False)
    assert row.sex == {"L": 1, "P": 1}
    assert row.education == {"SMA": 1, "S1": 1}
    assert row.elements["PERSYARATAN"] == {"answers": 2, "total": 7, "dist": [0, 0, 1, 1]}
    empty = _row(snapshot, city.other_kelurahan)
    assert (empty.respondents, empty.nik, empty.grade) == (0, None, "")


def test_a_snapshot_row_recomputes_exactly_what_the_responses_give(city, instrument, period, secretariat):
    for scores in ([4, 3, 3, 4, 3, 2, 4, 3, 3], [2, 2, 3, 4, 3, 3, 3, 2, 1], [1, 2, 4, 4, 4, 3, 3, 3, None]):
        builders.make_response(city.puskesmas, scores, instrument=instrument, period=period)
    live = tally_responses(responses_in(periods=[period]))[city.puskesmas.pk].result()
    snapshot = services.period_close(period=period, user=secretariat)
    assert snapshots.row_result(_row(snapshot, city.puskesmas), snapshot) == live


def test_later_responses_and_spam_marks_do_not_change_the_snapshot(city, instrument, period, secretariat):
    first = builders.make_response(city.kelurahan, ALL_FOUR, instrument=instrument, period=period)
    snapshot = services.period_close(period=period, user=secretariat)
    builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period)
    Response.objects.filter(pk=first.pk).update(state=ResponseState.EXCLUDED, reason=Reason.EXCLUSION)
    row = _row(snapshot, city.kelurahan)
    assert (row.respondents, row.nik) == (1, Decimal("100.00"))
    assert snapshots.row_result(row, snapshot).nik == 100
    assert snapshots.latest_snapshot(period) == snapshot


def test_recomputing_adds_a_revision_and_keeps_the_earlier_one(city, instrument, period, secretariat):
    builders.make_response(city.kelurahan, ALL_FOUR, instrument=instrument, period=period)
    first = services.period_close(period=period, user=secretariat)
    builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period)
    second = services.snapshot_recompute(period=period, user=secretariat, reason="Impor formulir kertas")
    assert (second.revision, second.reason, second.created_by) == (2, "Impor formulir kertas", secretariat)
    assert _row(first, city.kelurahan).nik == Decimal("100.00")
    assert _row(second, city.kelurahan).nik == Decimal("62.50")
    assert snapshots.latest_snapshot(period) == second
    assert snapshots.snapshot_revision(period, 1) == first
    assert [snapshot.revision for snapshot in snapshots.revisions(period)] == [2, 1]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_a_recomputation_needs_a_short_reason(city, instrument, period, secretariat, reason):
    services.period_close(period=period, user=secretariat)
    with pytest.raises(services.PeriodError):
        services.snapshot_recompute(period=period, user=secretariat, reason=reason)
    assert Snapshot.objects.filter(period=period).count() == 1


def test_an_open_period_cannot_be_recomputed_or_published(city, period, secretariat):
    with pytest.raises(services.PeriodError):
        services.snapshot_recompute(period=period, user=secretariat, reason="coba")
    with pytest.raises(services.PeriodError):
        services.period_publish(period=period, user=secretariat)
    assert not Snapshot.objects.exists()


def test_closing_costs_a_fixed_number_of_queries(city, instrument, period, secretariat, django_assert_max_num_queries):
    for unit in (city.kelurahan, city.puskesmas, city.other_kelurahan, city.kecamatan):
        builders.make_response(unit, ALL_THREE, instrument=instrument, period=period)
    with django_assert_max_num_queries(21):  # with the held and excluded counts, who answered, the audit entry
        services.period_close(period=period, user=secretariat)


def test_lowest_elements_take_in_every_element_tied_with_the_third(city, instrument, period, secretariat):
    # PERSYARATAN 4, PROSEDUR 2, WAKTU 3, BIAYA 2, PRODUK 4, KOMPETENSI 2, PERILAKU 4, SARANA 1, PENGADUAN 3
    builders.make_response(city.kelurahan, [4, 2, 3, 2, 4, 2, 4, 1, 3], instrument=instrument, period=period)
    snapshot = services.period_close(period=period, user=secretariat)
    result = snapshots.row_result(_row(snapshot, city.kelurahan), snapshot)
    assert [element.code for element in indices.lowest_elements(result)] == [
        "SARANA",
        "PROSEDUR",
        "BIAYA",
        "KOMPETENSI",
    ]


def test_lowest_elements_skip_unanswered_elements(city, instrument, period, secretariat):
    builders.make_response(city.kelurahan, [None, 4, 4, 4, 4, 4, 3, 3, 1], instrument=instrument, period=period)
    snapshot = services.period_close(period=period, user=secretariat)
    result = snapshots.row_result(_row(snapshot, city.kelurahan), snapshot)
    assert [element.code for element in indices.lowest_elements(result)] == ["PENGADUAN", "PERILAKU", "SARANA"]


def test_cumulative_views_pool_responses_instead_of_averaging_indices(city, instrument, secretariat):
    first = builders.make_period("Triwulan I 2025", start=_date(2025, 1, 1), end=_date(2025, 3, 31))
    second = builders.make_period("Triwulan II 2025", start=_date(2025, 4, 1), end=_date(2025, 6, 30))
    builders.make_response(city.kelurahan, ALL_FOUR, instrument=instrument, period=first)
    for _ in range(3):
        builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=second)
    for period in (first, second):
        services.period_close(period=period, user=secretariat)
        services.period_publish(period=period, user=secretariat)
    rows = snapshots.published_rows_for_unit(city.kelurahan)
    pooled = snapshots.cumulative(rows, up_to=second)
    assert pooled is not None
    assert pooled.result.respondents == 4
    assert pooled.result.nik == 25 * (4 + 3) / 4  # 43.75; the mean of 100 and 25 would be 62.5
    assert snapshots.cumulative(rows, up_to=first) is None


def _date(year: int, month: int, day: int):
    import datetime

    return datetime.date(year, month, day)


def test_the_public_trend_follows_the_index_across_published_periods(city, instrument, secretariat):
    periods = [
        builders.make_period(f"Triwulan {name} 2025", start=_date(2025, month, 1), end=_date(2025, month + 2, 28))
        for name, month in (("I", 1), ("II", 4), ("III", 7))
    ]
    for period, scores in zip(periods, ([2] * 9, None, [4] * 9), strict=True):
        if scores:
            builders.make_response(city.kelurahan, scores, instrument=instrument, period=period)
        services.period_close(period=period, user=secretariat)
        services.period_publish(period=period, user=secretariat)
    points = snapshots.trend_points(snapshots.published_rows_for_unit(city.kelurahan))
    assert [point.period.name for point in points] == ["Triwulan I 2025", "Triwulan II 2025", "Triwulan III 2025"]
    assert [point.figures.nik for point in points] == [Decimal("50.00"), None, Decimal("100.00")]  # no data in II
    assert [point.revision for point in points] == [1, 1, 1]
    chart = charts.trend_chart([point for point in points if point.figures.has_index], title="Tren")
    heights = [float(y) for y in re.findall(r'<circle cx="[^"]+" cy="([^"]+)"', chart)]
    assert len(heights) == 2
    assert heights[1] < heights[0]  # 100 is drawn above 50


def test_pooling_snapshots_equals_tallying_the_responses_of_both_periods(city, instrument, secretariat):
    first = builders.make_period("Triwulan I 2025", start=_date(2025, 1, 1), end=_date(2025, 3, 31))
    second = builders.make_period("Triwulan II 2025", start=_date(2025, 4, 1), end=_date(2025, 6, 30))
    rows = {
        first: ([4, 3, 3, 4, 3, 2, 4, 3, 3], [2, 2, 3, 4, 3, 3, 3, 2, 1]),
        second: ([1, 2, 4, 4, 4, 3, 3, 3, None], [3] * 9, [4, 4, 4, 4, 4, 4, 4, 4, 2]),
    }
    for period, score_rows in rows.items():
        for scores in score_rows:
            builders.make_response(city.kelurahan, scores, instrument=instrument, period=period)
    live = tally_responses(responses_in(periods=[first, second]))[city.kelurahan.pk].result()
    for period in (first, second):
        services.period_close(period=period, user=secretariat)
        services.period_publish(period=period, user=secretariat)
    pooled = snapshots.cumulative(snapshots.published_rows_for_unit(city.kelurahan), up_to=second)
    assert pooled is not None
    assert pooled.result == live
