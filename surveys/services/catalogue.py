"""The services (jenis layanan) each unit delivers: added, renamed and retired in the app.

A retired service keeps its responses (they point at it) and leaves the citizen form; it can be
brought back. Nothing here deletes a service.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from surveys.models import Service, ServiceUnit
from surveys.services.audit import AnyUser, audit_record, in_site_language
from surveys.services.registry import RegistryInvalid, unit_title

SERVICE_NAME_MAX = 200


def _clean_name(unit: ServiceUnit, name: str, *, exclude: Service | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise RegistryInvalid(_("Nama layanan wajib diisi."), field="name")
    if len(name) > SERVICE_NAME_MAX:
        raise RegistryInvalid(_("Nama layanan paling panjang 200 huruf."), field="name")
    taken = Service.objects.filter(unit=unit, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise RegistryInvalid(
            _("Layanan '%(name)s' sudah ada pada %(unit)s.") % {"name": name, "unit": unit_title(unit)}, field="name"
        )
    return name


def service_add(*, actor: AnyUser | None, unit: ServiceUnit, name: str) -> Service:
    """Add a service to a unit, listed after its others on the citizen form."""
    name = _clean_name(unit, name)
    with transaction.atomic():
        last = Service.objects.filter(unit=unit).aggregate(last=Max("order"))["last"]
        service = Service.objects.create(unit=unit, name=name, order=(last or 0) + 1)
        summary = in_site_language(
            lambda: _("Menambah layanan '%(service)s' pada %(unit)s") % {"service": name, "unit": unit_title(unit)}
        )
        audit_record(actor=actor, action="service.create", target=service, summary=summary)
    return service


def service_rename(*, actor: AnyUser | None, service: Service, name: str) -> Service:
    """Rename a service; its responses follow it (they point at the service, not its name)."""
    old = service.name
    name = _clean_name(service.unit, name, exclude=service)
    if name == old:
        return service
    with transaction.atomic():
        service.name = name
        service.save(update_fields=["name"])
        summary = in_site_language(
            lambda: (
                _("Mengganti nama layanan '%(old)s' menjadi '%(new)s' pada %(unit)s")
                % {"old": old, "new": name, "unit": unit_title(service.unit)}
            )
        )
        audit_record(actor=actor, action="service.rename", target=service, summary=summary)
    return service


def service_set_active(*, actor: AnyUser | None, service: Service, active: bool) -> Service:
    """Retire a service (it leaves the citizen form; its responses stay and still count) or bring it back."""
    if service.is_active == active:
        return service
    with transaction.atomic():
        service.is_active = active
        service.save(update_fields=["is_active"])
        words = {"service": service.name, "unit": unit_title(service.unit)}
        if active:
            summary = in_site_language(lambda: _("Memakai kembali layanan '%(service)s' pada %(unit)s") % words)
        else:
            summary = in_site_language(lambda: _("Menghentikan layanan '%(service)s' pada %(unit)s") % words)
        action = "service.reinstate" if active else "service.retire"
        audit_record(actor=actor, action=action, target=service, summary=summary)
    return service
