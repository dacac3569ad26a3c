"""Who may see and change which unit. Every staff view, selector and export asks here.

A unit admin sees the units named on their profile and everything below them in the tree
(a Dinas Kesehatan admin sees its puskesmas, a kecamatan admin its kelurahan). The
secretariat and superusers see every unit. Anything outside a user's scope is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse

from surveys.models import ServiceUnit, ServiceUnitQuerySet, StaffProfile, StaffRole

AnyUser = AbstractBaseUser | AnonymousUser

#: A view function, as `secretariat_required` takes and returns it.
View = Callable[..., HttpResponse]


def _profile(user: AnyUser) -> StaffProfile | None:
    if not user.is_authenticated:
        return None
    try:
        profile: StaffProfile = cast(Any, user).staff_profile  # cached on the user object by Django
    except StaffProfile.DoesNotExist:
        return None
    return profile


def is_secretariat(user: AnyUser) -> bool:
    """The city secretariat (or a superuser): sees every unit, runs periods and the registry."""
    if not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "is_superuser", False):
        return True
    profile = _profile(user)
    return profile is not None and profile.role == StaffRole.SECRETARIAT


def secretariat_required(view: View) -> View:
    """A secretariat-only view: a visitor is sent to the login page, anyone else gets a 404 (a
    page that is not theirs does not exist for them), like every unit-scoped page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_secretariat(request.user):
            raise Http404("not found")
        return view(request, *args, **kwargs)

    return wrapper


def is_staff_member(user: AnyUser) -> bool:
    return is_secretariat(user) or _profile(user) is not None


def visible_units(user: AnyUser) -> ServiceUnitQuerySet:
    """Every unit this user may see: all for the secretariat, own subtrees for a unit admin."""
    if is_secretariat(user):
        return ServiceUnit.objects.all()
    profile = _profile(user)
    if profile is None or not user.is_active:
        return ServiceUnit.objects.none()
    return ServiceUnit.objects.subtree_of(list(profile.units.all()))


def can_see_unit(user: AnyUser, unit: ServiceUnit) -> bool:
    return visible_units(user).filter(pk=unit.pk).exists()


def unit_for_user_or_404(user: AnyUser, code: str) -> ServiceUnit:
    """The unit with this code if the user may see it; a 404 otherwise (never a 403)."""
    try:
        return visible_units(user).get(code=code)
    except ServiceUnit.DoesNotExist:
        raise Http404("unit not found") from None


def home_units(user: AnyUser) -> ServiceUnitQuerySet:
    """The units a user starts from: the profile's units for an admin, the city root otherwise."""
    if is_secretariat(user):
        return ServiceUnit.objects.filter(parent__isnull=True)
    profile = _profile(user)
    if profile is None:
        return ServiceUnit.objects.none()
    return ServiceUnit.objects.filter(pk__in=profile.units.values("pk"))
