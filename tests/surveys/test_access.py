from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from surveys import access

pytestmark = pytest.mark.django_db


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_the_secretariat_sees_every_unit(city, secretariat) -> None:
    assert codes(access.visible_units(secretariat)) == codes(type(city.root).objects.all())


def test_a_kecamatan_admin_sees_the_kecamatan_and_its_kelurahan_only(city, kecamatan_admin) -> None:
    assert codes(access.visible_units(kecamatan_admin)) == {"16.71.04", "16.71.04.1001"}


def test_a_puskesmas_lying_in_a_kecamatan_is_not_the_kecamatan_admins(city, kecamatan_admin) -> None:
    assert not access.can_see_unit(kecamatan_admin, city.puskesmas)


def test_the_health_office_admin_sees_its_puskesmas(city, django_user_model) -> None:
    from tests.conftest import _staff

    dinkes_admin = _staff("admin-dinkes", "unit_admin", [city.dinkes])
    assert codes(access.visible_units(dinkes_admin)) == {"opd-dinkes", "pkm-dempo"}


def test_a_unit_outside_the_scope_is_a_404(city, other_admin) -> None:
    with pytest.raises(Http404):
        access.unit_for_user_or_404(other_admin, city.kelurahan.code)
    assert access.unit_for_user_or_404(other_admin, city.other_kelurahan.code) == city.other_kelurahan


def test_anonymous_and_inactive_users_see_nothing(city, kecamatan_admin) -> None:
    assert not access.visible_units(AnonymousUser()).exists()
    kecamatan_admin.is_active = False
    assert not access.visible_units(kecamatan_admin).exists()
