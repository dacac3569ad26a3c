"""Reads for reports: responses folded into tallies by two aggregate queries, then into indices.

Query 1 (responses) gives, per group and per number of answered elements, the respondent
count, the sum of their score sums and of their squares: enough for n and, exactly, the spread
of respondents' mean scores (the confidence interval). Query 2 (answers) gives, per group and
element, the number of answers, their total and how many gave each score 1..4.
Nothing here loops over units or responses; the folding is plain Python over a few rows each.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext

from reports import indices
from reports.periods import PeriodChoice
from surveys.models import (
    Answer,
    AnswerTally,
    Education,
    Element,
    InstrumentState,
    Occupation,
    Period,
    RespondentTally,
    Response,
    ResponseQuerySet,
    Service,
    ServiceUnit,
    Sex,
    UnitKind,
    UnitPopulation,
)

SCORES = (1, 2, 3, 4)


@dataclass(kw_only=True)
class RespondentMoments:
    """How many respondents a group has and the sums of their mean scores and squared means
    (the spread behind the confidence interval), folded from rows grouped by answered count."""

    respondents: int = 0
    sum_means: Fraction = Fraction(0)
    sum_sq_means: Fraction = Fraction(0)

    @property
    def spread(self) -> indices.RespondentSpread:
        return indices.RespondentSpread(n=self.respondents, sum_means=self.sum_means, sum_sq_means=self.sum_sq_means)

    def add_respondents(self, *, answered: int, count: int, score_sum: int, score_sum_sq: int) -> None:
        """Add `count` respondents who each answered `answered` elements (their score sums and
        the sum of the squares of their score sums); each one's mean score is score_sum/answered."""
        self.respondents += count
        self.sum_means += Fraction(score_sum, answered)
        self.sum_sq_means += Fraction(score_sum_sq, answered * answered)

    def add_moments(self, other: RespondentMoments) -> None:
        self.respondents += other.respondents
        self.sum_means += other.sum_means
        self.sum_sq_means += other.sum_sq_means


@dataclass(kw_only=True)
class GroupTally(RespondentMoments):
    """Everything the index engine needs about one group of responses."""

    elements: dict[str, indices.ElementTally] = field(default_factory=dict)
    distribution: dict[str, dict[int, int]] = field(default_factory=dict)

    def result(
        self,
        *,
        rules: str = indices.DEFAULT_RULES,
        weight: str = "exact",
        population: int | None = None,
    ) -> indices.IndexResult:
        known = {element.code for element in indices.get_rules(rules).elements}
        return indices.compute_index(
            [tally for code, tally in self.elements.items() if code in known],
            respondents=self.respondents,
            rules=rules,
            weight=weight,
            spread=self.spread,
            population=population,
        )


def _key(row: Mapping[str, object], group_by: Sequence[str]) -> Hashable:
    if len(group_by) == 1:
        return row[group_by[0]]
    return tuple(row[name] for name in group_by)


