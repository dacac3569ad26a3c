"""Who answered (by sex, age band, education, occupation and channel) and each service's tally.

One owner for these breakdowns: `breakdowns_by_unit` reads them from the counted responses (a
fixed handful of aggregate queries, whatever the number of units), `snapshot_take` freezes what it
reads, and the Laporan Hasil SKM reads them back from a snapshot row (`row_breakdowns`) or, for a
period still open, live from the same function. Breakdowns pool by adding counts and tallies.

Counts are keyed by the stored value; a value not given is `NOT_GIVEN_KEY` ("-"), as the
snapshot's sex and education counts have always been.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from reports.models import SnapshotUnit
from reports.selectors import age_band
from reports.tallies import GroupTally, pool, tally_from_json, tally_responses, tally_to_json
from surveys.models import COUNTABLE, Response

NOT_GIVEN_KEY = "-"
COUNTED_FIELDS = ("sex", "education", "ages", "occupations", "channels")
#: The Response field (or derived expression) each count is grouped by.
_SOURCES = {
    "sex": "sex",
    "education": "education",
    "ages": "age_band",
    "occupations": "occupation",
    "channels": "channel",
}

Counts = dict[str, int]


@dataclass
class ServiceTally:
    """One service's responses in a unit: its id (None: not named), its name and its tally."""

    key: int | None
    name: str
    tally: GroupTally

    def to_json(self) -> dict[str, Any]:
        return {"id": self.key, "name": self.name, **tally_to_json(self.tally)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ServiceTally:
        key = data.get("id")
        return cls(int(key) if key is not None else None, str(data.get("name") or ""), tally_from_json(data))


@dataclass
class Breakdowns:
    """Counts of counted respondents by profile and channel, and each service's tally.

    A field that is None was not recorded (a snapshot older than these breakdowns): it stays
    None when pooled with others, so a report says "tidak tersedia" instead of a partial count.
    """

    sex: Counts | None = field(default_factory=dict)
    education: Counts | None = field(default_factory=dict)
    ages: Counts | None = field(default_factory=dict)
    occupations: Counts | None = field(default_factory=dict)
    channels: Counts | None = field(default_factory=dict)
    services: list[ServiceTally] | None = field(default_factory=list)

    def add(self, other: Breakdowns) -> None:
        for name in COUNTED_FIELDS:
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine is None or theirs is None:
                setattr(self, name, None)
                continue
            for key, count in theirs.items():
                mine[key] = mine.get(key, 0) + count
        if self.services is None or other.services is None:
            self.services = None
            return
        by_key = {(service.key, service.name if service.key is None else ""): service for service in self.services}
        for service in other.services:
            key = (service.key, service.name if service.key is None else "")
            if key in by_key:
                by_key[key].tally = _pooled(by_key[key].tally, service.tally)
            else:
                copy = ServiceTally(service.key, service.name, _pooled(GroupTally(), service.tally))
                by_key[key] = copy
                self.services.append(copy)


def _pooled(first: GroupTally, second: GroupTally) -> GroupTally:
    pooled = pool([first, second])
    assert isinstance(pooled, GroupTally)
    return pooled


def pooled_breakdowns(parts: Iterable[Breakdowns]) -> Breakdowns:
    """Several units' or periods' breakdowns added up (None where any part lacks one)."""
    total = Breakdowns()
    for part in parts:
        total.add(part)
    return total


def breakdowns_by_unit(responses: QuerySet[Response]) -> dict[int, Breakdowns]:
    """Each unit's breakdowns over the counted ones of `responses`: five count queries and the
    per-service tallies (two aggregate queries, `tally_responses`)."""
    counted = responses.filter(COUNTABLE).order_by()
    result: dict[int, Breakdowns] = {}
    for name in COUNTED_FIELDS:
        source = _SOURCES[name]
        rows = counted.annotate(age_band=age_band("")) if source == "age_band" else counted
        for unit_id, value, count in rows.values_list("unit_id", source).annotate(n=Count("id")):
            counts = getattr(result.setdefault(unit_id, Breakdowns()), name)
            key = value or NOT_GIVEN_KEY
            counts[key] = counts.get(key, 0) + count
    by_service = tally_responses(responses, group_by=("unit_id", "service_id", "service__name"))
    for key, group in sorted(by_service.items(), key=lambda item: str(item[0])):
        assert isinstance(key, tuple)
        unit_id, service_id, name = key
        services = result.setdefault(unit_id, Breakdowns()).services
        assert services is not None
        services.append(ServiceTally(service_id, name or "", group))
    return result


def breakdown_fields(breakdowns: Breakdowns) -> dict[str, Any]:
    """The snapshot row's fields for these breakdowns (what `row_breakdowns` reads back)."""
    return {
        "sex": breakdowns.sex or {},
        "education": breakdowns.education or {},
        "ages": breakdowns.ages or {},
        "occupations": breakdowns.occupations or {},
        "channels": breakdowns.channels or {},
        "service_tallies": [service.to_json() for service in breakdowns.services or []],
    }


def row_breakdowns(row: SnapshotUnit) -> Breakdowns:
    """A snapshot row's breakdowns; those the row's snapshot did not keep are None."""
    return Breakdowns(
        sex=dict(row.sex),
        education=dict(row.education),
        ages=dict(row.ages) if row.ages is not None else None,
        occupations=dict(row.occupations) if row.occupations is not None else None,
        channels=dict(row.channels) if row.channels is not None else None,
        services=[ServiceTally.from_json(item) for item in row.service_tallies]
        if row.service_tallies is not None
        else None,
    )
