"""The secretariat sets the city's survey settings in the app (`/petugas/pengaturan/`): today the
grace a kiosk's queued form has to arrive (`services.kiosk_queue_grace_set`, issue 19)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from surveys import audit_words, selectors, services
from surveys.models import AuditEvent, SurveySettings
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db
URL = "/petugas/pengaturan/"


def test_the_secretariat_changes_the_grace_and_the_log_says_so_in_words(secretariat: Any) -> None:
    page = logged_in(secretariat).get(URL).content.decode()
    assert "Ini nilai bawaan" in page and 'value="7"' in page
    reply = logged_in(secretariat).post(URL, {"kiosk_queue_grace_days": "3"}, follow=True)
    assert "Pengaturan survei disimpan." in reply.content.decode()
    assert SurveySettings.objects.get().kiosk_queue_grace_days == 3
    assert selectors.survey_settings().kiosk_queue_grace_days == 3
    event = AuditEvent.objects.get(action="settings.kiosk_queue_grace")
    assert event.actor == secretariat
    assert event.summary == "Mengubah tenggang antrean kios dari 7 menjadi 3 hari"
    assert audit_words.describe(event).details == [("dari", "7"), ("tenggang antrean kios (hari)", "3")]


def test_saving_the_same_grace_again_changes_nothing(secretariat: Any) -> None:
    services.kiosk_queue_grace_set(actor=secretariat, days=5)
    logged_in(secretariat).post(URL, {"kiosk_queue_grace_days": "5"})
    assert AuditEvent.objects.filter(action="settings.kiosk_queue_grace").count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31", "Tenggang paling lama 30 hari."),
        ("0", "Tenggang tidak boleh kurang dari 1 hari."),  # every kiosk form goes through the queue
        ("-1", "Tenggang tidak boleh kurang dari 1 hari."),
        ("tujuh", "Tulis jumlah hari sebagai bilangan bulat, misalnya 7."),
        ("", "Isi jumlah hari tenggang."),
    ],
)
def test_a_grace_the_city_cannot_use_is_refused_with_a_clear_message(
    secretariat: Any, typed: str, message: str
) -> None:
    reply = logged_in(secretariat).post(URL, {"kiosk_queue_grace_days": typed})
    assert reply.status_code == 400
    assert message in reply.content.decode()
    assert not SurveySettings.objects.exists()
    assert not AuditEvent.objects.filter(action="settings.kiosk_queue_grace").exists()


def test_the_service_refuses_a_grace_out_of_bounds_too(secretariat: Any) -> None:
    with pytest.raises(services.SettingsError, match="antara 1 dan 30"):
        services.kiosk_queue_grace_set(actor=secretariat, days=31)


def test_the_refusal_speaks_english_in_english(secretariat: Any) -> None:
    client = logged_in(secretariat)
    client.cookies["django_language"] = "en"
    reply = client.post(URL, {"kiosk_queue_grace_days": "31"})
    assert "at most 30 days" in reply.content.decode()


def test_the_log_is_kept_in_the_sites_language_whatever_the_secretariat_reads(secretariat: Any) -> None:
    client = logged_in(secretariat)
    client.cookies["django_language"] = "en"
    client.post(URL, {"kiosk_queue_grace_days": "10"})
    event = AuditEvent.objects.get(action="settings.kiosk_queue_grace")
    assert (event.object_label, event.summary) == (
        "Pengaturan survei",
        "Mengubah tenggang antrean kios dari 7 menjadi 10 hari",
    )


def test_a_unit_admin_gets_a_404_and_changes_nothing(kecamatan_admin: Any) -> None:
    client = logged_in(kecamatan_admin)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"kiosk_queue_grace_days": "1"}).status_code == 404
    assert not SurveySettings.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(secretariat: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    assert client.post(URL, {"kiosk_queue_grace_days": "1"}).status_code == 403
    assert not SurveySettings.objects.exists()


def test_the_page_is_in_the_secretariats_manage_menu_only(secretariat: Any, kecamatan_admin: Any) -> None:
    assert f'href="{URL}"' in logged_in(secretariat).get("/petugas/kios/").content.decode()
    assert f'href="{URL}"' not in logged_in(kecamatan_admin).get("/petugas/kios/").content.decode()
