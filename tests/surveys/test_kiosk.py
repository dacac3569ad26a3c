"""Kiosk mode: register, loop form → thanks → fresh form, revoke; staff pages scoped by access."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from surveys import services
from surveys.models import Channel, Kiosk, Response
from surveys.selectors import kiosk_signed_token
from tests.conftest import logged_in
from tests.surveys.citizen_support import filled_form, old_ticket, ticket_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiosk(city: Any, instrument: Any, period: Any) -> Kiosk:
    return services.kiosk_register(unit=city.kelurahan, label="Tablet loket 1")


def kiosk_url(kiosk: Kiosk) -> str:
    return f"/kios/{kiosk_signed_token(kiosk)}/"


def test_a_kiosk_loops_form_thanks_fresh_form_and_records_channel_and_device(kiosk: Kiosk, instrument: Any) -> None:
    tablet = Client()
    first_form = tablet.get(kiosk_url(kiosk)).content.decode()
    posted = tablet.post(
        kiosk_url(kiosk), filled_form(instrument, ticket=ticket_from(first_form), suggestion="Rahasia saya")
    )
    assert posted.status_code == 302 and posted["Location"] == kiosk_url(kiosk) + "terima-kasih/"
    thanks = tablet.get(posted["Location"])
    assert thanks.status_code == 200
    assert thanks["Refresh"] == f"6; url={kiosk_url(kiosk)}"
    assert "Formulir baru untuk pengunjung berikutnya muncul dalam 6 detik." in thanks.content.decode()
    next_form = tablet.get(kiosk_url(kiosk))
    html = next_form.content.decode()
    assert "Rahasia saya" not in html and "checked" not in html
    assert "no-store" in next_form["Cache-Control"]
    assert ticket_from(html) != ticket_from(first_form)
    response = Response.objects.get()
    assert (response.channel, response.kiosk, response.unit) == (Channel.KIOSK, kiosk, kiosk.unit)


def test_the_next_visitor_at_a_kiosk_starts_in_bahasa_indonesia(kiosk: Kiosk, instrument: Any) -> None:
    tablet = Client()
    tablet.cookies["django_language"] = "en"
    posted = tablet.post(kiosk_url(kiosk), filled_form(instrument, kiosk_id=kiosk.pk))
    thanks = tablet.get(posted["Location"])
    assert thanks.cookies["django_language"].value == ""  # deleted
    assert '<html lang="id">' in tablet.get(kiosk_url(kiosk)).content.decode()


def test_a_kiosk_response_is_kiosk_channel_even_with_a_web_ticket(kiosk: Kiosk, instrument: Any) -> None:
    Client().post(kiosk_url(kiosk), filled_form(instrument, ticket=old_ticket(channel="qr", kiosk_id=kiosk.pk)))
    assert Response.objects.get().channel == Channel.KIOSK


def test_a_ticket_is_bound_to_its_kiosk(kiosk: Kiosk, city: Any, instrument: Any) -> None:
    """A form shown on the unit's public page, or on another kiosk, is not taken by this kiosk."""
    other = services.kiosk_register(unit=city.kelurahan, label="Tablet loket 2")
    for ticket in (old_ticket(), old_ticket(kiosk_id=other.pk), old_ticket(unit="pkm-dempo", kiosk_id=kiosk.pk)):
        page = Client().post(kiosk_url(kiosk), filled_form(instrument, ticket=ticket))
        assert page.status_code == 400
        assert "Formulir ini tidak dapat dikirim seperti adanya" in page.content.decode()
    assert not Response.objects.exists()


