"""Background export jobs (django-tasks, database backend; run `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from reports.exports.jobs import export_job_run
from reports.models import ExportJob


@task()
def run_export_job(job_id: str) -> str:
    """Make the file of one export job; its status, progress and errors live on the job row."""
    job = ExportJob.objects.select_related("period", "unit").get(pk=job_id)
    return str(export_job_run(job=job).status)
