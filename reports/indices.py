"""The SKM index engine: pure functions over exact fractions.

Implements the computation of the Survei Kepuasan Masyarakat as laid down by the
regulations (docs/skm-rules.md states the rules and their sources):

    n       number of counted responses
    T_i     sum of the scores given to element (unsur) i
    NRR_i   = T_i / n_i            mean score of element i over the n_i responses that answered it
    NRRt_i  = NRR_i * w            weighted mean; w = 1/k (exact) or a legacy printed weight
    IKM     = sum of NRRt_i        the index on the 1..4 scale
    NIK     = IKM * 25             the converted value on the 25..100 scale
    NIK_i   = NRR_i * 25           each element is banded on the same table

Everything is computed with :class:`fractions.Fraction`; rounding happens only in the display
helpers (:func:`round_nrr`, :func:`round_index`, :func:`round_nik`), once, half-up. Bands are
decided on NIK rounded to 2 decimals, half-up, with "at least" thresholds.

This module imports nothing from Django: it takes numbers and returns frozen dataclasses. The
rule sets, rounding and bands live in :mod:`reports.rules`, the sample size and the confidence
interval in :mod:`reports.sampling`, the priorities in :mod:`reports.priorities`, the plain mean of unit
indices in :mod:`reports.city_mean`; their names are importable from here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from reports.city_mean import CityMean, mean_of_indices
from reports.priorities import PRIORITY_COUNT, highest_elements, lowest_elements
from reports.rules import (
    DEFAULT_RULES,
    RULE_SETS,
    WEIGHT_MODES,
    Band,
    Element,
    RuleSet,
    band_for,
    get_rules,
    round_half_up,
    round_index,
    round_nik,
    round_nrr,
    weight_for,
)
from reports.sampling import (
    ConfidenceInterval,
    RespondentSpread,
    SampleAdequacy,
    confidence_interval,
    krejcie_morgan_minimum,
    sample_adequacy,
)

__all__ = [
    "DEFAULT_RULES",
    "PRIORITY_COUNT",
    "RULE_SETS",
    "WEIGHT_MODES",
    "Band",
    "CityMean",
    "ConfidenceInterval",
    "Element",
    "ElementResult",
    "ElementTally",
    "IndexResult",
    "RespondentSpread",
    "RuleSet",
    "SampleAdequacy",
    "SurveyTally",
    "band_for",
    "compute_index",
    "confidence_interval",
    "get_rules",
    "highest_elements",
    "krejcie_morgan_minimum",
    "lowest_elements",
    "mean_of_indices",
    "pool_spreads",
    "pool_surveys",
    "pool_tallies",
    "round_half_up",
    "round_index",
    "round_nik",
    "round_nrr",
    "sample_adequacy",
    "tallies_from_rows",
    "weight_for",
]


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementTally:
    """How many responses answered one element, and the sum of their scores."""

    code: str
    answers: int
    total: int


class SurveyTally(NamedTuple):
    """Everything :func:`compute_index` needs about a set of responses."""

    tallies: tuple[ElementTally, ...]
    respondents: int
    spread: RespondentSpread


def tallies_from_rows(rows: Iterable[Mapping[str, int | None]], rules: str | RuleSet = DEFAULT_RULES) -> SurveyTally:
    """Fold per-respondent score rows (element code -> score, None or absent = unanswered).

    A row with no answer at all is skipped (not counted as a respondent). A score that is not
    an integer raises TypeError; one outside the scale, or an unknown code, ValueError.
    """
    rule_set = get_rules(rules)
    known = set(rule_set.codes)
    answers = dict.fromkeys(rule_set.codes, 0)
    totals = dict.fromkeys(rule_set.codes, 0)
    respondents = 0
    sum_means = Fraction(0)
    sum_sq_means = Fraction(0)
    for row in rows:
        unknown = set(row) - known
        if unknown:
            raise ValueError(f"unknown element code(s) for {rule_set.key}: {sorted(unknown)}")
        scores = [(code, score) for code, score in row.items() if score is not None]
        if not scores:
            continue
        for code, score in scores:
            _check_score(code, score, rule_set)
            answers[code] += 1
            totals[code] += score
        respondents += 1
        mean = Fraction(sum(score for _, score in scores), len(scores))
        sum_means += mean
        sum_sq_means += mean * mean
    tallies = tuple(ElementTally(code, answers[code], totals[code]) for code in rule_set.codes)
    return SurveyTally(tallies, respondents, RespondentSpread(respondents, sum_means, sum_sq_means))


def _check_score(code: str, score: object, rule_set: RuleSet) -> None:
    if isinstance(score, bool) or not isinstance(score, int):
        raise TypeError(f"{code}: {score!r} is not an integer score")
    if not rule_set.scale_min <= score <= rule_set.scale_max:
        raise ValueError(f"{code}: {score} is not a score {rule_set.scale_min}-{rule_set.scale_max}")


# --------------------------------------------------------------------------------------------
# Pooling
# --------------------------------------------------------------------------------------------


def pool_tallies(groups: Iterable[Sequence[ElementTally]]) -> list[ElementTally]:
    """Sum the tallies of several groups (services, units, periods) element by element.

    Combining groups pools their responses; it never averages their indices. Codes keep the
    order of their first appearance (:func:`compute_index` reorders to questionnaire order).
    """
    answers: dict[str, int] = {}
    totals: dict[str, int] = {}
    for group in groups:
        for tally in group:
            answers[tally.code] = answers.get(tally.code, 0) + tally.answers
            totals[tally.code] = totals.get(tally.code, 0) + tally.total
    return [ElementTally(code, answers[code], totals[code]) for code in answers]


def pool_spreads(spreads: Iterable[RespondentSpread]) -> RespondentSpread:
    """Pool the respondent spreads of disjoint groups of respondents."""
    n = 0
    sum_means = Fraction(0)
    sum_sq_means = Fraction(0)
    for spread in spreads:
        n += spread.n
        sum_means += spread.sum_means
        sum_sq_means += spread.sum_sq_means
    return RespondentSpread(n, sum_means, sum_sq_means)


def pool_surveys(groups: Iterable[SurveyTally]) -> SurveyTally:
    """Pool tallies, respondents and spreads of disjoint groups of respondents."""
    materialised = list(groups)
    return SurveyTally(
        tuple(pool_tallies(group.tallies for group in materialised)),
        sum(group.respondents for group in materialised),
        pool_spreads(group.spread for group in materialised),
    )


# --------------------------------------------------------------------------------------------
# The index
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementResult:
    """One element: NRR, weighted NRR, converted value and band (None without answers)."""

    code: str
    answers: int
    total: int
    nrr: Fraction | None
    nrr_weighted: Fraction | None
    nik: Fraction | None
    grade: str | None
    label: str | None


@dataclass(frozen=True)
class IndexResult:
    """The index of one set of responses under one rule set and weight mode.

    ``has_data`` is False when there are no counted responses; then ``index``, ``nik``,
    ``grade`` and ``label`` are None ("belum ada data"). They are also None when some element
    has no answer at all: the index is defined over every element of the rule set.
    """

    rules: str
    weight: str
    respondents: int
    elements: tuple[ElementResult, ...]
    index: Fraction | None
    nik: Fraction | None
    grade: str | None
    label: str | None
    has_data: bool
    bands_verified: bool
    ci: ConfidenceInterval | None
    sample: SampleAdequacy | None


def compute_index(
    tallies: Sequence[ElementTally],
    *,
    respondents: int,
    rules: str = DEFAULT_RULES,
    weight: str = "exact",
    spread: RespondentSpread | None = None,
    population: int | None = None,
) -> IndexResult:
    """Compute NRR per element, the index (IKM) and its converted value (NIK) with bands.

    With the exact weight, IKM = sum(NRR_i) / k; with a legacy weight w, IKM = sum(NRR_i * w).
    NIK = IKM * 25. Elements come back in questionnaire order whatever the input order; an
    element missing from ``tallies`` has no answers. Unknown or repeated codes, and tallies
    inconsistent with the respondents or the scale, raise ValueError.
    """
    rule_set = get_rules(rules)
    w = weight_for(weight, rule_set)
    if respondents < 0:
        raise ValueError(f"respondents must be >= 0, not {respondents}")
    by_code = _tallies_by_code(tallies, rule_set, respondents)

    elements: list[ElementResult] = []
    for code in rule_set.codes:
        tally = by_code.get(code, ElementTally(code, 0, 0))
        elements.append(_element_result(tally, w, rule_set))

    index: Fraction | None = None
    if respondents > 0 and all(element.nrr_weighted is not None for element in elements):
        index = sum(
            (e.nrr_weighted for e in elements if e.nrr_weighted is not None),
            Fraction(0),
        )
    return _index_result(
        index,
        rule_set=rule_set,
        weight=weight,
        respondents=respondents,
        elements=tuple(elements),
        spread=spread,
        population=population,
    )


def _index_result(
    index: Fraction | None,
    *,
    rule_set: RuleSet,
    weight: str,
    respondents: int,
    elements: tuple[ElementResult, ...],
    spread: RespondentSpread | None,
    population: int | None,
) -> IndexResult:
    """The result around an index (IKM): its NIK, band, confidence interval and sample adequacy."""
    nik = index * rule_set.factor if index is not None else None
    band = band_for(nik, rule_set) if nik is not None else None
    ci: ConfidenceInterval | None = None
    if spread is not None:
        if spread.n != respondents:
            raise ValueError(f"spread counts {spread.n} respondents, not {respondents}")
        if nik is not None:
            ci = confidence_interval(spread, population=population, factor=rule_set.factor)
    return IndexResult(
        rules=rule_set.key,
        weight=weight,
        respondents=respondents,
        elements=elements,
        index=index,
        nik=nik,
        grade=band.grade if band else None,
        label=band.label if band else None,
        has_data=respondents > 0,
        bands_verified=rule_set.bands_verified,
        ci=ci,
        sample=sample_adequacy(respondents, population) if population is not None else None,
    )


def _tallies_by_code(tallies: Sequence[ElementTally], rule_set: RuleSet, respondents: int) -> dict[str, ElementTally]:
    known = set(rule_set.codes)
    by_code: dict[str, ElementTally] = {}
    for tally in tallies:
        if tally.code not in known:
            raise ValueError(f"unknown element code {tally.code!r} for {rule_set.key}")
        if tally.code in by_code:
            raise ValueError(f"element code {tally.code!r} given twice; pool tallies first")
        if not 0 <= tally.answers <= respondents:
            raise ValueError(f"{tally.code}: {tally.answers} answers for {respondents} respondents")
        low, high = (
            tally.answers * rule_set.scale_min,
            tally.answers * rule_set.scale_max,
        )
        if not low <= tally.total <= high:
            raise ValueError(f"{tally.code}: total {tally.total} impossible for {tally.answers} answers")
        by_code[tally.code] = tally
    return by_code


def _element_result(tally: ElementTally, w: Fraction, rule_set: RuleSet) -> ElementResult:
    if tally.answers == 0:
        return ElementResult(tally.code, 0, 0, None, None, None, None, None)
    nrr = Fraction(tally.total, tally.answers)
    nik = nrr * rule_set.factor
    band = band_for(nik, rule_set)
    return ElementResult(
        code=tally.code,
        answers=tally.answers,
        total=tally.total,
        nrr=nrr,
        nrr_weighted=nrr * w,
        nik=nik,
        grade=band.grade,
        label=band.label,
    )


# --------------------------------------------------------------------------------------------
# The index from a grand total (every respondent answered every element)
# --------------------------------------------------------------------------------------------


def compute_index_from_total(
    total: int,
    *,
    respondents: int,
    rules: str = DEFAULT_RULES,
    weight: str = "exact",
    spread: RespondentSpread | None = None,
    population: int | None = None,
) -> IndexResult:
    """The index of responses that each answered every element, from the sum of all their scores.

    With complete answers n_i = n for every element i, so IKM = sum_i w * T_i / n = w * total / n
    (= total / (k * n) with the exact weight): exactly what :func:`compute_index` gives for the
    same responses. Only the per-element results are unknown here (``elements`` is empty), so
    this serves tables of many units that show the index alone.
    """
    rule_set = get_rules(rules)
    w = weight_for(weight, rule_set)
    if respondents < 0:
        raise ValueError(f"respondents must be >= 0, not {respondents}")
    k = rule_set.element_count
    low, high = respondents * k * rule_set.scale_min, respondents * k * rule_set.scale_max
    if not low <= total <= high:
        raise ValueError(f"total {total} impossible for {respondents} complete responses")
    index = w * Fraction(total, respondents) if respondents else None
    return _index_result(
        index,
        rule_set=rule_set,
        weight=weight,
        respondents=respondents,
        elements=(),
        spread=spread,
        population=population,
    )
