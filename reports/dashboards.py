"""The unit dashboard and the city dashboard, each a fixed number of aggregate queries.

Both ask the shared owners for every decision (`reports.selectors`: the responses, the rule set,
the population; `reports.tallies`: counting and pooling; `reports.display`: rounding) and only
arrange the results for a page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet
from django.utils.translation import gettext

from reports import display, indices, priorities, selectors
from reports.city_table import CITY_SORTS, sort_rows
from reports.display import Figures, TrendPoint, figures
from reports.periods import PeriodChoice
from reports.ranking import PeerRank, peer_ranks
from reports.tallies import (
    AnyTally,
    GroupTally,
    pool,
    tally_counts,
    tally_for_indices,
    tally_responses,
    tally_totals,
)
from surveys import naming
from surveys.models import SERVING_PUBLIC, Education, Occupation, Period, Response, Service, ServiceUnit, Sex

# --------------------------------------------------------------------------------------------
# The unit dashboard
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementRow:
    """One element on the dashboard: NRR, element NIK and grade, and how many gave each score."""

    number: int
    code: str
    name: str
    result: indices.ElementResult
    counts: tuple[int, int, int, int]
    priority: bool

    @property
    def nrr(self) -> Decimal | None:
        return display.nrr(self.result.nrr)

    @property
    def nik(self) -> Decimal | None:
        return display.nik(self.result.nik)


def element_rows(group: GroupTally | None, result: indices.IndexResult, names: Mapping[str, str]) -> list[ElementRow]:
    """Elements in questionnaire order; the priorities are `priorities.lowest_elements` (the three lowest
    NRR and every element tied with the third)."""
    priority_codes = {element.code for element in priorities.lowest_elements(result)}
    distribution = group.distribution if group else {}
    rows = []
    for number, element in enumerate(result.elements, start=1):
        counts = distribution.get(element.code, {})
        rows.append(
            ElementRow(
                number=number,
                code=element.code,
                name=names.get(element.code, element.code),
                result=element,
                counts=(counts.get(1, 0), counts.get(2, 0), counts.get(3, 0), counts.get(4, 0)),
                priority=element.code in priority_codes,
            )
        )
    return rows


@dataclass(frozen=True)
class GroupRow:
    """One row of a breakdown (a service, a sex, an age band...): its label and its figures."""

    key: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class GroupTable:
    dimension: str
    title: str
    rows: list[GroupRow]


@dataclass(frozen=True)
class UnitDashboard:
    unit: ServiceUnit
    choice: PeriodChoice
    rules: indices.RuleSet
    weight: str
    overall: Figures
    population: int | None
    elements: list[ElementRow]
    priorities: list[ElementRow]
    trend: list[TrendPoint]
    services: list[GroupRow]
    groups: list[GroupTable]
    suggestions: list[Response]


GROUP_DIMENSIONS = ("sex", "age_band", "education", "occupation")


def _group_tables(groups: Mapping[Hashable, AnyTally], *, rules: indices.RuleSet, weight: str) -> list[GroupTable]:
    labels: dict[str, tuple[str, list[tuple[str, str]]]] = {
        "sex": (gettext("Jenis kelamin"), [(str(v), str(label)) for v, label in Sex.choices]),
        "age_band": (gettext("Usia"), [(key, key.replace(">=", "≥")) for key, _low, _high in selectors.AGE_BANDS]),
        "education": (gettext("Pendidikan"), [(str(v), str(label)) for v, label in Education.choices]),
        "occupation": (gettext("Pekerjaan"), [(str(v), str(label)) for v, label in Occupation.choices]),
    }
    tables = []
    for position, dimension in enumerate(GROUP_DIMENSIONS):
        title, options = labels[dimension]
        by_value: dict[str, list[AnyTally]] = defaultdict(list)
        for key, group in groups.items():
            assert isinstance(key, tuple)
            by_value[str(key[position] or selectors.NOT_GIVEN)].append(group)
        rows = [
            GroupRow(value, label, figures(pool(by_value[value]), rules=rules.key, weight=weight))
            for value, label in [*options, (selectors.NOT_GIVEN, gettext("Tidak diisi"))]
            if value in by_value
        ]
        tables.append(GroupTable(dimension, title, rows))
    return tables


def _trend(
    responses_up_to: QuerySet[Response], choice: PeriodChoice, up_to: Sequence[Period], *, rules: str, weight: str
) -> list[TrendPoint]:
    """The unit's index in every period up to the chosen one (from its first period with data)."""
    by_period = tally_for_indices(
        responses_up_to,
        elements=indices.get_rules(rules).element_count,
        group_by=("period_id",),
    )
    selected_ids = set(choice.period_ids)
    trend = [
        TrendPoint(period, figures(by_period.get(period.pk), rules=rules, weight=weight), period.pk in selected_ids)
        for period in sorted(up_to, key=lambda period: period.start)
    ]
    while trend and not trend[0].figures.has_index:
        trend.pop(0)
    return trend


