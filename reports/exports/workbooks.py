"""The unit workbook: the official processing layout with live formulas, and its other sheets.

Each sheet's content comes from a row generator in `rows`; this module places the rows, adds
the formulas, styles and native charts, and hands streamed sheets to `render`.

The processing sheet ("Pengolahan") footer is made of live formulas over the respondent rows::

    total      =SUM(C5:C104)                      per element
    NRR        =C105/COUNT(C5:C104)               unanswered cells are blank, so COUNT = n_i
    weighted   =C106/9        (exact weight 1/k)  or  =C106*0.111 (legacy weight, printed)
    (*)        =SUM(B107:J107)                    the index on the 1..4 scale
    (**)       =K107*25                           IKM unit pelayanan (NIK)

so Excel or LibreOffice recompute exactly what `reports.indices.compute_index` returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from reports import display, indices, selectors
from reports.exports import data, rows
from reports.exports.layout import (
    CHART_ROWS,
    DATE_FORMAT,
    HEADER_FILL,
    NIK_FORMAT,
    NRR_FORMAT,
    PERCENT_FORMAT,
    RESPONDENTS_WITH_FOOTER,
    center_columns,
    fit_columns,
    fit_row_height,
    fit_rows,
    printable,
    title_rows,
    write_facts,
)
from reports.exports.render import (
    Formula,
    set_widths,
    write_cell,
    write_header,
    write_rows,
)
from reports.models import FollowUpAction
from reports.selectors import responses_in
from reports.tallies import pool, tally_responses
from surveys.models import Education, Occupation, Period, ServiceUnit, Sex


@dataclass(frozen=True)
class UnitScope:
    """What a unit workbook covers: a unit (and maybe its descendants) in one period."""

    unit: ServiceUnit
    period: Period
    include_descendants: bool = False
    weight: str = "exact"

    def unit_ids(self) -> list[int]:
        if not self.include_descendants:
            return [self.unit.pk]
        return list(ServiceUnit.objects.subtree_of([self.unit]).values_list("pk", flat=True))


def _scope_text(scope: UnitScope, rules: str) -> str:
    coverage = _(" beserta unit di bawahnya") if scope.include_descendants else ""
    return _("Unit: %(unit)s (%(code)s)%(coverage)s · Periode: %(period)s · Aturan: %(rules)s · %(weight)s") % {
        "unit": scope.unit.name,
        "code": scope.unit.code,
        "coverage": coverage,
        "period": scope.period.name,
        "rules": display.rules_text(rules),
        "weight": display.weight_text(scope.weight, rules),
    }


@dataclass(frozen=True)
class UnitWorkbookFacts:
    """The app's numbers behind a unit workbook (what the formulas must reproduce)."""

    result: indices.IndexResult
    population: int | None
    rules: str


def unit_workbook(scope: UnitScope) -> tuple[Workbook, UnitWorkbookFacts]:
    """Assemble the unit workbook: Pengolahan, Ringkasan, Responden, Saran, RTL."""
    unit_ids = scope.unit_ids()
    responses = responses_in(unit_ids=unit_ids, periods=[scope.period])
    counted = responses.countable()
    rules = selectors.rules_for(responses, unit=scope.unit)
    columns = data.element_columns(rules, counted)
    population = selectors.population_of(unit_ids=unit_ids, periods=[scope.period])
    group = pool(tally_responses(responses, group_by=()).values())
    result = group.result(rules=rules, weight=scope.weight, population=population)

    workbook = Workbook()
    processing = workbook.active
    assert processing is not None
    processing.title = "Pengolahan"
    _processing_sheet(processing, scope, rules, columns, counted)
    _summary_sheet(workbook.create_sheet("Ringkasan"), scope, result, columns, population)
    _respondent_sheet(workbook.create_sheet("Responden"), scope, counted, result.respondents, rules)
    _suggestion_sheet(workbook.create_sheet("Saran"), scope, counted, columns, rules)
    _followup_sheet(workbook.create_sheet("RTL"), scope, rules, unit_ids, columns)
    return workbook, UnitWorkbookFacts(result, population, rules)


def _processing_sheet(
    sheet: Worksheet, scope: UnitScope, rules: str, columns: Sequence[data.ElementColumn], counted: Any
) -> None:
    title_rows(
        sheet,
        _("PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT PER RESPONDEN DAN PER UNSUR PELAYANAN"),
        _scope_text(scope, rules),
    )
    header_row = 4
    first = header_row + 1
    k = len(columns)
    sum_column = k + 2
    write_header(sheet, header_row, [*rows.processing_header(columns), _("Jumlah NRR tertimbang (*)")])
    for column in range(1, sum_column + 1):
        sheet.cell(row=header_row, column=column).fill = HEADER_FILL
    scored = data.scored_responses(counted, ["submitted_at"])
    next_row = write_rows(sheet, first, rows.processing_rows(scored, columns))
    last = next_row - 1
    sheet.freeze_panes = sheet.cell(row=first, column=2)
    set_widths(sheet, [10, *([14] * k), 16])
    if last < first:
        write_cell(sheet, first, 1, _("belum ada data"))
        footer = first + 2
    else:
        if last - first + 1 > RESPONDENTS_WITH_FOOTER:  # the results and their legend start a page together
            sheet.row_breaks.append(Break(id=last))
        footer = _processing_footer(sheet, first, last, k, sum_column, rules, scope.weight)
    # the respondent numbers too, but not the footer's labels below them in column A
    center_columns(sheet, range(2, sum_column + 1), header_row=header_row, last_row=max(last + 5, first))
    center_columns(sheet, [1], header_row=header_row, last_row=last)
    for row in rows.legend_rows(columns, rules, scope.weight):
        for column, value in enumerate(row, start=1):
            write_cell(sheet, footer, column, value, NIK_FORMAT if isinstance(value, Decimal) else None)
        footer += 1
    fit_columns(sheet, from_row=first)
    printable(sheet, header_row)


