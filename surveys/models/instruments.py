"""Versioned questionnaires and their elements."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from surveys.models.units import ServiceUnit


class InstrumentState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PUBLISHED = "published", _("Terbit")
    RETIRED = "retired", _("Tidak dipakai")


class InstrumentQuerySet(models.QuerySet["Instrument"]):
    def published_for(self, unit: ServiceUnit | None) -> InstrumentQuerySet:
        """The published questionnaires a unit may ask, the one it asks first: its own if it has
        one, else the city-wide one (`unit` None: the city-wide one alone)."""
        scope = Q(unit__isnull=True) if unit is None else Q(unit=unit) | Q(unit__isnull=True)
        return self.filter(scope, state=InstrumentState.PUBLISHED).order_by(models.F("unit").asc(nulls_last=True))


class Instrument(models.Model):
    """A versioned questionnaire. Once published it never changes; a change is a new version.

    An instrument with no unit is the city-wide default; a unit may have its own (adapted
    question wording), which then takes precedence for that unit.
    """

    name = models.CharField(_("nama"), max_length=200)
    version = models.PositiveIntegerField(_("versi"), default=1)
    rules = models.CharField(
        _("aturan"),
        max_length=40,
        default="permenpan-14-2017",
        help_text=_("Kunci aturan perhitungan, mis. permenpan-14-2017."),
    )
    unit = models.ForeignKey(
        ServiceUnit,
        verbose_name=_("khusus unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
    )
    state = models.CharField(_("status"), max_length=10, choices=InstrumentState.choices, default=InstrumentState.DRAFT)
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrumen")
        verbose_name_plural = _("instrumen")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="instrument_unique_version"),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(state="published"),
                name="instrument_one_published_per_unit",
            ),
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(state="published", unit__isnull=True),
                name="instrument_one_published_citywide",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False),
                name="instrument_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.state == InstrumentState.DRAFT


class Element(models.Model):
    """One element (unsur) of an instrument: a question with four labelled options, scored 1-4."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(_("kode"), max_length=40)
    order = models.PositiveSmallIntegerField(_("urutan"))
    name_id = models.CharField(_("nama unsur"), max_length=200)
    name_en = models.CharField(_("nama unsur (Inggris)"), max_length=200)
    question_id = models.TextField(_("pertanyaan"))
    question_en = models.TextField(_("pertanyaan (Inggris)"))
    option1_id = models.CharField(_("pilihan 1"), max_length=120)
    option2_id = models.CharField(_("pilihan 2"), max_length=120)
    option3_id = models.CharField(_("pilihan 3"), max_length=120)
    option4_id = models.CharField(_("pilihan 4"), max_length=120)
    option1_en = models.CharField(_("pilihan 1 (Inggris)"), max_length=120)
    option2_en = models.CharField(_("pilihan 2 (Inggris)"), max_length=120)
    option3_en = models.CharField(_("pilihan 3 (Inggris)"), max_length=120)
    option4_en = models.CharField(_("pilihan 4 (Inggris)"), max_length=120)

    class Meta:
        verbose_name = _("unsur")
        verbose_name_plural = _("unsur")
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="element_unique_code"),
            models.UniqueConstraint(fields=["instrument", "order"], name="element_unique_order"),
        ]

    def __str__(self) -> str:
        return f"U{self.order} {self.name_id}"

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_id

    def question(self, language: str) -> str:
        return self.question_en if language == "en" else self.question_id

    def options(self, language: str) -> list[tuple[int, str]]:
        suffix = "en" if language == "en" else "id"
        return [(score, getattr(self, f"option{score}_{suffix}")) for score in (1, 2, 3, 4)]
