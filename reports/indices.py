"""The SKM index engine: pure functions over exact fractions.

Implements the computation of the Survei Kepuasan Masyarakat as laid down by the
regulations (see ``/work/shared/skm-spec.md``):

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

This module imports nothing from Django: it takes numbers and returns frozen dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import NamedTuple

__all__ = [
    "DEFAULT_RULES",
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
    "krejcie_morgan_minimum",
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
# Rule sets
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """One row of a band table: every NIK (rounded to 2 dp) of at least ``min_nik``."""

    min_nik: Fraction
    grade: str
    label: str


@dataclass(frozen=True)
class Element:
    """A survey element (unsur pelayanan) under a stable code."""

    code: str
    name: str


@dataclass(frozen=True)
class RuleSet:
    """The parameters of one regulation, as data."""

    key: str
    title: str
    elements: tuple[Element, ...]  # in questionnaire order
    bands: tuple[Band, ...]  # highest threshold first; the last band catches everything below
    legacy_weights: tuple[str, ...]  # weight modes, besides "exact", that reproduce old reports
    bands_verified: bool = True
    scale_min: int = 1
    scale_max: int = 4
    factor: int = 25
    min_sample_rule: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(element.code for element in self.elements)

    @property
    def element_count(self) -> int:
        return len(self.elements)


BANDS_TABLE_A: tuple[Band, ...] = (
    Band(Fraction("88.31"), "A", "Sangat Baik"),
    Band(Fraction("76.61"), "B", "Baik"),
    Band(Fraction("65.00"), "C", "Kurang Baik"),
    Band(Fraction("25.00"), "D", "Tidak Baik"),
)

BANDS_TABLE_B: tuple[Band, ...] = (
    Band(Fraction("81.26"), "A", "Sangat Baik"),
    Band(Fraction("62.51"), "B", "Baik"),
    Band(Fraction("43.76"), "C", "Kurang Baik"),
    Band(Fraction("25.00"), "D", "Tidak Baik"),
)

KREJCIE_MORGAN_NOTE = "Krejcie & Morgan (1970): minimum sample for the population of service users"

RULE_SETS: dict[str, RuleSet] = {
    rule_set.key: rule_set
    for rule_set in (
        RuleSet(
            key="permenpan-14-2017",
            title=(
                "PermenPAN-RB 14/2017, Pedoman Penyusunan Survei Kepuasan Masyarakat "
                "Unit Penyelenggara Pelayanan Publik"
            ),
            elements=(
                Element("PERSYARATAN", "Persyaratan"),
                Element("PROSEDUR", "Sistem, Mekanisme, dan Prosedur"),
                Element("WAKTU", "Waktu Penyelesaian"),
                Element("BIAYA", "Biaya/Tarif"),
                Element("PRODUK", "Produk Spesifikasi Jenis Pelayanan"),
                Element("KOMPETENSI", "Kompetensi Pelaksana"),
                Element("PERILAKU", "Perilaku Pelaksana"),
                Element("SARANA", "Sarana dan Prasarana"),
                Element("PENGADUAN", "Penanganan Pengaduan, Saran dan Masukan"),
            ),
            bands=BANDS_TABLE_A,
            legacy_weights=("0.111", "0.11"),
            min_sample_rule=KREJCIE_MORGAN_NOTE,
        ),
        RuleSet(
            key="permenpan-16-2014",
            title="PermenPAN-RB 16/2014 (replaced by PermenPAN-RB 14/2017)",
            elements=(
                Element("PERSYARATAN", "Persyaratan"),
                Element("PROSEDUR", "Prosedur"),
                Element("WAKTU", "Waktu pelayanan"),
                Element("BIAYA", "Biaya/Tarif"),
                Element("PRODUK", "Produk spesifikasi jenis pelayanan"),
                Element("KOMPETENSI", "Kompetensi pelaksana"),
                Element("PERILAKU", "Perilaku pelaksana"),
                Element("MAKLUMAT", "Maklumat pelayanan"),
                Element("PENGADUAN", "Penanganan pengaduan, saran dan masukan"),
            ),
            bands=BANDS_TABLE_B,
            bands_verified=False,
            legacy_weights=("0.111", "0.11"),
            min_sample_rule=KREJCIE_MORGAN_NOTE,
        ),
        RuleSet(
            key="kepmenpan-25-2004",
            title="KepMenPAN 25/M.PAN/2/2004, Indeks Kepuasan Masyarakat",
            elements=(
                Element("PROSEDUR", "Prosedur pelayanan"),
                Element("PERSYARATAN", "Persyaratan pelayanan"),
                Element("KEJELASAN_PETUGAS", "Kejelasan petugas pelayanan"),
                Element("KEDISIPLINAN_PETUGAS", "Kedisiplinan petugas pelayanan"),
                Element("TANGGUNG_JAWAB_PETUGAS", "Tanggung jawab petugas pelayanan"),
                Element("KEMAMPUAN_PETUGAS", "Kemampuan petugas pelayanan"),
                Element("KECEPATAN", "Kecepatan pelayanan"),
                Element("KEADILAN", "Keadilan mendapatkan pelayanan"),
                Element("KESOPANAN", "Kesopanan dan keramahan petugas"),
                Element("KEWAJARAN_BIAYA", "Kewajaran biaya pelayanan"),
                Element("KEPASTIAN_BIAYA", "Kepastian biaya pelayanan"),
                Element("KEPASTIAN_JADWAL", "Kepastian jadwal pelayanan"),
                Element("KENYAMANAN", "Kenyamanan lingkungan"),
                Element("KEAMANAN", "Keamanan pelayanan"),
            ),
            bands=BANDS_TABLE_B,
            legacy_weights=("0.071",),
            min_sample_rule="at least 150 respondents (unverified); Krejcie & Morgan used here",
        ),
    )
}

DEFAULT_RULES = "permenpan-14-2017"

#: Weight modes: ``"exact"`` is 1/k; the others are the rounded weights printed on old templates.
WEIGHT_MODES: dict[str, Fraction | None] = {
    "exact": None,
    "0.111": Fraction("0.111"),
    "0.11": Fraction("0.11"),
    "0.071": Fraction("0.071"),
}


def get_rules(rules: str | RuleSet) -> RuleSet:
    """Return the rule set for a key (or the rule set itself); ValueError for an unknown key."""
    if isinstance(rules, RuleSet):
        return rules
    try:
        return RULE_SETS[rules]
    except KeyError:
        known = ", ".join(sorted(RULE_SETS))
        raise ValueError(f"unknown rule set {rules!r} (known: {known})") from None


def weight_for(weight: str, rules: str | RuleSet) -> Fraction:
    """The weight w of each element: 1/k for ``"exact"``, else a legacy weight of the rule set."""
    rule_set = get_rules(rules)
    if weight == "exact":
        return Fraction(1, rule_set.element_count)
    if weight not in WEIGHT_MODES or weight not in rule_set.legacy_weights:
        allowed = ", ".join(("exact", *rule_set.legacy_weights))
        raise ValueError(f"weight {weight!r} is not available for {rule_set.key} (use: {allowed})")
    value = WEIGHT_MODES[weight]
    assert value is not None
    return value


# --------------------------------------------------------------------------------------------
# Rounding and bands
# --------------------------------------------------------------------------------------------


def round_half_up(value: Fraction | Decimal | int, places: int) -> Decimal:
    """Round an exact value to ``places`` decimals, halves away from zero, as a Decimal."""
    scaled = Fraction(value) * 10**places
    magnitude = (2 * abs(scaled.numerator) + scaled.denominator) // (2 * scaled.denominator)
    digits = -magnitude if scaled < 0 else magnitude
    return Decimal(digits).scaleb(-places)


def round_nrr(value: Fraction | Decimal | int) -> Decimal:
    """An NRR (or weighted NRR) for display: 4 decimals, half-up."""
    return round_half_up(value, 4)


def round_index(value: Fraction | Decimal | int) -> Decimal:
    """The index (IKM, 1..4 scale) for display: 4 decimals, half-up."""
    return round_half_up(value, 4)


def round_nik(value: Fraction | Decimal | int) -> Decimal:
    """The converted value (NIK, 25..100 scale) for display: 2 decimals, half-up."""
    return round_half_up(value, 2)


def band_for(nik: Fraction | Decimal | int, rules: str | RuleSet = DEFAULT_RULES) -> Band:
    """The band of a NIK: the first band whose threshold the NIK rounded to 2 dp reaches.

    Values below the lowest threshold (possible only with a legacy weight, e.g. 24.75 for an
    all-1 survey with w = 0.11) fall in the lowest band.
    """
    rounded = Fraction(round_nik(nik))
    bands = get_rules(rules).bands
    for band in bands:
        if rounded >= band.min_nik:
            return band
    return bands[-1]


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementTally:
    """How many responses answered one element, and the sum of their scores."""

    code: str
    answers: int
    total: int


@dataclass(frozen=True)
class RespondentSpread:
    """Per-respondent mean scores folded into sums, for the confidence interval.

    For each respondent r, ``m_r`` = (sum of r's scores) / (number of elements r answered);
    ``n`` respondents, ``sum_means`` = sum of m_r, ``sum_sq_means`` = sum of m_r squared.
    """

    n: int
    sum_means: Fraction
    sum_sq_means: Fraction


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
# Sample size and confidence interval
# --------------------------------------------------------------------------------------------


def krejcie_morgan_minimum(population: int) -> int:
    """The Krejcie & Morgan (1970) minimum sample S for a population N.

    S = round(3.841 * N * 0.25 / (0.0025 * (N - 1) + 3.841 * 0.25)), rounded half-up to the
    nearest integer, never more than N and never more than 384.
    """
    if isinstance(population, bool) or not isinstance(population, int) or population < 0:
        raise ValueError(f"population must be a whole number >= 0, not {population!r}")
    if population == 0:
        return 0
    chi_square = Fraction("3.841")
    proportion_term = Fraction(1, 4)  # P(1 - P) with P = 0.5
    margin_squared = Fraction("0.0025")  # d = 0.05
    exact = (chi_square * population * proportion_term) / (
        margin_squared * (population - 1) + chi_square * proportion_term
    )
    size = int(round_half_up(exact, 0))
    return min(size, population, 384)


@dataclass(frozen=True)
class SampleAdequacy:
    """Whether the achieved number of respondents reaches the Krejcie-Morgan minimum."""

    population: int
    minimum: int
    achieved: int
    adequate: bool


def sample_adequacy(achieved: int, population: int) -> SampleAdequacy:
    """Compare the achieved respondents with the minimum sample for the population."""
    if achieved < 0:
        raise ValueError(f"achieved respondents must be >= 0, not {achieved}")
    minimum = krejcie_morgan_minimum(population)
    return SampleAdequacy(population, minimum, achieved, achieved >= minimum)


@dataclass(frozen=True)
class ConfidenceInterval:
    """An interval for the NIK (25..100 scale)."""

    low: Fraction
    high: Fraction
    level: Decimal = Decimal("0.95")


Z_95 = Fraction("1.959964")
# Two-sided 95% critical values of Student's t for 1..30 degrees of freedom (published tables).
T_95 = (
    "12.706", "4.303", "3.182", "2.776", "2.571", "2.447", "2.365", "2.306", "2.262", "2.228",
    "2.201", "2.179", "2.160", "2.145", "2.131", "2.120", "2.110", "2.101", "2.093", "2.086",
    "2.080", "2.074", "2.069", "2.064", "2.060", "2.056", "2.052", "2.048", "2.045", "2.042",
)  # fmt: skip


def t_critical_95(degrees_of_freedom: int) -> Fraction:
    """Student's t for a two-sided 95% interval: the table up to 30 degrees of freedom, beyond it
    the Cornish-Fisher expansion around z (accurate to 0.001), tending to z = 1.96."""
    if degrees_of_freedom < 1:
        raise ValueError("a t interval needs at least one degree of freedom")
    if degrees_of_freedom <= len(T_95):
        return Fraction(T_95[degrees_of_freedom - 1])
    z, v = Z_95, Fraction(degrees_of_freedom)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
    )


def confidence_interval(
    spread: RespondentSpread, *, population: int | None = None, factor: int = 25
) -> ConfidenceInterval | None:
    """A 95% confidence interval for the NIK from the respondents' mean scores.

    With m_r the mean score of respondent r, n respondents, mean(m) their mean and s the sample
    standard deviation of m_r (denominator n - 1)::

        CI = 25 * ( mean(m) +/- t(n - 1) * s / sqrt(n) * sqrt((N - n) / (N - 1)) )

    t(n - 1) is Student's two-sided 95% critical value for n - 1 degrees of freedom (12.706 for
    two respondents, 2.262 for ten, 1.98 for a hundred, tending to 1.96): small samples get the
    honestly wider interval a z of 1.96 would understate.

    The finite-population correction sqrt((N - n) / (N - 1)) applies only when the population N
    is known and N > n >= 2; when N <= n the whole population answered and the interval has zero
    width. With n < 2 there is no interval (None). The bounds are clamped to [25, 100].
    With complete answers mean(m) = IKM, so the interval is centred on the NIK.
    """
    n = spread.n
    if n < 2:
        return None
    mean = spread.sum_means / n
    variance = (spread.sum_sq_means - n * mean * mean) / (n - 1)
    if variance < 0:
        raise ValueError("inconsistent respondent spread: negative variance")
    squared_error = variance / n
    if population is not None:
        if population <= n:
            squared_error = Fraction(0)
        else:
            squared_error *= Fraction(population - n, population - 1)
    half_width = t_critical_95(n - 1) * _sqrt(squared_error)
    low = max(Fraction(factor), factor * (mean - half_width))
    high = min(Fraction(factor * 4), factor * (mean + half_width))
    return ConfidenceInterval(low, high)


def _sqrt(value: Fraction) -> Fraction:
    with localcontext() as context:
        context.prec = 60
        root = (Decimal(value.numerator) / Decimal(value.denominator)).sqrt()
    return Fraction(root)


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
# City-wide mean of unit indices
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CityMean:
    """The plain mean of unit NIKs; no official rule, so it is always labelled as such."""

    nik: Fraction | None
    units_covered: int
    label: str = "rata-rata indeks unit"


def mean_of_indices(results: Sequence[IndexResult]) -> CityMean:
    """Average the NIK of the results that have one; report how many units it covers.

    For the pooled city-wide figure, pool the tallies instead (:func:`pool_surveys`).
    Results of different rule sets or weight modes cannot be averaged (ValueError).
    """
    if len({(result.rules, result.weight) for result in results}) > 1:
        raise ValueError("cannot average indices of different rule sets or weight modes")
    niks = [result.nik for result in results if result.nik is not None]
    if not niks:
        return CityMean(None, 0)
    return CityMean(sum(niks, Fraction(0)) / len(niks), len(niks))


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


PRIORITY_COUNT = 3


def lowest_elements(result: IndexResult, count: int = PRIORITY_COUNT) -> list[ElementResult]:
    """The `count` elements with the lowest NRR: the improvement priorities (and the proposal of a
    follow-up plan). Ties go to the earlier element in the questionnaire, so the choice is the same
    every time; elements nobody answered are left out.
    """
    answered = [(position, element) for position, element in enumerate(result.elements) if element.nrr is not None]
    answered.sort(key=lambda item: (item[1].nrr, item[0]))
    return [element for _position, element in answered[:count]]
