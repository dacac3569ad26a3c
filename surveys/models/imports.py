"""Paper imports too large to check within a request, run by the background worker.

Writes live in
`surveys.import_jobs`. The uploaded file is kept in the row (so any worker machine can read
it, as app servers keep no state) only until the job has run.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang diperiksa")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Tidak diimpor")


class ImportJob(models.Model):
    """One uploaded paper-import file: who sent it for which unit, how far its check got, and
    what came of it (the rows' errors when nothing was imported, the counts when it was)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("surveys.ServiceUnit", on_delete=models.CASCADE, related_name="import_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    file_name = models.CharField(_("berkas"), max_length=200)
    content = models.BinaryField(default=b"")
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(null=True, blank=True)
    already_there = models.PositiveIntegerField(null=True, blank=True)
    held = models.BooleanField(default=False)  # its rows were stored held for the secretariat's review
    errors = models.JSONField(default=list)  # [{"row": 3, "column": "Usia", "message": "..."}]
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("impor formulir kertas")
        verbose_name_plural = _("impor formulir kertas")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def percent(self) -> int | None:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return None
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}
