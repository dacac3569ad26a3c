"""Reads for reports: responses folded into tallies by two aggregate queries, then into indices.

Query 1 (responses) gives, per group and per number of answered elements, the respondent
count, the sum of their score sums and of their squares: enough for n and, exactly, the spread
of respondents' mean scores (the confidence interval). Query 2 (answers) gives, per group and
element, the number of answers, their total and how many gave each score 1..4.
Nothing here loops over units or responses; the folding is plain Python over a few rows each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, F, Q, QuerySet, Sum

from reports import indices
from surveys.models import Answer, AnswerTally, Period, RespondentTally, Response, ResponseQuerySet, ServiceUnit

SCORES = (1, 2, 3, 4)


@dataclass
class GroupTally:
    """Everything the index engine needs about one group of responses."""

    respondents: int = 0
    sum_means: Fraction = Fraction(0)
    sum_sq_means: Fraction = Fraction(0)
    elements: dict[str, indices.ElementTally] = field(default_factory=dict)
    distribution: dict[str, dict[int, int]] = field(default_factory=dict)

    @property
    def spread(self) -> indices.RespondentSpread:
        return indices.RespondentSpread(n=self.respondents, sum_means=self.sum_means, sum_sq_means=self.sum_sq_means)

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
    responses: QuerySet[Response], *, group_by: Sequence[str] = ("unit_id",)
) -> dict[Hashable, GroupTally]:
    """Fold countable responses into one `GroupTally` per group (two aggregate queries).

    `group_by` names Response fields (e.g. `unit_id`, `period_id`, `service_id`, `sex`);
    an empty sequence gives one group under the key `None`.
    """
    countable = responses.filter(is_test=False, spam_reason="", answered__gt=0)
    groups: dict[Hashable, GroupTally] = defaultdict(GroupTally)
    fields = list(group_by)
    respondent_rows = (
        countable.order_by()
        .values(*fields, "answered")
        .annotate(n=Count("id"), s=Sum("score_sum"), s2=Sum(F("score_sum") * F("score_sum")))
    )
    for row in respondent_rows:
        group = groups[_key(row, fields) if fields else None]
        answered = row["answered"]
        group.respondents += row["n"]
        group.sum_means += Fraction(row["s"], answered)
        group.sum_sq_means += Fraction(row["s2"], answered * answered)
    answer_fields = [f"response__{name}" for name in fields]
    answer_rows = (
        Answer.objects.filter(response__in=countable)
        .order_by()
        .values(*answer_fields, "element__code")
        .annotate(
            answers=Count("id"),
            total=Sum("score"),
            **{f"c{score}": Count("id", filter=Q(score=score)) for score in SCORES},
        )
    )
    for row in answer_rows:
        key = _key({name: row[f"response__{name}"] for name in fields}, fields) if fields else None
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
        total.respondents += group.respondents
        total.sum_means += group.sum_means
        total.sum_sq_means += group.sum_sq_means
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
        answered = row["answered"]
        group.respondents += row["n"]
        group.sum_means += Fraction(row["s"], answered)
        group.sum_sq_means += Fraction(row["s2"], answered * answered)
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
