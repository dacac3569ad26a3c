from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from surveys import access


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """Where a staff member lands after login: the units they look after."""
    units = access.visible_units(request.user).select_related("parent").order_by("path")
    return render(
        request,
        "surveys/staff_home.html",
        {
            "units": units[:500],
            "unit_count": units.count(),
            "is_secretariat": access.is_secretariat(request.user),
        },
    )
