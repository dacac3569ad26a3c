"""Spreadsheet bombs through the paper import page: each gets a clear message, stores nothing,
queues nothing, and costs the server a bounded amount of memory."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys import imports
from surveys.models import AuditEvent, ImportJob, Response
from tests.conftest import logged_in
from tests.surveys.test_uploads import BOMB_IDS, BOMBS

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture
def template(city: Any, instrument: Any, period: Any) -> bytes:
    """The unit's real import template, with its signed token: without the guard, openpyxl
    would read each bomb as a genuine upload."""
    buffer = io.BytesIO()
    imports.build_template(unit=city.kelurahan, period=period, instrument=instrument).save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("bomb", "message"), BOMBS, ids=BOMB_IDS)
def test_a_bomb_uploaded_for_import_is_refused_clearly_and_stores_nothing(
    city: Any, kecamatan_admin: Any, template: bytes, bomb: Callable[[bytes], bytes], message: str
) -> None:
    content = bomb(template)
    client = logged_in(kecamatan_admin)
    audit_before = AuditEvent.objects.count()
    tracemalloc.start()
    try:
        response = client.post(
            reverse("paper-import", args=[city.kelurahan.code]),
            {"berkas": SimpleUploadedFile("isian.xlsx", content)},
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tidak ada yang diimpor" in page and message in page
    assert not Response.objects.exists() and not ImportJob.objects.exists()
    assert AuditEvent.objects.count() == audit_before
    assert peak < 32 * MB, f"{peak / MB:.1f} MB"  # the upload itself is at most 1.5 MB
