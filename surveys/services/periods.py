"""Creating survey periods. A period is born open; closing, reopening and publishing it (which
freeze and show its results) are `reports.services`' and nobody else's: the period's state changes
only there."""

from __future__ import annotations

import calendar
import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from surveys.models import Period, PeriodKind, PeriodState
from surveys.services.audit import AnyUser, audit_record

ROMAN = ("I", "II", "III", "IV")
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
PERIOD_COUNTS = {PeriodKind.MONTH: 12, PeriodKind.TRIWULAN: 4, PeriodKind.SEMESTER: 2, PeriodKind.YEAR: 1}


class PeriodError(ValueError):
    """A period change that is not allowed now; the message is for the user."""


def period_bounds(*, kind: str, year: int, number: int) -> tuple[str, datetime.date, datetime.date]:
    """The official name and the first and last day of, e.g., Triwulan II 2026."""
    if kind not in PERIOD_COUNTS:
        raise PeriodError(_("Jenis periode tidak dikenal."))
    if not 2000 <= year <= 2100:
        raise PeriodError(_("Tahun harus antara 2000 dan 2100."))
    count = PERIOD_COUNTS[PeriodKind(kind)]
    if kind == PeriodKind.YEAR:
        number = 1
    if not 1 <= number <= count:
        raise PeriodError(_("Nomor periode harus antara 1 dan %(count)d.") % {"count": count})
    months = 12 // count
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    start = datetime.date(year, first_month, 1)
    end = datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])
    if kind == PeriodKind.MONTH:
        name = f"{MONTHS_ID[number - 1]} {year}"
    elif kind == PeriodKind.TRIWULAN:
        name = f"Triwulan {ROMAN[number - 1]} {year}"
    elif kind == PeriodKind.SEMESTER:
        name = f"Semester {ROMAN[number - 1]} {year}"
    else:
        name = f"Tahun {year}"
    return name, start, end


def period_create(*, kind: str, year: int, number: int, actor: AnyUser | None = None) -> Period:
    """Create an open period named and bounded by its kind, year and number. Periods never
    overlap (each response belongs to one): checked here with a message, and on PostgreSQL also
    by an exclusion constraint, which holds against two requests racing."""
    name, start, end = period_bounds(kind=kind, year=year, number=number)
    if Period.objects.filter(name=name).exists():
        raise PeriodError(_("Periode %(name)s sudah ada.") % {"name": name})
    overlapping = Period.objects.filter(start__lte=end, end__gte=start).order_by("start").first()
    if overlapping is not None:
        raise PeriodError(
            _(
                "Periode %(name)s tumpang tindih dengan %(other)s. Setiap respons masuk ke satu periode, "
                "jadi periode tidak boleh bertumpuk. Hasil gabungan (mis. setahun) tersedia sebagai pilihan "
                "“s.d.” dan “Tahun” di dasbor."
            )
            % {"name": name, "other": overlapping.name}
        )
    try:
        with transaction.atomic():
            period = Period.objects.create(name=name, kind=kind, start=start, end=end, state=PeriodState.OPEN)
            audit_record(actor=actor, action="period.create", target=period)
            return period
    except IntegrityError:
        raise PeriodError(
            _("Periode %(name)s sudah ada atau tumpang tindih dengan periode lain.") % {"name": name}
        ) from None
