"""One guarded door for every uploaded spreadsheet: bounded before it is parsed.

Every feature that reads rows from an uploaded file (the paper import, the registry upload)
opens it here and turns `UploadRefused` into a message for the user::

    try:
        with uploads.open_spreadsheet(upload, filename=name, limits=LIMITS, kinds={"xlsx", "csv"}) as book:
            book.sheet_names, book.row_count(sheet)        # known before any row is read
            for values in book.rows(sheet, max_columns=18):
                ...
    except uploads.UploadRefused as refused:
        show(refused.message)

A hostile file costs a bounded amount of time and memory, whatever it contains:

- the upload's own size is capped before anything else;
- an .xlsx is a zip: its entries are counted, and each entry's uncompressed size (as the zip
  declares it; Python's zip reader never decompresses more) and compression ratio are bounded
  before a byte is decompressed; worksheets, shared strings and the other parts each have their
  own ceiling, and all of them together one more (`uploads.xlsx`);
- every XML part is then read once as a stream by a safe parser (defusedxml: no DTD, no entity,
  no external reference) that keeps nothing but counts: rows are counted whether blank or not,
  and row numbers, column letters and shared strings are bounded, so a sheet with one row
  numbered 1,000,000,000 is refused at that row instead of being filled with a billion empty
  ones; a value openpyxl could not convert (text in a number cell, a shared string that does
  not exist) is refused naming its cell;
- only then does openpyxl (which uses defusedxml too) read rows, never past the last row the
  scan saw nor the columns the caller asks for.

Any parser or zip error becomes `UploadRefused` with an Indonesian message naming the problem.
.ods is a zip too and gets the same zip checks, then its XML is counted with its repeat
attributes before pandas (odfpy) reads it (`uploads.opendocument`); .xls is read by xlrd with
its sheets and rows bounded (`uploads.legacy`). A caller names the kinds it accepts.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import PurePosixPath
from typing import IO

from django.utils.translation import gettext as _

from surveys.uploads.base import MB, Spreadsheet, UploadLimits, UploadRefused
from surveys.uploads.delimited import CsvSpreadsheet
from surveys.uploads.legacy import OLE2_MAGIC, XlsSpreadsheet
from surveys.uploads.opendocument import OdsSpreadsheet, is_ods
from surveys.uploads.xlsx import XlsxSpreadsheet

__all__ = ["MB", "Spreadsheet", "UploadLimits", "UploadRefused", "open_spreadsheet"]

DEFAULT_LIMITS = UploadLimits()
KINDS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods", ".csv": "csv", ".txt": "csv"}
ZIP_MAGIC = b"PK\x03\x04"


def open_spreadsheet(
    upload: IO[bytes],
    *,
    filename: str,
    limits: UploadLimits = DEFAULT_LIMITS,
    kinds: Collection[str] = ("xlsx", "csv"),
) -> Spreadsheet:
    """Check an uploaded spreadsheet (.xlsx, .xls, .ods or .csv, as `kinds` allows) within
    `limits` and open it; raises `UploadRefused`. The content decides the kind, not the name."""
    data = upload.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise UploadRefused(_("Berkas terlalu besar (paling besar %(max)s MB).") % {"max": limits.max_bytes // MB})
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if data.startswith(ZIP_MAGIC):
        kind: str | None = "ods" if is_ods(data) or suffix == ".ods" else "xlsx"
    elif data.startswith(OLE2_MAGIC):
        kind = "xls"
    else:
        kind = KINDS.get(suffix)
    if kind is None or kind not in kinds:
        names = ", ".join(f".{each}" for each in sorted(kinds))
        raise UploadRefused(_("Jenis berkas ini tidak dapat dibaca. Unggah berkas %(kinds)s.") % {"kinds": names})
    if kind == "xlsx":
        return XlsxSpreadsheet(data, limits)
    if kind == "ods":
        return OdsSpreadsheet(data, limits)
    if kind == "xls":
        return XlsSpreadsheet(data, limits)
    return CsvSpreadsheet(data, PurePosixPath(filename.replace("\\", "/")).stem or "CSV", limits)