def tally_responses(
    responses: QuerySet[Response],
    *,
    group_by: Sequence[str] = ("unit_id",),
    derived: Mapping[str, Callable[[str], Any]] | None = None,
) -> dict[Hashable, GroupTally]:
    """Fold countable responses into one `GroupTally` per group (two aggregate queries).

    `group_by` names Response fields (e.g. `unit_id`, `period_id`, `service_id`, `sex`);
    an empty sequence gives one group under the key `None`. `derived` maps a group_by name
    that is not a field to a function building its expression from a field prefix ("" on
    responses, "response__" on answers), e.g. `{"age_band": age_band}`.
    """
    derived = derived or {}
    countable = responses.filter(is_test=False, spam_reason="", answered__gt=0)
    groups: dict[Hashable, GroupTally] = defaultdict(GroupTally)
    fields = list(group_by)
    respondent_rows = (
        countable.order_by()
        .annotate(**{name: make("") for name, make in derived.items()})
        .values(*fields, "answered")
        .annotate(n=Count("id"), s=Sum("score_sum"), s2=Sum(F("score_sum") * F("score_sum")))
    )
    for row in respondent_rows:
        group = groups[_key(row, fields) if fields else None]
        group.add_respondents(answered=row["answered"], count=row["n"], score_sum=row["s"], score_sum_sq=row["s2"])
    answer_fields = [name if name in derived else f"response__{name}" for name in fields]
    answer_rows = (
        Answer.objects.filter(response__in=countable)
        .order_by()
        .annotate(**{name: make("response__") for name, make in derived.items()})
        .values(*answer_fields, "element__code")
        .annotate(
            answers=Count("id"),
            total=Sum("score"),
            **{f"c{score}": Count("id", filter=Q(score=score)) for score in SCORES},
        )
    )
    for row in answer_rows:
        key = _key(dict(zip(fields, (row[name] for name in answer_fields), strict=True)), fields) if fields else None
        group = groups[key]
        code = row["element__code"]
        group.elements[code] = indices.ElementTally(code=code, answers=row["answers"], total=row["total"])
        group.distribution[code] = {score: row[f"c{score}"] for score in SCORES}
    return dict(groups)


def responses_in(
    *,
    unit_ids: Iterable[int] | QuerySet[ServiceUnit, int] | None = None,
    periods: Iterable[Period] | QuerySet[Period] | None = None,
    service_id: int | None = None,
    channel: str | None = None,
) -> ResponseQuerySet:
    """The responses a report covers: filters only, no side effects."""
    responses = Response.objects.all()
    if unit_ids is not None:
        responses = responses.filter(unit_id__in=unit_ids)
    if periods is not None:
        responses = responses.filter(period__in=periods)
    if service_id is not None:
        responses = responses.filter(service_id=service_id)
    if channel:
        responses = responses.filter(channel=channel)
    return responses


def pooled(groups: Iterable[GroupTally]) -> GroupTally:
    """Pool several groups' totals into one (never an average of their indices)."""
    total = GroupTally()
    for group in groups:
        total.add_moments(group)
        for code, tally in group.elements.items():
            previous = total.elements.get(code)
            total.elements[code] = (
                tally
                if previous is None
                else indices.ElementTally(code, previous.answers + tally.answers, previous.total + tally.total)
            )
            counts = total.distribution.setdefault(code, dict.fromkeys(SCORES, 0))
            for score, count in group.distribution.get(code, {}).items():
                counts[score] += count
    return total


def _tally_key(row: Mapping[str, object], columns: Sequence[str]) -> Hashable:
    """The group key as tally_responses gives it (no service is None there, 0 in the tallies)."""
    values = {name: (None if name == "service_ref" and row[name] == 0 else row[name]) for name in columns}
    return _key(values, columns) if columns else None


TALLY_DIMENSIONS = {"unit_id": "unit_id", "period_id": "period_id", "service_id": "service_ref", "channel": "channel"}


