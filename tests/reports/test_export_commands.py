"""The export commands write the same files the dashboards offer, for scheduled jobs."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(city: Any, instrument: Any, period: Any) -> Any:
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    builders.make_response(city.puskesmas, [3] * 9, instrument=instrument, period=period)
    return city


def test_export_workbook_writes_a_units_workbook(answered: Any, period: Any, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "unit.xlsx"
    call_command("export_workbook", "--period", period.name, "--unit", "16.71.04.1001", "--out", str(out))
    assert load_workbook(out).sheetnames == ["Pengolahan", "Ringkasan", "Responden", "Saran", "RTL"]
    assert "1 respondents, NIK 100.00" in capsys.readouterr().out


def test_export_recap_takes_the_period_by_id(answered: Any, period: Any, tmp_path: Path) -> None:
    out = tmp_path / "recap.xlsx"
    call_command("export_recap", "--period", str(period.pk), "--out", str(out))
    codes = {row[0].value for row in load_workbook(out)["Rekap"].iter_rows(min_row=2)}
    assert {"16.71.04.1001", "pkm-dempo"} <= codes


def test_export_raw_writes_csv_for_the_given_units(answered: Any, period: Any, tmp_path: Path) -> None:
    out = tmp_path / "raw.csv"
    call_command("export_raw", "--period", period.name, "--unit", "opd-dinkes", "--out", str(out))
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 2 and rows[1][2] == "pkm-dempo"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "Tidak ada", "--unit", "16.71.04.1001"], "no period"),
        (["--period", "Triwulan Uji", "--unit", "nope"], "no unit"),
    ],
)
def test_bad_arguments_fail_with_a_clear_message(
    answered: Any, period: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("export_workbook", *args, "--out", str(tmp_path / "x.xlsx"))


def test_an_output_folder_that_does_not_exist_is_refused(answered: Any, period: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_raw", "--period", period.name, "--out", str(tmp_path / "missing" / "raw.xlsx"))


def test_export_prune_removes_old_jobs_for_a_scheduled_cleanup(
    answered: Any, period: Any, kecamatan_admin: Any, settings: Any, tmp_path: Path, capsys: Any
) -> None:
    from reports.models import ExportJob

    settings.EXPORT_ROOT = tmp_path
    ExportJob.objects.create(requested_by=kecamatan_admin, kind="raw", period=period, unit_ids=[])
    call_command("export_prune", "--hours", "1")
    assert ExportJob.objects.count() == 1  # an hour has not passed
    call_command("export_prune", "--hours", "0")
    assert ExportJob.objects.count() == 0
    assert "1 export(s) removed" in capsys.readouterr().out


def test_export_raw_writes_the_semicolon_csv_for_excel_in_indonesian(
    answered: Any, period: Any, tmp_path: Path
) -> None:
    out = tmp_path / "raw.csv"
    call_command("export_raw", "--period", period.name, "--format", "csv-semicolon", "--out", str(out))
    content = out.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # the byte-order mark tells Excel the file is UTF-8
    rows = list(csv.reader(content.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:2] == ["ID", "Kunci pengiriman"]
    assert {row[2] for row in rows[1:]} == {"16.71.04.1001", "pkm-dempo"}
    assert content.decode("utf-8-sig").splitlines()[0].startswith('"ID";"Kunci pengiriman";')


def test_export_raw_takes_a_period_id_only_in_plain_digits(answered: Any, period: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no period"):
        call_command("export_raw", "--period", "\u00b2", "--out", str(tmp_path / "raw.csv"))
