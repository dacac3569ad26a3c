"""The unit dashboard and the city dashboard: access check → filters → one selector → render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reports import charts, city_table, dashboards, display, selectors
from reports.forms import CityFilterForm, PopulationForm, UnitFilterForm
from reports.periods import PeriodChoice, all_periods, period_choices, resolve_period_choice
from surveys import access, naming, services
from surveys import selectors as survey_selectors
from surveys.access import secretariat_required
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
    sub_units = naming.by_name(access.visible_units(request.user).filter(parent=unit, is_active=True))
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


@dataclass(frozen=True)
class SortColumn:
    """A sortable column heading: its label, the query string that sorts by it, its current order."""

    key: str
    label: str
    query: str
    order: str  # "ascending", "descending" or ""
    numeric: bool


CITY_PAGE_SIZE = 50
ATTENTION_LIMIT = 20  # units listed under "Perlu perhatian"; the rest are a sorted table away
CITY_FILTERS_SESSION_KEY = "city-dashboard-filters"
CITY_FILTER_NAMES = ("period", "kind", "kecamatan", "q", "sort")
# The first click on a heading: names A to Z, ranks from the first, every figure highest first.
ASCENDING_FIRST = ("nama", "peringkat")


def _city_columns(query: QueryDict, current: str) -> list[SortColumn]:
    """Every column of the city table, each with the link that sorts by it (a second click reverses)."""
    labels = {
        "nama": _("Unit"),
        "n": "n",
        "nik": _("Nilai IKM"),
        "mutu": _("Mutu"),
        "sk": _("Selang kepercayaan 95%"),
        "sampel": _("Sampel"),
        "peringkat": _("Peringkat sejenis"),
    }
    columns = []
    for key in city_table.CITY_SORT_COLUMNS:
        first = key if key in ASCENDING_FIRST else f"-{key}"
        second = f"-{key}" if key in ASCENDING_FIRST else key
        params = query.copy()
        params["sort"] = second if current == first else first
        params.pop("page", None)
        order = "ascending" if current == key else "descending" if current == f"-{key}" else ""
        columns.append(SortColumn(key, labels[key], params.urlencode(), order, key in ("n", "nik")))
    return columns


def _sticky_filters(request: HttpRequest, form: CityFilterForm) -> HttpResponseRedirect | None:
    """Filters stick: a valid choice is kept in the session, and opening the dashboard without any
    brings the kept one back (as a redirect, so the address always shows what is on the page).
    `?hapus=1` forgets it, and so does a choice that cannot be used."""
    target = reverse("city-dashboard")
    if "hapus" in request.GET:
        request.session.pop(CITY_FILTERS_SESSION_KEY, None)
        return redirect(target)
    if not request.GET:
        kept = request.session.get(CITY_FILTERS_SESSION_KEY, "")
        return redirect(f"{target}?{kept}") if kept else None
    if not form.is_valid():  # e.g. a kept period since deleted: forget it rather than repeat the error
        request.session.pop(CITY_FILTERS_SESSION_KEY, None)
        return None
    kept_params = QueryDict(mutable=True)
    for name in CITY_FILTER_NAMES:
        if value := request.GET.get(name, ""):
            kept_params[name] = value
    request.session[CITY_FILTERS_SESSION_KEY] = kept_params.urlencode()
    return None


def _city_trend_chart(dashboard: dashboards.CityDashboard, *, filtered: bool) -> str:
    title = _("Tren Nilai IKM unit yang ditampilkan per periode") if filtered else _("Tren Nilai IKM kota per periode")
    return charts.city_trend_chart(dashboard.trend, title=title, rules=dashboard.rules)


@secretariat_required
@require_GET
def city_dashboard(request: HttpRequest) -> HttpResponse:
    periods = all_periods()
    choices = period_choices(periods)
    kecamatans = naming.by_name(ServiceUnit.objects.filter(kind=UnitKind.KECAMATAN))
    form = CityFilterForm(request.GET or None, periods=choices, kecamatans=kecamatans)
    if (sticky := _sticky_filters(request, form)) is not None:
        return sticky
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
            periods=periods,
        )
    except selectors.MixedRuleSets:
        return _no_periods(request, "reports/city_dashboard.html", {**context, "mixed_rules": MIXED_RULES})
    filtered = bool(values.get("kind") or values.get("kecamatan"))
    query = values.get("q") or ""
    found = city_table.search_rows(dashboard.rows, query) if query else dashboard.rows
    page = Paginator(found, CITY_PAGE_SIZE).get_page(values.get("page") or 1)
    valid_query = request.GET if form.is_valid() else QueryDict()
    return render(
        request,
        "reports/city_dashboard.html",
        {
            **context,
            "dashboard": dashboard,
            "choice": choice,
            "sort": sort,
            "filtered": filtered,
            "query": query,
            "page": page,
            "page_query": _without_page(valid_query),
            "columns": _city_columns(valid_query, sort),
            "weight_text": display.weight_text(dashboard.weight, dashboard.rules),
            "kind_labels": dict(UnitKind.choices),
            "trend_chart": _city_trend_chart(dashboard, filtered=filtered),
            "attention_limit": ATTENTION_LIMIT,
            "more_without_data": max(0, len(dashboard.no_data) - ATTENTION_LIMIT),
            "more_below_minimum": max(0, len(dashboard.below_minimum) - ATTENTION_LIMIT),
            "sorted_by_n": _without_page(valid_query, sort="n"),
            "sorted_by_sample": _without_page(valid_query, sort="sampel"),
        },
    )


def _without_page(query: QueryDict, *, sort: str = "") -> str:
    """The query string for page 1 of the table (sorted by `sort` when given)."""
    params = query.copy()
    params.pop("page", None)
    if sort:
        params["sort"] = sort
    return params.urlencode()
