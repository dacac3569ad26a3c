"""Everything the city's Laporan Hasil SKM prints, from the shared owners, as one dataclass.

The city figures are the city dashboard's (`reports.dashboards.city_from_tallies`, fed with each
unit's frozen or live tally): the index of all responses pooled and the plain mean of the units'
indices, labelled as the dashboard labels them; ranks within each unit kind with the range their
intervals allow; the grade distribution; the units below the minimum sample and without data.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import QuerySet

from reports import indices, priorities, selectors
from reports.dashboards import CityDashboard, CityRow, ElementRow, city_from_tallies, city_units, element_rows
from reports.display import Figures
from reports.followup_progress import FollowUpOverview, followup_overview
from reports.laporan import parts
from reports.laporan.basis import frozen_history, read, report_basis
from reports.laporan.suggestions import SuggestionSummary
from reports.laporan.texts import ReportTexts, report_texts
from reports.models import ReportSignatory
from reports.periods import PeriodChoice
from reports.tallies import AnyTally, GroupTally, pool, tally_counts
from surveys.models import ServiceUnit, UnitKind


@dataclass(frozen=True)
class KindRanking:
    kind: str
    label: str
    figures: Figures
    rows: list[CityRow]  # by rank, then the units without an index


@dataclass(frozen=True)
class CityReport:
    choice: PeriodChoice
    provisional: bool
    revisions: list[tuple[str, int | None]]  # each period's name and its snapshot revision (None: live)
    rules: indices.RuleSet
    weight: str
    names: dict[str, str]
    city: CityDashboard
    elements: list[ElementRow]
    priorities: list[ElementRow]
    strongest: list[ElementRow]
    population: int | None
    sample: indices.SampleAdequacy | None
    channels: list[parts.CountLine] | None
    characteristics: list[parts.CharacteristicGroup]
    kinds: list[KindRanking]
    trend: list[parts.TrendLine]
    followups: FollowUpOverview | None
    suggestion_total: int
    suggestions: SuggestionSummary
    questionnaires: list[parts.Questionnaire]
    texts: ReportTexts
    signatory: ReportSignatory | None


def _kinds(city: CityDashboard) -> list[KindRanking]:
    labels = dict(UnitKind.choices)
    kinds = []
    for kind, kind_figures in sorted(city.peers.items(), key=lambda item: str(labels.get(item[0], item[0]))):
        rows = [row for row in city.rows if row.unit.kind == kind]
        rows.sort(key=lambda row: (row.peer_rank.rank if row.peer_rank else 10**9, row.unit.name.casefold()))
        kinds.append(KindRanking(kind, str(labels.get(kind, kind)), kind_figures, rows))
    return kinds


def city_report(*, units: QuerySet[ServiceUnit], choice: PeriodChoice, language: str = "id") -> CityReport:
    """The city report's content for a period choice over `units` (the secretariat: every unit).
    A fixed number of queries whatever the number of units."""
    basis = report_basis(choice)
    members = city_units(units)
    member_ids = [unit.pk for unit in members]
    reading = read(basis, unit_ids=member_ids)
    tallies: dict[Hashable, AnyTally] = {unit_id: reading.unit(unit_id).tally for unit_id in member_ids}
    populations = {
        unit_id: population for unit_id in member_ids if (population := reading.unit(unit_id).population) is not None
    }
    city = city_from_tallies(
        all_units=members,
        choice=choice,
        tallies=tallies,
        populations=populations,
        rules=reading.rules,
        weight=reading.weight,
    )
    info = selectors.instrument_info(unit=None, language=language, rules=reading.rules)
    pooled = pool(tallies.values())
    assert isinstance(pooled, GroupTally)
    elements = element_rows(pooled, city.pooled.result, info.names)
    strongest_codes = [element.code for element in priorities.highest_elements(city.pooled.result)]
    population = sum(populations.values()) if members and len(populations) == len(members) else None
    breakdowns = parts.pooled_unit_breakdowns(reading, member_ids)
    history = frozen_history(until=choice.last.end, unit_ids=member_ids)
    live = (
        tally_counts(unit_ids=member_ids, periods=basis.live_periods, group_by=("period_id",))
        if basis.live_periods
        else {}
    )
    responses = selectors.responses_in(unit_ids=member_ids, periods=choice.periods)
    frozen_last = next((source.period for source in reversed(basis.sources) if not source.is_live), None)
    return CityReport(
        choice=choice,
        provisional=basis.provisional,
        revisions=[
            (source.period.name, source.snapshot.revision if source.snapshot else None) for source in basis.sources
        ],
        rules=info.rules,
        weight=reading.weight,
        names=info.names,
        city=city,
        elements=elements,
        priorities=sorted((row for row in elements if row.priority), key=lambda row: row.result.nrr or Fraction(0)),
        strongest=sorted(
            (row for row in elements if row.code in strongest_codes), key=lambda row: strongest_codes.index(row.code)
        ),
        population=population,
        sample=indices.sample_adequacy(pooled.respondents, population) if population is not None else None,
        channels=parts.channel_lines(breakdowns, pooled.respondents),
        characteristics=parts.characteristics(breakdowns, pooled.respondents),
        kinds=_kinds(city),
        trend=parts.trend_lines(history, reading, unit_ids=member_ids, live=live),
        followups=followup_overview(frozen_last) if frozen_last is not None else None,
        suggestion_total=parts.suggestion_count(responses),
        suggestions=parts.suggestion_summary(responses, list(info.rules.codes)),
        questionnaires=parts.questionnaires(responses, unit=None, language=language),
        texts=report_texts(unit=None, choice=choice),
        signatory=ReportSignatory.objects.filter(unit__isnull=True).first(),
    )
