"""Sample size (Krejcie & Morgan) and the confidence interval of an index. Pure Python, no Django.

See docs/skm-rules.md for the formulas and their sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from reports.rules import round_half_up


@dataclass(frozen=True)
class RespondentSpread:
    """Per-respondent mean scores folded into sums, for the confidence interval.

    For each respondent r, ``m_r`` = (sum of r's scores) / (number of elements r answered);
    ``n`` respondents, ``sum_means`` = sum of m_r, ``sum_sq_means`` = sum of m_r squared.
    """

    n: int
    sum_means: Fraction
    sum_sq_means: Fraction


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
