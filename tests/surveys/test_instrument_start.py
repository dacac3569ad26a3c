"""A city that starts from an empty database gets its questionnaire in the app: the regulation's
nine elements as a city-wide draft, which the secretariat reads, adjusts and publishes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from surveys import services
from surveys.instrument_data import PERMENPAN_14_2017
from surveys.models import AuditEvent, Instrument, InstrumentState
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_the_instrument_page_of_an_empty_city_offers_the_regulations_questionnaire(secretariat: Any) -> None:
    page = logged_in(secretariat).get(reverse("instrument-list")).content.decode()
    assert "Mulai dari kuesioner PermenPAN-RB 14/2017" in page
    assert "permenpan-14-2017" not in page  # the rule set is named, never keyed


def test_starting_makes_a_city_wide_draft_with_the_nine_elements_and_logs_it(secretariat: Any) -> None:
    response = logged_in(secretariat).post(reverse("instrument-start"))
    draft = Instrument.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("instrument-edit", args=[draft.pk])
    assert (draft.state, draft.unit) == (InstrumentState.DRAFT, None)
    assert list(draft.elements.order_by("order").values_list("code", flat=True)) == [
        text["code"] for text in PERMENPAN_14_2017
    ]
    assert AuditEvent.objects.get(action="instrument.start").summary.startswith(f"Membuat {draft} (draf, seluruh kota)")
    services.instrument_publish(instrument=draft, actor=secretariat)
    assert list(Instrument.objects.published_for(None)) == [draft]


def test_a_city_that_has_a_questionnaire_is_not_offered_a_second_first_one(instrument: Any, secretariat: Any) -> None:
    client = logged_in(secretariat)
    assert "Mulai dari kuesioner" not in client.get(reverse("instrument-list")).content.decode()
    page = client.post(reverse("instrument-start"), follow=True).content.decode()
    assert "Kota sudah memiliki instrumen" in page
    assert Instrument.objects.count() == 1 and not AuditEvent.objects.filter(action="instrument.start").exists()
