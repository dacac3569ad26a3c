from __future__ import annotations

import datetime

import pytest

from reports.periods import all_periods, default_period, period_choices, resolve_period_choice
from surveys.models import PeriodState
from tests import builders
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)


def _triwulan(year: int, number: int, state: str = PeriodState.CLOSED):
    start = datetime.date(year, 3 * number - 2, 1)
    end = datetime.date(year, 3 * number, 28)
    return builders.make_period(f"Triwulan {number} {year}", start=start, end=end, state=state)


@pytest.fixture
def periods():
    made = [_triwulan(2025, 4), _triwulan(2026, 1), _triwulan(2026, 2), _triwulan(2026, 3)]
    made.append(_triwulan(2026, 4, PeriodState.OPEN))
    return made


def test_an_empty_value_means_the_open_period_containing_today(periods):
    choice = resolve_period_choice("", periods, today=TODAY)
    assert choice is not None
    assert choice.periods == (periods[4],)
    assert choice.label == "Triwulan 4 2026"


def test_a_cumulative_choice_pools_the_year_up_to_that_period(periods):
    choice = resolve_period_choice(f"sd-{periods[3].pk}", periods, today=TODAY)
    assert choice is not None
    assert choice.periods == (periods[1], periods[2], periods[3])
    assert choice.label == "s.d. Triwulan 3 2026"
    assert choice.last == periods[3]


def test_a_year_choice_pools_every_period_that_starts_in_it(periods):
    choice = resolve_period_choice("th-2026", periods, today=TODAY)
    assert choice is not None
    assert choice.periods == tuple(periods[1:])
    assert choice.label == "Tahun 2026"


@pytest.mark.parametrize("value", ["x", "p-", "p-abc", "p-999999", "th-1999", "sd-1e3", "q-1", "p-" + "9" * 40])
def test_a_value_that_names_nothing_resolves_to_none(periods, value):
    assert resolve_period_choice(value, periods, today=TODAY) is None


def test_choices_list_each_year_then_its_periods_with_cumulative_views(periods):
    values = [choice.value for choice in period_choices(periods)]
    assert values[0] == "th-2026"
    assert f"sd-{periods[4].pk}" in values
    assert f"sd-{periods[1].pk}" not in values  # the first period of a year has no cumulative view
    assert values.index("th-2025") > values.index(f"p-{periods[1].pk}")


def test_without_an_open_period_the_latest_started_one_is_the_default(periods):
    periods[4].state = PeriodState.CLOSED
    assert default_period(periods, today=TODAY) == periods[4]
    assert default_period([], today=TODAY) is None


def test_a_closed_period_without_responses_or_results_is_marked_tanpa_data(city, instrument, periods):
    builders.make_response(city.kelurahan, [3] * 9, instrument=instrument, period=periods[1])
    labels = {choice.value: choice.label for choice in period_choices(all_periods())}
    assert labels[f"p-{periods[0].pk}"] == "Triwulan 4 2025 (tanpa data)"  # closed, nothing in it
    assert labels[f"p-{periods[1].pk}"] == "Triwulan 1 2026"  # closed, with a response
    assert labels[f"p-{periods[4].pk}"] == "Triwulan 4 2026"  # open: its data may still come


def test_the_unit_dashboards_filter_marks_the_empty_closed_period(city, instrument, periods, kecamatan_admin):
    page = logged_in(kecamatan_admin).get(f"/petugas/unit/{city.kelurahan.code}/").content.decode()
    assert "Triwulan 4 2025 (tanpa data)" in page
