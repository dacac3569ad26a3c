"""The city recap: one row per unit with its index, the city figure pooled and as a mean of units,
the grade distribution and a chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports import display, indices, selectors
from reports.exports import data, rows
from reports.exports.layout import (
    CHART_LAST_COLUMN,
    CHART_ROWS,
    HEADER_FILL,
    LINE_HEIGHT,
    NIK_FORMAT,
    center_columns,
    fit_columns,
    printable,
    title_rows,
    write_facts,
)
from reports.exports.render import (
    set_widths,
    write_header,
    write_rows,
)
from reports.selectors import responses_in
from reports.tallies import GroupTally, pool, tally_responses
from surveys.models import Period, ServiceUnit, UnitKind


@dataclass(frozen=True)
class RecapFacts:
    pooled: indices.IndexResult
    mean: indices.CityMean
    units: int


def city_recap(*, period: Period, unit_ids: Sequence[int], weight: str = "exact") -> tuple[Workbook, RecapFacts]:
    """One row per unit with its index, the city figure pooled and as a mean of units, grades, a chart.

    Of `unit_ids`, only the units that serve the public are counted (as on the city dashboard)."""
    unit_ids = list(ServiceUnit.objects.serving_public().filter(pk__in=unit_ids).values_list("pk", flat=True))
    responses = responses_in(unit_ids=unit_ids, periods=[period])
    rules = selectors.rules_for(responses)
    columns = data.element_columns(rules, responses.countable())
    groups = tally_responses(responses, group_by=("unit_id",))
    populations = selectors.populations(periods=[period], unit_ids=unit_ids)
    kinds = {value: str(label) for value, label in UnitKind.choices}
    units = data.unit_rows(unit_ids)
    recap_units = [
        rows.RecapUnit(
            unit,
            groups.get(unit["id"], GroupTally()).result(
                rules=rules, weight=weight, population=populations.get(unit["id"])
            ),
            kinds.get(unit["kind"], unit["kind"]),
        )
        for unit in units
    ]
    city = pool(groups.values()).result(rules=rules, weight=weight)
    mean = indices.mean_of_indices([item.result for item in recap_units])

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Rekap"
    header = rows.recap_header(columns)
    write_header(sheet, 1, header)
    for column in range(1, len(header) + 1):
        sheet.cell(row=1, column=column).fill = HEADER_FILL
    formats = {8: NIK_FORMAT, **{10 + index: NIK_FORMAT for index in range(len(columns))}}
    last = write_rows(sheet, 2, rows.recap_rows(recap_units, columns), formats) - 1
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(last, 2)}"
    set_widths(sheet, [16, 34, 16, 28, 20, 12, 12, 16, 12, 10, *([12] * len(columns))])
    fit_columns(sheet, from_row=2)
    numeric = [6, 7, 9, 10, *range(11, len(header) + 1)]  # n, sample minimum, NIK, grade, elements
    center_columns(sheet, numeric, header_row=1, last_row=last)
    printable(sheet, 1)
    sheet.oddHeader.center.text = _("Rekapitulasi IKM · %(period)s") % {"period": period.name}

    whole_city = not ServiceUnit.objects.serving_public().exclude(pk__in=unit_ids).exists()
    sheet_name = "Kota" if whole_city else "Gabungan"
    _city_sheet(workbook.create_sheet(sheet_name), period, city, mean, recap_units, rules, weight, whole_city)
    return workbook, RecapFacts(city, mean, len(recap_units))


def _city_sheet(
    sheet: Worksheet,
    period: Period,
    city: indices.IndexResult,
    mean: indices.CityMean,
    units: Sequence[rows.RecapUnit],
    rules: str,
    weight: str,
    whole_city: bool,
) -> None:
    """The combined figures: labelled as the city's only when every unit is in the recap."""
    title_rows(
        sheet,
        _("REKAPITULASI INDEKS KEPUASAN MASYARAKAT KOTA")
        if whole_city
        else _("REKAPITULASI INDEKS KEPUASAN MASYARAKAT UNIT TERPILIH"),
        _("Periode: %(period)s · Aturan: %(rules)s · %(weight)s")
        % {"period": period.name, "rules": display.rules_text(rules), "weight": display.weight_text(weight, rules)},
    )
    with_index = sum(1 for item in units if item.result.nik is not None)
    facts: list[list[object]] = [
        [
            _("Nilai IKM kota (gabungan seluruh responden)")
            if whole_city
            else _("Nilai IKM unit terpilih (gabungan seluruh responden)"),
            display.nik(city.nik),
            city.grade or _("belum ada data"),
        ],
        [_("Responden (gabungan)"), city.respondents],
        [
            _("Nilai IKM kota (rata-rata indeks unit)")
            if whole_city
            else _("Nilai IKM unit terpilih (rata-rata indeks unit)"),
            display.nik(mean.nik),
            indices.band_for(mean.nik, rules).grade if mean.nik is not None else _("belum ada data"),
        ],
        [_("Jumlah unit dengan indeks"), mean.units_covered],
        [_("Jumlah unit dalam rekap"), len(units)],
        [_("Catatan"), _("Tidak ada aturan resmi untuk angka kota; keduanya ditampilkan dengan labelnya.")],
    ]
    next_row = write_facts(sheet, 4, facts)
    note = next_row - 1  # the note wraps over the value columns, clear of the chart beside them
    sheet.merge_cells(start_row=note, start_column=2, end_row=note, end_column=3)
    sheet.cell(row=note, column=1).alignment = Alignment(vertical="top")
    sheet.cell(row=note, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[note].height = LINE_HEIGHT * 4
    header_row = next_row + 1
    write_header(sheet, header_row, [_("Mutu pelayanan"), _("Kinerja"), _("Jumlah unit")])
    bands = indices.get_rules(rules).bands
    counts = {band.grade: 0 for band in bands}
    for item in units:
        if item.result.grade:
            counts[item.result.grade] += 1
    distribution = [[band.grade, display.grade_label(band.label), counts[band.grade]] for band in bands]
    distribution.append([_("belum ada data"), "", len(units) - with_index])
    last = write_rows(sheet, header_row + 1, distribution) - 1
    set_widths(sheet, [44, 16, 14])
    fit_columns(sheet, from_row=4)
    printable(sheet, header_row, last_column=CHART_LAST_COLUMN, last_row=CHART_ROWS + 4)
    chart = BarChart()
    chart.title = _("Sebaran mutu pelayanan unit (unit yang sudah ada data)")
    chart.y_axis.title = _("Jumlah unit")
    chart.legend = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    graded = last - 1  # the "belum ada data" row stays in the table, out of the chart
    chart.add_data(Reference(sheet, min_col=3, min_row=header_row, max_row=graded), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=graded))
    sheet.add_chart(chart, "E4")
