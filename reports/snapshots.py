"""Reads over frozen results: published periods, unit results, trends, follow-up progress.

Every number shown from a snapshot is recomputed by `reports.indices` from the exact tallies the
snapshot stores, so the snapshot row, not the live responses, is the single source. Each public
page costs a fixed handful of queries whatever the number of units.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import translation

from reports import indices
from reports.models import FollowUpAction, FollowUpStatus, PeriodPublication, Snapshot, SnapshotUnit
from surveys.instrument_data import PERMENPAN_14_2017
from surveys.models import Period, ServiceUnit, UnitKind

# --------------------------------------------------------------------------------------------
# Snapshot rows to index results (pure)
# --------------------------------------------------------------------------------------------


def survey_tally(row: SnapshotUnit) -> indices.SurveyTally:
    """The exact inputs of the index that a snapshot row keeps."""
    tallies = tuple(
        indices.ElementTally(code, int(values["answers"]), int(values["total"]))
        for code, values in row.elements.items()
    )
    spread = indices.RespondentSpread(row.respondents, Fraction(row.sum_means), Fraction(row.sum_sq_means))
    return indices.SurveyTally(tallies, row.respondents, spread)


def recompute(tally: indices.SurveyTally, *, rules: str, weight: str, population: int | None) -> indices.IndexResult:
    known = set(indices.get_rules(rules).codes)
    return indices.compute_index(
        [element for element in tally.tallies if element.code in known],
        respondents=tally.respondents,
        rules=rules,
        weight=weight,
        spread=tally.spread,
        population=population,
    )


def row_result(row: SnapshotUnit, snapshot: Snapshot) -> indices.IndexResult:
    """A snapshot row's index, recomputed exactly from what the row stores."""
    return recompute(survey_tally(row), rules=snapshot.rules, weight=snapshot.weight, population=row.population)


def element_names(rules: str) -> dict[str, str]:
    """Element names of a rule set in the current language (English from the official
    questionnaire's translations where it has the element; Indonesian otherwise)."""
    names = {element.code: element.name for element in indices.get_rules(rules).elements}
    if translation.get_language() == "en":
        names.update({text["code"]: text["name_en"] for text in PERMENPAN_14_2017 if text["code"] in names})
    return names


# --------------------------------------------------------------------------------------------
# Snapshots and publications
# --------------------------------------------------------------------------------------------


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
        PeriodPublication.objects.filter(period__state="published")
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
    return list(ServiceUnit.objects.filter(kind=UnitKind.KECAMATAN).order_by("name").values_list("code", "name"))


# --------------------------------------------------------------------------------------------
# A unit across published periods
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    slug: str
    revision: int
    result: indices.IndexResult


@dataclass(frozen=True)
class Cumulative:
    """Responses pooled over several periods of one kind in a year, up to a period."""

    periods: tuple[Period, ...]
    result: indices.IndexResult


def cumulative(rows: Sequence[tuple[Period, SnapshotUnit, Snapshot]], *, up_to: Period) -> Cumulative | None:
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
    pooled = indices.pool_surveys(survey_tally(row) for _period, row, _snapshot in chosen)
    snapshot = chosen[0][2]
    result = recompute(pooled, rules=snapshot.rules, weight=snapshot.weight, population=None)
    return Cumulative(tuple(period for period, _row, _snapshot in chosen), result)


def published_rows_for_unit(unit: ServiceUnit) -> list[tuple[Period, SnapshotUnit, Snapshot]]:
    """The unit's rows in the latest revision of every published period, oldest first. One query."""
    rows = (
        SnapshotUnit.objects.filter(unit=unit, snapshot__period__state="published")
        .select_related("snapshot", "snapshot__period", "snapshot__period__publication")
        .order_by("snapshot__period__start", "snapshot__period_id", "-snapshot__revision")
    )
    latest: dict[int, tuple[Period, SnapshotUnit, Snapshot]] = {}
    for row in rows:
        latest.setdefault(row.snapshot.period_id, (row.snapshot.period, row, row.snapshot))
    return list(latest.values())


def trend_points(rows: Iterable[tuple[Period, SnapshotUnit, Snapshot]]) -> list[TrendPoint]:
    return [
        TrendPoint(
            period,
            period.publication.slug,  # type: ignore[attr-defined,unused-ignore]  # reverse one-to-one from reports
            snapshot.revision,
            row_result(row, snapshot),
        )
        for period, row, snapshot in rows
    ]