def tally_counts(
    *,
    unit_ids: Iterable[int] | QuerySet[ServiceUnit, int] | None = None,
    periods: Iterable[Period] | QuerySet[Period] | None = None,
    service_id: int | None = None,
    channel: str | None = None,
    group_by: Sequence[str] = ("unit_id",),
) -> dict[Hashable, GroupTally]:
    """The same as `tally_responses(responses_in(...), group_by=...)`, read from the running
    tallies: two aggregate queries over a few rows per unit and period, whatever the number of
    responses. `group_by` may use unit_id, period_id, service_id and channel.
    """
    unknown = set(group_by) - set(TALLY_DIMENSIONS)
    if unknown:
        raise ValueError(f"tallies are not kept by {sorted(unknown)}; use tally_responses")
    filters = Q()
    if unit_ids is not None:
        filters &= Q(unit_id__in=unit_ids)
    if periods is not None:
        filters &= Q(period__in=periods)
    if service_id is not None:
        filters &= Q(service_ref=service_id)
    if channel:
        filters &= Q(channel=channel)
    columns = [TALLY_DIMENSIONS[name] for name in group_by]
    groups: dict[Hashable, GroupTally] = defaultdict(GroupTally)
    respondent_rows = (
        RespondentTally.objects.filter(filters)
        .order_by()
        .values(*columns, "answered")
        .annotate(n=Sum("respondents"), s=Sum("score_sum"), s2=Sum("score_sum_sq"))
    )
    for row in respondent_rows:
        if not row["n"]:
            continue
        group = groups[_tally_key(row, columns)]
        group.add_respondents(answered=row["answered"], count=row["n"], score_sum=row["s"], score_sum_sq=row["s2"])
    answer_rows = (
        AnswerTally.objects.filter(filters)
        .order_by()
        .values(*columns, "element_code")
        .annotate(answers=Sum("answers"), total=Sum("total"), **{f"c{s}": Sum(f"c{s}") for s in SCORES})
    )
    for row in answer_rows:
        if not row["answers"]:
            continue
        group = groups[_tally_key(row, columns)]
        code = row["element_code"]
        group.elements[code] = indices.ElementTally(code=code, answers=row["answers"], total=row["total"])
        group.distribution[code] = {score: row[f"c{score}"] for score in SCORES}
    return {key: group for key, group in groups.items() if group.respondents}


@dataclass(kw_only=True)
class TotalTally(RespondentMoments):
    """One group's respondents and grand total of scores: enough for the index when every
    respondent answered every element (`complete`), with one query over responses only."""

    elements: int
    total: int = 0
    complete: bool = True

    def result(
        self, *, rules: str = indices.DEFAULT_RULES, weight: str = "exact", population: int | None = None
    ) -> indices.IndexResult:
        if not self.complete:
            raise ValueError("some respondents skipped an element: tally their answers instead")
        return indices.compute_index_from_total(
            self.total,
            respondents=self.respondents,
            rules=rules,
            weight=weight,
            spread=self.spread,
            population=population,
        )


def tally_totals(
    responses: QuerySet[Response],
    *,
    elements: int,
    group_by: Sequence[str] = ("unit_id",),
    derived: Mapping[str, Any] | None = None,
) -> dict[Hashable, TotalTally]:
    """Fold countable responses into one `TotalTally` per group (one aggregate query, no answers).

    `derived` maps a group_by name that is not a field to its expression, e.g. `{"age_band": age_band()}`.
    """
    countable = responses.filter(is_test=False, spam_reason="", answered__gt=0)
    groups: dict[Hashable, TotalTally] = {}
    fields = list(group_by)
    rows = (
        countable.order_by()
        .annotate(**(derived or {}))
        .values(*fields, "answered")
        .annotate(n=Count("*"), s=Sum("score_sum"), s2=Sum(F("score_sum") * F("score_sum")))  # index-only
    )
    for row in rows:
        key = _key(row, fields) if fields else None
        group = groups.setdefault(key, TotalTally(elements=elements))
        group.add_respondents(answered=row["answered"], count=row["n"], score_sum=row["s"], score_sum_sq=row["s2"])
        group.total += row["s"]
        group.complete = group.complete and row["answered"] == elements
    return groups


def pooled_totals(groups: Iterable[TotalTally], *, elements: int) -> TotalTally:
    total = TotalTally(elements=elements)
    for group in groups:
        total.add_moments(group)
        total.total += group.total
        total.complete = total.complete and group.complete
    return total


AnyTally = GroupTally | TotalTally


def tally_for_indices(
    responses: QuerySet[Response],
    *,
    elements: int,
    group_by: Sequence[str],
    derived: Mapping[str, Callable[[str], Any]] | None = None,
) -> Mapping[Hashable, AnyTally]:
    """Tallies for tables that show each group's index but not its elements.

    One query over responses when every respondent answered every element (the grand total then
    gives each index exactly); otherwise the answers are tallied too (two more queries).
    `derived` is as for `tally_responses` (expression factories taking a field prefix).
    """
    derived = derived or {}
    expressions = {name: make("") for name, make in derived.items()}
    totals = tally_totals(responses, elements=elements, group_by=group_by, derived=expressions)
    if all(group.complete for group in totals.values()):
        return totals
    return tally_responses(responses, group_by=group_by, derived=derived)


