"""The city summary on the public site, from published periods' frozen snapshots only.

The figures are the city dashboard's (`reports.dashboards.city_from_tallies`), fed with each
unit's frozen tally from one snapshot: the index of all respondents pooled, the grade
distribution, each unit kind's pooled index with its interval (ranked), each unit's rank among
its kind with the range its interval allows. The trend pools, for every published period, the
latest revision of its snapshot. Nothing here reads responses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from reports.dashboards import CityDashboard, CityRow, city_from_tallies
from reports.display import Figures, TrendPoint, figures
from reports.models import Snapshot, SnapshotUnit
from reports.periods import PeriodChoice
from reports.snapshots import snapshot_tally
from reports.tallies import AnyTally, GroupTally, pool
from surveys.models import Period, PeriodState, UnitKind


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
    Two queries (published periods are few)."""
    snapshots: dict[int, Snapshot] = {}
    for snapshot in (
        Snapshot.objects.filter(period__state=PeriodState.PUBLISHED)
        .select_related("period", "period__publication")
        .order_by("period__start", "period_id", "-revision")
    ):
        if all(kept.period_id != snapshot.period_id for kept in snapshots.values()):
            snapshots[snapshot.pk] = snapshot
    by_snapshot: dict[int, list[GroupTally]] = defaultdict(list)
    rows = (
        SnapshotUnit.objects.filter(snapshot_id__in=snapshots, respondents__gt=0)
        .exclude(unit__kind=UnitKind.PEMKOT)
        .only("snapshot_id", "respondents", "sum_means", "sum_sq_means", "elements")
    )
    for row in rows:
        by_snapshot[row.snapshot_id].append(snapshot_tally(row))
    return [
        TrendPoint(
            period=snapshot.period,
            figures=figures(pool(by_snapshot.get(pk, [])), rules=snapshot.rules, weight=snapshot.weight),
            selected=snapshot.period == selected,
            slug=snapshot.period.publication.slug,  # type: ignore[attr-defined,unused-ignore]  # reverse one-to-one
            revision=snapshot.revision,
        )
        for pk, snapshot in snapshots.items()
    ]
