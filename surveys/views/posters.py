"""Printable A4 posters: unit name, QR code, short URL and three lines of instructions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from surveys import access, qr
from surveys.models import ServiceUnit, UnitKind
from surveys.views.citizen import poster_url

POSTERS_MAX = 400


def _poster(request: HttpRequest, unit: ServiceUnit) -> dict[str, object]:
    url = poster_url(request, unit)
    return {
        "unit": unit,
        "qr_svg": qr.qr_svg_inline(url),
        "short_url": request.build_absolute_uri(reverse("survey-form", args=[unit.code])),
    }


@login_required
@require_GET
def poster_one(request: HttpRequest, code: str) -> HttpResponse:
    """`/petugas/poster/<code>/`: one unit's poster, ready to print."""
    unit = access.unit_for_user_or_404(request.user, code)
    return render(request, "surveys/citizen/posters.html", {"posters": [_poster(request, unit)], "single": True})


@login_required
@require_GET
def poster_all(request: HttpRequest) -> HttpResponse:
    """`/petugas/poster/`: a poster per active unit the user looks after, one per printed page."""
    units = access.visible_units(request.user).active().exclude(kind=UnitKind.PEMKOT).order_by("path")
    posters = [_poster(request, unit) for unit in units[:POSTERS_MAX]]
    return render(request, "surveys/citizen/posters.html", {"posters": posters, "single": False})
