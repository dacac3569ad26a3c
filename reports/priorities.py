"""Which elements a unit should work on first, and which are its strengths: the priorities of the
dashboard, the follow-up plan and the Laporan (docs/skm-rules.md §10). Pure Python, no Django.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.indices import ElementResult, IndexResult

PRIORITY_COUNT = 3


def lowest_elements(result: IndexResult, count: int = PRIORITY_COUNT) -> list[ElementResult]:
    """The `count` elements with the lowest NRR, and every element tied with the last of them: the
    improvement priorities (and the proposal of a follow-up plan). Two elements with the same NRR
    are treated alike, so three priorities can become four or more; they come lowest first, ties in
    questionnaire order. Elements nobody answered are left out.
    """
    return _extremes(result, count, lowest=True)


def highest_elements(result: IndexResult, count: int = PRIORITY_COUNT) -> list[ElementResult]:
    """The `count` elements with the highest NRR and every element tied with the last of them (the
    unit's strengths, as the Laporan names them), by the same tie rule as `lowest_elements`."""
    return _extremes(result, count, lowest=False)


def _extremes(result: IndexResult, count: int, *, lowest: bool) -> list[ElementResult]:
    answered = [(position, element.nrr, element) for position, element in enumerate(result.elements)]
    ranked = sorted(
        ((position, nrr, element) for position, nrr, element in answered if nrr is not None),
        key=lambda item: (item[1] if lowest else -item[1], item[0]),
    )
    if len(ranked) <= count:
        return [element for _position, _nrr, element in ranked]
    cutoff = ranked[count - 1][1]
    return [element for _position, nrr, element in ranked if (nrr <= cutoff if lowest else nrr >= cutoff)]
