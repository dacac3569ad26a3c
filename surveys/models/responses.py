"""Citizens' responses and their answers, and the vocabulary to choose the ones that count."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from surveys.models.instruments import Element, Instrument
from surveys.models.periods import Period
from surveys.models.units import Service, ServiceUnit


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


class ResponseState(models.TextChoices):
    """Whether a stored response counts. Held and excluded responses stay stored, with the reason."""

    COUNTED = "counted", _("Dihitung")
    HELD = "held", _("Ditahan untuk ditinjau")
    EXCLUDED = "excluded", _("Tidak dihitung")


class Reason(models.TextChoices):
    """Why a response was held for review or is not counted (kept after a review, as history)."""

    NONE = "", _("—")
    HONEYPOT = "honeypot", _("Isian tersembunyi terisi (kiriman mesin)")
    TOO_FAST = "too_fast", _("Diisi lebih cepat daripada yang mungkin bagi orang")
    TICKETS = "tickets", _("Terlalu banyak formulir dibuka dari satu alamat")
    ADDRESS = "address", _("Banyak kiriman dari satu alamat dalam waktu singkat")
    KIOSK = "kiosk", _("Banyak kiriman dari satu kios dalam waktu singkat")
    UNIT = "unit", _("Kiriman ke unit jauh di atas biasanya")
    IMPORT = "import", _("Impor atau entri kertas dalam jumlah besar")
    EXCLUSION = "exclusion", _("Dikeluarkan setelah diusulkan dan disetujui sekretariat")


#: When a response counts towards an index: not test data, neither held nor excluded, at least one
#: element answered. The one statement of the rule: `COUNTABLE` filters querysets (and the partial
#: index the dashboards read), `Response.is_countable` evaluates it on one row.
COUNTED_WHEN: dict[str, object] = {"is_test": False, "state": ResponseState.COUNTED, "answered__gt": 0}
COUNTABLE = Q(**COUNTED_WHEN)


def is_counted(values: Mapping[str, Any]) -> bool:
    """Whether a response with these field values counts (`COUNTED_WHEN`, evaluated without
    asking the database: on a model instance, or on a row read with `.values()`)."""
    for lookup, wanted in COUNTED_WHEN.items():
        name, _sep, operator = lookup.partition("__")
        value = values[name]
        if not (value > wanted if operator == "gt" else value == wanted):
            return False
    return True


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
        """Responses that count towards an index (`COUNTABLE`)."""
        return self.filter(COUNTABLE)

    def set_aside(self) -> ResponseQuerySet:
        """Responses held for review or not counted (test data aside)."""
        return self.filter(is_test=False).exclude(state=ResponseState.COUNTED)

    def held(self) -> ResponseQuerySet:
        return self.filter(state=ResponseState.HELD)


class Response(models.Model):
    """One citizen's completed questionnaire. Unit, instrument and period are set by the server."""

    # unit, period, kiosk and reviewed_by are indexed by Meta.indexes below (each row written
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
    state = models.CharField(
        _("status"), max_length=10, choices=ResponseState.choices, default=ResponseState.COUNTED, editable=False
    )
    reason = models.CharField(_("alasan"), max_length=12, choices=Reason.choices, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditinjau oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        editable=False,
    )
    reviewed_at = models.DateTimeField(_("waktu tinjauan"), null=True, blank=True, editable=False)
    review_note = models.CharField(_("catatan tinjauan"), max_length=300, blank=True, editable=False)
    # Where it came from, without storing where: 16 bits of a keyed hash of the client's address
    # and the period (tens of thousands of addresses share each tag), enough to see that many
    # responses came from one place, never to name it.
    source_tag = models.CharField(_("tanda sumber"), max_length=4, blank=True, editable=False)
    uniform = models.BooleanField(_("semua unsur bernilai sama"), default=False, editable=False)

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
            models.Index(fields=["reviewed_by"], condition=Q(reviewed_by__isnull=False), name="response_reviewer"),
            # The review page lists what is held (few rows; the others are not in this index).
            models.Index(fields=["unit", "period"], condition=Q(state="held"), name="response_held"),
            # Covers the dashboards' totals query (index-only): counted responses per period and unit.
            models.Index(
                fields=["period", "unit", "answered", "score_sum"],
                condition=COUNTABLE,
                name="response_countable_totals",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(age__isnull=True) | Q(age__gte=10, age__lte=120), name="response_age_range"
            ),
            models.CheckConstraint(condition=Q(answered__lte=14), name="response_answered_range"),
            models.CheckConstraint(
                condition=Q(state=ResponseState.COUNTED) | ~Q(reason=Reason.NONE), name="response_set_aside_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(score_sum__gte=models.F("answered")) & Q(score_sum__lte=models.F("answered") * 4),
                name="response_score_sum_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def is_countable(self) -> bool:
        return is_counted(
            {lookup.partition("__")[0]: getattr(self, lookup.partition("__")[0]) for lookup in COUNTED_WHEN}
        )


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


class ProposalDecision(models.TextChoices):
    PENDING = "pending", _("Menunggu keputusan sekretariat")
    CONFIRMED = "confirmed", _("Disetujui: tidak dihitung")
    DECLINED = "declined", _("Ditolak: tetap dihitung")


class ExclusionProposal(models.Model):
    """A proposal to take one response out of its unit's index, with a reason. Four eyes: it counts
    only once the secretariat confirms it (`services.exclusion_decide`); until then the response is
    counted. A unit admin never takes a response out alone."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="exclusion_proposals")
    reason = models.CharField(_("alasan"), max_length=300)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diusulkan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("waktu usulan"))
    decision = models.CharField(
        _("keputusan"), max_length=10, choices=ProposalDecision.choices, default=ProposalDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("waktu keputusan"), null=True, blank=True)
    decision_note = models.CharField(_("catatan keputusan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("usulan pengecualian")
        verbose_name_plural = _("usulan pengecualian")
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["response"], condition=Q(decision="pending"), name="proposal_one_pending_per_response"
            ),
        ]
        indexes = [models.Index(fields=["decision", "proposed_at"], name="proposal_decision")]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.reason}"
