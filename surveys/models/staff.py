"""Staff roles: the city secretariat, or the admin of one or more units."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models.units import ServiceUnit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class StaffRole(models.TextChoices):
    SECRETARIAT = "secretariat", _("Sekretariat")
    UNIT_ADMIN = "unit_admin", _("Admin unit")


class StaffProfile(models.Model):
    """A staff member's role and, for a unit admin, the units (with their subtrees) they manage."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile")
    role = models.CharField(_("peran"), max_length=20, choices=StaffRole.choices)
    units = models.ManyToManyField(ServiceUnit, verbose_name=_("unit"), blank=True, related_name="admins")

    class Meta:
        verbose_name = _("profil petugas")
        verbose_name_plural = _("profil petugas")

    def __str__(self) -> str:
        user: AbstractBaseUser = self.user
        return f"{user.get_username()} ({self.get_role_display()})"
