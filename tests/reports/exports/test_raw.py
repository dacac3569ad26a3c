"""Raw data: every response with all fields, streamed, split across sheets, and as CSV."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from reports.exports.raw import write_raw
from tests import builders

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_the_raw_export_has_every_response_with_its_fields_and_scores(
    city: Any, instrument: Any, period: Any, django_assert_max_num_queries: Any
) -> None:
    builders.make_response(city.kelurahan, [4, 3, 2, 1, 4, 3, 2, 1, None], instrument=instrument, period=period, age=40)
    builders.make_response(
        city.kelurahan, [3] * 9, instrument=instrument, period=period, state="excluded", reason="exclusion"
    )
    builders.make_response(city.puskesmas, [2] * 9, instrument=instrument, period=period)
    builders.make_response(city.other_kelurahan, [1] * 9, instrument=instrument, period=period)
    buffer = io.BytesIO()
    with django_assert_max_num_queries(4):
        written = write_raw(period=period, unit_ids=[city.kelurahan.pk, city.puskesmas.pk], out=buffer)
    buffer.seek(0)
    sheet = load_workbook(buffer)["Data mentah"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert written == 3 and len(rows) == 4
    assert header[:4] == ["ID", "Kunci pengiriman", "Kode unit", "Unit layanan"]
    assert [heading.split(" ")[0] for heading in header[-9:]] == [f"U{number}" for number in range(1, 10)]
    assert header[-9] == "U1 Persyaratan"  # the 14/2017 elements in questionnaire order (pinned in test_indices)
    first = dict(zip(header, rows[1], strict=True))
    assert first["Kode unit"] == "16.71.04.1001"
    assert first["Usia"] == 40
    assert first["Dihitung"] == "Ya"
    assert first["Saluran"] == "Tautan" or first["Saluran"] in {"Kode QR", "Kios", "Kertas", "Impor"}
    assert rows[1][-9:] == [4, 3, 2, 1, 4, 3, 2, 1, None]
    flagged = dict(zip(header, rows[2], strict=True))
    assert (flagged["Status"], flagged["Alasan ditahan/tidak dihitung"], flagged["Dihitung"]) == (
        "Tidak dihitung",
        "Dikeluarkan setelah diusulkan dan disetujui sekretariat",
        "Tidak",
    )
    assert {row[2] for row in rows[1:]} == {"16.71.04.1001", "pkm-dempo"}


@pytest.mark.django_db
def test_the_raw_export_splits_beyond_the_row_limit_and_writes_csv(city: Any, instrument: Any, period: Any) -> None:
    for _ in range(5):
        builders.make_response(city.kelurahan, [3] * 9, instrument=instrument, period=period)
    buffer = io.BytesIO()
    write_raw(period=period, unit_ids=[city.kelurahan.pk], out=buffer, max_rows=3)
    buffer.seek(0)
    workbook = load_workbook(buffer)
    assert workbook.sheetnames == ["Data mentah", "Data mentah (2)", "Data mentah (3)"]
    assert sum(sheet.max_row - 1 for sheet in workbook.worksheets) == 5

    text = io.BytesIO()
    assert write_raw(period=period, unit_ids=[city.kelurahan.pk], out=text, file_format="csv") == 5
    rows = list(csv.reader(io.StringIO(text.getvalue().decode("utf-8-sig"))))
    assert len(rows) == 6 and rows[0][0] == "ID"


MEMORY_PROBE = r"""
import io, json, resource, sys
from pathlib import Path
import django
django.setup()
from reports.exports import rows as row_module
from reports.exports.data import ElementColumn, ScoredResponse
from reports.exports.render import SheetSpec, stream_xlsx
import datetime, uuid

count = int(sys.argv[1])
columns = [ElementColumn(f"E{i}", i, f"Unsur {i}") for i in range(1, 10)]
def responses():
    when = datetime.datetime(2026, 7, 1, 9, 0)
    for number in range(count):
        fields = {"id": number, "submission_key": uuid.UUID(int=number), "unit__code": "16.71.04.1001",
                  "unit__name": "24 Ilir", "period__name": "Semester II 2026", "submitted_at": when,
                  "channel": "web", "service__name": "KTP-el", "service_other": "", "age": 30 + number % 40,
                  "sex": "LP"[number % 2], "education": "SMA", "occupation": "swasta", "occupation_other": "",
                  "suggestion": "Pelayanan cukup baik, antrean perlu dipercepat %d" % number, "is_test": False,
                  "state": "counted", "reason": "", "instrument__name": "SKM", "instrument__version": 1,
                  "score_sum": 27,
                  "answered": 9}
        yield ScoredResponse(fields, {f"E{i}": 1 + (number + i) % 4 for i in range(1, 10)})

spec = SheetSpec("Data mentah", row_module.raw_header(columns), row_module.raw_rows(responses(), columns))
out = io.BytesIO() if False else open(sys.argv[2], "wb")
written = stream_xlsx([spec], out, max_rows=int(sys.argv[3]))
out.close()
# VmHWM is this process's own peak; ru_maxrss on Linux keeps the forking parent's (a big test worker).
status = Path("/proc/self/status")
if status.exists():
    peak = int(next(line for line in status.read_text().splitlines() if line.startswith("VmHWM")).split()[1]) * 1024
else:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"written": written, "peak": peak}))
"""


def _peak_memory(count: int, tmp_path: Path, max_rows: int = 1_048_576) -> dict[str, int]:
    env = {"DJANGO_SETTINGS_MODULE": "survey_site.settings", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(count), str(tmp_path / f"raw-{count}.xlsx"), str(max_rows)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.slow
def test_streaming_a_large_raw_export_keeps_memory_flat(tmp_path: Path) -> None:
    """Peak resident memory (the whole process, Django included) for 2,000 rows and 15 times as many."""
    small = _peak_memory(2_000, tmp_path)
    large = _peak_memory(30_000, tmp_path, max_rows=12_000)
    assert large["written"] == 30_000
    workbook = load_workbook(tmp_path / "raw-30000.xlsx", read_only=True)
    assert workbook.sheetnames == ["Data mentah", "Data mentah (2)", "Data mentah (3)"]
    workbook.close()
    # Fifteen times the rows over three sheets: the peak grows by less than 12 MB, and stays modest.
    assert large["peak"] - small["peak"] < 12 * 1024 * 1024, (small, large)
    assert large["peak"] < 200 * 1024 * 1024, large
