"""Printable A4 posters: unit name, QR code, short URL and three lines of instructions.

A few units' posters come on one page. For more (the secretariat's 200), the page offers them per
kecamatan and per kind of unit, with one "cetak semua" for the printer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from surveys import access, qr
from surveys.models import ServiceUnit, UnitKind
from surveys.views.citizen import poster_url

POSTERS_MAX = 400
POSTERS_AT_ONCE = 30  # up to this many units, every poster is on the page straight away
NO_KECAMATAN = "-"


@dataclass(frozen=True)
class PosterGroup:
    """A set of posters to print together: its name, how many, and the query that shows them."""

    label: str
    count: int
    query: str


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


def _kecamatan_code(unit: ServiceUnit, codes: dict[int, str]) -> str:
    kecamatan_id = unit.kecamatan_id
    return codes.get(kecamatan_id, NO_KECAMATAN) if kecamatan_id is not None else NO_KECAMATAN


def _groups(
    units: Sequence[ServiceUnit], kecamatans: dict[str, str], codes: dict[int, str]
) -> tuple[list[PosterGroup], list[PosterGroup]]:
    """Per kecamatan (by name; units in none last), and per kind of unit."""
    by_kecamatan = Counter(_kecamatan_code(unit, codes) for unit in units)
    by_kind = Counter(unit.kind for unit in units)
    groups = [
        PosterGroup(_("Kecamatan %(name)s") % {"name": name}, by_kecamatan[code], f"kecamatan={code}")
        for code, name in sorted(kecamatans.items(), key=lambda item: item[1].casefold())
        if by_kecamatan[code]
    ]
    if by_kecamatan[NO_KECAMATAN]:
        groups.append(
            PosterGroup(_("Perangkat daerah tanpa wilayah kecamatan"), by_kecamatan[NO_KECAMATAN], "kecamatan=-")
        )
    kinds = [
        PosterGroup(str(label), by_kind[kind], f"jenis={kind}") for kind, label in UnitKind.choices if by_kind[kind]
    ]
    return groups, kinds


@login_required
@require_GET
def poster_all(request: HttpRequest) -> HttpResponse:
    """`/petugas/poster/`: a poster per active unit the user looks after, one per printed page;
    past POSTERS_AT_ONCE units, `?kecamatan=<code>`, `?jenis=<kind>` or `?semua=1` chooses which."""
    units = list(
        access.visible_units(request.user).serving_public().select_related("area").order_by("path")[:POSTERS_MAX]
    )
    kecamatan_rows = [unit for unit in units if unit.kind == UnitKind.KECAMATAN] + [
        unit.area for unit in units if unit.area is not None
    ]
    kecamatans = {unit.code: unit.name for unit in kecamatan_rows}
    codes = {unit.pk: unit.code for unit in kecamatan_rows}
    kecamatan, kind = request.GET.get("kecamatan"), request.GET.get("jenis")
    context: dict[str, object] = {"single": False, "total": len(units)}
    if kecamatan is not None and (kecamatan in kecamatans or kecamatan == NO_KECAMATAN):
        chosen = [unit for unit in units if _kecamatan_code(unit, codes) == kecamatan]
        context["chosen"] = kecamatans.get(kecamatan) or _("Perangkat daerah tanpa wilayah kecamatan")
    elif kind is not None and kind in UnitKind.values:
        chosen = [unit for unit in units if unit.kind == kind]
        context["chosen"] = str(UnitKind(kind).label)
    elif "semua" in request.GET or len(units) <= POSTERS_AT_ONCE:
        chosen = units
    else:
        chosen = []
        context["unknown"] = kecamatan is not None or kind is not None
    if not chosen or "chosen" in context:
        context["by_kecamatan"], context["by_kind"] = _groups(units, kecamatans, codes)
    context["posters"] = [_poster(request, unit) for unit in chosen]
    return render(request, "surveys/citizen/posters.html", context)
