"""The paper data-entry screen: one questionnaire per screen, channel paper, the form's checks."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Channel, Response
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def _post_data(page: str, **changes: Any) -> dict[str, Any]:
    """The fields a clerk types for one paper form (the unit's service is taken from the page)."""
    key = re.search(r'name="key" value="([0-9a-f-]+)"', page)
    data: dict[str, Any] = {
        "key": key.group(1) if key else str(uuid.uuid4()),
        "submitted_on": timezone.localdate().isoformat(),
        "service": "",  # filled with the unit's service id by the caller
        "age": "41",
        "sex": "L",
        "education": "SMA",
        "occupation": "swasta",
        "suggestion": "Loket kurang",
    }
    for code in ("PERSYARATAN", "PROSEDUR", "WAKTU", "BIAYA", "PRODUK", "KOMPETENSI", "PERILAKU", "SARANA"):
        data[f"element_{code}"] = "3"
    data["element_PENGADUAN"] = "4"
    service = re.search(r'<option value="(\d+)">Surat keterangan domisili</option>', page)
    data["service"] = service.group(1) if service else ""
    data.update(changes)
    return data


def test_a_paper_form_is_stored_with_the_paper_channel_and_a_fresh_form_follows(
    kecamatan_admin: Any, city: Any, instrument: Any, period: Any
) -> None:
    client = logged_in(kecamatan_admin)
    url = reverse("paper-entry", args=[city.kelurahan.code])
    page = client.get(url).content.decode()
    assert 'inputmode="numeric"' in page and "U1 Persyaratan" in page
    response = client.post(url, _post_data(page))
    assert response.status_code == 302 and response["Location"].startswith(url + "?tanggal=")
    stored = Response.objects.get()
    assert stored.channel == Channel.PAPER and stored.period == period and stored.instrument == instrument
    assert (stored.score_sum, stored.answered, stored.age, stored.suggestion) == (28, 9, 41, "Loket kurang")
    follow = client.get(response["Location"]).content.decode()
    assert "Kuesioner tersimpan" in follow and "1 formulir kertas sudah dimasukkan" in follow


def test_pressing_save_twice_stores_the_questionnaire_once(
    kecamatan_admin: Any, city: Any, instrument: Any, period: Any
) -> None:
    client = logged_in(kecamatan_admin)
    url = reverse("paper-entry", args=[city.kelurahan.code])
    data = _post_data(client.get(url).content.decode())
    client.post(url, data)
    again = client.post(url, data, follow=True).content.decode()
    assert Response.objects.count() == 1
    assert "sudah tersimpan sebelumnya" in again


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"element_WAKTU": ""}, "Isi nilai 1 sampai 4."),
        ({"element_WAKTU": "5"}, "Nilai harus angka bulat 1 sampai 4."),
        ({"age": "9"}, "Usia paling rendah 10 tahun."),
        ({"age": ""}, "Isi usia responden dalam tahun."),
        ({"submitted_on": "2001-01-01"}, "Tidak ada periode survei pada tanggal ini."),
        ({"service": "999999"}, "Pilih salah satu jawaban."),
        ({"service": "lainnya"}, "Tulis layanan lain yang ditulis responden."),
        ({"occupation": "lainnya"}, "Tulis pekerjaan lain yang ditulis responden."),
    ],
)
def test_a_bad_paper_form_says_what_is_wrong_and_stores_nothing(
    kecamatan_admin: Any, city: Any, instrument: Any, period: Any, changes: dict[str, str], message: str
) -> None:
    client = logged_in(kecamatan_admin)
    url = reverse("paper-entry", args=[city.kelurahan.code])
    response = client.post(url, _post_data(client.get(url).content.decode(), **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Response.objects.count() == 0


def test_another_units_admin_gets_a_404(other_admin: Any, city: Any, instrument: Any, period: Any) -> None:
    assert logged_in(other_admin).get(reverse("paper-entry", args=[city.kelurahan.code])).status_code == 404


def test_the_entry_screen_needs_a_login(client: Any, city: Any, instrument: Any) -> None:
    response = client.get(reverse("paper-entry", args=[city.kelurahan.code]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_paper_form_speaks_to_the_clerk_not_to_the_citizen(
    kecamatan_admin: Any, city: Any, instrument: Any, period: Any
) -> None:
    page = logged_in(kecamatan_admin).get(reverse("paper-entry", args=[city.kelurahan.code])).content.decode()
    assert "Layanan yang diterima responden" in page and "Usia responden (tahun)" in page
    assert "Anda" not in page.split("<main")[1]


@pytest.mark.parametrize("typed", ["{iso}", "{day:02d}/{month:02d}/{year}", "{day:02d}-{month:02d}-{year}"])
def test_every_date_format_the_hint_names_is_accepted_and_read_day_first(
    kecamatan_admin: Any, city: Any, instrument: Any, period: Any, typed: str
) -> None:
    client = logged_in(kecamatan_admin)
    url = reverse("paper-entry", args=[city.kelurahan.code])
    page = client.get(url).content.decode()
    assert "TTTT-BB-HH atau HH/BB/TTTT" in page
    today = timezone.localdate()
    text = typed.format(iso=today.isoformat(), day=today.day, month=today.month, year=today.year)
    assert client.post(url, _post_data(page, submitted_on=text)).status_code == 302
    assert timezone.localtime(Response.objects.get().submitted_at).date() == today


def test_a_date_in_another_format_is_refused_with_the_formats_named(
    kecamatan_admin: Any, city: Any, instrument: Any, period: Any
) -> None:
    client = logged_in(kecamatan_admin)
    url = reverse("paper-entry", args=[city.kelurahan.code])
    page = client.get(url).content.decode()
    refused = client.post(url, _post_data(page, submitted_on="14 Maret 2026")).content.decode()
    assert "Tulis tanggal sebagai TTTT-BB-HH atau HH/BB/TTTT" in refused and Response.objects.count() == 0
