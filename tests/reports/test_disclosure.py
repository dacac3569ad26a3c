"""Small groups on the public site: no citizen can be singled out from a published breakdown."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reports.disclosure import Shown, feasible_range, protect, reader_intervals

MIN_CELL, MIN_BREAKDOWN = 5, 10


def shown(counts: list[tuple[str, int]]) -> list[str]:
    breakdown = protect(counts, respondents=sum(c for _l, c in counts), min_cell=MIN_CELL, min_breakdown=MIN_BREAKDOWN)
    assert breakdown is not None
    return [
        f"{cell.label} {cell.count}" if cell.is_exact else f"{cell.label} {'<' if cell.shown is Shown.SMALL else '≥'} 5"
        for cell in breakdown.cells
    ]


def test_a_unit_with_fewer_than_ten_respondents_shows_no_breakdown() -> None:
    assert protect([("L", 5), ("P", 4)], respondents=9, min_cell=MIN_CELL, min_breakdown=MIN_BREAKDOWN) is None


def test_large_cells_are_shown_exactly_with_their_percentage() -> None:
    breakdown = protect([("L", 6), ("P", 6)], respondents=12, min_cell=MIN_CELL, min_breakdown=MIN_BREAKDOWN)
    assert breakdown is not None and not breakdown.protected
    assert [(cell.count, cell.percent) for cell in breakdown.cells] == [(6, 50), (6, 50)]


def test_an_empty_category_is_not_listed() -> None:
    assert shown([("L", 6), ("P", 6), ("-", 0)]) == ["L 6", "P 6"]


def test_a_small_cell_shows_less_than_five_and_its_partner_is_hidden_so_it_cannot_be_subtracted() -> None:
    # 12 respondents, 11 men: showing "L 11" with n = 12 would give away the one woman.
    assert shown([("L", 11), ("P", 1)]) == ["L ≥ 5", "P < 5"]


def test_two_small_cells_that_could_only_be_one_each_are_protected_too() -> None:
    # 10 respondents, 8 shown: two hidden cells summing to 2 could only be 1 and 1.
    assert shown([("SD", 1), ("SMA", 8), ("S1", 1)]) == ["SD < 5", "SMA ≥ 5", "S1 < 5"]


def test_the_smallest_large_cell_is_the_one_hidden_beside_a_small_one() -> None:
    assert shown([("SD", 2), ("SMA", 20), ("S1", 9)]) == ["SD < 5", "SMA 20", "S1 ≥ 5"]


def test_a_breakdown_that_cannot_be_protected_is_not_shown() -> None:
    # Three cells of four among twelve respondents: "< 5" three times with n = 12 means 4, 4, 4.
    assert protect([("A", 4), ("B", 4), ("C", 4)], respondents=12, min_cell=5, min_breakdown=10) is None


def test_counts_that_do_not_add_up_to_the_respondents_are_not_shown() -> None:
    assert protect([("L", 6), ("P", 6)], respondents=13, min_cell=MIN_CELL, min_breakdown=MIN_BREAKDOWN) is None


def test_the_reader_s_range_of_a_cell_is_clipped_by_the_total() -> None:
    assert feasible_range([(1, 4), (11, 11)], total=12, position=0) == (1, 1)
    assert feasible_range([(1, 4), (5, 12)], total=12, position=0) == (1, 4)


@given(
    st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8),
    st.integers(min_value=2, max_value=6),
    st.integers(min_value=1, max_value=15),
)
def test_no_hidden_cell_can_be_worked_out_from_what_is_published(counts: list[int], min_cell: int, least: int) -> None:
    """Whatever the counts: a shown cell is exact and large; every hidden cell keeps at least two
    possible values given the published counts, percentages and total; small units show nothing."""
    labelled = [(f"k{index}", count) for index, count in enumerate(counts)]
    total = sum(counts)
    breakdown = protect(labelled, respondents=total, min_cell=min_cell, min_breakdown=least)
    if total < least or total == 0:
        assert breakdown is None
        return
    if breakdown is None:
        return
    true_counts = [count for count in counts if count > 0]
    assert len(breakdown.cells) == len(true_counts)
    intervals = reader_intervals(breakdown, respondents=total)
    for position, (cell, true) in enumerate(zip(breakdown.cells, true_counts, strict=True)):
        low, high = intervals[position]
        assert low <= true <= high
        if cell.is_exact:
            assert cell.count == true and true >= min_cell and cell.percent is not None
        else:
            assert cell.count is None and cell.percent is None  # no percentage to back a count out of
            range_low, range_high = feasible_range(intervals, total=total, position=position)
            assert range_low < range_high, (counts, position)
        if 0 < true < min_cell:
            assert cell.shown is Shown.SMALL
