"""Reads for reports: which responses a report covers and the decisions every report shares.

Each decision has one home here, and every dashboard, workbook, snapshot and report asks it:
`responses_in` (the responses a report covers), `rules_for` (which rule set their index follows),
`populations`/`population_of` (the population N behind the minimum sample), `instrument_info`
(the element names a report prints). Which responses count is `surveys.models.COUNTABLE`; how
they fold into tallies is `reports.tallies`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value, When

from reports import indices
from surveys.models import (
    COUNTABLE,
    Answer,
    Element,
    ExclusionProposal,
    Instrument,
    Period,
    ProposalDecision,
    Response,
    ResponseQuerySet,
    ServiceUnit,
    UnitPopulation,
)


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


# --------------------------------------------------------------------------------------------
# The rule set and the element names
# --------------------------------------------------------------------------------------------


class MixedRuleSets(ValueError):
    """The counted responses answered instruments of different rule sets: their answers cannot
    share one index (each rule set has its own elements and bands)."""

    def __init__(self, rules: Iterable[str]) -> None:
        self.rules = sorted(rules)
        super().__init__(f"responses under different rule sets cannot share one index: {self.rules}")


def rules_for(responses: QuerySet[Response], *, unit: ServiceUnit | None = None) -> str:
    """The rule set whose index these responses make: the one of the instruments their counted
    responses answered. With none counted, the rule set of the questionnaire the unit asks now
    (the city-wide one for `unit` None). Counted responses under two rule sets: `MixedRuleSets`.
    One query (the instruments in use are few: each is probed with an indexed EXISTS)."""
    in_use = set(
        Instrument.objects.filter(Exists(responses.filter(COUNTABLE, instrument=OuterRef("pk"))))
        .order_by()
        .values_list("rules", flat=True)
        .distinct()
    )
    if len(in_use) > 1:
        raise MixedRuleSets(in_use)
    if in_use:
        return _known(in_use.pop())
    current = Instrument.objects.published_for(unit).values_list("rules", flat=True).first()
    return _known(current or indices.DEFAULT_RULES)


def _known(rules: str) -> str:
    return rules if rules in indices.RULE_SETS else indices.DEFAULT_RULES


@dataclass(frozen=True)
class InstrumentInfo:
    """The rule set and the element names a report prints (from the published instrument)."""

    rules: indices.RuleSet
    names: dict[str, str]


def instrument_info(*, unit: ServiceUnit | None, language: str, rules: str | None = None) -> InstrumentInfo:
    """The element names of the questionnaire the unit asks (`Instrument.objects.published_for`),
    in `language`, under `rules` (by default that questionnaire's rule set). One query."""
    asked = Instrument.objects.published_for(unit).values("pk")[:1]
    elements = list(Element.objects.filter(instrument=Subquery(asked)).select_related("instrument").order_by("order"))
    rules_key = rules or (elements[0].instrument.rules if elements else indices.DEFAULT_RULES)
    rule_set = indices.get_rules(_known(rules_key))
    names = {element.code: element.name(language) for element in elements}
    for element in rule_set.elements:
        names.setdefault(element.code, element.name)
    return InstrumentInfo(rule_set, names)


# --------------------------------------------------------------------------------------------
# The population N
# --------------------------------------------------------------------------------------------


def populations(*, periods: Sequence[Period], unit_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Each unit's population N over `periods`: the sum over the periods, for the units that have
    one recorded for every period (a unit missing any has none: never a partial N). One query."""
    if not periods:
        return {}
    rows = UnitPopulation.objects.filter(period__in=periods)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    totals = rows.order_by().values("unit_id").annotate(total=Sum("population"), entered=Count("id"))
    return {row["unit_id"]: int(row["total"]) for row in totals if row["entered"] == len(periods)}


def population_of(*, unit_ids: Sequence[int], periods: Sequence[Period]) -> int | None:
    """The population of these units together: the sum, or None unless every unit has one for
    every period (one query)."""
    found = populations(periods=periods, unit_ids=unit_ids)
    if not unit_ids or len(found) != len(set(unit_ids)):
        return None
    return sum(found.values())


# --------------------------------------------------------------------------------------------
# Respondent groups
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


# --------------------------------------------------------------------------------------------
# Suggestions
# --------------------------------------------------------------------------------------------

SUGGESTION_STATES = ("", "aside", "all")


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
    """A unit's responses with a suggestion, newest first (lazy: the view pages it), each with
    `pending_exclusion` (a proposal to exclude it awaits the secretariat).

    `state` "" keeps counted responses, "aside" those held for review or not counted, "all" both.
    `element` and `score` keep responses that gave that score to that element (any element when
    `element` is empty).
    """
    responses = responses_in(unit_ids=[unit.pk], periods=periods, service_id=service_id).exclude(suggestion="")
    if state == "aside":
        responses = responses.set_aside()
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
    pending = ExclusionProposal.objects.filter(response=OuterRef("pk"), decision=ProposalDecision.PENDING)
    return (
        responses.annotate(pending_exclusion=Exists(pending))
        .select_related("service", "reviewed_by")
        .order_by("-submitted_at", "-pk")
    )
