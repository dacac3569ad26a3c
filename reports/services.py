"""Writes for periods, frozen results and follow-up plans: keyword-only functions.

A period moves open → closed → published. Closing stores a snapshot of every unit's result;
a later recomputation adds a revision and never edits an earlier one. Published pages read the
latest revision; earlier revisions stay viewable.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reports import indices, selectors
from reports.models import FollowUpAction, FollowUpStatus, PeriodPublication, Snapshot, SnapshotUnit
from surveys.models import Period, PeriodKind, PeriodState, ServiceUnit, UnitKind, UnitPopulation
from surveys.services import audit_record

AnyUser = AbstractBaseUser | AnonymousUser

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
CLOSE_REASON = "Penutupan periode"


class PeriodError(ValueError):
    """A period change that is not allowed now; the message is for the user."""


class FollowUpError(ValueError):
    """A follow-up action that does not fit; the message is for the user."""


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------


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
    """Create an open period named and bounded by its kind, year and number."""
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
        raise PeriodError(_("Periode %(name)s sudah ada.") % {"name": name}) from None


def period_close(*, period: Period, user: AnyUser | None) -> Snapshot:
    """Close an open period and freeze every unit's result in a new snapshot revision."""
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.state != PeriodState.OPEN:
            raise PeriodError(_("Hanya periode yang dibuka yang dapat ditutup."))
        locked.state = PeriodState.CLOSED
        locked.save(update_fields=["state"])
        snapshot = _snapshot_take(period=locked, user=user, reason=CLOSE_REASON)
        audit_record(actor=user, action="period.close", target=locked, detail={"revision": snapshot.revision})
    period.state = locked.state
    return snapshot


def period_reopen(*, period: Period, actor: AnyUser | None = None) -> Period:
    """Reopen a closed period that has not been published; its snapshots stay as history."""
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.state != PeriodState.CLOSED:
            raise PeriodError(_("Hanya periode yang ditutup dan belum dipublikasikan yang dapat dibuka kembali."))
        locked.state = PeriodState.OPEN
        locked.save(update_fields=["state"])
        audit_record(actor=actor, action="period.reopen", target=locked)
    period.state = locked.state
    return period


def period_publish(*, period: Period, user: AnyUser | None) -> PeriodPublication:
    """Publish a closed period's latest snapshot at `/hasil/<slug>/`."""
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.state != PeriodState.CLOSED:
            raise PeriodError(_("Hanya periode yang sudah ditutup yang dapat dipublikasikan."))
        if not Snapshot.objects.filter(period=locked).exists():
            raise PeriodError(_("Periode ini belum memiliki hasil beku; hitung ulang dahulu."))
        locked.state = PeriodState.PUBLISHED
        locked.save(update_fields=["state"])
        publication = PeriodPublication.objects.filter(period=locked).first()
        if publication is None:
            publication = PeriodPublication.objects.create(
                period=locked,
                slug=_unique_slug(locked),
                published_at=timezone.now(),
                published_by=_user_or_none(user),
            )
        audit_record(actor=user, action="period.publish", target=locked, detail={"slug": publication.slug})
    period.state = locked.state
    return publication


def snapshot_recompute(*, period: Period, user: AnyUser | None, reason: str) -> Snapshot:
    """Freeze the current responses of a closed or published period as a new revision.

    The earlier revisions are kept unchanged and stay viewable; published pages move to the
    new revision, which shows its number, date and reason.
    """
    reason = reason.strip()
    if not reason:
        raise PeriodError(_("Tuliskan alasan perhitungan ulang."))
    if len(reason) > 300:
        raise PeriodError(_("Alasan paling banyak 300 karakter."))
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.state == PeriodState.OPEN:
            raise PeriodError(_("Periode yang masih dibuka belum memiliki hasil beku; tutup periode dahulu."))
        snapshot = _snapshot_take(period=locked, user=user, reason=reason)
        audit_record(
            actor=user,
            action="period.recompute",
            target=locked,
            detail={"revision": snapshot.revision, "reason": reason},
        )
        return snapshot


def _user_or_none(user: AnyUser | None) -> Any:
    return user if user is not None and user.is_authenticated else None


def _unique_slug(period: Period) -> str:
    base = slugify(period.name)[:90] or "periode"
    slug, number = base, 2
    while PeriodPublication.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _rules_for(responses: Any) -> str:
    """The rule set most of the period's counted responses were collected under."""
    counts = Counter(
        dict(
            responses.order_by()
            .values_list("instrument__rules")
            .annotate(n=Count("id"))
            .values_list("instrument__rules", "n")
        )
    )
    for rules, _count in counts.most_common():
        if rules in indices.RULE_SETS:
            return str(rules)
    return indices.DEFAULT_RULES


def _breakdown(responses: Any, field: str) -> dict[int, dict[str, int]]:
    by_unit: dict[int, dict[str, int]] = {}
    for unit_id, value, count in responses.order_by().values_list("unit_id", field).annotate(n=Count("id")):
        by_unit.setdefault(unit_id, {})[value or "-"] = count
    return by_unit


