"""The load generator fills in the real citizen form as a browser would, so the benchmark cannot
silently drift away from the form it claims to measure."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.test import Client

from bench import loadgen
from bench.common import percentile, summary_ms
from bench.run_scaleout import ticket_key
from surveys.models import Response
from surveys.tickets import ticket_read

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_html(city: Any, instrument: Any, period: Any) -> str:
    return Client().get(f"/s/{city.kelurahan.code}/").content.decode()


def test_it_reads_every_choice_the_form_offers(form_html: str) -> None:
    shape = loadgen.parse_shape(form_html)
    elements = [name for name in shape.choices if name.startswith("element_")]
    assert len(elements) == 9
    assert all(shape.choices[name] == ["1", "2", "3", "4"] for name in elements)
    assert {"service", "sex", "education", "occupation"} <= set(shape.choices)


def test_its_answers_are_accepted_and_stored_once(city: Any, form_html: str, settings: Any) -> None:
    settings.SURVEY_MIN_FILL_SECONDS = 0  # as on the bench server: a load generator answers at once
    data = loadgen.survey_answers(loadgen.parse_shape(form_html), random.Random(1))
    ticket = loadgen.TICKET.search(form_html)
    assert ticket is not None
    data["t"] = ticket.group(1)
    response = Client().post(f"/s/{city.kelurahan.code}/", data)
    assert response.status_code == 302
    assert "terima-kasih" in response["Location"]
    stored = Response.objects.get()
    assert stored.answers.count() == 9
    assert stored.is_countable


def test_the_scale_out_check_reads_the_key_the_server_will_store(form_html: str) -> None:
    ticket = loadgen.TICKET.search(form_html)
    assert ticket is not None
    read = ticket_read(ticket.group(1))
    assert read is not None
    assert ticket_key(ticket.group(1)) == read.key.hex


def test_percentiles_use_the_nearest_rank() -> None:
    values = [float(number) for number in range(1, 101)]
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.99) == 99
    assert percentile([], 0.95) == 0
    assert summary_ms([0.010, 0.020, 0.030])["p50"] == pytest.approx(20)
