"""The audit log: an append-only record of staff actions (who, what, when)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils import translation

from surveys.models import AuditEvent, ServiceUnit

AnyUser = AbstractBaseUser | AnonymousUser

AUDIT_LABEL_MAX = 255
AUDIT_SUMMARY_MAX = 500


def in_site_language(text: Callable[[], object]) -> str:
    """An audit summary is written in the site's language, whatever language the actor reads."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text())


def acting_user(actor: AnyUser | None) -> Any:
    """The signed-in user behind an action, or None for the system itself (a command, an import)."""
    return actor if actor is not None and actor.is_authenticated else None


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model | None,
    unit: ServiceUnit | None = None,
    detail: Mapping[str, object] | None = None,
    summary: str = "",
) -> AuditEvent:
    """Append one entry to the audit log: who (`actor`), did what (`action`) to which `target`.

    `actor` None (or anonymous) means the system itself (a command, an import). The unit is
    taken from the target when it has one, so the log can be filtered by unit. `summary` says
    what happened in words a person reads, in the site's language.
    """
    user = acting_user(actor)
    if unit is None:
        if isinstance(target, ServiceUnit):
            unit = target
        else:
            candidate = getattr(target, "unit", None)
            unit = candidate if isinstance(candidate, ServiceUnit) else None
    return AuditEvent.objects.create(
        actor=cast(Any, user),
        actor_username=user.get_username() if user is not None else "",
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None and target.pk is not None else "",
        object_label=str(target)[:AUDIT_LABEL_MAX] if target is not None else "",
        unit=unit,
        detail=dict(detail or {}),
        summary=summary[:AUDIT_SUMMARY_MAX],
    )
