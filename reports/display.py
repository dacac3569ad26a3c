"""How numbers are shown: rounded once, half-up, by the engine's rules, for every page and export.

The engine (`reports.indices`) keeps exact fractions. Everything a person reads goes through here:
`nik`/`nrr`/`index` round a value that may be missing, `Figures` carries an engine result with its
display values, `result_line`/`element_lines` shape a frozen result for a template, and
`weight_text`/`rules_text`/`method_text` name the weight and the regulation the same way on every
page and workbook (never by their keys).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from reports import indices
from reports.tallies import AnyTally, GroupTally
from surveys.instrument_data import PERMENPAN_14_2017
from surveys.models import Period, Reason, ResponseState
from surveys.selectors import SetAside

Value = Fraction | Decimal | int | None


def nik(value: Value) -> Decimal | None:
    """A converted value (25-100 scale) for display: 2 decimals, half-up; None stays None."""
    return indices.round_nik(value) if value is not None else None


def nrr(value: Value) -> Decimal | None:
    """An NRR for display: 4 decimals, half-up; None stays None."""
    return indices.round_nrr(value) if value is not None else None


def index(value: Value) -> Decimal | None:
    """An index (IKM, 1-4 scale) for display: 4 decimals, half-up; None stays None."""
    return indices.round_index(value) if value is not None else None


def percent(share: Fraction | None) -> Decimal | None:
    """A share (0-1) in percent, rounded to a whole number for display; None stays None."""
    return indices.round_half_up(share * 100, 0) if share is not None else None


#: The grade labels of every rule set (`reports.rules`, which knows no Django), marked here so the
#: English catalogue carries them; pages, workbooks and the report translate a label with `grade_label`.
GRADE_LABELS = (
    gettext_noop("Sangat Baik"),
    gettext_noop("Baik"),
    gettext_noop("Kurang Baik"),
    gettext_noop("Tidak Baik"),
)


def grade_label(label: str | None) -> str:
    """A grade's label ("Sangat Baik") in the active language; "" when there is none."""
    return gettext(label) if label else ""


def rules_text(rules: str | indices.RuleSet) -> str:
    """The regulation a result follows, as a person names it ("PermenPAN-RB 14/2017"), never its key."""
    if isinstance(rules, str) and rules not in indices.RULE_SETS:
        return rules  # an unknown rule set (an error message names it): no title to give
    title = indices.get_rules(rules).title
    return title.split(",")[0].split(" (")[0]


def method_text(rules: str | indices.RuleSet, weight: str) -> str:
    """The regulation and the weight of a result in one line, for pages and workbooks."""
    return f"{rules_text(rules)} · {weight_text(weight, rules)}"


def weight_text(weight: str, rules: str | indices.RuleSet) -> str:
    """The weight as every page and export prints it: "bobot 1/9 (tepat)" or "bobot lama 0,111"."""
    value = indices.weight_for(weight, rules)
    if weight == "exact":
        return gettext("bobot %(fraction)s (tepat)") % {"fraction": f"{value.numerator}/{value.denominator}"}
    return gettext("bobot lama %(decimal)s") % {"decimal": weight.replace(".", ",")}


@dataclass(frozen=True)
class Figures:
    """An engine result with its display values (rounded once, half-up, by the engine's helpers)."""

    result: indices.IndexResult

    @cached_property
    def respondents(self) -> int:
        return self.result.respondents

    @cached_property
    def has_index(self) -> bool:
        return self.result.nik is not None

    @cached_property
    def nik(self) -> Decimal | None:
        return nik(self.result.nik)

    @cached_property
    def index(self) -> Decimal | None:
        return index(self.result.index)

    @cached_property
    def grade(self) -> str | None:
        return self.result.grade

    @cached_property
    def label(self) -> str | None:
        return self.result.label

    @cached_property
    def ci_low(self) -> Decimal | None:
        return nik(self.result.ci.low) if self.result.ci else None

    @cached_property
    def ci_high(self) -> Decimal | None:
        return nik(self.result.ci.high) if self.result.ci else None

    @cached_property
    def sample(self) -> indices.SampleAdequacy | None:
        return self.result.sample


def figures(group: AnyTally | None, *, rules: str, weight: str, population: int | None = None) -> Figures:
    return Figures((group or GroupTally()).result(rules=rules, weight=weight, population=population))


@dataclass(frozen=True)
class TrendPoint:
    """One period of a trend: its figures, whether the page's choice covers it, and (on the public
    site) the published page and revision it comes from."""

    period: Period
    figures: Figures
    selected: bool = False
    slug: str = ""
    revision: int | None = None


def element_names(rules: str) -> dict[str, str]:
    """Element names of a rule set in the current language (English from the official
    questionnaire's translations where it has the element; Indonesian otherwise)."""
    names = {element.code: element.name for element in indices.get_rules(rules).elements}
    if translation.get_language() == "en":
        names.update({text["code"]: text["name_en"] for text in PERMENPAN_14_2017 if text["code"] in names})
    return names


@dataclass(frozen=True)
class ElementLine:
    code: str
    name: str
    nrr: Decimal | None
    nik: Decimal | None
    grade: str
    label: str


def element_lines(result: indices.IndexResult) -> list[ElementLine]:
    names = element_names(result.rules)
    return [
        ElementLine(
            code=element.code,
            name=names.get(element.code, element.code),
            nrr=nrr(element.nrr),
            nik=nik(element.nik),
            grade=element.grade or "",
            label=element.label or "",
        )
        for element in result.elements
    ]


@dataclass(frozen=True)
class ResultLine:
    """A result rounded for display: the index, the NIK, its band and the respondents."""

    respondents: int
    index: Decimal | None
    nik: Decimal | None
    grade: str
    label: str


def result_line(result: indices.IndexResult) -> ResultLine:
    return ResultLine(
        respondents=result.respondents,
        index=index(result.index),
        nik=nik(result.nik),
        grade=result.grade or "",
        label=result.label or "",
    )


def set_aside_of(row: Mapping[str, Mapping[str, int]]) -> SetAside:
    """A snapshot row's held and excluded responses by reason (`SnapshotUnit.set_aside`), labelled
    as the live pages label them."""
    labels = dict(Reason.choices)

    def lines(state: str) -> list[tuple[str, int]]:
        counts = row.get(state, {})
        return [
            (str(labels.get(reason, reason)), count) for reason, count in sorted(counts.items(), key=lambda i: -i[1])
        ]

    return SetAside(held=lines(ResponseState.HELD), excluded=lines(ResponseState.EXCLUDED), proposed=0)


def labelled_counts(counts: dict[str, int], choices: Sequence[tuple[str, Any]]) -> list[tuple[str, int]]:
    """Breakdown counts in the order and with the labels of the choices; unknown values last."""
    labels = dict(choices)
    lines = [(str(label), counts[value]) for value, label in choices if counts.get(value)]
    lines += [
        (str(labels.get(value, value)), count) for value, count in counts.items() if value not in labels and count
    ]
    return lines