def pool_any(groups: Iterable[AnyTally], *, elements: int) -> AnyTally:
    """Pool tallies of one kind (all totals, or all answer tallies)."""
    materialised = list(groups)
    if all(isinstance(group, TotalTally) for group in materialised):
        return pooled_totals((group for group in materialised if isinstance(group, TotalTally)), elements=elements)
    return pooled(group for group in materialised if isinstance(group, GroupTally))


# --------------------------------------------------------------------------------------------
# Dashboards: the unit dashboard and the city table, each a fixed number of aggregate queries.
# --------------------------------------------------------------------------------------------

NOT_GIVEN = ""
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("<20", None, 20),
    ("20-29", 20, 30),
    ("30-39", 30, 40),
    ("40-49", 40, 50),
    ("50-59", 50, 60),
    (">=60", 60, None),
)


def age_band(prefix: str) -> Case:
    """The respondent's age band as one SQL CASE (so grouping by it stays one aggregate query)."""
    field_name = f"{prefix}age"
    whens = [When(Q(**{f"{field_name}__isnull": True}), then=Value(NOT_GIVEN))]
    for key, low, high in AGE_BANDS:
        condition = Q()
        if low is not None:
            condition &= Q(**{f"{field_name}__gte": low})
        if high is not None:
            condition &= Q(**{f"{field_name}__lt": high})
        whens.append(When(condition, then=Value(key)))
    return Case(*whens, default=Value(NOT_GIVEN), output_field=CharField())


@dataclass(frozen=True)
class Figures:
    """An engine result with its display values (rounded once, half-up, by the engine's helpers)."""

    result: indices.IndexResult

    @cached_property
    def respondents(self) -> int:
        return self.result.respondents

    @cached_property
    def has_index(self) -> bool:
        return self.result.nik is not None

    @cached_property
    def nik(self) -> Decimal | None:
        return indices.round_nik(self.result.nik) if self.result.nik is not None else None

    @cached_property
    def index(self) -> Decimal | None:
        return indices.round_index(self.result.index) if self.result.index is not None else None

    @cached_property
    def grade(self) -> str | None:
        return self.result.grade

    @cached_property
    def label(self) -> str | None:
        return self.result.label

    @cached_property
    def ci_low(self) -> Decimal | None:
        return indices.round_nik(self.result.ci.low) if self.result.ci else None

    @cached_property
    def ci_high(self) -> Decimal | None:
        return indices.round_nik(self.result.ci.high) if self.result.ci else None

    @cached_property
    def sample(self) -> indices.SampleAdequacy | None:
        return self.result.sample


def figures(
    group: GroupTally | TotalTally | None, *, rules: str, weight: str, population: int | None = None
) -> Figures:
    return Figures((group or GroupTally()).result(rules=rules, weight=weight, population=population))


@dataclass(frozen=True)
class InstrumentInfo:
    """The rule set and the element names a report prints (from the published instrument)."""

    rules: indices.RuleSet
    names: dict[str, str]


def instrument_info(*, unit: ServiceUnit | None, language: str) -> InstrumentInfo:
    """The unit's own published instrument if it has one, else the city-wide one (one query)."""
    elements = list(
        Element.objects.filter(instrument__state=InstrumentState.PUBLISHED)
        .filter(Q(instrument__unit__isnull=True) | Q(instrument__unit=unit))
        .select_related("instrument")
        .order_by("instrument__unit_id", "order")
    )
    own = [element for element in elements if unit is not None and element.instrument.unit_id == unit.pk]
    chosen = own or [element for element in elements if element.instrument.unit_id is None]
    rules_key = chosen[0].instrument.rules if chosen else indices.DEFAULT_RULES
    rule_set = indices.get_rules(rules_key if rules_key in indices.RULE_SETS else indices.DEFAULT_RULES)
    names = {element.code: element.name(language) for element in chosen}
    for element in rule_set.elements:
        names.setdefault(element.code, element.name)
    return InstrumentInfo(rule_set, names)


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
        return indices.round_nrr(self.result.nrr) if self.result.nrr is not None else None

    @property
    def nik(self) -> Decimal | None:
        return indices.round_nik(self.result.nik) if self.result.nik is not None else None


