"""Paper imports with many rows are checked and imported by the background worker, under the
same rules: all rows or none, each row once, the outcome and any failure shown to the uploader."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from surveys import import_jobs, imports
from surveys.models import AuditEvent, Channel, ImportJob, ImportStatus, Response
from tests.conftest import logged_in
from tests.surveys.test_imports import _filled, _row, _template

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_threshold(settings: Any) -> None:
    """Files of more than 2 rows go to the worker (every filled template: it formats 50 rows),
    which runs at once here (the real one is a `db_worker` process reading the same queue)."""
    settings.PAPER_IMPORT_SYNC_MAX_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _upload(client: Any, city: Any, content: bytes) -> Any:
    url = reverse("paper-import", args=[city.kelurahan.code])
    return client.post(url, {"berkas": SimpleUploadedFile("isian.xlsx", content)})


def _rows(period: Any, count: int, **changes: Any) -> list[dict[str, Any]]:
    return [_row(period, age=20 + number, **changes) for number in range(count)]


def test_a_file_with_many_rows_is_imported_by_the_worker_and_its_page_shows_the_outcome(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any
) -> None:
    client = logged_in(kecamatan_admin)
    response = _upload(client, city, _filled(_template(city, instrument, period), _rows(period, 5)))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("paper-import-job", args=[city.kelurahan.code, job.pk])
    assert (job.status, job.created, job.already_there, job.rows_done) == (ImportStatus.DONE, 5, 0, 5)
    assert bytes(job.content) == b""  # the uploaded file is not kept once the job has run
    assert Response.objects.filter(channel=Channel.IMPORT).count() == 5
    assert AuditEvent.objects.filter(action="import", actor=kecamatan_admin).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "5 kuesioner diimpor; 0 sudah ada" in page and 'http-equiv="refresh"' not in page
    assert "isian.xlsx" in client.get(reverse("paper-import", args=[city.kelurahan.code])).content.decode()


def test_one_bad_row_in_a_large_file_imports_nothing_and_the_job_lists_the_errors(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any
) -> None:
    client = logged_in(kecamatan_admin)
    rows = [*_rows(period, 4), _row(period, age=7)]
    response = _upload(client, city, _filled(_template(city, instrument, period), rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.error_count == 1
    assert job.errors == [{"row": 6, "column": "Usia", "message": "Usia paling rendah 10 tahun."}]
    assert not Response.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Tidak ada yang diimpor: 1 kesalahan ditemukan" in page and "Usia paling rendah 10 tahun." in page


def test_the_same_large_file_twice_imports_its_rows_once(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any
) -> None:
    content = _filled(_template(city, instrument, period), _rows(period, 4))
    client = logged_in(kecamatan_admin)
    _upload(client, city, content)
    _upload(client, city, content)
    second = ImportJob.objects.order_by("created_at").last()
    assert second is not None and (second.created, second.already_there) == (0, 4)
    assert Response.objects.count() == 4


def test_a_small_file_is_still_imported_within_the_request(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any, settings: Any
) -> None:
    settings.PAPER_IMPORT_SYNC_MAX_ROWS = 200  # the default: the template itself formats 50 rows
    response = _upload(logged_in(kecamatan_admin), city, _filled(_template(city, instrument, period), _rows(period, 2)))
    assert response.status_code == 302 and response["Location"] == reverse("paper-import", args=[city.kelurahan.code])
    assert Response.objects.count() == 2 and not ImportJob.objects.exists()


def test_a_queued_job_waits_for_the_worker_and_its_page_reloads_until_it_has_run(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = logged_in(kecamatan_admin)
    response = _upload(client, city, _filled(_template(city, instrument, period), _rows(period, 3)))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED and job.rows_total == 50  # the template's formatted rows
    assert 'http-equiv="refresh"' in client.get(response["Location"]).content.decode()
    assert not Response.objects.exists()
    import_jobs.run_import_job.call(str(job.pk))  # what the worker does with the queued task
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Response.objects.count() == 3


def test_a_failure_while_importing_is_recorded_and_stores_nothing(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> Any:
        Response.objects.all().count()
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(import_jobs.services, "responses_import", broken)
    _upload(logged_in(kecamatan_admin), city, _filled(_template(city, instrument, period), _rows(period, 3)))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.errors[0]["message"].startswith("Impor gagal diproses. Tidak ada yang diimpor")
    assert not Response.objects.exists()


def test_a_job_whose_worker_died_is_marked_as_not_imported(city: Any, kecamatan_admin: Any) -> None:
    started = timezone.now() - datetime.timedelta(hours=1)
    job = ImportJob.objects.create(
        unit=city.kelurahan,
        requested_by=kecamatan_admin,
        file_name="isian.xlsx",
        content=b"x",
        status=ImportStatus.RUNNING,
        started_at=started,
    )
    assert import_jobs.import_jobs_fail_stale() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and bytes(job.content) == b"" and job.is_finished


def test_another_admin_of_the_same_unit_cannot_see_someone_elses_job(
    city: Any, kecamatan_admin: Any, django_user_model: Any
) -> None:
    from surveys.models import StaffProfile, StaffRole
    from tests.conftest import PASSWORD

    colleague = django_user_model.objects.create_user("rekan", password=PASSWORD)
    StaffProfile.objects.create(user=colleague, role=StaffRole.UNIT_ADMIN).units.set([city.kecamatan])
    job = ImportJob.objects.create(unit=city.kelurahan, requested_by=kecamatan_admin, file_name="isian.xlsx")
    url = reverse("paper-import-job", args=[city.kelurahan.code, job.pk])
    assert logged_in(colleague).get(url).status_code == 404
    assert logged_in(kecamatan_admin).get(url).status_code == 200


def test_the_threshold_counts_rows_and_cells_of_the_data_sheet(city: Any, instrument: Any, period: Any) -> None:
    import io

    from surveys import uploads

    content = _filled(_template(city, instrument, period), _rows(period, 1))
    with uploads.open_spreadsheet(io.BytesIO(content), filename="isian.xlsx", limits=imports.UPLOAD_LIMITS) as book:
        assert imports.needs_background(book)  # the template formats 50 rows: more than 2
