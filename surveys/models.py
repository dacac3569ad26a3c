"""The survey's data: units and their services, questionnaires, periods and responses.

Models are thin: fields, constraints and query vocabulary. Writes live in `services.py`,
reads in `selectors.py`; who may see which unit is decided in `access.py`.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class UnitKind(models.TextChoices):
    PEMKOT = "pemkot", _("Pemerintah kota")
    OPD = "opd", _("Perangkat daerah")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    UPT = "upt", _("UPT/UPTD")
    OTHER = "other", _("Lainnya")


class ServiceUnitQuerySet(models.QuerySet["ServiceUnit"]):
    def active(self) -> ServiceUnitQuerySet:
        return self.filter(is_active=True)

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


class InstrumentState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PUBLISHED = "published", _("Terbit")
    RETIRED = "retired", _("Tidak dipakai")


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
        """Open periods containing `day`, the most specific (shortest) first."""
        return (
            self.filter(state=PeriodState.OPEN, start__lte=day, end__gte=day)
            .annotate(span=models.F("end") - models.F("start"))
            .order_by("span", "start")
        )

    def published(self) -> PeriodQuerySet:
        return self.filter(state=PeriodState.PUBLISHED)


class Period(models.Model):
    """A survey period (e.g. Triwulan IV 2026). Responses are assigned to one by the server."""

    name = models.CharField(_("nama"), max_length=80, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    state = models.CharField(_("status"), max_length=10, choices=PeriodState.choices, default=PeriodState.OPEN)

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


class Channel(models.TextChoices):
    WEB = "web", _("Tautan")
    QR = "qr", _("Kode QR")
    KIOSK = "kiosk", _("Kios")
    PAPER = "paper", _("Kertas")
    IMPORT = "import", _("Impor")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Education(models.TextChoices):
    NONE = "tidak_sekolah", _("Tidak/belum sekolah")
    SD = "SD", _("SD")
    SMP = "SMP", _("SMP/SLTP")
    SMA = "SMA", _("SMA/SLTA/SMK")
    D1_D3 = "D1-D3", _("D1-D3")
    S1 = "S1", _("D4/S1")
    S2 = "S2", _("S2")
    S3 = "S3", _("S3")


class Occupation(models.TextChoices):
    PNS = "PNS", _("PNS")
    TNI = "TNI", _("TNI")
    POLRI = "POLRI", _("POLRI")
    SWASTA = "swasta", _("Pegawai swasta")
    WIRAUSAHA = "wirausaha", _("Wirausaha")
    PELAJAR = "pelajar", _("Pelajar/mahasiswa")
    OTHER = "lainnya", _("Lainnya")


class SpamReason(models.TextChoices):
    NONE = "", _("Tidak ditandai")
    HONEYPOT = "honeypot", _("Isian jebakan terisi")
    TOO_FAST = "too_fast", _("Diisi terlalu cepat")
    MANUAL = "manual", _("Ditandai admin sebagai spam/tidak relevan")


class ResponseQuerySet(models.QuerySet["Response"]):
    def for_unit(self, unit: ServiceUnit) -> ResponseQuerySet:
        return self.filter(unit=unit)

    def for_units(self, units: models.QuerySet[ServiceUnit]) -> ResponseQuerySet:
        return self.filter(unit__in=units)

    def in_period(self, period: Period) -> ResponseQuerySet:
        return self.filter(period=period)

    def in_periods(self, periods: models.QuerySet[Period]) -> ResponseQuerySet:
        return self.filter(period__in=periods)

    def countable(self) -> ResponseQuerySet:
        """Responses that count towards an index: not flagged as spam, not test data."""
        return self.filter(is_test=False, spam_reason=SpamReason.NONE)

    def flagged(self) -> ResponseQuerySet:
        return self.exclude(spam_reason=SpamReason.NONE)


class Response(models.Model):
    """One citizen's completed questionnaire. Unit, instrument and period are set by the server."""

    # unit, period, kiosk and spam_marked_by are indexed by Meta.indexes below (each row written
    # updates every index: the citizen form's insert keeps to the ones some query needs)
    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="responses", db_index=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="responses")
    service_other = models.CharField(_("layanan lainnya"), max_length=200, blank=True)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="responses", db_index=False)
    submitted_at = models.DateTimeField(_("waktu pengisian"), db_index=True)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    kiosk = models.ForeignKey(
        "surveys.Kiosk", on_delete=models.PROTECT, null=True, blank=True, related_name="responses", db_index=False
    )
    age = models.PositiveSmallIntegerField(_("usia"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    education = models.CharField(_("pendidikan"), max_length=20, choices=Education.choices, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=20, choices=Occupation.choices, blank=True)
    occupation_other = models.CharField(_("pekerjaan lainnya"), max_length=100, blank=True)
    suggestion = models.TextField(_("kritik dan saran"), blank=True, max_length=2000)
    submission_key = models.UUIDField(_("kunci pengiriman"), unique=True, default=uuid.uuid4, editable=False)
    score_sum = models.PositiveSmallIntegerField(default=0, editable=False)
    answered = models.PositiveSmallIntegerField(default=0, editable=False)
    is_test = models.BooleanField(_("data uji"), default=False)
    spam_reason = models.CharField(
        _("tanda spam"), max_length=10, choices=SpamReason.choices, blank=True, default=SpamReason.NONE
    )
    spam_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    spam_marked_at = models.DateTimeField(null=True, blank=True)
    spam_note = models.CharField(_("alasan tanda spam"), max_length=300, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("respons")
        verbose_name_plural = _("respons")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["unit", "period"], name="response_unit_period"),
            models.Index(fields=["period", "unit"], name="response_period_unit"),
            models.Index(fields=["unit", "-submitted_at"], name="response_unit_newest"),
            # Mostly empty columns: only the rows that name a kiosk or a marker are indexed.
            models.Index(fields=["kiosk"], condition=Q(kiosk__isnull=False), name="response_kiosk"),
            models.Index(fields=["spam_marked_by"], condition=Q(spam_marked_by__isnull=False), name="response_marker"),
            # Covers the dashboards' totals query (index-only): counted responses per period and unit.
            models.Index(
                fields=["period", "unit", "answered", "score_sum"],
                condition=Q(is_test=False, spam_reason=""),
                name="response_countable_totals",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(age__isnull=True) | Q(age__gte=10, age__lte=120), name="response_age_range"
            ),
            models.CheckConstraint(condition=Q(answered__lte=14), name="response_answered_range"),
            models.CheckConstraint(
                condition=Q(score_sum__gte=models.F("answered")) & Q(score_sum__lte=models.F("answered") * 4),
                name="response_score_sum_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def is_countable(self) -> bool:
        return not self.is_test and self.spam_reason == SpamReason.NONE


class Answer(models.Model):
    """The score (1-4) one response gave to one element."""

    # indexed by answer_one_per_element (response first), one index fewer to update per answer
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", db_index=False)
    element = models.ForeignKey(Element, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("nilai"))

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        constraints = [
            models.UniqueConstraint(fields=["response", "element"], name="answer_one_per_element"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=4), name="answer_score_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.element_id}={self.score}"


class Kiosk(models.Model):
    """A registered tablet at a service counter; its private URL carries a signed token."""

    unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="kiosks")
    label = models.CharField(_("nama perangkat"), max_length=100)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        verbose_name = _("kios")
        verbose_name_plural = _("kios")
        ordering = ["unit", "label"]

    def __str__(self) -> str:
        return f"{self.unit.code} · {self.label}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


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


class AnswerTally(models.Model):
    """Running totals per unit, period, service, channel and element, kept in step with submissions.

    Reports read these few rows instead of scanning every answer. `service_ref` is the service id,
    or 0 for none, so that the unique key has no NULLs. Only countable responses are tallied.
    """

    unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    service_ref = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    element_code = models.CharField(max_length=40)
    answers = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    c1 = models.BigIntegerField(default=0)
    c2 = models.BigIntegerField(default=0)
    c3 = models.BigIntegerField(default=0)
    c4 = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "service_ref", "channel", "element_code"], name="answer_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.period_id}/{self.element_code}: {self.total}/{self.answers}"


class RespondentTally(models.Model):
    """Running respondent counts and score-sum moments per unit, period, service, channel and
    number of answered elements (for n and the spread of respondents' mean scores)."""

    unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    service_ref = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    answered = models.PositiveSmallIntegerField()
    respondents = models.BigIntegerField(default=0)
    score_sum = models.BigIntegerField(default=0)
    score_sum_sq = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "service_ref", "channel", "answered"], name="respondent_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.period_id}: {self.respondents}"


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


# Paper-import jobs (issue 14) live in their own module; importing them here registers them.
from surveys.models_imports import ImportJob as ImportJob  # noqa: E402
from surveys.models_imports import ImportStatus as ImportStatus  # noqa: E402