def element_rows(group: GroupTally | None, result: indices.IndexResult, names: Mapping[str, str]) -> list[ElementRow]:
    """Elements in questionnaire order; the three lowest NRR (ties: questionnaire order) are priorities."""
    priority_codes = {element.code for element in indices.lowest_elements(result)}
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
class TrendPoint:
    period: Period
    figures: Figures
    selected: bool


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
        "age_band": (gettext("Usia"), [(key, key.replace(">=", "≥")) for key, _low, _high in AGE_BANDS]),
        "education": (gettext("Pendidikan"), [(str(v), str(label)) for v, label in Education.choices]),
        "occupation": (gettext("Pekerjaan"), [(str(v), str(label)) for v, label in Occupation.choices]),
    }
    tables = []
    for position, dimension in enumerate(GROUP_DIMENSIONS):
        title, options = labels[dimension]
        by_value: dict[str, list[AnyTally]] = defaultdict(list)
        for key, group in groups.items():
            assert isinstance(key, tuple)
            by_value[str(key[position] or NOT_GIVEN)].append(group)
        rows = [
            GroupRow(
                value,
                label,
                figures(pool_any(by_value[value], elements=rules.element_count), rules=rules.key, weight=weight),
            )
            for value, label in [*options, (NOT_GIVEN, gettext("Tidak diisi"))]
            if value in by_value
        ]
        tables.append(GroupTable(dimension, title, rows))
    return tables


def population_for(*, unit: ServiceUnit, periods: Sequence[Period]) -> int | None:
    """The population N for a choice: the sum over its periods, or None unless every period has one."""
    found = UnitPopulation.objects.filter(unit=unit, period__in=periods).aggregate(
        total=Sum("population"), entered=Count("id")
    )
    if not periods or found["entered"] != len(periods):
        return None
    return int(found["total"])


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
    """Everything on a unit's dashboard, from a fixed number of aggregate queries (at most twelve).

    Only the element table needs the answers; the trend, service and respondent-group tables show
    indices alone and read grand totals of complete responses (see `tally_for_indices`).

    `periods` (all periods, for the trend) and `services` (the unit's) were fetched by the caller
    for its filter form; nothing here queries per period, service or element.
    """
    info = instrument_info(unit=unit, language=language)
    rules = info.rules.key
    in_choice = responses_in(unit_ids=[unit.pk], periods=choice.periods, service_id=service_id, channel=channel)

    k = info.rules.element_count
    # The element table reads the running tallies (a few rows), not every answer of the unit.
    overall_group = tally_counts(
        unit_ids=[unit.pk], periods=choice.periods, service_id=service_id, channel=channel, group_by=()
    ).get(None, GroupTally())
    by_service = tally_for_indices(in_choice, elements=k, group_by=("service_id",))
    population = population_for(unit=unit, periods=choice.periods)
    overall = figures(overall_group, rules=rules, weight=weight, population=population)

    elements = element_rows(overall_group, overall.result, info.names)
    priorities = sorted((row for row in elements if row.priority), key=lambda row: row.result.nrr or Fraction(0))

    up_to = [period for period in periods if period.start <= choice.last.end]
    by_period = tally_for_indices(
        responses_in(unit_ids=[unit.pk], periods=up_to, service_id=service_id, channel=channel),
        elements=k,
        group_by=("period_id",),
    )
    selected_ids = set(choice.period_ids)
    trend = [
        TrendPoint(period, figures(by_period.get(period.pk), rules=rules, weight=weight), period.pk in selected_ids)
        for period in sorted(up_to, key=lambda period: period.start)
    ]
    while trend and not trend[0].figures.has_index:
        trend.pop(0)

    service_names: dict[Hashable, str] = {service.pk: service.name for service in services}
    unnamed = gettext("Lainnya/tidak disebut")
    service_rows = sorted(
        (
            GroupRow(str(key or ""), service_names.get(key, unnamed), figures(group, rules=rules, weight=weight))
            for key, group in by_service.items()
        ),
        key=lambda row: (row.key == "" or row.key not in {str(pk) for pk in service_names}, row.label.casefold()),
    )

    by_profile = tally_for_indices(in_choice, elements=k, group_by=GROUP_DIMENSIONS, derived={"age_band": age_band})
    suggestions = list(
        in_choice.countable().exclude(suggestion="").select_related("service").order_by("-submitted_at")[:5]
    )
    return UnitDashboard(
        unit=unit,
        choice=choice,
        rules=info.rules,
        weight=weight,
        overall=overall,
        population=population,
        elements=elements,
        priorities=priorities,
        trend=trend,
        services=service_rows,
        groups=_group_tables(by_profile, rules=info.rules, weight=weight),
        suggestions=suggestions,
    )


