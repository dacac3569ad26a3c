"""In Chromium at 360 px: pages whose tables are wider than a phone (the kiosk list with its long
addresses, the review of held responses) scroll inside the table, never the whole page."""

from __future__ import annotations

from typing import Any

import pytest

from surveys import services
from surveys.models import Reason, ResponseState
from tests import builders
from tests.e2e.test_staff_dashboards import check, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_kiosk_list_with_long_addresses_fits_a_phone(
    browser_page: Any, live_server: Any, city: Any, instrument: Any, period: Any, kecamatan_admin: Any
) -> None:
    for label in ("Loket depan", "Loket dua"):
        services.kiosk_register(unit=city.kelurahan, label=label)
    log_in(browser_page, live_server, "admin-ib1")
    browser_page.goto(live_server.url + "/petugas/kios/")
    assert "Loket dua" in browser_page.inner_text("main")
    check(browser_page, "kiosk-list-360")


def test_the_review_of_held_responses_fits_a_phone(
    browser_page: Any, live_server: Any, city: Any, instrument: Any, period: Any, secretariat: Any
) -> None:
    for _ in range(3):
        builders.make_response(
            city.puskesmas,
            [2] * 9,
            instrument=instrument,
            period=period,
            state=ResponseState.HELD,
            reason=Reason.ADDRESS,
        )
    log_in(browser_page, live_server, "analis")
    browser_page.goto(live_server.url + "/petugas/tinjauan/")
    assert city.puskesmas.name in browser_page.inner_text("main")
    check(browser_page, "review-held-360")
