"""In Chromium at 360 px: log in → unit dashboard → drill down; secretariat → city → unit. With axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reports import indices
from surveys.models import UnitPopulation
from tests import builders
from tests.conftest import PASSWORD
from tests.e2e.axe import describe, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ROWS = [[4, 3, 3, 4, 3, 2, 4, 3, 3], [2, 2, 3, 4, 3, 3, 3, 2, 1], [3, 3, 3, 3, 3, 3, 3, 3, 3], [4] * 9]
CODES = [element.code for element in indices.get_rules(indices.DEFAULT_RULES).elements]


def expected_nik() -> str:
    """The NIK the engine gives for ROWS, as the page prints it (Indonesian decimal comma)."""
    tally = indices.tallies_from_rows([dict(zip(CODES, row, strict=True)) for row in ROWS])
    result = indices.compute_index(tally.tallies, respondents=tally.respondents)
    return str(indices.round_nik(result.nik)).replace(".", ",")


@pytest.fixture
def answered(city: Any, instrument: Any, period: Any) -> None:
    for unit in (city.kecamatan, city.kelurahan, city.other_kelurahan):
        for number, scores in enumerate(ROWS):
            builders.make_response(
                unit, scores, instrument=instrument, period=period, sex="LP"[number % 2], age=25 + 9 * number
            )
    UnitPopulation.objects.create(unit=city.kelurahan, period=period, population=40)


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(live_server.url + "/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def check(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    violations = serious_violations(page)
    assert not violations, describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways"


def test_a_kecamatan_admin_logs_in_reads_the_dashboard_and_drills_down(
    browser_page: Any, live_server: Any, city: Any, kecamatan_admin: Any, answered: None
) -> None:
    page = browser_page
    log_in(page, live_server, "admin-ib1")
    assert page.url.endswith(f"/petugas/unit/{city.kecamatan.code}/")
    assert page.locator("h1").inner_text() == "Ilir Barat I"
    assert page.locator(".nik-value").inner_text() == expected_nik()
    assert page.locator("svg[role=img]").count() == 1  # one period: no trend line yet
    check(page, "staff-unit-dashboard-360")

    page.locator("details.sub-units summary").click()
    page.get_by_role("link", name="24 Ilir").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "24 Ilir"
    assert "Belum sesuai" in page.locator(".headline").inner_text()
    check(page, "staff-kelurahan-dashboard-360")

    page.get_by_role("link", name="Semua kritik dan saran").click()
    page.wait_for_load_state()
    check(page, "staff-suggestions-360")


def test_the_secretariat_compares_units_and_opens_one(
    browser_page: Any, live_server: Any, city: Any, secretariat: Any, answered: None
) -> None:
    page = browser_page
    log_in(page, live_server, "analis")
    assert page.url.endswith("/petugas/kota/")
    assert page.locator("[data-testid=city-pooled] .nik-value").inner_text() == expected_nik()
    check(page, "staff-city-dashboard-360")
    page.select_option("#id_kind", "kelurahan")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_load_state()
    assert page.locator(".city-table tbody tr").count() == 2
    page.locator(".city-table").get_by_role("link", name="Sukarami").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Sukarami"
    assert page.locator(".nik-value").inner_text() == expected_nik()
