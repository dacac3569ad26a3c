"""The workbooks read and print well: labels fit their columns, wrapped headers fit their rows,
each sheet has a print area, repeats its title and header rows, fits one page wide, and the grade
legend sits on the page of the grades it explains. (Checked by eye through LibreOffice's PDF.)"""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reports.exports.layout import CHAR_WIDTH, LINE_HEIGHT, wrapped_lines
from reports.exports.recap import city_recap
from reports.exports.workbooks import UnitScope, unit_workbook
from surveys.models import ServiceUnit, UnitPopulation
from tests import builders

pytestmark = pytest.mark.django_db


def saved(workbook: Any) -> Any:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


@pytest.fixture
def unit_book(city: Any, instrument: Any, period: Any) -> Any:
    for number in range(30):
        builders.make_response(
            city.kelurahan, [1 + (number + i) % 4 for i in range(9)], instrument=instrument, period=period
        )
    UnitPopulation.objects.create(unit=city.kelurahan, period=period, population=300)
    workbook, _facts = unit_workbook(UnitScope(city.kelurahan, period))
    return saved(workbook)


def width(sheet: Any, column: int) -> float:
    return float(sheet.column_dimensions[get_column_letter(column)].width or 8.43)


def test_a_label_with_a_value_beside_it_fits_its_column(unit_book: Any) -> None:
    sheet = unit_book["Ringkasan"]
    labels = [row[1].value for row in sheet.iter_rows(min_row=5) if isinstance(row[1].value, str) and row[2].value]
    assert "Populasi penerima layanan (N)" in labels and "Kecukupan sampel" in labels
    for label in labels:
        assert len(label) * CHAR_WIDTH <= width(sheet, 2), label
    processing = unit_book["Pengolahan"]
    footer = [row[0].value for row in processing.iter_rows(min_row=5) if isinstance(row[0].value, str)]
    assert "NRR tertimbang/unsur" in footer
    assert all(len(label) * CHAR_WIDTH <= width(processing, 1) for label in footer if len(label) < 40)


def test_wrapped_headers_get_rows_tall_enough(unit_book: Any) -> None:
    sheet = unit_book["Pengolahan"]
    needed = max(wrapped_lines(str(cell.value), width(sheet, cell.column)) for cell in sheet[4] if cell.value)
    assert needed >= 3  # "U9 Penanganan Pengaduan, Saran dan Masukan" in a score column
    assert sheet.row_dimensions[4].height >= needed * LINE_HEIGHT


def test_every_sheet_has_a_print_area_repeated_title_rows_and_fits_one_page_wide(
    unit_book: Any, city: Any, period: Any
) -> None:
    recap, _facts = city_recap(period=period, unit_ids=list(ServiceUnit.objects.values_list("pk", flat=True)))
    for sheet in [*unit_book.worksheets, *saved(recap).worksheets]:
        assert sheet.print_area, sheet.title
        assert sheet.print_title_rows.startswith("$1:"), sheet.title  # the title rows, then the header
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0, sheet.title
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4), sheet.title
    assert unit_book["Pengolahan"].print_title_rows == "$1:$4"


