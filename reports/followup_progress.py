"""Reads about follow-up plans (rencana tindak lanjut): how much of a plan is done, and whether
the elements it targeted improved in the next frozen period (the national evaluation asks both).
Writes are in `reports.services`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from reports import display, indices
from reports.models import FollowUpAction, FollowUpStatus, SnapshotUnit
from reports.snapshots import latest_snapshot, row_result, snapshot_rows
from surveys.models import Period, ServiceUnit

# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    done: int
    total: int

    @property
    def ratio(self) -> Fraction | None:
        return Fraction(self.done, self.total) if self.total else None

    @property
    def percent(self) -> Decimal | None:
        """The share done in percent, rounded to a whole number for display."""
        return display.percent(self.ratio)


def done_share(statuses: Iterable[str]) -> Share:
    """How many of the actions are done."""
    listed = list(statuses)
    return Share(sum(1 for status in listed if status == FollowUpStatus.DONE), len(listed))


@dataclass(frozen=True)
class Improvement:
    """A targeted element's converted value in the plan's period and in the next one."""

    element_code: str
    before: Fraction | None
    after: Fraction | None
    name: str = ""

    @property
    def before_display(self) -> Decimal | None:
        return display.nik(self.before)

    @property
    def after_display(self) -> Decimal | None:
        return display.nik(self.after)

    @property
    def improved(self) -> bool | None:
        """True if the element's value rose, False if not; None when either value is missing."""
        if self.before is None or self.after is None:
            return None
        return self.after > self.before


def improvement(
    element_code: str, before: indices.IndexResult | None, after: indices.IndexResult | None, name: str = ""
) -> Improvement:
    def nik(result: indices.IndexResult | None) -> Fraction | None:
        if result is None:
            return None
        return next((element.nik for element in result.elements if element.code == element_code), None)

    return Improvement(element_code, nik(before), nik(after), name or element_code)


def next_period_with_snapshot(period: Period) -> Period | None:
    """The earliest later period of the same kind that has a snapshot (closed or published)."""
    return (
        Period.objects.filter(kind=period.kind, start__gt=period.end, snapshots__isnull=False)
        .order_by("start")
        .distinct()
        .first()
    )


def unit_improvements(
    unit: ServiceUnit, period: Period, before: indices.IndexResult | None, codes: Iterable[str]
) -> tuple[Period | None, dict[str, Improvement]]:
    """For one unit: each targeted element's value in `period` and in the next closed period."""
    following = next_period_with_snapshot(period)
    after: indices.IndexResult | None = None
    if following is not None:
        row = (
            SnapshotUnit.objects.filter(snapshot__period=following, unit=unit)
            .select_related("snapshot")
            .order_by("-snapshot__revision")
            .first()
        )
        after = row_result(row, row.snapshot) if row is not None else None
    return following, {code: improvement(code, before, after) for code in codes}


@dataclass(frozen=True)
class UnitFollowUp:
    unit: ServiceUnit
    respondents: int
    nik: Decimal | None
    actions: int
    share: Share
    targets: tuple[Improvement, ...]

    @property
    def has_plan(self) -> bool:
        return self.actions > 0


@dataclass(frozen=True)
class FollowUpOverview:
    period: Period
    next_period: Period | None
    units: tuple[UnitFollowUp, ...]
    share: Share
    units_with_plan: int
    units_with_data: int


def followup_overview(period: Period) -> FollowUpOverview | None:
    """Per unit with data: does a plan exist, the share of actions done, and whether each targeted
    element improved in the next period. A fixed number of queries (five) whatever the units."""
    snapshot = latest_snapshot(period)
    if snapshot is None:
        return None
    rows = list(snapshot_rows(snapshot))
    names = display.element_names(snapshot.rules)
    actions = list(FollowUpAction.objects.filter(period=period).values("unit_id", "element_code", "status"))
    following = next_period_with_snapshot(period)
    after_results: dict[int, indices.IndexResult] = {}
    if following is not None:
        next_snapshot = latest_snapshot(following)
        assert next_snapshot is not None
        for row in SnapshotUnit.objects.filter(snapshot=next_snapshot):
            after_results[row.unit_id] = row_result(row, next_snapshot)
    by_unit: dict[int, list[tuple[str, str]]] = {}
    for action in actions:
        by_unit.setdefault(action["unit_id"], []).append((action["element_code"], action["status"]))
    units = []
    for row in rows:
        unit_actions = by_unit.get(row.unit_id, [])
        if row.respondents == 0 and not unit_actions:
            continue
        before = row_result(row, snapshot)
        targets = sorted({code for code, _status in unit_actions})
        units.append(
            UnitFollowUp(
                unit=row.unit,
                respondents=row.respondents,
                nik=display.nik(before.nik),
                actions=len(unit_actions),
                share=done_share(status for _code, status in unit_actions),
                targets=tuple(
                    improvement(code, before, after_results.get(row.unit_id), names.get(code, code)) for code in targets
                ),
            )
        )
    units.sort(key=lambda line: (not line.has_plan, line.unit.name))
    return FollowUpOverview(
        period=period,
        next_period=following,
        units=tuple(units),
        share=done_share(action["status"] for action in actions),
        units_with_plan=sum(1 for unit in units if unit.has_plan),
        units_with_data=sum(1 for unit in units if unit.respondents > 0),
    )
