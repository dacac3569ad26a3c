"""The city's Laporan Hasil SKM holds the city dashboard's figures, labelled as the dashboard
labels them: the pooled index, the mean of unit indices, ranks with intervals, grades, attention."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from reports import dashboards
from reports import services as report_services
from reports.laporan.generate import write_report
from surveys.models import ServiceUnit
from tests import builders
from tests.reports.laporan.conftest import all_text, choice_of, comma, headings, open_docx, table_with, tables_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(city: Any, instrument: Any, secretariat: Any) -> Any:
    period = builders.make_period("Semester I 2025", start=datetime.date(2025, 1, 1), end=datetime.date(2025, 6, 30))
    for unit, rows in (
        (city.kelurahan, ([4] * 9, [3] * 9, [4, 3, 4, 3, 4, 3, 4, 3, 4])),
        (city.other_kelurahan, ([2] * 9, [3, 2, 3, 2, 3, 2, 3, 2, 3])),
        (city.puskesmas, ([3] * 9,)),
    ):
        for scores in rows:
            builders.make_response(unit, scores, instrument=instrument, period=period)
    from surveys import services

    services.unit_population_set(unit=city.kelurahan, period=period, population=400)
    report_services.period_close(period=period, user=secretariat)
    return period


def _report(period: Any) -> Any:
    return open_docx(write_report(unit=None, choice=choice_of(f"p-{period.pk}"), file_format="docx"))


def _dashboard(period: Any) -> dashboards.CityDashboard:
    return dashboards.city_dashboard(units=ServiceUnit.objects.all(), choice=choice_of(f"p-{period.pk}"))


def test_the_city_report_has_the_chapters_of_a_report(closed: Any) -> None:
    found = headings(_report(closed))
    for heading in (
        "BAB I PENDAHULUAN",
        "BAB II PENGUMPULAN DATA",
        "BAB III HASIL PENGOLAHAN DATA SKM",
        "D. Peringkat per Jenis Unit",
        "E. Sebaran Mutu Pelayanan",
        "BAB IV ANALISIS HASIL SKM",
        "B. Unit yang Perlu Perhatian",
        "BAB V PENUTUP",
        "Lampiran 2. Hasil per Unit",
    ):
        assert heading in found


def test_the_pooled_index_and_the_mean_of_units_are_the_dashboards_with_its_labels(closed: Any) -> None:
    dashboard = _dashboard(closed)
    rows = table_with(_report(closed), "Angka kota", "Nilai IKM", "Mutu pelayanan", "Cakupan")
    assert rows[1][:2] == ["Nilai IKM kota, gabungan semua responden", comma(dashboard.pooled.nik)]
    assert rows[1][3] == f"{dashboard.pooled.respondents} responden dari {dashboard.pooled_units} unit"
    assert rows[2][:2] == ["Rata-rata Nilai IKM unit (tanpa bobot)", comma(dashboard.mean_nik)]
    assert rows[2][3] == f"rata-rata dari {dashboard.mean_units} unit yang memiliki indeks"


def test_units_are_ranked_within_their_kind_with_the_range_their_intervals_allow(closed: Any, city: Any) -> None:
    dashboard = _dashboard(closed)
    ranks = {(row.unit.name, str(row.figures.respondents)): row.peer_rank for row in dashboard.rows}
    lines = [row for table in tables_with(_report(closed), "Peringkat", "Unit", "n") for row in table[1:]]
    assert len(lines) == len(dashboard.rows)
    for line in lines:
        rank = ranks[(line[1], line[2])]
        assert line[0] == (f"{rank.rank} ({rank.best}\N{EN DASH}{rank.worst})" if rank else "\N{EM DASH}")
    assert any(rank is not None and rank.best < rank.worst for rank in ranks.values())


def test_the_grade_distribution_and_the_units_needing_attention_are_the_dashboards(closed: Any) -> None:
    dashboard = _dashboard(closed)
    document = _report(closed)
    grades = {row[0]: int(row[1]) for row in table_with(document, "Mutu", "Jumlah unit")[1:]}
    for grade in dashboard.grades:
        assert grades[f"{grade.grade} {grade.label}"] == grade.units
    assert grades["Belum ada data"] == len(dashboard.no_data)
    text = all_text(document)
    assert f"Di bawah sampel minimum: {len(dashboard.below_minimum)} unit." in text
    assert f"Belum ada responden: {len(dashboard.no_data)} unit." in text


def test_the_annex_has_one_line_per_unit(closed: Any) -> None:
    dashboard = _dashboard(closed)
    rows = table_with(_report(closed), "Kode", "Unit", "Jenis", "n", "N")
    assert sorted(row[0] for row in rows[1:]) == sorted(row.unit.code for row in dashboard.rows)
    kelurahan = next(row for row in rows if row[0] == "16.71.04.1001")
    assert kelurahan[3:5] == ["3", "400"]
