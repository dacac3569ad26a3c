"""Reads over frozen results: snapshots and their revisions, publications, a unit across periods.

Every number shown from a snapshot is recomputed by `reports.indices` from the exact tallies the
snapshot row keeps (`snapshot_tally`), so the snapshot row, not the live responses, is the single
source. Each public page costs a fixed handful of queries whatever the number of units.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from reports import indices
from reports.display import TrendPoint, figures
from reports.models import FollowUpAction, PeriodPublication, Snapshot, SnapshotUnit
from reports.tallies import GroupTally, pool, tally_from_json
from surveys import naming
from surveys.models import Period, PeriodState, ServiceUnit, UnitKind


def snapshot_tally(row: SnapshotUnit) -> GroupTally:
    """The exact inputs of the index that a snapshot row keeps, as a tally like any other."""
    return tally_from_json(
        {
            "respondents": row.respondents,
            "sum_means": row.sum_means,
            "sum_sq_means": row.sum_sq_means,
            "elements": row.elements,
        }
    )


def row_result(row: SnapshotUnit, snapshot: Snapshot) -> indices.IndexResult:
    """A snapshot row's index, recomputed exactly from what the row stores."""
    return snapshot_tally(row).result(rules=snapshot.rules, weight=snapshot.weight, population=row.population)


def latest_snapshot(period: Period) -> Snapshot | None:
    return Snapshot.objects.filter(period=period).order_by("-revision").first()


def snapshot_revision(period: Period, revision: int | None) -> Snapshot | None:
    """The requested revision of a period's snapshot, or the latest when `revision` is None."""
    if revision is None:
        return latest_snapshot(period)
    return Snapshot.objects.filter(period=period, revision=revision).first()


def publications() -> QuerySet[PeriodPublication]:
    """Published periods, newest first (one query with their period)."""
    return (
        PeriodPublication.objects.filter(period__state=PeriodState.PUBLISHED)
        .select_related("period")
        .order_by("-period__start", "period__end")
    )


def publication_or_none(slug: str) -> PeriodPublication | None:
    return publications().filter(slug=slug).first()


def revisions(period: Period) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(period=period).select_related("created_by").order_by("-revision")


@dataclass(frozen=True)
class Filters:
    query: str = ""
    kind: str = ""
    kecamatan: str = ""


def snapshot_rows(snapshot: Snapshot, filters: Filters = Filters()) -> QuerySet[SnapshotUnit]:
    """The unit rows of a snapshot, filtered by name/code, unit kind and kecamatan (one query)."""
    rows = SnapshotUnit.objects.filter(snapshot=snapshot).select_related("unit", "unit__area")
    if filters.query:
        rows = rows.filter(Q(unit__name__icontains=filters.query) | Q(unit__code__icontains=filters.query))
    if filters.kind:
        rows = rows.filter(unit__kind=filters.kind)
    if filters.kecamatan:
        rows = rows.filter(
            Q(unit__code=filters.kecamatan, unit__kind=UnitKind.KECAMATAN) | Q(unit__area__code=filters.kecamatan)
        )
    return rows.order_by("unit__name", "unit__code")


def kecamatan_choices() -> list[tuple[str, str]]:
    rows = ServiceUnit.objects.filter(kind=UnitKind.KECAMATAN).values_list("code", "name")
    return naming.by_key(rows, lambda row: row[1])


# --------------------------------------------------------------------------------------------
# A unit across published periods
# --------------------------------------------------------------------------------------------

Published = tuple[Period, SnapshotUnit, Snapshot]


@dataclass(frozen=True)
class Cumulative:
    """Responses pooled over several periods of one kind in a year, up to a period."""

    periods: tuple[Period, ...]
    result: indices.IndexResult


def cumulative(rows: Sequence[Published], *, up_to: Period) -> Cumulative | None:
    """Pool the snapshot tallies of the periods of `up_to`'s kind and year that end by it.

    Pooling adds element totals and respondents (it never averages period indices). None when
    only one period would be pooled, or when the periods' rule sets differ.
    """
    chosen = [
        (period, row, snapshot)
        for period, row, snapshot in rows
        if period.kind == up_to.kind and period.start.year == up_to.start.year and period.end <= up_to.end
    ]
    if len(chosen) < 2 or len({(snapshot.rules, snapshot.weight) for _p, _r, snapshot in chosen}) > 1:
        return None
    snapshot = chosen[0][2]
    pooled = pool(snapshot_tally(row) for _period, row, _snapshot in chosen)
    result = pooled.result(rules=snapshot.rules, weight=snapshot.weight)
    return Cumulative(tuple(period for period, _row, _snapshot in chosen), result)


def published_rows_for_unit(unit: ServiceUnit) -> list[Published]:
    """The unit's rows in the latest revision of every published period, oldest first. One query."""
    rows = (
        SnapshotUnit.objects.filter(unit=unit, snapshot__period__state=PeriodState.PUBLISHED)
        .select_related("snapshot", "snapshot__period", "snapshot__period__publication")
        .order_by("snapshot__period__start", "snapshot__period_id", "-snapshot__revision")
    )
    latest: dict[int, Published] = {}
    for row in rows:
        latest.setdefault(row.snapshot.period_id, (row.snapshot.period, row, row.snapshot))
    return list(latest.values())


def trend_points(rows: Iterable[Published], *, selected: Period | None = None) -> list[TrendPoint]:
    return [
        TrendPoint(
            period=period,
            figures=figures(snapshot_tally(row), rules=snapshot.rules, weight=snapshot.weight),
            selected=period == selected,
            slug=period.publication.slug,  # type: ignore[attr-defined,unused-ignore]  # reverse one-to-one from reports
            revision=snapshot.revision,
        )
        for period, row, snapshot in rows
    ]


def public_actions(unit: ServiceUnit) -> QuerySet[FollowUpAction]:
    """The follow-up actions a unit chose to publish, for published periods only."""
    return (
        FollowUpAction.objects.filter(unit=unit, is_public=True, period__state=PeriodState.PUBLISHED)
        .select_related("period")
        .order_by("-period__start", "element_code", "id")
    )
