"""Period choices for report filters: one period, "s.d." (cumulative to date) or a whole year.

A filter value names a choice; `resolve_period_choice` turns it into the Period rows whose
responses are pooled, with a label to print. Responses belong to exactly one Period, so
pooling several periods never counts a response twice.

    "p-12"       the period with id 12
    "sd-12"      every period of the same calendar year that ends no later than period 12
    "th-2026"    every period that starts in 2026

Everything works on a list of periods the caller fetched once (one query), so building the
choices and resolving one of them costs no further queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from reports.models import Snapshot
from surveys.models import Period, PeriodState, Response
from surveys.params import whole_number


@dataclass(frozen=True)
class PeriodChoice:
    """A filter option: its value in a URL, its label and the periods it pools."""

    value: str
    label: str
    kind: str  # "period", "cumulative" or "year"
    periods: tuple[Period, ...]

    @property
    def period_ids(self) -> list[int]:
        return [period.pk for period in self.periods]

    @property
    def last(self) -> Period:
        """The latest period covered (for the population and the trend's highlight)."""
        return max(self.periods, key=lambda period: (period.end, period.start))


def without_data(period: Period) -> bool:
    """A closed (or published) period that holds no response and no frozen results: there is
    nothing to show for it. Known only for periods fetched by `all_periods`; others count as holding data."""
    return period.state != PeriodState.OPEN and getattr(period, "has_data", True) is False


def period_label(period: Period) -> str:
    """A period's name as a filter offers it: marked when it holds no data."""
    if without_data(period):
        return _("%(period)s (tanpa data)") % {"period": period.name}
    return period.name


def _single(period: Period) -> PeriodChoice:
    return PeriodChoice(f"p-{period.pk}", period_label(period), "period", (period,))


def _cumulative(period: Period, periods: Sequence[Period]) -> PeriodChoice:
    covered = tuple(
        sorted(
            (other for other in periods if other.start.year == period.start.year and other.end <= period.end),
            key=lambda other: other.start,
        )
    )
    return PeriodChoice(f"sd-{period.pk}", _("s.d. %(period)s") % {"period": period.name}, "cumulative", covered)


def _year(year: int, periods: Sequence[Period]) -> PeriodChoice:
    covered = tuple(sorted((period for period in periods if period.start.year == year), key=lambda p: p.start))
    return PeriodChoice(f"th-{year}", _("Tahun %(year)s") % {"year": year}, "year", covered)


def choice_label(value: str, last: Period) -> str:
    """The label of a choice value whose last period is `last`, without a query (for a job that
    kept the value): the same words as the choices themselves."""
    prefix, _sep, number = value.partition("-")
    if prefix == "sd":
        return _("s.d. %(period)s") % {"period": last.name}
    if prefix == "th" and number.isdigit():
        return _("Tahun %(year)s") % {"year": number}
    return last.name


def period_choices(periods: Sequence[Period]) -> list[PeriodChoice]:
    """Every choice for these periods: per year (newest first) the year, then each period and,
    where an earlier period of the same year exists, its cumulative "s.d." view."""
    choices: list[PeriodChoice] = []
    years = sorted({period.start.year for period in periods}, reverse=True)
    for year in years:
        choices.append(_year(year, periods))
        in_year = sorted((p for p in periods if p.start.year == year), key=lambda p: (p.start, p.end), reverse=True)
        for period in in_year:
            cumulative = _cumulative(period, periods)
            if len(cumulative.periods) > 1:
                choices.append(cumulative)
            choices.append(_single(period))
    return choices


def default_period(periods: Sequence[Period], *, today: datetime.date) -> Period | None:
    """The current period: the shortest open one containing today, else the latest that started."""
    open_today = [p for p in periods if p.state == PeriodState.OPEN and p.start <= today <= p.end]
    if open_today:
        return min(open_today, key=lambda p: (p.end - p.start, p.start))
    started = [p for p in periods if p.start <= today]
    pool = started or list(periods)
    return max(pool, key=lambda p: (p.start, p.end)) if pool else None


def resolve_period_choice(value: str | None, periods: Sequence[Period], *, today: datetime.date) -> PeriodChoice | None:
    """The choice a filter value names; the current period when the value is empty.

    None when the value names nothing (a malformed value, an unknown period or year), or when
    there are no periods at all and no value was given.
    """
    if not value:
        current = default_period(periods, today=today)
        return _single(current) if current else None
    prefix, _sep, digits = value.partition("-")
    number = whole_number(digits)
    if number is None:
        return None
    by_id = {period.pk: period for period in periods}
    if prefix == "p" and number in by_id:
        return _single(by_id[number])
    if prefix == "sd" and number in by_id:
        return _cumulative(by_id[number], periods)
    if prefix == "th":
        choice = _year(number, periods)
        return choice if choice.periods else None
    return None


def all_periods() -> list[Period]:
    """Every period, oldest first, each knowing whether it holds any response or frozen result
    (`has_data`, for `without_data`): one query."""
    holds_responses = Exists(Response.objects.filter(period=OuterRef("pk")))
    holds_snapshot = Exists(Snapshot.objects.filter(period=OuterRef("pk")))
    return list(Period.objects.annotate(has_data=holds_responses | holds_snapshot).order_by("start", "end"))
