"""Survey periods (e.g. Triwulan IV 2026): open, then closed, then published."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Bulan")
    TRIWULAN = "triwulan", _("Triwulan")
    SEMESTER = "semester", _("Semester")
    YEAR = "year", _("Tahun")


class PeriodState(models.TextChoices):
    OPEN = "open", _("Dibuka")
    CLOSED = "closed", _("Ditutup")
    PUBLISHED = "published", _("Dipublikasikan")


class PeriodQuerySet(models.QuerySet["Period"]):
    def open_on(self, day: datetime.date) -> PeriodQuerySet:
        """The open period containing `day` (periods never overlap, so there is at most one)."""
        return self.filter(state=PeriodState.OPEN, start__lte=day, end__gte=day).order_by("start")

    def accepting_paper(self) -> PeriodQuerySet:
        """Periods a clerk may still enter paper forms into: open ones, and closed ones (a late form
        counts in the next recompute, which makes a new revision). A published period takes none."""
        return self.filter(state__in=[PeriodState.OPEN, PeriodState.CLOSED])

    def accepting_paper_on(self, day: datetime.date) -> PeriodQuerySet:
        """The period (open or closed, see `accepting_paper`) containing `day`."""
        return self.accepting_paper().filter(start__lte=day, end__gte=day).order_by("start")

    def published(self) -> PeriodQuerySet:
        return self.filter(state=PeriodState.PUBLISHED)


class Period(models.Model):
    """A survey period (e.g. Triwulan IV 2026). Responses are assigned to one by the server."""

    name = models.CharField(_("nama"), max_length=80, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    # Changed only by `reports.services` (close, reopen, publish): never edited in a form or the admin.
    state = models.CharField(
        _("status"), max_length=10, choices=PeriodState.choices, default=PeriodState.OPEN, editable=False
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("periode")
        verbose_name_plural = _("periode")
        ordering = ["-start", "end"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="period_starts_before_end"),
        ]

    def __str__(self) -> str:
        return self.name
