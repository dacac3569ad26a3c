"""A unit's Laporan Hasil SKM, opened with python-docx: every chapter, the app's numbers, the RTL,
and the awkward cases (no responses, one service, a year with revisions, odd names, hostile text)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from reports import dashboards, display, indices, selectors
from reports import services as report_services
from reports.exports.workbooks import UnitScope, unit_workbook
from reports.laporan.generate import write_report
from reports.laporan.unit_data import unit_report
from reports.models import SnapshotUnit
from reports.periods import all_periods
from reports.tallies import pool, tally_responses
from surveys.models import Response
from tests import builders
from tests.reports.laporan.conftest import Scene, all_text, choice_of, comma, headings, open_docx, table_with

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "BAB I PENDAHULUAN",
    "A. Latar Belakang",
    "B. Dasar Hukum",
    "C. Maksud dan Tujuan",
    "BAB II PENGUMPULAN DATA",
    "A. Pelaksana",
    "B. Metode Pengumpulan Data",
    "C. Lokasi Pengumpulan Data",
    "D. Waktu Pelaksanaan",
    "E. Penentuan Jumlah Responden",
    "BAB III HASIL PENGOLAHAN DATA SKM",
    "A. Karakteristik Responden",
    "B. Indeks Kepuasan Masyarakat",
    "C. Nilai per Unsur Pelayanan",
    "D. Indeks per Jenis Layanan",
    "E. Selang Kepercayaan 95%",
    "BAB IV ANALISIS HASIL SKM",
    "A. Unsur Terendah dan Tertinggi",
    "B. Saran dan Masukan Masyarakat",
    "C. Rencana Tindak Lanjut",
    "D. Tren dan Tindak Lanjut Periode Sebelumnya",
    "BAB V PENUTUP",
    "A. Kesimpulan",
    "B. Rekomendasi",
    "LAMPIRAN",
    "Lampiran 1. Kuesioner",
    "Lampiran 2. Tabel Pengolahan Data per Responden",
    "Lampiran 3. Daftar Saran dan Masukan",
]


def _docx(scene: Scene, value: str | None = None, unit: Any = None) -> Any:
    choice = choice_of(value or f"p-{scene.period.pk}")
    return open_docx(write_report(unit=unit or scene.unit, choice=choice, file_format="docx"))


def test_the_report_has_every_chapter_and_section_as_a_real_heading(scene: Scene) -> None:
    document = _docx(scene)
    assert headings(document) == CHAPTERS
    assert "TOC" in document.element.xml  # Word builds the table of contents from the headings
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_the_index_table_holds_the_dashboards_and_the_workbooks_numbers(scene: Scene) -> None:
    choice = choice_of(f"p-{scene.period.pk}")
    dashboard = dashboards.unit_dashboard(
        unit=scene.unit, choice=choice, periods=all_periods(), services=list(scene.unit.services.all())
    )
    workbook_result = unit_workbook(UnitScope(scene.unit, scene.period))[1].result
    rows = table_with(_docx(scene), "No", "Unsur pelayanan", "NRR", "Nilai IKM", "Mutu pelayanan")
    assert len(rows) == 1 + 9 + 1
    for row, element in zip(rows[1:10], dashboard.elements, strict=True):
        assert row[:4] == [f"U{element.number}", element.name, comma(element.nrr), comma(element.nik)]
        assert row[4].startswith(element.result.grade or "?")
    overall = dashboard.overall
    assert rows[-1][2:4] == [comma(overall.index), comma(overall.nik)]
    assert rows[-1][4] == f"{overall.grade} ({overall.label})"
    assert display.nik(workbook_result.nik) == overall.nik


def test_n_the_population_and_the_minimum_are_the_apps(scene: Scene) -> None:
    rows = table_with(_docx(scene), "Uraian", "Nilai")
    assert rows[1:] == [
        ["Populasi penerima layanan (N)", "60"],
        ["Sampel minimum (Krejcie-Morgan)", str(indices.krejcie_morgan_minimum(60))],
        ["Responden tercapai (n)", "5"],
        ["Kecukupan sampel", "Belum sesuai"],
    ]


def test_the_follow_up_plan_rows_are_in_the_rtl_table(scene: Scene) -> None:
    rows = table_with(_docx(scene), "No", "Prioritas unsur", "Program/kegiatan", "Waktu", "Penanggung jawab")
    assert rows[1:] == [["1", "Waktu Penyelesaian", "Menambah loket pada jam sibuk", "TW I 2026", "Sekretaris Lurah"]]


def test_channels_profiles_and_services_are_counted_from_the_snapshot(scene: Scene) -> None:
    document = _docx(scene)
    channels = {row[0]: row[1] for row in table_with(document, "Saluran", "Jumlah")[1:]}
    assert channels == {"Tautan": "1", "Kode QR": "2", "Kios": "1", "Kertas": "1", "Impor": "0"}
    services = table_with(document, "Jenis layanan", "Responden", "Nilai IKM", "Mutu pelayanan")
    assert sorted(row[:2] for row in services[1:]) == [
        ["Surat keterangan domisili", "3"],
        ["Surat pengantar nikah", "2"],
    ]
    characteristics = table_with(document, "Karakteristik", "Indikator", "Jumlah", "Persentase")
    assert ["Jenis kelamin", "Laki-laki", "3", "60%"] in characteristics


def test_the_cover_names_the_revision_and_a_recomputation_moves_to_the_next(scene: Scene, secretariat: Any) -> None:
    assert "revisi 1" in all_text(_docx(scene))
    Response.objects.filter(pk=Response.objects.filter(unit=scene.unit).order_by("pk").values("pk")[:1]).update(
        is_test=True
    )
    report_services.snapshot_recompute(period=scene.period, user=secretariat, reason="Data uji dikeluarkan")
    document = _docx(scene)
    assert "Semester I 2025 revisi 2" in all_text(document)
    assert table_with(document, "Uraian", "Nilai")[3] == ["Responden tercapai (n)", "4"]


def test_a_year_pools_the_snapshots_of_its_periods_never_their_indices(scene: Scene, secretariat: Any) -> None:
    second = builders.make_period("Semester II 2025", start=datetime.date(2025, 7, 1), end=datetime.date(2025, 12, 31))
    builders.make_response(scene.unit, [1, 1, 2, 1, 1, 2, 1, 1, 1], instrument=scene.instrument, period=second)
    report_services.period_close(period=second, user=secretariat)
    rows = table_with(_docx(scene, "th-2025"), "No", "Unsur pelayanan", "NRR", "Nilai IKM", "Mutu pelayanan")
    both = selectors.responses_in(unit_ids=[scene.unit.pk], periods=[scene.period, second])
    pooled = pool(tally_responses(both).values()).result()
    assert rows[-1][3] == comma(display.nik(pooled.nik))
    text = all_text(_docx(scene, "th-2025"))
    assert "Semester I 2025 revisi 1; Semester II 2025 revisi 1" in text
    assert "SEMENTARA" not in text


def test_an_open_period_is_marked_provisional_on_every_page(scene: Scene, instrument: Any) -> None:
    open_period = builders.make_period("Triwulan berjalan")
    builders.make_response(scene.unit, [4] * 9, instrument=instrument, period=open_period)
    document = _docx(scene, f"p-{open_period.pk}")
    for section in document.sections:  # a header is printed on every page of its section
        assert "SEMENTARA" in " ".join(p.text for p in section.header.paragraphs)
    assert "data berjalan (sementara)" in all_text(document)
    assert table_with(document, "Uraian", "Nilai")[1] == ["Responden tercapai (n)", "1"]


def test_a_period_without_responses_gives_a_report_that_says_so(scene: Scene, secretariat: Any) -> None:
    empty = builders.make_period("Semester II 2025", start=datetime.date(2025, 7, 1), end=datetime.date(2025, 12, 31))
    report_services.period_close(period=empty, user=secretariat)
    document = _docx(scene, f"p-{empty.pk}")
    text = all_text(document)
    assert "Belum ada responden yang dihitung pada periode ini" in text
    assert "nilai IKM belum dapat disimpulkan" in text
    last = table_with(document, "No", "Unsur pelayanan", "NRR", "Nilai IKM", "Mutu pelayanan")[-1]
    assert last[2:] == ["\N{EM DASH}"] * 3
    assert headings(document) == CHAPTERS


def test_a_unit_with_one_service_says_its_index_is_the_units(city: Any, instrument: Any, secretariat: Any) -> None:
    period = builders.make_period("Semester I 2025", start=datetime.date(2025, 1, 1), end=datetime.date(2025, 6, 30))
    for scores in ([4] * 9, [3] * 9):
        builders.make_response(city.kelurahan, scores, instrument=instrument, period=period, service=city.service)
    report_services.period_close(period=period, user=secretariat)
    text = all_text(
        open_docx(write_report(unit=city.kelurahan, choice=choice_of(f"p-{period.pk}"), file_format="docx"))
    )
    assert "satu jenis layanan (Surat keterangan domisili)" in text


def test_apostrophes_and_very_long_names_are_printed_whole(scene: Scene) -> None:
    scene.unit.name = "Kelurahan Ta'mirul Islam " + "Sangat Panjang " * 10 + "O'Neil"  # 181 of 200 characters
    scene.unit.save(update_fields=["name"])
    document = _docx(scene)
    assert scene.unit.name in " ".join(p.text for p in document.sections[0].header.paragraphs)
    assert scene.unit.name in all_text(document)


HOSTILE = [
    "=cmd|' /C calc'!A0",
    '<script>alert("x")</script> {{ 7*7 }}',
    "@SUM(1+1) +62 dan \u202eterbalik\u202c\x0b tab",
]


def test_hostile_suggestions_stay_plain_inert_text(scene: Scene, instrument: Any) -> None:
    for text in HOSTILE:
        response = builders.make_response(scene.unit, [3] * 9, instrument=instrument, period=scene.period)
        Response.objects.filter(pk=response.pk).update(suggestion=text)
    document = _docx(scene)  # the snapshot is unchanged; the suggestions are read as they are now
    listing = "\n".join(row[1] for row in table_with(document, "No", "Saran dan masukan (tanpa data pribadi)")[1:])
    assert "=cmd|' /C calc'!A0" in listing
    assert '<script>alert("x")</script> {{ 7*7 }}' in listing
    assert "\u202e" not in listing and "\x0b" not in listing
    instructions = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", document.element.xml)
    assert [text.split()[0] for text in instructions] == ["TOC"]  # no field made from citizen text
    assert "fldSimple" not in document.element.xml


def test_personal_data_is_not_quoted(scene: Scene) -> None:
    text = all_text(_docx(scene))
    assert "0812-3456-7890" not in text
    assert "Antreannya lama sekali, mohon ditambah petugas. Hubungi [nomor telepon]." in text
    groups = {row[0]: row[1] for row in table_with(_docx(scene), "Unsur yang disebut", "Jumlah saran")[1:]}
    assert groups == {"Waktu Penyelesaian": "1"}


def test_an_older_snapshot_without_breakdowns_says_they_are_not_available(scene: Scene) -> None:
    SnapshotUnit.objects.update(ages=None, occupations=None, channels=None, service_tallies=None)
    document = _docx(scene)
    text = all_text(document)
    assert "Tidak tersedia untuk hasil beku ini: Usia, Pekerjaan, Jenis layanan" in text
    assert "Tidak tersedia: hasil beku periode ini dibuat sebelum indeks per jenis layanan disimpan." in text
    with pytest.raises(AssertionError):
        table_with(document, "Saluran", "Jumlah")  # not counted again from live data
    assert table_with(document, "Uraian", "Nilai")[3] == ["Responden tercapai (n)", "5"]


def test_reading_a_report_costs_a_fixed_number_of_queries(
    scene: Scene, instrument: Any, django_assert_max_num_queries: Any
) -> None:
    choice = choice_of(f"p-{scene.period.pk}")
    with django_assert_max_num_queries(16):
        unit_report(unit=scene.unit, choice=choice)


def test_the_weakest_elements_of_the_report_are_the_dashboards_priorities_ties_included(
    city: Any, instrument: Any, secretariat: Any
) -> None:
    period = builders.make_period("Semester II 2025", start=datetime.date(2025, 7, 1), end=datetime.date(2025, 12, 31))
    builders.make_response(city.kelurahan, [4, 1, 2, 3, 4, 3, 4, 3, 4], instrument=instrument, period=period)
    report_services.period_close(period=period, user=secretariat)
    choice = choice_of(f"p-{period.pk}")
    dashboard = dashboards.unit_dashboard(unit=city.kelurahan, choice=choice, periods=all_periods(), services=[])
    report = unit_report(unit=city.kelurahan, choice=choice)
    expected = ["PROSEDUR", "WAKTU", "BIAYA", "KOMPETENSI", "SARANA"]
    assert [row.code for row in report.priorities] == [row.code for row in dashboard.priorities] == expected
    text = all_text(open_docx(write_report(unit=city.kelurahan, choice=choice, file_format="docx")))
    assert "unsur yang NRR-nya sama dengan unsur ketiga ikut menjadi prioritas" in text
