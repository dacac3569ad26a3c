"""Reads for exports: a fixed, small number of queries per workbook, streamed where large.

Nothing here loops over units with a query each. Large reads (respondent rows, raw data) are
two ordered iterators - responses and their answers, both by response id - merged in Python,
so memory stays constant however many responses there are.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from reports import indices
from reports.selectors import AGE_BANDS, NOT_GIVEN, age_band
from surveys.models import (
    Answer,
    Element,
    ResponseQuerySet,
    ServiceUnit,
)

CHUNK = 5000


@dataclass(frozen=True)
class ElementColumn:
    """One element as a column: stable code, display number (U1..) and its name."""

    code: str
    number: int
    name: str

    @property
    def heading(self) -> str:
        return f"U{self.number} {self.name}"


@dataclass(frozen=True)
class ScoredResponse:
    """One response's fields (as a dict of the selected values) and its scores by element code."""

    fields: dict[str, Any]
    scores: dict[str, int] = field(default_factory=dict)


def element_columns(rules: str, responses: ResponseQuerySet | None = None) -> list[ElementColumn]:
    """The rule set's elements in questionnaire order, named as the instruments in use name them."""
    rule_set = indices.get_rules(rules)
    names = {element.code: element.name for element in rule_set.elements}
    if responses is not None:
        used = Element.objects.filter(instrument__in=responses.order_by().values("instrument").distinct())
        for code, name in used.order_by("instrument_id").values_list("code", "name_id"):
            if code in names:
                names[code] = name
    return [ElementColumn(code, number, names[code]) for number, code in enumerate(rule_set.codes, start=1)]


def scored_responses(responses: ResponseQuerySet, fields: Sequence[str]) -> Iterator[ScoredResponse]:
    """Each response (in id order) with its scores: two streamed queries merged by response id."""
    response_rows = responses.order_by("id").values(*fields, "id").iterator(chunk_size=CHUNK)
    answer_rows = (
        Answer.objects.filter(response__in=responses.order_by().values("id"))
        .order_by("response_id")
        .values_list("response_id", "element__code", "score")
        .iterator(chunk_size=CHUNK)
    )
    pending = next(answer_rows, None)
    for row in response_rows:
        scores: dict[str, int] = {}
        while pending is not None and pending[0] < row["id"]:
            pending = next(answer_rows, None)  # answers of a response filtered out meanwhile
        while pending is not None and pending[0] == row["id"]:
            scores[pending[1]] = pending[2]
            pending = next(answer_rows, None)
        yield ScoredResponse(row, scores)


@dataclass(frozen=True)
class Characteristic:
    """One line of the respondent table: Karakteristik, Indikator, Jumlah."""

    group: str
    indicator: str
    count: int


def characteristics(
    responses: ResponseQuerySet, labels: dict[str, dict[str, str]], titles: dict[str, str]
) -> list[Characteristic]:
    """Counts of respondents by sex, age band, education and occupation (four aggregate queries).

    `labels` maps a field to {stored value: display label} in display order; `titles` names
    each group. Unfilled values count under the "" label (shown as "Tidak diisi").
    """
    lines: list[Characteristic] = []
    for field_name in ("sex", "age", "education", "occupation"):
        if field_name == "age":
            bands = dict(responses.order_by().annotate(band=age_band("")).values_list("band").annotate(n=Count("id")))
            lines.extend(
                Characteristic(titles["age"], key.replace(">=", "≥"), bands.get(key, 0))
                for key, _low, _high in AGE_BANDS
            )
            lines.append(Characteristic(titles["age"], labels["age"][""], bands.get(NOT_GIVEN, 0)))
            continue
        counts = dict(responses.order_by().values_list(field_name).annotate(n=Count("id")).values_list(field_name, "n"))
        field_labels = labels[field_name]
        for value, label in field_labels.items():
            lines.append(Characteristic(titles[field_name], label, int(counts.get(value, 0) or 0)))
    return lines


def unit_rows(unit_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Units with their parent and kecamatan names, in tree order (one query)."""
    units = (
        ServiceUnit.objects.filter(pk__in=unit_ids)
        .order_by("path")
        .values("id", "code", "name", "kind", "parent__name", "area__name", "path")
    )
    return [dict(unit) for unit in units]


def local_date(value: datetime.datetime) -> datetime.date:
    from django.utils import timezone

    return timezone.localtime(value).date()


def raw_columns(responses: ResponseQuerySet) -> list[ElementColumn]:
    """Every element code any of these responses' instruments has (default rules' codes first)."""
    columns = element_columns(indices.DEFAULT_RULES)
    known = {column.code for column in columns}
    used = (
        Element.objects.filter(instrument__in=responses.order_by().values("instrument").distinct())
        .order_by("order", "code")
        .values_list("code", "name_id")
    )
    for code, name in used:
        if code not in known:
            known.add(code)
            columns.append(ElementColumn(code, len(columns) + 1, name))
    return columns
