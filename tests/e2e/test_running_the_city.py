"""In Chromium at 360 px: the secretariat uploads the registry (preview, then apply) and makes a new
questionnaire version; a unit admin adds a service that citizens then see. With axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from surveys.models import Instrument, InstrumentState, Service, ServiceUnit
from tests.e2e.test_staff_dashboards import check, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTRY = (
    "code;name;kind;parent_code;source\n"
    "16,71;Pemerintah Kota Palembang;pemkot;;\n"
    "opd-dinkes;Dinas Kesehatan;opd;16.71;\n"
    "16.71.04;Ilir Barat I;kecamatan;16.71;\n"
    "16.71.04.1001;24 Ilir;kelurahan;16.71.04;\n"
    "pkm-dempo;Puskesmas Dempo;puskesmas;16.71.04;\n"
    "16.71.07;Sukarami;kecamatan;16.71;\n"
    "16.71.07.1005;Sukarami;kelurahan;16.71.07;\n"
    "16.71.07.1006;Kebun Bunga;kelurahan;16.71.07;\n"
)


def test_the_secretariat_uploads_the_registry_and_publishes_a_new_question_wording(
    browser_page: Any, live_server: Any, city: Any, instrument: Any, period: Any, secretariat: Any, tmp_path: Path
) -> None:
    page = browser_page
    log_in(page, live_server, "analis")
    page.goto(live_server.url + "/petugas/registri/")
    check(page, "registry-list")
    page.get_by_role("link", name="Unggah berkas registri").click()
    (tmp_path / "registri.csv").write_text(REGISTRY, encoding="utf-8")
    page.set_input_files("input[type=file]", str(tmp_path / "registri.csv"))
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_load_state()
    assert "Kebun Bunga" in page.content() and not ServiceUnit.objects.filter(code="16.71.07.1006").exists()
    check(page, "registry-preview")
    page.get_by_role("button", name="Terapkan semua perubahan").click()
    page.wait_for_load_state()
    assert ServiceUnit.objects.get(code="16.71.07.1006").parent == city.other_kecamatan

    page.goto(live_server.url + "/petugas/instrumen/")
    check(page, "instrument-list")
    page.get_by_role("button", name="Buat versi baru").click()
    page.wait_for_load_state()
    draft = Instrument.objects.get(state=InstrumentState.DRAFT)
    first = draft.elements.order_by("order").first()
    assert first is not None
    page.fill(f"#id_e{first.pk}-question_id", "Apakah persyaratan layanan kami jelas?")
    page.get_by_role("button", name="Simpan teks").click()
    page.wait_for_load_state()
    check(page, "instrument-edit")
    page.get_by_role("link", name="Pratinjau formulir warga").click()
    assert "Apakah persyaratan layanan kami jelas?" in page.content()
    check(page, "instrument-preview")
    page.go_back()
    page.get_by_role("button", name="Terbitkan versi ini").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.state == InstrumentState.PUBLISHED
    page.goto(live_server.url + f"/s/{city.kelurahan.code}/")
    assert "Apakah persyaratan layanan kami jelas?" in page.content()


def test_a_unit_admin_adds_a_service_that_citizens_then_choose(
    browser_page: Any, live_server: Any, city: Any, instrument: Any, period: Any, kecamatan_admin: Any
) -> None:
    page = browser_page
    log_in(page, live_server, "admin-ib1")
    page.goto(live_server.url + "/petugas/layanan/")
    check(page, "service-units")
    page.get_by_role("link", name="24 Ilir").click()
    page.fill("#id_name", "Legalisir")
    page.get_by_role("button", name="Tambah", exact=True).click()
    page.wait_for_load_state()
    assert Service.objects.filter(unit=city.kelurahan, name="Legalisir", is_active=True).exists()
    check(page, "service-list")
    page.goto(live_server.url + f"/s/{city.kelurahan.code}/")
    assert "Legalisir" in page.content()