@dataclass(frozen=True)
class PeerRank:
    """A unit's place among its peers (same kind), with the range its confidence interval allows.

    `best` counts only peers whose whole interval lies above this unit's; `worst` counts every
    peer except those whose whole interval lies below. Peers with fewer than two respondents
    have no interval and count as a point.
    """

    rank: int
    best: int
    worst: int
    of: int


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


def _bounds(result: indices.IndexResult) -> tuple[Fraction, Fraction]:
    assert result.nik is not None
    if result.ci is None:
        return result.nik, result.nik
    return result.ci.low, result.ci.high


def peer_ranks(results: Mapping[int, indices.IndexResult]) -> dict[int, PeerRank]:
    """Rank units (by id) within one peer group on their exact NIK, with an uncertainty range.

    Sorted lists and binary search keep this O(n log n) for the hundred-odd kelurahan of a city.
    """
    ranked = {unit_id: result for unit_id, result in results.items() if result.nik is not None}
    bounds = {unit_id: _bounds(result) for unit_id, result in ranked.items()}
    niks = sorted(result.nik for result in ranked.values() if result.nik is not None)
    lows = sorted(low for low, _high in bounds.values())
    highs = sorted(high for _low, high in bounds.values())
    count = len(ranked)
    ranks = {}
    for unit_id, result in ranked.items():
        assert result.nik is not None
        low, high = bounds[unit_id]
        ranks[unit_id] = PeerRank(
            rank=1 + count - bisect_right(niks, result.nik),  # peers with a higher NIK
            best=1 + count - bisect_right(lows, high),  # peers whose whole interval lies above
            worst=count - bisect_left(highs, low),  # all but the peers whose whole interval lies below
            of=count,
        )
    return ranks


CITY_SORTS = ("nik", "-nik", "n", "-n", "nama", "-nama")


def _sort_rows(rows: list[CityRow], sort: str) -> list[CityRow]:
    field_name = sort.lstrip("-")
    descending = sort.startswith("-")
    if field_name == "nama":
        return sorted(rows, key=lambda row: row.unit.name.casefold(), reverse=descending)
    if field_name == "n":
        return sorted(rows, key=lambda row: (row.figures.respondents, row.unit.name), reverse=descending)
    with_index = [row for row in rows if row.figures.result.nik is not None]
    without = [row for row in rows if row.figures.result.nik is None]
    with_index.sort(key=lambda row: row.figures.result.nik or Fraction(0), reverse=descending)
    return with_index + sorted(without, key=lambda row: row.unit.name.casefold())


