"""The posters page past a few units: per kecamatan or kind, with one "cetak semua" (issue 18, item 9)."""

from __future__ import annotations

from typing import Any

import pytest

from tests import builders
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db
POSTERS = "/petugas/poster/"


@pytest.fixture
def many_units(city: Any) -> None:
    """30 more kelurahan in Sukarami: 36 units in the city, more than one page should carry."""
    for number in range(30):
        builders.make_unit(
            f"16.71.07.{4000 + number}", kind="kelurahan", parent=city.other_kecamatan, area=city.other_kecamatan
        )


def posters_in(html: str) -> int:
    return html.count('<article class="poster"')


def test_past_thirty_units_the_page_offers_groups_and_one_print_all(many_units: None, secretariat: Any) -> None:
    html = logged_in(secretariat).get(POSTERS).content.decode()
    assert posters_in(html) == 0
    assert 'href="?semua=1">Cetak semua (36 poster)' in html
    assert 'href="?kecamatan=16.71.04">Kecamatan Ilir Barat I</a> (3)' in html  # itself, 24 Ilir, Puskesmas Dempo
    assert 'href="?kecamatan=16.71.07">Kecamatan Sukarami</a> (32)' in html
    assert 'href="?kecamatan=-">Perangkat daerah tanpa wilayah kecamatan</a> (1)' in html  # Dinas Kesehatan
    assert 'href="?jenis=kelurahan">Kelurahan</a> (32)' in html


def test_one_kecamatan_or_one_kind_prints_only_its_posters(city: Any, many_units: None, secretariat: Any) -> None:
    client = logged_in(secretariat)
    ilir_barat = client.get(POSTERS, {"kecamatan": city.kecamatan.code}).content.decode()
    assert posters_in(ilir_barat) == 3 and "Puskesmas Dempo" in ilir_barat and "Cetak semua" in ilir_barat
    assert posters_in(client.get(POSTERS, {"jenis": "puskesmas"}).content.decode()) == 1
    assert posters_in(client.get(POSTERS, {"kecamatan": "-"}).content.decode()) == 1


def test_print_all_prints_every_poster(many_units: None, secretariat: Any, django_assert_max_num_queries: Any) -> None:
    client = logged_in(secretariat)
    with django_assert_max_num_queries(6):
        html = client.get(POSTERS, {"semua": "1"}).content.decode()
    assert posters_in(html) == 36


@pytest.mark.parametrize("params", [{"kecamatan": "x"}, {"jenis": "planet"}, {"kecamatan": "<script>"}])
def test_an_unknown_group_says_so_and_offers_the_groups(many_units: None, secretariat: Any, params: Any) -> None:
    response = logged_in(secretariat).get(POSTERS, params)
    html = response.content.decode()
    assert response.status_code == 200 and posters_in(html) == 0
    assert "Kelompok poster yang dipilih tidak dikenal" in html and "<script>" not in html


def test_a_kecamatan_admin_cannot_print_another_kecamatans_posters(
    city: Any, many_units: None, kecamatan_admin: Any
) -> None:
    html = logged_in(kecamatan_admin).get(POSTERS, {"kecamatan": city.other_kecamatan.code}).content.decode()
    assert posters_in(html) == 2  # their own two units, as without the choice
    assert "Unit 16.71.07.4000" not in html and "Kecamatan Sukarami" not in html
