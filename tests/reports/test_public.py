from __future__ import annotations

import datetime

import pytest
from django.test import Client

from reports import services
from reports.models import PeriodPublication
from surveys.models import Period
from tests import builders

pytestmark = pytest.mark.django_db

SECRET_SUGGESTION = "RAHASIA-saran-warga-0042"
SECRET_OTHER_SERVICE = "RAHASIA-layanan-lain-0042"


def published(name: str, *, start: datetime.date, end: datetime.date, user, fill) -> PeriodPublication:
    period = builders.make_period(name, start=start, end=end)
    fill(period)
    services.period_close(period=period, user=user)
    return services.period_publish(period=period, user=user)


@pytest.fixture
def publication(city, instrument, secretariat) -> PeriodPublication:
    def fill(period: Period) -> None:
        builders.make_response(
            city.kelurahan,
            [4, 3, 3, 4, 3, 2, 4, 3, 3],
            instrument=instrument,
            period=period,
            service=city.service,
            sex="P",
            education="S1",
        )
        response = builders.make_response(
            city.puskesmas, [3] * 9, instrument=instrument, period=period, sex="L", education="SMA"
        )
        response.suggestion = SECRET_SUGGESTION
        response.service_other = SECRET_OTHER_SERVICE
        response.save()

    return published(
        "Triwulan I 2026", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31), user=secretariat, fill=fill
    )


def test_the_index_lists_only_published_periods(client: Client, publication, secretariat):
    closed = builders.make_period("Triwulan Tertutup", start=datetime.date(2026, 4, 1), end=datetime.date(2026, 6, 30))
    services.period_close(period=closed, user=secretariat)
    page = client.get("/hasil/").content.decode()
    assert "Triwulan I 2026" in page
    assert "Triwulan Tertutup" not in page


def test_a_closed_but_unpublished_period_is_not_found(client: Client, city, secretariat):
    closed = builders.make_period("Triwulan II 2026", start=datetime.date(2026, 4, 1), end=datetime.date(2026, 6, 30))
    services.period_close(period=closed, user=secretariat)
    assert client.get("/hasil/triwulan-ii-2026/").status_code == 404
    assert client.get(f"/hasil/{closed.pk}/").status_code == 404


def test_the_period_page_shows_every_unit_with_data(client: Client, publication, city):
    page = client.get(f"/hasil/{publication.slug}/").content.decode()
    assert city.kelurahan.name in page and city.puskesmas.name in page
    assert "Laki-laki 1" not in page and "D4/S1 1" not in page  # one respondent each: no breakdown
    assert "Rincian responden tidak ditampilkan" in page
    assert "75,00" in page  # Puskesmas Dempo: all 3 → 75.00, with the Indonesian decimal comma


def test_the_period_page_filters_by_kind_kecamatan_and_name(client: Client, publication, city):
    by_kind = client.get(f"/hasil/{publication.slug}/", {"jenis": "puskesmas"}).content.decode()
    assert city.puskesmas.name in by_kind and f">{city.kelurahan.name}<" not in by_kind
    by_kecamatan = client.get(f"/hasil/{publication.slug}/", {"kecamatan": city.other_kecamatan.code}).content.decode()
    assert city.puskesmas.name not in by_kecamatan
    by_name = client.get(f"/hasil/{publication.slug}/", {"q": "dempo"}).content.decode()
    assert city.puskesmas.name in by_name and f">{city.kelurahan.name}<" not in by_name


def test_the_unit_page_names_the_elements_in_english_when_chosen(publication, city):
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.get(f"/hasil/{publication.slug}/{city.kelurahan.code}/").content.decode()
    assert "Requirements" in page and "Handling of complaints and suggestions" in page
    assert "Penanganan Pengaduan, Saran dan Masukan" not in page


def test_the_poster_names_the_grade_in_english_when_chosen(publication, city):
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.get(f"/hasil/{publication.slug}/{city.puskesmas.code}/poster/").content.decode()
    assert "Poor" in page and "Kurang Baik" not in page  # Puskesmas Dempo: all 3 → 75.00, grade C


