"""Every unit's page says how many of its responses were held or excluded, and why: the staff
dashboard (live) and the public unit page (from the published snapshot)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from reports import services
from surveys.models import Reason, ResponseState
from surveys.services import review
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(city, instrument, secretariat):
    period = builders.make_period("Triwulan I 2026", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    for _ in range(3):
        builders.make_response(city.kelurahan, [3] * 9, instrument=instrument, period=period)
    builders.make_response(
        city.kelurahan, [1] * 9, instrument=instrument, period=period, state=ResponseState.HELD, reason=Reason.KIOSK
    )
    low = builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period)
    review.response_exclude(response=low, user=secretariat, reason="Iklan, bukan saran")
    return period


def _set_aside_section(page: str) -> str:
    start = page.index('id="set-aside-title"')
    return page[start : page.index("</section>", start)]


def test_the_unit_dashboard_counts_held_and_excluded_responses_with_their_reasons(
    client: Client, city, period, kecamatan_admin
):
    client.force_login(kecamatan_admin)
    page = client.get(f"/petugas/unit/{city.kelurahan.code}/", {"periode": period.pk}).content.decode()
    section = _set_aside_section(page)
    assert "1 ditahan untuk ditinjau sekretariat: Banyak kiriman dari satu kios dalam waktu singkat" in section
    assert "1 tidak dihitung: Dikeluarkan setelah diusulkan dan disetujui sekretariat" in section


def test_the_public_unit_page_shows_what_the_published_snapshot_set_aside(client: Client, city, period, secretariat):
    services.period_close(period=period, user=secretariat)
    publication = services.period_publish(period=period, user=secretariat)
    page = client.get(f"/hasil/{publication.slug}/{city.kelurahan.code}/").content.decode()
    section = _set_aside_section(page)
    assert "1 ditahan untuk ditinjau sekretariat" in section
    assert "1 tidak dihitung: Dikeluarkan setelah diusulkan dan disetujui sekretariat" in section
    assert "Jumlah ini menurut hasil yang dibekukan (revisi 1)" in section


def test_a_unit_with_nothing_set_aside_says_everything_counted(client: Client, city, instrument, secretariat):
    period = builders.make_period("Triwulan II 2026", start=datetime.date(2026, 4, 1), end=datetime.date(2026, 6, 30))
    builders.make_response(city.kelurahan, [3] * 9, instrument=instrument, period=period)
    services.period_close(period=period, user=secretariat)
    publication = services.period_publish(period=period, user=secretariat)
    page = client.get(f"/hasil/{publication.slug}/{city.kelurahan.code}/").content.decode()
    assert "Semua tanggapan yang tersimpan saat hasil ini dibekukan (revisi 1) dihitung." in _set_aside_section(page)


def test_a_response_excluded_after_publication_leaves_the_public_page_saying_what_was_frozen(
    client: Client, city, instrument, secretariat
):
    period = builders.make_period("Triwulan III 2026", start=datetime.date(2026, 7, 1), end=datetime.date(2026, 9, 30))
    low = builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period)
    services.period_close(period=period, user=secretariat)
    publication = services.period_publish(period=period, user=secretariat)
    review.response_exclude(response=low, user=secretariat, reason="Iklan, bukan saran")  # no new revision yet
    section = _set_aside_section(client.get(f"/hasil/{publication.slug}/{city.kelurahan.code}/").content.decode())
    assert "Semua tanggapan yang tersimpan dihitung." not in section
    assert "saat hasil ini dibekukan (revisi 1)" in section
