"""`/petugas/kualitas-data/`: the units whose data-quality signals stand out (secretariat only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from reports import quality
from reports.forms import PeriodFilterForm
from reports.periods import all_periods, period_choices, resolve_period_choice
from surveys import access
from surveys.access import secretariat_required


@secretariat_required
@require_GET
def quality_signals(request: HttpRequest) -> HttpResponse:
    periods = all_periods()
    form = PeriodFilterForm(request.GET or None, periods=period_choices(periods))
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    choice = resolve_period_choice(values.get("period"), periods, today=timezone.localdate())
    report = (
        quality.quality_report(periods=choice.periods, units=access.visible_units(request.user)) if choice else None
    )
    return render(
        request,
        "reports/quality.html",
        {"form": form, "choice": choice, "report": report, "min_responses": quality.MIN_RESPONSES},
    )
