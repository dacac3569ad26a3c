from __future__ import annotations

import datetime

import pytest
from django.test import Client

from reports import followup_progress, services
from reports.models import FollowUpAction, FollowUpStatus
from surveys.models import Period
from tests import builders
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

# PERSYARATAN 4, PROSEDUR 2, WAKTU 3, BIAYA 2, PRODUK 4, KOMPETENSI 2, PERILAKU 4, SARANA 1, PENGADUAN 3
WEAK_SARANA = [4, 2, 3, 2, 4, 2, 4, 1, 3]


def closed_period(name: str, start: datetime.date, end: datetime.date, *, user, fill) -> Period:
    period = builders.make_period(name, start=start, end=end)
    fill(period)
    services.period_close(period=period, user=user)
    return period


@pytest.fixture
def tw1(city, instrument, secretariat) -> Period:
    def fill(period: Period) -> None:
        builders.make_response(city.kelurahan, WEAK_SARANA, instrument=instrument, period=period)
        builders.make_response(city.puskesmas, [3] * 9, instrument=instrument, period=period)

    return closed_period(
        "Triwulan I 2026", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), user=secretariat, fill=fill
    )


def action(unit, period, user, element_code: str, status: str = FollowUpStatus.PLANNED, **extra) -> FollowUpAction:
    return services.followup_create(
        unit=unit,
        period=period,
        user=user,
        element_code=element_code,
        program=f"Perbaikan {element_code}",
        responsible="Lurah",
        quarter=extra.pop("quarter", 1),
        status=status,
        **extra,
    )


def test_the_plan_page_proposes_the_three_lowest_elements_and_those_tied_with_the_third(city, tw1, kecamatan_admin):
    page = logged_in(kecamatan_admin).get(f"/petugas/unit/{city.kelurahan.code}/rtl/{tw1.pk}/").content.decode()
    proposal = page.split("Usulan prioritas")[1].split("</ol>")[0]
    order = ["Sarana dan Prasarana", "Sistem, Mekanisme", "Biaya/Tarif", "Kompetensi Pelaksana"]  # the last three tie
    assert [proposal.index(name) for name in order] == sorted(proposal.index(name) for name in order)
    assert "Persyaratan" not in proposal


def test_a_unit_admin_records_an_action_with_a_triwulan_of_the_next_year(city, tw1, kecamatan_admin):
    response = logged_in(kecamatan_admin).post(
        f"/petugas/unit/{city.kelurahan.code}/rtl/{tw1.pk}/",
        {
            "element_code": "SARANA",
            "program": "Perbaiki kipas ruang tunggu",
            "timing": "2",
            "responsible": "Sekretaris lurah",
            "status": "in_progress",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    saved = FollowUpAction.objects.get()
    assert (saved.unit, saved.period, saved.quarter, saved.year, saved.due_date) == (city.kelurahan, tw1, 2, 2027, None)
    assert saved.timing_label == "TW II 2027" and saved.is_public and saved.created_by == kecamatan_admin


def test_an_action_may_have_a_date_instead_of_a_triwulan(city, tw1, kecamatan_admin):
    logged_in(kecamatan_admin).post(
        f"/petugas/unit/{city.kelurahan.code}/rtl/{tw1.pk}/",
        {
            "element_code": "WAKTU",
            "program": "Antrean daring",
            "timing": "date",
            "due_date": "2027-02-15",
            "responsible": "Lurah",
            "status": "planned",
        },
    )
    saved = FollowUpAction.objects.get()
    assert (saved.quarter, saved.year, saved.due_date) == (None, None, datetime.date(2027, 2, 15))


@pytest.mark.parametrize(
    "data",
    [
        {"element_code": "SARANA", "program": "", "timing": "1", "responsible": "Lurah", "status": "planned"},
        {"element_code": "TIDAK_ADA", "program": "x", "timing": "1", "responsible": "Lurah", "status": "planned"},
        {"element_code": "SARANA", "program": "x", "timing": "date", "responsible": "Lurah", "status": "planned"},
        {"element_code": "SARANA", "program": "x", "timing": "5", "responsible": "Lurah", "status": "planned"},
        {"element_code": "SARANA", "program": "x", "timing": "1", "responsible": "Lurah", "status": "finished"},
        {
            "element_code": "SARANA",
            "program": "x",
            "timing": "date",
            "due_date": "31-02-2027",
            "responsible": "L",
            "status": "planned",
        },
    ],
)
def test_bad_action_input_gets_a_message_and_stores_nothing(city, tw1, kecamatan_admin, data):
    response = logged_in(kecamatan_admin).post(f"/petugas/unit/{city.kelurahan.code}/rtl/{tw1.pk}/", data)
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode() or "alert" in response.content.decode()
    assert not FollowUpAction.objects.exists()


def test_an_open_period_has_no_plan_page(city, period, kecamatan_admin):
    assert logged_in(kecamatan_admin).get(f"/petugas/unit/{city.kelurahan.code}/rtl/{period.pk}/").status_code == 404
    with pytest.raises(services.FollowUpError):
        action(city.kelurahan, period, kecamatan_admin, "SARANA")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("other_admin", 404),
        ("puskesmas_admin", 404),
        ("kecamatan_admin", 200),
        ("secretariat", 200),
    ],
)
def test_plan_pages_follow_unit_access(request, city, tw1, secretariat, who, expected):
    saved = action(city.kelurahan, tw1, secretariat, "SARANA")
    client = Client() if who == "anonymous" else logged_in(request.getfixturevalue(who))
    for url in (
        f"/petugas/unit/{city.kelurahan.code}/rtl/",
        f"/petugas/unit/{city.kelurahan.code}/rtl/{tw1.pk}/",
        f"/petugas/unit/{city.kelurahan.code}/rtl/aksi/{saved.pk}/",
    ):
        assert client.get(url).status_code == expected, url


