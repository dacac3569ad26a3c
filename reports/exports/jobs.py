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
from reports.laporan.generate import STEPS, choice_for, write_report
from reports.laporan.generate import file_stem as report_file_stem
from reports.models import ExportFormat, ExportJob, ExportKind, ExportStatus, export_suffix
from reports.periods import PeriodChoice
from reports.selectors import responses_in
from surveys.models import ServiceUnit

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
    stem = file_stem(job.kind, job.period, job.unit, with_subunits=job.include_descendants)
    name = f"{stem}.{export_suffix(job.file_format)}"
    partial = directory / f".{name}.part"
    try:
        if job.kind == ExportKind.REPORT:
            name, rows_total = _report_name_and_steps(job)
            partial = directory / f".{name}.part"
        else:
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

    if job.kind == ExportKind.REPORT:
        _write_report(job, out)
    elif job.kind == ExportKind.RAW:
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


# ---- The Laporan Hasil SKM (issue 17): progress counts steps, not rows ---------------------------


def _report_choice(job: ExportJob) -> PeriodChoice:
    choice = choice_for(job.scope)
    if choice is None:
        raise ValueError(f"the report's period choice {job.scope!r} names no period")
    return choice


def _report_name_and_steps(job: ExportJob) -> tuple[str, int]:
    steps = STEPS if job.file_format == ExportFormat.PDF else STEPS - 1
    return f"{report_file_stem(job.unit, _report_choice(job))}.{job.file_format}", steps


def _write_report(job: ExportJob, out: IO[bytes]) -> None:
    def progress(done: int, _total: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

    units = None if job.unit is not None else ServiceUnit.objects.filter(pk__in=job.unit_ids)
    data = write_report(
        unit=job.unit,
        choice=_report_choice(job),
        file_format=job.file_format,
        units=units,
        language=settings.LANGUAGE_CODE,
        on_step=progress,
    )
    out.write(data)
