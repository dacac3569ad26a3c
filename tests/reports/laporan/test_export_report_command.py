"""``manage.py export_report``: the same report as the page, for a unit or the city; bad
arguments give one clear message and exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.reports.laporan.conftest import Scene, headings, open_docx

pytestmark = pytest.mark.django_db


def test_it_writes_a_units_report(scene: Scene, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "laporan.docx"
    call_command(
        "export_report",
        "--unit",
        scene.unit.code,
        "--period",
        str(scene.period.pk),
        "--format",
        "docx",
        "--out",
        str(out),
    )
    assert "BAB V PENUTUP" in headings(open_docx(out.read_bytes()))
    assert "24 Ilir, Semester I 2025" in capsys.readouterr().out


def test_without_a_unit_it_writes_the_city_report_for_a_year(scene: Scene, tmp_path: Path) -> None:
    out = tmp_path / "kota.docx"
    call_command("export_report", "--period", "th-2025", "--format", "docx", "--out", str(out))
    assert "D. Peringkat per Jenis Unit" in headings(open_docx(out.read_bytes()))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "tidak-ada", "--period", "Semester I 2025"], "no unit with code 'tidak-ada'"),
        (["--period", "Semester Tidak Ada"], "no period with id or name 'Semester Tidak Ada'"),
        (["--period", "th-1999"], "no period choice 'th-1999'"),
        (["--period", "sd-abc"], "no period choice 'sd-abc'"),
    ],
)
def test_bad_arguments_give_one_clear_message_and_status_2(
    scene: Scene, tmp_path: Path, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        call_command("export_report", *args, "--format", "docx", "--out", str(tmp_path / "x.docx"))
    assert raised.value.returncode == 2
    assert not (tmp_path / "x.docx").exists()


def test_a_missing_folder_is_refused_with_status_2(scene: Scene, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist") as raised:
        call_command("export_report", "--period", "th-2025", "--format", "pdf", "--out", str(tmp_path / "no" / "x.pdf"))
    assert raised.value.returncode == 2


def test_an_unknown_format_exits_with_status_2_from_the_shell(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "export_report",
            "--period",
            "1",
            "--format",
            "xls",
            "--out",
            str(tmp_path / "x"),
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
        check=False,
    )
    assert done.returncode == 2
    assert "argument --format: invalid choice: 'xls'" in done.stderr
