"""The index from a grand total equals the full computation whenever every element was answered."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import indices

CODES = [element.code for element in indices.get_rules(indices.DEFAULT_RULES).elements]


def both(rows: list[list[int]], *, weight: str = "exact", population: int | None = None):
    tally = indices.tallies_from_rows([dict(zip(CODES, row, strict=True)) for row in rows])
    full = indices.compute_index(
        tally.tallies, respondents=tally.respondents, weight=weight, spread=tally.spread, population=population
    )
    quick = indices.compute_index_from_total(
        sum(map(sum, rows)), respondents=len(rows), weight=weight, spread=tally.spread, population=population
    )
    return full, quick


def same(full: indices.IndexResult, quick: indices.IndexResult) -> bool:
    fields = ("respondents", "index", "nik", "grade", "label", "ci", "sample", "has_data", "rules", "weight")
    return all(getattr(full, name) == getattr(quick, name) for name in fields)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=1, max_size=30),
    weight=st.sampled_from(["exact", "0.111", "0.11"]),
    population=st.none() | st.integers(1, 5000),
)
def test_it_equals_the_full_computation_on_complete_answers(rows, weight, population):
    full, quick = both(rows, weight=weight, population=population)
    assert same(full, quick)
    assert quick.elements == ()


@pytest.mark.parametrize(
    ("total", "respondents", "nik", "grade"),
    [(36, 1, "100.00", "A"), (9, 1, "25.00", "D"), (3179, 100, "88.31", "A"), (2340, 100, "65.00", "C"),
     (2339, 100, "64.97", "D"), (524, 19, "76.61", "B")],
)  # fmt: skip
def test_the_specs_worked_examples_hold(total, respondents, nik, grade):
    result = indices.compute_index_from_total(total, respondents=respondents)
    assert (str(indices.round_nik(result.nik)), result.grade) == (nik, grade)


def test_no_respondents_means_no_index():
    result = indices.compute_index_from_total(0, respondents=0)
    assert (result.has_data, result.nik, result.grade) == (False, None, None)


@pytest.mark.parametrize(("total", "respondents"), [(8, 1), (37, 1), (-1, 0), (1, 0)])
def test_an_impossible_total_is_refused(total, respondents):
    with pytest.raises(ValueError, match="impossible"):
        indices.compute_index_from_total(total, respondents=respondents)
