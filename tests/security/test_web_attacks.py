"""Cross-site scripting, security headers, CSRF, cookies, passwords, brute force and SQL injection."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from surveys.models import Kiosk, Period, Response
from tests.conftest import PASSWORD, logged_in
from tests.survey_site.test_settings import PRODUCTION, run_manage
from tests.surveys.citizen_support import filled_form
from tests.test_permissions import MATRIX
from tests.world import PAYLOADS, XSS_TEXT, World, build_world

pytestmark = pytest.mark.django_db


class ActiveContent(HTMLParser):
    """Collects everything in a page that could run script: inline scripts, event handlers,
    javascript: links, inline styles, frames and objects."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower(): value or "" for name, value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag in {"iframe", "object", "embed", "frame"}:
            self.found.append(f"<{tag}>")
        for name, value in names.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in {"href", "src", "action", "formaction"} and value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:>")
            if name == "style":
                self.found.append(f"<{tag} style=>")
        if tag == "style":
            self.found.append("<style>")


def body(response: Any) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", errors="replace")
    return response.content.decode("utf-8", errors="replace")


def assert_inert(html: str) -> None:
    parser = ActiveContent()
    parser.feed(html)
    assert parser.found == [], parser.found
    for payload in PAYLOADS:
        if "<" in payload or "'" in payload or '"' in payload:
            assert payload not in html, f"payload shown unescaped: {payload}"


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def hostile_world(city: Any, instrument: Any, secretariat: Any, kecamatan_admin: Any, other_admin: Any) -> World:
    """Every citizen text field (and the follow-up plan) holds script, HTML, SVG and attribute payloads."""
    return build_world(city, instrument, secretariat, text=XSS_TEXT, admins=(kecamatan_admin, other_admin))


def staff_pages(world: World) -> list[tuple[str, str]]:
    pages = [
        ("secretariat" if row.scope == "secretariat" else "admin", row.own(world))
        for row in MATRIX
        if row.method == "GET"
    ]
    response = Response.objects.filter(unit=world.city.kelurahan).exclude(suggestion="").first()
    assert response is not None
    pages += [
        ("superuser", "/admin/surveys/response/"),
        ("superuser", f"/admin/surveys/response/{response.pk}/change/"),
        ("superuser", "/admin/reports/followupaction/"),
        ("secretariat", "/petugas/audit/"),
    ]
    return pages


def test_citizen_text_is_inert_on_every_staff_page_and_admin(
    hostile_world: World, secretariat: Any, kecamatan_admin: Any
) -> None:
    superuser = get_user_model().objects.create_superuser("root", password=PASSWORD)
    clients = {
        "secretariat": logged_in(secretariat),
        "admin": logged_in(kecamatan_admin),
        "superuser": logged_in(superuser),
    }
    checked = 0
    for who, url in staff_pages(hostile_world):
        response = clients[who].get(url, follow=True)
        if response.status_code == 404 and url.startswith("/admin/reports/"):
            continue  # that model is not registered in the admin
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            assert_inert(body(response))
            checked += 1
    assert checked >= 15


def test_citizen_and_plan_text_is_inert_on_the_public_pages(hostile_world: World) -> None:
    slug, code = hostile_world.slug, hostile_world.city.kelurahan.code
    for url in ("/", "/hasil/", f"/hasil/{slug}/", f"/hasil/{slug}/{code}/", f"/hasil/{slug}/{code}/poster/", "/s/"):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())
    assert XSS_TEXT[:20] not in Client().get(f"/hasil/{slug}/{code}/").content.decode()


def test_a_rejected_form_shows_the_citizens_payload_back_inert(city: Any, instrument: Any, period: Any) -> None:
    data = filled_form(instrument, suggestion=XSS_TEXT, service_other=XSS_TEXT[:200], age="-1")
    response = Client().post(f"/s/{city.kelurahan.code}/", data)
    assert response.status_code == 400
    assert_inert(response.content.decode())
    assert not Response.objects.exists()


def test_a_search_payload_is_shown_back_inert(city: Any) -> None:
    for payload in PAYLOADS:
        response = Client().get("/s/", {"q": payload})
        assert response.status_code == 200
        assert_inert(response.content.decode())


