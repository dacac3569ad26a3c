"""Kiosk mode: a registered tablet shows the form, thanks the citizen, then starts afresh.

The public kiosk URL holds a signed token; a revoked or forged token shows a friendly refusal
and stores nothing. The staff pages (register, revoke) are scoped through `surveys.access`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from surveys import access, selectors, services
from surveys.forms import KioskRegisterForm
from surveys.models import Channel, Kiosk
from surveys.views.citizen import SurveyTarget, survey_page


def _usable_kiosk(request: HttpRequest, signed: str) -> Kiosk | HttpResponse:
    kiosk = selectors.kiosk_for_signed_token(signed)
    if kiosk is None:
        return render(request, "surveys/kiosk/refused.html", {"reason": "unknown"}, status=404)
    if not kiosk.is_active or not kiosk.unit.is_active:
        return render(request, "surveys/kiosk/refused.html", {"reason": "revoked", "kiosk": kiosk}, status=410)
    return kiosk


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_form(request: HttpRequest, signed: str) -> HttpResponse:
    """`/kios/<token>/`: the unit's form on a shared tablet."""
    kiosk = _usable_kiosk(request, signed)
    if isinstance(kiosk, HttpResponse):
        return kiosk
    target = SurveyTarget(
        unit=kiosk.unit,
        kiosk=kiosk,
        form_url=reverse("kiosk-form", args=[signed]),
        thanks_url=reverse("kiosk-thanks", args=[signed]),
    )
    return survey_page(request, target=target, channel=Channel.KIOSK)


@never_cache
@require_GET
def kiosk_thanks(request: HttpRequest, signed: str) -> HttpResponse:
    """Thanks for a few seconds, then a fresh empty form (an HTTP Refresh: no JavaScript needed).

    A language the last visitor chose is forgotten, so the next one starts in Bahasa Indonesia.
    """
    kiosk = _usable_kiosk(request, signed)
    if isinstance(kiosk, HttpResponse):
        return kiosk
    form_url = reverse("kiosk-form", args=[signed])
    seconds = settings.SURVEY_KIOSK_THANKS_SECONDS
    response = render(
        request,
        "surveys/kiosk/thanks.html",
        {"unit": kiosk.unit, "kiosk": kiosk, "form_url": form_url, "seconds": seconds},
    )
    response["Refresh"] = f"{seconds}; url={form_url}"
    response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)  # the next visitor starts in Bahasa Indonesia
    return response


@login_required
@require_http_methods(["GET", "POST"])
def kiosk_list(request: HttpRequest) -> HttpResponse:
    """`/petugas/kios/`: the kiosks of the user's units, their private URLs, and a register form."""
    units = access.visible_units(request.user).active().order_by("name")
    form = KioskRegisterForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        kiosk = services.kiosk_register(
            unit=form.cleaned_data["unit"], label=form.cleaned_data["label"], actor=request.user
        )
        messages.success(request, _("Kios “%(label)s” terdaftar. Buka alamatnya di tablet.") % {"label": kiosk.label})
        return redirect("kiosk-list")
    kiosks = [
        (kiosk, request.build_absolute_uri(reverse("kiosk-form", args=[selectors.kiosk_signed_token(kiosk)])))
        for kiosk in selectors.kiosks_for_units(access.visible_units(request.user))
    ]
    return render(
        request, "surveys/kiosk/list.html", {"form": form, "kiosks": kiosks}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def kiosk_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a kiosk of one of the user's units (any other kiosk is a 404)."""
    kiosk = Kiosk.objects.filter(pk=pk, unit__in=access.visible_units(request.user)).first()
    if kiosk is None:
        raise Http404("kiosk not found")
    services.kiosk_revoke(kiosk=kiosk, actor=request.user)
    messages.success(
        request, _("Kios “%(label)s” dicabut; alamatnya tidak lagi menerima isian.") % {"label": kiosk.label}
    )
    return redirect("kiosk-list")
