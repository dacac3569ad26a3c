"""A city goes live from an empty database, in Chromium at 360 px, with only the README and the
pages: a superuser makes the secretariat account; the secretariat uploads the registry (preview,
then apply), starts the questionnaire, opens a period and makes a unit admin; the e-mailed links
set both passwords; the admin adds a service and opens the unit's poster; a citizen finds the unit
from the home page and answers; the response shows on both dashboards."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from surveys.instrument_data import PERMENPAN_14_2017
from surveys.models import Response, ServiceUnit
from tests.e2e.test_staff_dashboards import check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTRY = (
    "code;name;kind;parent_code;source\n"
    "16.71;Pemerintah Kota Palembang;pemkot;;\n"
    "16.71.04;Ilir Barat I;kecamatan;16.71;\n"
    "16.71.04.1001;24 Ilir;kelurahan;16.71.04;\n"
    "16.71.04.1002;26 Ilir;kelurahan;16.71.04;\n"
)
PASSWORDS = {"root": "Akar-Kota-Palembang-1", "sekretariat": "Sungai-Musi-Ampera-26", "budi": "Pempek-Kapal-Selam-42"}


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + "/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORDS[username])
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def create_account(page: Any, username: str, *, role: str, unit: ServiceUnit | None = None) -> None:
    page.click("summary:has-text('Kelola')")
    page.click("a:has-text('Akun petugas')")
    page.click("text=Buat akun baru")
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@palembang.example")
    page.check(f"input[name=role][value={role}]")
    if unit is not None:
        page.check(f"input[name=units][value='{unit.pk}']")
    page.click("main button[type=submit]")
    assert f"Akun '{username}' dibuat" in page.inner_text("main")


def set_password_from_the_mail(page: Any, username: str) -> None:
    message = next(message for message in mail.outbox if message.to == [f"{username}@palembang.example"])
    link = re.search(r"https?://\S+/akun/atur-sandi/\S+/", str(message.body))
    assert link is not None, message.body
    page.context.clear_cookies()
    page.goto(link.group(0))
    page.fill("#id_new_password1", PASSWORDS[username])
    page.fill("#id_new_password2", PASSWORDS[username])
    page.click("main button[type=submit]")
    assert "Kata sandi tersimpan" in page.inner_text("main")


def test_a_city_goes_live_from_an_empty_database(
    browser_page: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.SURVEY_MIN_FILL_SECONDS = 0  # the test fills the form in well under a second
    page = browser_page
    get_user_model().objects.create_superuser("root", "root@palembang.example", PASSWORDS["root"])

    # 1. The superuser makes the secretariat account; its e-mailed link sets the password.
    log_in(page, live_server, "root")
    create_account(page, "sekretariat", role="secretariat")
    set_password_from_the_mail(page, "sekretariat")

    # 2. The secretariat uploads the registry (preview, then apply), starts the questionnaire,
    #    opens a period and makes a unit admin.
    log_in(page, live_server, "sekretariat")
    page.click("summary:has-text('Kelola')")
    page.click("a:has-text('Registri unit')")
    page.get_by_role("link", name="Unggah berkas registri").click()
    (tmp_path / "registri.csv").write_text(REGISTRY, encoding="utf-8")
    page.set_input_files("input[type=file]", str(tmp_path / "registri.csv"))
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_load_state()
    assert "26 Ilir" in page.inner_text("main") and not ServiceUnit.objects.exists()
    check(page, "go-live-registry-preview")
    page.get_by_role("button", name="Terapkan semua perubahan").click()
    page.wait_for_load_state()
    kelurahan = ServiceUnit.objects.get(code="16.71.04.1001")

    page.click("summary:has-text('Kelola')")
    page.click("a:has-text('Instrumen')")
    page.get_by_role("button", name="Mulai dari kuesioner PermenPAN-RB 14/2017").click()
    page.wait_for_load_state()
    check(page, "go-live-instrument-draft")
    page.click("summary:has-text('Kelola')")
    page.click("a:has-text('Instrumen')")
    page.get_by_role("button", name="Terbitkan").click()
    page.wait_for_load_state()

    page.click("a:has-text('Periode survei')")
    page.select_option("#id_kind", "year")
    page.fill("#id_year", str(timezone.localdate().year))
    page.get_by_role("button", name="Buat dan buka periode").click()
    page.wait_for_load_state()
    check(page, "go-live-period")

    create_account(page, "budi", role="unit_admin", unit=kelurahan)
    set_password_from_the_mail(page, "budi")

    # 3. The unit admin adds a service and opens the unit's poster.
    log_in(page, live_server, "budi")
    assert page.url.endswith(f"/petugas/unit/{kelurahan.code}/")
    page.click("a:has-text('Layanan')")
    if not page.url.endswith(f"/petugas/unit/{kelurahan.code}/layanan/"):
        page.get_by_role("link", name="24 Ilir").click()
    page.fill("#id_name", "Legalisir")
    page.get_by_role("button", name="Tambah", exact=True).click()
    page.wait_for_load_state()
    page.goto(live_server.url + f"/petugas/unit/{kelurahan.code}/")
    page.click("main a:has-text('Poster QR')")
    page.wait_for_load_state()
    assert f"/s/{kelurahan.code}/" in page.content()

    # 4. A citizen finds the unit from the home page and answers.
    page.context.clear_cookies()
    page.goto(live_server.url + "/")
    page.fill("#home-q", "24 ilir")
    page.click("main button[type=submit]")
    page.click(f"a[href='/s/{kelurahan.code}/']")
    page.locator("label", has_text="Legalisir").click()
    for code in (text["code"] for text in PERMENPAN_14_2017):
        page.locator(f'label[for="id_element_{code}_2"]').click()
    page.get_by_label("Usia (tahun)").fill("41")
    page.locator("label", has_text="Perempuan").click()
    page.locator("label", has_text="SMP/SLTP").click()
    page.locator('label[for="id_occupation_0"]').click()
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_load_state()
    assert "terima kasih" in page.inner_text("main").lower()
    stored = Response.objects.get()
    assert (stored.unit, stored.service.name if stored.service else None) == (kelurahan, "Legalisir")

    # 5. The new unit and its response appear on both dashboards.
    log_in(page, live_server, "budi")
    assert page.url.endswith(f"/petugas/unit/{kelurahan.code}/")
    assert page.locator("[data-testid=respondents]").inner_text().strip() == "1"
    log_in(page, live_server, "sekretariat")
    page.goto(live_server.url + "/petugas/kota/?q=24+Ilir")
    row = page.locator("tbody tr", has_text="24 Ilir").first
    assert row.locator("td").first.inner_text().strip() == "1"
    check(page, "go-live-city-dashboard")
