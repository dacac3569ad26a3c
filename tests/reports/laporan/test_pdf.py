"""The PDF is made by LibreOffice from the same .docx: its text holds the unit's index with the
dashboard's decimals, a filled table of contents, and "SEMENTARA" on every page of a provisional
report. Needs LibreOffice Writer (scripts/system-deps.sh) and pdftotext."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from reports import dashboards
from reports.laporan.generate import write_report
from reports.laporan.pdf import ConversionFailed, docx_to_pdf
from reports.periods import all_periods
from tests import builders
from tests.reports.laporan.conftest import Scene, choice_of, comma

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _libreoffice() -> None:
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice and pdftotext are required (REQUIRE_LIBREOFFICE is set)")
        pytest.skip("LibreOffice Writer or poppler-utils missing; scripts/system-deps.sh installs them")


def _pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_the_pdf_holds_the_units_index_as_the_dashboard_shows_it(scene: Scene, tmp_path: Path) -> None:
    choice = choice_of(f"p-{scene.period.pk}")
    dashboard = dashboards.unit_dashboard(unit=scene.unit, choice=choice, periods=all_periods(), services=[])
    pages = _pages(write_report(unit=scene.unit, choice=choice, file_format="pdf"), tmp_path)
    text = "\n".join(pages)
    assert re.search(rf"IKM unit pelayanan\s+{comma(dashboard.overall.index)}\s+{comma(dashboard.overall.nik)}", text)
    assert re.search(r"BAB I PENDAHULUAN\.+\s*\d+", text), "the table of contents has page numbers"
    assert "SEMENTARA" not in text


def test_a_provisional_report_says_so_on_every_page(scene: Scene, instrument: Any, tmp_path: Path) -> None:
    open_period = builders.make_period("Triwulan berjalan")
    builders.make_response(scene.unit, [4] * 9, instrument=instrument, period=open_period)
    scene.unit.name = "Kelurahan Ta'mirul Islam " + "dengan Nama yang Sangat Panjang " * 5
    scene.unit.save(update_fields=["name"])
    pages = _pages(write_report(unit=scene.unit, choice=choice_of(f"p-{open_period.pk}"), file_format="pdf"), tmp_path)
    assert len(pages) > 5
    assert all("SEMENTARA" in page for page in pages)
    assert "Ta'mirul" in pages[0] or "Ta\N{RIGHT SINGLE QUOTATION MARK}mirul" in pages[0]


def test_a_failed_conversion_raises_instead_of_returning_a_file(settings: Any) -> None:
    settings.REPORT_SOFFICE = "/bin/false"
    with pytest.raises(ConversionFailed):
        docx_to_pdf(b"not a document")
