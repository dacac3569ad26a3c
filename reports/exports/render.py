"""One renderer for every export: sheets of plain rows into XLSX (streamed) or CSV.

Row generators (`reports.exports.rows`) yield plain Python values. Everything that reaches a
cell passes through :func:`cell_value`, the formula-injection guard (`surveys.textsafety`): text
that a spreadsheet would read as a formula or a DDE call (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return, also after leading whitespace) is prefixed with an apostrophe, as
OWASP recommends, and stored as a plain string cell. Only values wrapped in :class:`Formula` -
which only our own workbook code creates, never from user text - become formulas.

CSV files quote every field and neutralise a trigger after any separator as well
(`neutralise_csv`), since a spreadsheet may split the file on another separator than it was
written with. Two dialects: `,` (the CSV standard) and `;` with decimal commas, which Excel
with Indonesian regional settings opens directly; both start with a UTF-8 byte-order mark.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from surveys.textsafety import neutralise, neutralise_csv

#: The most rows Excel shows on one sheet (including the header row).
EXCEL_MAX_ROWS = 1_048_576


@dataclass(frozen=True)
class Formula:
    """A formula written by our own code (e.g. ``=SUM(C5:C9)``); never built from user text."""

    text: str

    def __post_init__(self) -> None:
        if not self.text.startswith("="):
            raise ValueError(f"a formula starts with '=': {self.text!r}")


Scalar = str | int | float | Decimal | Fraction | bool | datetime.date | datetime.datetime | None


def cell_value(value: object) -> object:
    """The value to store in a cell: numbers and dates as such, text neutralised, formulas kept."""
    if isinstance(value, Formula):
        return value.text
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write local wall-clock time.
        return value if timezone.is_naive(value) else timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return value
    return neutralise(str(value))


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV export is written: its separator, and whether numbers use a decimal comma."""

    delimiter: str
    decimal_comma: bool


CSV_COMMA = CsvDialect(delimiter=",", decimal_comma=False)
CSV_SEMICOLON = CsvDialect(delimiter=";", decimal_comma=True)
#: The export formats (`reports.models.ExportFormat` values) written as CSV, and their dialects.
CSV_DIALECTS = {"csv": CSV_COMMA, "csv-semicolon": CSV_SEMICOLON}


def csv_value(value: object, dialect: CsvDialect = CSV_COMMA) -> str:
    """A CSV field: text neutralised after any separator (CSV opened in a spreadsheet runs
    formulas too), numbers with the dialect's decimal mark, local dates and times."""
    if isinstance(value, Formula):
        raise TypeError("formulas are not written to CSV")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal | Fraction):
        number = str(cell_value(value))
        return number.replace(".", ",") if dialect.decimal_comma else number
    shown = cell_value(value) if isinstance(value, datetime.date) else None
    if isinstance(shown, datetime.datetime):
        return shown.isoformat(sep=" ", timespec="seconds")
    if isinstance(shown, datetime.date):
        return shown.isoformat()
    return neutralise_csv(str(value))


@dataclass
class SheetSpec:
    """A sheet to stream: a title, a header row and rows of plain values."""

    title: str
    header: Sequence[object]
    rows: Iterable[Sequence[object]]
    widths: Sequence[int] = ()
    number_formats: dict[int, str] = field(default_factory=dict)  # 0-based column -> format


def write_cell(sheet: Worksheet, row: int, column: int, value: object, number_format: str | None = None) -> None:
    """Write one value into a normal (not write-only) sheet through the injection guard."""
    cell = sheet.cell(row=row, column=column)
    stored = cell_value(value)
    cell.value = stored
    if isinstance(stored, str) and not isinstance(value, Formula):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format


def write_rows(
    sheet: Worksheet, first_row: int, rows: Iterable[Sequence[object]], formats: dict[int, str] | None = None
) -> int:
    """Write rows from `first_row` on; returns the next free row."""
    row_number = first_row
    for row in rows:
        for column, value in enumerate(row, start=1):
            write_cell(sheet, row_number, column, value, (formats or {}).get(column - 1))
        row_number += 1
    return row_number


def write_header(sheet: Worksheet, row: int, header: Sequence[object]) -> None:
    for column, title in enumerate(header, start=1):
        write_cell(sheet, row, column, title)
        sheet.cell(row=row, column=column).font = Font(bold=True)
        sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True, vertical="top")


def set_widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _stream_cells(sheet: Any, values: Sequence[object], formats: dict[int, str], bold: bool = False) -> list[Any]:
    """Cells for a write-only row. Plain values go in as they are (cheaper than cell objects):
    text is already neutralised, so none of it starts with "=" and openpyxl keeps it a string."""
    cells: list[Any] = []
    for index, value in enumerate(values):
        stored = cell_value(value)
        number_format = formats.get(index)
        if not bold and not number_format and not isinstance(value, Formula):
            cells.append(stored)
            continue
        cell = WriteOnlyCell(sheet, value=stored)
        if isinstance(stored, str) and not isinstance(value, Formula):
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)
        if number_format:
            cell.number_format = number_format
        cells.append(cell)
    return cells


def stream_xlsx(
    sheets: Iterable[SheetSpec],
    out: IO[bytes],
    *,
    max_rows: int = EXCEL_MAX_ROWS,
    on_row: Any = None,
) -> int:
    """Stream sheets into a write-only workbook with constant memory; returns the data rows written.

    A sheet with more rows than fit (`max_rows` including its header) continues on
    "<title> (2)", "<title> (3)", ... each with the header repeated.
    `on_row(count)` is called every 1,000 rows (progress reporting).
    """
    if max_rows < 2:
        raise ValueError("a sheet needs room for the header and one row")
    workbook = Workbook(write_only=True)
    written = 0
    for spec in sheets:
        part = 0
        sheet: Any = None
        rows_on_sheet = max_rows
        for row in spec.rows:
            if rows_on_sheet >= max_rows:
                part += 1
                sheet = _new_stream_sheet(workbook, spec, part)
                rows_on_sheet = 1
            sheet.append(_stream_cells(sheet, row, spec.number_formats))
            rows_on_sheet += 1
            written += 1
            if on_row is not None and written % 1000 == 0:
                on_row(written)
        if sheet is None:
            _new_stream_sheet(workbook, spec, 1)
    workbook.save(out)
    return written


def _new_stream_sheet(workbook: Workbook, spec: SheetSpec, part: int) -> Any:
    title = spec.title if part == 1 else f"{spec.title} ({part})"
    sheet = workbook.create_sheet(title=title[:31])
    for column, width in enumerate(spec.widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(_stream_cells(sheet, spec.header, {}, bold=True))
    return sheet


def stream_csv(spec: SheetSpec, out: IO[str], *, dialect: CsvDialect = CSV_COMMA, on_row: Any = None) -> int:
    """Write one sheet as CSV (text stream), every field quoted and neutralised; returns rows written."""
    writer = csv.writer(out, delimiter=dialect.delimiter, quoting=csv.QUOTE_ALL)
    writer.writerow([csv_value(title, dialect) for title in spec.header])
    written = 0
    for row in spec.rows:
        writer.writerow([csv_value(value, dialect) for value in row])
        written += 1
        if on_row is not None and written % 1000 == 0:
            on_row(written)
    return written
