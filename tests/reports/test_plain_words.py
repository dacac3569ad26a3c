"""Staff and public pages, and the workbooks, show people words: no stored keys (rule sets, weight
modes, audit actions, channels, True/False, bare element codes), "Nilai IKM" rather than "NIK",
and one name for the confidence interval."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from openpyxl import load_workbook

from reports.exports.raw import write_raw
from surveys import services
from tests.conftest import logged_in
from tests.test_permissions import MATRIX
from tests.world import World

pytestmark = pytest.mark.django_db

ELEMENT_CODES = "PERSYARATAN|PROSEDUR|WAKTU|BIAYA|PRODUK|KOMPETENSI|PERILAKU|SARANA|PENGADUAN"
INTERNAL = re.compile(
    r"permenpan-\d|kepmenpan-\d|\bexact\b|\b(?:export|response|period|kiosk|followup|unit|role|paper|import|report)"
    r"\.[a-z_]+\b|\b(?:qr|web|paper|kiosk)\b|\bTrue\b|\bFalse\b|\bNIK\b|\bSK 95|Rentang keyakinan|"
    rf"\b(?:{ELEMENT_CODES})\b"
)


class VisibleText(HTMLParser):
    """The text a person sees (and hears): data outside script/style, plus alt, title and aria-label."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in {"alt", "title", "aria-label"} and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def codes_in(texts: list[str]) -> list[str]:
    return [text for text in texts if INTERNAL.search(text)]


def workbook_texts(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    return [
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str | bool) and not str(cell.value).startswith("=")
    ]


def test_no_staff_page_or_workbook_shows_an_internal_code(world: World, kecamatan_admin: Any, secretariat: Any) -> None:
    services.audit_record(actor=secretariat, action="import", target=world.city.kelurahan, detail={"held": True})
    found: dict[str, list[str]] = {}
    for row in MATRIX:
        if row.method != "GET":
            continue
        client = logged_in(secretariat if row.scope == "secretariat" else kecamatan_admin)
        response = client.get(row.own(world), follow=True)
        content_type = response.get("Content-Type", "")
        if "html" in content_type:
            texts = visible(response.content.decode())
        elif "spreadsheetml" in content_type:
            texts = workbook_texts(response.content)
        else:
            continue
        if codes := codes_in(texts):
            found[row.name] = codes[:5]
    assert found == {}


def test_no_public_page_shows_an_internal_code(world: World) -> None:
    from django.test import Client

    client = Client()
    for url in ("/hasil/", f"/hasil/{world.slug}/", f"/hasil/{world.slug}/{world.city.kelurahan.code}/", "/istilah/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert codes_in(visible(response.content.decode())) == [], url


def test_the_raw_export_names_channels_and_states_and_heads_elements_with_their_names(world: World) -> None:
    buffer = io.BytesIO()
    write_raw(period=world.closed, unit_ids=[world.city.kelurahan.pk], out=buffer)
    assert codes_in(workbook_texts(buffer.getvalue())) == []


def test_the_glossary_keeps_the_regulations_terms_and_is_linked_from_the_dashboards(
    world: World, kecamatan_admin: Any
) -> None:
    page = " ".join(visible(logged_in(kecamatan_admin).get("/istilah/").content.decode()))
    for term in ("NRR", "NRR tertimbang", "IKM", "Nilai IKM", "Mutu pelayanan", "Kinerja unit pelayanan", "88,31"):
        assert term in page, term
    assert "Selang kepercayaan 95%" in page
    dashboard = logged_in(kecamatan_admin).get(f"/petugas/unit/{world.city.kelurahan.code}/").content.decode()
    assert 'href="/istilah/"' in dashboard


def test_english_mode_names_grades_elements_and_audit_actions_in_english(
    world: World, kecamatan_admin: Any, secretariat: Any
) -> None:
    client = logged_in(kecamatan_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    dashboard = client.get(f"/petugas/unit/{world.city.kelurahan.code}/?periode=p-{world.closed.pk}").content.decode()
    assert "IKM score" in dashboard and "Nilai IKM" not in dashboard
    assert any(label in dashboard for label in ("Very good", "Good", "Poor"))
    assert not any(label in dashboard for label in ("Sangat Baik", "Kurang Baik"))
    plan = client.get(f"/petugas/unit/{world.city.kelurahan.code}/rtl/{world.closed.pk}/").content.decode()
    assert ">Requirements<" in plan and ">Persyaratan<" not in plan
    glossary = client.get("/istilah/").content.decode()
    assert "Very good" in glossary and "Sangat Baik" not in glossary
    staff = logged_in(secretariat)
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    audit = staff.get("/petugas/audit/").content.decode()
    assert "Period closed" in audit


def test_the_paper_form_names_elements_and_fields_in_english_in_english(world: World, kecamatan_admin: Any) -> None:
    client = logged_in(kecamatan_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/petugas/unit/{world.city.kelurahan.code}/kertas/").content.decode()
    assert "U1 Requirements" in page and "U1 Persyaratan" not in page
    assert "Service the respondent received" in page
