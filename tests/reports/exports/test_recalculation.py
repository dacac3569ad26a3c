"""The unit workbook's formulas, recalculated by LibreOffice, give exactly the app's numbers."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from reports import indices
from reports.exports.workbooks import UnitScope, unit_workbook
from tests import builders

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _recalculated(workbook: Any, tmp_path: Path) -> Any:
    if SOFFICE is None:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice is required (REQUIRE_LIBREOFFICE is set) but soffice is missing")
        pytest.skip("LibreOffice (soffice) is not installed; scripts/system-deps.sh installs libreoffice-calc")
    source = tmp_path / "in" / "unit.xlsx"
    source.parent.mkdir()
    workbook.save(source)
    target = tmp_path / "out"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return load_workbook(target / "unit.xlsx", data_only=True)


@pytest.mark.parametrize("weight", ["exact", "0.111"])
def test_libreoffice_recomputes_the_apps_nrr_and_nik(
    city: Any, instrument: Any, period: Any, tmp_path: Path, weight: str
) -> None:
    generator = random.Random(20261128)
    for _ in range(37):
        scores: list[int | None] = [generator.choice([1, 2, 3, 3, 4, 4]) for _ in range(9)]
        if generator.random() < 0.1:
            scores[generator.randrange(9)] = None  # an unanswered element
        builders.make_response(city.kelurahan, scores, instrument=instrument, period=period)
    workbook, facts = unit_workbook(UnitScope(city.kelurahan, period, weight=weight))
    sheet = _recalculated(workbook, tmp_path)["Pengolahan"]

    last = 5 + 37 - 1
    nrr_row, weighted_row, nik_row, grade_row = last + 2, last + 3, last + 4, last + 5
    for column, element in enumerate(facts.result.elements, start=2):
        assert element.nrr is not None
        recalculated = sheet.cell(row=nrr_row, column=column).value
        assert indices.round_nrr(recalculated) == indices.round_nrr(element.nrr), element.code
        weighted = sheet.cell(row=weighted_row, column=column).value
        assert indices.round_nrr(weighted) == indices.round_nrr(element.nrr_weighted), element.code
    assert facts.result.index is not None and facts.result.nik is not None
    assert indices.round_index(sheet.cell(row=weighted_row, column=11).value) == indices.round_index(facts.result.index)
    assert indices.round_nik(sheet.cell(row=nik_row, column=11).value) == indices.round_nik(facts.result.nik)
    assert sheet.cell(row=grade_row, column=11).value == facts.result.grade


def test_an_all_four_survey_recalculates_to_100_with_the_exact_weight(
    city: Any, instrument: Any, period: Any, tmp_path: Path
) -> None:
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    workbook, _facts = unit_workbook(UnitScope(city.kelurahan, period))
    sheet = _recalculated(workbook, tmp_path)["Pengolahan"]
    assert sheet["K8"].value == pytest.approx(4.0, abs=1e-12)  # (*) the index
    assert sheet["K9"].value == pytest.approx(100.0, abs=1e-9)  # (**) IKM unit pelayanan
    assert sheet["K10"].value == "A"
