"""A registered kiosk in Chromium that loses its connection: it keeps taking forms, then sends
them exactly once when the connection returns (the service worker, kiosk.js and the queue)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from surveys import services
from surveys.models import Channel, Kiosk, Response
from surveys.selectors import kiosk_signed_token
from tests import builders
from tests.e2e.axe import describe, serious_violations
from tests.e2e.test_citizen_form import fill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def _close_connections_opened_while_browsing(browser_page: Any) -> Any:
    yield
    from django.db import connections

    connections.close_all()


@pytest.fixture
def kiosk(city: Any, instrument: Any, period: Any, settings: Any) -> Kiosk:
    settings.SURVEY_MIN_FILL_SECONDS = 0  # a test fills the form in well under a second
    settings.SURVEY_KIOSK_THANKS_SECONDS = 1
    builders.make_service(city.kelurahan, "Surat pengantar KTP-el")
    return services.kiosk_register(unit=city.kelurahan, label="Tablet loket 1")


def until(page: Any, condition: str, *, seconds: float = 20) -> None:
    """Wait until a JavaScript condition holds (polled from outside: the page's CSP forbids eval)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(condition):
        assert time.monotonic() < deadline, f"still not true after {seconds} s: {condition}"
        page.wait_for_timeout(100)


def open_kiosk(page: Any, kiosk: Kiosk, live_server: Any) -> str:
    """Load the kiosk online and wait until its service worker controls the page."""
    url = f"{live_server.url}/kios/{kiosk_signed_token(kiosk)}/"
    page.goto(url)
    until(page, "navigator.serviceWorker.controller !== null")
    return url


def citizen_submits(page: Any, instrument: Any, *, score: int = 4) -> tuple[float, float]:
    """One citizen answers, sends, sees the thank-you screen, and the form comes back blank.
    Returns the moments around the tap on "Kirim jawaban"."""
    fill(page, instrument, score=score)
    before = time.time()
    page.get_by_role("button", name="Kirim jawaban").click()
    page.get_by_role("heading", name="Terima kasih!").wait_for()
    after = time.time()
    page.get_by_role("button", name="Kirim jawaban").wait_for()  # the blank form, a second later
    assert page.locator('input[type="radio"]:checked').count() == 0
    return before, after


def waiting(page: Any) -> str:
    return str(page.locator("#kiosk-waiting").inner_text())


def test_a_kiosk_takes_three_citizens_offline_and_sends_them_exactly_once_when_back_online(
    kiosk: Kiosk, instrument: Any, period: Any, browser_page: Any, live_server: Any
) -> None:
    page = browser_page
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.post_data or "") if "/antrean/" in request.url else None)
    url = open_kiosk(page, kiosk, live_server)  # 1. online, then the connection drops
    page.context.set_offline(True)
    moments = [citizen_submits(page, instrument, score=score) for score in (4, 3, 2)]  # 2. three citizens
    page.reload()  # 3. still offline: the kept form opens
    assert page.url == url
    page.get_by_role("button", name="Kirim jawaban").wait_for()
    until(page, "document.getElementById('kiosk-waiting').textContent === 'Menunggu dikirim: 3'")
    assert not Response.objects.exists()
    page.context.set_offline(False)  # 4. the connection returns
    until(page, "document.getElementById('kiosk-waiting').textContent === ''")
    stored = list(Response.objects.order_by("submitted_at"))  # 5. each once, in the period, with its fill time
    assert len(stored) == 3
    for response, (before, after), score in zip(stored, moments, (4, 3, 2), strict=True):
        assert (response.period, response.channel, response.kiosk) == (period, Channel.KIOSK, kiosk)
        assert before - 1 <= response.submitted_at.timestamp() <= after + 1
        assert set(response.answers.values_list("score", flat=True)) == {score}
    batch = max(sent, key=lambda body: len(json.loads(body)["entries"]))
    again = page.evaluate(  # 6. the same queue sent again stores nothing new
        """([url, body]) => fetch(url, {method: "POST", headers: {"Content-Type": "application/json"}, body})
            .then(reply => reply.json())""",
        [url + "antrean/", batch],
    )
    assert [result["status"] for result in again["results"]] == ["duplicate"] * 3
    assert Response.objects.count() == 3
    kiosk.refresh_from_db()
    assert kiosk.last_contact_at is not None and kiosk.queued_count == 0


