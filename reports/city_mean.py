"""The plain mean of unit indices: how a city is often summed up, although no regulation defines it,
so it is always labelled as such. The pooled city figure pools the tallies instead
(`reports.indices.pool_surveys`). Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.indices import IndexResult


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