def test_a_busy_counter_is_not_blocked_by_the_per_client_limit(kiosk: Kiosk, instrument: Any, settings: Any) -> None:
    settings.SURVEY_RATE_LIMIT, settings.SURVEY_KIOSK_RATE_LIMIT = 1, 3
    tablet = Client(REMOTE_ADDR="10.0.0.5")
    statuses = [tablet.post(kiosk_url(kiosk), filled_form(instrument, kiosk_id=kiosk.pk)).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert Response.objects.count() == 3


def test_a_revoked_kiosk_refuses_politely_and_stores_nothing(kiosk: Kiosk, instrument: Any) -> None:
    services.kiosk_revoke(kiosk=kiosk)
    tablet = Client()
    assert tablet.get(kiosk_url(kiosk)).status_code == 410
    refused = tablet.post(kiosk_url(kiosk), filled_form(instrument, kiosk_id=kiosk.pk))
    assert refused.status_code == 410
    assert "Perangkat ini sudah tidak terdaftar sebagai kios survei" in refused.content.decode()
    assert not Response.objects.exists()


def test_a_forged_kiosk_token_is_a_404(kiosk: Kiosk) -> None:
    assert Client().get(f"/kios/{kiosk.token.hex}:forged/").status_code == 404
    assert Client().get(f"/kios/{kiosk.token.hex}/").status_code == 404


def test_a_unit_admin_registers_a_kiosk_for_their_unit_and_sees_its_private_url(
    city: Any, kecamatan_admin: Any
) -> None:
    admin = logged_in(kecamatan_admin)
    page = admin.post("/petugas/kios/", {"unit": city.kelurahan.pk, "label": "Tablet loket 2"})
    assert page.status_code == 302
    kiosk = Kiosk.objects.get()
    assert (kiosk.unit, kiosk.label) == (city.kelurahan, "Tablet loket 2")
    listing = admin.get("/petugas/kios/").content.decode()
    assert f"http://testserver/kios/{kiosk_signed_token(kiosk)}/" in listing


def test_a_unit_admin_cannot_register_a_kiosk_for_a_unit_outside_their_scope(city: Any, kecamatan_admin: Any) -> None:
    page = logged_in(kecamatan_admin).post("/petugas/kios/", {"unit": city.other_kelurahan.pk, "label": "Tablet"})
    assert page.status_code == 400
    assert "Pilih unit dari daftar." in page.content.decode()
    assert not Kiosk.objects.exists()


def test_registering_without_a_name_explains_what_is_missing(city: Any, kecamatan_admin: Any) -> None:
    page = logged_in(kecamatan_admin).post("/petugas/kios/", {"unit": city.kelurahan.pk, "label": "  "})
    assert page.status_code == 400
    assert "Beri nama perangkat ini." in page.content.decode()
    assert not Kiosk.objects.exists()


def test_the_kiosk_list_shows_only_kiosks_of_the_users_units(
    city: Any, kecamatan_admin: Any, other_admin: Any, django_assert_max_num_queries: Any
) -> None:
    services.kiosk_register(unit=city.kelurahan, label="Tablet 24 Ilir")
    services.kiosk_register(unit=city.other_kelurahan, label="Tablet Sukarami")
    admin = logged_in(kecamatan_admin)
    with django_assert_max_num_queries(8):
        html = admin.get("/petugas/kios/").content.decode()
    assert "Tablet 24 Ilir" in html and "Tablet Sukarami" not in html


def test_a_unit_admin_revokes_their_kiosk_but_gets_404_for_anyone_elses(
    city: Any, kecamatan_admin: Any, other_admin: Any
) -> None:
    own = services.kiosk_register(unit=city.kelurahan, label="Tablet 24 Ilir")
    theirs = services.kiosk_register(unit=city.other_kelurahan, label="Tablet Sukarami")
    admin = logged_in(kecamatan_admin)
    assert admin.post(f"/petugas/kios/{theirs.pk}/cabut/").status_code == 404
    assert admin.post(f"/petugas/kios/{own.pk}/cabut/").status_code == 302
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert own.revoked_at is not None and theirs.revoked_at is None
    assert admin.get(f"/petugas/kios/{own.pk}/cabut/").status_code == 405


@pytest.mark.parametrize(
    ("who", "url", "expected"),
    [
        ("anonymous", "/petugas/kios/", 302),
        ("anonymous", "/petugas/poster/", 302),
        ("anonymous", "/petugas/poster/16.71.04.1001/", 302),
        ("other_admin", "/petugas/poster/16.71.04.1001/", 404),
        ("kecamatan_admin", "/petugas/poster/16.71.04.1001/", 200),
        ("kecamatan_admin", "/petugas/poster/pkm-dempo/", 404),
        ("secretariat", "/petugas/poster/pkm-dempo/", 200),
        ("secretariat", "/petugas/kios/", 200),
        ("puskesmas_admin", "/petugas/kios/", 200),
    ],
)
def test_staff_kiosk_and_poster_pages_follow_the_access_rules(
    request: Any, city: Any, who: str, url: str, expected: int
) -> None:
    client = Client() if who == "anonymous" else logged_in(request.getfixturevalue(who))
    page = client.get(url)
    assert page.status_code == expected
    if expected == 302:
        assert page["Location"].startswith("/akun/masuk/")
