from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from surveys import access


@login_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    """Where a staff member lands after login.

    The secretariat goes to the city dashboard (or, with `?daftar`, the list of every unit with
    its paper-form links); a unit admin with one unit to that unit's dashboard; with several
    units (or none yet), a list of the units they may open.
    """
    is_secretariat = access.is_secretariat(request.user)
    if is_secretariat and "daftar" not in request.GET:
        return redirect("city-dashboard")
    home = list(access.home_units(request.user).order_by("name")[:2])
    if not is_secretariat and len(home) == 1 and "semua" not in request.GET:
        return redirect("unit-dashboard", code=home[0].code)
    units = access.visible_units(request.user).select_related("parent").order_by("path")
    return render(
        request,
        "surveys/staff_home.html",
        {"units": units[:500], "unit_count": units.count(), "is_secretariat": is_secretariat},
    )
