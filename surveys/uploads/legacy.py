""".xls uploads (Excel 97-2003, still what many offices save): read by xlrd, bounded.

An .xls is not compressed, so its cells cost no more than its bytes (capped before it gets here).
xlrd reads the whole workbook on opening; the sheet count, rows and columns are checked before
any row is handed out. xlrd 2 reads nothing but .xls and never evaluates formulas or macros.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from surveys.uploads.base import Spreadsheet, UploadLimits, UploadRefused, thousands

logger = logging.getLogger(__name__)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class XlsSpreadsheet(Spreadsheet):
    def __init__(self, data: bytes, limits: UploadLimits) -> None:
        import xlrd

        try:
            self._book: Any = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
        except Exception:  # xlrd raises many kinds for a file it cannot read
            logger.warning("xlrd could not open an upload", exc_info=True)
            raise UploadRefused(
                _("Berkas .xls tidak dapat dibaca (rusak atau berkata sandi). Simpan ulang sebagai .xlsx.")
            ) from None
        names: list[str] = list(self._book.sheet_names())
        if len(names) > limits.max_sheets:
            raise UploadRefused(
                _("Berkas berisi %(count)s lembar; paling banyak %(max)s.")
                % {"count": len(names), "max": limits.max_sheets}
            )
        self.sheet_names = names
        self.cells = 0
        self._limits = limits

    def _sheet(self, sheet: str) -> Any:
        try:
            worksheet = self._book.sheet_by_name(sheet)
        except Exception:
            logger.warning("xlrd could not read sheet %r", sheet, exc_info=True)
            raise UploadRefused(_("Lembar %(sheet)s tidak dapat dibaca.") % {"sheet": sheet}) from None
        if worksheet.nrows > self._limits.max_rows:
            raise UploadRefused(
                _("Lembar %(sheet)s memuat %(count)s baris; paling banyak %(max)s.")
                % {"sheet": sheet, "count": thousands(worksheet.nrows), "max": thousands(self._limits.max_rows)}
            )
        return worksheet

    def row_count(self, sheet: str) -> int:
        return int(self._sheet(sheet).nrows)

    def rows(self, sheet: str, *, max_columns: int) -> Iterator[tuple[object, ...]]:
        import xlrd

        worksheet = self._sheet(sheet)
        for number in range(worksheet.nrows):
            values: list[object] = []
            for cell in worksheet.row_slice(number, 0, min(max_columns, worksheet.row_len(number))):
                blank = cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) or cell.value == ""
                values.append(None if blank else cell.value)
            yield tuple(values + [None] * (max_columns - len(values)))

    def close(self) -> None:
        self._book.release_resources()
