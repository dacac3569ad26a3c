"""The permission matrix: every URL the site answers is listed here as public or staff, and every
staff URL is tried by each role on the shared cast (`tests.world`): a visitor (→ login), another
unit's admin with real ids (→ 404, never 403, and nothing changes), a unit admin on a secretariat
page (→ 404), and the rightful user (→ the page, or the action done).

To add a staff page, add a `Row`: its URL name, who may use it, and how to build it for our unit
and for another's. A URL in neither table fails `test_every_url_pattern_is_in_the_matrix`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from reports.models import ExportJob, FollowUpAction, ReportSignatory, ReportText
from surveys.models import (
    ExclusionProposal,
    Instrument,
    Kiosk,
    Period,
    Response,
    Service,
    ServiceUnit,
    SurveySettings,
    UnitPopulation,
)
from tests.conftest import logged_in
from tests.world import World

PUBLIC = {
    "home",
    "healthz",
    "favicon",
    "set_language",
    "login",
    "logout",  # logging out when not logged in does no harm
    "survey-units",
    "survey-form",
    "survey-thanks",
    "survey-qr-svg",
    "survey-qr-png",
    "kiosk-form",
    "kiosk-thanks",
    "kiosk-queue",  # the kiosk's signed token is its credential (tests/surveys/test_kiosk_queue.py)
    "kiosk-manifest",
    "kiosk-worker",
    "results-index",
    "results-period",
    "results-unit",
    "results-poster",
    # "Lupa kata sandi?" and the e-mailed one-time link (issue 16): Django's password-reset views.
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "glossary",
}


@dataclass(frozen=True)
class Row:
    """A staff URL: who may use it (`secretariat`, `unit` = the unit's admins, `staff` = anyone with
    a staff login, seeing only their own units), and how to build it for our unit and another's."""

    name: str
    scope: str
    own: Callable[[World], str]
    method: str = "GET"
    foreign: Callable[[World], str] | None = None


def _k(world: World) -> str:
    return world.city.kelurahan.code


def _ok(world: World) -> str:
    return world.city.other_kelurahan.code


def _account(world: World) -> Any:
    """A staff account the secretariat manages: the other kelurahan's admin."""
    return get_user_model().objects.get(username="admin-sukarami")


