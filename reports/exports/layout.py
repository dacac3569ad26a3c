"""What every workbook shares: number formats, the header fill, title rows, label/value facts,
print setup and file names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from reports.exports.render import write_cell
from surveys.models import Period, ServiceUnit

NRR_FORMAT = "0.0000"
NIK_FORMAT = "0.00"
PERCENT_FORMAT = "0.00%"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def printable(sheet: Worksheet, header_row: int, landscape: bool = True) -> None:
    """Print on pages one sheet wide, the header row repeated on every page."""
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def title_rows(sheet: Worksheet, title: str, subtitle: str) -> None:
    write_cell(sheet, 1, 1, title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    write_cell(sheet, 2, 1, subtitle)


def write_facts(sheet: Worksheet, first_row: int, facts: Iterable[Sequence[object]]) -> int:
    """Label/value rows: index values (Decimals) with 2 decimals, counts as whole numbers."""
    row = first_row
    for fact in facts:
        for column, value in enumerate(fact, start=1):
            write_cell(sheet, row, column, value, NIK_FORMAT if isinstance(value, Decimal) else None)
        row += 1
    return row


def file_stem(kind: str, period: Period, unit: ServiceUnit | None = None) -> str:
    """A file name without suffix, e.g. skm-workbook-16-71-04-triwulan-iv-2026-2026-11-28."""
    from django.utils import timezone
    from django.utils.text import slugify

    if unit is not None:
        code = slugify(unit.code.replace(".", "-"))
    else:
        code = "kota" if kind in {"recap", "rekap"} else "semua-unit"
    return "-".join(["skm", kind, code, slugify(period.name), timezone.localdate().isoformat()])
