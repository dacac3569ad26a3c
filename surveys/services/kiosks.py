"""Registering and revoking the tablets at service counters."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from surveys.models import Kiosk, ServiceUnit
from surveys.services.audit import audit_record


def kiosk_register(*, unit: ServiceUnit, label: str, actor: AbstractBaseUser | AnonymousUser | None = None) -> Kiosk:
    """Register a tablet for a unit's counter; its private URL is derived from the new token."""
    kiosk = Kiosk(unit=unit, label=label.strip())
    kiosk.full_clean()
    with transaction.atomic():
        kiosk.save()
        audit_record(actor=actor, action="kiosk.register", target=kiosk)
    return kiosk


def kiosk_revoke(*, kiosk: Kiosk, actor: AbstractBaseUser | AnonymousUser | None = None) -> Kiosk:
    """Stop a kiosk from accepting responses (its URL then shows a friendly refusal)."""
    if kiosk.revoked_at is None:
        with transaction.atomic():
            kiosk.revoked_at = timezone.now()
            kiosk.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="kiosk.revoke", target=kiosk)
    return kiosk


def kiosk_contact(*, kiosk: Kiosk, queued: int, refused: int) -> None:
    """Note that a kiosk synced just now, with how many forms it still holds in its offline queue
    and how many it set aside as refused (as the tablet reports them). A device's report, not a
    staff change: no audit entry."""
    Kiosk.objects.filter(pk=kiosk.pk).update(last_contact_at=timezone.now(), queued_count=queued, refused_count=refused)
