"""In Chromium at 360 px: the public city summary with its small groups protected, and the city
dashboard's trend, sorting and pages, with axe-core (issue 18, items 7 and 9)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from reports import services
from surveys.services import unit_population_set
from tests import builders
from tests.e2e.test_staff_dashboards import check, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_published(city: Any, instrument: Any, secretariat: Any) -> Any:
    first = builders.make_period("Semester I 2026", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 6, 30))
    unit_population_set(unit=city.kelurahan, period=first, population=500)
    for number in range(12):
        builders.make_response(
            city.kelurahan, [4, 3, 3, 4, 3, 3, 4, 3, 3], instrument=instrument, period=first, sex="LP"[number == 0]
        )
    for _number in range(3):
        builders.make_response(city.puskesmas, [3] * 9, instrument=instrument, period=first, sex="L")
    services.period_close(period=first, user=secretariat)
    services.period_publish(period=first, user=secretariat)
    second = builders.make_period("Semester II 2026", start=datetime.date(2026, 7, 1), end=datetime.date(2026, 12, 31))
    for _number in range(4):
        builders.make_response(city.kelurahan, [3] * 9, instrument=instrument, period=second)
    services.period_close(period=second, user=secretariat)
    return services.period_publish(period=second, user=secretariat), first


def test_a_citizen_reads_the_city_summary_with_small_groups_protected(
    browser_page: Any, live_server: Any, two_published: Any, city: Any
) -> None:
    page = browser_page
    page.goto(live_server.url + "/hasil/")
    assert page.locator(".trend-chart svg circle").count() == 2
    check(page, "public-index-360")

    page.get_by_role("link", name="Semester I 2026").first.click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=city-pooled] .nik").is_visible()
    card = page.locator(".result-card", has_text="24 Ilir")
    assert "Perempuan < 5" in card.inner_text() and "Laki-laki ≥ 5" in card.inner_text()
    assert "Perhatian: jumlah responden (12) di bawah sampel minimum" in card.inner_text()
    dempo = page.locator(".result-card", has_text="Puskesmas Dempo").inner_text()
    assert "Rincian responden tidak ditampilkan" in dempo and "Laki-laki" not in dempo
    check(page, "public-city-summary-360")


def test_the_secretariat_reads_the_city_trend_and_sorts_a_column(
    browser_page: Any, live_server: Any, two_published: Any, city: Any, secretariat: Any
) -> None:
    second, _first = two_published
    page = browser_page
    log_in(page, live_server, "analis")
    page.goto(live_server.url + f"/petugas/kota/?period=p-{second.period.pk}")
    assert page.locator(".trend-chart svg circle").count() == 2
    page.locator(".city-table thead").get_by_role("link", name="Mutu").click()
    page.wait_for_load_state()
    assert "sort=-mutu" in page.url
    assert page.locator(".city-table thead th[aria-sort=descending]").inner_text().startswith("Mutu")
    check(page, "staff-city-trend-360")
