"""Counted responses folded into tallies for the index engine, and tallies pooled.

`tally_responses` reads responses and answers (two aggregate queries): per group and per number
of answered elements, the respondent count and the sums of their score sums and squares (enough
for n and, exactly, the spread behind the confidence interval); per group and element, the
answers, their total and how many gave each score. `tally_counts` reads the same from the running
tallies kept in step with submissions (`surveys.tallies`), `tally_totals` only grand totals of
complete responses (one query). Which responses count is `surveys.models.COUNTABLE`; nothing
here loops over units or responses with a query each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from reports import indices
from surveys.models import COUNTABLE, Answer, AnswerTally, Period, RespondentTally, Response, ServiceUnit
from surveys.models.tallies import RESPONDENT_TALLY_KEY, SCORES
from surveys.tallies import columns

__all__ = [
    "SCORES",
    "AnyTally",
    "GroupTally",
    "TotalTally",
    "pool",
    "tally_counts",
    "tally_for_indices",
    "tally_from_json",
    "tally_responses",
    "tally_to_json",
    "tally_totals",
]


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

    def _add_moments(self, other: RespondentMoments) -> None:
        self.respondents += other.respondents
        self.sum_means += other.sum_means
        self.sum_sq_means += other.sum_sq_means


@dataclass(kw_only=True)
class GroupTally(RespondentMoments):
    """Everything the index engine needs about one group of responses."""

    elements: dict[str, indices.ElementTally] = field(default_factory=dict)
    distribution: dict[str, dict[int, int]] = field(default_factory=dict)

    def result(
        self, *, rules: str = indices.DEFAULT_RULES, weight: str = "exact", population: int | None = None
    ) -> indices.IndexResult:
        known = set(indices.get_rules(rules).codes)
        return indices.compute_index(
            [tally for code, tally in self.elements.items() if code in known],
            respondents=self.respondents,
            rules=rules,
            weight=weight,
            spread=self.spread,
            population=population,
        )

    def add(self, other: GroupTally) -> None:
        """Pool another group's responses into this one (element totals add up)."""
        self._add_moments(other)
        for pooled in indices.pool_tallies([list(self.elements.values()), list(other.elements.values())]):
            self.elements[pooled.code] = pooled
        for code, counts in other.distribution.items():
            mine = self.distribution.setdefault(code, dict.fromkeys(SCORES, 0))
            for score, count in counts.items():
                mine[score] = mine.get(score, 0) + count


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

    def add(self, other: TotalTally) -> None:
        self._add_moments(other)
        self.total += other.total
        self.complete = self.complete and other.complete


AnyTally = GroupTally | TotalTally


def pool(groups: Iterable[AnyTally]) -> AnyTally:
    """Pool several groups' responses into one (never an average of their indices).

    Groups of one kind: answer tallies pool into a `GroupTally`, grand totals into a `TotalTally`.
    No groups at all is an empty `GroupTally` (no data).
    """
    materialised = list(groups)
    totals_only = [group for group in materialised if isinstance(group, TotalTally)]
    if materialised and len(totals_only) == len(materialised):
        totals = TotalTally(elements=totals_only[0].elements)
        for each in totals_only:
            totals.add(each)
        return totals
    pooled = GroupTally()
    for group in materialised:
        if not isinstance(group, GroupTally):
            raise TypeError("pool answer tallies or grand totals, not both")
        pooled.add(group)
    return pooled


def tally_to_json(group: GroupTally) -> dict[str, Any]:
    """A tally as JSON (how snapshots keep the exact inputs of an index): element tallies with
    their score distribution, and the spread sums as exact fractions ("p/q")."""
    return {
        "respondents": group.respondents,
        "sum_means": str(group.sum_means),
        "sum_sq_means": str(group.sum_sq_means),
        "elements": {
            code: {
                "answers": tally.answers,
                "total": tally.total,
                "dist": [group.distribution.get(code, {}).get(score, 0) for score in SCORES],
            }
            for code, tally in group.elements.items()
        },
    }


