"""Report models."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    WORKBOOK = "workbook", _("Workbook unit")
    RECAP = "recap", _("Rekap kota")
    RAW = "raw", _("Data mentah")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("CSV")


class ExportJob(models.Model):
    """An export made in the background: who asked, for what, how far it got, and its file.

    The scope (`unit_ids`) is fixed from the requester's access when the job is created; the
    download is served only to the requester. Files live under EXPORT_ROOT/<id>/ and are
    removed with the job by `export_jobs_prune`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("jenis"), max_length=10, choices=ExportKind.choices)
    file_format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices, default=ExportFormat.XLSX)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    period = models.ForeignKey("surveys.Period", on_delete=models.CASCADE, related_name="export_jobs")
    unit = models.ForeignKey(
        "surveys.ServiceUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="export_jobs"
    )
    unit_ids = models.JSONField(default=list)
    include_descendants = models.BooleanField(default=False)
    weight = models.CharField(max_length=10, default="exact")
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ekspor")
        verbose_name_plural = _("ekspor")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="done", file_name__gt="") | ~models.Q(status="done"),
                name="export_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_id} ({self.status})"

    @property
    def percent(self) -> int | None:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return None
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def is_finished(self) -> bool:
        return self.status in {ExportStatus.DONE, ExportStatus.FAILED}