def test_an_unknown_filter_is_ignored_with_a_message(client: Client, publication, city):
    response = client.get(f"/hasil/{publication.slug}/", {"jenis": "<script>"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saringan tidak dikenal diabaikan" in page
    assert city.puskesmas.name in page and "<script>" not in page


def test_the_unit_page_shows_elements_services_and_trend(client: Client, publication, city):
    page = client.get(f"/hasil/{publication.slug}/{city.kelurahan.code}/").content.decode()
    assert "Persyaratan" in page and "Penanganan Pengaduan, Saran dan Masukan" in page
    assert city.service.name in page
    assert "Perkembangan antarperiode" in page


def test_public_pages_never_show_citizens_free_text(client: Client, publication, city):
    urls = [
        "/hasil/",
        f"/hasil/{publication.slug}/",
        f"/hasil/{publication.slug}/{city.puskesmas.code}/",
        f"/hasil/{publication.slug}/{city.puskesmas.code}/poster/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET_SUGGESTION not in response.content.decode()
        assert SECRET_OTHER_SERVICE not in response.content.decode()


def test_the_poster_has_the_official_publication_items(client: Client, publication, city):
    page = client.get(f"/hasil/{publication.slug}/{city.kelurahan.code}/poster/").content.decode()
    for item in (
        "Indeks Kepuasan Masyarakat",
        city.kelurahan.name,
        city.service.name,
        "Jumlah responden",
        "Triwulan I 2026",
        "Terima kasih",
    ):
        assert item in page, item
    assert "Perempuan 1" not in page  # a unit of one respondent shows no breakdown
    assert "<script>" not in page and "style=" not in page


def test_public_pages_show_the_latest_revision_and_keep_earlier_ones(
    client: Client, publication, city, instrument, secretariat
):
    period = publication.period
    builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period)
    services.snapshot_recompute(period=period, user=secretariat, reason="Impor formulir kertas")
    page = client.get(f"/hasil/{publication.slug}/{city.kelurahan.code}/").content.decode()
    assert "Revisi 2" in page and "Impor formulir kertas" in page
    assert 'Responden</dt><dd class="col-6">2<' in page
    earlier = client.get(f"/hasil/{publication.slug}/{city.kelurahan.code}/", {"revisi": "1"}).content.decode()
    assert "Anda melihat revisi lama" in earlier
    assert 'Responden</dt><dd class="col-6">1<' in earlier


@pytest.mark.parametrize("revision", ["9", "abc", "-1", "1" * 20])
def test_an_unknown_revision_is_not_found(client: Client, publication, city, revision):
    assert client.get(f"/hasil/{publication.slug}/", {"revisi": revision}).status_code == 404


def test_a_unit_outside_the_snapshot_is_not_found(client: Client, publication):
    assert client.get(f"/hasil/{publication.slug}/tidak-ada/").status_code == 404
    assert client.get(f"/hasil/{publication.slug}/tidak-ada/poster/").status_code == 404


def test_only_public_actions_of_published_periods_appear(client: Client, publication, city, secretariat):
    period = publication.period
    common = {"unit": city.kelurahan, "period": period, "user": secretariat, "responsible": "Lurah", "quarter": 1}
    services.followup_create(element_code="WAKTU", program="Tambah petugas loket", is_public=True, **common)
    services.followup_create(element_code="BIAYA", program="Rencana internal saja", is_public=False, **common)
    page = client.get(f"/hasil/{publication.slug}/{city.kelurahan.code}/").content.decode()
    assert "Tambah petugas loket" in page and "TW I 2027" in page
    assert "Rencana internal saja" not in page


def test_public_pages_cost_a_fixed_number_of_queries(
    client: Client, publication, city, instrument, django_assert_max_num_queries
):
    for number in range(8):
        builders.make_unit(f"kel-{number}", parent=city.kecamatan, area=city.kecamatan)
    with django_assert_max_num_queries(7):  # the units, the city summary's trend (2), the period, revisions
        client.get(f"/hasil/{publication.slug}/")
    with django_assert_max_num_queries(8):  # a filter reads the filtered units as well
        client.get(f"/hasil/{publication.slug}/", {"jenis": "kelurahan"})
    with django_assert_max_num_queries(6):
        client.get(f"/hasil/{publication.slug}/{city.kelurahan.code}/")
    with django_assert_max_num_queries(3):  # the periods, the city trend (2)
        client.get("/hasil/")


def test_public_pages_answer_only_get(client: Client, publication):
    assert client.post(f"/hasil/{publication.slug}/").status_code == 405
