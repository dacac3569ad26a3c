"""What every spreadsheet reader shares: the refusal, the limits, the reader's interface."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

MB = 1024 * 1024


def thousands(number: int) -> str:
    """A count as Indonesian writes it: 10.000."""
    return f"{number:,}".replace(",", ".")


class UploadRefused(Exception):
    """An upload that is not read any further; `message` tells the user why, in their language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class UploadLimits:
    """What one upload may contain. Rows count whether blank or not; sizes are uncompressed."""

    max_bytes: int = 5 * MB
    max_rows: int = 10_000
    max_columns: int = 256
    max_sheets: int = 32
    max_entries: int = 100
    max_part_bytes: int = 2 * MB  # workbook.xml, styles, relationships, properties, ...
    max_sheet_bytes: int = 16 * MB  # each worksheet
    max_shared_strings_bytes: int = 16 * MB
    max_shared_strings: int = 200_000
    max_total_bytes: int = 48 * MB
    max_elements: int = 600_000  # XML elements in all parts together: each costs the reader time
    max_ratio: int = 100  # uncompressed / compressed, for entries over 1 MB
    max_cell_characters: int = 32_767  # Excel's own limit


class Spreadsheet:
    """An upload that passed the guard: its sheets, how many rows each holds, and its rows."""

    sheet_names: list[str]
    cells: int  # in all sheets, filled or not: what reading every row will cost

    def row_count(self, sheet: str) -> int:
        """Rows the sheet holds, blank or not, up to its last row (never more than the limit)."""
        raise NotImplementedError

    def rows(self, sheet: str, *, max_columns: int) -> Iterator[tuple[object, ...]]:
        """Every row from the first to the last, `max_columns` values each (None when empty)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the reader holds."""

    def __enter__(self) -> Spreadsheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
