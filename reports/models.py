"""Frozen results and follow-up plans.

A closed period's numbers live in a `Snapshot` (one per revision) with a `SnapshotUnit` row per
unit. Each row keeps the exact inputs of the index (element tallies, score distribution and the
spread sums as fractions), so any published number can be recomputed by `reports.indices` from
the snapshot alone; the rounded NIK, grade and label are kept beside them for listing and
filtering. A recomputation never edits a row: it adds a revision. Writes live in `services.py`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from surveys.models import Period, ServiceUnit


class PeriodPublication(models.Model):
    """A period published to the public at `/hasil/<slug>/`."""

    period = models.OneToOneField(Period, on_delete=models.PROTECT, related_name="publication")
    slug = models.SlugField(_("alamat"), max_length=100, unique=True)
    published_at = models.DateTimeField(_("dipublikasikan"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("publikasi periode")
        verbose_name_plural = _("publikasi periode")

    def __str__(self) -> str:
        return self.slug


class Snapshot(models.Model):
    """One revision of the frozen results of a period."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="snapshots")
    revision = models.PositiveIntegerField(_("revisi"))
    created_at = models.DateTimeField(_("dibuat"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("alasan"), max_length=300)
    rules = models.CharField(_("aturan"), max_length=40)
    weight = models.CharField(_("bobot"), max_length=10, default="exact")

    class Meta:
        verbose_name = _("snapshot hasil")
        verbose_name_plural = _("snapshot hasil")
        ordering = ["period", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["period", "revision"], name="snapshot_unique_revision"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="snapshot_revision_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.period_id} rev {self.revision}"


class SnapshotUnit(models.Model):
    """One unit's frozen result in one snapshot revision.

    `elements` maps element code to {"answers": n_i, "total": T_i, "dist": [c1, c2, c3, c4]};
    `sum_means` / `sum_sq_means` are exact fractions ("p/q") of the respondents' mean scores.
    """

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="snapshot_rows")
    respondents = models.PositiveIntegerField(_("responden"))
    elements = models.JSONField(default=dict)
    sum_means = models.CharField(max_length=100, default="0")
    sum_sq_means = models.CharField(max_length=100, default="0")
    index = models.DecimalField(_("nilai indeks"), max_digits=6, decimal_places=4, null=True, blank=True)
    nik = models.DecimalField(_("nilai IKM konversi"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("mutu"), max_length=2, blank=True)
    label = models.CharField(_("kinerja"), max_length=40, blank=True)
    population = models.PositiveIntegerField(_("populasi"), null=True, blank=True)
    minimum = models.PositiveIntegerField(_("sampel minimum"), null=True, blank=True)
    adequate = models.BooleanField(_("sampel memadai"), null=True, blank=True)
    ci_low = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    ci_high = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    sex = models.JSONField(_("jenis kelamin"), default=dict)
    education = models.JSONField(_("pendidikan"), default=dict)
    services = models.JSONField(_("jenis layanan"), default=list)
    # Responses of the unit in the period that did not count when the snapshot was taken, by state
    # and reason: {"held": {"address": 12}, "excluded": {"honeypot": 3}} (shown on the public page).
    set_aside = models.JSONField(_("tidak dihitung"), default=dict)
    # Breakdowns the Laporan Hasil SKM prints (issue 17). None: a snapshot taken before they were
    # kept, whose report says "tidak tersedia" rather than reading live data for a frozen period.
    ages = models.JSONField(_("kelompok usia"), null=True, blank=True, default=None)
    occupations = models.JSONField(_("pekerjaan"), null=True, blank=True, default=None)
    channels = models.JSONField(_("saluran"), null=True, blank=True, default=None)
    service_tallies = models.JSONField(_("hasil per jenis layanan"), null=True, blank=True, default=None)

    class Meta:
        verbose_name = _("hasil unit")
        verbose_name_plural = _("hasil unit")
        ordering = ["snapshot", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "unit"], name="snapshot_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id}/{self.unit_id}"


class FollowUpStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    IN_PROGRESS = "in_progress", _("Sedang berjalan")
    DONE = "done", _("Selesai")


class FollowUpAction(models.Model):
    """One action of a unit's follow-up plan (rencana tindak lanjut) for a period's results.

    Timing is a triwulan of a year (`quarter` + `year`) or a date (`due_date`), never both.
    """

    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="followups")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="followups")
    element_code = models.CharField(_("unsur"), max_length=40)
    program = models.CharField(_("program/kegiatan"), max_length=300)
    quarter = models.PositiveSmallIntegerField(_("triwulan"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    due_date = models.DateField(_("tanggal"), null=True, blank=True)
    responsible = models.CharField(_("penanggung jawab"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.PLANNED
    )
    realisation = models.TextField(_("catatan realisasi"), blank=True, max_length=2000)
    is_public = models.BooleanField(_("tampilkan ke publik"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["unit", "period", "element_code", "id"]
        indexes = [models.Index(fields=["period", "unit"], name="followup_period_unit")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(quarter__isnull=False, year__isnull=False, due_date__isnull=True))
                | (Q(quarter__isnull=True, year__isnull=True, due_date__isnull=False)),
                name="followup_timing_quarter_or_date",
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4), name="followup_quarter_1_to_4"
            ),
            models.CheckConstraint(condition=~Q(program=""), name="followup_program_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.program} ({self.element_code})"  # the audit page names the element

    @property
    def timing_label(self) -> str:
        """ "TW II 2027" or the date, for display."""
        if self.quarter and self.year:
            return f"TW {('I', 'II', 'III', 'IV')[self.quarter - 1]} {self.year}"
        return date_format(self.due_date, "j F Y") if self.due_date else ""


# ---- Background exports (issue 7) -------------------------------------------------------------


class ExportKind(models.TextChoices):
    WORKBOOK = "workbook", _("Workbook unit")
    RECAP = "recap", _("Rekap kota")
    RAW = "raw", _("Data mentah")
    REPORT = "report", _("Laporan Hasil SKM")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("CSV (pemisah koma)")
    CSV_SEMICOLON = "csv-semicolon", _("CSV untuk Excel berbahasa Indonesia (pemisah titik koma)")
    DOCX = "docx", _("Word (.docx)")
    PDF = "pdf", _("PDF")


#: The formats that are CSV (only the raw data export is offered as CSV); both end in ".csv".
CSV_FORMATS = frozenset({ExportFormat.CSV, ExportFormat.CSV_SEMICOLON})


def export_suffix(file_format: str) -> str:
    """The file name suffix of an export format, without the dot."""
    return "csv" if file_format in CSV_FORMATS else file_format


class ExportJob(models.Model):
    """An export made in the background: who asked, for what, how far it got, and its file.

    The scope (`unit_ids`) is fixed from the requester's access when the job is created; the
    download is served only to the requester. Files live under EXPORT_ROOT/<id>/ and are
    removed with the job by `export_jobs_prune`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("jenis"), max_length=10, choices=ExportKind.choices)
    file_format = models.CharField(_("format"), max_length=16, choices=ExportFormat.choices, default=ExportFormat.XLSX)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    period = models.ForeignKey("surveys.Period", on_delete=models.CASCADE, related_name="export_jobs")
    unit = models.ForeignKey(
        "surveys.ServiceUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="export_jobs"
    )
    unit_ids = models.JSONField(default=list)
    include_descendants = models.BooleanField(default=False)
    weight = models.CharField(max_length=10, default="exact")
    # The period choice a report covers ("p-12", "sd-12", "th-2026"; `reports.periods`); `period`
    # is then its last period. Empty for the workbook exports, which cover `period` alone.
    scope = models.CharField(_("cakupan"), max_length=20, blank=True)
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
        return f"{self.get_kind_display()} · {self.scope_label}"

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

    @property
    def scope_label(self) -> str:
        """What a report job covers ("Tahun 2026"); the period's name for the other exports."""
        from reports.periods import choice_label

        return choice_label(self.scope, self.period) if self.scope else self.period.name


# ---- The Laporan Hasil SKM (issue 17) ----------------------------------------------------------


class ReportText(models.Model):
    """The editable texts of one Laporan Hasil SKM: a unit's (or, `unit` None, the city's) for one
    period choice (`scope`, e.g. "p-12" or "th-2026"; `reports.periods`). An empty text means the
    default wording (`reports.laporan.texts`). Changed only by `reports.services.report_text_save`."""

    unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="report_texts")
    scope = models.CharField(_("cakupan"), max_length=20)
    scope_label = models.CharField(_("periode laporan"), max_length=120, blank=True)
    background = models.TextField(_("latar belakang"), blank=True, max_length=6000)
    executor = models.TextField(_("pelaksana"), blank=True, max_length=3000)
    location = models.TextField(_("lokasi"), blank=True, max_length=3000)
    schedule = models.TextField(_("jadwal"), blank=True, max_length=3000)
    recommendation = models.TextField(_("rekomendasi"), blank=True, max_length=6000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("teks laporan")
        verbose_name_plural = _("teks laporan")
        constraints = [
            # One per unit and scope, and one per scope for the city (unit None counts as 0).
            models.UniqueConstraint(Coalesce("unit", 0), "scope", name="report_text_once_per_unit_scope"),
        ]

    def __str__(self) -> str:
        whose = self.unit.name if self.unit_id and self.unit else str(_("kota"))
        return f"Teks laporan {whose} · {self.scope_label or self.scope}"


class ReportSignatory(models.Model):
    """Who signs a unit's Laporan Hasil SKM (`unit` None: the city's): kept per unit."""

    unit = models.OneToOneField(
        ServiceUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="report_signatory"
    )
    place = models.CharField(_("tempat"), max_length=100, blank=True)
    name = models.CharField(_("nama"), max_length=150, blank=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    title = models.CharField(_("jabatan"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("penandatangan laporan")
        verbose_name_plural = _("penandatangan laporan")
        constraints = [
            # One per unit (the one-to-one field) and one for the city (unit None counts as 0).
            models.UniqueConstraint(Coalesce("unit", 0), name="report_signatory_once_per_unit"),
        ]

    def __str__(self) -> str:
        whose = self.unit.name if self.unit_id and self.unit else str(_("kota"))
        return f"Penandatangan laporan {whose}"
