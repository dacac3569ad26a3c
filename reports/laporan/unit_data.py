"""Everything a unit's Laporan Hasil SKM prints, from the shared owners, as one dataclass.

The numbers are the dashboard's and the workbook's for the same scope: the unit's tally (frozen
or live, `reports.laporan.basis`) goes through `GroupTally.result`, rounding through
`reports.display`, the element rows and priorities through `reports.dashboards.element_rows`,
follow-up progress through `reports.followup_progress`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext

from reports import indices, priorities, selectors
from reports.dashboards import ElementRow, element_rows
from reports.display import Figures, figures
from reports.exports.data import scored_responses
from reports.followup_progress import Improvement, improvement
from reports.laporan import parts
from reports.laporan.basis import PeriodTally, Reading, frozen_history, read, report_basis
from reports.laporan.suggestions import SuggestionSummary
from reports.laporan.texts import ReportTexts, report_texts
from reports.models import FollowUpAction, ReportSignatory
from reports.periods import PeriodChoice
from reports.tallies import GroupTally, tally_counts
from surveys.models import Period, ServiceUnit

#: Up to this many respondents the annex lists each one's scores; beyond, it points to the workbook.
ANNEX_RESPONDENTS = 100


@dataclass(frozen=True)
class ServiceLine:
    name: str
    figures: Figures


@dataclass(frozen=True)
class RespondentTable:
    codes: tuple[str, ...]
    rows: tuple[tuple[int | None, ...], ...] | None  # None: see `note`
    note: str  # "": the rows are listed; else why not ("large", "changed")


@dataclass(frozen=True)
class PlanProgress:
    """Whether the elements last period's plan targeted moved in this report's result."""

    period: Period
    improvements: tuple[Improvement, ...]


@dataclass(frozen=True)
class UnitReport:
    unit: ServiceUnit
    choice: PeriodChoice
    reading: Reading
    rules: indices.RuleSet
    names: dict[str, str]
    overall: Figures
    elements: list[ElementRow]
    priorities: list[ElementRow]
    strongest: list[ElementRow]
    channels: list[parts.CountLine] | None
    characteristics: list[parts.CharacteristicGroup]
    services: list[ServiceLine] | None  # None: not kept by an older snapshot
    trend: list[parts.TrendLine]
    actions: list[FollowUpAction]
    progress: PlanProgress | None
    suggestion_total: int
    suggestions: SuggestionSummary
    questionnaires: list[parts.Questionnaire]
    respondents: RespondentTable
    texts: ReportTexts
    signatory: ReportSignatory | None

    @property
    def provisional(self) -> bool:
        return self.reading.basis.provisional


def _services(reading: Reading, unit: ServiceUnit) -> list[ServiceLine] | None:
    services = reading.unit(unit.pk).breakdowns.services
    if services is None:
        return None
    unnamed = gettext("Lainnya/tidak disebut")  # as the unit dashboard labels them
    lines = [
        ServiceLine(
            service.name if service.key is not None else unnamed,
            figures(service.tally, rules=reading.rules, weight=reading.weight),
        )
        for service in services
        if service.tally.respondents
    ]
    return sorted(lines, key=lambda line: (line.name == unnamed, line.name.casefold()))


def _respondent_table(
    unit: ServiceUnit, choice: PeriodChoice, codes: Sequence[str], tally: GroupTally
) -> RespondentTable:
    """Each respondent's scores, when few enough and the live responses are still exactly the
    ones the (maybe frozen) result counted; otherwise a note (the workbook has them)."""
    if tally.respondents > ANNEX_RESPONDENTS:
        return RespondentTable(tuple(codes), None, "large")
    counted = selectors.responses_in(unit_ids=[unit.pk], periods=choice.periods).countable()
    rows = [tuple(response.scores.get(code) for code in codes) for response in scored_responses(counted, ("id",))]
    totals = {code: sum(row[position] or 0 for row in rows) for position, code in enumerate(codes)}
    same = len(rows) == tally.respondents and all(
        totals[code] == (tally.elements[code].total if code in tally.elements else 0) for code in codes
    )
    return RespondentTable(tuple(codes), tuple(rows) if same else None, "" if same else "changed")


def _progress(
    unit: ServiceUnit,
    choice: PeriodChoice,
    history: Sequence[PeriodTally],
    result: indices.IndexResult,
    names: dict[str, str],
) -> PlanProgress | None:
    """Last period's plan: the latest earlier frozen period with follow-up actions of this unit."""
    first_start = min(period.start for period in choice.periods)
    earlier = {entry.period.pk: entry for entry in history if entry.period.end < first_start}
    actions = (
        FollowUpAction.objects.filter(unit=unit, period_id__in=list(earlier))
        .order_by("-period__start")
        .values_list("period_id", "element_code")
    )
    targets: dict[int, list[str]] = {}
    for period_id, code in actions:
        targets.setdefault(period_id, [])
        if code not in targets[period_id]:
            targets[period_id].append(code)
    if not targets:
        return None
    entry = max((earlier[period_id] for period_id in targets), key=lambda entry: entry.period.start)
    before = entry.units.get(unit.pk, GroupTally()).result(rules=entry.rules, weight=entry.weight)
    return PlanProgress(
        entry.period,
        tuple(improvement(code, before, result, names.get(code, code)) for code in sorted(targets[entry.period.pk])),
    )


