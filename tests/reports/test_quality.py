"""Data-quality signals: a unit's straight-lining is compared with the rest of the city."""

from __future__ import annotations

from typing import Any

import pytest

from reports import quality
from surveys.models import ServiceUnit
from tests import builders

pytestmark = pytest.mark.django_db


def _answers(unit: Any, instrument: Any, period: Any, *, same: int, varied: int) -> None:
    """Paper forms (no service-hours signal): `same` straight-lined, `varied` not."""
    for _number in range(same):
        builders.make_response(unit, [4] * 9, instrument=instrument, period=period, channel="paper")
    for _number in range(varied):
        builders.make_response(unit, [3, 4, 3, 4, 3, 4, 3, 4, 3], instrument=instrument, period=period, channel="paper")


def test_a_unit_that_gives_most_of_the_city_s_responses_is_compared_with_the_other_units(
    city: Any, instrument: Any, period: Any
) -> None:
    """75% straight-lined against 0% elsewhere; with itself in the city's share (60%) it would pass."""
    _answers(city.kelurahan, instrument, period, same=30, varied=10)
    _answers(city.other_kelurahan, instrument, period, same=0, varied=10)
    report = quality.quality_report(periods=[period], units=ServiceUnit.objects.all())
    flagged = {line.unit: line.signals for line in report.units}
    assert flagged[city.kelurahan] == ["75% memberi nilai yang sama untuk semua unsur (unit lain di kota: 0%)"]
    assert city.other_kelurahan not in flagged


def test_a_unit_straight_lining_as_often_as_the_rest_of_the_city_is_not_flagged(
    city: Any, instrument: Any, period: Any
) -> None:
    _answers(city.kelurahan, instrument, period, same=6, varied=4)
    _answers(city.other_kelurahan, instrument, period, same=5, varied=5)
    assert quality.quality_report(periods=[period], units=ServiceUnit.objects.all()).units == []