def test_a_connection_that_drops_while_the_queue_is_sent_loses_nothing_and_doubles_nothing(
    kiosk: Kiosk, instrument: Any, browser_page: Any, live_server: Any
) -> None:
    page = browser_page
    open_kiosk(page, kiosk, live_server)
    page.context.set_offline(True)
    for _citizen in range(3):
        citizen_submits(page, instrument)
    dropped: list[str] = []

    def drop_the_first_reply(route: Any) -> None:
        if not dropped and json.loads(route.request.post_data)["entries"]:
            route.fetch()  # the server receives and stores the batch...
            dropped.append(route.request.url)
            route.abort("connectionreset")  # ...and the reply never reaches the tablet
        else:
            route.continue_()

    page.route("**/antrean/", drop_the_first_reply)
    page.context.set_offline(False)
    for _attempt in range(200):
        if dropped:
            break
        page.wait_for_timeout(100)
    assert dropped, "the queue was not sent"
    assert Response.objects.count() == 3  # stored, though the tablet does not know it yet
    # Nothing is forgotten without an acknowledgement.
    until(page, "document.getElementById('kiosk-waiting').textContent === 'Menunggu dikirim: 3'")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # the next attempt
    until(page, "document.getElementById('kiosk-waiting').textContent === ''")
    assert Response.objects.count() == 3


def test_a_refused_queue_is_set_aside_and_reported_on_the_kiosk_screen(
    kiosk: Kiosk, instrument: Any, browser_page: Any, live_server: Any
) -> None:
    page = browser_page
    open_kiosk(page, kiosk, live_server)
    page.context.set_offline(True)
    citizen_submits(page, instrument)
    services.kiosk_revoke(kiosk=kiosk)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    refused = page.locator("#kiosk-refused")
    refused.wait_for(state="visible", timeout=20000)
    assert refused.locator("summary").inner_text() == "Ditolak server (untuk petugas): 1"
    refused.locator("summary").click()
    assert "Kios ini sudah dicabut." in refused.inner_text()
    assert waiting(page) == ""
    assert not Response.objects.exists()
    page.wait_for_timeout(500)
    assert (
        page.evaluate("""() => new Promise(done => {
        const open = indexedDB.open("skm-kiosk:" + location.pathname);
        open.onsuccess = () => open.result.transaction("refused").objectStore("refused").count().onsuccess =
            event => done(event.target.result);
    })""")
        == 1
    )


def test_the_kiosk_screen_offers_no_way_out_and_passes_the_accessibility_check(
    kiosk: Kiosk, instrument: Any, browser_page: Any, live_server: Any
) -> None:
    page = browser_page
    url = open_kiosk(page, kiosk, live_server)
    cdp = page.context.new_cdp_session(page)
    errors = {error["errorId"] for error in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]}
    assert errors <= {"in-incognito"}  # Chromium could install it (but for Playwright's private profile)
    links = page.eval_on_selector_all("a[href]", "links => links.map(link => link.getAttribute('href'))")
    assert all(href.startswith("#") for href in links), links
    violations = serious_violations(page)
    assert not violations, describe(violations)
    page.get_by_role("button", name="Kirim jawaban").click()  # nothing answered: checked in the browser
    summary = page.locator("#error-summary")
    assert summary.is_visible() and "Pertanyaan 1: Pilih salah satu jawaban." in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    violations = serious_violations(page)
    assert not violations, describe(violations)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kiosk-errors-360.png"))
    page.context.set_offline(True)
    fill(page, instrument)
    page.get_by_role("button", name="Kirim jawaban").click()
    page.get_by_role("heading", name="Terima kasih!").wait_for()
    page.screenshot(path=str(ARTIFACTS / "kiosk-thanks-offline-360.png"))
    page.get_by_role("button", name="English").click()  # leaving the worker's scope offline does nothing
    assert page.url == url
    violations = serious_violations(page)
    assert not violations, describe(violations)
    assert page.url == url


def test_offline_the_browser_refuses_what_the_server_would_and_keeps_every_answer(
    kiosk: Kiosk, instrument: Any, browser_page: Any, live_server: Any
) -> None:
    page = browser_page
    open_kiosk(page, kiosk, live_server)
    page.context.set_offline(True)
    fill(page, instrument)
    page.get_by_label("Usia (tahun)").fill("7")
    page.get_by_label("Sebutkan pekerjaan Anda").fill("  ")
    page.get_by_role("button", name="Kirim jawaban").click()
    summary = page.locator("#error-summary")
    assert [item.strip() for item in summary.locator("li").all_inner_texts()] == [
        "Usia (tahun): Isi usia Anda dalam tahun, dengan angka.",
        "Sebutkan pekerjaan Anda: Tulis jawaban Anda di kotak ini.",
    ]
    assert page.locator(".has-error").count() == 2
    assert page.locator('input[type="radio"]:checked').count() == len(instrument.elements.all()) + 4
    until(page, "document.getElementById('kiosk-waiting').textContent === ''")
    page.get_by_label("Usia (tahun)").fill("67")
    page.get_by_label("Sebutkan pekerjaan Anda").fill("Pensiunan")
    page.get_by_role("button", name="Kirim jawaban").click()
    page.get_by_role("heading", name="Terima kasih!").wait_for()
    until(page, "document.getElementById('kiosk-waiting').textContent === 'Menunggu dikirim: 1'")