def _weighted_formula(nrr_cell: str, weight: str, rules: str) -> Formula:
    value = indices.weight_for(weight, rules)
    if weight == "exact":
        return Formula(f"={nrr_cell}/{value.denominator}")
    return Formula(f"={nrr_cell}*{weight}")


def _processing_footer(
    sheet: Worksheet, first: int, last: int, k: int, sum_column: int, rules: str, weight: str
) -> int:
    """Write the formula rows under the respondents; returns the first row after them."""
    total_row, nrr_row, weighted_row, index_row, grade_row = (last + 1 + offset for offset in range(5))
    labels = {
        total_row: _("Σ nilai/unsur"),
        nrr_row: _("NRR/unsur"),
        weighted_row: _("NRR tertimbang/unsur"),
        index_row: _("IKM unit pelayanan (**)"),
        grade_row: _("Mutu pelayanan"),
    }
    for row, label in labels.items():
        write_cell(sheet, row, 1, label)
        sheet.cell(row=row, column=1).font = Font(bold=True)
    for index in range(k):
        letter = get_column_letter(index + 2)
        span = f"{letter}{first}:{letter}{last}"
        write_cell(sheet, total_row, index + 2, Formula(f"=SUM({span})"))
        write_cell(sheet, nrr_row, index + 2, Formula(f"={letter}{total_row}/COUNT({span})"), NRR_FORMAT)
        write_cell(sheet, weighted_row, index + 2, _weighted_formula(f"{letter}{nrr_row}", weight, rules), NRR_FORMAT)
    sum_letter = get_column_letter(sum_column)
    weighted_span = f"B{weighted_row}:{get_column_letter(k + 1)}{weighted_row}"
    write_cell(sheet, weighted_row, sum_column, Formula(f"=SUM({weighted_span})"), NRR_FORMAT)
    write_cell(
        sheet,
        index_row,
        sum_column,
        Formula(f"={sum_letter}{weighted_row}*{indices.get_rules(rules).factor}"),
        NIK_FORMAT,
    )
    write_cell(sheet, grade_row, sum_column, Formula(_grade_formula(f"{sum_letter}{index_row}", rules)))
    for row in (weighted_row, index_row, grade_row):
        sheet.cell(row=row, column=sum_column).font = Font(bold=True)
    return grade_row + 2


def _grade_formula(nik_cell: str, rules: str) -> str:
    """=IF(ROUND(x,2)>=88.31,"A",IF(...,"B",...)) from the rule set's band table."""
    bands = indices.get_rules(rules).bands
    formula = f'"{bands[-1].grade}"'
    for band in reversed(bands[:-1]):
        threshold = float(band.min_nik)
        formula = f'IF(ROUND({nik_cell},2)>={threshold:.2f},"{band.grade}",{formula})'
    return "=" + formula


def _summary_sheet(
    sheet: Worksheet,
    scope: UnitScope,
    result: indices.IndexResult,
    columns: Sequence[data.ElementColumn],
    population: int | None,
) -> None:
    title_rows(sheet, _("RINGKASAN INDEKS KEPUASAN MASYARAKAT"), _scope_text(scope, result.rules))
    header_row = 4
    write_header(sheet, header_row, rows.summary_header())
    formats = {2: NRR_FORMAT, 3: NIK_FORMAT}
    first = header_row + 1
    next_row = write_rows(sheet, first, rows.summary_element_rows(result, columns), formats)
    last_element = next_row - 1
    next_row = write_rows(sheet, next_row, [rows.summary_unit_row(result)], formats)
    for column in range(1, 7):
        sheet.cell(row=next_row - 1, column=column).font = Font(bold=True)
    center_columns(sheet, [1, 3, 4, 5], header_row=header_row, last_row=next_row - 1)  # No, NRR, NIK, grade
    next_row = write_facts(sheet, next_row + 1, rows.summary_fact_rows(result, population), first_column=2)
    legend_row = next_row + 1  # the grade legend, on the same page as the grades it explains
    write_header(sheet, legend_row, ["", _("Mutu pelayanan (kinerja unit pelayanan)"), _("Nilai IKM paling rendah")])
    for offset, band in enumerate(indices.get_rules(result.rules).bands, start=1):
        write_cell(sheet, legend_row + offset, 2, f"{band.grade} ({display.grade_label(band.label)})")
        write_cell(sheet, legend_row + offset, 3, display.nik(band.min_nik), NIK_FORMAT)
    chart_row = sheet.max_row + 2
    set_widths(sheet, [6, 42, 10, 18, 14, 16])
    fit_row_height(sheet, legend_row)
    fit_columns(sheet, from_row=first)
    printable(sheet, header_row, landscape=False, last_row=chart_row + CHART_ROWS)
    if result.has_data:
        chart = BarChart()
        chart.type = "bar"
        chart.title = _("Nilai IKM per unsur")
        chart.y_axis.title = _("Nilai IKM")
        chart.y_axis.scaling.min = 25
        chart.y_axis.scaling.max = 100
        chart.legend = None
        values = Reference(sheet, min_col=4, min_row=header_row, max_row=last_element)
        labels = Reference(sheet, min_col=2, min_row=first, max_row=last_element)
        chart.add_data(values, titles_from_data=True)
        chart.set_categories(labels)
        chart.y_axis.majorUnit = 25
        chart.y_axis.number_format = "0"
        chart.x_axis.delete = False  # openpyxl 3.1 hides axes unless told otherwise
        chart.y_axis.delete = False
        chart.height = 12
        chart.width = 20
        sheet.add_chart(chart, f"B{chart_row}")


