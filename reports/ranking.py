"""Ranking units among their peers, with the range their confidence intervals allow. Pure Python.

A unit's rank alone overstates what a survey can tell: two units whose intervals overlap may be
in either order. `peer_ranks` gives each unit its rank on the exact NIK and the best and worst
rank its interval allows (docs/skm-rules.md, "Ranking").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from reports.indices import IndexResult


@dataclass(frozen=True)
class PeerRank:
    """A unit's place among its peers (same kind), with the range its confidence interval allows.

    `best` counts only peers whose whole interval lies above this unit's; `worst` counts every
    peer except those whose whole interval lies below. Peers with fewer than two respondents
    have no interval and count as a point.
    """

    rank: int
    best: int
    worst: int
    of: int


def _bounds(result: IndexResult) -> tuple[Fraction, Fraction]:
    assert result.nik is not None
    if result.ci is None:
        return result.nik, result.nik
    return result.ci.low, result.ci.high


def peer_ranks(results: Mapping[Hashable, IndexResult]) -> dict[Hashable, PeerRank]:
    """Rank units (by key) within one peer group on their exact NIK, with an uncertainty range.

    Sorted lists and binary search keep this O(n log n) for the hundred-odd kelurahan of a city.
    Units without an index are not ranked.
    """
    ranked = {key: result for key, result in results.items() if result.nik is not None}
    bounds = {key: _bounds(result) for key, result in ranked.items()}
    niks = sorted(result.nik for result in ranked.values() if result.nik is not None)
    lows = sorted(low for low, _high in bounds.values())
    highs = sorted(high for _low, high in bounds.values())
    count = len(ranked)
    ranks: dict[Hashable, PeerRank] = {}
    for key, result in ranked.items():
        assert result.nik is not None
        low, high = bounds[key]
        ranks[key] = PeerRank(
            rank=1 + count - bisect_right(niks, result.nik),  # peers with a higher NIK
            best=1 + count - bisect_right(lows, high),  # peers whose whole interval lies above
            worst=count - bisect_left(highs, low),  # all but the peers whose whole interval lies below
            of=count,
        )
    return ranks
