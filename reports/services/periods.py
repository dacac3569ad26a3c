"""A period's life after it is created: closing, reopening and publishing it, and freezing its
results as snapshot revisions. The only place a period's state changes (creation is
`surveys.services.period_create`, which makes it open)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reports.models import PeriodPublication, Snapshot
from reports.services.snapshots import snapshot_take
from surveys.models import Period, PeriodState
from surveys.services import AnyUser, acting_user, audit_record
from surveys.services.periods import PeriodError, period_bounds, period_create

__all__ = [
    "CLOSE_REASON",
    "PeriodError",
    "period_bounds",
    "period_close",
    "period_create",
    "period_publish",
    "period_reopen",
    "snapshot_recompute",
]

CLOSE_REASON = "Penutupan periode"


def period_close(*, period: Period, user: AnyUser | None) -> Snapshot:
    """Close an open period and freeze every unit's result in a new snapshot revision."""
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.state != PeriodState.OPEN:
            raise PeriodError(_("Hanya periode yang dibuka yang dapat ditutup."))
        locked.state = PeriodState.CLOSED
        locked.save(update_fields=["state"])
        snapshot = snapshot_take(period=locked, user=user, reason=CLOSE_REASON)
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
                published_by=acting_user(user),
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
        snapshot = snapshot_take(period=locked, user=user, reason=reason)
        audit_record(
            actor=user,
            action="period.recompute",
            target=locked,
            detail={"revision": snapshot.revision, "reason": reason},
        )
        return snapshot


def _unique_slug(period: Period) -> str:
    base = slugify(period.name)[:90] or "periode"
    slug, number = base, 2
    while PeriodPublication.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
