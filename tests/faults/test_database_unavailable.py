"""A lost database connection inside any view is a 503 page asking to retry, not a bare 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from surveys import selectors
from surveys.models import Response
from tests.surveys.citizen_support import filled_form

pytestmark = pytest.mark.django_db


def test_a_lost_connection_while_showing_or_taking_a_form_is_a_503_with_retry_after(
    city: Any, instrument: Any, period: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lost(*args: object, **kwargs: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "active_instrument_for", lost)
    for response in (
        Client().get(f"/s/{city.kelurahan.code}/"),
        Client().post(f"/s/{city.kelurahan.code}/", filled_form(instrument)),
    ):
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
        assert "kirim ulang" in response.content.decode()
    assert not Response.objects.exists()
