"""The unit finder at /s/: active units grouped by kind, searchable by name, kind or kecamatan."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from surveys.selectors import active_instrument_for, open_period_on, survey_units_by_kind
from tests import builders

pytestmark = pytest.mark.django_db


def headings(html: str) -> list[str]:
    return re.findall(r'<h2 id="kind-[^"]+">([^<]+)</h2>', html)


def test_the_finder_groups_active_units_by_kind_and_links_each_to_its_form(
    city: Any, django_assert_max_num_queries: Any
) -> None:
    builders.make_unit("16.71.07.1099", name="Kelurahan Tutup", parent=city.other_kecamatan, is_active=False)
    with django_assert_max_num_queries(2):
        html = Client().get("/s/").content.decode()
    assert headings(html) == ["Perangkat daerah", "Kecamatan", "Kelurahan", "Puskesmas"]
    assert f'href="/s/{city.puskesmas.code}/"' in html
    assert "Pemerintah Kota Palembang" not in html  # the city itself is not a counter
    assert "Kelurahan Tutup" not in html


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("dempo", {"Puskesmas Dempo"}),
        ("puskesmas", {"Puskesmas Dempo"}),
        ("ilir barat", {"Ilir Barat I", "24 Ilir", "Puskesmas Dempo"}),  # the kecamatan, and what lies in it
        ("SUKARAMI", {"Sukarami"}),
        ("tidak-ada", set()),
    ],
)
def test_the_search_matches_name_kind_or_kecamatan(city: Any, search: str, expected: set[str]) -> None:
    names = {unit.name for group in survey_units_by_kind(search) for unit in group.units}
    assert names == expected
    html = Client().get("/s/", {"q": search}).content.decode()
    assert f'value="{search}"' in html


def test_a_search_with_no_match_says_so(city: Any) -> None:
    html = Client().get("/s/", {"q": "<b>zzz</b>"}).content.decode()
    assert "Tidak ada unit layanan yang cocok" in html
    assert "<b>zzz</b>" not in html and "&lt;b&gt;zzz&lt;/b&gt;" in html


def test_the_active_instrument_is_the_units_own_before_the_city_wide_one(city: Any, instrument: Any) -> None:
    assert active_instrument_for(city.puskesmas) == instrument
    own = builders.make_instrument(unit=city.puskesmas)
    assert active_instrument_for(city.puskesmas) == own
    assert active_instrument_for(city.kelurahan) == instrument
    draft_only = builders.make_instrument(published=False, unit=city.kelurahan)
    assert active_instrument_for(city.kelurahan) != draft_only


def test_the_open_period_is_the_one_containing_today(db: Any) -> None:
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    builders.make_period(
        "Ditutup", start=today - datetime.timedelta(days=30), end=today - datetime.timedelta(days=1), state="closed"
    )
    month = builders.make_period("Bulan", start=today, end=today + datetime.timedelta(days=5))
    assert open_period_on(today) == month
    assert open_period_on(today - datetime.timedelta(days=3)) is None  # that period is closed
    assert open_period_on(today + datetime.timedelta(days=500)) is None
