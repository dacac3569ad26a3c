"""Pieces both reports print: respondent characteristics, channels, the trend, the questionnaire,
the citizens' suggestions. Numbers are rounded by `reports.display` only."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from reports import display, selectors
from reports.breakdowns import NOT_GIVEN_KEY, Breakdowns, Counts, pooled_breakdowns
from reports.display import Figures, figures
from reports.laporan.basis import PeriodTally, Reading
from reports.laporan.suggestions import SuggestionSummary, summarise
from reports.tallies import GroupTally, pool
from surveys.models import (
    COUNTABLE,
    Channel,
    Education,
    Instrument,
    Occupation,
    Period,
    ResponseQuerySet,
    ServiceUnit,
    Sex,
)

#: Suggestions grouped by element are the newest this many (a busy unit has tens of thousands).
SUGGESTIONS_GROUPED = 5000
#: Suggestions listed in full in the annex.
SUGGESTIONS_LISTED = 300


@dataclass(frozen=True)
class CountLine:
    label: str
    count: int
    percent: Decimal | None


@dataclass(frozen=True)
class CharacteristicGroup:
    title: str
    lines: list[CountLine] | None  # None: not kept by the snapshot this report reads


def count_lines(counts: Counts | None, choices: Sequence[tuple[str, str]], total: int) -> list[CountLine] | None:
    """Counts in the order of `choices`, then any unknown value, then "Tidak diisi"."""
    if counts is None:
        return None
    known = dict(choices)
    keys = [key for key, _label in choices] + sorted(key for key in counts if key not in known and key != NOT_GIVEN_KEY)
    lines = [
        CountLine(
            known.get(key, key),
            counts.get(key, 0),
            display.percent(Fraction(counts.get(key, 0), total) if total else None),
        )
        for key in keys
    ]
    if counts.get(NOT_GIVEN_KEY):
        lines.append(
            CountLine(_("Tidak diisi"), counts[NOT_GIVEN_KEY], display.percent(Fraction(counts[NOT_GIVEN_KEY], total)))
        )
    return lines


def service_counts(breakdowns: Breakdowns) -> Counts | None:
    if breakdowns.services is None:
        return None
    counts: Counts = {}
    for service in breakdowns.services:
        label = service.name if service.key is not None else _("Lainnya/tidak disebut")
        counts[label] = counts.get(label, 0) + service.tally.respondents
    return counts


def characteristics(breakdowns: Breakdowns, total: int) -> list[CharacteristicGroup]:
    """Karakteristik responden: sex, age band, education, occupation and service."""
    ages = [(key, key.replace(">=", "≥")) for key, _low, _high in selectors.AGE_BANDS]
    services = service_counts(breakdowns)
    return [
        CharacteristicGroup(_("Jenis kelamin"), count_lines(breakdowns.sex, _choices(Sex.choices), total)),
        CharacteristicGroup(_("Usia"), count_lines(breakdowns.ages, ages, total)),
        CharacteristicGroup(_("Pendidikan"), count_lines(breakdowns.education, _choices(Education.choices), total)),
        CharacteristicGroup(_("Pekerjaan"), count_lines(breakdowns.occupations, _choices(Occupation.choices), total)),
        CharacteristicGroup(
            _("Jenis layanan"),
            count_lines(services, [(name, name) for name in sorted(services or {}, key=str.casefold)], total),
        ),
    ]


def pooled_unit_breakdowns(reading: Reading, unit_ids: Sequence[int]) -> Breakdowns:
    """The breakdowns of several units added up (unavailable when any unit's snapshot lacks one)."""
    return pooled_breakdowns(reading.unit(unit_id).breakdowns for unit_id in unit_ids)


def channel_lines(breakdowns: Breakdowns, total: int) -> list[CountLine] | None:
    return count_lines(breakdowns.channels, _choices(Channel.choices), total)


def _choices(choices: Sequence[tuple[str, object]]) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in choices]


# --------------------------------------------------------------------------------------------
# The trend
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendLine:
    period: Period
    figures: Figures
    revision: int | None  # None: live (the period is still open)
    selected: bool


TREND_PERIODS = 8


def trend_lines(
    history: Sequence[PeriodTally],
    reading: Reading,
    *,
    unit_ids: Sequence[int],
    live: Mapping[Hashable, GroupTally],
) -> list[TrendLine]:
    """The index in each frozen period up to the report's last (from the first with data, at most
    the last eight), then each of the report's periods still open (`live`: tallies by period id,
    provisional)."""
    selected = {period.pk for period in reading.basis.choice.periods}
    live_ids = {period.pk for period in reading.basis.live_periods}
    lines = []
    for entry in history:
        if entry.period.pk in live_ids:
            continue
        group = pool(entry.units[unit_id] for unit_id in unit_ids if unit_id in entry.units)
        lines.append(
            TrendLine(
                entry.period,
                figures(group, rules=entry.rules, weight=entry.weight),
                entry.revision,
                entry.period.pk in selected,
            )
        )
    for period in reading.basis.live_periods:
        lines.append(
            TrendLine(period, figures(live.get(period.pk), rules=reading.rules, weight=reading.weight), None, True)
        )
    lines.sort(key=lambda line: (line.period.start, line.period.end))
    while lines and not lines[0].figures.has_index:
        lines.pop(0)
    return lines[-TREND_PERIODS:]


# --------------------------------------------------------------------------------------------
# The questionnaire and the suggestions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    number: int
    name: str
    question: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Questionnaire:
    title: str
    questions: tuple[Question, ...]


def questionnaires(responses: ResponseQuerySet, *, unit: ServiceUnit | None, language: str) -> list[Questionnaire]:
    """The questionnaires the counted responses answered (as they were: a published instrument
    never changes), or the one the unit asks now when none counted. Two queries."""
    used = Instrument.objects.filter(Exists(responses.filter(COUNTABLE, instrument=OuterRef("pk"))))
    instruments = list(used.order_by("name", "version").prefetch_related("elements"))
    if not instruments:
        instruments = list(Instrument.objects.published_for(unit).prefetch_related("elements")[:1])
    return [
        Questionnaire(
            f"{instrument.name} (v{instrument.version})",
            tuple(
                Question(
                    element.order,
                    element.name(language),
                    element.question(language),
                    tuple(label for _score, label in element.options(language)),
                )
                for element in sorted(instrument.elements.all(), key=lambda element: element.order)
            ),
        )
        for instrument in instruments
    ]


def suggestion_summary(responses: ResponseQuerySet, codes: Sequence[str]) -> SuggestionSummary:
    """The counted responses' suggestions, newest first, grouped by element (one query)."""
    texts = (
        responses.filter(COUNTABLE)
        .exclude(suggestion="")
        .order_by("-submitted_at", "-pk")
        .values_list("suggestion", flat=True)[:SUGGESTIONS_GROUPED]
    )
    return summarise(texts, codes, listing_limit=SUGGESTIONS_LISTED)


def suggestion_count(responses: ResponseQuerySet) -> int:
    """How many counted responses left a suggestion (one query)."""
    return responses.filter(COUNTABLE).exclude(suggestion="").count()
