"""Follow-up plans (rencana tindak lanjut): a unit's actions on the elements its frozen result
shows weakest, with their timing, status and realisation."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from reports import indices
from reports.models import FollowUpAction, FollowUpStatus
from surveys.models import Period, PeriodState, ServiceUnit
from surveys.services import AnyUser, acting_user, audit_record


class FollowUpError(ValueError):
    """A follow-up action that does not fit; the message is for the user."""


def _content(
    *,
    period: Period,
    element_code: str,
    program: str,
    responsible: str,
    quarter: int | None,
    due_date: datetime.date | None,
    status: str,
    realisation: str,
    is_public: bool,
) -> dict[str, Any]:
    """An action's checked fields, texts stripped; a triwulan is of the year after the period."""
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
    if status not in FollowUpStatus.values:
        raise FollowUpError(_("Status tidak dikenal."))
    return {
        "element_code": element_code,
        "program": program.strip(),
        "responsible": responsible.strip(),
        "quarter": quarter,
        "year": period.end.year + 1 if quarter is not None else None,
        "due_date": due_date,
        "status": status,
        "realisation": realisation.strip(),
        "is_public": is_public,
    }


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
    """Add an action to a unit's plan."""
    content = _content(
        period=period,
        element_code=element_code,
        program=program,
        responsible=responsible,
        quarter=quarter,
        due_date=due_date,
        status=status,
        realisation=realisation,
        is_public=is_public,
    )
    with transaction.atomic():
        action = FollowUpAction.objects.create(unit=unit, period=period, created_by=acting_user(user), **content)
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
    content = _content(
        period=action.period,
        element_code=element_code,
        program=program,
        responsible=responsible,
        quarter=quarter,
        due_date=due_date,
        status=status,
        realisation=realisation,
        is_public=is_public,
    )
    for name, value in content.items():
        setattr(action, name, value)
    with transaction.atomic():
        action.save()
        audit_record(actor=actor, action="followup.update", target=action, detail={"status": status})
    return action


def followup_delete(*, action: FollowUpAction, actor: AnyUser | None = None) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="followup.delete", target=action)
        action.delete()
