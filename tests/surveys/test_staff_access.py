"""Who sees which unit: unit admins their own subtrees, the secretariat everything (surveys/access.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from surveys import access
from surveys.models import StaffProfile, StaffRole
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db


def codes(units) -> set[str]:
    return {unit.code for unit in units}


def test_a_kecamatan_admin_sees_the_kecamatan_and_its_kelurahan_only(city, kecamatan_admin):
    assert codes(access.visible_units(kecamatan_admin)) == {city.kecamatan.code, city.kelurahan.code}


def test_a_health_office_admin_sees_its_puskesmas(city):
    user = get_user_model().objects.create_user("admin-dinkes", password=PASSWORD)
    StaffProfile.objects.create(user=user, role=StaffRole.UNIT_ADMIN).units.set([city.dinkes])
    assert codes(access.visible_units(user)) == {city.dinkes.code, city.puskesmas.code}


def test_an_admin_of_several_units_sees_each_subtree(city):
    user = get_user_model().objects.create_user("admin-dua", password=PASSWORD)
    StaffProfile.objects.create(user=user, role=StaffRole.UNIT_ADMIN).units.set([city.puskesmas, city.other_kelurahan])
    assert codes(access.visible_units(user)) == {city.puskesmas.code, city.other_kelurahan.code}


def test_the_secretariat_and_superusers_see_every_unit(city, secretariat):
    superuser = get_user_model().objects.create_superuser("root", password=PASSWORD)
    assert access.visible_units(secretariat).count() == access.visible_units(superuser).count() == 7


def test_anonymous_inactive_and_profileless_users_see_nothing(city, kecamatan_admin):
    plain = get_user_model().objects.create_user("biasa", password=PASSWORD)
    kecamatan_admin.is_active = False
    assert not access.visible_units(AnonymousUser()).exists()
    assert not access.visible_units(plain).exists()
    assert not access.visible_units(kecamatan_admin).exists()


def test_a_unit_outside_the_scope_is_a_404_not_a_403(city, kecamatan_admin):
    assert access.unit_for_user_or_404(kecamatan_admin, city.kelurahan.code) == city.kelurahan
    with pytest.raises(Http404):
        access.unit_for_user_or_404(kecamatan_admin, city.other_kelurahan.code)


def test_a_unit_admin_with_one_unit_lands_on_its_dashboard(city, puskesmas_admin):
    answer = logged_in(puskesmas_admin).get(reverse("staff-home"))
    assert answer["Location"] == reverse("unit-dashboard", args=[city.puskesmas.code])


def test_a_unit_admin_with_several_units_gets_a_list_of_them(city):
    user = get_user_model().objects.create_user("admin-dua", password=PASSWORD)
    StaffProfile.objects.create(user=user, role=StaffRole.UNIT_ADMIN).units.set([city.puskesmas, city.kecamatan])
    page = logged_in(user).get(reverse("staff-home"))
    assert page.status_code == 200
    assert reverse("unit-dashboard", args=[city.kelurahan.code]) in page.text
    assert reverse("unit-dashboard", args=[city.other_kelurahan.code]) not in page.text


def test_the_secretariat_lands_on_the_city_dashboard(secretariat):
    assert logged_in(secretariat).get(reverse("staff-home"))["Location"] == reverse("city-dashboard")


def test_a_user_without_units_is_told_to_ask_the_secretariat(city):
    user = get_user_model().objects.create_user("baru", password=PASSWORD)
    StaffProfile.objects.create(user=user, role=StaffRole.UNIT_ADMIN)
    page = logged_in(user).get(reverse("staff-home"))
    assert "Hubungi sekretariat" in page.text


def test_login_lands_a_unit_admin_on_the_dashboard(city, kecamatan_admin, client):
    answer = client.post(reverse("login"), {"username": "admin-ib1", "password": PASSWORD}, follow=True)
    assert answer.redirect_chain[-1][0] == reverse("unit-dashboard", args=[city.kecamatan.code])


def test_repeated_failed_logins_lock_the_account_for_a_while(city, kecamatan_admin, client, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "admin-ib1", "password": "salah"})
    locked = client.post(reverse("login"), {"username": "admin-ib1", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()
