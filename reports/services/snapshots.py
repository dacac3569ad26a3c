"""Freezing a period's results: a snapshot revision with one row per unit.

Each row keeps the exact inputs of the unit's index (element tallies with their score
distribution, the spread sums as fractions), so any published number can be recomputed from the
snapshot alone (`reports.snapshots.snapshot_tally`); the rounded values are kept beside them for
listing and filtering, who answered (profile, channel, each service's tally; `reports.breakdowns`)
for the Laporan Hasil SKM, and the responses set aside. The counted responses, their rule set and
the populations come from the owners every report asks (`surveys.models.COUNTABLE`,
`reports.selectors`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import display, selectors
from reports.breakdowns import Breakdowns, breakdown_fields, breakdowns_by_unit
from reports.models import Snapshot, SnapshotUnit
from reports.tallies import GroupTally, tally_responses, tally_to_json
from surveys.models import SERVING_PUBLIC, Period, ServiceUnit
from surveys.services import AnyUser, acting_user
from surveys.services.periods import PeriodError

WEIGHT = "exact"


def _set_aside(responses: Any) -> dict[int, dict[str, dict[str, int]]]:
    """Per unit: its held and excluded responses, counted by reason (one query)."""
    by_unit: dict[int, dict[str, dict[str, int]]] = {}
    rows = responses.set_aside().order_by().values_list("unit_id", "state", "reason").annotate(n=Count("id"))
    for unit_id, state, reason, count in rows:
        by_unit.setdefault(unit_id, {}).setdefault(state, {})[reason] = count
    return by_unit


def _row(
    snapshot: Snapshot,
    unit: ServiceUnit,
    group: GroupTally,
    population: int | None,
    breakdowns: Breakdowns,
    set_aside: dict[str, dict[str, int]],
) -> SnapshotUnit:
    """A unit's frozen row: its tally, its rounded figures, and who answered (`reports.breakdowns`)."""
    result = group.result(rules=snapshot.rules, weight=snapshot.weight, population=population)
    exact = tally_to_json(group)
    return SnapshotUnit(
        snapshot=snapshot,
        unit=unit,
        respondents=group.respondents,
        elements=exact["elements"],
        sum_means=exact["sum_means"],
        sum_sq_means=exact["sum_sq_means"],
        index=display.index(result.index),
        nik=display.nik(result.nik),
        grade=result.grade or "",
        label=result.label or "",
        population=population,
        minimum=result.sample.minimum if result.sample else None,
        adequate=result.sample.adequate if result.sample else None,
        ci_low=display.nik(result.ci.low) if result.ci else None,
        ci_high=display.nik(result.ci.high) if result.ci else None,
        services=sorted(service.name for service in breakdowns.services or [] if service.key is not None),
        set_aside=set_aside,
        **breakdown_fields(breakdowns),
    )


def snapshot_take(*, period: Period, user: AnyUser | None, reason: str) -> Snapshot:
    """Store the next revision for `period`: a row per unit, from a fixed number of queries.
    Called inside the transaction of the period change that asks for it."""
    responses = selectors.responses_in(periods=[period])
    try:
        rules = selectors.rules_for(responses)
    except selectors.MixedRuleSets as mixed:
        raise PeriodError(
            _(
                "Respons periode ini menjawab kuesioner dengan aturan perhitungan yang berbeda (%(rules)s); "
                "hasilnya tidak dapat dibekukan sebagai satu indeks. Hubungi pengelola sistem."
            )
            % {"rules": ", ".join(sorted(display.rules_text(key) for key in mixed.rules))}
        ) from mixed
    groups = tally_responses(responses)
    populations = selectors.populations(periods=[period])
    breakdowns = breakdowns_by_unit(responses)
    set_aside = _set_aside(responses)
    units = ServiceUnit.objects.filter(
        SERVING_PUBLIC | Q(pk__in=[*(key for key in groups if key is not None), *set_aside])
    )
    latest = Snapshot.objects.filter(period=period).order_by("-revision").values_list("revision", flat=True).first()
    snapshot = Snapshot.objects.create(
        period=period,
        revision=(latest or 0) + 1,
        created_at=timezone.now(),
        created_by=acting_user(user),
        reason=reason,
        rules=rules,
        weight=WEIGHT,
    )
    rows = [
        _row(
            snapshot,
            unit,
            groups.get(unit.pk, GroupTally()),
            populations.get(unit.pk),
            breakdowns.get(unit.pk, Breakdowns()),
            set_aside.get(unit.pk, {}),
        )
        for unit in units
    ]
    SnapshotUnit.objects.bulk_create(rows, batch_size=500)
    return snapshot
