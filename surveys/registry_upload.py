"""Reading an uploaded registry file into rows, in the layout of `surveys/data/palembang-units.csv`:
a header row naming `code`, `name`, `kind` and `parent_code` (other columns, like `source`, are
ignored), then one unit per row, parents anywhere in the file.

Every upload passes the guarded door in `surveys.uploads` (size, zip bombs, rows). .xlsx, .xls,
.ods and CSV (separated by `;` or `,`) are read. A code that a spreadsheet turned into a number
comes back as the text it was: 16.71 stays "16.71", and "16,71" from a CSV that Indonesian
Excel wrote with a decimal comma is read as "16.71" too (registry codes never hold commas).
"""

from __future__ import annotations

import re
from typing import IO

from django.utils.translation import gettext as _

from surveys import uploads
from surveys.services.registry import RegistryInvalid
from surveys.services.registry_file import RegistryRow

COLUMNS = ("code", "name", "kind", "parent_code")
KINDS = ("xlsx", "xls", "ods", "csv")
LIMITS = uploads.UploadLimits(max_bytes=2 * uploads.MB, max_rows=5_000)
MAX_COLUMNS = 16
DECIMAL_COMMA = re.compile(r"^\d+,\d+$")


def read_registry(upload: IO[bytes], *, filename: str) -> list[RegistryRow]:
    """The rows of the file's first sheet; raises `uploads.UploadRefused` for a file that cannot
    be read and `RegistryInvalid` when a column of the layout is missing."""
    with uploads.open_spreadsheet(upload, filename=filename, limits=LIMITS, kinds=KINDS) as book:
        sheet = book.sheet_names[0] if book.sheet_names else ""
        records = iter(book.rows(sheet, max_columns=MAX_COLUMNS)) if sheet else iter(())
        numbered = enumerate(records, start=1)
        header = next((values for _number, values in numbered if any(v is not None for v in values)), ())
        names = [cell_text(value).lower() for value in header]
        positions = {column: names.index(column) for column in COLUMNS if column in names}
        missing = [column for column in COLUMNS if column not in positions]
        if missing:
            raise RegistryInvalid(
                _("Baris judul berkas tidak memuat kolom %(columns)s (susunan: %(layout)s).")
                % {"columns": ", ".join(missing), "layout": ",".join((*COLUMNS, "source"))}
            )
        rows = []
        for number, values in numbered:
            if all(value is None for value in values):
                continue
            text = {column: cell_text(values[index]) for column, index in positions.items()}
            rows.append(
                RegistryRow(
                    number=number,
                    code=code_text(text["code"]),
                    name=text["name"],
                    kind=text["kind"].lower(),
                    parent_code=code_text(text["parent_code"]),
                )
            )
    return rows


def cell_text(value: object) -> str:
    """A cell as text: a whole number without ".0", a decimal as Python writes it shortest."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return " ".join(str(value).split())


def code_text(text: str) -> str:
    return text.replace(",", ".") if DECIMAL_COMMA.match(text) else text
