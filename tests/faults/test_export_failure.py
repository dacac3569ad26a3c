"""An export that fails (disk full, worker killed) is marked failed; a corrupt or partial file is
never offered for download."""

from __future__ import annotations

import datetime
import errno
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from reports.exports import jobs as export_jobs
from reports.exports import services as export_services
from reports.models import ExportJob, ExportStatus
from tests import builders
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def job(city: Any, instrument: Any, period: Any, kecamatan_admin: Any) -> ExportJob:
    for _ in range(30):
        builders.make_response(city.kelurahan, [4, 3, 2, 4, 3, 2, 4, 3, 2], instrument=instrument, period=period)
    return ExportJob.objects.create(
        requested_by=kecamatan_admin,
        kind="raw",
        period=period,
        unit_ids=[city.kelurahan.pk],
        file_format="xlsx",
    )


def _files(job: ExportJob) -> list[str]:
    directory = export_jobs.job_directory(job)
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


def test_a_full_disk_marks_the_job_failed_and_leaves_no_file(
    job: ExportJob, kecamatan_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = export_jobs._write

    def disk_full(job: ExportJob, out: Any) -> None:
        out.write(b"PK\x03\x04 half a workbook")  # some bytes reach the disk, then it is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_jobs, "_write", disk_full)
    job = export_jobs.export_job_run(job=job)
    assert job.status == ExportStatus.FAILED and "gagal" in job.error
    assert _files(job) == []
    client = logged_in(kecamatan_admin)
    assert client.get(f"/laporan/ekspor/{job.pk}/unduh/").status_code == 404
    page = client.get(f"/laporan/ekspor/{job.pk}/").content.decode()
    assert f"/laporan/ekspor/{job.pk}/unduh/" not in page
    monkeypatch.setattr(export_jobs, "_write", real_write)


def test_a_worker_killed_mid_export_never_offers_its_partial_file_and_is_marked_failed(
    job: ExportJob, kecamatan_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(job: ExportJob, out: Any) -> None:
        out.write(b"PK\x03\x04 partial")
        out.flush()
        raise SystemExit(-9)  # the process dies here: nothing after this line runs

    monkeypatch.setattr(export_jobs, "_write", killed)
    with pytest.raises(SystemExit):
        export_jobs.export_job_run(job=job)
    job.refresh_from_db()
    assert job.status == ExportStatus.RUNNING and any(name.endswith(".part") for name in _files(job))
    client = logged_in(kecamatan_admin)
    assert client.get(f"/laporan/ekspor/{job.pk}/unduh/").status_code == 404

    ExportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    assert export_services.export_jobs_fail_stale() == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "terhenti" in job.error
    assert _files(job) == []
    assert client.get(f"/laporan/ekspor/{job.pk}/unduh/").status_code == 404


def test_a_recent_running_job_is_left_alone(job: ExportJob) -> None:
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, started_at=timezone.now())
    assert export_services.export_jobs_fail_stale() == 0
    job.refresh_from_db()
    assert job.status == ExportStatus.RUNNING
