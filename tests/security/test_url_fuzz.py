"""No URL path and no query parameter, however hostile, makes the site answer with a server error:
every URL of the matrix (public and staff), as a visitor and as staff, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import logged_in
from tests.security.fuzz import URL_FUZZ
from tests.test_permissions import MATRIX, PUBLIC
from tests.world import World, build_world

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

PUBLIC_URLS: dict[str, Callable[[World], str]] = {
    "home": lambda w: "/",
    "healthz": lambda w: "/healthz",
    "favicon": lambda w: "/favicon.ico",
    "set_language": lambda w: "/i18n/setlang/",
    "login": lambda w: "/akun/masuk/",
    "logout": lambda w: "/akun/keluar/",
    "survey-units": lambda w: "/s/",
    "survey-form": lambda w: f"/s/{w.city.kelurahan.code}/",
    "survey-thanks": lambda w: f"/s/{w.city.kelurahan.code}/terima-kasih/",
    "survey-qr-svg": lambda w: f"/s/{w.city.kelurahan.code}/qr.svg",
    "survey-qr-png": lambda w: f"/s/{w.city.kelurahan.code}/qr.png",
    "kiosk-form": lambda w: w.kiosk_path(w.kiosk),
    "kiosk-thanks": lambda w: f"{w.kiosk_path(w.kiosk)}terima-kasih/",
    "kiosk-queue": lambda w: f"{w.kiosk_path(w.kiosk)}antrean/",
    "kiosk-manifest": lambda w: f"{w.kiosk_path(w.kiosk)}manifest.webmanifest",
    "kiosk-worker": lambda w: f"{w.kiosk_path(w.kiosk)}sw.js",
    "results-index": lambda w: "/hasil/",
    "results-period": lambda w: f"/hasil/{w.slug}/",
    "results-unit": lambda w: f"/hasil/{w.slug}/{w.city.kelurahan.code}/",
    "results-poster": lambda w: f"/hasil/{w.slug}/{w.city.kelurahan.code}/poster/",
    "password_reset": lambda w: "/akun/lupa-sandi/",
    "password_reset_done": lambda w: "/akun/lupa-sandi/terkirim/",
    "password_reset_confirm": lambda w: "/akun/atur-sandi/MQ/set-password/",
    "password_reset_complete": lambda w: "/akun/atur-sandi/selesai/",
    "glossary": lambda w: "/istilah/",
}
URLS: list[Callable[[World], str]] = [*PUBLIC_URLS.values(), *(row.own for row in MATRIX)]

#: Every query parameter a view or a filter form reads (kept complete by the test below), and a few
#: that nothing reads.
QUERY_PARAMETERS = [
    *["revisi", "q", "src", "semua", "daftar", "tanggal", "halaman", "page", "bobot", "cakupan", "next"],
    *["period", "service", "channel", "element", "score", "state", "kind", "kecamatan", "sort"],
    *["jenis", "action", "actor", "unit", "include_descendants", "file_format", "weight", "language"],
    *["id", "pk", "format", "hapus", "bahasa", "induk"],
]
NASTY = [
    "\u00b2",  # a superscript two: str.isdigit() says yes, int() says no
    "\u0663",  # an Arabic-Indic three
    "-1",
    "0",
    "9" * 30,
    "1e9",
    "1.5",
    " 1",
    "p-\u00b2",
    "sd-99999999999999999999",
    "th-0",
    "\x00",
    "\ufffd",
    "%",
    "'; DROP TABLE surveys_response; --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "a" * 5000,
    "\u202e",
    "",
]
VALUES = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str))
PARAMETERS = st.lists(
    st.tuples(st.one_of(st.sampled_from(QUERY_PARAMETERS), st.text(max_size=12)), VALUES), min_size=1, max_size=8
)
SEGMENTS = st.one_of(
    st.sampled_from(["%00", "pkm%00dempo", "%C0%80", "%FF", "%ED%A0%80", "..", "%2F", "%25", "99999999999999999999"]),
    st.sampled_from([quote(value, safe="") for value in NASTY if value]),
    st.binary(min_size=1, max_size=24).map(lambda raw: quote_from_bytes(raw, safe="")),
    st.text(min_size=1, max_size=24).map(lambda text: quote(text, safe="")),
)


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(city: Any, instrument: Any, secretariat: Any, kecamatan_admin: Any, other_admin: Any) -> World:
    return build_world(city, instrument, secretariat, admins=(kecamatan_admin, other_admin))


@pytest.fixture
def visitors(world: World, secretariat: Any, kecamatan_admin: Any) -> dict[str, Client]:
    return {"visitor": Client(), "secretariat": logged_in(secretariat), "unit admin": logged_in(kecamatan_admin)}


def _assert_no_server_error(client: Client, method: str, url: str) -> None:
    response = client.post(url) if method == "POST" else client.get(url)
    assert response.status_code < 500, (method, url, response.status_code)


def test_every_public_url_is_fuzzed() -> None:
    assert set(PUBLIC_URLS) == PUBLIC


def test_every_query_parameter_the_code_reads_is_fuzzed() -> None:
    """Parameter names read from request.GET in the views, or by the filter forms built on it
    (the dashboards' forms add their fields in __init__)."""
    read: set[str] = set()
    for path in [*ROOT.glob("*/views/*.py"), ROOT / "survey_site" / "views.py"]:
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r'request\.GET(?:\.get\(|\[)"(\w+)"', text))
        read |= set(re.findall(r'"(\w+)" (?:not )?in request\.GET', text))
    for path in (ROOT / "reports" / "forms").glob("*.py"):
        read |= set(re.findall(r'self\.fields\["(\w+)"\]', path.read_text(encoding="utf-8")))
    from reports.exports.forms import ExportRequestForm
    from reports.forms import PublicFilterForm
    from surveys.views.audit import AuditFilterForm

    for form in (ExportRequestForm, PublicFilterForm, AuditFilterForm):
        read |= set(form.base_fields)
    assert {"revisi", "bobot", "q", "period", "sort"} <= read
    assert read <= set(QUERY_PARAMETERS), sorted(read - set(QUERY_PARAMETERS))


