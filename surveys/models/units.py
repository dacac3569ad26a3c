"""The city's units that serve the public, the services they deliver, and their populations."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from surveys.models.periods import Period


class UnitKind(models.TextChoices):
    PEMKOT = "pemkot", _("Pemerintah kota")
    OPD = "opd", _("Perangkat daerah")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    UPT = "upt", _("UPT/UPTD")
    OTHER = "other", _("Lainnya")


SERVING_PUBLIC = Q(is_active=True) & ~Q(kind=UnitKind.PEMKOT)


class ServiceUnitQuerySet(models.QuerySet["ServiceUnit"]):
    def active(self) -> ServiceUnitQuerySet:
        return self.filter(is_active=True)

    def serving_public(self) -> ServiceUnitQuerySet:
        """The units a city figure counts and a citizen can rate: the active ones, without the city
        government itself (the root of the tree, which serves no one directly). The one answer to
        "how many units does the city have", asked by the dashboard, the recap and the snapshot."""
        return self.filter(SERVING_PUBLIC)

    def subtree_of(self, units: models.QuerySet[ServiceUnit] | list[ServiceUnit]) -> ServiceUnitQuerySet:
        """The given units and all their descendants (by materialised path)."""
        condition = Q(pk__in=[])
        for unit in units:
            condition |= Q(path__startswith=unit.path)
        return self.filter(condition)


class ServiceUnit(models.Model):
    """A unit that serves the public (unit penyelenggara pelayanan), in the city's tree.

    `parent` is the organisational line (a puskesmas under Dinas Kesehatan, a kelurahan under
    its kecamatan); `area` is the kecamatan the unit lies in, when that differs or matters.
    `path` is the chain of codes from the root, kept by `services.unit_save`, so a subtree is
    one indexed prefix query.
    """

    code = models.CharField(
        _("kode"),
        max_length=40,
        unique=True,
        help_text=_("Kode singkat dan tetap; dipakai pada alamat survei publik."),
    )
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk organisasi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    area = models.ForeignKey(
        "self",
        verbose_name=_("kecamatan wilayah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units_in_area",
        limit_choices_to={"kind": UnitKind.KECAMATAN},
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")

    objects = ServiceUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit layanan")
        verbose_name_plural = _("unit layanan")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="unit_code_not_empty"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kecamatan_id(self) -> int | None:
        """The kecamatan this unit belongs to territorially (itself for a kecamatan)."""
        if self.kind == UnitKind.KECAMATAN:
            return self.pk
        return self.area_id


class Service(models.Model):
    """A kind of service (jenis layanan) a unit delivers, e.g. KTP-el or poli umum."""

    unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("jenis layanan"), max_length=200)
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("jenis layanan")
        verbose_name_plural = _("jenis layanan")
        ordering = ["unit", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="service_unique_name_per_unit")]

    def __str__(self) -> str:
        return self.name


class UnitPopulation(models.Model):
    """The number of service users of a unit in a period (N for the Krejcie-Morgan minimum)."""

    unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="populations")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="populations")
    population = models.PositiveIntegerField(_("populasi penerima layanan"))

    class Meta:
        verbose_name = _("populasi")
        verbose_name_plural = _("populasi")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="population_unique_unit_period"),
            models.CheckConstraint(condition=Q(population__gte=1), name="population_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.period_id}: {self.population}"
