"""What a report reads, and each unit's pooled tally, breakdowns and population.

A report covers a period choice (`reports.periods`: a period, "s.d." a period, or a year). For
each of its periods it reads the latest revision of the frozen snapshot when the period is closed
or published, and the live responses (through the same owners: `reports.selectors`,
`reports.tallies`, `reports.breakdowns`) when it is still open; a report with any live period is
provisional ("sementara"). Several periods pool their tallies and counts, never their indices
(docs/skm-rules.md §5). A frozen period never falls back to live data: what its snapshot did not
keep stays unavailable (`reports.breakdowns.Breakdowns`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from reports import indices, selectors
from reports.breakdowns import Breakdowns, breakdowns_by_unit, pooled_breakdowns, row_breakdowns
from reports.models import Snapshot, SnapshotUnit
from reports.periods import PeriodChoice
from reports.snapshots import snapshot_tally
from reports.tallies import GroupTally, pool, tally_responses
from surveys.models import Period, PeriodState, ServiceUnit

LIVE_WEIGHT = "exact"


@dataclass(frozen=True)
class Source:
    """Where one period's numbers come from: its latest snapshot, or (None) its live responses."""

    period: Period
    snapshot: Snapshot | None

    @property
    def is_live(self) -> bool:
        return self.snapshot is None


@dataclass(frozen=True)
class Basis:
    choice: PeriodChoice
    sources: tuple[Source, ...]

    @property
    def provisional(self) -> bool:
        """Some period is still open (or was never frozen): the numbers may still change."""
        return any(source.is_live for source in self.sources)

    @property
    def live_periods(self) -> list[Period]:
        return [source.period for source in self.sources if source.is_live]

    @property
    def snapshots(self) -> list[Snapshot]:
        return [source.snapshot for source in self.sources if source.snapshot is not None]


def report_basis(choice: PeriodChoice) -> Basis:
    """The source of each period of `choice` (one query)."""
    latest: dict[int, Snapshot] = {}
    for snapshot in Snapshot.objects.filter(period__in=choice.periods).order_by("period_id", "-revision"):
        latest.setdefault(snapshot.period_id, snapshot)
    sources = tuple(
        Source(period, None if period.state == PeriodState.OPEN else latest.get(period.pk))
        for period in sorted(choice.periods, key=lambda period: (period.start, period.end))
    )
    return Basis(choice, sources)


@dataclass
class UnitRead:
    """One unit over the report's periods: the pooled tally, breakdowns and population N."""

    tally: GroupTally = field(default_factory=GroupTally)
    breakdowns: Breakdowns = field(default_factory=Breakdowns)
    population: int | None = None


@dataclass(frozen=True)
class Reading:
    basis: Basis
    rules: str
    weight: str
    units: dict[int, UnitRead]

    def unit(self, unit_id: int) -> UnitRead:
        return self.units.get(unit_id) or UnitRead()


@dataclass
class _Parts:
    tallies: list[GroupTally] = field(default_factory=list)
    breakdowns: list[Breakdowns] = field(default_factory=list)
    populations: list[int | None] = field(default_factory=list)


def _total_population(values: Sequence[int | None], expected: int) -> int | None:
    """N over several periods: the sum, only when every period has one (never a partial N;
    docs/skm-rules.md §6, as `reports.selectors.populations`)."""
    if len(values) != expected or any(value is None for value in values):
        return None
    return sum(value for value in values if value is not None)


