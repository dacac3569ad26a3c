"""The Laporan Hasil SKM page of a unit (its admins, through `surveys.access`) and of the city
(the secretariat): choose the period, edit the texts and the signatory, make the Word or PDF
file in the background (an export job: progress, then the download)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reports import services
from reports.exports.services import export_job_create
from reports.forms.laporan import ReportGenerateForm, ReportPeriodForm, ReportTextForm, SignatoryForm
from reports.laporan.basis import report_basis
from reports.laporan.texts import EDITABLE, default_texts, stored_text
from reports.models import ExportJob, ExportKind, ReportSignatory
from reports.periods import PeriodChoice, all_periods, period_choices, resolve_period_choice
from surveys import access
from surveys.access import secretariat_required
from surveys.models import ServiceUnit

TEMPLATE = "reports/laporan/page.html"


def _page_url(unit: ServiceUnit | None, choice: PeriodChoice | None = None) -> str:
    url = reverse("report-unit", args=[unit.code]) if unit is not None else reverse("report-city")
    return f"{url}?period={choice.value}" if choice is not None else url


def _choice(value: str | None) -> tuple[list[PeriodChoice], PeriodChoice | None]:
    periods = all_periods()
    return period_choices(periods), resolve_period_choice(value or "", periods, today=timezone.localdate())


def _page(
    request: HttpRequest, unit: ServiceUnit | None, *, text_form: ReportTextForm | None = None, status: int = 200
) -> HttpResponse:
    choices, choice = _choice(request.POST.get("period") if text_form is not None else request.GET.get("period"))
    period_form = ReportPeriodForm(request.GET or None, periods=choices)
    if request.GET.get("period") and not period_form.is_valid():
        messages.error(request, _("Periode yang dipilih tidak dikenal. Ditampilkan periode berjalan."))
    context: dict[str, Any] = {"unit": unit, "choice": choice, "period_form": period_form}
    if choice is not None:
        stored = stored_text(unit=unit, scope=choice.value)
        defaults = default_texts(unit=unit, choice=choice)
        initial = {name: (getattr(stored, name, "") or defaults[name]) for name in EDITABLE}
        signatory = ReportSignatory.objects.filter(unit=unit).first()
        context |= {
            "text_form": text_form or ReportTextForm(periods=choices, initial={"period": choice.value, **initial}),
            "stored": stored,
            "signatory_form": SignatoryForm(
                initial={key: getattr(signatory, key, "") for key in ("place", "title", "name", "nip")}
            ),
            "generate_form": ReportGenerateForm(periods=choices, initial={"period": choice.value}),
            "provisional": report_basis(choice).provisional,  # as the document itself will say
            "jobs": ExportJob.objects.filter(requested_by_id=request.user.pk, kind=ExportKind.REPORT, unit=unit)
            .select_related("period")
            .order_by("-created_at")[:10],
        }
    context["retention_hours"] = settings.EXPORT_RETENTION_HOURS
    return render(request, TEMPLATE, context, status=status)


def _save_texts(request: HttpRequest, unit: ServiceUnit | None) -> HttpResponse:
    choices, _current = _choice(None)
    form = ReportTextForm(request.POST, periods=choices)
    if not form.is_valid():
        return _page(request, unit, text_form=form, status=400)
    choice = resolve_period_choice(form.cleaned_data["period"], all_periods(), today=timezone.localdate())
    assert choice is not None
    try:
        services.report_text_save(
            unit=unit, choice=choice, user=request.user, texts={name: form.cleaned_data[name] for name in EDITABLE}
        )
    except services.ReportTextError as error:
        form.add_error(None, str(error))
        return _page(request, unit, text_form=form, status=400)
    messages.success(request, _("Teks laporan %(period)s disimpan.") % {"period": choice.label})
    return redirect(_page_url(unit, choice))


def _save_signatory(request: HttpRequest, unit: ServiceUnit | None) -> HttpResponseRedirect:
    form = SignatoryForm(request.POST)
    period = request.POST.get("period", "")
    back = _page_url(unit) + (f"?{urlencode({'period': period})}" if period else "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    try:
        services.report_signatory_save(unit=unit, user=request.user, **form.cleaned_data)
    except services.ReportTextError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, _("Penandatangan laporan disimpan."))
    return redirect(back)


def _generate(request: HttpRequest, unit: ServiceUnit | None) -> HttpResponseRedirect:
    choices, _current = _choice(None)
    form = ReportGenerateForm(request.POST, periods=choices)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_page_url(unit))
    choice = resolve_period_choice(form.cleaned_data["period"], all_periods(), today=timezone.localdate())
    assert choice is not None
    units = [unit.pk] if unit is not None else list(access.visible_units(request.user).values_list("pk", flat=True))
    job = export_job_create(
        requested_by=request.user,  # type: ignore[arg-type]
        kind=ExportKind.REPORT,
        period=choice.last,
        unit=unit,
        unit_ids=units,
        file_format=form.cleaned_data["file_format"],
        scope=choice.value,
    )
    return redirect("export-job", job_id=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def unit_report(request: HttpRequest, code: str) -> HttpResponse:
    unit = access.unit_for_user_or_404(request.user, code)
    return _save_texts(request, unit) if request.method == "POST" else _page(request, unit)


@login_required
@require_POST
def unit_report_signatory(request: HttpRequest, code: str) -> HttpResponseRedirect:
    return _save_signatory(request, access.unit_for_user_or_404(request.user, code))


@login_required
@require_POST
def unit_report_generate(request: HttpRequest, code: str) -> HttpResponseRedirect:
    return _generate(request, access.unit_for_user_or_404(request.user, code))


@secretariat_required
@require_http_methods(["GET", "POST"])
def city_report(request: HttpRequest) -> HttpResponse:
    return _save_texts(request, None) if request.method == "POST" else _page(request, None)


@secretariat_required
@require_POST
def city_report_signatory(request: HttpRequest) -> HttpResponseRedirect:
    return _save_signatory(request, None)


@secretariat_required
@require_POST
def city_report_generate(request: HttpRequest) -> HttpResponseRedirect:
    return _generate(request, None)
