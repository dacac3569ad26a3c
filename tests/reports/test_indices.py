"""The index engine against the regulation's worked examples, boundaries and properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.indices import (
    DEFAULT_RULES,
    RULE_SETS,
    CityMean,
    ElementResult,
    ElementTally,
    IndexResult,
    RespondentSpread,
    RuleSet,
    SurveyTally,
    band_for,
    compute_index,
    confidence_interval,
    highest_elements,
    krejcie_morgan_minimum,
    lowest_elements,
    mean_of_indices,
    pool_spreads,
    pool_surveys,
    pool_tallies,
    round_half_up,
    round_index,
    round_nik,
    round_nrr,
    sample_adequacy,
    tallies_from_rows,
    weight_for,
)
from reports.sampling import t_critical_95

CODES = RULE_SETS[DEFAULT_RULES].codes


def uniform(respondents: int, score: int, codes: tuple[str, ...] = CODES) -> list[ElementTally]:
    """Every respondent gives every element the same score."""
    return [ElementTally(code, respondents, respondents * score) for code in codes]


def with_grand_total(respondents: int, grand_total: int) -> list[ElementTally]:
    """Complete answers whose scores add up to ``grand_total`` over all 9 elements."""
    base, remainder = divmod(grand_total, len(CODES))
    totals = [base + (1 if i < remainder else 0) for i in range(len(CODES))]
    assert all(respondents <= t <= 4 * respondents for t in totals)
    return [ElementTally(code, respondents, t) for code, t in zip(CODES, totals, strict=True)]


def index_of(
    tallies: list[ElementTally],
    respondents: int,
    *,
    rules: str = DEFAULT_RULES,
    weight: str = "exact",
) -> IndexResult:
    return compute_index(tallies, respondents=respondents, rules=rules, weight=weight)


# --- worked examples of the spec ------------------------------------------------------------


def test_one_respondent_answering_all_4_scores_100_and_grade_a() -> None:
    result = index_of(uniform(1, 4), 1)
    assert result.index == 4
    assert result.nik == 100
    assert round_nik(result.nik) == Decimal("100.00")
    assert (result.grade, result.label) == ("A", "Sangat Baik")


def test_the_legacy_weight_0_111_turns_all_4_into_99_90() -> None:
    result = index_of(uniform(1, 4), 1, weight="0.111")
    assert result.weight == "0.111"
    assert result.nik == Fraction("99.9")
    assert round_nik(result.nik) == Decimal("99.90")
    assert result.grade == "A"


def test_the_legacy_weight_0_11_turns_all_4_into_99_00() -> None:
    result = index_of(uniform(1, 4), 1, weight="0.11")
    assert result.nik == 99
    assert round_nik(result.nik) == Decimal("99.00")


def test_the_legacy_weight_0_071_turns_14_elements_of_4_into_99_40() -> None:
    codes = RULE_SETS["kepmenpan-25-2004"].codes
    result = index_of(uniform(1, 4, codes), 1, rules="kepmenpan-25-2004", weight="0.071")
    assert round_nik(result.nik or 0) == Decimal("99.40")


def test_one_respondent_answering_all_1_scores_25_and_grade_d() -> None:
    result = index_of(uniform(1, 1), 1)
    assert result.nik == 25
    assert (result.grade, result.label) == ("D", "Tidak Baik")


def test_a_raw_88_3056_rounds_up_to_88_31_and_is_grade_a() -> None:
    result = index_of(with_grand_total(100, 3179), 100)
    assert result.nik == Fraction(25 * 3179, 900)
    assert round_nik(result.nik) == Decimal("88.31")
    assert round_index(result.index or 0) == Decimal("3.5322")
    assert result.grade == "A"


def test_an_exact_65_00_is_grade_c() -> None:
    result = index_of(with_grand_total(100, 2340), 100)
    assert result.nik == 65
    assert (result.grade, result.label) == ("C", "Kurang Baik")


def test_a_64_97_is_grade_d() -> None:
    result = index_of(with_grand_total(100, 2339), 100)
    assert round_nik(result.nik or 0) == Decimal("64.97")
    assert result.grade == "D"


def test_a_raw_76_6082_rounds_up_to_76_61_and_is_grade_b() -> None:
    result = index_of(with_grand_total(19, 524), 19)
    assert round_nik(result.nik or 0) == Decimal("76.61")
    assert (result.grade, result.label) == ("B", "Baik")


# --- bands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nik", "grade"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.305", "A"),
        ("88.3049", "B"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.605", "B"),
        ("76.6049", "C"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.995", "C"),
        ("64.99", "D"),
        ("25", "D"),
    ],
)
def test_table_a_bands_the_nik_rounded_to_2_decimals_with_at_least_thresholds(nik: str, grade: str) -> None:
    assert band_for(Fraction(nik), "permenpan-14-2017").grade == grade


def test_an_exact_88_31_is_grade_a() -> None:
    assert band_for(Fraction("88.31")).grade == "A"


@pytest.mark.parametrize(
    ("nik", "grade"),
    [
        ("81.26", "A"),
        ("81.255", "A"),
        ("81.25", "B"),
        ("62.51", "B"),
        ("62.50", "C"),
        ("43.76", "C"),
        ("43.75", "D"),
        ("25", "D"),
    ],
)
def test_table_b_bands_the_2004_and_2014_rules(nik: str, grade: str) -> None:
    assert band_for(Fraction(nik), "kepmenpan-25-2004").grade == grade
    assert band_for(Fraction(nik), "permenpan-16-2014").grade == grade


def test_a_legacy_all_1_survey_below_25_still_falls_in_the_lowest_band() -> None:
    result = index_of(uniform(1, 1), 1, weight="0.11")
    assert result.nik == Fraction("24.75")
    assert result.grade == "D"


def test_each_element_is_banded_on_the_same_table() -> None:
    tallies = uniform(4, 4)
    tallies[2] = ElementTally("WAKTU", 4, 10)  # NRR 2.5, NIK 62.5
    result = index_of(tallies, 4)
    waktu = result.elements[2]
    assert (waktu.nrr, waktu.nik, waktu.grade, waktu.label) == (
        Fraction(5, 2),
        Fraction(125, 2),
        "D",
        "Tidak Baik",
    )
    assert result.elements[0].grade == "A"


# --- rule sets and weights ------------------------------------------------------------------


def test_the_14_2017_rules_list_elements_in_questionnaire_order() -> None:
    assert CODES == (
        "PERSYARATAN",
        "PROSEDUR",
        "WAKTU",
        "BIAYA",
        "PRODUK",
        "KOMPETENSI",
        "PERILAKU",
        "SARANA",
        "PENGADUAN",
    )
    assert DEFAULT_RULES == "permenpan-14-2017"


def test_the_16_2014_bands_are_flagged_unverified() -> None:
    result = index_of(
        uniform(1, 3, RULE_SETS["permenpan-16-2014"].codes),
        1,
        rules="permenpan-16-2014",
    )
    assert result.bands_verified is False
    assert "MAKLUMAT" in RULE_SETS["permenpan-16-2014"].codes
    assert index_of(uniform(1, 3), 1).bands_verified is True


def test_the_2004_rules_have_14_distinct_upper_case_codes() -> None:
    codes = RULE_SETS["kepmenpan-25-2004"].codes
    assert len(codes) == len(set(codes)) == 14
    assert all(code == code.upper() for code in codes)


@pytest.mark.parametrize("rule_set", list(RULE_SETS.values()), ids=list(RULE_SETS))
def test_every_rule_set_uses_the_1_to_4_scale_and_factor_25(rule_set: RuleSet) -> None:
    assert rule_set is RULE_SETS[rule_set.key]
    assert (rule_set.scale_min, rule_set.scale_max, rule_set.factor) == (1, 4, 25)


def test_the_exact_weight_is_one_over_k() -> None:
    assert weight_for("exact", "permenpan-14-2017") == Fraction(1, 9)
    assert weight_for("exact", "kepmenpan-25-2004") == Fraction(1, 14)


def test_a_legacy_weight_of_another_element_count_is_refused() -> None:
    with pytest.raises(ValueError, match=r"0\.071"):
        index_of(uniform(1, 4), 1, weight="0.071")
    with pytest.raises(ValueError, match=r"0\.5"):
        index_of(uniform(1, 4), 1, weight="0.5")


def test_an_unknown_rule_set_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown rule set"):
        index_of(uniform(1, 4), 1, rules="permenpan-99-2099")


def test_the_weighted_nrr_uses_the_chosen_weight() -> None:
    result = index_of(uniform(2, 3), 2, weight="0.111")
    assert all(e.nrr_weighted == 3 * Fraction("0.111") for e in result.elements)
    assert result.index == 27 * Fraction("0.111")


# --- rounding -------------------------------------------------------------------------------


def test_it_rounds_only_for_display() -> None:
    result = index_of(with_grand_total(19, 524), 19)
    assert result.nik == Fraction(25 * 524, 171)
    assert isinstance(result.nik, Fraction)
    assert round_nik(result.nik) == Decimal("76.61")


def test_rounding_is_half_up_at_every_precision() -> None:
    assert round_nrr(Fraction(2, 3)) == Decimal("0.6667")
    assert round_nrr(Fraction("3.53245")) == Decimal("3.5325")
    assert round_index(Fraction("3.06435")) == Decimal("3.0644")
    assert round_nik(Fraction("76.605")) == Decimal("76.61")
    assert round_nik(Fraction("76.6049999")) == Decimal("76.60")
    assert round_nik(100) == Decimal("100.00")
    assert round_half_up(Fraction("-0.125"), 2) == Decimal("-0.13")
    assert round_half_up(Fraction(5, 2), 0) == 3


# --- no data and partial answers ------------------------------------------------------------


@pytest.mark.parametrize("tallies", [[], uniform(0, 4)], ids=["no tallies", "zero tallies"])
def test_zero_respondents_give_no_index_rather_than_zero(
    tallies: list[ElementTally],
) -> None:
    result = index_of(tallies, 0)
    assert result.has_data is False
    assert (result.index, result.nik, result.grade, result.label) == (
        None,
        None,
        None,
        None,
    )
    assert [e.code for e in result.elements] == list(CODES)
    assert all(e.nrr is None and e.nik is None and e.grade is None for e in result.elements)


def test_zero_respondents_with_a_population_report_an_inadequate_sample() -> None:
    result = compute_index([], respondents=0, population=100)
    assert result.sample is not None
    assert (result.sample.minimum, result.sample.achieved, result.sample.adequate) == (
        80,
        0,
        False,
    )
    assert result.ci is None


def test_a_partial_answer_divides_by_the_answers_to_that_element() -> None:
    tallies = uniform(3, 4)
    tallies[2] = ElementTally("WAKTU", 2, 5)
    result = index_of(tallies, 3)
    assert result.elements[2].nrr == Fraction(5, 2)
    assert result.index == (8 * 4 + Fraction(5, 2)) / 9


def test_an_element_nobody_answered_has_no_nrr_and_the_unit_no_index() -> None:
    tallies = uniform(3, 4)[:-1]  # PENGADUAN missing
    result = index_of(tallies, 3)
    assert result.has_data is True
    assert result.elements[-1].code == "PENGADUAN"
    assert result.elements[-1].nrr is None
    assert result.nik is None
    assert result.grade is None


def test_an_unknown_element_code_is_refused() -> None:
    with pytest.raises(ValueError, match="MAKLUMAT"):
        index_of([*uniform(1, 4), ElementTally("MAKLUMAT", 1, 4)], 1)


def test_a_repeated_element_code_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        index_of([*uniform(1, 4), ElementTally("WAKTU", 1, 4)], 1)


@pytest.mark.parametrize(
    "tally",
    [
        ElementTally("WAKTU", 3, 9),
        ElementTally("WAKTU", 2, 9),
        ElementTally("WAKTU", 2, 1),
    ],
    ids=["more answers than respondents", "total above 4 each", "total below 1 each"],
)
def test_an_impossible_tally_is_refused(tally: ElementTally) -> None:
    with pytest.raises(ValueError, match="WAKTU"):
        index_of([tally], 2)


def test_elements_come_back_in_questionnaire_order_whatever_the_input_order() -> None:
    tallies = with_grand_total(19, 524)
    forward = index_of(tallies, 19)
    backward = index_of(list(reversed(tallies)), 19)
    assert forward == backward
    assert [e.code for e in backward.elements] == list(CODES)


# --- Krejcie-Morgan -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "minimum"),
    [
        (10, 10),
        (15, 14),
        (100, 80),
        (500, 217),
        (1000, 278),
        (2400, 331),
        (10000, 370),
        (1000000, 384),
    ],
)
def test_the_krejcie_morgan_minimum_matches_the_table_row(population: int, minimum: int) -> None:
    assert krejcie_morgan_minimum(population) == minimum


@pytest.mark.parametrize("population", [0, 1, 2, 3, 5])
def test_a_tiny_population_must_be_surveyed_whole(population: int) -> None:
    assert krejcie_morgan_minimum(population) == population


def test_the_krejcie_morgan_minimum_never_exceeds_384() -> None:
    assert krejcie_morgan_minimum(10**12) == 384


def test_a_negative_population_is_refused() -> None:
    with pytest.raises(ValueError, match="population"):
        krejcie_morgan_minimum(-1)


def test_a_sample_is_adequate_from_the_minimum_upwards() -> None:
    assert sample_adequacy(80, 100).adequate is True
    assert sample_adequacy(79, 100) == sample_adequacy(79, 100)
    assert sample_adequacy(79, 100).adequate is False
    assert sample_adequacy(79, 100).minimum == 80


def test_the_result_carries_the_sample_adequacy_when_the_population_is_known() -> None:
    result = compute_index(uniform(80, 3), respondents=80, population=100)
    assert result.sample == sample_adequacy(80, 100)
    assert compute_index(uniform(80, 3), respondents=80).sample is None


# --- confidence interval --------------------------------------------------------------------


def spread_of(means: list[Fraction]) -> RespondentSpread:
    return RespondentSpread(len(means), sum(means, Fraction(0)), sum((m * m for m in means), Fraction(0)))


def test_fewer_than_two_respondents_give_no_interval() -> None:
    assert confidence_interval(spread_of([Fraction(3)])) is None
    assert confidence_interval(spread_of([])) is None


def test_identical_respondents_give_a_zero_width_interval_at_the_nik() -> None:
    ci = confidence_interval(spread_of([Fraction(3)] * 5))
    assert ci is not None
    assert ci.low == ci.high == 75
    assert ci.level == Decimal("0.95")


def test_the_interval_follows_the_documented_formula() -> None:
    # ten respondents, mean 3, s = 2/3; half width 25 * t(9) * (2/3) / sqrt(10) = 25 * 2.262 * 0.21082 = 11.92
    means = [Fraction(m) for m in (2, 3, 4, 3, 2, 3, 4, 3, 3, 3)]
    ci = confidence_interval(spread_of(means))
    assert ci is not None
    assert (round_nik(ci.low), round_nik(ci.high)) == (Decimal("63.08"), Decimal("86.92"))


def test_a_tiny_sample_gets_the_wide_student_t_interval_clamped_to_the_scale() -> None:
    # m = 2, 3, 4: mean 3, s = 1; half width 25 * 4.303 / sqrt(3) = 62.11 -> [25, 100]
    ci = confidence_interval(spread_of([Fraction(2), Fraction(3), Fraction(4)]))
    assert ci is not None
    assert (ci.low, ci.high) == (Fraction(25), Fraction(100))


@pytest.mark.parametrize(("df", "t"), [(1, "12.706"), (9, "2.262"), (30, "2.042"), (40, "2.021"), (120, "1.980")])
def test_the_t_critical_values_match_the_published_table(df: int, t: str) -> None:
    assert round(float(t_critical_95(df)), 3) == float(t)


def test_the_t_critical_value_tends_to_z_for_large_samples() -> None:
    assert abs(float(t_critical_95(100_000)) - 1.96) < 0.001


def test_the_finite_population_correction_narrows_the_interval() -> None:
    spread = spread_of([Fraction(2), Fraction(3), Fraction(4), Fraction(3)])
    wide = confidence_interval(spread)
    narrow = confidence_interval(spread, population=5)
    assert wide is not None and narrow is not None
    assert narrow.high - narrow.low < wide.high - wide.low
    # 25 * t(3) * sqrt(2/3) / sqrt(4) * sqrt(1/4) = 25 * 3.182 * 0.8165 / 4
    assert round_nik(narrow.high - 75) == Decimal("16.24")


def test_a_census_has_a_zero_width_interval() -> None:
    ci = confidence_interval(spread_of([Fraction(2), Fraction(4)]), population=2)
    assert ci is not None
    assert ci.low == ci.high == 75


def test_the_interval_is_clamped_to_25_and_100() -> None:
    ci = confidence_interval(spread_of([Fraction(1), Fraction(4)]))
    assert ci is not None
    assert (ci.low, ci.high) == (Fraction(25), Fraction(100))


def test_compute_index_refuses_a_spread_of_other_respondents() -> None:
    with pytest.raises(ValueError, match="spread"):
        compute_index(uniform(2, 3), respondents=2, spread=spread_of([Fraction(3)]))


def test_compute_index_gives_the_interval_with_a_spread() -> None:
    survey = tallies_from_rows([dict.fromkeys(CODES, 3), dict.fromkeys(CODES, 4)])
    result = compute_index(survey.tallies, respondents=survey.respondents, spread=survey.spread)
    assert result.ci is not None
    assert result.ci.low <= (result.nik or 0) <= result.ci.high


# --- folding rows ---------------------------------------------------------------------------


def test_rows_fold_into_tallies_skipping_unanswered_cells_and_empty_rows() -> None:
    rows: list[dict[str, int | None]] = [
        {**dict.fromkeys(CODES, 4), "WAKTU": None},
        dict.fromkeys(CODES, None),
        {"PERSYARATAN": 2},
    ]
    survey = tallies_from_rows(rows)
    assert survey.respondents == 2
    by_code = {t.code: t for t in survey.tallies}
    assert by_code["PERSYARATAN"] == ElementTally("PERSYARATAN", 2, 6)
    assert by_code["WAKTU"] == ElementTally("WAKTU", 0, 0)
    assert survey.spread == RespondentSpread(2, Fraction(6), Fraction(20))


def test_a_score_outside_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="WAKTU: 5 is not a score 1-4"):
        tallies_from_rows([{"WAKTU": 5}])


@pytest.mark.parametrize("score", [3.5, "3", True])
def test_a_score_that_is_not_an_integer_is_refused(score: object) -> None:
    with pytest.raises(TypeError, match="WAKTU"):
        tallies_from_rows([{"WAKTU": score}])  # type: ignore[dict-item]


def test_a_row_with_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="MAKLUMAT"):
        tallies_from_rows([{"MAKLUMAT": 3}])


# --- pooling and city means -----------------------------------------------------------------


def test_pooling_sums_the_tallies_element_by_element() -> None:
    pooled = pool_tallies([uniform(2, 4), uniform(1, 1)[:3]])
    assert pooled[0] == ElementTally("PERSYARATAN", 3, 9)
    assert pooled[5] == ElementTally("KOMPETENSI", 2, 8)


def test_a_unit_index_pools_responses_rather_than_averaging_service_indices() -> None:
    big, small = uniform(9, 4), uniform(1, 1)
    pooled = index_of(pool_tallies([big, small]), 10)
    assert pooled.nik == Fraction(925, 10)  # (9 * 100 + 25) / 10, not (100 + 25) / 2
    averaged = mean_of_indices([index_of(big, 9), index_of(small, 1)])
    assert averaged.nik == Fraction(125, 2)


def test_pooling_spreads_adds_their_sums() -> None:
    a, b = spread_of([Fraction(2), Fraction(3)]), spread_of([Fraction(4)])
    assert pool_spreads([a, b]) == spread_of([Fraction(2), Fraction(3), Fraction(4)])


def test_the_mean_of_indices_skips_units_without_data_and_says_how_many_it_covers() -> None:
    results = [index_of(uniform(1, 4), 1), index_of([], 0), index_of(uniform(2, 2), 2)]
    mean = mean_of_indices(results)
    assert mean == CityMean(Fraction(75), 2, "rata-rata indeks unit")


def test_the_mean_of_no_indices_is_no_data() -> None:
    assert mean_of_indices([index_of([], 0)]) == CityMean(None, 0)
    assert mean_of_indices([]).nik is None


def test_indices_of_different_rule_sets_are_not_averaged() -> None:
    legacy = index_of(uniform(1, 4), 1, weight="0.111")
    with pytest.raises(ValueError, match="rule sets or weight"):
        mean_of_indices([index_of(uniform(1, 4), 1), legacy])


# --- properties -----------------------------------------------------------------------------

rule_keys = st.sampled_from(sorted(RULE_SETS))


@st.composite
def score_rows(
    draw: st.DrawFn, *, complete: bool = False, min_size: int = 0
) -> tuple[str, list[dict[str, int | None]]]:
    """A rule set key and per-respondent rows (None = unanswered) for it."""
    key = draw(rule_keys)
    codes = RULE_SETS[key].codes
    score = st.integers(1, 4) if complete else st.one_of(st.none(), st.integers(1, 4))
    rows = draw(
        st.lists(
            st.fixed_dictionaries(dict.fromkeys(codes, score)),
            min_size=min_size,
            max_size=30,
        )
    )
    return key, rows


def index_of_rows(key: str, rows: list[dict[str, int | None]], *, population: int | None = None) -> IndexResult:
    survey = tallies_from_rows(rows, key)
    return compute_index(
        survey.tallies,
        respondents=survey.respondents,
        rules=key,
        spread=survey.spread,
        population=population,
    )


@given(score_rows())
def test_the_nik_always_lies_between_25_and_100(
    case: tuple[str, list[dict[str, int | None]]],
) -> None:
    result = index_of_rows(*case)
    if result.nik is not None:
        assert 25 <= result.nik <= 100
        assert result.grade is not None
    for element in result.elements:
        assert element.nik is None or 25 <= element.nik <= 100


@given(rule_keys, st.integers(1, 4), st.integers(1, 50))
def test_all_answers_equal_to_s_give_exactly_25_times_s(key: str, score: int, n: int) -> None:
    codes = RULE_SETS[key].codes
    result = compute_index(uniform(n, score, codes), respondents=n, rules=key)
    assert result.nik == 25 * score
    assert result.index == score


@given(score_rows(), st.randoms(use_true_random=False))
def test_the_order_of_respondents_and_of_elements_does_not_matter(
    case: tuple[str, list[dict[str, int | None]]], random: Random
) -> None:
    key, rows = case
    shuffled_rows = list(rows)
    random.shuffle(shuffled_rows)
    survey = tallies_from_rows(shuffled_rows, key)
    shuffled_tallies = list(survey.tallies)
    random.shuffle(shuffled_tallies)
    result = compute_index(
        shuffled_tallies,
        respondents=survey.respondents,
        rules=key,
        spread=survey.spread,
    )
    assert result == index_of_rows(key, rows)


@given(score_rows(), st.integers(0, 30), st.integers(0, 100))
def test_pooling_two_groups_equals_computing_on_their_union(
    case: tuple[str, list[dict[str, int | None]]], cut: int, extra: int
) -> None:
    key, rows = case
    first, second = rows[:cut], rows[cut:]
    pooled = pool_surveys([tallies_from_rows(first, key), tallies_from_rows(second, key)])
    union = tallies_from_rows(rows, key)
    population = len(rows) + extra
    result = compute_index(
        pooled.tallies,
        respondents=pooled.respondents,
        rules=key,
        spread=pooled.spread,
        population=population,
    )
    assert result == index_of_rows(key, rows, population=population)
    assert isinstance(pooled, SurveyTally)
    assert pooled.respondents == union.respondents


niks = st.fractions(min_value=0, max_value=100, max_denominator=10**6)


@given(rule_keys, niks, niks)
def test_the_band_never_worsens_as_the_nik_rises(key: str, a: Fraction, b: Fraction) -> None:
    low, high = sorted((a, b))
    grades = [band.grade for band in RULE_SETS[key].bands]
    assert grades.index(band_for(high, key).grade) <= grades.index(band_for(low, key).grade)


@given(score_rows(min_size=2), st.none() | st.integers(0, 100))
def test_the_interval_contains_the_point_estimate(
    case: tuple[str, list[dict[str, int | None]]], extra: int | None
) -> None:
    key, rows = case
    survey = tallies_from_rows(rows, key)
    population = None if extra is None else survey.respondents + extra
    ci = confidence_interval(survey.spread, population=population)
    if survey.respondents < 2:
        assert ci is None
        return
    assert ci is not None
    estimate = 25 * survey.spread.sum_means / survey.spread.n
    assert 25 <= ci.low <= estimate <= ci.high <= 100


@given(score_rows(complete=True, min_size=2))
def test_with_complete_answers_the_interval_contains_the_nik(
    case: tuple[str, list[dict[str, int | None]]],
) -> None:
    result = index_of_rows(*case)
    assert result.ci is not None and result.nik is not None
    assert result.ci.low <= result.nik <= result.ci.high


# --- priorities: the lowest three, and every element tied with the third --------------------


def scored(scores: list[int]) -> IndexResult:
    return index_of([ElementTally(code, 1, score) for code, score in zip(CODES, scores, strict=True)], 1)


def codes_of(elements: list[ElementResult]) -> list[str]:
    return [element.code for element in elements]


def test_three_distinct_lowest_elements_are_the_three_priorities() -> None:
    assert codes_of(lowest_elements(scored([4, 1, 2, 3, 4, 4, 4, 4, 4]))) == ["PROSEDUR", "WAKTU", "BIAYA"]


def test_elements_tied_for_the_third_lowest_are_all_priorities() -> None:
    result = scored([4, 1, 2, 3, 4, 3, 4, 3, 4])
    assert codes_of(lowest_elements(result)) == ["PROSEDUR", "WAKTU", "BIAYA", "KOMPETENSI", "SARANA"]


def test_a_tie_above_the_third_lowest_adds_nobody() -> None:
    assert codes_of(lowest_elements(scored([1, 2, 3, 4, 4, 4, 4, 4, 4]))) == ["PERSYARATAN", "PROSEDUR", "WAKTU"]


def test_the_strongest_elements_follow_the_same_tie_rule() -> None:
    assert len(highest_elements(scored([4, 4, 4, 4, 1, 2, 3, 3, 3]))) == 4
