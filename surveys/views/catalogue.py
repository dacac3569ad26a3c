"""`/petugas/layanan/`: the services (jenis layanan) each unit delivers.

The secretariat manages every unit's services, a unit admin those of their own units; a unit
outside the user's scope (or a service of another unit) is a 404 through `surveys.access`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from surveys import access, naming, services
from surveys.forms_manage import ServiceForm
from surveys.models import Service
from surveys.services import RegistryInvalid


@login_required
@require_GET
def service_units(request: HttpRequest) -> HttpResponse:
    """The units whose services this user may manage; an admin of one unit goes straight to it."""
    units = naming.by_name(access.visible_units(request.user).active())
    if len(units) == 1:
        return redirect("service-list", code=units[0].code)
    return render(request, "surveys/services/units.html", {"units": units})


@login_required
@require_http_methods(["GET", "POST"])
def service_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = access.unit_for_user_or_404(request.user, code)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_add(actor=request.user, unit=unit, name=form.cleaned_data["name"])
        except RegistryInvalid as refused:
            form.add_error("name", refused.message)
        else:
            messages.success(request, _("Layanan '%(name)s' ditambahkan.") % {"name": service.name})
            return redirect("service-list", code=unit.code)
    listed = list(unit.services.all())
    return render(
        request,
        "surveys/services/list.html",
        {
            "unit": unit,
            "form": form,
            "active": naming.by_name(service for service in listed if service.is_active),
            "retired": naming.by_name(service for service in listed if not service.is_active),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def service_rename(request: HttpRequest, code: str, pk: int) -> HttpResponseRedirect:
    unit = access.unit_for_user_or_404(request.user, code)
    service = get_object_or_404(Service, pk=pk, unit=unit)
    form = ServiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nama layanan wajib diisi."))
        return redirect("service-list", code=unit.code)
    try:
        services.service_rename(actor=request.user, service=service, name=form.cleaned_data["name"])
    except RegistryInvalid as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Nama layanan diganti."))
    return redirect("service-list", code=unit.code)


@login_required
@require_POST
def service_active(request: HttpRequest, code: str, pk: int) -> HttpResponseRedirect:
    unit = access.unit_for_user_or_404(request.user, code)
    service = get_object_or_404(Service, pk=pk, unit=unit)
    active = request.POST.get("active") == "1"
    services.service_set_active(actor=request.user, service=service, active=active)
    if active:
        messages.success(request, _("Layanan dipakai kembali."))
    else:
        messages.success(request, _("Layanan dihentikan; tanggapan yang sudah ada tetap tersimpan dan dihitung."))
    return redirect("service-list", code=unit.code)
