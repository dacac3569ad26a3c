"""Suggestions (kritik dan saran) of a unit: newest first, paged, searchable; propose taking a
response out of the index (the secretariat decides, or excludes at once)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reports import selectors
from reports.forms import SuggestionFilterForm
from reports.periods import all_periods, period_choices, resolve_period_choice
from surveys import access, services
from surveys.access import secretariat_required
from surveys.models import Response

PAGE_SIZE = 20


@login_required
@require_GET
def unit_suggestions(request: HttpRequest, code: str) -> HttpResponse:
    unit = access.unit_for_user_or_404(request.user, code)
    periods = all_periods()
    unit_services = list(unit.services.order_by("order", "name"))
    info = selectors.instrument_info(unit=unit, language=request.LANGUAGE_CODE)
    elements = [(element.code, info.names[element.code]) for element in info.rules.elements]
    form = SuggestionFilterForm(
        request.GET or None, periods=period_choices(periods), services=unit_services, elements=elements
    )
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    choice = resolve_period_choice(values.get("period"), periods, today=timezone.localdate())
    responses = selectors.suggestions_for(
        unit=unit,
        periods=choice.periods if choice else [],
        service_id=values.get("service"),
        search=values.get("q") or "",
        element=values.get("element") or "",
        score=values.get("score"),
        state=values.get("state") or "",
    )
    page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "reports/suggestions.html",
        {
            "unit": unit,
            "form": form,
            "choice": choice,
            "page": page,
            "query": params.urlencode(),
            "here": request.get_full_path(),
            "is_secretariat": access.is_secretariat(request.user),
        },
    )


def _back(request: HttpRequest, unit_code: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("unit-suggestions", args=[unit_code]))


@login_required
@require_POST
def response_exclusion(request: HttpRequest, code: str, pk: int) -> HttpResponseRedirect:
    """Take one of the unit's responses out of its index: a unit admin proposes it (the secretariat
    decides); the secretariat excludes it at once. The reason is required either way."""
    reason = request.POST.get("reason", "")[:300]
    if access.is_secretariat(request.user):
        return _review(
            request,
            code,
            pk,
            lambda response: services.response_exclude(response=response, user=request.user, reason=reason),  # type: ignore[arg-type]
            done=_("Tanggapan ini tidak lagi dihitung."),
        )
    return _review(
        request,
        code,
        pk,
        lambda response: services.exclusion_propose(response=response, user=request.user, reason=reason),  # type: ignore[arg-type]
        done=_("Usulan terkirim. Tanggapan ini tetap dihitung sampai sekretariat menyetujuinya."),
    )


@secretariat_required
@require_POST
def response_reinstate(request: HttpRequest, code: str, pk: int) -> HttpResponseRedirect:
    """The secretariat counts an excluded response again; for anyone else the page does not exist."""
    return _review(
        request,
        code,
        pk,
        lambda response: services.response_reinstate(
            response=response,
            user=request.user,  # type: ignore[arg-type]
            note=request.POST.get("note", "")[:300],
        ),
        done=_("Tanggapan ini dihitung lagi."),
    )


def _review(
    request: HttpRequest, code: str, pk: int, change: Callable[[Response], object], *, done: str
) -> HttpResponseRedirect:
    """Act on one of the unit's responses; a refusal becomes an error message."""
    unit = access.unit_for_user_or_404(request.user, code)
    response = get_object_or_404(Response, pk=pk, unit=unit)
    try:
        change(response)
    except services.ReviewRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return _back(request, unit.code)