def test_an_action_is_not_reachable_through_another_units_address(city, tw1, kecamatan_admin, secretariat):
    foreign = action(city.puskesmas, tw1, secretariat, "SARANA")
    client = logged_in(kecamatan_admin)
    assert client.get(f"/petugas/unit/{city.kelurahan.code}/rtl/aksi/{foreign.pk}/").status_code == 404
    assert client.post(f"/petugas/unit/{city.kelurahan.code}/rtl/aksi/{foreign.pk}/hapus/").status_code == 404
    assert FollowUpAction.objects.filter(pk=foreign.pk).exists()


def test_a_unit_admin_updates_status_and_realisation(city, tw1, kecamatan_admin):
    saved = action(city.kelurahan, tw1, kecamatan_admin, "SARANA")
    response = logged_in(kecamatan_admin).post(
        f"/petugas/unit/{city.kelurahan.code}/rtl/aksi/{saved.pk}/",
        {
            "element_code": "SARANA",
            "program": saved.program,
            "timing": "3",
            "responsible": "Lurah",
            "status": "done",
            "realisation": "Kipas diganti 12 unit",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.status, saved.realisation, saved.quarter, saved.is_public) == (
        "done",
        "Kipas diganti 12 unit",
        3,
        True,
    )


def test_the_done_share_counts_done_actions_only():
    share = followup_progress.done_share(["done", "planned", "in_progress", "done"])
    assert (share.done, share.total, share.ratio, share.percent) == (2, 4, 0.5, 50)
    assert followup_progress.done_share([]).percent is None


def _next_period(city, instrument, secretariat, kelurahan_scores) -> Period:
    def fill(period: Period) -> None:
        builders.make_response(city.kelurahan, kelurahan_scores, instrument=instrument, period=period)

    return closed_period(
        "Triwulan II 2026", datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), user=secretariat, fill=fill
    )


def test_the_overview_shows_plans_done_share_and_whether_targets_improved(city, instrument, tw1, secretariat):
    action(city.kelurahan, tw1, secretariat, "SARANA", status=FollowUpStatus.DONE)
    action(city.kelurahan, tw1, secretariat, "PROSEDUR", status=FollowUpStatus.IN_PROGRESS)
    action(city.kelurahan, tw1, secretariat, "BIAYA")
    # Next period: SARANA rises from 1 to 3, PROSEDUR falls from 2 to 1, BIAYA stays at 2.
    _next_period(city, instrument, secretariat, [4, 1, 3, 2, 4, 2, 4, 3, 3])
    overview = followup_progress.followup_overview(tw1)
    assert overview is not None and overview.next_period.name == "Triwulan II 2026"
    assert (overview.units_with_plan, overview.units_with_data) == (1, 2)
    assert (overview.share.done, overview.share.total) == (1, 3)
    kelurahan = next(line for line in overview.units if line.unit == city.kelurahan)
    assert {target.element_code: target.improved for target in kelurahan.targets} == {
        "BIAYA": False,
        "PROSEDUR": False,
        "SARANA": True,
    }
    puskesmas = next(line for line in overview.units if line.unit == city.puskesmas)
    assert not puskesmas.has_plan


def test_improvement_is_unknown_without_a_next_period(city, tw1, secretariat):
    action(city.kelurahan, tw1, secretariat, "SARANA")
    overview = followup_progress.followup_overview(tw1)
    assert overview is not None and overview.next_period is None
    (target,) = next(line for line in overview.units if line.unit == city.kelurahan).targets
    assert target.improved is None and target.before == 25


def test_the_overview_page_costs_a_fixed_number_of_queries(
    city, instrument, tw1, secretariat, django_assert_max_num_queries
):
    for unit in (city.kelurahan, city.puskesmas):
        action(unit, tw1, secretariat, "SARANA")
    _next_period(city, instrument, secretariat, [3] * 9)
    client = logged_in(secretariat)
    with django_assert_max_num_queries(10):
        response = client.get(f"/petugas/periode/{tw1.pk}/rtl/")
    page = response.content.decode()
    assert "2 dari 2 unit dengan data memiliki rencana tindak lanjut" in page
    assert "naik" in page


def test_the_unit_admin_sees_whether_each_targeted_element_improved(
    city, instrument, tw1, kecamatan_admin, secretariat
):
    action(city.kelurahan, tw1, kecamatan_admin, "SARANA")
    _next_period(city, instrument, secretariat, [4, 1, 3, 2, 4, 2, 4, 3, 3])
    page = logged_in(kecamatan_admin).get(f"/petugas/unit/{city.kelurahan.code}/rtl/{tw1.pk}/").content.decode()
    assert "Triwulan II 2026" in page
    row = page.split("Perbaikan SARANA")[1].split("</tr>")[0]
    assert "25,00 → 75,00" in row and "naik" in row and "tidak naik" not in row
