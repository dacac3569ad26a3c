"""The PDF of a report, made by LibreOffice (headless) from the very .docx a user downloads: one
layout, never two that drift apart.

Plain `soffice --convert-to pdf` leaves Word's table of contents field as it was written (empty);
so LibreOffice runs a small Basic macro instead that opens the document, updates its indexes
(the table of contents, with page numbers) and exports the PDF. The macro lives in a throwaway
LibreOffice profile made for each conversion (copied from one made once per machine user), so
conversions running at once never share a profile. Needs the Debian package
`libreoffice-writer-nogui` (scripts/system-deps.sh); `REPORT_SOFFICE` names the program.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub ToPdf(inUrl As String, outUrl As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(inUrl, &quot;_blank&quot;, 0, args())
  indexes = doc.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next
  Dim filter(0) As New com.sun.star.beans.PropertyValue
  filter(0).Name = &quot;FilterName&quot;
  filter(0).Value = &quot;writer_pdf_Export&quot;
  doc.storeToURL(outUrl, filter())
  doc.close(True)
End Sub
</script:module>
"""


class ConversionFailed(RuntimeError):
    """LibreOffice did not make the PDF (missing, timed out or failed)."""


def _run(arguments: list[str], *, timeout: int) -> subprocess.CompletedProcess[bytes]:
    program = shutil.which(settings.REPORT_SOFFICE) or settings.REPORT_SOFFICE
    process = subprocess.Popen(  # noqa: S603 - fixed program and arguments, no shell
        [program, *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ConversionFailed(f"LibreOffice did not finish within {timeout} s") from None
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _template_profile() -> Path:
    """A LibreOffice profile holding the macro, made once per machine user and reused."""
    template = Path(tempfile.gettempdir()) / f"skm-report-soffice-profile-{os.getuid()}"
    if (template / "user" / "basic" / "Standard" / "Module1.xba").is_file():
        return template
    building = Path(tempfile.mkdtemp(prefix="skm-report-profile-"))
    try:
        _run(
            ["--headless", "--terminate_after_init", f"-env:UserInstallation={building.as_uri()}"],
            timeout=settings.REPORT_PDF_TIMEOUT_SECONDS,
        )
        module = building / "user" / "basic" / "Standard" / "Module1.xba"
        if not module.parent.is_dir():
            raise ConversionFailed("LibreOffice did not create its profile")
        module.write_text(MACRO, encoding="utf-8")
        try:
            building.rename(template)
        except OSError:  # another conversion made it meanwhile
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return template


def docx_to_pdf(document: bytes) -> bytes:
    """The PDF of a .docx, with its table of contents updated; `ConversionFailed` otherwise."""
    if shutil.which(settings.REPORT_SOFFICE) is None:
        raise ConversionFailed(f"LibreOffice ({settings.REPORT_SOFFICE}) is not installed")
    with tempfile.TemporaryDirectory(prefix="skm-report-pdf-") as folder:
        work = Path(folder)
        profile = work / "profile"
        shutil.copytree(_template_profile(), profile)
        source, target = work / "report.docx", work / "report.pdf"
        source.write_bytes(document)
        completed = _run(
            [
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nolockcheck",
                f"-env:UserInstallation={profile.as_uri()}",
                f'macro:///Standard.Module1.ToPdf("{source.as_uri()}","{target.as_uri()}")',
            ],
            timeout=settings.REPORT_PDF_TIMEOUT_SECONDS,
        )
        if not target.is_file() or target.stat().st_size == 0:
            detail = completed.stderr.decode(errors="replace")[-500:]
            raise ConversionFailed(f"LibreOffice made no PDF (exit {completed.returncode}): {detail}")
        return target.read_bytes()
