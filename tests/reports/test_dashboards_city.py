"""The city dashboard: each unit's figures, the city figures and peer ranks against the engine."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import indices, ranking
from surveys.models import UnitPopulation
from tests import builders
from tests.conftest import logged_in
from tests.reports.engine_support import engine, shown

pytestmark = pytest.mark.django_db
CITY = reverse("city-dashboard")


@pytest.fixture
def scored(city, instrument, period):
    """Three units with responses; the rest of the city has none."""
    rows = {
        city.kelurahan: [[4] * 9, [3] * 9, [4, 3, 4, 3, 4, 3, 4, 3, 4]],
        city.other_kelurahan: [[2] * 9, [3] * 9],
        city.puskesmas: [[3, 3, 3, 3, 3, 3, 3, 3, 2]],
    }
    for unit, unit_rows in rows.items():
        for scores in unit_rows:
            builders.make_response(unit, scores, instrument=instrument, period=period)
    return rows


def rows_by_code(page):
    return {row.unit.code: row for row in page.context["dashboard"].rows}


def test_each_unit_row_equals_the_engine(city, period, scored, secretariat):
    UnitPopulation.objects.create(unit=city.kelurahan, period=period, population=10)
    page = logged_in(secretariat).get(CITY)
    assert page.status_code == 200
    rows = rows_by_code(page)
    assert shown(rows[city.kelurahan.code].figures.result) == shown(engine(scored[city.kelurahan], population=10))
    assert shown(rows[city.other_kelurahan.code].figures.result) == shown(engine(scored[city.other_kelurahan]))
    assert rows[city.kelurahan.code].below_minimum
    assert rows[city.dinkes.code].figures.respondents == 0
    assert city.root.code not in rows  # the city itself is not a service unit row


def test_the_city_figures_are_pooled_and_mean_each_labelled_with_its_units(city, scored, secretariat):
    dashboard = logged_in(secretariat).get(CITY).context["dashboard"]
    everything = [row for unit_rows in scored.values() for row in unit_rows]
    assert dashboard.pooled.result.nik == engine(everything).nik
    assert dashboard.pooled_units == 3
    mean = indices.mean_of_indices([engine(unit_rows) for unit_rows in scored.values()])
    assert dashboard.mean_nik == indices.round_nik(mean.nik)
    assert dashboard.mean_units == 3
    assert {row.unit.code for row in dashboard.no_data} == {
        city.dinkes.code,
        city.kecamatan.code,
        city.other_kecamatan.code,
    }


def test_grade_distribution_counts_each_units_band(city, scored, secretariat):
    dashboard = logged_in(secretariat).get(CITY).context["dashboard"]
    expected = {grade: 0 for grade in "ABCD"}
    for unit_rows in scored.values():
        expected[engine(unit_rows).grade] += 1
    assert {grade.grade: grade.units for grade in dashboard.grades} == expected


def test_kelurahan_are_ranked_among_kelurahan_with_an_uncertainty_range(city, scored, secretariat):
    rows = rows_by_code(logged_in(secretariat).get(CITY))
    better, worse = rows[city.kelurahan.code], rows[city.other_kelurahan.code]
    assert (better.peer_rank.rank, better.peer_rank.of) == (1, 2)
    assert (worse.peer_rank.rank, worse.peer_rank.of) == (2, 2)
    assert better.peer_rank.best == 1 and better.peer_rank.worst == 2  # the intervals overlap
    assert rows[city.puskesmas.code].peer_rank.of == 1


def test_peer_ranks_separate_units_whose_intervals_do_not_overlap():
    def result(nik: str, low: str, high: str) -> indices.IndexResult:
        base = engine([[3] * 9, [3] * 9])
        ci = indices.ConfidenceInterval(Fraction(low), Fraction(high))
        return indices.IndexResult(**{**base.__dict__, "nik": Fraction(nik), "ci": ci})

    ranks = ranking.peer_ranks(
        {1: result("90", "88", "92"), 2: result("80", "78", "82"), 3: result("81", "79", "83"), 4: engine([])}
    )
    assert ranks[1] == ranking.PeerRank(rank=1, best=1, worst=1, of=3)
    assert ranks[3] == ranking.PeerRank(rank=2, best=2, worst=3, of=3)
    assert ranks[2] == ranking.PeerRank(rank=3, best=2, worst=3, of=3)
    assert 4 not in ranks


def test_filters_by_kind_and_kecamatan(city, scored, secretariat):
    client = logged_in(secretariat)
    by_kind = rows_by_code(client.get(CITY, {"kind": "kelurahan"}))
    assert set(by_kind) == {city.kelurahan.code, city.other_kelurahan.code}
    in_kecamatan = rows_by_code(client.get(CITY, {"kecamatan": str(city.kecamatan.pk)}))
    assert set(in_kecamatan) == {city.kecamatan.code, city.kelurahan.code, city.puskesmas.code}
    page = client.get(CITY, {"kind": "kelurahan", "kecamatan": str(city.kecamatan.pk)})
    dashboard = page.context["dashboard"]
    assert dashboard.pooled.result.nik == engine(scored[city.kelurahan]).nik
    assert dashboard.pooled_units == 1
    assert "Nilai IKM gabungan unit yang ditampilkan" in page.text and "Nilai IKM kota" not in page.text


def test_sorting_by_nik_name_and_respondents(city, scored, secretariat):
    client = logged_in(secretariat)
    by_nik = [row.unit.code for row in client.get(CITY, {"sort": "-nik"}).context["dashboard"].rows][:3]
    assert by_nik == [city.kelurahan.code, city.puskesmas.code, city.other_kelurahan.code]
    ascending = [row.unit.code for row in client.get(CITY, {"sort": "nik"}).context["dashboard"].rows][:3]
    assert ascending == list(reversed(by_nik))
    by_name = [row.unit.name for row in client.get(CITY, {"sort": "nama"}).context["dashboard"].rows]
    assert by_name == sorted(by_name, key=str.casefold)
    by_n = [row.figures.respondents for row in client.get(CITY, {"sort": "-n"}).context["dashboard"].rows]
    assert by_n == sorted(by_n, reverse=True)


def test_every_row_links_to_that_units_dashboard(city, scored, period, secretariat):
    page = logged_in(secretariat).get(CITY)
    target = reverse("unit-dashboard", args=[city.other_kelurahan.code]) + f"?period=p-{period.pk}"
    assert f'href="{target}"' in page.text
    assert logged_in(secretariat).get(target).status_code == 200


@pytest.mark.parametrize("params", [{"kind": "planet"}, {"kecamatan": "x"}, {"sort": "drop table"}, {"period": "th-x"}])
def test_bad_filters_get_a_message_and_the_defaults(city, scored, secretariat, params):
    page = logged_in(secretariat).get(CITY, params)
    assert page.status_code == 200
    assert "Sebagian pilihan tidak dapat dipakai" in page.text
    assert len(page.context["dashboard"].rows) == 6


def test_a_period_without_responses_lists_every_unit_as_without_data(city, period, secretariat):
    page = logged_in(secretariat).get(CITY)
    dashboard = page.context["dashboard"]
    assert dashboard.pooled.result.has_data is False
    assert dashboard.mean_nik is None and dashboard.mean_units == 0
    assert len(dashboard.no_data) == len(dashboard.rows) == 6
    assert "Belum ada data" in page.text


def test_unit_admins_cannot_open_the_city_dashboard(city, kecamatan_admin):
    assert logged_in(kecamatan_admin).get(CITY).status_code == 404


def test_the_query_count_does_not_grow_with_units_or_responses(city, instrument, period, scored, secretariat):
    client = logged_in(secretariat)
    with CaptureQueriesContext(connection) as before:
        client.get(CITY)
    for number in range(5):
        unit = builders.make_unit(f"16.71.07.20{number}", kind="kelurahan", parent=city.other_kecamatan)
        builders.make_response(unit, [3] * 9, instrument=instrument, period=period)
        UnitPopulation.objects.create(unit=unit, period=period, population=100)
    with CaptureQueriesContext(connection) as after:
        page = client.get(CITY)
    assert len(after) == len(before) <= 14
    assert len(page.context["dashboard"].rows) == 11


def test_a_respondent_who_skipped_an_element_is_still_counted_exactly(city, instrument, period, scored, secretariat):
    partial = [4, None, 3, 3, 3, 3, 3, 3, 3]
    builders.make_response(city.kelurahan, partial, instrument=instrument, period=period)
    dashboard = logged_in(secretariat).get(CITY).context["dashboard"]
    rows = {row.unit.code: row for row in dashboard.rows}
    assert shown(rows[city.kelurahan.code].figures.result) == shown(engine([*scored[city.kelurahan], partial]))
    assert shown(rows[city.puskesmas.code].figures.result) == shown(engine(scored[city.puskesmas]))
    everything = [row for unit_rows in scored.values() for row in unit_rows] + [partial]
    assert dashboard.pooled.result.nik == engine(everything).nik


def test_with_complete_answers_the_table_reads_no_answers(city, scored, secretariat):
    with CaptureQueriesContext(connection) as captured:
        logged_in(secretariat).get(CITY)
    assert not any("surveys_answer" in query["sql"] for query in captured.captured_queries)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(2500, 10000), st.integers(0, 800), st.integers(0, 800)), max_size=25))
def test_peer_ranks_match_their_definition(points):
    base = engine([[3] * 9, [3] * 9])
    results = {
        unit_id: indices.IndexResult(
            **{
                **base.__dict__,
                "nik": Fraction(nik, 100),
                "ci": indices.ConfidenceInterval(Fraction(nik - below, 100), Fraction(nik + above, 100)),
            }
        )
        for unit_id, (nik, below, above) in enumerate(points)
    }
    ranks = ranking.peer_ranks(results)
    for unit_id, result in results.items():
        others = [other for other in results.values() if other is not result]
        assert ranks[unit_id] == ranking.PeerRank(
            rank=1 + sum(other.nik > result.nik for other in others),
            best=1 + sum(other.ci.low > result.ci.high for other in others),
            worst=len(results) - sum(other.ci.high < result.ci.low for other in others),
            of=len(results),
        )
