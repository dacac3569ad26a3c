"""The dashboard, the workbook and the frozen snapshot ask the same owners, so they agree on the
same period: which responses count, which rule set applies, what the population is, how groups
pool (issue 15)."""

from __future__ import annotations

from typing import Any

import pytest

from reports import dashboards, indices, selectors, snapshots
from reports import services as report_services
from reports.exports.recap import city_recap
from reports.exports.workbooks import UnitScope, unit_workbook
from reports.periods import resolve_period_choice
from reports.tallies import pool
from surveys import services
from surveys.models import Reason, ResponseState, ServiceUnit
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(city: Any, instrument: Any, period: Any, secretariat: Any) -> Any:
    """24 Ilir and Puskesmas Dempo with every kind of response a count could treat differently."""
    service = builders.make_service(city.kelurahan, "Legalisir")
    stored = {"instrument": instrument, "period": period}
    for scores in ([4, 3, 4, 3, 4, 3, 4, 3, 4], [2, 3, 3, 2, 4, 3, 3, 2, 1], [3, 3, 3, 3, 3, 3, 3, 3, None]):
        builders.make_response(city.kelurahan, scores, service=service, **stored)
    builders.make_response(city.kelurahan, [1] * 9, state=ResponseState.HELD, reason=Reason.ADDRESS, **stored)
    junk = builders.make_response(city.kelurahan, [1] * 9, **stored)
    services.response_exclude(response=junk, user=secretariat, reason="Uji coba petugas")
    builders.make_response(city.kelurahan, [None] * 9, **stored)  # answered nothing: counts nowhere
    builders.make_response(city.puskesmas, [4] * 9, **stored)
    builders.make_response(city.puskesmas, [2, 2, 3, 3, 4, 4, 2, 2, 3], **stored)
    services.unit_population_set(unit=city.kelurahan, period=period, population=250)
    return city


def _choice(period: Any) -> Any:
    return resolve_period_choice(f"p-{period.pk}", [period], today=period.start)


def test_a_units_dashboard_workbook_and_snapshot_give_the_same_numbers(
    mixed: Any, period: Any, secretariat: Any
) -> None:
    dashboard = dashboards.unit_dashboard(unit=mixed.kelurahan, choice=_choice(period), periods=[period], services=[])
    _workbook, facts = unit_workbook(UnitScope(mixed.kelurahan, period))
    snapshot = report_services.period_close(period=period, user=secretariat)
    row = snapshot.units.get(unit=mixed.kelurahan)
    frozen = snapshots.row_result(row, snapshot)
    live = dashboard.overall.result
    assert live.respondents == facts.result.respondents == frozen.respondents == row.respondents == 3
    assert live.nik == facts.result.nik == frozen.nik
    assert [e.nrr for e in live.elements] == [e.nrr for e in facts.result.elements] == [e.nrr for e in frozen.elements]
    assert live.ci == facts.result.ci == frozen.ci
    assert dashboard.population == facts.population == row.population == 250
    assert live.sample == facts.result.sample == frozen.sample
    assert indices.krejcie_morgan_minimum(250) == row.minimum
    assert dashboard.rules.key == facts.rules == snapshot.rules


def test_the_city_dashboard_recap_and_snapshot_pool_the_same_responses(
    mixed: Any, period: Any, secretariat: Any
) -> None:
    units = ServiceUnit.objects.all()
    dashboard = dashboards.city_dashboard(units=units, choice=_choice(period))
    _workbook, recap = city_recap(period=period, unit_ids=list(units.values_list("pk", flat=True)))
    snapshot = report_services.period_close(period=period, user=secretariat)
    frozen = pool(snapshots.snapshot_tally(row) for row in snapshot.units.all()).result(rules=snapshot.rules)
    assert dashboard.pooled.result.respondents == recap.pooled.respondents == frozen.respondents == 5
    assert dashboard.pooled.result.nik == recap.pooled.nik == frozen.nik


def test_the_city_dashboard_and_recap_count_the_same_units_without_the_city_root(
    mixed: Any, period: Any, secretariat: Any
) -> None:
    units = ServiceUnit.objects.all()
    dashboard = dashboards.city_dashboard(units=units, choice=_choice(period))
    workbook, recap = city_recap(period=period, unit_ids=list(units.values_list("pk", flat=True)))
    assert recap.units == len(dashboard.rows) == units.count() - 1  # the pemkot root serves no one
    codes = {row[0].value for row in workbook["Rekap"].iter_rows(min_row=2)}
    assert mixed.root.code not in codes
    distribution = {row[0].value: row[2].value for row in workbook["Kota"].iter_rows(min_row=12) if row[0].value}
    assert distribution["belum ada data"] == len(dashboard.no_data)
    assert sum(grade.units for grade in dashboard.grades) + len(dashboard.no_data) == recap.units
    assert workbook["Kota"]["B8"].value == recap.units == mixed_units_in_recap(workbook)


def test_the_recaps_grade_chart_leaves_the_units_without_data_out(mixed: Any, period: Any) -> None:
    workbook, _recap = city_recap(period=period, unit_ids=list(ServiceUnit.objects.values_list("pk", flat=True)))
    sheet = workbook["Kota"]
    drawn = sheet._charts[0].series[0].val.numRef.f  # e.g. 'Kota'!$C$13:$C$16
    last_drawn = int(drawn.rsplit("$", 1)[1])
    assert sheet.cell(row=last_drawn, column=1).value == "D"
    assert sheet.cell(row=last_drawn + 1, column=1).value == "belum ada data"


def mixed_units_in_recap(workbook: Any) -> int:
    return sum(1 for row in workbook["Rekap"].iter_rows(min_row=2) if row[0].value)


def test_a_population_is_whole_or_none_for_every_report(city: Any, instrument: Any, period: Any) -> None:
    """A kecamatan and its kelurahan: only the kelurahan has an N, so together they have none."""
    services.unit_population_set(unit=city.kelurahan, period=period, population=100)
    both = [city.kecamatan.pk, city.kelurahan.pk]
    assert selectors.population_of(unit_ids=both, periods=[period]) is None
    assert selectors.population_of(unit_ids=[city.kelurahan.pk], periods=[period]) == 100
    _workbook, facts = unit_workbook(UnitScope(city.kecamatan, period, include_descendants=True))
    assert facts.population is None


def test_responses_under_two_rule_sets_are_refused_the_same_way_everywhere(
    city: Any, instrument: Any, period: Any, secretariat: Any
) -> None:
    legacy = builders.make_instrument(unit=city.puskesmas)
    legacy.rules = "permenpan-16-2014"
    legacy.save(update_fields=["rules"])
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    builders.make_response(city.puskesmas, [4] * 9, instrument=legacy, period=period)
    units = ServiceUnit.objects.all()
    with pytest.raises(selectors.MixedRuleSets):
        dashboards.city_dashboard(units=units, choice=_choice(period))
    with pytest.raises(selectors.MixedRuleSets):
        city_recap(period=period, unit_ids=list(units.values_list("pk", flat=True)))
    with pytest.raises(report_services.PeriodError, match="aturan perhitungan yang berbeda") as refused:
        report_services.period_close(period=period, user=secretariat)
    assert "PermenPAN-RB 14/2017, PermenPAN-RB 16/2014" in str(refused.value)  # named, not keyed
    period.refresh_from_db()
    assert period.state == "open"  # refused whole: nothing half-closed
    one_unit = dashboards.unit_dashboard(unit=city.kelurahan, choice=_choice(period), periods=[period], services=[])
    assert one_unit.rules.key == "permenpan-14-2017"  # a unit under one rule set is fine
