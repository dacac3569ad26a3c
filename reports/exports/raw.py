"""Raw data: every response of a scope, streamed as XLSX (split across sheets) or CSV."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from reports.exports import data, rows
from reports.exports.layout import (
    DATETIME_FORMAT,
)
from reports.exports.render import (
    CSV_DIALECTS,
    EXCEL_MAX_ROWS,
    SheetSpec,
    stream_csv,
    stream_xlsx,
)
from reports.selectors import responses_in
from surveys.models import Period


def raw_sheet(*, period: Period, unit_ids: Sequence[int]) -> SheetSpec:
    """Every response of these units in the period, as one (streamed) sheet."""
    responses = responses_in(unit_ids=unit_ids, periods=[period])
    columns = data.raw_columns(responses)
    scored = data.scored_responses(responses, rows.RAW_FIELDS)
    return SheetSpec(
        title="Data mentah",
        header=rows.raw_header(columns),
        rows=rows.raw_rows(scored, columns),
        widths=[10, 38, 16, 30, 18, 18, 10, 24, 20, 6, 6, 12, 12, 16, 50],
        number_formats={5: DATETIME_FORMAT},
    )


def write_raw(
    *,
    period: Period,
    unit_ids: Sequence[int],
    out: IO[bytes],
    file_format: str = "xlsx",
    max_rows: int = EXCEL_MAX_ROWS,
    on_row: Any = None,
) -> int:
    """Stream the raw data as XLSX (split across sheets when needed) or CSV (`csv` with commas,
    `csv-semicolon` for Excel with Indonesian settings); returns rows written."""
    spec = raw_sheet(period=period, unit_ids=unit_ids)
    if file_format in CSV_DIALECTS:
        import io

        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")  # the BOM tells Excel it is UTF-8
        try:
            return stream_csv(spec, text, dialect=CSV_DIALECTS[file_format], on_row=on_row)
        finally:
            text.flush()
            text.detach()
    if file_format != "xlsx":
        raise ValueError(f"unknown format {file_format!r}")
    return stream_xlsx([spec], out, max_rows=max_rows, on_row=on_row)
