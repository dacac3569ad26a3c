"""Paper imports in the background: a file with many rows is checked and imported by the worker
(django-tasks, database backend; `manage.py db_worker`), as the large exports are.

The rules are the synchronous import's: the file passes the upload guard, every row is checked,
and nothing is imported unless every row is valid (the rows' errors are kept on the job and
shown); the row keys make a second upload of the same file import nothing. Progress, the
outcome and any failure are recorded on the `ImportJob` row; the uploaded bytes are dropped
once the job has run.
"""

from __future__ import annotations

import datetime
import io
import logging
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from surveys import imports, services, uploads
from surveys.models import ImportJob, ImportStatus, ServiceUnit

logger = logging.getLogger(__name__)
ERRORS_KEPT = 500  # a file with thousands of bad rows shows the first 500, and how many there were
STALE_RUNNING = datetime.timedelta(minutes=30)
FAILED_MESSAGE = gettext_noop(
    "Impor gagal diproses. Tidak ada yang diimpor; silakan unggah lagi atau hubungi sekretariat."
)


def paper_upload_check(
    *, requested_by: AbstractBaseUser, unit: ServiceUnit, content: bytes, file_name: str
) -> imports.ParsedImport | ImportJob:
    """The door every paper-import upload passes (access to `unit` already checked): the upload
    guard, then either the complete check of a small file (its submissions, or its errors, for
    the caller to import or show) or, for a file with many rows, a job queued for the worker."""
    try:
        with uploads.open_spreadsheet(
            io.BytesIO(content), filename=file_name, limits=imports.UPLOAD_LIMITS, kinds=("xlsx",)
        ) as book:
            if imports.needs_background(book):
                rows = book.row_count(imports.DATA_SHEET) - 1
                return import_job_create(
                    requested_by=requested_by, unit=unit, file_name=file_name, content=content, rows_total=rows
                )
            return imports.parse_spreadsheet(book=book, unit=unit)
    except uploads.UploadRefused as refusal:
        return imports.refused(refusal.message)


def import_job_create(
    *, requested_by: AbstractBaseUser, unit: ServiceUnit, file_name: str, content: bytes, rows_total: int
) -> ImportJob:
    """Record an uploaded file (access to `unit` already checked by the caller) and queue it."""
    import_jobs_fail_stale()
    with transaction.atomic():
        job = ImportJob.objects.create(
            requested_by_id=requested_by.pk,
            unit=unit,
            file_name=file_name[:200],
            content=content,
            rows_total=max(rows_total, 0),
        )
        services.audit_record(actor=requested_by, action="import.queued", target=unit, detail={"file": file_name})
    run_import_job.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


@task()
def run_import_job(job_id: str) -> str:
    """The worker's entry point: run one queued import job."""
    job = ImportJob.objects.select_related("unit", "requested_by").get(pk=job_id)
    return str(import_job_run(job=job).status)


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Check the job's file and import it all or not at all; the outcome is recorded, never raised."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, started_at=timezone.now())

    def progress(rows: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=rows)

    try:
        parsed = _parsed(job, progress)
        if parsed.errors:
            _finish(job, ImportStatus.FAILED, errors=parsed.errors)
        else:
            with transaction.atomic():
                result = services.responses_import(
                    submissions=parsed.submissions, actor=job.requested_by, unit=job.unit, file_name=job.file_name
                )
                done = ImportStatus.DONE
                _finish(
                    job,
                    done,
                    rows=parsed.rows_read,
                    created=result.created,
                    already_there=result.already_there,
                    held=result.held,
                )
    except Exception:
        logger.exception("import job %s failed", job.pk)
        _finish(job, ImportStatus.FAILED, errors=[imports.RowError(0, "", _(FAILED_MESSAGE))])
    job.refresh_from_db()
    return job


def _parsed(job: ImportJob, progress: Callable[[int], None]) -> imports.ParsedImport:
    try:
        with uploads.open_spreadsheet(
            io.BytesIO(bytes(job.content)), filename=job.file_name, limits=imports.UPLOAD_LIMITS, kinds=("xlsx",)
        ) as book:
            return imports.parse_spreadsheet(book=book, unit=job.unit, on_row=progress)
    except uploads.UploadRefused as refusal:
        return imports.refused(refusal.message)


def _finish(
    job: ImportJob,
    status: str,
    *,
    errors: list[imports.RowError] | None = None,
    created: int | None = None,
    already_there: int | None = None,
    rows: int | None = None,
    held: bool = False,
) -> None:
    kept = [{"row": error.row, "column": error.column, "message": error.message} for error in (errors or [])]
    changes: dict[str, object] = {
        "status": status,
        "content": b"",
        "errors": kept[:ERRORS_KEPT],
        "error_count": len(kept),
        "created": created,
        "already_there": already_there,
        "held": held,
        "finished_at": timezone.now(),
    }
    if rows is not None:
        changes["rows_done"] = rows
    ImportJob.objects.filter(pk=job.pk).update(**changes)


def import_jobs_fail_stale(*, older_than: datetime.timedelta = STALE_RUNNING) -> int:
    """Jobs whose worker died mid-way (still running long after they started) are marked as not
    imported; their transaction never committed, so nothing of them is stored."""
    cutoff = timezone.now() - older_than
    return ImportJob.objects.filter(status=ImportStatus.RUNNING, started_at__lt=cutoff).update(
        status=ImportStatus.FAILED,
        content=b"",
        errors=[{"row": 0, "column": "", "message": _(FAILED_MESSAGE)}],
        error_count=1,
        finished_at=timezone.now(),
    )