def public_actions(unit: ServiceUnit) -> QuerySet[FollowUpAction]:
    """The follow-up actions a unit chose to publish, for published periods only."""
    return (
        FollowUpAction.objects.filter(unit=unit, is_public=True, period__state="published")
        .select_related("period")
        .order_by("-period__start", "element_code", "id")
    )


# --------------------------------------------------------------------------------------------
# Follow-up progress (the national evaluation indicator) and "did it improve"
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
        ratio = self.ratio
        return None if ratio is None else indices.round_half_up(ratio * 100, 0)


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
        return indices.round_nik(self.before) if self.before is not None else None

    @property
    def after_display(self) -> Decimal | None:
        return indices.round_nik(self.after) if self.after is not None else None

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
    names = element_names(snapshot.rules)
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
                nik=indices.round_nik(before.nik) if before.nik is not None else None,
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


# --------------------------------------------------------------------------------------------
# Display lines (rounded once, here, for the templates)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementLine:
    code: str
    name: str
    nrr: Decimal | None
    nik: Decimal | None
    grade: str
    label: str


def element_lines(result: indices.IndexResult) -> list[ElementLine]:
    names = element_names(result.rules)
    return [
        ElementLine(
            code=element.code,
            name=names.get(element.code, element.code),
            nrr=indices.round_nrr(element.nrr) if element.nrr is not None else None,
            nik=indices.round_nik(element.nik) if element.nik is not None else None,
            grade=element.grade or "",
            label=element.label or "",
        )
        for element in result.elements
    ]


@dataclass(frozen=True)
class ResultLine:
    """A result rounded for display: the index, the NIK, its band and the respondents."""

    respondents: int
    index: Decimal | None
    nik: Decimal | None
    grade: str
    label: str


def result_line(result: indices.IndexResult) -> ResultLine:
    return ResultLine(
        respondents=result.respondents,
        index=indices.round_index(result.index) if result.index is not None else None,
        nik=indices.round_nik(result.nik) if result.nik is not None else None,
        grade=result.grade or "",
        label=result.label or "",
    )


def labelled_counts(counts: dict[str, int], choices: Sequence[tuple[str, Any]]) -> list[tuple[str, int]]:
    """Breakdown counts in the order and with the labels of the choices; unknown values last."""
    labels = dict(choices)
    lines = [(str(label), counts[value]) for value, label in choices if counts.get(value)]
    lines += [
        (str(labels.get(value, value)), count) for value, count in counts.items() if value not in labels and count
    ]
    return lines


# --------------------------------------------------------------------------------------------
# Trend chart geometry (an inline SVG drawn by the template)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartPoint:
    x: int
    y: int
    label: str
    value: Decimal


@dataclass(frozen=True)
class ChartLine:
    y: int
    value: Decimal
    grade: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    points: tuple[ChartPoint, ...]
    bands: tuple[ChartLine, ...]

    @property
    def first_label(self) -> str:
        return self.points[0].label

    @property
    def last_label(self) -> str:
        return self.points[-1].label

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x},{point.y}" for point in self.points)


def trend_chart(points: Sequence[TrendPoint], *, width: int = 320, height: int = 160) -> TrendChart | None:
    """Positions for a line chart of the NIK across periods, with the band thresholds drawn.

    The vertical axis runs from a round number at least 5 below the lowest value (never below
    25) up to 100; periods without an index are skipped. None with fewer than two points.
    """
    valued = [
        (point.period.name, indices.round_nik(point.result.nik)) for point in points if point.result.nik is not None
    ]
    if len(valued) < 2:
        return None
    left, right, top, bottom = 84, 20, 18, 16
    high = Decimal(100)
    low = max(Decimal(25), ((min(value for _name, value in valued) - 5) // 5) * 5)

    def y_of(value: Decimal) -> int:
        return round(top + (high - value) / (high - low) * (height - top - bottom))

    step = Decimal(width - left - right) / (len(valued) - 1)
    chart_points = tuple(
        ChartPoint(x=round(left + step * number), y=y_of(value), label=name, value=value)
        for number, (name, value) in enumerate(valued)
    )
    rules = indices.get_rules(points[-1].result.rules)
    bands = tuple(
        ChartLine(y=y_of(indices.round_nik(band.min_nik)), value=indices.round_nik(band.min_nik), grade=band.grade)
        for band in rules.bands[:-1]
        if band.min_nik >= low
    )
    return TrendChart(width=width, height=height, points=chart_points, bands=bands)