def _choice_labels() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    not_filled = _("Tidak diisi")
    labels = {
        "sex": {**{value: str(label) for value, label in Sex.choices}, "": not_filled},
        "age": {"": not_filled},
        "education": {**{value: str(label) for value, label in Education.choices}, "": not_filled},
        "occupation": {**{value: str(label) for value, label in Occupation.choices}, "": not_filled},
    }
    titles = {"sex": _("Jenis kelamin"), "age": _("Usia"), "education": _("Pendidikan"), "occupation": _("Pekerjaan")}
    return labels, titles


def _respondent_sheet(sheet: Worksheet, scope: UnitScope, counted: Any, respondents: int, rules: str) -> None:
    title_rows(sheet, _("KARAKTERISTIK RESPONDEN"), _scope_text(scope, rules))
    write_header(sheet, 4, rows.respondent_header())
    labels, titles = _choice_labels()
    lines = data.characteristics(counted, labels, titles)
    write_rows(sheet, 5, rows.respondent_rows(lines, respondents), {4: PERCENT_FORMAT})
    set_widths(sheet, [6, 18, 28, 10, 12])
    fit_columns(sheet, from_row=5)
    printable(sheet, 4, landscape=False)


def _suggestion_sheet(
    sheet: Worksheet, scope: UnitScope, counted: Any, columns: Sequence[data.ElementColumn], rules: str
) -> None:
    title_rows(sheet, _("KRITIK DAN SARAN RESPONDEN"), _scope_text(scope, rules))
    write_header(sheet, 4, rows.suggestion_header(columns))
    with_text = counted.exclude(suggestion="")
    scored = data.scored_responses(with_text, ["submitted_at", "suggestion", "service__name", "service_other"])
    last = write_rows(sheet, 5, rows.suggestion_rows(scored, columns), {1: DATE_FORMAT})
    for row in range(5, last):
        sheet.cell(row=row, column=4).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A5"
    set_widths(sheet, [6, 12, 24, 60, *([8] * len(columns))])
    fit_columns(sheet, from_row=5)
    fit_rows(sheet, from_row=5)
    printable(sheet, 4)


def followup_rows(
    unit_ids: Sequence[int], period: Period, columns: Sequence[data.ElementColumn]
) -> list[rows.FollowUpRow]:
    """Follow-up actions (RTL) of these units for the period's results, in questionnaire order (one query)."""
    order = {column.code: column.number for column in columns}
    names = {column.code: f"U{column.number} {column.name}" for column in columns}
    actions = sorted(
        FollowUpAction.objects.filter(unit_id__in=unit_ids, period=period).select_related("unit"),
        key=lambda action: (order.get(action.element_code, 99), action.unit.path, action.pk),
    )
    several_units = len({action.unit_id for action in actions}) > 1
    return [
        rows.FollowUpRow(
            element=names.get(action.element_code, action.element_code)
            + (f" ({action.unit.name})" if several_units else ""),
            programme=action.program,
            timing=action.timing_label,
            responsible=action.responsible,
            status=str(action.get_status_display()),
            realisation=action.realisation,
        )
        for action in actions
    ]


def _followup_sheet(
    sheet: Worksheet, scope: UnitScope, rules: str, unit_ids: Sequence[int], columns: Sequence[data.ElementColumn]
) -> None:
    title_rows(sheet, _("RENCANA TINDAK LANJUT (RTL)"), _scope_text(scope, rules))
    write_header(sheet, 4, rows.followup_header())
    write_rows(sheet, 5, rows.followup_sheet_rows(followup_rows(unit_ids, scope.period, columns)))
    for row in sheet.iter_rows(min_row=5, min_col=3, max_col=7):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    set_widths(sheet, [6, 28, 40, 14, 24, 14, 30])
    fit_columns(sheet, from_row=5)
    fit_rows(sheet, from_row=5)
    printable(sheet, 4)
