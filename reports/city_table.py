"""The city table's order and search: every column sorts both ways, rows without a value last (by
name, in natural order); a search matches a unit's name or code."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from surveys import naming

if TYPE_CHECKING:
    from reports.dashboards import CityRow

# Every column of the city table sorts, both ways: name, respondents, Nilai IKM, grade, the
# interval (by its lower bound), the sample (achieved share of the minimum), the peer rank.
CITY_SORT_COLUMNS = ("nama", "n", "nik", "mutu", "sk", "sampel", "peringkat")
CITY_SORTS = tuple(key for column in CITY_SORT_COLUMNS for key in (column, f"-{column}"))

SortKey = tuple[object, ...]


def _sort_key(row: CityRow, column: str) -> SortKey | None:
    """The value a column sorts on; None when the row has none (such rows go last, by name)."""
    result = row.figures.result
    if column == "nama":
        return (naming.name_key(row.unit.name), row.unit.code)
    if column == "n":
        return (row.figures.respondents, naming.name_key(row.unit.name))
    if column == "nik":
        return (result.nik,) if result.nik is not None else None
    if column == "mutu":
        return (-ord(result.grade[0]), result.nik) if result.grade and result.nik is not None else None
    if column == "sk":
        return (result.ci.low, result.ci.high) if result.ci is not None else None
    if column == "sampel":
        sample = row.figures.sample
        return (Fraction(sample.achieved, sample.minimum), sample.achieved) if sample and sample.minimum else None
    if column == "peringkat":
        return (row.unit.kind, row.peer_rank.rank) if row.peer_rank is not None else None
    raise ValueError(f"unknown sort column {column!r}")


def sort_rows(rows: list[CityRow], sort: str) -> list[CityRow]:
    """Rows sorted by a column (`-column`: descending); rows without a value last, by name."""
    column = sort.lstrip("-")
    descending = sort.startswith("-")
    keyed = [(key, row) for row in rows if (key := _sort_key(row, column)) is not None]
    keyed.sort(key=lambda item: item[0], reverse=descending)
    without = naming.by_key((row for row in rows if _sort_key(row, column) is None), lambda row: row.unit.name)
    return [row for _key, row in keyed] + without


def search_rows(rows: Sequence[CityRow], query: str) -> list[CityRow]:
    """The rows whose unit name or code contains `query` (any case)."""
    needle = query.strip().casefold()
    return [row for row in rows if needle in row.unit.name.casefold() or needle in row.unit.code.casefold()]
