"""The append-only log of staff actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models.units import ServiceUnit


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AuditLogImmutable("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable("audit events cannot be deleted")


class AuditLogImmutable(Exception):
    """The audit log is append-only: an attempt to change or delete an entry."""


class AuditEvent(models.Model):
    """One staff action (who, what, when), appended by `services.audit_record` and never changed.

    `actor_username` is copied so the entry still names the person after the account is gone.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    action = models.CharField(_("tindakan"), max_length=40, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=60, blank=True)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True)
    object_label = models.CharField(_("objek"), max_length=255, blank=True)
    unit = models.ForeignKey(
        ServiceUnit, verbose_name=_("unit"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What happened, in words a person reads ("Membuat akun 'budi' sebagai admin unit 24 Ilir").
    summary = models.CharField(_("ringkasan"), max_length=500, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-created_at", "-id"]
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_label}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise AuditLogImmutable("audit events cannot be changed")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable("audit events cannot be deleted")
