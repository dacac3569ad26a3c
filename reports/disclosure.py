"""Small groups protected on the public site: statistical disclosure control. Pure Python.

A published breakdown of respondents (by sex, by education) must not let a reader single out a
citizen. Three rules, with the thresholds in settings (`PUBLIC_MIN_CELL`, `PUBLIC_MIN_BREAKDOWN`,
docs/skm-rules.md, "Small groups on the public site"):

1. A unit with fewer than `min_breakdown` respondents shows no breakdown at all.
2. A cell with 1 to `min_cell - 1` respondents shows "< 5" (primary suppression). An empty
   category is not listed: it describes nobody.
3. The unit's respondent count is published, so a single hidden cell could be worked out by
   subtraction (and so could several hidden cells whose total leaves them only one possible value
   each). Further cells are then hidden too, smallest first, and shown as "≥ 5" (secondary
   suppression); if even hiding every cell leaves one determined, the breakdown is not shown.

A percentage is shown only beside an exact count, so it tells nothing the count does not.
`feasible_range` is the reader's own arithmetic, used both to choose the secondary cells and by
the tests to prove that no hidden cell can be backed out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from reports.rules import round_half_up


class Shown(Enum):
    EXACT = "exact"
    SMALL = "small"  # primary: 1 .. min_cell - 1, shown as "< min_cell"
    HIDDEN = "hidden"  # secondary: min_cell or more, shown as "≥ min_cell"


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None when hidden
    percent: Decimal | None  # of the unit's respondents; None when hidden
    shown: Shown

    @property
    def is_exact(self) -> bool:
        return self.shown is Shown.EXACT


@dataclass(frozen=True)
class Breakdown:
    cells: list[Cell]
    min_cell: int

    @property
    def protected(self) -> bool:
        return any(not cell.is_exact for cell in self.cells)


def _intervals(shown: Sequence[Shown], counts: Sequence[int], *, min_cell: int, total: int) -> list[tuple[int, int]]:
    """What a reader knows of each cell from the page alone, and from knowing these rules: a
    secondary cell was the smallest exact one when it was hidden, so it is no larger than any
    cell still shown exactly."""
    exact = [count for state, count in zip(shown, counts, strict=True) if state is Shown.EXACT]
    ceiling = min([total, *exact])
    bounds = {Shown.SMALL: (1, min_cell - 1), Shown.HIDDEN: (min_cell, ceiling)}
    return [
        (count, count) if state is Shown.EXACT else bounds[state] for state, count in zip(shown, counts, strict=True)
    ]


def feasible_range(intervals: Sequence[tuple[int, int]], *, total: int, position: int) -> tuple[int, int]:
    """The values cell `position` can take, given every cell's interval and the published total.

    With integer intervals and one sum, each cell ranges exactly between its own bounds clipped by
    what the other cells' bounds leave of the total.
    """
    low, high = intervals[position]
    others_low = sum(lo for index, (lo, _hi) in enumerate(intervals) if index != position)
    others_high = sum(hi for index, (_lo, hi) in enumerate(intervals) if index != position)
    return max(low, total - others_high), min(high, total - others_low)


def _determined(shown: Sequence[Shown], counts: Sequence[int], *, min_cell: int, total: int) -> bool:
    intervals = _intervals(shown, counts, min_cell=min_cell, total=total)
    for position, state in enumerate(shown):
        if state is not Shown.EXACT:
            low, high = feasible_range(intervals, total=total, position=position)
            if low == high:
                return True
    return False


def _percent(count: int, total: int) -> Decimal:
    """A count's share of the total in whole percent, rounded as every page rounds (half up)."""
    return round_half_up(Fraction(count, total) * 100, 0)


def protect(
    counts: Sequence[tuple[str, int]], *, respondents: int, min_cell: int, min_breakdown: int
) -> Breakdown | None:
    """The breakdown as the public may see it, or None when it may not be shown at all.

    `counts` are (label, respondents) of every category, summing to `respondents` (the "not
    given" category included); empty categories are dropped.
    """
    cells = [(label, count) for label, count in counts if count > 0]
    if respondents < min_breakdown or not cells or sum(count for _label, count in cells) != respondents:
        return None
    shown = [Shown.SMALL if count < min_cell else Shown.EXACT for _label, count in cells]
    numbers = [count for _label, count in cells]
    while _determined(shown, numbers, min_cell=min_cell, total=respondents):
        exact = [index for index, state in enumerate(shown) if state is Shown.EXACT]
        if not exact:
            return None
        smallest = min(exact, key=lambda index: (numbers[index], index))
        shown[smallest] = Shown.HIDDEN
    return Breakdown(
        cells=[
            Cell(
                label=label,
                count=count if state is Shown.EXACT else None,
                percent=_percent(count, respondents) if state is Shown.EXACT else None,
                shown=state,
            )
            for (label, count), state in zip(cells, shown, strict=True)
        ],
        min_cell=min_cell,
    )


def reader_intervals(breakdown: Breakdown, *, respondents: int) -> list[tuple[int, int]]:
    """What a reader knows of each cell from the published breakdown (for tests and audits)."""
    return _intervals(
        [cell.shown for cell in breakdown.cells],
        [cell.count or 0 for cell in breakdown.cells],
        min_cell=breakdown.min_cell,
        total=respondents,
    )
