"""How names sort everywhere: naturally (1 Ilir, 2 Ilir, ..., 10 Ilir), ignoring case.

The one owner of name order. We use natsort (a small, well-kept library made for exactly this)
in Python rather than a database collation: SQLite has no natural collation, PostgreSQL's ICU
`numeric` collation would need a migration and a second path for SQLite, and every list we sort
(a city's units, a unit's services) is a few hundred rows at most, already fetched by one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from natsort import natsort_keygen, ns

_key: Callable[[object], Any] = natsort_keygen(alg=ns.IGNORECASE)


class Named(Protocol):
    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=Named)
T = TypeVar("T")


def name_key(name: str) -> Any:
    """The sort key of one name: digits compare as numbers, letters without case."""
    return _key(name)


def by_name(items: Iterable[N], *, reverse: bool = False) -> list[N]:
    """Things with a `name` (units, services) in natural name order."""
    return sorted(items, key=lambda item: _key(item.name), reverse=reverse)


def by_key(items: Iterable[T], name: Callable[[T], str], *, reverse: bool = False) -> list[T]:
    """Anything in natural order of the name `name(item)` gives."""
    return sorted(items, key=lambda item: _key(name(item)), reverse=reverse)