def city_dashboard(
    *,
    units: QuerySet[ServiceUnit],
    choice: PeriodChoice,
    kind: str = "",
    kecamatan_id: int | None = None,
    sort: str = "-nik",
    weight: str = "exact",
) -> CityDashboard:
    """Every unit with its index for a period choice, plus city figures (five queries).

    Ranks compare each unit with all units of its kind in `units`; the table, the city figures and
    the grade distribution cover the units left after the kind and kecamatan filters.
    """
    info = instrument_info(unit=None, language="id")
    rules = info.rules.key
    all_units = list(units.exclude(kind=UnitKind.PEMKOT).filter(is_active=True).order_by("name"))
    unit_ids = [unit.pk for unit in all_units]
    selection = responses_in(unit_ids=units.values_list("pk", flat=True), periods=choice.periods)
    k = info.rules.element_count
    totals = tally_totals(selection, elements=k)
    # When every respondent answered every element (the usual case) the grand totals give each index
    # exactly, without reading answers; otherwise the answers are tallied (two more queries).
    tallies: Mapping[Hashable, GroupTally | TotalTally] = (
        totals if all(group.complete for group in totals.values()) else tally_responses(selection)
    )

    def pool(groups: Iterable[GroupTally | TotalTally]) -> GroupTally | TotalTally:
        materialised = list(groups)
        if all(isinstance(group, TotalTally) for group in materialised):
            return pooled_totals((group for group in materialised if isinstance(group, TotalTally)), elements=k)
        return pooled(group for group in materialised if isinstance(group, GroupTally))

    population_rows = (
        UnitPopulation.objects.filter(unit__in=units.values("pk"), period__in=choice.periods)
        .values("unit_id")
        .annotate(total=Sum("population"), entered=Count("id"))
    )
    needed = len(choice.periods)
    populations = {row["unit_id"]: int(row["total"]) for row in population_rows if row["entered"] == needed}
    results = {
        unit_id: figures(tallies.get(unit_id), rules=rules, weight=weight, population=populations.get(unit_id))
        for unit_id in unit_ids
    }
    ranks: dict[int, PeerRank] = {}
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
    with_data = [row for row in rows if row.figures.has_index]
    city_pooled = figures(
        pool(tallies[row.unit.pk] for row in rows if row.unit.pk in tallies), rules=rules, weight=weight
    )
    mean = indices.mean_of_indices([row.figures.result for row in rows])
    grades = [
        GradeCount(band.grade, band.label, sum(1 for row in with_data if row.figures.grade == band.grade))
        for band in info.rules.bands
    ]
    return CityDashboard(
        choice=choice,
        rules=info.rules,
        weight=weight,
        rows=_sort_rows(rows, sort if sort in CITY_SORTS else "-nik"),
        pooled=city_pooled,
        pooled_units=sum(1 for row in rows if row.figures.respondents > 0),
        mean_nik=indices.round_nik(mean.nik) if mean.nik is not None else None,
        mean_units=mean.units_covered,
        grades=grades,
        no_data=[row for row in rows if row.figures.respondents == 0],
        below_minimum=[row for row in rows if row.below_minimum],
        peers=peers,
    )


SUGGESTION_STATES = ("", "flagged", "all")


def suggestions_for(
    *,
    unit: ServiceUnit,
    periods: Sequence[Period],
    service_id: int | None = None,
    search: str = "",
    element: str = "",
    score: int | None = None,
    state: str = "",
) -> ResponseQuerySet:
    """A unit's responses with a suggestion, newest first (lazy: the view pages it).

    `state` "" keeps counted responses, "flagged" those marked as spam or irrelevant, "all" both.
    `element` and `score` keep responses that gave that score to that element (any element when
    `element` is empty).
    """
    responses = responses_in(unit_ids=[unit.pk], periods=periods, service_id=service_id).exclude(suggestion="")
    if state == "flagged":
        responses = responses.flagged()
    elif state != "all":
        responses = responses.countable()
    if search:
        responses = responses.filter(suggestion__icontains=search)
    if score is not None or element:
        answers = Answer.objects.filter(response=OuterRef("pk"))
        if element:
            answers = answers.filter(element__code=element)
        if score is not None:
            answers = answers.filter(score=score)
        responses = responses.filter(Exists(answers))
    return responses.select_related("service", "spam_marked_by").order_by("-submitted_at", "-pk")
