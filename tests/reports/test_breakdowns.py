"""Who answered, frozen with the snapshot: profile and channel counts and each service's exact
tally; an older snapshot row without them reads as unavailable, never as zero."""

from __future__ import annotations

from typing import Any

import pytest

from reports import services as report_services
from reports.breakdowns import Breakdowns, breakdowns_by_unit, pooled_breakdowns, row_breakdowns
from reports.models import SnapshotUnit
from reports.selectors import responses_in
from reports.tallies import tally_responses
from surveys.models import Response
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(city: Any, instrument: Any, period: Any) -> Any:
    other = builders.make_service(city.kelurahan, "Legalisir")
    builders.make_response(
        city.kelurahan,
        [4] * 9,
        instrument=instrument,
        period=period,
        service=city.service,
        channel="qr",
        age=19,
        occupation="PNS",
    )
    builders.make_response(
        city.kelurahan, [3] * 9, instrument=instrument, period=period, service=other, channel="paper", age=64
    )
    test_data = builders.make_response(city.kelurahan, [2] * 9, instrument=instrument, period=period, channel="qr")
    Response.objects.filter(pk=test_data.pk).update(is_test=True)
    return other


def test_closing_freezes_the_profile_channel_and_service_breakdowns(
    answered: Any, city: Any, period: Any, secretariat: Any
) -> None:
    report_services.period_close(period=period, user=secretariat)
    frozen = row_breakdowns(SnapshotUnit.objects.get(unit=city.kelurahan))
    assert frozen.channels == {"qr": 1, "paper": 1}  # the test response does not count
    assert frozen.ages == {"<20": 1, ">=60": 1}
    assert frozen.occupations == {"PNS": 1, "-": 1}
    live = tally_responses(responses_in(unit_ids=[city.kelurahan.pk], periods=[period]), group_by=("service_id",))
    assert frozen.services is not None
    assert {service.name: service.tally.result().nik for service in frozen.services} == {
        "Surat keterangan domisili": live[city.service.pk].result().nik,
        "Legalisir": live[answered.pk].result().nik,
    }


def test_an_older_row_without_breakdowns_reads_as_unavailable_and_stays_so_when_pooled(
    answered: Any, city: Any, period: Any, secretariat: Any
) -> None:
    report_services.period_close(period=period, user=secretariat)
    SnapshotUnit.objects.update(ages=None, channels=None)
    old = row_breakdowns(SnapshotUnit.objects.get(unit=city.kelurahan))
    assert old.ages is None and old.channels is None and old.sex == {"-": 2}
    pooled = pooled_breakdowns([old, breakdowns_by_unit(responses_in(periods=[period]))[city.kelurahan.pk]])
    assert pooled.ages is None and pooled.sex == {"-": 4}


def test_pooling_adds_counts_and_service_tallies() -> None:
    first = Breakdowns(sex={"L": 1}, channels={"qr": 2})
    second = Breakdowns(sex={"L": 2, "P": 1}, channels={"web": 1})
    total = pooled_breakdowns([first, second])
    assert total.sex == {"L": 3, "P": 1} and total.channels == {"qr": 2, "web": 1}
