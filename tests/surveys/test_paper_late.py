"""Late paper forms: a clerk enters or imports forms dated inside a closed period; they count in the
next recompute, which makes a new visible revision. A published period takes none."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.urls import reverse

from reports import services as report_services
from reports.models import SnapshotUnit
from surveys import imports, services
from surveys.models import AuditEvent, Period, PeriodState, Response
from tests import builders
from tests.conftest import logged_in
from tests.surveys.test_imports import _filled, _row, _template
from tests.surveys.test_paper_entry import _post_data

pytestmark = pytest.mark.django_db


def _respondents(period: Period, unit: Any, revision: int) -> int:
    row = SnapshotUnit.objects.get(snapshot__period=period, snapshot__revision=revision, unit=unit)
    return row.respondents


def _enter(client: Any, unit: Any, day: str) -> Any:
    url = reverse("paper-entry", args=[unit.code])
    return client.post(url, _post_data(client.get(url).content.decode(), submitted_on=day), follow=True)


def test_a_late_form_in_a_closed_period_counts_in_the_next_revision(
    city: Any, instrument: Any, period: Any, secretariat: Any, kecamatan_admin: Any
) -> None:
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    report_services.period_close(period=period, user=secretariat)
    assert _respondents(period, city.kelurahan, 1) == 1

    page = _enter(logged_in(kecamatan_admin), city.kelurahan, period.start.isoformat()).content.decode()
    assert "sudah ditutup" in page and "revisi baru" in page
    late = Response.objects.get(channel="paper")
    assert late.period == period
    entry = AuditEvent.objects.get(action="paper.entry", object_id=str(late.pk))
    assert entry.detail == {"late": True, "period": period.pk}
    assert "terlambat" in entry.summary and period.name in entry.summary
    assert _respondents(period, city.kelurahan, 1) == 1  # the frozen revision stays as it was

    secretariat_client = logged_in(secretariat)
    before = secretariat_client.get(reverse("period-detail", args=[period.pk])).content.decode()
    assert "1 formulir kertas terlambat masuk sejak revisi terakhir" in before
    recompute = reverse("period-recompute", args=[period.pk])
    assert secretariat_client.post(recompute, {"reason": "Formulir kertas terlambat"}).status_code == 302
    assert _respondents(period, city.kelurahan, 2) == 2
    detail = secretariat_client.get(reverse("period-detail", args=[period.pk])).content.decode()
    assert "Revisi 2" in detail and "Formulir kertas terlambat" in detail
    assert "terlambat masuk sejak revisi terakhir" not in detail


def test_a_late_import_goes_into_a_closed_period_and_the_period_page_counts_it(
    city: Any, instrument: Any, period: Any, secretariat: Any, kecamatan_admin: Any
) -> None:
    content = _filled(_template(city, instrument, period), [_row(period), _row(period, age=52)])
    report_services.period_close(period=period, user=secretariat)
    parsed = imports.parse_upload(upload=io.BytesIO(content), unit=city.kelurahan)
    assert not parsed.errors and len(parsed.submissions) == 2
    services.responses_import(submissions=parsed.submissions, actor=kecamatan_admin, unit=city.kelurahan)
    assert AuditEvent.objects.get(action="import").detail["late"] is True
    page = logged_in(secretariat).get(reverse("period-detail", args=[period.pk])).content.decode()
    assert "2 formulir kertas terlambat masuk sejak revisi terakhir" in page


def test_the_import_page_offers_a_template_for_a_closed_period(
    city: Any, instrument: Any, period: Any, secretariat: Any, kecamatan_admin: Any
) -> None:
    report_services.period_close(period=period, user=secretariat)
    client = logged_in(kecamatan_admin)
    page = client.get(reverse("paper-import", args=[city.kelurahan.code])).content.decode()
    assert reverse("paper-import-template", args=[city.kelurahan.code, period.pk]) in page
    assert "sudah ditutup" in page
    template = client.get(reverse("paper-import-template", args=[city.kelurahan.code, period.pk]))
    assert template.status_code == 200


def test_a_published_period_takes_no_paper_forms(
    city: Any, instrument: Any, period: Any, secretariat: Any, kecamatan_admin: Any
) -> None:
    content = _filled(_template(city, instrument, period), [_row(period)])
    report_services.period_close(period=period, user=secretariat)
    report_services.period_publish(period=period, user=secretariat)
    client = logged_in(kecamatan_admin)
    response = _enter(client, city.kelurahan, period.start.isoformat())
    assert response.status_code == 400 and "sudah dipublikasikan" in response.content.decode()
    parsed = imports.parse_upload(upload=io.BytesIO(content), unit=city.kelurahan)
    assert "sudah dipublikasikan" in parsed.errors[0].message
    template = client.get(reverse("paper-import-template", args=[city.kelurahan.code, period.pk]))
    assert template.status_code == 404
    assert Response.objects.count() == 0


def test_the_service_refuses_a_period_published_after_the_form_was_checked(
    city: Any, instrument: Any, period: Any, secretariat: Any, kecamatan_admin: Any
) -> None:
    report_services.period_close(period=period, user=secretariat)
    report_services.period_publish(period=period, user=secretariat)
    scores = dict.fromkeys(instrument.elements.values_list("code", flat=True), 3)
    submission = services.Submission(
        key=uuid.uuid4(), unit=city.kelurahan, instrument=instrument, period=period, scores=scores, channel="paper"
    )
    with pytest.raises(services.SubmissionInvalid, match="sudah dipublikasikan"):
        services.paper_entry_submit(submission=submission, actor=kecamatan_admin)
    assert period.state == PeriodState.PUBLISHED and Response.objects.count() == 0
