"""Help texts say what the system really does: the configured retention, the review states that
replaced spam flags, the period number a yearly period ignores."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from reports.forms.periods import PeriodCreateForm
from surveys.services.periods import period_bounds
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_the_export_page_names_the_configured_retention(settings: Any, kecamatan_admin: Any, period: Any) -> None:
    settings.EXPORT_RETENTION_HOURS = 48
    page = logged_in(kecamatan_admin).get(reverse("export-start")).content.decode()
    assert "Berkas disimpan selama 48 jam." in page and "24 jam" not in page


def test_the_report_page_names_the_configured_retention(settings: Any, secretariat: Any, period: Any) -> None:
    settings.EXPORT_RETENTION_HOURS = 6
    page = logged_in(secretariat).get(reverse("report-city")).content.decode()
    assert "Berkas disimpan selama 6 jam." in page


def test_the_period_page_speaks_of_review_states_not_spam_flags(secretariat: Any, period: Any) -> None:
    page = logged_in(secretariat).get(reverse("period-detail", args=[period.pk])).content.decode()
    assert "spam" not in page


def test_a_yearly_period_ignores_its_number_as_the_help_text_says() -> None:
    assert "nomor diabaikan" in str(PeriodCreateForm().fields["number"].help_text)
    assert period_bounds(kind="year", year=2026, number=7) == period_bounds(kind="year", year=2026, number=1)