def _snapshot_take(*, period: Period, user: AnyUser | None, reason: str) -> Snapshot:
    """Store the next revision for `period`: a row per unit, from a fixed number of queries."""
    responses = selectors.responses_in(periods=[period])
    counted = responses.filter(is_test=False, spam_reason="", answered__gt=0)
    groups = selectors.tally_responses(responses)
    rules = _rules_for(counted)
    weight = "exact"
    populations = dict(UnitPopulation.objects.filter(period=period).values_list("unit_id", "population"))
    sexes = _breakdown(counted, "sex")
    educations = _breakdown(counted, "education")
    services: dict[int, list[str]] = {}
    for unit_id, name in (
        counted.filter(service__isnull=False)
        .order_by("unit_id", "service__name")
        .values_list("unit_id", "service__name")
        .distinct()
    ):
        services.setdefault(unit_id, []).append(name)
    units = ServiceUnit.objects.filter(
        (Q(is_active=True) & ~Q(kind=UnitKind.PEMKOT)) | Q(pk__in=[key for key in groups if key is not None])
    )
    latest = Snapshot.objects.filter(period=period).order_by("-revision").values_list("revision", flat=True).first()
    snapshot = Snapshot.objects.create(
        period=period,
        revision=(latest or 0) + 1,
        created_at=timezone.now(),
        created_by=_user_or_none(user),
        reason=reason,
        rules=rules,
        weight=weight,
    )
    rows = []
    for unit in units:
        group = groups.get(unit.pk, selectors.GroupTally())
        population = populations.get(unit.pk)
        result = group.result(rules=rules, weight=weight, population=population)
        rows.append(
            SnapshotUnit(
                snapshot=snapshot,
                unit=unit,
                respondents=group.respondents,
                elements={
                    code: {
                        "answers": tally.answers,
                        "total": tally.total,
                        "dist": [group.distribution.get(code, {}).get(score, 0) for score in selectors.SCORES],
                    }
                    for code, tally in group.elements.items()
                },
                sum_means=str(group.sum_means),
                sum_sq_means=str(group.sum_sq_means),
                index=indices.round_index(result.index) if result.index is not None else None,
                nik=indices.round_nik(result.nik) if result.nik is not None else None,
                grade=result.grade or "",
                label=result.label or "",
                population=population,
                minimum=result.sample.minimum if result.sample else None,
                adequate=result.sample.adequate if result.sample else None,
                ci_low=indices.round_nik(result.ci.low) if result.ci else None,
                ci_high=indices.round_nik(result.ci.high) if result.ci else None,
                sex=sexes.get(unit.pk, {}),
                education=educations.get(unit.pk, {}),
                services=services.get(unit.pk, []),
            )
        )
    SnapshotUnit.objects.bulk_create(rows, batch_size=500)
    return snapshot


# --------------------------------------------------------------------------------------------
# Follow-up plans
# --------------------------------------------------------------------------------------------


def _check_followup(
    *, period: Period, element_code: str, program: str, responsible: str, quarter: int | None, due_date: Any
) -> None:
    if period.state == PeriodState.OPEN:
        raise FollowUpError(_("Rencana tindak lanjut dibuat setelah periode ditutup."))
    known = {code for rules in indices.RULE_SETS.values() for code in rules.codes}
    if element_code not in known:
        raise FollowUpError(_("Unsur tidak dikenal."))
    if not program.strip():
        raise FollowUpError(_("Isi program/kegiatan."))
    if not responsible.strip():
        raise FollowUpError(_("Isi penanggung jawab."))
    if (quarter is None) == (due_date is None):
        raise FollowUpError(_("Pilih satu waktu: triwulan tahun berikutnya atau sebuah tanggal."))
    if quarter is not None and not 1 <= quarter <= 4:
        raise FollowUpError(_("Triwulan harus I sampai IV."))


def followup_create(
    *,
    unit: ServiceUnit,
    period: Period,
    user: AnyUser | None,
    element_code: str,
    program: str,
    responsible: str,
    quarter: int | None = None,
    due_date: datetime.date | None = None,
    status: str = FollowUpStatus.PLANNED,
    realisation: str = "",
    is_public: bool = False,
) -> FollowUpAction:
    """Add an action to a unit's plan; a triwulan is of the year after the period."""
    _check_followup(
        period=period,
        element_code=element_code,
        program=program,
        responsible=responsible,
        quarter=quarter,
        due_date=due_date,
    )
    if status not in FollowUpStatus.values:
        raise FollowUpError(_("Status tidak dikenal."))
    action = FollowUpAction.objects.create(
        unit=unit,
        period=period,
        element_code=element_code,
        program=program.strip(),
        responsible=responsible.strip(),
        quarter=quarter,
        year=period.end.year + 1 if quarter is not None else None,
        due_date=due_date,
        status=status,
        realisation=realisation.strip(),
        is_public=is_public,
        created_by=_user_or_none(user),
    )
    audit_record(actor=user, action="followup.create", target=action, detail={"period": period.name})
    return action


def followup_update(
    *,
    action: FollowUpAction,
    element_code: str,
    program: str,
    responsible: str,
    quarter: int | None,
    due_date: datetime.date | None,
    status: str,
    realisation: str,
    is_public: bool,
    actor: AnyUser | None = None,
) -> FollowUpAction:
    """Change an action: its content, its status and realisation, and whether it is public."""
    _check_followup(
        period=action.period,
        element_code=element_code,
        program=program,
        responsible=responsible,
        quarter=quarter,
        due_date=due_date,
    )
    if status not in FollowUpStatus.values:
        raise FollowUpError(_("Status tidak dikenal."))
    action.element_code = element_code
    action.program = program.strip()
    action.responsible = responsible.strip()
    action.quarter = quarter
    action.year = action.period.end.year + 1 if quarter is not None else None
    action.due_date = due_date
    action.status = status
    action.realisation = realisation.strip()
    action.is_public = is_public
    action.save()
    audit_record(actor=actor, action="followup.update", target=action, detail={"status": status})
    return action


def followup_delete(*, action: FollowUpAction, actor: AnyUser | None = None) -> None:
    audit_record(actor=actor, action="followup.delete", target=action)
    action.delete()
