"""Read a processing sheet (CSV or XLSX) and turn an index result into JSON-ready data.

The sheet has one row per respondent and one column per element, named by element code
(case-insensitive, e.g. ``PERSYARATAN``) or ``U1..Uk`` in questionnaire order. Other columns
(No, Resp, Nama...) are ignored, rows above the header row are ignored, an empty cell is an
unanswered element and a fully empty row is skipped. Rows are numbered as in the file (the
first line is row 1).

Errors are raised as :class:`SheetError` with one message naming the row and column.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from reports import display
from reports.indices import (
    RULE_SETS,
    IndexResult,
    RuleSet,
    SurveyTally,
    tallies_from_rows,
)

__all__ = ["SheetError", "read_sheet", "result_as_json", "survey_from_sheet"]

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
U_COLUMN = re.compile(r"U\s*(\d+)")


class SheetError(ValueError):
    """The file cannot be read as a processing sheet; the message says why and where."""


@dataclass(frozen=True)
class Column:
    index: int  # position in the row
    heading: str  # as written in the file
    code: str  # element code

    @property
    def name(self) -> str:
        if self.heading.strip().upper() == self.code:
            return self.code
        return f"{self.heading.strip()} ({self.code})"


def read_sheet(path: Path) -> list[tuple[int, Sequence[object]]]:
    """All rows of the file with their row numbers; XLSX by suffix or content, else CSV."""
    if not path.exists():
        raise SheetError(f"{path}: no such file")
    if not path.is_file():
        raise SheetError(f"{path}: not a file")
    try:
        with path.open("rb") as handle:
            is_zip = handle.read(4) == b"PK\x03\x04"
    except OSError as error:
        raise SheetError(f"{path}: cannot read the file ({error.strerror})") from None
    is_xlsx = path.suffix.lower() in XLSX_SUFFIXES or is_zip
    rows = _read_xlsx(path) if is_xlsx else _read_csv(path)
    return list(enumerate(rows, start=1))


def _read_xlsx(path: Path) -> list[Sequence[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise SheetError(f"{path}: not a readable XLSX workbook ({error})") from None
    try:
        sheet = workbook.active
        if sheet is None:
            raise SheetError(f"{path}: the workbook has no worksheet")
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise SheetError(f"{path}: not a readable XLSX workbook ({error})") from None
    finally:
        workbook.close()


def _read_csv(path: Path) -> list[Sequence[object]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(f"{path}: not a CSV file in UTF-8 text") from None
    if "\x00" in text:
        raise SheetError(f"{path}: not a CSV file (binary content)")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        raise SheetError(f"{path}: not a readable CSV file ({error})") from None


def survey_from_sheet(path: Path, rule_set: RuleSet) -> SurveyTally:
    """Read the file and fold its respondent rows into tallies for the rule set."""
    rows = read_sheet(path)
    filled = [(number, row) for number, row in rows if not _is_empty_row(row)]
    if not filled:
        raise SheetError(f"{path}: the file is empty")
    header_at, columns = _find_header(filled, rule_set)
    records = (_scores(number, row, columns, rule_set) for number, row in filled if number > header_at)
    return tallies_from_rows(records, rule_set)


def _is_empty_row(row: Sequence[object]) -> bool:
    return all(_is_blank(cell) for cell in row)


def _is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _find_header(rows: Sequence[tuple[int, Sequence[object]]], rule_set: RuleSet) -> tuple[int, list[Column]]:
    """The first row that names any element column, and its columns for the rule set."""
    for number, row in rows:
        headings = [str(cell).strip() if cell is not None else "" for cell in row]
        if any(_names_an_element(heading) for heading in headings):
            return number, _columns(number, headings, rule_set)
    expected = f"{', '.join(rule_set.codes)} or U1..U{rule_set.element_count}"
    raise SheetError(f"no element columns found: expected columns named {expected}")


def _names_an_element(heading: str) -> bool:
    upper = heading.upper()
    return bool(U_COLUMN.fullmatch(upper)) or any(upper in rules.codes for rules in RULE_SETS.values())


def _columns(number: int, headings: list[str], rule_set: RuleSet) -> list[Column]:
    k = rule_set.element_count
    columns: dict[str, Column] = {}
    for index, heading in enumerate(headings):
        upper = heading.upper()
        u_match = U_COLUMN.fullmatch(upper)
        if u_match:
            position = int(u_match.group(1))
            if not 1 <= position <= k:
                raise SheetError(f"row {number}, column {heading}: {rule_set.key} has {k} elements (U1..U{k})")
            code = rule_set.codes[position - 1]
        elif upper in rule_set.codes:
            code = upper
        elif _names_an_element(heading):
            raise SheetError(
                f"row {number}, column {heading}: not an element of {rule_set.key} "
                "(choose another rule set with --rules)"
            )
        else:
            continue  # No, Resp, Nama ... are not scores
        if code in columns:
            raise SheetError(f"row {number}: columns {columns[code].heading} and {heading} both name element {code}")
        columns[code] = Column(index, heading, code)
    missing = [code for code in rule_set.codes if code not in columns]
    if missing:
        raise SheetError(
            f"row {number}: {len(columns)} element columns but {rule_set.key} has {k} "
            f"elements; missing {', '.join(missing)}"
        )
    return [columns[code] for code in rule_set.codes]


def _scores(number: int, row: Sequence[object], columns: list[Column], rule_set: RuleSet) -> dict[str, int | None]:
    return {
        column.code: _score(
            row[column.index] if column.index < len(row) else None,
            f"row {number}, column {column.name}",
            rule_set,
        )
        for column in columns
    }


def _score(cell: object, where: str, rule_set: RuleSet) -> int | None:
    """A cell as a score; None when empty; SheetError for anything but 1..4."""
    if _is_blank(cell):
        return None
    scale = f"{rule_set.scale_min}-{rule_set.scale_max}"
    value: Decimal | None = None
    if isinstance(cell, bool):
        value = None
    elif isinstance(cell, int | float | Decimal):
        value = Decimal(cell) if not isinstance(cell, float) else Decimal(repr(cell))
    elif isinstance(cell, str):
        try:
            value = Decimal(cell.strip().replace(",", "."))
        except InvalidOperation:
            value = None
    shown = _shown(cell)
    if value is None or not value.is_finite() or value != value.to_integral_value():
        raise SheetError(f"{where}: {shown} is not a score {scale}")
    score = int(value)
    if not rule_set.scale_min <= score <= rule_set.scale_max:
        raise SheetError(f"{where}: {shown} is not a score {scale}")
    return score


def _shown(cell: object) -> str:
    """The cell as the user typed it; text that is not a number in quotes."""
    if isinstance(cell, str):
        text = cell.strip()
        try:
            Decimal(text.replace(",", "."))
        except InvalidOperation:
            return repr(text)
        return text
    return str(cell)


def result_as_json(result: IndexResult) -> dict[str, Any]:
    """The result as JSON-ready data: values rounded once for display, None for no data."""
    ci = result.ci
    sample = result.sample
    return {
        "rules": result.rules,
        "weight": result.weight,
        "bands_verified": result.bands_verified,
        "respondents": result.respondents,
        "elements": [
            {
                "code": element.code,
                "answers": element.answers,
                "total": element.total,
                "nrr": _number(display.nrr(element.nrr)),
                "nrr_weighted": _number(display.nrr(element.nrr_weighted)),
                "nik": _number(display.nik(element.nik)),
                "grade": element.grade,
                "performance": element.label,
            }
            for element in result.elements
        ],
        "index": _number(display.index(result.index)),
        "nik": _number(display.nik(result.nik)),
        "grade": result.grade,
        "performance": result.label,
        "sample": None
        if sample is None
        else {
            "population": sample.population,
            "minimum": sample.minimum,
            "achieved": sample.achieved,
            "adequate": sample.adequate,
        },
        "confidence_interval": None
        if ci is None
        else {
            "low": _number(display.nik(ci.low)),
            "high": _number(display.nik(ci.high)),
            "level": float(ci.level),
        },
    }


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None
