"""Retention: citizens' own words are kept only as long as the city needs them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from surveys.models import Period, PeriodState, Response
from surveys.services.audit import audit_record


@dataclass(frozen=True)
class PurgeResult:
    responses: int
    periods: list[str]


def responses_purge_free_text(
    *, retention_days: int, today: datetime.date | None = None, dry_run: bool = False
) -> PurgeResult:
    """Blank the free text (suggestion, other service, other occupation) of responses in closed
    or published periods that ended more than `retention_days` ago. Scores, profile categories
    and every number derived from them stay. `retention_days` 0 keeps everything.
    """
    if retention_days <= 0:
        return PurgeResult(responses=0, periods=[])
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=retention_days)
    periods = Period.objects.exclude(state=PeriodState.OPEN).filter(end__lt=cutoff)
    with_text = Response.objects.filter(period__in=periods).exclude(
        suggestion="", service_other="", occupation_other=""
    )
    names = sorted(set(with_text.values_list("period__name", flat=True)))
    if dry_run:
        return PurgeResult(responses=with_text.count(), periods=names)
    with transaction.atomic():
        count = with_text.update(suggestion="", service_other="", occupation_other="")
        if count:
            audit_record(
                actor=None,
                action="retention.purge",
                target=None,
                detail={"responses": count, "periods": names, "retention_days": retention_days},
            )
    return PurgeResult(responses=count, periods=names)