MATRIX = [
    Row("staff-home", "staff", lambda w: "/petugas/"),
    Row("password_change", "staff", lambda w: "/akun/ganti-sandi/"),
    Row("password_change_done", "staff", lambda w: "/akun/ganti-sandi/selesai/"),
    Row("kiosk-list", "staff", lambda w: "/petugas/kios/"),
    Row(
        "kiosk-revoke",
        "unit",
        lambda w: f"/petugas/kios/{w.kiosk.pk}/cabut/",
        method="POST",
        foreign=lambda w: f"/petugas/kios/{w.other_kiosk.pk}/cabut/",
    ),
    Row("poster-all", "staff", lambda w: "/petugas/poster/"),
    Row("poster-one", "unit", lambda w: f"/petugas/poster/{_k(w)}/", foreign=lambda w: f"/petugas/poster/{_ok(w)}/"),
    Row("audit-log", "secretariat", lambda w: "/petugas/audit/"),
    Row("period-list", "secretariat", lambda w: "/petugas/periode/"),
    Row("period-detail", "secretariat", lambda w: f"/petugas/periode/{w.closed.pk}/"),
    Row("period-close", "secretariat", lambda w: f"/petugas/periode/{w.open_period.pk}/tutup/", method="POST"),
    Row("period-reopen", "secretariat", lambda w: f"/petugas/periode/{w.closed.pk}/buka-kembali/", method="POST"),
    Row("period-publish", "secretariat", lambda w: f"/petugas/periode/{w.closed.pk}/publikasikan/", method="POST"),
    Row("period-recompute", "secretariat", lambda w: f"/petugas/periode/{w.closed.pk}/hitung-ulang/", method="POST"),
    Row("period-followups", "secretariat", lambda w: f"/petugas/periode/{w.closed.pk}/rtl/"),
    Row("period-results", "secretariat", lambda w: f"/petugas/periode/{w.closed.pk}/hasil/"),
    Row(
        "followup-periods",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/rtl/",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/rtl/",
    ),
    Row(
        "followup-plan",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/rtl/{w.closed.pk}/",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/rtl/{w.closed.pk}/",
    ),
    Row(
        "followup-edit",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/rtl/aksi/{w.action.pk}/",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/rtl/aksi/{w.other_action.pk}/",
    ),
    Row(
        "followup-delete",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/rtl/aksi/{w.action.pk}/hapus/",
        method="POST",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/rtl/aksi/{w.other_action.pk}/hapus/",
    ),
]
MATRIX += [
    # Exports (issue 7): a job belongs to whoever started it; workbooks are unit-scoped.
    Row("export-start", "staff", lambda w: "/laporan/ekspor/"),
    Row(
        "export-job",
        "unit",
        lambda w: f"/laporan/ekspor/{w.job.pk}/",
        foreign=lambda w: f"/laporan/ekspor/{w.other_job.pk}/",
    ),
    Row(
        "export-job-download",
        "unit",
        lambda w: f"/laporan/ekspor/{w.job.pk}/unduh/",
        foreign=lambda w: f"/laporan/ekspor/{w.other_job.pk}/unduh/",
    ),
    Row(
        "export-unit-workbook",
        "unit",
        lambda w: f"/laporan/unit/{_k(w)}/periode/{w.closed.pk}/workbook.xlsx",
        foreign=lambda w: f"/laporan/unit/{_ok(w)}/periode/{w.closed.pk}/workbook.xlsx",
    ),
    Row("export-city-recap", "staff", lambda w: f"/laporan/kota/periode/{w.closed.pk}/rekap.xlsx"),
    # Paper questionnaires and imports (issue 7).
    Row(
        "paper-entry",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/kertas/",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/kertas/",
    ),
    Row(
        "paper-import",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/impor/",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/impor/",
    ),
    Row(
        "paper-import-template",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/impor/templat/{w.open_period.pk}/",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/impor/templat/{w.open_period.pk}/",
    ),
    Row("paper-entry", "unit", lambda w: f"/petugas/unit/{_k(w)}/kertas/", method="POST"),
    Row("paper-import", "unit", lambda w: f"/petugas/unit/{_k(w)}/impor/", method="POST"),
    Row("export-start", "staff", lambda w: "/laporan/ekspor/", method="POST"),
]
MATRIX += [
    # Staff dashboards and suggestions (issue 5).
    Row("city-dashboard", "secretariat", lambda w: "/petugas/kota/"),
    Row("unit-dashboard", "unit", lambda w: f"/petugas/unit/{_k(w)}/", foreign=lambda w: f"/petugas/unit/{_ok(w)}/"),
    Row("unit-population", "unit", lambda w: f"/petugas/unit/{_k(w)}/populasi/", method="POST"),
    Row(
        "unit-suggestions",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/saran/",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/saran/",
    ),
    Row(
        "response-exclusion",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/saran/{w.response.pk}/keluarkan/",
        method="POST",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/saran/{w.other_response.pk}/keluarkan/",
    ),
    Row(
        "response-reinstate",
        "secretariat",
        lambda w: f"/petugas/unit/{_k(w)}/saran/{w.response.pk}/hitung-lagi/",
        method="POST",
    ),
]
MATRIX += [
    # Paper imports too large for a request run in the background (issue 14).
    Row(
        "paper-import-job",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/impor/{w.import_job.pk}/",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/impor/{w.other_import_job.pk}/",
    ),
]
MATRIX += [
    # Review of held responses and exclusion proposals, data-quality signals (issue 14).
    Row("review-list", "secretariat", lambda w: "/petugas/tinjauan/"),
    Row("review-held", "secretariat", lambda w: "/petugas/tinjauan/ditahan/", method="POST"),
    Row("review-proposal", "secretariat", lambda w: f"/petugas/tinjauan/usulan/{w.proposal.pk}/", method="POST"),
    Row("quality-signals", "secretariat", lambda w: "/petugas/kualitas-data/"),
]
MATRIX += [
    # The Laporan Hasil SKM (issue 17): a unit's page for its admins, the city's for the secretariat.
    Row(
        "report-unit",
        "unit",
        lambda w: f"/laporan/unit/{_k(w)}/dokumen/",
        foreign=lambda w: f"/laporan/unit/{_ok(w)}/dokumen/",
    ),
    Row("report-unit", "unit", lambda w: f"/laporan/unit/{_k(w)}/dokumen/", method="POST"),
    Row("report-unit-signatory", "unit", lambda w: f"/laporan/unit/{_k(w)}/dokumen/penandatangan/", method="POST"),
    Row("report-unit-generate", "unit", lambda w: f"/laporan/unit/{_k(w)}/dokumen/buat/", method="POST"),
    Row("report-city", "secretariat", lambda w: "/laporan/kota/dokumen/"),
    Row("report-city", "secretariat", lambda w: "/laporan/kota/dokumen/", method="POST"),
    Row("report-city-signatory", "secretariat", lambda w: "/laporan/kota/dokumen/penandatangan/", method="POST"),
    Row("report-city-generate", "secretariat", lambda w: "/laporan/kota/dokumen/buat/", method="POST"),
]
MATRIX += [
    # Staff accounts (issue 16): the secretariat's alone; a unit admin gets a 404 for each.
    Row("account-list", "secretariat", lambda w: "/petugas/akun/"),
    Row("account-create", "secretariat", lambda w: "/petugas/akun/baru/"),
    Row("account-create", "secretariat", lambda w: "/petugas/akun/baru/", method="POST"),
    Row("account-edit", "secretariat", lambda w: f"/petugas/akun/{_account(w).pk}/"),
    Row("account-edit", "secretariat", lambda w: f"/petugas/akun/{_account(w).pk}/", method="POST"),
    Row("account-deactivate", "secretariat", lambda w: f"/petugas/akun/{_account(w).pk}/nonaktifkan/", method="POST"),
    Row("account-reactivate", "secretariat", lambda w: f"/petugas/akun/{_account(w).pk}/aktifkan/", method="POST"),
    Row("account-link", "secretariat", lambda w: f"/petugas/akun/{_account(w).pk}/kirim-tautan/", method="POST"),
    # Running the city without a developer (issue 16): the registry and instruments are the
    # secretariat's; a unit's services its admins' (and the secretariat's).
    Row("registry-list", "secretariat", lambda w: "/petugas/registri/"),
    Row("registry-unit-add", "secretariat", lambda w: "/petugas/registri/unit-baru/"),
    Row("registry-unit-add", "secretariat", lambda w: "/petugas/registri/unit-baru/", method="POST"),
    Row("registry-upload", "secretariat", lambda w: "/petugas/registri/unggah/"),
    Row("registry-upload", "secretariat", lambda w: "/petugas/registri/unggah/", method="POST"),
    Row("registry-upload-apply", "secretariat", lambda w: "/petugas/registri/unggah/terapkan/", method="POST"),
    Row("registry-unit", "secretariat", lambda w: f"/petugas/registri/unit/{_k(w)}/"),
    Row("registry-unit", "secretariat", lambda w: f"/petugas/registri/unit/{_k(w)}/", method="POST"),
    Row("registry-unit-active", "secretariat", lambda w: f"/petugas/registri/unit/{_k(w)}/status/", method="POST"),
    Row(
        "registry-unit-population",
        "secretariat",
        lambda w: f"/petugas/registri/unit/{_k(w)}/populasi/",
        method="POST",
    ),
    Row("service-units", "staff", lambda w: "/petugas/layanan/"),
    Row(
        "service-list",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/layanan/",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/layanan/",
    ),
    Row("service-list", "unit", lambda w: f"/petugas/unit/{_k(w)}/layanan/", method="POST"),
    Row(
        "service-rename",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/layanan/{w.service.pk}/nama/",
        method="POST",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/layanan/{w.other_service.pk}/nama/",
    ),
    Row(
        "service-active",
        "unit",
        lambda w: f"/petugas/unit/{_k(w)}/layanan/{w.service.pk}/status/",
        method="POST",
        foreign=lambda w: f"/petugas/unit/{_ok(w)}/layanan/{w.other_service.pk}/status/",
    ),
    Row("instrument-list", "secretariat", lambda w: "/petugas/instrumen/"),
    Row("instrument-edit", "secretariat", lambda w: f"/petugas/instrumen/{w.instrument.pk}/"),
    Row("instrument-edit", "secretariat", lambda w: f"/petugas/instrumen/{w.instrument.pk}/", method="POST"),
    Row("instrument-preview", "secretariat", lambda w: f"/petugas/instrumen/{w.instrument.pk}/pratinjau/"),
    Row("instrument-start", "secretariat", lambda w: "/petugas/instrumen/mulai/", method="POST"),
    Row(
        "instrument-new-version",
        "secretariat",
        lambda w: f"/petugas/instrumen/{w.instrument.pk}/versi-baru/",
        method="POST",
    ),
    Row(
        "instrument-publish", "secretariat", lambda w: f"/petugas/instrumen/{w.instrument.pk}/terbitkan/", method="POST"
    ),
]
MATRIX += [
    # The city's survey settings (issue 19: the kiosk queue's grace): the secretariat's alone.
    Row("survey-settings", "secretariat", lambda w: "/petugas/pengaturan/"),
    Row("survey-settings", "secretariat", lambda w: "/petugas/pengaturan/", method="POST"),
]
# A unit admin who names their own unit but another unit's object id must get a 404 too.
CROSSED = [
    ("response-exclusion", lambda w: f"/petugas/unit/{_k(w)}/saran/{w.other_response.pk}/keluarkan/", "POST"),
    ("followup-edit", lambda w: f"/petugas/unit/{_k(w)}/rtl/aksi/{w.other_action.pk}/", "GET"),
    ("followup-delete", lambda w: f"/petugas/unit/{_k(w)}/rtl/aksi/{w.other_action.pk}/hapus/", "POST"),
    ("paper-import-job", lambda w: f"/petugas/unit/{_k(w)}/impor/{w.other_import_job.pk}/", "GET"),
    ("service-rename", lambda w: f"/petugas/unit/{_k(w)}/layanan/{w.other_service.pk}/nama/", "POST"),
    ("service-active", lambda w: f"/petugas/unit/{_k(w)}/layanan/{w.other_service.pk}/status/", "POST"),
]
ADMIN_NAMESPACE = "admin"


