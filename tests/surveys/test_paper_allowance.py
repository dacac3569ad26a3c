"""One daily allowance of paper forms per unit, typed in or imported, by whoever enters them:
beyond it the forms are stored but held for the secretariat, and the clerk is told so."""

from __future__ import annotations

import contextlib
import datetime
import threading
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse

from surveys import services
from surveys.models import Channel, ImportJob, ImportStatus, PeriodState, Reason, Response, ResponseState
from surveys.services import responses
from tests import builders
from tests.conftest import logged_in
from tests.surveys.test_imports import _filled, _row, _template
from tests.surveys.test_paper_entry import _post_data

pytestmark = pytest.mark.django_db


def _import(client: Any, city: Any, instrument: Any, period: Any, rows: int) -> Any:
    """Upload a fresh template (new row keys) filled with `rows` forms of 3s and 4s."""
    lines = [_row(period, [3, 4, 3, 4, 3, 4, 3, 4, 3], age=20 + number) for number in range(rows)]
    content = _filled(_template(city, instrument, period), lines)
    url = reverse("paper-import", args=[city.kelurahan.code])
    return client.post(url, {"berkas": SimpleUploadedFile("isian.xlsx", content)}, follow=True)


def _type_in(client: Any, city: Any, count: int) -> str:
    url = reverse("paper-entry", args=[city.kelurahan.code])
    page = ""
    for _number in range(count):
        page = client.post(url, _post_data(client.get(url).content.decode()), follow=True).content.decode()
    return page


def test_small_imports_one_after_another_are_held_once_the_day_s_allowance_is_passed(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any, settings: Any
) -> None:
    """Five imports of 20 rows (each within the per-file limit) against an allowance of 50."""
    settings.SURVEY_HOLD_IMPORT_ROWS = 20
    settings.SURVEY_HOLD_PAPER_DAILY = 50
    client = logged_in(kecamatan_admin)
    pages = [_import(client, city, instrument, period, 20).content.decode() for _number in range(5)]
    assert Response.objects.count() == 100  # every form stored
    assert Response.objects.countable().count() == 40  # two files fit; the third would pass 50: held whole
    assert set(Response.objects.held().values_list("reason", flat=True)) == {Reason.IMPORT}
    assert ["ditahan untuk ditinjau sekretariat" in page for page in pages] == [False, False, True, True, True]


def test_a_file_larger_than_the_per_file_limit_is_still_held_whatever_the_allowance(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any, settings: Any
) -> None:
    settings.SURVEY_HOLD_IMPORT_ROWS = 3
    settings.SURVEY_HOLD_PAPER_DAILY = 50
    page = _import(logged_in(kecamatan_admin), city, instrument, period, 4).content.decode()
    assert Response.objects.held().count() == 4 and not Response.objects.countable().exists()
    assert "Semua kuesioner dari berkas ini tersimpan, tetapi ditahan untuk ditinjau sekretariat" in page


def test_typed_and_imported_forms_share_one_allowance(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any, secretariat: Any, settings: Any
) -> None:
    settings.SURVEY_HOLD_PAPER_DAILY = 3
    _type_in(logged_in(secretariat), city, 2)  # whoever enters them: the unit's allowance
    _import(logged_in(kecamatan_admin), city, instrument, period, 2)  # 2 + 2 > 3: the file is held whole
    assert Response.objects.countable().count() == 2
    assert Response.objects.held().count() == 2


def test_a_form_typed_in_after_imports_filled_the_allowance_is_held_and_the_clerk_is_told(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any, settings: Any
) -> None:
    settings.SURVEY_HOLD_PAPER_DAILY = 2
    client = logged_in(kecamatan_admin)
    _import(client, city, instrument, period, 2)  # exactly the allowance: counted
    page = _type_in(client, city, 1)
    typed = Response.objects.latest("pk")
    assert Response.objects.countable().count() == 2
    assert (typed.state, typed.reason) == (ResponseState.HELD, Reason.IMPORT)
    assert "Kuesioner tersimpan, tetapi ditahan untuk ditinjau sekretariat" in page


def test_typed_forms_beyond_the_allowance_are_stored_and_held(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any, settings: Any
) -> None:
    settings.SURVEY_HOLD_PAPER_DAILY = 3
    _type_in(logged_in(kecamatan_admin), city, 5)
    assert services.paper_forms_today(unit=city.kelurahan) == 5
    assert Response.objects.countable().count() == 3 and Response.objects.held().count() == 2


def test_a_background_import_past_the_allowance_is_held_and_its_page_says_so(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any, settings: Any
) -> None:
    settings.PAPER_IMPORT_SYNC_MAX_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SURVEY_HOLD_PAPER_DAILY = 4
    client = logged_in(kecamatan_admin)
    _type_in(client, city, 2)
    page = _import(client, city, instrument, period, 3).content.decode()  # 2 + 3 > 4
    job = ImportJob.objects.get()
    assert (job.status, job.created, job.held) == (ImportStatus.DONE, 3, True)
    assert Response.objects.held().count() == 3 and Response.objects.countable().count() == 2
    assert "ditahan untuk ditinjau sekretariat" in page


def _submissions(city: Any, instrument: Any, period: Any, count: int) -> list[services.Submission]:
    codes = list(instrument.elements.values_list("code", flat=True))
    return [
        services.Submission(
            key=uuid.uuid4(),
            unit=city.kelurahan,
            instrument=instrument,
            period=period,
            scores=dict.fromkeys(codes, 4),
            channel=Channel.IMPORT,
        )
        for _number in range(count)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_at_the_same_moment_cannot_both_slip_under_the_allowance(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any, settings: Any, monkeypatch: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so the two imports cannot truly race")
    settings.SURVEY_HOLD_PAPER_DAILY = 30
    barrier = threading.Barrier(2)
    real_count = responses.paper_forms_today
    errors: list[BaseException] = []

    def count_then_wait(**kwargs: Any) -> int:
        """Without the unit's lock both imports would read 0 here and meet at the barrier."""
        counted = real_count(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return counted

    def run(rows: list[services.Submission]) -> None:
        try:
            services.responses_import(submissions=rows, actor=kecamatan_admin, unit=city.kelurahan)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    earlier = builders.make_period(
        "Triwulan lalu",
        start=period.start - datetime.timedelta(days=90),
        end=period.start - datetime.timedelta(days=1),
        state=PeriodState.CLOSED,
    )  # late forms for a closed period: the two imports lock different periods, only the unit is shared
    batches = [_submissions(city, instrument, period, 20), _submissions(city, instrument, earlier, 20)]
    monkeypatch.setattr("surveys.services.responses.paper_forms_today", count_then_wait)
    threads = [threading.Thread(target=run, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    monkeypatch.undo()
    assert not errors, errors
    assert Response.objects.filter(state=ResponseState.COUNTED).count() == 20  # one file fits the allowance of 30
    assert Response.objects.held().count() == 20  # the other, counted after it, would pass it: held
