""".ods uploads (LibreOffice, WPS, Google Sheets): the zip and every XML part checked as a
stream before pandas (through odfpy) reads a row.

An .ods is a zip like an .xlsx, so it gets the same entry, size and ratio checks. Every XML part
is then read once by defusedxml (no DTD, no entity, no external reference), counting elements;
in `content.xml` each sheet's rows and cells are counted with their repeat attributes
(`table:number-rows-repeated="1048576"` is how an .ods says "a million empty rows"), so a file
whose last filled row or column lies beyond the limits is refused before it is expanded.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from surveys.uploads.base import Spreadsheet, UploadLimits, UploadRefused, thousands
from surveys.uploads.xlsx import _check_declared_entries, _checked_entries

logger = logging.getLogger(__name__)

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def is_ods(archive_bytes: bytes) -> bool:
    """Whether a zip is an OpenDocument spreadsheet (its first entry, `mimetype`, says so)."""
    return archive_bytes[30:38] == b"mimetype" and MIMETYPE in archive_bytes[38:120]


class OdsSpreadsheet(Spreadsheet):
    def __init__(self, data: bytes, limits: UploadLimits) -> None:
        self._data = data
        self._last_rows = _scan(data, limits)
        self.sheet_names = list(self._last_rows)
        self.cells = sum(rows * limits.max_columns for rows in self._last_rows.values())

    def row_count(self, sheet: str) -> int:
        return self._last_rows[sheet]

    def rows(self, sheet: str, *, max_columns: int) -> Iterator[tuple[object, ...]]:
        last_row = self._last_rows[sheet]
        if last_row == 0:
            return
        import pandas

        try:
            frame = pandas.read_excel(
                io.BytesIO(self._data), sheet_name=sheet, header=None, dtype=object, engine="odf", nrows=last_row
            )
        except Exception:  # odfpy and pandas raise many kinds for a file they cannot read
            logger.warning("pandas could not read an .ods that passed the scan", exc_info=True)
            raise UploadRefused(
                _("Berkas .ods tidak dapat dibaca. Buka di LibreOffice, simpan ulang, lalu unggah lagi.")
            ) from None
        for record in frame.itertuples(index=False, name=None):
            values = [None if _blank(value) else value for value in record[:max_columns]]
            yield tuple(values + [None] * (max_columns - len(values)))


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)  # NaN


def _scan(data: bytes, limits: UploadLimits) -> dict[str, int]:
    """Each sheet's last filled row, in workbook order; raises `UploadRefused` naming the problem."""
    _check_declared_entries(data, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise UploadRefused(_("Berkas bukan berkas .ods yang utuh.")) from None
    with archive:
        infos = _checked_entries(archive, limits)
        if "content.xml" not in infos:
            raise UploadRefused(_("Berkas bukan berkas .ods yang utuh."))
        elements = 0
        sheets: dict[str, int] = {}
        for name, info in infos.items():
            if not name.lower().endswith(".xml"):
                continue
            with archive.open(info) as stream:
                if name == "content.xml":
                    elements += _scan_content(stream, limits, sheets, budget=limits.max_elements - elements)
                else:
                    elements += _count_elements(stream, name, budget=limits.max_elements - elements)
    if len(sheets) > limits.max_sheets:
        raise UploadRefused(
            _("Berkas berisi %(count)s lembar; paling banyak %(max)s.")
            % {"count": len(sheets), "max": limits.max_sheets}
        )
    return sheets


def _too_many_elements() -> UploadRefused:
    return UploadRefused(_("Berkas .ods terlalu rumit untuk dibaca (terlalu banyak unsur XML)."))


def _events(stream: IO[bytes], part: str) -> Iterator[tuple[str, Any]]:
    try:
        yield from iterparse(stream, events=("start", "end"), forbid_dtd=True)
    except (DefusedXmlException, SyntaxError, ValueError):
        raise UploadRefused(_("Bagian %(part)s berkas .ods rusak atau memuat DTD.") % {"part": part}) from None


def _count_elements(stream: IO[bytes], part: str, *, budget: int) -> int:
    count = 0
    for event, element in _events(stream, part):
        if event == "end":
            count += 1
            element.clear()
            if count > budget:
                raise _too_many_elements()
    return count


def _scan_content(stream: IO[bytes], limits: UploadLimits, sheets: dict[str, int], *, budget: int) -> int:
    count = 0
    sheet = ""
    row = 0  # rows so far in this sheet, repeats included
    column = 0  # cells so far in this row, repeats included
    row_filled = 0  # the last filled column of this row
    for event, element in _events(stream, "content.xml"):
        tag = element.tag
        if event == "start":
            if tag == f"{TABLE}table":
                sheet, row = element.get(f"{TABLE}name", f"Sheet{len(sheets) + 1}"), 0
                sheets[sheet] = 0
            elif tag == f"{TABLE}table-row":
                column, row_filled = 0, 0
            continue
        count += 1
        if count > budget:
            raise _too_many_elements()
        if tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
            repeat = _repeat(element, "number-columns-repeated")
            filled = element.get(f"{OFFICE}value-type") is not None or len(element) > 0
            column += repeat
            if filled:
                row_filled = column
                if row_filled > limits.max_columns:
                    raise UploadRefused(
                        _("Baris %(row)s lembar %(sheet)s memuat isian di kolom ke-%(column)s; paling banyak %(max)s.")
                        % {"row": row + 1, "sheet": sheet, "column": thousands(row_filled), "max": limits.max_columns}
                    )
            element.clear()
        elif tag == f"{TABLE}table-row":
            row += _repeat(element, "number-rows-repeated")
            if row_filled:
                if row > limits.max_rows:
                    raise UploadRefused(
                        _("Lembar %(sheet)s memuat isian di baris %(row)s; paling banyak %(max)s baris.")
                        % {"sheet": sheet, "row": thousands(row), "max": thousands(limits.max_rows)}
                    )
                sheets[sheet] = row
            element.clear()
    return count


def _repeat(element: Any, attribute: str) -> int:
    text = element.get(f"{TABLE}{attribute}", "1")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else 1
