from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from reports import services
from tests import builders
from tests.e2e.axe import describe, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def published_period(city: Any, instrument: Any, secretariat: Any) -> Any:
    earlier = builders.make_period(
        "Triwulan IV 2025", start=datetime.date(2025, 10, 1), end=datetime.date(2025, 12, 31)
    )
    builders.make_response(city.kelurahan, [3, 2, 2, 3, 3, 2, 3, 2, 1], instrument=instrument, period=earlier)
    services.period_close(period=earlier, user=secretariat)
    services.period_publish(period=earlier, user=secretariat)
    period = builders.make_period("Triwulan I 2026", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    for scores, sex in (([4, 3, 3, 4, 3, 2, 4, 3, 3], "P"), ([3] * 9, "L"), ([2, 3, 3, 4, 3, 3, 2, 2, 1], "P")):
        builders.make_response(
            city.kelurahan, scores, instrument=instrument, period=period, service=city.service, sex=sex, education="SMA"
        )
    builders.make_response(city.puskesmas, [4] * 9, instrument=instrument, period=period, sex="L")
    services.period_close(period=period, user=secretariat)
    services.followup_create(
        unit=city.kelurahan,
        period=period,
        user=secretariat,
        element_code="PENGADUAN",
        program="Membuka kanal pengaduan WhatsApp",
        responsible="Lurah",
        quarter=1,
        is_public=True,
    )
    return services.period_publish(period=period, user=secretariat)


def test_a_citizen_finds_a_units_result_on_a_phone(
    browser_page: Any, live_server: Any, published_period: Any, city: Any
) -> None:
    page = browser_page
    page.goto(live_server.url + "/hasil/")
    page.get_by_role("link", name="Triwulan I 2026").click()
    assert page.locator("h1").inner_text() == "Hasil SKM Triwulan I 2026"
    page.get_by_label("Jenis unit").select_option("kelurahan")
    page.get_by_role("button", name="Tampilkan").click()
    assert page.locator(".result-card").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "public-period-360.png"), full_page=True)
    violations = serious_violations(page)
    assert not violations, describe(violations)

    page.get_by_role("link", name=city.kelurahan.name).click()
    assert page.locator("h1").inner_text() == city.kelurahan.name
    assert "Membuka kanal pengaduan WhatsApp" in page.content()
    assert page.locator(".trend-chart svg circle").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "public-unit-360.png"), full_page=True)
    violations = serious_violations(page)
    assert not violations, describe(violations)

    page.get_by_role("link", name="Poster pengumuman (cetak)").click()
    page.get_by_role("button", name="Cetak").wait_for(state="visible")  # shown by static/js/print.js under the CSP
    page.screenshot(path=str(ARTIFACTS / "public-poster-360.png"), full_page=True)
    violations = serious_violations(page)
    assert not violations, describe(violations)
