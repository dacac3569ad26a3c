"""Large bodies are refused before they are read: a visitor's at 64 KB, staff uploads at 6 MB,
and a chunked body whose size is not declared at all."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from surveys.models import Response
from tests.conftest import logged_in
from tests.surveys.citizen_support import filled_form

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


class Unread(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise AssertionError("the body was read")


def _post(client: Client, url: str, *, length: int | None, content_type: str, **headers: str) -> Any:
    extra: dict[str, Any] = {"wsgi.input": Unread(), **headers}
    if length is not None:
        extra["CONTENT_LENGTH"] = str(length)
    return client.generic("POST", url, b"", content_type=content_type, **extra)


def test_a_200_mb_anonymous_upload_is_refused_with_413_before_it_is_read(city: Any, instrument: Any) -> None:
    response = _post(
        Client(), f"/s/{city.kelurahan.code}/", length=200 * MB, content_type="multipart/form-data; boundary=x"
    )
    assert response.status_code == 413
    assert "Kiriman terlalu besar" in response.content.decode() and "64 KB" in response.content.decode()
    assert not Response.objects.exists()


def test_a_visitors_body_is_limited_to_64_kb_on_every_page(city: Any, instrument: Any, period: Any) -> None:
    for url in (
        "/akun/masuk/",
        f"/s/{city.kelurahan.code}/",
        "/i18n/setlang/",
        f"/petugas/unit/{city.kelurahan.code}/impor/",
    ):
        assert (
            _post(Client(), url, length=64 * 1024 + 1, content_type="application/x-www-form-urlencoded").status_code
            == 413
        )


def test_a_citizen_form_well_within_the_limit_is_stored(city: Any, instrument: Any, period: Any) -> None:
    response = Client().post(f"/s/{city.kelurahan.code}/", filled_form(instrument, suggestion="Baik " * 399))
    assert response.status_code == 302 and Response.objects.count() == 1


def test_a_chunked_body_without_a_length_is_refused_before_it_is_read(city: Any) -> None:
    response = _post(
        Client(),
        f"/s/{city.kelurahan.code}/",
        length=None,
        content_type="multipart/form-data; boundary=x",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 411
    assert "tanpa keterangan ukurannya" in response.content.decode()


def test_staff_may_upload_a_few_megabytes_but_not_more(city: Any, kecamatan_admin: Any) -> None:
    url = f"/petugas/unit/{city.kelurahan.code}/impor/"
    refused = _post(logged_in(kecamatan_admin), url, length=7 * MB, content_type="multipart/form-data; boundary=x")
    assert refused.status_code == 413 and "6144 KB" in refused.content.decode()
    body = b'--x\r\nContent-Disposition: form-data; name="berkas"; filename="a.xlsx"\r\n\r\n' + b"0" * (3 * MB)
    body += b"\r\n--x--\r\n"
    accepted = logged_in(kecamatan_admin).generic("POST", url, body, content_type="multipart/form-data; boundary=x")
    assert accepted.status_code == 400  # read, and refused by the import for what it is, not for its size
    assert "Excel" in accepted.content.decode()


def test_a_length_that_is_not_a_number_is_a_clear_400(city: Any) -> None:
    response = _post(Client(), f"/s/{city.kelurahan.code}/", length=None, content_type="text/plain", CONTENT_LENGTH="x")
    assert response.status_code == 400