@pytest.mark.parametrize("url", ["/", "/s/", "/hasil/", "/akun/masuk/", "/tidak-ada/"])
def test_every_page_carries_the_security_headers(city: Any, url: str) -> None:
    response = Client().get(url)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_settings_send_hsts_and_secure_cookies() -> None:
    code = (
        "from django.conf import settings as s; import json; print(json.dumps([s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.SECURE_SSL_REDIRECT, s.DEBUG]))"
    )
    result = run_manage("shell", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    hsts, session_secure, csrf_secure, httponly, samesite, ssl_redirect, debug = json.loads(
        result.stdout.splitlines()[-1]
    )
    assert hsts >= 31536000 and session_secure and csrf_secure and httponly and ssl_redirect and not debug
    assert samesite in ("Lax", "Strict")


def test_the_session_cookie_is_httponly_and_samesite(city: Any, kecamatan_admin: Any) -> None:
    client = Client()
    client.get("/akun/masuk/")
    response = client.post("/akun/masuk/", {"username": "admin-ib1", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize("row", [row for row in MATRIX if row.method == "POST"], ids=lambda row: row.name)
def test_staff_actions_without_a_csrf_token_are_refused(
    hostile_world: World, kecamatan_admin: Any, secretariat: Any, row: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat if row.scope == "secretariat" else kecamatan_admin)
    before = (list(Period.objects.values_list("state", flat=True)), list(Kiosk.objects.values_list("revoked_at")))
    response = client.post(row.own(hostile_world))
    assert response.status_code == 403
    assert "Permintaan ditolak" in response.content.decode()
    assert (
        list(Period.objects.values_list("state", flat=True)),
        list(Kiosk.objects.values_list("revoked_at")),
    ) == before


def test_the_citizen_form_without_a_csrf_token_is_refused(city: Any, instrument: Any, period: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/s/{city.kelurahan.code}/", filled_form(instrument))
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_login_without_a_csrf_token_is_refused(kecamatan_admin: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/akun/masuk/", {"username": "admin-ib1", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_repeated_wrong_passwords_lock_the_account_out_even_with_the_right_one(kecamatan_admin: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for attempt in range(5):
        response = client.post("/akun/masuk/", {"username": "admin-ib1", "password": f"salah-{attempt}"})
        assert response.status_code in (200, 429)
    response = client.post("/akun/masuk/", {"username": "admin-ib1", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("password", ["12345678901", "password123", "admin-ib1x", "pendek"])
def test_weak_passwords_are_refused(kecamatan_admin: Any, password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, user=kecamatan_admin)


SQL = [
    "' OR '1'='1",
    "1; DROP TABLE surveys_response; --",
    "1 UNION SELECT username, password FROM auth_user --",
    "%' AND 1=CAST((SELECT password FROM auth_user LIMIT 1) AS int) --",
    "\\",
    "'",
    '"',
    "%",
    "_",
    "9" * 30,
    "-1",
]
FILTER_PARAMETERS = ["q", "sort", "kind", "unit", "period", "action", "actor", "halaman", "page", "status", "element"]


def test_sql_in_every_filter_and_search_parameter_changes_nothing(
    hostile_world: World, secretariat: Any, kecamatan_admin: Any
) -> None:
    pages = [("public", "/s/"), ("public", "/hasil/"), ("public", f"/hasil/{hostile_world.slug}/")]
    pages += [(row.scope, row.own(hostile_world)) for row in MATRIX if row.method == "GET"]
    clients = {"public": Client(), "secretariat": logged_in(secretariat)}
    admin_client = logged_in(kecamatan_admin)
    counts = (Response.objects.count(), Period.objects.count(), get_user_model().objects.count())
    for scope, url in pages:
        client = clients.get(scope, admin_client)
        for value in SQL:
            response = client.get(url, {name: value for name in FILTER_PARAMETERS}, follow=True)
            assert response.status_code in (200, 400), (url, value, response.status_code)
            html = body(response)
            assert "pbkdf2_sha256$" not in html and "syntax error" not in html.lower()
    assert (Response.objects.count(), Period.objects.count(), get_user_model().objects.count()) == counts