def unit_report(*, unit: ServiceUnit, choice: PeriodChoice, language: str = "id") -> UnitReport:
    """The unit report's content for a period choice (a fixed number of queries).
    Raises `selectors.MixedRuleSets` as the dashboards do."""
    basis = report_basis(choice)
    reading = read(basis, unit_ids=[unit.pk], unit=unit)
    mine = reading.unit(unit.pk)
    info = selectors.instrument_info(unit=unit, language=language, rules=reading.rules)
    overall = figures(mine.tally, rules=reading.rules, weight=reading.weight, population=mine.population)
    elements = element_rows(mine.tally, overall.result, info.names)
    strongest_codes = [element.code for element in priorities.highest_elements(overall.result)]
    history = frozen_history(until=choice.last.end, unit_ids=[unit.pk])
    live = (
        tally_counts(unit_ids=[unit.pk], periods=basis.live_periods, group_by=("period_id",))
        if basis.live_periods
        else {}
    )
    responses = selectors.responses_in(unit_ids=[unit.pk], periods=choice.periods)
    codes = list(info.rules.codes)
    return UnitReport(
        unit=unit,
        choice=choice,
        reading=reading,
        rules=info.rules,
        names=info.names,
        overall=overall,
        elements=elements,
        priorities=sorted((row for row in elements if row.priority), key=lambda row: row.result.nrr or Fraction(0)),
        strongest=sorted(
            (row for row in elements if row.code in strongest_codes), key=lambda row: strongest_codes.index(row.code)
        ),
        channels=parts.channel_lines(mine.breakdowns, mine.tally.respondents),
        characteristics=parts.characteristics(mine.breakdowns, mine.tally.respondents),
        services=_services(reading, unit),
        trend=parts.trend_lines(history, reading, unit_ids=[unit.pk], live=live),
        actions=list(
            FollowUpAction.objects.filter(unit=unit, period__in=choice.periods).order_by(
                "period__start", "element_code", "id"
            )
        ),
        progress=_progress(unit, choice, history, overall.result, info.names),
        suggestion_total=parts.suggestion_count(responses),
        suggestions=parts.suggestion_summary(responses, codes),
        questionnaires=parts.questionnaires(responses, unit=unit, language=language),
        respondents=_respondent_table(unit, choice, codes, mine.tally),
        texts=report_texts(unit=unit, choice=choice),
        signatory=ReportSignatory.objects.filter(unit=unit).first(),
    )
