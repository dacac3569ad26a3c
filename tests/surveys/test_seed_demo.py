from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from surveys.models import Answer, Instrument, Period, Response, Service, ServiceUnit, StaffProfile
from tests.reports.engine_support import CODES

pytestmark = pytest.mark.django_db
TODAY = "2026-11-28"


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (ServiceUnit, Service, Instrument, Period, Response, Answer, StaffProfile)
    }


def seed(settings) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", "--responses", "400", "--today", TODAY, stdout=out)
    return out.getvalue()


def test_seed_demo_loads_the_palembang_registry_and_twice_gives_the_same_counts(settings) -> None:
    output = seed(settings)
    first = counts()
    seed(settings)
    assert counts() == first
    assert first["ServiceUnit"] == 201
    assert ServiceUnit.objects.filter(kind="kelurahan").count() == 107
    assert ServiceUnit.objects.filter(kind="puskesmas", parent__code="opd-dinkes").count() == 42
    assert first["Response"] >= 400
    assert first["Answer"] == first["Response"] * 9
    assert "sekretariat" in output and "demo12345" in output


def test_seed_demo_creates_periods_for_two_past_years_and_the_current_one(settings) -> None:
    seed(settings)
    assert Period.objects.count() == 12
    assert list(Period.objects.open_on(datetime.date(2026, 11, 28)).values_list("name", flat=True)) == [
        "Triwulan IV 2026"
    ]


def test_the_demo_instrument_is_the_published_permenpan_14_2017_questionnaire(settings) -> None:
    seed(settings)
    instrument = Instrument.objects.get(state="published")
    assert instrument.rules == "permenpan-14-2017"
    # the 14/2017 elements in questionnaire order (pinned in test_indices)
    assert list(instrument.elements.values_list("code", flat=True)) == list(CODES)
    assert instrument.elements.get(code="BIAYA").option4_id == "Gratis"


def test_the_demo_accounts_log_in_with_the_demo_password(settings) -> None:
    seed(settings)
    for username in ("sekretariat", "admin-kecamatan", "admin-puskesmas"):
        assert get_user_model().objects.get(username=username).check_password("demo12345")
    assert StaffProfile.objects.get(user__username="admin-kecamatan").units.get().code == "16.71.04"


def test_seed_demo_refuses_to_run_with_debug_off(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not ServiceUnit.objects.exists()