@URL_FUZZ
@given(
    url=st.sampled_from(URLS),
    who=st.sampled_from(["visitor", "secretariat", "unit admin"]),
    parameters=PARAMETERS,
    method=st.sampled_from(["GET", "GET", "GET", "POST"]),
)
def test_no_query_parameter_causes_a_server_error(
    world: World, visitors: dict[str, Client], url: Callable[[World], str], who: str, parameters: Any, method: str
) -> None:
    query = urlencode(parameters)
    _assert_no_server_error(visitors[who], method, f"{url(world)}?{query}")


@URL_FUZZ
@given(
    url=st.sampled_from(URLS),
    who=st.sampled_from(["visitor", "secretariat", "unit admin"]),
    position=st.integers(min_value=0, max_value=8),
    segment=SEGMENTS,
    replace=st.booleans(),
)
def test_no_url_path_causes_a_server_error(
    world: World,
    visitors: dict[str, Client],
    url: Callable[[World], str],
    who: str,
    position: int,
    segment: str,
    replace: bool,
) -> None:
    parts = url(world).split("/")
    named = [index for index, part in enumerate(parts) if part] or [1]
    index = named[position % len(named)]
    parts[index : index + 1] = [segment] if replace else [segment, parts[index]]
    _assert_no_server_error(visitors[who], "GET", "/".join(parts))


@pytest.mark.parametrize(
    "url",
    [
        lambda w: f"/hasil/{w.slug}/?revisi=\u00b2",
        lambda w: f"/hasil/{w.slug}/{w.city.kelurahan.code}/?revisi=\u00b2",
        lambda w: f"/hasil/{w.slug}/{w.city.kelurahan.code}/poster/?revisi=\u00b2",
        lambda w: f"/hasil/{w.slug}/?revisi=\u0663",
    ],
    ids=["period", "unit", "poster", "arabic-digit"],
)
def test_a_revision_that_is_not_plain_digits_is_a_404_on_public_pages(world: World, url: Any) -> None:
    assert Client().get(url(world)).status_code == 404


def test_a_revision_that_is_not_plain_digits_is_a_404_on_the_staff_results_page(world: World, secretariat: Any) -> None:
    assert logged_in(secretariat).get(f"/petugas/periode/{world.closed.pk}/hasil/?revisi=\u00b2").status_code == 404
    assert logged_in(secretariat).get(f"/petugas/periode/{world.closed.pk}/hasil/?revisi=1").status_code == 200


@pytest.mark.parametrize(
    "path", ["/s/pkm%00dempo/", "/hasil/%00/", "/s/pkm%FFdempo/", "/s/%C0%80/", "/petugas/unit/%00/"]
)
def test_a_nul_byte_or_undecodable_path_is_a_clear_400(world: World, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in response.content.decode()


def test_dashboard_period_choices_that_are_not_plain_digits_are_refused_politely(
    world: World, secretariat: Any
) -> None:
    for value in ("p-\u00b2", "sd-\u0663", "th-\u00b9\u00b2"):
        assert logged_in(secretariat).get("/petugas/kota/", {"period": value}).status_code == 200
