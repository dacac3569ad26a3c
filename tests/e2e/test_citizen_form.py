"""The citizen form in Chromium at 360x740: filled by touch and keyboard, with JavaScript on and off."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from surveys import services
from surveys.models import Channel, Response, ResponseState
from surveys.selectors import kiosk_signed_token
from tests import builders
from tests.e2e.axe import describe, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def _close_connections_opened_while_browsing(browser_page: Any) -> Any:
    """Database work done while Playwright runs gets connections of its own; close them with it.

    (Left open, PostgreSQL refuses to drop the test database at the end of the session.)
    """
    yield
    from django.db import connections

    connections.close_all()


@pytest.fixture
def survey(city: Any, instrument: Any, period: Any, settings: Any) -> Any:
    settings.SURVEY_MIN_FILL_SECONDS = 0  # a test fills the form in well under a second
    builders.make_service(city.kelurahan, "Surat pengantar KTP-el")
    return city


@pytest.fixture
def no_js_page(browser_page: Any) -> Any:
    """A second phone in the same browser, with JavaScript switched off."""
    context = browser_page.context.browser.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def fill(page: Any, instrument: Any, *, score: int = 4) -> None:
    """Answer everything by tapping labels, as a citizen would."""
    page.locator('label[for="id_service_0"]').click()
    for element in instrument.elements.order_by("order"):
        page.locator(f'label[for="id_element_{element.code}_{score - 1}"]').click()
    page.get_by_label("Usia (tahun)").fill("67")
    page.locator("label", has_text="Laki-laki").click()
    page.locator("label", has_text="SMP/SLTP").click()
    page.locator('label[for="id_occupation_6"]').click()  # lainnya
    page.get_by_label("Sebutkan pekerjaan Anda").fill("Pensiunan")
    page.get_by_label("Kritik dan saran (boleh dikosongkan)").fill("Kursi tunggu kurang.")


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_citizen_fills_and_sends_the_form_with_javascript_on(
    survey: Any, instrument: Any, browser_page: Any, live_server: Any
) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/s/{survey.kelurahan.code}/?src=qr")
    assert page.locator("h1").inner_text() == "24 Ilir"
    assert no_horizontal_scroll(page)
    assert not page.get_by_label("Sebutkan pekerjaan Anda").is_visible()  # shown only when "Lainnya" is chosen
    violations = serious_violations(page)
    assert not violations, describe(violations)
    fill(page, instrument, score=3)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "citizen-form-filled-360.png"), full_page=True)
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url("**/terima-kasih/")
    assert page.locator("h1").inner_text() == "Terima kasih!"
    violations = serious_violations(page)
    assert not violations, describe(violations)
    response = Response.objects.get()
    assert (response.channel, response.score_sum, response.age, response.occupation_other) == (
        Channel.QR,
        27,
        67,
        "Pensiunan",
    )
    assert response.state == ResponseState.COUNTED


def test_a_citizen_fills_and_sends_the_form_with_javascript_off(
    survey: Any, instrument: Any, no_js_page: Any, live_server: Any
) -> None:
    page = no_js_page
    page.goto(f"{live_server.url}/s/{survey.kelurahan.code}/")
    assert page.get_by_label("Sebutkan pekerjaan Anda").is_visible()  # without JavaScript every field shows
    assert no_horizontal_scroll(page)
    fill(page, instrument, score=2)
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url("**/terima-kasih/")
    assert "Jawaban Anda untuk 24 Ilir sudah kami terima." in page.content()
    response = Response.objects.get()
    assert (response.channel, response.score_sum, response.sex, response.education) == (Channel.WEB, 18, "L", "SMP")


def test_errors_are_summarised_linked_announced_and_every_answer_is_kept(
    survey: Any, instrument: Any, browser_page: Any, live_server: Any
) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/s/{survey.kelurahan.code}/")
    fill(page, instrument)
    page.get_by_label("Usia (tahun)").fill("5")
    page.locator('input[name="element_BIAYA"]:checked').evaluate("input => { input.checked = false; }")
    page.get_by_role("button", name="Kirim jawaban").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    page.wait_for_load_state("load")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "error-summary"  # focused, so it is read out first
    assert summary.locator("a").all_inner_texts() == [
        "Pertanyaan 4: Pilih salah satu jawaban.",
        "Usia paling rendah 10 tahun.",
    ]
    summary.locator("a", has_text="Usia paling rendah").click()
    assert page.evaluate("document.activeElement.id") == "id_age"
    assert page.get_by_label("Usia (tahun)").input_value() == "5"
    assert page.locator('input[name="element_WAKTU"][value="4"]').is_checked()
    assert page.get_by_label("Sebutkan pekerjaan Anda").input_value() == "Pensiunan"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "citizen-form-errors-360.png"), full_page=False)
    violations = serious_violations(page)
    assert not violations, describe(violations)
    assert not Response.objects.exists()


def test_the_form_can_be_answered_with_the_keyboard_alone(
    survey: Any, instrument: Any, browser_page: Any, live_server: Any
) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/s/{survey.kelurahan.code}/")
    page.locator("#id_service_0").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # moves to and selects the next service
    assert page.locator("#id_service_1").is_checked()
    page.keyboard.press("Tab")  # leaves the service group ("lainnya" text stays hidden) for the first question
    assert page.evaluate("document.activeElement.name") == "element_PERSYARATAN"
    page.keyboard.press("ArrowRight")
    assert page.locator("#id_element_PERSYARATAN_1").is_checked()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    parent_outline = page.evaluate(
        "getComputedStyle(document.activeElement.closest('label') || document.body).outlineStyle"
    )
    assert "solid" in {outline, parent_outline}  # the focus is visible


def test_the_unit_finder_passes_the_accessibility_check(survey: Any, browser_page: Any, live_server: Any) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/s/")
    page.get_by_label("Cari nama unit, jenis, atau kecamatan").fill("sukarami")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url("**/s/?q=sukarami")
    assert page.get_by_role("link", name="Sukarami").count() == 2  # the kecamatan and its kelurahan
    assert no_horizontal_scroll(page)
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_a_kiosk_thanks_then_shows_a_fresh_empty_form_without_javascript(
    survey: Any, instrument: Any, settings: Any, no_js_page: Any, live_server: Any
) -> None:
    settings.SURVEY_KIOSK_THANKS_SECONDS = 1
    kiosk = services.kiosk_register(unit=survey.kelurahan, label="Tablet loket 1")
    url = f"{live_server.url}/kios/{kiosk_signed_token(kiosk)}/"
    page = no_js_page
    page.goto(url)
    fill(page, instrument)
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url("**/terima-kasih/")
    page.wait_for_url(url, timeout=10000)  # the Refresh header brings back the form
    assert page.locator('input[type="radio"]:checked').count() == 0
    assert page.get_by_label("Kritik dan saran (boleh dikosongkan)").input_value() == ""
    page.go_back()
    assert "Kursi tunggu kurang." not in page.content()
    response = Response.objects.get()
    assert (response.channel, response.kiosk_id) == (Channel.KIOSK, kiosk.pk)


def test_a_printed_poster_carries_a_qr_code_that_scans_to_the_survey(
    survey: Any, kecamatan_admin: Any, browser_page: Any, live_server: Any
) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    page = browser_page
    page.goto(f"{live_server.url}/akun/masuk/")
    from tests.conftest import PASSWORD

    page.locator('input[name="username"]').fill(kecamatan_admin.username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"], form input[type="submit"]').last.click()
    page.goto(f"{live_server.url}/petugas/poster/{survey.kelurahan.code}/")
    shot = page.locator(".poster-qr svg").screenshot()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "poster-qr.png").write_bytes(shot)
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(image.open(io.BytesIO(shot)))]
    assert decoded == [f"{live_server.url}/s/{survey.kelurahan.code}/?src=qr"]
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_a_unit_admin_registers_and_revokes_a_kiosk_in_the_browser(
    survey: Any, kecamatan_admin: Any, browser_page: Any, live_server: Any
) -> None:
    from tests.conftest import PASSWORD

    page = browser_page
    page.goto(f"{live_server.url}/akun/masuk/")
    page.locator('input[name="username"]').fill(kecamatan_admin.username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"], form input[type="submit"]').last.click()
    page.goto(f"{live_server.url}/petugas/kios/")
    page.get_by_label("Unit layanan").select_option(label="24 Ilir")
    page.get_by_label("Nama perangkat").fill("Tablet loket 1")
    page.get_by_role("button", name="Daftarkan", exact=True).click()
    kiosk_link = page.locator("a.kiosk-url")
    assert kiosk_link.count() == 1
    violations = serious_violations(page)
    assert not violations, describe(violations)
    kiosk_url = kiosk_link.get_attribute("href")
    page.get_by_role("button", name="Cabut Tablet loket 1").click()
    assert page.locator("a.kiosk-url").count() == 0
    page.goto(kiosk_url)
    assert page.locator("h1").inner_text() == "Kios ini tidak aktif"
