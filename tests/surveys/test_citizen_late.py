"""A citizen who started the form before the secretariat closed the period loses nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from reports import services as report_services
from reports.models import SnapshotUnit
from surveys.models import Response
from tests.surveys.citizen_support import filled_form, old_ticket, ticket_from

pytestmark = pytest.mark.django_db


def test_a_form_shown_before_the_period_closed_is_stored_in_that_period(
    city: Any, instrument: Any, period: Any, secretariat: Any
) -> None:
    client = Client()
    ticket = ticket_from(client.get(f"/s/{city.kelurahan.code}/").content.decode())
    snapshot = report_services.period_close(period=period, user=secretariat)
    answer = client.post(f"/s/{city.kelurahan.code}/", filled_form(instrument, ticket=ticket))
    assert answer.status_code == 302 and answer["Location"].endswith("/terima-kasih/")
    assert Response.objects.get().period == period
    frozen = SnapshotUnit.objects.get(snapshot=snapshot, unit=city.kelurahan)
    assert frozen.respondents == 0  # the published numbers do not move; a recompute would show it


def test_a_late_form_past_the_grace_time_is_not_stored(
    city: Any, instrument: Any, period: Any, secretariat: Any, settings: Any
) -> None:
    stale = old_ticket(period_id=period.pk, seconds_ago=settings.SURVEY_LATE_GRACE_SECONDS + 60)
    report_services.period_close(period=period, user=secretariat)
    page = Client().post(f"/s/{city.kelurahan.code}/", filled_form(instrument, ticket=stale))
    assert "belum ada periode survei yang dibuka" in page.content.decode()
    assert not Response.objects.exists()


def test_a_ticket_issued_with_no_open_period_cannot_pick_one(
    city: Any, instrument: Any, period: Any, secretariat: Any
) -> None:
    report_services.period_close(period=period, user=secretariat)
    page = Client().post(f"/s/{city.kelurahan.code}/", filled_form(instrument))  # no period in its ticket
    assert "belum ada periode survei yang dibuka" in page.content.decode()
    assert not Response.objects.exists()
