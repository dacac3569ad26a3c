"""`/petugas/registri/`: the secretariat keeps the unit tree (one unit at a time, or a whole file).

A registry file is read, checked and shown as a preview (added, changed, deactivated); the rows
are kept in the server-side session, never in the page, and are planned again against the
registry as it is when the secretariat applies them, all or nothing. Anyone but the secretariat
gets a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from surveys import access, naming, services, uploads
from surveys.access import secretariat_required
from surveys.forms_manage import PopulationForm, RegistryUploadForm, UnitForm
from surveys.models import Response, ServiceUnit, UnitKind
from surveys.registry_upload import read_registry
from surveys.services import RegistryInvalid, RegistryRow

SESSION_KEY = "registry-upload"


@secretariat_required
@require_GET
def registry_list(request: HttpRequest) -> HttpResponse:
    units = list(ServiceUnit.objects.select_related("area"))
    children: dict[int | None, list[ServiceUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    rows: list[tuple[int, ServiceUnit]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in naming.by_name(children.get(parent, [])):
            rows.append((depth, unit))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return render(request, "surveys/registry/list.html", {"rows": rows})


@secretariat_required
@require_http_methods(["GET", "POST"])
def registry_unit_add(request: HttpRequest) -> HttpResponse:
    form = UnitForm(request.POST or None, initial={"parent": request.GET.get("induk")})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, **form.cleaned_data)
        except RegistryInvalid as refused:
            form.add_error(refused.field or None, refused.message)
        else:
            messages.success(request, _("Unit %(unit)s ditambahkan.") % {"unit": unit.name})
            return redirect("registry-unit", code=unit.code)
    return render(request, "surveys/registry/unit_form.html", {"form": form}, status=400 if form.errors else 200)


@secretariat_required
@require_http_methods(["GET", "POST"])
def registry_unit(request: HttpRequest, code: str) -> HttpResponse:
    unit = access.unit_for_user_or_404(request.user, code)
    locked = Response.objects.filter(unit=unit).exists()
    initial = {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent": unit.parent_id, "area": unit.area_id}
    form = UnitForm(request.POST or None, initial=initial, locked_code=locked)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except RegistryInvalid as refused:
            form.add_error(refused.field or None, refused.message)
        else:
            messages.success(request, _("Perubahan unit disimpan."))
            return redirect("registry-unit", code=unit.code)
    return render(
        request,
        "surveys/registry/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "locked": locked,
            "population_form": PopulationForm(),
            "populations": unit.populations.select_related("period").order_by("-period__start"),
        },
        status=400 if form.errors else 200,
    )


@secretariat_required
@require_POST
def registry_unit_active(request: HttpRequest, code: str) -> HttpResponseRedirect:
    unit = access.unit_for_user_or_404(request.user, code)
    active = request.POST.get("active") == "1"
    services.unit_set_active(actor=request.user, unit=unit, active=active)
    messages.success(request, _("Unit diaktifkan kembali.") if active else _("Unit dinonaktifkan."))
    return redirect("registry-unit", code=unit.code)


@secretariat_required
@require_POST
def registry_unit_population(request: HttpRequest, code: str) -> HttpResponseRedirect:
    unit = access.unit_for_user_or_404(request.user, code)
    form = PopulationForm(request.POST)
    if form.is_valid():
        services.unit_population_set(
            unit=unit,
            period=form.cleaned_data["period"],
            population=form.cleaned_data["population"],
            actor=request.user,
        )
        messages.success(request, _("Populasi disimpan."))
    else:
        messages.error(request, _("Pilih periode dan isi populasi dengan bilangan bulat paling sedikit 1."))
    return redirect("registry-unit", code=unit.code)


@secretariat_required
@require_http_methods(["GET", "POST"])
def registry_upload(request: HttpRequest) -> HttpResponse:
    """Read a registry file and show what applying it would do (nothing is changed here)."""
    form = RegistryUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "kinds": UnitKind.choices}
    if request.method == "POST":
        request.session.pop(SESSION_KEY, None)  # a new upload replaces whatever was previewed before
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["berkas"]
        try:
            rows = read_registry(upload, filename=upload.name or "")
        except uploads.UploadRefused as refused:
            form.add_error("berkas", refused.message)
        except RegistryInvalid as refused:
            form.add_error("berkas", refused.message)
        else:
            plan = services.registry_plan(rows)
            context.update(plan=plan, file_name=upload.name)
            if plan.is_valid:
                request.session[SESSION_KEY] = {
                    "file": upload.name,
                    "rows": [[row.number, row.code, row.name, row.kind, row.parent_code] for row in rows],
                    "plan": plan.fingerprint(),
                }
            else:
                return render(request, "surveys/registry/upload.html", context, status=400)
    return render(request, "surveys/registry/upload.html", context, status=400 if form.errors else 200)


@secretariat_required
@require_POST
def registry_upload_apply(request: HttpRequest) -> HttpResponseRedirect:
    """Apply the previewed file, checked again against today's registry, all or nothing."""
    stored = request.session.get(SESSION_KEY)
    if not stored or "plan" not in stored:
        messages.error(request, _("Tidak ada berkas registri yang menunggu; unggah berkasnya lagi."))
        return redirect("registry-upload")
    rows = [
        RegistryRow(number=number, code=code, name=name, kind=kind, parent_code=parent)
        for number, code, name, kind, parent in stored["rows"]
    ]
    try:
        plan = services.registry_apply(rows=rows, actor=request.user, previewed=stored["plan"])
    except RegistryInvalid as refused:
        messages.error(request, _("Registri tidak diubah sama sekali: %(problem)s") % {"problem": refused.message})
        return redirect("registry-upload")
    del request.session[SESSION_KEY]
    messages.success(
        request,
        _("Registri diperbarui: %(added)s unit ditambah, %(changed)s diubah, %(deactivated)s dinonaktifkan.")
        % {"added": len(plan.added), "changed": len(plan.changed), "deactivated": len(plan.deactivated)},
    )
    return redirect("registry-list")
