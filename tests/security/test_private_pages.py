"""Staff pages and downloads are never kept by a browser or a shared cache; public pages may be."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import logged_in
from tests.test_permissions import MATRIX, Row
from tests.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(city: Any, instrument: Any, secretariat: Any, kecamatan_admin: Any, other_admin: Any) -> World:
    return build_world(city, instrument, secretariat, admins=(kecamatan_admin, other_admin))


def _never_cached(response: Any) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives and "public" not in directives


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: f"{row.method} {row.name}")
def test_every_staff_page_and_download_is_marked_no_store(
    world: World, kecamatan_admin: Any, secretariat: Any, row: Row
) -> None:
    client = logged_in(secretariat if row.scope == "secretariat" else kecamatan_admin)
    response = client.post(row.own(world)) if row.method == "POST" else client.get(row.own(world))
    assert response.status_code < 500
    assert _never_cached(response), (row.name, response.status_code, response.get("Cache-Control"))


def test_the_downloads_are_attachments_marked_no_store(world: World, kecamatan_admin: Any) -> None:
    client = logged_in(kecamatan_admin)
    downloads = [
        f"/laporan/ekspor/{world.job.pk}/unduh/",
        f"/laporan/unit/{world.city.kelurahan.code}/periode/{world.closed.pk}/workbook.xlsx",
        f"/petugas/unit/{world.city.kelurahan.code}/impor/templat/{world.open_period.pk}/",
    ]
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment"), url
        assert _never_cached(response), url


def test_public_pages_for_a_visitor_are_not_marked_private(world: World) -> None:
    for url in ("/", "/hasil/", f"/hasil/{world.slug}/", f"/s/{world.city.kelurahan.code}/qr.svg"):
        response = Client().get(url)
        assert response.status_code == 200 and "private" not in response.get("Cache-Control", ""), url
