"""CSV uploads: one sheet named after the file, rows counted and bounded."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from surveys.uploads.base import Spreadsheet, UploadLimits, UploadRefused, thousands


class CsvSpreadsheet(Spreadsheet):
    """UTF-8 (with or without a byte-order mark) or, failing that, Windows-1252 as Excel writes
    it; separated by `,`, `;` or tab, whichever the first line holds most of."""

    def __init__(self, data: bytes, name: str, limits: UploadLimits) -> None:
        self.sheet_names = [name]
        self._limits = limits
        try:
            self._text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self._text = data.decode("cp1252", errors="replace")
        if "\x00" in self._text:
            raise UploadRefused(_("Berkas CSV memuat karakter NUL; ini bukan berkas teks CSV."))
        first_line = self._text.split("\n", 1)[0]
        self._delimiter = max(",;\t", key=first_line.count)
        self._rows, self.cells = 0, 0
        for record in self._records():
            self._rows += 1
            self.cells += len(record)

    def _records(self) -> Iterator[list[str]]:
        reader = csv.reader(io.StringIO(self._text, newline=""), delimiter=self._delimiter)
        number = 0
        try:
            for number, record in enumerate(reader, start=1):
                if number > self._limits.max_rows:
                    raise UploadRefused(
                        _("Berkas CSV memuat lebih dari %(max)s baris (termasuk baris kosong).")
                        % {"max": thousands(self._limits.max_rows)}
                    )
                if len(record) > self._limits.max_columns:
                    raise UploadRefused(
                        _("Baris %(row)s berkas CSV memuat %(count)s kolom; paling banyak %(max)s.")
                        % {"row": number, "count": len(record), "max": self._limits.max_columns}
                    )
                yield record
        except csv.Error:
            raise UploadRefused(
                _("Berkas CSV rusak pada baris %(row)s (tanda kutip atau isian tidak lengkap).") % {"row": number + 1}
            ) from None

    def row_count(self, sheet: str) -> int:
        return self._rows

    def rows(self, sheet: str, *, max_columns: int) -> Iterator[tuple[object, ...]]:
        for record in self._records():
            values: list[object] = [value if value != "" else None for value in record[:max_columns]]
            yield tuple(values + [None] * (max_columns - len(values)))
