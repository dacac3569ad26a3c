"""The public survey: the unit finder, the per-unit form behind QR codes and links, QR images.

The server decides unit, instrument and period; the form only carries answers and a signed
ticket (one-time key, start time, channel). A key seen before shows the thank-you page and
stores nothing; a database error shows a page that resubmits the same key.
"""

from __future__ import annotations

import functools
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from surveys import clock, intake, lookup_cache, qr, ratelimit, selectors, services
from surveys.forms import HONEYPOT_FIELD, TICKET_FIELD, CitizenForm, form_settings
from surveys.models import Channel, Instrument, Kiosk, Period, Response, ServiceUnit
from surveys.tickets import Ticket, ticket_read, ticket_sign

logger = logging.getLogger(__name__)
SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class SurveyTarget:
    """Where a form submission goes and where its thank-you page is."""

    unit: ServiceUnit
    kiosk: Kiosk | None
    form_url: str
    thanks_url: str


@require_GET
def unit_finder(request: HttpRequest) -> HttpResponse:
    """`/s/`: every active unit grouped by kind, with a search box, each linking to its form."""
    search = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    groups = selectors.survey_units_by_kind(search)
    return render(
        request,
        "surveys/citizen/unit_finder.html",
        {"groups": groups, "search": search, "unit_count": sum(len(group.units) for group in groups)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey_form(request: HttpRequest, code: str) -> HttpResponse:
    """`/s/<code>/`: the unit's questionnaire (`?src=qr` marks a visit from a poster)."""
    unit = selectors.survey_unit(code)
    if unit is None:
        return render(request, "surveys/citizen/unavailable.html", {"reason": "unknown"}, status=404)
    if not unit.is_active:
        return render(request, "surveys/citizen/unavailable.html", {"unit": unit, "reason": "inactive"}, status=410)
    form_url, thanks_url = _survey_urls(unit.code)
    target = SurveyTarget(unit=unit, kiosk=None, form_url=form_url, thanks_url=thanks_url)
    channel = Channel.QR if request.GET.get("src") == "qr" else Channel.WEB
    return survey_page(request, target=target, channel=channel)


@functools.lru_cache(maxsize=4096)
def _survey_urls(code: str) -> tuple[str, str]:
    """A unit's form and thank-you URLs (the URLconf never changes while the process runs)."""
    return reverse("survey-form", args=[code]), reverse("survey-thanks", args=[code])


@never_cache
@require_GET
def survey_thanks(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.survey_unit(code)
    return render(request, "surveys/citizen/thanks.html", {"unit": unit})


@cache_control(max_age=86400, public=True)
@require_GET
def survey_qr(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """`/s/<code>/qr.svg` and `.png`: the QR code of the unit's poster link."""
    unit = ServiceUnit.objects.filter(code=code).first()
    if unit is None:
        return render(request, "surveys/citizen/unavailable.html", {"reason": "unknown"}, status=404)
    url = poster_url(request, unit)
    if kind == "png":
        return HttpResponse(qr.qr_png(url), content_type="image/png")
    return HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")


def poster_url(request: HttpRequest, unit: ServiceUnit) -> str:
    """The absolute URL a unit's QR code holds (marked as coming from a poster)."""
    return request.build_absolute_uri(reverse("survey-form", args=[unit.code])) + "?src=qr"


def survey_page(request: HttpRequest, *, target: SurveyTarget, channel: str) -> HttpResponse:
    """Show the form (GET) or take a submission (POST) for a unit; shared by links and kiosks.

    The unit's instrument, elements, services and today's open period come from a per-process
    cache at most `SURVEY_LOOKUP_TTL_SECONDS` old (`surveys.lookup_cache`); the submission key
    is always checked in the database. The rules (which period, which ticket, whether it counts)
    are `surveys.intake`'s.
    """
    setup = selectors.survey_setup_for(target.unit)
    posted = ticket_read(request.POST.get(TICKET_FIELD)) if request.method == "POST" else None
    period = intake.period_for(posted, today=timezone.localdate())
    if setup.instrument is None or period is None:
        context = {"unit": target.unit, "kiosk": target.kiosk, "reason": "closed"}
        return render(request, "surveys/citizen/unavailable.html", context)
    kiosk = target.kiosk
    if request.method != "POST":
        ticket = intake.ticket_for(request, unit=target.unit, kiosk=kiosk, channel=channel, period=period)
        return _blank_form(request, target, setup, ticket_sign(ticket))
    form = _citizen_form(setup, request.POST)
    if posted is None or not posted.fits(unit_code=target.unit.code, kiosk_id=kiosk.pk if kiosk else None):
        form.is_valid()  # keep every answer given and show what is still missing
        fresh = intake.ticket_for(request, unit=target.unit, kiosk=kiosk, channel=channel, period=period)
        return _render_form(request, target, form, ticket_sign(fresh), ticket_error=True, status=400)
    if posted.expired():
        if _stored(posted):
            return HttpResponseRedirect(target.thanks_url)
        form.is_valid()  # the answers stay on the page; the citizen only sends them again
        renewed = intake.ticket_for(
            request, unit=target.unit, kiosk=kiosk, channel=channel, period=period, renew=posted
        )
        return _render_form(request, target, form, ticket_sign(renewed), ticket_renewed=True)
    if not form.is_valid():
        if _stored(posted):
            return HttpResponseRedirect(target.thanks_url)
        return _render_form(request, target, form, request.POST[TICKET_FIELD], status=400)
    return _store(request, target, form, posted, instrument=setup.instrument, period=period)


def _stored(ticket: Ticket) -> bool:
    """Whether this form was stored before (a double tap, a retry, back-and-resubmit): such a
    request ends on the thank-you page. A valid resubmission learns it from `response_submit`."""
    return Response.objects.filter(submission_key=ticket.key).exists()


def _store(
    request: HttpRequest,
    target: SurveyTarget,
    form: CitizenForm,
    ticket: Ticket,
    *,
    instrument: Instrument,
    period: Period,
) -> HttpResponse:
    """Count against the limits, store once (counted, held or excluded, as `intake.verdict` says);
    the citizen always ends on the thank-you page, a retry page, or (over a hard ceiling) a
    please-wait page. A submission that was not stored after all gives its counts back."""
    limits = intake.limits_for(request, unit=target.unit, kiosk=target.kiosk)
    now = clock.now()
    over = ratelimit.take(limits, now=now)
    refused = [limit for limit in over if limit.refuses]
    if refused and _stored(ticket):
        return HttpResponseRedirect(target.thanks_url)
    if refused:
        return _rate_limited(request, target, refused, now=now)
    honeypot_filled = bool(request.POST.get(HONEYPOT_FIELD, "").strip())
    decided = intake.verdict(unit=target.unit, honeypot_filled=honeypot_filled, ticket=ticket, over=over, now=now)
    submission = form.submission(
        key=ticket.key,
        unit=target.unit,
        instrument=instrument,
        period=period,
        channel=Channel.KIOSK if target.kiosk else ticket.channel,
        kiosk=target.kiosk,
        state=decided.state,
        reason=decided.reason,
        source_tag=ratelimit.source_tag(request, period.pk),
    )
    stored = False
    try:
        stored = services.response_submit(submission=submission).created
    except DatabaseError:
        logger.exception("storing a survey response failed; the citizen is offered a retry")
        return _retry_page(request, target)
    finally:
        if not stored:  # a duplicate, a database error, anything else: this request stored nothing
            ratelimit.give_back(limits, now=now)
    return HttpResponseRedirect(target.thanks_url)


def _rate_limited(
    request: HttpRequest, target: SurveyTarget, refused: list[ratelimit.Limit], *, now: float
) -> HttpResponse:
    wait = max(ratelimit.seconds_until_reset(each, now=now) for each in refused)
    page = render(
        request,
        "surveys/citizen/rate_limited.html",
        {"unit": target.unit, "target": target, "fields": _posted_fields(request), "wait_minutes": -(-wait // 60)},
        status=429,
    )
    page["Retry-After"] = str(wait)
    return page


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _citizen_form(setup: selectors.SurveySetup, data: QueryDict | None = None) -> CitizenForm:
    return CitizenForm(data, elements=setup.elements, services=setup.services, language=_language(), share_fields=True)


def _blank_form(request: HttpRequest, target: SurveyTarget, setup: selectors.SurveySetup, ticket: str) -> HttpResponse:
    """The unanswered form. Its HTML is the same for every visitor of a form URL in a language
    but for the ticket, the CSRF token and the language switch's return path, so it is rendered
    once with placeholders and kept in the lookup cache under everything it shows (the unit's
    name, the setup's fingerprint, the form settings): as fresh as the setup itself, and not
    rendered again when a refreshed setup is unchanged. Each visit substitutes its own values.
    Pending messages get a full render."""
    if get_messages(request):
        return _render_form(request, target, _citizen_form(setup), ticket)
    unit = target.unit

    def load() -> str:
        extra = {"csrf_token": _CSRF_SLOT, "language_next": _NEXT_SLOT}
        page = _render_form(request, target, _citizen_form(setup), _TICKET_SLOT, extra=extra)
        return page.content.decode()

    key = ("form-page", target.form_url, _language(), unit.name, unit.kind, setup.fingerprint, *form_settings())
    html = lookup_cache.cached(key, load, ttl=FORM_PAGE_TTL_SECONDS)
    html = (
        html.replace(_TICKET_SLOT, ticket)
        .replace(_CSRF_SLOT, get_token(request))
        .replace(_NEXT_SLOT, escape(request.get_full_path()))
    )
    return HttpResponse(html)


_TICKET_SLOT, _CSRF_SLOT, _NEXT_SLOT = ("slot" + secrets.token_hex(16) for _ in range(3))
FORM_PAGE_TTL_SECONDS = 600  # the key names the page's content; the TTL only returns the memory


def _render_form(
    request: HttpRequest,
    target: SurveyTarget,
    form: CitizenForm,
    ticket: str,
    *,
    ticket_error: bool = False,
    ticket_renewed: bool = False,
    status: int = 200,
    extra: dict[str, str] | None = None,
) -> HttpResponse:
    return render(
        request,
        "surveys/citizen/form.html",
        (extra or {})
        | {
            "unit": target.unit,
            "kiosk": target.kiosk,
            "form": form,
            "form_url": target.form_url,
            "ticket": ticket,
            "ticket_field": TICKET_FIELD,
            "honeypot_field": HONEYPOT_FIELD,
            "ticket_error": ticket_error,
            "ticket_renewed": ticket_renewed,
            "suggestion_limit": settings.SURVEY_SUGGESTION_MAX_LENGTH,
            "kiosk_thanks_seconds": settings.SURVEY_KIOSK_THANKS_SECONDS,
        },
        status=status,
    )


def _retry_page(request: HttpRequest, target: SurveyTarget) -> HttpResponse:
    """A "please try again" page holding the submission (same key) in hidden fields."""
    response = render(
        request,
        "surveys/citizen/retry.html",
        {"unit": target.unit, "target": target, "fields": _posted_fields(request)},
        status=503,
    )
    response["Retry-After"] = "5"
    return response


def _posted_fields(request: HttpRequest) -> list[tuple[str, str]]:
    """The submission as hidden fields (same ticket, so sending it again can never duplicate it)."""
    return [(name, value) for name, values in request.POST.lists() if name != "csrfmiddlewaretoken" for value in values]
