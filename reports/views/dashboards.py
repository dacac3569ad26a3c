"""The unit dashboard and the city dashboard: access check → filters → one selector → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reports import charts, dashboards, display, selectors
from reports.forms import CityFilterForm, PopulationForm, UnitFilterForm
from reports.periods import PeriodChoice, all_periods, period_choices, resolve_period_choice
from surveys import access, services
from surveys import selectors as survey_selectors
from surveys.models import ServiceUnit, UnitKind

MIXED_RULES = gettext_lazy(
    "Respons pada pilihan ini menjawab kuesioner dengan aturan perhitungan yang berbeda, sehingga tidak "
    "dapat digabung menjadi satu indeks. Pilih satu periode."
)


def _cleaned(form: UnitFilterForm | CityFilterForm) -> dict[str, Any]:
    """The valid filter values; on bad input, an error message and every filter at its default."""
    if not form.is_bound:
        return {}
    if form.is_valid():
        return form.cleaned_data
    return {}


def _element_chart(dashboard: dashboards.UnitDashboard) -> str:
    bars = [
        charts.Bar(
            f"U{row.number} {row.name}", row.nik, highlight=row.priority, note=_("prioritas") if row.priority else ""
        )
        for row in dashboard.elements
    ]
    title = _("Nilai IKM per unsur pelayanan, %(period)s") % {"period": dashboard.choice.label}
    return charts.element_chart(bars, rules=dashboard.rules, title=title)


def _trend_chart(dashboard: dashboards.UnitDashboard) -> str:
    title = _("Tren Nilai IKM %(unit)s per periode") % {"unit": dashboard.unit.name}
    return charts.trend_chart(dashboard.trend, title=title)


def _no_periods(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {**context, "dashboard": None})


@login_required
@require_GET
def unit_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    unit = access.unit_for_user_or_404(request.user, code)
    periods = all_periods()
    choices = period_choices(periods)
    unit_services = list(unit.services.order_by("order", "name"))
    form = UnitFilterForm(request.GET or None, periods=choices, services=unit_services)
    values = _cleaned(form)
    choice = resolve_period_choice(values.get("period"), periods, today=timezone.localdate())
    sub_units = list(access.visible_units(request.user).filter(parent=unit, is_active=True).order_by("name"))
    context: dict[str, Any] = {
        "unit": unit,
        "form": form,
        "sub_units": sub_units,
        "is_secretariat": access.is_secretariat(request.user),
    }
    if choice is None:
        return _no_periods(request, "reports/unit_dashboard.html", context)
    try:
        dashboard = dashboards.unit_dashboard(
            unit=unit,
            choice=choice,
            periods=periods,
            services=unit_services,
            service_id=values.get("service"),
            channel=values.get("channel") or None,
            language=get_language() or "id",
        )
    except selectors.MixedRuleSets:
        return _no_periods(request, "reports/unit_dashboard.html", {**context, "mixed_rules": MIXED_RULES})
    population_form = PopulationForm(
        initial={"period": choice.last.pk, "population": dashboard.population if choice.kind == "period" else None}
    )
    return render(
        request,
        "reports/unit_dashboard.html",
        {
            **context,
            "dashboard": dashboard,
            "choice": choice,
            "weight_text": display.weight_text(dashboard.weight, dashboard.rules),
            "element_chart": _element_chart(dashboard),
            "trend_chart": _trend_chart(dashboard) if len(dashboard.trend) > 1 else "",
            "population_form": population_form,
            "set_aside": survey_selectors.set_aside_for(unit_ids=[unit.pk], periods=choice.periods),
        },
    )


@login_required
@require_POST
def unit_population(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Record the unit's population for a period; bad input is a message and changes nothing."""
    unit = access.unit_for_user_or_404(request.user, code)
    form = PopulationForm(request.POST)
    target = reverse("unit-dashboard", args=[unit.code])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(target)
    period = form.cleaned_data["period"]
    services.unit_population_set(unit=unit, period=period, population=form.cleaned_data["population"])
    messages.success(
        request,
        _("Populasi %(unit)s untuk %(period)s disimpan.") % {"unit": unit.name, "period": period.name},
    )
    return redirect(f"{target}?period=p-{period.pk}")


def _sort_links(query: QueryDict, current: str) -> dict[str, str]:
    """For each sortable column, the query string that sorts by it (toggling direction)."""
    links = {}
    for column in ("nama", "n", "nik"):
        params = query.copy()
        descending = f"-{column}"
        params["sort"] = column if current == descending else descending
        if column == "nama":
            params["sort"] = "-nama" if current == "nama" else "nama"
        params.pop("page", None)
        links[column] = params.urlencode()
    return links


@login_required
@require_GET
def city_dashboard(request: HttpRequest) -> HttpResponse:
    if not access.is_secretariat(request.user):
        raise Http404("not the secretariat")
    periods = all_periods()
    choices = period_choices(periods)
    kecamatans = list(ServiceUnit.objects.filter(kind=UnitKind.KECAMATAN).order_by("name"))
    form = CityFilterForm(request.GET or None, periods=choices, kecamatans=kecamatans)
    values = _cleaned(form)
    choice: PeriodChoice | None = resolve_period_choice(values.get("period"), periods, today=timezone.localdate())
    context: dict[str, Any] = {"form": form}
    if choice is None:
        return _no_periods(request, "reports/city_dashboard.html", context)
    sort = values.get("sort") or "-nik"
    try:
        dashboard = dashboards.city_dashboard(
            units=access.visible_units(request.user),
            choice=choice,
            kind=values.get("kind") or "",
            kecamatan_id=values.get("kecamatan"),
            sort=sort,
        )
    except selectors.MixedRuleSets:
        return _no_periods(request, "reports/city_dashboard.html", {**context, "mixed_rules": MIXED_RULES})
    return render(
        request,
        "reports/city_dashboard.html",
        {
            **context,
            "dashboard": dashboard,
            "choice": choice,
            "sort": sort,
            "filtered": bool(values.get("kind") or values.get("kecamatan")),
            "sort_links": _sort_links(request.GET if form.is_valid() else QueryDict(), sort),
            "weight_text": display.weight_text(dashboard.weight, dashboard.rules),
            "kind_labels": dict(UnitKind.choices),
        },
    )
