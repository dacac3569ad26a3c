"""In Chromium at 360 px: the secretariat creates a unit admin from its menus; the e-mailed link
sets the admin's password; the admin logs in and reaches paper entry from the menus; a citizen
finds the unit from the home page. Pages checked with axe-core and for sideways scrolling."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from tests.e2e.test_staff_dashboards import check, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Pempek-Kapal-Selam-42"


def test_a_new_unit_admin_is_created_sets_a_password_and_reaches_paper_entry(
    browser_page: Any, live_server: Any, city: Any, instrument: Any, period: Any, secretariat: Any
) -> None:
    page = browser_page
    log_in(page, live_server, "analis")
    page.click("summary:has-text('Kelola')")
    page.click("a:has-text('Akun petugas')")
    check(page, "accounts-list-360")
    page.click("text=Buat akun baru")
    page.fill("#id_username", "budi")
    page.fill("#id_email", "budi@example.org")
    page.check("input[name=role][value=unit_admin]")
    page.check(f"input[name=units][value='{city.kelurahan.pk}']")
    check(page, "accounts-create-360")
    page.click("main button[type=submit]")
    assert "Akun 'budi' dibuat" in page.inner_text("main")

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/akun/atur-sandi/\S+/", str(message.body))
    assert link is not None
    page.context.clear_cookies()
    page.goto(link.group(0))
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    check(page, "accounts-set-password-360")
    page.click("main button[type=submit]")
    assert "Kata sandi tersimpan" in page.inner_text("main")

    page.goto(live_server.url + "/akun/masuk/")
    page.fill("#id_username", "budi")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith(f"/petugas/unit/{city.kelurahan.code}/")
    page.click("main a:has-text('Entri formulir kertas')")
    assert page.url.endswith(f"/petugas/unit/{city.kelurahan.code}/kertas/")

    page.context.clear_cookies()
    page.goto(live_server.url + "/")
    page.fill("#home-q", "24 ilir")
    page.click("main button[type=submit]")
    check(page, "home-search-360")
    page.click(f"a[href='/s/{city.kelurahan.code}/']")
    assert page.url.endswith(f"/s/{city.kelurahan.code}/")
