"""Finding one's way through 200 units on the city dashboard: a trend, every column sorted,
filters that stick, a search and pages (issue 18, item 9)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.city_table import CITY_SORTS
from surveys.models import UnitPopulation
from tests import builders
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db
CITY = reverse("city-dashboard")


@pytest.fixture
def scored(city, instrument, period):
    rows = {
        city.kelurahan: [[4] * 9, [3] * 9, [4, 3, 4, 3, 4, 3, 4, 3, 4]],
        city.other_kelurahan: [[2] * 9, [3] * 9],
        city.puskesmas: [[3, 3, 3, 3, 3, 3, 3, 3, 2]],
    }
    for unit, unit_rows in rows.items():
        for scores in unit_rows:
            builders.make_response(unit, scores, instrument=instrument, period=period)
    UnitPopulation.objects.create(unit=city.kelurahan, period=period, population=10)
    UnitPopulation.objects.create(unit=city.other_kelurahan, period=period, population=4)
    return rows


def codes(page) -> list[str]:
    return [row.unit.code for row in page.context["page"].object_list]


def test_the_city_trend_shows_every_period_up_to_the_chosen_one(city, instrument, period, scored, secretariat):
    today = timezone.localdate()
    earlier = builders.make_period(
        "Triwulan Lalu", start=today - datetime.timedelta(days=130), end=today - datetime.timedelta(days=31)
    )
    builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=earlier)
    page = logged_in(secretariat).get(CITY)
    assert [point.period.name for point in page.context["dashboard"].trend] == ["Triwulan Lalu", "Triwulan Uji"]
    chart = page.context["trend_chart"]
    assert 'role="img"' in chart and "Triwulan Lalu: 25,00" in chart and "Tren Nilai IKM kota" in chart
    by_kind = logged_in(secretariat).get(CITY, {"kind": "puskesmas"})
    assert [point.figures.respondents for point in by_kind.context["dashboard"].trend] == [1]  # its first period


@pytest.mark.parametrize("sort", CITY_SORTS)
def test_every_column_sorts_both_ways_and_rows_without_a_value_come_last(city, scored, secretariat, sort):
    page = logged_in(secretariat).get(CITY, {"sort": sort})
    assert page.status_code == 200 and "Sebagian pilihan" not in page.text
    rows = page.context["dashboard"].rows
    assert len(rows) == 6
    assert f'aria-sort="{"descending" if sort.startswith("-") else "ascending"}"' in page.text


def test_the_orders_are_what_the_columns_say(city, scored, secretariat):
    client = logged_in(secretariat)
    best_first = [city.kelurahan.code, city.puskesmas.code, city.other_kelurahan.code]
    assert codes(client.get(CITY, {"sort": "-mutu"}))[:3] == best_first
    assert codes(client.get(CITY, {"sort": "mutu"}))[:3] == list(reversed(best_first))
    # The interval by its lower bound; one respondent (Puskesmas Dempo) has no interval: last, by name.
    by_interval = codes(client.get(CITY, {"sort": "-sk"}))
    assert by_interval[:2] == [city.kelurahan.code, city.other_kelurahan.code]
    assert by_interval.index(city.puskesmas.code) > by_interval.index(city.dinkes.code)  # "Dinas" < "Puskesmas"
    # Sample: 24 Ilir 3 of its minimum 10, Sukarami 2 of 4; units without a population last.
    assert codes(client.get(CITY, {"sort": "sampel"}))[:2] == [city.kelurahan.code, city.other_kelurahan.code]
    assert codes(client.get(CITY, {"sort": "-sampel"}))[:2] == [city.other_kelurahan.code, city.kelurahan.code]
    by_rank = codes(client.get(CITY, {"sort": "peringkat"}))
    assert by_rank.index(city.kelurahan.code) < by_rank.index(city.other_kelurahan.code)


def test_each_heading_links_to_its_own_sort_and_a_second_click_reverses(city, scored, secretariat):
    page = logged_in(secretariat).get(CITY, {"sort": "-mutu", "kind": "kelurahan"})
    links = {column.key: column.query for column in page.context["columns"]}
    assert set(links) == {"nama", "n", "nik", "mutu", "sk", "sampel", "peringkat"}
    assert "sort=mutu" in links["mutu"] and "kind=kelurahan" in links["mutu"]
    assert "sort=-n" in links["n"] and "sort=nama" in links["nama"] and "sort=peringkat" in links["peringkat"]


def test_a_search_finds_units_by_name_or_code(city, scored, secretariat):
    page = logged_in(secretariat).get(CITY, {"q": "DEMPO"})
    assert codes(page) == [city.puskesmas.code]
    assert "1 dari 6 cocok dengan pencarian" in page.text
    by_code = codes(logged_in(secretariat).get(CITY, {"q": "16.71.07"}))
    assert set(by_code) == {city.other_kecamatan.code, city.other_kelurahan.code}


def test_filters_stick_until_they_are_cleared(city, scored, secretariat):
    client = logged_in(secretariat)
    client.get(CITY, {"kind": "kelurahan", "sort": "nama", "page": "1"})
    back = client.get(CITY)
    assert back.status_code == 302 and back["Location"] == f"{CITY}?kind=kelurahan&sort=nama"
    cleared = client.get(CITY, {"hapus": "1"})
    assert cleared.status_code == 302 and cleared["Location"] == CITY
    assert client.get(CITY).status_code == 200


def test_kept_filters_that_can_no_longer_be_used_are_forgotten(city, scored, secretariat):
    client = logged_in(secretariat)
    client.get(CITY, {"kind": "kelurahan"})
    page = client.get(CITY, {"period": "p-999999"})  # e.g. a period deleted since
    assert "Sebagian pilihan tidak dapat dipakai" in page.text
    assert client.get(CITY).status_code == 200  # no redirect back to the error


def test_two_hundred_units_come_fifty_to_a_page(city, instrument, period, secretariat):
    for number in range(200):
        builders.make_unit(f"16.71.07.{3000 + number}", kind="kelurahan", parent=city.other_kecamatan)
    client = logged_in(secretariat)
    first = client.get(CITY, {"sort": "nama"})
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 5  # 206 units
    assert len(first.content) < 70_000  # the whole table was 140 KB
    assert 'aria-current="page">1<' in first.text and "sort=nama&amp;page=2" in first.text
    last = client.get(CITY, {"sort": "nama", "page": "99"})  # beyond the end: the last page
    assert last.context["page"].number == 5 and len(last.context["page"].object_list) == 6
    assert "dan 186 unit lainnya" in first.text  # 206 without data, 20 listed


@pytest.mark.parametrize("page_number", ["0", "-1", "abc", "1" * 30])
def test_a_bad_page_number_gets_a_message_and_the_first_page(city, scored, secretariat, page_number):
    page = logged_in(secretariat).get(CITY, {"page": page_number})
    assert page.status_code == 200
    assert "Sebagian pilihan tidak dapat dipakai" in page.text
    assert page.context["page"].number == 1
