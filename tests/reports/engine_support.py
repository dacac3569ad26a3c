"""The index engine as the dashboard tests use it: what a page should show, computed from raw rows."""

from __future__ import annotations

from reports import indices

CODES = [element.code for element in indices.get_rules(indices.DEFAULT_RULES).elements]


def engine(rows: list[list[int | None]], population: int | None = None) -> indices.IndexResult:
    """The engine's result for respondents' rows of scores (None: not answered), in CODES order."""
    tally = indices.tallies_from_rows([dict(zip(CODES, row, strict=True)) for row in rows])
    return indices.compute_index(
        tally.tallies, respondents=tally.respondents, spread=tally.spread, population=population
    )


def shown(result: indices.IndexResult) -> tuple[object, ...]:
    """What a table of results shows of one (the city table and the breakdowns list no per-element values)."""
    return (result.respondents, result.index, result.nik, result.grade, result.label, result.ci, result.sample)
