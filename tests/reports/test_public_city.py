"""The public site's city summary and its small-group protection (issue 18, item 7)."""

from __future__ import annotations

import datetime
import html as html_lib
import re
from decimal import Decimal

import pytest
from django.test import Client

from reports import public_city, services
from reports.models import PeriodPublication
from surveys.models import Period
from surveys.services import unit_population_set
from tests import builders

pytestmark = pytest.mark.django_db


def _publish(name: str, start: datetime.date, end: datetime.date, user, fill) -> PeriodPublication:
    period = builders.make_period(name, start=start, end=end)
    fill(period)
    services.period_close(period=period, user=user)
    return services.period_publish(period=period, user=user)


@pytest.fixture
def two_periods(city, instrument, secretariat) -> tuple[PeriodPublication, PeriodPublication]:
    """Kelurahan 24 Ilir: 12 respondents, 11 men and 1 woman (population 500: below the minimum).
    Puskesmas Dempo: 9 respondents; Kelurahan Sukarami: 10. Then a second period: 10 at 24 Ilir."""

    def first(period: Period) -> None:
        unit_population_set(unit=city.kelurahan, period=period, population=500)
        for number in range(12):
            builders.make_response(
                city.kelurahan, [4] * 9, instrument=instrument, period=period, sex="P" if number == 0 else "L"
            )
        for _number in range(9):
            builders.make_response(city.puskesmas, [3] * 9, instrument=instrument, period=period, sex="L")
        for _number in range(10):
            builders.make_response(city.other_kelurahan, [3] * 9, instrument=instrument, period=period)

    def second(period: Period) -> None:
        for _number in range(10):
            builders.make_response(city.kelurahan, [2] * 9, instrument=instrument, period=period, sex="L")

    return (
        _publish("Semester I 2026", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), secretariat, first),
        _publish("Semester II 2026", datetime.date(2026, 7, 1), datetime.date(2026, 12, 31), secretariat, second),
    )


def text(html: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_a_small_cell_shows_less_than_five_and_cannot_be_subtracted_from_the_total(client: Client, two_periods, city):
    first, _second = two_periods
    page = text(client.get(f"/hasil/{first.slug}/{city.kelurahan.code}/").content.decode())
    assert "Perempuan < 5" in page
    assert "Laki-laki ≥ 5" in page  # "Laki-laki 11" with 12 respondents would give the one woman away
    assert "Laki-laki 11" not in page and "Perempuan 1 " not in page
    assert "92%" not in page and "8%" not in page  # nor their percentages


def test_a_unit_with_fewer_than_ten_respondents_shows_no_breakdown(client: Client, two_periods, city):
    first, _second = two_periods
    for url in (f"/hasil/{first.slug}/{city.puskesmas.code}/", f"/hasil/{first.slug}/{city.puskesmas.code}/poster/"):
        page = text(client.get(url).content.decode())
        assert "Laki-laki 9" not in page and "Laki-laki" not in page, url
    assert "Rincian responden tidak ditampilkan" in text(
        client.get(f"/hasil/{first.slug}/{city.puskesmas.code}/").content.decode()
    )


def test_the_thresholds_come_from_settings(client: Client, two_periods, city, settings):
    settings.PUBLIC_MIN_CELL = 2
    settings.PUBLIC_MIN_BREAKDOWN = 5
    first, _second = two_periods
    page = text(client.get(f"/hasil/{first.slug}/{city.puskesmas.code}/").content.decode())
    assert "Laki-laki 9 (100%)" in page


def test_a_unit_below_the_minimum_sample_carries_a_caution(client: Client, two_periods, city):
    first, _second = two_periods
    for url in (
        f"/hasil/{first.slug}/",
        f"/hasil/{first.slug}/{city.kelurahan.code}/",
        f"/hasil/{first.slug}/{city.kelurahan.code}/poster/",
    ):
        page = text(client.get(url).content.decode())
        assert "Perhatian: jumlah responden (12) di bawah sampel minimum (217)" in page, url


def test_the_period_page_sums_up_the_city(client: Client, two_periods, city):
    first, _second = two_periods
    html = client.get(f"/hasil/{first.slug}/").content.decode()
    page = text(html)
    # 12 respondents all 4, 19 all 3, pooled: (12 * 4 + 19 * 3) / 31 * 25 = 84,68
    assert "Nilai IKM kota, gabungan semua responden" in page and "84,68" in page
    assert "31 responden dari 3 unit" in page
    assert 'data-testid="grade-A">1<' in html and 'data-testid="grade-C">2<' in html
    kinds = page[page.index("Nilai IKM per jenis unit") :]
    assert kinds.index("Kelurahan") < kinds.index("Puskesmas")  # ranked: 88,64 before 75,00
    assert "Selang kepercayaan 95%" in page
    assert "peringkat 1 dari 2 (Kelurahan; kisaran 1\u20131)" in page


def test_the_city_trend_chart_labels_every_published_period(client: Client, two_periods):
    _first, second = two_periods
    for url in ("/hasil/", f"/hasil/{second.slug}/"):
        html = client.get(url).content.decode()
        start = html.index('aria-labelledby="grafik-tren-kota-title')
        chart = html[start - 100 : html.index("</svg>", start)]
        assert "Sem I 2026" in chart and "Sem II 2026" in chart, url
        assert 'role="img"' in chart
        assert "Semester I 2026: 84,68" in chart and "Semester II 2026: 50,00" in chart


def test_the_city_summary_reads_only_published_snapshots(client: Client, two_periods, city, instrument):
    first, _second = two_periods
    builders.make_response(city.puskesmas, [1] * 9, instrument=instrument, period=first.period)  # not frozen
    assert "84,68" in client.get(f"/hasil/{first.slug}/").content.decode()


def test_the_trend_pools_each_frozen_snapshot_once_and_a_new_revision_anew(
    two_periods, city, instrument, secretariat, django_assert_num_queries
):
    first, _second = two_periods
    assert [point.figures.nik for point in public_city.city_trend()] == [Decimal("84.68"), Decimal("50.00")]
    with django_assert_num_queries(1):  # the snapshots; their pooled tallies come from the cache
        public_city.city_trend()
    for _number in range(9):
        builders.make_response(city.puskesmas, [1] * 9, instrument=instrument, period=first.period)
    services.snapshot_recompute(period=first.period, user=secretariat, reason="Formulir kertas terlambat")
    first_point = public_city.city_trend()[0]
    assert first_point.revision == 2 and first_point.figures.nik < Decimal("84.68")
