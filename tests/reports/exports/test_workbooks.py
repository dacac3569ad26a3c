"""The unit workbook and the city recap: sheets, headers, formulas, and the app's numbers."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from reports import indices
from reports.exports.recap import city_recap
from reports.exports.workbooks import UnitScope, unit_workbook
from surveys.models import Response, UnitPopulation
from tests import builders

pytestmark = pytest.mark.django_db

SCORES = [
    [4, 3, 3, 4, 3, 3, 4, 3, 2],
    [3, 3, 2, 4, 3, 4, 4, 3, 3],
    [2, 3, 3, 4, 4, 3, 3, 2, None],
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
]


def respond(unit: Any, scores: list[int | None], *, suggestion: str = "", **fields: Any) -> Any:
    """A stored response (through the service), with a suggestion when given."""
    response = builders.make_response(unit, scores, **fields)
    if suggestion:
        Response.objects.filter(pk=response.pk).update(suggestion=suggestion)
    return response


def _saved(workbook: Any) -> Any:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


@pytest.fixture
def filled(city: Any, instrument: Any, period: Any) -> Any:
    for scores in SCORES:
        builders.make_response(city.kelurahan, scores, instrument=instrument, period=period, sex="L", age=34)
    respond(
        city.kelurahan,
        [1] * 9,
        instrument=instrument,
        period=period,
        state="excluded",
        reason="exclusion",
        suggestion="spam",
    )
    UnitPopulation.objects.create(unit=city.kelurahan, period=period, population=120)
    return city


def test_the_unit_workbook_has_the_official_sheets_in_order(filled: Any, period: Any) -> None:
    workbook, _facts = unit_workbook(UnitScope(filled.kelurahan, period))
    assert _saved(workbook).sheetnames == ["Pengolahan", "Ringkasan", "Responden", "Saran", "RTL"]


def test_the_processing_sheet_has_one_row_per_counted_respondent_and_columns_named_by_element(
    filled: Any, period: Any
) -> None:
    workbook, _facts = unit_workbook(UnitScope(filled.kelurahan, period))
    sheet = _saved(workbook)["Pengolahan"]
    header = [cell.value for cell in sheet[4]]
    assert header[0] == "No. Resp"
    assert header[1] == "U1 Persyaratan"
    assert "Sarana" in header[8] and "Pengaduan" in header[9]
    assert [sheet.cell(row=row, column=1).value for row in range(5, 9)] == [1, 2, 3, 4]
    assert sheet.cell(row=9, column=1).value == "Σ nilai/unsur"
    assert sheet.cell(row=7, column=10).value is None  # the unanswered element stays blank


def test_the_processing_footer_is_live_formulas_with_the_exact_weight(filled: Any, period: Any) -> None:
    workbook, _facts = unit_workbook(UnitScope(filled.kelurahan, period))
    sheet = _saved(workbook)["Pengolahan"]
    assert sheet["B9"].value == "=SUM(B5:B8)"
    assert sheet["B10"].value == "=B9/COUNT(B5:B8)"
    assert sheet["B11"].value == "=B10/9"
    assert sheet["K11"].value == "=SUM(B11:J11)"
    assert sheet["K12"].value == "=K11*25"
    assert sheet["K13"].value.startswith('=IF(ROUND(K12,2)>=88.31,"A"')


def test_a_legacy_weight_is_written_into_the_formula_and_printed(filled: Any, period: Any) -> None:
    workbook, facts = unit_workbook(UnitScope(filled.kelurahan, period, weight="0.111"))
    sheet = _saved(workbook)["Pengolahan"]
    assert sheet["B11"].value == "=B10*0.111"
    assert "bobot lama 0,111" in sheet["A2"].value
    assert facts.result.weight == "0.111"


def test_the_summary_shows_the_apps_numbers_sample_and_a_native_chart(filled: Any, period: Any) -> None:
    workbook, facts = unit_workbook(UnitScope(filled.kelurahan, period))
    assert len(workbook["Ringkasan"]._charts) == 1
    sheet = _saved(workbook)["Ringkasan"]
    assert [cell.value for cell in sheet[4]] == [
        "No",
        "Unsur pelayanan",
        "NRR",
        "Nilai IKM",
        "Mutu pelayanan",
        "Kinerja",
    ]
    unit_row = [cell.value for cell in sheet[14]]
    assert unit_row[1] == "Nilai IKM unit pelayanan"
    assert unit_row[3] == pytest.approx(float(indices.round_nik(facts.result.nik)))
    assert unit_row[4] == facts.result.grade
    facts_column = {sheet.cell(row=row, column=2).value: sheet.cell(row=row, column=3).value for row in range(16, 30)}
    assert facts_column["Jumlah responden (n)"] == 4
    assert facts_column["Populasi penerima layanan (N)"] == 120
    assert facts_column["Sampel minimum (Krejcie & Morgan)"] == indices.krejcie_morgan_minimum(120)
    assert facts_column["Kecukupan sampel"] == "Belum sesuai"
    assert facts_column["Bobot"] == "bobot 1/9 (tepat)" and "Mode bobot" not in facts_column
    assert facts_column["Aturan"] == "PermenPAN-RB 14/2017"


def test_the_respondent_sheet_counts_characteristics_of_counted_respondents(filled: Any, period: Any) -> None:
    workbook, _facts = unit_workbook(UnitScope(filled.kelurahan, period))
    sheet = _saved(workbook)["Responden"]
    assert [cell.value for cell in sheet[4]] == ["No", "Karakteristik", "Indikator", "Jumlah", "Persentase"]
    lines = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert lines[0] == [1, "Jenis kelamin", "Laki-laki", 4, 1.0]
    age_line = next(line for line in lines if line[2] == "30-39")
    assert age_line[3] == 4


def test_suggestions_and_rtl_sheets(filled: Any, instrument: Any, period: Any) -> None:
    respond(filled.kelurahan, [3] * 9, instrument=instrument, period=period, suggestion="Antrean lama")
    workbook, _facts = unit_workbook(UnitScope(filled.kelurahan, period))
    saved = _saved(workbook)
    suggestions = [[cell.value for cell in row] for row in saved["Saran"].iter_rows(min_row=5)]
    assert len(suggestions) == 1  # the spam response's text is not a counted suggestion
    assert suggestions[0][3] == "Antrean lama"
    assert suggestions[0][4:] == [3] * 9
    rtl = saved["RTL"]
    assert rtl["C4"].value == "Program/Kegiatan"
    assert rtl["B5"].value == "Belum ada rencana tindak lanjut"


def test_a_unit_without_responses_says_there_is_no_data(city: Any, period: Any) -> None:
    workbook, facts = unit_workbook(UnitScope(city.kelurahan, period))
    sheet = _saved(workbook)["Pengolahan"]
    assert sheet["A5"].value == "belum ada data"
    assert facts.result.has_data is False


def test_a_unit_and_its_descendants_pool_their_respondents(filled: Any, instrument: Any, period: Any) -> None:
    builders.make_response(filled.kecamatan, [2] * 9, instrument=instrument, period=period)
    _workbook, alone = unit_workbook(UnitScope(filled.kecamatan, period))
    _workbook, with_children = unit_workbook(UnitScope(filled.kecamatan, period, include_descendants=True))
    assert alone.result.respondents == 1
    assert with_children.result.respondents == 5


def test_the_unit_workbook_costs_a_fixed_number_of_queries(
    filled: Any, instrument: Any, period: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(20):
        respond(filled.kelurahan, [3] * 9, instrument=instrument, period=period, suggestion="x")
    with django_assert_max_num_queries(16):
        _workbook, _facts = unit_workbook(UnitScope(filled.kelurahan, period))


def test_the_city_recap_has_a_row_per_unit_and_both_city_figures(filled: Any, instrument: Any, period: Any) -> None:
    builders.make_response(filled.puskesmas, [2] * 9, instrument=instrument, period=period)
    unit_ids = [filled.kelurahan.pk, filled.puskesmas.pk, filled.other_kelurahan.pk]
    workbook, facts = city_recap(period=period, unit_ids=unit_ids)
    assert len(workbook["Gabungan"]._charts) == 1  # not every unit: not labelled as the city's
    saved = _saved(workbook)
    assert saved.sheetnames == ["Rekap", "Gabungan"]
    sheet = saved["Rekap"]
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == "A1:S4"
    header = [cell.value for cell in sheet[1]]
    assert header[:10] == [
        "Kode",
        "Unit layanan",
        "Jenis",
        "Induk",
        "Kecamatan",
        "Responden (n)",
        "Sampel minimum",
        "Kecukupan sampel",
        "Nilai IKM",
        "Mutu",
    ]
    by_code = {row[0].value: [cell.value for cell in row] for row in sheet.iter_rows(min_row=2)}
    assert set(by_code) == {"16.71.04.1001", "pkm-dempo", "16.71.07.1005"}
    assert by_code["pkm-dempo"][4] == "Ilir Barat I"
    assert by_code["pkm-dempo"][8] == 50.0
    assert by_code["16.71.07.1005"][9] == "belum ada data"
    assert facts.pooled.respondents == 5
    assert facts.mean.units_covered == 2
    city = saved["Gabungan"]
    assert city["A4"].value == "Nilai IKM unit terpilih (gabungan seluruh responden)"
    assert city["B4"].value == pytest.approx(float(indices.round_nik(facts.pooled.nik)))
    assert city["B6"].value == pytest.approx(float(indices.round_nik(facts.mean.nik)))


def test_a_recap_of_every_unit_is_labelled_as_the_citys(filled: Any, instrument: Any, period: Any) -> None:
    from surveys.models import ServiceUnit

    workbook, _facts = city_recap(period=period, unit_ids=list(ServiceUnit.objects.values_list("pk", flat=True)))
    city = _saved(workbook)["Kota"]
    assert city["A1"].value == "REKAPITULASI INDEKS KEPUASAN MASYARAKAT KOTA"
    assert city["A4"].value == "Nilai IKM kota (gabungan seluruh responden)"


def test_the_city_recap_costs_a_fixed_number_of_queries(
    filled: Any, instrument: Any, period: Any, django_assert_max_num_queries: Any
) -> None:
    for index in range(15):
        unit = builders.make_unit(f"x-{index}", parent=filled.kecamatan, area=filled.kecamatan)
        builders.make_response(unit, [3] * 9, instrument=instrument, period=period)
    from surveys.models import ServiceUnit

    unit_ids = list(ServiceUnit.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(8):
        city_recap(period=period, unit_ids=unit_ids)


def test_every_sheet_prints_one_page_wide_with_its_header_repeated(filled: Any, period: Any) -> None:
    workbook, _facts = unit_workbook(UnitScope(filled.kelurahan, period))
    recap, _recap_facts = city_recap(period=period, unit_ids=[filled.kelurahan.pk])
    for sheet in [*_saved(workbook).worksheets, *_saved(recap).worksheets]:
        assert sheet.page_setup.fitToWidth == 1, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows, sheet.title


def test_the_rtl_sheet_lists_the_units_follow_up_actions_in_questionnaire_order(
    filled: Any, period: Any, secretariat: Any
) -> None:
    from reports.models import FollowUpAction

    common = {"unit": filled.kelurahan, "period": period, "responsible": "Lurah", "year": 2027}
    FollowUpAction.objects.create(element_code="PENGADUAN", program="Kotak saran digital", quarter=2, **common)
    FollowUpAction.objects.create(
        element_code="WAKTU", program="Tambah loket", quarter=1, realisation="=1+1 loket dibuka", **common
    )
    FollowUpAction.objects.create(
        unit=filled.other_kelurahan, period=period, element_code="BIAYA", program="Lain", responsible="x", year=2027,
        quarter=1,
    )  # fmt: skip
    workbook, _facts = unit_workbook(UnitScope(filled.kelurahan, period))
    rtl = [[cell.value for cell in row] for row in _saved(workbook)["RTL"].iter_rows(min_row=5)]
    assert rtl == [
        [1, "U3 Waktu Penyelesaian", "Tambah loket", "TW I 2027", "Lurah", "Direncanakan", "'=1+1 loket dibuka"],
        [
            2,
            "U9 Penanganan Pengaduan, Saran dan Masukan",
            "Kotak saran digital",
            "TW II 2027",
            "Lurah",
            "Direncanakan",
            None,
        ],
    ]