def test_the_city_recap_prints_landscape_with_its_header_on_every_page(city: Any, period: Any) -> None:
    recap, _facts = city_recap(period=period, unit_ids=list(ServiceUnit.objects.values_list("pk", flat=True)))
    sheet = saved(recap)["Rekap"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.row_dimensions[1].height >= 2 * LINE_HEIGHT  # "U2 Sistem, Mekanisme, dan Prosedur" wraps


def test_the_grade_legend_prints_on_the_page_of_the_results(unit_book: Any) -> None:
    summary = unit_book["Ringkasan"]
    texts = [cell.value for row in summary.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "A (Sangat Baik)" in texts and "D (Tidak Baik)" in texts  # on the one-page summary
    processing = unit_book["Pengolahan"]
    breaks = [brk.id for brk in processing.row_breaks.brk]
    assert breaks == [4 + 30]  # after the last respondent: the results and the legend start a page together
    legend = [row[0].value for row in processing.iter_rows(min_row=35)]
    assert "Mutu pelayanan" in legend and "Nilai IKM (paling rendah)" in legend


def test_a_long_subtitle_wraps_within_the_printed_width_and_suggestions_get_their_height(
    city: Any, instrument: Any, period: Any
) -> None:
    response = builders.make_response(city.kelurahan, [3] * 9, instrument=instrument, period=period)
    response.suggestion = "Antrean panjang sekali pada pagi hari, mohon ditambah petugas loket. " * 3
    response.save(update_fields=["suggestion"])
    book = saved(unit_workbook(UnitScope(city.kelurahan, period))[0])
    respondents = book["Responden"]
    assert "A2:E2" in {str(merged) for merged in respondents.merged_cells.ranges}
    assert respondents["A2"].alignment.wrap_text
    assert book["Saran"].row_dimensions[5].height >= 3 * LINE_HEIGHT


def test_a_wrapped_suggestion_prints_on_the_line_of_its_own_respondent(city: Any, instrument: Any, period: Any) -> None:
    response = builders.make_response(city.kelurahan, [3] * 9, instrument=instrument, period=period)
    response.suggestion = "Antrean panjang sekali pada pagi hari, mohon ditambah petugas loket. " * 3
    response.save(update_fields=["suggestion"])
    sheet = saved(unit_workbook(UnitScope(city.kelurahan, period))[0])["Saran"]
    assert sheet.row_dimensions[5].height > LINE_HEIGHT
    assert {cell.alignment.vertical for cell in sheet[5]} == {"top"}  # number, date, scores and text alike


def test_the_processing_sheet_centres_each_score_under_its_heading(unit_book: Any) -> None:
    sheet = unit_book["Pengolahan"]
    last_column = sheet.max_column  # "Jumlah NRR tertimbang (*)"
    assert sheet.cell(row=4, column=last_column).value == "Jumlah NRR tertimbang (*)"
    for column in range(2, last_column + 1):
        assert sheet.cell(row=4, column=column).alignment.horizontal == "center", column
    assert {sheet.cell(row=5, column=column).alignment.horizontal for column in range(1, 11)} == {"center"}
    weighted_row = 4 + 30 + 3
    assert sheet.cell(row=weighted_row, column=last_column).value.startswith("=SUM(")
    assert sheet.cell(row=weighted_row, column=last_column).alignment.horizontal == "center"
    assert sheet.cell(row=weighted_row, column=1).alignment.horizontal is None  # the footer labels stay left


def test_the_recap_title_prints_in_its_own_band_above_the_table(city: Any, period: Any) -> None:
    recap, _facts = city_recap(period=period, unit_ids=list(ServiceUnit.objects.values_list("pk", flat=True)))
    sheet = saved(recap)["Rekap"]
    assert sheet.oddHeader.center.text.startswith("Rekapitulasi IKM")
    assert sheet.page_margins.top - sheet.page_margins.header >= 0.4  # room for a line of header text
    assert sheet.page_margins.bottom - sheet.page_margins.footer >= 0.4
    header = [cell.value for cell in sheet[1]]
    for title in ("Responden (n)", "Nilai IKM", "Mutu"):
        column = header.index(title) + 1
        assert sheet.cell(row=1, column=column).alignment.horizontal == "center", title
        assert sheet.cell(row=2, column=column).alignment.horizontal == "center", title
    assert sheet.cell(row=1, column=header.index("Unit layanan") + 1).alignment.horizontal is None


def test_the_summary_centres_the_nrr_nik_and_grade_under_their_headings(unit_book: Any) -> None:
    sheet = unit_book["Ringkasan"]
    assert [cell.value for cell in sheet[4]][2:5] == ["NRR", "Nilai IKM", "Mutu pelayanan"]
    for row in (4, 5, 4 + 9 + 1):  # the header, the first element, the unit's row
        assert [sheet.cell(row=row, column=column).alignment.horizontal for column in (3, 4, 5)] == ["center"] * 3
    assert sheet.cell(row=5, column=2).alignment.horizontal is None  # the element names stay left
