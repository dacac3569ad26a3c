"""The unit dashboard: every number equals the index engine on the same responses."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import indices
from surveys import services
from surveys.models import ExclusionProposal, UnitPopulation
from tests import builders
from tests.conftest import logged_in
from tests.reports.engine_support import engine, shown

pytestmark = pytest.mark.django_db

ROWS = [
    ([4, 3, 3, 4, 3, 2, 4, 3, 3], {"sex": "L", "age": 19, "education": "SMA", "occupation": "swasta"}),
    ([2, 2, 3, 4, 3, 3, 3, 2, 1], {"sex": "P", "age": 34, "education": "S1", "occupation": "PNS"}),
    ([3, 3, 3, 3, 3, 3, 3, 3, 3], {"sex": "P", "age": 61, "education": "S1", "occupation": "PNS"}),
    ([4, 4, 4, 4, 4, 4, 4, 4, 2], {"sex": "L"}),
]


def url(unit, **params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("unit-dashboard", args=[unit.code]) + (f"?{query}" if query else "")


@pytest.fixture
def answered(city, instrument, period):
    for scores, profile in ROWS:
        builders.make_response(city.kelurahan, scores, instrument=instrument, period=period, **profile)
    return [scores for scores, _profile in ROWS]


def test_the_headline_equals_the_engine_on_the_same_responses(city, period, answered, kecamatan_admin):
    UnitPopulation.objects.create(unit=city.kelurahan, period=period, population=50)
    page = logged_in(kecamatan_admin).get(url(city.kelurahan, period=f"p-{period.pk}"))
    assert page.status_code == 200
    expected = engine(answered, population=50)
    dashboard = page.context["dashboard"]
    assert dashboard.overall.result == expected
    shown = f"{indices.round_nik(expected.nik)}".replace(".", ",")
    assert shown in page.text
    assert expected.grade in page.text
    assert dashboard.overall.sample == indices.sample_adequacy(4, 50)
    assert "Belum sesuai" in page.text
    assert f"{indices.round_nik(expected.ci.low)}".replace(".", ",") in page.text


def test_each_element_row_equals_the_engine_and_the_three_lowest_and_their_ties_are_priorities(
    city, answered, kecamatan_admin
):
    dashboard = logged_in(kecamatan_admin).get(url(city.kelurahan)).context["dashboard"]
    expected = engine(answered)
    assert [row.result for row in dashboard.elements] == list(expected.elements)
    third = sorted(element.nrr for element in expected.elements)[2]
    lowest = sorted((e for e in expected.elements if e.nrr <= third), key=lambda element: element.nrr)
    assert len(lowest) == 4  # two elements tie for the third-lowest NRR: both are priorities
    assert [row.code for row in dashboard.priorities] == [element.code for element in lowest]
    assert "unsur yang NRR-nya sama dengan unsur ketiga ikut menjadi prioritas" in page_text(kecamatan_admin, city)
    assert dashboard.elements[8].counts == (1, 1, 2, 0)  # PENGADUAN got 3, 1, 3 and 2
    assert sum(dashboard.elements[0].counts) == 4


def test_respondent_groups_each_equal_the_engine_on_their_own_responses(city, answered, kecamatan_admin):
    dashboard = logged_in(kecamatan_admin).get(url(city.kelurahan)).context["dashboard"]
    tables = {table.dimension: {row.key: row for row in table.rows} for table in dashboard.groups}
    assert shown(tables["sex"]["L"].figures.result) == shown(engine([answered[0], answered[3]]))
    assert shown(tables["sex"]["P"].figures.result) == shown(engine([answered[1], answered[2]]))
    assert set(tables["age_band"]) == {"<20", "30-39", ">=60", ""}
    assert tables["age_band"][""].label == "Tidak diisi"
    assert tables["education"]["S1"].figures.respondents == 2
    assert shown(tables["occupation"]["PNS"].figures.result) == shown(engine([answered[1], answered[2]]))


def test_breakdowns_stay_exact_when_a_respondent_skipped_an_element(city, instrument, period, kecamatan_admin):
    rows = [[4] * 9, [2, None, 3, 3, 3, 3, 3, 3, 3]]
    for scores in rows:
        builders.make_response(city.kelurahan, scores, instrument=instrument, period=period, sex="P")
    dashboard = logged_in(kecamatan_admin).get(url(city.kelurahan)).context["dashboard"]
    expected = engine(rows)
    assert dashboard.overall.result == expected
    assert shown(dashboard.groups[0].rows[0].figures.result) == shown(expected)
    assert shown(dashboard.services[0].figures.result) == shown(expected)
    assert shown(dashboard.trend[0].figures.result) == shown(expected)


def test_results_per_service_and_the_service_filter(city, instrument, period, kecamatan_admin):
    other = builders.make_service(city.kelurahan, "Surat keterangan usaha")
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period, service=city.service)
    builders.make_response(city.kelurahan, [2] * 9, instrument=instrument, period=period, service=other)
    client = logged_in(kecamatan_admin)
    services = {row.label: row for row in client.get(url(city.kelurahan)).context["dashboard"].services}
    assert services["Surat keterangan domisili"].figures.nik == Decimal("100.00")
    assert services["Surat keterangan usaha"].figures.nik == Decimal("50.00")
    filtered = client.get(url(city.kelurahan, service=str(other.pk))).context["dashboard"]
    assert filtered.overall.result == engine([[2] * 9])


def test_the_channel_filter_keeps_only_that_channel(city, instrument, period, kecamatan_admin):
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period, channel="paper")
    dashboard = logged_in(kecamatan_admin).get(url(city.kelurahan, channel="paper")).context["dashboard"]
    assert dashboard.overall.result == engine([[1] * 9])


def test_cumulative_and_year_choices_pool_responses_and_the_trend_shows_each_period(city, instrument, kecamatan_admin):
    first = builders.make_period("TW I", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    second = builders.make_period("TW II", start=datetime.date(2026, 4, 1), end=datetime.date(2026, 6, 30))
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=first)
    builders.make_response(city.kelurahan, [2] * 9, instrument=instrument, period=second)
    client = logged_in(kecamatan_admin)
    cumulative = client.get(url(city.kelurahan, period=f"sd-{second.pk}")).context["dashboard"]
    assert cumulative.overall.result == engine([[4] * 9, [2] * 9])
    assert cumulative.choice.label == "s.d. TW II"
    year = client.get(url(city.kelurahan, period="th-2026")).context["dashboard"]
    assert year.overall.nik == Decimal("75.00")
    assert [(point.period, point.figures.nik) for point in year.trend] == [
        (first, Decimal("100.00")),
        (second, Decimal("50.00")),
    ]


def test_an_exclusion_changes_the_index_only_once_the_secretariat_confirms(
    city, instrument, period, kecamatan_admin, secretariat
):
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    junk = builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period)
    client = logged_in(kecamatan_admin)
    assert client.get(url(city.kelurahan)).context["dashboard"].overall.nik == Decimal("62.50")
    client.post(reverse("response-exclusion", args=[city.kelurahan.code, junk.pk]), {"reason": "Iklan, bukan saran"})
    page = client.get(url(city.kelurahan))
    assert page.context["dashboard"].overall.nik == Decimal("62.50")
    assert "1 diusulkan tidak dihitung" in page.text
    services.exclusion_decide(proposal=ExclusionProposal.objects.get(), user=secretariat, confirm=True)
    page = client.get(url(city.kelurahan))
    assert page.context["dashboard"].overall.nik == Decimal("100.00")
    assert "1 tidak dihitung: Dikeluarkan setelah diusulkan" in page.text


def test_a_new_unit_shows_that_there_is_no_data_yet(city, period, kecamatan_admin):
    page = logged_in(kecamatan_admin).get(url(city.kelurahan))
    assert page.status_code == 200
    dashboard = page.context["dashboard"]
    assert dashboard.overall.respondents == 0
    assert dashboard.overall.nik is None
    assert dashboard.priorities == []
    assert dashboard.trend == []
    assert "Belum ada data untuk pilihan ini." in page.text


def test_a_period_without_responses_is_empty_while_others_have_data(city, instrument, period, kecamatan_admin):
    quiet = builders.make_period("Sepi", start=datetime.date(2020, 1, 1), end=datetime.date(2020, 3, 31))
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    page = logged_in(kecamatan_admin).get(url(city.kelurahan, period=f"p-{quiet.pk}"))
    assert page.context["dashboard"].overall.respondents == 0
    assert "Belum ada data untuk pilihan ini." in page.text


def test_no_periods_at_all_is_a_clear_message(city, kecamatan_admin):
    page = logged_in(kecamatan_admin).get(url(city.kelurahan))
    assert page.status_code == 200
    assert page.context["dashboard"] is None
    assert "Belum ada periode survei" in page.text


@pytest.mark.parametrize(
    "params", [{"period": "p-999999"}, {"period": "<script>"}, {"service": "abc"}, {"channel": "fax"}]
)
def test_bad_filter_values_get_a_message_and_the_defaults(city, period, answered, kecamatan_admin, params):
    page = logged_in(kecamatan_admin).get(url(city.kelurahan, **params))
    assert page.status_code == 200
    assert "Sebagian pilihan tidak dapat dipakai" in page.text
    assert page.context["dashboard"].overall.result == engine(answered)
    assert "<script>" not in page.text


def test_a_service_of_another_unit_is_refused_as_a_filter(city, period, answered, kecamatan_admin):
    foreign = builders.make_service(city.other_kelurahan, "Layanan lain")
    page = logged_in(kecamatan_admin).get(url(city.kelurahan, service=str(foreign.pk)))
    assert "bukan layanan unit ini" in page.text
    assert page.context["dashboard"].overall.respondents == 4


def test_the_page_prints_the_rules_and_weight(city, answered, kecamatan_admin):
    page = logged_in(kecamatan_admin).get(url(city.kelurahan))
    assert "PermenPAN-RB 14/2017" in page.text
    assert "bobot 1/9 (tepat)" in page.text
    assert "unverified" not in page.text


def test_a_legacy_rule_set_is_printed_as_unverified(city, period, kecamatan_admin):
    legacy = builders.make_instrument(published=False, unit=city.kelurahan)
    legacy.rules = "permenpan-16-2014"
    legacy.save()
    legacy.elements.filter(code="SARANA").update(code="MAKLUMAT", name_id="Maklumat pelayanan")
    services.instrument_publish(instrument=legacy)
    builders.make_response(city.kelurahan, [4] * 9, instrument=legacy, period=period)
    page = logged_in(kecamatan_admin).get(url(city.kelurahan))
    assert page.context["dashboard"].rules.key == "permenpan-16-2014"
    assert "unverified" in page.text


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_the_query_count_is_fixed_whatever_the_data(
    city, instrument, period, kecamatan_admin, django_assert_max_num_queries
):
    client = logged_in(kecamatan_admin)
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period, sex="L")
    few = _queries(client, url(city.kelurahan))
    for number in range(3):
        service = builders.make_service(city.kelurahan, f"Layanan {number}")
        other_period = builders.make_period(
            f"P{number}", start=datetime.date(2025, number + 1, 1), end=datetime.date(2025, number + 1, 20)
        )
        for scores in ([3] * 9, [2] * 9):
            builders.make_response(
                city.kelurahan,
                scores,
                instrument=instrument,
                period=other_period,
                service=service,
                sex="P",
                age=30 + number,
            )
            builders.make_response(
                city.kelurahan, scores, instrument=instrument, period=period, service=service, age=70
            )
    assert _queries(client, url(city.kelurahan)) == few
    with django_assert_max_num_queries(22):
        client.get(url(city.kelurahan, period="th-2025"))


def test_the_element_table_reads_the_running_tallies_not_every_answer(city, instrument, period, kecamatan_admin):
    """At a million responses, counting the answers cost 37 ms a page; the tallies cost under 1 ms."""
    builders.make_response(city.kelurahan, [4, 3, 4, 3, 4, 3, 4, 3, 2], instrument=instrument, period=period)
    client = logged_in(kecamatan_admin)
    with CaptureQueriesContext(connection) as captured:
        dashboard = client.get(url(city.kelurahan)).context["dashboard"]
    assert dashboard.overall.result == engine([[4, 3, 4, 3, 4, 3, 4, 3, 2]])
    assert not [query["sql"] for query in captured.captured_queries if '"surveys_answer"' in query["sql"]]


def page_text(user, city) -> str:
    return logged_in(user).get(url(city.kelurahan)).content.decode()
