"""Fixtures shared by the citizen survey tests."""

from __future__ import annotations

from typing import Any

import pytest

from surveys import lookup_cache
from tests.surveys.citizen_support import TTL, Clock


@pytest.fixture
def clock(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The lookup cache's clock, moved forward by hand; entries live `TTL` seconds."""
    settings.SURVEY_LOOKUP_TTL_SECONDS = TTL
    controlled = Clock()
    monkeypatch.setattr(lookup_cache, "clock", controlled)
    return controlled
