"""What every workbook shares: number formats, the header fill, title rows, label/value facts,
print setup and file names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import copy
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.exports.render import write_cell
from surveys.models import Period, ServiceUnit

NRR_FORMAT = "0.0000"
NIK_FORMAT = "0.00"
PERCENT_FORMAT = "0.00%"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


#: Roughly how many characters of the default font fit in one unit of column width, and the
#: height (points) of one line of text: enough to size columns and wrapped headers for print.
CHAR_WIDTH = 1.15
LINE_HEIGHT = 15
WIDEST = 50
CHART_ROWS = 25  # a chart of 12 cm takes about this many rows below its anchor
CHART_LAST_COLUMN = 12  # a chart of 15 cm anchored at column E ends before column L
PAGE_MARGIN = 0.75  # inches above and below the table
HEADER_MARGIN = 0.3  # inches from the paper's edge to the page header and footer
RESPONDENTS_WITH_FOOTER = 20  # more respondents than this: the results start a new page


def text_width(value: object) -> float:
    """The column width a value needs on one line."""
    return len(str(value)) * CHAR_WIDTH + 2


def wrapped_lines(text: str, width: float) -> int:
    """How many lines a text takes when wrapped in a column of `width`."""
    room = max(int((width - 1) / CHAR_WIDTH), 1)
    lines, line = 1, 0
    for word in str(text).split():
        needed = len(word) if line == 0 else line + 1 + len(word)
        if needed > room and line:
            lines, line = lines + 1, len(word)
        else:
            line = needed
        while line > room:  # a word longer than the column breaks across lines
            lines, line = lines + 1, line - room
    return lines


def column_width(sheet: Worksheet, column: int) -> float:
    width = sheet.column_dimensions[get_column_letter(column)].width
    return float(width) if width else 8.43


def fit_columns(sheet: Worksheet, *, from_row: int) -> None:
    """Widen each column whose text would be cut: a one-line text with something in the cell to
    its right (a text with an empty neighbour runs on into it, on screen and on paper). Wrapped
    cells (headers, long texts) keep their width and grow in height instead."""
    for row in sheet.iter_rows(min_row=from_row):
        for cell, neighbour in zip(row, [*row[1:], None], strict=True):
            if not isinstance(cell.value, str) or cell.value.startswith("=") or cell.alignment.wrap_text:
                continue
            if neighbour is None or neighbour.value in (None, ""):
                continue
            letter = get_column_letter(cell.column)
            needed = min(text_width(cell.value), WIDEST)
            if needed > column_width(sheet, cell.column):
                sheet.column_dimensions[letter].width = needed


def fit_row_height(sheet: Worksheet, row: int) -> None:
    """Make a row of wrapped cells (a header) tall enough for its longest cell."""
    lines = max(
        (
            wrapped_lines(str(cell.value), column_width(sheet, cell.column))
            for cell in sheet[row]
            if cell.value is not None and cell.alignment.wrap_text
        ),
        default=1,
    )
    sheet.row_dimensions[row].height = LINE_HEIGHT * lines


def fit_rows(sheet: Worksheet, *, from_row: int) -> None:
    """Rows with wrapped cells (long suggestions, follow-up texts) tall enough for their text,
    every cell of such a row at its top: a wrapped text starts on the line of its own row's
    number and date, not (with the others at the bottom) next to the row above."""
    for row in range(from_row, sheet.max_row + 1):
        if any(cell.alignment.wrap_text and cell.value for cell in sheet[row]):
            fit_row_height(sheet, row)
            for cell in sheet[row]:
                cell.alignment = aligned(cell, vertical="top")


def center_columns(sheet: Worksheet, columns: Iterable[int], *, header_row: int, last_row: int) -> None:
    """Headings and values of these (numeric) columns centred alike, so that on paper each column
    of numbers stands under its own heading (a left heading over right numbers reads as the next
    column's)."""
    for column in columns:
        for row in range(header_row, last_row + 1):
            cell = sheet.cell(row=row, column=column)
            cell.alignment = aligned(cell, horizontal="center")


def aligned(cell: Any, **changes: object) -> Alignment:
    """The cell's alignment with some of its attributes changed (wrapping and the rest kept)."""
    alignment = copy(cell.alignment)
    for name, value in changes.items():
        setattr(alignment, name, value)
    return alignment


def _wrap_across(sheet: Worksheet, row: int, columns: int) -> None:
    cell = sheet.cell(row=row, column=1)
    if not isinstance(cell.value, str) or any(sheet.cell(row=row, column=c).value for c in range(2, columns + 1)):
        return
    room = sum(column_width(sheet, column) for column in range(1, columns + 1))
    if text_width(cell.value) <= room:
        return
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    size = cell.font.sz or 11
    sheet.row_dimensions[row].height = LINE_HEIGHT * size / 11 * wrapped_lines(cell.value, room)


def printable(
    sheet: Worksheet,
    header_row: int,
    landscape: bool = True,
    *,
    last_column: int | None = None,
    last_row: int | None = None,
) -> None:
    """Print on pages one sheet wide: the title rows and the header repeated on every page, the
    print area the sheet's content (or up to `last_column`/`last_row`, to take in a chart),
    page numbers in the footer; the header row tall enough for its wrapped labels."""
    fit_row_height(sheet, header_row)
    sheet.print_title_rows = f"1:{header_row}"
    columns = last_column or sheet.max_column
    if header_row >= 3:  # the title and subtitle wrap within the printed width instead of running off it
        for row in (1, 2):
            _wrap_across(sheet, row, columns)
    rows = max(last_row or 0, sheet.max_row)
    sheet.print_area = f"A1:{get_column_letter(columns)}{rows}"
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    # the page header (a recap's title) and footer (page numbers) get their own band above and
    # below the table: with the header margin close to the top one, they print over the first row
    sheet.page_margins.top = sheet.page_margins.bottom = PAGE_MARGIN
    sheet.page_margins.header = sheet.page_margins.footer = HEADER_MARGIN
    sheet.oddFooter.center.text = "&P / &N"


def title_rows(sheet: Worksheet, title: str, subtitle: str) -> None:
    write_cell(sheet, 1, 1, title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    write_cell(sheet, 2, 1, subtitle)


def write_facts(sheet: Worksheet, first_row: int, facts: Iterable[Sequence[object]], *, first_column: int = 1) -> int:
    """Label/value rows: index values (Decimals) with 2 decimals, counts as whole numbers."""
    row = first_row
    for fact in facts:
        for column, value in enumerate(fact, start=first_column):
            write_cell(sheet, row, column, value, NIK_FORMAT if isinstance(value, Decimal) else None)
        row += 1
    return row


def file_stem(kind: str, period: Period, unit: ServiceUnit | None = None, *, with_subunits: bool = False) -> str:
    """A file name without suffix, e.g. skm-workbook-16-71-04-triwulan-iv-2026-2026-11-28; a unit's
    workbook that also covers its sub-units says so (skm-workbook-16-71-04-dan-sub-unit-...), so
    the two never overwrite each other in a downloads folder."""
    from django.utils import timezone
    from django.utils.text import slugify

    if unit is not None:
        code = slugify(unit.code.replace(".", "-")) + ("-dan-sub-unit" if with_subunits else "")
    else:
        code = "kota" if kind in {"recap", "rekap"} else "semua-unit"
    return "-".join(["skm", kind, code, slugify(period.name), timezone.localdate().isoformat()])
