"""The home page leads a citizen to the survey first (find a unit, or scan the QR code), then to
the published results; it works without JavaScript (a plain GET form)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import builders

pytestmark = pytest.mark.django_db


def test_the_survey_comes_before_the_results_and_the_staff_login(city: Any) -> None:
    html = Client().get("/").content.decode().split('<main id="main"')[1]  # below the site menu
    survey, results, staff = (html.index(text) for text in ('id="home-q"', 'href="/hasil/"', "Masuk petugas"))
    assert survey < results < staff
    assert "kode QR" in html and 'method="get"' in html and 'href="/s/"' in html


def test_searching_lists_matching_active_units_with_links_to_their_survey(city: Any) -> None:
    builders.make_unit("16.71.04.1099", name="Kelurahan 99 Ilir Tutup", parent=city.kecamatan, is_active=False)
    html = Client().get("/", {"q": "ilir"}).content.decode()
    assert f'href="/s/{city.kelurahan.code}/"' in html
    assert "Tutup" not in html
    assert f'href="/s/{city.other_kelurahan.code}/"' not in html
    assert "Pemerintah Kota Palembang" not in html


def test_a_search_without_a_match_says_so(city: Any) -> None:
    html = Client().get("/", {"q": "tidak-ada-unit"}).content.decode()
    assert "Tidak ada unit layanan yang cocok" in html


def test_a_long_search_is_cut_and_costs_one_query(city: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(1):
        response = Client().get("/", {"q": "x" * 5000})
    assert response.status_code == 200