def _names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            names |= _names(entry.url_patterns, inner or "")
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
        elif isinstance(entry, URLPattern):
            names.add(f"{namespace}:<unnamed {entry.pattern}>" if namespace else f"<unnamed {entry.pattern}>")
    return names


def test_every_url_pattern_is_in_the_matrix() -> None:
    names = _names(get_resolver().url_patterns)
    assert {"export-job", "paper-entry", "audit-log", "kiosk-revoke"} <= names
    staff = {row.name for row in MATRIX}
    unlisted = sorted(name for name in names - PUBLIC - staff if not name.startswith(f"{ADMIN_NAMESPACE}:"))
    assert not unlisted, f"add these URLs to PUBLIC or MATRIX in {__file__}: {unlisted}"
    assert not (PUBLIC & staff)


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _request(client: Client, method: str, url: str) -> Any:
    return client.post(url) if method == "POST" else client.get(url)


def _state() -> tuple[Any, ...]:
    return (
        sorted(Kiosk.objects.values_list("pk", "revoked_at")),
        sorted(Period.objects.values_list("pk", "state")),
        FollowUpAction.objects.count(),
        Response.objects.count(),
        sorted(Response.objects.values_list("pk", "state")),
        sorted(ExclusionProposal.objects.values_list("pk", "decision")),
        ExportJob.objects.count(),
        sorted(ReportText.objects.values_list("pk", "recommendation")),
        sorted(ReportSignatory.objects.values_list("pk", "name")),
        sorted(get_user_model().objects.values_list("pk", "is_active", "password")),
        sorted(ServiceUnit.objects.values_list("pk", "code", "name", "parent", "is_active")),
        sorted(Service.objects.values_list("pk", "name", "is_active")),
        sorted(Instrument.objects.values_list("pk", "state")),
        UnitPopulation.objects.count(),
        sorted(SurveySettings.objects.values_list("pk", "kiosk_queue_grace_days")),
    )


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.name)
def test_a_visitor_is_sent_to_the_login_page(world: World, row: Row) -> None:
    before = _state()
    response = _request(Client(), row.method, row.own(world))
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/?next=")
    assert _state() == before


