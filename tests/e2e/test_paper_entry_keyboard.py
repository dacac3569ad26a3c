"""A paper form typed with the keyboard only, at 360 px, passes axe and is stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from surveys.models import Channel, Response
from tests.conftest import logged_in
from tests.e2e.axe import describe, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, live_server: Any, user: Any) -> None:
    """Give the browser a logged-in session cookie (the login form has its own tests)."""
    session = logged_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def test_a_paper_form_is_entered_with_the_keyboard_alone(
    browser_page: Any, live_server: Any, kecamatan_admin: Any, city: Any, instrument: Any, period: Any
) -> None:
    page = browser_page
    _login(page, live_server, kecamatan_admin)
    page.goto(f"{live_server.url}/petugas/unit/{city.kelurahan.code}/kertas/")
    page.screenshot(path="/tmp/demo/e2e-paper.png", full_page=True)
    assert serious_violations(page) == [], describe(serious_violations(page))
    assert page.evaluate("document.activeElement.id") == "id_element_PERSYARATAN"  # the first score has focus
    page.keyboard.type("432143214")  # the script moves to the next score after each digit
    keys = ["Tab", "S", "Tab", "Tab", "4", "1", "Tab", "L", "Tab", "S", "Tab", "P", "Tab", "Tab", "Tab"]
    for key in keys:  # service, (other), age, sex, education, occupation, (other), suggestion, to the button
        page.keyboard.press(key)
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    assert "Kuesioner tersimpan" in page.content()
    stored = Response.objects.get()
    assert stored.channel == Channel.PAPER and stored.score_sum == 4 + 3 + 2 + 1 + 4 + 3 + 2 + 1 + 4
    assert (stored.age, stored.sex, stored.education, stored.occupation) == (41, "L", "SD", "PNS")
    assert stored.service == city.service


def test_the_export_job_page_passes_axe(
    browser_page: Any, live_server: Any, kecamatan_admin: Any, city: Any, period: Any
) -> None:
    page = browser_page
    _login(page, live_server, kecamatan_admin)
    page.goto(f"{live_server.url}/laporan/ekspor/")
    assert serious_violations(page) == [], describe(serious_violations(page))
    page.goto(f"{live_server.url}/petugas/unit/{city.kelurahan.code}/impor/")
    assert serious_violations(page) == [], describe(serious_violations(page))
