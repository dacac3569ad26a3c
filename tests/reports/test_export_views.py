"""Export downloads and background jobs: who may download what, progress, failure, cleanup."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports.exports import jobs as export_jobs
from reports.exports import services as export_services
from reports.models import ExportJob, ExportStatus
from surveys.models import AuditEvent
from tests import builders
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.TASKS = IMMEDIATE


@pytest.fixture
def answered(city: Any, instrument: Any, period: Any) -> Any:
    builders.make_response(city.kelurahan, [4, 3, 3, 4, 3, 3, 4, 3, 3], instrument=instrument, period=period)
    builders.make_response(city.other_kelurahan, [2] * 9, instrument=instrument, period=period)
    return city


def _workbook_url(code: str, period: Any, query: str = "") -> str:
    return reverse("export-unit-workbook", args=[code, period.pk]) + query


@pytest.mark.parametrize(
    ("role", "code", "expected"),
    [
        ("anonymous", "16.71.04.1001", 302),
        ("secretariat", "16.71.04.1001", 200),
        ("kecamatan_admin", "16.71.04.1001", 200),
        ("kecamatan_admin", "16.71.04", 200),
        ("kecamatan_admin", "16.71.07.1005", 404),
        ("other_admin", "16.71.04.1001", 404),
        ("puskesmas_admin", "16.71.04.1001", 404),
        ("secretariat", "no-such-unit", 404),
    ],
)
def test_who_may_download_a_unit_workbook(
    request: Any, answered: Any, period: Any, role: str, code: str, expected: int
) -> None:
    if role == "anonymous":
        from django.test import Client

        client = Client()
    else:
        client = logged_in(request.getfixturevalue(role))
    response = client.get(_workbook_url(code, period))
    assert response.status_code == expected
    if expected == 302:
        assert reverse("login") in response["Location"]


def test_a_unit_workbook_download_is_an_xlsx_named_after_unit_and_period(
    kecamatan_admin: Any, answered: Any, period: Any
) -> None:
    response = logged_in(kecamatan_admin).get(_workbook_url("16.71.04", period, "?cakupan=turunan"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="skm-workbook-16-71-04-dan-sub-unit-triwulan-uji-' in response["Content-Disposition"]
    alone = logged_in(kecamatan_admin).get(_workbook_url("16.71.04", period))
    assert 'filename="skm-workbook-16-71-04-triwulan-uji-' in alone["Content-Disposition"]  # never the same name
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Pengolahan"]["A5"].value == 1  # the kelurahan's respondent, through the subtree


def test_an_unknown_weight_is_refused_with_a_message(kecamatan_admin: Any, answered: Any, period: Any) -> None:
    response = logged_in(kecamatan_admin).get(_workbook_url("16.71.04.1001", period, "?bobot=0.5"))
    assert response.status_code == 400
    assert "Bobot tidak dikenal" in response.content.decode()


def test_an_unknown_period_is_a_404(kecamatan_admin: Any, answered: Any) -> None:
    assert logged_in(kecamatan_admin).get(reverse("export-unit-workbook", args=["16.71.04", 999999])).status_code == 404


def test_the_secretariat_recap_covers_every_unit_and_an_admins_only_their_own(
    secretariat: Any, kecamatan_admin: Any, answered: Any, period: Any
) -> None:
    url = reverse("export-city-recap", args=[period.pk])
    city_codes = {
        row[0].value
        for row in load_workbook(io.BytesIO(logged_in(secretariat).get(url).content))["Rekap"].iter_rows(min_row=2)
    }
    assert {"16.71.04.1001", "16.71.07.1005", "pkm-dempo"} <= city_codes
    assert "16.71" not in city_codes  # the pemkot root is no unit of the recap, as on the dashboard
    own_codes = {
        row[0].value
        for row in load_workbook(io.BytesIO(logged_in(kecamatan_admin).get(url).content))["Rekap"].iter_rows(min_row=2)
    }
    assert own_codes == {"16.71.04", "16.71.04.1001"}


def test_a_user_without_a_staff_profile_gets_no_recap(answered: Any, period: Any, django_user_model: Any) -> None:
    stranger = django_user_model.objects.create_user(username="warga", password="x-very-long-123")
    assert logged_in(stranger).get(reverse("export-city-recap", args=[period.pk])).status_code == 404
    assert logged_in(stranger).get(reverse("export-start")).status_code == 404


def test_a_raw_export_runs_as_a_job_shows_progress_and_then_a_download(
    kecamatan_admin: Any, answered: Any, period: Any
) -> None:
    client = logged_in(kecamatan_admin)
    response = client.post(
        reverse("export-start"),
        {"kind": "raw", "period": period.pk, "unit": "", "file_format": "csv", "weight": "exact"},
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("export-job", args=[job.pk])
    assert job.status == ExportStatus.DONE
    assert job.rows_total == 1 and job.percent == 100
    page = client.get(response["Location"]).content.decode()
    assert "Ekspor selesai" in page and reverse("export-job-download", args=[job.pk]) in page
    download = client.get(reverse("export-job-download", args=[job.pk]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"ID","Kunci pengiriman"')
    assert "16.71.04.1001" in text and "16.71.07.1005" not in text  # only the admin's own units


def test_the_export_form_offers_the_semicolon_csv_that_excel_in_indonesian_opens(
    kecamatan_admin: Any, answered: Any, period: Any
) -> None:
    client = logged_in(kecamatan_admin)
    assert 'value="csv-semicolon"' in client.get(reverse("export-start")).content.decode()
    client.post(
        reverse("export-start"),
        {"kind": "raw", "period": period.pk, "unit": "", "file_format": "csv-semicolon", "weight": "exact"},
    )
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.file_name.endswith(".csv")
    download = client.get(reverse("export-job-download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines()[0].startswith('"ID";"Kunci pengiriman";')


def test_a_job_is_private_to_who_started_it(kecamatan_admin: Any, secretariat: Any, answered: Any, period: Any) -> None:
    job = export_services.export_job_create(
        requested_by=kecamatan_admin, kind="raw", period=period, unit_ids=[answered.kelurahan.pk]
    )
    assert logged_in(secretariat).get(reverse("export-job", args=[job.pk])).status_code == 404
    assert logged_in(secretariat).get(reverse("export-job-download", args=[job.pk])).status_code == 404


def test_a_request_for_another_units_data_is_a_404(other_admin: Any, answered: Any, period: Any) -> None:
    response = logged_in(other_admin).post(
        reverse("export-start"),
        {"kind": "raw", "period": period.pk, "unit": "16.71.04.1001", "file_format": "xlsx", "weight": "exact"},
    )
    assert response.status_code == 400  # not among the unit choices the form offers
    assert ExportJob.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "workbook", "unit": "", "file_format": "xlsx"}, "Workbook unit memerlukan satu unit."),
        ({"kind": "recap", "unit": "", "file_format": "csv"}, "Format CSV hanya tersedia untuk data mentah."),
        ({"kind": "recap", "unit": "", "file_format": "csv-semicolon"}, "Format CSV hanya tersedia untuk data mentah."),
        ({"kind": "raw", "unit": "", "file_format": "xlsx", "period": "999999"}, "Pilih periode yang tersedia."),
        (
            {"kind": "workbook", "unit": "16.71.04.1001", "file_format": "xlsx", "include_descendants": "on"},
            "Unit di bawahnya hanya dapat disertakan pada workbook unit yang memilikinya.",
        ),
    ],
)
def test_a_bad_export_request_says_what_is_wrong_and_starts_nothing(
    kecamatan_admin: Any, answered: Any, period: Any, data: dict[str, str], message: str
) -> None:
    response = logged_in(kecamatan_admin).post(
        reverse("export-start"), {"period": period.pk, "weight": "exact", **data}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ExportJob.objects.count() == 0


def test_a_failed_export_says_it_failed(kecamatan_admin: Any, answered: Any, period: Any, monkeypatch: Any) -> None:
    def broken(**kwargs: Any) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_jobs, "write_raw", broken)
    job = export_services.export_job_create(
        requested_by=kecamatan_admin, kind="raw", period=period, unit_ids=[answered.kelurahan.pk]
    )
    assert job.status == ExportStatus.FAILED
    page = logged_in(kecamatan_admin).get(reverse("export-job", args=[job.pk])).content.decode()
    assert "Ekspor gagal dibuat" in page
    assert logged_in(kecamatan_admin).get(reverse("export-job-download", args=[job.pk])).status_code == 404
    assert list((export_jobs.job_directory(job)).iterdir()) == []  # no half-written file left


def test_an_unfinished_job_page_reloads_itself_without_javascript(
    kecamatan_admin: Any, answered: Any, period: Any
) -> None:
    job = ExportJob.objects.create(
        requested_by=kecamatan_admin, kind="raw", period=period, unit_ids=[1], rows_total=10_000, rows_done=2_500
    )
    page = logged_in(kecamatan_admin).get(reverse("export-job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'value="25"' in page and "2500 dari 10000 respons" in page
    assert "<script" not in page and "style=" not in page


def test_old_jobs_and_their_files_are_cleaned_up(kecamatan_admin: Any, answered: Any, period: Any) -> None:
    old = export_services.export_job_create(
        requested_by=kecamatan_admin, kind="raw", period=period, unit_ids=[answered.kelurahan.pk]
    )
    folder = export_jobs.job_directory(old)
    assert folder.is_dir()
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    fresh = export_services.export_job_create(
        requested_by=kecamatan_admin, kind="raw", period=period, unit_ids=[answered.kelurahan.pk]
    )
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not folder.exists()


def test_a_large_unit_workbook_goes_to_the_background(
    kecamatan_admin: Any, answered: Any, period: Any, settings: Any
) -> None:
    settings.EXPORT_SYNC_MAX_RESPONSES = 0
    response = logged_in(kecamatan_admin).get(_workbook_url("16.71.04.1001", period))
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("export-job", args=[job.pk])
    assert job.kind == "workbook" and job.status == ExportStatus.DONE
    assert load_workbook(export_services.job_file(job)).sheetnames[0] == "Pengolahan"  # type: ignore[arg-type]


def test_the_download_buttons_include_links_through_the_checked_urls(
    kecamatan_admin: Any, answered: Any, period: Any
) -> None:
    from django.template.loader import render_to_string

    html = render_to_string("reports/includes/dashboard_downloads.html", {"unit": answered.kecamatan, "period": period})
    assert _workbook_url("16.71.04", period) in html
    assert reverse("export-city-recap", args=[period.pk]) in html
    assert "Rekap unit Anda" in html
    assert "cakupan=turunan" not in html  # without its sub-units the option would do nothing


def test_the_workbook_with_sub_units_is_offered_only_for_a_unit_that_has_some(
    kecamatan_admin: Any, answered: Any, period: Any
) -> None:
    client = logged_in(kecamatan_admin)
    kecamatan = client.get(reverse("unit-dashboard", args=["16.71.04"])).content.decode()
    kelurahan = client.get(reverse("unit-dashboard", args=["16.71.04.1001"])).content.decode()
    assert "cakupan=turunan" in kecamatan and "cakupan=turunan" not in kelurahan


def test_the_export_form_offers_sub_units_only_to_someone_whose_units_have_some(
    kecamatan_admin: Any, other_admin: Any, period: Any
) -> None:
    assert "include_descendants" in logged_in(kecamatan_admin).get(reverse("export-start")).content.decode()
    assert "include_descendants" not in logged_in(other_admin).get(reverse("export-start")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_a_job_waits_for_the_worker_then_finishes(
    kecamatan_admin: Any, city: Any, instrument: Any, period: Any, settings: Any
) -> None:
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    builders.make_response(city.kelurahan, [3] * 9, instrument=instrument, period=period)
    job = export_services.export_job_create(
        requested_by=kecamatan_admin, kind="raw", period=period, unit_ids=[city.kelurahan.pk]
    )
    assert job.status == ExportStatus.QUEUED
    page = logged_in(kecamatan_admin).get(reverse("export-job", args=[job.pk])).content.decode()
    assert "Menunggu" in page and 'http-equiv="refresh"' in page
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and export_services.job_file(job) is not None


def test_responses_under_two_rule_sets_are_refused_with_a_message_not_a_crash(
    secretariat: Any, answered: Any, period: Any
) -> None:
    from surveys.models import Instrument

    legacy = builders.make_instrument(published=False)
    Instrument.objects.filter(pk=legacy.pk).update(rules="permenpan-16-2014")
    builders.make_response(answered.kelurahan, [3] * 9, instrument=legacy, period=period)
    client = logged_in(secretariat)
    response = client.get(_workbook_url("16.71.04.1001", period))
    assert response.status_code == 400
    assert "aturan perhitungan yang berbeda" in response.content.decode()
    assert client.get(reverse("export-city-recap", args=[period.pk])).status_code == 400


def test_the_period_page_and_a_units_plan_page_carry_the_download_buttons(
    secretariat: Any, kecamatan_admin: Any, answered: Any, period: Any
) -> None:
    from reports import services as report_services

    period_page = logged_in(secretariat).get(reverse("period-detail", args=[period.pk])).content.decode()
    assert reverse("export-city-recap", args=[period.pk]) in period_page and "Rekap kota (.xlsx)" in period_page
    report_services.period_close(period=period, user=secretariat)
    plan = logged_in(kecamatan_admin).get(reverse("followup-plan", args=["16.71.04.1001", period.pk]))
    assert plan.status_code == 200
    assert _workbook_url("16.71.04.1001", period) in plan.content.decode()


def test_the_audit_log_names_an_export_job_by_its_kind_and_period(
    kecamatan_admin: Any, answered: Any, period: Any
) -> None:
    job = export_services.export_job_create(
        requested_by=kecamatan_admin, kind="raw", period=period, unit_ids=[answered.kelurahan.pk]
    )
    event = AuditEvent.objects.get(action="export.request")
    assert event.object_label == str(job) == f"Data mentah · {period.name}"
    assert "queued" not in event.object_label and "done" not in str(job)
