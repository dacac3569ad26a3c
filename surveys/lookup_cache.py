"""A small per-process cache for the citizen form's lookups (unit, instrument, services, period).

Every citizen GET and POST needs the same few rows: the unit by code, its published instrument
with its elements, its services and today's open period. They change a few times a year, so each
worker process keeps them for `SURVEY_LOOKUP_TTL_SECONDS` (default 15 s) instead of asking the
database on every request. What is built from them is kept here too: the form's fields (while
their setup is the cached one) and the rendered unanswered page (under a key naming everything
it shows, so it may live longer: a change gives a new key).

Staleness bound: a change made elsewhere (another process, a bulk `update()`, a SQL console)
is seen by every process at most `SURVEY_LOOKUP_TTL_SECONDS` later. A change saved through the
ORM in this process (`save()`/`delete()` of a unit, instrument, element, service or period)
empties this process's cache at once (see `surveys.apps`). What is cached decides only which
form is shown and where an answer is filed; the one-time submission key is always checked in
the database.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings

T = TypeVar("T")

MAX_ENTRIES = 2000  # unknown codes are cached too; a flood of made-up codes empties the cache instead of growing it

clock: Callable[[], float] = time.monotonic  # tests replace this to move time forward
_entries: dict[Hashable, tuple[float, Any]] = {}
_lock = threading.Lock()


def cached(
    key: Hashable, load: Callable[[], T], *, valid: Callable[[T], bool] | None = None, ttl: float | None = None
) -> T:
    """`load()`'s value for `key`, reused for `SURVEY_LOOKUP_TTL_SECONDS` in this process
    (and, when `valid` is given, only while `valid(value)` holds). A key that names the
    content's version may live longer (`ttl`); a TTL setting of 0 turns every entry off."""
    if ttl is None or settings.SURVEY_LOOKUP_TTL_SECONDS <= 0:
        ttl = settings.SURVEY_LOOKUP_TTL_SECONDS
    now = clock()
    entry = _entries.get(key)
    if entry is not None and now < entry[0] and (valid is None or valid(entry[1])):
        value: T = entry[1]
        return value
    value = load()
    if ttl > 0:
        with _lock:
            if len(_entries) >= MAX_ENTRIES:
                for stale in [name for name, (expires, _value) in _entries.items() if expires <= now]:
                    del _entries[stale]
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[key] = (now + ttl, value)
    return value


def clear(*_args: Any, **_kwargs: Any) -> None:
    """Forget every cached lookup of this process (also usable as a signal receiver)."""
    with _lock:
        _entries.clear()