def tally_from_json(data: Mapping[str, Any]) -> GroupTally:
    """The tally `tally_to_json` wrote, exactly."""
    elements: Mapping[str, Mapping[str, Any]] = data.get("elements") or {}
    return GroupTally(
        respondents=int(data.get("respondents") or 0),
        sum_means=Fraction(str(data.get("sum_means") or "0")),
        sum_sq_means=Fraction(str(data.get("sum_sq_means") or "0")),
        elements={
            code: indices.ElementTally(code, int(values["answers"]), int(values["total"]))
            for code, values in elements.items()
        },
        distribution={
            code: dict(zip(SCORES, values.get("dist") or [0] * len(SCORES), strict=True))
            for code, values in elements.items()
        },
    )


def _key(row: Mapping[str, object], group_by: Sequence[str]) -> Hashable:
    if not group_by:
        return None
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
    countable = responses.filter(COUNTABLE)
    groups: dict[Hashable, GroupTally] = defaultdict(GroupTally)
    fields = list(group_by)
    respondent_rows = (
        countable.order_by()
        .annotate(**{name: make("") for name, make in derived.items()})
        .values(*fields, "answered")
        .annotate(n=Count("id"), s=Sum("score_sum"), s2=Sum(F("score_sum") * F("score_sum")))
    )
    for row in respondent_rows:
        group = groups[_key(row, fields)]
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
        group = groups[_key(dict(zip(fields, (row[name] for name in answer_fields), strict=True)), fields)]
        _add_element(group, row, row["element__code"])
    return dict(groups)


def _add_element(group: GroupTally, row: Mapping[str, Any], code: str) -> None:
    group.elements[code] = indices.ElementTally(code=code, answers=row["answers"], total=row["total"])
    group.distribution[code] = {score: row[f"c{score}"] for score in SCORES}


#: Response fields the running tallies are kept by, and the tally column of each.
RESPONSE_DIMENSIONS = ("unit_id", "period_id", "service_id", "channel")
TALLY_DIMENSIONS = dict(zip(RESPONSE_DIMENSIONS, columns(RespondentTally, RESPONDENT_TALLY_KEY[:4]), strict=True))


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
    tally_columns = [TALLY_DIMENSIONS[name] for name in group_by]

    def key(row: Mapping[str, Any]) -> Hashable:
        """The group key as tally_responses gives it (no service is None there, 0 in the tallies)."""
        values = {name: None if name == "service_ref" and row[name] == 0 else row[name] for name in tally_columns}
        return _key(values, tally_columns)

    groups: dict[Hashable, GroupTally] = defaultdict(GroupTally)
    respondent_rows = (
        RespondentTally.objects.filter(filters)
        .order_by()
        .values(*tally_columns, "answered")
        .annotate(n=Sum("respondents"), s=Sum("score_sum"), s2=Sum("score_sum_sq"))
    )
    for row in respondent_rows:
        if row["n"]:
            groups[key(row)].add_respondents(
                answered=row["answered"], count=row["n"], score_sum=row["s"], score_sum_sq=row["s2"]
            )
    answer_rows = (
        AnswerTally.objects.filter(filters)
        .order_by()
        .values(*tally_columns, "element_code")
        .annotate(answers=Sum("answers"), total=Sum("total"), **{f"c{s}": Sum(f"c{s}") for s in SCORES})
    )
    for row in answer_rows:
        if row["answers"]:
            _add_element(groups[key(row)], row, row["element_code"])
    return {key: group for key, group in groups.items() if group.respondents}


def tally_totals(
    responses: QuerySet[Response],
    *,
    elements: int,
    group_by: Sequence[str] = ("unit_id",),
    derived: Mapping[str, Any] | None = None,
) -> dict[Hashable, TotalTally]:
    """Fold countable responses into one `TotalTally` per group (one aggregate query, no answers).

    `derived` maps a group_by name that is not a field to its expression, e.g. `{"age_band": age_band("")}`.
    """
    groups: dict[Hashable, TotalTally] = {}
    fields = list(group_by)
    rows = (
        responses.filter(COUNTABLE)
        .order_by()
        .annotate(**(derived or {}))
        .values(*fields, "answered")
        .annotate(n=Count("*"), s=Sum("score_sum"), s2=Sum(F("score_sum") * F("score_sum")))  # index-only
    )
    for row in rows:
        group = groups.setdefault(_key(row, fields), TotalTally(elements=elements))
        group.add_respondents(answered=row["answered"], count=row["n"], score_sum=row["s"], score_sum_sq=row["s2"])
        group.total += row["s"]
        group.complete = group.complete and row["answered"] == elements
    return groups


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