def _service_rows(
    by_service: Mapping[Hashable, AnyTally], services: Sequence[Service], *, rules: str, weight: str
) -> list[GroupRow]:
    """The index per service: the unit's services by name, then the unnamed ones."""
    service_names: dict[Hashable, str] = {service.pk: service.name for service in services}
    unnamed = gettext("Lainnya/tidak disebut")
    return sorted(
        (
            GroupRow(str(key or ""), service_names.get(key, unnamed), figures(group, rules=rules, weight=weight))
            for key, group in by_service.items()
        ),
        key=lambda row: (row.key == "" or row.key not in {str(pk) for pk in service_names}, row.label.casefold()),
    )


def unit_dashboard(
    *,
    unit: ServiceUnit,
    choice: PeriodChoice,
    periods: Sequence[Period],
    services: Sequence[Service],
    service_id: int | None = None,
    channel: str | None = None,
    weight: str = "exact",
    language: str = "id",
) -> UnitDashboard:
    """Everything on a unit's dashboard, from a fixed number of aggregate queries.

    Only the element table needs the answers (read from the running tallies); the trend, service
    and respondent-group tables show indices alone and read grand totals of complete responses
    (see `tally_for_indices`). `periods` (all periods, for the trend) and `services` (the unit's)
    were fetched by the caller for its filter form. A choice whose counted responses answered
    questionnaires of different rule sets raises `selectors.MixedRuleSets`.
    """
    in_choice = selectors.responses_in(
        unit_ids=[unit.pk], periods=choice.periods, service_id=service_id, channel=channel
    )
    rules = selectors.rules_for(in_choice, unit=unit)
    info = selectors.instrument_info(unit=unit, language=language, rules=rules)
    overall_group = tally_counts(
        unit_ids=[unit.pk], periods=choice.periods, service_id=service_id, channel=channel, group_by=()
    ).get(None, GroupTally())
    up_to = [period for period in periods if period.start <= choice.last.end]
    responses_up_to = selectors.responses_in(unit_ids=[unit.pk], periods=up_to, service_id=service_id, channel=channel)
    population = selectors.populations(periods=choice.periods, unit_ids=[unit.pk]).get(unit.pk)
    overall = figures(overall_group, rules=rules, weight=weight, population=population)
    elements = element_rows(overall_group, overall.result, info.names)
    k = info.rules.element_count
    by_service = tally_for_indices(in_choice, elements=k, group_by=("service_id",))
    by_profile = tally_for_indices(
        in_choice, elements=k, group_by=GROUP_DIMENSIONS, derived={"age_band": selectors.age_band}
    )
    return UnitDashboard(
        unit=unit,
        choice=choice,
        rules=info.rules,
        weight=weight,
        overall=overall,
        population=population,
        elements=elements,
        priorities=sorted((row for row in elements if row.priority), key=lambda row: row.result.nrr or Fraction(0)),
        trend=_trend(responses_up_to, choice, up_to, rules=rules, weight=weight),
        services=_service_rows(by_service, services, rules=rules, weight=weight),
        groups=_group_tables(by_profile, rules=info.rules, weight=weight),
        suggestions=list(
            in_choice.countable().exclude(suggestion="").select_related("service").order_by("-submitted_at")[:5]
        ),
    )


# --------------------------------------------------------------------------------------------
# The city dashboard
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CityRow:
    unit: ServiceUnit
    figures: Figures
    population: int | None
    peer_rank: PeerRank | None

    @property
    def below_minimum(self) -> bool:
        sample = self.figures.sample
        return sample is not None and not sample.adequate


@dataclass(frozen=True)
class GradeCount:
    grade: str
    label: str
    units: int


@dataclass(frozen=True)
class CityDashboard:
    choice: PeriodChoice
    rules: indices.RuleSet
    weight: str
    rows: list[CityRow]
    pooled: Figures
    pooled_units: int
    mean_nik: Decimal | None
    mean_units: int
    grades: list[GradeCount]
    no_data: list[CityRow]
    below_minimum: list[CityRow]
    peers: dict[str, Figures]
    trend: list[TrendPoint] = field(default_factory=list)  # the pooled index of the shown units per period


