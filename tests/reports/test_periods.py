from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client

from reports import services
from reports.models import FollowUpAction, PeriodPublication, Snapshot
from surveys.models import Period, PeriodState
from tests import builders
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "year", "number", "name", "start", "end"),
    [
        ("month", 2026, 2, "Februari 2026", datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
        ("triwulan", 2026, 3, "Triwulan III 2026", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        ("semester", 2024, 1, "Semester I 2024", datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)),
        ("year", 2027, 1, "Tahun 2027", datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)),
    ],
)
def test_a_period_is_named_and_bounded_by_its_kind(db, kind, year, number, name, start, end):
    period = services.period_create(kind=kind, year=year, number=number)
    assert (period.name, period.start, period.end, period.state) == (name, start, end, PeriodState.OPEN)


@pytest.mark.parametrize(
    ("kind", "year", "number"), [("triwulan", 2026, 5), ("semester", 2026, 3), ("month", 2026, 0), ("week", 2026, 1)]
)
def test_an_impossible_period_is_refused(db, kind, year, number):
    with pytest.raises(services.PeriodError):
        services.period_create(kind=kind, year=year, number=number)
    assert not Period.objects.exists()


def test_a_period_cannot_be_created_twice(db):
    services.period_create(kind="triwulan", year=2026, number=1)
    with pytest.raises(services.PeriodError, match="sudah ada"):
        services.period_create(kind="triwulan", year=2026, number=1)


@pytest.mark.parametrize(("kind", "number"), [("year", 1), ("month", 11), ("semester", 2)])
def test_a_period_that_overlaps_another_is_refused_so_no_response_falls_between_them(db, kind, number):
    services.period_create(kind="triwulan", year=2026, number=4)
    with pytest.raises(services.PeriodError, match="tumpang tindih dengan Triwulan IV 2026"):
        services.period_create(kind=kind, year=2026, number=number)
    assert Period.objects.count() == 1


def test_periods_side_by_side_are_fine(db):
    services.period_create(kind="triwulan", year=2026, number=3)
    services.period_create(kind="month", year=2026, number=10)
    assert Period.objects.count() == 2


def test_a_period_moves_open_closed_published_and_reopens_only_before_publication(city, period, secretariat):
    services.period_close(period=period, user=secretariat)
    with pytest.raises(services.PeriodError):
        services.period_close(period=period, user=secretariat)
    services.period_reopen(period=period)
    services.period_close(period=period, user=secretariat)
    assert [snapshot.revision for snapshot in Snapshot.objects.filter(period=period)] == [2, 1]
    publication = services.period_publish(period=period, user=secretariat)
    assert publication.slug == "triwulan-uji"
    with pytest.raises(services.PeriodError):
        services.period_reopen(period=period)
    with pytest.raises(services.PeriodError):
        services.period_publish(period=period, user=secretariat)
    period.refresh_from_db()
    assert period.state == PeriodState.PUBLISHED


def _urls(period: Period) -> list[str]:
    return [
        "/petugas/periode/",
        f"/petugas/periode/{period.pk}/",
        f"/petugas/periode/{period.pk}/rtl/",
        f"/petugas/periode/{period.pk}/hasil/",
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("kecamatan_admin", 404), ("other_admin", 404), ("secretariat", 200)],
)
def test_period_pages_are_for_the_secretariat_only(request, city, period, who, expected):
    services.period_close(period=period, user=None)
    client = Client() if who == "anonymous" else logged_in(request.getfixturevalue(who))
    for url in _urls(period):
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response["Location"].startswith("/akun/masuk/")


@pytest.mark.parametrize("action", ["tutup", "buka-kembali", "publikasikan", "hitung-ulang"])
def test_period_actions_are_refused_to_unit_admins_and_change_nothing(city, period, kecamatan_admin, action):
    response = logged_in(kecamatan_admin).post(f"/petugas/periode/{period.pk}/{action}/", {"reason": "x"})
    assert response.status_code == 404
    period.refresh_from_db()
    assert period.state == PeriodState.OPEN and not Snapshot.objects.exists()


def test_period_actions_answer_only_post(city, period, secretariat):
    assert logged_in(secretariat).get(f"/petugas/periode/{period.pk}/tutup/").status_code == 405