@pytest.mark.parametrize("row", [row for row in MATRIX if row.scope == "secretariat"], ids=lambda row: row.name)
def test_secretariat_pages_are_a_404_for_unit_admins(world: World, kecamatan_admin: Any, row: Row) -> None:
    before = _state()
    assert _request(logged_in(kecamatan_admin), row.method, row.own(world)).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("row", [row for row in MATRIX if row.scope == "unit"], ids=lambda row: row.name)
def test_another_units_admin_gets_a_404_with_real_ids(world: World, other_admin: Any, row: Row) -> None:
    before = _state()
    assert _request(logged_in(other_admin), row.method, row.own(world)).status_code == 404
    assert _state() == before


@pytest.mark.parametrize(("name", "url", "method"), CROSSED, ids=[name for name, _url, _method in CROSSED])
def test_own_unit_code_with_another_units_object_id_is_a_404(
    world: World, kecamatan_admin: Any, name: str, url: Callable[[World], str], method: str
) -> None:
    before = _state()
    assert _request(logged_in(kecamatan_admin), method, url(world)).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("row", [row for row in MATRIX if row.method == "GET"], ids=lambda row: row.name)
def test_the_rightful_user_gets_the_page(world: World, kecamatan_admin: Any, secretariat: Any, row: Row) -> None:
    user = secretariat if row.scope == "secretariat" else kecamatan_admin
    response = _request(logged_in(user), row.method, row.own(world))
    if response.status_code == 302:  # e.g. the staff home sends a one-unit admin to that unit's dashboard
        response = logged_in(user).get(response["Location"])
    assert response.status_code == 200


