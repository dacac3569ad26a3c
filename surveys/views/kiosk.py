"""Kiosk mode: a registered tablet shows the form, thanks the citizen, then starts afresh.

The public kiosk URL holds a signed token; a revoked or forged token shows a friendly refusal
and stores nothing. The staff pages (register, revoke) are scoped through `surveys.access`.

With JavaScript, a kiosk is an installable app scoped to its own URL (a manifest and a service
worker served under it): the form works with no connection, each completed form waits in the
tablet's queue and is sent to `kiosk_queue` (the rules are `surveys.kiosk_queue`'s). The screen
offers no way out to the rest of the site; staff leave kiosk mode by closing the app.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from surveys import access, selectors, services
from surveys import kiosk_queue as queue
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


#: What the service worker keeps for a kiosk that opens with no connection, beside the form page.
KIOSK_ASSETS = ("css/survey.css", "js/survey.js", "js/kiosk.js")
COUNT_MAX = 1_000_000


@never_cache
@require_GET
def kiosk_manifest(request: HttpRequest, signed: str) -> HttpResponse:
    """The web app manifest that lets Chromium install this kiosk as an app of its own URL."""
    kiosk = selectors.kiosk_for_signed_token(signed)
    if kiosk is None:
        raise Http404("kiosk not found")
    form_url = reverse("kiosk-form", args=[signed])
    manifest = {
        "name": _("Survei %(unit)s") % {"unit": kiosk.unit.name},
        "short_name": _("Survei SKM"),
        "start_url": form_url,
        "scope": form_url,
        "display": "fullscreen",
        "background_color": "#ffffff",
        "theme_color": "#0b5394",
        "icons": [
            {"src": static(f"img/kiosk-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@never_cache
@require_GET
def kiosk_worker(request: HttpRequest, signed: str) -> HttpResponse:
    """The service worker, served under the kiosk's URL so that its scope is that kiosk alone."""
    if selectors.kiosk_for_signed_token(signed) is None:
        raise Http404("kiosk not found")
    assets = [static(path) for path in KIOSK_ASSETS]
    form_url = reverse("kiosk-form", args=[signed])
    script = render_to_string(
        "surveys/kiosk/worker.js", {"assets": json.dumps(assets), "form_url": json.dumps(form_url), "version": ""}
    )
    version = hashlib.sha256(script.encode()).hexdigest()[:12]  # a new worker whenever an asset changes
    return HttpResponse(script.replace("__VERSION__", version), content_type="text/javascript; charset=utf-8")


@csrf_exempt  # the signed kiosk token in the URL is the credential; no cookie is read (docs/skm-rules.md §16)
@never_cache
@require_POST
def kiosk_queue(request: HttpRequest, signed: str) -> JsonResponse:
    """`/kios/<token>/antrean/`: the tablet sends its queued forms, oldest first, as JSON, with how
    many it still holds and how many it set aside. Each entry gets its own outcome."""
    kiosk = selectors.kiosk_for_signed_token(signed)
    if kiosk is None:
        return JsonResponse({"error": "unknown"}, status=404)
    if request.content_type != "application/json":
        return JsonResponse({"error": "json"}, status=415)
    try:
        body = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "json"}, status=400)
    entries = body.get("entries") if isinstance(body, dict) else None
    if not isinstance(entries, list) or len(entries) > queue.BATCH_MAX:
        return JsonResponse({"error": "entries"}, status=400)
    active = kiosk.is_active and kiosk.unit.is_active
    outcomes: list[queue.Outcome] = []
    for raw in entries:
        outcomes.append(_queued_outcome(request, raw, kiosk=kiosk, busy=_busy(outcomes)))
    settled = sum(outcome.status != queue.LATER for outcome in outcomes)
    refused = sum(outcome.status == queue.REFUSED for outcome in outcomes)
    services.kiosk_contact(  # what the tablet holds once this reply reaches it
        kiosk=kiosk,
        queued=max(0, _count(body.get("queued")) - settled),
        refused=_count(body.get("refused")) + refused,
    )
    return JsonResponse(
        {"active": active, "results": [outcome.as_json() for outcome in outcomes]}, status=200 if active else 410
    )


def _queued_outcome(request: HttpRequest, raw: object, *, kiosk: Kiosk, busy: bool) -> queue.Outcome:
    entry = queue.entry_read(raw)
    if entry is None:
        key = str(raw.get("key", ""))[:64] if isinstance(raw, dict) else ""
        return queue.Outcome(key, queue.REFUSED, "malformed")
    if busy:
        return queue.Outcome(entry.sent_key, queue.LATER)
    return queue.entry_accept(request, entry, kiosk=kiosk)


def _busy(outcomes: list[queue.Outcome]) -> bool:
    """Once the server asks for an entry later, the rest wait too (the queue stays in order)."""
    return any(outcome.status == queue.LATER for outcome in outcomes)


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= COUNT_MAX else 0


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
        request,
        "surveys/kiosk/list.html",
        {"form": form, "kiosks": kiosks, "grace_days": selectors.survey_settings().kiosk_queue_grace_days},
        status=400 if form.errors else 200,
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
