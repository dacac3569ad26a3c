"""Writes for exports: create a background export job (queued for `tasks.run_export_job`, which
runs it with `jobs.export_job_run`), prune old ones.

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

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from reports.exports.jobs import export_root, job_directory
from reports.exports.tasks import run_export_job
from reports.models import CSV_FORMATS, ExportFormat, ExportJob, ExportKind, ExportStatus
from reports.selectors import responses_in
from surveys.models import Period, ServiceUnit
from surveys.services import audit_record

logger = logging.getLogger(__name__)

REPORT_FORMATS = (ExportFormat.DOCX, ExportFormat.PDF)


def export_in_background(*, unit_ids: Sequence[int], period: Period) -> bool:
    """Whether a workbook is made in the background rather than during the request: when it covers
    more responses than EXPORT_SYNC_MAX_RESPONSES (one count query)."""
    return responses_in(unit_ids=unit_ids, periods=[period]).count() > settings.EXPORT_SYNC_MAX_RESPONSES


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
    scope: str = "",
) -> ExportJob:
    """Record an export job (scope already checked by the caller) and queue it. A report
    (Laporan Hasil SKM) names its period choice in `scope` and is a .docx or a .pdf."""
    if kind not in ExportKind.values:
        raise ValueError(f"unknown export kind {kind!r}")
    if file_format in CSV_FORMATS and kind != ExportKind.RAW:
        raise ValueError("only the raw data export is available as CSV")
    if (kind == ExportKind.REPORT) != (file_format in REPORT_FORMATS):
        raise ValueError("a report is a .docx or a .pdf, and only a report is")
    if kind == ExportKind.REPORT and not scope:
        raise ValueError("a report names its period choice")
    export_jobs_prune()
    export_jobs_fail_stale()
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by_id=requested_by.pk,
            kind=kind,
            period=period,
            unit=unit,
            unit_ids=sorted(unit_ids),
            include_descendants=include_descendants,
            file_format=file_format,
            weight=weight,
            scope=scope,
        )
        audit_record(
            actor=requested_by,
            action="export.request",
            target=job,
            unit=unit,
            detail={
                "kind": kind,
                "period": period.name,
                "format": file_format,
                "units": len(unit_ids),
                **({"scope": job.scope_label} if scope else {}),
            },
        )
    run_export_job.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


def export_jobs_prune(*, older_than: datetime.timedelta | None = None) -> int:
    """Delete jobs (and their files) older than the retention time; returns how many."""
    hours = settings.EXPORT_RETENTION_HOURS
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