POSTED = {"period": "", "population": 100, "reason": "Iklan, bukan saran"}


@pytest.mark.parametrize("row", [row for row in MATRIX if row.method == "POST"], ids=lambda row: row.name)
def test_the_rightful_user_may_act(world: World, kecamatan_admin: Any, secretariat: Any, row: Row) -> None:
    """A rightful POST is done (a redirect) or refused with a message (400), never a 403/404/500."""
    user = secretariat if row.scope == "secretariat" else kecamatan_admin
    response = logged_in(user).post(row.own(world), {**POSTED, "period": world.closed.pk})
    assert response.status_code in (200, 302, 400)


def test_an_unknown_unit_is_a_404_for_everyone(world: World, kecamatan_admin: Any, secretariat: Any) -> None:
    for user in (kecamatan_admin, secretariat):
        assert logged_in(user).get("/petugas/unit/tidak-ada/").status_code == 404


@pytest.mark.parametrize("row", [row for row in MATRIX if row.foreign], ids=lambda row: row.name)
def test_the_other_admin_reaches_their_own_objects(world: World, other_admin: Any, row: Row) -> None:
    """The foreign URLs are real: their own admin is not refused (so the 404s above mean scope)."""
    assert row.foreign is not None
    response = _request(logged_in(other_admin), row.method, row.foreign(world))
    assert response.status_code in (200, 302)


def test_the_admin_site_is_for_superusers_only(world: World, secretariat: Any, kecamatan_admin: Any) -> None:
    for user in (secretariat, kecamatan_admin):
        response = logged_in(user).get("/admin/surveys/response/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Client().get("/admin/").status_code == 302


def test_kiosk_urls_are_not_guessable(world: World) -> None:
    """A kiosk URL carries a signed random token, not the kiosk's number."""
    path = world.kiosk_path(world.kiosk)
    token = path.split("/")[2]
    assert str(world.kiosk.pk) != token and len(token) >= 30
    assert Client().get(f"/kios/{world.kiosk.pk}/").status_code == 404
    assert Client().get(f"/kios/{token[:-1]}x/").status_code == 404
    assert Client().get(path).status_code == 200
