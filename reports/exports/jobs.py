"""Running an export job: make its file, reporting progress on the job row (called by the task).

The file is written to a temporary name and renamed when complete, so a download never sees half
a file; a failure is recorded on the job, never raised to the worker.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils import timezone

from reports.exports.layout import file_stem
from reports.exports.raw import write_raw
from reports.exports.recap import city_recap
from reports.exports.workbooks import UnitScope, unit_workbook
from reports.models import ExportJob, ExportKind, ExportStatus, export_suffix
from reports.selectors import responses_in

logger = logging.getLogger(__name__)


def export_root() -> Path:
    return Path(settings.EXPORT_ROOT)


def job_directory(job: ExportJob) -> Path:
    return export_root() / str(job.id)


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