def test_the_secretariat_creates_closes_publishes_and_recomputes_through_the_pages(city, instrument, secretariat):
    client = logged_in(secretariat)
    response = client.post("/petugas/periode/", {"kind": "triwulan", "year": "2026", "number": "2"})
    period = Period.objects.get(name="Triwulan II 2026")
    assert response.status_code == 302
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    client.post(f"/petugas/periode/{period.pk}/tutup/")
    client.post(f"/petugas/periode/{period.pk}/publikasikan/")
    response = client.post(f"/petugas/periode/{period.pk}/hitung-ulang/", {"reason": "Impor formulir kertas"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.state == PeriodState.PUBLISHED
    assert PeriodPublication.objects.get(period=period).slug == "triwulan-ii-2026"
    page = client.get(f"/petugas/periode/{period.pk}/").content.decode()
    assert "Revisi 2" in page and "Impor formulir kertas" in page


@pytest.mark.parametrize(
    "data",
    [{}, {"kind": "triwulan", "year": "dua ribu", "number": "1"}, {"kind": "triwulan", "year": "2026", "number": "7"}],
)
def test_bad_period_input_gets_a_message_and_creates_nothing(city, secretariat, data):
    response = logged_in(secretariat).post("/petugas/periode/", data)
    assert response.status_code == 200
    assert not Period.objects.exists()
    assert "invalid-feedback" in response.content.decode() or "alert" in response.content.decode()


def test_a_recomputation_without_reason_is_refused_with_a_message(city, period, secretariat):
    services.period_close(period=period, user=secretariat)
    response = logged_in(secretariat).post(f"/petugas/periode/{period.pk}/hitung-ulang/", {"reason": "  "})
    assert response.status_code == 400
    assert Snapshot.objects.filter(period=period).count() == 1


def test_publishing_an_open_period_shows_an_error_and_changes_nothing(city, period, secretariat):
    client = logged_in(secretariat)
    response = client.post(f"/petugas/periode/{period.pk}/publikasikan/", follow=True)
    assert "Hanya periode yang sudah ditutup" in response.content.decode()
    period.refresh_from_db()
    assert period.state == PeriodState.OPEN and not PeriodPublication.objects.exists()


def test_the_secretariat_checks_any_revision_before_publication(city, instrument, period, secretariat):
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    services.period_close(period=period, user=secretariat)
    builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period)
    services.snapshot_recompute(period=period, user=secretariat, reason="Impor formulir kertas")
    client = logged_in(secretariat)
    first = client.get(f"/petugas/periode/{period.pk}/hasil/", {"revisi": "1"}).content.decode()
    latest = client.get(f"/petugas/periode/{period.pk}/hasil/").content.decode()
    assert "100,00" in first and "revisi 1" in first
    assert "62,50" in latest and "revisi 2" in latest
    assert client.get(f"/petugas/periode/{period.pk}/hasil/", {"revisi": "x"}).status_code == 404


def test_the_demo_publishes_past_periods_with_follow_ups_and_is_idempotent(db, settings):
    settings.DEBUG = True
    today = datetime.date(2026, 11, 20)
    call_command("seed_demo", responses=300, today=today, stdout=io.StringIO())
    published = set(PeriodPublication.objects.values_list("period__name", flat=True))
    assert "Triwulan III 2026" in published and "Triwulan IV 2026" not in published
    assert FollowUpAction.objects.filter(is_public=True).exists()
    counts = (Snapshot.objects.count(), FollowUpAction.objects.count(), PeriodPublication.objects.count())
    call_command("publish_demo", today=today, stdout=io.StringIO())
    assert (Snapshot.objects.count(), FollowUpAction.objects.count(), PeriodPublication.objects.count()) == counts


def test_an_unknown_period_is_not_found(city, secretariat):
    client = logged_in(secretariat)
    assert client.get("/petugas/periode/999999/").status_code == 404
    assert client.post("/petugas/periode/999999/tutup/").status_code == 404


def test_closing_a_period_before_its_end_needs_a_confirmation(city, period, secretariat):
    client = logged_in(secretariat)
    page = client.get(f"/petugas/periode/{period.pk}/").content.decode()
    assert 'name="confirm"' in page and "Menutupnya sekarang menghentikan survei" in page
    client.post(f"/petugas/periode/{period.pk}/tutup/")
    period.refresh_from_db()
    assert period.state == PeriodState.OPEN
    client.post(f"/petugas/periode/{period.pk}/tutup/", {"confirm": "yes"})
    period.refresh_from_db()
    assert period.state == PeriodState.CLOSED
