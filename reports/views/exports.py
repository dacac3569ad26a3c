"""Export downloads and background export jobs. Access through `surveys.access` only."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reports.exports.forms import WEIGHT_CHOICES, ExportRequestForm
from reports.exports.layout import file_stem
from reports.exports.recap import city_recap
from reports.exports.services import export_in_background, export_job_create, job_file
from reports.exports.workbooks import UnitScope, unit_workbook
from reports.models import ExportJob, ExportKind
from reports.selectors import MixedRuleSets
from surveys import access
from surveys.models import Period, ServiceUnit, ServiceUnitQuerySet
from surveys.services import audit_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff_or_404(request: HttpRequest) -> None:
    if not access.is_staff_member(request.user):
        raise Http404("not staff")


def _weight(request: HttpRequest) -> str | None:
    weight = request.GET.get("bobot", "exact")
    return weight if weight in {value for value, _label in WEIGHT_CHOICES} else None


def _xlsx_response(workbook: object, name: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)  # type: ignore[attr-defined]
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_GET
def unit_workbook_download(request: HttpRequest, code: str, period_id: int) -> HttpResponse:
    """A unit's workbook; with many responses it is made in the background instead."""
    unit = access.unit_for_user_or_404(request.user, code)
    period = get_object_or_404(Period, pk=period_id)
    weight = _weight(request)
    if weight is None:
        return HttpResponse(_("Bobot tidak dikenal."), status=400, content_type="text/plain; charset=utf-8")
    scope = UnitScope(unit, period, request.GET.get("cakupan") == "turunan", weight)
    unit_ids = scope.unit_ids()
    if export_in_background(unit_ids=unit_ids, period=period):
        job = export_job_create(
            requested_by=request.user,  # type: ignore[arg-type]
            kind=ExportKind.WORKBOOK,
            period=period,
            unit=unit,
            unit_ids=unit_ids,
            include_descendants=scope.include_descendants,
            weight=weight,
        )
        return redirect("export-job", job_id=job.pk)
    try:
        workbook, _facts = unit_workbook(scope)
    except MixedRuleSets:
        return _mixed_rules_response()
    audit_record(
        actor=request.user, action="export.download", target=unit, detail={"kind": "workbook", "period": period.name}
    )
    return _xlsx_response(workbook, file_stem("workbook", period, unit, with_subunits=scope.include_descendants))


def _mixed_rules_response() -> HttpResponse:
    message = _("Respons pada cakupan ini memakai aturan perhitungan yang berbeda; ekspor per unit atau per instrumen.")
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _recap_units(request: HttpRequest) -> ServiceUnitQuerySet:
    return access.visible_units(request.user).active()


@login_required
@require_GET
def city_recap_download(request: HttpRequest, period_id: int) -> HttpResponse:
    """The recap of every unit the user may see: the whole city for the secretariat."""
    _staff_or_404(request)
    period = get_object_or_404(Period, pk=period_id)
    weight = _weight(request)
    if weight is None:
        return HttpResponse(_("Bobot tidak dikenal."), status=400, content_type="text/plain; charset=utf-8")
    unit_ids = list(_recap_units(request).values_list("pk", flat=True))
    if not unit_ids:
        raise Http404("no units")
    try:
        workbook, _facts = city_recap(period=period, unit_ids=unit_ids, weight=weight)
    except MixedRuleSets:
        return _mixed_rules_response()
    audit_record(
        actor=request.user, action="export.download", target=period, detail={"kind": "recap", "units": len(unit_ids)}
    )
    return _xlsx_response(workbook, file_stem("rekap", period))


@login_required
@require_http_methods(["GET", "POST"])
def export_start(request: HttpRequest) -> HttpResponse:
    """Choose an export and start it in the background; recent jobs are listed below."""
    _staff_or_404(request)
    units = access.visible_units(request.user)
    form = ExportRequestForm(request.POST or None, units=units, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit: ServiceUnit | None = None
        if data["unit"]:
            unit = access.unit_for_user_or_404(request.user, data["unit"])
        if data["kind"] == ExportKind.WORKBOOK:
            assert unit is not None
            scope = UnitScope(unit, data["period"], data["include_descendants"], data["weight"])
            unit_ids = scope.unit_ids()
        else:
            base = units.subtree_of([unit]) if unit else units
            unit_ids = list(base.values_list("pk", flat=True))
        job = export_job_create(
            requested_by=request.user,  # type: ignore[arg-type]
            kind=data["kind"],
            period=data["period"],
            unit=unit,
            unit_ids=unit_ids,
            include_descendants=data["include_descendants"],
            file_format=data["file_format"],
            weight=data["weight"],
        )
        return redirect("export-job", job_id=job.pk)
    jobs = ExportJob.objects.filter(requested_by_id=request.user.pk).select_related("period", "unit")[:20]
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "jobs": jobs, "retention_hours": settings.EXPORT_RETENTION_HOURS}
    return render(request, "reports/exports/start.html", context, status=status)


def _initial(request: HttpRequest) -> dict[str, object]:
    """Prefill from the dashboard's link; the period defaults to the latest open one."""
    initial: dict[str, object] = {name: request.GET[name] for name in ("kind", "period", "unit") if name in request.GET}
    if "period" not in initial:
        latest = Period.objects.filter(state="open").order_by("-start").first()
        if latest is not None:
            initial["period"] = latest.pk
    return initial


def _job_or_404(request: HttpRequest, job_id: str) -> ExportJob:
    _staff_or_404(request)
    return get_object_or_404(
        ExportJob.objects.select_related("period", "unit"), pk=job_id, requested_by_id=request.user.pk
    )


@login_required
@require_GET
def export_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """A job's progress; the page reloads itself (no script needed) until the job is finished."""
    job = _job_or_404(request, job_id)
    return render(request, "reports/exports/job.html", {"job": job, "has_file": job_file(job) is not None})


@login_required
@require_GET
def export_job_download(request: HttpRequest, job_id: str) -> FileResponse:
    job = _job_or_404(request, job_id)
    path = job_file(job)
    if path is None:
        raise Http404("no file")
    audit_record(actor=request.user, action="export.download", target=job, unit=job.unit, detail={"kind": job.kind})
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name)
