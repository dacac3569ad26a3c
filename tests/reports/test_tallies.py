from __future__ import annotations

from fractions import Fraction

import pytest

from reports import indices, selectors
from reports import tallies as report_tallies
from surveys.models import Reason, Response, ResponseState
from tests import builders

pytestmark = pytest.mark.django_db

ALL_FOUR = [4] * 9


def test_tallies_match_the_engine_on_the_same_scores(city, instrument, period):
    rows = [[4, 3, 3, 4, 3, 2, 4, 3, 3], [2, 2, 3, 4, 3, 3, 3, 2, 1], [3, 3, 3, 3, 3, 3, 3, 3, 3]]
    for scores in rows:
        builders.make_response(city.kelurahan, scores, instrument=instrument, period=period)
    group = report_tallies.tally_responses(selectors.responses_in(periods=[period]))[city.kelurahan.pk]
    codes = [element.code for element in indices.get_rules(indices.DEFAULT_RULES).elements]
    expected = indices.tallies_from_rows([dict(zip(codes, row, strict=True)) for row in rows])
    assert group.result() == indices.compute_index(
        expected.tallies, respondents=expected.respondents, spread=expected.spread
    )
    assert group.distribution["PENGADUAN"] == {1: 1, 2: 0, 3: 2, 4: 0}


def test_excluded_held_and_test_responses_do_not_count(city, instrument, period):
    builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period)
    builders.make_response(
        city.kelurahan,
        ALL_FOUR,
        instrument=instrument,
        period=period,
        state=ResponseState.EXCLUDED,
        reason=Reason.HONEYPOT,
    )
    Response.objects.filter(state=ResponseState.COUNTED).update(is_test=False)
    group = report_tallies.tally_responses(selectors.responses_in(periods=[period]))[city.kelurahan.pk]
    assert group.respondents == 1
    assert group.result().nik == 25


def test_partial_answers_give_an_exact_spread(city, instrument, period):
    builders.make_response(city.kelurahan, [4, 4, None, 4, 4, 4, 4, 4, 2], instrument=instrument, period=period)
    group = report_tallies.tally_responses(selectors.responses_in(periods=[period]))[city.kelurahan.pk]
    assert group.sum_means == Fraction(30, 8)
    assert "WAKTU" not in group.elements
    waktu = next(element for element in group.result().elements if element.code == "WAKTU")
    assert waktu.nrr is None


def test_grouping_by_two_fields_and_pooling(city, instrument, period):
    builders.make_response(city.kelurahan, ALL_FOUR, instrument=instrument, period=period, sex="L")
    builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period, sex="P")
    groups = report_tallies.tally_responses(selectors.responses_in(periods=[period]), group_by=("unit_id", "sex"))
    assert set(groups) == {(city.kelurahan.pk, "L"), (city.kelurahan.pk, "P")}
    assert report_tallies.pool(groups.values()).result().nik == Fraction(125, 2)


def test_a_unit_without_responses_has_no_group(city, instrument, period):
    assert report_tallies.tally_responses(selectors.responses_in(unit_ids=[city.kelurahan.pk])) == {}
    assert report_tallies.GroupTally().result().has_data is False


def test_running_tallies_agree_with_counting_the_answers(city, instrument, period):
    service = builders.make_service(city.kelurahan, "KTP-el")
    builders.make_response(city.kelurahan, [4, 3, 2, 1, 4, 3, 2, 1, 4], instrument=instrument, period=period)
    builders.make_response(city.kelurahan, [2] * 9, instrument=instrument, period=period, service=service)
    builders.make_response(city.kelurahan, [4, None, 4, 4, 4, 4, 4, 4, 3], instrument=instrument, period=period)
    builders.make_response(city.puskesmas, [1] * 9, instrument=instrument, period=period)
    builders.make_response(
        city.puskesmas, [4] * 9, instrument=instrument, period=period, state=ResponseState.HELD, reason=Reason.ADDRESS
    )
    for group_by in [("unit_id",), ("unit_id", "service_id"), ("period_id", "channel"), ()]:
        expected = report_tallies.tally_responses(selectors.responses_in(periods=[period]), group_by=group_by)
        assert report_tallies.tally_counts(periods=[period], group_by=group_by) == expected
    assert report_tallies.tally_counts(service_id=service.pk) == report_tallies.tally_responses(
        selectors.responses_in(service_id=service.pk)
    )


def test_rebuilding_the_tallies_gives_the_same_rows(city, instrument, period):
    from surveys.models import AnswerTally
    from surveys.tallies import tallies_rebuild

    builders.make_response(city.kelurahan, [4, 3, 2, 1, 4, 3, 2, 1, 4], instrument=instrument, period=period)
    builders.make_response(city.kelurahan, [3, None, 3, 3, 3, 3, 3, 3, 3], instrument=instrument, period=period)
    before = report_tallies.tally_counts(periods=[period])
    rows = set(AnswerTally.objects.values_list("element_code", "answers", "total", "c1", "c2", "c3", "c4"))
    tallies_rebuild()
    assert report_tallies.tally_counts(periods=[period]) == before
    assert set(AnswerTally.objects.values_list("element_code", "answers", "total", "c1", "c2", "c3", "c4")) == rows


def test_tallies_refuse_a_grouping_they_do_not_keep(db):
    with pytest.raises(ValueError, match="sex"):
        report_tallies.tally_counts(group_by=("sex",))
