from __future__ import annotations

from fractions import Fraction

import pytest

from reports import indices, selectors
from surveys.models import Response, SpamReason
from tests import builders

pytestmark = pytest.mark.django_db

ALL_FOUR = [4] * 9


def test_tallies_match_the_engine_on_the_same_scores(city, instrument, period):
    rows = [[4, 3, 3, 4, 3, 2, 4, 3, 3], [2, 2, 3, 4, 3, 3, 3, 2, 1], [3, 3, 3, 3, 3, 3, 3, 3, 3]]
    for scores in rows:
        builders.make_response(city.kelurahan, scores, instrument=instrument, period=period)
    group = selectors.tally_responses(selectors.responses_in(periods=[period]))[city.kelurahan.pk]
    codes = [element.code for element in indices.get_rules(indices.DEFAULT_RULES).elements]
    expected = indices.tallies_from_rows([dict(zip(codes, row, strict=True)) for row in rows])
    assert group.result() == indices.compute_index(
        expected.tallies, respondents=expected.respondents, spread=expected.spread
    )
    assert group.distribution["PENGADUAN"] == {1: 1, 2: 0, 3: 2, 4: 0}


def test_flagged_and_test_responses_do_not_count(city, instrument, period):
    builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period)
    builders.make_response(
        city.kelurahan, ALL_FOUR, instrument=instrument, period=period, spam_reason=SpamReason.HONEYPOT
    )
    Response.objects.filter(spam_reason="").update(is_test=False)
    group = selectors.tally_responses(selectors.responses_in(periods=[period]))[city.kelurahan.pk]
    assert group.respondents == 1
    assert group.result().nik == 25


def test_partial_answers_give_an_exact_spread(city, instrument, period):
    builders.make_response(city.kelurahan, [4, 4, None, 4, 4, 4, 4, 4, 2], instrument=instrument, period=period)
    group = selectors.tally_responses(selectors.responses_in(periods=[period]))[city.kelurahan.pk]
    assert group.sum_means == Fraction(30, 8)
    assert "WAKTU" not in group.elements
    waktu = next(element for element in group.result().elements if element.code == "WAKTU")
    assert waktu.nrr is None


def test_grouping_by_two_fields_and_pooling(city, instrument, period):
    builders.make_response(city.kelurahan, ALL_FOUR, instrument=instrument, period=period, sex="L")
    builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period, sex="P")
    groups = selectors.tally_responses(selectors.responses_in(periods=[period]), group_by=("unit_id", "sex"))
    assert set(groups) == {(city.kelurahan.pk, "L"), (city.kelurahan.pk, "P")}
    assert selectors.pooled(groups.values()).result().nik == Fraction(125, 2)


def test_a_unit_without_responses_has_no_group(city, instrument, period):
    assert selectors.tally_responses(selectors.responses_in(unit_ids=[city.kelurahan.pk])) == {}
    assert selectors.GroupTally().result().has_data is False
