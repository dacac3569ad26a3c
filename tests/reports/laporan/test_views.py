"""The Laporan page: texts and signatory kept and audited, generation in the background with a
download, a failed generation never offered, and the links from the dashboards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from reports.exports import jobs as export_jobs
from reports.models import ExportJob, ExportStatus, ReportSignatory, ReportText
from surveys.models import AuditEvent
from tests.conftest import logged_in
from tests.reports.laporan.conftest import Scene, headings, open_docx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings: Any, tmp_path: Path) -> None:
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _page(scene: Scene) -> str:
    return reverse("report-unit", args=[scene.unit.code])


def _texts(scene: Scene, **changes: str) -> dict[str, str]:
    base = {"period": f"p-{scene.period.pk}", "background": "", "executor": "", "location": "", "schedule": ""}
    return {**base, "recommendation": "", **changes}


def test_the_page_starts_from_the_default_texts(scene: Scene, kecamatan_admin: Any) -> None:
    response = logged_in(kecamatan_admin).get(_page(scene), {"period": f"p-{scene.period.pk}"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sehubungan dengan hal tersebut, 24 Ilir melaksanakan Survei Kepuasan Masyarakat" in page
    assert "Pengumpulan data | 1 Januari 2025 \N{EN DASH} 30 Juni 2025 | 129" in page


def test_edited_texts_are_kept_per_unit_and_period_and_audited(scene: Scene, kecamatan_admin: Any) -> None:
    client = logged_in(kecamatan_admin)
    response = client.post(_page(scene), _texts(scene, recommendation="Tambah loket.\n\nLatih petugas."))
    assert response.status_code == 302
    stored = ReportText.objects.get(unit=scene.unit, scope=f"p-{scene.period.pk}")
    assert stored.recommendation == "Tambah loket.\n\nLatih petugas." and stored.background == ""
    event = AuditEvent.objects.get(action="report.texts")
    assert event.unit == scene.unit and event.actor == kecamatan_admin
    assert event.detail["bagian diubah"] == "Rekomendasi" and event.detail["laporan"] == "Semester I 2025"
    job_page = client.post(
        reverse("report-unit-generate", args=[scene.unit.code]),
        {"period": f"p-{scene.period.pk}", "file_format": "docx"},
    )
    job = ExportJob.objects.get()
    download = client.get(reverse("export-job-download", args=[job.pk]))
    text = "\n".join(p.text for p in open_docx(b"".join(download.streaming_content)).paragraphs)  # type: ignore[attr-defined]
    assert job_page.status_code == 302 and "Tambah loket.\nLatih petugas." in text


def test_an_unreadable_schedule_is_refused_with_a_message_and_nothing_kept(scene: Scene, kecamatan_admin: Any) -> None:
    response = logged_in(kecamatan_admin).post(_page(scene), _texts(scene, schedule="Persiapan tanpa pemisah"))
    assert response.status_code == 400
    assert "Baris 1 jadwal harus berbentuk" in response.content.decode()
    assert not ReportText.objects.exists() and not AuditEvent.objects.filter(action="report.texts").exists()


def test_the_signatory_is_kept_per_unit_and_audited(scene: Scene, kecamatan_admin: Any) -> None:
    client = logged_in(kecamatan_admin)
    data = {
        "place": "Palembang",
        "title": "Lurah 24 Ilir",
        "name": "Hj. Siti Aisyah, S.Sos.",
        "nip": "19750101 200001 2 001",
    }
    assert client.post(reverse("report-unit-signatory", args=[scene.unit.code]), data).status_code == 302
    assert ReportSignatory.objects.get(unit=scene.unit).nip == "19750101 200001 2 001"
    assert AuditEvent.objects.get(action="report.signatory").detail == {"diubah": "tempat, nama, NIP, jabatan"}
    client.post(reverse("report-unit-signatory", args=[scene.unit.code]), {**data, "nip": "abc"})
    assert ReportSignatory.objects.get(unit=scene.unit).nip == "19750101 200001 2 001"


def test_a_generated_report_is_offered_for_download_with_its_progress(scene: Scene, kecamatan_admin: Any) -> None:
    client = logged_in(kecamatan_admin)
    response = client.post(
        reverse("report-unit-generate", args=[scene.unit.code]),
        {"period": f"p-{scene.period.pk}", "file_format": "docx"},
    )
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("export-job", args=[job.pk])
    assert (job.kind, job.file_format, job.scope, job.status) == (
        "report",
        "docx",
        f"p-{scene.period.pk}",
        ExportStatus.DONE,
    )
    assert job.rows_done == job.rows_total == 3
    page = client.get(response["Location"]).content.decode()
    assert "Unduh berkas" in page and "Kembali ke laporan" in page
    download = client.get(reverse("export-job-download", args=[job.pk]))
    assert download["Content-Disposition"].endswith('laporan-skm-16-71-04-1001-semester-i-2025.docx"')
    assert "BAB I PENDAHULUAN" in headings(open_docx(b"".join(download.streaming_content)))  # type: ignore[attr-defined]


def test_a_failed_generation_is_marked_failed_and_never_offered(
    scene: Scene, kecamatan_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_kwargs: Any) -> bytes:
        raise RuntimeError("LibreOffice crashed")

    monkeypatch.setattr(export_jobs, "write_report", broken)
    client = logged_in(kecamatan_admin)
    client.post(
        reverse("report-unit-generate", args=[scene.unit.code]),
        {"period": f"p-{scene.period.pk}", "file_format": "pdf"},
    )
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED and job.file_name == ""
    assert "Unduh berkas" not in client.get(reverse("export-job", args=[job.pk])).content.decode()
    assert client.get(reverse("export-job-download", args=[job.pk])).status_code == 404
    assert not list(Path(export_jobs.job_directory(job)).iterdir())


def test_the_city_report_is_for_the_secretariat(scene: Scene, secretariat: Any, kecamatan_admin: Any) -> None:
    assert logged_in(kecamatan_admin).get(reverse("report-city")).status_code == 404
    client = logged_in(secretariat)
    assert client.get(reverse("report-city"), {"period": f"p-{scene.period.pk}"}).status_code == 200
    client.post(reverse("report-city-generate"), {"period": "th-2025", "file_format": "docx"})
    job = ExportJob.objects.get()
    assert job.unit is None and job.scope == "th-2025" and job.status == ExportStatus.DONE
    assert "Tahun 2025" in client.get(reverse("export-job", args=[job.pk])).content.decode()


def test_the_dashboards_link_to_the_report(scene: Scene, secretariat: Any, kecamatan_admin: Any) -> None:
    unit_page = logged_in(kecamatan_admin).get(reverse("unit-dashboard", args=[scene.unit.code]), {"period": "th-2025"})
    assert f'href="{_page(scene)}?period=th-2025"' in unit_page.content.decode()
    city_page = logged_in(secretariat).get(reverse("city-dashboard"), {"period": f"p-{scene.period.pk}"})
    assert f'href="{reverse("report-city")}?period=p-{scene.period.pk}"' in city_page.content.decode()
    assert "Laporan (Word/PDF)" in city_page.content.decode()