def _unit_tallies(selection: QuerySet[Response], *, elements: int) -> Mapping[Hashable, AnyTally]:
    """Each unit's tally: grand totals when every respondent answered every element (the usual
    case: they give each index exactly, without reading answers), else the answers (two more queries)."""
    totals = tally_totals(selection, elements=elements)
    if all(group.complete for group in totals.values()):
        return totals
    return tally_responses(selection)


def city_units(units: QuerySet[ServiceUnit]) -> list[ServiceUnit]:
    """The units a city figure covers: the active ones that serve the public (not the city
    government itself), by name. One query."""
    return naming.by_name(units.filter(SERVING_PUBLIC))


def city_dashboard(
    *,
    units: QuerySet[ServiceUnit],
    choice: PeriodChoice,
    kind: str = "",
    kecamatan_id: int | None = None,
    sort: str = "-nik",
    weight: str = "exact",
    periods: Sequence[Period] = (),
) -> CityDashboard:
    """Every unit with its index for a period choice, plus city figures (a fixed few queries).

    Ranks compare each unit with all units of its kind in `units`; the table, the city figures,
    the grade distribution and the trend (over `periods` up to the choice, one more aggregate
    query) cover the units left after the kind and kecamatan filters.
    """
    all_units = city_units(units)
    selection = selectors.responses_in(unit_ids=units.values_list("pk", flat=True), periods=choice.periods)
    rules = selectors.rules_for(selection)
    tallies = _unit_tallies(selection, elements=indices.get_rules(rules).element_count)
    populations = selectors.populations(periods=choice.periods, unit_ids=units.values_list("pk", flat=True))
    city = city_from_tallies(
        all_units=all_units,
        choice=choice,
        tallies=tallies,
        populations=populations,
        rules=rules,
        weight=weight,
        kind=kind,
        kecamatan_id=kecamatan_id,
        sort=sort,
    )
    if not periods:
        return city
    up_to = [period for period in periods if period.start <= choice.last.end]
    shown = selectors.responses_in(unit_ids=[row.unit.pk for row in city.rows], periods=up_to)
    return replace(city, trend=_trend(shown, choice, up_to, rules=rules, weight=weight))


def city_from_tallies(
    *,
    all_units: Sequence[ServiceUnit],
    choice: PeriodChoice,
    tallies: Mapping[Hashable, AnyTally],
    populations: Mapping[int, int],
    rules: str,
    weight: str = "exact",
    kind: str = "",
    kecamatan_id: int | None = None,
    sort: str = "-nik",
) -> CityDashboard:
    """The city figures from each unit's tally (live, or frozen for the Laporan Hasil SKM): the
    units' figures and peer ranks, the pooled city index, the mean of unit indices, the grade
    distribution, the units without data or below the minimum sample. No query."""
    rule_set = indices.get_rules(rules)
    results = {
        unit.pk: figures(tallies.get(unit.pk), rules=rules, weight=weight, population=populations.get(unit.pk))
        for unit in all_units
    }
    ranks: dict[Hashable, PeerRank] = {}
    peers: dict[str, Figures] = {}
    for peer_kind in {unit.kind for unit in all_units}:
        members = [unit.pk for unit in all_units if unit.kind == peer_kind]
        ranks.update(peer_ranks({unit_id: results[unit_id].result for unit_id in members}))
        peers[peer_kind] = figures(
            pool(tallies[unit_id] for unit_id in members if unit_id in tallies), rules=rules, weight=weight
        )
    shown = [
        unit
        for unit in all_units
        if (not kind or unit.kind == kind) and (kecamatan_id is None or unit.kecamatan_id == kecamatan_id)
    ]
    rows = [CityRow(unit, results[unit.pk], populations.get(unit.pk), ranks.get(unit.pk)) for unit in shown]
    mean = indices.mean_of_indices([row.figures.result for row in rows])
    return CityDashboard(
        choice=choice,
        rules=rule_set,
        weight=weight,
        rows=sort_rows(rows, sort if sort in CITY_SORTS else "-nik"),
        pooled=figures(
            pool(tallies[row.unit.pk] for row in rows if row.unit.pk in tallies), rules=rules, weight=weight
        ),
        pooled_units=sum(1 for row in rows if row.figures.respondents > 0),
        mean_nik=display.nik(mean.nik),
        mean_units=mean.units_covered,
        grades=[
            GradeCount(band.grade, band.label, sum(1 for row in rows if row.figures.grade == band.grade))
            for band in rule_set.bands
        ],
        no_data=[row for row in rows if row.figures.respondents == 0],
        below_minimum=[row for row in rows if row.below_minimum],
        peers=peers,
    )
