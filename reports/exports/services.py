"""Writes for exports: create a background export job, run it, prune old ones.

A job's scope is decided by the caller through `surveys.access` and stored on the job; the
task only carries the job id. Files are written to a temporary name and renamed when complete,
so a download never sees half a file.
"""

from __future__ import annotations

import datetime
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from reports.exports.workbooks import UnitScope, city_recap, file_stem, unit_workbook, write_raw
from reports.models import CSV_FORMATS, ExportFormat, ExportJob, ExportKind, ExportStatus, export_suffix
from reports.selectors import responses_in
from surveys.models import Period, ServiceUnit
from surveys.services import audit_record

logger = logging.getLogger(__name__)

#: How long finished export files are kept (hours).
DEFAULT_RETENTION_HOURS = 24


def export_root() -> Path:
    return Path(settings.EXPORT_ROOT)


def job_directory(job: ExportJob) -> Path:
    return export_root() / str(job.id)


def job_file(job: ExportJob) -> Path | None:
    if job.status != ExportStatus.DONE or not job.file_name:
        return None
    path = job_directory(job) / job.file_name
    return path if path.is_file() else None


def export_job_create(
    *,
    requested_by: AbstractBaseUser,
    kind: str,
    period: Period,
    unit_ids: Sequence[int],
    unit: ServiceUnit | None = None,
    include_descendants: bool = False,
    file_format: str = ExportFormat.XLSX,
    weight: str = "exact",
) -> ExportJob:
    """Record an export job (scope already checked by the caller) and queue it."""
    from reports.exports.tasks import run_export_job

    if kind not in ExportKind.values:
        raise ValueError(f"unknown export kind {kind!r}")
    if file_format in CSV_FORMATS and kind != ExportKind.RAW:
        raise ValueError("only the raw data export is available as CSV")
    export_jobs_prune()
    export_jobs_fail_stale()
    job = ExportJob.objects.create(
        requested_by_id=requested_by.pk,
        kind=kind,
        period=period,
        unit=unit,
        unit_ids=sorted(unit_ids),
        include_descendants=include_descendants,
        file_format=file_format,
        weight=weight,
    )
    audit_record(
        actor=requested_by,
        action="export.request",
        target=job,
        unit=unit,
        detail={"kind": kind, "period": period.name, "format": file_format, "units": len(unit_ids)},
    )
    run_export_job.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Make the job's file, reporting progress on the job row; a failure is recorded, not raised."""
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, started_at=timezone.now())
    directory = job_directory(job)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{file_stem(job.kind, job.period, job.unit)}.{export_suffix(job.file_format)}"
    partial = directory / f".{name}.part"
    try:
        rows_total = responses_in(unit_ids=job.unit_ids, periods=[job.period]).count()
        ExportJob.objects.filter(pk=job.pk).update(rows_total=rows_total)
        with partial.open("wb") as out:
            _write(job, out)
        partial.rename(directory / name)
    except Exception:
        logger.exception("export job %s failed", job.pk)
        partial.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED,
            error="Ekspor gagal dibuat. Silakan coba lagi atau hubungi sekretariat.",
            finished_at=timezone.now(),
        )
    else:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.DONE, file_name=name, rows_done=rows_total, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def _write(job: ExportJob, out: IO[bytes]) -> None:
    def progress(count: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=count)

    if job.kind == ExportKind.RAW:
        write_raw(
            period=job.period,
            unit_ids=job.unit_ids,
            out=out,
            file_format=job.file_format,
            on_row=progress,
        )
    elif job.kind == ExportKind.WORKBOOK:
        assert job.unit is not None
        workbook, _facts = unit_workbook(UnitScope(job.unit, job.period, job.include_descendants, job.weight))
        workbook.save(out)
    else:
        workbook, _recap = city_recap(period=job.period, unit_ids=job.unit_ids, weight=job.weight)
        workbook.save(out)


def export_jobs_prune(*, older_than: datetime.timedelta | None = None) -> int:
    """Delete jobs (and their files) older than the retention time; returns how many."""
    hours = getattr(settings, "EXPORT_RETENTION_HOURS", DEFAULT_RETENTION_HOURS)
    cutoff = timezone.now() - (older_than if older_than is not None else datetime.timedelta(hours=hours))
    old = list(ExportJob.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True))
    for pk in old:
        shutil.rmtree(export_root() / str(pk), ignore_errors=True)
    ExportJob.objects.filter(pk__in=old).delete()
    return len(old)


STALE_RUNNING = datetime.timedelta(minutes=30)
STALE_ERROR = "Ekspor terhenti (proses pembuatnya berhenti). Silakan mulai ulang ekspor."


def export_jobs_fail_stale(*, older_than: datetime.timedelta = STALE_RUNNING) -> int:
    """Mark jobs whose worker died mid-way (still running long after they started) as failed and
    remove their partial files; a partial file is never offered for download."""
    cutoff = timezone.now() - older_than
    stale = list(
        ExportJob.objects.filter(status=ExportStatus.RUNNING, started_at__lt=cutoff).values_list("pk", flat=True)
    )
    for pk in stale:
        for partial in (export_root() / str(pk)).glob(".*.part"):
            partial.unlink(missing_ok=True)
    ExportJob.objects.filter(pk__in=stale, status=ExportStatus.RUNNING).update(
        status=ExportStatus.FAILED, error=STALE_ERROR, finished_at=timezone.now()
    )
    return len(stale)
