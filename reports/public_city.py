"""The city summary on the public site, from published periods' frozen snapshots only.

The figures are the city dashboard's (`reports.dashboards.city_from_tallies`), fed with each
unit's frozen tally from one snapshot: the index of all respondents pooled, the grade
distribution, each unit kind's pooled index with its interval (ranked), each unit's rank among
its kind with the range its interval allows. The trend pools, for every published period, the
latest revision of its snapshot. Nothing here reads responses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from django.core.cache import cache

from reports.dashboards import CityDashboard, CityRow, city_from_tallies
from reports.display import Figures, TrendPoint, figures
from reports.models import Snapshot, SnapshotUnit
from reports.periods import PeriodChoice
from reports.snapshots import snapshot_tally
from reports.tallies import AnyTally, GroupTally, pool
from surveys.models import Period, PeriodState, UnitKind

#: How long a snapshot's pooled city tally stays cached (it never changes; this only bounds memory).
POOL_CACHE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class KindLine:
    """One unit kind: its pooled figures and how many of its units have data."""

    kind: str
    label: str
    figures: Figures
    units: int
    units_with_data: int


@dataclass(frozen=True)
class CitySummary:
    city: CityDashboard
    kinds: list[KindLine]  # by pooled Nilai IKM, highest first; kinds without an index last
    ranks: dict[int, CityRow]  # unit id → its row (figures, peer rank)

    @property
    def below_minimum(self) -> int:
        return len(self.city.below_minimum)


def city_summary(snapshot: Snapshot, rows: Sequence[SnapshotUnit], *, period: Period) -> CitySummary:
    """The city figures of one snapshot of `period` from its unit rows (fetched by the caller). No query."""
    members = [row for row in rows if row.unit.kind != UnitKind.PEMKOT]
    tallies: dict[Hashable, AnyTally] = {row.unit_id: snapshot_tally(row) for row in members if row.respondents}
    city = city_from_tallies(
        all_units=sorted((row.unit for row in members), key=lambda unit: unit.name.casefold()),
        choice=PeriodChoice(f"p-{period.pk}", period.name, "period", (period,)),
        tallies=tallies,
        populations={row.unit_id: row.population for row in members if row.population is not None},
        rules=snapshot.rules,
        weight=snapshot.weight,
        sort="nama",
    )
    labels = dict(UnitKind.choices)
    kinds = [
        KindLine(
            kind=kind,
            label=str(labels.get(kind, kind)),
            figures=kind_figures,
            units=sum(1 for row in city.rows if row.unit.kind == kind),
            units_with_data=sum(1 for row in city.rows if row.unit.kind == kind and row.figures.respondents),
        )
        for kind, kind_figures in city.peers.items()
    ]
    kinds.sort(key=lambda line: (line.figures.result.nik is None, -(line.figures.result.nik or 0), line.label))
    return CitySummary(city=city, kinds=kinds, ranks={row.unit.pk: row for row in city.rows})


def city_trend(*, selected: Period | None = None) -> list[TrendPoint]:
    """The pooled city index in every published period (latest revision), oldest first.
    One query, and one more for the snapshots whose pooled tally is not cached yet."""
    snapshots: dict[int, Snapshot] = {}
    for snapshot in (
        Snapshot.objects.filter(period__state=PeriodState.PUBLISHED)
        .select_related("period", "period__publication")
        .order_by("period__start", "period_id", "-revision")
    ):
        if all(kept.period_id != snapshot.period_id for kept in snapshots.values()):
            snapshots[snapshot.pk] = snapshot
    pooled = _city_pools(snapshots)
    return [
        TrendPoint(
            period=snapshot.period,
            figures=figures(pooled[pk], rules=snapshot.rules, weight=snapshot.weight),
            selected=snapshot.period == selected,
            slug=snapshot.period.publication.slug,  # type: ignore[attr-defined,unused-ignore]  # reverse one-to-one
            revision=snapshot.revision,
        )
        for pk, snapshot in snapshots.items()
    ]


def _city_pools(snapshots: Mapping[int, Snapshot]) -> dict[int, AnyTally]:
    """Each snapshot's units pooled into one city tally. A snapshot never changes once taken (a
    recompute makes a new one), so its pool is kept in the shared cache, keyed by the snapshot and
    the moment it was taken; only the snapshots not seen before are read and pooled."""
    keys = {pk: f"skm:city-pool:{pk}:{snapshot.created_at.timestamp()}" for pk, snapshot in snapshots.items()}
    found = cache.get_many(list(keys.values()))
    pooled: dict[int, AnyTally] = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in snapshots if pk not in pooled]
    if missing:
        by_snapshot: dict[int, list[GroupTally]] = defaultdict(list)
        rows = (
            SnapshotUnit.objects.filter(snapshot_id__in=missing, respondents__gt=0)
            .exclude(unit__kind=UnitKind.PEMKOT)
            .only("snapshot_id", "respondents", "sum_means", "sum_sq_means", "elements")
        )
        for row in rows:
            by_snapshot[row.snapshot_id].append(snapshot_tally(row))
        fresh = {pk: pool(by_snapshot.get(pk, [])) for pk in missing}
        cache.set_many({keys[pk]: tally for pk, tally in fresh.items()}, timeout=POOL_CACHE_SECONDS)
        pooled |= fresh
    return pooled