def read(basis: Basis, *, unit_ids: Sequence[int] | None, unit: ServiceUnit | None = None) -> Reading:
    """Each unit's numbers over the basis: one query for the frozen rows, and for live periods the
    same aggregate queries the dashboards and snapshots use. Raises `selectors.MixedRuleSets`
    when the counted responses answered questionnaires of different rule sets (or weights)."""
    parts: dict[int, _Parts] = defaultdict(_Parts)
    rules_in_use: set[str] = set()
    snapshots = {snapshot.pk: snapshot for snapshot in basis.snapshots}
    if snapshots:
        rows = SnapshotUnit.objects.filter(snapshot__in=list(snapshots))
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=unit_ids)
        for row in rows.order_by("snapshot_id", "unit_id"):
            part = parts[row.unit_id]
            part.tallies.append(snapshot_tally(row))
            part.breakdowns.append(row_breakdowns(row))
            part.populations.append(row.population)
            if row.respondents:
                rules_in_use.add(snapshots[row.snapshot_id].rules)
    live_rules = None
    if basis.live_periods:
        responses = selectors.responses_in(unit_ids=unit_ids, periods=basis.live_periods)
        tallies = tally_responses(responses)
        breakdowns = breakdowns_by_unit(responses)
        populations = selectors.populations(periods=basis.live_periods, unit_ids=unit_ids)
        live_rules = selectors.rules_for(responses, unit=unit)
        if any(group.respondents for group in tallies.values()):
            rules_in_use.add(live_rules)
        for unit_id in {*tallies, *breakdowns, *populations}:
            assert isinstance(unit_id, int)
            part = parts[unit_id]
            part.tallies.append(tallies.get(unit_id, GroupTally()))
            part.breakdowns.append(breakdowns.get(unit_id, Breakdowns()))
            part.populations.append(populations.get(unit_id))
    if len(rules_in_use) > 1:
        raise selectors.MixedRuleSets(rules_in_use)
    weights = {snapshot.weight for snapshot in snapshots.values()} | ({LIVE_WEIGHT} if basis.live_periods else set())
    if len(weights) > 1:
        raise selectors.MixedRuleSets({f"{rules} ({weight})" for rules in rules_in_use for weight in weights})
    rules = _rules(rules_in_use, live_rules, basis)
    expected = len(snapshots) + (1 if basis.live_periods else 0)
    units = {}
    for unit_id, part in parts.items():
        tally = pool(part.tallies)
        assert isinstance(tally, GroupTally)
        units[unit_id] = UnitRead(
            tally, pooled_breakdowns(part.breakdowns), _total_population(part.populations, expected)
        )
    return Reading(basis, rules, weights.pop() if weights else LIVE_WEIGHT, units)


def _rules(in_use: set[str], live_rules: str | None, basis: Basis) -> str:
    if in_use:
        return next(iter(in_use))
    if live_rules is not None:
        return live_rules  # no counted response: the questionnaire the unit asks now
    return basis.snapshots[-1].rules if basis.snapshots else indices.DEFAULT_RULES


# --------------------------------------------------------------------------------------------
# History: earlier frozen periods, for the trend
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodTally:
    period: Period
    tally: GroupTally
    rules: str
    weight: str
    revision: int | None
    units: dict[int, GroupTally]


def frozen_history(*, until: datetime.date, unit_ids: Sequence[int] | None) -> list[PeriodTally]:
    """Every closed or published period that ends by `until`, oldest first, with the latest
    revision's tallies of `unit_ids` (each unit's and pooled). Two queries."""
    latest: dict[int, Snapshot] = {}
    snapshots = (
        Snapshot.objects.filter(period__end__lte=until)
        .exclude(period__state=PeriodState.OPEN)
        .select_related("period")
        .order_by("period__start", "period_id", "-revision")
    )
    for snapshot in snapshots:
        latest.setdefault(snapshot.period_id, snapshot)
    rows = SnapshotUnit.objects.filter(snapshot__in=list(latest.values()))
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    by_snapshot: dict[int, dict[int, GroupTally]] = defaultdict(dict)
    for row in rows.order_by("unit_id"):
        by_snapshot[row.snapshot_id][row.unit_id] = snapshot_tally(row)
    history = []
    for snapshot in latest.values():
        units = by_snapshot.get(snapshot.pk, {})
        pooled = pool(units.values())
        assert isinstance(pooled, GroupTally)
        history.append(PeriodTally(snapshot.period, pooled, snapshot.rules, snapshot.weight, snapshot.revision, units))
    return history
