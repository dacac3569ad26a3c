"""Registered tablets at service counters."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models.units import ServiceUnit


class Kiosk(models.Model):
    """A registered tablet at a service counter; its private URL carries a signed token."""

    unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="kiosks")
    label = models.CharField(_("nama perangkat"), max_length=100)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    # What the tablet last told the server when it synced its offline queue (`services.kiosk_contact`).
    last_contact_at = models.DateTimeField(_("kontak terakhir"), null=True, blank=True, editable=False)
    queued_count = models.PositiveIntegerField(_("isian dalam antrean"), default=0, editable=False)
    refused_count = models.PositiveIntegerField(_("isian ditolak"), default=0, editable=False)

    class Meta:
        verbose_name = _("kios")
        verbose_name_plural = _("kios")
        ordering = ["unit", "label"]

    def __str__(self) -> str:
        return f"{self.unit.code} · {self.label}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
